// The job queue's rules on a real (SQLite) store, and the schedules' arithmetic.
#include <gtest/gtest.h>

#include <boost/json/object.hpp>

#include "core/error.hpp"
#include "core/time.hpp"
#include "jobs/queue.hpp"
#include "jobs/schedule.hpp"
#include "test_db.hpp"

namespace clientele::jobs {
namespace {

Clock::time_point at(const char* text) {
    return *parse_timestamp(text);
}

TEST(JobSchedule, EveryNMinutesRunsOnAGridFromTheEpoch) {
    auto s = Schedule::every(15);
    EXPECT_EQ(format_timestamp(next_run(s, at("2026-03-01T10:07:30Z"))),
              "2026-03-01T10:15:00.000Z");
    // Strictly after: a run at the slot itself plans the next slot.
    EXPECT_EQ(format_timestamp(next_run(s, at("2026-03-01T10:15:00Z"))),
              "2026-03-01T10:30:00.000Z");
}

TEST(JobSchedule, DailyAtATimeInATimeZone) {
    EXPECT_EQ(format_timestamp(next_run(Schedule::daily("02:30"), at("2026-03-01T01:00:00Z"))),
              "2026-03-01T02:30:00.000Z");
    EXPECT_EQ(format_timestamp(next_run(Schedule::daily("02:30"), at("2026-03-01T02:30:00Z"))),
              "2026-03-02T02:30:00.000Z");
    // 09:00 in Kolkata (UTC+5:30) is 03:30 UTC.
    EXPECT_EQ(format_timestamp(
                  next_run(Schedule::daily("09:00", "Asia/Kolkata"), at("2026-03-01T04:00:00Z"))),
              "2026-03-02T03:30:00.000Z");
    // New York moves to summer time on 2026-03-08: 08:00 local is 13:00 UTC before, 12:00 after.
    auto ny = Schedule::daily("08:00", "America/New_York");
    EXPECT_EQ(format_timestamp(next_run(ny, at("2026-03-07T14:00:00Z"))),
              "2026-03-08T12:00:00.000Z");
    EXPECT_TRUE(is_time_zone("Europe/Berlin"));
    EXPECT_FALSE(is_time_zone("Mars/Olympus"));
    EXPECT_TRUE(is_time_of_day("23:59"));
    EXPECT_FALSE(is_time_of_day("24:00"));
    EXPECT_FALSE(is_time_of_day("9:00"));
}

TEST(JobBackoff, DoublesWithJitterUpToAnHour) {
    using std::chrono::milliseconds;
    for (int i = 0; i < 50; ++i) {
        auto first = backoff(1, milliseconds(1000));
        auto third = backoff(3, milliseconds(1000));
        EXPECT_GE(first, milliseconds(500));
        EXPECT_LT(first, milliseconds(1500));
        EXPECT_GE(third, milliseconds(2000));
        EXPECT_LT(third, milliseconds(6000));
        EXPECT_LT(backoff(60, milliseconds(1000)), milliseconds(int64_t(3600 * 1000 * 1.5)));
    }
}

class JobQueue : public ::testing::Test {
  protected:
    testing::TempDatabase db;
    std::string now = now_timestamp();
    std::string later = format_timestamp(Clock::now() + std::chrono::minutes(1));

    std::string find_state(int64_t id) {
        return db->read(1, [&](store::Tx& tx) { return find(tx, id)->state; });
    }

    std::optional<Job> claim_one(const std::string& owner) {
        return db->write(std::nullopt,
                         [&](store::Tx& tx) { return claim(tx, owner, now_timestamp(), later); });
    }
};

TEST_F(JobQueue, JobsAreClaimedOnceInOrderAndScopedToTheirWorkspace) {
    auto a = db->write(1, [](store::Tx& tx) { return *enqueue(tx, "k", boost::json::object()); });
    auto b = db->write(2, [](store::Tx& tx) { return *enqueue(tx, "k", boost::json::object()); });
    auto first = claim_one("w/0");
    auto second = claim_one("w/1");
    ASSERT_TRUE(first && second);
    EXPECT_EQ(first->id, a);
    EXPECT_EQ(second->id, b);
    EXPECT_EQ(first->tenant_id, 1);
    EXPECT_EQ(first->attempts, 1);
    EXPECT_FALSE(claim_one("w/2"));
    // Workspace 2 sees its job only; the platform sees neither.
    EXPECT_FALSE(db->read(2, [&](store::Tx& tx) { return find(tx, a); }));
    EXPECT_TRUE(db->read(2, [&](store::Tx& tx) { return find(tx, b); }));
    EXPECT_TRUE(db->read(std::nullopt, [&](store::Tx& tx) {
                      return list(tx, {}, 10, 1 << 30);
                  }).rows.empty());
    // Only the owner may mark it done.
    EXPECT_FALSE(
        db->write(std::nullopt, [&](store::Tx& tx) { return mark_done(tx, a, "w/1", "null"); }));
    EXPECT_TRUE(
        db->write(std::nullopt, [&](store::Tx& tx) { return mark_done(tx, a, "w/0", "null"); }));
}

TEST_F(JobQueue, TakenJobsAreOfOneKindInOrderAndFinishOnceWithTheirAttemptCounted) {
    std::vector<int64_t> ids;
    db->write(1, [&](store::Tx& tx) {
        for (const char* kind : {"b", "other", "b", "b"}) {
            ids.push_back(*enqueue(tx, kind, boost::json::object()));
        }
    });
    EXPECT_EQ(
        db->read(std::nullopt, [&](store::Tx& tx) { return next_due_kind(tx, now_timestamp()); }),
        "b");
    auto taken = db->write(std::nullopt,
                           [&](store::Tx& tx) { return take_due(tx, "b", now_timestamp(), 2); });
    ASSERT_EQ(taken.size(), 2u);
    EXPECT_EQ(taken[0].id, ids[0]);
    EXPECT_EQ(taken[1].id, ids[2]);
    EXPECT_EQ(taken[0].attempts, 1);
    // Taking holds no lease: until finished in the taking transaction, the jobs stay due.
    EXPECT_EQ(find_state(ids[0]), "queued");
    EXPECT_TRUE(db->write(std::nullopt,
                          [&](store::Tx& tx) { return finish_taken(tx, ids[0], R"({"ok":1})"); }));
    EXPECT_FALSE(
        db->write(std::nullopt, [&](store::Tx& tx) { return finish_taken(tx, ids[0], "null"); }));
    auto done = db->read(1, [&](store::Tx& tx) { return *find(tx, ids[0]); });
    EXPECT_EQ(done.state, "done");
    EXPECT_EQ(done.attempts, 1);
    EXPECT_EQ(done.result, R"({"ok":1})");
    EXPECT_TRUE(done.finished_at);
    // The next take starts after the finished one, and a job of another kind is not taken.
    auto rest = db->write(std::nullopt,
                          [&](store::Tx& tx) { return take_due(tx, "b", now_timestamp(), 10); });
    ASSERT_EQ(rest.size(), 2u);
    EXPECT_EQ(rest[0].id, ids[2]);
    EXPECT_EQ(rest[1].id, ids[3]);
    // A claim of one job by its id takes that job only.
    auto claimed = db->write(std::nullopt, [&](store::Tx& tx) {
        return claim(tx, "w", now_timestamp(), later, ids[3]);
    });
    ASSERT_TRUE(claimed);
    EXPECT_EQ(claimed->id, ids[3]);
    EXPECT_EQ(find_state(ids[3]), "running");
}

TEST_F(JobQueue, AnExpiredLeaseMakesTheJobDueAgainAndUsedUpAttemptsMakeItDead) {
    EnqueueOptions options;
    options.max_attempts = 2;
    auto id = db->write(1, [&](store::Tx& tx) { return *enqueue(tx, "k", nullptr, options); });
    std::string past = format_timestamp(Clock::now() - std::chrono::seconds(1));
    for (int attempt = 1; attempt <= 2; ++attempt) {
        auto job = db->write(std::nullopt,
                             [&](store::Tx& tx) { return claim(tx, "w", now_timestamp(), past); });
        ASSERT_TRUE(job) << attempt;
        EXPECT_EQ(db->write(std::nullopt,
                            [&](store::Tx& tx) { return reclaim_expired(tx, now_timestamp()); }),
                  1);
    }
    auto job = db->read(1, [&](store::Tx& tx) { return find(tx, id); });
    EXPECT_EQ(job->state, "dead");
    EXPECT_TRUE(job->last_error->find("lease expired") != std::string::npos);
}

TEST_F(JobQueue, AScheduledRunQueuesTheNextOneOnceWhenClaimed) {
    int64_t schedule = db->write(std::nullopt, [](store::Tx& tx) {
        return tx.insert(
            "INSERT INTO job_schedules (name, kind, every_minutes, created_at, updated_at)"
            " VALUES ('s', 'k', 5, '', '') RETURNING id");
    });
    std::string due = format_timestamp(Clock::now() - std::chrono::minutes(1));
    EnqueueOptions options{.run_at = due, .max_attempts = 3, .schedule_id = schedule};
    EXPECT_TRUE(
        db->write(std::nullopt, [&](store::Tx& tx) { return enqueue(tx, "k", nullptr, options); }));
    // The same run again is no second row.
    EXPECT_FALSE(
        db->write(std::nullopt, [&](store::Tx& tx) { return enqueue(tx, "k", nullptr, options); }));
    ASSERT_TRUE(claim_one("w"));
    auto queued = db->read(std::nullopt, [&](store::Tx& tx) {
        ListFilter filter;
        filter.state = State::queued;
        return list(tx, filter, 10, 1 << 30).rows;
    });
    ASSERT_EQ(queued.size(), 1u);
    EXPECT_EQ(queued[0].schedule_id, schedule);
    EXPECT_GT(queued[0].run_at, now);
}

TEST_F(JobQueue, RetryAndCancelChangeOnlyTheStatesTheyAllow) {
    auto id = db->write(1, [](store::Tx& tx) { return *enqueue(tx, "k", nullptr); });
    EXPECT_THROW(db->write(1, [&](store::Tx& tx) { return retry(tx, id); }), Error);
    EXPECT_EQ(db->write(1, [&](store::Tx& tx) { return cancel(tx, id); }).state, "cancelled");
    EXPECT_THROW(db->write(1, [&](store::Tx& tx) { return cancel(tx, id); }), Error);
    EXPECT_THROW(db->write(2, [&](store::Tx& tx) { return cancel(tx, id); }), Error);
    EXPECT_FALSE(claim_one("w"));
}

}  // namespace
}  // namespace clientele::jobs
