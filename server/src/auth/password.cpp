#include "auth/password.hpp"

#include <sodium.h>

#include "core/error.hpp"

namespace clientele::auth {

PasswordHasher::PasswordHasher(int threads, size_t max_queued)
    : pool_("password hashing", threads, max_queued),
      dummy_hash_(hash("not a real password: used to time unknown users")) {}

std::string PasswordHasher::hash(std::string_view password) const {
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        throw Error(Code::unavailable, "Out of memory while hashing a password.")
            .with_retry_after(1);
    }
    return out;
}

bool PasswordHasher::verify(std::string_view encoded, std::string_view password) const {
    std::string hash(encoded);  // libsodium wants a NUL-terminated string
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

OffloadAwaiter<std::string> PasswordHasher::hash_async(std::string password, Resumer resume) {
    return offload(
        pool_, [this, password = std::move(password)] { return hash(password); },
        std::move(resume));
}

OffloadAwaiter<bool> PasswordHasher::verify_async(std::string encoded, std::string password,
                                                  Resumer resume) {
    return offload(
        pool_,
        [this, encoded = std::move(encoded), password = std::move(password)] {
            return verify(encoded, password);
        },
        std::move(resume));
}

OffloadAwaiter<bool> PasswordHasher::verify_dummy_async(std::string password, Resumer resume) {
    return verify_async(dummy_hash_, std::move(password), std::move(resume));
}

}  // namespace clientele::auth
