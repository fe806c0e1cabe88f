#include "loyalty/ledger.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <chrono>
#include <cmath>
#include <map>

#include "audit/trail.hpp"
#include "core/currency.hpp"
#include "core/error.hpp"
#include "core/time.hpp"
#include "orders/settings.hpp"
#include "store/db.hpp"

namespace clientele::loyalty {

namespace json = boost::json;
using store::Tx;

// ---------------------------------------------------------------------------------------------
// The maths

std::vector<LotUse> plan_uses(const std::vector<OpenLot>& lots, int64_t points,
                              std::optional<int64_t> own_order) {
    std::vector<LotUse> uses;
    int64_t left = points;
    auto take = [&](const OpenLot& lot) {
        if (left > 0 && lot.remaining > 0) {
            int64_t n = std::min(left, lot.remaining);
            uses.push_back({lot.id, n});
            left -= n;
        }
    };
    if (own_order) {
        for (const OpenLot& lot : lots) {
            if (lot.order_id == own_order) {
                take(lot);
            }
        }
    }
    for (const OpenLot& lot : lots) {
        if (!own_order || lot.order_id != own_order) {
            take(lot);
        }
    }
    return uses;
}

int64_t target_points(const Program& program, const OrderFigures& order, int64_t multiplier_x100,
                      int64_t base_unit) {
    if (!order.customer_id || order.status == "cancelled" || order.status == "refunded" ||
        !(program.earn_on == "fulfilled" ? order.fulfilled : order.paid) || order.total <= 0) {
        return 0;
    }
    int64_t part = order.subtotal - order.discount + (program.earn_includes_tax ? order.tax : 0) +
                   (program.earn_includes_shipping ? order.shipping : 0);
    part = std::min(part, order.total);  // tax and shipping are never negative: part ≤ total
    int64_t paid = order.base_total - order.base_refunded;
    if (part <= 0 || paid <= 0) {
        return 0;
    }
    // floor(paid × part/total / base_unit × ppu/100 × multiplier/100), as one exact division.
    using i128 = __int128;
    i128 numerator = 0;
    i128 denominator = i128(order.total) * base_unit * 10'000;
    if (__builtin_mul_overflow(i128(paid) * part,
                               i128(program.points_per_unit_x100) * multiplier_x100, &numerator)) {
        // Amounts far past any order's limits: the nearest long double will do.
        long double points = (long double)paid * part / order.total / base_unit *
                             program.points_per_unit_x100 * multiplier_x100 / 10'000;
        return int64_t(std::min<long double>(std::floor(points), max_points));
    }
    return int64_t(std::min<i128>(numerator / denominator, max_points));
}

Earning split_earn(int64_t points, int64_t balance, std::optional<int64_t> max_balance) {
    Earning e{points, 0, 0};
    if (max_balance) {
        int64_t room = std::max<int64_t>(0, *max_balance - balance);
        if (e.points > room) {
            e.withheld = e.points - room;
            e.points = room;
        }
    }
    e.debt_paid = std::min(e.points, std::max<int64_t>(0, -balance));
    return e;
}

OrderDelta order_delta(int64_t target, int64_t earned, int64_t withheld) {
    if (target >= earned) {
        return {target - earned, 0};
    }
    int64_t back = earned - target;
    int64_t give_back = std::min(back, withheld);  // what the cap kept is given back first
    return {-(back - give_back), give_back};
}

// ---------------------------------------------------------------------------------------------
// The ledger

namespace {

// The base currency's minor units per unit: earning counts whole units of it.
int64_t base_unit(Tx& tx) {
    int64_t unit = 1;
    for (int i = currency_exponent(orders::base_currency(tx)); i > 0; --i) {
        unit *= 10;
    }
    return unit;
}

Entry new_entry(int64_t customer_id, std::string kind) {
    Entry e;
    e.customer_id = customer_id;
    e.kind = std::move(kind);
    return e;
}

struct Holder {
    int64_t balance = 0;
    std::optional<std::string> tier;
};

// A customer's balance and tier; with `lock`, the row is locked for the rest of the transaction
// (PostgreSQL: FOR UPDATE; SQLite's one writer holds every write anyway), so what is decided
// from the balance holds when the entry is written.
std::optional<Holder> holder(Tx& tx, int64_t customer_id, bool live_only, bool lock) {
    std::string sql =
        "SELECT loyalty_points, loyalty_tier FROM customers WHERE tenant_id = :tenant"
        " AND id = ?";
    if (live_only) {
        sql += " AND deleted_at IS NULL";
    }
    if (lock && tx.backend() == store::Backend::postgres) {
        sql += " FOR UPDATE";
    }
    auto q = tx.query(sql, customer_id);
    if (!q.step()) {
        return std::nullopt;
    }
    return Holder{q.int64(0), q.optional_text(1)};
}

Holder require_holder(Tx& tx, int64_t customer_id, bool lock) {
    auto h = holder(tx, customer_id, true, lock);
    if (!h) {
        throw Error(Code::not_found, fmt::format("There is no customer {}.", customer_id));
    }
    return *h;
}

// Changes the cached balance by `delta` in one statement; with `at_least`, only when the balance
// is at least that much before (the atomic check of a redemption). Returns the new balance, or
// nullopt when the check refused.
std::optional<int64_t> move_balance(Tx& tx, int64_t customer_id, int64_t delta,
                                    std::optional<int64_t> at_least) {
    auto q = at_least ? tx.query(
                            "UPDATE customers SET loyalty_points = loyalty_points + ?"
                            " WHERE tenant_id = :tenant AND id = ? AND loyalty_points >= ?"
                            " RETURNING loyalty_points",
                            delta, customer_id, *at_least)
                      : tx.query(
                            "UPDATE customers SET loyalty_points = loyalty_points + ?"
                            " WHERE tenant_id = :tenant AND id = ? RETURNING loyalty_points",
                            delta, customer_id);
    if (!q.step()) {
        return std::nullopt;
    }
    int64_t balance = q.int64(0);
    q.run();
    return balance;
}

void insert_entry(Tx& tx, Entry& e, std::optional<int64_t> multiplier_x100) {
    e.created_at = now_timestamp();
    e.id = tx.insert(
        "INSERT INTO loyalty_entries (tenant_id, customer_id, kind, points, balance_after, debt,"
        " order_id, reason, withheld, multiplier_x100, created_by, created_at)"
        " VALUES (:tenant, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        e.customer_id, e.kind, e.points, e.balance_after, e.debt, e.order_id, e.reason, e.withheld,
        multiplier_x100, e.created_by, e.created_at);
}

// Adds `earning` to the balance: the entry, and its lot (less the debt it paid off).
Entry credit(Tx& tx, Entry e, const Earning& earning, std::optional<int64_t> expiry_days,
             std::optional<int64_t> multiplier_x100) {
    e.points = earning.points;
    e.withheld = earning.withheld;
    e.balance_after = *move_balance(tx, e.customer_id, e.points, std::nullopt);
    insert_entry(tx, e, multiplier_x100);
    if (e.points > 0) {
        if (expiry_days) {
            e.expires_at = format_timestamp(parse_timestamp(e.created_at).value() +
                                            std::chrono::days(*expiry_days));
        }
        tx.insert(
            "INSERT INTO loyalty_lots (tenant_id, customer_id, entry_id, order_id, points,"
            " remaining, earned_at, expires_at) VALUES (:tenant, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            e.customer_id, e.id, e.order_id, e.points, e.points - earning.debt_paid, e.created_at,
            e.expires_at);
    }
    return e;
}

std::vector<OpenLot> open_lots(Tx& tx, int64_t customer_id) {
    std::vector<OpenLot> lots;
    // FEFO: soonest expiry first, never-expiring last (NULLs sort differently in each engine, so
    // said outright), then oldest.
    auto q = tx.query(
        "SELECT id, remaining, order_id FROM loyalty_lots WHERE tenant_id = :tenant"
        " AND customer_id = ? AND remaining > 0 ORDER BY expires_at IS NULL, expires_at, id",
        customer_id);
    while (q.step()) {
        lots.push_back({q.int64(0), q.int64(1), q.optional_int64(2)});
    }
    return lots;
}

void book_uses(Tx& tx, const Entry& e) {
    for (const LotUse& use : e.lots) {
        tx.exec(
            "UPDATE loyalty_lots SET remaining = remaining - ? WHERE tenant_id = :tenant"
            " AND id = ?",
            use.points, use.lot_id);
        tx.exec(
            "INSERT INTO loyalty_lot_uses (tenant_id, entry_id, lot_id, points)"
            " VALUES (:tenant, ?, ?, ?)",
            e.id, use.lot_id, use.points);
    }
}

// Takes `amount` from the balance and its lots (FEFO, `own_order`'s first). With `at_least` the
// balance must be at least that much (nullopt when it is not); without, what the lots lack is
// the entry's debt and the balance goes below zero by it.
std::optional<Entry> debit(Tx& tx, Entry e, int64_t amount, std::optional<int64_t> at_least,
                           std::optional<int64_t> own_order = std::nullopt) {
    auto balance = move_balance(tx, e.customer_id, -amount, at_least);
    if (!balance) {
        return std::nullopt;
    }
    e.points = -amount;
    e.balance_after = *balance;
    e.lots = plan_uses(open_lots(tx, e.customer_id), amount, own_order);
    int64_t taken = 0;
    for (const LotUse& use : e.lots) {
        taken += use.points;
    }
    e.debt = amount - taken;
    insert_entry(tx, e, std::nullopt);
    book_uses(tx, e);
    return e;
}

void record(Tx& tx, std::string_view action, const Entry& e) {
    audit::record(tx, {action, "customer", e.customer_id,
                       audit::diff({{"loyalty_points", e.balance_after - e.points}},
                                   {{"loyalty_points", e.balance_after}}, {})});
}

}  // namespace

json::object to_json(const Entry& e) {
    json::array lots;
    for (const LotUse& use : e.lots) {
        lots.push_back(json::object{{"lot_id", use.lot_id}, {"points", use.points}});
    }
    auto opt = [](const auto& v) { return v ? json::value(*v) : json::value(nullptr); };
    return json::object{{"id", e.id},
                        {"kind", e.kind},
                        {"points", e.points},
                        {"balance_after", e.balance_after},
                        {"debt", e.debt},
                        {"withheld", e.withheld},
                        {"order_id", opt(e.order_id)},
                        {"reason", opt(e.reason)},
                        {"created_by", opt(e.created_by)},
                        {"created_at", e.created_at},
                        {"expires_at", opt(e.expires_at)},
                        {"lots", std::move(lots)}};
}

Entry redeem(Tx& tx, int64_t customer_id, int64_t points, const std::optional<std::string>& reason,
             std::optional<int64_t> created_by) {
    Program program = load_program(tx);
    require_holder(tx, customer_id, false);
    Entry e = new_entry(customer_id, "redeem");
    e.reason = reason;
    e.created_by = created_by;
    auto done = debit(tx, e, points, std::max(points, program.min_redeem));
    if (!done) {
        int64_t balance = require_holder(tx, customer_id, false).balance;
        throw Error(
            Code::conflict,
            balance < program.min_redeem
                ? fmt::format("The balance is {} points; the program lets a customer "
                              "redeem from {} points on.",
                              balance, program.min_redeem)
                : fmt::format("The balance is {} points: {} cannot be redeemed.", balance, points),
            {{"points", "is more than the customer can redeem now"}});
    }
    record(tx, "loyalty.redeemed", *done);
    return *done;
}

Entry adjust(Tx& tx, int64_t customer_id, int64_t points, const std::string& reason,
             std::optional<int64_t> created_by) {
    Program program = load_program(tx);
    Holder h = require_holder(tx, customer_id, true);
    Entry e = new_entry(customer_id, "adjust");
    e.reason = reason;
    e.created_by = created_by;
    if (points > 0) {
        // Staff's points are not an earning: max_balance caps earnings only.
        e = credit(tx, e, split_earn(points, h.balance, std::nullopt), program.expiry_days,
                   std::nullopt);
    } else {
        auto done = debit(tx, e, -points, -points);
        if (!done) {
            throw Error(
                Code::conflict,
                fmt::format("The balance is {} points: {} cannot be taken.", h.balance, -points),
                {{"points", "takes more than the balance"}});
        }
        e = *done;
    }
    record(tx, "loyalty.adjusted", e);
    return e;
}

namespace {

// What an order's entries gave one customer so far.
struct Booked {
    int64_t customer_id = 0;
    int64_t points = 0, withheld = 0;
};

// Added up here rather than by GROUP BY customer_id: that grouping made SQLite walk the
// workspace's whole loyalty_entries_by_customer index in customer order instead of reading the
// order's few entries from loyalty_entries_by_order (a push of 100,000 orders slowed to a crawl).
std::vector<Booked> booked_for(Tx& tx, int64_t order_id) {
    std::map<int64_t, Booked> by_customer;  // in customer order, as the callers walk them
    auto q = tx.query(
        "SELECT customer_id, points, withheld FROM loyalty_entries"
        " WHERE tenant_id = :tenant AND order_id = ?",
        order_id);
    while (q.step()) {
        Booked& b = by_customer.try_emplace(q.int64(0), Booked{q.int64(0), 0, 0}).first->second;
        b.points += q.int64(1);
        b.withheld += q.int64(2);
    }
    std::vector<Booked> out;
    for (auto& [customer, booked] : by_customer) {
        out.push_back(booked);
    }
    return out;
}

std::optional<int64_t> first_multiplier(Tx& tx, int64_t order_id, int64_t customer_id) {
    auto q = tx.query(
        "SELECT multiplier_x100 FROM loyalty_entries WHERE tenant_id = :tenant AND order_id = ?"
        " AND customer_id = ? AND multiplier_x100 IS NOT NULL ORDER BY id LIMIT 1",
        order_id, customer_id);
    return q.step() ? std::optional<int64_t>(q.int64(0)) : std::nullopt;
}

// The order's row, locked on PostgreSQL so two runs for one order book in turn.
std::optional<OrderFigures> read_order(Tx& tx, int64_t order_id) {
    std::string sql =
        "SELECT customer_id, status, subtotal, discount, tax, shipping, total, base_total,"
        " base_refunded, paid_at IS NOT NULL, fulfilled_at IS NOT NULL FROM orders"
        " WHERE tenant_id = :tenant AND id = ?";
    if (tx.backend() == store::Backend::postgres) {
        sql += " FOR UPDATE";
    }
    auto q = tx.query(sql, order_id);
    if (!q.step()) {
        return std::nullopt;
    }
    return OrderFigures{q.optional_int64(0), std::string(q.text(1)),
                        q.int64(2),          q.int64(3),
                        q.int64(4),          q.int64(5),
                        q.int64(6),          q.int64(7),
                        q.int64(8),          q.int64(9) != 0,
                        q.int64(10) != 0};
}

std::string spend_since() {
    return format_timestamp(Clock::now() - std::chrono::days(365));
}

// The customer's tier from their counted spend of the last 365 days (orders_by_customer).
std::optional<std::string> set_tier(Tx& tx, const Program& program, int64_t customer_id) {
    std::optional<std::string> name;
    if (!program.tiers.empty()) {  // without tiers there is no spend to add up
        auto q = tx.query(
            "SELECT CAST(COALESCE(SUM(base_total - base_refunded), 0) AS BIGINT) FROM orders"
            " WHERE tenant_id = :tenant AND customer_id = ? AND counted = 1 AND placed_at >= ?",
            customer_id, spend_since());
        q.step();
        const Tier* tier = tier_for(program, q.int64(0));
        name = tier ? std::optional(tier->name) : std::nullopt;
    }
    // Most orders leave the tier as it was: no row write then (order jobs run in batches).
    tx.exec(
        "UPDATE customers SET loyalty_tier = ? WHERE tenant_id = :tenant AND id = ?"
        " AND loyalty_tier IS DISTINCT FROM ?",
        name, customer_id, name);
    return name;
}

// Books what the order is worth now (`target`) against what it gave the customer so far.
int64_t book(Tx& tx, const Program& program, int64_t order_id, const Booked& booked, int64_t target,
             int64_t multiplier_x100) {
    OrderDelta d = order_delta(target, booked.points + booked.withheld, booked.withheld);
    Entry e = new_entry(booked.customer_id, "");
    e.order_id = order_id;
    if (d.points > 0) {
        Holder h = *holder(tx, booked.customer_id, false, true);
        Earning earning = split_earn(d.points, h.balance, program.max_balance);
        e.kind = "earn";
        credit(tx, e, earning, program.expiry_days, multiplier_x100);
        return earning.points;
    }
    if (d.points < 0 || d.give_back > 0) {
        e.kind = "reverse";
        e.withheld = -d.give_back;
        debit(tx, e, -d.points, std::nullopt, order_id);
        return d.points;
    }
    return 0;
}

}  // namespace

OrderOutcome order_changed(Tx& tx, int64_t order_id) {
    auto order = read_order(tx, order_id);
    Program program = load_program(tx);
    OrderOutcome out;
    if (order) {
        out.customer_id = order->customer_id;
    }
    std::vector<Booked> booked = booked_for(tx, order_id);
    // A customer the order no longer belongs to gives its points back.
    for (const Booked& b : booked) {
        if (b.customer_id != out.customer_id) {
            out.change += book(tx, program, order_id, b, 0, 100);
        }
    }
    if (out.customer_id) {
        int64_t customer = *out.customer_id;
        auto tier = set_tier(tx, program, customer);
        Booked mine{customer, 0, 0};
        for (const Booked& b : booked) {
            if (b.customer_id == customer) {
                mine = b;
            }
        }
        // An order earns at the tier of its first earning, so that a later refund of it never
        // earns more because its customer climbed a tier meanwhile.
        int64_t multiplier =
            first_multiplier(tx, order_id, customer).value_or(multiplier_of(program, tier));
        out.target = target_points(program, *order, multiplier, base_unit(tx));
        out.change += book(tx, program, order_id, mine, out.target, multiplier);
    }
    return out;
}

int64_t expire_due(Tx& tx, const std::string& now, int limit) {
    std::vector<std::pair<int64_t, int64_t>> due;  // lot, customer
    {
        auto q = tx.query(
            "SELECT id, customer_id FROM loyalty_lots WHERE tenant_id = :tenant AND remaining > 0"
            " AND expires_at IS NOT NULL AND expires_at <= ? ORDER BY expires_at, id LIMIT ?",
            now, limit);
        while (q.step()) {
            due.emplace_back(q.int64(0), q.int64(1));
        }
    }
    int64_t expired = 0;
    for (const auto& [lot, customer] : due) {
        holder(tx, customer, false, true);  // the lock first, then the lot as it is now
        auto q = tx.query("SELECT remaining FROM loyalty_lots WHERE tenant_id = :tenant AND id = ?",
                          lot);
        int64_t remaining = q.step() ? q.int64(0) : 0;
        q.run();
        if (remaining <= 0) {
            continue;
        }
        Entry e = new_entry(customer, "expire");
        e.points = -remaining;
        e.balance_after = *move_balance(tx, customer, -remaining, std::nullopt);
        e.lots = {{lot, remaining}};
        insert_entry(tx, e, std::nullopt);
        book_uses(tx, e);
        ++expired;
    }
    return expired;
}

TierPage recompute_tiers(Tx& tx, const Program& program, int64_t after_id, int limit) {
    TierPage page;
    if (program.tiers.empty()) {
        page.changed = tx.exec(
            "UPDATE customers SET loyalty_tier = NULL WHERE tenant_id = :tenant"
            " AND loyalty_tier IS NOT NULL");
        return page;
    }
    struct Row {
        int64_t id;
        std::optional<std::string> tier;
        int64_t spend;
    };
    std::vector<Row> rows;
    {
        auto q = tx.query(
            "SELECT c.id, c.loyalty_tier, (SELECT CAST(COALESCE(SUM(o.base_total -"
            " o.base_refunded), 0) AS BIGINT) FROM orders o WHERE o.tenant_id = c.tenant_id"
            " AND o.customer_id = c.id AND o.counted = 1 AND o.placed_at >= ?)"
            " FROM customers c WHERE c.tenant_id = :tenant AND c.id > ? ORDER BY c.id LIMIT ?",
            spend_since(), after_id, limit);
        while (q.step()) {
            rows.push_back({q.int64(0), q.optional_text(1), q.int64(2)});
        }
    }
    for (const Row& row : rows) {
        const Tier* tier = tier_for(program, row.spend);
        std::optional<std::string> name = tier ? std::optional(tier->name) : std::nullopt;
        if (name != row.tier) {
            tx.exec("UPDATE customers SET loyalty_tier = ? WHERE tenant_id = :tenant AND id = ?",
                    name, row.id);
            ++page.changed;
        }
    }
    if (int64_t(rows.size()) == limit) {
        page.next = rows.back().id;
    }
    return page;
}

json::object summary(Tx& tx, int64_t customer_id, int limit, std::optional<int64_t> before) {
    auto h = holder(tx, customer_id, true, false);
    if (!h) {
        throw Error(Code::not_found, fmt::format("There is no customer {}.", customer_id));
    }
    std::vector<Entry> entries;
    {
        auto q = tx.query(
            "SELECT e.id, e.kind, e.points, e.balance_after, e.debt, e.withheld, e.order_id,"
            " e.reason, e.created_by, e.created_at, l.expires_at FROM loyalty_entries e"
            " LEFT JOIN loyalty_lots l ON l.tenant_id = e.tenant_id AND l.entry_id = e.id"
            " WHERE e.tenant_id = :tenant AND e.customer_id = ? AND e.id < ?"
            " ORDER BY e.id DESC LIMIT ?",
            customer_id, before.value_or(INT64_MAX), limit + 1);
        while (q.step()) {
            Entry& e = entries.emplace_back(new_entry(customer_id, std::string(q.text(1))));
            e.id = q.int64(0);
            e.points = q.int64(2);
            e.balance_after = q.int64(3);
            e.debt = q.int64(4);
            e.withheld = q.int64(5);
            e.order_id = q.optional_int64(6);
            e.reason = q.optional_text(7);
            e.created_by = q.optional_int64(8);
            e.created_at = std::string(q.text(9));
            e.expires_at = q.optional_text(10);
        }
    }
    json::value next = nullptr;
    if (int64_t(entries.size()) > limit) {
        entries.pop_back();
        next = std::to_string(entries.back().id);
    }
    if (!entries.empty()) {
        auto q = tx.query(
            "SELECT u.entry_id, u.lot_id, u.points FROM loyalty_entries e JOIN loyalty_lot_uses u"
            " ON u.tenant_id = e.tenant_id AND u.entry_id = e.id WHERE e.tenant_id = :tenant"
            " AND e.customer_id = ? AND e.id >= ? AND e.id <= ? ORDER BY u.entry_id, u.lot_id",
            customer_id, entries.back().id, entries.front().id);
        while (q.step()) {
            int64_t entry_id = q.int64(0);
            auto it = std::find_if(entries.begin(), entries.end(),
                                   [&](const Entry& e) { return e.id == entry_id; });
            it->lots.push_back({q.int64(1), q.int64(2)});
        }
    }
    json::value next_expiry = nullptr;
    {
        auto q = tx.query(
            "SELECT expires_at, CAST(SUM(remaining) AS BIGINT) FROM loyalty_lots"
            " WHERE tenant_id = :tenant AND customer_id = ? AND remaining > 0"
            " AND expires_at IS NOT NULL GROUP BY expires_at ORDER BY expires_at LIMIT 1",
            customer_id);
        if (q.step()) {
            next_expiry = json::object{{"points", q.int64(1)}, {"at", q.text(0)}};
        }
    }
    json::array data;
    for (const Entry& e : entries) {
        data.push_back(to_json(e));
    }
    return json::object{{"balance", h->balance},
                        {"tier", h->tier ? json::value(*h->tier) : json::value(nullptr)},
                        {"next_expiry", std::move(next_expiry)},
                        {"entries", std::move(data)},
                        {"next_cursor", std::move(next)}};
}

int64_t rebuild_balances(store::Database& db) {
    std::vector<int64_t> workspaces = db.read(std::nullopt, [](Tx& tx) {
        std::vector<int64_t> ids;
        for (auto q = tx.query("SELECT id FROM tenants ORDER BY id"); q.step();) {
            ids.push_back(q.int64(0));
        }
        return ids;
    });
    static const std::string ledger =
        "(SELECT CAST(COALESCE(SUM(e.points), 0) AS BIGINT) FROM loyalty_entries e"
        " WHERE e.tenant_id = customers.tenant_id AND e.customer_id = customers.id)";
    static const std::string fix = "UPDATE customers SET loyalty_points = " + ledger +
                                   " WHERE tenant_id = :tenant AND id > ? AND id <= ?"
                                   " AND loyalty_points <> " +
                                   ledger;
    constexpr int batch = 2000;
    int64_t wrong = 0;
    for (int64_t workspace : workspaces) {
        for (std::optional<int64_t> after = 0; after;) {
            // One short write per batch of customers: the server may go on meanwhile, and an
            // entry written between batches keeps its cache right by itself.
            auto [upto, fixed] = db.write(workspace, [&](Tx& tx) {
                auto q = tx.query(
                    "SELECT MAX(id) FROM (SELECT id FROM customers WHERE tenant_id = :tenant"
                    " AND id > ? ORDER BY id LIMIT ?) page",
                    *after, batch);
                std::optional<int64_t> last = q.step() ? q.optional_int64(0) : std::nullopt;
                q.run();
                int64_t changed = last ? tx.exec(fix, *after, *last) : 0;
                return std::pair(last, changed);
            });
            wrong += fixed;
            after = upto;
        }
    }
    return wrong;
}

}  // namespace clientele::loyalty
