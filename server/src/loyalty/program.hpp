// A workspace's loyalty program (GET/PUT /api/loyalty/program): how many points an order earns,
// when, for how long, and the tiers that multiply them. Without a row the defaults of issue 13
// hold (version 0): 1 point per whole base currency unit, earned on paid, never expiring.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace clientele::store {
class Tx;
}

namespace clientele::loyalty {

//! The most points one entry may move and a program may name: far enough from int64's edge that
//! no sum of entries can overflow.
inline constexpr int64_t max_points = 1'000'000'000'000;

//! Decimals with two places (points per unit, multipliers) are kept as integer hundredths, so the
//! earning maths is integer maths.
struct Tier {
    std::string name;
    int64_t min_spend = 0;  //!< base currency minor units spent in the last 365 days
    int64_t multiplier_x100 = 100;

    bool operator==(const Tier&) const = default;
};

struct Program {
    int64_t points_per_unit_x100 = 100;
    std::string earn_on = "paid";  //!< paid | fulfilled
    bool earn_includes_tax = false;
    bool earn_includes_shipping = false;
    std::optional<int64_t> expiry_days;  //!< nullopt: never
    int64_t min_redeem = 0;
    std::optional<int64_t> max_balance;  //!< nullopt: no cap
    std::vector<Tier> tiers;             //!< by min_spend, strictly increasing
    int64_t version = 0;                 //!< 0: no row yet (the defaults)
    std::optional<std::string> updated_at;
};

//! The workspace's program (the defaults without a row).
Program load_program(store::Tx& tx);
boost::json::object to_json(const Program& program);

//! A PUT body → a program: fields left out take their defaults; every bad field is named in one
//! 422 (tiers as `tiers[0].name`).
Program parse_program(const boost::json::object& body);

//! Stores `program` as the workspace's (412 when `expected_version` is given and stale), records
//! `loyalty.program_updated`, and queues a `loyalty.tiers` run of the workspace when the tiers
//! changed. Returns the program as stored.
Program save_program(store::Tx& tx, Program program, std::optional<int64_t> expected_version);

//! The tier whose min_spend is the highest at or below `spend`; null when none is.
const Tier* tier_for(const Program& program, int64_t spend);
//! The multiplier of the tier named `name` (1.00, i.e. 100, when there is none of that name).
int64_t multiplier_of(const Program& program, const std::optional<std::string>& name);

}  // namespace clientele::loyalty
