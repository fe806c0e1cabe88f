// The loyalty area: the workspace's points program and each customer's ledger of points.
#include "area.hpp"

#include "loyalty/jobs.hpp"
#include "loyalty/permissions.hpp"
#include "loyalty/routes.hpp"

namespace clientele::loyalty {

Area area() {
    return {.name = "loyalty",
            .permissions = {&perm::read, &perm::adjust},
            .routes = register_routes,
            .jobs = register_jobs,
            .workspace_created = nullptr,
            .personal_data = {{"loyalty_entries", "customer", "customer_id"},
                              {"loyalty_lots", "customer", "customer_id"}}};
}

}  // namespace clientele::loyalty
