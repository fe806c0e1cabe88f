// hello_server: the throughput ceiling for the Clientele benchmarks.
//
// A bare Boost.Beast HTTP/1.1 keep-alive server built the way Beast's
// example/http/server/awaitable is: one C++20 coroutine (asio::awaitable)
// accepting connections, one coroutine per connection spawned with co_spawn,
// and N threads running a single io_context. Every request, whatever its
// method or target, gets `200 OK` with the body "hello" (text/plain).
//
// Usage: hello_server [--listen HOST:PORT] [--threads N]
//   --listen   address to bind (default 127.0.0.1:8081); port 0 picks a free port
//   --threads  io_context threads (default 2)
// Once the socket accepts connections it prints `listening on http://HOST:PORT`
// on stdout (flushed). SIGINT/SIGTERM stop it cleanly.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// A tcp_stream whose operations default to use_awaitable, as in Beast's example.
using tcp_stream = typename beast::tcp_stream::rebind_executor<
    asio::use_awaitable_t<>::executor_with_default<asio::any_io_executor>>::other;

constexpr std::string_view kBody = "hello";

asio::awaitable<void> do_session(tcp_stream stream) {
    // The buffer persists across reads: it may hold the start of the next
    // pipelined/keep-alive request.
    beast::flat_buffer buffer;
    try {
        for (;;) {
            stream.expires_after(std::chrono::seconds(30));

            http::request<http::string_body> req;
            co_await http::async_read(stream, buffer, req);

            http::response<http::string_body> res{http::status::ok, req.version()};
            res.set(http::field::content_type, "text/plain");
            res.keep_alive(req.keep_alive());
            res.body() = kBody;
            res.prepare_payload();

            co_await http::async_write(stream, res);

            if (!res.keep_alive())
                break;  // the client asked to close
        }
    } catch (boost::system::system_error const& se) {
        auto const ec = se.code();
        // Normal ways for a connection to end: the peer closed it, or went idle.
        if (ec != http::error::end_of_stream && ec != beast::error::timeout &&
            ec != asio::error::connection_reset && ec != asio::error::eof &&
            ec != asio::error::operation_aborted) {
            throw;
        }
    }
    // Send a TCP shutdown; errors do not matter at this point.
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> do_listen(tcp::acceptor acceptor) {
    for (;;) {
        tcp::socket socket = co_await acceptor.async_accept(asio::use_awaitable);
        beast::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        asio::co_spawn(acceptor.get_executor(), do_session(tcp_stream(std::move(socket))),
                       [](std::exception_ptr e) {
                           if (!e)
                               return;
                           try {
                               std::rethrow_exception(e);
                           } catch (std::exception const& ex) {
                               std::cerr << "hello_server: session error: " << ex.what() << '\n';
                           }
                       });
    }
}

[[noreturn]] void usage(int code) {
    (code == 0 ? std::cout : std::cerr)
        << "usage: hello_server [--listen HOST:PORT] [--threads N]\n"
           "  --listen HOST:PORT  address to bind (default 127.0.0.1:8081; port 0 = any free "
           "port)\n"
           "  --threads N         io_context threads (default 2)\n";
    std::exit(code);
}

bool parse_uint(std::string_view s, unsigned long max, unsigned long& out) {
    if (s.empty())
        return false;
    auto const* end = s.data() + s.size();
    auto [ptr, ec] = std::from_chars(s.data(), end, out);
    return ec == std::errc{} && ptr == end && out <= max;
}

// "127.0.0.1:8080", "[::1]:0", "localhost:0" -> endpoint.
tcp::endpoint parse_listen(std::string_view spec) {
    auto const colon = spec.rfind(':');
    if (colon == std::string_view::npos)
        throw std::invalid_argument("expected HOST:PORT");
    std::string_view host = spec.substr(0, colon);
    unsigned long port = 0;
    if (!parse_uint(spec.substr(colon + 1), 65535, port))
        throw std::invalid_argument("bad port");
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    if (host == "localhost")
        host = "127.0.0.1";
    if (host.empty())
        host = "0.0.0.0";
    return {asio::ip::make_address(std::string(host)), static_cast<unsigned short>(port)};
}

}  // namespace

int main(int argc, char** argv) {
    std::string listen = "127.0.0.1:8081";
    unsigned long threads = 2;

    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        auto value = [&](std::string_view name) -> std::string_view {
            // Accept both "--name value" and "--name=value".
            if (arg.size() > name.size() && arg.substr(0, name.size()) == name &&
                arg[name.size()] == '=')
                return arg.substr(name.size() + 1);
            if (i + 1 >= argc) {
                std::cerr << "hello_server: " << name << " needs a value\n";
                usage(2);
            }
            return argv[++i];
        };
        auto is = [&](std::string_view name) {
            return arg == name || (arg.substr(0, name.size()) == name && arg.size() > name.size() &&
                                   arg[name.size()] == '=');
        };
        if (arg == "-h" || arg == "--help") {
            usage(0);
        } else if (is("--listen")) {
            listen = value("--listen");
        } else if (is("--threads")) {
            auto v = value("--threads");
            if (!parse_uint(v, 1024, threads) || threads == 0) {
                std::cerr << "hello_server: --threads must be 1..1024, got '" << v << "'\n";
                return 2;
            }
        } else {
            std::cerr << "hello_server: unknown argument '" << arg << "'\n";
            usage(2);
        }
    }

    try {
        tcp::endpoint const endpoint = parse_listen(listen);

        asio::io_context ioc{static_cast<int>(threads)};

        tcp::acceptor acceptor{ioc};
        acceptor.open(endpoint.protocol());
        acceptor.set_option(asio::socket_base::reuse_address(true));
        acceptor.bind(endpoint);
        acceptor.listen(asio::socket_base::max_listen_connections);

        // The kernel accepts connections from here on: announce the real port.
        auto const local = acceptor.local_endpoint();
        std::string host = local.address().to_string();
        if (local.address().is_v6())
            host = "[" + host + "]";
        std::cout << "listening on http://" << host << ':' << local.port() << std::endl;

        asio::co_spawn(ioc, do_listen(std::move(acceptor)), [](std::exception_ptr e) {
            if (!e)
                return;
            try {
                std::rethrow_exception(e);
            } catch (std::exception const& ex) {
                std::cerr << "hello_server: acceptor error: " << ex.what() << '\n';
                std::exit(1);
            }
        });

        asio::signal_set signals{ioc, SIGINT, SIGTERM};
        signals.async_wait([&ioc](beast::error_code const&, int) { ioc.stop(); });

        std::vector<std::thread> pool;
        pool.reserve(threads - 1);
        for (unsigned long t = 1; t < threads; ++t)
            pool.emplace_back([&ioc] { ioc.run(); });
        ioc.run();
        for (auto& t : pool)
            t.join();
    } catch (std::exception const& ex) {
        std::cerr << "hello_server: " << ex.what() << " (listen " << listen << ")\n";
        return 1;
    }
    return 0;
}
