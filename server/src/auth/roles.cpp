#include "auth/roles.hpp"

namespace clientele::auth {

namespace {

constexpr uint32_t bit(Permission p) {
    return uint32_t(1) << uint32_t(p);
}

constexpr uint32_t every_permission() {
    uint32_t all = 0;
    for (const auto& info : permissions) {
        all |= bit(info.permission);
    }
    return all;
}

struct RoleInfo {
    std::string_view name;
    std::string_view description;
    uint32_t allowed;
};

// Indexed by Role. Owners and admins differ in who may deal in owners (may_assign), not here.
constexpr std::array<RoleInfo, roles.size()> role_table = {{
    {"owner", "Everything, including the workspace's owners", every_permission()},
    {"admin", "Everything but making or removing owners", every_permission()},
    {"sales", "Customers: see, create, edit and archive",
     bit(Permission::customers_read) | bit(Permission::customers_write) |
         bit(Permission::customers_delete)},
    {"support", "Customers: see, create and edit",
     bit(Permission::customers_read) | bit(Permission::customers_write)},
    {"marketing", "Customers: see", bit(Permission::customers_read)},
    {"viewer", "Customers: see, read only", bit(Permission::customers_read)},
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

std::string_view permission_name(Permission permission) {
    return permissions[size_t(permission)].name;
}

bool role_allows(Role role, Permission permission) {
    return (role_table[size_t(role)].allowed & bit(permission)) != 0;
}

}  // namespace clientele::auth
