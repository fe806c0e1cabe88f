// Requests and responses as handlers see them: plain data, no sockets, no Beast.
//
// A Request's header views point into the transport's own request object, which outlives the
// handler call (the session awaits the handler before it reads the next request).
#pragma once

#include <boost/json/fwd.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace clientele::http {

enum class Method { get, head, post, put, patch, del, options, other };

std::string_view method_name(Method method);
Method parse_method(std::string_view name);
//! Unsafe methods change state: they need a CSRF token when made with a session cookie.
inline bool is_unsafe(Method m) {
    return m == Method::post || m == Method::put || m == Method::patch || m == Method::del;
}

struct Request {
    Method method = Method::get;
    std::string target;                                      //!< as sent: path and query
    std::string path;                                        //!< path as sent (encoded)
    std::vector<std::string> segments;                       //!< decoded path segments
    std::vector<std::pair<std::string, std::string>> query;  //!< decoded, in order
    std::vector<std::pair<std::string_view, std::string_view>> headers;
    std::string body;
    std::string remote_address;
    std::string request_id;

    //! First header with this name (case-insensitive), if any.
    std::optional<std::string_view> header(std::string_view name) const;
    //! Value of the named cookie from the Cookie header, if any.
    std::optional<std::string_view> cookie(std::string_view name) const;
};

//! A body produced a piece at a time (an export of any size), called on the worker pool since it
//! may run SQL: each call returns the next piece, and an empty string ends the body. If it throws,
//! the connection is dropped before the body's end, so the client sees a cut-off transfer.
using BodyStream = std::function<std::string()>;

struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    BodyStream stream;  //!< when set, sent chunked instead of `body`

    void set_header(std::string name, std::string value);
    std::optional<std::string_view> header(std::string_view name) const;

    //! A JSON response with the given status.
    static Response json(int status, const boost::json::value& value);
    //! `{"message": text}`, the seeds' reply style.
    static Response message(int status, std::string_view text);
    static Response no_content();
};

//! Fills path, segments and query from a target; false when it is not a valid origin-form target.
bool parse_target(std::string_view target, Request& request);

bool iequals(std::string_view a, std::string_view b);

//! The address of the client a request comes from. `peer` is the socket's; behind a proxy listed
//! in `trusted_proxies` it is the nearest address in `forwarded_for` (X-Forwarded-For, which each
//! proxy appends to) that is not a trusted proxy itself. Anything else is the client's to forge,
//! so an untrusted peer's header is ignored.
std::string client_address(std::string_view peer, std::string_view forwarded_for,
                           const std::vector<std::string>& trusted_proxies);

}  // namespace clientele::http
