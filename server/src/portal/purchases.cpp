#include "portal/purchases.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "core/error.hpp"
#include "core/text.hpp"
#include "http/context.hpp"
#include "http/router.hpp"
#include "loyalty/ledger.hpp"
#include "orders/service.hpp"

namespace clientele::portal {

namespace json = boost::json;
using http::RequestContext;
using http::Response;

namespace {

constexpr int default_limit = 20;

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
    json::object body =
        ctx.read([&](store::Tx& tx) { return loyalty::summary(tx, me, limit, before); });
    // Which staff member adjusted the points is the business's own record.
    for (json::value& entry : body.at("entries").as_array()) {
        entry.as_object().erase("created_by");
    }
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
