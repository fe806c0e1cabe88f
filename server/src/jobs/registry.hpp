// What the workers can run: each job kind's handler, and the recurring schedules. Areas add their
// kinds with one plain registration function each (customers::register_jobs, …), called once at
// start-up; the registry is read-only afterwards.
#pragma once

#include <boost/json/value.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "jobs/queue.hpp"
#include "jobs/schedule.hpp"

namespace clientele::store {
class Database;
class Tx;
}  // namespace clientele::store

namespace clientele::jobs {

//! Thrown to a handler (from Run::progress or Run::complete) when it must stop at once: its job
//! was cancelled, or its lease was lost to another worker. Nothing more is recorded for the run.
class Stopped : public std::exception {
  public:
    const char* what() const noexcept override { return "the job was cancelled or taken over"; }
};

//! Thrown to a handler when the worker shuts down: the job goes back to the queue unharmed.
class Released : public std::exception {
  public:
    const char* what() const noexcept override { return "the worker is shutting down"; }
};

//! A failure no retry can mend (a payload that makes no sense): the job is dead at once.
class Permanent : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

//! One run of a job, as its handler sees it.
class Run {
  public:
    Run(store::Database& db, Job job, std::string owner, std::chrono::seconds lease,
        const std::function<bool()>& shutting_down);

    const Job& job() const { return job_; }
    //! The payload as JSON (an object unless the enqueuer chose otherwise).
    const boost::json::value& payload() const { return payload_; }
    store::Database& db() { return db_; }

    //! Records progress and renews the lease. Throws Stopped when the job was cancelled or taken
    //! over, and Released when the worker is shutting down: report progress often enough (every
    //! second or so) for cancellation and shutdown to be prompt.
    void progress(int64_t done, std::optional<int64_t> total = std::nullopt);

    //! Marks the job done with the result `effect` returns, after running `effect` in the same
    //! write transaction (scoped to the job's workspace, or a system one for platform jobs): the
    //! effect commits exactly when the job is marked done. Throws Stopped (and the effect is
    //! rolled back) when the job is no longer this worker's. `effect` may run more than once
    //! (see store::Database::write).
    void complete(const std::function<boost::json::value(store::Tx&)>& effect);
    void complete(boost::json::value result = nullptr);
    bool completed() const { return completed_; }

  private:
    store::Database& db_;
    Job job_;
    boost::json::value payload_;
    std::string owner_;
    std::chrono::seconds lease_;
    const std::function<bool()>& shutting_down_;
    bool completed_ = false;
};

//! A handler must be idempotent: it may run again after a crash, a lost lease or a retry.
using Handler = std::function<void(Run&)>;

//! The whole work of a job of a batchable kind: its database effect, in a write transaction scoped
//! to the job's workspace (a system one for platform jobs) that marks the job done with the
//! result returned. It may run more than once (like a write function) and must not report
//! progress; it throws to fail the attempt (jobs::Permanent: no retry).
using Effect =
    std::function<boost::json::value(store::Tx&, const Job&, const boost::json::value& payload)>;

struct PlannedSchedule {
    std::string name;  //!< unique, stable: the schedule's row is found by it
    std::string kind;
    Schedule schedule;
    boost::json::value payload;
};

class Registry {
  public:
    //! Registers the handler of a kind (one per kind: a second is a programming error).
    void add(std::string kind, Handler handler);
    //! Registers a kind whose jobs are only a database effect. Workers claim due jobs of such a
    //! kind together and run a batch of them in one write transaction (their effects and their
    //! completions), so a job costs no transaction of its own; a job that fails runs again alone.
    void add_batchable(std::string kind, Effect effect);
    //! A platform schedule: its row is created or updated when workers start.
    void add_schedule(PlannedSchedule schedule);

    const Handler* find(std::string_view kind) const;
    //! The effect of a batchable kind; nullptr for the others.
    const Effect* find_batchable(std::string_view kind) const;
    const std::vector<PlannedSchedule>& schedules() const { return schedules_; }
    std::vector<std::string> kinds() const;

  private:
    std::map<std::string, Handler, std::less<>> handlers_;
    std::map<std::string, Effect, std::less<>> effects_;
    std::vector<PlannedSchedule> schedules_;
};

//! Writes the registry's schedules into job_schedules (a changed one replaces its queued run) and
//! makes sure each has its next run queued. Safe to run from several instances at once.
void install_schedules(store::Database& db, const Registry& registry);

//! `test.touch` (only with --enable-test-jobs): sleeps `sleep_ms`, optionally in `steps` with
//! progress, fails while its attempt is below `fail_until_attempt` (or always with `always_fail`),
//! then counts one run in job_test_effects, in the transaction that marks it done.
//! `test.touch_batched` is its batchable twin (sleep_ms, fail_until_attempt, always_fail).
void register_test_jobs(Registry& registry);

}  // namespace clientele::jobs
