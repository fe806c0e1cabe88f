// Reading untrusted JSON request bodies into typed values, collecting every field error at once.
//
//   std::vector<FieldError> errors;
//   auto body = parse_json_object(request.body);
//   ObjectReader in(body, "", errors);
//   auto name = in.string("name", {.min = 1, .max = 200, .nullable = false});
//   in.finish();                       // unknown fields become errors too
//   throw_if_invalid(errors);          // one 422 naming every bad field
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace clientele {

//! How deeply arrays and objects may nest in a request body (docs/api.md, "Conventions").
constexpr size_t max_json_depth = 64;

//! Options to read back JSON this server stored from such a body (preferences): as deep as it is.
inline boost::json::parse_options stored_json_options() {
    boost::json::parse_options options;
    options.max_depth = max_json_depth;
    return options;
}

//! Parses a body that must be one JSON object (throws malformed_json otherwise, also when an
//! object names a key twice, at any depth). Invalid UTF-8 in strings is let through here so that
//! ObjectReader can name the field that holds it.
boost::json::object parse_json_object(std::string_view body);

//! A field as sent: absent, explicitly null, or a value. PATCH needs all three states.
template <class T>
struct Input {
    bool present = false;
    bool null = false;
    T value{};

    bool has_value() const { return present && !null; }
};

struct StringRule {
    size_t min = 0;    //!< in code points, after trimming
    size_t max = 255;  //!< in code points, after trimming
    bool nullable = true;
    bool trim = true;
    //! Tab and line breaks are allowed (notes, templates); other control characters never are.
    bool multiline = false;
};

class ObjectReader {
  public:
    //! `prefix` names the object's place in the body ("address" gives fields "address.city").
    ObjectReader(const boost::json::object& object, std::string prefix,
                 std::vector<FieldError>& errors);

    Input<std::string> string(std::string_view name, StringRule rule = {});
    Input<bool> boolean(std::string_view name, bool nullable = false);
    Input<int64_t> integer(std::string_view name, int64_t min, int64_t max, bool nullable = false);
    //! An array of distinct positive ids (record references such as tag ids), at most `max_items`.
    Input<std::vector<int64_t>> id_list(std::string_view name, size_t max_items);
    //! A nested object (null when the field is JSON null; check `present`).
    Input<const boost::json::object*> object(std::string_view name, bool nullable = true);
    //! An array (its items checked by the caller, named `path(name) + ".N"`).
    Input<const boost::json::array*> array(std::string_view name, bool nullable = false);
    //! Any JSON value but null, for a field of more than one type (a number or a decimal string).
    Input<const boost::json::value*> any(std::string_view name, bool nullable = true);
    //! Marks a field as known without reading it; a present one is reported as read-only.
    void read_only(std::string_view name);

    //! Records an error for one of this object's fields.
    void fail(std::string_view name, std::string message);
    //! Records "is required" for field `name` when `input` (read from it) was absent.
    template <class T>
    void require(std::string_view name, const Input<T>& input) {
        if (!input.present) {
            fail(name, "is required");
        }
    }
    //! Reports every field that no reader method asked for as unknown.
    void finish();
    std::string path(std::string_view name) const;

  private:
    const boost::json::value* take(std::string_view name);
    //! Looks a field up and records whether it is present and null; returns it when it holds a
    //! value to check, nullptr when absent or null (a null the rule forbids is reported).
    template <class T>
    const boost::json::value* start(std::string_view name, bool nullable, Input<T>& in);

    const boost::json::object& object_;
    std::string prefix_;
    std::vector<FieldError>& errors_;
    std::vector<std::string_view> known_;
};

//! Throws one validation_failed Error listing all `errors`, if there are any.
void throw_if_invalid(std::vector<FieldError>& errors);

//! True when every string (keys too) anywhere inside `value` is valid UTF-8.
bool json_has_valid_utf8(const boost::json::value& value);

//! True when a string (or key) anywhere inside `value` holds a control character other than tab
//! and line breaks (free-form JSON such as preferences: see has_control_characters).
bool json_has_control_characters(const boost::json::value& value);

}  // namespace clientele
