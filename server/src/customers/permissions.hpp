// The customers area's permissions (auth/permission.hpp): owners and admins hold them all.
#pragma once

#include "auth/permission.hpp"

namespace clientele::customers::perm {

using auth::Role;

inline constexpr auth::Permission read{"customers.read",
                                       "See customers and search them",
                                       {Role::sales, Role::support, Role::marketing, Role::viewer}};
inline constexpr auth::Permission write{"customers.write",
                                        "Create and edit customers, restore archived ones",
                                        {Role::sales, Role::support}};
inline constexpr auth::Permission remove{
    "customers.delete", "Archive (soft-delete) customers", {Role::sales}};
inline constexpr auth::Permission lists{
    "settings.manage", "Edit the workspace's lists: titles, tags, industries", {}};

}  // namespace clientele::customers::perm
