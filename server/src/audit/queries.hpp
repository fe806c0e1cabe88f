// The SQL of the audit trail (server/migrations/0010_audit.sql).
#pragma once

#include <string_view>

namespace clientele::audit::sql {

inline constexpr std::string_view insert_event =
    "INSERT INTO audit_events (tenant_id, at, actor_kind, actor_id, actor_name, action, entity,"
    " entity_id, changes, request_id, address, user_agent)"
    " VALUES (:tenant, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

// {columns}: audit/trail.cpp's entry_columns.
inline constexpr std::string_view select_events =
    "SELECT {columns} FROM audit_events WHERE tenant_id = :tenant";

// Retention (audit::prune): the cutoff below which the triggers let entries be deleted is set,
// used and cleared within one transaction.
inline constexpr std::string_view open_retention = "UPDATE audit_retention SET cutoff = ?";
inline constexpr std::string_view prune_events = "DELETE FROM audit_events WHERE at < ?";
inline constexpr std::string_view close_retention = "UPDATE audit_retention SET cutoff = ''";

}  // namespace clientele::audit::sql
