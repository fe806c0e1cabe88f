"""Sign-in throttling: growing lockouts per account and per source address (issue 4).

Lockouts are short here (set through the environment); the tests poll rather than sleep a fixed
time, so a slow machine does not change what they see.
"""

import time

import requests

from conftest import ADMIN_EMAIL, ADMIN_PASSWORD, assert_json, assert_problem

LONG_LOCK = {"CLIENTELE_LOGIN_FAILURES_BEFORE_LOCK": "3", "CLIENTELE_LOGIN_LOCK_SECONDS": "60"}
SHORT_LOCK = {"CLIENTELE_LOGIN_FAILURES_BEFORE_LOCK": "3", "CLIENTELE_LOGIN_LOCK_SECONDS": "2"}


def login(server, email, password):
    return requests.post(server.url("/api/auth/login"), json={"email": email, "password": password}, timeout=30)


def until_not_locked(server, email, password, deadline_s=20):
    """Tries until the answer is not 429; returns that answer."""
    deadline = time.monotonic() + deadline_s
    while True:
        resp = login(server, email, password)
        if resp.status_code != 429 or time.monotonic() > deadline:
            return resp
        time.sleep(0.2)


def test_an_account_is_locked_after_failures(server_factory):
    server = server_factory(LONG_LOCK)
    for _ in range(3):
        assert_problem(login(server, ADMIN_EMAIL, "wrong password"), 401, "invalid-credentials")
    # Locked now: even the right password waits, and the answer says how long.
    locked = login(server, ADMIN_EMAIL, ADMIN_PASSWORD)
    problem = assert_problem(locked, 429, "too-many-requests")
    wait = int(locked.headers["Retry-After"])
    assert 50 <= wait <= 60
    assert f"{wait} seconds" in problem["detail"]


def test_a_lockout_ends_grows_with_further_failures_and_a_success_clears_it(server_factory):
    server = server_factory(SHORT_LOCK)
    for _ in range(3):
        login(server, ADMIN_EMAIL, "wrong")
    first = login(server, ADMIN_EMAIL, "wrong")
    assert_problem(first, 429, "too-many-requests")
    assert int(first.headers["Retry-After"]) <= 2
    # Once the lockout ends, one more failure locks again, for twice as long.
    assert_problem(until_not_locked(server, ADMIN_EMAIL, "wrong"), 401, "invalid-credentials")
    second = login(server, ADMIN_EMAIL, ADMIN_PASSWORD)
    assert_problem(second, 429, "too-many-requests")
    assert 3 <= int(second.headers["Retry-After"]) <= 4
    # The right password gets in once it ends, and clears the count.
    assert_json(until_not_locked(server, ADMIN_EMAIL, ADMIN_PASSWORD), 200)
    assert_problem(login(server, ADMIN_EMAIL, "one slip"), 401, "invalid-credentials")
    assert_json(login(server, ADMIN_EMAIL, ADMIN_PASSWORD), 200)


def test_unknown_accounts_are_locked_out_the_same_way(server_factory):
    server = server_factory(LONG_LOCK)
    for _ in range(3):
        assert_problem(login(server, "nobody@example.com", "guess"), 401, "invalid-credentials")
    for _ in range(3):
        assert_problem(login(server, ADMIN_EMAIL, "x"), 401, "invalid-credentials")
    unknown, known = login(server, "nobody@example.com", "guess"), login(server, ADMIN_EMAIL, "x")
    for resp in (unknown, known):
        assert_problem(resp, 429, "too-many-requests")
        assert 50 <= int(resp.headers["Retry-After"]) <= 60
    assert unknown.json()["title"] == known.json()["title"]


def test_a_source_address_is_locked_after_four_times_as_many_failures(server_factory):
    server = server_factory(LONG_LOCK)
    for i in range(12):  # 12 different accounts, 1 failure each: only the address adds up
        assert_problem(login(server, f"user{i}@example.com", "guess"), 401, "invalid-credentials")
    assert_problem(login(server, ADMIN_EMAIL, ADMIN_PASSWORD), 429, "too-many-requests")


def test_client_login_is_throttled_too(server_factory):
    server = server_factory(LONG_LOCK)
    body = {"username": "abcstore123", "password": "guess"}
    for _ in range(3):
        resp = requests.post(server.url("/api/auth/client-login"), json=body, timeout=30)
        assert_problem(resp, 401, "invalid-credentials")
    resp = requests.post(server.url("/api/auth/client-login"), json=body, timeout=30)
    assert_problem(resp, 429, "too-many-requests")
    assert 50 <= int(resp.headers["Retry-After"]) <= 60
