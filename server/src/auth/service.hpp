// Signing in and out, sessions, API tokens and the operator account: the rules and transactions,
// below HTTP (the routes that use them are in auth/routes.cpp).
#pragma once

#include <optional>
#include <string>

#include "auth/principal.hpp"
#include "auth/throttle.hpp"

namespace clientele {
struct Config;
}
namespace clientele::store {
class Database;
class Tx;
}  // namespace clientele::store

namespace clientele::auth {

inline constexpr std::string_view session_cookie = "clientele_session";
inline constexpr std::string_view api_token_prefix = "clt_";

//! The signed-in user of a live API token (by the token's hash), with the token's id.
std::optional<Principal> principal_by_token(store::Tx& tx, const std::string& token_hash);
//! The signed-in user of a live session (by its token's hash), with its CSRF token.
std::optional<Principal> principal_by_session(store::Tx& tx, const std::string& session_hash);

//! Who may sign in with a name: the account and its password hash.
struct SignInCandidate {
    Principal principal;
    std::string password_hash;
};
//! The account that signs in with `email` (staff) or, when `by_username`, with that username (a
//! client's login); lower-case names. Users without a password yet look unknown.
std::optional<SignInCandidate> sign_in_candidate(store::Tx& tx, const std::string& name,
                                                 bool by_username);

//! Where a sign-in comes from, for the session row: the request's address and user agent, and
//! the session token the browser held before (ended by the rotation), if any.
struct SignInOrigin {
    std::string remote_address;
    std::string user_agent;
    std::optional<std::string> previous_token;
};

//! Sign-in in three steps, because the write in the middle may run more than once: makes the
//! session's secrets (into `principal`) and returns the cookie's token...
std::string prepare_session(Principal& principal);
//! ...stores the session in a system write (ending the browser's previous one, if any) and records
//! the sign-in as the user's last_login and in the audit trail (`auth.sign_in`, made by the
//! principal)...
void store_session(store::Tx& tx, const Principal& principal, const SignInOrigin& origin,
                   const Config& config);
//! (...and the route answers with the user, the CSRF token and the session cookie:
//! auth/routes.hpp.)

//! Ends the caller's session (sign-out), recording `auth.sign_out`; in a system write.
void end_session(store::Tx& tx, const Principal& caller);

//! The user's password hash; nullopt without such a user.
std::optional<std::string> password_hash_of(store::Tx& tx, int64_t user_id);
//! Sets the caller's new password (`hash`): every other session and every API token of the user
//! ends, the one making the change stays signed in. Records `user.password_changed`. In a system
//! write.
void set_own_password(store::Tx& tx, const Principal& caller, const std::string& hash);

//! Records a sign-in that failed (`auth.sign_in_failed`) in a write of its own: in `workspace`,
//! about the account (`entity`, `id`) when the name tried matched one, the name tried as the
//! (anonymous) actor's name. Never the password.
void record_failed_sign_in(store::Tx& tx, int64_t workspace, std::string_view entity,
                           std::optional<int64_t> id, const std::string& tried);

//! The sign-in throttling of the server's settings (see throttle.hpp).
ThrottleRule throttle_rule(const Config& config);

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
