#include "http/router.hpp"

#include <algorithm>
#include <stdexcept>

namespace clientele::http {

namespace {
std::vector<std::string> split_pattern(std::string_view pattern) {
    std::vector<std::string> out;
    size_t pos = 1;  // patterns start with '/'
    while (pos <= pattern.size()) {
        size_t end = pattern.find('/', pos);
        if (end == std::string_view::npos)
            end = pattern.size();
        out.emplace_back(pattern.substr(pos, end - pos));
        pos = end + 1;
    }
    return out;
}

bool is_param(std::string_view segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

bool path_matches(const Route& route, const std::vector<std::string>& segments,
                  std::vector<std::pair<std::string_view, std::string_view>>* params) {
    if (route.segments.size() != segments.size()) {
        return false;
    }
    for (size_t i = 0; i < segments.size(); ++i) {
        const std::string& want = route.segments[i];
        if (is_param(want)) {
            if (segments[i].empty()) {
                return false;
            }
            if (params) {
                params->emplace_back(std::string_view(want).substr(1, want.size() - 2),
                                     segments[i]);
            }
        } else if (want != segments[i]) {
            return false;
        }
    }
    return true;
}
}  // namespace

std::string_view Access::name() const {
    switch (kind) {
        case Kind::public_:
            return "public";
        case Kind::signed_in:
            return "signed-in";
        case Kind::platform_admin:
            return "platform-admin";
        case Kind::permission:
            return permission->name;
        case Kind::portal:
            return "portal";
    }
    return "?";
}

// Whether `a` is to be tried before `b`: at the first segment where one has a literal and the
// other a parameter, the literal ("/api/customers/exports" before "/api/customers/{id}"), so the
// areas may register in any order. (Lexicographic on literal/parameter flags: a strict weak order.)
static bool more_specific(const Route& a, const Route& b) {
    return std::lexicographical_compare(
        a.segments.begin(), a.segments.end(), b.segments.begin(), b.segments.end(),
        [](const std::string& x, const std::string& y) { return !is_param(x) && is_param(y); });
}

void Router::add(Method method, std::string pattern, Access access, Handler handler) {
    Route route{method, std::move(pattern), access, std::move(handler), {}};
    route.segments = split_pattern(route.pattern);
    auto at = std::upper_bound(routes_.begin(), routes_.end(), route,
                               [](const Route& a, const Route& b) { return more_specific(a, b); });
    routes_.insert(at, std::move(route));
}

void Router::set_fallback(Handler handler) {
    fallback_ = Route{Method::get, "/*", Access::anyone(), std::move(handler), {}};
}

void Router::allow_body(Method method, std::string_view pattern, size_t max_body) {
    for (Route& route : routes_) {
        if (route.method == method && route.pattern == pattern) {
            route.max_body = max_body;
            return;
        }
    }
    throw std::logic_error("allow_body: no route " + std::string(pattern));
}

size_t Router::body_limit(std::string_view method, std::string_view target, size_t fallback) const {
    Request request;
    if (!parse_target(target, request)) {
        return fallback;
    }
    RouteMatch found = match(parse_method(method), request.segments);
    return found.route && found.route->max_body > 0 ? found.route->max_body : fallback;
}

size_t Router::largest_body(size_t fallback) const {
    size_t largest = fallback;
    for (const Route& route : routes_) {
        largest = std::max(largest, route.max_body);
    }
    return largest;
}

RouteMatch Router::match(Method method, const std::vector<std::string>& segments) const {
    RouteMatch result;
    Method wanted = method == Method::head ? Method::get : method;
    for (const Route& route : routes_) {
        if (route.method == wanted && path_matches(route, segments, &result.params)) {
            result.route = &route;
            return result;
        }
        result.params.clear();
    }
    for (const Route& route : routes_) {
        if (path_matches(route, segments, nullptr) &&
            std::find(result.allowed.begin(), result.allowed.end(), route.method) ==
                result.allowed.end()) {
            result.allowed.push_back(route.method);
            if (route.method == Method::get) {
                result.allowed.push_back(Method::head);
            }
        }
    }
    bool api = !segments.empty() && segments.front() == "api";
    if (result.allowed.empty() && fallback_ && wanted == Method::get && !api) {
        result.route = &*fallback_;
    }
    return result;
}

}  // namespace clientele::http
