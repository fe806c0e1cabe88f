// Writes JSON text straight into a string, for the answers that carry many records (customer
// lists): building a Boost.JSON DOM first cost a third of a list page in allocations. Values are
// written as they come; commas are placed by the writer. Boost.JSON's serializer needs that DOM,
// hence this small writer; strings are escaped per RFC 8259 §7.
#pragma once

#include <boost/container/small_vector.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace clientele {

class JsonWriter {
  public:
    explicit JsonWriter(std::string& out) : out_(out) {}

    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    //! A member's name; its value follows.
    JsonWriter& key(std::string_view name);

    JsonWriter& value(std::string_view text);
    JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
    JsonWriter& value(const char* text) { return value(std::string_view(text)); }
    JsonWriter& value(int64_t number);
    JsonWriter& value(int number) { return value(int64_t(number)); }
    JsonWriter& value(double number);
    JsonWriter& value(bool flag);
    JsonWriter& null();
    //! The text, or null.
    JsonWriter& value(const std::optional<std::string>& text);
    //! Already serialised JSON (a stored JSON object).
    JsonWriter& raw(std::string_view json);

    //! key(name).value(v) in one call.
    template <class T>
    JsonWriter& member(std::string_view name, const T& v) {
        key(name);
        return value(v);
    }

  private:
    void separate();
    void escaped(std::string_view text);

    std::string& out_;
    //! Per open object or array: nothing written in it yet. Inline up to a depth that answers
    //! do not reach, so a writer allocates nothing of its own.
    boost::container::small_vector<bool, 16> first_;
    bool after_key_ = false;
};

}  // namespace clientele
