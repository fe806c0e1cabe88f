// The client management API (seed 001), for the platform operator.
#pragma once

#include "area.hpp"

namespace clientele::clients {

void register_routes(http::Router& router, App& app);

}  // namespace clientele::clients
