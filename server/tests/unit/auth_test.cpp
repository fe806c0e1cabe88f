// auth/roles; auth/password_policy;
// auth/throttle's counts.
#include <gtest/gtest.h>

#include "auth/password_policy.hpp"
#include "auth/roles.hpp"
#include "auth/throttle.hpp"
#include "test_db.hpp"

using namespace clientele::auth;

TEST(Roles, NamesRoundTrip) {
    for (Role role : roles) {
        EXPECT_EQ(parse_role(role_name(role)), role);
        EXPECT_FALSE(role_description(role).empty());
    }
    EXPECT_EQ(parse_role("Owner"), std::nullopt);  // names are exact
    EXPECT_EQ(parse_role("emperor"), std::nullopt);
}

TEST(Roles, OnlyOwnersDealInOwners) {
    EXPECT_TRUE(may_assign(Role::owner, Role::owner));
    EXPECT_FALSE(may_assign(Role::admin, Role::owner));
    EXPECT_TRUE(may_assign(Role::admin, Role::admin));
    EXPECT_TRUE(may_assign(Role::admin, Role::viewer));
}

TEST(PasswordPolicy, LengthAndTheCommonList) {
    EXPECT_EQ(password_problem("short"), "must be at least 8 characters");
    EXPECT_EQ(password_problem("ünïcødé"), "must be at least 8 characters");  // 7 code points
    EXPECT_EQ(password_problem(std::string(1025, 'x')), "must be at most 1024 characters");
    EXPECT_TRUE(is_common_password("password1"));
    EXPECT_TRUE(is_common_password("PassWord1"));  // any case
    EXPECT_TRUE(is_common_password("iloveyou"));
    EXPECT_TRUE(password_problem("12345678").has_value());
    EXPECT_FALSE(is_common_password("correct horse battery"));
    EXPECT_EQ(password_problem("correct horse battery"), std::nullopt);
    EXPECT_EQ(password_problem("        "), std::nullopt);  // no composition rules
}

namespace {
std::optional<int> reserve(clientele::store::Database& db, const Attempt& attempt,
                           ThrottleRule rule = {3, 60}) {
    return db.write(std::nullopt,
                    [&](clientele::store::Tx& tx) { return reserve_attempt(tx, rule, attempt); });
}
void release(clientele::store::Database& db, const Attempt& attempt, ThrottleRule rule = {3, 60}) {
    db.write(std::nullopt, [&](clientele::store::Tx& tx) { release_attempt(tx, rule, attempt); });
}
}  // namespace

TEST(Throttle, ThePairLocksAtTheThresholdAndASuccessClearsIt) {
    clientele::testing::TempDatabase db;
    Attempt a{"email:ann@example.com", "203.0.113.1"};
    EXPECT_EQ(reserve(*db, a), std::nullopt);
    EXPECT_EQ(reserve(*db, a), std::nullopt);
    release(*db, a);  // the second was the right password: both failures go
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(reserve(*db, a), std::nullopt) << i;
    }
    auto wait = reserve(*db, a);
    ASSERT_TRUE(wait);
    EXPECT_GE(*wait, 59);
    EXPECT_LE(*wait, 60);
    // Another address may still try the same name.
    EXPECT_EQ(reserve(*db, {a.account, "192.0.2.1"}), std::nullopt);
}

TEST(Throttle, ASuccessTakesBackOnlyItsOwnAttemptFromTheAddress) {
    clientele::testing::TempDatabase db;
    const std::string address = "203.0.113.2";
    for (int i = 0; i < 11; ++i) {  // 12 = 4 x 3 lock the address
        EXPECT_EQ(reserve(*db, {"email:u" + std::to_string(i), address}), std::nullopt);
    }
    Attempt right{"email:owner", address};
    EXPECT_EQ(reserve(*db, right), std::nullopt);  // the 12th: the address is locked...
    release(*db, right);                           // ...until the success takes it back
    EXPECT_EQ(reserve(*db, {"email:u11", address}), std::nullopt);
    EXPECT_TRUE(reserve(*db, {"email:u12", address}));
    EXPECT_TRUE(reserve(*db, right));
}

TEST(Throttle, TheAccountLockSparesAddressesThatSignedInBefore) {
    clientele::testing::TempDatabase db;
    const std::string account = "email:ann@example.com";
    EXPECT_EQ(reserve(*db, {account, "198.51.100.1"}), std::nullopt);
    release(*db, {account, "198.51.100.1"});
    for (int i = 0; i < 12; ++i) {
        EXPECT_EQ(reserve(*db, {account, "203.0.113." + std::to_string(i)}), std::nullopt) << i;
    }
    auto wait = reserve(*db, {account, "192.0.2.50"});
    ASSERT_TRUE(wait);
    EXPECT_LE(*wait, 300);
    EXPECT_EQ(reserve(*db, {account, "198.51.100.1"}), std::nullopt);
}

TEST(Throttle, RateSlotsRunOutUntilTheWindowEnds) {
    clientele::testing::TempDatabase db;
    auto take = [&] {
        return db->write(std::nullopt, [](clientele::store::Tx& tx) {
            return take_rate_slot(tx, "portal-register:203.0.113.3", 2, std::chrono::hours(1));
        });
    };
    EXPECT_EQ(take(), std::nullopt);
    EXPECT_EQ(take(), std::nullopt);
    auto wait = take();
    ASSERT_TRUE(wait);
    EXPECT_GT(*wait, 3500);
    EXPECT_LE(*wait, 3600);
}
