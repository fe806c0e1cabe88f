// The worker threads that run jobs: inside `clientele serve` (--job-workers) or alone in
// `clientele worker`. Never the server's I/O threads: each worker is a thread of its own that
// blocks on its handler.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "jobs/registry.hpp"

namespace clientele::store {
class Database;
}

namespace clientele::jobs {

struct WorkerOptions {
    int threads = 1;
    //! How long a claim lasts without renewal; a crashed worker's jobs run again after it.
    std::chrono::seconds lease{60};
    //! How often an idle worker looks for due jobs.
    std::chrono::milliseconds poll{500};
    //! The first retry's delay (doubling with each further failure, with jitter).
    std::chrono::milliseconds backoff{10000};
    //! Most due jobs of a batchable kind run in one write transaction (1: each alone).
    int batch = 100;
    //! While other writes queue for the writer thread, batches take at most this share of its
    //! time (a pause after each): the requests go first, and the backlog drains once they ease.
    double busy_share = 0.05;
};

class Workers {
  public:
    Workers(store::Database& db, const Registry& registry, WorkerOptions options);
    ~Workers();
    Workers(const Workers&) = delete;
    Workers& operator=(const Workers&) = delete;

    //! Installs the schedules and starts the threads.
    void start();
    //! Stops claiming; running jobs finish or, at their next progress report, go back to the
    //! queue. Returns when every thread has ended.
    void stop();

  private:
    void work(int index);
    void keep_leases();
    void run_one(const std::string& owner, int index);
    std::optional<int64_t> run_batch(const std::string& kind, const Effect& effect,
                                     const std::string& now);
    void run(const std::string& owner, int index, Job job);
    bool wait(std::chrono::milliseconds how_long);

    store::Database& db_;
    const Registry& registry_;
    WorkerOptions options_;
    std::string instance_;  //!< this process's part of lease owners
    std::atomic<bool> stopping_{false};
    std::function<bool()> shutting_down_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::map<int, int64_t> running_;  //!< worker index → its job, for lease renewal
    std::vector<std::thread> threads_;
};

}  // namespace clientele::jobs
