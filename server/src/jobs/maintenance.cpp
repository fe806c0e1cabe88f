#include "jobs/maintenance.hpp"

#include <fcntl.h>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json/object.hpp>
#include <stdexcept>

#include "core/config.hpp"
#include "core/time.hpp"
#include "jobs/registry.hpp"
#include "store/db.hpp"

namespace clientele::jobs {

namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

// Each clean-up: a table, the key its rows are deleted by, and which rows have expired (with `?`
// bound to the cut-off time). Deleted 1000 at a time, each batch its own short transaction, so a
// large backlog never holds the writer long.
struct Cleanup {
    std::string_view name;
    std::string_view table;
    std::string_view key;
    std::string_view expired;
    std::chrono::seconds age;  //!< the cut-off is now minus this
};

constexpr std::chrono::seconds hours(int n) {
    return std::chrono::seconds(n * 3600);
}

const Cleanup cleanups[] = {
    {"sessions", "sessions", "token_hash", "expires_at <= ?", hours(0)},
    {"portal_sessions", "portal_sessions", "token_hash", "expires_at <= ?", hours(0)},
    // Replays are answered for 24 hours (http/idempotency.cpp).
    {"idempotency_keys", "idempotency_keys", "tenant_id, principal, idem_key", "created_at <= ?",
     hours(24)},
    // Used invitations are deleted when they are accepted; these expired unused.
    {"invitations", "user_invitations", "token_hash", "expires_at <= ?", hours(0)},
    {"portal_invitations", "portal_invitations", "token_hash", "expires_at <= ?", hours(0)},
    // Failures count within a 15-minute window and lock for an hour at most: a row whose window
    // ended an hour ago and that locks nothing now has no effect any more.
    {"login_failures", "login_failures", "throttle_key",
     "first_failure_at <= ? AND (locked_until IS NULL OR locked_until <= first_failure_at"
     " OR locked_until <= ?)",
     hours(1)},
    // An account's addresses are known for 90 days after a sign-in (auth/throttle.cpp).
    {"login_known_addresses", "login_known_addresses", "account_key, address",
     "signed_in_at <= ?", hours(90 * 24)},
};

int64_t delete_expired(store::Database& db, const Cleanup& cleanup) {
    auto now = Clock::now();
    std::string cutoff = format_timestamp(now - cleanup.age);
    std::string now_text = format_timestamp(now);
    std::string sql =
        fmt::format("DELETE FROM {0} WHERE ({1}) IN (SELECT {1} FROM {0} WHERE {2} LIMIT 1000)",
                    cleanup.table, cleanup.key, cleanup.expired);
    bool two = cleanup.expired.find("locked_until <= ?") != std::string_view::npos;
    int64_t total = 0;
    for (;;) {
        int64_t n = db.write(std::nullopt, [&](store::Tx& tx) {
            return two ? tx.exec(sql, cutoff, now_text) : tx.exec(sql, cutoff);
        });
        total += n;
        if (n < 1000) {
            return total;
        }
    }
}

void clean_up(Run& run) {
    json::object removed;
    int64_t done = 0;
    for (const Cleanup& cleanup : cleanups) {
        removed[cleanup.name] = delete_expired(run.db(), cleanup);
        run.progress(++done, int64_t(std::size(cleanups)));
    }
    run.complete(json::object{{"removed", std::move(removed)}});
}

std::string backup_name(Clock::time_point t) {
    return fmt::format("clientele-{:%Y%m%d-%H%M%S}.db",
                       std::chrono::floor<std::chrono::seconds>(t));
}

bool is_backup_name(const std::string& name) {
    return name.starts_with("clientele-") && name.ends_with(".db") && name.size() == 28;
}

// Copies one SQLite database into another, page by page, with the online backup API.
void copy_database(sqlite3* from, sqlite3* to, const char* what) {
    sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
    if (!backup) {
        throw std::runtime_error(fmt::format("{}: {}", what, sqlite3_errmsg(to)));
    }
    int rc = sqlite3_backup_step(backup, -1);  // all pages in one read transaction: a snapshot
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) {
        throw std::runtime_error(fmt::format("{}: {}", what, sqlite3_errstr(rc)));
    }
}

struct Sqlite {
    sqlite3* db = nullptr;
    Sqlite(const std::string& path, int flags) {
        if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
            std::string error = db ? sqlite3_errmsg(db) : "out of memory";
            sqlite3_close(db);
            throw std::runtime_error(fmt::format("cannot open {}: {}", path, error));
        }
        sqlite3_busy_timeout(db, 10000);
    }
    ~Sqlite() { sqlite3_close(db); }
    // The first column of the first row of `sql`, as text ("" when there is none).
    std::string scalar(const char* sql) {
        sqlite3_stmt* statement = nullptr;
        std::string out;
        if (sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) == SQLITE_OK &&
            sqlite3_step(statement) == SQLITE_ROW) {
            auto text = sqlite3_column_text(statement, 0);
            out = text ? reinterpret_cast<const char*>(text) : "";
        }
        sqlite3_finalize(statement);
        return out;
    }
};

}  // namespace

fs::path backup_dir(const Config& config) {
    if (!config.backup_dir.empty()) {
        return config.backup_dir;
    }
    return fs::path(config.db).parent_path() / "backups";
}

fs::path backup_sqlite(const std::string& db_path, const fs::path& dir) {
    fs::create_directories(dir);
    fs::path target = dir / backup_name(Clock::now());
    fs::path partial = target;
    partial += ".partial";
    fs::remove(partial);
    {
        // Created 0600 before SQLite opens it: a backup holds everything the database does.
        int fd = ::open(partial.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
        if (fd < 0) {
            throw std::runtime_error(fmt::format("cannot create {}", partial.string()));
        }
        ::close(fd);
        Sqlite from(db_path, SQLITE_OPEN_READONLY);
        Sqlite to(partial.string(), SQLITE_OPEN_READWRITE);
        copy_database(from.db, to.db, "backup");
    }
    fs::rename(partial, target);
    return target;
}

std::vector<fs::path> prune_backups(const fs::path& dir, int keep) {
    std::vector<fs::path> backups;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.is_regular_file() && is_backup_name(entry.path().filename().string())) {
            backups.push_back(entry.path());
        }
    }
    std::sort(backups.begin(), backups.end());  // the names sort in time order
    std::vector<fs::path> removed;
    while (backups.size() > size_t(std::max(keep, 0))) {
        fs::remove(backups.front());
        removed.push_back(backups.front());
        backups.erase(backups.begin());
    }
    return removed;
}

void restore_sqlite(const std::string& db_path, const fs::path& backup) {
    if (!fs::is_regular_file(backup)) {
        throw std::runtime_error(fmt::format("{} is not a file", backup.string()));
    }
    Sqlite from(backup.string(), SQLITE_OPEN_READONLY);
    if (from.scalar("PRAGMA quick_check") != "ok") {
        throw std::runtime_error(fmt::format("{} is damaged or not a database", backup.string()));
    }
    if (from.scalar("SELECT count(*) FROM schema_migrations").empty()) {
        throw std::runtime_error(
            fmt::format("{} is not a Clientele database (no schema_migrations)", backup.string()));
    }
    Sqlite to(db_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    copy_database(from.db, to.db, "restore");
}

DatabaseLock::DatabaseLock(const std::string& db_path, bool exclusive) {
    std::string path = db_path + ".lock";
    fd_ = ::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    if (fd_ < 0) {
        throw std::runtime_error(fmt::format("cannot open {}", path));
    }
    if (::flock(fd_, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0) {
        ::close(fd_);
        throw std::runtime_error(
            fmt::format("{} is in use by a running server or worker: stop it first", db_path));
    }
}

DatabaseLock::~DatabaseLock() {
    ::close(fd_);
}

void register_maintenance_jobs(Registry& registry, const Config& config) {
    registry.add("platform.cleanup", clean_up);
    registry.add_schedule({.name = "platform.cleanup",
                           .kind = "platform.cleanup",
                           .schedule = Schedule::every(15),
                           .payload = json::object()});
    if (store::is_postgres_url(config.db) || config.backup_keep <= 0) {
        return;  // PostgreSQL is backed up with its own tools (pg_dump, base backups)
    }
    registry.add("platform.backup", [&config](Run& run) {
        fs::path dir = backup_dir(config);
        fs::path file = backup_sqlite(config.db, dir);
        json::array removed;
        for (const auto& old : prune_backups(dir, config.backup_keep)) {
            removed.push_back(json::string(old.filename().string()));
        }
        spdlog::info("backed up {} to {}", config.db, file.string());
        run.complete(json::object{{"file", file.string()}, {"removed", std::move(removed)}});
    });
    registry.add_schedule({.name = "platform.backup",
                           .kind = "platform.backup",
                           .schedule = Schedule::daily(config.backup_at),
                           .payload = json::object()});
}

}  // namespace clientele::jobs
