// The customer portal of a workspace (seed 000's website customers): self-registration, sign-in
// with e-mail and password, one's own profile and password, and portal invitations that give an
// admin-created customer access. Customers created from the admin cannot sign in until invited.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "auth/principal.hpp"
#include "customers/model.hpp"
#include "http/message.hpp"

namespace clientele::store {
class Tx;
}
namespace clientele::http {
class RequestContext;
}

namespace clientele::portal {

inline constexpr std::string_view portal_cookie = "clientele_portal";

//! The workspace whose portal `slug` is (its tenants.slug), if it exists and is active.
std::optional<int64_t> workspace_of(store::Tx& tx, std::string_view slug);

//! The caller of a portal route, from the portal cookie, for the route's {workspace} only.
std::optional<auth::Principal> authenticate(http::RequestContext& ctx);

//! What a customer sees of their own record in the portal (no staff-only fields).
boost::json::object portal_json(const customers::Customer& customer);

//! Starts a portal session for `principal` (whose customer_id and tenant_id are set, and name or
//! e-mail for the audit trail): makes its secrets (outside the write, which may run twice), stores
//! it (recording `auth.sign_in`, made by the customer), answers with cookie and customer.
std::string prepare_session(auth::Principal& principal);
void store_session(store::Tx& tx, const auth::Principal& principal, const http::Request& request,
                   int session_hours);
http::Response session_response(const http::RequestContext& ctx, const auth::Principal& principal,
                                const customers::Customer& customer, const std::string& token,
                                int status);
//! The Set-Cookie that ends the portal session of workspace `slug`.
std::string clear_cookie(const http::RequestContext& ctx, std::string_view slug);

//! Gives a customer a portal password (registration, accepted invitation): records when they
//! joined; invitations of the customer are used up.
void grant_access(store::Tx& tx, int64_t customer_id, const std::string& password_hash);
//! Takes portal access away from `customer` (as it is now): the password, every portal session
//! and open invitation go. Records `customer.portal_access_revoked`.
void revoke_access(store::Tx& tx, const customers::Customer& customer);

}  // namespace clientele::portal
