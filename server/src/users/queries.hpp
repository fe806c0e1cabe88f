// The SQL of the users area. Users are read and changed in workspace transactions (every query
// names :tenant); accepting an invitation runs before the workspace is known, in a system one.
#pragma once

#include <string_view>

namespace clientele::users::sql {

// {columns}: users/service.cpp's user_columns.
inline constexpr std::string_view live_users =
    "SELECT {columns} FROM users WHERE tenant_id = :tenant AND deleted_at IS NULL";

inline constexpr std::string_view insert_invited =
    "INSERT INTO users (tenant_id, email, name, password_hash, role, invited_by, created_at,"
    " updated_at) VALUES (:tenant, ?, ?, '', ?, ?, ?, ?) RETURNING id";

inline constexpr std::string_view replace_invitation =
    "INSERT INTO user_invitations (tenant_id, user_id, token_hash, created_by, created_at,"
    " expires_at) VALUES (:tenant, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, user_id) DO UPDATE SET"
    " token_hash = excluded.token_hash, created_by = excluded.created_by,"
    " created_at = excluded.created_at, expires_at = excluded.expires_at";

inline constexpr std::string_view update_user =
    "UPDATE users SET name = ?, role = ?, is_active = ?, version = version + 1, updated_at = ?"
    " WHERE tenant_id = :tenant AND id = ?";

inline constexpr std::string_view delete_user =
    "UPDATE users SET deleted_at = ?, is_active = 0, version = version + 1, updated_at = ?"
    " WHERE tenant_id = :tenant AND id = ?";

inline constexpr std::string_view revoke_sessions =
    "DELETE FROM sessions WHERE tenant_id = :tenant AND user_id = ?";
inline constexpr std::string_view delete_invitation =
    "DELETE FROM user_invitations WHERE tenant_id = :tenant AND user_id = ?";

// Accepting: the invitation by its hash, with its user still invited (system transaction).
inline constexpr std::string_view invitation_by_hash =
    "SELECT i.tenant_id, i.user_id, i.expires_at, u.email, u.name, u.role"
    " FROM user_invitations i JOIN users u ON u.id = i.user_id JOIN tenants w ON w.id = i.tenant_id"
    " WHERE i.token_hash = ? AND u.deleted_at IS NULL AND u.is_active = 1 AND u.password_hash = ''"
    " AND w.is_active = 1";
inline constexpr std::string_view accept_invitation =
    "UPDATE users SET password_hash = ?, name = ?, joined_at = ?, version = version + 1,"
    " updated_at = ? WHERE id = ? AND password_hash = ''";
inline constexpr std::string_view delete_invitation_by_hash =
    "DELETE FROM user_invitations WHERE token_hash = ?";

}  // namespace clientele::users::sql
