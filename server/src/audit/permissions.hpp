// The audit trail's permission (auth/permission.hpp): owners and admins hold it.
#pragma once

#include "auth/permission.hpp"

namespace clientele::audit::perm {

inline constexpr auth::Permission read{
    "audit.read", "See the audit log: who changed what, and when", {}};

}  // namespace clientele::audit::perm
