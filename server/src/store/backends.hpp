// The store's backends, as the generic Database (store/database.cpp) opens them.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "store/db.hpp"

namespace clientele::store {

//! A connection to the SQLite file at `path`; read-only ones are for the read pool.
std::unique_ptr<Connection> connect_sqlite(const std::string& path, bool read_only);

//! A connection to the PostgreSQL database at `url` (postgres://user@host:port/db?options).
std::unique_ptr<Connection> connect_postgres(const std::string& url);

//! SQL in the store's parameter style rewritten for PostgreSQL: each `?` becomes the next `$n`,
//! and every `:tenant` one `$k`, numbered where it first appears (as SQLite numbers them).
struct TranslatedSql {
    std::string text;
    int parameters = 0;    //!< how many distinct parameters
    int tenant_index = 0;  //!< the number `:tenant` got, or 0
};
TranslatedSql translate_parameters(std::string_view sql);

}  // namespace clientele::store
