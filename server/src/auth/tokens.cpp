#include "auth/tokens.hpp"

#include <fmt/format.h>

#include <boost/json/object.hpp>

#include "audit/trail.hpp"
#include "core/error.hpp"
#include "core/time.hpp"
#include "http/context.hpp"
#include "http/router.hpp"
#include "store/db.hpp"
#include "users/permissions.hpp"

namespace clientele::auth {

namespace json = boost::json;

namespace sql {
constexpr std::string_view list_tokens =
    "SELECT t.id, t.name, t.prefix, t.user_id, u.email, t.created_at FROM api_tokens t"
    " JOIN users u ON u.tenant_id = t.tenant_id AND u.id = t.user_id"
    " WHERE t.tenant_id = :tenant AND t.revoked_at IS NULL AND t.id > ?";
constexpr std::string_view revoke_any =
    "UPDATE api_tokens SET revoked_at = ? WHERE tenant_id = :tenant AND id = ?"
    " AND revoked_at IS NULL RETURNING name";
constexpr std::string_view revoke_own =
    "UPDATE api_tokens SET revoked_at = ? WHERE tenant_id = :tenant AND id = ?"
    " AND revoked_at IS NULL AND user_id = ? RETURNING name";
constexpr std::string_view revoke_of_user =
    "UPDATE api_tokens SET revoked_at = ? WHERE tenant_id = :tenant AND user_id = ?"
    " AND revoked_at IS NULL";
constexpr std::string_view revoke_of_workspace =
    "UPDATE api_tokens SET revoked_at = ? WHERE tenant_id = ? AND revoked_at IS NULL";
constexpr std::string_view list_all =
    "SELECT t.id, t.tenant_id, u.email, t.name, t.prefix, t.created_at FROM api_tokens t"
    " JOIN users u ON u.id = t.user_id WHERE t.revoked_at IS NULL";
constexpr std::string_view revoke_by_id =
    "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"
    " RETURNING tenant_id, name";
}  // namespace sql

namespace {

struct Token {
    int64_t id = 0;
    std::string name, prefix;
    int64_t user_id = 0;
    std::string user_email, created_at;
};

// Owners and admins (who manage the workspace's people) see and end every token of the
// workspace; everyone else only their own.
bool manages_tokens(const Principal& caller) {
    return role_allows(caller.role, users::perm::manage);
}

Task<http::Response> list_tokens(http::RequestContext& ctx) {
    const Principal& caller = ctx.caller();
    auto params = http::parse_id_list_params(
        ctx.request,
        [](const std::string& name, const std::string&, std::vector<FieldError>& errors) {
            errors.push_back({name, "is not a known query parameter"});
        });
    bool all = manages_tokens(caller);
    std::string text(sql::list_tokens);
    std::vector<std::string> args{std::to_string(params.cursor.value_or(0))};
    if (!all) {
        text += " AND t.user_id = ?";
        args.push_back(std::to_string(caller.user_id));
    }
    if (params.q) {
        text += " AND instr(lower(t.name), ?) > 0";
        args.push_back(*params.q);
    }
    text += " ORDER BY t.id LIMIT ?";
    auto page = ctx.read([&](store::Tx& tx) {
        return store::read_id_page(tx.query(text), args, params.limit, [](const store::Query& q) {
            return Token{q.int64(0), std::string(q.text(1)), std::string(q.text(2)),
                         q.int64(3), std::string(q.text(4)), std::string(q.text(5))};
        });
    });
    co_return http::id_page_response(page, [](const Token& t) {
        return json::object{{"id", t.id},
                            {"name", t.name},
                            {"prefix", t.prefix},
                            {"user_id", t.user_id},
                            {"user_email", t.user_email},
                            {"created_at", t.created_at}};
    });
}

// What the trail shows of a revocation: which token, and when it ended.
void record_revoked(store::Tx& tx, int64_t id, std::string_view name, const std::string& now) {
    audit::record(tx, {"token.revoked", "token", id,
                       audit::diff({{"name", name}}, {{"name", name}, {"revoked_at", now}}, {})});
}

// Revokes the caller's token `id` (any of the workspace's, for those who manage tokens); false
// when there is no such live token.
bool revoke(store::Tx& tx, const Principal& caller, int64_t id) {
    std::string now = now_timestamp();
    auto q = manages_tokens(caller) ? tx.query(sql::revoke_any, now, id)
                                    : tx.query(sql::revoke_own, now, id, caller.user_id);
    if (!q.step()) {
        return false;
    }
    std::string name(q.text(0));
    q.run();
    record_revoked(tx, id, name, now);
    return true;
}

Task<http::Response> delete_token(http::RequestContext& ctx) {
    const Principal& caller = ctx.caller();
    int64_t id = ctx.id_param("id");
    bool revoked = co_await ctx.write([&](store::Tx& tx) { return revoke(tx, caller, id); });
    if (!revoked) {
        throw Error(Code::not_found, fmt::format("There is no API token {}.", id));
    }
    co_return http::Response::no_content();
}

}  // namespace

void register_token_routes(http::Router& router) {
    using http::Access;
    using http::Method;
    router.add(Method::get, "/api/tokens", Access::signed_in(), list_tokens);
    router.add(Method::del, "/api/tokens/{id}", Access::signed_in(), delete_token);
}

void revoke_tokens_of_user(store::Tx& tx, int64_t user_id) {
    tx.exec(sql::revoke_of_user, now_timestamp(), user_id);
}

void revoke_tokens_of_workspace(store::Tx& tx, int64_t workspace_id) {
    tx.exec(sql::revoke_of_workspace, now_timestamp(), workspace_id);
}

std::vector<TokenRow> list_all_tokens(store::Database& db,
                                      const std::optional<std::string>& email) {
    return db.read(std::nullopt, [&](store::Tx& tx) {
        std::string text(sql::list_all);
        if (email) {
            text += " AND u.email = ?";
        }
        text += " ORDER BY t.id";
        auto q = tx.query(text);
        if (email) {
            q.bind(*email);
        }
        std::vector<TokenRow> rows;
        while (q.step()) {
            rows.push_back({q.int64(0), q.int64(1), std::string(q.text(2)), std::string(q.text(3)),
                            std::string(q.text(4)), std::string(q.text(5))});
        }
        return rows;
    });
}

bool revoke_token(store::Database& db, int64_t id) {
    std::string now = now_timestamp();
    return db.write(std::nullopt, [&](store::Tx& tx) {
        auto q = tx.query(sql::revoke_by_id, now, id);
        if (!q.step()) {
            return false;
        }
        int64_t workspace = q.int64(0);
        std::string name(q.text(1));
        q.run();
        store::Tx scoped = tx.workspace(workspace);
        record_revoked(scoped, id, name, now);
        return true;
    });
}

}  // namespace clientele::auth
