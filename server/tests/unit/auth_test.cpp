// auth/roles: the role table the pipeline checks every route against.
#include <gtest/gtest.h>

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
