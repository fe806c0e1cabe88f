"""Deadlines on every read (issue 3): an idle kept-alive connection and a request that stops
half-way are both closed by the server, which keeps serving others."""

import socket
import time
from urllib.parse import urlparse

from conftest import assert_json, read_http_response

TIMEOUT_ENV = {"CLIENTELE_IDLE_TIMEOUT": "1", "CLIENTELE_REQUEST_TIMEOUT": "1"}


def connect(server):
    url = urlparse(server.base_url)
    return socket.create_connection((url.hostname, url.port), timeout=10)


def closed_within(sock, seconds):
    """True when the server closes the connection (recv returns b"") within `seconds`."""
    sock.settimeout(seconds)
    try:
        return sock.recv(1024) == b""
    except (socket.timeout, TimeoutError):
        return False
    except ConnectionResetError:
        return True


def test_an_idle_kept_alive_connection_is_closed(server_factory):
    server = server_factory(TIMEOUT_ENV)
    with connect(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        status, _, _ = read_http_response(sock)
        assert status == 200
        started = time.monotonic()
        assert closed_within(sock, 5), "an idle connection stayed open past the idle timeout"
        assert time.monotonic() - started >= 0.5  # not before the timeout either
    assert_json(server.get("/healthz"), 200)


def test_a_request_that_stops_half_way_is_dropped(server_factory):
    server = server_factory(TIMEOUT_ENV)
    with connect(server) as sock:
        # The head promises 100 bytes of body; only 5 arrive.
        sock.sendall(b"POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 100\r\n\r\n{\"ema")
        assert closed_within(sock, 5), "a stalled request kept its connection past the request timeout"
    with connect(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # the head never ends
        assert closed_within(sock, 5), "a stalled request head kept its connection"
    assert_json(server.get("/healthz"), 200)
