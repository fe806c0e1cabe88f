// The people of a workspace (staff): invited by an owner or admin with a role, they sign in with
// their e-mail. Every function runs in the caller's workspace transaction, so an id from another
// workspace is simply not found.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auth/principal.hpp"
#include "auth/roles.hpp"
#include "store/id_page.hpp"

namespace clientele::users {

enum class Status { active, invited, deactivated };

struct User {
    int64_t id = 0;
    std::string email;
    std::string name;
    auth::Role role = auth::Role::viewer;
    Status status = Status::active;
    std::optional<std::string> username;  //!< set for a client's own login (seed 001)
    std::optional<std::string> last_login;
    std::optional<std::string> joined_at;
    std::optional<int64_t> invited_by;
    int64_t version = 1;
    std::string created_at;
    std::string updated_at;
    bool is_platform_admin = false;  //!< the operator (not shown in replies)
};

boost::json::object to_json(const User& user);
std::optional<Status> parse_status(std::string_view name);

struct Invitee {
    std::string email;
    std::string name;
    auth::Role role = auth::Role::viewer;
};
//! An invitation's body: `email` (required), `name`, `role` (required).
Invitee parse_invitee(const boost::json::object& body);

//! A PATCH: each field present is changed.
struct UserChanges {
    std::optional<std::string> name;
    std::optional<auth::Role> role;
    std::optional<bool> is_active;
};
UserChanges parse_changes(const boost::json::object& body);

//! A one-time link's secret, made outside the write (which may run more than once).
struct InvitationSecret {
    std::string token;       //!< shown once, in the link
    std::string token_hash;  //!< what is stored
    std::string expires_at;
};
InvitationSecret new_invitation_secret();

struct UserFilter {
    std::optional<std::string> q;  //!< case-folded; matches name or e-mail
    std::optional<auth::Role> role;
    std::optional<Status> status;
};
//! Oldest first, after the user with id `after`.
store::IdPage<User> list(store::Tx& tx, const UserFilter& filter, int limit, int64_t after);

std::optional<User> find(store::Tx& tx, int64_t id);

//! Creates an invited user (no password yet) and its invitation. The e-mail must be free across
//! the platform (people sign in with it alone): 409 otherwise. Only an owner invites an owner.
User invite(store::Tx& tx, const Invitee& invitee, const auth::Principal& actor,
            const InvitationSecret& secret);

//! A new link for a user who has not accepted yet; the previous link stops working.
User reinvite(store::Tx& tx, int64_t id, const auth::Principal& actor,
              const InvitationSecret& secret);

//! Changes name, role or active flag under the rules of who may change whom (see service.cpp).
//! Deactivating ends the user's sessions and API tokens.
User update(store::Tx& tx, int64_t id, const UserChanges& changes, const auth::Principal& actor,
            std::optional<int64_t> expected_version);

//! Removes a user from the workspace (their e-mail is free again); sessions and tokens end.
void remove(store::Tx& tx, int64_t id, const auth::Principal& actor,
            std::optional<int64_t> expected_version);

//! The invitation a token opens, if it is valid (system transaction).
struct OpenInvitation {
    int64_t tenant_id = 0;
    int64_t user_id = 0;
    std::string email;
    std::string name;
    auth::Role role = auth::Role::viewer;
};
std::optional<OpenInvitation> find_invitation(store::Tx& tx, const std::string& token);

//! Sets the invited user's password and name and uses up the invitation (system transaction).
//! False when the invitation was used or withdrawn meanwhile.
bool accept_invitation(store::Tx& tx, const std::string& token, const OpenInvitation& invitation,
                       const std::string& password_hash, const std::string& name);

}  // namespace clientele::users
