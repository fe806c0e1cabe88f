// The SQL of the clients area. Clients, tenants and users are platform tables: the operator works
// on them in system transactions.
#pragma once

#include <string_view>

namespace clientele::clients::sql {

// What clients/service.cpp's client_columns are selected from.
inline constexpr std::string_view client_from =
    " FROM clients c JOIN tenants w ON w.id = c.tenant_id JOIN users u ON u.id = c.owner_user_id";

inline constexpr std::string_view username_taken = "SELECT 1 FROM users WHERE username = ?";

inline constexpr std::string_view insert_tenant =
    "INSERT INTO tenants (slug, name, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING id";
inline constexpr std::string_view insert_owner =
    "INSERT INTO users (tenant_id, email, name, username, password_hash, role, created_at, "
    "updated_at, joined_at) VALUES (?, ?, ?, ?, ?, 'owner', ?, ?, ?) RETURNING id";
// {names}, {values}, {set}: the client's own fields (clients/service.cpp's input_columns).
inline constexpr std::string_view insert_client =
    "INSERT INTO clients (tenant_id, owner_user_id, {names}, created_at, updated_at)"
    " VALUES (?, ?, {values}, ?, ?) RETURNING id";
inline constexpr std::string_view insert_company =
    "INSERT INTO companies (tenant_id, name, whatsapp_number, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?)";

inline constexpr std::string_view update_client =
    "UPDATE clients SET {set}, version = version + 1, updated_at = ? WHERE id = ?";
inline constexpr std::string_view update_owner_contact =
    "UPDATE users SET email = ?, name = ?, updated_at = ? WHERE id = ?";
inline constexpr std::string_view update_company =
    "UPDATE companies SET name = ?, whatsapp_number = ?, updated_at = ? WHERE tenant_id = ?";
inline constexpr std::string_view set_owner_password =
    "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?";
inline constexpr std::string_view set_workspace_active =
    "UPDATE tenants SET is_active = ?, updated_at = ? WHERE id = ?";
inline constexpr std::string_view touch_client =
    "UPDATE clients SET version = version + 1, updated_at = ? WHERE id = ?";
// Every session in the client's workspace ends (password reset, deactivation).
inline constexpr std::string_view end_workspace_sessions =
    "DELETE FROM sessions WHERE tenant_id = ?";

inline constexpr std::string_view template_setting = "client_credentials_template";
inline constexpr std::string_view get_setting =
    "SELECT value FROM platform_settings WHERE setting_key = ?";
inline constexpr std::string_view put_setting =
    "INSERT INTO platform_settings (setting_key, value, updated_at) VALUES (?, ?, ?)"
    " ON CONFLICT (setting_key) DO UPDATE SET value = excluded.value, updated_at = "
    "excluded.updated_at";

}  // namespace clientele::clients::sql
