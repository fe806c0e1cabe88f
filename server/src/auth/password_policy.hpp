// What a password a person chooses must be (NIST SP 800-63B §5.1.1.2): at least 8 characters, at
// most 1024, no composition rules, and not one of the 10,000 most common passwords (the list in
// server/data/common-passwords.txt, compiled in).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace clientele::auth {

inline constexpr size_t min_password_length = 8;
inline constexpr size_t max_password_length = 1024;

//! Why `password` may not be chosen ("must be at least 8 characters"), or nullopt when it may.
std::optional<std::string> password_problem(std::string_view password);

//! Whether the password, in any case, is on the common-password list.
bool is_common_password(std::string_view password);

}  // namespace clientele::auth
