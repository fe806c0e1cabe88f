// The audit trail's retention: a daily platform job that removes entries older than
// --audit-retention-days (the only deletion the table's triggers allow: audit/trail.hpp).
#pragma once

namespace clientele {
struct Config;
}
namespace clientele::jobs {
class Registry;
}

namespace clientele::audit {

void register_jobs(jobs::Registry& registry, const Config& config);

}  // namespace clientele::audit
