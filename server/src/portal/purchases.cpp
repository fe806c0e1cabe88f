#include "portal/purchases.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "core/error.hpp"
#include "core/text.hpp"
#include "customers/service.hpp"
#include "http/context.hpp"
#include "http/router.hpp"
#include "orders/service.hpp"
#include "store/db.hpp"

namespace clientele::portal {

namespace json = boost::json;
using http::RequestContext;
using http::Response;

namespace sql {
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

// What a customer sees of their order: not the business's own figures (exchange rate, base
// amounts, the e-mail it was pushed with).
json::object order_json(const orders::Order& o, bool with_lines) {
    json::object out{{"id", o.id},
                     {"number", o.number},
                     {"status", o.status},
                     {"currency", o.currency},
                     {"subtotal", o.subtotal},
                     {"discount", o.discount},
                     {"tax", o.tax},
                     {"shipping", o.shipping},
                     {"total", o.total},
                     {"refunded_amount", o.refunded_amount},
                     {"placed_at", o.placed_at},
                     {"paid_at", o.paid_at ? json::value(*o.paid_at) : nullptr},
                     {"fulfilled_at", o.fulfilled_at ? json::value(*o.fulfilled_at) : nullptr}};
    if (with_lines) {
        json::array lines;
        for (const orders::Line& l : o.lines) {
            json::object line{{"sku", l.sku ? json::value(*l.sku) : nullptr},
                              {"name", l.name},
                              {"quantity", l.quantity},
                              {"unit_price", l.unit_price},
                              {"tax", l.tax},
                              {"discount", l.discount},
                              {"total", l.total()}};
            lines.push_back(std::move(line));
        }
        out["lines"] = std::move(lines);
    }
    return out;
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
    orders::ListQuery query;
    query.limit = default_limit;
    read_page_params(ctx, query.limit, query.after, orders::decode_cursor);
    query.customer_id = ctx.caller().customer_id;
    orders::ListPage page = ctx.read([&](store::Tx& tx) { return orders::list(tx, query); });
    json::array data;
    for (const orders::Order& o : page.orders) {
        data.push_back(order_json(o, false));
    }
    co_return Response::json(200,
                             http::list_envelope(std::move(data), std::move(page.next_cursor)));
}

Task<Response> my_order(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    int64_t me = ctx.caller().customer_id;
    auto order = ctx.read([&](store::Tx& tx) { return orders::find(tx, id); });
    if (!order || order->customer_id != me) {
        // Another customer's order is no more there than one that does not exist.
        throw Error(Code::not_found, "You have no order with this id.");
    }
    co_return Response::json(200, order_json(*order, true));
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
