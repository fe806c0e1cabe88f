// store/: the workspace rule, group commit, isolation of failed writes, budgets, migrations.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <random>
#include <thread>

#include "core/error.hpp"
#include "store/columns.hpp"
#include "store/migrate.hpp"
#include "test_db.hpp"

using namespace clientele;
using clientele::testing::TempDatabase;

namespace {
// A model for the column table tests.
struct Note {
    int64_t id = 0;
    std::string title;
    std::optional<std::string> body;
    std::optional<int64_t> rank;
    bool pinned = false;
    std::string author;  //!< from a joined table
};
BOOST_DESCRIBE_STRUCT(Note, (), (id, title, body, rank, pinned))

const store::Columns<Note>& note_columns() {
    static const auto columns =
        store::described_columns<Note>("n.", {"title", "body", "rank", "pinned"})
            .add(store::field<&Note::author>("a.name"));
    return columns;
}

int64_t count_customers(store::Database& db, int64_t tenant) {
    return db.read(tenant, [](store::Tx& tx) {
        auto q = tx.query("SELECT count(*) FROM customers WHERE tenant_id = :tenant");
        return q.step() ? q.int64(0) : -1;
    });
}
void add_customer(store::Tx& tx, const std::string& name) {
    tx.exec(
        "INSERT INTO customers (tenant_id, name, name_key, created_at, updated_at)"
        " VALUES (:tenant, ?, ?, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')",
        name, name);
}
}  // namespace

TEST(Store, WorkspaceQueriesMustNameTheTenant) {
    TempDatabase db;
    EXPECT_THROW(db->read(1, [](store::Tx& tx) { tx.query("SELECT count(*) FROM customers"); }),
                 std::logic_error);
    EXPECT_THROW(db->read(std::nullopt,
                          [](store::Tx& tx) {
                              tx.query("SELECT count(*) FROM customers WHERE tenant_id = :tenant");
                          }),
                 std::logic_error);
}

TEST(Store, AWorkspaceSeesOnlyItsOwnRows) {
    TempDatabase db;
    db->write(1, [](store::Tx& tx) { add_customer(tx, "one"); });
    db->write(2, [](store::Tx& tx) {
        add_customer(tx, "two");
        add_customer(tx, "three");
    });
    EXPECT_EQ(count_customers(*db, 1), 1);
    EXPECT_EQ(count_customers(*db, 2), 2);
    // The id of workspace 2's row, looked up from workspace 1, is not there.
    int64_t foreign_id = db->read(2, [](store::Tx& tx) {
        auto q = tx.query("SELECT id FROM customers WHERE tenant_id = :tenant ORDER BY id LIMIT 1");
        q.step();
        return q.int64(0);
    });
    bool visible = db->read(1, [&](store::Tx& tx) {
        return tx.query("SELECT 1 FROM customers WHERE tenant_id = :tenant AND id = ?", foreign_id)
            .step();
    });
    EXPECT_FALSE(visible);
}

TEST(Store, AFailedWriteRollsBackOnlyItself) {
    TempDatabase db;
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int i = 0; i < 16; ++i) {
        threads.emplace_back([&, i] {
            try {
                db->write(1, [&](store::Tx& tx) {
                    add_customer(tx, "c" + std::to_string(i));
                    if (i % 4 == 0)
                        throw Error(Code::conflict, "refused");
                });
            } catch (const Error&) {
                ++failures;
            }
        });
    }
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(failures.load(), 4);
    EXPECT_EQ(count_customers(*db, 1), 12);
}

TEST(Store, ConcurrentWritesShareCommits) {
    TempDatabase db;
    auto before = db->stats();
    std::vector<std::thread> threads;
    for (int t = 0; t < 32; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 20; ++i)
                db->write(1, [&](store::Tx& tx) { add_customer(tx, "x"); });
        });
    }
    for (auto& t : threads)
        t.join();
    auto after = db->stats();
    EXPECT_EQ(after.transactions - before.transactions, 640u);
    EXPECT_LT(after.commits - before.commits, 640u);  // batched: fewer fsyncs than transactions
    EXPECT_EQ(count_customers(*db, 1), 640);
}

TEST(Store, UniqueViolationsAreTyped) {
    TempDatabase db;
    auto insert = [&] {
        db->write(1, [](store::Tx& tx) {
            tx.exec(
                "INSERT INTO customers (tenant_id, name, name_key, email, created_at, updated_at)"
                " VALUES (:tenant, 'a', 'a', 'a@example.com', 'x', 'x')");
        });
    };
    insert();
    EXPECT_THROW(insert(), store::UniqueViolation);
}

TEST(Store, MigrationsApplyOnce) {
    TempDatabase db;
    EXPECT_EQ(store::migrate(*db), 0);
    int64_t applied = db->read(std::nullopt, [](store::Tx& tx) {
        auto q = tx.query("SELECT count(*) FROM schema_migrations");
        q.step();
        return q.int64(0);
    });
    EXPECT_EQ(applied, int64_t(store::embedded_migrations().size()));
}

TEST(Store, ANestedRunOfTheSameStatementWorks) {
    TempDatabase db;
    db->write(1, [](store::Tx& tx) {
        add_customer(tx, "a");
        add_customer(tx, "b");
    });
    int64_t pairs = db->read(1, [](store::Tx& tx) {
        constexpr std::string_view sql = "SELECT id FROM customers WHERE tenant_id = :tenant";
        int64_t n = 0;
        auto outer = tx.query(sql);
        while (outer.step()) {
            auto inner = tx.query(sql);
            while (inner.step())
                ++n;
        }
        return n;
    });
    EXPECT_EQ(pairs, 4);
}

TEST(Store, ABudgetStopsOnlyItsOwnQuery) {
    TempDatabase db;
    db->write(1, [](store::Tx& tx) {
        for (int i = 0; i < 300; ++i)
            add_customer(tx, "c" + std::to_string(i));
    });
    db->read(1, [](store::Tx& tx) {
        auto slow = tx.query(
            "SELECT count(*) FROM customers a, customers b WHERE a.tenant_id = :tenant AND "
            "b.tenant_id = :tenant");
        slow.set_budget(20000);
        EXPECT_FALSE(slow.step());
        EXPECT_TRUE(slow.over_budget());
        // `slow` is still alive: the next query on the connection must not inherit its budget.
        auto next = tx.query(
            "SELECT count(*) FROM customers a, customers b WHERE a.tenant_id = :tenant AND "
            "b.tenant_id = :tenant");
        ASSERT_TRUE(next.step());
        EXPECT_EQ(next.int64(0), 90000);
        EXPECT_FALSE(next.over_budget());
    });
}

TEST(Store, ReadConnectionsAreBounded) {
    auto path = std::filesystem::temp_directory_path() /
                ("clientele-pool-" + std::to_string(std::random_device{}()) + ".db");
    {
        store::Database db(
            store::DatabaseOptions{.path = path.string(),
                                   .max_read_connections = 2,
                                   .read_connection_wait = std::chrono::milliseconds(50)});
        auto first = std::make_unique<store::ReadSession>(db);
        store::ReadSession second(db);
        EXPECT_THROW(store::ReadSession third(db), store::Unavailable);  // both busy: no third
        first.reset();                                                   // one is given back
        store::ReadSession third(db);                                    // and reused
        EXPECT_TRUE(third.tx(std::nullopt).query("SELECT 1").step());
    }
    std::filesystem::remove(path);
    std::filesystem::remove(path.string() + "-wal");
    std::filesystem::remove(path.string() + "-shm");
}

TEST(Store, AColumnTableMakesTheSqlAndReadsWhatItBinds) {
    const auto& columns = note_columns();
    EXPECT_EQ(columns.select(), "n.id, n.title, n.body, n.rank, n.pinned, a.name");
    EXPECT_EQ(columns.width(), 6);
    EXPECT_EQ(columns.sql("INSERT INTO notes ({names}) VALUES ({values})"),
              "INSERT INTO notes (title, body, rank, pinned) VALUES (?, ?, ?, ?)");
    EXPECT_EQ(columns.sql("UPDATE notes SET {set} WHERE id = ?"),
              "UPDATE notes SET title = ?, body = ?, rank = ?, pinned = ? WHERE id = ?");
    EXPECT_EQ(columns.sql("{other} stays"), "{other} stays");

    TempDatabase db;
    auto insert =
        columns.sql("INSERT INTO notes (author_id, {names}) VALUES (?, {values}) RETURNING id");
    auto select = columns.sql(
        "SELECT {columns}, 'extra' FROM notes n JOIN authors a ON a.id = n.author_id"
        " WHERE n.id = ?");
    auto read = [&](int64_t id) {
        return db->read(std::nullopt, [&](store::Tx& tx) {
            auto q = tx.query(select, id);
            EXPECT_TRUE(q.step());
            EXPECT_EQ(q.text(columns.width()), "extra");
            return columns.read(q);
        });
    };
    int64_t id = db->write(std::nullopt, [&](store::Tx& tx) {
        tx.exec_script(
            "CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL);"
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, author_id INTEGER NOT NULL,"
            " title TEXT NOT NULL, body TEXT, rank INTEGER, pinned INTEGER NOT NULL);"
            "INSERT INTO authors VALUES (7, 'Ada');");
        auto q = tx.query(insert, 7);
        columns.bind(q, Note{0, "First", "Some text", 3, true, "ignored"});
        return q.run_returning_id();
    });
    Note note = read(id);
    EXPECT_EQ(note.id, id);
    EXPECT_EQ(note.title, "First");
    EXPECT_EQ(note.body, "Some text");
    EXPECT_EQ(note.rank, 3);
    EXPECT_TRUE(note.pinned);
    EXPECT_EQ(note.author, "Ada");

    db->write(std::nullopt, [&](store::Tx& tx) {
        auto q = tx.query(columns.sql("UPDATE notes SET {set} WHERE id = ?"));
        columns.bind(q, Note{id, "Second", std::nullopt, std::nullopt, false, "ignored"});
        q.bind(id);
        EXPECT_EQ(q.run(), 1);
    });
    note = read(id);
    EXPECT_EQ(note.title, "Second");
    EXPECT_EQ(note.body, std::nullopt);
    EXPECT_EQ(note.rank, std::nullopt);
    EXPECT_FALSE(note.pinned);
}

TEST(Store, AColumnTableRefusesAWrittenColumnItDoesNotDescribe) {
    EXPECT_THROW(store::described_columns<Note>("", {"title", "tittle"}), std::logic_error);
}
