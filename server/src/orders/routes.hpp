// The orders API (docs/api.md "Orders" and "Workspace settings").
#pragma once

#include "area.hpp"

namespace clientele::orders {

void register_routes(http::Router& router, App& app);

}  // namespace clientele::orders
