// A fresh migrated database in a temporary folder, removed afterwards.
#pragma once

#include <filesystem>
#include <memory>
#include <random>

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

}  // namespace clientele::testing
