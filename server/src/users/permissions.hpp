// The users area's permissions (auth/permission.hpp): owners and admins hold them all.
#pragma once

#include "auth/permission.hpp"

namespace clientele::users::perm {

inline constexpr auth::Permission read{"users.read", "See the workspace's users", {}};
inline constexpr auth::Permission manage{
    "users.manage", "Invite users, change their roles, deactivate them", {}};

}  // namespace clientele::users::perm
