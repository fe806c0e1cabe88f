// The job queue (DESIGN.md §7): jobs are rows of the `jobs` table, written in the transaction of
// the change that causes them (an outbox), claimed by workers under a lease, retried with backoff.
//
// Delivery is at least once: a worker that dies mid-job leaves a lease that expires, and the job
// runs again. Handlers make that harmless by being idempotent, and by committing their database
// effect in the same transaction that marks the job done (Run::complete), which only succeeds
// while the worker still holds the lease.
//
// Workspace jobs (tenant_id set) are read through workspace transactions like every business
// row; platform jobs (clean-ups, backups) have no workspace and are reached in system
// transactions only. Claiming and the bookkeeping of workers are platform-wide (system).
#pragma once

#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/id_page.hpp"

namespace clientele::store {
class Tx;
}

namespace clientele::jobs {

enum class State : uint8_t { queued, running, done, failed, dead, cancelled };
std::string_view state_name(State state);
std::optional<State> parse_state(std::string_view name);

struct Job {
    int64_t id = 0;
    std::optional<int64_t> tenant_id;
    std::string kind;
    std::string payload;  //!< JSON
    std::string state;
    std::string run_at;
    int64_t attempts = 0;
    int64_t max_attempts = 0;
    std::optional<std::string> last_error;
    int64_t progress_done = 0;
    std::optional<int64_t> progress_total;
    std::optional<std::string> result;  //!< JSON
    std::optional<int64_t> schedule_id = {};
    std::string created_at, updated_at;
    std::optional<std::string> finished_at;
};

//! The API's view of a job: id, kind, state, progress {done, total}, error, result, attempts,
//! run_at, created_at, updated_at, finished_at.
boost::json::object to_json(const Job& job);

struct EnqueueOptions {
    std::optional<std::string> run_at = {};  //!< a timestamp; default: now
    int max_attempts = 5;
    std::optional<int64_t> schedule_id = {};
    //! Records "job.queued" in the workspace's trail. A job that merely follows from a change
    //! recorded in its own entry (an order's points) leaves it out: one entry per change, not two.
    bool audited = true;
};

//! Queues a job in the caller's transaction: it exists exactly when that transaction commits. A
//! workspace transaction makes a job of that workspace; a system one a platform job. Returns the
//! job's id (nullopt only for a scheduled run that was already queued).
std::optional<int64_t> enqueue(store::Tx& tx, std::string_view kind,
                               const boost::json::value& payload,
                               const EnqueueOptions& options = {});

// ---------------------------------------------------------------------------------------------
// What workers do (system transactions)

//! The kind of the job due first, if any: a cheap read, so idle workers need not take the write
//! lock.
std::optional<std::string> next_due_kind(store::Tx& tx, std::string_view now);

//! Takes the next due job (or job `id`, when it is due) for `owner` until `lease_until` and counts
//! the attempt; nullopt when none is due. On PostgreSQL concurrent claimers skip each other's rows
//! (FOR UPDATE SKIP LOCKED); SQLite's single writer makes the claim atomic anyway. A scheduled
//! run's next run is queued in the same transaction.
std::optional<Job> claim(store::Tx& tx, std::string_view owner, std::string_view now,
                         std::string_view lease_until, std::optional<int64_t> id = std::nullopt);

//! Up to `limit` due jobs of one kind, in queue order (run_at, id), for the caller to run and
//! finish in this same transaction: no lease, as the transaction itself holds them (PostgreSQL:
//! locked, and skipped by other claimers; SQLite: its one writer). Each one's attempts count this
//! attempt. A scheduled run's next run is queued here.
std::vector<Job> take_due(store::Tx& tx, std::string_view kind, std::string_view now, int limit);

//! Marks a job take_due returned done with `result` (JSON), counting the attempt; false when it
//! is no longer due (the caller must roll back).
bool finish_taken(store::Tx& tx, int64_t id, std::string_view result);

//! Jobs whose worker stopped renewing its lease (it crashed or hung) become due again, or dead
//! when they have used their attempts. Returns how many.
int64_t reclaim_expired(store::Tx& tx, std::string_view now);

//! Extends the lease and records progress; false when the job is no longer this owner's running
//! job (cancelled, or the lease was lost).
bool report_progress(store::Tx& tx, int64_t id, std::string_view owner, int64_t done,
                     std::optional<int64_t> total, std::string_view lease_until);
bool renew_lease(store::Tx& tx, int64_t id, std::string_view owner, std::string_view lease_until);

//! Marks the job done with `result` (JSON): false when it is not this owner's running job any
//! more, in which case the caller must roll its transaction back.
bool mark_done(store::Tx& tx, int64_t id, std::string_view owner, std::string_view result);

//! Records a failed attempt: due again at `retry_at` (state failed), or dead once its attempts
//! are used up or `permanent`.
void mark_failed(store::Tx& tx, int64_t id, std::string_view owner, std::string_view error,
                 std::string_view retry_at, bool permanent);

//! Gives a running job back to the queue without counting the attempt (graceful shutdown).
void release(store::Tx& tx, int64_t id, std::string_view owner);

//! Exponential backoff with jitter after `attempts` failed attempts: base·2^(attempts−1), at most
//! an hour, times a random factor in [0.5, 1.5).
std::chrono::milliseconds backoff(int64_t attempts, std::chrono::milliseconds base);

// ---------------------------------------------------------------------------------------------
// The API's queries

struct ListFilter {
    std::optional<State> state;
    std::optional<std::string> kind;
};
//! A page of jobs, newest first, with ids below `before`. Workspace transactions list their
//! workspace's jobs, system ones the platform's.
store::IdPage<Job> list(store::Tx& tx, const ListFilter& filter, int limit, int64_t before);
std::optional<Job> find(store::Tx& tx, int64_t id);
//! failed or dead → queued, due now (a dead job gets its attempts back). 404 when there is no
//! such job, 409 in any other state. Returns the job as it is now.
Job retry(store::Tx& tx, int64_t id);
//! queued, failed or running → cancelled (a running job's handler sees it at its next progress
//! report). 404 / 409 as retry.
Job cancel(store::Tx& tx, int64_t id);

}  // namespace clientele::jobs
