// HTTP handlers of the users area: /api/users… and /api/roles, and accepting an invitation.
#pragma once

#include "area.hpp"

namespace clientele::users {

void register_routes(http::Router& router, App& app);

}  // namespace clientele::users
