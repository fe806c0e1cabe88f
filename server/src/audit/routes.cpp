#include "audit/routes.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/array.hpp>

#include "audit/permissions.hpp"
#include "audit/trail.hpp"
#include "core/text.hpp"
#include "customers/permissions.hpp"
#include "customers/service.hpp"
#include "http/context.hpp"
#include "http/router.hpp"
#include "store/db.hpp"

namespace clientele::audit {

namespace json = boost::json;
using http::RequestContext;
using http::Response;

namespace {

constexpr std::string_view actor_kinds[] = {"user",      "client",    "portal_customer",
                                            "api_token", "anonymous", "system"};

// `actor`: a kind ("api_token") or a kind and id ("user:12").
void parse_actor(const std::string& value, ListQuery& query, std::vector<FieldError>& errors) {
    std::string_view kind = value;
    std::optional<int64_t> id;
    if (auto colon = kind.find(':'); colon != std::string_view::npos) {
        id = parse_id(kind.substr(colon + 1));
        kind = kind.substr(0, colon);
        if (!id) {
            errors.push_back({"actor", "must be a kind, or a kind and an id: user:12"});
            return;
        }
    }
    if (std::find(std::begin(actor_kinds), std::end(actor_kinds), kind) == std::end(actor_kinds)) {
        errors.push_back(
            {"actor",
             "must start with user, client, portal_customer, api_token, anonymous or system"});
        return;
    }
    query.actor_kind = std::string(kind);
    query.actor_id = id;
}

// An action ("customer.updated"), or every action of an entity ("customer.*").
void parse_action(const std::string& value, ListQuery& query, std::vector<FieldError>& errors) {
    bool valid = !value.empty() && value.size() <= 100 &&
                 std::all_of(value.begin(), value.end(), [](char c) {
                     return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                            c == '.' || c == '*';
                 });
    size_t star = value.find('*');
    if (!valid || (star != std::string::npos &&
                   (star + 1 != value.size() || star == 0 || value[star - 1] != '.'))) {
        errors.push_back({"action", "must be an action (customer.updated) or customer.*"});
    } else if (star != std::string::npos) {
        query.action_prefix = value.substr(0, star);
    } else {
        query.action = value;
    }
}

// The list's query parameters; with `fixed_entity` (a customer's history) no entity filters.
ListQuery parse_list(const http::Request& request, bool fixed_entity) {
    ListQuery query;
    auto params = http::parse_id_list_params(
        request,
        [&](const std::string& name, const std::string& value, std::vector<FieldError>& errors) {
            if (name == "entity" && !fixed_entity) {
                query.entity = value;
            } else if (name == "entity_id" && !fixed_entity) {
                query.entity_id = parse_id(value);
                if (!query.entity_id)
                    errors.push_back({name, "must be a positive integer"});
            } else if (name == "actor") {
                parse_actor(value, query, errors);
            } else if (name == "action") {
                parse_action(value, query, errors);
            } else if (name == "from") {
                query.from = http::timestamp_param(name, value, errors);
            } else if (name == "to") {
                query.to = http::timestamp_param(name, value, errors);
            } else {
                errors.push_back({name, "is not a known query parameter"});
            }
        });
    if (params.q) {
        throw Error(Code::validation_failed, "The audit log has no text search.",
                    {{"q", "is not a known query parameter"}});
    }
    query.limit = params.limit;
    query.before_id = params.cursor;
    return query;
}

Response page_response(const Page& page) {
    json::array data;
    for (const Entry& entry : page.entries) {
        data.push_back(to_json(entry));
    }
    std::optional<std::string> next;
    if (page.next_before) {
        next = std::to_string(*page.next_before);
    }
    return Response::json(200, http::list_envelope(std::move(data), std::move(next)));
}

Task<Response> list_events(RequestContext& ctx) {
    ListQuery query = parse_list(ctx.request, false);
    Page page = ctx.read([&](store::Tx& tx) { return list(tx, query); });
    co_return page_response(page);
}

Task<Response> customer_history(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    ListQuery query = parse_list(ctx.request, true);
    query.entity = "customer";
    query.entity_id = id;
    Page page = ctx.read([&](store::Tx& tx) {
        // An archived customer keeps its history; one of another workspace is not found.
        if (!customers::find(tx, id, true)) {
            throw Error(Code::not_found, fmt::format("There is no customer {}.", id));
        }
        return list(tx, query);
    });
    co_return page_response(page);
}

}  // namespace

void register_routes(http::Router& router, App&) {
    using http::Method;
    router.add(Method::get, "/api/audit-events", perm::read, list_events);
    router.add(Method::get, "/api/customers/{id}/history", customers::perm::read, customer_history);
}

}  // namespace clientele::audit
