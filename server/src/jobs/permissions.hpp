// The jobs area's permission (auth/permission.hpp): owners and admins hold it.
#pragma once

#include "auth/permission.hpp"

namespace clientele::jobs::perm {

inline constexpr auth::Permission manage{
    "jobs.manage", "See the workspace's background jobs, retry and cancel them", {}};

}  // namespace clientele::jobs::perm
