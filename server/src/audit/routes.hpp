// The audit trail's routes: the workspace's log, and one customer's history.
#pragma once

#include "app.hpp"

namespace clientele::http {
class Router;
}

namespace clientele::audit {

void register_routes(http::Router& router, App& app);

}  // namespace clientele::audit
