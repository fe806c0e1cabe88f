// The job kind the integration tests drive: a real handler with a database effect, registered
// only with --enable-test-jobs.
#include <boost/json/value.hpp>
#include <thread>

#include "jobs/registry.hpp"
#include "store/db.hpp"

namespace clientele::jobs {

namespace json = boost::json;

namespace {
int64_t option(const json::value& payload, std::string_view name) {
    const auto* object = payload.if_object();
    const json::value* value = object ? object->if_contains(name) : nullptr;
    return value && value->is_int64() ? value->as_int64() : 0;
}

void touch(Run& run) {
    const json::value& payload = run.payload();
    int64_t steps = std::max<int64_t>(1, option(payload, "steps"));
    auto pause = std::chrono::milliseconds(option(payload, "sleep_ms") / steps);
    for (int64_t step = 0; step < steps; ++step) {
        std::this_thread::sleep_for(pause);
        if (steps > 1) {
            run.progress(step + 1, steps);
        }
    }
    if (option(payload, "always_fail") ||
        run.job().attempts < option(payload, "fail_until_attempt")) {
        throw std::runtime_error("test.touch failed on purpose (attempt " +
                                 std::to_string(run.job().attempts) + ")");
    }
    run.complete([&](store::Tx& tx) {
        tx.exec(tx.scoped() ? "INSERT INTO job_test_effects (job_id, tenant_id, runs)"
                              " VALUES (?, :tenant, 1) ON CONFLICT (job_id) DO UPDATE"
                              " SET runs = job_test_effects.runs + 1"
                            : "INSERT INTO job_test_effects (job_id, tenant_id, runs)"
                              " VALUES (?, NULL, 1) ON CONFLICT (job_id) DO UPDATE"
                              " SET runs = job_test_effects.runs + 1",
                run.job().id);
        return json::value(json::object{{"touched", run.job().id}});
    });
}
}  // namespace

void register_test_jobs(Registry& registry) {
    registry.add("test.touch", touch);
}

}  // namespace clientele::jobs
