// The loyalty area's job kinds: loyalty.order_changed {order_id} (a workspace's), and the daily
// platform runs loyalty.expire and loyalty.tiers.
#pragma once

namespace clientele {
struct Config;
}
namespace clientele::jobs {
class Registry;
}

namespace clientele::loyalty {

void register_jobs(jobs::Registry& registry, const Config& config);

}  // namespace clientele::loyalty
