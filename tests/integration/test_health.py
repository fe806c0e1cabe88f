"""Health probes and the X-Request-Id / Cache-Control conventions (docs/api.md)."""

import pytest

from conftest import REQUEST_ID_RE, assert_json, assert_problem


def test_healthz_is_ok_without_credentials(server):
    resp = server.anon("GET", "/healthz")
    assert assert_json(resp, 200) == {"status": "ok"}


def test_readyz_is_ready_without_credentials(server):
    resp = server.anon("GET", "/readyz")
    assert assert_json(resp, 200) == {"status": "ready"}


def test_head_healthz_has_no_body(server):
    resp = server.anon("HEAD", "/healthz")
    assert resp.status_code == 200
    assert resp.content == b""
    assert resp.headers.get("X-Request-Id")


@pytest.mark.parametrize(
    "method,path,auth,status",
    [
        ("GET", "/healthz", False, 200),
        ("GET", "/readyz", False, 200),
        ("HEAD", "/healthz", False, 200),
        ("GET", "/api/customers", False, 401),
        ("GET", "/api/customers", True, 200),
        ("GET", "/api/customers/999999999", True, 404),
        ("GET", "/no/such/route", True, 404),
        ("DELETE", "/api/customers", True, 405),
        ("POST", "/api/auth/login", False, 401),
    ],
)
def test_every_response_carries_a_request_id(server, method, path, auth, status):
    kwargs = {}
    if path == "/api/auth/login":
        kwargs["json"] = {"email": "nobody@example.com", "password": "wrong password here"}
    resp = server.request(method, path, **kwargs) if auth else server.anon(method, path, **kwargs)
    assert resp.status_code == status, resp.text[:500]
    rid = resp.headers.get("X-Request-Id")
    assert rid, f"no X-Request-Id on {method} {path}"
    assert REQUEST_ID_RE.match(rid), f"generated X-Request-Id {rid!r} is not 1-64 of [A-Za-z0-9._-]"
    if resp.status_code >= 400 and method != "HEAD":
        assert resp.json().get("request_id", rid) == rid


def test_generated_request_ids_differ(server):
    ids = {server.anon("GET", "/healthz").headers.get("X-Request-Id") for _ in range(5)}
    assert None not in ids
    assert len(ids) == 5, ids


@pytest.mark.parametrize("rid", ["abc-123", "A.b_c-9", "x", "r" * 64, "0f8fad5b-d9cb-469f-a165-70867728950e"])
def test_valid_client_request_id_is_echoed(server, rid):
    resp = server.anon("GET", "/healthz", headers={"X-Request-Id": rid})
    assert resp.status_code == 200
    assert resp.headers.get("X-Request-Id") == rid


def test_valid_client_request_id_is_echoed_in_problem_body(server):
    rid = "trace-problem-42"
    resp = server.anon("GET", "/api/customers", headers={"X-Request-Id": rid})
    body = assert_problem(resp, 401, "unauthenticated")
    assert resp.headers.get("X-Request-Id") == rid
    assert body.get("request_id") == rid


@pytest.mark.parametrize(
    "rid",
    ["r" * 65, "a" * 100, "has spaces in it", "slash/not/allowed", "semi;colon", "percent%41", "ünïcode"],
    ids=["65-chars", "100-chars", "spaces", "slash", "semicolon", "percent", "non-ascii"],
)
def test_invalid_client_request_id_is_replaced(server, rid):
    headers = {"X-Request-Id": rid.encode("utf-8") if not rid.isascii() else rid}
    resp = server.anon("GET", "/healthz", headers=headers)
    assert resp.status_code == 200
    got = resp.headers.get("X-Request-Id")
    assert got, "no X-Request-Id"
    assert got != rid
    assert REQUEST_ID_RE.match(got), f"replacement X-Request-Id {got!r} is not 1-64 of [A-Za-z0-9._-]"


@pytest.mark.parametrize(
    "method,path,auth,status",
    [
        ("GET", "/api/customers", True, 200),
        ("GET", "/api/customers", False, 401),
        ("GET", "/api/customers/999999999", True, 404),
        ("GET", "/api/auth/me", True, 200),
    ],
)
def test_api_responses_are_not_cached(server, method, path, auth, status):
    resp = server.request(method, path) if auth else server.anon(method, path)
    assert resp.status_code == status
    directives = [d.strip().lower() for d in resp.headers.get("Cache-Control", "").split(",")]
    assert "no-store" in directives, f"Cache-Control is {resp.headers.get('Cache-Control')!r}"


def test_unknown_route_is_a_not_found_problem(server):
    resp = server.anon("GET", "/definitely/not/a/route")
    assert_problem(resp, 404, "not-found")
