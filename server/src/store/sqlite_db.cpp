// The SQLite backend of the store: a connection with its statement cache, and statements with
// their step budgets.
#include <fcntl.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <unistd.h>

#include <unordered_map>
#include <vector>

#include "store/backends.hpp"

namespace clientele::store {

namespace {

struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
// Dynamic SQL (list filters) is built from fixed fragments, so the set of texts is bounded; the cap
// only guards against a bug that would splice values into SQL.
constexpr size_t max_cached_statements = 1024;
constexpr int budget_granularity = 1000;  // VM steps between progress-handler calls

[[noreturn]] void fail(sqlite3* db, int code, std::string_view what) {
    std::string message = fmt::format("{}: {}", what, sqlite3_errmsg(db));
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

class SqliteStatement final : public Statement {
  public:
    SqliteStatement(sqlite3* db, sqlite3_stmt* statement)
        : db_(db),
          statement_(statement),
          tenant_index_(sqlite3_bind_parameter_index(statement, ":tenant")) {}
    ~SqliteStatement() override { sqlite3_finalize(statement_); }
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    int tenant_index() const override { return tenant_index_; }
    void bind_int64(int index, int64_t value) override {
        sqlite3_bind_int64(statement_, index, value);
    }
    void bind_double(int index, double value) override {
        sqlite3_bind_double(statement_, index, value);
    }
    void bind_text(int index, std::string_view value) override {
        sqlite3_bind_text64(statement_, index, value.data(), value.size(), SQLITE_TRANSIENT,
                            SQLITE_UTF8);
    }
    void bind_blob(int index, std::string_view value) override {
        sqlite3_bind_blob64(statement_, index, value.data(), value.size(), SQLITE_TRANSIENT);
    }
    void bind_null(int index) override { sqlite3_bind_null(statement_, index); }

    bool step() override {
        int rc = sqlite3_step(statement_);
        if (rc == SQLITE_ROW) {
            return true;
        }
        if (budgeted_) {  // the budget is this statement's alone: the next one must run freely
            end_budget();
            if (rc == SQLITE_INTERRUPT && budget_ < 0) {
                over_budget_ = true;
                return false;
            }
        }
        if (rc == SQLITE_DONE) {
            return false;
        }
        fail(db_, rc, "query failed");
    }
    int64_t changes() const override { return sqlite3_changes64(db_); }

    // The progress handler is the connection's: it points at this statement until the budget
    // ends (at the statement's last step, or when it is given back).
    void set_budget(int64_t steps) override {
        budgeted_ = true;
        budget_ = steps;
        sqlite3_progress_handler(
            db_, budget_granularity,
            [](void* self) -> int {
                auto* statement = static_cast<SqliteStatement*>(self);
                statement->budget_ -= budget_granularity;
                return statement->budget_ < 0 ? 1 : 0;  // non-zero interrupts the statement
            },
            this);
    }
    bool over_budget() const override { return over_budget_; }

    bool is_null(int column) const override {
        return sqlite3_column_type(statement_, column) == SQLITE_NULL;
    }
    int64_t int64(int column) const override { return sqlite3_column_int64(statement_, column); }
    double real(int column) const override { return sqlite3_column_double(statement_, column); }
    std::string_view text(int column) const override {
        const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
        return data ? std::string_view(data, size_t(sqlite3_column_bytes(statement_, column)))
                    : std::string_view{};
    }
    std::string_view blob(int column) const override {
        const auto* data = static_cast<const char*>(sqlite3_column_blob(statement_, column));
        return data ? std::string_view(data, size_t(sqlite3_column_bytes(statement_, column)))
                    : std::string_view{};
    }

    bool in_use = false;   //!< a Query runs it (cached statements only)
    bool one_off = false;  //!< not cached: finalized when its Query ends

    //! Ready for the next run: no row, no bindings, no budget.
    void reset() {
        if (budgeted_) {
            end_budget();
        }
        over_budget_ = false;
        sqlite3_reset(statement_);
        sqlite3_clear_bindings(statement_);
    }

  private:
    void end_budget() {
        sqlite3_progress_handler(db_, 0, nullptr, nullptr);
        budgeted_ = false;
    }

    sqlite3* db_;
    sqlite3_stmt* statement_;
    int tenant_index_;
    bool budgeted_ = false;
    int64_t budget_ = 0;  //!< steps left when budgeted_
    bool over_budget_ = false;
};

// Creates the database file, empty, readable and writable by the server's user only (0600): it
// holds personal data. SQLite would create it 0644 (less the umask), and it gives its WAL and
// shared-memory files the main file's mode, so they are 0600 too. An existing file is left as
// its owner set it.
void create_private_file(const std::string& path) {
    if (path.empty() || path == ":memory:" || path.starts_with("file:")) {
        return;
    }
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        ::close(fd);
    }
}

class SqliteConnection final : public Connection {
  public:
    SqliteConnection(const std::string& path, bool read_only) {
        if (!read_only) {
            create_private_file(path);
        }
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
        // mmap lets the many read connections share the OS page cache instead of each keeping a
        // copy.
        exec("PRAGMA mmap_size = 2147418112");
        if (read_only) {
            exec("PRAGMA cache_size = -8000");
        } else {
            // WAL: readers never block the writer. synchronous=FULL: a commit is on disk (WAL
            // fsync) before it returns, so an acknowledged write survives kill -9 and power loss.
            exec("PRAGMA journal_mode = WAL");
            exec("PRAGMA synchronous = FULL");
            exec("PRAGMA foreign_keys = ON");
            exec("PRAGMA cache_size = -65536");
            exec("PRAGMA temp_store = MEMORY");
            exec("PRAGMA journal_size_limit = 67108864");
        }
    }
    ~SqliteConnection() override {
        cache_.clear();  // finalizes every statement before the connection closes
        one_offs_.clear();
        sqlite3_close_v2(db_);
    }
    SqliteConnection(const SqliteConnection&) = delete;
    SqliteConnection& operator=(const SqliteConnection&) = delete;

    Backend backend() const override { return Backend::sqlite; }

    void exec(std::string_view sql) override {
        std::string text(sql);
        char* error = nullptr;
        int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
        if (rc != SQLITE_OK) {
            std::string message = error ? error : sqlite3_errstr(rc);
            sqlite3_free(error);
            fail(db_, rc, fmt::format("exec failed ({})", message));
        }
    }

    Statement& prepare(std::string_view sql) override {
        auto it = cache_.find(sql);
        if (it == cache_.end()) {
            if (cache_.size() >= max_cached_statements) {
                std::erase_if(cache_, [](const auto& kv) { return !kv.second->in_use; });
            }
            it = cache_.emplace(std::string(sql), compile(sql, SQLITE_PREPARE_PERSISTENT)).first;
        }
        SqliteStatement& cached = *it->second;
        if (cached.in_use) {
            // The same SQL is already running on this connection (a query nested in its own
            // loop): give this run a statement of its own, finalized when it ends.
            SqliteStatement& one_off = *one_offs_.emplace_back(compile(sql, 0));
            one_off.one_off = true;
            return one_off;
        }
        cached.in_use = true;
        return cached;
    }

    void release(Statement& statement) override {
        auto& sqlite_statement = static_cast<SqliteStatement&>(statement);
        sqlite_statement.reset();
        if (sqlite_statement.one_off) {
            std::erase_if(one_offs_, [&](const auto& s) { return s.get() == &statement; });
        } else {
            sqlite_statement.in_use = false;
        }
    }

    void begin(bool write) override { run(write ? "BEGIN IMMEDIATE" : "BEGIN"); }
    void commit() override { run("COMMIT"); }
    void rollback() noexcept override {
        if (sqlite3_get_autocommit(db_)) {
            return;  // no transaction is open (SQLite may have rolled it back already)
        }
        try {
            run("ROLLBACK");
        } catch (...) {
        }
    }

  private:
    std::unique_ptr<SqliteStatement> compile(std::string_view sql, unsigned flags) {
        sqlite3_stmt* statement = nullptr;
        int rc = sqlite3_prepare_v3(db_, sql.data(), int(sql.size()), flags, &statement, nullptr);
        if (rc != SQLITE_OK) {
            fail(db_, rc, fmt::format("prepare failed for [{}]", sql));
        }
        return std::make_unique<SqliteStatement>(db_, statement);
    }

    void run(std::string_view sql) { Query(*this, prepare(sql)).run(); }

    sqlite3* db_ = nullptr;
    std::unordered_map<std::string, std::unique_ptr<SqliteStatement>, StringHash, std::equal_to<>>
        cache_;
    std::vector<std::unique_ptr<SqliteStatement>> one_offs_;
};

}  // namespace

std::unique_ptr<Connection> connect_sqlite(const std::string& path, bool read_only) {
    return std::make_unique<SqliteConnection>(path, read_only);
}

}  // namespace clientele::store
