// HTTP handlers of the customer portal (/api/portal/{workspace}/…) and the admin's portal
// invitations (/api/customers/{id}/portal-invitation, /portal-access).
#pragma once

#include "area.hpp"

namespace clientele::portal {

void register_routes(http::Router& router, App& app);

}  // namespace clientele::portal
