// The customers area's rules and transactions. Each function runs inside a workspace transaction
// (store::Tx with a tenant): the caller chooses read or write.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "customers/model.hpp"

namespace clientele::store {
class Tx;
}

namespace clientele::customers {

//! The customer with this id in the transaction's workspace; deleted ones only when asked.
std::optional<Customer> find(store::Tx& tx, int64_t id, bool include_deleted = false);

//! The live customer with this id: 404 when there is none, 412 when `expected_version` is given
//! and stale.
Customer require(store::Tx& tx, int64_t id, std::optional<int64_t> expected_version = {});

//! Reads the tags of each customer (one query for them all).
void load_tags(store::Tx& tx, std::vector<Customer>& customers);

//! Inserts a new customer and returns it as stored: 409 when its e-mail is taken, 422 when a
//! reference (company, title, industry, responsible, tags) or the state is not valid. A
//! `company_name` creates that company as well and links it.
//! `registered_via`: "admin" (the admin app and the API) or "portal" (self-registration).
//! Records `customer.created`.
Customer create(store::Tx& tx, const CustomerChanges& changes, int64_t created_by,
                std::string_view registered_via = "admin");
//! create() without its audit entry, for a caller that completes the record in the same
//! transaction and records it then with record_created (a portal sign-up, with its access).
Customer create_unrecorded(store::Tx& tx, const CustomerChanges& changes, int64_t created_by,
                           std::string_view registered_via);
//! Records that `action` ("customer.registered") created `customer`, as it is now.
void record_created(store::Tx& tx, std::string_view action, const Customer& customer);

//! Inserts `customer` as it is (rules already checked, e-mail known to be free) and returns it
//! with its id and timestamps. For bulk loads (demo data, imports).
Customer insert(store::Tx& tx, Customer customer, int64_t created_by);

//! Applies changes to a live customer. 404 when there is none, 412 when `expected_version` is
//! given and stale, 409 when the new e-mail is taken. Returns the stored result.
Customer update(store::Tx& tx, int64_t id, const CustomerChanges& changes, WriteMode mode,
                std::optional<int64_t> expected_version);

//! Soft-deletes a live customer (404 when there is none, 412 when stale). A company with live
//! contacts is 409 unless `with_contacts`, which archives them with it.
void remove(store::Tx& tx, int64_t id, std::optional<int64_t> expected_version,
            bool with_contacts = false);

//! Brings a deleted customer back (404 when there is no such deleted one, 409 when its e-mail is
//! now used by a live customer), with the contacts archived with it when `with_contacts`.
Customer restore(store::Tx& tx, int64_t id, bool with_contacts = false);

//! Records in the audit trail that `action` ("customer.portal_invited") took the customer from
//! `before` to `after`, for changes made outside this file.
void record_change(store::Tx& tx, std::string_view action, const Customer& before,
                   const Customer& after);

enum class SortField { created_at, name, email };

//! Where a page ends: the sort it belongs to and the last row's key.
struct Cursor {
    SortField sort;
    bool descending;
    std::string key;
    int64_t id;
};
std::string encode_cursor(const Cursor& cursor);
//! nullopt when the text is not a cursor of ours.
std::optional<Cursor> decode_cursor(std::string_view text);

struct ListQuery {
    int limit = 50;
    SortField sort = SortField::created_at;
    bool descending = true;
    std::optional<Cursor> after;
    bool deleted = false;  //!< the archive instead of live customers
    std::optional<std::string> email, phone, gender, locale, country, city, postal_code;
    std::optional<std::string> created_from, created_to;  //!< normalised timestamps
    // Seed 000's filters: ids as text (bound like the others), and portal access.
    std::optional<std::string> account_type, company_id, industry_id, responsible_id, tag_id;
    std::optional<bool> portal_access;
    std::optional<std::string> q;  //!< case-folded search term
    bool total = false;
};

struct ListPage {
    std::vector<Customer> customers;
    std::optional<std::string> next_cursor;
    std::optional<int64_t> total;
};

ListPage list(store::Tx& tx, const ListQuery& query);

enum class GroupBy { account_type, company, industry, tag };
struct Group {
    std::optional<int64_t> id;  //!< the company, industry or tag; nullopt for "none"
    std::string key;            //!< the account type, or the id as text ("" for none)
    std::string label;
    int64_t count = 0;
};
//! How many customers matching `query` (its filters and search; not its page) fall in each group,
//! largest first, at most `limit` groups.
std::vector<Group> count_groups(store::Tx& tx, const ListQuery& query, GroupBy by, int limit);

//! A company's live contacts (customers whose company it is).
int64_t count_contacts(store::Tx& tx, int64_t company_id);

}  // namespace clientele::customers
