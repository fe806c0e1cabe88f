// The store: connections, queries and transactions, and the workspace scoping rule.
//
// Every business row carries tenant_id. A query run in a workspace transaction (Tx with a tenant)
// must name the parameter `:tenant`; the store binds it to the caller's workspace itself and
// refuses a query that lacks it. So a handler cannot forget the filter, and no id a client sends
// can reach another workspace's rows. Platform tables (tenants, users, sessions, tokens) are read
// in a system transaction (Tx without a tenant), which is explicit at the call site.
//
// Reads run on the calling worker thread with a pooled read-only connection. Writes go to the one
// writer thread, which runs concurrent write transactions back to back and commits them together:
// one fsync for the batch (group commit), and no write is acknowledged before its commit is on
// disk.
#pragma once

#include <chrono>
#include <coroutine>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "core/task.hpp"

namespace clientele::audit {
struct Context;
}

namespace clientele::store {

//! A uniqueness rule of the schema was broken; `constraint` is the store's own description.
class UniqueViolation : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

//! The database cannot serve now (I/O error, disk full, cannot open): answered with 503.
class Unavailable : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

//! Bytes to bind as a BLOB (images) rather than as text.
struct Blob {
    std::string_view bytes;
};

//! The database engines the store runs on.
enum class Backend { sqlite, postgres };

//! A prepared statement of one backend, owned by its connection's statement cache and used by one
//! Query at a time. Parameters and columns are numbered as in SQLite: parameters from 1, in the
//! order they first appear in the SQL (`:tenant` takes one number however often it appears),
//! columns from 0.
class Statement {
  public:
    virtual ~Statement() = default;
    //! The number of the `:tenant` parameter, or 0 when the SQL has none.
    virtual int tenant_index() const = 0;
    virtual void bind_int64(int index, int64_t value) = 0;
    virtual void bind_double(int index, double value) = 0;
    virtual void bind_text(int index, std::string_view value) = 0;
    virtual void bind_blob(int index, std::string_view value) = 0;
    virtual void bind_null(int index) = 0;
    //! Advances to the next row; false when there is none or the budget ran out.
    virtual bool step() = 0;
    //! Rows changed by the statement, once it has run.
    virtual int64_t changes() const = 0;
    //! See Query::set_budget.
    virtual void set_budget(int64_t steps) = 0;
    virtual bool over_budget() const = 0;
    virtual bool is_null(int column) const = 0;
    virtual int64_t int64(int column) const = 0;
    virtual double real(int column) const = 0;
    virtual std::string_view text(int column) const = 0;
    virtual std::string_view blob(int column) const = 0;
};

class Connection;

//! One run of a prepared statement: bind, step, read columns. Gives the statement back to its
//! connection when destroyed, so the cached statement can be reused by the next Query.
class Query {
  public:
    Query(Connection& connection, Statement& statement);
    Query(Query&& other) noexcept;
    Query(const Query&) = delete;
    Query& operator=(const Query&) = delete;
    Query& operator=(Query&&) = delete;
    ~Query();

    void bind(int64_t value) { statement_->bind_int64(next_index(), value); }
    void bind(int value) { bind(int64_t(value)); }
    void bind(bool value) { bind(int64_t(value ? 1 : 0)); }
    void bind(double value) { statement_->bind_double(next_index(), value); }
    void bind(std::string_view value) { statement_->bind_text(next_index(), value); }
    void bind(const std::string& value) { bind(std::string_view(value)); }
    void bind(const char* value) { bind(std::string_view(value)); }
    void bind(std::nullptr_t) { statement_->bind_null(next_index()); }
    void bind(Blob value) { statement_->bind_blob(next_index(), value.bytes); }
    template <class T>
    void bind(const std::optional<T>& value) {
        if (value) {
            bind(*value);
        } else {
            bind(nullptr);
        }
    }
    //! Binds `:tenant` (workspace transactions do this themselves).
    void bind_tenant(int64_t tenant) { statement_->bind_int64(statement_->tenant_index(), tenant); }

    //! Advances to the next row; false when there is none (the statement is done) or the budget
    //! ran out.
    bool step() { return statement_->step(); }
    //! Lets this query run about `steps` virtual-machine steps (SQLite); past them step() returns
    //! false and over_budget() true. For racing a plan that may be slow against a sure one.
    void set_budget(int64_t steps) { statement_->set_budget(steps); }
    bool over_budget() const { return statement_->over_budget(); }
    //! Runs a statement that returns no rows; returns the number of rows it changed.
    int64_t run();
    //! Runs an INSERT that ends in `RETURNING id`; returns the new row's id.
    int64_t run_returning_id();

    bool is_null(int column) const { return statement_->is_null(column); }
    int64_t int64(int column) const { return statement_->int64(column); }
    double real(int column) const { return statement_->real(column); }
    //! Valid until the next step() or the Query's end.
    std::string_view text(int column) const { return statement_->text(column); }
    std::optional<std::string> optional_text(int column) const;
    //! A BLOB column's bytes. Valid until the next step() or the Query's end.
    std::string_view blob(int column) const { return statement_->blob(column); }
    std::optional<int64_t> optional_int64(int column) const;

  private:
    int next_index() {
        if (next_ == statement_->tenant_index()) {
            ++next_;
        }
        return next_++;
    }

    Connection* connection_;
    Statement* statement_;
    int next_ = 1;
};

//! One connection to the database with its cache of prepared statements, used by one thread at a
//! time. Each backend implements it (store/sqlite_db.cpp, store/pg_db.cpp).
class Connection {
  public:
    virtual ~Connection() = default;

    virtual Backend backend() const = 0;
    //! Runs SQL without parameters (may hold several statements), parsing it each time.
    virtual void exec(std::string_view sql) = 0;
    //! The cached prepared statement for `sql`, prepared on first use; give it back with release().
    virtual Statement& prepare(std::string_view sql) = 0;
    //! Makes a statement from prepare() ready for its next use.
    virtual void release(Statement& statement) = 0;
    //! Starts a transaction: a read-only snapshot, or a write transaction that takes the write lock
    //! at once (SQLite's BEGIN IMMEDIATE).
    virtual void begin(bool write) = 0;
    virtual void commit() = 0;
    //! Ends the open transaction, if any, without its changes; never throws.
    virtual void rollback() noexcept = 0;
    //! True once the connection to the server is lost: it is then dropped, not reused.
    virtual bool broken() const { return false; }
};

//! What a read or write function receives: a connection inside a transaction, and, for a
//! workspace transaction, the workspace every query is scoped to.
class Tx {
  public:
    Tx(Connection& connection, std::optional<int64_t> tenant, audit::Context* audit = nullptr)
        : connection_(connection), tenant_(tenant), audit_(audit) {}

    //! The same transaction, for platform tables (a system view): explicit where one operation
    //! writes both a workspace's rows and platform rows atomically.
    Tx system() const { return Tx(connection_, std::nullopt, audit_); }
    //! The same transaction scoped to a workspace: for creating a workspace together with its
    //! first rows.
    Tx workspace(int64_t tenant) const { return Tx(connection_, tenant, audit_); }
    //! The same transaction, its changes made by the actor `audit` names (audit/trail.hpp).
    Tx audited(audit::Context& audit) const { return Tx(connection_, tenant_, &audit); }
    //! Who makes this transaction's changes, for the audit trail; null for the server's own work
    //! (command-line tools, demo data), which the trail records as the system.
    audit::Context* audit_context() const { return audit_; }

    //! Prepares `sql` and binds `args` to its `?` parameters in order. In a workspace transaction
    //! the SQL must contain `:tenant` (std::logic_error otherwise), which is bound to the
    //! workspace.
    template <class... Args>
    Query query(std::string_view sql, Args&&... args) {
        Query q = start(sql);
        (q.bind(std::forward<Args>(args)), ...);
        return q;
    }
    //! A query exempt from the :tenant rule, for statistics that reveal no row of any workspace
    //! (how many search-index entries match a term): named so at the call site.
    template <class... Args>
    Query query_global(std::string_view sql, Args&&... args) {
        Query q = start(sql, true);
        (q.bind(std::forward<Args>(args)), ...);
        return q;
    }
    //! Runs a statement that returns no rows; returns the number of rows changed.
    template <class... Args>
    int64_t exec(std::string_view sql, Args&&... args) {
        return query(sql, std::forward<Args>(args)...).run();
    }

    //! Runs an INSERT that ends in `RETURNING id` and returns the new row's id.
    template <class... Args>
    int64_t insert(std::string_view sql, Args&&... args) {
        return query(sql, std::forward<Args>(args)...).run_returning_id();
    }

    //! Runs several statements without parameters (migrations). System transactions only.
    void exec_script(std::string_view sql);

    bool scoped() const { return tenant_.has_value(); }
    int64_t tenant() const;
    //! The engine, for the few statements whose SQL differs between them (search).
    Backend backend() const { return connection_.backend(); }

  private:
    Query start(std::string_view sql, bool global = false);

    Connection& connection_;
    std::optional<int64_t> tenant_;
    audit::Context* audit_ = nullptr;
};

//! True when a database location names a PostgreSQL database rather than a SQLite file.
bool is_postgres_url(std::string_view location);

struct DatabaseOptions {
    //! A SQLite file's path, or a PostgreSQL URL (postgres://user@host:port/db).
    std::string path = "data/clientele.db";
    //! Most write transactions committed with one fsync.
    size_t max_batch = 256;
    //! Most read connections open at once (besides the writer's one), and how long a read waits
    //! for one when all are busy before the database counts as unavailable.
    size_t max_read_connections = 32;
    std::chrono::milliseconds read_connection_wait{5000};
};

//! A write transaction waiting for the writer thread. It must stay alive until `on_done` runs.
struct WriteJob {
    std::optional<int64_t> tenant;
    std::function<void(Tx&)> fn;  //!< may run more than once (see Database::write)
    std::exception_ptr error;     //!< set when fn threw or the commit failed
    //! Called on the writer thread once the outcome is durable. It may free the job (the writer
    //! moves it out first, so the running function outlives the job).
    std::function<void()> on_done;
};

template <class R>
class WriteAwaiter;

class Database {
  public:
    explicit Database(DatabaseOptions options);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    //! Runs `fn(Tx&)` in a read transaction (a consistent snapshot) on the calling thread.
    //! `tenant` nullopt makes a system transaction. Returns what `fn` returns.
    template <class F>
    auto read(std::optional<int64_t> tenant, F&& fn);

    //! Runs `fn(Tx&)` in a write transaction on the writer thread and returns once it is durably
    //! committed, blocking the calling thread meanwhile (command-line tools, tests; handlers
    //! co_await write_async instead). If `fn` throws, its changes are rolled back and the exception
    //! is rethrown here. `fn` may run more than once (when another write of its batch fails, the
    //! batch runs again without it), so it must have no effect outside the transaction but its
    //! return value.
    template <class F>
    auto write(std::optional<int64_t> tenant, F&& fn) {
        using Result = std::invoke_result_t<F&, Tx&>;
        if constexpr (std::is_void_v<Result>) {
            write_blocking(tenant, [&](Tx& tx) { fn(tx); });
        } else {
            std::optional<Result> result;
            write_blocking(tenant, [&](Tx& tx) { result.emplace(fn(tx)); });
            return std::move(*result);
        }
    }

    //! The same write for a coroutine: `co_await db.write_async(...)` suspends without holding a
    //! thread, and `resume` continues the coroutine once the commit is durable.
    template <class F>
    auto write_async(std::optional<int64_t> tenant, F&& fn, Resumer resume) {
        using Result = std::invoke_result_t<F&, Tx&>;
        return WriteAwaiter<Result>(*this, tenant, std::forward<F>(fn), std::move(resume));
    }

    //! Queues a write job (the primitive under write and write_async).
    void submit(WriteJob& job);

    //! True when the database answers a trivial query.
    bool ping();
    const DatabaseOptions& options() const { return options_; }

    //! Write transactions committed so far, and the commits (fsyncs) they took.
    struct Stats {
        uint64_t transactions = 0;
        uint64_t commits = 0;
    };
    Stats stats() const;
    //! Write transactions submitted and not yet told their outcome (queued, running, or
    //! committing): a caller whose own write just returned sees others' only, so more than none
    //! means the writer thread has other work (it is busy now).
    size_t pending_writes() const;

  private:
    friend class ReadSession;
    void write_blocking(std::optional<int64_t> tenant, std::function<void(Tx&)> fn);

    DatabaseOptions options_;
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

//! A pooled read-only connection inside one read transaction: every query made through it sees
//! the same snapshot. Hold it briefly: an open snapshot keeps the WAL from being checkpointed.
class ReadSession {
  public:
    explicit ReadSession(Database& db);
    ~ReadSession();
    ReadSession(const ReadSession&) = delete;
    ReadSession& operator=(const ReadSession&) = delete;

    //! A transaction handle on this snapshot: scoped to `tenant`, or a system one for nullopt.
    Tx tx(std::optional<int64_t> tenant) { return Tx(*connection_, tenant); }

  private:
    Database& db_;
    std::unique_ptr<Connection> connection_;
};

template <class F>
auto Database::read(std::optional<int64_t> tenant, F&& fn) {
    ReadSession session(*this);
    Tx tx = session.tx(tenant);
    return fn(tx);
}

template <class R>
class WriteAwaiter {
  public:
    template <class F>
    WriteAwaiter(Database& db, std::optional<int64_t> tenant, F&& fn, Resumer resume)
        : db_(db), fn_(std::forward<F>(fn)), resume_(std::move(resume)) {
        job_.tenant = tenant;
    }
    WriteAwaiter(const WriteAwaiter&) = delete;
    WriteAwaiter& operator=(const WriteAwaiter&) = delete;

    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> awaiting) {
        job_.fn = [this](Tx& tx) {
            if constexpr (std::is_void_v<R>) {
                fn_(tx);
            } else {
                result_.emplace(fn_(tx));
            }
        };
        job_.on_done = [resume = resume_, awaiting] { resume(awaiting); };  // a copy: see on_done
        db_.submit(job_);
    }
    R await_resume() {
        if (job_.error)
            std::rethrow_exception(job_.error);
        if constexpr (!std::is_void_v<R>) {
            return std::move(*result_);
        }
    }

  private:
    Database& db_;
    std::function<R(Tx&)> fn_;
    Resumer resume_;
    WriteJob job_;
    std::optional<std::conditional_t<std::is_void_v<R>, std::monostate, R>> result_;
};

}  // namespace clientele::store
