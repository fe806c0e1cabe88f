// The store's backends, as the generic Database (store/database.cpp) opens them.
#pragma once

#include <memory>
#include <string>

#include "store/db.hpp"

namespace clientele::store {

//! A connection to the SQLite file at `path`; read-only ones are for the read pool.
std::unique_ptr<Connection> connect_sqlite(const std::string& path, bool read_only);

}  // namespace clientele::store
