#include "customers/addresses.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "audit/trail.hpp"
#include "core/countries.hpp"
#include "core/error.hpp"
#include "core/formats.hpp"
#include "core/json_input.hpp"
#include "core/json_output.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "customers/permissions.hpp"
#include "customers/service.hpp"
#include "http/context.hpp"
#include "http/router.hpp"
#include "store/columns.hpp"

namespace clientele::customers {

namespace json = boost::json;
using http::RequestContext;
using http::Response;

namespace {

constexpr std::array<std::string_view, 5> address_types{"permanent", "present", "invoice",
                                                        "delivery", "other"};

struct CustomerAddress {
    int64_t id = 0;
    std::string type;
    std::optional<std::string> full_name, email, phone, mobile;
    Address address;
    bool is_default_invoice = false;
    bool is_default_delivery = false;
    int64_t version = 1;
    std::string created_at, updated_at;
};

// An address's columns, of its members' names (address_columns): all read, the fields a create
// or a replacement sets written (the defaults are settled apart: settle_defaults).
BOOST_DESCRIBE_STRUCT(CustomerAddress, (),
                      (id, type, full_name, email, phone, mobile, is_default_invoice,
                       is_default_delivery, version, created_at, updated_at))

const store::Columns<CustomerAddress>& address_columns() {
    static const auto columns = store::described_columns<CustomerAddress>(
                                    "", {"type", "full_name", "email", "phone", "mobile"})
                                    .add(address_column<&CustomerAddress::address>(
                                        "street, street2, city, postal_code, state, country"));
    return columns;
}

json::object address_json(const CustomerAddress& a) {
    return {{"id", a.id},
            {"type", a.type},
            {"full_name", nullable(a.full_name)},
            {"email", nullable(a.email)},
            {"phone", nullable(a.phone)},
            {"mobile", nullable(a.mobile)},
            {"street", nullable(a.address.street)},
            {"street2", nullable(a.address.street2)},
            {"city", nullable(a.address.city)},
            {"postal_code", nullable(a.address.postal_code)},
            {"state", nullable(a.address.state)},
            {"country", nullable(a.address.country)},
            {"is_default_invoice", a.is_default_invoice},
            {"is_default_delivery", a.is_default_delivery},
            {"version", a.version},
            {"created_at", a.created_at},
            {"updated_at", a.updated_at}};
}

std::optional<std::string> text_of(const Input<std::string>& in) {
    return in.has_value() && !in.value.empty() ? std::optional<std::string>(in.value)
                                               : std::nullopt;
}

// An address body, whole (POST and PUT: fields not sent are empty). The state is checked against
// the country here: both come in the same body.
CustomerAddress parse_address(const json::object& body) {
    std::vector<FieldError> errors;
    ObjectReader in(body, "", errors);
    auto type = in.string("type", {.min = 1, .max = 20, .nullable = false});
    auto full_name = in.string("full_name", {.max = 200});
    auto email = in.string("email", {.max = 254});
    auto phone = in.string("phone", {.max = 32});
    auto mobile = in.string("mobile", {.max = 32});
    auto street = in.string("street", {.max = 200, .multiline = true});
    auto street2 = in.string("street2", {.max = 200});
    auto city = in.string("city", {.max = 200});
    auto postal_code = in.string("postal_code", {.max = 20});
    auto state = in.string("state", {.max = 10});
    auto country = in.string("country", {.max = 2});
    auto default_invoice = in.boolean("is_default_invoice");
    auto default_delivery = in.boolean("is_default_delivery");
    for (auto field : {"id", "version", "created_at", "updated_at"}) {
        in.read_only(field);
    }
    in.finish();
    if (!type.present) {
        in.fail("type", "is required");
    } else if (type.has_value() && std::find(address_types.begin(), address_types.end(),
                                             type.value) == address_types.end()) {
        in.fail("type", "must be permanent, present, invoice, delivery or other");
    }
    if (email.has_value() && !email.value.empty() && !is_valid_email(email.value)) {
        in.fail("email", "must be a valid email address");
    }
    for (auto [name, value] : {std::pair{"phone", &phone}, std::pair{"mobile", &mobile}}) {
        if (value->has_value() && !value->value.empty() && !is_valid_phone(value->value)) {
            in.fail(name, "must be a phone number: digits, spaces and + - ( ) .");
        }
    }
    CustomerAddress a;
    a.address.country = text_of(country);
    if (a.address.country && !find_country(*a.address.country)) {
        in.fail("country", "must be an ISO 3166-1 alpha-2 code such as US or DE");
    }
    if (auto code = text_of(state)) {
        const Subdivision* found =
            a.address.country ? find_subdivision(*a.address.country, *code) : nullptr;
        if (!a.address.country) {
            in.fail("state", "needs a country");
        } else if (!found) {
            in.fail("state",
                    fmt::format("must be an ISO 3166-2 subdivision of {}", *a.address.country));
        } else {
            a.address.state = std::string(found->code);
        }
    }
    a.type = type.value;
    a.is_default_invoice = default_invoice.has_value() && default_invoice.value;
    a.is_default_delivery = default_delivery.has_value() && default_delivery.value;
    if (a.is_default_invoice && a.type != "invoice") {
        in.fail("is_default_invoice", "only an invoice address can be the default one");
    }
    if (a.is_default_delivery && a.type != "delivery") {
        in.fail("is_default_delivery", "only a delivery address can be the default one");
    }
    throw_if_invalid(errors);
    a.full_name = text_of(full_name);
    a.email = text_of(email);
    if (a.email) {
        a.email = ascii_lower(*a.email);
    }
    a.phone = text_of(phone);
    a.mobile = text_of(mobile);
    a.address.street = text_of(street);
    a.address.street2 = text_of(street2);
    a.address.city = text_of(city);
    a.address.postal_code = text_of(postal_code);
    return a;
}

std::vector<CustomerAddress> addresses_of(store::Tx& tx, int64_t customer_id) {
    static const std::string text = address_columns().sql(
        "SELECT {columns} FROM customer_addresses WHERE tenant_id = :tenant"
        " AND customer_id = ? ORDER BY id");
    auto q = tx.query(text, customer_id);
    std::vector<CustomerAddress> out;
    while (q.step()) {
        out.push_back(address_columns().read(q));
    }
    return out;
}

std::optional<CustomerAddress> find_address(store::Tx& tx, int64_t customer_id, int64_t id) {
    static const std::string text = address_columns().sql(
        "SELECT {columns} FROM customer_addresses WHERE tenant_id = :tenant"
        " AND customer_id = ? AND id = ?");
    auto q = tx.query(text, customer_id, id);
    if (!q.step()) {
        return std::nullopt;
    }
    return address_columns().read(q);
}

// The defaults: one invoice and one delivery address per customer. Marking one takes the mark
// from the other; a customer's only address of a kind is its default; when the default goes, the
// oldest other of its kind takes over.
void settle_defaults(store::Tx& tx, int64_t customer_id, const CustomerAddress* marked) {
    for (auto [type, column] : {std::pair{"invoice", "is_default_invoice"},
                                std::pair{"delivery", "is_default_delivery"}}) {
        bool wants = marked && marked->type == type &&
                     (type == std::string_view("invoice") ? marked->is_default_invoice
                                                          : marked->is_default_delivery);
        if (wants) {
            tx.exec(fmt::format("UPDATE customer_addresses SET {0} = 0 WHERE tenant_id = :tenant"
                                " AND customer_id = ? AND id <> ? AND {0} = 1",
                                column),
                    customer_id, marked->id);
            tx.exec(fmt::format("UPDATE customer_addresses SET {} = 1 WHERE tenant_id = :tenant"
                                " AND id = ?",
                                column),
                    marked->id);
            continue;
        }
        auto has_default =
            tx.query(fmt::format("SELECT 1 FROM customer_addresses WHERE"
                                 " tenant_id = :tenant AND customer_id = ? AND {} = 1",
                                 column),
                     customer_id);
        if (!has_default.step()) {
            tx.exec(fmt::format("UPDATE customer_addresses SET {} = 1 WHERE tenant_id = :tenant"
                                " AND id = (SELECT min(id) FROM customer_addresses WHERE"
                                " tenant_id = :tenant AND customer_id = ? AND type = ?)",
                                column),
                    customer_id, type);
        }
    }
}

// An address's change, in its customer's history: its fields under "addresses.<id>.".
void record_address(store::Tx& tx, std::string_view action, int64_t customer_id, int64_t id,
                    const CustomerAddress* before, const CustomerAddress* after) {
    auto fields = [&](const CustomerAddress* a) {
        json::object addresses;
        if (a) {
            json::object shown = address_json(*a);
            for (auto bookkeeping : {"id", "version", "created_at", "updated_at"}) {
                shown.erase(bookkeeping);
            }
            addresses[std::to_string(id)] = std::move(shown);
        }
        return json::object{{"addresses", std::move(addresses)}};
    };
    audit::record(
        tx, {action, "customer", customer_id, audit::diff(fields(before), fields(after), {})});
}

Task<Response> list_addresses(RequestContext& ctx) {
    int64_t customer_id = ctx.id_param("id");
    auto all = ctx.read([&](store::Tx& tx) {
        require(tx, customer_id);
        return addresses_of(tx, customer_id);
    });
    json::array data;
    for (const auto& a : all) {
        data.push_back(address_json(a));
    }
    // A customer has a handful of addresses: the whole list, in the usual envelope.
    co_return Response::json(200, http::list_envelope(std::move(data), std::nullopt));
}

Task<Response> create_address(RequestContext& ctx) {
    int64_t customer_id = ctx.id_param("id");
    CustomerAddress input = parse_address(ctx.json_body());
    CustomerAddress stored = co_await ctx.write([&](store::Tx& tx) {
        require(tx, customer_id);
        std::string now = now_timestamp();
        static const std::string text = address_columns().sql(
            "INSERT INTO customer_addresses (tenant_id, customer_id, {names}, created_at,"
            " updated_at) VALUES (:tenant, ?, {values}, ?, ?) RETURNING id");
        auto q = tx.query(text);
        q.bind(customer_id);
        address_columns().bind(q, input);
        q.bind(now);
        q.bind(now);
        CustomerAddress a = input;
        a.id = q.run_returning_id();
        settle_defaults(tx, customer_id, &a);
        CustomerAddress created = *find_address(tx, customer_id, a.id);
        record_address(tx, "customer.address_added", customer_id, a.id, nullptr, &created);
        return created;
    });
    Response response = Response::json(201, address_json(stored));
    response.set_header("Location",
                        fmt::format("/api/customers/{}/addresses/{}", customer_id, stored.id));
    co_return response;
}

Task<Response> replace_address(RequestContext& ctx) {
    int64_t customer_id = ctx.id_param("id");
    int64_t id = ctx.id_param("address_id");
    json::object body = ctx.json_body();
    CustomerAddress input = parse_address(body);
    bool invoice_mark_sent = body.contains("is_default_invoice");
    bool delivery_mark_sent = body.contains("is_default_delivery");
    auto expected = ctx.if_match_version();
    CustomerAddress stored = co_await ctx.write([&](store::Tx& tx) {
        auto before = find_address(tx, customer_id, id);
        if (!before) {
            throw Error(Code::not_found,
                        fmt::format("Customer {} has no address {}.", customer_id, id));
        }
        check_version(expected, before->version, "address");
        static const std::string text = address_columns().sql(
            "UPDATE customer_addresses SET {set}, is_default_invoice = 0, is_default_delivery = 0,"
            " version = version + 1, updated_at = ? WHERE tenant_id = :tenant AND id = ?");
        auto q = tx.query(text);
        address_columns().bind(q, input);
        q.bind(now_timestamp());
        q.bind(id);
        q.run();
        CustomerAddress a = input;
        a.id = id;
        // A default mark the body does not mention stays while the address keeps its kind.
        a.is_default_invoice =
            a.is_default_invoice ||
            (!invoice_mark_sent && before->is_default_invoice && a.type == "invoice");
        a.is_default_delivery =
            a.is_default_delivery ||
            (!delivery_mark_sent && before->is_default_delivery && a.type == "delivery");
        settle_defaults(tx, customer_id, &a);
        CustomerAddress updated = *find_address(tx, customer_id, id);
        record_address(tx, "customer.address_updated", customer_id, id, &*before, &updated);
        return updated;
    });
    co_return Response::json(200, json::object{{"message", "Address updated successfully."},
                                               {"address", address_json(stored)}});
}

Task<Response> delete_address(RequestContext& ctx) {
    int64_t customer_id = ctx.id_param("id");
    int64_t id = ctx.id_param("address_id");
    co_await ctx.write([&](store::Tx& tx) {
        auto before = find_address(tx, customer_id, id);
        if (!before) {
            throw Error(Code::not_found,
                        fmt::format("Customer {} has no address {}.", customer_id, id));
        }
        tx.exec("DELETE FROM customer_addresses WHERE tenant_id = :tenant AND id = ?", id);
        settle_defaults(tx, customer_id, nullptr);
        record_address(tx, "customer.address_removed", customer_id, id, &*before, nullptr);
    });
    co_return Response::message(200, "Address deleted successfully.");
}

}  // namespace

void register_address_routes(http::Router& router, App&) {
    using http::Method;
    router.add(Method::get, "/api/customers/{id}/addresses", perm::read, list_addresses);
    router.add(Method::post, "/api/customers/{id}/addresses", perm::write, create_address);
    router.add(Method::put, "/api/customers/{id}/addresses/{address_id}", perm::write,
               replace_address);
    router.add(Method::del, "/api/customers/{id}/addresses/{address_id}", perm::write,
               delete_address);
}

}  // namespace clientele::customers
