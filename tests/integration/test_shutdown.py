"""Graceful shutdown on SIGTERM: in-flight requests finish, new connections are refused, exit 0 in 10 s."""

import http.client
import json
import signal
import socket
import threading
import time

import pytest

from conftest import SHUTDOWN_TIMEOUT, create_customer, read_http_response


def keepalive_connection(srv) -> http.client.HTTPConnection:
    """A connection the server has accepted and served once, left open (HTTP/1.1 keep-alive)."""
    conn = http.client.HTTPConnection(srv.host, srv.port, timeout=15)
    conn.request("GET", "/healthz")
    resp = conn.getresponse()
    assert resp.status == 200
    resp.read()
    assert not resp.will_close, "the server closed a keep-alive connection after one request"
    return conn


def assert_refused(srv):
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((srv.host, srv.port), timeout=2).close()


def wait_exit(srv, t0):
    try:
        rc = srv.proc.wait(timeout=max(0.1, SHUTDOWN_TIMEOUT - (time.monotonic() - t0)))
    except Exception:
        srv.kill()
        pytest.fail(f"server still running {SHUTDOWN_TIMEOUT} s after SIGTERM\n{srv.output()}")
    assert rc == 0, f"exit code {rc}\n{srv.output()}"
    return time.monotonic() - t0


def test_in_flight_list_request_completes_on_sigterm(fresh_server):
    srv = fresh_server
    n = 150
    for i in range(n):
        create_customer(srv, notes="x" * 200, address={"city": f"City {i}", "country": "US"})

    idle = [keepalive_connection(srv) for _ in range(3)]  # idle keep-alive connections must not hold up the exit
    busy = keepalive_connection(srv)

    result = {}
    sent = threading.Event()

    def list_request():
        try:
            busy.request("GET", "/api/customers?limit=200&sort=name&total=true",
                         headers={"Authorization": f"Bearer {srv.token}"})
            sent.set()
            resp = busy.getresponse()
            result["status"] = resp.status
            result["body"] = resp.read()
        except Exception as exc:  # noqa: BLE001 - asserted below
            result["error"] = exc
            sent.set()

    t = threading.Thread(target=list_request)
    t.start()
    assert sent.wait(10)
    time.sleep(0.05)  # the request is on the wire, on an accepted connection
    t0 = time.monotonic()
    srv.terminate(signal.SIGTERM)
    t.join(15)

    assert "error" not in result, f"in-flight request failed: {result.get('error')!r}\n{srv.output()}"
    assert result.get("status") == 200, result
    body = json.loads(result["body"])
    assert len(body["data"]) == n and body["total"] == n and body["next_cursor"] is None

    elapsed = wait_exit(srv, t0)
    assert elapsed < SHUTDOWN_TIMEOUT
    assert_refused(srv)
    for conn in idle:
        # The idle connections were closed by the server (or the process exit).
        try:
            conn.request("GET", "/healthz")
            resp = conn.getresponse()
            pytest.fail(f"a request was served after shutdown: {resp.status}")
        except (ConnectionError, http.client.HTTPException, OSError):
            pass
        finally:
            conn.close()
    busy.close()


def test_request_mid_body_completes_and_new_connections_are_refused(fresh_server):
    srv = fresh_server
    body = json.dumps({"name": "Shutdown Straggler", "email": "straggler@example.com"}).encode()
    head = (
        f"POST /api/customers HTTP/1.1\r\nHost: {srv.host}:{srv.port}\r\n"
        f"Authorization: Bearer {srv.token}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    sock = socket.create_connection((srv.host, srv.port), timeout=15)
    try:
        sock.sendall(head + body[:10])  # the request has started: headers and part of the body
        time.sleep(0.3)
        t0 = time.monotonic()
        srv.terminate(signal.SIGTERM)
        time.sleep(0.3)
        assert srv.proc.poll() is None, f"exited with a request in flight\n{srv.output()}"
        assert_refused(srv)  # no new connections while draining
        sock.sendall(body[10:])
        status, headers, raw = read_http_response(sock)
    finally:
        sock.close()
    assert status == 201, raw[:500]
    created = json.loads(raw)
    assert created["name"] == "Shutdown Straggler" and created["email"] == "straggler@example.com"

    wait_exit(srv, t0)
    assert_refused(srv)

