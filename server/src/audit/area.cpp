// The audit trail's area: the log's routes, its retention job, and the entries about a customer.
#include "area.hpp"

#include "audit/permissions.hpp"
#include "audit/retention.hpp"
#include "audit/routes.hpp"

namespace clientele::audit {

Area area() {
    return {.name = "audit",
            .permissions = {&perm::read},
            .routes = register_routes,
            .jobs = register_jobs,
            .workspace_created = nullptr,
            .personal_data = {{"audit_events", "customer", "entity_id", "entity = 'customer'"}}};
}

}  // namespace clientele::audit
