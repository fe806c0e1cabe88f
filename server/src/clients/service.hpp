// Client accounts: the operator's records of the businesses that use Clientele, each with its own
// workspace and an owner who signs in with a generated username (seed 001).
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/csv.hpp"
#include "core/json_input.hpp"
#include "store/id_page.hpp"

namespace clientele::store {
class Tx;
class Query;
}  // namespace clientele::store

namespace clientele::clients {

struct Client {
    int64_t id = 0;
    int64_t workspace_id = 0;
    std::string company_name, contact_email;
    std::optional<std::string> contact_person_name, phone_number, whatsapp_number, business_address,
        business_type, gst_number;
    std::string username;
    bool is_active = true;
    std::optional<std::string> last_login;
    int64_t version = 1;
    std::string created_at, updated_at;
    int64_t owner_user_id = 0;  //!< the login of the client's owner (not shown in replies)
};

boost::json::object to_json(const Client& client);

//! Seed 001's kinds of business.
bool is_business_type(std::string_view value);
inline constexpr std::string_view business_type_rule =
    "must be one of retail, wholesale, restaurant, hotel, services, other";

//! The fields a create (all of seed 001's) or a PUT sends, checked.
struct ClientInput {
    std::string company_name, contact_email;
    std::optional<std::string> contact_person_name, phone_number, whatsapp_number, business_address,
        business_type, gst_number;
};
//! Reads and checks a body (422 naming every bad field): company_name and contact_email required.
ClientInput parse_client(const boost::json::object& body, std::string_view phone_region);

//! The username that create() will use: free now, generated from the company name.
std::string choose_username(store::Tx& tx, const std::string& company_name);

//! Creates the client's workspace, its owner (username + password hash), the client record and its
//! company record. 409 when the contact e-mail already has an account.
Client create(store::Tx& tx, const ClientInput& input, const std::string& username,
              const std::string& password_hash);

std::optional<Client> find(store::Tx& tx, int64_t id);

//! Newest first. `q` matches company name, username or e-mail (case-insensitive).
store::IdPage<Client> list(store::Tx& tx, int limit, std::optional<int64_t> before_id,
                           const std::optional<std::string>& q, std::optional<bool> active,
                           const std::optional<std::string>& business_type);

//! The export's CSV header row. Its rows never hold a password or its hash.
void export_header(CsvWriter& csv);
//! Appends up to `limit` clients with ids above `after_id` to `csv`, oldest first; returns the
//! last id written, nullopt when none were left.
std::optional<int64_t> export_page(store::Tx& tx, int64_t after_id, int limit, CsvWriter& csv);

Client update(store::Tx& tx, int64_t id, const ClientInput& input);

//! The credentials message template: the operator's, or the default.
std::string credentials_template(store::Tx& tx);
//! Saves the operator's template (checked by the caller).
void save_credentials_template(store::Tx& tx, const std::string& text);
//! Sets a new password hash and ends every session and API token of the client's workspace.
Client reset_password(store::Tx& tx, int64_t id, const std::string& password_hash);
//! Flips the workspace's active flag; deactivating ends every session and API token of the
//! workspace at once.
Client toggle_status(store::Tx& tx, int64_t id);

}  // namespace clientele::clients
