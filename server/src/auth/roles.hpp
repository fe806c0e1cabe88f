// The roles of a workspace's people and what each may do. Every route names the permission it
// needs (http/router.hpp), and the pipeline checks the caller's role against this table before
// the handler runs. A later issue brings the full matrix; the shape stays.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace clientele::auth {

enum class Role : uint8_t { owner, admin, sales, support, marketing, viewer };

// M(enumerator, name in the API, what it allows)
#define CLIENTELE_PERMISSIONS(M)                                                                  \
    M(customers_read, "customers.read", "See customers and search them")                          \
    M(customers_write, "customers.write", "Create and edit customers, restore archived ones")     \
    M(customers_delete, "customers.delete", "Archive (soft-delete) customers")                    \
    M(users_read, "users.read", "See the workspace's users")                                      \
    M(users_manage, "users.manage", "Invite users, change their roles, deactivate them")          \
    M(settings_manage, "settings.manage", "Edit the workspace's lists: titles, tags, industries") \
    M(jobs_manage, "jobs.manage", "See the workspace's background jobs, retry and cancel them")   \
    M(audit_read, "audit.read", "See the audit log: who changed what, and when")

enum class Permission : uint8_t {
#define CLIENTELE_PERMISSION_ENUM(name, api_name, description) name,
    CLIENTELE_PERMISSIONS(CLIENTELE_PERMISSION_ENUM)
#undef CLIENTELE_PERMISSION_ENUM
};

struct PermissionInfo {
    Permission permission;
    std::string_view name;
    std::string_view description;
};

inline constexpr std::array permissions = {
#define CLIENTELE_PERMISSION_INFO(name, api_name, description) \
    PermissionInfo{Permission::name, api_name, description},
    CLIENTELE_PERMISSIONS(CLIENTELE_PERMISSION_INFO)
#undef CLIENTELE_PERMISSION_INFO
};

inline constexpr std::array roles = {Role::owner,   Role::admin,     Role::sales,
                                     Role::support, Role::marketing, Role::viewer};

std::string_view role_name(Role role);
//! What the role is for, in a sentence (shown where roles are chosen).
std::string_view role_description(Role role);
std::optional<Role> parse_role(std::string_view name);
std::string_view permission_name(Permission permission);

bool role_allows(Role role, Permission permission);

//! Whether `actor` may give `target` to someone or take it away: only an owner deals in owners.
inline bool may_assign(Role actor, Role target) {
    return target != Role::owner || actor == Role::owner;
}

}  // namespace clientele::auth
