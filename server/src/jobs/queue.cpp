#include "jobs/queue.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <map>
#include <random>
#include <tuple>

#include "audit/trail.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "jobs/schedule.hpp"
#include "store/columns.hpp"

namespace clientele::jobs {

namespace json = boost::json;

// A job's columns, each of its member's name (job_columns).
BOOST_DESCRIBE_STRUCT(Job, (),
                      (id, tenant_id, kind, payload, state, run_at, attempts, max_attempts,
                       last_error, progress_done, progress_total, result, schedule_id, created_at,
                       updated_at, finished_at))

namespace {

constexpr std::array<std::string_view, 6> state_names = {"queued", "running", "done",
                                                         "failed", "dead",    "cancelled"};

const store::Columns<Job>& job_columns() {
    static const auto columns = store::described_columns<Job>("");
    return columns;
}

// Which jobs a transaction may see: its workspace's, or (system) the platform's.
std::string_view scope(const store::Tx& tx) {
    return tx.scoped() ? "tenant_id = :tenant" : "tenant_id IS NULL";
}

// Claims the job due first ({filter}: or that one job, when due) for a lease. PostgreSQL's
// concurrent claimers on other instances skip the row being claimed ({lock}); SQLite's one writer
// thread makes the statement atomic anyway.
constexpr std::string_view claim_sql =
    "UPDATE jobs SET state = 'running', lease_owner = ?, lease_until = ?,"
    " attempts = attempts + 1, updated_at = ? WHERE id = (SELECT id FROM jobs"
    " WHERE state IN ('queued', 'failed') AND run_at <= ?{filter} ORDER BY run_at, id LIMIT "
    "1{lock})"
    " RETURNING {columns}";

// Due jobs of one kind, locked on PostgreSQL for the rest of the transaction (other instances
// skip them), in queue order.
constexpr std::string_view take_sql =
    "SELECT {columns} FROM jobs WHERE state IN ('queued', 'failed') AND run_at <= ? AND kind = ?"
    " ORDER BY run_at, id LIMIT ?{lock}";

// Queues the run of a schedule that follows `after`.
void queue_next_run(store::Tx& tx, int64_t schedule_id, Clock::time_point after) {
    auto q = tx.query(
        "SELECT tenant_id, kind, payload, every_minutes, daily_at, time_zone FROM job_schedules"
        " WHERE id = ? AND enabled = 1",
        schedule_id);
    if (!q.step()) {
        return;  // disabled or gone: the chain ends here
    }
    auto tenant = q.optional_int64(0);
    std::string kind(q.text(1));
    json::value payload = json::parse(q.text(2));
    Schedule schedule;
    schedule.every_minutes = q.optional_int64(3);
    schedule.daily_at = q.optional_text(4);
    schedule.time_zone = q.text(5);
    auto next = next_run(schedule, after);
    store::Tx target = tenant ? tx.workspace(*tenant) : tx.system();
    enqueue(target, kind, payload,
            {.run_at = format_timestamp(next), .max_attempts = 3, .schedule_id = schedule_id});
}

}  // namespace

std::string_view state_name(State state) {
    return state_names[size_t(state)];
}

std::optional<State> parse_state(std::string_view name) {
    return enum_named<State>(state_names, name);
}

json::object to_json(const Job& job) {
    json::object progress{{"done", job.progress_done}};
    progress["total"] = job.progress_total ? json::value(*job.progress_total) : json::value();
    auto text_or_null = [](const std::optional<std::string>& text) {
        return text ? json::value(*text) : json::value();
    };
    return json::object{{"id", job.id},
                        {"kind", job.kind},
                        {"state", job.state},
                        {"progress", std::move(progress)},
                        {"error", text_or_null(job.last_error)},
                        {"result", job.result ? json::parse(*job.result) : json::value()},
                        {"attempts", job.attempts},
                        {"max_attempts", job.max_attempts},
                        {"run_at", job.run_at},
                        {"created_at", job.created_at},
                        {"updated_at", job.updated_at},
                        {"finished_at", text_or_null(job.finished_at)}};
}

std::optional<int64_t> enqueue(store::Tx& tx, std::string_view kind, const json::value& payload,
                               const EnqueueOptions& options) {
    std::string now = now_timestamp();
    // A scheduled run that is already queued conflicts on (schedule_id, run_at): nothing to do.
    auto q = tx.query(
        fmt::format("INSERT INTO jobs (tenant_id, kind, payload, state, run_at, max_attempts,"
                    " schedule_id, created_at, updated_at) VALUES ({}, ?, ?, 'queued', ?, ?, ?,"
                    " ?, ?) ON CONFLICT DO NOTHING RETURNING id",
                    tx.scoped() ? ":tenant" : "NULL"),
        kind, json::serialize(payload), options.run_at.value_or(now), options.max_attempts,
        options.schedule_id, now, now);
    if (!q.step()) {
        return std::nullopt;
    }
    int64_t id = q.int64(0);
    q.run();
    // A workspace's job is in its trail (a customer export a user started); the platform's own
    // (clean-ups, backups) belong to no workspace.
    if (tx.scoped() && options.audited) {
        json::object queued{{"kind", kind}, {"state", "queued"}};
        audit::record(tx, {"job.queued", "job", id, audit::diff({}, queued, {})});
    }
    return id;
}

namespace {
// Statement `form` with `filter` for each engine: [0] SQLite, [1] PostgreSQL (rows locked).
std::array<std::string, 2> for_engines(std::string_view form, std::string_view filter) {
    std::array<std::string, 2> out;
    for (size_t postgres : {0, 1}) {
        out[postgres] = job_columns().sql(
            fmt::format(fmt::runtime(form), fmt::arg("filter", filter),
                        fmt::arg("lock", postgres ? " FOR UPDATE SKIP LOCKED" : ""),
                        fmt::arg("columns", "{columns}")));
    }
    return out;
}

const std::string& of_engine(const store::Tx& tx, const std::array<std::string, 2>& texts) {
    return texts[tx.backend() == store::Backend::postgres ? 1 : 0];
}

// A scheduled run taken now queues the schedule's next run.
void follow_schedule(store::Tx& tx, const Job& job, std::string_view now) {
    if (job.schedule_id) {
        auto run_at = parse_timestamp(job.run_at);
        auto now_point = parse_timestamp(now);
        queue_next_run(tx, *job.schedule_id, std::max(*run_at, *now_point));
    }
}
}  // namespace

std::optional<Job> claim(store::Tx& tx, std::string_view owner, std::string_view now,
                         std::string_view lease_until, std::optional<int64_t> id) {
    static const auto next = for_engines(claim_sql, "");
    static const auto that = for_engines(claim_sql, " AND id = ?");
    auto q = id ? tx.query(of_engine(tx, that), owner, lease_until, now, now, *id)
                : tx.query(of_engine(tx, next), owner, lease_until, now, now);
    if (!q.step()) {
        return std::nullopt;
    }
    Job job = job_columns().read(q);
    q.run();
    follow_schedule(tx, job, now);
    return job;
}

std::vector<Job> take_due(store::Tx& tx, std::string_view kind, std::string_view now, int limit) {
    std::vector<Job> jobs;
    {
        static const auto texts = for_engines(take_sql, "");
        auto q = tx.query(of_engine(tx, texts), now, kind, limit);
        while (q.step()) {
            jobs.push_back(job_columns().read(q));
            jobs.back().attempts += 1;  // this attempt, as finish_taken counts it
        }
    }
    for (const Job& job : jobs) {
        follow_schedule(tx, job, now);
    }
    return jobs;
}

namespace {
// Marks job `id` done with `result` (JSON; "null" stores none) by `update`, whose parameters are
// the result, the time twice, the id, then `more`.
template <class... More>
bool set_done(store::Tx& tx, std::string_view update, int64_t id, std::string_view result,
              const More&... more) {
    std::string now = now_timestamp();
    std::optional<std::string_view> stored;
    if (result != "null") {
        stored = result;
    }
    return tx.exec(update, stored, now, now, id, more...) == 1;
}
}  // namespace

bool finish_taken(store::Tx& tx, int64_t id, std::string_view result) {
    return set_done(
        tx,
        "UPDATE jobs SET state = 'done', attempts = attempts + 1, result = ?,"
        " last_error = NULL, progress_done = COALESCE(progress_total, progress_done),"
        " finished_at = ?, updated_at = ? WHERE id = ? AND state IN ('queued', 'failed')",
        id, result);
}

std::optional<std::string> next_due_kind(store::Tx& tx, std::string_view now) {
    auto q = tx.query(
        "SELECT kind FROM jobs WHERE state IN ('queued', 'failed') AND run_at <= ?"
        " ORDER BY run_at, id LIMIT 1",
        now);
    if (!q.step()) {
        return std::nullopt;
    }
    return std::string(q.text(0));
}

int64_t reclaim_expired(store::Tx& tx, std::string_view now) {
    return tx.exec(
        "UPDATE jobs SET state = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'failed' END,"
        " finished_at = CASE WHEN attempts >= max_attempts THEN ? ELSE NULL END,"
        " last_error = 'The worker stopped before the job finished (its lease expired).',"
        " lease_owner = NULL, lease_until = NULL, run_at = ?, updated_at = ?"
        " WHERE state = 'running' AND lease_until <= ?",
        now, now, now, now);
}

bool report_progress(store::Tx& tx, int64_t id, std::string_view owner, int64_t done,
                     std::optional<int64_t> total, std::string_view lease_until) {
    return tx.exec(
               "UPDATE jobs SET progress_done = ?, progress_total = ?, lease_until = ?,"
               " updated_at = ? WHERE id = ? AND lease_owner = ? AND state = 'running'",
               done, total, lease_until, now_timestamp(), id, owner) == 1;
}

bool renew_lease(store::Tx& tx, int64_t id, std::string_view owner, std::string_view lease_until) {
    return tx.exec(
               "UPDATE jobs SET lease_until = ? WHERE id = ? AND lease_owner = ?"
               " AND state = 'running'",
               lease_until, id, owner) == 1;
}

bool mark_done(store::Tx& tx, int64_t id, std::string_view owner, std::string_view result) {
    return set_done(tx,
                    "UPDATE jobs SET state = 'done', result = ?, last_error = NULL,"
                    " progress_done = COALESCE(progress_total, progress_done), lease_owner = NULL,"
                    " lease_until = NULL, finished_at = ?, updated_at = ?"
                    " WHERE id = ? AND lease_owner = ? AND state = 'running'",
                    id, result, owner);
}

void mark_failed(store::Tx& tx, int64_t id, std::string_view owner, std::string_view error,
                 std::string_view retry_at, bool permanent) {
    std::string now = now_timestamp();
    int64_t give_up = permanent ? 1 : 0;
    tx.exec(
        "UPDATE jobs SET state = CASE WHEN ? = 1 OR attempts >= max_attempts THEN 'dead'"
        " ELSE 'failed' END, finished_at = CASE WHEN ? = 1 OR attempts >= max_attempts THEN ?"
        " ELSE NULL END, last_error = ?, run_at = ?, lease_owner = NULL, lease_until = NULL,"
        " updated_at = ? WHERE id = ? AND lease_owner = ? AND state = 'running'",
        give_up, give_up, now, error.substr(0, 2000), retry_at, now, id, owner);
}

void release(store::Tx& tx, int64_t id, std::string_view owner) {
    tx.exec(
        "UPDATE jobs SET state = 'queued', attempts = attempts - 1, lease_owner = NULL,"
        " lease_until = NULL, updated_at = ? WHERE id = ? AND lease_owner = ?"
        " AND state = 'running'",
        now_timestamp(), id, owner);
}

std::chrono::milliseconds backoff(int64_t attempts, std::chrono::milliseconds base) {
    thread_local std::mt19937_64 random{std::random_device{}()};
    constexpr auto cap = std::chrono::milliseconds(std::chrono::hours(1));
    auto delay = base;
    for (int64_t i = 1; i < attempts && delay < cap; ++i) {
        delay *= 2;
    }
    delay = std::min(delay, cap);
    double jitter = std::uniform_real_distribution<double>(0.5, 1.5)(random);
    return std::chrono::milliseconds(int64_t(double(delay.count()) * jitter));
}

store::IdPage<Job> list(store::Tx& tx, const ListFilter& filter, int limit, int64_t before) {
    std::string text =
        fmt::format("SELECT {} FROM jobs WHERE {} AND id < ?", job_columns().select(), scope(tx));
    std::vector<std::string> args{std::to_string(before)};
    if (filter.state) {
        text += " AND state = ?";
        args.emplace_back(state_name(*filter.state));
    }
    if (filter.kind) {
        text += " AND kind = ?";
        args.push_back(*filter.kind);
    }
    text += " ORDER BY id DESC LIMIT ?";
    return store::read_id_page(tx.query(text), args, limit, job_columns());
}

std::optional<Job> find(store::Tx& tx, int64_t id) {
    auto q = tx.query(
        fmt::format("SELECT {} FROM jobs WHERE {} AND id = ?", job_columns().select(), scope(tx)),
        id);
    if (!q.step()) {
        return std::nullopt;
    }
    return job_columns().read(q);
}

namespace {
// Runs `update` (with `now` and the id), a state change that applies only in some states; 404
// when there is no such job, 409 when it is in another state. A workspace's job records `event`
// with the change of its JSON form.
Job change_state(store::Tx& tx, int64_t id, std::string_view update, std::string_view event,
                 std::string_view action, std::string_view allowed) {
    auto before = find(tx, id);
    if (!before) {
        throw Error(Code::not_found, fmt::format("There is no job {}.", id));
    }
    std::string now = now_timestamp();
    if (tx.exec(fmt::format(fmt::runtime(update), scope(tx)), now, now, id) == 0) {
        throw Error(Code::conflict, fmt::format("Job {} is {}: only {} jobs can be {}.", id,
                                                before->state, allowed, action));
    }
    Job after = *find(tx, id);
    if (tx.scoped()) {
        static const audit::FieldPolicy policy{.ignored = {"id", "created_at", "updated_at"},
                                               .masked = {}};
        audit::record(tx,
                      {event, "job", id, audit::diff(to_json(*before), to_json(after), policy)});
    }
    return after;
}
}  // namespace

Job retry(store::Tx& tx, int64_t id) {
    return change_state(tx, id,
                        "UPDATE jobs SET state = 'queued', run_at = ?, finished_at = NULL,"
                        " attempts = CASE WHEN state = 'dead' THEN 0 ELSE attempts END,"
                        " updated_at = ? WHERE {} AND id = ? AND state IN ('failed', 'dead')",
                        "job.retried", "retried", "failed or dead");
}

Job cancel(store::Tx& tx, int64_t id) {
    return change_state(tx, id,
                        "UPDATE jobs SET state = 'cancelled', lease_owner = NULL,"
                        " lease_until = NULL, finished_at = ?, updated_at = ? WHERE {} AND id = ?"
                        " AND state IN ('queued', 'failed', 'running')",
                        "job.cancelled", "cancelled", "queued, failed or running");
}

}  // namespace clientele::jobs
