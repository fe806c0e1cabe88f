#include "auth/password.hpp"

#include <sodium.h>

#include "core/error.hpp"

namespace clientele::auth {

// Holds one of the hasher's slots for its lifetime.
class PasswordHasher::Turn {
  public:
    explicit Turn(PasswordHasher& hasher) : hasher_(hasher) {
        std::unique_lock lock(hasher_.mutex_);
        if (hasher_.running_ >= hasher_.max_concurrent_) {
            if (hasher_.waiting_ >= hasher_.max_waiting_) {
                throw Error(Code::unavailable, "Too many sign-ins at once; try again shortly.")
                    .with_retry_after(1);
            }
            ++hasher_.waiting_;
            hasher_.turn_free_.wait(lock,
                                    [&] { return hasher_.running_ < hasher_.max_concurrent_; });
            --hasher_.waiting_;
        }
        ++hasher_.running_;
    }
    ~Turn() {
        {
            std::lock_guard lock(hasher_.mutex_);
            --hasher_.running_;
        }
        hasher_.turn_free_.notify_one();
    }
    Turn(const Turn&) = delete;
    Turn& operator=(const Turn&) = delete;

  private:
    PasswordHasher& hasher_;
};

PasswordHasher::PasswordHasher(int max_concurrent, int max_waiting)
    : max_concurrent_(max_concurrent), max_waiting_(max_waiting) {
    dummy_hash_ = hash("not a real password: used to time unknown users");
}

std::string PasswordHasher::hash(std::string_view password) {
    Turn turn(*this);
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        throw Error(Code::unavailable, "Out of memory while hashing a password.")
            .with_retry_after(1);
    }
    return out;
}

bool PasswordHasher::verify(std::string_view encoded, std::string_view password) {
    Turn turn(*this);
    std::string hash(encoded);  // libsodium wants a NUL-terminated string
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

void PasswordHasher::verify_dummy(std::string_view password) {
    verify(dummy_hash_, password);
}

}  // namespace clientele::auth
