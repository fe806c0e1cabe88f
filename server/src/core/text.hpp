// Text checks and transforms shared by every area: UTF-8 validity, trimming, case folding.
#pragma once

#include <string>
#include <string_view>

namespace clientele {

//! True when `text` is well-formed UTF-8 (no overlong forms, surrogates or code points > U+10FFFF).
bool is_valid_utf8(std::string_view text);

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
