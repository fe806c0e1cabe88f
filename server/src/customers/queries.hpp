// The SQL of the customers area. Every statement names :tenant (see store/db.hpp).
#pragma once

#include <string_view>

namespace clientele::customers::sql {

// After customer_columns' SELECT list and customer_from (customers/model.hpp).
inline constexpr std::string_view where_one = " WHERE c.tenant_id = :tenant AND c.id = ?";

inline constexpr std::string_view email_taken =
    "SELECT id FROM customers WHERE tenant_id = :tenant AND email = ? AND deleted_at IS NULL AND "
    "id <> ?";

// The editable columns ({names}, {values}, {set}) are customer_columns' written ones.
inline constexpr std::string_view insert =
    "INSERT INTO customers (tenant_id, {names}, registered_via, created_by, created_at, updated_at)"
    " VALUES (:tenant, {values}, ?, ?, ?, ?) RETURNING id";

inline constexpr std::string_view update =
    "UPDATE customers SET {set}, version = version + 1, updated_at = ?"
    " WHERE tenant_id = :tenant AND id = ? AND version = ? AND deleted_at IS NULL";

// Tags: the set of a customer's tags is replaced whole.
inline constexpr std::string_view clear_tags =
    "DELETE FROM customer_tags WHERE tenant_id = :tenant AND customer_id = ?";
inline constexpr std::string_view add_tag =
    "INSERT INTO customer_tags (tenant_id, customer_id, tag_id) VALUES (:tenant, ?, ?)";
// CROSS JOIN keeps customer_tags the outer loop on SQLite: without statistics it would walk
// every tag of the workspace in name order (tags_name) and probe each, to spare a sort of the
// customer's few tags: 6 probes at 6 tags, as many as the workspace has tags. PostgreSQL plans
// a CROSS JOIN as any other.
inline constexpr std::string_view tags_of_one =
    "SELECT t.id, t.name, t.color FROM customer_tags ct CROSS JOIN tags t"
    " WHERE t.tenant_id = ct.tenant_id AND t.id = ct.tag_id"
    " AND ct.tenant_id = :tenant AND ct.customer_id = ? ORDER BY t.name";
// The tags of several customers at once: their ids as a JSON array, one SQL text whatever the
// page's size (so one prepared statement). The engines read JSON arrays with different functions.
#define CLIENTELE_TAGS_OF(ids)                                           \
    "SELECT ct.customer_id, t.id, t.name, t.color FROM customer_tags ct" \
    " JOIN tags t ON t.tenant_id = ct.tenant_id AND t.id = ct.tag_id"    \
    " WHERE ct.tenant_id = :tenant AND ct.customer_id IN (" ids ") ORDER BY t.name"
inline constexpr std::string_view tags_of_sqlite =
    CLIENTELE_TAGS_OF("SELECT value FROM json_each(?)");
inline constexpr std::string_view tags_of_postgres =
    CLIENTELE_TAGS_OF("SELECT value::bigint FROM json_array_elements_text(?::json)");
#undef CLIENTELE_TAGS_OF

// References a customer may make, checked before a write.
inline constexpr std::string_view live_company =
    "SELECT account_type FROM customers WHERE tenant_id = :tenant AND id = ? AND deleted_at IS "
    "NULL";
inline constexpr std::string_view active_user =
    "SELECT 1 FROM users WHERE tenant_id = :tenant AND id = ? AND is_active = 1"
    " AND deleted_at IS NULL";
inline constexpr std::string_view contact_count =
    "SELECT count(*) FROM customers WHERE tenant_id = :tenant AND company_id = ?"
    " AND deleted_at IS NULL";

inline constexpr std::string_view soft_delete =
    "UPDATE customers SET deleted_at = ?, updated_at = ?, version = version + 1"
    " WHERE tenant_id = :tenant AND id = ? AND deleted_at IS NULL";

inline constexpr std::string_view live_contacts_of =
    "SELECT id FROM customers WHERE tenant_id = :tenant AND company_id = ? AND deleted_at IS NULL";

inline constexpr std::string_view soft_delete_contacts =
    "UPDATE customers SET deleted_at = ?, updated_at = ?, version = version + 1"
    " WHERE tenant_id = :tenant AND company_id = ? AND deleted_at IS NULL";

inline constexpr std::string_view contacts_archived_with =
    "SELECT id FROM customers WHERE tenant_id = :tenant AND company_id = ? AND deleted_at = ?";

inline constexpr std::string_view restore =
    "UPDATE customers SET deleted_at = NULL, updated_at = ?, version = version + 1"
    " WHERE tenant_id = :tenant AND id = ? AND deleted_at IS NOT NULL";

// The portal's accounts (see service.hpp).
inline constexpr std::string_view portal_account_by_email =
    "SELECT id, portal_password_hash FROM customers WHERE tenant_id = :tenant AND email = ?"
    " AND deleted_at IS NULL AND portal_joined_at IS NOT NULL";
inline constexpr std::string_view portal_password_hash =
    "SELECT portal_password_hash FROM customers WHERE tenant_id = :tenant AND id = ?";
inline constexpr std::string_view portal_member =
    "SELECT name, email FROM customers WHERE tenant_id = :tenant AND id = ?"
    " AND deleted_at IS NULL AND portal_joined_at IS NOT NULL";
inline constexpr std::string_view set_portal_password =
    "UPDATE customers SET portal_password_hash = ?, portal_joined_at = coalesce(portal_joined_at,"
    " ?), version = version + 1, updated_at = ? WHERE tenant_id = :tenant AND id = ?";
inline constexpr std::string_view clear_portal_access =
    "UPDATE customers SET portal_password_hash = NULL, portal_joined_at = NULL,"
    " version = version + 1, updated_at = ? WHERE tenant_id = :tenant AND id = ?";
inline constexpr std::string_view record_portal_sign_in =
    "UPDATE customers SET portal_last_login = ? WHERE tenant_id = :tenant AND id = ?";

// The trigram index (external content, maintained here: see migrations/0002_customers.sql).
inline constexpr std::string_view index_search_text =
    "INSERT INTO customers_fts (rowid, tenant_id, name, email, phone) VALUES (?, :tenant, ?, ?, ?)";
inline constexpr std::string_view unindex_search_text =
    "INSERT INTO customers_fts (customers_fts, rowid, tenant_id, name, email, phone)"
    " VALUES ('delete', ?, :tenant, ?, ?, ?)";

// Search: the candidates from the trigram index (a CTE named `matched`), of every workspace: the
// query that uses them filters by workspace. Filtering here instead would read each match's row
// from customers (tenant_id is an unindexed column of an external-content index): 20x slower.
inline constexpr std::string_view trigram_match_cte =
    "WITH matched AS MATERIALIZED (SELECT rowid AS id FROM customers_fts WHERE customers_fts MATCH "
    "?) ";

}  // namespace clientele::customers::sql
