// The orders area (seed 002's Order module): orders that a shop or ERP pushes in, with their lines,
// and the customer value figures they keep up to date; the workspace's base currency.
#include "area.hpp"

#include "orders/permissions.hpp"
#include "orders/routes.hpp"
#include "orders/service.hpp"

namespace clientele::orders {

Area area() {
    return {.name = "orders",
            .permissions = {&perm::read, &perm::write},
            .routes = register_routes,
            .jobs = nullptr,
            .workspace_created = nullptr,
            .personal_data = {{"orders", "customer", "customer_id"}},
            .customer_email_set = attach_guest_orders};
}

}  // namespace clientele::orders
