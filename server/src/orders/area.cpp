// The orders area (seed 002's Order module): orders that a shop or ERP pushes in, with their lines,
// and the customer value figures they keep up to date.
#include "area.hpp"

#include "orders/permissions.hpp"

namespace clientele::orders {

Area area() {
    return {.name = "orders",
            .permissions = {&perm::read, &perm::write},
            .routes = nullptr,
            .jobs = nullptr,
            .workspace_created = nullptr,
            .personal_data = {{"orders", "customer", "customer_id"}}};
}

}  // namespace clientele::orders
