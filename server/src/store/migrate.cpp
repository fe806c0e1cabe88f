#include "store/migrate.hpp"

#include <spdlog/spdlog.h>

#include "core/time.hpp"
#include "store/db.hpp"
#include "store/dialect.hpp"

namespace clientele::store {

namespace {
// Instances starting together on one PostgreSQL take turns: each migration's transaction holds this
// lock (released at its end), so the second finds the first one's record instead of applying again.
void take_turn(Tx& tx) {
    if (tx.backend() == Backend::postgres) {
        tx.query("SELECT pg_advisory_xact_lock(7244837150)").run();  // any number of our own
    }
}

// The migration's SQL for `backend`; a DialectError names the migration.
std::string translate(const Migration& migration, Backend backend) {
    try {
        return dialect_sql(migration.source, backend);
    } catch (const DialectError& e) {
        throw DialectError(
            fmt::format("migration {}/{}: {}", migration.area, migration.name, e.what()));
    }
}
}  // namespace

int migrate(Database& db) {
    // Every source is translated for both engines first: a bad one stops the start before
    // anything is applied, on either engine.
    for (const Migration& migration : embedded_migrations()) {
        for (Backend backend : {Backend::sqlite, Backend::postgres}) {
            translate(migration, backend);
        }
    }
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
            tx.exec_script(translate(migration, tx.backend()));
            tx.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    migration.number, migration.name, now_timestamp());
            return true;
        });
        if (done) {
            spdlog::info("applied migration {}/{}", migration.area, migration.name);
            ++applied;
        }
    }
    return applied;
}

}  // namespace clientele::store
