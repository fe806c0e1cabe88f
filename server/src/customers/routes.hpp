// The customers API (seed 002 and docs/api.md).
#pragma once

#include "app.hpp"

namespace clientele::http {
class Router;
}

namespace clientele::customers {

void register_routes(http::Router& router, App& app);

}  // namespace clientele::customers
