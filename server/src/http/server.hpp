// The HTTP/1.1 transport: Beast + Asio coroutines. It reads requests under deadlines and size
// caps, hands each to the dispatch function on the worker pool (never running it on an I/O
// thread), writes the response, and shuts down gracefully on SIGINT/SIGTERM. The only file that
// includes Beast and Asio.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/task.hpp"
#include "http/message.hpp"

namespace clientele::http {

struct ServerOptions {
    std::string host = "127.0.0.1";
    uint16_t port = 8080;  //!< 0 picks a free port
    int io_threads = 2;
    int workers = 32;
    size_t max_body = 1 << 20;  //!< the body limit of routes that do not say otherwise
    //! The body limit for a request (routes that take uploads allow more); unset: max_body.
    std::function<size_t(std::string_view method, std::string_view target)> body_limit_for;
    size_t largest_body = 0;  //!< the largest limit body_limit_for gives
    size_t max_header = size_t{16} * 1024;
    std::chrono::seconds request_timeout{30};
    std::chrono::seconds idle_timeout{60};
    std::chrono::seconds shutdown_timeout{30};
    bool access_log = true;
    //! Proxies whose X-Forwarded-For is believed (see client_address in http/message.hpp).
    std::vector<std::string> trusted_proxies;
};

//! Answers a request by calling `done` once (from any thread). Called on a worker thread.
using Dispatch = std::function<void(const Request&, std::function<void(Response)> done)>;

class Server {
  public:
    //! Binds the listening socket (throws if it cannot).
    Server(ServerOptions options, Dispatch dispatch);
    ~Server();

    //! The bound port (the chosen one when the options asked for 0).
    uint16_t port() const;
    //! Serves until SIGINT, SIGTERM or stop(); returns once in-flight requests are answered
    //! (or the shutdown timeout has passed).
    void run();
    //! Begins a graceful shutdown; safe from any thread.
    void stop();
    //! Continues a suspended handler coroutine on the worker pool.
    Resumer resumer();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

//! Splits "host:port" ("[::1]:8080" for IPv6); throws std::invalid_argument when malformed.
std::pair<std::string, uint16_t> parse_listen_address(const std::string& text);

}  // namespace clientele::http
