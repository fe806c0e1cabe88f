// The carts area (seed 002's Cart module): each customer's open cart, and guest carts that merge
// into it at sign-up.
#include "area.hpp"

#include "carts/routes.hpp"
#include "carts/service.hpp"

namespace clientele::carts {

Area area() {
    return {.name = "carts",
            .permissions = {},
            .routes = register_routes,
            .jobs = nullptr,
            .workspace_created = nullptr,
            .personal_data = {{"carts", "customer", "customer_id"}},
            .customer_email_set = merge_guest_carts_of};
}

}  // namespace clientele::carts
