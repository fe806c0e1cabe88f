// The SQL of the auth area. Users, sessions and tokens are platform tables: looked up before the
// workspace is known, so they run in system transactions.
#pragma once

#include <string_view>

namespace clientele::auth::sql {

// {columns}: the signed-in user's (auth/service.cpp's principal_columns), then one more.
inline constexpr std::string_view principal_by_token =
    "SELECT {columns}, t.id FROM api_tokens t JOIN users u ON u.id = t.user_id"
    " JOIN tenants w ON w.id = u.tenant_id"
    " WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.is_active = 1 AND u.deleted_at IS NULL"
    " AND w.is_active = 1";

inline constexpr std::string_view principal_by_session =
    "SELECT {columns}, s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id"
    " JOIN tenants w ON w.id = u.tenant_id"
    " WHERE s.token_hash = ? AND s.expires_at > ? AND u.is_active = 1 AND u.deleted_at IS NULL"
    " AND w.is_active = 1";

// Sign-in candidates: by e-mail (admin and staff login) or by username (client login). A user of
// a deactivated workspace cannot sign in, nor can one who has not accepted their invitation (no
// password yet): both look like unknown names.
inline constexpr std::string_view user_for_login =
    "SELECT {columns}, u.password_hash FROM users u"
    " JOIN tenants w ON w.id = u.tenant_id"
    " WHERE u.email = ? AND u.is_active = 1 AND u.deleted_at IS NULL AND w.is_active = 1"
    " AND u.password_hash <> ''";
inline constexpr std::string_view user_for_client_login =
    "SELECT {columns}, u.password_hash FROM users u"
    " JOIN tenants w ON w.id = u.tenant_id"
    " WHERE u.username = ? AND u.is_active = 1 AND u.deleted_at IS NULL AND w.is_active = 1"
    " AND u.password_hash <> ''";

inline constexpr std::string_view insert_session =
    "INSERT INTO sessions (token_hash, tenant_id, user_id, csrf_token, created_at, expires_at,"
    " remote_address, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

inline constexpr std::string_view delete_session = "DELETE FROM sessions WHERE token_hash = ?";

inline constexpr std::string_view delete_expired_sessions_of_user =
    "DELETE FROM sessions WHERE user_id = ? AND expires_at <= ?";

inline constexpr std::string_view record_login = "UPDATE users SET last_login = ? WHERE id = ?";

inline constexpr std::string_view user_id_by_email =
    "SELECT id, tenant_id FROM users WHERE email = ? AND deleted_at IS NULL";

inline constexpr std::string_view email_has_account =
    "SELECT 1 FROM users WHERE email = ? AND deleted_at IS NULL AND id <> ?";

inline constexpr std::string_view insert_operator =
    "INSERT INTO users (tenant_id, email, name, password_hash, role, is_platform_admin, created_at,"
    " updated_at, joined_at) VALUES (1, ?, ?, ?, 'owner', 1, ?, ?, ?) RETURNING id";

inline constexpr std::string_view update_operator =
    "UPDATE users SET name = ?, password_hash = ?, role = 'owner', is_platform_admin = 1,"
    " is_active = 1, version = version + 1, updated_at = ? WHERE id = ?";

inline constexpr std::string_view revoke_sessions_of_user =
    "DELETE FROM sessions WHERE user_id = ?";
inline constexpr std::string_view revoke_other_sessions_of_user =
    "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?";
inline constexpr std::string_view password_hash_of_user =
    "SELECT password_hash FROM users WHERE id = ?";
inline constexpr std::string_view set_password =
    "UPDATE users SET password_hash = ?, version = version + 1, updated_at = ? WHERE id = ?";

inline constexpr std::string_view insert_api_token =
    "INSERT INTO api_tokens (tenant_id, user_id, name, token_hash, prefix, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?) RETURNING id";

// Sign-in throttling (see throttle.cpp). The upsert that changes nothing locks the key's row (on
// PostgreSQL; SQLite has one writer) and returns its state.
inline constexpr std::string_view lock_throttle_key =
    "INSERT INTO login_failures (throttle_key, failures, first_failure_at, locked_until)"
    " VALUES (?, 0, ?, NULL) ON CONFLICT (throttle_key) DO UPDATE SET"
    " failures = login_failures.failures RETURNING failures, first_failure_at, locked_until";
inline constexpr std::string_view set_throttle_state =
    "UPDATE login_failures SET failures = ?, first_failure_at = ?, locked_until = ?"
    " WHERE throttle_key = ?";
inline constexpr std::string_view clear_failures =
    "DELETE FROM login_failures WHERE throttle_key = ?";
// One statement, so it cannot lose a failure counted meanwhile; below the threshold (?) again,
// the lock that the reserved failure set goes with it.
inline constexpr std::string_view take_back_failure =
    "UPDATE login_failures SET failures = CASE WHEN failures > 0 THEN failures - 1 ELSE 0 END,"
    " locked_until = CASE WHEN failures - 1 < ? THEN NULL ELSE locked_until END"
    " WHERE throttle_key = ?";
inline constexpr std::string_view address_known =
    "SELECT 1 FROM login_known_addresses WHERE account_key = ? AND address = ?"
    " AND signed_in_at >= ?";
inline constexpr std::string_view remember_address =
    "INSERT INTO login_known_addresses (account_key, address, signed_in_at) VALUES (?, ?, ?)"
    " ON CONFLICT (account_key, address) DO UPDATE SET signed_in_at = excluded.signed_in_at";
inline constexpr std::string_view forget_old_addresses =
    "DELETE FROM login_known_addresses WHERE account_key = ? AND signed_in_at < ?";

}  // namespace clientele::auth::sql
