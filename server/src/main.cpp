// clientele: the command line. serve, worker, migrate, create-admin, token create|list|revoke,
// demo-data, routes, jobs, backup, restore.
#include <fmt/format.h>
#include <spdlog/async.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <thread>

#include "area.hpp"
#include "auth/crypto.hpp"
#include "auth/password.hpp"
#include "auth/password_policy.hpp"
#include "auth/routes.hpp"
#include "auth/tokens.hpp"
#include "core/config.hpp"
#include "core/phone.hpp"
#include "core/text.hpp"
#include "demo/demo_data.hpp"
#include "http/pipeline.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"
#include "jobs/maintenance.hpp"
#include "jobs/registry.hpp"
#include "jobs/worker.hpp"
#include "loyalty/ledger.hpp"
#include "portal/service.hpp"
#include "store/db.hpp"
#include "store/migrate.hpp"

namespace {

using namespace clientele;

void setup_logging(const Config& config) {
    spdlog::set_default_logger(spdlog::stderr_color_mt("clientele"));
    spdlog::set_level(spdlog::level::from_str(config.log_level));
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
    // The access log goes through a queue to its own thread: I/O threads never wait on the
    // terminal.
    spdlog::init_thread_pool(16384, 1);
    auto access = spdlog::create_async_nb<spdlog::sinks::stderr_color_sink_mt>("access");
    access->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ access %v", spdlog::pattern_time_type::utc);
}

// Makes `dir` and its missing parents, open to the server's user only (0700): they hold the
// database, and with it personal data.
void create_private_directories(const std::filesystem::path& dir) {
    if (dir.empty() || std::filesystem::exists(dir)) {
        return;
    }
    create_private_directories(dir.parent_path());
    if (std::filesystem::create_directory(dir)) {
        std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                                     std::filesystem::perm_options::replace);
    }
}

// Opens the database (making its folder) and brings the schema up to date.
std::unique_ptr<store::Database> open_database(const Config& config) {
    const std::string& path = config.db;
    if (!store::is_postgres_url(path)) {
        create_private_directories(std::filesystem::path(path).parent_path());
    }
    auto db = std::make_unique<store::Database>(store::DatabaseOptions{
        .path = path, .max_read_connections = size_t(config.db_connections)});
    store::migrate(*db);
    return db;
}

// Adds --db (with CLIENTELE_DB) to a subcommand.
void add_db_option(CLI::App* command, Config& config) {
    command->add_option("--db", config.db, "SQLite database file, or a postgres:// URL")
        ->envname("CLIENTELE_DB")
        ->capture_default_str();
}

// Every area's job kinds and schedules.
jobs::Registry job_registry(const Config& config) {
    jobs::Registry registry;
    register_all_jobs(registry, config);
    return registry;
}

jobs::WorkerOptions worker_options(const Config& config) {
    return {.threads = config.job_workers,
            .lease = std::chrono::seconds(config.job_lease_seconds),
            .backoff = std::chrono::milliseconds(int64_t(config.job_retry_seconds * 1000)),
            .batch = config.job_batch};
}

// Adds the options of job workers (serve and worker).
void add_job_options(CLI::App* command, Config& config, std::string_view workers_help) {
    command->add_option("--job-workers", config.job_workers, std::string(workers_help))
        ->envname("CLIENTELE_JOB_WORKERS")
        ->check(CLI::Range(0, 64))
        ->capture_default_str();
    command
        ->add_option("--job-lease-seconds", config.job_lease_seconds,
                     "How long a claimed job is held; a crashed worker's jobs run again after it")
        ->envname("CLIENTELE_JOB_LEASE_SECONDS")
        ->check(CLI::Range(1, 3600))
        ->capture_default_str();
    command
        ->add_option("--job-batch", config.job_batch,
                     "Most due jobs of a batchable kind (loyalty's order jobs) run in one write"
                     " transaction; 1 runs each alone")
        ->envname("CLIENTELE_JOB_BATCH")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    command
        ->add_option("--job-retry-seconds", config.job_retry_seconds,
                     "Delay before a failed job's first retry (doubling, with jitter)")
        ->envname("CLIENTELE_JOB_RETRY_SECONDS")
        ->check(CLI::Range(0.01, 3600.0))
        ->capture_default_str();
    command
        ->add_option("--backup-dir", config.backup_dir,
                     "Where backups go (default: backups/ beside the database)")
        ->envname("CLIENTELE_BACKUP_DIR");
    command
        ->add_option("--backup-keep", config.backup_keep,
                     "Nightly backups kept, SQLite only (0: no nightly backup)")
        ->envname("CLIENTELE_BACKUP_KEEP")
        ->check(CLI::Range(0, 1000))
        ->capture_default_str();
    command->add_option("--backup-at", config.backup_at, "The nightly backup's time, HH:MM UTC")
        ->envname("CLIENTELE_BACKUP_AT")
        ->check([](const std::string& text) {
            return jobs::is_time_of_day(text) ? std::string() : "must be HH:MM";
        })
        ->capture_default_str();
    command
        ->add_option("--export-hours", config.export_hours,
                     "How long a finished customer export can be downloaded")
        ->envname("CLIENTELE_EXPORT_HOURS")
        ->check(CLI::Range(1, 24 * 30))
        ->capture_default_str();
    command
        ->add_option("--audit-retention-days", config.audit_retention_days,
                     "How long audit entries are kept (a daily job prunes older ones)")
        ->envname("CLIENTELE_AUDIT_RETENTION_DAYS")
        ->check(CLI::Range(1, 36500))
        ->capture_default_str();
    command
        ->add_flag("--enable-test-jobs", config.enable_test_jobs,
                   "Register the test.touch job kinds (for the integration tests)")
        ->envname("CLIENTELE_ENABLE_TEST_JOBS");
}

// Runs job workers until SIGINT or SIGTERM: `clientele worker`.
int work(Config& config) {
    auto db = open_database(config);
    std::optional<jobs::DatabaseLock> lock;
    if (!store::is_postgres_url(config.db)) {
        lock.emplace(config.db, false);
    }
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before any thread starts: they inherit it
    auto registry = job_registry(config);
    jobs::Workers workers(*db, registry, worker_options(config));
    workers.start();
    std::cout << "worker running " << config.job_workers << " job threads" << std::endl;
    int signal = 0;
    sigwait(&signals, &signal);
    spdlog::info("signal {}: finishing or releasing running jobs", signal);
    workers.stop();
    return 0;
}

int serve(Config& config) {
    auto db = open_database(config);
    std::optional<jobs::DatabaseLock> lock;
    if (!store::is_postgres_url(config.db)) {
        lock.emplace(config.db, false);
    }
    auth::PasswordHasher passwords(config.password_threads, size_t(config.password_queue));
    App app{db.get(), &passwords, &config, {}};  // resume: set once the server exists
    http::Router router;
    register_all_routes(router, app);
    router.set_fallback(http::static_files(config.ui_dir));
    http::Pipeline pipeline(app, router, [](http::RequestContext& ctx, const http::Access& access) {
        return access.kind == http::Access::Kind::portal ? portal::authenticate(ctx)
                                                         : auth::authenticate(ctx);
    });

    auto [host, port] = http::parse_listen_address(config.listen);
    http::ServerOptions options;
    options.host = host;
    options.port = port;
    int cores = int(std::max(1u, std::thread::hardware_concurrency()));
    options.io_threads = config.io_threads > 0 ? config.io_threads : cores;
    options.workers = config.workers > 0 ? config.workers : cores;
    options.max_body = config.max_body;
    options.body_limit_for = [&router, &config](std::string_view method, std::string_view target) {
        return router.body_limit(method, target, config.max_body);
    };
    options.largest_body = router.largest_body(config.max_body);
    options.request_timeout = std::chrono::seconds(config.request_timeout);
    options.idle_timeout = std::chrono::seconds(config.idle_timeout);
    options.shutdown_timeout = std::chrono::seconds(config.shutdown_timeout);
    options.access_log = config.access_log;
    options.trusted_proxies = config.trusted_proxies;
    http::Server server(options, [&](const http::Request& request, auto done) {
        pipeline.handle(request, std::move(done));
    });
    app.resume = server.resumer();
    std::string shown_host = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    // The address the server listens on may always build links (./run.sh on 127.0.0.1:8080).
    config.allowed_hosts.push_back(fmt::format("{}:{}", shown_host, server.port()));
    if (host == "127.0.0.1" || host == "::1") {
        config.allowed_hosts.push_back(fmt::format("localhost:{}", server.port()));
    }
    std::cout << fmt::format("listening on http://{}:{}", shown_host, server.port()) << std::endl;
    spdlog::info("serving {} with {} I/O threads and {} workers", config.db, options.io_threads,
                 options.workers);
    auto registry = job_registry(config);
    std::optional<jobs::Workers> workers;
    if (config.job_workers > 0) {
        workers.emplace(*db, registry, worker_options(config));
        workers->start();  // threads of their own, never the I/O threads
    }
    server.run();
    if (workers) {
        workers->stop();
    }
    auto stats = db->stats();
    spdlog::info("stopped; {} write transactions in {} commits", stats.transactions, stats.commits);
    return 0;
}

struct JobsArgs {
    std::optional<int64_t> workspace;
    std::string state, kind, payload;
    int limit = 50, count = 1;
    int64_t id = 0;
};

// clientele jobs list|retry|enqueue.
int jobs_command(Config& config, std::string_view action, const JobsArgs& args) {
    auto db = open_database(config);
    if (action == "list") {
        jobs::ListFilter filter;
        if (!args.state.empty()) {
            filter.state = jobs::parse_state(args.state);
            if (!filter.state) {
                std::cerr << "--state must be queued, running, done, failed, dead or cancelled"
                          << std::endl;
                return 2;
            }
        }
        if (!args.kind.empty()) {
            filter.kind = args.kind;
        }
        auto page = db->read(args.workspace, [&](store::Tx& tx) {
            return jobs::list(tx, filter, args.limit, std::numeric_limits<int64_t>::max());
        });
        for (const auto& job : page.rows) {
            std::cout << boost::json::serialize(jobs::to_json(job)) << "\n";
        }
        std::cout << std::flush;
        return 0;
    }
    if (action == "retry") {
        auto job =
            db->write(args.workspace, [&](store::Tx& tx) { return jobs::retry(tx, args.id); });
        std::cout << boost::json::serialize(jobs::to_json(job)) << std::endl;
        return 0;
    }
    auto registry = job_registry(config);
    if (!registry.find(args.kind)) {
        std::cerr << "no job kind " << args.kind << "; known:";
        for (const auto& kind : registry.kinds()) {
            std::cerr << " " << kind;
        }
        std::cerr << std::endl;
        return 2;
    }
    boost::system::error_code ec;
    auto payload = boost::json::parse(args.payload, ec);
    if (ec) {
        std::cerr << "--payload is not JSON: " << ec.message() << std::endl;
        return 2;
    }
    db->write(args.workspace, [&](store::Tx& tx) {
        for (int i = 0; i < args.count; ++i) {
            jobs::enqueue(tx, args.kind, payload);
        }
    });
    std::cout << "queued " << args.count << " " << args.kind << " jobs" << std::endl;
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Config config;
    CLI::App cli{"Clientele: customer and client management server"};
    cli.set_config("--config", "", "TOML file with settings (flags and CLIENTELE_* win over it)");
    cli.require_subcommand(1);

    auto* serve_cmd = cli.add_subcommand("serve", "Serve the HTTP API");
    add_db_option(serve_cmd, config);
    serve_cmd
        ->add_option("--listen", config.listen, "HOST:PORT to listen on (port 0: any free port)")
        ->envname("CLIENTELE_LISTEN")
        ->capture_default_str();
    serve_cmd
        ->add_option("--io-threads", config.io_threads, "Threads running sockets (0: one per core)")
        ->envname("CLIENTELE_IO_THREADS")
        ->check(CLI::Range(0, 64))
        ->capture_default_str();
    serve_cmd
        ->add_option("--workers", config.workers,
                     "Threads running handlers and SQL (0: one per core)")
        ->envname("CLIENTELE_WORKERS")
        ->check(CLI::Range(0, 1024))
        ->capture_default_str();
    serve_cmd->add_option("--max-body", config.max_body, "Largest request body in bytes")
        ->envname("CLIENTELE_MAX_BODY")
        ->check(CLI::Range(size_t(1024), size_t(1) << 30))
        ->capture_default_str();
    serve_cmd
        ->add_option("--request-timeout", config.request_timeout, "Seconds to receive a request")
        ->envname("CLIENTELE_REQUEST_TIMEOUT")
        ->check(CLI::Range(1, 3600))
        ->capture_default_str();
    serve_cmd
        ->add_option("--idle-timeout", config.idle_timeout,
                     "Seconds a kept-alive connection may idle")
        ->envname("CLIENTELE_IDLE_TIMEOUT")
        ->check(CLI::Range(1, 3600))
        ->capture_default_str();
    serve_cmd
        ->add_option("--shutdown-timeout", config.shutdown_timeout,
                     "Seconds to finish requests on shutdown")
        ->envname("CLIENTELE_SHUTDOWN_TIMEOUT")
        ->check(CLI::Range(0, 3600))
        ->capture_default_str();
    serve_cmd->add_option("--session-hours", config.session_hours, "Lifetime of a sign-in session")
        ->envname("CLIENTELE_SESSION_HOURS")
        ->check(CLI::Range(1, 24 * 365))
        ->capture_default_str();
    serve_cmd
        ->add_flag("--secure-cookies,!--no-secure-cookies", config.secure_cookies,
                   "Mark cookies Secure (when served over TLS)")
        ->envname("CLIENTELE_SECURE_COOKIES");
    serve_cmd->add_flag("--access-log,!--no-access-log", config.access_log, "Log every request")
        ->envname("CLIENTELE_ACCESS_LOG")
        ->capture_default_str();
    serve_cmd
        ->add_option("--login-failures-before-lock", config.login_failures_before_lock,
                     "Failed sign-ins of an account before it is locked out (an address: 4x)")
        ->envname("CLIENTELE_LOGIN_FAILURES_BEFORE_LOCK")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    serve_cmd
        ->add_option("--login-lock-seconds", config.login_lock_seconds,
                     "The first lockout; it doubles with each further failure (at most an hour)")
        ->envname("CLIENTELE_LOGIN_LOCK_SECONDS")
        ->check(CLI::Range(1, 3600))
        ->capture_default_str();
    serve_cmd
        ->add_option("--portal-registrations-per-hour", config.portal_registrations_per_hour,
                     "Portal registrations a source address may make in an hour")
        ->envname("CLIENTELE_PORTAL_REGISTRATIONS_PER_HOUR")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    serve_cmd
        ->add_option("--client-password-length", config.client_password_length,
                     "Length of generated client passwords")
        ->envname("CLIENTELE_CLIENT_PASSWORD_LENGTH")
        ->check(CLI::Range(8, 64))
        ->capture_default_str();
    serve_cmd
        ->add_option("--ui-dir", config.ui_dir, "The web UI's built files (index.html, assets/)")
        ->envname("CLIENTELE_UI_DIR")
        ->capture_default_str();
    serve_cmd
        ->add_option("--public-url", config.public_url,
                     "Where people reach the server (https://crm.example.com), for links in "
                     "messages; default: the address each request was sent to")
        ->envname("CLIENTELE_PUBLIC_URL")
        ->check([](const std::string& url) {
            bool ok =
                (url.starts_with("http://") || url.starts_with("https://")) && !url.ends_with('/');
            return ok ? std::string() : "must be http(s)://host[:port][/path] without a final /";
        });
    serve_cmd
        ->add_option("--allowed-hosts", config.allowed_hosts,
                     "Without --public-url: the hosts (host or host:port, comma-separated) whose "
                     "Host header links may be built from, besides the listen address")
        ->envname("CLIENTELE_ALLOWED_HOSTS")
        ->delimiter(',');
    serve_cmd
        ->add_option("--phone-region", config.phone_region,
                     "Country (ISO 3166-1 alpha-2) of phone numbers written without +country code")
        ->envname("CLIENTELE_PHONE_REGION")
        ->check([](const std::string& region) {
            return is_phone_region(region) ? std::string() : "not a country with phone numbers";
        })
        ->capture_default_str();
    serve_cmd
        ->add_option("--db-connections", config.db_connections,
                     "Most read connections to the database at once")
        ->envname("CLIENTELE_DB_CONNECTIONS")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    serve_cmd
        ->add_option("--trusted-proxy", config.trusted_proxies,
                     "Address of a proxy whose X-Forwarded-For names the client (repeatable)")
        ->envname("CLIENTELE_TRUSTED_PROXY")
        ->delimiter(',');
    serve_cmd->add_option("--password-threads", config.password_threads, "Password hashes at once")
        ->envname("CLIENTELE_PASSWORD_THREADS")
        ->check(CLI::Range(1, 64))
        ->capture_default_str();
    add_job_options(serve_cmd, config, "Job worker threads in this server (0: none)");
    serve_cmd
        ->add_option("--password-queue", config.password_queue,
                     "Password hashes that may wait for a turn (past it: 503)")
        ->envname("CLIENTELE_PASSWORD_QUEUE")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    cli.add_option("--log-level", config.log_level, "trace, debug, info, warn, error")
        ->envname("CLIENTELE_LOG_LEVEL")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
        ->capture_default_str();

    auto* migrate_cmd = cli.add_subcommand("migrate", "Apply pending schema migrations and exit");
    add_db_option(migrate_cmd, config);

    std::string email, password, name;
    auto* admin_cmd = cli.add_subcommand("create-admin", "Create or update the operator account");
    add_db_option(admin_cmd, config);
    admin_cmd->add_option("--email", email, "The operator's e-mail")->required();
    // The password on the command line shows in the process list: standard input or the
    // environment keep it out.
    auto* password_option =
        admin_cmd
            ->add_option("--password", password,
                         "The operator's password (8+ characters, not a common one)")
            ->envname("CLIENTELE_ADMIN_PASSWORD");
    bool password_stdin = false;
    admin_cmd
        ->add_flag("--password-stdin", password_stdin,
                   "Read the password from the first line of standard input")
        ->excludes(password_option);
    admin_cmd->add_option("--name", name, "The operator's name");

    auto* token_cmd = cli.add_subcommand("token", "Manage API tokens");
    token_cmd->require_subcommand(1);
    auto* token_create = token_cmd->add_subcommand("create", "Print a new API token for a user");
    add_db_option(token_create, config);
    std::string token_name = "api";
    token_create->add_option("--email", email, "The user the token acts as")->required();
    token_create->add_option("--name", token_name, "What the token is for")->capture_default_str();
    auto* token_list = token_cmd->add_subcommand(
        "list", "List the live API tokens (id, workspace, user, name, prefix, created)");
    add_db_option(token_list, config);
    std::string token_email;
    token_list->add_option("--email", token_email, "Only the tokens of this user");
    auto* token_revoke = token_cmd->add_subcommand("revoke", "End an API token");
    add_db_option(token_revoke, config);
    int64_t token_id = 0;
    token_revoke->add_option("id", token_id, "The token's id (from token list)")
        ->required()
        ->check(CLI::PositiveNumber);

    int64_t demo_count = 10000;
    uint64_t demo_seed = 42;
    auto* demo_cmd = cli.add_subcommand("demo-data", "Add realistic demo customers");
    add_db_option(demo_cmd, config);
    demo_cmd->add_option("--customers", demo_count, "How many")
        ->check(CLI::Range(int64_t(0), int64_t(100'000'000)))
        ->capture_default_str();
    int64_t demo_orders = 0;
    demo_cmd
        ->add_option("--orders", demo_orders,
                     "Orders over all the workspace's customers (with their value figures and "
                     "loyalty points)")
        ->check(CLI::Range(int64_t(0), int64_t(1'000'000'000)))
        ->capture_default_str();
    demo_cmd->add_option("--seed", demo_seed, "Random seed (same seed, same customers)")
        ->capture_default_str();

    auto* routes_cmd = cli.add_subcommand("routes", "Print the route table as JSON");

    auto* worker_cmd =
        cli.add_subcommand("worker", "Run background jobs only (beside servers on PostgreSQL)");
    add_db_option(worker_cmd, config);
    add_job_options(worker_cmd, config, "Job worker threads");

    auto* jobs_cmd = cli.add_subcommand("jobs", "See and retry background jobs");
    jobs_cmd->require_subcommand(1);
    std::optional<int64_t> job_workspace;
    std::string job_state, job_kind, job_payload = "{}";
    int job_limit = 50, job_count = 1;
    int64_t job_id = 0;
    auto* jobs_list = jobs_cmd->add_subcommand("list", "Print jobs, newest first, as JSON lines");
    add_db_option(jobs_list, config);
    jobs_list->add_option("--workspace", job_workspace, "A workspace's jobs (default: platform)");
    jobs_list->add_option("--state", job_state, "Only jobs in this state");
    jobs_list->add_option("--kind", job_kind, "Only jobs of this kind");
    jobs_list->add_option("--limit", job_limit, "How many")
        ->check(CLI::Range(1, 10000))
        ->capture_default_str();
    auto* jobs_retry = jobs_cmd->add_subcommand("retry", "Queue a failed or dead job again");
    add_db_option(jobs_retry, config);
    jobs_retry->add_option("id", job_id, "The job")->required();
    jobs_retry->add_option("--workspace", job_workspace, "Its workspace (default: platform)");
    auto* jobs_enqueue = jobs_cmd->add_subcommand("enqueue", "Queue jobs of a registered kind");
    add_db_option(jobs_enqueue, config);
    jobs_enqueue->add_option("kind", job_kind, "The job kind")->required();
    jobs_enqueue->add_option("--payload", job_payload, "Its payload (JSON)")->capture_default_str();
    jobs_enqueue->add_option("--workspace", job_workspace, "Its workspace (default: platform)");
    jobs_enqueue->add_option("--count", job_count, "How many such jobs")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    jobs_enqueue->add_flag("--enable-test-jobs", config.enable_test_jobs,
                           "Allow the test.touch kinds");

    auto* backup_cmd = cli.add_subcommand(
        "backup", "Copy the SQLite database into a dated file while it serves (online backup)");
    add_db_option(backup_cmd, config);
    backup_cmd
        ->add_option("--backup-dir", config.backup_dir,
                     "Where (default: backups/ beside the database)")
        ->envname("CLIENTELE_BACKUP_DIR");
    std::string restore_file;
    auto* restore_cmd = cli.add_subcommand(
        "restore", "Replace the SQLite database with a backup (no server may be running on it)");
    add_db_option(restore_cmd, config);
    restore_cmd->add_option("file", restore_file, "The backup file")->required();

    auto* loyalty_cmd = cli.add_subcommand("loyalty", "Loyalty points");
    loyalty_cmd->require_subcommand(1);
    auto* loyalty_rebuild = loyalty_cmd->add_subcommand(
        "rebuild", "Set every customer's cached points balance from the ledger");
    add_db_option(loyalty_rebuild, config);

    CLI11_PARSE(cli, argc, argv);

    try {
        setup_logging(config);
        auth::init_crypto();
        if (serve_cmd->parsed()) {
            return serve(config);
        }
        if (worker_cmd->parsed()) {
            return work(config);
        }
        if (jobs_cmd->parsed()) {
            return jobs_command(config,
                                jobs_list->parsed()    ? "list"
                                : jobs_retry->parsed() ? "retry"
                                                       : "enqueue",
                                JobsArgs{job_workspace, job_state, job_kind, job_payload, job_limit,
                                         job_count, job_id});
        }
        if (backup_cmd->parsed()) {
            if (store::is_postgres_url(config.db)) {
                std::cerr
                    << "clientele backup copies SQLite databases; back PostgreSQL up with its "
                       "own tools: pg_dump (or pg_basebackup for a whole cluster)"
                    << std::endl;
                return 2;
            }
            if (!std::filesystem::exists(config.db)) {
                std::cerr << "there is no database at " << config.db << std::endl;
                return 2;
            }
            auto file = jobs::backup_sqlite(config.db, jobs::backup_dir(config));
            std::cout << file.string() << std::endl;
            return 0;
        }
        if (restore_cmd->parsed()) {
            if (store::is_postgres_url(config.db)) {
                std::cerr << "clientele restore restores SQLite backups; restore PostgreSQL with "
                             "pg_restore or psql"
                          << std::endl;
                return 2;
            }
            try {
                jobs::DatabaseLock lock(config.db, true);
                jobs::restore_sqlite(config.db, restore_file);
            } catch (const std::runtime_error& e) {
                std::cerr << e.what() << std::endl;
                return 2;
            }
            auto db = open_database(config);  // a backup of an older version is migrated
            std::cout << "restored " << config.db << " from " << restore_file << std::endl;
            return 0;
        }
        if (loyalty_rebuild->parsed()) {
            auto db = open_database(config);
            int64_t wrong = loyalty::rebuild_balances(*db);
            std::cout << fmt::format(
                             "{} customer balance(s) differed from the ledger and were set "
                             "from it",
                             wrong)
                      << std::endl;
            return 0;
        }
        if (migrate_cmd->parsed()) {
            auto db = open_database(config);
            std::cout << "database " << config.db << " is up to date" << std::endl;
            return 0;
        }
        if (admin_cmd->parsed()) {
            if (password_stdin) {
                std::getline(std::cin, password);
            } else if (password_option->count() == 0) {
                std::cerr << "the password is required: --password-stdin, CLIENTELE_ADMIN_PASSWORD"
                             " or --password"
                          << std::endl;
                return 2;
            }
            if (auto problem = auth::password_problem(password)) {
                std::cerr << "the password " << *problem << std::endl;
                return 2;
            }
            auto db = open_database(config);
            auth::PasswordHasher passwords(1, 1);  // only its blocking hash() is used here
            int64_t id = auth::create_operator(*db, passwords, email, password, name);
            std::cout << "operator " << email << " (user " << id << ") is ready" << std::endl;
            return 0;
        }
        if (token_create->parsed()) {
            auto db = open_database(config);
            std::cout << auth::create_api_token(*db, email, token_name) << std::endl;
            return 0;
        }
        if (token_list->parsed()) {
            auto db = open_database(config);
            std::optional<std::string> only;
            if (!token_email.empty()) {
                only = ascii_lower(trim(token_email));
            }
            for (const auto& t : auth::list_all_tokens(*db, only)) {
                std::cout << fmt::format("{}\t{}\t{}\t{}\t{}\t{}", t.id, t.tenant_id, t.user_email,
                                         t.name, t.prefix, t.created_at)
                          << std::endl;
            }
            return 0;
        }
        if (token_revoke->parsed()) {
            auto db = open_database(config);
            if (!auth::revoke_token(*db, token_id)) {
                std::cerr << "there is no live API token " << token_id << std::endl;
                return 1;
            }
            std::cout << "token " << token_id << " is revoked" << std::endl;
            return 0;
        }
        if (demo_cmd->parsed()) {
            auto db = open_database(config);
            auto started = std::chrono::steady_clock::now();
            demo::add_customers(*db, 1, demo_count, demo_seed);
            if (demo_orders > 0) {
                demo::add_orders(*db, 1, demo_orders, demo_seed);
            }
            double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            std::cout << fmt::format("added {} customers and {} orders in {:.1f} s", demo_count,
                                     demo_orders, seconds)
                      << std::endl;
            return 0;
        }
        if (routes_cmd->parsed()) {
            App app;
            http::Router router;
            register_all_routes(router, app);
            boost::json::array out;
            for (const auto& route : router.routes()) {
                out.push_back(boost::json::object{
                    {"method", http::method_name(route.method)},
                    {"path", route.pattern},
                    {"public", route.access.kind == http::Access::Kind::public_},
                    {"access", route.access.name()}});
            }
            std::cout << boost::json::serialize(out) << std::endl;
            return 0;
        }
    } catch (const std::exception& e) {
        spdlog::critical("{}", e.what());
        return 1;
    }
    return 0;
}
