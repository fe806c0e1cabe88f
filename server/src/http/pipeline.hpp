// The way of every request, after the transport has read it: route → authenticate → CSRF →
// handler → problem+json for any error. Runs on a worker thread; knows nothing of sockets, so
// tests can drive it directly.
#pragma once

#include <functional>
#include <optional>

#include "app.hpp"
#include "auth/principal.hpp"
#include "http/message.hpp"
#include "http/router.hpp"

namespace clientele::http {

class RequestContext;
//! Finds the caller of a request as the route's access asks: staff by bearer token or session
//! cookie, portal customers by their portal cookie; nullopt when there is no valid one.
using Authenticator = std::function<std::optional<auth::Principal>(RequestContext&, const Access&)>;

class Pipeline {
  public:
    Pipeline(App& app, const Router& router, Authenticator authenticate)
        : app_(app), router_(router), authenticate_(std::move(authenticate)) {}

    //! Answers `request` through `done`, exactly once, on a worker thread. Errors become
    //! problem+json; unexpected exceptions a logged 500.
    void handle(const Request& request, std::function<void(Response)> done) const;

  private:
    Task<Response> respond(const Request& request) const;
    Task<Response> run(const Request& request) const;

    App& app_;
    const Router& router_;
    Authenticator authenticate_;
};

}  // namespace clientele::http
