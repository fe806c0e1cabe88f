#include "auth/throttle.hpp"

#include <algorithm>
#include <chrono>

#include "auth/queries.hpp"
#include "core/time.hpp"
#include "store/db.hpp"

namespace clientele::auth {

namespace {
constexpr auto window = std::chrono::minutes(15);
constexpr int max_lock_seconds = 3600;
constexpr int address_factor = 4;

std::string account_key(const std::string& account) {
    return "account:" + account;
}
std::string address_key(const std::string& address) {
    return "address:" + address;
}

void count_failure(store::Tx& tx, const std::string& key, int threshold, int lock_seconds) {
    auto now = Clock::now();
    std::string now_text = format_timestamp(now);
    int failures = 1;
    std::string first = now_text;
    {
        auto q = tx.query(sql::throttle_state, key);
        if (q.step() && std::string_view(q.text(1)) >= format_timestamp(now - window)) {
            failures = int(q.int64(0)) + 1;
            first = q.text(1);
        }
    }
    std::optional<std::string> locked_until;
    if (failures >= threshold) {
        int doublings = std::min(failures - threshold, 16);
        int seconds = std::min(max_lock_seconds, lock_seconds << doublings);
        locked_until = format_timestamp(now + std::chrono::seconds(seconds));
    }
    tx.exec(sql::record_failure, key, failures, first, locked_until);
}

std::optional<int> remaining(store::Tx& tx, const std::string& key) {
    auto q = tx.query(sql::throttle_state, key);
    if (!q.step() || q.is_null(2)) {
        return std::nullopt;
    }
    auto until = parse_timestamp(q.text(2));
    auto now = Clock::now();
    if (!until || *until <= now) {
        return std::nullopt;
    }
    auto seconds = std::chrono::ceil<std::chrono::seconds>(*until - now).count();
    return int(std::max<int64_t>(1, seconds));
}
}  // namespace

std::optional<int> seconds_locked(store::Tx& tx, const std::string& account,
                                  const std::string& address) {
    auto a = remaining(tx, account_key(account));
    auto b = remaining(tx, address_key(address));
    if (a && b)
        return std::max(*a, *b);
    return a ? a : b;
}

void record_failed_sign_in(store::Tx& tx, const ThrottleRule& rule, const std::string& account,
                           const std::string& address) {
    count_failure(tx, account_key(account), rule.failures_before_lock, rule.lock_seconds);
    count_failure(tx, address_key(address), rule.failures_before_lock * address_factor,
                  rule.lock_seconds);
}

void record_sign_in(store::Tx& tx, const std::string& account, const std::string& address) {
    tx.exec(sql::clear_failures, account_key(account));
    tx.exec(sql::clear_failures, address_key(address));
}

}  // namespace clientele::auth
