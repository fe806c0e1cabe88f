"""HTTP/1.1 framing the server refuses (issue 12, findings 9, 10 and 11), over raw sockets: what a
proxy in front could read differently from us is answered 400 and the connection closed (RFC 9112),
a trickled request head gets no more time than a whole request, and a too large body is told the
limit of its own route."""

import json
import socket
import time

from conftest import assert_json, create_customer, read_http_response

MIB = 1024 * 1024


def connect(server):
    return socket.create_connection((server.host, server.port), timeout=15)


def closed(sock, seconds=5.0) -> bool:
    """True when the server has closed the connection (after any answer) within `seconds`."""
    sock.settimeout(seconds)
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return True
    except (socket.timeout, TimeoutError):
        return False
    except ConnectionResetError:
        return True


def exchange(server, raw: bytes):
    """Sends `raw` on a new connection: (status, headers, body, closed afterwards)."""
    with connect(server) as sock:
        sock.sendall(raw)
        status, headers, body = read_http_response(sock)
        return status, headers, body, closed(sock)


def customer_post(server, headers: str, body: bytes) -> bytes:
    return (f"POST /api/customers HTTP/1.1\r\nHost: {server.host}:{server.port}\r\n"
            f"Authorization: Bearer {server.token}\r\nContent-Type: application/json\r\n"
            f"{headers}\r\n").encode() + body


def assert_400_and_closed(server, raw: bytes, words: str):
    status, headers, body, was_closed = exchange(server, raw)
    assert status == 400, body[:300]
    problem = json.loads(body)
    assert problem["type"] == "/problems/bad-request" and words in problem["detail"], problem
    assert headers.get("connection", "").lower() == "close"
    assert was_closed, "the connection stayed open after a request it could not frame"


def total(server) -> int:
    return assert_json(server.get("/api/customers?total=true&limit=1"), 200)["total"]


def test_a_transfer_coding_other_than_chunked_beside_content_length_is_400(server):
    before = total(server)
    body = json.dumps({"name": "Smuggled"}).encode()
    for coding in ["xchunked", "chunked, identity", "gzip", "identity"]:
        raw = customer_post(server, f"Transfer-Encoding: {coding}\r\nContent-Length: {len(body)}\r\n", body)
        assert_400_and_closed(server, raw, "Transfer-Encoding")
    assert total(server) == before


def test_an_unknown_transfer_coding_without_content_length_is_400(server):
    chunked = b"5\r\n{\"a\":\r\n0\r\n\r\n"
    for coding in ["xchunked", "gzip, chunked", "chunked, gzip"]:
        raw = customer_post(server, f"Transfer-Encoding: {coding}\r\n", chunked)
        assert_400_and_closed(server, raw, "transfer coding")


def test_plain_chunked_still_works(server):
    body = json.dumps({"name": "Chunked Customer"}).encode()
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in [body[:7], body[7:]]) + b"0\r\n\r\n"
    status, _, answer, _ = exchange(server, customer_post(server, "Transfer-Encoding: chunked\r\nConnection: close\r\n", chunks))
    assert status == 201, answer[:300]
    assert json.loads(answer)["name"] == "Chunked Customer"


def test_an_oversized_chunk_size_is_400(server):
    for size in [b"fffffffffffffffffffff", b"1" + b"0" * 40]:
        raw = customer_post(server, "Transfer-Encoding: chunked\r\n", size + b"\r\n{}\r\n0\r\n\r\n")
        assert_400_and_closed(server, raw, "chunked")
    assert_json(server.get("/healthz"), 200)


def test_a_folded_header_line_is_400(server):
    raw = (f"GET /api/customers HTTP/1.1\r\nHost: {server.host}\r\nAuthorization: Bearer {server.token}\r\n"
           f"X-Note: first\r\n second\r\n\r\n").encode()
    assert_400_and_closed(server, raw, "folded")
    raw = (f"GET /api/customers HTTP/1.1\r\nHost: {server.host}\r\n"
           f"Authorization: Bearer\r\n\t{server.token}\r\n\r\n").encode()
    assert_400_and_closed(server, raw, "folded")
    # Without the fold the same request is fine.
    raw = (f"GET /api/customers?limit=1 HTTP/1.1\r\nHost: {server.host}\r\nAuthorization: Bearer {server.token}\r\n"
           f"X-Note: first second\r\nConnection: close\r\n\r\n").encode()
    assert exchange(server, raw)[0] == 200


def test_a_pipelined_request_after_a_good_one_is_read_as_its_own(server):
    # The head is read ahead of the parser: bytes of the next request must stay for it.
    c = create_customer(server)
    one = (f"GET /api/customers/{c['id']} HTTP/1.1\r\nHost: {server.host}\r\n"
           f"Authorization: Bearer {server.token}\r\n").encode()
    with connect(server) as sock:
        sock.sendall(one + b"\r\n" + one + b"Connection: close\r\n\r\n")
        received = b""
        sock.settimeout(15)
        while chunk := sock.recv(65536):
            received += chunk
    assert received.count(b"HTTP/1.1 200 OK\r\n") == 2, received[:600]
    assert received.count(b'"id":%d,' % c["id"]) == 2


def test_a_body_over_the_limit_is_told_its_routes_limit(server):
    # Over every route's limit: answered from the Content-Length, before the body is sent.
    for path, limit in [("/api/customers", MIB), ("/api/customers/1/avatar", 2 * MIB)]:
        method = "PUT" if path.endswith("avatar") else "POST"
        raw = (f"{method} {path} HTTP/1.1\r\nHost: {server.host}\r\nAuthorization: Bearer {server.token}\r\n"
               f"Content-Type: application/json\r\nContent-Length: {3 * MIB}\r\n\r\n").encode()
        with connect(server) as sock:
            sock.sendall(raw)
            status, _, body = read_http_response(sock)
        problem = json.loads(body)
        assert status == 413 and problem["type"] == "/problems/payload-too-large", body[:300]
        assert problem["detail"] == f"The body may be at most {limit} bytes.", (path, problem)


def test_a_trickled_request_head_gets_the_request_timeout(server_factory):
    """The idle timeout (here 30 s) is for waiting for a request; once its first byte is in, the
    whole request must come within the request timeout (here 2 s), one byte at a time or not."""
    server = server_factory({"CLIENTELE_IDLE_TIMEOUT": "30", "CLIENTELE_REQUEST_TIMEOUT": "2"})
    head = f"GET /healthz HTTP/1.1\r\nHost: {server.host}\r\nX-Padding: {'a' * 200}\r\n\r\n".encode()
    with connect(server) as sock:
        started = time.monotonic()
        was_closed = False
        for byte in head:
            try:
                sock.sendall(bytes([byte]))
            except (BrokenPipeError, ConnectionResetError):
                was_closed = True
                break
            sock.settimeout(0.25)
            try:
                if sock.recv(1024) == b"":
                    was_closed = True
                    break
            except (socket.timeout, TimeoutError):
                pass
            except ConnectionResetError:
                was_closed = True
                break
        elapsed = time.monotonic() - started
    assert was_closed, "a head trickled over the request timeout was still being read"
    assert 1.5 <= elapsed < 10, elapsed
    # A whole request sent at once within the deadline is served, on the same settings.
    assert_json(server.get("/healthz"), 200)
