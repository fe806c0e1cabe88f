#include "customers/model.hpp"

#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/json_input.hpp"
#include "core/json_writer.hpp"
#include "store/db.hpp"

namespace clientele::customers {

namespace json = boost::json;

const char* const customer_columns =
    "c.id, c.name, c.first_name, c.last_name, c.email, c.phone, c.birthdate, c.gender, c.locale,"
    " c.street, c.street2, c.city, c.postal_code, c.state, c.country, c.preferences, c.notes,"
    " c.version, c.created_at, c.updated_at, c.deleted_at, c.account_type, c.company_id, co.name,"
    " c.tax_id, c.job_title, c.mobile, c.website, c.title_id, ti.name, ti.short_name,"
    " c.responsible_id, ru.name, ru.email, c.company_registry, c.reference, c.industry_id, "
    "ind.name,"
    " c.portal_joined_at IS NOT NULL, c.portal_last_login, c.registered_via, c.avatar_updated_at";

// Left joins on unique (tenant_id, id) keys: at most one row each, and customers stays the outer
// loop, so list plans still walk the customers indexes in order.
const char* const customer_from =
    " FROM customers c"
    " LEFT JOIN customers co ON co.tenant_id = c.tenant_id AND co.id = c.company_id"
    " LEFT JOIN customer_titles ti ON ti.tenant_id = c.tenant_id AND ti.id = c.title_id"
    " LEFT JOIN users ru ON ru.tenant_id = c.tenant_id AND ru.id = c.responsible_id"
    " LEFT JOIN industries ind ON ind.tenant_id = c.tenant_id AND ind.id = c.industry_id";

namespace {
std::optional<Ref> read_ref(const store::Query& row, int id_column, int name_column,
                            int detail_column = -1) {
    auto id = row.optional_int64(id_column);
    if (!id) {
        return std::nullopt;
    }
    return Ref{*id, std::string(row.text(name_column)),
               detail_column < 0 ? std::string() : std::string(row.text(detail_column))};
}

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

Customer read_customer(const store::Query& row) {
    Customer c;
    c.id = row.int64(0);
    c.name = row.text(1);
    c.first_name = row.optional_text(2);
    c.last_name = row.optional_text(3);
    if (!row.text(4).empty()) {
        c.email = std::string(row.text(4));
    }
    c.phone = row.optional_text(5);
    c.birthdate = row.optional_text(6);
    c.gender = row.optional_text(7);
    c.locale = row.optional_text(8);
    c.address = {row.optional_text(9),  row.optional_text(10), row.optional_text(11),
                 row.optional_text(12), row.optional_text(13), row.optional_text(14)};
    boost::system::error_code ec;
    json::value preferences = json::parse(row.text(15), ec, {}, stored_json_options());
    if (!ec && preferences.is_object()) {
        c.preferences = std::move(preferences.as_object());
    }
    c.notes = row.optional_text(16);
    c.version = row.int64(17);
    c.created_at = row.text(18);
    c.updated_at = row.text(19);
    c.deleted_at = row.optional_text(20);
    c.account_type = row.text(21);
    c.company = read_ref(row, 22, 23);
    c.tax_id = row.optional_text(24);
    c.job_title = row.optional_text(25);
    c.mobile = row.optional_text(26);
    c.website = row.optional_text(27);
    c.title = read_ref(row, 28, 29, 30);
    c.responsible = read_ref(row, 31, 32, 33);
    c.company_registry = row.optional_text(34);
    c.reference = row.optional_text(35);
    c.industry = read_ref(row, 36, 37);
    c.portal_access = row.int64(38) != 0;
    c.portal_last_login = row.optional_text(39);
    c.registered_via = row.text(40);
    c.avatar_updated_at = row.optional_text(41);
    return c;
}

void write_json(JsonWriter& w, const Customer& c, bool detail, const std::vector<Purchase>& history,
                int64_t loyalty_points) {
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
    w.member("loyalty_points", loyalty_points).member("version", c.version);
    w.member("created_at", c.created_at).member("updated_at", c.updated_at);
    if (c.deleted_at) {
        w.member("deleted_at", *c.deleted_at);
    }
    if (detail) {
        w.key("purchase_history").begin_array();
        for (const Purchase& p : history) {
            w.begin_object().member("order_id", p.order_id).member("amount", p.amount);
            w.member("date", p.date).end_object();
        }
        w.end_array();
    }
    w.end_object();
}

json::object to_json(const Customer& c, bool detail, const std::vector<Purchase>& history,
                     int64_t loyalty_points) {
    std::string text;
    JsonWriter w(text);
    write_json(w, c, detail, history, loyalty_points);
    return json::parse(text, {}, stored_json_options()).as_object();
}

}  // namespace clientele::customers
