#include "http/server.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <list>
#include <mutex>
#include <thread>

#include "auth/crypto.hpp"
#include "http/problem.hpp"

namespace clientele::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;

namespace {

struct Connection {
    explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
    beast::tcp_stream stream;
    std::string remote;
    bool idle = true;  //!< waiting for the first byte of a request; touched on the strand only
};

bool valid_request_id(std::string_view id) {
    if (id.empty() || id.size() > 64) {
        return false;
    }
    for (char c : id) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || c == '.';
        if (!ok) {
            return false;
        }
    }
    return true;
}

// An error of the HTTP parser that means the client sent something that is not HTTP/1.1 (and is
// still listening for an answer), rather than a connection that ended or timed out.
bool is_syntax_error(const beast::error_code& ec) {
    return ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
           ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
}

// The end of a request head in `data` (past its empty line), searching from `from`; npos when the
// head is not complete. A bare LF ends lines too here, so the parser gets to refuse it.
size_t head_end(std::string_view data, size_t from) {
    size_t crlf = data.find("\n\r\n", from);
    size_t lf = data.find("\n\n", from);
    size_t end = std::min(crlf, lf);
    if (end == std::string_view::npos) {
        return end;
    }
    return end + (end == crlf ? 3 : 2);
}

// True when a line of a request head begins with white space: a field folded onto the next line
// (obs-fold), or space before the first field. Beast joins folded lines; RFC 9112 §5.2 lets a
// server refuse them instead, which we do, as a proxy in front might read them differently.
bool is_folded(std::string_view head) {
    return head.find("\n ") != std::string_view::npos ||
           head.find("\n\t") != std::string_view::npos;
}

// What makes a request's framing untrustworthy, which RFC 9112 answers with 400 and a close:
// a folded header line (`folded`, see is_folded), a transfer coding other than a final chunked
// (§6.1), or Transfer-Encoding beside Content-Length (§6.3: the two could be read differently by
// a proxy in front). Empty when there is none.
std::string framing_problem(bool folded, const bhttp::request_parser<bhttp::string_body>& parser) {
    if (folded) {
        return "A header line is folded onto the next (obsolete line folding): send each field "
               "on one line.";
    }
    const auto& fields = parser.get();
    auto codings = fields.equal_range(bhttp::field::transfer_encoding);
    if (codings.first == codings.second) {
        return {};
    }
    if (fields.count(bhttp::field::content_length) > 0) {
        return "A request may not have both Transfer-Encoding and Content-Length.";
    }
    size_t chunked = 0, others = 0;
    for (auto it = codings.first; it != codings.second; ++it) {
        for (auto coding : bhttp::token_list{it->value()}) {
            (beast::iequals(coding, "chunked") ? chunked : others) += 1;
        }
    }
    if (chunked != 1 || others != 0 || !parser.chunked()) {
        return "The only transfer coding this server accepts is chunked (once, and last).";
    }
    return {};
}

}  // namespace

std::pair<std::string, uint16_t> parse_listen_address(const std::string& text) {
    size_t colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0) {
        throw std::invalid_argument("listen address must be HOST:PORT, got " + text);
    }
    std::string host = text.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    unsigned port = 0;
    const char* begin = text.data() + colon + 1;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(begin, end, port);
    if (ec != std::errc() || ptr != end || begin == end || port > 65535) {
        throw std::invalid_argument("bad port in listen address " + text);
    }
    return {host, uint16_t(port)};
}

struct Server::Impl {
    Impl(ServerOptions opts, Dispatch fn)
        : options(std::move(opts)),
          dispatch(std::move(fn)),
          ioc(options.io_threads),
          control(net::make_strand(ioc)),
          workers(size_t(options.workers)),
          acceptor(control),
          signals(control, SIGINT, SIGTERM),
          shutdown_deadline(control),
          id_prefix(auth::random_token(6)) {}

    ServerOptions options;
    Dispatch dispatch;
    net::io_context ioc;
    // The acceptor, the signals and the shutdown timer are used from this strand only.
    net::strand<net::io_context::executor_type> control;
    net::thread_pool workers;
    tcp::acceptor acceptor;
    net::signal_set signals;
    net::steady_timer shutdown_deadline;
    std::string id_prefix;
    std::atomic<uint64_t> next_request{0};
    std::atomic<bool> stopping{false};

    std::mutex connections_mutex;
    std::list<std::weak_ptr<Connection>> connections;

    std::shared_ptr<spdlog::logger> access = spdlog::get("access");

    std::string new_request_id() {
        return fmt::format("{}-{:x}", id_prefix,
                           next_request.fetch_add(1, std::memory_order_relaxed));
    }

    net::awaitable<void> accept_loop() {
        for (;;) {
            auto [ec, accepted] = co_await acceptor.async_accept(net::make_strand(ioc),
                                                                 net::as_tuple(net::use_awaitable));
            if (ec) {
                if (!acceptor.is_open() || ec == net::error::operation_aborted) {
                    co_return;
                }
                spdlog::warn("accept failed: {}", ec.message());
                // Out of file descriptors and the like: wait a moment instead of spinning.
                net::steady_timer pause(ioc, std::chrono::milliseconds(50));
                co_await pause.async_wait(net::as_tuple(net::use_awaitable));
                continue;
            }
            beast::error_code option_ec;
            accepted.set_option(tcp::no_delay(true), option_ec);
            auto connection = std::make_shared<Connection>(tcp::socket(std::move(accepted)));
            beast::error_code endpoint_ec;
            auto endpoint = connection->stream.socket().remote_endpoint(endpoint_ec);
            connection->remote = endpoint_ec ? "?" : endpoint.address().to_string();
            std::list<std::weak_ptr<Connection>>::iterator entry;
            {
                std::lock_guard lock(connections_mutex);
                entry = connections.insert(connections.end(), connection);
            }
            net::co_spawn(connection->stream.get_executor(), session(connection, entry),
                          net::detached);
        }
    }

    // Reads until `buffer` holds a whole request head (or more than the header limit, which the
    // parser then refuses). The wait for a request's first byte has the idle timeout; from that
    // byte on, the request timeout holds for the whole request, so a client trickling its head a
    // byte at a time cannot keep the connection. Returns the head's length (0: over the limit).
    net::awaitable<std::pair<beast::error_code, size_t>> read_head(Connection& connection,
                                                                   beast::flat_buffer& buffer) {
        auto& stream = connection.stream;
        auto started = [&] {
            connection.idle = false;
            stream.expires_after(options.request_timeout);
        };
        if (buffer.size() == 0) {
            connection.idle = true;
            stream.expires_after(options.idle_timeout);
        } else {  // pipelined: the next request's first bytes came with the last one
            started();
        }
        size_t searched = 0;
        for (;;) {
            std::string_view data(static_cast<const char*>(buffer.data().data()), buffer.size());
            if (size_t end = head_end(data, searched); end != std::string_view::npos) {
                co_return std::pair{beast::error_code{}, end};
            }
            if (data.size() > options.max_header) {
                co_return std::pair{beast::error_code{}, size_t{0}};
            }
            searched = data.size() < 3 ? 0 : data.size() - 3;
            auto [ec, n] = co_await stream.async_read_some(buffer.prepare(8192),
                                                           net::as_tuple(net::use_awaitable));
            if (ec) {
                co_return std::pair{ec, size_t{0}};
            }
            buffer.commit(n);
            if (connection.idle) {
                started();
            }
        }
    }

    // The body limit of the route a request is for (routes that take uploads allow more).
    // Looked up only when a body follows: the lookup parses the target and matches the route on
    // this I/O thread.
    size_t body_limit(const bhttp::request_parser<bhttp::string_body>& parser) const {
        return options.body_limit_for
                   ? options.body_limit_for(parser.get().method_string(), parser.get().target())
                   : options.max_body;
    }

    Error too_large(size_t limit) const {
        return Error(Code::payload_too_large,
                     fmt::format("The body may be at most {} bytes.", limit));
    }

    // Writes a problem response outside the pipeline (errors found while reading) and closes.
    net::awaitable<void> reply_and_close(Connection& connection, unsigned version, Error error,
                                         std::string_view target = {}) {
        Request request;
        request.request_id = new_request_id();
        request.path = target.substr(0, target.find('?'));
        Response response = problem_response(error, request);
        bhttp::response<bhttp::string_body> res{bhttp::status(response.status), version};
        set_headers(res, request, response);
        res.keep_alive(false);
        res.body() = std::move(response.body);
        res.prepare_payload();
        connection.stream.expires_after(options.request_timeout);
        auto [write_ec, written] =
            co_await bhttp::async_write(connection.stream, res, net::as_tuple(net::use_awaitable));
        if (write_ec) {
            co_return;
        }
        // Lingering close: the client may still be sending the body we refused. Closing now with
        // unread data would reset the connection, and the client might never see our answer; so
        // stop sending and read (and drop) what comes for a short while first.
        beast::error_code ec;
        connection.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        connection.stream.expires_after(std::chrono::seconds(2));
        std::array<char, 16384> sink;
        for (size_t drained = 0; drained < 4 * options.max_body + (1 << 20);) {
            auto [read_ec, n] = co_await connection.stream.async_read_some(
                net::buffer(sink), net::as_tuple(net::use_awaitable));
            if (read_ec) {
                break;
            }
            drained += n;
        }
    }

    template <class Message>
    static void set_headers(Message& res, const Request& request, const Response& response) {
        if (!response.content_type.empty()) {
            res.set(bhttp::field::content_type, response.content_type);
        }
        res.set("X-Request-Id", request.request_id);
        res.set("X-Content-Type-Options", "nosniff");
        // API answers are not cached, unless the handler says how (avatars).
        if (request.path.starts_with("/api/") && !response.header("Cache-Control")) {
            res.set(bhttp::field::cache_control, "no-store");
        }
        for (const auto& [name, value] : response.headers) {
            res.insert(name, value);
        }
    }

    // Calls a body stream for its next piece on the worker pool (it runs SQL) and resumes here.
    // nullopt when the stream threw: the status line has gone out, so it cannot be reported.
    net::awaitable<std::optional<std::string>> next_piece(const BodyStream& body) {
        co_return co_await net::async_initiate<const net::use_awaitable_t<>&,
                                               void(std::optional<std::string>)>(
            [this, &body](auto handler) {
                auto shared = std::make_shared<decltype(handler)>(std::move(handler));
                net::post(workers, [&body, shared] {
                    std::optional<std::string> piece;
                    try {
                        piece = body();
                    } catch (const std::exception& e) {
                        spdlog::error("a streamed response failed: {}", e.what());
                    }
                    auto executor = net::get_associated_executor(*shared);
                    net::post(executor, [shared, piece = std::move(piece)]() mutable {
                        (*shared)(std::move(piece));
                    });
                });
            },
            net::use_awaitable);
    }

    net::awaitable<std::optional<std::string>> gather_on_workers(const BodyStream& body) {
        std::string whole;
        while (true) {
            std::optional<std::string> piece = co_await next_piece(body);
            if (!piece) {
                co_return std::nullopt;
            }
            if (piece->empty()) {
                co_return whole;
            }
            whole += *piece;
        }
    }

    // Sends a streamed body with chunked transfer encoding, a piece as soon as it is produced and
    // the next produced only once the last is written, so a slow client holds back the export
    // instead of growing memory. If the stream fails, the connection is dropped without the last
    // chunk, so the client sees a cut-off transfer and not a complete-looking short file.
    net::awaitable<std::pair<beast::error_code, size_t>> write_streamed(beast::tcp_stream& stream,
                                                                        const Request& request,
                                                                        const Response& response,
                                                                        unsigned version,
                                                                        bool keep_alive) {
        bhttp::response<bhttp::empty_body> res{bhttp::status(response.status), version};
        set_headers(res, request, response);
        res.chunked(true);
        res.keep_alive(keep_alive);
        bhttp::response_serializer<bhttp::empty_body> serializer{res};
        auto [ec, written] = co_await bhttp::async_write_header(stream, serializer,
                                                                net::as_tuple(net::use_awaitable));
        size_t body_size = 0;
        while (!ec) {
            std::optional<std::string> piece = co_await next_piece(response.stream);
            if (!piece) {
                co_return std::pair{beast::error_code(net::error::connection_aborted), body_size};
            }
            stream.expires_after(options.request_timeout);
            if (piece->empty()) {
                std::tie(ec, written) = co_await net::async_write(
                    stream, bhttp::make_chunk_last(), net::as_tuple(net::use_awaitable));
                break;
            }
            body_size += piece->size();
            std::tie(ec, written) = co_await net::async_write(
                stream, bhttp::make_chunk(net::buffer(*piece)), net::as_tuple(net::use_awaitable));
        }
        co_return std::pair{ec, body_size};
    }

    net::awaitable<void> session(std::shared_ptr<Connection> connection,
                                 std::list<std::weak_ptr<Connection>>::iterator entry) {
        auto& stream = connection->stream;
        beast::flat_buffer buffer;
        while (!stopping.load()) {
            bhttp::request_parser<bhttp::string_body> parser;
            parser.header_limit(uint32_t(options.max_header));
            // Until the target is known, the largest limit of any route; then the route's own.
            parser.body_limit(std::max(options.max_body, options.largest_body));

            auto [head_ec, head_size] = co_await read_head(*connection, buffer);
            if (head_ec) {
                break;
            }
            bool folded = is_folded(
                std::string_view(static_cast<const char*>(buffer.data().data()), head_size));
            auto [read_ec, header_bytes] = co_await bhttp::async_read_header(
                stream, buffer, parser, net::as_tuple(net::use_awaitable));
            if (read_ec) {
                if (read_ec == bhttp::error::body_limit) {  // a Content-Length over every limit
                    co_await reply_and_close(*connection, parser.get().version(),
                                             too_large(body_limit(parser)), parser.get().target());
                } else if (read_ec == bhttp::error::header_limit) {
                    co_await reply_and_close(
                        *connection, 11,
                        Error(Code::bad_request, "The request headers are too large."));
                } else if (is_syntax_error(read_ec)) {
                    co_await reply_and_close(
                        *connection, 11,
                        Error(Code::bad_request, "The request is not valid HTTP/1.1."));
                }
                break;
            }
            if (std::string problem = framing_problem(folded, parser); !problem.empty()) {
                co_await reply_and_close(*connection, parser.get().version(),
                                         Error(Code::bad_request, std::move(problem)),
                                         parser.get().target());
                break;
            }
            auto started = std::chrono::steady_clock::now();
            unsigned version = parser.get().version();
            size_t limit = parser.is_done() ? options.max_body : body_limit(parser);
            if (auto length = parser.content_length(); length && *length > limit) {
                co_await reply_and_close(*connection, version, too_large(limit),
                                         parser.get().target());
                break;
            }
            parser.body_limit(limit);
            if (!parser.is_done()) {
                if (beast::iequals(parser.get()[bhttp::field::expect], "100-continue")) {
                    bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_, version};
                    co_await bhttp::async_write(stream, go_on, net::as_tuple(net::use_awaitable));
                }
                // Still under the deadline set at the request's first byte (see read_head).
                auto [body_ec, body_bytes] = co_await bhttp::async_read(
                    stream, buffer, parser, net::as_tuple(net::use_awaitable));
                if (body_ec == bhttp::error::body_limit) {  // chunked, and over the limit
                    co_await reply_and_close(*connection, version, too_large(limit),
                                             parser.get().target());
                    break;
                }
                if (is_syntax_error(body_ec)) {  // a malformed chunk (a size past 64 bits, …)
                    co_await reply_and_close(*connection, version,
                                             Error(Code::bad_request,
                                                   "The request body is not valid HTTP/1.1 "
                                                   "(its chunked encoding is malformed)."),
                                             parser.get().target());
                    break;
                }
                if (body_ec) {
                    break;
                }
            }

            bhttp::request<bhttp::string_body> raw = parser.release();
            Request request;
            request.method = parse_method(raw.method_string());
            request.target = raw.target();
            request.remote_address =
                options.trusted_proxies.empty()
                    ? connection->remote
                    : client_address(connection->remote, raw["X-Forwarded-For"],
                                     options.trusted_proxies);
            auto given_id = raw["X-Request-Id"];
            request.request_id =
                valid_request_id(given_id) ? std::string(given_id) : new_request_id();
            for (const auto& field : raw) {
                request.headers.emplace_back(field.name_string(), field.value());
            }
            request.body = std::move(raw.body());

            Response response;
            if (!parse_target(request.target, request)) {
                request.path = request.target;
                response = problem_response(
                    Error(Code::bad_request, "The request target is malformed."), request);
            } else {
                // The handler runs SQL: on the worker pool, never on this I/O thread. It may
                // suspend (a commit, a password hash) and answer later from another thread;
                // this coroutine resumes on its own strand either way.
                response =
                    co_await net::async_initiate<const net::use_awaitable_t<>&, void(Response)>(
                        [this, &request](auto handler) {
                            auto shared = std::make_shared<decltype(handler)>(std::move(handler));
                            net::post(workers, [this, &request, shared] {
                                dispatch(request, [shared](Response answer) {
                                    auto executor = net::get_associated_executor(*shared);
                                    net::post(executor,
                                              [shared, answer = std::move(answer)]() mutable {
                                                  (*shared)(std::move(answer));
                                              });
                                });
                            });
                        },
                        net::use_awaitable);
            }

            bool keep_alive = raw.keep_alive() && !stopping.load();
            stream.expires_after(options.request_timeout);
            beast::error_code write_ec;
            size_t body_size = 0;
            if (response.stream && request.method != Method::head && version >= 11) {
                std::tie(write_ec, body_size) =
                    co_await write_streamed(stream, request, response, version, keep_alive);
            } else {
                if (response.stream && request.method != Method::head) {
                    // HTTP/1.0 has no chunked encoding: gather the whole body first.
                    std::optional<std::string> whole = co_await gather_on_workers(response.stream);
                    if (!whole) {
                        break;
                    }
                    response.body = std::move(*whole);
                }
                bhttp::response<bhttp::string_body> res{bhttp::status(response.status), version};
                set_headers(res, request, response);
                body_size = response.body.size();
                if (request.method == Method::head) {
                    res.content_length(body_size);
                } else {
                    res.body() = std::move(response.body);
                    res.prepare_payload();
                }
                res.keep_alive(keep_alive);
                std::tie(write_ec, std::ignore) =
                    co_await bhttp::async_write(stream, res, net::as_tuple(net::use_awaitable));
            }
            if (options.access_log && access) {
                auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                                  std::chrono::steady_clock::now() - started)
                                  .count();
                access->info("{} \"{} {}\" {} {} {:.3f}ms {}", connection->remote,
                             raw.method_string(), request.target, response.status, body_size,
                             double(micros) / 1000.0, request.request_id);
            }
            if (write_ec || !keep_alive) {
                break;
            }
        }
        beast::error_code ec;
        stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        stream.socket().close(ec);
        bool last = false;
        {
            std::lock_guard lock(connections_mutex);
            connections.erase(entry);
            last = connections.empty();
        }
        if (last && stopping.load()) {
            net::post(control, [this] { shutdown_deadline.cancel(); });
        }
    }

    void begin_shutdown() {
        if (stopping.exchange(true)) {
            return;
        }
        spdlog::info("shutting down: finishing requests in flight");
        beast::error_code ec;
        acceptor.close(ec);
        signals.cancel(ec);
        std::lock_guard lock(connections_mutex);
        // Idle connections are closed now; busy ones close after their response (keep-alive off).
        for (auto& weak : connections) {
            if (auto connection = weak.lock()) {
                net::post(connection->stream.get_executor(), [connection] {
                    if (connection->idle) {
                        connection->stream.cancel();
                    }
                });
            }
        }
        if (connections.empty()) {
            return;
        }
        shutdown_deadline.expires_after(options.shutdown_timeout);
        shutdown_deadline.async_wait([this](beast::error_code wait_ec) {
            if (!wait_ec) {
                spdlog::warn("shutdown timeout: closing the remaining connections");
                ioc.stop();
            }
        });
    }
};

Server::Server(ServerOptions options, Dispatch dispatch)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(dispatch))) {
    auto& acceptor = impl_->acceptor;
    tcp::endpoint endpoint(net::ip::make_address(impl_->options.host), impl_->options.port);
    acceptor.open(endpoint.protocol());
    acceptor.set_option(net::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(net::socket_base::max_listen_connections);
}

Server::~Server() {
    impl_->workers.join();
}

uint16_t Server::port() const {
    return impl_->acceptor.local_endpoint().port();
}

void Server::run() {
    impl_->signals.async_wait([this](beast::error_code ec, int) {
        if (!ec) {
            impl_->begin_shutdown();
        }
    });
    net::co_spawn(impl_->control, impl_->accept_loop(), net::detached);
    std::vector<std::thread> threads;
    for (int i = 1; i < impl_->options.io_threads; ++i) {
        threads.emplace_back([this] { impl_->ioc.run(); });
    }
    impl_->ioc.run();
    for (auto& thread : threads) {
        thread.join();
    }
    impl_->workers.join();
}

Resumer Server::resumer() {
    return [this](std::coroutine_handle<> handle) {
        net::post(impl_->workers, [handle] { handle.resume(); });
    };
}

void Server::stop() {
    net::post(impl_->control, [this] { impl_->begin_shutdown(); });
}

}  // namespace clientele::http
