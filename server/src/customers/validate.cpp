// The rules for a customer's fields, applied to create (POST), replace (PUT) and merge (PATCH).
#include <array>
#include <boost/json/serialize.hpp>
#include <chrono>

#include "core/countries.hpp"
#include "core/formats.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "customers/model.hpp"

namespace clientele::customers {

namespace json = boost::json;

namespace {

constexpr std::array genders{"female", "male", "non_binary", "other", "prefer_not_to_say"};
constexpr size_t max_preferences_bytes = size_t{16} * 1024;

void check_birthdate(ObjectReader& in, const Input<std::string>& birthdate) {
    if (!birthdate.has_value()) {
        return;
    }
    auto date = parse_date(birthdate.value);
    if (!date) {
        in.fail("birthdate", "must be a real date written YYYY-MM-DD");
        return;
    }
    using namespace std::chrono;
    auto today = year_month_day{floor<days>(system_clock::now())};
    if (*date > today) {
        in.fail("birthdate", "must not be in the future");
    } else if (date->year() < year{1900}) {
        in.fail("birthdate", "must not be before 1900");
    }
}

// RFC 7396: members of `patch` replace those of `target`; null removes; objects merge deeply.
void merge_patch(json::object& target, const json::object& patch) {
    for (const auto& member : patch) {
        if (member.value().is_null()) {
            target.erase(member.key());
        } else if (member.value().is_object()) {
            json::value& slot = target[member.key()];
            if (!slot.is_object()) {
                slot = json::object();
            }
            merge_patch(slot.as_object(), member.value().get_object());
        } else {
            target[member.key()] = member.value();
        }
    }
}

void set(std::optional<std::string>& field, const Input<std::string>& in) {
    if (in.present) {
        field = in.null ? std::nullopt : std::optional<std::string>(in.value);
    }
}

}  // namespace

CustomerChanges parse_changes(const json::object& body, WriteMode mode) {
    std::vector<FieldError> errors;
    ObjectReader in(body, "", errors);
    CustomerChanges c;
    c.name = in.string("name", {.min = 1, .max = 200, .nullable = false});
    if (!c.name.present && mode != WriteMode::merge) {
        in.fail("name", "is required");
    }
    c.first_name = in.string("first_name", {.max = 100});
    c.last_name = in.string("last_name", {.max = 100});

    c.email = in.string("email", {.max = 254});
    if (c.email.has_value()) {
        if (c.email.value.empty()) {
            c.email.null = true;  // an empty address means none
        } else if (!is_valid_email(c.email.value)) {
            in.fail("email", "must be a valid email address");
        } else {
            c.email.value = ascii_lower(c.email.value);
        }
    }
    c.phone = in.string("phone", {.max = 32});
    if (c.phone.has_value() && !c.phone.value.empty() && !is_valid_phone(c.phone.value)) {
        in.fail("phone", "must be a phone number: digits, spaces and + - ( ) .");
    }
    c.birthdate = in.string("birthdate", {.max = 10});
    check_birthdate(in, c.birthdate);
    c.gender = in.string("gender", {.max = 32});
    if (c.gender.has_value() &&
        std::find(genders.begin(), genders.end(), c.gender.value) == genders.end()) {
        in.fail("gender", "must be one of female, male, non_binary, other, prefer_not_to_say");
    }
    c.locale = in.string("locale", {.max = 35});
    if (c.locale.has_value() && !is_valid_locale(c.locale.value)) {
        in.fail("locale", "must be a language tag such as en or en-US");
    }
    c.notes = in.string("notes", {.max = 10000, .trim = false});

    auto address = in.object("address");
    c.address_present = address.present;
    c.address_null = address.null;
    if (address.value) {
        ObjectReader a(*address.value, "address", errors);
        c.street = a.string("street", {.max = 200});
        c.street2 = a.string("street2", {.max = 200});
        c.city = a.string("city", {.max = 200});
        c.postal_code = a.string("postal_code", {.max = 20});
        c.state = a.string("state", {.max = 200});
        c.country = a.string("country", {.max = 2});
        if (c.country.has_value() && !find_country(c.country.value)) {
            a.fail("country", "must be an ISO 3166-1 alpha-2 code such as US or DE");
        }
        a.finish();
    }

    auto preferences = in.object("preferences", mode == WriteMode::merge);
    c.preferences.present = preferences.present;
    c.preferences.null = preferences.null;
    if (preferences.value) {
        if (!json_has_valid_utf8(*preferences.value)) {
            in.fail("preferences", "must be valid UTF-8");
        } else if (json::serialize(*preferences.value).size() > max_preferences_bytes) {
            in.fail("preferences", "must be at most 16 KiB");
        } else {
            c.preferences.value = *preferences.value;
        }
    }

    for (auto field : {"id", "version", "loyalty_points", "purchase_history", "created_at",
                       "updated_at", "deleted_at"}) {
        in.read_only(field);
    }
    in.finish();
    throw_if_invalid(errors);
    return c;
}

void apply_changes(Customer& customer, const CustomerChanges& c, WriteMode mode) {
    if (c.name.has_value()) {
        customer.name = c.name.value;
    }
    set(customer.first_name, c.first_name);
    set(customer.last_name, c.last_name);
    set(customer.email, c.email);
    set(customer.phone, c.phone);
    set(customer.birthdate, c.birthdate);
    set(customer.gender, c.gender);
    set(customer.locale, c.locale);
    set(customer.notes, c.notes);
    if (customer.phone && customer.phone->empty()) {
        customer.phone.reset();
    }
    if (c.address_present) {
        if (c.address_null || mode != WriteMode::merge) {
            customer.address = Address{};
        }
        Address& a = customer.address;
        set(a.street, c.street);
        set(a.street2, c.street2);
        set(a.city, c.city);
        set(a.postal_code, c.postal_code);
        set(a.state, c.state);
        set(a.country, c.country);
    }
    if (c.preferences.present) {
        if (c.preferences.null) {
            customer.preferences.clear();
        } else if (mode == WriteMode::merge) {
            merge_patch(customer.preferences, c.preferences.value);
        } else {
            customer.preferences = c.preferences.value;
        }
    }
}

}  // namespace clientele::customers
