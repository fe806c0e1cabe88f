// The store over any backend: queries, the workspace rule, the read pool and the group-commit
// writer.
#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "store/backends.hpp"

namespace clientele::store {

bool is_postgres_url(std::string_view location) {
    return location.starts_with("postgres://") || location.starts_with("postgresql://");
}

// ---------------------------------------------------------------------------------------------
// Query

Query::Query(Connection& connection, Statement& statement)
    : connection_(&connection), statement_(&statement) {}

Query::Query(Query&& other) noexcept
    : connection_(other.connection_),
      statement_(std::exchange(other.statement_, nullptr)),
      next_(other.next_) {}

Query::~Query() {
    if (statement_) {
        connection_->release(*statement_);
    }
}

int64_t Query::run() {
    while (step()) {
    }
    return statement_->changes();
}

int64_t Query::run_returning_id() {
    if (!step()) {
        throw std::logic_error("an insert returned no id");
    }
    int64_t id = int64(0);
    run();  // to the statement's end
    return id;
}

std::optional<std::string> Query::optional_text(int column) const {
    if (is_null(column))
        return std::nullopt;
    return std::string(text(column));
}

std::optional<int64_t> Query::optional_int64(int column) const {
    if (is_null(column))
        return std::nullopt;
    return int64(column);
}

// ---------------------------------------------------------------------------------------------
// Tx

int64_t Tx::tenant() const {
    if (!tenant_) {
        throw std::logic_error("a system transaction has no workspace");
    }
    return *tenant_;
}

void Tx::exec_script(std::string_view sql) {
    if (tenant_) {
        throw std::logic_error("scripts run in system transactions only");
    }
    connection_.exec(sql);
}

Query Tx::start(std::string_view sql, bool global) {
    Statement& statement = connection_.prepare(sql);
    Query query(connection_, statement);
    int tenant_index = statement.tenant_index();
    if (tenant_ && tenant_index == 0 && !global) {
        throw std::logic_error(fmt::format("workspace query without :tenant: {}", sql));
    }
    if (!tenant_ && tenant_index != 0) {
        throw std::logic_error(fmt::format("workspace query in a system transaction: {}", sql));
    }
    if (tenant_ && tenant_index != 0) {
        query.bind_tenant(*tenant_);
    }
    return query;
}

// ---------------------------------------------------------------------------------------------
// Database: read pool and group-commit writer

struct Database::Impl {
    std::function<std::unique_ptr<Connection>(bool read_only)> connect;
    size_t max_batch = 0;

    size_t max_readers = 0;
    std::chrono::milliseconds reader_wait{0};
    std::mutex readers_mutex;
    std::condition_variable reader_released;
    std::vector<std::unique_ptr<Connection>> idle_readers;
    size_t open_readers = 0;  //!< idle and in use; never above max_readers

    std::unique_ptr<Connection> writer;
    std::thread writer_thread;
    std::mutex queue_mutex;
    std::condition_variable queue_ready;
    std::deque<WriteJob*> queue;
    bool stopping = false;
    std::atomic<uint64_t> transactions{0}, commits{0};
    std::atomic<size_t> unfinished{0};  // submitted writes whose outcome is not yet told

    // An idle read connection, or a new one while fewer than max_readers are open; else waits up
    // to reader_wait for one to be given back, and then the database is "unavailable" (503): a
    // bounded pool, so that instances cannot together exhaust PostgreSQL's connections.
    std::unique_ptr<Connection> acquire_reader() {
        {
            std::unique_lock lock(readers_mutex);
            bool ready = reader_released.wait_for(lock, reader_wait, [&] {
                return !idle_readers.empty() || open_readers < max_readers;
            });
            if (!ready) {
                throw Unavailable(fmt::format("all {} read connections stayed busy", max_readers));
            }
            if (!idle_readers.empty()) {
                auto connection = std::move(idle_readers.back());
                idle_readers.pop_back();
                return connection;
            }
            ++open_readers;
        }
        try {
            return connect(true);
        } catch (...) {
            forget_reader();
            throw;
        }
    }
    void release_reader(std::unique_ptr<Connection> connection) {
        {
            std::lock_guard lock(readers_mutex);
            idle_readers.push_back(std::move(connection));
        }
        reader_released.notify_one();
    }
    //! A connection from acquire_reader that is gone (lost, or failed): its place is free.
    void forget_reader() {
        {
            std::lock_guard lock(readers_mutex);
            --open_readers;
        }
        reader_released.notify_one();
    }
    //! Forgets the idle read connections: one of them died while idle (the server restarted), so
    //! the others most likely did too.
    void drop_idle_readers() {
        {
            std::lock_guard lock(readers_mutex);
            open_readers -= idle_readers.size();
            idle_readers.clear();
        }
        reader_released.notify_all();
    }

    //! Begins the writer's transaction, replacing a connection that was lost (once, when it turns
    //! out to have died while idle).
    void begin_write() {
        if (writer->broken()) {
            writer = connect(false);
        }
        try {
            writer->begin(true);
            return;
        } catch (...) {
            if (!writer->broken()) {
                throw;
            }
        }
        writer = connect(false);
        writer->begin(true);
    }

    void writer_loop() {
        std::vector<WriteJob*> batch;
        for (;;) {
            {
                std::unique_lock lock(queue_mutex);
                queue_ready.wait(lock, [&] { return stopping || !queue.empty(); });
                if (queue.empty()) {
                    return;  // stopping, and every queued write is done
                }
                while (!queue.empty() && batch.size() < max_batch) {
                    batch.push_back(queue.front());
                    queue.pop_front();
                }
            }
            run_batch(batch);
            for (WriteJob* job : batch) {
                // on_done may resume a coroutine that frees the job (and with it on_done itself)
                // while on_done still runs: run it from here instead.
                auto done = std::move(job->on_done);
                unfinished.fetch_sub(1, std::memory_order_relaxed);
                done();
            }
            batch.clear();
        }
    }

    // Runs the jobs back to back in one transaction and commits once: the one fsync of the commit
    // covers the whole batch. There are no savepoints between jobs on purpose: inside a savepoint
    // FTS5 flushes its pending index data at every statement, which made inserts 10x slower. So
    // when a job fails, the transaction is rolled back, that job gets its error, and the others
    // run again in a new transaction (write functions may run more than once: see db.hpp).
    void run_batch(std::vector<WriteJob*>& batch) {
        std::vector<WriteJob*> pending = batch;
        while (!pending.empty()) {
            try {
                begin_write();
            } catch (...) {
                fail_all(pending, std::current_exception());
                return;
            }
            auto failed = pending.end();
            for (auto it = pending.begin(); it != pending.end(); ++it) {
                try {
                    Tx tx(*writer, (*it)->tenant);
                    (*it)->fn(tx);
                } catch (...) {
                    (*it)->error = std::current_exception();
                    failed = it;
                    break;
                }
            }
            if (failed != pending.end()) {
                writer->rollback();
                pending.erase(failed);
                continue;
            }
            try {
                writer->commit();
            } catch (...) {
                auto error = std::current_exception();
                writer->rollback();
                fail_all(pending, error);
                return;
            }
            commits.fetch_add(1, std::memory_order_relaxed);
            transactions.fetch_add(pending.size(), std::memory_order_relaxed);
            return;
        }
    }

    static void fail_all(std::vector<WriteJob*>& jobs, const std::exception_ptr& error) {
        for (WriteJob* job : jobs) {
            job->error = error;
        }
    }
};

Database::Database(DatabaseOptions options)
    : options_(std::move(options)), impl_(std::make_unique<Impl>()) {
    if (is_postgres_url(options_.path)) {
        impl_->connect = [url = options_.path](bool) { return connect_postgres(url); };
    } else {
        impl_->connect = [path = options_.path](bool read_only) {
            return connect_sqlite(path, read_only);
        };
    }
    impl_->max_batch = options_.max_batch;
    impl_->max_readers = options_.max_read_connections;
    impl_->reader_wait = options_.read_connection_wait;
    impl_->writer = impl_->connect(false);
    impl_->writer_thread = std::thread([impl = impl_.get()] { impl->writer_loop(); });
}

Database::~Database() {
    {
        std::lock_guard lock(impl_->queue_mutex);
        impl_->stopping = true;
    }
    impl_->queue_ready.notify_one();
    impl_->writer_thread.join();
}

ReadSession::ReadSession(Database& db) : db_(db) {
    for (bool retried = false;; retried = true) {
        connection_ = db.impl_->acquire_reader();
        try {
            connection_->begin(false);
            return;
        } catch (...) {
            bool broken = connection_->broken();
            if (broken) {
                connection_.reset();
                db_.impl_->forget_reader();
            } else {
                db_.impl_->release_reader(std::move(connection_));
            }
            if (!broken || retried) {
                throw;
            }
        }
        // The pooled connection had died while idle: the pool goes, and a new connection tries.
        db_.impl_->drop_idle_readers();
    }
}

ReadSession::~ReadSession() {
    try {
        connection_->commit();  // ends the read transaction: nothing was written
        if (!connection_->broken()) {
            db_.impl_->release_reader(std::move(connection_));
            return;
        }
    } catch (...) {
        // A connection that cannot end its transaction is not given back to the pool.
    }
    connection_.reset();
    db_.impl_->forget_reader();
}

void Database::submit(WriteJob& job) {
    {
        std::lock_guard lock(impl_->queue_mutex);
        impl_->queue.push_back(&job);
        impl_->unfinished.fetch_add(1, std::memory_order_relaxed);
    }
    impl_->queue_ready.notify_one();
}

void Database::write_blocking(std::optional<int64_t> tenant, std::function<void(Tx&)> fn) {
    if (std::this_thread::get_id() == impl_->writer_thread.get_id()) {
        throw std::logic_error("Database::write called from inside a write");
    }
    // A plain mutex and condition variable: std::binary_semaphore spins with sched_yield
    // before it sleeps, which cost a sixth of the CPU with many writers waiting.
    std::mutex mutex;
    std::condition_variable finished;
    bool done = false;
    WriteJob job;
    job.tenant = tenant;
    job.fn = std::move(fn);
    job.on_done = [&] {
        std::lock_guard lock(mutex);
        done = true;
        finished.notify_one();
    };
    submit(job);
    std::unique_lock lock(mutex);
    finished.wait(lock, [&] { return done; });
    if (job.error) {
        std::rethrow_exception(job.error);
    }
}

bool Database::ping() {
    try {
        return read(std::nullopt, [](Tx& tx) {
            auto q = tx.query("SELECT 1");
            return q.step() && q.int64(0) == 1;
        });
    } catch (const std::exception&) {
        return false;
    }
}

Database::Stats Database::stats() const {
    return {impl_->transactions.load(), impl_->commits.load()};
}

size_t Database::pending_writes() const {
    return impl_->unfinished.load(std::memory_order_relaxed);
}

}  // namespace clientele::store
