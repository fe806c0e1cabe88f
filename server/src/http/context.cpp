#include "http/context.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "core/config.hpp"
#include "core/json_input.hpp"
#include "core/text.hpp"
#include "core/time.hpp"

namespace clientele::http {

const auth::Principal& RequestContext::caller() const {
    if (!principal) {
        throw Error(Code::unauthenticated, "Sign in or send an API token.");
    }
    return *principal;
}

std::string_view RequestContext::param(std::string_view name) const {
    for (const auto& [key, value] : params_) {
        if (key == name) {
            return value;
        }
    }
    throw std::logic_error("route has no parameter " + std::string(name));
}

int64_t RequestContext::id_param(std::string_view name) const {
    // Canonical decimal only: /customers/01 is not /customers/1 (one record, one address).
    auto id = parse_id(param(name));
    if (!id) {
        throw Error(Code::not_found, "No such record.");
    }
    return *id;
}

namespace {

std::string_view trim_spaces(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

// The charset parameter of a Content-Type ("application/json; charset=utf-8"), unquoted; empty
// when there is none. JSON is UTF-8 (RFC 8259 §8.1), so any other is refused, not misread.
std::string_view charset_of(std::string_view content_type) {
    size_t semicolon = content_type.find(';');
    while (semicolon != std::string_view::npos) {
        std::string_view rest = content_type.substr(semicolon + 1);
        semicolon = rest.find(';');
        std::string_view parameter = trim_spaces(rest.substr(0, semicolon));
        content_type = rest;
        size_t eq = parameter.find('=');
        if (eq != std::string_view::npos &&
            iequals(trim_spaces(parameter.substr(0, eq)), "charset")) {
            std::string_view value = trim_spaces(parameter.substr(eq + 1));
            if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
                value = value.substr(1, value.size() - 2);
            }
            return value;
        }
    }
    return {};
}

}  // namespace

boost::json::object RequestContext::json_body(bool allow_merge_patch) const {
    auto type = request.header("content-type").value_or("");
    std::string_view media = trim_spaces(type.substr(0, type.find(';')));
    bool json = iequals(media, "application/json") ||
                (allow_merge_patch && iequals(media, "application/merge-patch+json"));
    if (!json) {
        throw Error(Code::unsupported_media_type,
                    media.empty()
                        ? "Send the body as application/json."
                        : fmt::format("Send the body as application/json, not {}.", media));
    }
    std::string_view charset = charset_of(type);
    if (!charset.empty() && !iequals(charset, "utf-8") && !iequals(charset, "utf8")) {
        throw Error(Code::unsupported_media_type,
                    "Send JSON in UTF-8: the only charset the body may name is utf-8.");
    }
    return parse_json_object(request.body);
}

std::optional<int64_t> RequestContext::if_match_version() const {
    auto header = request.header("if-match");
    if (!header) {
        return std::nullopt;
    }
    std::string_view value = *header;
    if (value.find('*') != std::string_view::npos) {
        return std::nullopt;
    }
    // A list of entity tags: the request may go on if any names the current version. We return the
    // first well-formed one; clients send one.
    size_t open = value.find('"');
    size_t close = open == std::string_view::npos ? open : value.find('"', open + 1);
    if (close == std::string_view::npos) {
        return 0;
    }
    std::string_view digits = value.substr(open + 1, close - open - 1);
    int64_t version = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), version);
    if (ec != std::errc() || end != digits.data() + digits.size()) {
        return 0;
    }
    return version;
}

audit::Context& RequestContext::audit() const {
    if (audit_) {
        return *audit_;
    }
    audit::Context& context = audit_.emplace();
    context.request_id = request.request_id;
    context.address = request.remote_address;
    context.user_agent = std::string(request.header("user-agent").value_or("")).substr(0, 512);
    if (principal) {
        context.actor = audit::actor_of(*principal);
    } else {
        context.actor.kind = "anonymous";  // a public route names its actor once known
    }
    return context;
}

Resumer RequestContext::resumer() const {
    reading_.reset();
    return app.resume;
}

void parse_limit(std::string_view text, int& limit, std::vector<FieldError>& errors) {
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 1 || value > 200) {
        errors.push_back({"limit", "must be an integer from 1 to 200"});
    } else {
        limit = value;
    }
}

int64_t parse_id_cursor(std::string_view text) {
    auto id = parse_id(text);
    if (!id) {
        throw Error(Code::bad_request, "The cursor is not one this server made.");
    }
    return *id;
}

boost::json::object list_envelope(boost::json::array data, std::optional<std::string> next_cursor) {
    boost::json::object out(data.storage());  // the page's storage: the data moves, not copies
    out.emplace("data", std::move(data));
    if (next_cursor) {
        out.emplace("next_cursor", *next_cursor);
    } else {
        out.emplace("next_cursor", nullptr);
    }
    return out;
}

IdListParams parse_id_list_params(
    const Request& request,
    const std::function<void(const std::string& name, const std::string& value,
                             std::vector<FieldError>& errors)>& other,
    int default_limit) {
    IdListParams params;
    params.limit = default_limit;
    std::vector<FieldError> errors;
    for (const auto& [name, raw] : request.query) {
        std::string value(trim(raw));
        if (!is_valid_utf8(value)) {
            errors.push_back({name, "must be valid UTF-8"});
        } else if (name == "limit") {
            parse_limit(value, params.limit, errors);
        } else if (name == "cursor") {
            params.cursor = parse_id_cursor(value);
        } else if (name == "q") {
            if (!value.empty()) {
                params.q = fold_case(value);
            }
        } else {
            other(name, value, errors);
        }
    }
    throw_if_invalid(errors);
    return params;
}

std::optional<std::string> timestamp_param(const std::string& name, const std::string& value,
                                           std::vector<FieldError>& errors) {
    auto t = parse_timestamp(value);
    if (!t) {
        errors.push_back({name, "must be a date (YYYY-MM-DD) or an ISO 8601 timestamp"});
        return std::nullopt;
    }
    return format_timestamp(*t);
}

namespace {

// "example.com:8080" → "example.com", "[::1]:8080" → "[::1]"; a value without a port (digits
// after the last colon, outside brackets) is itself.
std::string_view without_port(std::string_view host) {
    size_t colon = host.rfind(':');
    if (colon == std::string_view::npos || host.find(']', colon) != std::string_view::npos) {
        return host;
    }
    std::string_view port = host.substr(colon + 1);
    bool digits = !port.empty() && std::all_of(port.begin(), port.end(),
                                               [](char c) { return c >= '0' && c <= '9'; });
    return digits ? host.substr(0, colon) : host;
}

}  // namespace

bool host_allowed(std::string_view host, const std::vector<std::string>& allowed) {
    if (host.empty()) {
        return false;
    }
    return std::any_of(allowed.begin(), allowed.end(), [&](const std::string& entry) {
        bool has_port = without_port(entry).size() != entry.size();
        return iequals(has_port ? host : without_port(host), entry);
    });
}

std::string public_origin(const RequestContext& ctx) {
    const std::string& configured = ctx.app.config->public_url;
    if (!configured.empty()) {
        return configured;
    }
    std::string_view host = ctx.request.header("host").value_or("");
    if (!host_allowed(host, ctx.app.config->allowed_hosts)) {
        throw Error(Code::bad_request,
                    "This request would build a link to the host it names, which this server is "
                    "not set up to serve: start the server with --public-url, or list the host "
                    "in --allowed-hosts.",
                    {{"Host", "is not an allowed host"}});
    }
    return "http://" + std::string(host);
}

std::string etag(int64_t version) {
    return "\"" + std::to_string(version) + "\"";
}

Response with_etag(Response response, int64_t version) {
    response.set_header("ETag", etag(version));
    return response;
}

}  // namespace clientele::http
