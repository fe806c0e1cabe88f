// A permission: what a route needs, declared by the area it belongs to (customers/permissions.hpp,
// users/permissions.hpp, …) rather than in one central list. Owners and admins hold every
// permission; each permission names which of the other roles hold it as well.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>

#include "auth/roles.hpp"

namespace clientele::auth {

//! A set of roles, as bits indexed by Role.
class RoleSet {
  public:
    constexpr RoleSet() = default;
    constexpr RoleSet(std::initializer_list<Role> roles) {
        for (Role role : roles) {
            bits_ |= bit(role);
        }
    }
    constexpr bool contains(Role role) const { return (bits_ & bit(role)) != 0; }

  private:
    static constexpr uint32_t bit(Role role) { return uint32_t(1) << uint32_t(role); }
    uint32_t bits_ = 0;
};

struct Permission {
    std::string_view name;         //!< in the API: "customers.read"
    std::string_view description;  //!< what it allows, in a sentence
    RoleSet granted;               //!< the roles besides owner and admin that hold it
};

inline bool role_allows(Role role, const Permission& permission) {
    return role == Role::owner || role == Role::admin || permission.granted.contains(role);
}

}  // namespace clientele::auth
