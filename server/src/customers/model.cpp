#include "customers/model.hpp"

#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

#include "core/json_output.hpp"
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

json::value ref_json(const std::optional<Ref>& ref, const json::storage_ptr& sp,
                     std::string_view detail_name = {}) {
    if (!ref) {
        return json::value(nullptr, sp);
    }
    json::object out(sp);
    out.reserve(3);
    out.emplace("id", ref->id);
    out.emplace("name", ref->name);
    if (!detail_name.empty()) {
        out.emplace(detail_name, ref->detail);
    }
    return out;
}

// The avatar's addresses carry its version, so a browser may keep them for good.
json::value avatar_json(const Customer& c, const json::storage_ptr& sp) {
    if (!c.avatar_updated_at) {
        return json::value(nullptr, sp);
    }
    std::string version;
    for (char ch : *c.avatar_updated_at) {
        if (ch >= '0' && ch <= '9')
            version += ch;
    }
    std::string url = fmt::format("/api/customers/{}/avatar", c.id);
    json::object out(sp);
    out.emplace("url", fmt::format("{}?v={}", url, version));
    out.emplace("thumbnail_url", fmt::format("{}/thumbnail?v={}", url, version));
    return out;
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
    json::value preferences = json::parse(row.text(15), ec);
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

// Built member by member in `sp`: a page of customers is thousands of small strings, and one
// monotonic buffer for the whole answer (see scratch_storage) saves most of their allocations.
json::object to_json(const Customer& c, bool detail, const std::vector<Purchase>& history,
                     int64_t loyalty_points, const json::storage_ptr& sp) {
    json::object out(sp);
    out.reserve(41);
    auto text = [](json::object& o, std::string_view key, const std::optional<std::string>& v) {
        if (v) {
            o.emplace(key, std::string_view(*v));
        } else {
            o.emplace(key, nullptr);
        }
    };
    out.emplace("id", c.id);
    out.emplace("name", c.name);
    text(out, "first_name", c.first_name);
    text(out, "last_name", c.last_name);
    text(out, "email", c.email);
    text(out, "phone", c.phone);
    text(out, "birthdate", c.birthdate);
    text(out, "gender", c.gender);
    text(out, "locale", c.locale);
    const Address& a = c.address;
    json::object address(sp);
    address.reserve(6);
    text(address, "street", a.street);
    text(address, "street2", a.street2);
    text(address, "city", a.city);
    text(address, "postal_code", a.postal_code);
    text(address, "state", a.state);
    text(address, "country", a.country);
    out.emplace("address", std::move(address));
    out.emplace("preferences", json::value(c.preferences, sp));
    text(out, "notes", c.notes);
    out.emplace("account_type", c.account_type);
    out.emplace("company", ref_json(c.company, sp));
    text(out, "tax_id", c.tax_id);
    text(out, "job_title", c.job_title);
    text(out, "mobile", c.mobile);
    text(out, "website", c.website);
    out.emplace("title", ref_json(c.title, sp, "short_name"));
    json::array tags(sp);
    for (const Ref& tag : c.tags) {
        json::object t(sp);
        t.emplace("id", tag.id);
        t.emplace("name", tag.name);
        t.emplace("color", tag.detail);
        tags.emplace_back(std::move(t));
    }
    out.emplace("tags", std::move(tags));
    out.emplace("responsible", ref_json(c.responsible, sp, "email"));
    text(out, "company_registry", c.company_registry);
    text(out, "reference", c.reference);
    out.emplace("industry", ref_json(c.industry, sp));
    out.emplace("portal_access", c.portal_access);
    text(out, "portal_last_login", c.portal_last_login);
    out.emplace("registered_via", c.registered_via);
    out.emplace("avatar", avatar_json(c, sp));
    out.emplace("loyalty_points", loyalty_points);
    out.emplace("version", c.version);
    out.emplace("created_at", c.created_at);
    out.emplace("updated_at", c.updated_at);
    if (c.deleted_at) {
        out.emplace("deleted_at", *c.deleted_at);
    }
    if (detail) {
        json::array purchases(sp);
        for (const Purchase& p : history) {
            json::object purchase(sp);
            purchase.emplace("order_id", p.order_id);
            purchase.emplace("amount", p.amount);
            purchase.emplace("date", p.date);
            purchases.emplace_back(std::move(purchase));
        }
        out.emplace("purchase_history", std::move(purchases));
    }
    return out;
}

}  // namespace clientele::customers
