#include "core/keyset.hpp"

#include <sodium.h>

#include "core/text.hpp"

namespace clientele {

namespace {
constexpr int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
}

// "<key>\n<id>": a key (a timestamp) never holds a line break.
std::string encode_keyset(const KeysetCursor& cursor) {
    std::string text = cursor.key + "\n" + std::to_string(cursor.id);
    std::string out(sodium_base64_ENCODED_LEN(text.size(), variant), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(text.data()),
                      text.size(), variant);
    out.resize(out.find('\0'));
    return out;
}

std::optional<KeysetCursor> decode_keyset(std::string_view text) {
    if (text.empty() || text.size() > 512) {
        return std::nullopt;
    }
    std::string raw(text.size(), '\0');
    size_t length = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), text.data(),
                          text.size(), nullptr, &length, nullptr, variant) != 0) {
        return std::nullopt;
    }
    raw.resize(length);
    size_t newline = raw.find('\n');
    if (newline == std::string::npos || !is_valid_utf8(raw)) {
        return std::nullopt;
    }
    auto id = parse_id(std::string_view(raw).substr(newline + 1));
    if (!id) {
        return std::nullopt;
    }
    return KeysetCursor{raw.substr(0, newline), *id};
}

}  // namespace clientele
