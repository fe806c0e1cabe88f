// The portal area: a workspace's customers sign up, sign in and keep their own profile. Other
// areas add their portal routes (/api/portal/{workspace}/…) in their own registration.
#include "area.hpp"

#include "portal/routes.hpp"

namespace clientele::portal {

Area area() {
    return {.name = "portal", .permissions = {}, .routes = register_routes};
}

}  // namespace clientele::portal
