// The SQL of the customers area. Every statement names :tenant (see store/db.hpp).
#pragma once

#include <string_view>

namespace clientele::customers::sql {

// "{columns}" is customers/model.hpp's customer_columns.
inline constexpr std::string_view select_one =
    "SELECT {columns} FROM customers c WHERE c.tenant_id = :tenant AND c.id = ?";

inline constexpr std::string_view email_taken =
    "SELECT id FROM customers WHERE tenant_id = :tenant AND email = ? AND deleted_at IS NULL AND "
    "id <> ?";

inline constexpr std::string_view insert =
    "INSERT INTO customers (tenant_id, name, name_key, first_name, last_name, email, phone, "
    "birthdate,"
    " gender, locale, street, street2, city, postal_code, state, country, preferences, notes,"
    " created_by, created_at, updated_at)"
    " VALUES (:tenant, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

inline constexpr std::string_view update =
    "UPDATE customers SET name = ?, name_key = ?, first_name = ?, last_name = ?, email = ?, phone "
    "= ?,"
    " birthdate = ?, gender = ?, locale = ?, street = ?, street2 = ?, city = ?, postal_code = ?,"
    " state = ?, country = ?, preferences = ?, notes = ?, version = version + 1, updated_at = ?"
    " WHERE tenant_id = :tenant AND id = ? AND version = ? AND deleted_at IS NULL";

inline constexpr std::string_view soft_delete =
    "UPDATE customers SET deleted_at = ?, updated_at = ?, version = version + 1"
    " WHERE tenant_id = :tenant AND id = ? AND deleted_at IS NULL";

inline constexpr std::string_view restore =
    "UPDATE customers SET deleted_at = NULL, updated_at = ?, version = version + 1"
    " WHERE tenant_id = :tenant AND id = ? AND deleted_at IS NOT NULL";

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
