#include "portal/service.hpp"

#include <fmt/format.h>

#include <chrono>

#include "audit/trail.hpp"
#include "auth/crypto.hpp"
#include "core/config.hpp"
#include "core/json_output.hpp"
#include "core/time.hpp"
#include "customers/service.hpp"
#include "http/context.hpp"
#include "store/db.hpp"

namespace clientele::portal {

namespace json = boost::json;
using auth::Principal;

namespace sql {
constexpr std::string_view workspace_by_slug =
    "SELECT id FROM tenants WHERE slug = ? AND is_active = 1";
constexpr std::string_view session_by_hash =
    "SELECT s.tenant_id, s.customer_id, s.csrf_token FROM portal_sessions s"
    " JOIN tenants w ON w.id = s.tenant_id"
    " WHERE s.token_hash = ? AND s.expires_at > ? AND w.slug = ? AND w.is_active = 1";
constexpr std::string_view delete_session = "DELETE FROM portal_sessions WHERE token_hash = ?";
constexpr std::string_view delete_expired_sessions =
    "DELETE FROM portal_sessions WHERE tenant_id = :tenant AND customer_id = ? AND expires_at <= ?";
constexpr std::string_view insert_session =
    "INSERT INTO portal_sessions (token_hash, tenant_id, customer_id, csrf_token, created_at,"
    " expires_at, remote_address, user_agent) VALUES (?, :tenant, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view delete_sessions_of =
    "DELETE FROM portal_sessions WHERE tenant_id = :tenant AND customer_id = ?";
constexpr std::string_view delete_invitations_of =
    "DELETE FROM portal_invitations WHERE tenant_id = :tenant AND customer_id = ?";
}  // namespace sql

namespace {
std::string cookie_header(const Config& config, std::string_view slug, std::string_view value,
                          int max_age) {
    // The cookie goes only to this workspace's portal API: one browser may be signed in to the
    // portals of several shops, each with its own session.
    return fmt::format("{}={}; Path=/api/portal/{}; Max-Age={}; HttpOnly; SameSite=Lax{}",
                       portal_cookie, value, slug, max_age,
                       config.secure_cookies ? "; Secure" : "");
}
}  // namespace

std::optional<int64_t> workspace_of(store::Tx& tx, std::string_view slug) {
    auto q = tx.query(sql::workspace_by_slug, std::string(slug));
    if (!q.step()) {
        return std::nullopt;
    }
    return q.int64(0);
}

std::optional<Principal> authenticate(http::RequestContext& ctx) {
    auto cookie = ctx.request.cookie(portal_cookie);
    if (!cookie || cookie->empty()) {
        return std::nullopt;
    }
    std::string session_hash = auth::hash_secret(*cookie);
    std::string slug(ctx.param("workspace"));
    std::string now = now_timestamp();
    return ctx.read_system([&](store::Tx& tx) -> std::optional<Principal> {
        auto q = tx.query(sql::session_by_hash, session_hash, now, slug);
        if (!q.step()) {
            return std::nullopt;
        }
        Principal p;
        p.tenant_id = q.int64(0);
        p.customer_id = q.int64(1);
        p.csrf_token = q.text(2);
        // The customer, in the same snapshot: still live and still with access.
        store::Tx workspace = tx.workspace(p.tenant_id);
        auto member = customers::portal_member(workspace, p.customer_id);
        if (!member) {
            return std::nullopt;
        }
        p.name = std::move(member->name);
        p.email = std::move(member->email);
        p.via = Principal::Via::portal_session;
        p.session_hash = session_hash;
        return p;
    });
}

json::object portal_json(const customers::Customer& c) {
    json::object full = customers::to_json(c, false);
    json::object out;
    for (auto key :
         {"id", "account_type", "name", "first_name", "last_name", "email", "phone", "mobile",
          "birthdate", "gender", "locale", "address", "job_title", "loyalty_points", "loyalty_tier",
          "portal_last_login", "version", "created_at"}) {
        out[key] = full.at(key);
    }
    out["company"] = c.company ? json::value(c.company->name) : json::value(nullptr);
    return out;
}

std::string prepare_session(Principal& principal) {
    std::string token = auth::random_token();
    principal.via = Principal::Via::portal_session;
    principal.session_hash = auth::hash_secret(token);
    principal.csrf_token = auth::random_token();
    return token;
}

void store_session(store::Tx& tx, const Principal& principal, const http::Request& request,
                   int session_hours) {
    store::Tx workspace = tx.workspace(principal.tenant_id);
    auto now = Clock::now();
    std::string now_text = format_timestamp(now);
    if (auto previous = request.cookie(portal_cookie)) {
        tx.system().exec(sql::delete_session, auth::hash_secret(*previous));
    }
    workspace.exec(sql::delete_expired_sessions, principal.customer_id, now_text);
    workspace.exec(
        sql::insert_session, principal.session_hash, principal.customer_id, principal.csrf_token,
        now_text, format_timestamp(now + std::chrono::hours(session_hours)), request.remote_address,
        std::string(request.header("user-agent").value_or("").substr(0, 512)));
    customers::record_portal_sign_in(workspace, principal.customer_id, now_text);
    // The customer the password (or the invitation) proved is who acts from here on.
    audit::act_as(tx, audit::actor_of(principal));
    audit::record(workspace, {"auth.sign_in", "customer", principal.customer_id, {}});
}

http::Response session_response(const http::RequestContext& ctx, const Principal& principal,
                                const customers::Customer& customer, const std::string& token,
                                int status) {
    const Config& config = *ctx.app.config;
    http::Response response = http::Response::json(
        status,
        json::object{{"customer", portal_json(customer)}, {"csrf_token", principal.csrf_token}});
    response.set_header("Set-Cookie", cookie_header(config, ctx.param("workspace"), token,
                                                    config.session_hours * 3600));
    return response;
}

std::string clear_cookie(const http::RequestContext& ctx, std::string_view slug) {
    return cookie_header(*ctx.app.config, slug, "", 0);
}

void grant_access(store::Tx& tx, int64_t customer_id, const std::string& password_hash) {
    customers::set_portal_password(tx, customer_id, password_hash);
    tx.exec(sql::delete_invitations_of, customer_id);
}

void revoke_access(store::Tx& tx, const customers::Customer& customer) {
    customers::clear_portal_access(tx, customer.id);
    tx.exec(sql::delete_sessions_of, customer.id);
    tx.exec(sql::delete_invitations_of, customer.id);
    if (auto after = customers::find(tx, customer.id)) {
        customers::record_change(tx, "customer.portal_access_revoked", customer, *after);
    }
}

}  // namespace clientele::portal
