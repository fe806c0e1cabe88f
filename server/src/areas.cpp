#include <boost/json/object.hpp>

#include "area.hpp"
#include "core/error.hpp"
#include "http/context.hpp"
#include "http/router.hpp"
#include "store/db.hpp"

namespace clientele {

// Each area's one declaration, defined in its folder (<name>/area.cpp).
namespace auth {
Area area();
}
namespace clients {
Area area();
}
namespace customers {
Area area();
}
namespace users {
Area area();
}
namespace portal {
Area area();
}
namespace jobs {
Area area();
}
namespace audit {
Area area();
}
namespace orders {
Area area();
}
namespace loyalty {
Area area();
}
namespace carts {
Area area();
}

const std::vector<Area>& areas() {
    static const std::vector<Area> list = {
        auth::area(), clients::area(), customers::area(), users::area(),   portal::area(),
        jobs::area(), audit::area(),   orders::area(),    loyalty::area(), carts::area()};
    return list;
}

std::vector<const auth::Permission*> all_permissions() {
    std::vector<const auth::Permission*> out;
    for (const Area& area : areas()) {
        out.insert(out.end(), area.permissions.begin(), area.permissions.end());
    }
    return out;
}

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
    for (const Area& area : areas()) {
        if (area.routes) {
            area.routes(router, app);
        }
    }
}

void register_all_jobs(jobs::Registry& registry, const Config& config) {
    for (const Area& area : areas()) {
        if (area.jobs) {
            area.jobs(registry, config);
        }
    }
}

void on_workspace_created(store::Tx& tx) {
    for (const Area& area : areas()) {
        if (area.workspace_created) {
            area.workspace_created(tx);
        }
    }
}

void on_customer_email_set(store::Tx& tx, int64_t customer_id, const std::string& email) {
    for (const Area& area : areas()) {
        if (area.customer_email_set) {
            area.customer_email_set(tx, customer_id, email);
        }
    }
}

}  // namespace clientele
