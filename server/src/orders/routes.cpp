#include "orders/routes.hpp"

#include <fmt/format.h>

#include <boost/json/array.hpp>

#include "core/json_input.hpp"
#include "core/text.hpp"
#include "customers/permissions.hpp"
#include "customers/service.hpp"
#include "http/context.hpp"
#include "http/idempotency.hpp"
#include "http/router.hpp"
#include "orders/permissions.hpp"
#include "orders/service.hpp"
#include "orders/settings.hpp"

namespace clientele::orders {

namespace json = boost::json;
using http::RequestContext;
using http::Response;
using http::with_etag;

namespace {

// ---------------------------------------------------------------------------------------------
// Workspace settings

Response settings_response(const std::string& base) {
    return Response::json(200, json::object{{"base_currency", base}});
}

Task<Response> get_settings(RequestContext& ctx) {
    co_return settings_response(ctx.read([](store::Tx& tx) { return base_currency(tx); }));
}

Task<Response> patch_settings(RequestContext& ctx) {
    std::vector<FieldError> errors;
    json::object body = ctx.json_body(true);
    ObjectReader in(body, "", errors);
    auto base = in.string("base_currency", {.min = 1, .max = 3, .nullable = false});
    in.finish();
    if (base.has_value() && !find_currency(base.value)) {
        in.fail("base_currency", "must be an ISO 4217 currency code in upper case (USD, EUR)");
    }
    throw_if_invalid(errors);
    std::string current = ctx.read([](store::Tx& tx) { return base_currency(tx); });
    if (!base.has_value() || base.value == current) {
        co_return settings_response(current);  // nothing to change: no write
    }
    co_await ctx.write([&](store::Tx& tx) { set_base_currency(tx, base.value); });
    co_return settings_response(base.value);
}

// ---------------------------------------------------------------------------------------------
// Orders

Response order_response(int status, const Order& o, const std::string& base) {
    return with_etag(Response::json(status, to_json(o, base)), o.version);
}

Task<Response> push_order(RequestContext& ctx) {
    OrderInput input = parse_order(ctx.json_body());
    int64_t user = ctx.caller().user_id;
    co_return co_await http::idempotent_create(ctx, [&](store::Tx& tx) {
        Pushed pushed = push(tx, input, user);
        Response response =
            order_response(pushed.created ? 201 : 200, pushed.order, base_currency(tx));
        response.set_header("Location", fmt::format("/api/orders/{}", pushed.order.id));
        return response;
    });
}

Task<Response> get_order(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    auto [order, base] = ctx.read([&](store::Tx& tx) {
        return std::pair{require(tx, id), base_currency(tx)};
    });
    co_return order_response(200, order, base);
}

Task<Response> patch_order(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    StatusChange change = parse_status_change(ctx.json_body(true));
    auto expected = ctx.if_match_version();
    // The same status again changes nothing: answered from a read, without a write to audit.
    auto [current, base] = ctx.read([&](store::Tx& tx) {
        return std::pair{require(tx, id, expected), base_currency(tx)};
    });
    if (is_no_change(current, change)) {
        co_return order_response(200, current, base);
    }
    Order changed =
        co_await ctx.write([&](store::Tx& tx) { return change_status(tx, id, change, expected); });
    co_return order_response(200, changed, base);
}

ListQuery parse_list(const http::Request& request) {
    ListQuery query;
    std::vector<FieldError> errors;
    std::optional<std::string> cursor;
    for (const auto& [name, raw] : request.query) {
        if (!is_valid_utf8(raw)) {
            errors.push_back({name, "must be valid UTF-8"});
            continue;
        }
        std::string value(trim(raw));
        if (name == "limit") {
            http::parse_limit(value, query.limit, errors);
        } else if (name == "cursor") {
            cursor = value;
        } else if (name == "customer_id") {
            query.customer_id = parse_id(value);
            if (!query.customer_id) {
                errors.push_back({name, "must be an id (a positive integer)"});
            }
        } else if (name == "status") {
            if (!is_status(value)) {
                errors.push_back({name, status_rule});
            }
            query.status = value;
        } else if (name == "currency") {
            if (!find_currency(value)) {
                errors.push_back({name, "must be an ISO 4217 currency code in upper case"});
            }
            query.currency = value;
        } else if (name == "number") {
            if (value.empty() || utf8_length(value) > max_text) {
                errors.push_back({name, "must be 1 to 200 characters"});
            }
            query.number = value;
        } else if (name == "placed_from") {
            query.placed_from = http::timestamp_param(name, value, errors);
        } else if (name == "placed_to") {
            query.placed_to = http::timestamp_param(name, value, errors);
        } else {
            errors.push_back({name, "is not a known query parameter"});
        }
    }
    throw_if_invalid(errors);
    if (cursor) {
        query.after = decode_cursor(*cursor);
        if (!query.after) {
            throw Error(Code::bad_request, "The cursor is not one this server made.");
        }
    }
    return query;
}

Response list_response(const ListPage& page, const std::string& base) {
    json::array data;
    for (const Order& o : page.orders) {
        data.push_back(to_json(o, base, false));
    }
    return Response::json(200, http::list_envelope(std::move(data), page.next_cursor));
}

Task<Response> list_orders(RequestContext& ctx) {
    ListQuery query = parse_list(ctx.request);
    auto [page, base] = ctx.read([&](store::Tx& tx) {
        return std::pair{list(tx, query), base_currency(tx)};
    });
    co_return list_response(page, base);
}

Task<Response> list_customer_orders(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    ListQuery query = parse_list(ctx.request);
    if (query.customer_id) {
        throw field_error("customer_id", "is given by the address");
    }
    query.customer_id = id;
    auto [page, base] = ctx.read([&](store::Tx& tx) {
        customers::require(tx, id);
        return std::pair{list(tx, query), base_currency(tx)};
    });
    co_return list_response(page, base);
}

}  // namespace

void register_routes(http::Router& router, App&) {
    using http::Access;
    using http::Method;
    router.add(Method::get, "/api/settings", perm::read, get_settings);
    router.add(Method::patch, "/api/settings", customers::perm::lists, patch_settings);
    router.add(Method::get, "/api/orders", perm::read, list_orders);
    router.add(Method::post, "/api/orders", perm::write, push_order);
    router.add(Method::get, "/api/orders/{id}", perm::read, get_order);
    router.add(Method::patch, "/api/orders/{id}", perm::write, patch_order);
    router.add(Method::get, "/api/customers/{id}/orders", perm::read, list_customer_orders);
}

}  // namespace clientele::orders
