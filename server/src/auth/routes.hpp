// The auth area's HTTP side: /api/auth/* and /api/tokens, and the steps of a sign-in that other
// areas' routes share (the portal's, an accepted invitation's). The rules and transactions they
// call are below HTTP, in auth/service.hpp, auth/throttle.hpp and auth/tokens.hpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "app.hpp"
#include "auth/service.hpp"
#include "core/task.hpp"
#include "http/message.hpp"

namespace clientele::http {
class Router;
class RequestContext;
}  // namespace clientele::http

namespace clientele::auth {

//! Registers /api/auth/login, /api/auth/logout, /api/auth/me, ... and the API token routes.
void register_routes(http::Router& router, App& app);

//! The caller of the request, from its bearer token or, without one, its session cookie.
std::optional<Principal> authenticate(http::RequestContext& ctx);

//! Where `request` signs in from; `cookie` names the session cookie it may hold already.
SignInOrigin origin_of(const http::Request& request, std::string_view cookie);

//! Reserves an attempt on `account` from the request's address before the password is checked
//! (see throttle.hpp), in a system write, and returns it: 429 with Retry-After when a lock
//! applies. A right password then calls release_attempt in the write that acts on it.
//! (`account` is a named variable of the caller: GCC 12 destroys a temporary in a co_await's
//! operands twice.)
Task<Attempt> throttled(http::RequestContext& ctx, const std::string& account);
//! Checks `password` against `encoded` for a reserved attempt on the hasher's pool (without a hash,
//! spends the time of a check: unknown names take as long as known ones). When the pool is full,
//! the attempt is taken back before the 503 goes out: a busy server counts against no one.
Task<bool> check_password(http::RequestContext& ctx, const Attempt& attempt,
                          const std::optional<std::string>& encoded, const std::string& password);

//! The answer to a sign-in: the user, the CSRF token and the session cookie (see store_session).
http::Response session_response(const Config& config, const Principal& principal,
                                const std::string& token);

}  // namespace clientele::auth
