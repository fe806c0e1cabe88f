#include "customers/routes.hpp"

#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <charconv>

#include "core/text.hpp"
#include "core/time.hpp"
#include "customers/service.hpp"
#include "http/context.hpp"
#include "http/idempotency.hpp"
#include "http/router.hpp"

namespace clientele::customers {

namespace json = boost::json;
using http::RequestContext;
using http::Response;

namespace {

Response with_etag(Response response, int64_t version) {
    response.set_header("ETag", http::etag(version));
    return response;
}

json::object detail_json(const Customer& c) {
    return to_json(c, true);
}

Task<Response> get_customer(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    auto customer = ctx.read([&](store::Tx& tx) { return find(tx, id); });
    if (!customer) {
        throw Error(Code::not_found, fmt::format("There is no customer {}.", id));
    }
    co_return with_etag(Response::json(200, detail_json(*customer)), customer->version);
}

Task<Response> create_customer(RequestContext& ctx) {
    auto changes = parse_changes(ctx.json_body(), WriteMode::create);
    int64_t user = ctx.caller().user_id;
    co_return co_await http::idempotent_create(ctx, [&](store::Tx& tx) {
        Customer c = create(tx, changes, user);
        Response response = with_etag(Response::json(201, detail_json(c)), c.version);
        response.set_header("Location", fmt::format("/api/customers/{}", c.id));
        return response;
    });
}

Task<Response> update_customer(RequestContext& ctx, WriteMode mode) {
    int64_t id = ctx.id_param("id");
    auto changes = parse_changes(ctx.json_body(mode == WriteMode::merge), mode);
    auto expected = ctx.if_match_version();
    Customer c =
        co_await ctx.write([&](store::Tx& tx) { return update(tx, id, changes, mode, expected); });
    co_return with_etag(
        Response::json(200, json::object{{"message", "Customer updated successfully."},
                                         {"customer", detail_json(c)}}),
        c.version);
}

Task<Response> delete_customer(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    auto expected = ctx.if_match_version();
    co_await ctx.write([&](store::Tx& tx) { remove(tx, id, expected); });
    co_return Response::message(200, "Customer deleted successfully.");
}

Task<Response> restore_customer(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    Customer c = co_await ctx.write([&](store::Tx& tx) { return restore(tx, id); });
    co_return with_etag(
        Response::json(200, json::object{{"message", "Customer restored successfully."},
                                         {"customer", detail_json(c)}}),
        c.version);
}

// ---------------------------------------------------------------------------------------------
// GET /api/customers: query parameters → ListQuery

std::optional<std::string> timestamp_param(const std::string& name, const std::string& value,
                                           std::vector<FieldError>& errors) {
    auto t = parse_timestamp(value);
    if (!t) {
        errors.push_back({name, "must be a date (YYYY-MM-DD) or an ISO 8601 timestamp"});
        return std::nullopt;
    }
    return format_timestamp(*t);
}

ListQuery parse_list_query(const http::Request& request) {
    ListQuery query;
    std::vector<FieldError> errors;
    std::optional<std::string> cursor_text;
    for (const auto& [name, value] : request.query) {
        if (!is_valid_utf8(value)) {
            errors.push_back({name, "must be valid UTF-8"});
            continue;
        }
        std::string trimmed(trim(value));
        if (name == "limit") {
            http::parse_limit(trimmed, query.limit, errors);
        } else if (name == "cursor") {
            cursor_text = trimmed;
        } else if (name == "sort") {
            std::string_view field = trimmed;
            query.descending = field.starts_with('-');
            if (query.descending)
                field.remove_prefix(1);
            if (field == "created_at") {
                query.sort = SortField::created_at;
            } else if (field == "name") {
                query.sort = SortField::name;
            } else if (field == "email") {
                query.sort = SortField::email;
            } else {
                errors.push_back(
                    {"sort", "must be created_at, name or email, with - for descending"});
            }
        } else if (name == "q") {
            if (trimmed.empty())
                continue;
            if (utf8_length(trimmed) > 100) {
                errors.push_back({"q", "must be at most 100 characters"});
            } else {
                query.q = fold_case(trimmed);
            }
        } else if (name == "total" || name == "deleted") {
            if (trimmed != "true" && trimmed != "false") {
                errors.push_back({name, "must be true or false"});
            } else {
                (name == "total" ? query.total : query.deleted) = trimmed == "true";
            }
        } else if (name == "email") {
            query.email = ascii_lower(trimmed);
        } else if (name == "phone") {
            query.phone = trimmed;
        } else if (name == "gender") {
            query.gender = trimmed;
        } else if (name == "locale") {
            query.locale = trimmed;
        } else if (name == "country") {
            query.country = trimmed;
        } else if (name == "city") {
            query.city = trimmed;
        } else if (name == "postal_code") {
            query.postal_code = trimmed;
        } else if (name == "created_from") {
            query.created_from = timestamp_param(name, trimmed, errors);
        } else if (name == "created_to") {
            query.created_to = timestamp_param(name, trimmed, errors);
        } else {
            errors.push_back({name, "is not a known query parameter"});
        }
    }
    throw_if_invalid(errors);
    if (cursor_text) {
        query.after = decode_cursor(*cursor_text);
        if (!query.after) {
            throw Error(Code::bad_request, "The cursor is not one this server made.");
        }
        if (query.after->sort != query.sort || query.after->descending != query.descending) {
            throw Error(Code::bad_request,
                        "The cursor belongs to another sort order; start again without it.");
        }
    }
    return query;
}

Task<Response> list_customers(RequestContext& ctx) {
    ListQuery query = parse_list_query(ctx.request);
    ListPage page = ctx.read([&](store::Tx& tx) { return list(tx, query); });
    json::array data;
    data.reserve(page.customers.size());
    for (const Customer& c : page.customers) {
        data.push_back(to_json(c, false));
    }
    json::object body = http::list_envelope(std::move(data), page.next_cursor);
    if (page.total) {
        body["total"] = *page.total;
    }
    co_return Response::json(200, body);
}

}  // namespace

void register_routes(http::Router& router, App& app) {
    using http::Access;
    using http::Method;
    (void)app;
    using auth::Permission;
    const Access read = Access::needs(Permission::customers_read);
    const Access write = Access::needs(Permission::customers_write);
    router.add(Method::get, "/api/customers", read, list_customers);
    router.add(Method::post, "/api/customers", write, create_customer);
    router.add(Method::get, "/api/customers/{id}", read, get_customer);
    router.add(Method::put, "/api/customers/{id}", write,
               [](RequestContext& ctx) { return update_customer(ctx, WriteMode::replace); });
    router.add(Method::patch, "/api/customers/{id}", write,
               [](RequestContext& ctx) { return update_customer(ctx, WriteMode::merge); });
    router.add(Method::del, "/api/customers/{id}", Access::needs(Permission::customers_delete),
               delete_customer);
    router.add(Method::post, "/api/customers/{id}/restore", write, restore_customer);
}

}  // namespace clientele::customers
