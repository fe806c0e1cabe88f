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

// Fails while the attempt is below `fail_until_attempt`, or always with `always_fail`.
void fail_if_asked(const Job& job, const json::value& payload) {
    if (option(payload, "always_fail") || job.attempts < option(payload, "fail_until_attempt")) {
        throw std::runtime_error("test.touch failed on purpose (attempt " +
                                 std::to_string(job.attempts) + ")");
    }
}

// Counts one committed run of the job in job_test_effects.
json::value count_run(store::Tx& tx, const Job& job) {
    tx.exec(tx.scoped() ? "INSERT INTO job_test_effects (job_id, tenant_id, runs)"
                          " VALUES (?, :tenant, 1) ON CONFLICT (job_id) DO UPDATE"
                          " SET runs = job_test_effects.runs + 1"
                        : "INSERT INTO job_test_effects (job_id, tenant_id, runs)"
                          " VALUES (?, NULL, 1) ON CONFLICT (job_id) DO UPDATE"
                          " SET runs = job_test_effects.runs + 1",
            job.id);
    return json::object{{"touched", job.id}};
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
    fail_if_asked(run.job(), payload);
    run.complete([&](store::Tx& tx) { return count_run(tx, run.job()); });
}

// The batchable twin: its sleep is inside the transaction, so a kill can land mid-batch.
json::value touch_batched(store::Tx& tx, const Job& job, const json::value& payload) {
    std::this_thread::sleep_for(std::chrono::milliseconds(option(payload, "sleep_ms")));
    fail_if_asked(job, payload);
    return count_run(tx, job);
}
}  // namespace

void register_test_jobs(Registry& registry) {
    registry.add("test.touch", touch);
    registry.add_batchable("test.touch_batched", touch_batched);
}

}  // namespace clientele::jobs
