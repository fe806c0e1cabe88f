// The orders area's permissions (auth/permission.hpp): owners and admins hold them all. Carts
// (carts/) use them too: a cart is an order in the making.
#pragma once

#include "auth/permission.hpp"

namespace clientele::orders::perm {

using auth::Role;

inline constexpr auth::Permission read{"orders.read",
                                       "See orders, carts and customers' purchase history",
                                       {Role::sales, Role::support, Role::marketing, Role::viewer}};
inline constexpr auth::Permission write{
    "orders.write",
    "Push orders and carts in, change an order's status, record refunds",
    {Role::sales}};

}  // namespace clientele::orders::perm
