#include "audit/retention.hpp"

#include <boost/json/object.hpp>

#include "audit/trail.hpp"
#include "core/config.hpp"
#include "jobs/registry.hpp"

namespace clientele::audit {

void register_jobs(jobs::Registry& registry, const Config& config) {
    registry.add("audit.retention", [days = config.audit_retention_days](jobs::Run& run) {
        // One transaction: an interrupted run removed nothing, and the next one removes it all.
        run.complete([&](store::Tx& tx) {
            return boost::json::object{{"removed", prune(tx, days)}, {"days", days}};
        });
    });
    registry.add_schedule({.name = "audit.retention",
                           .kind = "audit.retention",
                           .schedule = jobs::Schedule::daily("03:15"),
                           .payload = boost::json::object()});
}

}  // namespace clientele::audit
