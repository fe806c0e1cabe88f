// Demo orders (`clientele demo-data --orders N`): generated in memory a chunk of customers at a
// time, each customer's value figures and loyalty ledger computed from its own orders, then written
// in one large transaction per chunk with multi-row statements (one round trip per few hundred
// rows on PostgreSQL, one statement run on SQLite). Ten million orders take minutes this way;
// through the orders service (audit entry, job and customer update per order) they would take
// hours. The figures are those the orders and loyalty areas keep (docs/api.md), which
// tests/integration/test_demo_data.py recounts.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <future>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/currency.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "demo/demo_data.hpp"
#include "loyalty/ledger.hpp"
#include "loyalty/program.hpp"
#include "store/db.hpp"

namespace clientele::demo {

namespace {

struct Product {
    std::string_view sku, name;
    int64_t price;  // minor units, the same figure in every currency (a shop's price list)
};
// A small shop's catalogue: sample data typed here, as the customers' names are.
constexpr std::array<Product, 24> catalog{{
    {"TEE-ORG-M", "Organic cotton T-shirt", 2499},
    {"TEE-ORG-L", "Organic cotton T-shirt L", 2499},
    {"HOOD-GRY", "Grey hoodie", 5900},
    {"CAP-NVY", "Navy cap", 1999},
    {"MUG-CER", "Ceramic mug", 1450},
    {"BTL-STL", "Steel water bottle", 2950},
    {"BAG-TOTE", "Canvas tote bag", 1800},
    {"NB-A5", "A5 notebook", 990},
    {"PEN-SET", "Fountain pen set", 4500},
    {"SOCK-3P", "Socks, 3 pairs", 1500},
    {"SCARF-WL", "Wool scarf", 3900},
    {"GLOV-LTH", "Leather gloves", 6900},
    {"LAMP-DSK", "Desk lamp", 8900},
    {"CNDL-SOY", "Soy candle", 1650},
    {"TEA-GRN", "Green tea, 100 g", 1200},
    {"COF-BNS", "Coffee beans, 1 kg", 2890},
    {"BKPK-CTY", "City backpack", 11900},
    {"WLT-SLM", "Slim wallet", 3450},
    {"UMB-CMP", "Compact umbrella", 2200},
    {"PUZ-1000", "Puzzle, 1000 pieces", 1999},
    {"HDPH-BT", "Bluetooth headphones", 14900},
    {"CHRG-USB", "USB-C charger", 2599},
    {"PLNT-POT", "Plant pot", 1350},
    {"BLNK-KNT", "Knitted blanket", 7900},
}};

// One unit of an order currency in the base currency (USD), x10^4. USD, EUR and GBP all have two
// decimals (cents).
constexpr int rate_decimals = 4;
constexpr int64_t rate_scale = 10000;
constexpr int cents = 2;  // the exponent of USD, EUR and GBP
constexpr int64_t cents_per_unit = 100;
// Demo customers have no tier: their orders earn at ×1.00 (loyalty_entries.multiplier_x100).
constexpr int64_t no_tier_multiplier = 100;
struct DemoCurrency {
    std::string_view code;
    int64_t rate;    // around which the month's rate moves (±2%)
    int64_t tax_bp;  // tax on a line, basis points
};
constexpr DemoCurrency usd{"USD", rate_scale, 825};
constexpr DemoCurrency eur{"EUR", 10850, 2000};
constexpr DemoCurrency gbp{"GBP", 12700, 2000};

enum class Status { pending, paid, fulfilled, cancelled, refunded, partially_refunded };
constexpr std::array<std::string_view, 6> status_names{
    "pending", "paid", "fulfilled", "cancelled", "refunded", "partially_refunded"};

struct Line {
    const Product* product;
    int64_t quantity, tax, discount;
};

struct Order {
    size_t customer;  // in Chunk::customers
    std::string number;
    const DemoCurrency* currency;
    int64_t rate = rate_scale;  // this order's: rate_scale for the base currency
    std::string rate_text;      // "" for the base currency
    Status status;
    std::array<Line, 3> lines;
    int line_count = 0;
    int64_t subtotal = 0, discount = 0, tax = 0, shipping = 0, total = 0, refunded = 0;
    int64_t base_total = 0, base_refunded = 0;
    int64_t placed_ms = 0;
    std::optional<int64_t> paid_ms, fulfilled_ms, ended_ms;  // ended: cancelled or refunded
    std::string placed_at, paid_at, fulfilled_at, updated_at;
    int64_t version = 1;
    bool counted() const { return status != Status::pending && status != Status::cancelled; }
};

// A ledger entry: earn (points > 0, with its lot) or reverse (points < 0, taken from the lot).
struct Entry {
    size_t order;
    int64_t points;
    int64_t balance;  // the customer's balance after it, less the balance before the chunk
    const std::string* created_at;
    size_t lot;  // an earn's own lot; for a reverse, the lot it takes from
};

struct Lot {
    size_t order, entry;
    int64_t points, remaining;
};

struct Customer {
    int64_t id = 0;
    std::string email;  // lower-case, "" none
    int64_t order_count = 0, value = 0, refunded = 0, points = 0;
    std::string first_order_at, last_order_at;  // "" none
};

struct Chunk {
    std::vector<Customer> customers;  // ascending ids
    std::vector<Order> orders;   // by customer, then placed_at (ids follow); reserved up front, as
                                 // entries point at its strings
    std::vector<Entry> entries;  // by customer, then time
    std::vector<Lot> lots;
};

int64_t uniform(std::mt19937_64& rng, int64_t low, int64_t high) {
    return low + int64_t(rng() % uint64_t(high - low + 1));
}

// amount in the base currency, as the orders area converts it.
int64_t to_base(int64_t amount, int64_t rate) {
    return *convert_amount(amount, Rate{rate, rate_decimals}, cents, cents);  // fits: small
}

// What the default program gives an order still paid but for `base_refunded`: loyalty's own
// formula (loyalty/ledger.hpp), at the multiplier of no tier.
int64_t program_points(const Order& o, int64_t base_refunded) {
    static const loyalty::Program default_program;
    loyalty::OrderFigures figures{.customer_id = 1,
                                  .status = "paid",
                                  .subtotal = o.subtotal,
                                  .discount = o.discount,
                                  .tax = o.tax,
                                  .shipping = o.shipping,
                                  .total = o.total,
                                  .base_total = o.base_total,
                                  .base_refunded = base_refunded,
                                  .paid = true,
                                  .fulfilled = false};
    return loyalty::target_points(default_program, figures, no_tier_multiplier, cents_per_unit);
}

std::string timestamp(int64_t ms) {
    return format_timestamp(Clock::time_point(std::chrono::milliseconds(ms)));
}

// How many orders each customer gets: a fifth never ordered, the others by a log-normal weight, so
// most have a few and some dozens. Randomised rounding, then corrected to exactly `total`.
std::vector<int64_t> order_counts(std::mt19937_64& rng, size_t customers, int64_t total) {
    std::lognormal_distribution<double> weight(-0.6, 1.1);
    std::vector<double> weights(customers);
    double sum = 0;
    for (double& w : weights) {
        w = rng() % 5 == 0 ? 0 : weight(rng);
        sum += w;
    }
    if (sum == 0) {  // a handful of customers, all drawn as non-buyers
        std::fill(weights.begin(), weights.end(), 1.0);
        sum = double(customers);
    }
    std::vector<int64_t> counts(customers);
    int64_t given = 0;
    std::uniform_real_distribution<double> unit(0, 1);
    for (size_t i = 0; i < customers; ++i) {
        counts[i] = int64_t(std::floor(double(total) * weights[i] / sum + unit(rng)));
        given += counts[i];
    }
    while (given != total) {
        size_t i = rng() % customers;
        if (given < total && weights[i] > 0) {
            ++counts[i];
            ++given;
        } else if (given > total && counts[i] > 0) {
            --counts[i];
            --given;
        }
    }
    return counts;
}

class Generator {
  public:
    Generator(uint64_t seed, int64_t now_ms) : rng_(seed), now_ms_(now_ms) {}

    // Adds `count` orders of `customer` to the chunk, with its figures and ledger entries.
    void add_customer(Chunk& chunk, size_t customer, int64_t count, int64_t& serial) {
        uint64_t home = rng_() % 100;
        const DemoCurrency* currency = home < 80 ? &usd : home < 92 ? &eur : &gbp;
        size_t first = chunk.orders.size();
        for (int64_t i = 0; i < count; ++i) {
            chunk.orders.push_back(make_order(customer, rng_() % 10 == 0 ? &usd : currency));
        }
        std::sort(chunk.orders.begin() + ptrdiff_t(first), chunk.orders.end(),
                  [](const Order& a, const Order& b) { return a.placed_ms < b.placed_ms; });
        Customer& c = chunk.customers[customer];
        // (time, order, earn?) in time order: the ledger as the order job would have written it.
        struct Event {
            int64_t ms;
            size_t order;
            bool earn;
        };
        std::vector<Event> events;
        for (size_t o = first; o < chunk.orders.size(); ++o) {
            Order& order = chunk.orders[o];
            order.number = fmt::format("D{:08}", ++serial);
            order.placed_at = timestamp(order.placed_ms);
            int64_t updated = order.placed_ms;
            for (auto [ms, text] : {std::pair{order.paid_ms, &order.paid_at},
                                    std::pair{order.fulfilled_ms, &order.fulfilled_at}}) {
                if (ms) {
                    *text = timestamp(*ms);
                    updated = std::max(updated, *ms);
                    ++order.version;
                }
            }
            if (order.ended_ms) {  // the cancellation or refund: its last change
                updated = std::max(updated, *order.ended_ms);
                ++order.version;
            }
            order.updated_at = timestamp(updated);
            if (order.counted()) {
                ++c.order_count;
                c.value += order.base_total - order.base_refunded;
                c.refunded += order.base_refunded;
                if (c.first_order_at.empty()) {
                    c.first_order_at = order.placed_at;
                }
                c.last_order_at = order.placed_at;
            }
            if (order.paid_ms) {
                events.push_back({*order.paid_ms, o, true});
                if (order.ended_ms) {
                    events.push_back({*order.ended_ms, o, false});
                }
            }
        }
        std::stable_sort(events.begin(), events.end(),
                         [](const Event& a, const Event& b) { return a.ms < b.ms; });
        std::unordered_map<size_t, size_t> lot_of_order;
        for (const Event& event : events) {
            const Order& order = chunk.orders[event.order];
            int64_t earned = program_points(order, 0);
            if (event.earn) {
                if (earned == 0) {
                    continue;
                }
                lot_of_order[event.order] = chunk.lots.size();
                chunk.lots.push_back({event.order, chunk.entries.size(), earned, earned});
                add_entry(chunk, c, event.order, earned, &order.paid_at, chunk.lots.size() - 1);
                continue;
            }
            int64_t kept = order.status == Status::partially_refunded
                               ? program_points(order, order.base_refunded)
                               : 0;
            auto lot = lot_of_order.find(event.order);
            if (lot == lot_of_order.end() || kept == earned) {
                continue;
            }
            // The order's own lot still holds all it earned (the demo redeems nothing): no debt.
            // The entry is dated with the cancellation or refund, the order's last change.
            chunk.lots[lot->second].remaining -= earned - kept;
            add_entry(chunk, c, event.order, kept - earned, &order.updated_at, lot->second);
        }
    }

  private:
    void add_entry(Chunk& chunk, Customer& c, size_t order, int64_t points,
                   const std::string* created_at, size_t lot) {
        c.points += points;
        chunk.entries.push_back({order, points, c.points, created_at, lot});
    }

    Order make_order(size_t customer, const DemoCurrency* currency) {
        constexpr int64_t minute = 60'000, hour = 60 * minute, day = 24 * hour;
        Order o;
        o.customer = customer;
        o.currency = currency;
        uint64_t draw = rng_() % 1000;
        o.status = draw < 30    ? Status::pending
                   : draw < 80  ? Status::cancelled
                   : draw < 120 ? Status::refunded
                   : draw < 160 ? Status::partially_refunded
                   : draw < 300 ? Status::paid
                                : Status::fulfilled;
        // Pending orders are recent, paid ones not yet shipped are from the last three weeks.
        int64_t span = o.status == Status::pending ? 3 * day
                       : o.status == Status::paid  ? 21 * day
                                                   : 730 * day;
        o.placed_ms = now_ms_ - uniform(rng_, 0, span);
        auto at = [&](int64_t ms) { return std::min(ms, now_ms_); };
        bool paid = o.status != Status::pending && (o.status != Status::cancelled || rng_() % 2);
        if (paid) {
            o.paid_ms = at(o.placed_ms + uniform(rng_, 30'000, 15 * minute));
        }
        bool refund = o.status == Status::refunded || o.status == Status::partially_refunded;
        if (o.status == Status::fulfilled || (refund && rng_() % 10 < 7)) {
            o.fulfilled_ms = at(*o.paid_ms + uniform(rng_, day, 5 * day));
        }
        if (o.status == Status::cancelled) {
            o.ended_ms = at(o.paid_ms.value_or(o.placed_ms) + uniform(rng_, hour, 2 * day));
        } else if (refund) {
            o.ended_ms = at(o.fulfilled_ms.value_or(*o.paid_ms) + uniform(rng_, 2 * day, 30 * day));
        }
        if (currency != &usd) {
            // The month's rate: a fixed wobble per month within ±2%.
            int64_t month = o.placed_ms / (30 * day);
            o.rate = currency->rate * (10000 + (month * 37) % 400 - 200) / 10000;
            // Without trailing zeros, as the orders area writes a rate.
            o.rate_text = format_rate(*parse_rate(fmt::format("{}e-{}", o.rate, rate_decimals)));
        }
        uint64_t lines = rng_() % 6;
        o.line_count = lines < 3 ? 1 : lines < 5 ? 2 : 3;
        int64_t tax_bp = currency == &usd && rng_() % 10 < 3 ? 0 : currency->tax_bp;
        for (int i = 0; i < o.line_count; ++i) {
            const Product* product = &catalog[rng_() % catalog.size()];
            while (std::any_of(o.lines.begin(), o.lines.begin() + i,
                               [&](const Line& l) { return l.product == product; })) {
                product = &catalog[rng_() % catalog.size()];
            }
            uint64_t q = rng_() % 100;
            int64_t quantity = q < 75 ? 1 : q < 93 ? 2 : uniform(rng_, 3, 5);
            int64_t gross = quantity * product->price;
            int64_t discount = rng_() % 10 == 0 ? gross / 10 : 0;
            int64_t tax = ((gross - discount) * tax_bp + 5000) / 10000;
            o.lines[size_t(i)] = {product, quantity, tax, discount};
            o.subtotal += gross - discount;
            o.tax += tax;
        }
        o.discount = rng_() % 100 < 8 ? o.subtotal / 10 : 0;
        o.shipping = o.subtotal - o.discount >= 7500 ? 0 : currency == &usd ? 599 : 499;
        o.total = o.subtotal - o.discount + o.tax + o.shipping;
        if (o.status == Status::refunded) {
            o.refunded = o.total;
        } else if (o.status == Status::partially_refunded) {
            o.refunded = std::clamp(o.total * uniform(rng_, 10, 60) / 100, int64_t(1), o.total - 1);
        }
        o.base_total = to_base(o.total, o.rate);
        o.base_refunded = to_base(o.refunded, o.rate);
        return o;
    }

    std::mt19937_64 rng_;
    int64_t now_ms_;
};

// A multi-row statement: `head`, then `row` (a VALUES tuple) repeated, then `tail`. Rows go in
// statements of max_rows, the remainder in one statement each of the sizes its binary digits
// give: few statements, and few distinct ones for PostgreSQL to prepare.
class Rows {
  public:
    static constexpr size_t max_rows = 512;  // × the widest row (22) stays under SQLite's 32766

    Rows(std::string_view head, std::string_view row, std::string_view tail) {
        for (size_t size = 1; size <= max_rows; size *= 2) {
            std::string sql(head);
            for (size_t i = 0; i < size; ++i) {
                sql += i == 0 ? "" : ", ";
                sql += row;
            }
            sql += tail;
            sql_.push_back(std::move(sql));
        }
    }

    //! Runs the statements for `count` rows; `bind(query, i)` binds row i.
    template <class Bind>
    void write(store::Tx& tx, size_t count, Bind&& bind) const {
        size_t done = 0;
        for (size_t size = max_rows, index = sql_.size() - 1; size > 0; size /= 2, --index) {
            while (count - done >= size) {
                auto query = tx.query(sql_[index]);
                for (size_t i = 0; i < size; ++i) {
                    bind(query, done + i);
                }
                query.run();
                done += size;
                if (size < max_rows) {
                    break;
                }
            }
        }
    }

  private:
    std::vector<std::string> sql_;  // for 1, 2, 4, ... max_rows rows
};

std::optional<std::string_view> or_null(const std::string& text) {
    if (text.empty()) {
        return std::nullopt;
    }
    return text;
}

// The next free ids of an id column shared by all workspaces, with `count` of them reserved: on
// PostgreSQL its identity sequence moves past them, so later inserts do not reuse them.
int64_t reserve_ids(store::Tx& tx, std::string_view table, size_t count) {
    store::Tx system = tx.system();
    auto q = system.query(fmt::format("SELECT coalesce(max(id), 0) FROM {}", table));
    int64_t last = q.step() ? q.int64(0) : 0;
    if (tx.backend() == store::Backend::postgres && count > 0) {
        system
            .query(fmt::format("SELECT setval(pg_get_serial_sequence('{}', 'id'), ?)", table),
                   last + int64_t(count))
            .step();
    }
    return last + 1;
}

void write_chunk(store::Tx& tx, const Chunk& chunk) {
    int64_t first_order = reserve_ids(tx, "orders", chunk.orders.size());
    int64_t first_entry = reserve_ids(tx, "loyalty_entries", chunk.entries.size());
    int64_t first_lot = reserve_ids(tx, "loyalty_lots", chunk.lots.size());
    // Each customer's balance before the chunk: the entries continue it.
    std::unordered_map<int64_t, int64_t> balance;
    auto q = tx.query(
        "SELECT id, loyalty_points FROM customers WHERE tenant_id = :tenant AND id >= ? AND"
        " id <= ?",
        chunk.customers.front().id, chunk.customers.back().id);
    while (q.step()) {
        balance[q.int64(0)] = q.int64(1);
    }

    static const Rows orders(
        "INSERT INTO orders (id, tenant_id, number, customer_id, customer_email, currency,"
        " exchange_rate, status, subtotal, discount, tax, shipping, total, refunded_amount,"
        " base_total, base_refunded, counted, placed_at, paid_at, fulfilled_at, version,"
        " created_at, updated_at) VALUES ",
        "(?, :tenant, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "");
    orders.write(tx, chunk.orders.size(), [&](store::Query& q, size_t i) {
        const Order& o = chunk.orders[i];
        const Customer& c = chunk.customers[o.customer];
        q.bind(first_order + int64_t(i));
        q.bind(o.number);
        q.bind(c.id);
        q.bind(c.email);
        q.bind(o.currency->code);
        q.bind(or_null(o.rate_text));
        q.bind(status_names[size_t(o.status)]);
        for (int64_t amount : {o.subtotal, o.discount, o.tax, o.shipping, o.total, o.refunded,
                               o.base_total, o.base_refunded}) {
            q.bind(amount);
        }
        q.bind(o.counted());
        q.bind(o.placed_at);
        q.bind(or_null(o.paid_at));
        q.bind(or_null(o.fulfilled_at));
        q.bind(o.version);
        q.bind(o.placed_at);  // the shop pushed it when it was placed
        q.bind(o.updated_at);
    });

    struct LineRef {
        size_t order;
        int position;
    };
    std::vector<LineRef> lines;
    lines.reserve(chunk.orders.size() * 2);
    for (size_t o = 0; o < chunk.orders.size(); ++o) {
        for (int p = 0; p < chunk.orders[o].line_count; ++p) {
            lines.push_back({o, p});
        }
    }
    static const Rows order_lines(
        "INSERT INTO order_lines (tenant_id, order_id, position, sku, name, quantity, unit_price,"
        " tax, discount) VALUES ",
        "(:tenant, ?, ?, ?, ?, ?, ?, ?, ?)", "");
    order_lines.write(tx, lines.size(), [&](store::Query& q, size_t i) {
        const Line& line = chunk.orders[lines[i].order].lines[size_t(lines[i].position)];
        q.bind(first_order + int64_t(lines[i].order));
        q.bind(lines[i].position);
        q.bind(line.product->sku);
        q.bind(line.product->name);
        q.bind(line.quantity);
        q.bind(line.product->price);
        q.bind(line.tax);
        q.bind(line.discount);
    });

    static const Rows entries(
        "INSERT INTO loyalty_entries (id, tenant_id, customer_id, kind, points, balance_after,"
        " order_id, multiplier_x100, created_at) VALUES ",
        "(?, :tenant, ?, ?, ?, ?, ?, ?, ?)", "");
    entries.write(tx, chunk.entries.size(), [&](store::Query& q, size_t i) {
        const Entry& e = chunk.entries[i];
        int64_t customer = chunk.customers[chunk.orders[e.order].customer].id;
        q.bind(first_entry + int64_t(i));
        q.bind(customer);
        q.bind(e.points > 0 ? "earn" : "reverse");
        q.bind(e.points);
        q.bind(balance[customer] + e.balance);
        q.bind(first_order + int64_t(e.order));
        q.bind(no_tier_multiplier);
        q.bind(*e.created_at);
    });

    static const Rows lots(
        "INSERT INTO loyalty_lots (id, tenant_id, customer_id, entry_id, order_id, points,"
        " remaining, earned_at) VALUES ",
        "(?, :tenant, ?, ?, ?, ?, ?, ?)", "");
    lots.write(tx, chunk.lots.size(), [&](store::Query& q, size_t i) {
        const Lot& lot = chunk.lots[i];
        const Order& order = chunk.orders[lot.order];
        q.bind(first_lot + int64_t(i));
        q.bind(chunk.customers[order.customer].id);
        q.bind(first_entry + int64_t(lot.entry));
        q.bind(first_order + int64_t(lot.order));
        q.bind(lot.points);
        q.bind(lot.remaining);
        q.bind(order.paid_at);
    });

    std::vector<size_t> reverses;
    for (size_t i = 0; i < chunk.entries.size(); ++i) {
        if (chunk.entries[i].points < 0) {
            reverses.push_back(i);
        }
    }
    static const Rows uses(
        "INSERT INTO loyalty_lot_uses (tenant_id, entry_id, lot_id, points) VALUES ",
        "(:tenant, ?, ?, ?)", "");
    uses.write(tx, reverses.size(), [&](store::Query& q, size_t i) {
        const Entry& e = chunk.entries[reverses[i]];
        q.bind(first_entry + int64_t(reverses[i]));
        q.bind(first_lot + int64_t(e.lot));
        q.bind(-e.points);
    });

    // The value figures and balance, added to what the customer had (demo-data may run again).
    static const Rows customers(
        "UPDATE customers SET order_count = order_count + v.column2,"
        " lifetime_value = lifetime_value + v.column3,"
        " refunded_amount = refunded_amount + v.column4,"
        " first_order_at = CASE WHEN first_order_at IS NULL OR v.column5 < first_order_at"
        " THEN coalesce(v.column5, first_order_at) ELSE first_order_at END,"
        " last_order_at = CASE WHEN last_order_at IS NULL OR v.column6 > last_order_at"
        " THEN coalesce(v.column6, last_order_at) ELSE last_order_at END,"
        " loyalty_points = loyalty_points + v.column7 FROM (VALUES ",
        "(?, ?, ?, ?, ?, ?, ?)",
        ") AS v WHERE customers.tenant_id = :tenant AND customers.id = v.column1");
    customers.write(tx, chunk.customers.size(), [&](store::Query& q, size_t i) {
        const Customer& c = chunk.customers[i];
        for (int64_t figure : {c.id, c.order_count, c.value, c.refunded}) {
            q.bind(figure);
        }
        q.bind(or_null(c.first_order_at));
        q.bind(or_null(c.last_order_at));
        q.bind(c.points);
    });
}

// The customers' e-mails, lower-case ("" for none), by id within [first, last].
std::unordered_map<int64_t, std::string> emails(store::Database& db, int64_t tenant, int64_t first,
                                                int64_t last) {
    return db.read(tenant, [&](store::Tx& tx) {
        std::unordered_map<int64_t, std::string> out;
        auto q = tx.query(
            "SELECT id, email FROM customers WHERE tenant_id = :tenant AND id >= ? AND id <= ?",
            first, last);
        while (q.step()) {
            out[q.int64(0)] = q.is_null(1) ? std::string() : ascii_lower(q.text(1));
        }
        return out;
    });
}

}  // namespace

int64_t add_orders(store::Database& db, int64_t tenant, int64_t count, uint64_t seed) {
    struct Start {
        std::vector<int64_t> ids;
        int64_t existing = 0;
        std::string base_currency = "USD";
        bool own_program = false;
    };
    Start start = db.read(tenant, [](store::Tx& tx) {
        Start s;
        auto ids = tx.query(
            "SELECT id FROM customers WHERE tenant_id = :tenant AND deleted_at IS NULL ORDER BY"
            " id");
        while (ids.step()) {
            s.ids.push_back(ids.int64(0));
        }
        auto existing = tx.query("SELECT count(*) FROM orders WHERE tenant_id = :tenant");
        s.existing = existing.step() ? existing.int64(0) : 0;
        auto base = tx.query(
            "SELECT value FROM workspace_settings WHERE tenant_id = :tenant AND"
            " setting_key = 'base_currency'");
        if (base.step()) {
            s.base_currency = std::string(base.text(0));
        }
        s.own_program = tx.query("SELECT 1 FROM loyalty_programs WHERE tenant_id = :tenant").step();
        return s;
    });
    if (start.ids.empty()) {
        throw std::runtime_error("demo orders need customers: the workspace has none");
    }
    if (start.base_currency != usd.code) {
        throw std::runtime_error(
            fmt::format("demo orders are priced over base currency USD; this workspace's is {}",
                        start.base_currency));
    }
    if (start.own_program) {
        throw std::runtime_error(
            "demo orders earn points by the default loyalty program; this workspace has its own");
    }
    std::mt19937_64 rng(seed ^ 0x6f72646572730000);  // not the customers' stream
    std::vector<int64_t> counts = order_counts(rng, start.ids.size(), count);
    auto now = std::chrono::time_point_cast<std::chrono::milliseconds>(Clock::now());
    Generator generator(rng(), now.time_since_epoch().count());
    // A transaction writes about this many orders (and twice as many lines, entries and lots).
    // Each transaction rewrites most leaves of the random index orders_by_placed, so fewer, larger
    // ones cost less: 100,000 take half the system time of 20,000 (2M orders: 7 s against 13 s).
    constexpr int64_t chunk_orders = 100000;
    constexpr size_t chunk_customers = 20000;
    int64_t serial = start.existing, done = 0;
    // The writer thread writes a chunk while this one makes the next.
    std::future<int64_t> writing;
    auto written = [&] {
        if (writing.valid()) {
            done += writing.get();
            spdlog::info("demo data: {} of {} orders", done, count);
        }
    };
    for (size_t first = 0; first < start.ids.size();) {
        size_t last = first;
        int64_t n = 0;
        while (last < start.ids.size() && n < chunk_orders && last - first < chunk_customers) {
            n += counts[last++];
        }
        if (n > 0) {
            auto chunk = std::make_shared<Chunk>();
            chunk->orders.reserve(size_t(n));
            auto email = emails(db, tenant, start.ids[first], start.ids[last - 1]);
            for (size_t i = first; i < last; ++i) {
                if (counts[i] > 0) {
                    Customer& customer = chunk->customers.emplace_back();
                    customer.id = start.ids[i];
                    customer.email = email[start.ids[i]];
                    generator.add_customer(*chunk, chunk->customers.size() - 1, counts[i], serial);
                }
            }
            written();
            writing = std::async(std::launch::async, [&db, tenant, chunk, n] {
                db.write(tenant, [&](store::Tx& tx) { write_chunk(tx, *chunk); });
                return n;
            });
        }
        first = last;
    }
    written();
    return count;
}

}  // namespace clientele::demo
