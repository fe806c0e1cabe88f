// The loyalty area's routes: the program (GET/PUT /api/loyalty/program) and each customer's
// points (GET /api/customers/{id}/loyalty, POST …/loyalty/redeem and …/loyalty/adjust).
#pragma once

#include "app.hpp"

namespace clientele::http {
class Router;
}

namespace clientele::loyalty {

void register_routes(http::Router& router, App& app);

}  // namespace clientele::loyalty
