// Checks for the common value formats that several areas accept.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace clientele {

//! A practical e-mail address check: dot-atom local part (≤ 64), a host name of at least two
//! labels with letters in the last one, ≤ 254 in all, ASCII only (international domains in
//! their xn-- form).
bool is_valid_email(std::string_view address);

//! 3–32 characters of digits, spaces and + - ( ) . with at least 3 digits; '+' only first.
bool is_valid_phone(std::string_view phone);

//! A web address: an absolute http(s) URL with a host name of at least two labels (Boost.URL
//! parses it). `website` written without a scheme ("example.com") is read as https. Returns the
//! address to store, or nullopt when it is not one.
std::optional<std::string> normalize_website(std::string_view text);

//! A BCP 47 language tag of the usual shape: `en`, `en-US`, `zh-Hant-TW` (≤ 35 characters).
bool is_valid_locale(std::string_view tag);

}  // namespace clientele
