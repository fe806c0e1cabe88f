// Generated sign-in credentials for client accounts (seed 001): a username made from the company
// name, and a random password that is shown once.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace clientele::clients {

//! The base of a username: the company name transliterated to ASCII (ICU "Any-Latin;
//! Latin-ASCII"), lower-cased, letters and digits only, at most 20 characters; "client" when
//! nothing is left ("ABC Store" → "abcstore", "Café Zürich" → "cafezurich", "東京商事" →
//! "dongjingshangshi").
std::string username_base(std::string_view company_name);

//! `base` followed by random digits ("abcstore" → "abcstore123"): three digits first, one more
//! each time `is_taken` says every try of the current length was taken. Throws std::runtime_error
//! if it finds nothing free (a sign of a broken predicate: 10^9 names per base exist).
std::string unique_username(std::string_view base,
                            const std::function<bool(const std::string&)>& is_taken);

//! Characters of generated passwords: letters and digits without the look-alikes 0 O o 1 I l.
inline constexpr std::string_view password_alphabet =
    "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";

//! `length` characters drawn uniformly from password_alphabet with libsodium's CSPRNG.
std::string generate_password(size_t length = 12);

}  // namespace clientele::clients
