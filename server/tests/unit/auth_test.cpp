// auth/roles: the role table the pipeline checks every route against; auth/password_policy.
#include <gtest/gtest.h>

#include "auth/password_policy.hpp"
#include "auth/roles.hpp"

using namespace clientele::auth;

TEST(Roles, NamesRoundTrip) {
    for (Role role : roles) {
        EXPECT_EQ(parse_role(role_name(role)), role);
        EXPECT_FALSE(role_description(role).empty());
    }
    EXPECT_EQ(parse_role("Owner"), std::nullopt);  // names are exact
    EXPECT_EQ(parse_role("emperor"), std::nullopt);
    EXPECT_EQ(permission_name(Permission::customers_write), "customers.write");
}

TEST(Roles, EachRoleAllowsWhatItSays) {
    for (const auto& info : permissions) {
        EXPECT_TRUE(role_allows(Role::owner, info.permission)) << info.name;
        EXPECT_TRUE(role_allows(Role::admin, info.permission)) << info.name;
    }
    EXPECT_TRUE(role_allows(Role::sales, Permission::customers_delete));
    EXPECT_FALSE(role_allows(Role::sales, Permission::users_read));
    EXPECT_TRUE(role_allows(Role::support, Permission::customers_write));
    EXPECT_FALSE(role_allows(Role::support, Permission::customers_delete));
    for (Role reader : {Role::marketing, Role::viewer}) {
        EXPECT_TRUE(role_allows(reader, Permission::customers_read));
        EXPECT_FALSE(role_allows(reader, Permission::customers_write));
        EXPECT_FALSE(role_allows(reader, Permission::users_manage));
    }
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
