#include "jobs/routes.hpp"

#include <fmt/format.h>

#include <limits>

#include "core/text.hpp"
#include "http/context.hpp"
#include "http/router.hpp"
#include "jobs/permissions.hpp"
#include "jobs/queue.hpp"
#include "store/db.hpp"

namespace clientele::jobs {

using http::RequestContext;
using http::Response;

namespace {

Task<Response> list_jobs(RequestContext& ctx) {
    ListFilter filter;
    auto params = http::parse_id_list_params(
        ctx.request,
        [&](const std::string& name, const std::string& value, std::vector<FieldError>& errors) {
            if (name == "state") {
                filter.state = parse_state(value);
                if (!filter.state) {
                    errors.push_back(
                        {"state", "must be queued, running, done, failed, dead or cancelled"});
                }
            } else if (name == "kind") {
                if (value.empty() || value.size() > 100) {
                    errors.push_back({"kind", "must be a job kind (1 to 100 characters)"});
                }
                filter.kind = value;
            } else {
                errors.push_back({name, "is not a known query parameter"});
            }
        });
    if (params.q) {
        throw field_error("q", "is not a known query parameter");
    }
    int64_t before = params.cursor.value_or(std::numeric_limits<int64_t>::max());
    auto page = ctx.read([&](store::Tx& tx) { return list(tx, filter, params.limit, before); });
    co_return http::id_page_response(page, [](const Job& job) { return to_json(job); });
}

Job require(RequestContext& ctx, int64_t id) {
    auto job = ctx.read([&](store::Tx& tx) { return find(tx, id); });
    if (!job) {
        throw Error(Code::not_found, fmt::format("There is no job {}.", id));
    }
    return *job;
}

Task<Response> get_job(RequestContext& ctx) {
    co_return Response::json(200, to_json(require(ctx, ctx.id_param("id"))));
}

Task<Response> retry_job(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    Job job = co_await ctx.write([&](store::Tx& tx) { return retry(tx, id); });
    co_return Response::json(200, to_json(job));
}

Task<Response> cancel_job(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    Job job = co_await ctx.write([&](store::Tx& tx) { return cancel(tx, id); });
    co_return Response::json(200, to_json(job));
}

}  // namespace

void register_routes(http::Router& router, App&) {
    using http::Method;
    router.add(Method::get, "/api/jobs", perm::manage, list_jobs);
    router.add(Method::get, "/api/jobs/{id}", perm::manage, get_job);
    router.add(Method::post, "/api/jobs/{id}/retry", perm::manage, retry_job);
    router.add(Method::post, "/api/jobs/{id}/cancel", perm::manage, cancel_job);
}

}  // namespace clientele::jobs
