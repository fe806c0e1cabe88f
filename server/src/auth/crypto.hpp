// Random secrets and their stored form (libsodium).
#pragma once

#include <string>
#include <string_view>

namespace clientele::auth {

//! Initialises libsodium once; call before any other function here.
void init_crypto();

//! `bytes` CSPRNG bytes as unpadded base64url (32 bytes → 43 characters, 256 bits).
std::string random_token(size_t bytes = 32);

//! The stored form of a secret: BLAKE2b-256 as hex. Secrets are random and 256-bit, so a fast
//! hash is enough (no password stretching needed); a database leak reveals no usable token.
std::string hash_secret(std::string_view secret);

//! Constant-time equality for secrets of any length.
bool secrets_equal(std::string_view a, std::string_view b);

}  // namespace clientele::auth
