#include "jobs/worker.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <random>

#include "core/time.hpp"
#include "jobs/registry.hpp"
#include "store/db.hpp"

namespace clientele::jobs {

namespace json = boost::json;

namespace {
// Unique per process, readable in the jobs table: host, process id and a random part (a restarted
// process may get its old pid back, and must not own its predecessor's leases).
std::string instance_name() {
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    std::random_device random;
    return fmt::format("{}:{}:{:08x}", host, getpid(), random());
}
}  // namespace

Workers::Workers(store::Database& db, const Registry& registry, WorkerOptions options)
    : db_(db),
      registry_(registry),
      options_(options),
      instance_(instance_name()),
      shutting_down_([this] { return stopping_.load(); }) {}

Workers::~Workers() {
    stop();
}

void Workers::start() {
    install_schedules(db_, registry_);
    for (int i = 0; i < options_.threads; ++i) {
        threads_.emplace_back([this, i] { work(i); });
    }
    threads_.emplace_back([this] { keep_leases(); });
    spdlog::info("{} job workers started ({})", options_.threads, instance_);
}

void Workers::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_.exchange(true)) {
            return;
        }
    }
    wake_.notify_all();
    for (auto& thread : threads_) {
        thread.join();
    }
    threads_.clear();
}

bool Workers::wait(std::chrono::milliseconds how_long) {
    std::unique_lock lock(mutex_);
    return !wake_.wait_for(lock, how_long, [this] { return stopping_.load(); });
}

void Workers::work(int index) {
    std::string owner = fmt::format("{}/{}", instance_, index);
    while (!stopping_) {
        try {
            run_one(owner, index);
        } catch (const std::exception& e) {
            // The database is away (PostgreSQL restarting, disk full): try again after a pause.
            spdlog::warn("job worker {}: {}", owner, e.what());
            wait(options_.poll * 4);
        }
    }
}

// Runs the job due first (with the others of its kind that are due, for a batchable kind), or
// waits a poll interval when none is due.
void Workers::run_one(const std::string& owner, int index) {
    std::string now = now_timestamp();
    // Reads first: an idle worker must not take the write lock every poll.
    auto [kind, expired] = db_.read(std::nullopt, [&](store::Tx& tx) {
        bool any_expired = tx.query(
                                 "SELECT 1 FROM jobs WHERE state = 'running'"
                                 " AND lease_until <= ? LIMIT 1",
                                 now)
                               .step();
        return std::pair(next_due_kind(tx, now), any_expired);
    });
    if (expired) {
        int64_t n =
            db_.write(std::nullopt, [&](store::Tx& tx) { return reclaim_expired(tx, now); });
        if (n > 0) {
            spdlog::warn("{} jobs whose worker stopped are due again", n);
        }
        return;  // the next round sees them due
    }
    if (!kind) {
        wait(options_.poll);
        return;
    }
    std::string lease_until = format_timestamp(Clock::now() + options_.lease);
    std::optional<int64_t> only;
    if (const Effect* effect = registry_.find_batchable(*kind); effect && options_.batch > 1) {
        only = run_batch(*kind, *effect, now);
        if (!only) {
            return;
        }
    }
    auto job = db_.write(std::nullopt,
                         [&](store::Tx& tx) { return claim(tx, owner, now, lease_until, only); });
    if (job) {
        run(owner, index, std::move(*job));
    }  // else another worker was quicker
}

// Takes up to options_.batch due jobs of a batchable kind and, in the same write transaction,
// applies each one's effect and marks it done: the batch commits whole or not at all, so a crash
// leaves all of it queued (no lease to wait for) and each effect still commits once, with its
// job's completion. When an effect throws, nothing of the batch commits and that job's id is
// returned, for it to run alone (its attempt counted, retried as any job) while the others are
// taken again without it.
std::optional<int64_t> Workers::run_batch(const std::string& kind, const Effect& effect,
                                          const std::string& now) {
    std::optional<int64_t> failed;
    std::chrono::steady_clock::duration busy{};
    try {
        size_t done = db_.write(std::nullopt, [&](store::Tx& tx) {
            auto start = std::chrono::steady_clock::now();
            failed.reset();
            std::vector<Job> jobs = take_due(tx, kind, now, options_.batch);
            for (const Job& job : jobs) {
                failed = job.id;
                json::value payload = json::parse(job.payload);
                store::Tx scoped = job.tenant_id ? tx.workspace(*job.tenant_id) : tx.system();
                if (!finish_taken(tx, job.id, json::serialize(effect(scoped, job, payload)))) {
                    throw std::logic_error("a job taken in this transaction is gone");
                }
            }
            failed.reset();
            busy = std::chrono::steady_clock::now() - start;
            return jobs.size();
        });
        spdlog::debug("{} jobs ({}) done in one transaction", done, kind);
        if (db_.pending_writes() > 0) {
            wait(std::chrono::duration_cast<std::chrono::milliseconds>(
                busy * (1 / options_.busy_share - 1)));
        }
    } catch (const std::exception& e) {
        if (!failed) {
            throw;  // the database's failure, not a job's: the worker pauses
        }
        spdlog::debug("job {} ({}) failed in its batch, runs alone: {}", *failed, kind, e.what());
    }
    return failed;
}

// Runs a job claimed for `owner` through its handler, and records how it ended.
void Workers::run(const std::string& owner, int index, Job job) {
    {
        std::lock_guard lock(mutex_);
        running_[index] = job.id;
    }
    int64_t id = job.id;
    std::string kind = job.kind;
    int64_t attempts = job.attempts;
    auto forget = [&] {
        std::lock_guard lock(mutex_);
        running_.erase(index);
    };
    auto fail = [&](const std::string& error, bool permanent) {
        spdlog::warn("job {} ({}) attempt {} failed: {}", id, kind, attempts, error);
        std::string retry_at = format_timestamp(Clock::now() + backoff(attempts, options_.backoff));
        db_.write(std::nullopt,
                  [&](store::Tx& tx) { mark_failed(tx, id, owner, error, retry_at, permanent); });
    };
    try {
        const Handler* handler = registry_.find(kind);
        if (!handler) {
            throw Permanent(fmt::format("no handler for job kind {}", kind));
        }
        Run run(db_, std::move(job), owner, options_.lease, shutting_down_);
        (*handler)(run);
        if (!run.completed()) {
            run.complete();
        }
        spdlog::debug("job {} ({}) done", id, kind);
    } catch (const Stopped&) {
        spdlog::info("job {} ({}) stopped: cancelled or taken over", id, kind);
    } catch (const Released&) {
        db_.write(std::nullopt, [&](store::Tx& tx) { release(tx, id, owner); });
    } catch (const Permanent& e) {
        fail(e.what(), true);
    } catch (const std::exception& e) {
        fail(e.what(), false);
    }
    forget();
}

// Renews the leases of running jobs a few times per lease, so that a long job is not taken for
// a crashed one, while a crashed process's jobs come back within one lease.
void Workers::keep_leases() {
    auto period =
        std::max<std::chrono::milliseconds>(std::chrono::milliseconds(100), options_.lease / 3);
    while (wait(period)) {
        std::map<int, int64_t> running;
        {
            std::lock_guard lock(mutex_);
            running = running_;
        }
        if (running.empty()) {
            continue;
        }
        std::string until = format_timestamp(Clock::now() + options_.lease);
        try {
            db_.write(std::nullopt, [&](store::Tx& tx) {
                for (const auto& [index, id] : running) {
                    renew_lease(tx, id, fmt::format("{}/{}", instance_, index), until);
                }
            });
        } catch (const std::exception& e) {
            spdlog::warn("renewing job leases: {}", e.what());
        }
    }
}

}  // namespace clientele::jobs
