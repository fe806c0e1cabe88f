// Realistic demo customers from a fixed seed: the same N customers on every run.
#pragma once

#include <cstdint>

namespace clientele::store {
class Database;
}

namespace clientele::demo {

//! Adds `count` customers to workspace `tenant`, in batches of write transactions. Returns the
//! number added.
int64_t add_customers(store::Database& db, int64_t tenant, int64_t count, uint64_t seed);

}  // namespace clientele::demo
