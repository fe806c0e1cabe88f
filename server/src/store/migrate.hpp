// Numbered schema migrations (server/migrations/NNNN_name.sql), embedded in the binary and applied
// at start-up, each exactly once, in number order.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace clientele::store {

class Database;

struct Migration {
    int64_t number;
    std::string_view name;
    std::string_view sql;     //!< SQLite's
    std::string_view pg_sql;  //!< PostgreSQL's: NNNN_name.pg.sql where it differs, else `sql`
};

//! The migrations compiled into this binary, in number order.
const std::vector<Migration>& embedded_migrations();

//! Applies every migration not yet recorded in schema_migrations; returns how many it applied.
//! Each runs in its own write transaction together with its record, so it is applied exactly once
//! even when several processes start at the same time (on PostgreSQL they take turns by an
//! advisory lock; SQLite has one writer anyway).
int migrate(Database& db);

}  // namespace clientele::store
