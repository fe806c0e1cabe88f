#include "carts/routes.hpp"

#include <boost/json/array.hpp>

#include "carts/service.hpp"
#include "core/json_input.hpp"
#include "core/time.hpp"
#include "http/context.hpp"
#include "http/idempotency.hpp"
#include "http/router.hpp"
#include "orders/permissions.hpp"
#include "orders/service.hpp"

namespace clientele::carts {

namespace json = boost::json;
using http::RequestContext;
using http::Response;

namespace {

// A cart is abandoned when nobody touched it for this long.
constexpr auto abandoned_after = std::chrono::hours(24);

Response cart_response(const Cart& cart) {
    Response response = Response::json(200, to_json(cart));
    response.set_header("ETag", http::etag(cart.version));
    return response;
}

Task<Response> get_cart(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    co_return cart_response(ctx.read([&](store::Tx& tx) { return customer_cart(tx, id); }));
}

Task<Response> put_cart(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    CartInput input = parse_input(ctx.json_body(), false);
    auto expected = ctx.if_match_version();
    co_return cart_response(co_await ctx.write(
        [&](store::Tx& tx) { return put_customer_cart(tx, id, input, expected); }));
}

Task<Response> delete_cart(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    co_await ctx.write([&](store::Tx& tx) { clear_customer_cart(tx, id); });
    co_return Response::no_content();
}

Task<Response> merge_cart(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    std::vector<FieldError> errors;
    json::object body = ctx.json_body();
    ObjectReader in(body, "", errors);
    auto key = in.string("guest_key", {.min = 1, .max = max_guest_key, .nullable = false});
    in.finish();
    in.require("guest_key", key);
    if (key.has_value() && !valid_guest_key(key.value)) {
        in.fail("guest_key", "must be 1 to 100 of A-Z, a-z, 0-9, _ and -");
    }
    throw_if_invalid(errors);
    // A retry after a lost answer gets that answer again (the guest cart is gone by then).
    co_return co_await http::idempotent_create(
        ctx, [&](store::Tx& tx) { return cart_response(merge_guest_cart(tx, id, key.value)); });
}

std::string guest_key_param(const RequestContext& ctx) {
    std::string key(ctx.param("key"));
    if (!valid_guest_key(key)) {
        throw Error(Code::not_found, "A guest cart key is 1 to 100 of A-Z, a-z, 0-9, _ and -.");
    }
    return key;
}

Task<Response> get_guest_cart(RequestContext& ctx) {
    std::string key = guest_key_param(ctx);
    auto cart = ctx.read([&](store::Tx& tx) { return guest_cart(tx, key); });
    if (!cart) {
        throw Error(Code::not_found, "There is no guest cart with this key.");
    }
    co_return cart_response(*cart);
}

Task<Response> put_guest(RequestContext& ctx) {
    std::string key = guest_key_param(ctx);
    CartInput input = parse_input(ctx.json_body(), true);
    co_return cart_response(
        co_await ctx.write([&](store::Tx& tx) { return put_guest_cart(tx, key, input); }));
}

Task<Response> list_carts(RequestContext& ctx) {
    ListQuery query;
    bool abandoned = false;
    std::vector<FieldError> errors;
    for (const auto& [name, value] : ctx.request.query) {
        if (name == "limit") {
            http::parse_limit(value, query.limit, errors);
        } else if (name == "cursor") {
            query.after = orders::decode_cursor(value);
            if (!query.after) {
                throw Error(Code::bad_request, "The cursor is not one this server made.");
            }
        } else if (name == "abandoned") {
            if (value != "true" && value != "false") {
                errors.push_back({name, "must be true or false"});
            }
            abandoned = value == "true";
        } else if (name == "updated_before") {
            query.updated_before = http::timestamp_param(name, value, errors);
        } else {
            errors.push_back({name, "is not a known parameter"});
        }
    }
    throw_if_invalid(errors);
    if (abandoned) {
        std::string cutoff = format_timestamp(Clock::now() - abandoned_after);
        if (!query.updated_before || cutoff < *query.updated_before) {
            query.updated_before = cutoff;
        }
    }
    ListPage page = ctx.read([&](store::Tx& tx) { return list(tx, query); });
    json::array data;
    for (const Cart& cart : page.carts) {
        data.push_back(to_json(cart));
    }
    co_return Response::json(200,
                             http::list_envelope(std::move(data), std::move(page.next_cursor)));
}

}  // namespace

void register_routes(http::Router& router, App&) {
    using http::Method;
    router.add(Method::get, "/api/carts", orders::perm::read, list_carts);
    router.add(Method::get, "/api/carts/guest/{key}", orders::perm::read, get_guest_cart);
    router.add(Method::put, "/api/carts/guest/{key}", orders::perm::write, put_guest);
    router.add(Method::get, "/api/customers/{id}/cart", orders::perm::read, get_cart);
    router.add(Method::put, "/api/customers/{id}/cart", orders::perm::write, put_cart);
    router.add(Method::del, "/api/customers/{id}/cart", orders::perm::write, delete_cart);
    router.add(Method::post, "/api/customers/{id}/cart/merge", orders::perm::write, merge_cart);
}

}  // namespace clientele::carts
