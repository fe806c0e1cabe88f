// The areas' declarations (area.hpp): permissions and what each role holds, every route's
// permission declared by an area, migrations in registered areas' folders, and every table about a
// customer declared as personal data.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <set>
#include <string>

#include "area.hpp"
#include "auth/permission.hpp"
#include "core/config.hpp"
#include "customers/permissions.hpp"
#include "http/router.hpp"
#include "store/migrate.hpp"
#include "test_db.hpp"
#include "users/permissions.hpp"

namespace clientele {
namespace {

using auth::Role;

TEST(Areas, EachRoleHoldsWhatItSays) {
    for (const auth::Permission* permission : all_permissions()) {
        EXPECT_TRUE(auth::role_allows(Role::owner, *permission)) << permission->name;
        EXPECT_TRUE(auth::role_allows(Role::admin, *permission)) << permission->name;
    }
    EXPECT_TRUE(auth::role_allows(Role::sales, customers::perm::remove));
    EXPECT_FALSE(auth::role_allows(Role::sales, users::perm::read));
    EXPECT_TRUE(auth::role_allows(Role::support, customers::perm::write));
    EXPECT_FALSE(auth::role_allows(Role::support, customers::perm::remove));
    for (Role reader : {Role::marketing, Role::viewer}) {
        EXPECT_TRUE(auth::role_allows(reader, customers::perm::read));
        EXPECT_FALSE(auth::role_allows(reader, customers::perm::write));
        EXPECT_FALSE(auth::role_allows(reader, users::perm::manage));
    }
}

TEST(Areas, PermissionsHaveUniqueNamesAndDescriptions) {
    std::set<std::string_view> names;
    std::regex shape("[a-z]+\\.[a-z_]+");
    for (const auth::Permission* permission : all_permissions()) {
        EXPECT_TRUE(names.insert(permission->name).second) << permission->name << " twice";
        EXPECT_TRUE(std::regex_match(std::string(permission->name), shape)) << permission->name;
        EXPECT_FALSE(permission->description.empty()) << permission->name;
    }
    EXPECT_TRUE(names.contains("customers.read") && names.contains("audit.read") &&
                names.contains("jobs.manage"));
}

TEST(Areas, EveryRoutesPermissionIsAnAreas) {
    Config config;
    App app{nullptr, nullptr, &config, {}};
    http::Router router;
    register_all_routes(router, app);
    auto declared = all_permissions();
    size_t guarded = 0;
    for (const http::Route& route : router.routes()) {
        if (route.access.kind == http::Access::Kind::permission) {
            ++guarded;
            EXPECT_NE(std::find(declared.begin(), declared.end(), route.access.permission),
                      declared.end())
                << route.pattern << " needs " << route.access.permission->name
                << ", which no area declares";
        }
    }
    EXPECT_GT(guarded, 40u);
}

TEST(Areas, MigrationsLiveInRegisteredAreas) {
    std::set<std::string_view> names;
    for (const Area& area : areas()) {
        EXPECT_TRUE(names.insert(area.name).second) << area.name << " registered twice";
    }
    for (const store::Migration& migration : store::embedded_migrations()) {
        EXPECT_TRUE(names.contains(migration.area))
            << migration.name << " is in " << migration.area << ", which is no registered area";
    }
}

TEST(Areas, EveryTableAboutACustomerIsDeclaredPersonalData) {
    testing::TempDatabase db;
    std::set<std::pair<std::string, std::string>> declared;  // (table, column)
    for (const Area& area : areas()) {
        for (const PersonalData& data : area.personal_data) {
            declared.emplace(data.table, data.column);
            EXPECT_TRUE(data.subject == "customer" || data.subject == "user") << data.table;
        }
    }
    std::set<std::pair<std::string, std::string>> columns;
    db->read(std::nullopt, [&](store::Tx& tx) {
        auto q = tx.query(
            "SELECT m.name, p.name FROM sqlite_schema m JOIN pragma_table_info(m.name) p"
            " WHERE m.type = 'table'");
        while (q.step()) {
            columns.emplace(q.text(0), q.text(1));
        }
    });
    for (const auto& entry : declared) {
        EXPECT_TRUE(columns.contains(entry))
            << entry.first << "." << entry.second << " is no column";
    }
    for (const auto& [table, column] : columns) {
        if (column == "customer_id" && !table.starts_with("customers_fts")) {
            EXPECT_TRUE(declared.contains({table, column}))
                << table << " holds rows about a customer: declare it in its area's personal_data";
        }
    }
}

}  // namespace
}  // namespace clientele
