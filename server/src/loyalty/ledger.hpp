// A customer's points ledger (docs/decisions.md "Loyalty ledger"): append-only entries, the lots
// that earning creates (each with its expiry and what is left of it), and which lots a consuming
// entry took points from. Every entry changes the cached balance (customers.loyalty_points) in its
// own transaction, and the statement that changes it is the one that checks it, so concurrent
// redemptions cannot overspend.
//
// Invariants: balance = Σ entries.points; while the balance is ≥ 0 the open lots hold exactly
// it, and while it is below 0 (a debt a reverse left) they hold nothing.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/program.hpp"

namespace clientele::store {
class Database;
class Tx;
}  // namespace clientele::store

namespace clientele::loyalty {

// ---------------------------------------------------------------------------------------------
// The maths, without a database (unit-tested on their own)

struct OpenLot {
    int64_t id = 0;
    int64_t remaining = 0;
    std::optional<int64_t> order_id;
};
struct LotUse {
    int64_t lot_id = 0;
    int64_t points = 0;

    bool operator==(const LotUse&) const = default;
};

//! Which lots give `points`: `lots` come in FEFO order (soonest expiry first, never-expiring
//! last, then oldest); the lots of `own_order` go first (a reverse takes its order's own points
//! back). The uses add up to less than `points` only when the lots hold less.
std::vector<LotUse> plan_uses(const std::vector<OpenLot>& lots, int64_t points,
                              std::optional<int64_t> own_order = std::nullopt);

//! What an order's row says about its points (orders/: base_ amounts are in the base currency).
struct OrderFigures {
    std::optional<int64_t> customer_id;
    std::string status;
    int64_t subtotal = 0, discount = 0, tax = 0, shipping = 0, total = 0;
    int64_t base_total = 0, base_refunded = 0;
    bool paid = false, fulfilled = false;  //!< paid_at, fulfilled_at set
};

//! The points an order is worth now: 0 without a customer, when cancelled or refunded, or before
//! the program's earn_on; else floor(basis × points_per_unit × multiplier), where basis is the
//! base amount of (subtotal − discount [+ tax] [+ shipping]) still paid:
//! (base_total − base_refunded) × earning part / total, in base units of `base_unit` minor units.
//! Integer maths throughout (128-bit: every factor is bounded, so it cannot overflow).
int64_t target_points(const Program& program, const OrderFigures& order, int64_t multiplier_x100,
                      int64_t base_unit);

//! An earn of `points` at `balance`: what max_balance lets through (`points`), what it withholds,
//! and how much of it pays a debt off (the rest stays in the lot).
struct Earning {
    int64_t points = 0, withheld = 0, debt_paid = 0;

    bool operator==(const Earning&) const = default;
};
Earning split_earn(int64_t points, int64_t balance, std::optional<int64_t> max_balance);

//! How a change to an order's points is booked for one customer: the order has `earned` so far
//! (Σ points + withheld of its entries for them) of which `withheld` the cap kept; `target` is
//! what it is worth now. Positive `points`: an earn of that much (capped later); negative: a
//! reverse that takes `-points` from the balance and gives `give_back` withheld points back.
struct OrderDelta {
    int64_t points = 0, give_back = 0;

    bool operator==(const OrderDelta&) const = default;
};
OrderDelta order_delta(int64_t target, int64_t earned, int64_t withheld);

// ---------------------------------------------------------------------------------------------
// The ledger (workspace transactions)

struct Entry {
    int64_t id = 0;
    int64_t customer_id = 0;
    std::string kind;  //!< earn, redeem, expire, adjust, reverse
    int64_t points = 0;
    int64_t balance_after = 0;
    int64_t debt = 0;
    int64_t withheld = 0;
    std::optional<int64_t> order_id;
    std::optional<std::string> reason;
    std::optional<int64_t> created_by;
    std::string created_at;
    std::optional<std::string> expires_at;  //!< an earning entry's lot's
    std::vector<LotUse> lots;               //!< a consuming entry's lot uses
};
boost::json::object to_json(const Entry& entry);

//! POST …/loyalty/redeem: takes `points` FEFO. 404 for no live customer; 409 when the balance is
//! below `points` or the program's min_redeem. Records `loyalty.redeemed`.
Entry redeem(store::Tx& tx, int64_t customer_id, int64_t points,
             const std::optional<std::string>& reason, std::optional<int64_t> created_by);

//! POST …/loyalty/adjust: positive adds a lot (expiring as earned points do), negative takes FEFO
//! (409 beyond the balance). Records `loyalty.adjusted`.
Entry adjust(store::Tx& tx, int64_t customer_id, int64_t points, const std::string& reason,
             std::optional<int64_t> created_by);

//! The `loyalty.order_changed` job's work: books the difference between what the order is worth
//! now and what its entries gave (for its customer, and back from any customer it no longer
//! has), after setting its customer's tier. Running it again changes nothing.
struct OrderOutcome {
    std::optional<int64_t> customer_id;
    int64_t target = 0;
    int64_t change = 0;  //!< points booked by this run, over every customer
};
OrderOutcome order_changed(store::Tx& tx, int64_t order_id);

//! Expires the workspace's lots whose expiry is at or before `now`, at most `limit` of them (one
//! `expire` entry per lot). Returns how many it expired.
int64_t expire_due(store::Tx& tx, const std::string& now, int limit);

//! Sets the tier of a page of customers (at most `limit`, ids after `after_id`) from their
//! counted spend of the last 365 days; a program without tiers clears every tier at once.
struct TierPage {
    std::optional<int64_t> next;  //!< the last id of a full page: where the next one starts
    int64_t changed = 0;
};
TierPage recompute_tiers(store::Tx& tx, const Program& program, int64_t after_id, int limit);

//! GET /api/customers/{id}/loyalty: balance, tier, next_expiry and a page of entries, newest
//! first, older than `before` (404 for no live customer).
boost::json::object summary(store::Tx& tx, int64_t customer_id, int limit,
                            std::optional<int64_t> before);

//! `clientele loyalty rebuild`: sets every customer's cached balance from the ledger, in batches;
//! returns how many were wrong.
int64_t rebuild_balances(store::Database& db);

}  // namespace clientele::loyalty
