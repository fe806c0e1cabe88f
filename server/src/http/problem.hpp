// Errors as RFC 9457 problem+json responses. The only place that maps an Error to HTTP.
#pragma once

#include "core/error.hpp"
#include "http/message.hpp"

namespace clientele::http {

//! The problem+json response for `error`, naming `request`'s path and id.
Response problem_response(const Error& error, const Request& request);

}  // namespace clientele::http
