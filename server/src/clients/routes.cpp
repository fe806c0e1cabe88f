#include "clients/routes.hpp"

#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>

#include "auth/password.hpp"
#include "clients/credentials.hpp"
#include "clients/message.hpp"
#include "clients/service.hpp"
#include "core/config.hpp"
#include "core/text.hpp"
#include "http/context.hpp"
#include "http/csv_export.hpp"
#include "http/idempotency.hpp"
#include "http/router.hpp"

namespace clientele::clients {

namespace json = boost::json;
using http::RequestContext;
using http::Response;

namespace {

std::string login_url(const RequestContext& ctx) {
    return http::public_origin(ctx) + "/login";
}

// A client with its new credentials: the only answers that ever show the password. The message
// comes from the operator's template (read in the same transaction as the change).
json::object with_credentials(const RequestContext& ctx, const Client& c,
                              const std::string& password, const std::string& message_template) {
    json::object body = to_json(c);
    std::string url = login_url(ctx);
    std::string message = render_credentials(
        message_template,
        {c.company_name, c.contact_person_name.value_or(""), c.username, password, url});
    body["credentials"] = json::object{
        {"username", c.username}, {"password", password}, {"login_url", url}, {"message", message}};
    return body;
}

Task<std::string> hashed(RequestContext& ctx, const std::string& password) {
    co_return co_await ctx.app.passwords->hash_async(password, ctx.resumer());
}

std::string new_password(const RequestContext& ctx) {
    return generate_password(size_t(std::max(8, ctx.app.config->client_password_length)));
}

// What an Idempotency-Key replay of a create shows: everything but the password, which is shown
// once and stored nowhere in plain text.
std::string without_password(const std::string& body) {
    json::value reply = json::parse(body);
    json::object& credentials = reply.as_object()["credentials"].as_object();
    credentials["password"] = nullptr;
    credentials["message"] =
        "The password was shown in the first answer only; reset it to get a new one.";
    return json::serialize(reply);
}

Task<Response> create_client(RequestContext& ctx) {
    ClientInput input = parse_client(ctx.json_body(), ctx.app.config->phone_region);
    // A replay answers from the stored record without queueing for the password hasher.
    if (auto replay = http::stored_replay(ctx)) {
        co_return std::move(*replay);
    }
    std::string password = new_password(ctx);
    std::string hash = co_await hashed(ctx, password);
    co_return co_await http::idempotent_create(
        ctx,
        [&](store::Tx& tx) {
            store::Tx platform = tx.system();
            Client c = create(platform, input, choose_username(platform, input.company_name), hash);
            Response response = Response::json(
                201, with_credentials(ctx, c, password, credentials_template(platform)));
            response.set_header("Location", fmt::format("/api/clients/{}", c.id));
            return response;
        },
        without_password);
}

Task<Response> get_client(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    auto c = ctx.read_system([&](store::Tx& tx) { return find(tx, id); });
    if (!c) {
        throw Error(Code::not_found, fmt::format("There is no client {}.", id));
    }
    co_return Response::json(200, to_json(*c));
}

Task<Response> update_client(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    ClientInput input = parse_client(ctx.json_body(), ctx.app.config->phone_region);
    Client c = co_await ctx.write_system([&](store::Tx& tx) { return update(tx, id, input); });
    co_return Response::json(
        200, json::object{{"message", "Client updated successfully."}, {"client", to_json(c)}});
}

Task<Response> reset_client_password(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    std::string password = new_password(ctx);
    std::string hash = co_await hashed(ctx, password);
    json::object body = co_await ctx.write_system([&](store::Tx& tx) {
        Client c = reset_password(tx, id, hash);
        return with_credentials(ctx, c, password, credentials_template(tx));
    });
    body["message"] = "Password reset successfully.";
    co_return Response::json(200, body);
}

Task<Response> toggle_client_status(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    Client c = co_await ctx.write_system([&](store::Tx& tx) { return toggle_status(tx, id); });
    co_return Response::json(
        200, json::object{{"message", c.is_active ? "Client activated." : "Client deactivated."},
                          {"client", to_json(c)}});
}

Task<Response> export_clients(RequestContext& ctx) {
    co_return http::csv_download("clients.csv", *ctx.app.db, std::nullopt, export_header,
                                 export_page);
}

Task<Response> get_template(RequestContext& ctx) {
    std::string text = ctx.read_system([](store::Tx& tx) { return credentials_template(tx); });
    json::array variables;
    for (auto name : credentials_template_variables()) {
        variables.push_back(json::string(name));
    }
    co_return Response::json(200,
                             json::object{{"template", text}, {"variables", std::move(variables)}});
}

Task<Response> put_template(RequestContext& ctx) {
    std::vector<FieldError> errors;
    json::object body = ctx.json_body();
    ObjectReader in(body, "", errors);
    auto text = in.string(
        "template", {.min = 1, .max = 10000, .nullable = false, .trim = false, .multiline = true});
    in.finish();
    if (!text.present) {
        in.fail("template", "is required");
    }
    if (text.has_value()) {
        if (auto problem = template_problem(text.value)) {
            in.fail("template", "is not a valid template: " + *problem);
        }
    }
    throw_if_invalid(errors);
    co_await ctx.write_system([&](store::Tx& tx) { save_credentials_template(tx, text.value); });
    co_return Response::json(
        200, json::object{{"message", "Template saved."}, {"template", text.value}});
}

Task<Response> list_clients(RequestContext& ctx) {
    std::optional<std::string> business_type;
    std::optional<bool> active;
    auto params = http::parse_id_list_params(
        ctx.request,
        [&](const std::string& name, const std::string& value, std::vector<FieldError>& errors) {
            if (name == "is_active") {
                if (value != "true" && value != "false") {
                    errors.push_back({"is_active", "must be true or false"});
                } else {
                    active = value == "true";
                }
            } else if (name == "business_type") {
                if (!is_business_type(value)) {
                    errors.push_back({"business_type", std::string(business_type_rule)});
                }
                business_type = value;
            } else {
                errors.push_back({name, "is not a known query parameter"});
            }
        });
    auto page = ctx.read_system([&](store::Tx& tx) {
        return list(tx, params.limit, params.cursor, params.q, active, business_type);
    });
    co_return http::id_page_response(page, [](const Client& c) { return to_json(c); });
}

}  // namespace

void register_routes(http::Router& router, App&) {
    using http::Access;
    using http::Method;
    router.add(Method::get, "/api/clients", Access::platform_admin(), list_clients);
    router.add(Method::post, "/api/clients", Access::platform_admin(), create_client);
    // Before /api/clients/{id}: the first route that matches wins.
    router.add(Method::get, "/api/clients/export", Access::platform_admin(), export_clients);
    router.add(Method::get, "/api/clients/credentials-template", Access::platform_admin(),
               get_template);
    router.add(Method::put, "/api/clients/credentials-template", Access::platform_admin(),
               put_template);
    router.add(Method::get, "/api/clients/{id}", Access::platform_admin(), get_client);
    router.add(Method::put, "/api/clients/{id}", Access::platform_admin(), update_client);
    router.add(Method::post, "/api/clients/{id}/reset-password", Access::platform_admin(),
               reset_client_password);
    router.add(Method::post, "/api/clients/{id}/toggle-status", Access::platform_admin(),
               toggle_client_status);
}

}  // namespace clientele::clients
