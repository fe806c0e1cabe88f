#include "core/text.hpp"

#include <unicode/unistr.h>

#include <charconv>

namespace clientele {

// Hand-written rather than through ICU: ICU's converters replace bad sequences silently, and this
// check must say "invalid" so the API can name the field. It follows RFC 3629 table 3-7.
bool is_valid_utf8(std::string_view text) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    size_t n = text.size(), i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        size_t len;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            if (c == 0xE0)
                lo = 0xA0;
            if (c == 0xED)
                hi = 0x9F;  // no UTF-16 surrogates
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            if (c == 0xF0)
                lo = 0x90;
            if (c == 0xF4)
                hi = 0x8F;  // nothing above U+10FFFF
        } else {
            return false;
        }
        if (i + len > n || s[i + 1] < lo || s[i + 1] > hi) {
            return false;
        }
        for (size_t k = 2; k < len; ++k) {
            if (s[i + k] < 0x80 || s[i + k] > 0xBF) {
                return false;
            }
        }
        i += len;
    }
    return true;
}

bool has_control_characters(std::string_view text, bool line_breaks) {
    for (size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c != 0x7F && c != 0xC2) {
            continue;
        }
        if (c == 0xC2) {  // U+0080–U+009F are C2 80 – C2 9F
            auto next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
            if (next >= 0x80 && next <= 0x9F) {
                return true;
            }
            continue;
        }
        bool line_break =
            c == '\t' || c == '\n' || (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n');
        if (!line_breaks || !line_break) {
            return true;
        }
    }
    return false;
}

size_t utf8_length(std::string_view text) {
    size_t count = 0;
    for (unsigned char c : text) {
        count += (c & 0xC0) != 0x80;
    }
    return count;
}

std::string_view trim(std::string_view text) {
    constexpr std::string_view space = " \t\r\n\f\v";
    auto begin = text.find_first_not_of(space);
    if (begin == std::string_view::npos) {
        return {};
    }
    return text.substr(begin, text.find_last_not_of(space) - begin + 1);
}

std::string fold_case(std::string_view text) {
    bool ascii = true;
    for (unsigned char c : text) {
        ascii = ascii && c < 0x80;
    }
    if (ascii) {
        return ascii_lower(text);  // the common case, without a round trip through UTF-16
    }
    std::string out;
    icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), int32_t(text.size())))
        .foldCase()
        .toUTF8String(out);
    return out;
}

std::string ascii_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = char(c - 'A' + 'a');
        }
    }
    return out;
}

std::optional<int64_t> parse_id(std::string_view text) {
    int64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size() || id <= 0 || text[0] == '0') {
        return std::nullopt;
    }
    return id;
}

std::optional<int64_t> parse_integer(std::string_view text) {
    int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

}  // namespace clientele
