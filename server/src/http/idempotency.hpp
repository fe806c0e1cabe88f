// Idempotency-Key for creates: a client that retries a create after a lost answer gets the first
// answer again instead of a second record (see docs/api.md).
#pragma once

#include <functional>

#include "http/context.hpp"

namespace clientele::http {

//! Runs `create` in a write transaction of the caller's workspace. With an Idempotency-Key header,
//! the key, the request's fingerprint and the response are stored in that same transaction; a
//! repeat with the same key and request gets the stored response (header Idempotent-Replayed),
//! a repeat with another request gets 422. Keys are kept for 24 hours.
//! `stored` may rewrite the body kept for replays, to leave out what must be shown only once (a
//! generated password).
//! The stored answer to a repeat of the request under its Idempotency-Key, if there is one (422
//! when the key was used for another request): a read, for a create to look at before costly
//! work that a replay must not do (generating and hashing a password).
std::optional<Response> stored_replay(RequestContext& ctx);

Task<Response> idempotent_create(RequestContext& ctx, std::function<Response(store::Tx&)> create,
                                 std::function<std::string(const std::string&)> stored = {});

}  // namespace clientele::http
