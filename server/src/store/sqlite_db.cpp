// The SQLite backend of the store: connections, statement cache, read pool and the group-commit
// writer thread.
#include <fmt/format.h>
#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "store/db.hpp"

namespace clientele::store {

// ---------------------------------------------------------------------------------------------
// Connection and its statement cache

namespace {
struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
// Dynamic SQL (list filters) is built from fixed fragments, so the set of texts is bounded; the cap
// only guards against a bug that would splice values into SQL.
constexpr size_t max_cached_statements = 1024;
}  // namespace

struct Connection::StatementCache {
    struct Entry {
        sqlite3_stmt* statement = nullptr;
        bool in_use = false;
    };
    std::unordered_map<std::string, Entry, StringHash, std::equal_to<>> entries;
};

Connection::Connection(const std::string& path, bool read_only)
    : cache_(std::make_unique<StatementCache>()) {
    int flags = SQLITE_OPEN_NOMUTEX |
                (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close(db_);
        db_ = nullptr;
        throw Unavailable(fmt::format("cannot open database {}: {}", path, message));
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, 5000);
    // mmap lets the many read connections share the OS page cache instead of each keeping a copy.
    exec("PRAGMA mmap_size = 2147418112");
    if (read_only) {
        exec("PRAGMA cache_size = -8000");
    } else {
        // WAL: readers never block the writer. synchronous=FULL: a commit is on disk (WAL fsync)
        // before it returns, so an acknowledged write survives kill -9 and power loss.
        exec("PRAGMA journal_mode = WAL");
        exec("PRAGMA synchronous = FULL");
        exec("PRAGMA foreign_keys = ON");
        exec("PRAGMA cache_size = -65536");
        exec("PRAGMA temp_store = MEMORY");
        exec("PRAGMA journal_size_limit = 67108864");
    }
}

Connection::~Connection() {
    for (auto& [sql, entry] : cache_->entries) {
        sqlite3_finalize(entry.statement);
    }
    sqlite3_close_v2(db_);
}

void Connection::fail(int code, std::string_view what) const {
    std::string message = fmt::format("{}: {}", what, sqlite3_errmsg(db_));
    int primary = code & 0xff;
    if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
        throw UniqueViolation(message);
    }
    if (primary == SQLITE_IOERR || primary == SQLITE_FULL || primary == SQLITE_CANTOPEN ||
        primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB || primary == SQLITE_BUSY ||
        primary == SQLITE_LOCKED || primary == SQLITE_NOMEM || primary == SQLITE_READONLY) {
        throw Unavailable(message);
    }
    throw std::runtime_error(message);
}

void Connection::exec(std::string_view sql) {
    std::string text(sql);
    char* error = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
        std::string message = error ? error : sqlite3_errstr(rc);
        sqlite3_free(error);
        fail(rc, fmt::format("exec failed ({})", message));
    }
}

void Connection::run(std::string_view sql) {
    Query(*this, prepare(sql), 0).run();
}

sqlite3_stmt* Connection::prepare(std::string_view sql) {
    auto it = cache_->entries.find(sql);
    if (it == cache_->entries.end()) {
        if (cache_->entries.size() >= max_cached_statements) {
            for (auto& [text, entry] : cache_->entries) {
                if (!entry.in_use)
                    sqlite3_finalize(entry.statement);
            }
            std::erase_if(cache_->entries, [](const auto& kv) { return !kv.second.in_use; });
        }
        sqlite3_stmt* statement = nullptr;
        int rc = sqlite3_prepare_v3(db_, sql.data(), int(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                    &statement, nullptr);
        if (rc != SQLITE_OK) {
            fail(rc, fmt::format("prepare failed for [{}]", sql));
        }
        it = cache_->entries.emplace(std::string(sql), StatementCache::Entry{statement, false})
                 .first;
    }
    if (it->second.in_use) {
        // The same SQL is already running on this connection (a query nested in its own loop):
        // give this run a statement of its own, finalized when it ends.
        sqlite3_stmt* statement = nullptr;
        int rc = sqlite3_prepare_v2(db_, sql.data(), int(sql.size()), &statement, nullptr);
        if (rc != SQLITE_OK) {
            fail(rc, "prepare failed");
        }
        return statement;
    }
    it->second.in_use = true;
    return it->second.statement;
}

void Connection::release(sqlite3_stmt* statement) {
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
    auto it = cache_->entries.find(std::string_view(sqlite3_sql(statement)));
    if (it != cache_->entries.end() && it->second.statement == statement) {
        it->second.in_use = false;
    } else {
        sqlite3_finalize(statement);
    }
}

int64_t Connection::last_insert_id() const {
    return sqlite3_last_insert_rowid(db_);
}

// ---------------------------------------------------------------------------------------------
// Query

Query::Query(Connection& connection, sqlite3_stmt* statement, int skip_index)
    : connection_(&connection), statement_(statement), skip_index_(skip_index) {}

Query::Query(Query&& other) noexcept
    : connection_(other.connection_),
      statement_(std::exchange(other.statement_, nullptr)),
      next_(other.next_),
      skip_index_(other.skip_index_) {}

Query::~Query() {
    if (!statement_) {
        return;
    }
    if (budgeted_) {
        sqlite3_progress_handler(connection_->handle(), 0, nullptr, nullptr);
    }
    connection_->release(statement_);
}

int Query::next_index() {
    if (next_ == skip_index_) {
        ++next_;
    }
    return next_++;
}

void Query::bind(int64_t value) {
    sqlite3_bind_int64(statement_, next_index(), value);
}
void Query::bind(double value) {
    sqlite3_bind_double(statement_, next_index(), value);
}
void Query::bind(std::string_view value) {
    sqlite3_bind_text64(statement_, next_index(), value.data(), value.size(), SQLITE_TRANSIENT,
                        SQLITE_UTF8);
}
void Query::bind(Blob value) {
    sqlite3_bind_blob64(statement_, next_index(), value.bytes.data(), value.bytes.size(),
                        SQLITE_TRANSIENT);
}
void Query::bind(std::nullptr_t) {
    sqlite3_bind_null(statement_, next_index());
}
void Query::bind_tenant(int64_t tenant) {
    sqlite3_bind_int64(statement_, skip_index_, tenant);
}

namespace {
constexpr int budget_granularity = 1000;  // VM steps between progress-handler calls
}  // namespace

void Query::set_budget(int64_t steps) {
    budgeted_ = true;
    budget_ = steps;
    sqlite3_progress_handler(
        connection_->handle(), budget_granularity,
        [](void* self) -> int {
            auto* query = static_cast<Query*>(self);
            query->budget_ -= budget_granularity;
            return query->budget_ < 0 ? 1 : 0;  // non-zero interrupts the statement
        },
        this);
}

bool Query::step() {
    int rc = sqlite3_step(statement_);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (budgeted_) {  // the budget is this statement's alone: the next one must run freely
        sqlite3_progress_handler(connection_->handle(), 0, nullptr, nullptr);
        budgeted_ = false;
        if (rc == SQLITE_INTERRUPT && budget_ < 0) {
            over_budget_ = true;
            return false;
        }
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    connection_->fail(rc, "query failed");
}

int64_t Query::run() {
    while (step()) {
    }
    return sqlite3_changes64(connection_->handle());
}

bool Query::is_null(int column) const {
    return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}
int64_t Query::int64(int column) const {
    return sqlite3_column_int64(statement_, column);
}
double Query::real(int column) const {
    return sqlite3_column_double(statement_, column);
}
std::string_view Query::text(int column) const {
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
    return data ? std::string_view(data, size_t(sqlite3_column_bytes(statement_, column)))
                : std::string_view{};
}
std::string_view Query::blob(int column) const {
    const auto* data = static_cast<const char*>(sqlite3_column_blob(statement_, column));
    return data ? std::string_view(data, size_t(sqlite3_column_bytes(statement_, column)))
                : std::string_view{};
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
    sqlite3_stmt* statement = connection_.prepare(sql);
    int tenant_index = sqlite3_bind_parameter_index(statement, ":tenant");
    Query query(connection_, statement, tenant_index);
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
    std::string path;
    size_t max_batch;

    std::mutex readers_mutex;
    std::vector<std::unique_ptr<Connection>> idle_readers;

    std::unique_ptr<Connection> writer;
    std::thread writer_thread;
    std::mutex queue_mutex;
    std::condition_variable queue_ready;
    std::deque<WriteJob*> queue;
    bool stopping = false;
    std::atomic<uint64_t> transactions{0}, commits{0};

    std::unique_ptr<Connection> acquire_reader() {
        {
            std::lock_guard lock(readers_mutex);
            if (!idle_readers.empty()) {
                auto connection = std::move(idle_readers.back());
                idle_readers.pop_back();
                return connection;
            }
        }
        return std::make_unique<Connection>(path, true);
    }
    void release_reader(std::unique_ptr<Connection> connection) {
        std::lock_guard lock(readers_mutex);
        idle_readers.push_back(std::move(connection));
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
                writer->run("BEGIN IMMEDIATE");
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
                rollback();
                pending.erase(failed);
                continue;
            }
            try {
                writer->run("COMMIT");
            } catch (...) {
                auto error = std::current_exception();
                rollback();
                fail_all(pending, error);
                return;
            }
            commits.fetch_add(1, std::memory_order_relaxed);
            transactions.fetch_add(pending.size(), std::memory_order_relaxed);
            return;
        }
    }

    void rollback() {
        if (!sqlite3_get_autocommit(writer->handle())) {  // SQLite may have rolled back already
            try {
                writer->run("ROLLBACK");
            } catch (...) {
            }
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
    impl_->path = options_.path;
    impl_->max_batch = options_.max_batch;
    impl_->writer = std::make_unique<Connection>(options_.path, false);
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

ReadSession::ReadSession(Database& db) : db_(db), connection_(db.impl_->acquire_reader()) {
    try {
        connection_->run("BEGIN");
    } catch (...) {
        db_.impl_->release_reader(std::move(connection_));
        throw;
    }
}

ReadSession::~ReadSession() {
    try {
        connection_->run("COMMIT");  // ends the read transaction: nothing was written
        db_.impl_->release_reader(std::move(connection_));
    } catch (...) {
        // A connection that cannot end its transaction is not given back to the pool.
    }
}

void Database::submit(WriteJob& job) {
    {
        std::lock_guard lock(impl_->queue_mutex);
        impl_->queue.push_back(&job);
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

}  // namespace clientele::store
