#include "portal/routes.hpp"

#include <fmt/format.h>

#include <boost/json/object.hpp>

#include "audit/trail.hpp"
#include "auth/crypto.hpp"
#include "auth/password.hpp"
#include "auth/password_policy.hpp"
#include "auth/routes.hpp"
#include "auth/throttle.hpp"
#include "core/config.hpp"
#include "core/formats.hpp"
#include "core/json_input.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "customers/permissions.hpp"
#include "customers/service.hpp"
#include "http/context.hpp"
#include "http/router.hpp"
#include "portal/purchases.hpp"
#include "portal/service.hpp"
#include "store/db.hpp"

namespace clientele::portal {

namespace json = boost::json;
using auth::Principal;
using http::RequestContext;
using http::Response;

namespace {

// An invitation link is good for a week, as a staff invitation is.
constexpr auto invitation_lifetime = std::chrono::hours(24 * 7);

int64_t require_workspace(const RequestContext& ctx) {
    std::string slug(ctx.param("workspace"));
    auto workspace = ctx.read_system([&](store::Tx& tx) { return workspace_of(tx, slug); });
    if (!workspace) {
        throw Error(Code::not_found, "There is no customer portal at this address.");
    }
    return *workspace;
}

// A new password and its confirmation, checked by the password policy.
struct NewPassword {
    Input<std::string> password, confirmation;
};
NewPassword read_new_password(ObjectReader& in, std::string_view field,
                              std::string_view confirmation_field) {
    NewPassword p;
    p.password = in.string(field, {.min = 1, .max = 4096, .nullable = false, .trim = false});
    p.confirmation =
        in.string(confirmation_field, {.min = 1, .max = 4096, .nullable = false, .trim = false});
    return p;
}
void check_new_password(ObjectReader& in, const NewPassword& p, std::string_view field,
                        std::string_view confirmation_field) {
    if (!p.password.present) {
        in.fail(field, "is required");
    } else if (auto problem = auth::password_problem(p.password.value)) {
        in.fail(field, *problem);
    }
    if (!p.confirmation.present) {
        in.fail(confirmation_field, "is required");
    } else if (p.password.has_value() && p.confirmation.value != p.password.value) {
        in.fail(confirmation_field, "does not match the password");
    }
}

customers::Customer require_customer(store::Tx& tx, int64_t id) {
    auto c = customers::find(tx, id);
    if (!c) {
        throw Error(Code::not_found, "This portal account no longer exists.");
    }
    return *c;
}

// POST /api/portal/{workspace}/register: seed 000's "Register" form. The customer is created with
// portal access and signed in.
Task<Response> register_account(RequestContext& ctx) {
    int64_t workspace = require_workspace(ctx);
    std::vector<FieldError> errors;
    json::object body = ctx.json_body();
    ObjectReader in(body, "", errors);
    auto name = in.string("name", {.min = 1, .max = 200, .nullable = false});
    auto email = in.string("email", {.min = 1, .max = 254, .nullable = false});
    NewPassword password = read_new_password(in, "password", "password_confirmation");
    in.finish();
    in.require("name", name);
    if (!email.present) {
        in.fail("email", "is required");
    } else if (email.has_value() && !is_valid_email(email.value)) {
        in.fail("email", "must be a valid email address");
    }
    check_new_password(in, password, "password", "password_confirmation");
    throw_if_invalid(errors);

    // Counted before the hash: each registration costs a hash and yields a success that
    // password guessing must not profit from, so an address gets only so many.
    const Config& config = *ctx.app.config;
    std::string rate_key = "portal-register:" + ctx.request.remote_address;
    auto wait = co_await ctx.write_system([&](store::Tx& tx) {
        return auth::take_rate_slot(tx, rate_key, config.portal_registrations_per_hour,
                                    std::chrono::hours(1));
    });
    if (wait) {
        throw Error(Code::too_many_requests,
                    fmt::format("Too many registrations from this address; try again in {} "
                                "seconds.",
                                *wait))
            .with_retry_after(*wait);
    }
    std::string hash =
        co_await ctx.app.passwords->hash_async(password.password.value, ctx.resumer());
    customers::CustomerChanges changes;
    changes.name = {true, false, name.value};
    changes.email = {true, false, ascii_lower(email.value)};
    Principal principal;
    principal.tenant_id = workspace;
    std::string token = portal::prepare_session(principal);
    customers::Customer customer = co_await ctx.write_in(workspace, [&](store::Tx& tx) {
        customers::Customer made;
        try {
            made = customers::create_unrecorded(tx, changes, 0, "portal");
        } catch (const Error& e) {
            if (e.code() != Code::conflict) {
                throw;
            }
            // The address belongs to a customer already: only an invitation gives that record a
            // password, or anyone could take over a customer's data by registering their e-mail.
            throw Error(Code::conflict,
                        "This e-mail address cannot be registered here. If you are already a "
                        "customer, ask for an invitation to the portal.",
                        {{"email", "is already registered"}});
        }
        grant_access(tx, made.id, hash);
        principal.customer_id = made.id;
        principal.name = made.name;
        // The new customer signed themselves up: the entry names them, with their access.
        audit::act_as(tx, audit::actor_of(principal));
        customers::record_created(tx, "customer.registered", require_customer(tx, made.id));
        store_session(tx, principal, ctx.request, config.session_hours);
        return require_customer(tx, made.id);
    });
    co_return session_response(ctx, principal, customer, token, 201);
}

// POST /api/portal/{workspace}/login: throttled like the staff sign-in; an unknown e-mail, an
// admin-created customer without access and a wrong password get the same answer and time.
Task<Response> login(RequestContext& ctx) {
    int64_t workspace = require_workspace(ctx);
    std::vector<FieldError> errors;
    json::object body = ctx.json_body();
    ObjectReader in(body, "", errors);
    auto email = in.string("email", {.min = 1, .max = 254, .nullable = false});
    auto password =
        in.string("password", {.min = 1, .max = 4096, .nullable = false, .trim = false});
    in.finish();
    in.require("email", email);
    in.require("password", password);
    throw_if_invalid(errors);

    std::string wanted = ascii_lower(email.value);
    std::string account = fmt::format("portal:{}:{}", workspace, wanted);
    auth::Attempt attempt = co_await auth::throttled(ctx, account);
    auto found = ctx.read_in(
        workspace, [&](store::Tx& tx) { return customers::portal_account_by_email(tx, wanted); });
    std::optional<std::string> stored;
    if (found && !found->password_hash.empty()) {
        stored = found->password_hash;
    }
    if (!co_await auth::check_password(ctx, attempt, stored, password.value)) {
        // In the portal's workspace: the name tried is one of its customers' or none.
        std::optional<int64_t> known;
        if (found) {
            known = found->customer_id;
        }
        co_await ctx.write_system([&](store::Tx& tx) {
            auth::record_failed_sign_in(tx, workspace, "customer", known, wanted);
        });
        throw Error(Code::invalid_credentials, "The e-mail or the password is wrong.");
    }
    const Config& config = *ctx.app.config;
    Principal principal;
    principal.tenant_id = workspace;
    principal.customer_id = found->customer_id;
    principal.email = wanted;
    std::string token = portal::prepare_session(principal);
    customers::Customer customer = co_await ctx.write_system([&](store::Tx& tx) {
        store::Tx scoped = tx.workspace(workspace);
        principal.name = require_customer(scoped, principal.customer_id).name;
        store_session(tx, principal, ctx.request, config.session_hours);
        auth::release_attempt(tx, auth::throttle_rule(config), attempt);
        return require_customer(scoped, principal.customer_id);
    });
    co_return session_response(ctx, principal, customer, token, 200);
}

Task<Response> logout(RequestContext& ctx) {
    const Principal& caller = ctx.caller();
    co_await ctx.write_system([&](store::Tx& tx) {
        tx.exec("DELETE FROM portal_sessions WHERE token_hash = ?", caller.session_hash);
        audit::record_in(tx, caller.tenant_id,
                         {"auth.sign_out", "customer", caller.customer_id, {}});
    });
    Response response = Response::no_content();
    response.set_header("Set-Cookie", clear_cookie(ctx, ctx.param("workspace")));
    co_return response;
}

// What a signed-out visitor's page needs: whether the portal exists, and whose it is.
Task<Response> portal_info(RequestContext& ctx) {
    std::string slug(ctx.param("workspace"));
    auto name = ctx.read_system([&](store::Tx& tx) -> std::optional<std::string> {
        auto q = tx.query("SELECT name FROM tenants WHERE slug = ? AND is_active = 1", slug);
        return q.step() ? std::optional<std::string>(q.text(0)) : std::nullopt;
    });
    if (!name) {
        throw Error(Code::not_found, "There is no customer portal at this address.");
    }
    co_return Response::json(200, json::object{{"workspace", slug}, {"name", *name}});
}

Task<Response> me(RequestContext& ctx) {
    const Principal& caller = ctx.caller();
    customers::Customer c =
        ctx.read([&](store::Tx& tx) { return require_customer(tx, caller.customer_id); });
    Response response = Response::json(
        200, json::object{{"customer", portal_json(c)}, {"csrf_token", caller.csrf_token}});
    response.set_header("ETag", http::etag(c.version));
    co_return response;
}

// A customer edits their own profile: the personal fields only, never what the business keeps
// about them (tags, notes, responsible, reference...).
Task<Response> update_me(RequestContext& ctx) {
    const Principal& caller = ctx.caller();
    json::object body = ctx.json_body(true);
    std::vector<FieldError> errors;
    static constexpr std::array<std::string_view, 10> editable{
        "name",   "first_name", "last_name", "email",  "phone",
        "mobile", "birthdate",  "gender",    "locale", "address"};
    for (const auto& member : body) {
        if (std::find(editable.begin(), editable.end(), member.key()) == editable.end()) {
            errors.push_back({std::string(member.key()), "cannot be changed from the portal"});
        }
    }
    throw_if_invalid(errors);
    auto changes = customers::parse_changes(body, customers::WriteMode::merge);
    auto expected = ctx.if_match_version();
    customers::Customer c = co_await ctx.write([&](store::Tx& tx) {
        return customers::update(tx, caller.customer_id, changes, customers::WriteMode::merge,
                                 expected);
    });
    Response response = Response::json(
        200,
        json::object{{"message", "Profile updated successfully."}, {"customer", portal_json(c)}});
    response.set_header("ETag", http::etag(c.version));
    co_return response;
}

Task<Response> change_password(RequestContext& ctx) {
    const Principal& caller = ctx.caller();
    std::vector<FieldError> errors;
    json::object body = ctx.json_body();
    ObjectReader in(body, "", errors);
    auto current =
        in.string("current_password", {.min = 1, .max = 4096, .nullable = false, .trim = false});
    NewPassword next = read_new_password(in, "new_password", "new_password_confirmation");
    in.finish();
    in.require("current_password", current);
    check_new_password(in, next, "new_password", "new_password_confirmation");
    throw_if_invalid(errors);

    // Guessing the current password with a stolen session is throttled like signing in.
    std::string account =
        fmt::format("portal-customer:{}:{}", caller.tenant_id, caller.customer_id);
    auth::Attempt attempt = co_await auth::throttled(ctx, account);
    auto stored = ctx.read(
        [&](store::Tx& tx) { return customers::portal_password_hash(tx, caller.customer_id); });
    if (!co_await auth::check_password(ctx, attempt, stored, current.value)) {
        throw Error(Code::validation_failed, "The current password is wrong.",
                    {{"current_password", "is wrong"}});
    }
    auth::ThrottleRule rule = auth::throttle_rule(*ctx.app.config);
    co_await ctx.write_system([&](store::Tx& tx) { auth::release_attempt(tx, rule, attempt); });
    std::string hash = co_await ctx.app.passwords->hash_async(next.password.value, ctx.resumer());
    co_await ctx.write([&](store::Tx& tx) {
        grant_access(tx, caller.customer_id, hash);
        // Every other portal session of the customer ends; this one stays.
        tx.exec(
            "DELETE FROM portal_sessions WHERE tenant_id = :tenant AND customer_id = ?"
            " AND token_hash <> ?",
            caller.customer_id, caller.session_hash);
        // That it changed, never the password or its hash.
        audit::record(tx, {"customer.password_changed", "customer", caller.customer_id, {}});
    });
    co_return Response::message(200, "Password changed successfully.");
}

// POST /api/portal/{workspace}/accept-invitation: the link the admin sent gives the customer a
// password and signs them in.
Task<Response> accept_invitation(RequestContext& ctx) {
    int64_t workspace = require_workspace(ctx);
    std::vector<FieldError> errors;
    json::object body = ctx.json_body();
    ObjectReader in(body, "", errors);
    auto token = in.string("token", {.min = 1, .max = 200, .nullable = false});
    NewPassword password = read_new_password(in, "password", "password_confirmation");
    in.finish();
    in.require("token", token);
    check_new_password(in, password, "password", "password_confirmation");
    throw_if_invalid(errors);

    auto gone = [] {
        return Error(Code::not_found,
                     "This invitation link is not valid any more (used, withdrawn or expired); "
                     "ask for a new one.");
    };
    std::string token_hash = auth::hash_secret(token.value);
    // An open invitation of a live customer.
    auto open_invitation = [&](store::Tx& tx) -> std::optional<int64_t> {
        auto q = tx.query(
            "SELECT customer_id FROM portal_invitations WHERE tenant_id = :tenant"
            " AND token_hash = ? AND expires_at > ?",
            token_hash, now_timestamp());
        if (!q.step()) {
            return std::nullopt;
        }
        int64_t customer_id = q.int64(0);
        return customers::find(tx, customer_id) ? std::optional<int64_t>(customer_id)
                                                : std::nullopt;
    };
    if (!ctx.read_in(workspace, open_invitation)) {
        throw gone();
    }
    std::string hash =
        co_await ctx.app.passwords->hash_async(password.password.value, ctx.resumer());
    Principal principal;
    principal.tenant_id = workspace;
    std::string session_token = portal::prepare_session(principal);
    const Config& config = *ctx.app.config;
    auto customer =
        co_await ctx.write_in(workspace, [&](store::Tx& tx) -> std::optional<customers::Customer> {
            auto customer_id = open_invitation(tx);
            if (!customer_id) {
                return std::nullopt;
            }
            customers::Customer before = require_customer(tx, *customer_id);
            grant_access(tx, *customer_id, hash);
            principal.customer_id = *customer_id;
            principal.name = before.name;
            // The customer, proven by the link, accepted it.
            audit::act_as(tx, audit::actor_of(principal));
            customers::record_change(tx, "customer.portal_joined", before,
                                     require_customer(tx, *customer_id));
            store_session(tx, principal, ctx.request, config.session_hours);
            return require_customer(tx, *customer_id);
        });
    if (!customer) {
        throw gone();
    }
    co_return session_response(ctx, principal, *customer, session_token, 200);
}

// ---------------------------------------------------------------------------------------------
// The admin's side.

// POST /api/customers/{id}/portal-invitation: a one-time link that lets an admin-created customer
// choose a password. Until messaging sends it, the link is shown to the admin.
Task<Response> invite(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    std::string token = auth::random_token();
    std::string token_hash = auth::hash_secret(token);
    std::string expires = format_timestamp(Clock::now() + invitation_lifetime);
    int64_t user = ctx.caller().user_id;
    // The link is built in the transaction: a Host it may not name undoes the invitation.
    std::string url = co_await ctx.write([&](store::Tx& tx) {
        customers::Customer c = require_customer(tx, id);
        if (c.portal_access) {
            throw Error(Code::conflict, "This customer has portal access already.");
        }
        if (!c.email) {
            throw Error(Code::conflict,
                        "This customer has no e-mail address, which the portal signs in with; "
                        "add one first.");
        }
        std::string now = now_timestamp();
        tx.exec(
            "INSERT INTO portal_invitations (tenant_id, customer_id, token_hash, created_by,"
            " created_at, expires_at) VALUES (:tenant, ?, ?, ?, ?, ?)"
            " ON CONFLICT (tenant_id, customer_id) DO UPDATE SET token_hash = excluded.token_hash,"
            " created_by = excluded.created_by, created_at = excluded.created_at,"
            " expires_at = excluded.expires_at",
            id, token_hash, user, now, expires);
        // That a link was made and until when, never the link's token.
        audit::record(tx, {"customer.portal_invited", "customer", id,
                           audit::diff({}, {{"invitation_expires_at", expires}}, {})});
        auto q = tx.query("SELECT slug FROM tenants WHERE id = :tenant");
        q.step();
        return fmt::format("{}/portal/{}/invitation#token={}", http::public_origin(ctx), q.text(0),
                           token);
    });
    co_return Response::json(200,
                             json::object{{"url", url}, {"token", token}, {"expires_at", expires}});
}

Task<Response> revoke(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    co_await ctx.write([&](store::Tx& tx) { revoke_access(tx, require_customer(tx, id)); });
    co_return Response::message(200, "Portal access removed.");
}

}  // namespace

void register_routes(http::Router& router, App&) {
    using http::Access;
    using http::Method;
    const std::string base = "/api/portal/{workspace}";
    const Access customer = Access::portal_customer();
    router.add(Method::get, base, Access::anyone(), portal_info);
    router.add(Method::post, base + "/register", Access::anyone(), register_account);
    router.add(Method::post, base + "/login", Access::anyone(), login);
    router.add(Method::post, base + "/accept-invitation", Access::anyone(), accept_invitation);
    router.add(Method::post, base + "/logout", customer, logout);
    router.add(Method::get, base + "/me", customer, me);
    router.add(Method::patch, base + "/me", customer, update_me);
    router.add(Method::post, base + "/change-password", customer, change_password);
    router.add(Method::post, "/api/customers/{id}/portal-invitation", customers::perm::write,
               invite);
    router.add(Method::del, "/api/customers/{id}/portal-access", customers::perm::write, revoke);
    register_purchase_routes(router);
}

}  // namespace clientele::portal
