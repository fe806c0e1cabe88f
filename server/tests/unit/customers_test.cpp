// customers/: field rules, merge semantics, cursors, and list/search plans on a real database.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <set>

#include "core/error.hpp"
#include "core/text.hpp"
#include "customers/search.hpp"
#include "customers/service.hpp"
#include "test_db.hpp"

using namespace clientele;
using namespace clientele::customers;
using clientele::testing::TempDatabase;

namespace {
CustomerChanges changes(std::string_view json, WriteMode mode = WriteMode::create) {
    return parse_changes(boost::json::parse(json).as_object(), mode);
}
std::vector<FieldError> errors_of(std::string_view json, WriteMode mode = WriteMode::create) {
    try {
        changes(json, mode);
    } catch (const Error& e) {
        return e.errors();
    }
    return {};
}
}  // namespace

TEST(CustomerRules, NameIsRequiredExceptForMerge) {
    auto errors = errors_of(R"({"email": "a@example.com"})");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].field, "name");
    EXPECT_TRUE(errors_of(R"({"email": "a@example.com"})", WriteMode::merge).empty());
}

TEST(CustomerRules, EachBadFieldIsNamed) {
    auto errors = errors_of(
        R"({"name": "A", "email": "nope", "phone": "abc", "birthdate": "2026-02-30",
            "gender": "robot", "locale": "english", "address": {"country": "de", "zip": "1"},
            "preferences": [], "id": 3})");
    std::set<std::string> fields;
    for (auto& e : errors)
        fields.insert(e.field);
    EXPECT_EQ(fields,
              (std::set<std::string>{"email", "phone", "birthdate", "gender", "locale",
                                     "address.country", "address.zip", "preferences", "id"}));
}

TEST(CustomerRules, MergePatchKeepsClearsAndMerges) {
    Customer c;
    apply_changes(c, changes(R"({"name": "A", "phone": "+1 555 0100", "address": {"city": "Berlin",
                                 "country": "DE"}, "preferences": {"a": 1, "b": {"x": 1}}})"),
                  WriteMode::create);
    apply_changes(c,
                  changes(R"({"phone": null, "address": {"city": "Munich"},
                                 "preferences": {"a": null, "b": {"y": 2}}})",
                          WriteMode::merge),
                  WriteMode::merge);
    EXPECT_EQ(c.name, "A");
    EXPECT_FALSE(c.phone);
    EXPECT_EQ(c.address.city, "Munich");
    EXPECT_EQ(c.address.country, "DE");
    EXPECT_FALSE(c.preferences.contains("a"));
    EXPECT_EQ(boost::json::serialize(c.preferences), R"({"b":{"x":1,"y":2}})");
    // PUT replaces the nested objects it is sent.
    apply_changes(c, changes(R"({"name": "B", "address": {"city": "Paris"}})", WriteMode::replace),
                  WriteMode::replace);
    EXPECT_EQ(c.address.city, "Paris");
    EXPECT_FALSE(c.address.country);
}

TEST(Cursors, RoundTripAndRejectForgeries) {
    Cursor c{SortField::name, true, "doe, jane", 42};
    auto back = decode_cursor(encode_cursor(c));
    ASSERT_TRUE(back);
    EXPECT_EQ(back->sort, SortField::name);
    EXPECT_TRUE(back->descending);
    EXPECT_EQ(back->key, "doe, jane");
    EXPECT_EQ(back->id, 42);
    EXPECT_FALSE(decode_cursor("not-a-cursor"));
    EXPECT_FALSE(decode_cursor(""));
    EXPECT_FALSE(decode_cursor("eyJzIjoiYm9ndXMifQ"));  // {"s":"bogus"}
}

class CustomerLists : public ::testing::Test {
  protected:
    void SetUp() override {
        const char* names[] = {"Anna Johnson", "Ben Carlson",  "Cara Smith", "Dan Son",
                               "Eve Adams",    "Finn Jameson", "Gus Zzqton", "Hana Lee"};
        int i = 0;
        db->write(1, [&](store::Tx& tx) {
            for (const char* name : names) {
                Customer c;
                c.name = name;
                c.email = "p" + std::to_string(i++) + "@example.com";
                insert(tx, c, 0);
            }
        });
        db->write(2, [&](store::Tx& tx) {
            Customer other;
            other.name = "Zed Sonny";
            insert(tx, other, 0);
        });
    }
    std::vector<std::string> names(const ListQuery& q) {
        std::vector<std::string> out;
        auto page = db->read(1, [&](store::Tx& tx) { return list(tx, q); });
        for (auto& c : page.customers)
            out.push_back(c.name);
        return out;
    }
    TempDatabase db;
};

TEST_F(CustomerLists, PagesVisitEveryRowOnceInOrder) {
    ListQuery q;
    q.sort = SortField::name;
    q.descending = false;
    q.limit = 3;
    std::vector<std::string> seen;
    for (;;) {
        auto page = db->read(1, [&](store::Tx& tx) { return list(tx, q); });
        for (auto& c : page.customers)
            seen.push_back(c.name);
        if (!page.next_cursor)
            break;
        q.after = decode_cursor(*page.next_cursor);
    }
    EXPECT_EQ(seen,
              (std::vector<std::string>{"Anna Johnson", "Ben Carlson", "Cara Smith", "Dan Son",
                                        "Eve Adams", "Finn Jameson", "Gus Zzqton", "Hana Lee"}));
}

TEST_F(CustomerLists, SearchFindsSubstringsInTheWorkspaceOnly) {
    ListQuery q;
    q.sort = SortField::name;
    q.descending = false;
    q.q = fold_case("SON");
    EXPECT_EQ(names(q),
              (std::vector<std::string>{"Anna Johnson", "Ben Carlson", "Dan Son", "Finn Jameson"}));
    q.q = "zzq";  // rare: the trigram plan
    EXPECT_EQ(names(q), (std::vector<std::string>{"Gus Zzqton"}));
    q.q = "p3@ex";
    EXPECT_EQ(names(q), (std::vector<std::string>{"Dan Son"}));
    q.q = "ha";  // short: prefix of name or e-mail
    EXPECT_EQ(names(q), (std::vector<std::string>{"Hana Lee"}));
    q.q = "sonny";  // only in workspace 2
    EXPECT_TRUE(names(q).empty());
    q.q = "son";
    q.total = true;
    auto page = db->read(1, [&](store::Tx& tx) { return list(tx, q); });
    EXPECT_EQ(page.total, 4);
}

TEST_F(CustomerLists, TheSearchIndexFollowsEveryChange) {
    auto search = [&](std::string term) {
        ListQuery q;
        q.q = fold_case(term);
        return names(q);
    };
    int64_t id = db->write(1, [&](store::Tx& tx) {
        Customer c;
        c.name = "Quentin Blake";
        c.phone = "+44 20 7946 0018";
        return insert(tx, c, 0).id;
    });
    EXPECT_EQ(search("quentin"), std::vector<std::string>{"Quentin Blake"});
    EXPECT_EQ(search("7946"), std::vector<std::string>{"Quentin Blake"});
    db->write(1, [&](store::Tx& tx) {
        update(tx, id, changes(R"({"name": "Roald Dahl", "phone": null})", WriteMode::merge),
               WriteMode::merge, std::nullopt);
    });
    EXPECT_TRUE(search("quentin").empty());
    EXPECT_TRUE(search("7946").empty());
    EXPECT_EQ(search("roald"), std::vector<std::string>{"Roald Dahl"});
    // A change that leaves the searched fields alone keeps the index as it is.
    db->write(1, [&](store::Tx& tx) {
        update(tx, id, changes(R"({"notes": "author"})", WriteMode::merge), WriteMode::merge, 2);
    });
    EXPECT_EQ(search("roald"), std::vector<std::string>{"Roald Dahl"});
    // FTS5 compares its index with the customers table.
    db->write(std::nullopt, [](store::Tx& tx) {
        tx.exec("INSERT INTO customers_fts (customers_fts, rank) VALUES ('integrity-check', 1)");
    });
}

// Enough rows for the walk to give up on rare terms, so both plans answer and must agree.
TEST(CustomerSearchPlans, RareAndCommonTermsFindTheSameAsAFullScan) {
    TempDatabase db;
    std::vector<std::string> all;
    db->write(1, [&](store::Tx& tx) {
        all.clear();
        for (int i = 0; i < 3000; ++i) {
            Customer c;
            c.name = (i % 1000 == 7 ? "Zzqa Rare " : "Common Person ") + std::to_string(10000 + i);
            c.email = "c" + std::to_string(i) + "@example.com";
            insert(tx, c, 0);
            all.push_back(c.name);
        }
    });
    std::sort(all.begin(), all.end(), [](const std::string& a, const std::string& b) {
        return fold_case(a) < fold_case(b);
    });
    auto expected = [&](const std::string& term, bool prefix) {
        std::vector<std::string> out;
        for (auto& name : all) {
            std::string key = fold_case(name);
            if (prefix ? key.starts_with(term) : key.find(term) != std::string::npos)
                out.push_back(name);
        }
        return out;
    };
    auto search = [&](const std::string& term) {
        ListQuery q;
        q.sort = SortField::name;
        q.descending = false;
        q.limit = 200;
        q.q = term;
        std::vector<std::string> out;
        for (;;) {
            auto page = db->read(1, [&](store::Tx& tx) { return list(tx, q); });
            for (auto& c : page.customers)
                out.push_back(c.name);
            if (!page.next_cursor)
                break;
            q.after = decode_cursor(*page.next_cursor);
        }
        return out;
    };
    EXPECT_EQ(search("zzqa"), expected("zzqa", false));  // rare: the trigram plan
    EXPECT_EQ(search("zzqa").size(), 3u);
    EXPECT_EQ(search("rare 1"), expected("rare 1", false));      // rare, across pages of the index
    EXPECT_EQ(search("person 1"), expected("person 1", false));  // common: the walk
    EXPECT_EQ(search("zz"), expected("zz", true));               // short and rare: prefix ranges
    EXPECT_EQ(search("co"), expected("co", true));               // short and common
}
