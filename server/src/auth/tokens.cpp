#include "auth/tokens.hpp"

#include <boost/json/object.hpp>

#include "audit/trail.hpp"
#include "core/error.hpp"
#include "core/time.hpp"
#include "store/columns.hpp"
#include "users/permissions.hpp"

namespace clientele::auth {

namespace json = boost::json;

namespace sql {
// {columns}: token_columns.
constexpr std::string_view list_tokens =
    "SELECT {columns} FROM api_tokens t"
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
    "SELECT {columns} FROM api_tokens t"
    " JOIN users u ON u.id = t.user_id WHERE t.revoked_at IS NULL";
constexpr std::string_view revoke_by_id =
    "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"
    " RETURNING tenant_id, name";
}  // namespace sql

// A token's columns of api_tokens `t` (token_columns), its user's e-mail from users `u`.
BOOST_DESCRIBE_STRUCT(TokenRow, (), (id, tenant_id, user_id, name, prefix, created_at))

namespace {

const store::Columns<TokenRow>& token_columns() {
    static const auto columns = store::described_columns<TokenRow>("t.").add(
        store::field<&TokenRow::user_email>("u.email"));
    return columns;
}

// Owners and admins (who manage the workspace's people) see and end every token of the
// workspace; everyone else only their own.
bool manages_tokens(const Principal& caller) {
    return role_allows(caller.role, users::perm::manage);
}

// What the trail shows of a revocation: which token, and when it ended.
void record_revoked(store::Tx& tx, int64_t id, std::string_view name, const std::string& now) {
    audit::record(tx, {"token.revoked", "token", id,
                       audit::diff({{"name", name}}, {{"name", name}, {"revoked_at", now}}, {})});
}

}  // namespace

store::IdPage<TokenRow> list_tokens(store::Tx& tx, const Principal& caller, int64_t after,
                                    int limit, const std::optional<std::string>& q) {
    std::string text = token_columns().sql(sql::list_tokens);
    std::vector<std::string> args{std::to_string(after)};
    if (!manages_tokens(caller)) {
        text += " AND t.user_id = ?";
        args.push_back(std::to_string(caller.user_id));
    }
    if (q) {
        text += " AND instr(lower(t.name), ?) > 0";
        args.push_back(*q);
    }
    text += " ORDER BY t.id LIMIT ?";
    return store::read_id_page(tx.query(text), args, limit, token_columns());
}

bool revoke_token(store::Tx& tx, const Principal& caller, int64_t id) {
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

void revoke_tokens_of_user(store::Tx& tx, int64_t user_id) {
    tx.exec(sql::revoke_of_user, now_timestamp(), user_id);
}

void revoke_tokens_of_workspace(store::Tx& tx, int64_t workspace_id) {
    tx.exec(sql::revoke_of_workspace, now_timestamp(), workspace_id);
}

std::vector<TokenRow> list_all_tokens(store::Database& db,
                                      const std::optional<std::string>& email) {
    return db.read(std::nullopt, [&](store::Tx& tx) {
        std::string text = token_columns().sql(sql::list_all);
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
            rows.push_back(token_columns().read(q));
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
