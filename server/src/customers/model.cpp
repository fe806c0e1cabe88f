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

json::value ref_json(const std::optional<Ref>& ref, std::string_view detail_name = {}) {
    if (!ref) {
        return nullptr;
    }
    json::object out{{"id", ref->id}, {"name", ref->name}};
    if (!detail_name.empty()) {
        out[detail_name] = ref->detail;
    }
    return out;
}
// The avatar's addresses carry its version, so a browser may keep them for good.
json::value avatar_json(const Customer& c) {
    if (!c.avatar_updated_at) {
        return nullptr;
    }
    std::string version;
    for (char ch : *c.avatar_updated_at) {
        if (ch >= '0' && ch <= '9')
            version += ch;
    }
    std::string url = fmt::format("/api/customers/{}/avatar", c.id);
    return json::object{{"url", fmt::format("{}?v={}", url, version)},
                        {"thumbnail_url", fmt::format("{}/thumbnail?v={}", url, version)}};
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

json::object to_json(const Customer& c, bool detail, const std::vector<Purchase>& history,
                     int64_t loyalty_points) {
    const Address& a = c.address;
    json::array tags;
    for (const Ref& tag : c.tags) {
        tags.push_back(json::object{{"id", tag.id}, {"name", tag.name}, {"color", tag.detail}});
    }
    json::object out{
        {"id", c.id},
        {"name", c.name},
        {"first_name", nullable(c.first_name)},
        {"last_name", nullable(c.last_name)},
        {"email", nullable(c.email)},
        {"phone", nullable(c.phone)},
        {"birthdate", nullable(c.birthdate)},
        {"gender", nullable(c.gender)},
        {"locale", nullable(c.locale)},
        {"address", json::object{{"street", nullable(a.street)},
                                 {"street2", nullable(a.street2)},
                                 {"city", nullable(a.city)},
                                 {"postal_code", nullable(a.postal_code)},
                                 {"state", nullable(a.state)},
                                 {"country", nullable(a.country)}}},
        {"preferences", c.preferences},
        {"notes", nullable(c.notes)},
        {"account_type", c.account_type},
        {"company", ref_json(c.company)},
        {"tax_id", nullable(c.tax_id)},
        {"job_title", nullable(c.job_title)},
        {"mobile", nullable(c.mobile)},
        {"website", nullable(c.website)},
        {"title", ref_json(c.title, "short_name")},
        {"tags", std::move(tags)},
        {"responsible", ref_json(c.responsible, "email")},
        {"company_registry", nullable(c.company_registry)},
        {"reference", nullable(c.reference)},
        {"industry", ref_json(c.industry)},
        {"portal_access", c.portal_access},
        {"portal_last_login", nullable(c.portal_last_login)},
        {"registered_via", c.registered_via},
        {"avatar", avatar_json(c)},
        {"loyalty_points", loyalty_points},
        {"version", c.version},
        {"created_at", c.created_at},
        {"updated_at", c.updated_at},
    };
    if (c.deleted_at) {
        out["deleted_at"] = *c.deleted_at;
    }
    if (detail) {
        json::array purchases;
        for (const Purchase& p : history) {
            purchases.push_back(
                json::object{{"order_id", p.order_id}, {"amount", p.amount}, {"date", p.date}});
        }
        out["purchase_history"] = std::move(purchases);
    }
    return out;
}

}  // namespace clientele::customers
