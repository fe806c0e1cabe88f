// Customer exports: POST /api/customers/exports queues a `customers.export` job (in the
// transaction that answers the request), which pages through the list with its keyset cursor and
// writes each page to the file as it goes: memory stays flat whatever the number of customers.
#include "customers/exports.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_to.hpp>
#include <fstream>
#include <memory>

#include "core/config.hpp"
#include "core/csv.hpp"
#include "core/json_input.hpp"
#include "core/json_writer.hpp"
#include "core/time.hpp"
#include "customers/model.hpp"
#include "customers/permissions.hpp"
#include "customers/routes.hpp"
#include "http/context.hpp"
#include "http/router.hpp"
#include "jobs/queue.hpp"
#include "jobs/registry.hpp"
#include "store/db.hpp"

namespace clientele::customers {

namespace json = boost::json;
namespace fs = std::filesystem;
using http::RequestContext;
using http::Response;

namespace {

constexpr std::string_view export_kind = "customers.export";
constexpr int page_rows = 200;  // the list's largest page

// The filter as the list's query parameters: each member a string, number or boolean.
std::vector<std::pair<std::string, std::string>> filter_params(const json::object& filter,
                                                               std::vector<FieldError>& errors) {
    std::vector<std::pair<std::string, std::string>> params;
    for (const auto& [key, value] : filter) {
        std::string name(key);
        if (name == "limit" || name == "cursor" || name == "total") {
            errors.push_back({"filter." + name, "is not a filter (an export has every page)"});
        } else if (value.is_string()) {
            params.emplace_back(name, std::string(value.get_string()));
        } else if (value.is_int64() || value.is_uint64() || value.is_bool()) {
            params.emplace_back(name, json::serialize(value));
        } else {
            errors.push_back({"filter." + name, "must be a string, an integer or a boolean"});
        }
    }
    return params;
}

// The list query of a filter, with errors named `filter.<parameter>`.
ListQuery filter_query(const std::vector<std::pair<std::string, std::string>>& params) {
    try {
        return parse_list_query(params);
    } catch (const Error& e) {
        std::vector<FieldError> errors;
        for (const auto& error : e.errors()) {
            errors.push_back({"filter." + error.field, error.message});
        }
        if (errors.empty()) {
            throw;
        }
        throw Error(Code::validation_failed, "The filter is not valid.", std::move(errors));
    }
}

std::string extension(std::string_view format) {
    return format == "csv" ? "csv" : "jsonl";
}

fs::path export_file(const Config& config, int64_t tenant, int64_t job, std::string_view format) {
    return exports_dir(config) / std::to_string(tenant) /
           fmt::format("{}.{}", job, extension(format));
}

// ---------------------------------------------------------------------------------------------
// The file's rows

void write_csv_header(CsvWriter& csv) {
    csv.row(
        {"id",      "account_type", "name",          "first_name",     "last_name",  "email",
         "phone",   "mobile",       "company",       "job_title",      "website",    "street",
         "street2", "city",         "postal_code",   "state",          "country",    "locale",
         "gender",  "tags",         "portal_access", "registered_via", "created_at", "updated_at"});
}

void write_csv_row(CsvWriter& csv, const Customer& c) {
    auto text = [](const std::optional<std::string>& value) -> std::string_view {
        return value ? std::string_view(*value) : std::string_view();
    };
    std::string tags;
    for (const Ref& tag : c.tags) {
        tags += (tags.empty() ? "" : "; ") + tag.name;
    }
    std::string id = std::to_string(c.id);
    csv.row({id,
             c.account_type,
             c.name,
             text(c.first_name),
             text(c.last_name),
             text(c.email),
             text(c.phone),
             text(c.mobile),
             c.company ? std::string_view(c.company->name) : "",
             text(c.job_title),
             text(c.website),
             text(c.address.street),
             text(c.address.street2),
             text(c.address.city),
             text(c.address.postal_code),
             text(c.address.state),
             text(c.address.country),
             text(c.locale),
             text(c.gender),
             tags,
             c.portal_access ? "true" : "false",
             c.registered_via,
             c.created_at,
             c.updated_at});
}

// The job: every customer the filter matches, a page at a time, into `<job>.partial`, renamed
// when complete. Running it again (after a crash) starts the file afresh: idempotent.
void run_export(jobs::Run& run, const Config& config) {
    const jobs::Job& job = run.job();
    if (!job.tenant_id) {
        throw jobs::Permanent("an export belongs to a workspace");
    }
    const auto* payload = run.payload().if_object();
    const auto* format_value = payload ? payload->if_contains("format") : nullptr;
    const auto* filter_value = payload ? payload->if_contains("filter") : nullptr;
    if (!format_value || !format_value->is_string() || !filter_value ||
        !filter_value->is_object()) {
        throw jobs::Permanent("the payload needs a format and a filter");
    }
    std::string format(format_value->get_string());
    std::vector<FieldError> errors;
    ListQuery query = filter_query(filter_params(filter_value->get_object(), errors));
    if (!errors.empty()) {
        throw jobs::Permanent("the filter is not valid");
    }
    store::Database& db = run.db();
    int64_t tenant = *job.tenant_id;
    query.limit = 1;
    query.total = true;
    int64_t total = db.read(tenant, [&](store::Tx& tx) { return *list(tx, query).total; });
    query.total = false;
    query.limit = page_rows;
    run.progress(0, total);

    fs::path file = export_file(config, tenant, job.id, format);
    fs::create_directories(file.parent_path());
    for (const fs::path& dir : {exports_dir(config), file.parent_path()}) {
        fs::permissions(dir, fs::perms::owner_all);  // exports hold personal data: owner only
    }
    fs::path partial = file;
    partial += ".partial";
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    if (!out) {
        throw std::runtime_error("cannot write " + partial.string());
    }
    fs::permissions(partial, fs::perms::owner_read | fs::perms::owner_write);
    CsvWriter csv;  // starts with the byte order mark
    if (format == "csv") {
        write_csv_header(csv);
        out << csv.take();
    }
    int64_t rows = 0;
    auto reported = std::chrono::steady_clock::now();
    for (;;) {
        ListPage page = db.read(tenant, [&](store::Tx& tx) { return list(tx, query); });
        std::string text;
        for (const Customer& c : page.customers) {
            if (format == "csv") {
                write_csv_row(csv, c);
            } else {
                JsonWriter w(text);
                write_json(w, c, false);
                text += '\n';
            }
        }
        out << (format == "csv" ? csv.take() : text);
        rows += int64_t(page.customers.size());
        if (!out) {
            throw std::runtime_error("cannot write " + partial.string() + " (disk full?)");
        }
        if (!page.next_cursor) {
            break;
        }
        query.after = decode_cursor(*page.next_cursor);
        // A progress report a second at most: it is a write, and it is where cancellation shows.
        if (auto now = std::chrono::steady_clock::now();
            now - reported >= std::chrono::seconds(1)) {
            run.progress(rows, std::max(total, rows));
            reported = now;
        }
    }
    out.close();
    fs::rename(partial, file);
    std::string expires = format_timestamp(Clock::now() + std::chrono::hours(config.export_hours));
    run.complete([&](store::Tx& tx) {
        tx.exec(
            "UPDATE jobs SET progress_done = ?, progress_total = ? WHERE tenant_id = :tenant"
            " AND id = ?",
            rows, rows, job.id);
        return json::value(json::object{
            {"download_url", fmt::format("/api/customers/exports/{}/download", job.id)},
            {"expires_at", expires},
            {"format", format},
            {"rows", rows},
            {"bytes", int64_t(fs::file_size(file))}});
    });
}

// Deletes export files older than their lifetime (and partial ones a crash left behind).
void remove_old_exports(jobs::Run& run, const Config& config) {
    fs::path dir = exports_dir(config);
    int64_t removed = 0;
    if (fs::exists(dir)) {
        auto cutoff = fs::file_time_type::clock::now() - std::chrono::hours(config.export_hours);
        for (const auto& entry : fs::recursive_directory_iterator(dir)) {
            std::error_code ec;
            if (entry.is_regular_file(ec) && entry.last_write_time(ec) < cutoff &&
                fs::remove(entry.path(), ec)) {
                ++removed;
            }
        }
    }
    run.complete(json::object{{"removed", removed}});
}

// The job as the exports' routes show it: only export jobs of the caller's workspace.
jobs::Job find_export(RequestContext& ctx) {
    int64_t id = ctx.id_param("id");
    auto job = ctx.read([&](store::Tx& tx) { return jobs::find(tx, id); });
    if (!job || job->kind != export_kind) {
        throw Error(Code::not_found, fmt::format("There is no export {}.", id));
    }
    return *job;
}

Task<Response> start_export(RequestContext& ctx) {
    std::vector<FieldError> errors;
    json::object body = ctx.json_body();
    ObjectReader in(body, "", errors);
    auto format = in.string("format", {.min = 1, .max = 10, .nullable = false});
    auto filter = in.object("filter", true);
    in.finish();
    if (!format.present) {
        in.fail("format", "is required");
    } else if (format.value != "csv" && format.value != "jsonl") {
        in.fail("format", "must be csv or jsonl");
    }
    json::object filter_object;
    if (filter.has_value()) {
        filter_object = *filter.value;
        filter_query(filter_params(filter_object, errors));  // refused now rather than in the job
    }
    throw_if_invalid(errors);
    json::object payload{{"format", format.value}, {"filter", std::move(filter_object)}};
    jobs::Job job = co_await ctx.write([&](store::Tx& tx) {
        jobs::EnqueueOptions options;
        options.max_attempts = 3;
        int64_t id = *jobs::enqueue(tx, export_kind, payload, options);
        return *jobs::find(tx, id);
    });
    Response response = Response::json(202, jobs::to_json(job));
    response.set_header("Location", fmt::format("/api/customers/exports/{}", job.id));
    co_return response;
}

Task<Response> get_export(RequestContext& ctx) {
    co_return Response::json(200, jobs::to_json(find_export(ctx)));
}

Task<Response> download_export(RequestContext& ctx) {
    jobs::Job job = find_export(ctx);
    if (job.state != "done") {
        throw Error(Code::conflict,
                    fmt::format("Export {} is {}: it can be downloaded once it is done.", job.id,
                                job.state));
    }
    const Config& config = *ctx.app.config;
    auto finished = parse_timestamp(job.finished_at.value_or(""));
    std::string format = json::value_to<std::string>(json::parse(job.payload).at("format"));
    fs::path file = export_file(config, ctx.tenant(), job.id, format);
    bool fresh = finished && Clock::now() - *finished < std::chrono::hours(config.export_hours);
    auto stream = std::make_shared<std::ifstream>(file, std::ios::binary);
    if (!fresh || !*stream) {
        throw Error(Code::not_found,
                    fmt::format("Export {} has expired (downloads last {} hours); start a new one.",
                                job.id, config.export_hours));
    }
    Response response;
    response.content_type = format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson";
    response.set_header(
        "Content-Disposition",
        fmt::format("attachment; filename=\"customers-{}.{}\"", job.id, extension(format)));
    response.stream = [stream]() -> std::string {
        std::string piece(64 * 1024, '\0');
        stream->read(piece.data(), std::streamsize(piece.size()));
        piece.resize(size_t(stream->gcount()));
        return piece;  // empty at the end of the file: the end of the body
    };
    co_return response;
}

}  // namespace

fs::path exports_dir(const Config& config) {
    if (store::is_postgres_url(config.db)) {
        return fs::path("data") / "exports";
    }
    return fs::path(config.db).parent_path() / "exports";
}

void register_export_routes(http::Router& router, App&) {
    using http::Method;
    router.add(Method::post, "/api/customers/exports", perm::read, start_export);
    router.add(Method::get, "/api/customers/exports/{id}", perm::read, get_export);
    router.add(Method::get, "/api/customers/exports/{id}/download", perm::read, download_export);
}

void register_export_jobs(jobs::Registry& registry, const Config& config) {
    registry.add(std::string(export_kind), [&config](jobs::Run& run) { run_export(run, config); });
    registry.add("customers.export_cleanup",
                 [&config](jobs::Run& run) { remove_old_exports(run, config); });
    registry.add_schedule({.name = "customers.export_cleanup",
                           .kind = "customers.export_cleanup",
                           .schedule = jobs::Schedule::every(60),
                           .payload = json::object()});
}

}  // namespace clientele::customers
