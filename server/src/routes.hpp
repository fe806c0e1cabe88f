// Every area's routes in one table.
#pragma once

#include "app.hpp"

namespace clientele::http {
class Router;
}

namespace clientele {

//! Registers /healthz, /readyz and the routes of every area.
void register_all_routes(http::Router& router, App& app);

}  // namespace clientele
