// Sign-in throttling: growing lockouts that concurrent guesses cannot race past and that an
// attacker cannot turn against an account's owner (see docs/decisions.md, "Sign-in throttling").
//
// An attempt (a sign-in, or the current password given to change it) names an account (the name
// tried, known or not: an unknown name is throttled the same way, so the answer tells nothing) and
// comes from a source address. It counts as a failure against three keys:
// - the pair (account, address): locked after `failures_before_lock` failures, for `lock_seconds`
//   doubling with each further failure, at most an hour. A success clears it;
// - the address, across every account it tries (password spraying): four times as many failures
//   (many people share an address), the same growing lock. A success does not clear it: anyone can
//   get one, by registering on a portal;
// - the account, across addresses (guessing from many of them): four times as many failures, a lock
//   of at most five minutes that does not apply to addresses the account signed in from before,
//   so the owner at a known address still gets in.
// Failures older than 15 minutes are forgotten.
//
// The attempt is reserved before the password is checked: one write transaction checks the locks
// and counts the attempt as a failure; a right password then releases it. So no number of guesses
// at once gets past the threshold, as they could when the count came after the (slow) check.
#pragma once

#include <chrono>
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

//! What an attempt counts against: the account named ("email:…", "username:…", "portal:…",
//! "user:<id>") and the source address.
struct Attempt {
    std::string account;
    std::string address;
};

//! In a write transaction: seconds until `attempt` may be made when a lock applies (nothing is
//! counted then); otherwise nullopt, and the attempt is counted as a failure.
std::optional<int> reserve_attempt(store::Tx& tx, const ThrottleRule& rule, const Attempt& attempt);
//! When the password could not be checked (the server was busy): takes the reserved failure back
//! from every key, so a busy server counts against no one.
void cancel_attempt(store::Tx& tx, const ThrottleRule& rule, const Attempt& attempt);
//! After a right password: clears the pair's failures, takes the reserved failure back from the
//! address and the account, and remembers the address as one the account signed in from.
void release_attempt(store::Tx& tx, const ThrottleRule& rule, const Attempt& attempt);

//! A rate limit in fixed windows, in a write transaction: seconds until the window ends when `key`
//! acted `limit` times in it already; otherwise nullopt, and this action is counted.
std::optional<int> take_rate_slot(store::Tx& tx, const std::string& key, int limit,
                                  std::chrono::seconds window);

}  // namespace clientele::auth
