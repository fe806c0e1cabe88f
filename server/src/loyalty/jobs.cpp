// The loyalty area's jobs: order-driven earning (queued by orders/ in each order change's
// transaction) and the daily expiry and tier runs, across workspaces in short batches.
#include "loyalty/jobs.hpp"

#include <boost/json/object.hpp>

#include "core/time.hpp"
#include "jobs/registry.hpp"
#include "loyalty/ledger.hpp"
#include "store/db.hpp"

namespace clientele::loyalty {

namespace json = boost::json;

namespace {

constexpr int batch = 500;

// The workspaces a platform run visits: the job's own when it has one (a program's change
// queues its workspace's tier run), else those `sql` lists (a system query).
template <class... Args>
std::vector<int64_t> workspaces(jobs::Run& run, std::string_view sql, Args&&... args) {
    if (run.job().tenant_id) {
        return {*run.job().tenant_id};
    }
    return run.db().read(std::nullopt, [&](store::Tx& tx) {
        std::vector<int64_t> ids;
        for (auto q = tx.query(sql, std::forward<Args>(args)...); q.step();) {
            ids.push_back(q.int64(0));
        }
        return ids;
    });
}

// Batchable: a worker runs many of them in one write transaction, each booking committing with
// its job's completion, so a retried run finds it done and books nothing (the earning converges
// anyway).
json::value order_changed_job(store::Tx& tx, const jobs::Job& job, const json::value& payload) {
    const json::object* fields = payload.if_object();
    const json::value* id = fields ? fields->if_contains("order_id") : nullptr;
    if (!job.tenant_id || !id || !id->is_int64() || id->get_int64() <= 0) {
        throw jobs::Permanent("a workspace's job with the payload {\"order_id\": <id>} expected");
    }
    int64_t order_id = id->get_int64();
    OrderOutcome out = order_changed(tx, order_id);
    return json::object{
        {"order_id", order_id},
        {"customer_id", out.customer_id ? json::value(*out.customer_id) : json::value()},
        {"points", out.target},
        {"change", out.change}};
}

void expire_job(jobs::Run& run) {
    std::string now = now_timestamp();
    int64_t expired = 0;
    for (int64_t workspace : workspaces(run,
                                        "SELECT DISTINCT tenant_id FROM loyalty_lots"
                                        " WHERE remaining > 0 AND expires_at IS NOT NULL"
                                        " AND expires_at <= ? ORDER BY tenant_id",
                                        now)) {
        for (int64_t done = batch; done == batch;) {
            done = run.db().write(workspace,
                                  [&](store::Tx& tx) { return expire_due(tx, now, batch); });
            expired += done;
            run.progress(expired);
        }
    }
    run.complete(json::object{{"expired", expired}});
}

void tiers_job(jobs::Run& run) {
    int64_t changed = 0;
    for (int64_t workspace : workspaces(run, "SELECT id FROM tenants ORDER BY id")) {
        Program program = run.db().read(workspace, [](store::Tx& tx) { return load_program(tx); });
        for (std::optional<int64_t> after = 0; after;) {
            TierPage page = run.db().write(workspace, [&](store::Tx& tx) {
                return recompute_tiers(tx, program, *after, batch);
            });
            changed += page.changed;
            after = page.next;
            run.progress(changed);
        }
    }
    run.complete(json::object{{"changed", changed}});
}

}  // namespace

void register_jobs(jobs::Registry& registry, const Config&) {
    registry.add_batchable("loyalty.order_changed", order_changed_job);
    registry.add("loyalty.expire", expire_job);
    registry.add("loyalty.tiers", tiers_job);
    registry.add_schedule({.name = "loyalty.expire",
                           .kind = "loyalty.expire",
                           .schedule = jobs::Schedule::daily("02:30"),
                           .payload = json::object()});
    registry.add_schedule({.name = "loyalty.tiers",
                           .kind = "loyalty.tiers",
                           .schedule = jobs::Schedule::daily("02:45"),
                           .payload = json::object()});
}

}  // namespace clientele::loyalty
