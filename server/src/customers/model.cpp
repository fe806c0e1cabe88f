#include "customers/model.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

#include "core/json_output.hpp"
#include "store/db.hpp"

namespace clientele::customers {

namespace json = boost::json;

const char* const customer_columns =
    "c.id, c.name, c.first_name, c.last_name, c.email, c.phone, c.birthdate, c.gender, c.locale,"
    " c.street, c.street2, c.city, c.postal_code, c.state, c.country, c.preferences, c.notes,"
    " c.version, c.created_at, c.updated_at, c.deleted_at";

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
    return c;
}

json::object to_json(const Customer& c, bool detail, const std::vector<Purchase>& history,
                     int64_t loyalty_points) {
    const Address& a = c.address;
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
