// Password hashing with argon2id (libsodium, interactive limits: tens of milliseconds and 64 MiB
// each, on purpose).
//
// Handlers hash on the hasher's own small pool (`co_await` the *_async calls), so a burst of
// sign-ins queues there, bounded, and never takes the request workers; past the queue's bound a
// sign-in gets 503 at once. The blocking calls are for the command line.
#pragma once

#include <string>
#include <string_view>

#include "core/work_pool.hpp"

namespace clientele::auth {

class PasswordHasher {
  public:
    PasswordHasher(int threads, size_t max_queued);

    //! The encoded argon2id hash of `password` (salt and parameters included).
    std::string hash(std::string_view password) const;
    //! True when `password` matches `encoded`.
    bool verify(std::string_view encoded, std::string_view password) const;

    OffloadAwaiter<std::string> hash_async(std::string password, Resumer resume);
    OffloadAwaiter<bool> verify_async(std::string encoded, std::string password, Resumer resume);
    //! Spends the time of a verify without a real hash: unknown users take as long as known ones.
    OffloadAwaiter<bool> verify_dummy_async(std::string password, Resumer resume);

  private:
    WorkPool pool_;
    std::string dummy_hash_;
};

}  // namespace clientele::auth
