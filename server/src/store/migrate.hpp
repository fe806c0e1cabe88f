// Numbered schema migrations, embedded in the binary and applied at start-up, each exactly once, in
// one global order by number. Each lives with its area (server/src/<area>/migrations/NNNN_name.sql;
// the number is unique across areas, which the build checks) as one source for both engines
// (store/dialect.hpp).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace clientele::store {

class Database;

struct Migration {
    int64_t number;
    std::string_view name;    //!< NNNN_name
    std::string_view area;    //!< the folder under server/src/ that holds it
    std::string_view source;  //!< one text for both engines: store/dialect.hpp
};

//! The migrations compiled into this binary, in number order.
const std::vector<Migration>& embedded_migrations();

//! Applies every migration not yet recorded in schema_migrations (by number: a database made from
//! the former twin files counts as migrated); returns how many it applied. Throws DialectError,
//! before applying anything, if any migration's source does not translate for either engine.
//! Each runs in its own write transaction together with its record, so it is applied exactly once
//! even when several processes start at the same time (on PostgreSQL they take turns by an
//! advisory lock; SQLite has one writer anyway).
int migrate(Database& db);

}  // namespace clientele::store
