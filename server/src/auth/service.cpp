#include "auth/service.hpp"

#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "area.hpp"
#include "audit/trail.hpp"
#include "auth/crypto.hpp"
#include "auth/password.hpp"
#include "auth/password_policy.hpp"
#include "auth/queries.hpp"
#include "auth/throttle.hpp"
#include "auth/tokens.hpp"
#include "core/config.hpp"
#include "core/json_input.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "http/context.hpp"
#include "http/router.hpp"
#include "store/db.hpp"

namespace clientele::auth {

namespace json = boost::json;

namespace {

Principal principal_from(const store::Query& row) {
    Principal p;
    p.user_id = row.int64(0);
    p.tenant_id = row.int64(1);
    p.email = row.text(2);
    p.name = row.text(3);
    // An unknown role (a row from a newer version) gets the least rights.
    p.role = parse_role(row.text(4)).value_or(Role::viewer);
    p.is_platform_admin = row.int64(5) != 0;
    p.is_client_login = row.int64(6) != 0;
    return p;
}

json::object user_json(const Principal& p) {
    json::array allowed;
    for (const Permission* permission : all_permissions()) {
        if (role_allows(p.role, *permission)) {
            allowed.push_back(json::string(permission->name));
        }
    }
    return {{"id", p.user_id},
            {"email", p.email},
            {"name", p.name},
            {"role", role_name(p.role)},
            {"permissions", std::move(allowed)},
            {"tenant_id", p.tenant_id},
            {"is_platform_admin", p.is_platform_admin}};
}

std::string session_cookie_header(const Config& config, std::string_view value, int max_age) {
    return fmt::format("{}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{}", session_cookie, value,
                       max_age, config.secure_cookies ? "; Secure" : "");
}

// The two sign-in forms: admin and staff by e-mail, client owners by their generated username.
struct SignInForm {
    std::string_view identifier_field;  //!< "email" or "username"
    std::string_view lookup_sql;
    std::string_view wrong_detail;
};
constexpr SignInForm email_form{"email", sql::user_for_login,
                                "The e-mail or the password is wrong."};
constexpr SignInForm username_form{"username", sql::user_for_client_login,
                                   "The username or the password is wrong."};

Task<http::Response> sign_in(http::RequestContext& ctx, const SignInForm& form) {
    std::vector<FieldError> errors;
    json::object body = ctx.json_body();
    ObjectReader in(body, "", errors);
    auto identifier = in.string(form.identifier_field, {.min = 1, .max = 254, .nullable = false});
    auto password =
        in.string("password", {.min = 1, .max = 1024, .nullable = false, .trim = false});
    in.finish();
    if (!identifier.present)
        in.fail(form.identifier_field, "is required");
    if (!password.present)
        in.fail("password", "is required");
    throw_if_invalid(errors);

    struct Candidate {
        Principal principal;
        std::string password_hash;
    };
    // Throttled by the name tried (whether or not it exists) and the source address, reserved
    // before the (slow) password check so that guesses at once cannot slip past the count.
    std::string account = std::string(form.identifier_field) + ":" + ascii_lower(identifier.value);
    Attempt attempt = co_await throttled(ctx, account);
    auto candidate = ctx.read_system([&](store::Tx& tx) -> std::optional<Candidate> {
        auto q = tx.query(form.lookup_sql, ascii_lower(identifier.value));
        if (!q.step()) {
            return std::nullopt;
        }
        return Candidate{principal_from(q), std::string(q.text(7))};
    });
    // An unknown user and a wrong password take the same time and get the same answer.
    std::optional<std::string> stored;
    if (candidate) {
        stored = candidate->password_hash;
    }
    if (!co_await check_password(ctx, attempt, stored, password.value)) {
        std::optional<Principal> known;
        if (candidate) {
            known = candidate->principal;
        }
        co_await ctx.write_system([&](store::Tx& tx) {
            record_failed_sign_in(tx, known ? known->tenant_id : audit::platform_workspace, "user",
                                  known ? std::optional<int64_t>(known->user_id) : std::nullopt,
                                  identifier.value);
        });
        throw Error(Code::invalid_credentials, std::string(form.wrong_detail));
    }

    const Config& config = *ctx.app.config;
    Principal& principal = candidate->principal;
    std::string token = prepare_session(principal);
    co_await ctx.write_system([&](store::Tx& tx) {
        store_session(tx, principal, ctx.request, config);
        release_attempt(tx, throttle_rule(config), attempt);
    });
    co_return session_response(config, principal, token);
}

Task<http::Response> logout(http::RequestContext& ctx) {
    const Principal& caller = ctx.caller();
    if (caller.via == Principal::Via::session) {
        co_await ctx.write_system([&](store::Tx& tx) {
            tx.exec(sql::delete_session, caller.session_hash);
            audit::record_in(tx, caller.tenant_id, {"auth.sign_out", "user", caller.user_id, {}});
        });
    }
    http::Response response = http::Response::no_content();
    response.set_header("Set-Cookie", session_cookie_header(*ctx.app.config, "", 0));
    co_return response;
}

// Changing one's own password: the current one proves it is the owner of the session or token.
// Every other session of the user ends; the one making the change stays signed in.
Task<http::Response> change_password(http::RequestContext& ctx) {
    const Principal& caller = ctx.caller();
    std::vector<FieldError> errors;
    json::object body = ctx.json_body();
    ObjectReader in(body, "", errors);
    auto current =
        in.string("current_password", {.min = 1, .max = 1024, .nullable = false, .trim = false});
    auto next =
        in.string("new_password", {.min = 1, .max = 4096, .nullable = false, .trim = false});
    in.finish();
    if (!current.present)
        in.fail("current_password", "is required");
    if (!next.present)
        in.fail("new_password", "is required");
    if (next.has_value()) {
        if (auto problem = password_problem(next.value)) {
            in.fail("new_password", *problem);
        } else if (current.has_value() && current.value == next.value) {
            in.fail("new_password", "must differ from the current password");
        }
    }
    throw_if_invalid(errors);

    // Guessing the current password with a stolen session is throttled like signing in.
    std::string account = fmt::format("user:{}", caller.user_id);
    Attempt attempt = co_await throttled(ctx, account);
    auto stored = ctx.read_system([&](store::Tx& tx) -> std::optional<std::string> {
        auto q = tx.query(sql::password_hash_of_user, caller.user_id);
        return q.step() ? std::optional<std::string>(q.text(0)) : std::nullopt;
    });
    if (!co_await check_password(ctx, attempt, stored, current.value)) {
        throw Error(Code::validation_failed, "The current password is wrong.",
                    {{"current_password", "is wrong"}});
    }
    ThrottleRule rule = throttle_rule(*ctx.app.config);
    co_await ctx.write_system([&](store::Tx& tx) { release_attempt(tx, rule, attempt); });
    std::string hash = co_await ctx.app.passwords->hash_async(next.value, ctx.resumer());
    std::string now = now_timestamp();
    co_await ctx.write_system([&](store::Tx& tx) {
        tx.exec(sql::set_password, hash, now, caller.user_id);
        tx.exec(sql::revoke_other_sessions_of_user, caller.user_id, caller.session_hash);
        // A token may have leaked with the old password: every one of the user's ends.
        store::Tx workspace = tx.workspace(caller.tenant_id);
        revoke_tokens_of_user(workspace, caller.user_id);
        audit::record(workspace, {"user.password_changed", "user", caller.user_id, {}});
    });
    co_return http::Response::message(200, "Password changed successfully.");
}

Task<http::Response> me(http::RequestContext& ctx) {
    const Principal& caller = ctx.caller();
    json::object body{{"user", user_json(caller)}};
    if (caller.via == Principal::Via::session) {
        body["csrf_token"] = caller.csrf_token;
    }
    co_return http::Response::json(200, body);
}

}  // namespace

ThrottleRule throttle_rule(const Config& config) {
    return {config.login_failures_before_lock, config.login_lock_seconds};
}

Task<Attempt> throttled(http::RequestContext& ctx, const std::string& account) {
    Attempt attempt{account, ctx.request.remote_address};
    ThrottleRule rule = throttle_rule(*ctx.app.config);
    auto wait = co_await ctx.write_system(
        [&](store::Tx& tx) { return reserve_attempt(tx, rule, attempt); });
    if (wait) {
        throw Error(Code::too_many_requests,
                    fmt::format("Too many failed attempts; try again in {} seconds.", *wait))
            .with_retry_after(*wait);
    }
    co_return attempt;
}

Task<bool> check_password(http::RequestContext& ctx, const Attempt& attempt,
                          const std::optional<std::string>& encoded, const std::string& password) {
    PasswordHasher& hasher = *ctx.app.passwords;
    std::optional<Error> busy;
    try {
        if (encoded) {
            co_return co_await hasher.verify_async(*encoded, password, ctx.resumer());
        }
        co_await hasher.verify_dummy_async(password, ctx.resumer());
        co_return false;
    } catch (const Error& e) {
        if (e.code() != Code::unavailable) {
            throw;
        }
        busy = e;
    }
    ThrottleRule rule = throttle_rule(*ctx.app.config);
    co_await ctx.write_system([&](store::Tx& tx) { cancel_attempt(tx, rule, attempt); });
    throw *busy;
}

std::string prepare_session(Principal& principal) {
    std::string token = random_token();
    principal.via = Principal::Via::session;
    principal.session_hash = hash_secret(token);
    principal.csrf_token = random_token();
    return token;
}

void store_session(store::Tx& tx, const Principal& principal, const http::Request& request,
                   const Config& config) {
    auto now = Clock::now();
    std::string now_text = format_timestamp(now);
    std::string expires = format_timestamp(now + std::chrono::hours(config.session_hours));
    // Rotation: the session the browser held before (if any) ends with this sign-in.
    if (auto previous = request.cookie(session_cookie)) {
        tx.exec(sql::delete_session, hash_secret(*previous));
    }
    tx.exec(sql::delete_expired_sessions_of_user, principal.user_id, now_text);
    tx.exec(sql::insert_session, principal.session_hash, principal.tenant_id, principal.user_id,
            principal.csrf_token, now_text, expires, request.remote_address,
            std::string(request.header("user-agent").value_or("").substr(0, 512)));
    tx.exec(sql::record_login, now_text, principal.user_id);
    // The account the password (or the invitation) proved is who acts from here on.
    audit::act_as(tx, audit::actor_of(principal));
    audit::record_in(tx, principal.tenant_id, {"auth.sign_in", "user", principal.user_id, {}});
}

void record_failed_sign_in(store::Tx& tx, int64_t workspace, std::string_view entity,
                           std::optional<int64_t> id, const std::string& tried) {
    audit::act_as(tx, {"anonymous", std::nullopt, tried});
    audit::record_in(tx, workspace, {"auth.sign_in_failed", entity, id, {}});
}

http::Response session_response(const Config& config, const Principal& principal,
                                const std::string& token) {
    http::Response response = http::Response::json(
        200, json::object{{"user", user_json(principal)}, {"csrf_token", principal.csrf_token}});
    response.set_header("Set-Cookie",
                        session_cookie_header(config, token, config.session_hours * 3600));
    return response;
}

std::optional<Principal> authenticate(http::RequestContext& ctx) {
    const http::Request& request = ctx.request;
    if (auto header = request.header("authorization")) {
        std::string_view value = *header;
        if (value.size() < 7 || !http::iequals(value.substr(0, 7), "bearer ")) {
            return std::nullopt;
        }
        std::string token_hash = hash_secret(trim(value.substr(7)));
        return ctx.read_system([&](store::Tx& tx) -> std::optional<Principal> {
            auto q = tx.query(sql::principal_by_token, token_hash);
            if (!q.step()) {
                return std::nullopt;
            }
            Principal p = principal_from(q);
            p.via = Principal::Via::token;
            p.token_id = q.int64(7);
            return p;
        });
    }
    auto cookie = request.cookie(session_cookie);
    if (!cookie || cookie->empty()) {
        return std::nullopt;
    }
    std::string session_hash = hash_secret(*cookie);
    std::string now = now_timestamp();
    return ctx.read_system([&](store::Tx& tx) -> std::optional<Principal> {
        auto q = tx.query(sql::principal_by_session, session_hash, now);
        if (!q.step()) {
            return std::nullopt;
        }
        Principal p = principal_from(q);
        p.via = Principal::Via::session;
        p.session_hash = session_hash;
        p.csrf_token = q.text(7);
        return p;
    });
}

void register_routes(http::Router& router, App& app) {
    using http::Access;
    using http::Method;
    (void)app;
    router.add(Method::post, "/api/auth/login", Access::anyone(),
               [](http::RequestContext& ctx) { return sign_in(ctx, email_form); });
    router.add(Method::post, "/api/auth/client-login", Access::anyone(),
               [](http::RequestContext& ctx) { return sign_in(ctx, username_form); });
    router.add(Method::post, "/api/auth/logout", Access::signed_in(), logout);
    router.add(Method::get, "/api/auth/me", Access::signed_in(), me);
    router.add(Method::post, "/api/auth/change-password", Access::signed_in(), change_password);
    register_token_routes(router);
}

int64_t create_operator(store::Database& db, PasswordHasher& passwords, const std::string& email,
                        const std::string& password, const std::string& name) {
    std::string address = ascii_lower(trim(email));
    // Run again with the password it has, it changes nothing else: sessions and tokens stay (a
    // second instance's start-up script must not sign the operator out everywhere).
    std::string current = db.read(std::nullopt, [&](store::Tx& tx) {
        auto q = tx.query(sql::user_id_by_email, address);
        if (!q.step()) {
            return std::string();
        }
        auto h = tx.query(sql::password_hash_of_user, q.int64(0));
        return h.step() ? std::string(h.text(0)) : std::string();
    });
    bool same_password = !current.empty() && passwords.verify(current, password);
    std::string hash = same_password ? current : passwords.hash(password);
    std::string now = now_timestamp();
    return db.write(std::nullopt, [&](store::Tx& tx) {
        auto existing = tx.query(sql::user_id_by_email, address);
        if (existing.step()) {
            int64_t id = existing.int64(0);
            store::Tx workspace = tx.workspace(existing.int64(1));
            tx.exec(sql::update_operator, name, hash, now, id);
            if (!same_password) {
                tx.exec(sql::revoke_sessions_of_user, id);
                revoke_tokens_of_user(workspace, id);
            }
            return id;
        }
        return tx.insert(sql::insert_operator, address, name, hash, now, now, now);
    });
}

void check_email_free(store::Tx& tx, const std::string& email, std::string_view field,
                      int64_t except_user) {
    if (tx.query_global(sql::email_has_account, email, except_user).step()) {
        throw Error(Code::conflict, "An account with this e-mail address exists already.",
                    {{std::string(field), "already has an account"}});
    }
}

std::string create_api_token(store::Database& db, const std::string& email,
                             const std::string& name) {
    std::string token = std::string(api_token_prefix) + random_token();
    std::string address = ascii_lower(trim(email));
    std::string now = now_timestamp();
    db.write(std::nullopt, [&](store::Tx& tx) {
        auto user = tx.query(sql::user_id_by_email, address);
        if (!user.step()) {
            throw std::runtime_error("no user with e-mail " + address);
        }
        int64_t user_id = user.int64(0), workspace = user.int64(1);
        std::string prefix = token.substr(0, 8);
        int64_t id = tx.insert(sql::insert_api_token, workspace, user_id, name, hash_secret(token),
                               prefix, now);
        // Made by the command line: the system acts. The token itself is never recorded.
        json::object created{{"name", name}, {"prefix", prefix}, {"user_id", user_id}};
        audit::record_in(tx, workspace,
                         {"token.created", "token", id, audit::diff({}, created, {})});
    });
    return token;
}

}  // namespace clientele::auth
