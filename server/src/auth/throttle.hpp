// Sign-in throttling: growing lockouts per account and per source address.
//
// Every failed sign-in counts against the account named (known or not: an unknown name is locked
// out the same way, so the answer tells nothing) and against the source address, which may fail
// four times as often (many people share an address). Past the threshold the key is locked for
// `lock_seconds`, doubling with each further failure, at most an hour; failures older than the
// window (15 minutes) are forgotten; a success clears both keys.
#pragma once

#include <optional>
#include <string>

namespace clientele::store {
class Tx;
}

namespace clientele::auth {

struct ThrottleRule {
    int failures_before_lock = 5;
    int lock_seconds = 30;
};

//! Seconds until the account or the address may try again; nullopt when neither is locked.
std::optional<int> seconds_locked(store::Tx& tx, const std::string& account,
                                  const std::string& address);
//! Counts a failed sign-in against both keys (in a write transaction).
void record_failed_sign_in(store::Tx& tx, const ThrottleRule& rule, const std::string& account,
                           const std::string& address);
//! Forgets the failures of both keys after a successful sign-in.
void record_sign_in(store::Tx& tx, const std::string& account, const std::string& address);

}  // namespace clientele::auth
