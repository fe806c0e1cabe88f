"""Fixtures and helpers for the Clientele HTTP integration tests.

Run from the repository root with Debian's interpreter:

    /usr/bin/python3 -m pytest tests/integration

The server binary comes from $CLIENTELE_BIN (default: <repo>/build/server/clientele).
Every server runs on its own temporary database, on 127.0.0.1 with a port the kernel picks: a
SQLite file, or with CLIENTELE_TEST_STORE=postgres a database of its own on the PostgreSQL cluster
that $CLIENTELE_TEST_PG names (test.sh starts a private one).
Helpers are imported by the test modules with ``from conftest import ...``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
CLIENTELE_BIN = Path(os.environ.get("CLIENTELE_BIN") or REPO_ROOT / "build" / "server" / "clientele")

ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "correct horse battery"

STARTUP_TIMEOUT = 20.0  # seconds to wait for "listening on ..."
SHUTDOWN_TIMEOUT = 10.0  # the contract: exit within 10 s of SIGTERM
REQUEST_TIMEOUT = 15.0  # default timeout of every HTTP request the tests make

AUDIT_GAP = "a write recorded no audit event"
LISTENING_RE = re.compile(r"listening on (http://([^\s/:]+|\[[^\]]+\]):(\d+))")
TIMESTAMP_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

# Every key of a customer as GET /api/customers/{id} returns it (docs/api.md).
CUSTOMER_KEYS = {
    "id", "name", "first_name", "last_name", "email", "phone", "birthdate", "gender", "locale",
    "address", "preferences", "notes", "loyalty_points", "loyalty_tier", "order_count", "lifetime_value",
    "average_order_value", "refunded_amount", "first_order_at", "last_order_at",
    "purchase_history", "version",
    "created_at", "updated_at",
    # seed 000's partner fields (issue 5)
    "account_type", "company", "tax_id", "job_title", "mobile", "website", "title", "tags", "responsible",
    "company_registry", "reference", "industry", "portal_access", "portal_last_login", "registered_via",
    "avatar",
}
LIST_ITEM_KEYS = CUSTOMER_KEYS - {"purchase_history"}
ADDRESS_KEYS = {"street", "street2", "city", "postal_code", "state", "country"}


# --------------------------------------------------------------------------------------------
# HTTP helpers
# --------------------------------------------------------------------------------------------

class TimeoutSession(requests.Session):
    """A requests.Session whose requests time out (a hung server must fail a test, not hang it)."""

    def request(self, method, url, **kwargs):  # noqa: D401 - same signature as requests
        kwargs.setdefault("timeout", REQUEST_TIMEOUT)
        return super().request(method, url, **kwargs)


def media_type(resp) -> str:
    return resp.headers.get("Content-Type", "").split(";")[0].strip().lower()


def assert_json(resp, status: int):
    """Assert a successful JSON answer with the given status and return its body."""
    assert resp.status_code == status, (
        f"{resp.request.method} {resp.request.path_url}: expected {status}, "
        f"got {resp.status_code}: {resp.text[:800]}"
    )
    assert media_type(resp) == "application/json", f"Content-Type is {resp.headers.get('Content-Type')!r}"
    return resp.json()


def assert_problem(resp, status: int, type_suffix: str, field: str | None = None) -> dict:
    """Assert an RFC 9457 problem answer (docs/api.md "Errors") and return its body."""
    assert resp.status_code == status, (
        f"{resp.request.method} {resp.request.path_url}: expected {status} {type_suffix}, "
        f"got {resp.status_code}: {resp.text[:800]}"
    )
    assert media_type(resp) == "application/problem+json", (
        f"Content-Type is {resp.headers.get('Content-Type')!r}, body {resp.text[:300]!r}"
    )
    body = resp.json()
    assert isinstance(body, dict), body
    assert body.get("type") == "/problems/" + type_suffix, body
    assert isinstance(body.get("title"), str) and body["title"], body
    assert body.get("status") == status, body
    assert isinstance(body.get("detail"), str) and body["detail"], body
    if "request_id" in body:
        assert body["request_id"] == resp.headers.get("X-Request-Id"), (
            f"problem request_id {body['request_id']!r} != X-Request-Id {resp.headers.get('X-Request-Id')!r}"
        )
    if field is not None:
        errors = body.get("errors")
        assert isinstance(errors, list) and errors, f"no errors[] in {body}"
        for err in errors:
            assert isinstance(err, dict) and isinstance(err.get("field"), str), body
            assert isinstance(err.get("message"), str) and err["message"], body
        fields = [err["field"] for err in errors]
        assert field in fields, f"expected an error for field {field!r}, got {fields}: {body}"
    return body


def read_http_response(sock: socket.socket, timeout: float = REQUEST_TIMEOUT):
    """Read one HTTP/1.1 response from a raw socket: (status, headers-lowercased, body bytes)."""
    sock.settimeout(timeout)
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"connection closed before a full response head: {buf[:200]!r}")
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()

    def fill(n):
        nonlocal rest
        while len(rest) < n:
            chunk = sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed in the middle of a response body")
            rest += chunk

    if "content-length" in headers:
        n = int(headers["content-length"])
        fill(n)
        return status, headers, rest[:n]
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = b""
        while True:
            while b"\r\n" not in rest:
                fill(len(rest) + 1)
            size_line, _, rest = rest.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            fill(size + 2)
            body += rest[:size]
            rest = rest[size + 2:]
            if size == 0:
                return status, headers, body
    # No length: the body ends when the connection closes.
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return status, headers, rest
        rest += chunk


# --------------------------------------------------------------------------------------------
# The server under test
# --------------------------------------------------------------------------------------------

def _child_env(extra_env: dict | None) -> dict:
    # Hermetic: no CLIENTELE_* option leaks in from the caller's environment (flags win anyway,
    # but e.g. CLIENTELE_MAX_BODY would change behaviour), then the test's own extras.
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLIENTELE_")}
    env.update({k: str(v) for k, v in (extra_env or {}).items()})
    return env


def run_cli(args: list[str], env: dict | None = None, timeout: float = 60.0) -> subprocess.CompletedProcess:
    """Run a `clientele` sub-command; fail the test with its output when it exits non-zero."""
    proc = subprocess.run(
        [str(CLIENTELE_BIN), *args], env=_child_env(env), capture_output=True, text=True, timeout=timeout
    )
    if proc.returncode != 0:
        pytest.fail(
            f"`clientele {' '.join(args)}` exited {proc.returncode}\n"
            f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
        )
    return proc


TEST_STORE = os.environ.get("CLIENTELE_TEST_STORE", "sqlite")
TEST_PG = os.environ.get("CLIENTELE_TEST_PG", "")


def database(srv, statement: str) -> list[tuple]:
    """Runs a statement on the server's database directly (test set-up only); returns the rows it
    gives (SELECT, RETURNING), PostgreSQL's as text."""
    if TEST_STORE == "sqlite":
        with sqlite3.connect(srv.db_path, timeout=30) as db:
            return db.execute(statement).fetchall()
    out = subprocess.run(["psql", "-v", "ON_ERROR_STOP=1", "-qAt", "-F", "\t", srv.db_path, "-c", statement],
                         check=True, capture_output=True, text=True, timeout=60).stdout
    return [tuple(line.split("\t")) for line in out.splitlines()]


def fresh_database(workdir: Path) -> str:
    """Where a new server keeps its data: a SQLite file in workdir, or a new PostgreSQL database."""
    if TEST_STORE == "sqlite":
        return str(workdir / "test.db")
    assert TEST_STORE == "postgres", f"CLIENTELE_TEST_STORE={TEST_STORE!r}: sqlite or postgres"
    if not TEST_PG:  # test.sh always starts one, and fails when it cannot
        pytest.skip("CLIENTELE_TEST_STORE=postgres needs CLIENTELE_TEST_PG (a cluster's URL)")
    name = "it_" + uuid.uuid4().hex[:16]
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", TEST_PG, "-c", f"CREATE DATABASE {name}"],
                   check=True, capture_output=True, timeout=60)
    return TEST_PG.rsplit("/", 1)[0] + "/" + name


def db_rows(db: str, text: str) -> list[tuple]:
    """Rows of a query run on a database directly (a SQLite file or a PostgreSQL URL); from psql,
    integers come back as int, "" as None."""
    if TEST_STORE == "sqlite":
        with sqlite3.connect(db, timeout=30) as conn:
            return [tuple(row) for row in conn.execute(text).fetchall()]
    out = subprocess.run(["psql", "-qAt", "-F", "\t", "-v", "ON_ERROR_STOP=1", db, "-c", text],
                         check=True, capture_output=True, text=True, timeout=60).stdout
    def value(text):
        return None if text == "" else int(text) if text.lstrip("-").isdigit() else text
    return [tuple(value(v) for v in line.split("\t")) for line in out.splitlines() if line]


class Server:
    """One running `clientele serve` on a fresh database, set up as the brief describes."""

    def __init__(self, workdir: Path, extra_env: dict | None = None, db: str | None = None):
        if not CLIENTELE_BIN.is_file() or not os.access(CLIENTELE_BIN, os.X_OK):
            pytest.fail(f"server binary not found or not executable: {CLIENTELE_BIN} "
                        f"(build it, or point CLIENTELE_BIN at it)")
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.db_path = db or fresh_database(self.workdir)  # a given one: several servers share it
        # The API's tests do not depend on whether the web UI is built (test_web_ui.py serves one).
        self.extra_env = {"CLIENTELE_UI_DIR": str(self.workdir / "no-ui"), **(extra_env or {})}
        self.stdout_lines: list[str] = []
        self._listening = threading.Event()
        self._eof = threading.Event()
        self.base_url: str | None = None
        self.host: str | None = None
        self.port: int | None = None

        run_cli(["create-admin", "--db", str(self.db_path), "--email", ADMIN_EMAIL,
                 "--password", ADMIN_PASSWORD], self.extra_env)
        out = run_cli(["token", "create", "--db", str(self.db_path), "--email", ADMIN_EMAIL,
                       "--name", "tests"], self.extra_env).stdout
        words = out.split()
        assert words, "`clientele token create` printed nothing"
        self.token = words[-1]
        assert self.token.startswith("clt_"), f"token {self.token!r} does not start with clt_; stdout: {out!r}"

        self.stderr_path = self.workdir / "server.stderr"
        self._stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(
            [str(CLIENTELE_BIN), "serve", "--db", str(self.db_path), "--listen", "127.0.0.1:0"],
            stdout=subprocess.PIPE, stderr=self._stderr, stdin=subprocess.DEVNULL,
            env=_child_env(self.extra_env),
        )
        self._reader = threading.Thread(target=self._drain_stdout, name="clientele-stdout", daemon=True)
        self._reader.start()

        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not self._listening.is_set():
            if self.proc.poll() is not None or self._eof.is_set() or time.monotonic() > deadline:
                self._listening.wait(0.2)  # the line may be racing the exit
                if self._listening.is_set():
                    break
                self.kill()
                pytest.fail(f"server did not print 'listening on http://HOST:PORT' "
                            f"(exit code {self.proc.returncode})\n{self.output()}")
            self._listening.wait(0.05)

        self.session = TimeoutSession()
        self.session.headers["Authorization"] = f"Bearer {self.token}"

    # -- process management ------------------------------------------------------------------

    def _drain_stdout(self):
        # Keep reading so the pipe never fills, whatever the server logs to stdout.
        for raw in iter(self.proc.stdout.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            self.stdout_lines.append(line)
            if not self._listening.is_set():
                m = LISTENING_RE.search(line)
                if m:
                    self.base_url = m.group(1)
                    self.host = m.group(2).strip("[]")
                    self.port = int(m.group(3))
                    self._listening.set()
        self._eof.set()

    def output(self, tail: int = 60) -> str:
        try:
            err = self.stderr_path.read_text("utf-8", "replace").splitlines()[-tail:]
        except OSError:
            err = []
        return ("--- server stdout (tail) ---\n" + "\n".join(self.stdout_lines[-tail:]) +
                "\n--- server stderr (tail) ---\n" + "\n".join(err))

    def terminate(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)

    def stop(self, timeout: float = SHUTDOWN_TIMEOUT) -> int:
        """SIGTERM (if still running) and wait; returns the exit code. Kills it on timeout (and fails)."""
        self.terminate()
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"server did not exit within {timeout} s of SIGTERM\n{self.output()}")
        self._finish()
        return rc

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._finish()

    def _finish(self):
        self._reader.join(timeout=2)
        with contextlib.suppress(Exception):
            self._stderr.close()
        with contextlib.suppress(Exception):
            self.session.close()

    def audit_gaps(self) -> list[str]:
        """The lines in which the server reported a successful write that recorded no audit event
        (http/pipeline.cpp): a service that forgot to record its change."""
        try:
            err = self.stderr_path.read_text("utf-8", "replace").splitlines()
        except OSError:
            err = []
        return [line for line in self.stdout_lines + err if AUDIT_GAP in line]

    # -- requests ------------------------------------------------------------------------------

    def url(self, path: str) -> str:
        return self.base_url + path

    def request(self, method: str, path: str, **kwargs):
        return self.session.request(method, self.url(path), **kwargs)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def head(self, path, **kw):
        return self.request("HEAD", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def put(self, path, **kw):
        return self.request("PUT", path, **kw)

    def patch(self, path, **kw):
        return self.request("PATCH", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def anon(self, method: str, path: str, **kwargs):
        """A request without the bearer token (and without any cookie jar)."""
        kwargs.setdefault("timeout", REQUEST_TIMEOUT)
        return requests.request(method, self.url(path), **kwargs)


class ServerFactory:
    def __init__(self, tmp_path_factory):
        self._tmp = tmp_path_factory
        self.servers: list[Server] = []

    def __call__(self, extra_env: dict | None = None, db: str | None = None) -> Server:
        srv = Server(self._tmp.mktemp("clientele"), extra_env, db)
        self.servers.append(srv)
        return srv

    def close(self):
        failures = []
        for srv in self.servers:
            try:
                if srv.proc.returncode is not None:
                    srv._finish()
                    rc = srv.proc.returncode
                else:
                    rc = srv.stop()
            except (Exception, pytest.fail.Exception) as exc:  # keep stopping the others
                failures.append(str(exc))
                continue
            if rc != 0:
                failures.append(f"server exited with {rc} (expected 0)\n{srv.output()}")
            # Every test file checks for free that each change it made was audited.
            if gaps := srv.audit_gaps():
                failures.append("changes without an audit entry:\n" + "\n".join(gaps))
        self.servers.clear()
        assert not failures, "\n\n".join(failures)


@pytest.fixture(scope="module")
def module_server_factory(tmp_path_factory):
    factory = ServerFactory(tmp_path_factory)
    yield factory
    factory.close()


@pytest.fixture
def server_factory(tmp_path_factory):
    """Start extra servers inside one test, e.g. with extra environment: server_factory({"CLIENTELE_MAX_BODY": "2048"})."""
    factory = ServerFactory(tmp_path_factory)
    yield factory
    factory.close()


@pytest.fixture(scope="module")
def server(module_server_factory) -> Server:
    """One server (one fresh database) shared by the tests of a module."""
    return module_server_factory()


@pytest.fixture
def fresh_server(server_factory) -> Server:
    """A server with a fresh database for one test (teardown: SIGTERM, exit code 0 within 10 s)."""
    return server_factory()


# --------------------------------------------------------------------------------------------
# Customer helpers
# --------------------------------------------------------------------------------------------

def unique_suffix() -> str:
    return uuid.uuid4().hex[:12]


def full_customer_payload():
    """A create body that sets every writable field (unique e-mail)."""
    u = unique_suffix()
    return {
        "name": f"John Doe {u}",
        "first_name": "John",
        "last_name": "Doe",
        "email": f"john.doe.{u}@example.com",
        "phone": "+12015550123",
        "birthdate": "1990-04-01",
        "gender": "male",
        "locale": "en-US",
        "address": {"street": "1 Main St", "street2": None, "city": "Springfield",
                    "postal_code": "12345", "state": "IL", "country": "US"},
        "preferences": {"newsletter": True},
        "notes": "Prefers phone calls",
    }


def customer_payload(**overrides) -> dict:
    """A valid create body with a unique name and e-mail; keyword arguments override or add fields."""
    u = unique_suffix()
    body = {"name": f"Test Customer {u}", "email": f"test.{u}@example.com"}
    body.update(overrides)
    return body


def create_customer(srv: Server, **overrides) -> dict:
    """POST a customer (unique data unless overridden); assert 201 and return the created customer."""
    resp = srv.post("/api/customers", json=customer_payload(**overrides))
    body = assert_json(resp, 201)
    assert isinstance(body.get("id"), int), body
    return body


def list_total(srv: Server, **params) -> int:
    params = {**params, "total": "true", "limit": "1"}
    body = assert_json(srv.get("/api/customers", params=params), 200)
    assert isinstance(body.get("total"), int) and not isinstance(body["total"], bool), body
    return body["total"]


@contextlib.contextmanager
def total_unchanged(srv: Server, **params):
    """Assert that the block stores no customer (nothing partial is kept after a failed write)."""
    live_before = list_total(srv, **params)
    deleted_before = list_total(srv, deleted="true", **params)
    yield
    assert list_total(srv, **params) == live_before, "a customer was stored by a request that failed"
    assert list_total(srv, deleted="true", **params) == deleted_before, "the archive changed"


def fetch_all(srv: Server, params: dict, limit: int = 200, max_pages: int = 500) -> list[dict]:
    """Follow next_cursor from the first page to the last; return every item in order."""
    items: list[dict] = []
    cursor = None
    seen_cursors = set()
    for _ in range(max_pages):
        q = {**params, "limit": str(limit)}
        if cursor is not None:
            q["cursor"] = cursor
        body = assert_json(srv.get("/api/customers", params=q), 200)
        assert set(body) >= {"data", "next_cursor"}, body
        assert isinstance(body["data"], list), body
        assert len(body["data"]) <= limit
        items.extend(body["data"])
        cursor = body["next_cursor"]
        if cursor is None:
            return items
        assert isinstance(cursor, str) and cursor, body
        assert cursor not in seen_cursors, f"next_cursor repeats: {cursor!r}"
        seen_cursors.add(cursor)
    pytest.fail(f"more than {max_pages} pages for {params}")


def etag_of(version: int) -> str:
    return f'"{version}"'


def dumps(obj) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


# --------------------------------------------------------------------------------------------
# Staff helpers
# --------------------------------------------------------------------------------------------

STAFF_PASSWORD = "staff-password-1"


def invite_staff(srv: Server, role: str, inviter=None, **fields) -> dict:
    """Invite a user with `role` (by the operator's token unless `inviter`, a signed-in
    requests.Session, is given); assert 201 and return the answer (user + invitation)."""
    body = {"email": f"staff.{unique_suffix()}@team.example", "name": f"{role.title()} Person",
            "role": role}
    body.update(fields)
    if inviter is None:
        resp = srv.post("/api/users", json=body)
    else:
        resp = inviter.post(srv.url("/api/users"), json=body, timeout=REQUEST_TIMEOUT)
    created = assert_json(resp, 201)
    assert created["status"] == "invited" and created["role"] == role, created
    return created


def accept_invitation(srv: Server, token: str, password: str = STAFF_PASSWORD):
    """Accept an invitation; return (session with its CSRF header set, the sign-in answer)."""
    session = requests.Session()
    resp = session.post(srv.url("/api/auth/accept-invitation"),
                        json={"token": token, "password": password}, timeout=REQUEST_TIMEOUT)
    body = assert_json(resp, 200)
    session.headers["X-CSRF-Token"] = body["csrf_token"]
    return session, body


def staff_member(srv: Server, role: str, inviter=None):
    """A signed-in user of the inviter's workspace with `role`: (session, user as invited)."""
    created = invite_staff(srv, role, inviter)
    session, _ = accept_invitation(srv, created["invitation"]["token"])
    return session, created
