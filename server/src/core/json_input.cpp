#include "core/json_input.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/string.hpp>
#include <boost/json/value_stack.hpp>
#include <optional>

#include "core/text.hpp"

namespace clientele {

namespace json = boost::json;

namespace {

// Builds the value as boost::json::parser does (its detail::handler), and also refuses an object
// that names a key twice. Boost.JSON keeps the last of such keys and has no option against it, so
// {"role":"viewer","role":"owner"} could pass a check that saw the first and store the second.
struct StrictHandler {
    static constexpr size_t max_object_size = json::object::max_size();
    static constexpr size_t max_array_size = json::array::max_size();
    static constexpr size_t max_key_size = json::string::max_size();
    static constexpr size_t max_string_size = json::string::max_size();

    json::value_stack st;
    std::string key;                //!< the key being read: it may come in parts
    std::vector<std::string> keys;  //!< the keys of the objects open now, the innermost last
    std::vector<size_t> opened;     //!< where each open object's keys begin in `keys`
    std::optional<std::string> duplicate;

    bool on_document_begin(json::error_code&) { return true; }
    bool on_document_end(json::error_code&) { return true; }
    bool on_object_begin(json::error_code&) {
        opened.push_back(keys.size());
        return true;
    }
    bool on_object_end(size_t n, json::error_code& ec) {
        auto begin = keys.begin() + std::ptrdiff_t(opened.back());
        std::sort(begin, keys.end());
        if (auto twice = std::adjacent_find(begin, keys.end()); twice != keys.end()) {
            duplicate = std::move(*twice);
            ec = json::error::syntax;
            return false;
        }
        keys.erase(begin, keys.end());
        opened.pop_back();
        st.push_object(n);
        return true;
    }
    bool on_array_begin(json::error_code&) { return true; }
    bool on_array_end(size_t n, json::error_code&) {
        st.push_array(n);
        return true;
    }
    bool on_key_part(json::string_view s, size_t, json::error_code&) {
        key.append(s.data(), s.size());
        st.push_chars(s);
        return true;
    }
    bool on_key(json::string_view s, size_t, json::error_code&) {
        key.append(s.data(), s.size());
        keys.push_back(std::move(key));
        key.clear();
        st.push_key(s);
        return true;
    }
    bool on_string_part(json::string_view s, size_t, json::error_code&) {
        st.push_chars(s);
        return true;
    }
    bool on_string(json::string_view s, size_t, json::error_code&) {
        st.push_string(s);
        return true;
    }
    bool on_number_part(json::string_view, json::error_code&) { return true; }
    bool on_int64(int64_t i, json::string_view, json::error_code&) {
        st.push_int64(i);
        return true;
    }
    bool on_uint64(uint64_t u, json::string_view, json::error_code&) {
        st.push_uint64(u);
        return true;
    }
    bool on_double(double d, json::string_view, json::error_code&) {
        st.push_double(d);
        return true;
    }
    bool on_bool(bool b, json::error_code&) {
        st.push_bool(b);
        return true;
    }
    bool on_null(json::error_code&) {
        st.push_null();
        return true;
    }
    bool on_comment_part(json::string_view, json::error_code&) { return true; }
    bool on_comment(json::string_view, json::error_code&) { return true; }
};

}  // namespace

json::object parse_json_object(std::string_view body) {
    json::parse_options options;
    options.allow_invalid_utf8 = true;
    options.max_depth = max_json_depth;
    json::basic_parser<StrictHandler> parser(options);
    parser.handler().st.reset(json::storage_ptr());
    json::error_code ec;
    size_t used = parser.write_some(false, body.data(), body.size(), ec);
    if (const auto& twice = parser.handler().duplicate) {
        throw Error(Code::malformed_json,
                    twice->size() <= 100 && is_valid_utf8(*twice)
                        ? fmt::format("The body names the key \"{}\" twice in one object.", *twice)
                        : std::string("The body names a key twice in one object."));
    }
    if (!ec && used < body.size()) {
        ec = json::error::extra_data;
    }
    if (ec == json::error::too_deep) {
        throw Error(Code::malformed_json,
                    fmt::format("The body nests arrays and objects too deep (at most {} levels, "
                                "the body itself counting as one).",
                                max_json_depth));
    }
    if (ec) {
        throw Error(Code::malformed_json,
                    fmt::format("The body is not valid JSON ({}).", ec.message()));
    }
    json::value value = parser.handler().st.release();
    if (!value.is_object()) {
        throw Error(Code::malformed_json, "The body must be a JSON object.");
    }
    return std::move(value.as_object());
}

namespace {

// True when `test` holds for some string or key anywhere inside `value`.
template <class Test>
bool any_text(const json::value& value, const Test& test) {
    switch (value.kind()) {
        case json::kind::string:
            return test(value.get_string());
        case json::kind::array:
            return std::any_of(value.get_array().begin(), value.get_array().end(),
                               [&](const json::value& v) { return any_text(v, test); });
        case json::kind::object:
            return std::any_of(value.get_object().begin(), value.get_object().end(),
                               [&](const json::key_value_pair& member) {
                                   return test(member.key()) || any_text(member.value(), test);
                               });
        default:
            return false;
    }
}

}  // namespace

bool json_has_valid_utf8(const json::value& value) {
    return !any_text(value, [](std::string_view text) { return !is_valid_utf8(text); });
}

bool json_has_control_characters(const json::value& value) {
    return any_text(value,
                    [](std::string_view text) { return has_control_characters(text, true); });
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
    if (has_control_characters(text, rule.multiline)) {
        fail(name, rule.multiline
                       ? "must not contain control characters (other than tabs and line breaks)"
                       : "must not contain control characters (line breaks and tabs included)");
        return in;
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

Input<const json::array*> ObjectReader::array(std::string_view name, bool nullable) {
    Input<const json::array*> in;
    in.value = nullptr;
    if (const json::value* v = start(name, nullable, in)) {
        if (v->is_array()) {
            in.value = &v->get_array();
        } else {
            fail(name, "must be an array");
        }
    }
    return in;
}

Input<const json::value*> ObjectReader::any(std::string_view name, bool nullable) {
    Input<const json::value*> in;
    in.value = start(name, nullable, in);
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
