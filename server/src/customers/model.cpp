#include "customers/model.hpp"

#include <fmt/format.h>

#include <array>
#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/json_input.hpp"
#include "core/json_writer.hpp"
#include "core/text.hpp"
#include "store/columns.hpp"

namespace clientele::customers {

namespace json = boost::json;

// Left joins on unique (tenant_id, id) keys: at most one row each, and customers stays the outer
// loop, so list plans still walk the customers indexes in order.
const char* const customer_from =
    " FROM customers c"
    " LEFT JOIN customers co ON co.tenant_id = c.tenant_id AND co.id = c.company_id"
    " LEFT JOIN customer_titles ti ON ti.tenant_id = c.tenant_id AND ti.id = c.title_id"
    " LEFT JOIN users ru ON ru.tenant_id = c.tenant_id AND ru.id = c.responsible_id"
    " LEFT JOIN industries ind ON ind.tenant_id = c.tenant_id AND ind.id = c.industry_id";

namespace {
void write_ref(JsonWriter& w, std::string_view name, const std::optional<Ref>& ref,
               std::string_view detail_name = {}) {
    w.key(name);
    if (!ref) {
        w.null();
        return;
    }
    w.begin_object().member("id", ref->id).member("name", ref->name);
    if (!detail_name.empty()) {
        w.member(detail_name, ref->detail);
    }
    w.end_object();
}

// The avatar's addresses carry its version, so a browser may keep them for good.
void write_avatar(JsonWriter& w, const Customer& c) {
    w.key("avatar");
    if (!c.avatar_updated_at) {
        w.null();
        return;
    }
    std::string version;
    for (char ch : *c.avatar_updated_at) {
        if (ch >= '0' && ch <= '9')
            version += ch;
    }
    std::string url = fmt::format("/api/customers/{}/avatar", c.id);
    w.begin_object()
        .member("url", fmt::format("{}?v={}", url, version))
        .member("thumbnail_url", fmt::format("{}/thumbnail?v={}", url, version))
        .end_object();
}

}  // namespace

// A customer's columns of customers `c` of the same names (customer_columns; the others are
// spelled out there).
BOOST_DESCRIBE_STRUCT(Customer, (),
                      (id, name, first_name, last_name, phone, birthdate, gender, locale, notes,
                       version, created_at, updated_at, deleted_at, account_type, tax_id, job_title,
                       mobile, website, company_registry, reference, portal_last_login,
                       registered_via, avatar_updated_at))

namespace {

// A reference: its id column, then its name (and detail) from the joined table; written as the id.
template <std::optional<Ref> Customer::*Member, int Width>
store::Column<Customer> ref(std::string select, std::string write) {
    return {select, Width,
            [](Customer& c, const store::Query& q, int i) {
                auto id = q.optional_int64(i);
                if (!id) {
                    (c.*Member).reset();
                    return;
                }
                c.*Member = Ref{*id, std::string(q.text(i + 1)),
                                Width > 2 ? std::string(q.text(i + 2)) : std::string()};
            },
            write,
            [](store::Query& q, const Customer& c) {
                q.bind(c.*Member ? std::optional<int64_t>((c.*Member)->id) : std::nullopt);
            }};
}

}  // namespace

namespace {
// An address's members in the order of its columns.
constexpr std::array<std::optional<std::string> Address::*, 6> address_members{
    &Address::street,      &Address::street2, &Address::city,
    &Address::postal_code, &Address::state,   &Address::country};
}  // namespace

void read_address(Address& a, const store::Query& q, int first) {
    for (auto member : address_members) {
        store::read_value(q, first++, a.*member);
    }
}

void bind_address(store::Query& q, const Address& a) {
    for (auto member : address_members) {
        q.bind(a.*member);
    }
}

const store::Columns<Customer>& customer_columns() {
    using C = Customer;
    static const auto columns =
        store::described_columns<Customer>(
            "c.", {"name", "first_name", "last_name", "phone", "birthdate", "gender", "locale",
                   "notes", "account_type", "tax_id", "job_title", "mobile", "website",
                   "company_registry", "reference"})
            // The case-folded name that search and the name sort use; written, never read.
            .add({"", 0, nullptr, "name_key",
                  [](store::Query& q, const C& c) { q.bind(fold_case(c.name)); }})
            // Stored '' without one: the unique index of live e-mails then needs no NULL case.
            .add({"c.email", 1,
                  [](C& c, const store::Query& q, int i) {
                      if (q.text(i).empty()) {
                          c.email.reset();
                      } else {
                          c.email.emplace(q.text(i));
                      }
                  },
                  "email", [](store::Query& q, const C& c) { q.bind(c.email.value_or("")); }})
            .add(address_column<&C::address>(
                "c.street, c.street2, c.city, c.postal_code, c.state, c.country"))
            .add({"c.preferences", 1,
                  [](C& c, const store::Query& q, int i) {
                      boost::system::error_code ec;
                      json::value preferences =
                          json::parse(q.text(i), ec, {}, stored_json_options());
                      if (!ec && preferences.is_object()) {
                          c.preferences = std::move(preferences.as_object());
                      }
                  },
                  "preferences",
                  [](store::Query& q, const C& c) { q.bind(json::serialize(c.preferences)); }})
            .add(ref<&C::company, 2>("c.company_id, co.name", "company_id"))
            .add(ref<&C::title, 3>("c.title_id, ti.name, ti.short_name", "title_id"))
            .add(ref<&C::responsible, 3>("c.responsible_id, ru.name, ru.email", "responsible_id"))
            .add(ref<&C::industry, 2>("c.industry_id, ind.name", "industry_id"))
            .add(store::field<&C::portal_access>("c.portal_joined_at IS NOT NULL"))
            .add(store::field<&C::order_count>("c.order_count"))
            .add(store::field<&C::lifetime_value>("c.lifetime_value"))
            .add(store::field<&C::refunded_amount>("c.refunded_amount"))
            .add(store::field<&C::first_order_at>("c.first_order_at"))
            .add(store::field<&C::last_order_at>("c.last_order_at"))
            .add(store::field<&C::loyalty_points>("c.loyalty_points"))
            .add(store::field<&C::loyalty_tier>("c.loyalty_tier"));
    return columns;
}

void write_json(JsonWriter& w, const Customer& c, bool detail,
                const std::vector<Purchase>& history) {
    w.begin_object();
    w.member("id", c.id).member("name", c.name);
    w.member("first_name", c.first_name).member("last_name", c.last_name);
    w.member("email", c.email).member("phone", c.phone).member("birthdate", c.birthdate);
    w.member("gender", c.gender).member("locale", c.locale);
    const Address& a = c.address;
    w.key("address").begin_object();
    w.member("street", a.street).member("street2", a.street2).member("city", a.city);
    w.member("postal_code", a.postal_code).member("state", a.state).member("country", a.country);
    w.end_object();
    w.key("preferences").raw(json::serialize(c.preferences));
    w.member("notes", c.notes);
    w.member("account_type", c.account_type);
    write_ref(w, "company", c.company);
    w.member("tax_id", c.tax_id).member("job_title", c.job_title);
    w.member("mobile", c.mobile).member("website", c.website);
    write_ref(w, "title", c.title, "short_name");
    w.key("tags").begin_array();
    for (const Ref& tag : c.tags) {
        w.begin_object().member("id", tag.id).member("name", tag.name);
        w.member("color", tag.detail).end_object();
    }
    w.end_array();
    write_ref(w, "responsible", c.responsible, "email");
    w.member("company_registry", c.company_registry).member("reference", c.reference);
    write_ref(w, "industry", c.industry);
    w.member("portal_access", c.portal_access);
    w.member("portal_last_login", c.portal_last_login);
    w.member("registered_via", c.registered_via);
    write_avatar(w, c);
    w.member("order_count", c.order_count).member("lifetime_value", c.lifetime_value);
    w.member("average_order_value", c.order_count > 0 ? c.lifetime_value / c.order_count : 0);
    w.member("refunded_amount", c.refunded_amount);
    w.member("first_order_at", c.first_order_at).member("last_order_at", c.last_order_at);
    w.member("loyalty_points", c.loyalty_points).member("loyalty_tier", c.loyalty_tier);
    w.member("version", c.version);
    w.member("created_at", c.created_at).member("updated_at", c.updated_at);
    if (c.deleted_at) {
        w.member("deleted_at", *c.deleted_at);
    }
    if (detail) {
        w.key("purchase_history").begin_array();
        for (const Purchase& p : history) {
            w.begin_object().member("order_id", p.order_id).member("amount", p.amount);
            w.member("date", p.date).member("currency", p.currency).end_object();
        }
        w.end_array();
    }
    w.end_object();
}

json::object to_json(const Customer& c, bool detail, const std::vector<Purchase>& history) {
    std::string text;
    JsonWriter w(text);
    write_json(w, c, detail, history);
    return json::parse(text, {}, stored_json_options()).as_object();
}

}  // namespace clientele::customers
