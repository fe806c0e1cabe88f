// HTTP handlers of carts: /api/customers/{id}/cart (and …/merge), /api/carts/guest/{key} and the
// list /api/carts.
#pragma once

#include "area.hpp"

namespace clientele::carts {

void register_routes(http::Router& router, App& app);

}  // namespace clientele::carts
