#include "portal/purchases.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "core/error.hpp"
#include "core/keyset.hpp"
#include "core/text.hpp"
#include "customers/service.hpp"
#include "http/context.hpp"
#include "http/router.hpp"
#include "store/db.hpp"

namespace clientele::portal {

namespace json = boost::json;
using http::RequestContext;
using http::Response;

namespace sql {
constexpr std::string_view order_columns =
    "SELECT id, number, status, currency, subtotal, discount, tax, shipping, total,"
    " refunded_amount, placed_at, paid_at, fulfilled_at FROM orders"
    " WHERE tenant_id = :tenant AND customer_id = ?";
// The customer's orders newest first: a walk of orders_by_customer backwards.
constexpr std::string_view orders_page_first = " ORDER BY placed_at DESC, id DESC LIMIT ?";
constexpr std::string_view orders_page_after =
    " AND (placed_at < ? OR placed_at = ? AND id < ?) ORDER BY placed_at DESC, id DESC LIMIT ?";
constexpr std::string_view one_order = " AND id = ?";
constexpr std::string_view order_lines =
    "SELECT sku, name, quantity, unit_price, tax, discount FROM order_lines"
    " WHERE tenant_id = :tenant AND order_id = ? ORDER BY position";
// The points that expire first, and when: the soonest lot(s) with points left.
constexpr std::string_view next_expiry =
    "SELECT expires_at, SUM(remaining) FROM loyalty_lots WHERE tenant_id = :tenant"
    " AND customer_id = ? AND remaining > 0 AND expires_at IS NOT NULL"
    " GROUP BY expires_at ORDER BY expires_at LIMIT 1";
// The ledger newest first, an earning's entry with its lot's expiry.
constexpr std::string_view entries =
    "SELECT e.id, e.kind, e.points, e.balance_after, e.debt, e.order_id, e.reason, e.created_at,"
    " (SELECT l.expires_at FROM loyalty_lots l WHERE l.tenant_id = e.tenant_id"
    "  AND l.customer_id = e.customer_id AND l.entry_id = e.id)"
    " FROM loyalty_entries e WHERE e.tenant_id = :tenant AND e.customer_id = ?";
constexpr std::string_view entries_first = " ORDER BY e.id DESC LIMIT ?";
constexpr std::string_view entries_after = " AND e.id < ? ORDER BY e.id DESC LIMIT ?";
}  // namespace sql

namespace {

constexpr int default_limit = 20;

json::value optional_text(const store::Query& q, int column) {
    return q.is_null(column) ? json::value(nullptr) : json::value(q.text(column));
}
json::value optional_int(const store::Query& q, int column) {
    return q.is_null(column) ? json::value(nullptr) : json::value(q.int64(column));
}

json::object order_json(const store::Query& q) {
    return {{"id", q.int64(0)},
            {"number", q.text(1)},
            {"status", q.text(2)},
            {"currency", q.text(3)},
            {"subtotal", q.int64(4)},
            {"discount", q.int64(5)},
            {"tax", q.int64(6)},
            {"shipping", q.int64(7)},
            {"total", q.int64(8)},
            {"refunded_amount", q.int64(9)},
            {"placed_at", q.text(10)},
            {"paid_at", optional_text(q, 11)},
            {"fulfilled_at", optional_text(q, 12)}};
}

json::array lines_of(store::Tx& tx, int64_t order_id) {
    json::array lines;
    for (auto q = tx.query(sql::order_lines, order_id); q.step();) {
        int64_t quantity = q.int64(2), unit_price = q.int64(3), tax = q.int64(4),
                discount = q.int64(5);
        // Within the orders area's limits (10^6 × 10^13 fits in 64 bits with the rest).
        json::object line{{"sku", optional_text(q, 0)},
                          {"name", q.text(1)},
                          {"quantity", quantity},
                          {"unit_price", unit_price},
                          {"tax", tax},
                          {"discount", discount},
                          {"total", quantity * unit_price - discount + tax}};
        lines.push_back(std::move(line));
    }
    return lines;
}

// `limit` and `cursor` of a portal list; anything else is a 422.
template <class Cursor>
void read_page_params(const RequestContext& ctx, int& limit, std::optional<Cursor>& after,
                      auto decode) {
    std::vector<FieldError> errors;
    for (const auto& [name, value] : ctx.request.query) {
        if (name == "limit") {
            http::parse_limit(value, limit, errors);
        } else if (name == "cursor") {
            after = decode(value);
            if (!after) {
                throw Error(Code::bad_request, "The cursor is not one this server made.");
            }
        } else {
            errors.push_back({name, "is not a known parameter"});
        }
    }
    throw_if_invalid(errors);
}

Task<Response> my_orders(RequestContext& ctx) {
    int limit = default_limit;
    std::optional<KeysetCursor> after;
    read_page_params(ctx, limit, after, decode_keyset);
    int64_t me = ctx.caller().customer_id;
    auto [data, next] = ctx.read([&](store::Tx& tx) {
        std::string text(sql::order_columns);
        text.append(after ? sql::orders_page_after : sql::orders_page_first);
        auto q = tx.query(text, me);
        if (after) {
            q.bind(after->key);
            q.bind(after->key);
            q.bind(after->id);
        }
        q.bind(int64_t(limit) + 1);
        json::array rows;
        std::optional<KeysetCursor> last;
        while (q.step()) {
            if (rows.size() == size_t(limit)) {
                return std::pair(std::move(rows), std::optional<std::string>(encode_keyset(*last)));
            }
            rows.push_back(order_json(q));
            last = KeysetCursor{std::string(q.text(10)), q.int64(0)};
        }
        return std::pair(std::move(rows), std::optional<std::string>());
    });
    co_return Response::json(200, http::list_envelope(std::move(data), std::move(next)));
}

Task<Response> my_order(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    int64_t me = ctx.caller().customer_id;
    auto order = ctx.read([&](store::Tx& tx) -> std::optional<json::object> {
        auto q = tx.query(std::string(sql::order_columns).append(sql::one_order), me, id);
        if (!q.step()) {
            return std::nullopt;
        }
        json::object out = order_json(q);
        out["lines"] = lines_of(tx, id);
        return out;
    });
    if (!order) {
        // Another customer's order is no more there than one that does not exist.
        throw Error(Code::not_found, "You have no order with this id.");
    }
    co_return Response::json(200, *order);
}

Task<Response> my_points(RequestContext& ctx) {
    int limit = default_limit;
    std::optional<int64_t> before;
    read_page_params(ctx, limit, before, [](std::string_view text) { return parse_id(text); });
    int64_t me = ctx.caller().customer_id;
    json::object body = ctx.read([&](store::Tx& tx) {
        customers::Customer c = customers::require(tx, me);
        json::object out{{"balance", c.loyalty_points},
                         {"tier", c.loyalty_tier ? json::value(*c.loyalty_tier) : nullptr},
                         {"next_expiry", nullptr}};
        if (auto q = tx.query(sql::next_expiry, me); q.step()) {
            out["next_expiry"] = json::object{{"points", q.int64(1)}, {"at", q.text(0)}};
        }
        auto q = tx.query(
            std::string(sql::entries).append(before ? sql::entries_after : sql::entries_first), me);
        if (before) {
            q.bind(*before);
        }
        q.bind(int64_t(limit) + 1);
        json::array entries;
        std::optional<std::string> next;
        while (q.step()) {
            if (entries.size() == size_t(limit)) {
                next = std::to_string(entries.back().as_object().at("id").as_int64());
                break;
            }
            json::object entry{{"id", q.int64(0)},
                               {"kind", q.text(1)},
                               {"points", q.int64(2)},
                               {"balance_after", q.int64(3)},
                               {"debt", q.int64(4)},
                               {"order_id", optional_int(q, 5)},
                               {"reason", optional_text(q, 6)},
                               {"created_at", q.text(7)},
                               {"expires_at", optional_text(q, 8)}};
            entries.push_back(std::move(entry));
        }
        out["entries"] = std::move(entries);
        out["next_cursor"] = next ? json::value(*next) : nullptr;
        return out;
    });
    co_return Response::json(200, body);
}

}  // namespace

void register_purchase_routes(http::Router& router) {
    using http::Access;
    using http::Method;
    const Access customer = Access::portal_customer();
    router.add(Method::get, "/api/portal/{workspace}/orders", customer, my_orders);
    router.add(Method::get, "/api/portal/{workspace}/orders/{id}", customer, my_order);
    router.add(Method::get, "/api/portal/{workspace}/loyalty", customer, my_points);
}

}  // namespace clientele::portal
