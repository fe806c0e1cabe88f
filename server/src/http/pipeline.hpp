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

//! Finds the caller of a request from its bearer token or session cookie; nullopt when neither
//! is valid. A request carrying a bearer token is judged by the token alone.
using Authenticator = std::function<std::optional<auth::Principal>(const Request&)>;

class Pipeline {
  public:
    Pipeline(App& app, const Router& router, Authenticator authenticate)
        : app_(app), router_(router), authenticate_(std::move(authenticate)) {}

    //! Always returns a response; unexpected exceptions become a logged 500.
    Response handle(const Request& request) const noexcept;

  private:
    Response run(const Request& request) const;

    App& app_;
    const Router& router_;
    Authenticator authenticate_;
};

}  // namespace clientele::http
