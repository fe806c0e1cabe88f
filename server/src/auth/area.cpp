// The auth area: sign-in and sessions, API tokens, and the platform tables (workspaces, users,
// sessions, tokens, idempotency keys, sign-in throttling: migrations 0001, 0004, 0012).
#include "area.hpp"

#include "auth/routes.hpp"

namespace clientele::auth {

Area area() {
    return {.name = "auth",
            .permissions = {},
            .routes = register_routes,
            .jobs = nullptr,
            .workspace_created = nullptr,
            .personal_data = {{"sessions", "user", "user_id"}, {"api_tokens", "user", "user_id"}}};
}

}  // namespace clientele::auth
