// The users area: a workspace's staff, their roles and invitations.
#include "area.hpp"

#include "users/permissions.hpp"
#include "users/routes.hpp"

namespace clientele::users {

Area area() {
    return {.name = "users",
            .permissions = {&perm::read, &perm::manage},
            .routes = register_routes,
            .jobs = nullptr,
            .workspace_created = nullptr,
            .personal_data = {{"users", "user", "id"}, {"user_invitations", "user", "user_id"}}};
}

}  // namespace clientele::users
