#include "store/migrate.hpp"

#include <spdlog/spdlog.h>

#include "core/time.hpp"
#include "store/db.hpp"

namespace clientele::store {

namespace {
// Instances starting together on one PostgreSQL take turns: each migration's transaction holds this
// lock (released at its end), so the second finds the first one's record instead of applying again.
void take_turn(Tx& tx) {
    if (tx.backend() == Backend::postgres) {
        tx.query("SELECT pg_advisory_xact_lock(7244837150)").run();  // any number of our own
    }
}
}  // namespace

int migrate(Database& db) {
    db.write(std::nullopt, [](Tx& tx) {
        take_turn(tx);
        tx.exec(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
    });
    int applied = 0;
    for (const Migration& migration : embedded_migrations()) {
        bool done = db.write(std::nullopt, [&](Tx& tx) {
            take_turn(tx);
            auto seen =
                tx.query("SELECT 1 FROM schema_migrations WHERE version = ?", migration.number);
            if (seen.step()) {
                return false;
            }
            tx.exec_script(tx.backend() == Backend::postgres ? migration.pg_sql : migration.sql);
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
