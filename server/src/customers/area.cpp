// The customers area (seeds 000 and 002): customers and companies, their contacts, addresses,
// avatars, tags, titles and industries, and their exports. The portal's sessions and invitations
// are customers' rows too.
#include "area.hpp"

#include "customers/addresses.hpp"
#include "customers/avatars.hpp"
#include "customers/exports.hpp"
#include "customers/lookups.hpp"
#include "customers/permissions.hpp"
#include "customers/routes.hpp"

namespace clientele::customers {

namespace {
void routes(http::Router& router, App& app) {
    register_routes(router, app);
    register_export_routes(router, app);
    register_lookup_routes(router, app);
    register_address_routes(router, app);
    register_avatar_routes(router, app);
}
}  // namespace

Area area() {
    return {.name = "customers",
            .permissions = {&perm::read, &perm::write, &perm::remove, &perm::lists},
            .routes = routes,
            .jobs = register_export_jobs,
            .workspace_created = seed_workspace_lists,
            .personal_data = {{"customers", "customer", "id"},
                              {"customer_tags", "customer", "customer_id"},
                              {"customer_addresses", "customer", "customer_id"},
                              {"customer_avatars", "customer", "customer_id"},
                              {"portal_sessions", "customer", "customer_id"},
                              {"portal_invitations", "customer", "customer_id"}}};
}

}  // namespace clientele::customers
