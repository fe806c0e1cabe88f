#include "http/message.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/url/parse.hpp>

namespace clientele::http {

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z')
            x = char(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = char(y - 'A' + 'a');
        if (x != y) {
            return false;
        }
    }
    return true;
}

std::string_view method_name(Method method) {
    switch (method) {
        case Method::get:
            return "GET";
        case Method::head:
            return "HEAD";
        case Method::post:
            return "POST";
        case Method::put:
            return "PUT";
        case Method::patch:
            return "PATCH";
        case Method::del:
            return "DELETE";
        case Method::options:
            return "OPTIONS";
        case Method::other:
            break;
    }
    return "OTHER";
}

Method parse_method(std::string_view name) {
    for (Method m : {Method::get, Method::head, Method::post, Method::put, Method::patch,
                     Method::del, Method::options}) {
        if (name == method_name(m)) {
            return m;
        }
    }
    return Method::other;
}

std::optional<std::string_view> Request::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (iequals(key, name)) {
            return value;
        }
    }
    return std::nullopt;
}

std::optional<std::string_view> Request::cookie(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (!iequals(key, "cookie")) {
            continue;
        }
        // RFC 6265 §5.4: "name=value" pairs separated by "; ".
        std::string_view rest = value;
        while (!rest.empty()) {
            size_t end = rest.find(';');
            std::string_view pair = rest.substr(0, end);
            rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
            while (!pair.empty() && pair.front() == ' ')
                pair.remove_prefix(1);
            size_t eq = pair.find('=');
            if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
                return pair.substr(eq + 1);
            }
        }
    }
    return std::nullopt;
}

void Response::set_header(std::string name, std::string value) {
    for (auto& [key, old] : headers) {
        if (iequals(key, name)) {
            old = std::move(value);
            return;
        }
    }
    headers.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string_view> Response::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (iequals(key, name)) {
            return value;
        }
    }
    return std::nullopt;
}

Response Response::json(int status, const boost::json::value& value) {
    Response r;
    r.status = status;
    r.body = boost::json::serialize(value);
    return r;
}

Response Response::message(int status, std::string_view text) {
    return json(status, boost::json::object{{"message", text}});
}

Response Response::no_content() {
    Response r;
    r.status = 204;
    r.content_type.clear();
    return r;
}

std::string client_address(std::string_view peer, std::string_view forwarded_for,
                           const std::vector<std::string>& trusted_proxies) {
    auto trusted = [&](std::string_view address) {
        return std::find(trusted_proxies.begin(), trusted_proxies.end(), address) !=
               trusted_proxies.end();
    };
    if (!trusted(peer)) {
        return std::string(peer);
    }
    std::string_view rest = forwarded_for;
    std::string_view nearest = peer;
    while (!rest.empty()) {  // from the right: the entries the trusted proxies appended
        size_t comma = rest.rfind(',');
        std::string_view entry = comma == std::string_view::npos ? rest : rest.substr(comma + 1);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(0, comma);
        while (!entry.empty() && (entry.front() == ' ' || entry.front() == '\t'))
            entry.remove_prefix(1);
        while (!entry.empty() && (entry.back() == ' ' || entry.back() == '\t'))
            entry.remove_suffix(1);
        if (entry.empty()) {
            continue;
        }
        nearest = entry;
        if (!trusted(entry)) {
            break;
        }
    }
    return std::string(nearest.substr(0, 64));  // a bound on what is stored and logged
}

bool parse_target(std::string_view target, Request& request) {
    auto url = boost::urls::parse_origin_form(target);
    if (!url) {
        return false;
    }
    request.path = url->encoded_path();
    for (auto segment : url->segments()) {
        request.segments.push_back(std::move(segment));
    }
    for (auto param : url->params()) {
        request.query.emplace_back(std::move(param.key), std::move(param.value));
    }
    return true;
}

}  // namespace clientele::http
