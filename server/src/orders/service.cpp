#include "orders/service.hpp"

#include <fmt/format.h>

#include <boost/json/object.hpp>

#include "audit/trail.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "jobs/queue.hpp"
#include "orders/queries.hpp"
#include "orders/settings.hpp"
#include "store/columns.hpp"

namespace clientele::orders {

namespace json = boost::json;

namespace {

// How an order's changes show in the audit trail: bookkeeping left out.
const audit::FieldPolicy audit_policy{.ignored = {"id", "version", "created_at", "updated_at"},
                                      .masked = {}};

std::string select_where(std::string_view where, bool lock = false) {
    std::string text = order_columns().sql("SELECT {columns}");
    text.append(sql::from_orders).append(where);
    if (lock) {
        text.append(sql::lock_row_postgres);
    }
    return text;
}
const std::string& insert_sql() {
    static const std::string text = order_columns().sql(sql::insert);
    return text;
}
const std::string& update_sql() {
    static const std::string text = order_columns().sql(sql::update);
    return text;
}

void load_lines(store::Tx& tx, Order& o) {
    o.lines.clear();
    for (auto q = tx.query(sql::lines_of, o.id); q.step();) {
        o.lines.push_back(Line{q.optional_text(0), std::string(q.text(1)), q.int64(2), q.int64(3),
                               q.int64(4), q.int64(5)});
    }
}

void save_lines(store::Tx& tx, const Order& o) {
    tx.exec(sql::clear_lines, o.id);
    for (size_t i = 0; i < o.lines.size(); ++i) {
        const Line& l = o.lines[i];
        tx.exec(sql::add_line, o.id, int64_t(i), l.sku, l.name, l.quantity, l.unit_price, l.tax,
                l.discount);
    }
}

// The order with this number or id, its row locked on PostgreSQL when `lock`.
template <class Key>
std::optional<Order> read_one(store::Tx& tx, std::string_view where, const Key& key, bool lock) {
    auto q = tx.query(select_where(where, lock && tx.backend() == store::Backend::postgres), key);
    if (!q.step()) {
        return std::nullopt;
    }
    Order o = order_columns().read(q);
    q.run();  // the statement is done before the next one reads the lines
    load_lines(tx, o);
    return o;
}

Order require_locked(store::Tx& tx, int64_t id, std::optional<int64_t> expected_version) {
    auto o = read_one(tx, sql::where_id, id, true);
    if (!o) {
        throw Error(Code::not_found, fmt::format("There is no order {}.", id));
    }
    check_version(expected_version, o->version, "order");
    return *o;
}

// The customer an order belongs to: the live customer_id it names (422 otherwise), else the live
// customer with its e-mail, else none (a guest order, attached when that customer appears).
std::optional<int64_t> resolve_customer(store::Tx& tx, const OrderInput& input) {
    if (input.customer_id) {
        if (!tx.query(sql::live_customer, *input.customer_id).step()) {
            throw field_error("customer_id", "must be a live customer of this workspace");
        }
        return input.customer_id;
    }
    if (!input.customer_email.empty()) {
        auto q = tx.query(sql::customer_by_email, input.customer_email);
        if (q.step()) {
            return q.int64(0);
        }
    }
    return std::nullopt;
}

// The rate an order keeps: none in the base currency, a required one in any other.
std::optional<Rate> order_rate(const OrderInput& input, const std::string& base) {
    if (input.currency == base) {
        if (input.exchange_rate && *input.exchange_rate != Rate{1, 0}) {
            throw field_error("exchange_rate",
                              fmt::format("must be 1 or left out: {} is the base currency", base));
        }
        return std::nullopt;
    }
    if (!input.exchange_rate) {
        throw field_error("exchange_rate",
                          fmt::format("is required for an order in {}: the workspace's base "
                                      "currency is {}",
                                      input.currency, base));
    }
    return input.exchange_rate;
}

// An amount of the order in the base currency (see core/currency.hpp for the rounding).
int64_t to_base(const Order& o, int64_t amount, const std::string& base) {
    if (!o.exchange_rate) {
        return amount;
    }
    auto converted = convert_amount(amount, *parse_rate(*o.exchange_rate),
                                    currency_exponent(o.currency), currency_exponent(base));
    if (!converted) {
        throw field_error("exchange_rate", "makes the amount in the base currency too large");
    }
    return *converted;
}

// What follows from an order's status and amounts: base amounts, counted, paid_at, fulfilled_at.
void derive(Order& o, const std::string& base, const std::string& now) {
    o.base_total = to_base(o, o.total, base);
    o.base_refunded = to_base(o, o.refunded_amount, base);
    o.counted = is_counted(o.status);
    if (!o.paid_at && o.counted) {
        o.paid_at = now;  // a fulfilled or refunded order was paid
    }
    if (!o.fulfilled_at && o.status == fulfilled) {
        o.fulfilled_at = now;
    }
}

// The customers' value figures, by the difference the change makes (never a scan).
void update_value(store::Tx& tx, const Order* before, const Order& after) {
    bool was = before && before->counted && before->customer_id;
    bool is = after.counted && after.customer_id;
    auto net = [](const Order& o) { return o.base_total - o.base_refunded; };
    if (was && is && *before->customer_id == *after.customer_id) {
        int64_t value = net(after) - net(*before);
        int64_t refunds = after.base_refunded - before->base_refunded;
        if (value != 0 || refunds != 0) {
            tx.exec(sql::add_value, int64_t(0), value, refunds, *after.customer_id);
        }
    } else {
        if (was) {
            tx.exec(sql::add_value, int64_t(-1), -net(*before), -before->base_refunded,
                    *before->customer_id);
        }
        if (is) {
            tx.exec(sql::add_value, int64_t(1), net(after), after.base_refunded,
                    *after.customer_id);
        }
    }
    if (was &&
        (!is || before->customer_id != after.customer_id || before->placed_at != after.placed_at)) {
        int64_t customer = *before->customer_id;
        tx.exec(sql::reread_order_dates, customer, customer, customer);
    }
    if (is) {
        const std::string& at = after.placed_at;
        tx.exec(sql::widen_order_dates, at, at, at, at, *after.customer_id);
    }
}

// Loyalty's job, when what points depend on changed.
void tell_loyalty(store::Tx& tx, const Order* before, const Order& after) {
    bool changed = !before || before->status != after.status ||
                   before->customer_id != after.customer_id || before->subtotal != after.subtotal ||
                   before->discount != after.discount || before->tax != after.tax ||
                   before->shipping != after.shipping || before->total != after.total ||
                   before->refunded_amount != after.refunded_amount ||
                   before->base_total != after.base_total || before->placed_at != after.placed_at ||
                   before->paid_at != after.paid_at || before->fulfilled_at != after.fulfilled_at;
    if (changed) {
        jobs::enqueue(tx, order_changed_job, json::object{{"order_id", after.id}},
                      {.audited = false});
    }
}

void write_row(store::Tx& tx, const Order& o, const std::string& now) {
    auto q = tx.query(update_sql());
    order_columns().bind(q, o);
    q.bind(now);
    q.bind(o.id);
    if (q.run() != 1) {
        throw std::logic_error("order update lost its row inside a write transaction");
    }
}

void record(store::Tx& tx, std::string_view action, const std::optional<Order>& before,
            const Order& after, const std::string& base) {
    audit::record(tx, {action, "order", after.id,
                       audit::diff(before ? to_json(*before, base) : json::object{},
                                   to_json(after, base), audit_policy)});
}

void refuse_status(std::string_view from, std::string_view to) {
    throw Error(Code::conflict, fmt::format("An order that is {} cannot become {}.", from, to),
                {{"status", fmt::format("cannot change from {} to {}", from, to)}});
}

}  // namespace

std::optional<Order> find(store::Tx& tx, int64_t id) {
    return read_one(tx, sql::where_id, id, false);
}

Order require(store::Tx& tx, int64_t id, std::optional<int64_t> expected_version) {
    auto o = find(tx, id);
    if (!o) {
        throw Error(Code::not_found, fmt::format("There is no order {}.", id));
    }
    check_version(expected_version, o->version, "order");
    return *o;
}

Pushed push(store::Tx& tx, const OrderInput& input, int64_t created_by) {
    Totals totals = check_totals(input);
    std::string base = base_currency(tx);
    std::string now = now_timestamp();
    Order o;
    o.number = input.number;
    o.customer_email = input.customer_email;
    o.currency = input.currency;
    if (auto rate = order_rate(input, base)) {
        o.exchange_rate = format_rate(*rate);
    }
    o.status = input.status;
    o.lines = input.lines;
    o.subtotal = totals.subtotal;
    o.discount = input.discount;
    o.tax = totals.tax;
    o.shipping = input.shipping;
    o.total = totals.total;
    o.placed_at = input.placed_at;
    o.customer_id = resolve_customer(tx, input);

    std::optional<Order> before = read_one(tx, sql::where_number, input.number, true);
    if (!before) {
        o.refunded_amount = refunded_for(o.status, o.total, input.refunded_amount, 0);
        derive(o, base, now);
        auto q = tx.query(insert_sql());
        order_columns().bind(q, o);
        q.bind(created_by);
        q.bind(now);
        q.bind(now);
        if (q.step()) {
            o.id = q.int64(0);
            q.run();
            save_lines(tx, o);
            update_value(tx, nullptr, o);
            // The row is what was bound (a push is the busiest write: no read back).
            o.version = 1;
            o.created_at = o.updated_at = now;
            record(tx, "order.created", std::nullopt, o, base);
            tell_loyalty(tx, nullptr, o);
            return {std::move(o), true};
        }
        // Another instance stored the number first: this push updates its order.
        before = read_one(tx, sql::where_number, input.number, true);
    }
    if (!can_reach(before->status, o.status)) {
        refuse_status(before->status, o.status);
    }
    o.id = before->id;
    // A guest order that joined its customer stays theirs when the shop sends it again as it did
    // (the same e-mail, no customer_id), even after the customer's e-mail changed.
    if (!o.customer_id && !input.customer_id && o.customer_email == before->customer_email) {
        o.customer_id = before->customer_id;
    }
    o.refunded_amount =
        refunded_for(o.status, o.total, input.refunded_amount, before->refunded_amount);
    o.paid_at = before->paid_at;
    o.fulfilled_at = before->fulfilled_at;
    derive(o, base, now);
    write_row(tx, o, now);
    if (o.lines != before->lines) {
        save_lines(tx, o);
    }
    update_value(tx, &*before, o);
    o.version = before->version + 1;
    o.created_at = before->created_at;
    o.updated_at = now;
    record(tx, "order.updated", before, o, base);
    tell_loyalty(tx, &*before, o);
    return {std::move(o), false};
}

bool is_no_change(const Order& order, const StatusChange& change) {
    return change.status == order.status &&
           (!change.refunded_amount || *change.refunded_amount == order.refunded_amount);
}

Order change_status(store::Tx& tx, int64_t id, const StatusChange& change,
                    std::optional<int64_t> expected_version) {
    Order before = require_locked(tx, id, expected_version);
    if (is_no_change(before, change)) {
        return before;
    }
    if (change.status != before.status && !can_change(before.status, change.status)) {
        refuse_status(before.status, change.status);
    }
    if (change.status == before.status && change.status != partially_refunded) {
        refuse_status(before.status, change.status);  // only a partial refund grows in place
    }
    std::string base = base_currency(tx);
    std::string now = now_timestamp();
    Order o = before;
    o.status = change.status;
    o.refunded_amount =
        refunded_for(o.status, o.total, change.refunded_amount, before.refunded_amount);
    derive(o, base, now);
    write_row(tx, o, now);
    update_value(tx, &before, o);
    Order updated = *find(tx, id);
    bool refund = o.status == refunded || o.status == partially_refunded;
    record(tx, refund ? "order.refunded" : "order.status_changed", before, updated, base);
    tell_loyalty(tx, &before, o);
    return updated;
}

void attach_guest_orders(store::Tx& tx, int64_t customer_id, const std::string& email) {
    std::vector<Order> guests;
    {
        auto q = tx.query(select_where(sql::guest_orders), email);
        while (q.step()) {
            guests.push_back(order_columns().read(q));
        }
    }
    if (guests.empty()) {
        return;
    }
    std::string base = base_currency(tx);
    std::string now = now_timestamp();
    for (Order& before : guests) {
        load_lines(tx, before);
        Order o = before;
        o.customer_id = customer_id;
        tx.exec(sql::attach, customer_id, now, o.id);
        update_value(tx, &before, o);
        record(tx, "order.updated", before, *find(tx, o.id), base);
        tell_loyalty(tx, &before, o);
    }
}

std::vector<customers::Purchase> purchase_history(store::Tx& tx, int64_t customer_id, int limit) {
    std::vector<customers::Purchase> out;
    out.reserve(size_t(limit));
    for (auto q = tx.query(sql::history, customer_id, int64_t(limit)); q.step();) {
        std::string currency(q.text(2));
        out.push_back({q.int64(0), to_units(q.int64(1), currency_exponent(currency)),
                       std::string(q.text(3).substr(0, 10)), std::move(currency)});
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Lists: the orders_by_placed index (orders_by_customer for one customer's) walked from the
// cursor, so a page costs the same at any depth.

std::string encode_cursor(const std::string& placed_at, int64_t id) {
    return to_base64url(placed_at + "|" + std::to_string(id));
}

std::optional<std::pair<std::string, int64_t>> decode_cursor(std::string_view text) {
    auto raw = text.size() > 200 ? std::nullopt : from_base64url(text);
    size_t bar = raw ? raw->find('|') : std::string::npos;
    if (bar == std::string::npos || !parse_timestamp(raw->substr(0, bar))) {
        return std::nullopt;
    }
    auto id = parse_id(std::string_view(*raw).substr(bar + 1));
    if (!id) {
        return std::nullopt;
    }
    return std::pair{raw->substr(0, bar), *id};
}

ListPage list(store::Tx& tx, const ListQuery& query) {
    std::string text = order_columns().sql("SELECT {columns}");
    text.append(sql::from_orders).append(" WHERE o.tenant_id = :tenant");
    std::vector<std::string> args;
    auto filter = [&](const std::optional<std::string>& value, std::string_view condition) {
        if (value) {
            text.append(" AND ").append(condition);
            args.push_back(*value);
        }
    };
    filter(query.customer_id ? std::optional(std::to_string(*query.customer_id)) : std::nullopt,
           "o.customer_id = ?");
    filter(query.status, "o.status = ?");
    filter(query.currency, "o.currency = ?");
    filter(query.number, "o.number = ?");
    filter(query.placed_from, "o.placed_at >= ?");
    filter(query.placed_to, "o.placed_at < ?");
    if (query.after) {
        text.append(" AND (o.placed_at, o.id) < (?, ?)");
        args.push_back(query.after->first);
        args.push_back(std::to_string(query.after->second));
    }
    text.append(" ORDER BY o.placed_at DESC, o.id DESC LIMIT ?");
    auto q = tx.query(text);
    for (const std::string& arg : args) {
        q.bind(arg);
    }
    q.bind(int64_t(query.limit + 1));  // one more: is there a next page?
    ListPage page;
    while (q.step()) {
        page.orders.push_back(order_columns().read(q));
    }
    if (int(page.orders.size()) > query.limit) {
        page.orders.resize(size_t(query.limit));
        const Order& last = page.orders.back();
        page.next_cursor = encode_cursor(last.placed_at, last.id);
    }
    return page;
}

}  // namespace clientele::orders
