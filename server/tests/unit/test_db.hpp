// Databases for tests: a fresh migrated SQLite database in a temporary folder, and an empty
// database on the PostgreSQL test cluster; each removed afterwards.
#pragma once

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <string_view>

#include "store/db.hpp"
#include "store/migrate.hpp"

namespace clientele::testing {

class TempDatabase {
  public:
    TempDatabase() {
        std::random_device random;
        dir_ = std::filesystem::temp_directory_path() /
               ("clientele-test-" + std::to_string(random()) + std::to_string(random()));
        std::filesystem::create_directories(dir_);
        db_ = std::make_unique<store::Database>(
            store::DatabaseOptions{.path = (dir_ / "t.db").string()});
        store::migrate(*db_);
        // A second workspace, for isolation tests.
        db_->write(std::nullopt, [](store::Tx& tx) {
            tx.exec(
                "INSERT INTO tenants (id, slug, name, created_at, updated_at)"
                " VALUES (2, 'other', 'Other', '2026-01-01T00:00:00.000Z', "
                "'2026-01-01T00:00:00.000Z')");
        });
    }
    ~TempDatabase() {
        db_.reset();
        std::filesystem::remove_all(dir_);
    }
    store::Database& operator*() { return *db_; }
    store::Database* operator->() { return db_.get(); }

  private:
    std::filesystem::path dir_;
    std::unique_ptr<store::Database> db_;
};

//! Runs one statement on a PostgreSQL server outside any transaction (CREATE DATABASE cannot run
//! in one).
inline void pg_admin(const std::string& url, const std::string& sql) {
    PGconn* connection = PQconnectdb(url.c_str());
    ASSERT_EQ(PQstatus(connection), CONNECTION_OK) << PQerrorMessage(connection);
    PGresult* result = PQexec(connection, sql.c_str());
    EXPECT_TRUE(PQresultStatus(result) == PGRES_COMMAND_OK ||
                PQresultStatus(result) == PGRES_TUPLES_OK)
        << PQerrorMessage(connection);
    PQclear(result);
    PQfinish(connection);
}

//! An empty database of its own on the cluster that $CLIENTELE_TEST_PG names (test.sh starts a
//! private one), dropped afterwards; without the variable there is none: the test skips.
class PgTestDatabase {
  public:
    explicit PgTestDatabase(std::string_view prefix) {
        const char* cluster = std::getenv("CLIENTELE_TEST_PG");
        if (!cluster || !*cluster) {
            return;
        }
        cluster_ = cluster;
        std::random_device random;
        name_ = std::string(prefix) + "_" + std::to_string(random());
        pg_admin(cluster_, "CREATE DATABASE " + name_);
        url_ = cluster_.substr(0, cluster_.rfind('/') + 1) + name_;
    }
    ~PgTestDatabase() {
        if (!name_.empty()) {
            pg_admin(cluster_, "DROP DATABASE " + name_ + " WITH (FORCE)");
        }
    }
    PgTestDatabase(const PgTestDatabase&) = delete;
    PgTestDatabase& operator=(const PgTestDatabase&) = delete;

    bool missing() const { return url_.empty(); }
    const std::string& url() const { return url_; }
    const std::string& name() const { return name_; }
    const std::string& cluster() const { return cluster_; }

  private:
    std::string cluster_, name_, url_;
};

}  // namespace clientele::testing
