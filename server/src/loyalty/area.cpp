// The loyalty area: the workspace's points program and each customer's ledger of points.
#include "area.hpp"

#include "loyalty/permissions.hpp"

namespace clientele::loyalty {

Area area() {
    return {.name = "loyalty",
            .permissions = {&perm::read, &perm::adjust},
            .routes = nullptr,
            .jobs = nullptr,
            .workspace_created = nullptr,
            .personal_data = {{"loyalty_entries", "customer", "customer_id"},
                              {"loyalty_lots", "customer", "customer_id"}}};
}

}  // namespace clientele::loyalty
