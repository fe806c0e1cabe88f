// Password hashing with argon2id (libsodium), on a bounded number of threads at a time.
//
// Each hash takes tens of milliseconds and 64 MiB, on purpose. Only `max_concurrent` run at once
// and at most `max_waiting` callers queue for a turn; past that the caller gets 503 at once, so a
// burst of logins cannot take every worker thread or exhaust memory.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>

namespace clientele::auth {

class PasswordHasher {
  public:
    PasswordHasher(int max_concurrent, int max_waiting);

    //! The encoded argon2id hash of `password` (salt and parameters included).
    std::string hash(std::string_view password);
    //! True when `password` matches `encoded`.
    bool verify(std::string_view encoded, std::string_view password);
    //! Spends the time of a verify without a real hash: unknown users take as long as known ones.
    void verify_dummy(std::string_view password);

  private:
    class Turn;
    std::mutex mutex_;
    std::condition_variable turn_free_;
    int running_ = 0, waiting_ = 0;
    const int max_concurrent_, max_waiting_;
    std::string dummy_hash_;
};

}  // namespace clientele::auth
