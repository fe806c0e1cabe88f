#include "auth/roles.hpp"

#include "store/db.hpp"

namespace clientele::auth {

namespace {

struct RoleInfo {
    std::string_view name;
    std::string_view description;
};

// Indexed by Role. Owners and admins hold every permission and differ in who may deal in owners
// (may_assign).
constexpr std::array<RoleInfo, roles.size()> role_table = {{
    {"owner", "Everything, including the workspace's owners"},
    {"admin", "Everything but making or removing owners"},
    {"sales", "Customers: see, create, edit and archive"},
    {"support", "Customers: see, create and edit"},
    {"marketing", "Customers: see"},
    {"viewer", "Customers: see, read only"},
}};

}  // namespace

std::string_view role_name(Role role) {
    return role_table[size_t(role)].name;
}

std::string_view role_description(Role role) {
    return role_table[size_t(role)].description;
}

std::optional<Role> parse_role(std::string_view name) {
    for (Role role : roles) {
        if (role_name(role) == name) {
            return role;
        }
    }
    return std::nullopt;
}

void read_value(const store::Query& q, int column, Role& role) {
    role = parse_role(q.text(column)).value_or(Role::viewer);
}

}  // namespace clientele::auth
