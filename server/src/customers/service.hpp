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

//! The row alone, without its tags (lists read tags for a whole page at once, with load_tags).
std::optional<Customer> find_row(store::Tx& tx, int64_t id, bool include_deleted);

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

// The customer portal's accounts (portal/): a customer with portal access signs in with its e-mail
// and its own password.

//! A portal account's sign-in data: the customer and its password hash ("" without one).
struct PortalAccount {
    int64_t customer_id = 0;
    std::string password_hash;
};
//! The live customer with this e-mail and portal access.
std::optional<PortalAccount> portal_account_by_email(store::Tx& tx, const std::string& email);
//! The portal password hash of a customer; nullopt when there is none.
std::optional<std::string> portal_password_hash(store::Tx& tx, int64_t customer_id);
//! Name and e-mail of the live customer `id` if it has portal access (a portal session's
//! caller).
struct PortalMember {
    std::string name;
    std::string email;
};
std::optional<PortalMember> portal_member(store::Tx& tx, int64_t customer_id);
//! Sets the customer's portal password, recording when they joined the first time.
void set_portal_password(store::Tx& tx, int64_t customer_id, const std::string& password_hash);
//! Takes the customer's portal password and joining time away (no audit entry: the portal records
//! the revocation with what else it ends).
void clear_portal_access(store::Tx& tx, int64_t customer_id);
//! Records a portal sign-in as the customer's portal_last_login.
void record_portal_sign_in(store::Tx& tx, int64_t customer_id, const std::string& now);

//! A company's live contacts (customers whose company it is).
int64_t count_contacts(store::Tx& tx, int64_t company_id);

}  // namespace clientele::customers
