// clientele: the command line. serve, migrate, create-admin, token create|list|revoke, demo-data,
// routes.
#include <fmt/format.h>
#include <spdlog/async.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <filesystem>
#include <iostream>
#include <thread>

#include "auth/crypto.hpp"
#include "auth/password.hpp"
#include "auth/password_policy.hpp"
#include "auth/service.hpp"
#include "auth/tokens.hpp"
#include "core/config.hpp"
#include "core/phone.hpp"
#include "core/text.hpp"
#include "demo/demo_data.hpp"
#include "http/pipeline.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"
#include "portal/service.hpp"
#include "routes.hpp"
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

// Opens the database (making its folder) and brings the schema up to date.
std::unique_ptr<store::Database> open_database(const Config& config) {
    const std::string& path = config.db;
    auto parent = std::filesystem::path(path).parent_path();
    if (!store::is_postgres_url(path) && !parent.empty()) {
        std::filesystem::create_directories(parent);
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

int serve(Config& config) {
    auto db = open_database(config);
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
    std::cout << fmt::format("listening on http://{}:{}", shown_host, server.port()) << std::endl;
    spdlog::info("serving {} with {} I/O threads and {} workers", config.db, options.io_threads,
                 options.workers);
    server.run();
    auto stats = db->stats();
    spdlog::info("stopped; {} write transactions in {} commits", stats.transactions, stats.commits);
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
        ->check(CLI::Range(int64_t(1), int64_t(100'000'000)))
        ->capture_default_str();
    demo_cmd->add_option("--seed", demo_seed, "Random seed (same seed, same customers)")
        ->capture_default_str();

    auto* routes_cmd = cli.add_subcommand("routes", "Print the route table as JSON");

    CLI11_PARSE(cli, argc, argv);

    try {
        setup_logging(config);
        auth::init_crypto();
        if (serve_cmd->parsed()) {
            return serve(config);
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
            double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            std::cout << fmt::format("added {} customers in {:.1f} s", demo_count, seconds)
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
