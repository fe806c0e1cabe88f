#include "customers/service.hpp"

#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <unordered_map>

#include "area.hpp"
#include "audit/trail.hpp"
#include "core/countries.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "customers/lookups.hpp"
#include "customers/queries.hpp"
#include "store/columns.hpp"

namespace clientele::customers {

namespace json = boost::json;

namespace {

// How a customer's changes show in the audit trail: bookkeeping left out, sensitive values (DESIGN
// §6) masked. The avatar records events of its own.
const audit::FieldPolicy audit_policy{
    .ignored = {"id", "version", "created_at", "updated_at", "loyalty_points", "loyalty_tier",
                "order_count", "lifetime_value", "average_order_value", "refunded_amount",
                "first_order_at", "last_order_at", "avatar", "portal_last_login"},
    .masked = {"tax_id", "birthdate", "notes"}};

void record(store::Tx& tx, std::string_view action, int64_t id, const json::object& before,
            const json::object& after) {
    audit::record(tx, {action, "customer", id, audit::diff(before, after, audit_policy)});
}

}  // namespace

void record_change(store::Tx& tx, std::string_view action, const Customer& before,
                   const Customer& after) {
    record(tx, action, after.id, to_json(before, false), to_json(after, false));
}

namespace {

const std::string& select_one_sql() {
    static const std::string text = customer_columns().sql(
        std::string("SELECT {columns}").append(customer_from).append(sql::where_one));
    return text;
}
const std::string& insert_sql() {
    static const std::string text = customer_columns().sql(sql::insert);
    return text;
}
const std::string& update_sql() {
    static const std::string text = customer_columns().sql(sql::update);
    return text;
}

void check_email_free(store::Tx& tx, const std::optional<std::string>& email, int64_t id) {
    if (!email) {
        return;
    }
    auto q = tx.query(sql::email_taken, *email, id);
    if (q.step()) {
        throw Error(Code::conflict, "Another customer already uses this e-mail address.",
                    {{"email", "is already used by another customer"}});
    }
}

void save_tags(store::Tx& tx, const Customer& c) {
    tx.exec(sql::clear_tags, c.id);
    for (const Ref& tag : c.tags) {
        tx.exec(sql::add_tag, c.id, tag.id);
    }
}

// What the store checks before a write: each reference names a record of this workspace that may
// be referred to, and the state belongs to the country. One 422 names every bad field.
void check_references(store::Tx& tx, Customer& c) {
    std::vector<FieldError> errors;
    if (c.company) {
        auto q = tx.query(sql::live_company, c.company->id);
        if (c.account_type != type_individual) {
            errors.push_back({"company_id", "only an individual belongs to a company"});
        } else if (c.company->id == c.id || !q.step() || q.text(0) != type_company) {
            errors.push_back({"company_id", "must be a company customer of this workspace"});
        }
    }
    if (c.title && !find_entry(tx, titles, c.title->id)) {
        errors.push_back({"title_id", "must be one of the workspace's titles"});
    }
    if (c.industry && !find_entry(tx, industries, c.industry->id)) {
        errors.push_back({"industry_id", "must be one of the workspace's industries"});
    }
    if (c.responsible && !tx.query(sql::active_user, c.responsible->id).step()) {
        errors.push_back({"responsible_id", "must be an active user of the workspace"});
    }
    for (const Ref& tag : c.tags) {
        if (!find_entry(tx, tags, tag.id)) {
            errors.push_back(
                {"tag_ids", fmt::format("{} is not one of the workspace's tags", tag.id)});
            break;
        }
    }
    Address& a = c.address;
    if (a.state) {
        const Subdivision* state = a.country ? find_subdivision(*a.country, *a.state) : nullptr;
        if (!a.country) {
            errors.push_back({"address.state", "needs address.country"});
        } else if (!state) {
            errors.push_back(
                {"address.state", fmt::format("must be an ISO 3166-2 subdivision of {} (see "
                                              "/api/countries/{}/subdivisions)",
                                              *a.country, *a.country)});
        } else {
            a.state = std::string(state->code);
        }
    }
    throw_if_invalid(errors);
}

// A company that has contacts stays a company: its contacts would point at an individual.
void check_type_change(store::Tx& tx, const Customer& before, const Customer& after) {
    if (before.account_type == type_company && after.account_type != type_company) {
        if (int64_t contacts = count_contacts(tx, before.id); contacts > 0) {
            throw Error(Code::conflict,
                        fmt::format("This company has {} contact(s); move or delete them before "
                                    "making it an individual.",
                                    contacts),
                        {{"account_type", "the company has contacts"}});
        }
    }
}

// Seed 000's "Company: select or create": a company customer made on the way, by name.
void create_inline_company(store::Tx& tx, Customer& c, const CustomerChanges& changes,
                           int64_t created_by) {
    if (!changes.company_name.has_value()) {
        return;
    }
    if (c.account_type != type_individual) {
        throw Error(Code::validation_failed, "Only an individual belongs to a company.",
                    {{"company_name", "only an individual belongs to a company"}});
    }
    Customer company;
    company.account_type = type_company;
    company.name = changes.company_name.value;
    company = insert(tx, std::move(company), created_by);
    record(tx, "customer.created", company.id, {}, to_json(company, false));
    c.company = Ref{company.id, company.name, {}};
}

// SQLite's trigram index holds the case-folded name (name_key: ICU's full folding, so "Straße"
// is found by "strasse" as the walk finds it), the e-mail ('' for none) and the phone, as the row
// stores them (migration 0009). PostgreSQL's is an index on the row itself (0002's twin).
void index_search_text(store::Tx& tx, const Customer& c) {
    if (tx.backend() == store::Backend::sqlite) {
        tx.exec(sql::index_search_text, c.id, fold_case(c.name), c.email.value_or(""), c.phone);
    }
}
void unindex_search_text(store::Tx& tx, const Customer& c) {
    if (tx.backend() == store::Backend::sqlite) {
        tx.exec(sql::unindex_search_text, c.id, fold_case(c.name), c.email.value_or(""), c.phone);
    }
}

}  // namespace

std::optional<Customer> find_row(store::Tx& tx, int64_t id, bool include_deleted) {
    auto q = tx.query(select_one_sql(), id);
    if (!q.step()) {
        return std::nullopt;
    }
    Customer c = customer_columns().read(q);
    if (c.deleted_at && !include_deleted) {
        return std::nullopt;
    }
    return c;
}

void load_tags(store::Tx& tx, std::vector<Customer>& customers) {
    if (customers.empty()) {
        return;
    }
    json::array ids;
    std::unordered_map<int64_t, Customer*> by_id;
    for (Customer& c : customers) {
        c.tags.clear();
        ids.push_back(c.id);
        by_id[c.id] = &c;
    }
    auto q = tx.query(
        tx.backend() == store::Backend::postgres ? sql::tags_of_postgres : sql::tags_of_sqlite,
        json::serialize(ids));
    while (q.step()) {
        by_id.at(q.int64(0))
            ->tags.push_back(Ref{q.int64(1), std::string(q.text(2)), std::string(q.text(3))});
    }
}

Customer require(store::Tx& tx, int64_t id, std::optional<int64_t> expected_version) {
    auto current = find(tx, id);
    if (!current) {
        throw Error(Code::not_found, fmt::format("There is no customer {}.", id));
    }
    check_version(expected_version, current->version, "customer");
    return *current;
}

std::optional<Customer> find(store::Tx& tx, int64_t id, bool include_deleted) {
    auto c = find_row(tx, id, include_deleted);
    if (c) {
        auto q = tx.query(sql::tags_of_one, id);
        while (q.step()) {
            c->tags.push_back(Ref{q.int64(0), std::string(q.text(1)), std::string(q.text(2))});
        }
    }
    return c;
}

Customer create(store::Tx& tx, const CustomerChanges& changes, int64_t created_by,
                std::string_view registered_via) {
    Customer created = create_unrecorded(tx, changes, created_by, registered_via);
    record_created(tx, "customer.created", created);
    return created;
}

void record_created(store::Tx& tx, std::string_view action, const Customer& customer) {
    record(tx, action, customer.id, {}, to_json(customer, false));
}

Customer create_unrecorded(store::Tx& tx, const CustomerChanges& changes, int64_t created_by,
                           std::string_view registered_via) {
    Customer c;
    apply_changes(c, changes, WriteMode::create);
    c.registered_via = registered_via;
    check_references(tx, c);
    check_email_free(tx, c.email, 0);
    create_inline_company(tx, c, changes, created_by);
    c = insert(tx, std::move(c), created_by);
    if (c.email) {
        on_customer_email_set(tx, c.id, *c.email);
    }
    return *find(tx, c.id);
}

Customer insert(store::Tx& tx, Customer c, int64_t created_by) {
    std::string now = now_timestamp();
    auto q = tx.query(insert_sql());
    customer_columns().bind(q, c);
    q.bind(c.registered_via);
    q.bind(created_by);
    q.bind(now);
    q.bind(now);
    c.id = q.run_returning_id();
    c.created_at = c.updated_at = now;
    index_search_text(tx, c);
    if (!c.tags.empty()) {
        save_tags(tx, c);
    }
    return c;
}

Customer update(store::Tx& tx, int64_t id, const CustomerChanges& changes, WriteMode mode,
                std::optional<int64_t> expected_version) {
    const Customer before = require(tx, id, expected_version);
    Customer c = before;
    apply_changes(c, changes, mode);
    check_references(tx, c);
    check_type_change(tx, before, c);
    check_email_free(tx, c.email, id);
    create_inline_company(tx, c, changes, 0);
    std::string now = now_timestamp();
    auto q = tx.query(update_sql());
    customer_columns().bind(q, c);
    q.bind(now);
    q.bind(id);
    q.bind(c.version);
    if (q.run() != 1) {
        throw std::logic_error("customer update lost its row inside a write transaction");
    }
    if (c.name != before.name || c.email != before.email || c.phone != before.phone) {
        unindex_search_text(tx, before);
        index_search_text(tx, c);
    }
    if (c.tags != before.tags) {
        save_tags(tx, c);
    }
    if (c.email && c.email != before.email) {
        on_customer_email_set(tx, id, *c.email);
    }
    Customer updated = *find(tx, id);
    record_change(tx, "customer.updated", before, updated);
    return updated;
}

int64_t count_contacts(store::Tx& tx, int64_t company_id) {
    auto q = tx.query(sql::contact_count, company_id);
    q.step();
    return q.int64(0);
}

void remove(store::Tx& tx, int64_t id, std::optional<int64_t> expected_version,
            bool with_contacts) {
    require(tx, id, expected_version);
    std::string now = now_timestamp();
    auto archived = [&](int64_t customer) {
        record(tx, "customer.archived", customer, {{"deleted_at", nullptr}}, {{"deleted_at", now}});
    };
    if (int64_t contacts = count_contacts(tx, id); contacts > 0) {
        if (!with_contacts) {
            throw Error(Code::conflict,
                        fmt::format("This company has {} contact(s). Delete them first, or send "
                                    "?cascade=contacts to archive them with the company.",
                                    contacts));
        }
        std::vector<int64_t> ids;
        for (auto q = tx.query(sql::live_contacts_of, id); q.step();) {
            ids.push_back(q.int64(0));
        }
        tx.exec(sql::soft_delete_contacts, now, now, id);
        std::for_each(ids.begin(), ids.end(), archived);
    }
    tx.exec(sql::soft_delete, now, now, id);
    archived(id);
}

Customer restore(store::Tx& tx, int64_t id, bool with_contacts) {
    auto c = find(tx, id, true);
    if (!c || !c->deleted_at) {
        throw Error(Code::not_found, fmt::format("There is no deleted customer {}.", id));
    }
    check_email_free(tx, c->email, id);
    std::string now = now_timestamp();
    auto restored = [&](int64_t customer, const std::string& deleted_at) {
        record(tx, "customer.restored", customer, {{"deleted_at", deleted_at}},
               {{"deleted_at", nullptr}});
    };
    if (with_contacts) {
        // The contacts archived with the company carry its very deleted_at (remove() above).
        std::vector<int64_t> contacts;
        for (auto q = tx.query(sql::contacts_archived_with, id, *c->deleted_at); q.step();) {
            contacts.push_back(q.int64(0));
        }
        for (int64_t contact : contacts) {
            check_email_free(tx, find(tx, contact, true)->email, contact);
            tx.exec(sql::restore, now, contact);
            restored(contact, *c->deleted_at);
        }
    }
    tx.exec(sql::restore, now, id);
    restored(id, *c->deleted_at);
    c->deleted_at.reset();
    c->updated_at = now;
    c->version += 1;
    return *c;
}

std::optional<PortalAccount> portal_account_by_email(store::Tx& tx, const std::string& email) {
    auto q = tx.query(sql::portal_account_by_email, email);
    if (!q.step()) {
        return std::nullopt;
    }
    return PortalAccount{q.int64(0), q.optional_text(1).value_or("")};
}

std::optional<std::string> portal_password_hash(store::Tx& tx, int64_t customer_id) {
    auto q = tx.query(sql::portal_password_hash, customer_id);
    return q.step() ? q.optional_text(0) : std::nullopt;
}

std::optional<PortalMember> portal_member(store::Tx& tx, int64_t customer_id) {
    auto q = tx.query(sql::portal_member, customer_id);
    if (!q.step()) {
        return std::nullopt;
    }
    return PortalMember{std::string(q.text(0)), std::string(q.text(1))};
}

void set_portal_password(store::Tx& tx, int64_t customer_id, const std::string& password_hash) {
    std::string now = now_timestamp();
    tx.exec(sql::set_portal_password, password_hash, now, now, customer_id);
}

void clear_portal_access(store::Tx& tx, int64_t customer_id) {
    tx.exec(sql::clear_portal_access, now_timestamp(), customer_id);
}

void record_portal_sign_in(store::Tx& tx, int64_t customer_id, const std::string& now) {
    tx.exec(sql::record_portal_sign_in, now, customer_id);
}

}  // namespace clientele::customers
