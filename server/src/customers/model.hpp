// A customer of a workspace: the record, its JSON form and the rules for its fields.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_input.hpp"
#include "store/columns.hpp"
namespace clientele {
class JsonWriter;
}

namespace clientele::customers {

struct Address {
    std::optional<std::string> street, street2, city, postal_code, state, country;
    bool operator==(const Address&) const = default;
};

//! Reads an Address from six result columns from `first` on, in the order of its members.
void read_address(Address& address, const store::Query& q, int first);
//! Binds an Address's six members in that order.
void bind_address(store::Query& q, const Address& address);
//! The column of a row's Address (`Member`), read from `select` (its six columns, in the order
//! of Address's members) and written to the columns of the same names.
template <auto Member>
auto address_column(std::string select) {
    using Row = typename store::MemberOf<decltype(Member)>::row;
    return store::Column<Row>{
        std::move(select), 6,
        [](Row& row, const store::Query& q, int i) { read_address(row.*Member, q, i); },
        "street, street2, city, postal_code, state, country",
        [](store::Query& q, const Row& row) { bind_address(q, row.*Member); }};
}

//! Another record a customer refers to, with what the API shows of it.
struct Ref {
    int64_t id = 0;
    std::string name;
    std::string detail;  //!< a title's short name, a user's e-mail, a tag's colour
    bool operator==(const Ref&) const = default;
};

//! The two account types (seed 000's "Individual or Company" toggle).
inline constexpr std::string_view type_individual = "individual";
inline constexpr std::string_view type_company = "company";

struct Customer {
    int64_t id = 0;
    std::string account_type{type_individual};
    std::string name;
    std::optional<std::string> first_name, last_name;
    std::optional<std::string> email;  //!< lower-case
    std::optional<std::string> phone, birthdate, gender, locale;
    Address address;
    boost::json::object preferences;
    std::optional<std::string> notes;
    // Seed 000's partner fields.
    std::optional<Ref> company;  //!< an individual's company (a customer of type company)
    std::optional<std::string> tax_id, job_title, mobile, website;
    std::optional<Ref> title;
    std::vector<Ref> tags;
    std::optional<Ref> responsible;  //!< a user of the workspace
    std::optional<std::string> company_registry, reference;
    std::optional<Ref> industry;
    // The customer portal: self-registered customers, and invited ones who accepted, may sign in.
    bool portal_access = false;
    std::optional<std::string> portal_last_login;
    std::string registered_via = "admin";
    std::optional<std::string> avatar_updated_at;  //!< when the avatar last changed; none without
    // Read only here: orders/ keeps the value figures (base currency minor units) and loyalty/ the
    // cached balance and tier, in the transactions of their own changes.
    int64_t order_count = 0, lifetime_value = 0, refunded_amount = 0;
    std::optional<std::string> first_order_at, last_order_at;
    int64_t loyalty_points = 0;
    std::optional<std::string> loyalty_tier;
    int64_t version = 1;
    std::string created_at, updated_at;
    std::optional<std::string> deleted_at;
};

//! One order of the purchase history (seed 002): its id, its total as a decimal number of its
//! currency's units, and the day it was placed (YYYY-MM-DD).
struct Purchase {
    int64_t order_id;
    double amount;
    std::string date;
    std::string currency;
};

//! A customer's columns (store/columns.hpp): the SELECT list (from customer_from), the row
//! reader, and the editable columns an INSERT or UPDATE binds. Tags are read separately
//! (load_tags).
const store::Columns<Customer>& customer_columns();
//! The FROM clause of customer_columns' SELECT list: customers `c` with what it refers to.
extern const char* const customer_from;

//! The API form. `detail` adds purchase_history (GET one, create, update).
//! The same written straight into a JSON text (lists and reads of one: no DOM in between). The
//! one definition of a customer's JSON; to_json parses what it writes.
void write_json(JsonWriter& writer, const Customer& customer, bool detail,
                const std::vector<Purchase>& history = {});
boost::json::object to_json(const Customer& customer, bool detail,
                            const std::vector<Purchase>& history = {});

//! A request's changes to a customer: which fields it sets and to what.
struct CustomerChanges {
    Input<std::string> name, first_name, last_name, email, phone, birthdate, gender, locale, notes;
    bool address_present = false;
    bool address_null = false;
    Input<std::string> street, street2, city, postal_code, state, country;
    Input<boost::json::object> preferences;  //!< owned: the request body does not outlive parsing
    Input<std::string> account_type, tax_id, job_title, mobile, website, company_registry,
        reference;
    Input<int64_t> company_id, title_id, responsible_id, industry_id;
    Input<std::string> company_name;  //!< a new company to create and link, instead of company_id
    Input<std::vector<int64_t>> tag_ids;
};

enum class WriteMode {
    create,   //!< POST: name required, absent fields empty
    replace,  //!< PUT: name required, fields sent are set, nested objects replaced
    merge,    //!< PATCH: RFC 7396, nested objects merged, null clears
};

//! Reads and checks a request body; throws one 422 naming every bad field.
CustomerChanges parse_changes(const boost::json::object& body, WriteMode mode);

//! Applies checked changes to `customer` (a fresh one for create).
void apply_changes(Customer& customer, const CustomerChanges& changes, WriteMode mode);

}  // namespace clientele::customers
