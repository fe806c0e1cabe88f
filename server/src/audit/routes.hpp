// The audit trail's routes: the workspace's log, and one customer's history.
#pragma once

#include "area.hpp"

namespace clientele::audit {

void register_routes(http::Router& router, App& app);

}  // namespace clientele::audit
