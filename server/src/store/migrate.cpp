#include "store/migrate.hpp"

#include <spdlog/spdlog.h>

#include "core/time.hpp"
#include "store/db.hpp"

namespace clientele::store {

int migrate(Database& db) {
    db.write(std::nullopt, [](Tx& tx) {
        tx.exec(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
    });
    int applied = 0;
    for (const Migration& migration : embedded_migrations()) {
        bool done = db.write(std::nullopt, [&](Tx& tx) {
            auto seen =
                tx.query("SELECT 1 FROM schema_migrations WHERE version = ?", migration.number);
            if (seen.step()) {
                return false;
            }
            tx.exec_script(migration.sql);
            tx.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    migration.number, migration.name, now_timestamp());
            return true;
        });
        if (done) {
            spdlog::info("applied migration {}", migration.name);
            ++applied;
        }
    }
    return applied;
}

}  // namespace clientele::store
