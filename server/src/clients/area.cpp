// The clients area (seed 001): client accounts, each a workspace with its own login, managed by
// the platform operator.
#include "area.hpp"

#include "clients/routes.hpp"

namespace clientele::clients {

Area area() {
    return {.name = "clients", .permissions = {}, .routes = register_routes};
}

}  // namespace clientele::clients
