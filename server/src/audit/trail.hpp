// The audit trail: who changed what, when, from where, with the fields' values before and after.
//
// An event is written in the same transaction as the change it records, by the service that makes
// the change (audit::record), so a rolled-back change leaves no entry and a committed one always
// has its entry. Who acts and from where comes with the transaction: the request pipeline attaches
// an audit::Context to every write a request makes (store::Tx::audited); a transaction without one
// is the server's own work (command-line tools, jobs) and is recorded as the system.
//
// The table is append-only: triggers refuse every UPDATE, and every DELETE but the retention
// job's (prune), which may remove only entries older than the retention period.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clientele::store {
class Tx;
}
namespace clientele::auth {
struct Principal;
}

namespace clientele::audit {

//! Who acted. `kind`: "user" (staff, the operator), "client" (a client's own login),
//! "portal_customer", "api_token", "anonymous" (a public route before anyone is known) or
//! "system"; `name` as it was at the time.
struct Actor {
    std::string kind = "system";
    std::optional<int64_t> id;
    std::string name;
};

//! How the trail names a signed-in principal: a portal customer, an API token (the token's id, its
//! user's name), a client's own login or a user (their name, else their e-mail).
Actor actor_of(const auth::Principal& principal);

//! The actor of a request and where it came from, attached to its write transactions.
struct Context {
    Actor actor;
    std::string request_id, address, user_agent;
    //! Events recorded through this context (the pipeline checks that a change recorded one).
    int recorded = 0;
};

//! How a record's fields appear in its entries. Field names are those of its JSON form; nested
//! objects are compared member by member under dotted names ("address.city").
struct FieldPolicy {
    //! Bookkeeping that changes with every write (version, updated_at): never listed.
    std::vector<std::string_view> ignored;
    //! Sensitive values (tax ids, birth dates, notes): listed as changed, the values hidden.
    std::vector<std::string_view> masked;
};

//! What a masked value shows instead of itself.
inline constexpr std::string_view masked_value = "•••";

//! The fields that differ between two JSON forms of a record: {field: {"from", "to"}}. A created
//! record is `before` = {}, an erased one `after` = {}.
boost::json::object diff(const boost::json::object& before, const boost::json::object& after,
                         const FieldPolicy& policy);

struct Event {
    std::string_view action;  //!< "customer.updated": entity, a dot, what happened
    std::string_view entity;  //!< "customer"
    std::optional<int64_t> entity_id;
    boost::json::object
        changes;  //!< from diff(), or {} when nothing but the action is worth telling
};

//! The platform's own workspace (the operator's): where the operator's actions on clients and the
//! sign-in failures of names that match no account are recorded.
inline constexpr int64_t platform_workspace = 1;

//! From here on, the changes of `tx`'s request are made by `actor`: a public route learns who acts
//! inside its write (the account a sign-in proved, the customer a sign-up creates). Nothing for a
//! transaction without an audit context (the server's own work stays the system's).
void act_as(store::Tx& tx, Actor actor);

//! Writes `event` in `tx`'s transaction and workspace, as the actor of tx's audit context.
void record(store::Tx& tx, const Event& event);
//! The same in a system transaction, for a workspace named by the caller (sign-ins: the account's
//! workspace is known only once the account is found).
void record_in(store::Tx& tx, int64_t workspace, const Event& event);

//! An entry as the API shows it.
struct Entry {
    int64_t id = 0;
    std::string at;
    Actor actor;
    std::string action, entity;
    std::optional<int64_t> entity_id;
    std::string changes;  //!< JSON text
    std::optional<std::string> request_id, address, user_agent;
};
boost::json::object to_json(const Entry& entry);

struct ListQuery {
    int limit = 50;
    std::optional<int64_t> before_id;  //!< the cursor: entries older than this one
    std::optional<std::string> entity, action_prefix, action, actor_kind, from, to;
    std::optional<int64_t> entity_id, actor_id;
};
struct Page {
    std::vector<Entry> entries;
    std::optional<int64_t> next_before;
};
//! The workspace's entries matching `query`, newest first.
Page list(store::Tx& tx, const ListQuery& query);

//! Removes the entries older than `days` days, in every workspace (the retention job; a system
//! transaction). Returns how many were removed.
int64_t prune(store::Tx& tx, int days);

}  // namespace clientele::audit
