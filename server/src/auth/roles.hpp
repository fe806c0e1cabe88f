// The roles of a workspace's people. What each may do is declared with the permissions, by the
// areas that own them (auth/permission.hpp); the pipeline checks a route's permission against the
// caller's role before the handler runs.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace clientele::store {
class Query;
}

namespace clientele::auth {

enum class Role : uint8_t { owner, admin, sales, support, marketing, viewer };

inline constexpr std::array roles = {Role::owner,   Role::admin,     Role::sales,
                                     Role::support, Role::marketing, Role::viewer};

std::string_view role_name(Role role);
//! What the role is for, in a sentence (shown where roles are chosen).
std::string_view role_description(Role role);
std::optional<Role> parse_role(std::string_view name);
//! Reads a stored role (store/columns.hpp); an unknown one (a row from a newer version) gets the
//! least rights.
void read_value(const store::Query& q, int column, Role& role);
//! Whether `actor` may give `target` to someone or take it away: only an owner deals in owners.
inline bool may_assign(Role actor, Role target) {
    return target != Role::owner || actor == Role::owner;
}

}  // namespace clientele::auth
