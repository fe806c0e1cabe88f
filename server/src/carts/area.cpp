// The carts area (seed 002's Cart module): each customer's open cart, and guest carts that merge
// into it at sign-up.
#include "area.hpp"

namespace clientele::carts {

Area area() {
    return {.name = "carts",
            .permissions = {},
            .routes = nullptr,
            .jobs = nullptr,
            .workspace_created = nullptr,
            .personal_data = {{"carts", "customer", "customer_id"}}};
}

}  // namespace clientele::carts
