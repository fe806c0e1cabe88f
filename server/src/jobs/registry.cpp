#include "jobs/registry.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/time.hpp"
#include "store/db.hpp"

namespace clientele::jobs {

namespace json = boost::json;

namespace {
std::string lease_end(std::chrono::seconds lease) {
    return format_timestamp(Clock::now() + lease);
}
}  // namespace

Run::Run(store::Database& db, Job job, std::string owner, std::chrono::seconds lease,
         const std::function<bool()>& shutting_down)
    : db_(db),
      job_(std::move(job)),
      owner_(std::move(owner)),
      lease_(lease),
      shutting_down_(shutting_down) {
    boost::system::error_code ec;
    payload_ = json::parse(job_.payload, ec);
    if (ec) {
        throw Permanent("the payload is not JSON");
    }
}

void Run::progress(int64_t done, std::optional<int64_t> total) {
    if (shutting_down_()) {
        throw Released();
    }
    bool ours = db_.write(std::nullopt, [&](store::Tx& tx) {
        return report_progress(tx, job_.id, owner_, done, total, lease_end(lease_));
    });
    if (!ours) {
        throw Stopped();
    }
}

void Run::complete(const std::function<json::value(store::Tx&)>& effect) {
    db_.write(job_.tenant_id, [&](store::Tx& tx) {
        std::string result = json::serialize(effect(tx));
        store::Tx system = tx.system();
        if (!mark_done(system, job_.id, owner_, result)) {
            throw Stopped();  // rolls the effect back: another worker owns the job now
        }
    });
    completed_ = true;
}

void Run::complete(json::value result) {
    complete([&](store::Tx&) { return result; });
}

void Registry::add(std::string kind, Handler handler) {
    auto [it, added] = handlers_.emplace(std::move(kind), std::move(handler));
    if (!added) {
        throw std::logic_error("job kind " + it->first + " is registered twice");
    }
}

void Registry::add_batchable(std::string kind, Effect effect) {
    // Run alone (a retry of a job that failed in its batch, or a batch of one), it is an ordinary
    // handler completing with its effect.
    add(kind, [effect](Run& run) {
        run.complete([&](store::Tx& tx) { return effect(tx, run.job(), run.payload()); });
    });
    effects_.emplace(std::move(kind), std::move(effect));
}

void Registry::add_schedule(PlannedSchedule schedule) {
    schedules_.push_back(std::move(schedule));
}

const Handler* Registry::find(std::string_view kind) const {
    auto it = handlers_.find(kind);
    return it == handlers_.end() ? nullptr : &it->second;
}

const Effect* Registry::find_batchable(std::string_view kind) const {
    auto it = effects_.find(kind);
    return it == effects_.end() ? nullptr : &it->second;
}

std::vector<std::string> Registry::kinds() const {
    std::vector<std::string> out;
    for (const auto& [kind, handler] : handlers_) {
        out.push_back(kind);
    }
    return out;
}

void install_schedules(store::Database& db, const Registry& registry) {
    for (const PlannedSchedule& planned : registry.schedules()) {
        const Schedule& s = planned.schedule;
        std::string payload =
            json::serialize(planned.payload.is_null() ? json::object() : planned.payload);
        db.write(std::nullopt, [&](store::Tx& tx) {
            std::string now = now_timestamp();
            // Instances starting together: the second one's insert waits for the first and does
            // nothing; both then see the same row.
            tx.exec(
                "INSERT INTO job_schedules (tenant_id, name, kind, payload, every_minutes,"
                " daily_at, time_zone, created_at, updated_at)"
                " VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING",
                planned.name, planned.kind, payload, s.every_minutes, s.daily_at, s.time_zone, now,
                now);
            // A schedule whose definition changed (a new backup time) replaces its queued run.
            int64_t changed = tx.exec(
                "UPDATE job_schedules SET kind = ?, payload = ?, every_minutes = ?, daily_at = ?,"
                " time_zone = ?, updated_at = ? WHERE name = ? AND NOT (kind = ? AND payload = ?"
                " AND COALESCE(every_minutes, -1) = ? AND COALESCE(daily_at, '') = ?"
                " AND time_zone = ?)",
                planned.kind, payload, s.every_minutes, s.daily_at, s.time_zone, now, planned.name,
                planned.kind, payload, s.every_minutes.value_or(-1), s.daily_at.value_or(""),
                s.time_zone);
            auto q = tx.query("SELECT id FROM job_schedules WHERE name = ?", planned.name);
            q.step();
            int64_t id = q.int64(0);
            q.run();
            if (changed > 0) {
                tx.exec("DELETE FROM jobs WHERE schedule_id = ? AND state IN ('queued', 'failed')",
                        id);
            }
            bool pending = tx.query(
                                 "SELECT 1 FROM jobs WHERE schedule_id = ?"
                                 " AND state IN ('queued', 'failed', 'running') LIMIT 1",
                                 id)
                               .step();
            if (!pending) {
                enqueue(tx, planned.kind, json::parse(payload),
                        {.run_at = format_timestamp(next_run(s, Clock::now())),
                         .max_attempts = 3,
                         .schedule_id = id});
            }
        });
    }
}

}  // namespace clientele::jobs
