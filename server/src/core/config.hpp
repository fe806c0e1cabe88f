// Settings of a running server, from flags, CLIENTELE_* environment variables or a TOML file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace clientele {

struct Config {
    std::string db = "data/clientele.db";
    std::string listen = "127.0.0.1:8080";
    int io_threads = 0;           //!< threads running sockets (Beast/Asio); 0: one per core
    int workers = 0;              //!< threads running handlers and their SQL; 0: one per core
    size_t max_body = 1 << 20;    //!< bytes; larger bodies get 413
    int request_timeout = 30;     //!< seconds to receive a whole request once it has begun
    int idle_timeout = 60;        //!< seconds a kept-alive connection may wait for a request
    int shutdown_timeout = 30;    //!< seconds in-flight requests get to finish on SIGTERM
    int session_hours = 168;      //!< a session cookie's lifetime
    bool secure_cookies = false;  //!< add Secure to cookies (serve behind TLS)
    bool access_log = true;
    std::string log_level = "info";
    int password_threads = 1;         //!< argon2id hashes at once (each takes a core)
    int client_password_length = 12;  //!< generated client passwords (never below 8)
    std::string ui_dir = "ui/dist";   //!< the web UI's built files
    std::string public_url;           //!< for links in messages; empty: from Host
    //! Hosts whose Host header may build links when public_url is empty (the listen address is
    //! added once bound); "host" allows any port, "host:port" that one.
    std::vector<std::string> allowed_hosts;
    std::string phone_region = "IN";         //!< how a phone number without +country code is read
    int login_failures_before_lock = 5;      //!< per account; a source address gets 4 times as many
    int login_lock_seconds = 30;             //!< the first lockout; each further failure doubles it
    int password_queue = 64;                 //!< sign-ins that may wait for a hashing turn
    int portal_registrations_per_hour = 10;  //!< per source address, on every portal together
    std::vector<std::string> trusted_proxies;  //!< whose X-Forwarded-For names the client
    int db_connections = 32;  //!< read connections open at once, at most (besides the writer's)
    // Background jobs (jobs/)
    int job_workers = 1;  //!< job threads in `serve`; 0: none (a `clientele worker` runs them)
    int job_batch = 100;  //!< most jobs of a batchable kind run in one write transaction
    int job_lease_seconds = 60;  //!< a claimed job's lease; a crashed worker's jobs return after it
    double job_retry_seconds = 10;  //!< the first retry's delay; it doubles (with jitter) each time
    bool enable_test_jobs = false;  //!< registers the `test.touch` kinds (integration tests)
    std::string backup_dir;  //!< where `clientele backup` writes; empty: "backups" beside the db
    int backup_keep = 7;     //!< nightly backups kept (0: no nightly backup)
    std::string backup_at = "02:30";  //!< the nightly backup's time (UTC)
    int export_hours = 24;            //!< how long a customer export can be downloaded
    int audit_retention_days = 730;   //!< audit entries older than this are pruned daily
};

}  // namespace clientele
