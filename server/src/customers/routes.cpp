#include "customers/routes.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/json/array.hpp>

#include "core/countries.hpp"
#include "core/json_writer.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "customers/permissions.hpp"
#include "customers/service.hpp"
#include "http/context.hpp"
#include "http/idempotency.hpp"
#include "http/router.hpp"
#include "orders/service.hpp"

namespace clientele::customers {

namespace json = boost::json;
using http::RequestContext;
using http::Response;
using http::with_etag;

namespace {

// The API form of one customer with its purchase history (orders/), read in `tx`.
json::object detail_json(store::Tx& tx, const Customer& c) {
    return to_json(c, true, orders::purchase_history(tx, c.id));
}

// A write's customer and its detail form, read in the write's transaction.
struct Detail {
    Customer customer;
    json::object body;
};
Detail detail_of(store::Tx& tx, Customer c) {
    json::object body = detail_json(tx, c);
    return {std::move(c), std::move(body)};
}

Task<Response> get_customer(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    std::vector<Purchase> history;
    auto customer = ctx.read([&](store::Tx& tx) {
        auto c = find(tx, id);
        if (c) {
            history = orders::purchase_history(tx, id);
        }
        return c;
    });
    if (!customer) {
        throw Error(Code::not_found, fmt::format("There is no customer {}.", id));
    }
    Response response;
    response.body.reserve(4096);  // one allocation for a customer with a full purchase history
    JsonWriter writer(response.body);
    write_json(writer, *customer, true, history);
    co_return with_etag(std::move(response), customer->version);
}

Task<Response> create_customer(RequestContext& ctx) {
    auto changes = parse_changes(ctx.json_body(), WriteMode::create);
    int64_t user = ctx.caller().user_id;
    co_return co_await http::idempotent_create(ctx, [&](store::Tx& tx) {
        Customer c = create(tx, changes, user);
        Response response = with_etag(Response::json(201, detail_json(tx, c)), c.version);
        response.set_header("Location", fmt::format("/api/customers/{}", c.id));
        return response;
    });
}

Task<Response> update_customer(RequestContext& ctx, WriteMode mode) {
    int64_t id = ctx.id_param("id");
    auto changes = parse_changes(ctx.json_body(mode == WriteMode::merge), mode);
    auto expected = ctx.if_match_version();
    Detail d = co_await ctx.write(
        [&](store::Tx& tx) { return detail_of(tx, update(tx, id, changes, mode, expected)); });
    co_return with_etag(
        Response::json(200, json::object{{"message", "Customer updated successfully."},
                                         {"customer", std::move(d.body)}}),
        d.customer.version);
}

// `?cascade=contacts` archives a company's contacts with it; without it a company that has
// contacts is 409 (seed 000: say what happens to them).
bool cascade_contacts(const http::Request& request) {
    bool cascade = false;
    for (const auto& [name, value] : request.query) {
        if (name != "cascade" || value != "contacts") {
            throw Error(Code::validation_failed, "Unknown query parameter.",
                        {{name, "the only one here is cascade=contacts"}});
        }
        cascade = true;
    }
    return cascade;
}

Task<Response> delete_customer(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    auto expected = ctx.if_match_version();
    bool cascade = cascade_contacts(ctx.request);
    co_await ctx.write([&](store::Tx& tx) { remove(tx, id, expected, cascade); });
    co_return Response::message(200, "Customer deleted successfully.");
}

Task<Response> restore_customer(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    bool cascade = cascade_contacts(ctx.request);
    Detail d =
        co_await ctx.write([&](store::Tx& tx) { return detail_of(tx, restore(tx, id, cascade)); });
    co_return with_etag(
        Response::json(200, json::object{{"message", "Customer restored successfully."},
                                         {"customer", std::move(d.body)}}),
        d.customer.version);
}

// ---------------------------------------------------------------------------------------------
// GET /api/customers: query parameters → ListQuery

// A filter naming a record by id: kept as text, bound like the other filters.
std::optional<std::string> id_filter(const std::string& name, const std::string& value,
                                     std::vector<FieldError>& errors) {
    if (!parse_id(value)) {
        errors.push_back({name, "must be an id (a positive integer)"});
        return std::nullopt;
    }
    return value;
}

}  // namespace

ListQuery parse_list_query(const std::vector<std::pair<std::string, std::string>>& params,
                           std::string_view extra, std::optional<std::string>* extra_value) {
    ListQuery query;
    std::vector<FieldError> errors;
    std::optional<std::string> cursor_text;
    for (const auto& [name, value] : params) {
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
            if (auto sort = parse_sort_field(field)) {
                query.sort = *sort;
            } else {
                errors.push_back({"sort",
                                  "must be created_at, name, email, lifetime_value or "
                                  "last_order_at, with - for descending"});
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
            // Stored upper-case; a code in any case finds them, and one that is no country is an
            // error rather than a quietly empty page.
            std::string code = trimmed;
            std::transform(code.begin(), code.end(), code.begin(),
                           [](unsigned char c) { return char(std::toupper(c)); });
            if (find_country(code)) {
                query.country = code;
            } else {
                errors.push_back({name, "must be an ISO 3166-1 alpha-2 country code"});
            }
        } else if (name == "city") {
            query.city = trimmed;
        } else if (name == "postal_code") {
            query.postal_code = trimmed;
        } else if (name == "created_from") {
            query.created_from = http::timestamp_param(name, trimmed, errors);
        } else if (name == "created_to") {
            query.created_to = http::timestamp_param(name, trimmed, errors);
        } else if (name == "account_type") {
            if (trimmed != type_individual && trimmed != type_company) {
                errors.push_back({name, "must be individual or company"});
            }
            query.account_type = trimmed;
        } else if (name == "preset") {
            // Seed 000's list presets: Individuals, Companies, Archived.
            if (trimmed == "individuals" || trimmed == "companies") {
                query.account_type =
                    std::string(trimmed == "individuals" ? type_individual : type_company);
            } else if (trimmed == "archived") {
                query.deleted = true;
            } else {
                errors.push_back({name, "must be individuals, companies or archived"});
            }
        } else if (name == "company_id") {
            query.company_id = id_filter(name, trimmed, errors);
        } else if (name == "industry_id") {
            query.industry_id = id_filter(name, trimmed, errors);
        } else if (name == "responsible_id") {
            query.responsible_id = id_filter(name, trimmed, errors);
        } else if (name == "tag_id") {
            query.tag_id = id_filter(name, trimmed, errors);
        } else if (name == "portal_access") {
            if (trimmed != "true" && trimmed != "false") {
                errors.push_back({name, "must be true or false"});
            } else {
                query.portal_access = trimmed == "true";
            }
        } else if (name == "min_lifetime_value" || name == "max_lifetime_value" ||
                   name == "min_order_count") {
            if (!parse_integer(trimmed)) {
                errors.push_back({name, "must be an integer (minor units of the base currency)"});
            }
            (name == "min_order_count"      ? query.min_order_count
             : name == "min_lifetime_value" ? query.min_lifetime_value
                                            : query.max_lifetime_value) = trimmed;
        } else if (name == "last_order_from") {
            query.last_order_from = http::timestamp_param(name, trimmed, errors);
        } else if (name == "last_order_to") {
            query.last_order_to = http::timestamp_param(name, trimmed, errors);
        } else if (name == "loyalty_tier") {
            if (trimmed.empty() || utf8_length(trimmed) > 100) {
                errors.push_back({name, "must be a tier's name (1 to 100 characters)"});
            }
            query.loyalty_tier = trimmed;
        } else if (!extra.empty() && name == extra && extra_value) {
            *extra_value = trimmed;
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

namespace {

// The list envelope (http::list_envelope's shape), written straight into the answer.
Response list_response(const ListPage& page) {
    Response response;
    response.body.reserve(page.customers.size() * 1024);
    JsonWriter w(response.body);
    w.begin_object().key("data").begin_array();
    for (const Customer& c : page.customers) {
        write_json(w, c, false);
    }
    w.end_array().member("next_cursor", page.next_cursor);
    if (page.total) {
        w.member("total", *page.total);
    }
    w.end_object();
    return response;
}

Task<Response> list_customers(RequestContext& ctx) {
    ListQuery query = parse_list_query(ctx.request.query);
    ListPage page = ctx.read([&](store::Tx& tx) { return list(tx, query); });
    co_return list_response(page);
}

Task<Response> customer_groups(RequestContext& ctx) {
    std::optional<std::string> by_text;
    ListQuery query = parse_list_query(ctx.request.query, "by", &by_text);
    static constexpr std::array<std::pair<std::string_view, GroupBy>, 4> kinds{{
        {"account_type", GroupBy::account_type},
        {"company", GroupBy::company},
        {"industry", GroupBy::industry},
        {"tag", GroupBy::tag},
    }};
    auto kind = std::find_if(kinds.begin(), kinds.end(),
                             [&](const auto& k) { return by_text && k.first == *by_text; });
    if (kind == kinds.end()) {
        throw Error(Code::validation_failed, "Say what to group by.",
                    {{"by", "must be account_type, company, industry or tag"}});
    }
    auto groups =
        ctx.read([&](store::Tx& tx) { return count_groups(tx, query, kind->second, query.limit); });
    json::array data;
    for (const Group& g : groups) {
        data.push_back(
            json::object{{"key", g.key.empty() ? json::value(nullptr) : json::value(g.key)},
                         {"id", g.id ? json::value(*g.id) : json::value(nullptr)},
                         {"label", g.label},
                         {"count", g.count}});
    }
    co_return Response::json(200, json::object{{"by", kind->first}, {"data", std::move(data)}});
}

// ---------------------------------------------------------------------------------------------
// Contacts: a company's people are customers whose company it is (seed 000's Contacts tab).

Customer require_company(store::Tx& tx, int64_t id) {
    Customer company = require(tx, id);
    if (company.account_type != type_company) {
        throw Error(Code::conflict, "Only a company has contacts; this customer is an individual.");
    }
    return company;
}

// The contact with this id of that company: 404 unless it is one.
void require_contact(store::Tx& tx, int64_t company_id, int64_t contact_id) {
    auto contact = find(tx, contact_id);
    if (!contact || !contact->company || contact->company->id != company_id) {
        throw Error(Code::not_found,
                    fmt::format("Customer {} has no contact {}.", company_id, contact_id));
    }
}

// A contact's body is a customer's, less what makes it a contact (set here).
void refuse_company_fields(const json::object& body) {
    std::vector<FieldError> errors;
    for (auto field : {"account_type", "company_id", "company_name"}) {
        if (body.contains(field)) {
            errors.push_back(
                {field, "is set by the address: a contact is an individual of this company"});
        }
    }
    throw_if_invalid(errors);
}

Task<Response> list_contacts(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    ListQuery query = parse_list_query(ctx.request.query);
    query.company_id = std::to_string(id);
    ListPage page = ctx.read([&](store::Tx& tx) {
        require_company(tx, id);
        return list(tx, query);
    });
    co_return list_response(page);
}

Task<Response> create_contact(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    json::object body = ctx.json_body();
    refuse_company_fields(body);
    body["company_id"] = id;
    auto changes = parse_changes(body, WriteMode::create);
    int64_t user = ctx.caller().user_id;
    co_return co_await http::idempotent_create(ctx, [&](store::Tx& tx) {
        require_company(tx, id);
        Customer c = create(tx, changes, user);
        Response response = with_etag(Response::json(201, detail_json(tx, c)), c.version);
        response.set_header("Location", fmt::format("/api/customers/{}", c.id));
        return response;
    });
}

Task<Response> update_contact(RequestContext& ctx, WriteMode mode) {
    int64_t id = ctx.id_param("id");
    int64_t contact_id = ctx.id_param("contact_id");
    json::object body = ctx.json_body(mode == WriteMode::merge);
    refuse_company_fields(body);
    auto changes = parse_changes(body, mode);
    auto expected = ctx.if_match_version();
    Detail d = co_await ctx.write([&](store::Tx& tx) {
        require_contact(tx, id, contact_id);
        return detail_of(tx, update(tx, contact_id, changes, mode, expected));
    });
    co_return with_etag(
        Response::json(200, json::object{{"message", "Contact updated successfully."},
                                         {"customer", std::move(d.body)}}),
        d.customer.version);
}

Task<Response> delete_contact(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    int64_t contact_id = ctx.id_param("contact_id");
    auto expected = ctx.if_match_version();
    co_await ctx.write([&](store::Tx& tx) {
        require_contact(tx, id, contact_id);
        remove(tx, contact_id, expected);
    });
    co_return Response::message(200, "Contact deleted successfully.");
}

}  // namespace

void register_routes(http::Router& router, App&) {
    using http::Method;
    router.add(Method::get, "/api/customers", perm::read, list_customers);
    router.add(Method::post, "/api/customers", perm::write, create_customer);
    // Before /api/customers/{id}: the first route that matches wins.
    router.add(Method::get, "/api/customers/groups", perm::read, customer_groups);
    router.add(Method::get, "/api/customers/{id}", perm::read, get_customer);
    router.add(Method::put, "/api/customers/{id}", perm::write,
               [](RequestContext& ctx) { return update_customer(ctx, WriteMode::replace); });
    router.add(Method::patch, "/api/customers/{id}", perm::write,
               [](RequestContext& ctx) { return update_customer(ctx, WriteMode::merge); });
    router.add(Method::del, "/api/customers/{id}", perm::remove, delete_customer);
    router.add(Method::post, "/api/customers/{id}/restore", perm::write, restore_customer);
    router.add(Method::get, "/api/customers/{id}/contacts", perm::read, list_contacts);
    router.add(Method::post, "/api/customers/{id}/contacts", perm::write, create_contact);
    router.add(Method::put, "/api/customers/{id}/contacts/{contact_id}", perm::write,
               [](RequestContext& ctx) { return update_contact(ctx, WriteMode::replace); });
    router.add(Method::patch, "/api/customers/{id}/contacts/{contact_id}", perm::write,
               [](RequestContext& ctx) { return update_contact(ctx, WriteMode::merge); });
    router.add(Method::del, "/api/customers/{id}/contacts/{contact_id}", perm::remove,
               delete_contact);
}

}  // namespace clientele::customers
