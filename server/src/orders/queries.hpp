// The SQL of the orders area. Every statement names :tenant (see store/db.hpp).
#pragma once

#include <string_view>

namespace clientele::orders::sql {

// After order_columns' SELECT list.
inline constexpr std::string_view from_orders = " FROM orders o";
inline constexpr std::string_view where_id = " WHERE o.tenant_id = :tenant AND o.id = ?";
inline constexpr std::string_view where_number = " WHERE o.tenant_id = :tenant AND o.number = ?";
// PostgreSQL: the row is locked for the rest of the transaction, so that two instances pushing
// the same number apply their changes one after the other (SQLite's one writer does that anyway).
inline constexpr std::string_view lock_row_postgres = " FOR UPDATE";

// {names} and {values} are order_columns' written ones. A concurrent first push of the same
// number (another instance on PostgreSQL) makes this insert nothing: the caller updates instead.
inline constexpr std::string_view insert =
    "INSERT INTO orders (tenant_id, {names}, created_by, created_at, updated_at)"
    " VALUES (:tenant, {values}, ?, ?, ?) ON CONFLICT (tenant_id, number) DO NOTHING RETURNING id";
inline constexpr std::string_view update =
    "UPDATE orders SET {set}, version = version + 1, updated_at = ?"
    " WHERE tenant_id = :tenant AND id = ?";

inline constexpr std::string_view lines_of =
    "SELECT sku, name, quantity, unit_price, tax, discount FROM order_lines"
    " WHERE tenant_id = :tenant AND order_id = ? ORDER BY position";
inline constexpr std::string_view clear_lines =
    "DELETE FROM order_lines WHERE tenant_id = :tenant AND order_id = ?";
inline constexpr std::string_view add_line =
    "INSERT INTO order_lines (tenant_id, order_id, position, sku, name, quantity, unit_price, tax,"
    " discount) VALUES (:tenant, ?, ?, ?, ?, ?, ?, ?, ?)";

inline constexpr std::string_view live_customer =
    "SELECT 1 FROM customers WHERE tenant_id = :tenant AND id = ? AND deleted_at IS NULL";
inline constexpr std::string_view customer_by_email =
    "SELECT id FROM customers WHERE tenant_id = :tenant AND email = ? AND deleted_at IS NULL";

// The value figures, by deltas (never a scan): see migrations/0013_orders.sql.
inline constexpr std::string_view add_value =
    "UPDATE customers SET order_count = order_count + ?, lifetime_value = lifetime_value + ?,"
    " refunded_amount = refunded_amount + ? WHERE tenant_id = :tenant AND id = ?";
inline constexpr std::string_view widen_order_dates =
    "UPDATE customers SET"
    " first_order_at = CASE WHEN first_order_at IS NULL OR first_order_at > ? THEN ?"
    " ELSE first_order_at END,"
    " last_order_at = CASE WHEN last_order_at IS NULL OR last_order_at < ? THEN ?"
    " ELSE last_order_at END"
    " WHERE tenant_id = :tenant AND id = ?";
// After an order left the figures: the first and last counted ones, from the ends of the
// orders_by_customer index.
inline constexpr std::string_view reread_order_dates =
    "UPDATE customers SET"
    " first_order_at = (SELECT placed_at FROM orders WHERE tenant_id = :tenant AND customer_id = ?"
    " AND counted = 1 ORDER BY placed_at, id LIMIT 1),"
    " last_order_at = (SELECT placed_at FROM orders WHERE tenant_id = :tenant AND customer_id = ?"
    " AND counted = 1 ORDER BY placed_at DESC, id DESC LIMIT 1)"
    " WHERE tenant_id = :tenant AND id = ?";

// Guest orders waiting for the customer who has their e-mail (the orders_guests index).
inline constexpr std::string_view guest_orders =
    " WHERE o.tenant_id = :tenant AND o.customer_id IS NULL AND o.customer_email = ?";
inline constexpr std::string_view attach =
    "UPDATE orders SET customer_id = ?, version = version + 1, updated_at = ?"
    " WHERE tenant_id = :tenant AND id = ?";

// The purchase history: a customer's latest orders but cancelled ones (orders_by_customer).
inline constexpr std::string_view history =
    "SELECT id, total, currency, placed_at FROM orders WHERE tenant_id = :tenant"
    " AND customer_id = ? AND status <> 'cancelled' ORDER BY placed_at DESC, id DESC LIMIT ?";

// Workspace settings (absent row: the default).
inline constexpr std::string_view setting =
    "SELECT value FROM workspace_settings WHERE tenant_id = :tenant AND setting_key = ?";
// The base currency changes only while the workspace has no order: one statement, so an order
// cannot slip in between the check and the change.
inline constexpr std::string_view set_base_currency =
    "INSERT INTO workspace_settings (tenant_id, setting_key, value, updated_at)"
    " SELECT :tenant, 'base_currency', ?, ? WHERE NOT EXISTS"
    " (SELECT 1 FROM orders WHERE tenant_id = :tenant)"
    " ON CONFLICT (tenant_id, setting_key) DO UPDATE SET value = excluded.value,"
    " updated_at = excluded.updated_at";

}  // namespace clientele::orders::sql
