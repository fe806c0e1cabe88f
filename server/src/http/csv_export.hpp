// CSV downloads of any size: streamed in pages, each read in its own short read transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/csv.hpp"
#include "http/message.hpp"

namespace clientele::store {
class Database;
class Tx;
}  // namespace clientele::store

namespace clientele::http {

//! Appends up to `limit` rows whose keys follow `after` to the writer, in key order, and returns
//! the last key written (nullopt when no rows were left).
using CsvPage =
    std::function<std::optional<int64_t>(store::Tx&, int64_t after, int limit, CsvWriter&)>;

//! A `text/csv` attachment named `filename`: `header` writes the first row, then pages follow
//! until one comes back empty. Pages are read one at a time (a new snapshot each), so an export
//! never holds a read transaction open for its whole length (which would stop SQLite's WAL
//! checkpoints); a row changed meanwhile is seen as it is when its page is read. `tenant` nullopt
//! reads platform tables.
Response csv_download(std::string filename, store::Database& db, std::optional<int64_t> tenant,
                      const std::function<void(CsvWriter&)>& header, CsvPage page);

}  // namespace clientele::http
