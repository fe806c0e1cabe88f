#include "auth/routes.hpp"

#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "area.hpp"
#include "audit/trail.hpp"
#include "auth/crypto.hpp"
#include "auth/password.hpp"
#include "auth/password_policy.hpp"
#include "auth/tokens.hpp"
#include "core/config.hpp"
#include "core/json_input.hpp"
#include "core/text.hpp"
#include "http/context.hpp"
#include "http/router.hpp"
#include "store/db.hpp"

namespace clientele::auth {

namespace json = boost::json;

namespace {

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
    bool by_username;
    std::string_view wrong_detail;
};
constexpr SignInForm email_form{"email", false, "The e-mail or the password is wrong."};
constexpr SignInForm username_form{"username", true, "The username or the password is wrong."};

Task<http::Response> sign_in(http::RequestContext& ctx, const SignInForm& form) {
    std::vector<FieldError> errors;
    json::object body = ctx.json_body();
    ObjectReader in(body, "", errors);
    auto identifier = in.string(form.identifier_field, {.min = 1, .max = 254, .nullable = false});
    auto password =
        in.string("password", {.min = 1, .max = 1024, .nullable = false, .trim = false});
    in.finish();
    in.require(form.identifier_field, identifier);
    in.require("password", password);
    throw_if_invalid(errors);

    // Throttled by the name tried (whether or not it exists) and the source address, reserved
    // before the (slow) password check so that guesses at once cannot slip past the count.
    std::string name = ascii_lower(identifier.value);
    std::string account = std::string(form.identifier_field) + ":" + name;
    Attempt attempt = co_await throttled(ctx, account);
    auto candidate = ctx.read_system(
        [&](store::Tx& tx) { return sign_in_candidate(tx, name, form.by_username); });
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
    SignInOrigin origin = origin_of(ctx.request, session_cookie);
    co_await ctx.write_system([&](store::Tx& tx) {
        store_session(tx, principal, origin, config);
        release_attempt(tx, throttle_rule(config), attempt);
    });
    co_return session_response(config, principal, token);
}

Task<http::Response> logout(http::RequestContext& ctx) {
    const Principal& caller = ctx.caller();
    if (caller.via == Principal::Via::session) {
        co_await ctx.write_system([&](store::Tx& tx) { end_session(tx, caller); });
    }
    http::Response response = http::Response::no_content();
    response.set_header("Set-Cookie", session_cookie_header(*ctx.app.config, "", 0));
    co_return response;
}

// Changing one's own password: the current one proves it is the owner of the session or token.
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
    in.require("current_password", current);
    in.require("new_password", next);
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
    auto stored =
        ctx.read_system([&](store::Tx& tx) { return password_hash_of(tx, caller.user_id); });
    if (!co_await check_password(ctx, attempt, stored, current.value)) {
        throw Error(Code::validation_failed, "The current password is wrong.",
                    {{"current_password", "is wrong"}});
    }
    ThrottleRule rule = throttle_rule(*ctx.app.config);
    co_await ctx.write_system([&](store::Tx& tx) { release_attempt(tx, rule, attempt); });
    std::string hash = co_await ctx.app.passwords->hash_async(next.value, ctx.resumer());
    co_await ctx.write_system([&](store::Tx& tx) { set_own_password(tx, caller, hash); });
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

Task<http::Response> get_tokens(http::RequestContext& ctx) {
    const Principal& caller = ctx.caller();
    auto params = http::parse_id_list_params(
        ctx.request,
        [](const std::string& name, const std::string&, std::vector<FieldError>& errors) {
            errors.push_back({name, "is not a known query parameter"});
        });
    auto page = ctx.read([&](store::Tx& tx) {
        return list_tokens(tx, caller, params.cursor.value_or(0), params.limit, params.q);
    });
    co_return http::id_page_response(page, [](const TokenRow& t) {
        return json::object{{"id", t.id},
                            {"name", t.name},
                            {"prefix", t.prefix},
                            {"user_id", t.user_id},
                            {"user_email", t.user_email},
                            {"created_at", t.created_at}};
    });
}

Task<http::Response> delete_token(http::RequestContext& ctx) {
    const Principal& caller = ctx.caller();
    int64_t id = ctx.id_param("id");
    bool revoked = co_await ctx.write([&](store::Tx& tx) { return revoke_token(tx, caller, id); });
    if (!revoked) {
        throw Error(Code::not_found, fmt::format("There is no API token {}.", id));
    }
    co_return http::Response::no_content();
}

}  // namespace

void register_routes(http::Router& router, App&) {
    using http::Access;
    using http::Method;
    router.add(Method::post, "/api/auth/login", Access::anyone(),
               [](http::RequestContext& ctx) { return sign_in(ctx, email_form); });
    router.add(Method::post, "/api/auth/client-login", Access::anyone(),
               [](http::RequestContext& ctx) { return sign_in(ctx, username_form); });
    router.add(Method::post, "/api/auth/logout", Access::signed_in(), logout);
    router.add(Method::get, "/api/auth/me", Access::signed_in(), me);
    router.add(Method::post, "/api/auth/change-password", Access::signed_in(), change_password);
    router.add(Method::get, "/api/tokens", Access::signed_in(), get_tokens);
    router.add(Method::del, "/api/tokens/{id}", Access::signed_in(), delete_token);
}

std::optional<Principal> authenticate(http::RequestContext& ctx) {
    const http::Request& request = ctx.request;
    if (auto header = request.header("authorization")) {
        std::string_view value = *header;
        if (value.size() < 7 || !http::iequals(value.substr(0, 7), "bearer ")) {
            return std::nullopt;
        }
        std::string token_hash = hash_secret(trim(value.substr(7)));
        return ctx.read_system([&](store::Tx& tx) { return principal_by_token(tx, token_hash); });
    }
    auto cookie = request.cookie(session_cookie);
    if (!cookie || cookie->empty()) {
        return std::nullopt;
    }
    std::string session_hash = hash_secret(*cookie);
    return ctx.read_system([&](store::Tx& tx) { return principal_by_session(tx, session_hash); });
}

SignInOrigin origin_of(const http::Request& request, std::string_view cookie) {
    SignInOrigin origin{request.remote_address,
                        std::string(request.header("user-agent").value_or("").substr(0, 512)),
                        std::nullopt};
    if (auto previous = request.cookie(cookie)) {
        origin.previous_token = std::string(*previous);
    }
    return origin;
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

http::Response session_response(const Config& config, const Principal& principal,
                                const std::string& token) {
    http::Response response = http::Response::json(
        200, json::object{{"user", user_json(principal)}, {"csrf_token", principal.csrf_token}});
    response.set_header("Set-Cookie",
                        session_cookie_header(config, token, config.session_hours * 3600));
    return response;
}

}  // namespace clientele::auth
