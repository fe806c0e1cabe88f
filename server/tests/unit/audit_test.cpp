// The audit trail: diffs of a record's JSON forms, entries written in the change's transaction
// (and only if it commits), the actor of the transaction, and retention within the table's
// append-only rule.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "audit/trail.hpp"
#include "core/time.hpp"
#include "test_db.hpp"

namespace clientele::audit {
namespace {

namespace json = boost::json;

json::object object(std::string_view text) {
    return json::parse(text).as_object();
}

TEST(AuditDiff, ListsChangedFieldsNestedOnesByPathAndMasksSensitiveValues) {
    FieldPolicy policy{.ignored = {"version"}, .masked = {"tax_id", "secret.*"}};
    auto before = object(
        R"({"name":"Ann","version":1,"tax_id":"A1","address":{"city":"Oslo","zip":"1"},
            "tags":[1],"secret":{"pin":"1234"}})");
    auto after = object(
        R"({"name":"Ann B","version":2,"tax_id":"B2","address":{"city":"Oslo","zip":"2"},
            "tags":[1,2],"secret":{"pin":"9999"},"phone":"+47"})");
    EXPECT_EQ(diff(before, after, policy), object(R"({
        "name": {"from": "Ann", "to": "Ann B"},
        "tax_id": {"from": "•••", "to": "•••"},
        "address.zip": {"from": "1", "to": "2"},
        "tags": {"from": [1], "to": [1, 2]},
        "secret.pin": {"from": "•••", "to": "•••"},
        "phone": {"from": null, "to": "+47"}})"));
}

TEST(AuditDiff, ACreatedRecordListsItsSetFieldsAndAnErasedOneWhatItHad) {
    FieldPolicy policy{.ignored = {}, .masked = {"notes"}};
    auto record = object(R"({"name":"Ann","email":null,"notes":"x","address":{"city":null}})");
    EXPECT_EQ(diff({}, record, policy),
              object(R"({"name":{"from":null,"to":"Ann"},"notes":{"from":null,"to":"•••"}})"));
    EXPECT_EQ(diff(record, {}, policy),
              object(R"({"name":{"from":"Ann","to":null},"notes":{"from":"•••","to":null}})"));
    EXPECT_TRUE(diff(record, record, policy).empty());
}

int64_t count_events(store::Database& db, int64_t tenant) {
    return db.read(tenant, [](store::Tx& tx) {
        auto q = tx.query("SELECT count(*) FROM audit_events WHERE tenant_id = :tenant");
        q.step();
        return q.int64(0);
    });
}

TEST(AuditTrail, AnEntryCommitsWithItsChangeOrNotAtAll) {
    testing::TempDatabase db;
    Context context;
    context.actor = {"user", 7, "Sam"};
    context.request_id = "req-1";
    db->write(1, [&](store::Tx& tx) {
        store::Tx audited = tx.audited(context);
        record(audited, {"customer.updated", "customer", 5, object(R"({"a":{"from":1,"to":2}})")});
    });
    EXPECT_EQ(context.recorded, 1);
    EXPECT_THROW(db->write(1,
                           [&](store::Tx& tx) {
                               store::Tx audited = tx.audited(context);
                               record(audited, {"customer.updated", "customer", 5, {}});
                               throw std::runtime_error("the change fails");
                           }),
                 std::runtime_error);
    EXPECT_EQ(count_events(*db, 1), 1);
    EXPECT_EQ(count_events(*db, 2), 0);

    // Without a context the server itself acted; a system transaction names the workspace.
    db->write(std::nullopt, [](store::Tx& tx) {
        record_in(tx, 2, {"workspace.created", "workspace", 2, {}});
    });
    auto page = db->read(1, [](store::Tx& tx) { return list(tx, {}); });
    ASSERT_EQ(page.entries.size(), 1u);
    EXPECT_EQ(page.entries[0].actor.kind, "user");
    EXPECT_EQ(page.entries[0].actor.id, 7);
    EXPECT_EQ(page.entries[0].actor.name, "Sam");
    EXPECT_EQ(page.entries[0].request_id, "req-1");
    EXPECT_EQ(json::parse(page.entries[0].changes), json::parse(R"({"a":{"from":1,"to":2}})"));
    auto theirs = db->read(2, [](store::Tx& tx) { return list(tx, {}); });
    ASSERT_EQ(theirs.entries.size(), 1u);
    EXPECT_EQ(theirs.entries[0].actor.kind, "system");
    EXPECT_FALSE(theirs.entries[0].actor.id);
}

TEST(AuditTrail, RetentionRemovesOnlyEntriesPastItsPeriod) {
    testing::TempDatabase db;
    auto old = format_timestamp(Clock::now() - std::chrono::days(800));
    auto recent = format_timestamp(Clock::now() - std::chrono::hours(1));
    db->write(1, [&](store::Tx& tx) {
        for (const auto& at : {old, old, recent}) {
            tx.exec(
                "INSERT INTO audit_events (tenant_id, at, actor_kind, actor_name, action, entity,"
                " changes) VALUES (:tenant, ?, 'system', '', 'customer.created', 'customer', '{}')",
                at);
        }
    });
    // Outside retention nothing may be deleted, old or not.
    EXPECT_ANY_THROW(
        db->write(std::nullopt, [](store::Tx& tx) { tx.exec("DELETE FROM audit_events"); }));
    EXPECT_EQ(db->write(std::nullopt, [](store::Tx& tx) { return prune(tx, 730); }), 2);
    EXPECT_EQ(count_events(*db, 1), 1);
    // A period shorter than a day is a day: the recent entry stays; the cutoff is cleared after.
    EXPECT_EQ(db->write(std::nullopt, [](store::Tx& tx) { return prune(tx, 0); }), 0);
    EXPECT_EQ(count_events(*db, 1), 1);
    EXPECT_ANY_THROW(
        db->write(std::nullopt, [](store::Tx& tx) { tx.exec("DELETE FROM audit_events"); }));
}

}  // namespace
}  // namespace clientele::audit
