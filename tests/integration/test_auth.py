"""Authentication: bearer tokens, cookie sessions, CSRF, logout and session rotation (docs/api.md)."""

from email.utils import parsedate_to_datetime
from datetime import datetime, timezone

import pytest

from conftest import (
    ADMIN_EMAIL, ADMIN_PASSWORD, assert_json, assert_problem, customer_payload, list_total,
)

COOKIE = "clientele_session"
USER_KEYS = {"id", "email", "name", "role", "permissions", "tenant_id", "is_platform_admin"}


def set_cookies(resp) -> list[str]:
    return resp.raw.headers.getlist("Set-Cookie")


def session_set_cookie(resp):
    """The clientele_session Set-Cookie: (value, {attribute-lower: value-or-True})."""
    for header in set_cookies(resp):
        parts = [p.strip() for p in header.split(";")]
        name, _, value = parts[0].partition("=")
        if name.strip() == COOKIE:
            attrs = {}
            for p in parts[1:]:
                k, sep, v = p.partition("=")
                attrs[k.strip().lower()] = v.strip() if sep else True
            return value.strip(), attrs
    return None


def login(server, email=ADMIN_EMAIL, password=ADMIN_PASSWORD, cookie=None):
    headers = {"Cookie": f"{COOKIE}={cookie}"} if cookie else {}
    return server.anon("POST", "/api/auth/login", json={"email": email, "password": password}, headers=headers)


class CookieSession:
    """Requests made with the session cookie only (no bearer, no cookie jar)."""

    def __init__(self, server, cookie, csrf):
        self.server, self.cookie, self.csrf = server, cookie, csrf

    def request(self, method, path, csrf=None, **kwargs):
        headers = dict(kwargs.pop("headers", {}))
        headers["Cookie"] = f"{COOKIE}={self.cookie}"
        if csrf is not None:
            headers["X-CSRF-Token"] = csrf
        return self.server.anon(method, path, headers=headers, **kwargs)


def do_login(server) -> CookieSession:
    resp = login(server)
    body = assert_json(resp, 200)
    parsed = session_set_cookie(resp)
    assert parsed, f"no {COOKIE} cookie set: {set_cookies(resp)}"
    return CookieSession(server, parsed[0], body["csrf_token"])


@pytest.fixture(scope="module")
def cookie_session(server) -> CookieSession:
    return do_login(server)


# --- no or bad credentials -------------------------------------------------------------------

@pytest.mark.parametrize("method", ["GET", "POST"])
def test_no_credentials_is_401(server, method):
    kwargs = {"json": customer_payload()} if method == "POST" else {}
    before = list_total(server)
    resp = server.anon(method, "/api/customers", **kwargs)
    assert_problem(resp, 401, "unauthenticated")
    assert list_total(server) == before


@pytest.mark.parametrize(
    "authorization",
    ["Bearer clt_this_token_does_not_exist_0000000000", "tampered", "Basic YWRtaW46cGFzc3dvcmQ="],
)
def test_bad_bearer_token_is_401(server, authorization):
    if authorization == "tampered":
        authorization = f"Bearer {server.token[:-2]}{'AA' if not server.token.endswith('AA') else 'BB'}"
    resp = server.anon("GET", "/api/customers", headers={"Authorization": authorization})
    assert_problem(resp, 401, "unauthenticated")


def test_unknown_session_cookie_is_401(server):
    resp = server.anon("GET", "/api/auth/me", headers={"Cookie": f"{COOKIE}=not-a-real-session-id"})
    assert_problem(resp, 401, "unauthenticated")


def test_auth_me_requires_credentials(server):
    assert_problem(server.anon("GET", "/api/auth/me"), 401, "unauthenticated")


# --- bearer token ----------------------------------------------------------------------------

def test_bearer_me_has_user_and_no_csrf_token(server):
    body = assert_json(server.get("/api/auth/me"), 200)
    assert body["user"]["email"] == ADMIN_EMAIL
    assert set(body["user"]) == USER_KEYS, body
    assert body.get("csrf_token") is None, "csrf_token is only for cookie sessions"


def test_bearer_needs_no_csrf_token(server):
    payload = customer_payload()
    body = assert_json(server.post("/api/customers", json=payload), 201)
    assert body["email"] == payload["email"]


# --- login -----------------------------------------------------------------------------------

def test_wrong_password_and_unknown_email_answer_the_same(server):
    wrong_pw = login(server, password="not the password at all")
    unknown = login(server, email="nobody-here@example.com", password=ADMIN_PASSWORD)
    b1 = assert_problem(wrong_pw, 401, "invalid-credentials")
    b2 = assert_problem(unknown, 401, "invalid-credentials")
    for b in (b1, b2):
        b.pop("request_id", None)
        b.pop("instance", None)
    assert b1 == b2
    assert session_set_cookie(wrong_pw) is None and session_set_cookie(unknown) is None


def test_login_sets_http_only_lax_cookie_and_returns_csrf_token(server):
    resp = login(server)
    body = assert_json(resp, 200)
    assert set(body) >= {"user", "csrf_token"}, body
    assert isinstance(body["csrf_token"], str) and len(body["csrf_token"]) >= 16, body
    user = body["user"]
    assert set(user) == USER_KEYS, user
    assert user["email"] == ADMIN_EMAIL
    assert isinstance(user["id"], int) and not isinstance(user["id"], bool)
    assert isinstance(user["is_platform_admin"], bool)
    assert isinstance(user["role"], str) and user["role"]

    parsed = session_set_cookie(resp)
    assert parsed, f"no {COOKIE} cookie in {set_cookies(resp)}"
    value, attrs = parsed
    assert len(value) >= 16, f"session id {value!r} looks too short to be random"
    assert attrs.get("httponly") is True, attrs
    assert str(attrs.get("samesite", "")).lower() == "lax", attrs
    assert attrs.get("path") == "/", attrs
    assert "secure" not in attrs, "Secure is only for --secure-cookies"
    assert body["csrf_token"] != value, "the CSRF token must not be the session id"


def test_me_with_cookie(server, cookie_session):
    resp = cookie_session.request("GET", "/api/auth/me")
    body = assert_json(resp, 200)
    assert body["user"]["email"] == ADMIN_EMAIL
    assert set(body["user"]) == USER_KEYS
    assert isinstance(body.get("csrf_token"), str) and body["csrf_token"]
    # The token /me hands out is one the server accepts.
    created = cookie_session.request("POST", "/api/customers", json=customer_payload(), csrf=body["csrf_token"])
    assert_json(created, 201)


def test_safe_request_with_cookie_needs_no_csrf(server, cookie_session):
    body = assert_json(cookie_session.request("GET", "/api/customers"), 200)
    assert isinstance(body["data"], list)


@pytest.mark.parametrize("csrf", [None, "", "wrong-token-value"], ids=["missing", "empty", "wrong"])
def test_unsafe_cookie_request_without_right_csrf_is_403(server, cookie_session, csrf):
    before = list_total(server)
    resp = cookie_session.request("POST", "/api/customers", json=customer_payload(), csrf=csrf)
    assert_problem(resp, 403, "csrf-failed")
    assert list_total(server) == before, "a customer was created despite the CSRF failure"


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_csrf_applies_to_every_unsafe_method(server, cookie_session, method):
    created = assert_json(server.post("/api/customers", json=customer_payload()), 201)
    path = f"/api/customers/{created['id']}"
    kwargs = {} if method == "DELETE" else {"json": {"name": "Changed Without Csrf"}}
    resp = cookie_session.request(method, path, **kwargs)
    assert_problem(resp, 403, "csrf-failed")
    after = assert_json(server.get(path), 200)
    assert after["name"] == created["name"] and after["version"] == 1


def test_unsafe_cookie_request_with_right_csrf_works(server, cookie_session):
    payload = customer_payload()
    resp = cookie_session.request("POST", "/api/customers", json=payload, csrf=cookie_session.csrf)
    body = assert_json(resp, 201)
    assert body["name"] == payload["name"]
    got = assert_json(server.get(f"/api/customers/{body['id']}"), 200)
    assert got["email"] == payload["email"]


def test_logout_revokes_the_session(server):
    sess = do_login(server)
    assert_json(sess.request("GET", "/api/auth/me"), 200)

    # Logout is unsafe too: without the CSRF token it is refused and the session survives.
    assert_problem(sess.request("POST", "/api/auth/logout"), 403, "csrf-failed")
    assert_json(sess.request("GET", "/api/auth/me"), 200)

    resp = sess.request("POST", "/api/auth/logout", csrf=sess.csrf)
    assert resp.status_code == 204, resp.text
    assert resp.content == b""
    cleared = session_set_cookie(resp)
    assert cleared, f"logout does not clear the cookie: {set_cookies(resp)}"
    value, attrs = cleared
    expired = False
    if "max-age" in attrs:
        expired = int(attrs["max-age"]) <= 0
    if "expires" in attrs:
        expired = expired or parsedate_to_datetime(attrs["expires"]) < datetime.now(timezone.utc)
    assert value == "" or expired, f"cookie not cleared: {value!r} {attrs}"

    assert_problem(sess.request("GET", "/api/auth/me"), 401, "unauthenticated")
    assert_problem(sess.request("GET", "/api/customers"), 401, "unauthenticated")
    # The API token is untouched by a cookie logout.
    assert_json(server.get("/api/auth/me"), 200)


def test_second_login_rotates_the_session_id(server):
    first = login(server)
    assert_json(first, 200)
    first_id = session_set_cookie(first)[0]
    # Log in again while presenting the first session's cookie: a new id must be issued.
    second = login(server, cookie=first_id)
    assert_json(second, 200)
    parsed = session_set_cookie(second)
    assert parsed, "second login sets no session cookie"
    second_id = parsed[0]
    assert second_id and second_id != first_id
    me = server.anon("GET", "/api/auth/me", headers={"Cookie": f"{COOKIE}={second_id}"})
    assert assert_json(me, 200)["user"]["email"] == ADMIN_EMAIL
