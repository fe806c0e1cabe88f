#include "users/routes.hpp"

#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "area.hpp"
#include "auth/password.hpp"
#include "auth/password_policy.hpp"
#include "auth/routes.hpp"
#include "core/config.hpp"
#include "core/json_input.hpp"
#include "core/text.hpp"
#include "http/context.hpp"
#include "http/idempotency.hpp"
#include "http/router.hpp"
#include "store/db.hpp"
#include "users/permissions.hpp"
#include "users/service.hpp"

namespace clientele::users {

namespace json = boost::json;
using http::RequestContext;
using http::Response;
using http::with_etag;

namespace {

// The user with their invitation link: the only answers that ever show it.
json::object with_invitation(const RequestContext& ctx, const User& user,
                             const InvitationSecret& secret) {
    json::object body = to_json(user);
    // The token travels in the fragment: browsers never send it on, so it stays out of server
    // logs and Referer headers.
    body["invitation"] = json::object{
        {"url", fmt::format("{}/invitation#token={}", http::public_origin(ctx), secret.token)},
        {"token", secret.token},
        {"expires_at", secret.expires_at}};
    return body;
}

// What an Idempotency-Key replay of an invitation shows: the user, not the link (shown once).
std::string without_link(const std::string& body) {
    json::value reply = json::parse(body);
    reply.as_object()["invitation"] =
        json::object{{"url", nullptr},
                     {"token", nullptr},
                     {"message", "The link was shown in the first answer only; send a new one."}};
    return json::serialize(reply);
}

Task<Response> list_roles(RequestContext&) {
    json::array roles;
    for (auth::Role role : auth::roles) {
        json::array allowed;
        for (const auth::Permission* permission : all_permissions()) {
            if (auth::role_allows(role, *permission)) {
                allowed.push_back(json::string(permission->name));
            }
        }
        roles.push_back(json::object{{"name", auth::role_name(role)},
                                     {"description", auth::role_description(role)},
                                     {"permissions", std::move(allowed)}});
    }
    json::array permissions;
    for (const auth::Permission* permission : all_permissions()) {
        permissions.push_back(
            json::object{{"name", permission->name}, {"description", permission->description}});
    }
    co_return Response::json(
        200, json::object{{"data", std::move(roles)}, {"permissions", std::move(permissions)}});
}

Task<Response> list_users(RequestContext& ctx) {
    UserFilter filter;
    auto params = http::parse_id_list_params(
        ctx.request,
        [&](const std::string& name, const std::string& value, std::vector<FieldError>& errors) {
            if (name == "role") {
                filter.role = auth::parse_role(value);
                if (!filter.role)
                    errors.push_back({"role",
                                      "must be one of owner, admin, sales, support, "
                                      "marketing, viewer"});
            } else if (name == "status") {
                filter.status = parse_status(value);
                if (!filter.status)
                    errors.push_back({"status", "must be active, invited or deactivated"});
            } else {
                errors.push_back({name, "is not a known query parameter"});
            }
        });
    filter.q = params.q;
    auto page = ctx.read(
        [&](store::Tx& tx) { return list(tx, filter, params.limit, params.cursor.value_or(0)); });
    co_return http::id_page_response(page, [](const User& u) { return to_json(u); });
}

Task<Response> get_user(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    auto user = ctx.read([&](store::Tx& tx) { return find(tx, id); });
    if (!user) {
        throw Error(Code::not_found, fmt::format("There is no user {}.", id));
    }
    co_return with_etag(Response::json(200, to_json(*user)), user->version);
}

Task<Response> invite_user(RequestContext& ctx) {
    Invitee invitee = parse_invitee(ctx.json_body());
    InvitationSecret secret = new_invitation_secret();
    const auth::Principal& actor = ctx.caller();
    co_return co_await http::idempotent_create(
        ctx,
        [&](store::Tx& tx) {
            User user = invite(tx, invitee, actor, secret);
            Response response =
                with_etag(Response::json(201, with_invitation(ctx, user, secret)), user.version);
            response.set_header("Location", fmt::format("/api/users/{}", user.id));
            return response;
        },
        without_link);
}

Task<Response> send_new_invitation(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    InvitationSecret secret = new_invitation_secret();
    const auth::Principal& actor = ctx.caller();
    // The link is built in the transaction: a Host it may not name undoes the new invitation.
    json::object body = co_await ctx.write([&](store::Tx& tx) {
        return with_invitation(ctx, reinvite(tx, id, actor, secret), secret);
    });
    co_return Response::json(200, body);
}

Task<Response> update_user(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    UserChanges changes = parse_changes(ctx.json_body(true));
    auto expected = ctx.if_match_version();
    const auth::Principal& actor = ctx.caller();
    User user =
        co_await ctx.write([&](store::Tx& tx) { return update(tx, id, changes, actor, expected); });
    co_return with_etag(Response::json(200, json::object{{"message", "User updated successfully."},
                                                         {"user", to_json(user)}}),
                        user.version);
}

Task<Response> remove_user(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    auto expected = ctx.if_match_version();
    const auth::Principal& actor = ctx.caller();
    co_await ctx.write([&](store::Tx& tx) { remove(tx, id, actor, expected); });
    co_return Response::message(200, "User removed successfully.");
}

// Accepting an invitation: the token proves the invitee, who chooses a password and is signed in.
Task<Response> accept(RequestContext& ctx) {
    std::vector<FieldError> errors;
    json::object body = ctx.json_body();
    ObjectReader in(body, "", errors);
    auto token = in.string("token", {.min = 1, .max = 200, .nullable = false});
    auto password =
        in.string("password", {.min = 1, .max = 4096, .nullable = false, .trim = false});
    auto name = in.string("name", {.max = 200, .nullable = false});
    in.finish();
    in.require("token", token);
    if (!password.present) {
        in.fail("password", "is required");
    } else if (auto problem = auth::password_problem(password.value)) {
        in.fail("password", *problem);
    }
    throw_if_invalid(errors);

    auto gone = [] {
        return Error(Code::not_found,
                     "This invitation link is not valid any more (used, withdrawn or expired); "
                     "ask for a new one.");
    };
    auto invitation =
        ctx.read_system([&](store::Tx& tx) { return find_invitation(tx, token.value); });
    if (!invitation) {
        throw gone();
    }
    std::string hash = co_await ctx.app.passwords->hash_async(password.value, ctx.resumer());
    std::string chosen_name =
        name.has_value() && !name.value.empty() ? name.value : invitation->name;
    auth::Principal principal;
    principal.user_id = invitation->user_id;
    principal.tenant_id = invitation->tenant_id;
    principal.email = invitation->email;
    principal.name = chosen_name;
    principal.role = invitation->role;
    std::string session_token = auth::prepare_session(principal);
    const Config& config = *ctx.app.config;
    auth::SignInOrigin origin = auth::origin_of(ctx.request, auth::session_cookie);
    bool accepted = co_await ctx.write_system([&](store::Tx& tx) {
        if (!accept_invitation(tx, token.value, *invitation, hash, chosen_name)) {
            return false;
        }
        auth::store_session(tx, principal, origin, config);
        return true;
    });
    if (!accepted) {
        throw gone();
    }
    co_return auth::session_response(config, principal, session_token);
}

}  // namespace

void register_routes(http::Router& router, App&) {
    using http::Access;
    using http::Method;
    router.add(Method::get, "/api/roles", Access::signed_in(), list_roles);
    router.add(Method::get, "/api/users", perm::read, list_users);
    router.add(Method::post, "/api/users", perm::manage, invite_user);
    router.add(Method::get, "/api/users/{id}", perm::read, get_user);
    router.add(Method::patch, "/api/users/{id}", perm::manage, update_user);
    router.add(Method::del, "/api/users/{id}", perm::manage, remove_user);
    router.add(Method::post, "/api/users/{id}/invitation", perm::manage, send_new_invitation);
    router.add(Method::post, "/api/auth/accept-invitation", Access::anyone(), accept);
}

}  // namespace clientele::users
