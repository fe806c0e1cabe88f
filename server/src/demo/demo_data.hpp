// Realistic demo customers and orders from a fixed seed: the same data on every run.
#pragma once

#include <cstdint>

namespace clientele::store {
class Database;
}

namespace clientele::demo {

//! Adds `count` customers to workspace `tenant`, in batches of write transactions. Returns the
//! number added.
int64_t add_customers(store::Database& db, int64_t tenant, int64_t count, uint64_t seed);

//! Adds `count` orders over the live customers of workspace `tenant` (demo/demo_orders.cpp): 1-3
//! lines each, placed over the last two years, with the customers' value figures and the loyalty
//! ledger of the default program as the orders and loyalty areas keep them. Bulk writes, no audit
//! entries or jobs. Throws std::runtime_error when the workspace has no live customer, a base
//! currency other than USD or a loyalty program of its own. Returns the number added.
int64_t add_orders(store::Database& db, int64_t tenant, int64_t count, uint64_t seed);

}  // namespace clientele::demo
