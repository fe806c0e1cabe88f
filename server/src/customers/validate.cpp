// The rules for a customer's fields, applied to create (POST), replace (PUT) and merge (PATCH).
#include <array>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdint>

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

// A reference sent by id: the name shown with it is read back from the store after the write.
void set_ref(std::optional<Ref>& field, const Input<int64_t>& in) {
    if (in.present) {
        field = in.null ? std::nullopt : std::optional<Ref>(Ref{in.value, {}, {}});
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
    c.notes = in.string("notes", {.max = 10000, .trim = false, .multiline = true});

    auto address = in.object("address");
    c.address_present = address.present;
    c.address_null = address.null;
    if (address.value) {
        ObjectReader a(*address.value, "address", errors);
        c.street = a.string("street", {.max = 200, .multiline = true});
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
        } else if (json_has_control_characters(*preferences.value)) {
            in.fail("preferences",
                    "must not contain control characters (other than tabs and line breaks)");
        } else if (json::serialize(*preferences.value).size() > max_preferences_bytes) {
            in.fail("preferences", "must be at most 16 KiB");
        } else {
            c.preferences.value = *preferences.value;
        }
    }

    c.account_type = in.string("account_type", {.max = 20, .nullable = false});
    if (c.account_type.has_value() && c.account_type.value != type_individual &&
        c.account_type.value != type_company) {
        in.fail("account_type", "must be individual or company");
    }
    c.company_id = in.integer("company_id", 1, INT64_MAX, true);
    c.company_name = in.string("company_name", {.min = 1, .max = 200, .nullable = false});
    if (c.company_id.has_value() && c.company_name.present) {
        in.fail("company_name", "cannot be sent with company_id: link a company or create one");
    }
    c.tax_id = in.string("tax_id", {.max = 50});
    c.job_title = in.string("job_title", {.max = 100});
    c.mobile = in.string("mobile", {.max = 32});
    if (c.mobile.has_value() && !c.mobile.value.empty() && !is_valid_phone(c.mobile.value)) {
        in.fail("mobile", "must be a phone number: digits, spaces and + - ( ) .");
    }
    c.website = in.string("website", {.max = 2048});
    if (c.website.has_value() && !c.website.value.empty()) {
        if (auto address = normalize_website(c.website.value)) {
            c.website.value = *address;
        } else {
            in.fail("website", "must be a web address such as https://example.com");
        }
    }
    c.company_registry = in.string("company_registry", {.max = 100});
    c.reference = in.string("reference", {.max = 100});
    c.title_id = in.integer("title_id", 1, INT64_MAX, true);
    c.industry_id = in.integer("industry_id", 1, INT64_MAX, true);
    c.responsible_id = in.integer("responsible_id", 1, INT64_MAX, true);
    c.tag_ids = in.id_list("tag_ids", 50);

    for (auto field : {"id",
                       "version",
                       "loyalty_points",
                       "loyalty_tier",
                       "purchase_history",
                       "order_count",
                       "lifetime_value",
                       "average_order_value",
                       "refunded_amount",
                       "first_order_at",
                       "last_order_at",
                       "created_at",
                       "updated_at",
                       "deleted_at",
                       "company",
                       "title",
                       "tags",
                       "responsible",
                       "industry",
                       "portal_access",
                       "portal_last_login",
                       "registered_via",
                       "avatar"}) {
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
    if (c.account_type.has_value()) {
        customer.account_type = c.account_type.value;
    }
    set(customer.tax_id, c.tax_id);
    set(customer.job_title, c.job_title);
    set(customer.mobile, c.mobile);
    set(customer.website, c.website);
    set(customer.company_registry, c.company_registry);
    set(customer.reference, c.reference);
    set_ref(customer.company, c.company_id);
    set_ref(customer.title, c.title_id);
    set_ref(customer.industry, c.industry_id);
    set_ref(customer.responsible, c.responsible_id);
    if (c.tag_ids.present) {
        customer.tags.clear();
        for (int64_t id : c.tag_ids.value) {
            customer.tags.push_back(Ref{id, {}, {}});
        }
    }
    for (auto* field : {&customer.phone, &customer.mobile, &customer.website}) {
        if (*field && (*field)->empty()) {
            field->reset();
        }
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
