// Text checks and transforms shared by every area: UTF-8 validity, trimming, case folding.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace clientele {

//! The enumerator of `E` whose name is `name`, where `names` lists them in the enumerators'
//! order; nullopt for a name not listed.
template <class E, size_t N>
std::optional<E> enum_named(const std::array<std::string_view, N>& names, std::string_view name) {
    auto at = std::find(names.begin(), names.end(), name);
    return at == names.end() ? std::nullopt : std::optional<E>(E(at - names.begin()));
}

//! True when `text` is well-formed UTF-8 (no overlong forms, surrogates or code points > U+10FFFF).
bool is_valid_utf8(std::string_view text);

//! True when well-formed UTF-8 `text` holds a control character (Unicode category Cc:
//! U+0000–U+001F, U+007F–U+009F). With `line_breaks`, tab, line feed and CR LF are text, not
//! control characters. Refused in input: PostgreSQL cuts text at U+0000, and the others break CSV,
//! logs and screens.
bool has_control_characters(std::string_view text, bool line_breaks = false);

//! A record id as the API writes it: a positive 64-bit integer in canonical decimal (no sign, no
//! leading zero, nothing after it); nullopt for anything else. One record, one spelling.
std::optional<int64_t> parse_id(std::string_view text);
//! A 64-bit integer in decimal (an optional minus, digits, nothing after them); nullopt otherwise.
std::optional<int64_t> parse_integer(std::string_view text);

//! Number of code points in well-formed UTF-8.
size_t utf8_length(std::string_view text);

//! Removes leading and trailing ASCII white space.
std::string_view trim(std::string_view text);

//! Unicode case folding (ICU), for case-insensitive sorting and matching that is the same in
//! every store: "Zoë" and "ZOË" fold to the same key.
std::string fold_case(std::string_view text);

//! ASCII lower-casing (for e-mail addresses and identifiers).
std::string ascii_lower(std::string_view text);

}  // namespace clientele
