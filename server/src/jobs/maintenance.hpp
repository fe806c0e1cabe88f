// The platform's own recurring jobs: clean-ups of expired rows, and the nightly SQLite backup.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace clientele {
struct Config;
}

namespace clientele::jobs {

class Registry;

//! Registers the clean-up kinds (every 15 minutes) and, on SQLite with backup_keep > 0, the
//! nightly backup at backup_at (UTC), keeping the last backup_keep files.
void register_maintenance_jobs(Registry& registry, const Config& config);

// ---------------------------------------------------------------------------------------------
// Backups (SQLite)

//! Where backups go: `config.backup_dir`, else a `backups` folder beside the database file.
std::filesystem::path backup_dir(const Config& config);

//! Copies the live SQLite database into `dir/clientele-YYYYMMDD-HHMMSS.db` with SQLite's online
//! backup API (a consistent snapshot: every write committed before it began, while writes go on)
//! and returns the file. The file is written under a temporary name and renamed when complete,
//! mode 0600.
std::filesystem::path backup_sqlite(const std::string& db_path, const std::filesystem::path& dir);

//! Deletes all but the newest `keep` backups in `dir`; returns the deleted files.
std::vector<std::filesystem::path> prune_backups(const std::filesystem::path& dir, int keep);

//! Replaces the database's content with a backup's, after checking that the backup is an intact
//! Clientele database. Throws std::runtime_error with the reason otherwise.
void restore_sqlite(const std::string& db_path, const std::filesystem::path& backup);

//! A lock on the database file that says "a server uses it": serve and worker hold it shared,
//! restore takes it exclusively and refuses when it cannot.
class DatabaseLock {
  public:
    //! Throws std::runtime_error when `exclusive` and another process holds the lock.
    DatabaseLock(const std::string& db_path, bool exclusive);
    ~DatabaseLock();
    DatabaseLock(const DatabaseLock&) = delete;
    DatabaseLock& operator=(const DatabaseLock&) = delete;

  private:
    int fd_ = -1;
};

}  // namespace clientele::jobs
