// The route table: method + path pattern → access rule + handler. Routes are data, so the table
// can be listed (`clientele routes`, the OpenAPI check, the isolation tests).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/permission.hpp"
#include "core/task.hpp"
#include "http/message.hpp"

namespace clientele::http {

class RequestContext;
//! A handler is a coroutine: it may co_await a write or a password hash without holding a thread.
using Handler = std::function<Task<Response>(RequestContext&)>;

//! Who may call a route. Every route that reaches a workspace's data names the permission it needs,
//! so the role check guards every route: the pipeline applies it before the handler runs.
struct Access {
    enum class Kind : uint8_t {
        public_,         //!< no credentials needed
        signed_in,       //!< any signed-in user or API token, acting on their own account only
        platform_admin,  //!< the operator only (client management); others get 403
        permission,      //!< a user whose role allows `permission`; others get 403
        portal,          //!< a customer signed in to the portal of the route's {workspace}
    };
    Kind kind = Kind::signed_in;
    const auth::Permission* permission = nullptr;

    static constexpr Access anyone() { return {Kind::public_}; }
    static constexpr Access signed_in() { return {Kind::signed_in}; }
    static constexpr Access platform_admin() { return {Kind::platform_admin}; }
    static constexpr Access needs(const auth::Permission& p) { return {Kind::permission, &p}; }
    static constexpr Access portal_customer() { return {Kind::portal}; }

    //! "public", "signed-in", "platform-admin", "portal" or the permission's name
    //! ("customers.read").
    std::string_view name() const;
};

struct Route {
    Method method;
    std::string pattern;  //!< "/api/customers/{id}": literal segments and {name} parameters
    Access access;
    Handler handler;
    std::vector<std::string> segments;  //!< the pattern split on '/', filled by Router::add
    size_t max_body = 0;                //!< the request body limit; 0: the server's default
};

struct RouteMatch {
    const Route* route = nullptr;
    std::vector<std::pair<std::string_view, std::string_view>> params;  //!< name → decoded value
    std::vector<Method> allowed;  //!< when the path matched under other methods only
};

class Router {
  public:
    void add(Method method, std::string pattern, Access access, Handler handler);
    //! The same for a route that needs a permission (Access::needs).
    void add(Method method, std::string pattern, const auth::Permission& needs, Handler handler) {
        add(method, std::move(pattern), Access::needs(needs), std::move(handler));
    }
    //! Finds the route for a request; HEAD falls back to the GET route.
    RouteMatch match(Method method, const std::vector<std::string>& segments) const;
    //! Answers every GET (and HEAD) that no route matches outside /api/: the web UI's files.
    void set_fallback(Handler handler);
    //! Lets a route take a larger body than the server's default (uploads).
    void allow_body(Method method, std::string_view pattern, size_t max_body);
    //! The body limit for a request target: its route's, else `fallback`.
    size_t body_limit(std::string_view method, std::string_view target, size_t fallback) const;
    //! The largest body any route allows (at least `fallback`).
    size_t largest_body(size_t fallback) const;
    const std::vector<Route>& routes() const { return routes_; }

  private:
    std::vector<Route> routes_;
    std::optional<Route> fallback_;
};

}  // namespace clientele::http
