#include "auth/service.hpp"

#include <fmt/format.h>

#include <boost/json/object.hpp>

#include "audit/trail.hpp"
#include "auth/crypto.hpp"
#include "auth/password.hpp"
#include "auth/queries.hpp"
#include "auth/throttle.hpp"
#include "auth/tokens.hpp"
#include "core/config.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "store/columns.hpp"

namespace clientele::auth {

namespace json = boost::json;

// The signed-in user's columns of users `u` of the same names (principal_columns).
BOOST_DESCRIBE_STRUCT(Principal, (), (tenant_id, email, name, role, is_platform_admin))

namespace {

// The signed-in user's columns (users `u`); the queries of auth/queries.hpp select one more after
// them (the token's id, the session's CSRF token, the password hash).
const store::Columns<Principal>& principal_columns() {
    using store::field;
    static const auto columns =
        store::described_columns<Principal>("u.")
            .add(field<&Principal::user_id>("u.id"))
            .add(field<&Principal::is_client_login>("u.username IS NOT NULL"));
    return columns;
}

}  // namespace

std::optional<Principal> principal_by_token(store::Tx& tx, const std::string& token_hash) {
    static const std::string text = principal_columns().sql(sql::principal_by_token);
    auto q = tx.query(text, token_hash);
    if (!q.step()) {
        return std::nullopt;
    }
    Principal p = principal_columns().read(q);
    p.via = Principal::Via::token;
    p.token_id = q.int64(principal_columns().width());
    return p;
}

std::optional<Principal> principal_by_session(store::Tx& tx, const std::string& session_hash) {
    static const std::string text = principal_columns().sql(sql::principal_by_session);
    auto q = tx.query(text, session_hash, now_timestamp());
    if (!q.step()) {
        return std::nullopt;
    }
    Principal p = principal_columns().read(q);
    p.via = Principal::Via::session;
    p.session_hash = session_hash;
    p.csrf_token = q.text(principal_columns().width());
    return p;
}

std::optional<SignInCandidate> sign_in_candidate(store::Tx& tx, const std::string& name,
                                                 bool by_username) {
    static const std::string by_email_text = principal_columns().sql(sql::user_for_login);
    static const std::string by_username_text = principal_columns().sql(sql::user_for_client_login);
    auto q = tx.query(by_username ? by_username_text : by_email_text, name);
    if (!q.step()) {
        return std::nullopt;
    }
    int password_column = principal_columns().width();
    return SignInCandidate{principal_columns().read(q), std::string(q.text(password_column))};
}

ThrottleRule throttle_rule(const Config& config) {
    return {config.login_failures_before_lock, config.login_lock_seconds};
}

std::string prepare_session(Principal& principal) {
    std::string token = random_token();
    principal.via = Principal::Via::session;
    principal.session_hash = hash_secret(token);
    principal.csrf_token = random_token();
    return token;
}

void store_session(store::Tx& tx, const Principal& principal, const SignInOrigin& origin,
                   const Config& config) {
    auto now = Clock::now();
    std::string now_text = format_timestamp(now);
    std::string expires = format_timestamp(now + std::chrono::hours(config.session_hours));
    // Rotation: the session the browser held before (if any) ends with this sign-in.
    if (origin.previous_token) {
        tx.exec(sql::delete_session, hash_secret(*origin.previous_token));
    }
    tx.exec(sql::delete_expired_sessions_of_user, principal.user_id, now_text);
    tx.exec(sql::insert_session, principal.session_hash, principal.tenant_id, principal.user_id,
            principal.csrf_token, now_text, expires, origin.remote_address, origin.user_agent);
    tx.exec(sql::record_login, now_text, principal.user_id);
    // The account the password (or the invitation) proved is who acts from here on.
    audit::act_as(tx, audit::actor_of(principal));
    audit::record_in(tx, principal.tenant_id, {"auth.sign_in", "user", principal.user_id, {}});
}

void end_session(store::Tx& tx, const Principal& caller) {
    tx.exec(sql::delete_session, caller.session_hash);
    audit::record_in(tx, caller.tenant_id, {"auth.sign_out", "user", caller.user_id, {}});
}

std::optional<std::string> password_hash_of(store::Tx& tx, int64_t user_id) {
    auto q = tx.query(sql::password_hash_of_user, user_id);
    return q.step() ? std::optional<std::string>(q.text(0)) : std::nullopt;
}

void set_own_password(store::Tx& tx, const Principal& caller, const std::string& hash) {
    tx.exec(sql::set_password, hash, now_timestamp(), caller.user_id);
    tx.exec(sql::revoke_other_sessions_of_user, caller.user_id, caller.session_hash);
    // A token may have leaked with the old password: every one of the user's ends.
    store::Tx workspace = tx.workspace(caller.tenant_id);
    revoke_tokens_of_user(workspace, caller.user_id);
    audit::record(workspace, {"user.password_changed", "user", caller.user_id, {}});
}

void record_failed_sign_in(store::Tx& tx, int64_t workspace, std::string_view entity,
                           std::optional<int64_t> id, const std::string& tried) {
    audit::act_as(tx, {"anonymous", std::nullopt, tried});
    audit::record_in(tx, workspace, {"auth.sign_in_failed", entity, id, {}});
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
        return password_hash_of(tx, q.int64(0)).value_or("");
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
