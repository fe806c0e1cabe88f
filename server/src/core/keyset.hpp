// The cursor of a list in (key, id) order, such as carts by updated_at or orders by placed_at: the
// last row's key and id, base64url-encoded so that clients treat it as opaque.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace clientele {

struct KeysetCursor {
    std::string key;
    int64_t id = 0;
};

std::string encode_keyset(const KeysetCursor& cursor);
//! nullopt when `text` is not a cursor encode_keyset made.
std::optional<KeysetCursor> decode_keyset(std::string_view text);

}  // namespace clientele
