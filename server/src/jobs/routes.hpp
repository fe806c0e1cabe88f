// The jobs API: a workspace's background jobs, their progress, retry and cancel (jobs.manage).
#pragma once

#include "area.hpp"

namespace clientele::jobs {

void register_routes(http::Router& router, App& app);

}  // namespace clientele::jobs
