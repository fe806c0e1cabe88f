#include "core/json_input.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/parser.hpp>

#include "core/text.hpp"

namespace clientele {

namespace json = boost::json;

json::object parse_json_object(std::string_view body) {
    json::parse_options options;
    options.allow_invalid_utf8 = true;
    options.max_depth = 32;
    json::parser parser(json::storage_ptr(), options);
    boost::system::error_code ec;
    parser.write(body.data(), body.size(), ec);  // parses the whole text, and finishes
    if (ec) {
        throw Error(Code::malformed_json,
                    fmt::format("The body is not valid JSON ({}).", ec.message()));
    }
    json::value value = parser.release();
    if (!value.is_object()) {
        throw Error(Code::malformed_json, "The body must be a JSON object.");
    }
    return std::move(value.as_object());
}

bool json_has_valid_utf8(const json::value& value) {
    switch (value.kind()) {
        case json::kind::string:
            return is_valid_utf8(value.get_string());
        case json::kind::array:
            return std::all_of(value.get_array().begin(), value.get_array().end(),
                               [](const json::value& v) { return json_has_valid_utf8(v); });
        case json::kind::object:
            for (const auto& member : value.get_object()) {
                if (!is_valid_utf8(member.key()) || !json_has_valid_utf8(member.value())) {
                    return false;
                }
            }
            return true;
        default:
            return true;
    }
}

ObjectReader::ObjectReader(const json::object& object, std::string prefix,
                           std::vector<FieldError>& errors)
    : object_(object), prefix_(std::move(prefix)), errors_(errors) {}

std::string ObjectReader::path(std::string_view name) const {
    return prefix_.empty() ? std::string(name) : prefix_ + "." + std::string(name);
}

void ObjectReader::fail(std::string_view name, std::string message) {
    errors_.push_back({path(name), std::move(message)});
}

const json::value* ObjectReader::take(std::string_view name) {
    known_.push_back(name);
    auto it = object_.find(name);
    return it == object_.end() ? nullptr : &it->value();
}

Input<std::string> ObjectReader::string(std::string_view name, StringRule rule) {
    Input<std::string> in;
    const json::value* v = start(name, rule.nullable, in);
    if (!v) {
        return in;
    }
    if (!v->is_string()) {
        fail(name, "must be a string");
        return in;
    }
    std::string_view text = v->get_string();
    if (!is_valid_utf8(text)) {
        fail(name, "must be valid UTF-8");
        return in;
    }
    if (rule.trim) {
        text = trim(text);
    }
    size_t length = utf8_length(text);
    if (length < rule.min) {
        fail(name, rule.min == 1 ? "must not be empty"
                                 : fmt::format("must be at least {} characters", rule.min));
        return in;
    }
    if (length > rule.max) {
        fail(name, fmt::format("must be at most {} characters", rule.max));
        return in;
    }
    in.value = std::string(text);
    return in;
}

template <class T>
const json::value* ObjectReader::start(std::string_view name, bool nullable, Input<T>& in) {
    const json::value* v = take(name);
    if (!v) {
        return nullptr;
    }
    in.present = true;
    if (v->is_null()) {
        in.null = true;
        if (!nullable) {
            fail(name, "must not be null");
        }
        return nullptr;
    }
    return v;
}

Input<bool> ObjectReader::boolean(std::string_view name, bool nullable) {
    Input<bool> in;
    if (const json::value* v = start(name, nullable, in)) {
        if (v->is_bool()) {
            in.value = v->get_bool();
        } else {
            fail(name, "must be true or false");
        }
    }
    return in;
}

Input<int64_t> ObjectReader::integer(std::string_view name, int64_t min, int64_t max,
                                     bool nullable) {
    Input<int64_t> in;
    const json::value* v = start(name, nullable, in);
    if (!v) {
        return in;
    }
    if (!v->is_int64() && !v->is_uint64()) {  // uint64: only values above INT64_MAX
        fail(name, "must be an integer");
    } else if (v->is_uint64() || v->get_int64() < min || v->get_int64() > max) {
        fail(name, fmt::format("must be an integer from {} to {}", min, max));
    } else {
        in.value = v->get_int64();
    }
    return in;
}

Input<std::vector<int64_t>> ObjectReader::id_list(std::string_view name, size_t max_items) {
    Input<std::vector<int64_t>> in;
    const json::value* v = start(name, false, in);
    if (!v) {
        return in;
    }
    if (!v->is_array()) {
        fail(name, "must be an array of ids");
        return in;
    }
    const json::array& items = v->get_array();
    if (items.size() > max_items) {
        fail(name, fmt::format("must have at most {} ids", max_items));
        return in;
    }
    for (const json::value& item : items) {
        if (!item.is_int64() || item.get_int64() < 1) {
            fail(name, "must be an array of ids (positive integers)");
            return in;
        }
        if (std::find(in.value.begin(), in.value.end(), item.get_int64()) == in.value.end()) {
            in.value.push_back(item.get_int64());
        }
    }
    return in;
}

Input<const json::object*> ObjectReader::object(std::string_view name, bool nullable) {
    Input<const json::object*> in;
    in.value = nullptr;
    if (const json::value* v = start(name, nullable, in)) {
        if (v->is_object()) {
            in.value = &v->get_object();
        } else {
            fail(name, "must be an object");
        }
    }
    return in;
}

void ObjectReader::read_only(std::string_view name) {
    if (take(name)) {
        fail(name, "is read-only");
    }
}

void ObjectReader::finish() {
    for (const auto& member : object_) {
        if (std::find(known_.begin(), known_.end(), member.key()) == known_.end()) {
            std::string key =
                is_valid_utf8(member.key()) ? std::string(member.key()) : "(invalid UTF-8)";
            fail(key, "is not a known field");
        }
    }
}

void throw_if_invalid(std::vector<FieldError>& errors) {
    if (errors.empty()) {
        return;
    }
    std::string detail =
        errors.size() == 1
            ? fmt::format("Invalid value for {}: {}.", errors[0].field, errors[0].message)
            : fmt::format("The request has {} invalid fields.", errors.size());
    throw Error(Code::validation_failed, std::move(detail), std::move(errors));
}

}  // namespace clientele
