#include "loyalty/routes.hpp"

#include "core/json_input.hpp"
#include "customers/permissions.hpp"
#include "http/context.hpp"
#include "http/idempotency.hpp"
#include "http/router.hpp"
#include "loyalty/ledger.hpp"
#include "loyalty/permissions.hpp"

namespace clientele::loyalty {

namespace json = boost::json;
using http::RequestContext;
using http::Response;

namespace {

Response program_response(const Program& program) {
    Response response = Response::json(200, to_json(program));
    response.set_header("ETag", http::etag(program.version));
    return response;
}

Task<Response> get_program(RequestContext& ctx) {
    co_return program_response(ctx.read([](store::Tx& tx) { return load_program(tx); }));
}

Task<Response> put_program(RequestContext& ctx) {
    Program program = parse_program(ctx.json_body());
    auto expected = ctx.if_match_version();
    Program saved =
        co_await ctx.write([&](store::Tx& tx) { return save_program(tx, program, expected); });
    co_return program_response(saved);
}

Task<Response> get_points(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    auto params = http::parse_id_list_params(
        ctx.request,
        [](const std::string& name, const std::string&, std::vector<FieldError>& errors) {
            errors.push_back({name, "is not a known query parameter (limit, cursor)"});
        });
    if (params.q) {
        throw field_error("q", "is not a known query parameter (limit, cursor)");
    }
    co_return Response::json(
        200, ctx.read([&](store::Tx& tx) { return summary(tx, id, params.limit, params.cursor); }));
}

// The staff member who books an entry (an API token books as its user).
std::optional<int64_t> booked_by(const RequestContext& ctx) {
    int64_t user = ctx.caller().user_id;
    return user > 0 ? std::optional(user) : std::nullopt;
}

Response entry_response(const Entry& e) {
    return Response::json(201, json::object{{"entry", to_json(e)}, {"balance", e.balance_after}});
}

Task<Response> redeem_points(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    std::vector<FieldError> errors;
    json::object body = ctx.json_body();
    ObjectReader in(body, "", errors);
    auto points = in.integer("points", 1, max_points);
    auto reason = in.string("reason", {.min = 1, .max = 500});
    in.require("points", points);
    in.finish();
    throw_if_invalid(errors);
    auto user = booked_by(ctx);
    auto why = reason.has_value() ? std::optional(reason.value) : std::nullopt;
    co_return co_await http::idempotent_create(ctx, [&](store::Tx& tx) {
        return entry_response(redeem(tx, id, points.value, why, user));
    });
}

Task<Response> adjust_points(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    std::vector<FieldError> errors;
    json::object body = ctx.json_body();
    ObjectReader in(body, "", errors);
    auto points = in.integer("points", -max_points, max_points);
    auto reason = in.string("reason", {.min = 1, .max = 500, .nullable = false});
    in.require("points", points);
    in.require("reason", reason);
    in.finish();
    if (points.has_value() && points.value == 0) {
        in.fail("points", "must not be 0 (positive adds points, negative takes them)");
    }
    throw_if_invalid(errors);
    auto user = booked_by(ctx);
    co_return co_await http::idempotent_create(ctx, [&](store::Tx& tx) {
        return entry_response(adjust(tx, id, points.value, reason.value, user));
    });
}

}  // namespace

void register_routes(http::Router& router, App&) {
    using http::Method;
    router.add(Method::get, "/api/loyalty/program", perm::read, get_program);
    router.add(Method::put, "/api/loyalty/program", customers::perm::lists, put_program);
    router.add(Method::get, "/api/customers/{id}/loyalty", perm::read, get_points);
    router.add(Method::post, "/api/customers/{id}/loyalty/redeem", perm::adjust, redeem_points);
    router.add(Method::post, "/api/customers/{id}/loyalty/adjust", perm::adjust, adjust_points);
}

}  // namespace clientele::loyalty
