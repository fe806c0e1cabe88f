// The jobs area: the queue's routes, the platform's recurring clean-ups and backups, and the test
// kind the integration tests enable.
#include "area.hpp"

#include "core/config.hpp"
#include "jobs/maintenance.hpp"
#include "jobs/permissions.hpp"
#include "jobs/registry.hpp"
#include "jobs/routes.hpp"

namespace clientele::jobs {

namespace {
void kinds(Registry& registry, const Config& config) {
    register_maintenance_jobs(registry, config);
    if (config.enable_test_jobs) {
        register_test_jobs(registry);
    }
}
}  // namespace

Area area() {
    return {
        .name = "jobs", .permissions = {&perm::manage}, .routes = register_routes, .jobs = kinds};
}

}  // namespace clientele::jobs
