#include "routes.hpp"

#include <boost/json/object.hpp>

#include "audit/routes.hpp"
#include "auth/service.hpp"
#include "clients/routes.hpp"
#include "customers/addresses.hpp"
#include "customers/avatars.hpp"
#include "customers/exports.hpp"
#include "customers/lookups.hpp"
#include "customers/routes.hpp"
#include "http/context.hpp"
#include "http/router.hpp"
#include "jobs/routes.hpp"
#include "portal/routes.hpp"
#include "store/db.hpp"
#include "users/routes.hpp"

namespace clientele {

namespace {
Task<http::Response> health(http::RequestContext&) {
    co_return http::Response::json(200, boost::json::object{{"status", "ok"}});
}

Task<http::Response> ready(http::RequestContext& ctx) {
    if (!ctx.app.db->ping()) {
        throw Error(Code::unavailable, "The database does not answer.").with_retry_after(1);
    }
    co_return http::Response::json(200, boost::json::object{{"status", "ready"}});
}
}  // namespace

void register_all_routes(http::Router& router, App& app) {
    using http::Access;
    using http::Method;
    router.add(Method::get, "/healthz", Access::anyone(), health);
    router.add(Method::get, "/readyz", Access::anyone(), ready);
    auth::register_routes(router, app);
    clients::register_routes(router, app);
    customers::register_export_routes(router, app);  // before /api/customers/{id}
    customers::register_routes(router, app);
    customers::register_lookup_routes(router, app);
    customers::register_address_routes(router, app);
    customers::register_avatar_routes(router, app);
    users::register_routes(router, app);
    portal::register_routes(router, app);
    jobs::register_routes(router, app);
    audit::register_routes(router, app);
}

}  // namespace clientele
