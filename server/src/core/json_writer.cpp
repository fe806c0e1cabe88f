#include "core/json_writer.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstring>

namespace clientele {

void JsonWriter::separate() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (!first_.empty()) {
        if (!first_.back()) {
            out_ += ',';
        }
        first_.back() = false;
    }
}

namespace {

// Whether any of eight bytes is a control character, '"' or '\\' (the bytes JSON escapes): the
// "has a zero byte" test of bit tricks, exact as to whether there is one. Bytes of UTF-8
// sequences (0x80 and up) never match.
bool needs_escape(uint64_t eight) {
    constexpr uint64_t ones = 0x0101010101010101, highs = 0x8080808080808080;
    auto has_zero = [](uint64_t v) { return (v - ones) & ~v & highs; };
    return (((eight - ones * 0x20) & ~eight & highs) | has_zero(eight ^ (ones * '"')) |
            has_zero(eight ^ (ones * '\\'))) != 0;
}

}  // namespace

void JsonWriter::escaped(std::string_view text) {
    out_ += '"';
    size_t plain = 0;  // the start of the run of characters that need no escape
    for (size_t i = 0; i < text.size(); ++i) {
        // Eight characters at a time while none needs an escape (most text, every name).
        while (i + 8 <= text.size()) {
            uint64_t eight;
            std::memcpy(&eight, text.data() + i, 8);
            if (needs_escape(eight)) {
                break;
            }
            i += 8;
        }
        if (i == text.size()) {
            break;
        }
        auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c != '"' && c != '\\') {
            continue;
        }
        out_.append(text.substr(plain, i - plain));
        switch (c) {
            case '"':
                out_ += "\\\"";
                break;
            case '\\':
                out_ += "\\\\";
                break;
            case '\n':
                out_ += "\\n";
                break;
            case '\r':
                out_ += "\\r";
                break;
            case '\t':
                out_ += "\\t";
                break;
            case '\b':
                out_ += "\\b";
                break;
            case '\f':
                out_ += "\\f";
                break;
            default:
                out_ += fmt::format("\\u{:04x}", c);
        }
        plain = i + 1;
    }
    out_.append(text.substr(plain));
    out_ += '"';
}

JsonWriter& JsonWriter::begin_object() {
    separate();
    out_ += '{';
    first_.push_back(true);
    return *this;
}

JsonWriter& JsonWriter::end_object() {
    out_ += '}';
    first_.pop_back();
    return *this;
}

JsonWriter& JsonWriter::begin_array() {
    separate();
    out_ += '[';
    first_.push_back(true);
    return *this;
}

JsonWriter& JsonWriter::end_array() {
    out_ += ']';
    first_.pop_back();
    return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
    separate();
    escaped(name);
    out_ += ':';
    after_key_ = true;
    return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
    separate();
    escaped(text);
    return *this;
}

JsonWriter& JsonWriter::value(int64_t number) {
    separate();
    // to_chars into the stack, then one append (format_to a back_inserter pushes char by char).
    char digits[24];
    out_.append(digits, std::to_chars(digits, digits + sizeof digits, number).ptr);
    return *this;
}

JsonWriter& JsonWriter::value(double number) {
    separate();
    // The shortest form that reads back as the same double, with a point so that it stays a
    // decimal number to every reader ("150.0", not "150").
    // fmt's form (not to_chars', which writes 0.0001 as 1e-04), into the stack and appended once.
    char digits[32];
    std::string_view text(digits, fmt::format_to_n(digits, sizeof digits, "{}", number).out);
    out_ += text;
    if (text.find_first_of(".eEna") == std::string_view::npos) {
        out_ += ".0";
    }
    return *this;
}

JsonWriter& JsonWriter::value(bool flag) {
    separate();
    out_ += flag ? "true" : "false";
    return *this;
}

JsonWriter& JsonWriter::null() {
    separate();
    out_ += "null";
    return *this;
}

JsonWriter& JsonWriter::value(const std::optional<std::string>& text) {
    return text ? value(std::string_view(*text)) : null();
}

JsonWriter& JsonWriter::raw(std::string_view json) {
    separate();
    out_ += json;
    return *this;
}

}  // namespace clientele
