// Signing in and out, sessions, API tokens and the operator account.
#pragma once

#include <optional>
#include <string>

#include "app.hpp"
#include "auth/principal.hpp"
#include "auth/throttle.hpp"
#include "core/task.hpp"
#include "http/message.hpp"

namespace clientele::http {
class Router;
class RequestContext;
}  // namespace clientele::http
namespace clientele::store {
class Database;
class Tx;
}  // namespace clientele::store

namespace clientele::auth {

inline constexpr std::string_view session_cookie = "clientele_session";
inline constexpr std::string_view api_token_prefix = "clt_";

//! The caller of the request, from its bearer token or, without one, its session cookie.
std::optional<Principal> authenticate(http::RequestContext& ctx);

//! Sign-in in three steps, because the write in the middle may run more than once: makes the
//! session's secrets (into `principal`) and returns the cookie's token...
std::string prepare_session(Principal& principal);
//! ...stores the session in a system write (ending the browser's previous one, if any) and records
//! the sign-in as the user's last_login and in the audit trail (`auth.sign_in`, made by the
//! principal)...
void store_session(store::Tx& tx, const Principal& principal, const http::Request& request,
                   const Config& config);
//! ...and answers with the user, the CSRF token and the session cookie.
http::Response session_response(const Config& config, const Principal& principal,
                                const std::string& token);

//! Records a sign-in that failed (`auth.sign_in_failed`) in a write of its own: in `workspace`,
//! about the account (`entity`, `id`) when the name tried matched one, the name tried as the
//! (anonymous) actor's name. Never the password.
void record_failed_sign_in(store::Tx& tx, int64_t workspace, std::string_view entity,
                           std::optional<int64_t> id, const std::string& tried);

//! The sign-in throttling of the server's settings (see throttle.hpp).
ThrottleRule throttle_rule(const Config& config);
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

//! Registers /api/auth/login, /api/auth/logout, /api/auth/me, ... and the API token routes.
void register_routes(http::Router& router, App& app);

class PasswordHasher;
//! Creates the operator (platform admin, owner of workspace 1), or resets its password and name
//! when the e-mail exists already; ends its sessions and API tokens then. Returns the user id.
int64_t create_operator(store::Database& db, PasswordHasher& passwords, const std::string& email,
                        const std::string& password, const std::string& name);

//! 409 naming `field` when an account other than `except_user` signs in with `email` already.
//! People sign in with their e-mail alone, so it is unique across the platform: the check looks
//! past the transaction's workspace, and tells only that the address is taken.
void check_email_free(store::Tx& tx, const std::string& email, std::string_view field,
                      int64_t except_user = 0);

//! A new API token for the user with this e-mail (shown once; only its hash is kept).
std::string create_api_token(store::Database& db, const std::string& email,
                             const std::string& name);

}  // namespace clientele::auth
