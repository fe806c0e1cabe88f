#include "auth/throttle.hpp"

#include <algorithm>
#include <array>

#include "auth/queries.hpp"
#include "core/time.hpp"
#include "store/db.hpp"

namespace clientele::auth {

namespace {
constexpr auto window = std::chrono::minutes(15);
constexpr int max_lock_seconds = 3600;
constexpr int account_max_lock_seconds = 300;
// The address and the account keys gather the failures of many people, or of many addresses.
constexpr int spread_factor = 4;
// How long an address the account signed in from stays exempt from the account's lock.
constexpr auto known_for = std::chrono::days(90);

struct Key {
    std::string name;
    int threshold;
    int max_lock;
};
enum { account_key, address_key, pair_key };

// In the order of their names, the order every transaction locks them in: two attempts never
// wait for each other's rows crosswise (a deadlock on PostgreSQL).
std::array<Key, 3> keys_of(const ThrottleRule& rule, const Attempt& a) {
    int spread = rule.failures_before_lock * spread_factor;
    return {
        Key{"account:" + a.account, spread, account_max_lock_seconds},
        Key{"address:" + a.address, spread, max_lock_seconds},
        Key{"pair:" + a.address + " " + a.account, rule.failures_before_lock, max_lock_seconds}};
}

struct State {
    int failures = 0;
    std::string first_failure_at;
    std::optional<Clock::time_point> locked_until;
};

// The key's row, made when missing and locked until the transaction ends: on PostgreSQL another
// instance's attempt waits here for this one's count rather than reading a stale one.
State lock_row(store::Tx& tx, const std::string& key, const std::string& now) {
    auto q = tx.query(sql::lock_throttle_key, key, now);
    q.step();
    State s{int(q.int64(0)), std::string(q.text(1)), std::nullopt};
    if (!q.is_null(2)) {
        s.locked_until = parse_timestamp(q.text(2));
    }
    return s;
}

std::optional<int> seconds_until(std::optional<Clock::time_point> until, Clock::time_point now) {
    if (!until || *until <= now) {
        return std::nullopt;
    }
    auto seconds = std::chrono::ceil<std::chrono::seconds>(*until - now).count();
    return int(std::max<int64_t>(1, seconds));
}

void count_failure(store::Tx& tx, const Key& key, const State& state, int lock_seconds,
                   Clock::time_point now) {
    bool current = state.first_failure_at >= format_timestamp(now - window);
    int failures = current ? state.failures + 1 : 1;
    std::string first = current ? state.first_failure_at : format_timestamp(now);
    std::optional<std::string> locked_until;
    if (failures >= key.threshold) {
        int doublings = std::min(failures - key.threshold, 16);
        int seconds = std::min(key.max_lock, lock_seconds << doublings);
        locked_until = format_timestamp(now + std::chrono::seconds(seconds));
    }
    tx.exec(sql::set_throttle_state, failures, first, locked_until, key.name);
}
}  // namespace

std::optional<int> reserve_attempt(store::Tx& tx, const ThrottleRule& rule,
                                   const Attempt& attempt) {
    auto now = Clock::now();
    std::string now_text = format_timestamp(now);
    bool known = tx.query(sql::address_known, attempt.account, attempt.address,
                          format_timestamp(now - known_for))
                     .step();
    auto keys = keys_of(rule, attempt);
    std::array<State, 3> states;
    std::optional<int> wait;
    for (size_t i = 0; i < keys.size(); ++i) {
        states[i] = lock_row(tx, keys[i].name, now_text);
        if (i == account_key && known) {
            continue;
        }
        if (auto left = seconds_until(states[i].locked_until, now)) {
            wait = std::max(wait.value_or(0), *left);
        }
    }
    if (wait) {
        return wait;
    }
    for (size_t i = 0; i < keys.size(); ++i) {
        count_failure(tx, keys[i], states[i], rule.lock_seconds, now);
    }
    return std::nullopt;
}

void cancel_attempt(store::Tx& tx, const ThrottleRule& rule, const Attempt& attempt) {
    for (const Key& key : keys_of(rule, attempt)) {
        tx.exec(sql::take_back_failure, key.threshold, key.name);
    }
}

void release_attempt(store::Tx& tx, const ThrottleRule& rule, const Attempt& attempt) {
    auto keys = keys_of(rule, attempt);
    tx.exec(sql::clear_failures, keys[pair_key].name);
    for (int i : {account_key, address_key}) {
        tx.exec(sql::take_back_failure, keys[i].threshold, keys[i].name);
    }
    auto now = Clock::now();
    tx.exec(sql::remember_address, attempt.account, attempt.address, format_timestamp(now));
    tx.exec(sql::forget_old_addresses, attempt.account, format_timestamp(now - known_for));
}

std::optional<int> take_rate_slot(store::Tx& tx, const std::string& key, int limit,
                                  std::chrono::seconds window_length) {
    auto now = Clock::now();
    std::string now_text = format_timestamp(now);
    State state = lock_row(tx, key, now_text);
    bool current = state.first_failure_at >= format_timestamp(now - window_length);
    if (current && state.failures >= limit) {
        auto started = parse_timestamp(state.first_failure_at);
        return seconds_until(started.value_or(now) + window_length, now).value_or(1);
    }
    tx.exec(sql::set_throttle_state, current ? state.failures + 1 : 1,
            current ? state.first_failure_at : now_text, nullptr, key);
    return std::nullopt;
}

}  // namespace clientele::auth
