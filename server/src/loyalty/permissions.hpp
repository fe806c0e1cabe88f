// The loyalty area's permissions (auth/permission.hpp): owners and admins hold them all, and with
// them the program's settings (settings.manage).
#pragma once

#include "auth/permission.hpp"

namespace clientele::loyalty::perm {

using auth::Role;

inline constexpr auth::Permission read{
    "loyalty.read",
    "See customers' loyalty points, tiers and ledgers, and the loyalty program",
    {Role::sales, Role::support, Role::marketing, Role::viewer}};
inline constexpr auth::Permission adjust{
    "loyalty.adjust",
    "Adjust a customer's points with a reason, and redeem points",
    {Role::support}};

}  // namespace clientele::loyalty::perm
