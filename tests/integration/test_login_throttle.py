"""Sign-in throttling: growing lockouts per account and per source address (issue 4)."""

import time

import requests

from conftest import ADMIN_EMAIL, ADMIN_PASSWORD, assert_json, assert_problem

THROTTLE_ENV = {"CLIENTELE_LOGIN_FAILURES_BEFORE_LOCK": "3", "CLIENTELE_LOGIN_LOCK_SECONDS": "1"}


def login(server, email, password):
    return requests.post(server.url("/api/auth/login"), json={"email": email, "password": password}, timeout=30)


def test_an_account_is_locked_after_failures_and_unlocks(server_factory):
    server = server_factory(THROTTLE_ENV)
    for _ in range(3):
        assert_problem(login(server, ADMIN_EMAIL, "wrong password"), 401, "invalid-credentials")
    # Locked now: even the right password waits, and the answer says how long.
    locked = login(server, ADMIN_EMAIL, ADMIN_PASSWORD)
    problem = assert_problem(locked, 429, "too-many-requests")
    assert locked.headers["Retry-After"] == "1"
    assert "1 seconds" in problem["detail"]
    time.sleep(1.2)
    assert_json(login(server, ADMIN_EMAIL, ADMIN_PASSWORD), 200)
    # The success cleared the failures: one more wrong try is not yet a lockout.
    assert_problem(login(server, ADMIN_EMAIL, "wrong again"), 401, "invalid-credentials")
    assert_json(login(server, ADMIN_EMAIL, ADMIN_PASSWORD), 200)


def test_the_lockout_grows_with_further_failures(server_factory):
    server = server_factory(THROTTLE_ENV)
    for _ in range(3):
        login(server, ADMIN_EMAIL, "wrong")
    time.sleep(1.2)  # the first lockout (1 s) is over
    assert_problem(login(server, ADMIN_EMAIL, "wrong"), 401, "invalid-credentials")  # failure 4
    locked = login(server, ADMIN_EMAIL, ADMIN_PASSWORD)
    assert_problem(locked, 429, "too-many-requests")
    assert locked.headers["Retry-After"] == "2"  # doubled


def test_unknown_accounts_are_locked_out_the_same_way(server_factory):
    server = server_factory(THROTTLE_ENV)
    for _ in range(3):
        assert_problem(login(server, "nobody@example.com", "guess"), 401, "invalid-credentials")
    known = [login(server, ADMIN_EMAIL, "x") for _ in range(3)]
    unknown, known_locked = login(server, "nobody@example.com", "guess"), login(server, ADMIN_EMAIL, "x")
    for resp in (unknown, known_locked):
        assert_problem(resp, 429, "too-many-requests")
    assert unknown.headers["Retry-After"] == known_locked.headers["Retry-After"]
    assert all(r.status_code == 401 for r in known)


def test_a_source_address_is_locked_after_four_times_as_many_failures(server_factory):
    server = server_factory(THROTTLE_ENV)
    for i in range(12):  # 12 different accounts, 1 failure each: only the address adds up
        assert_problem(login(server, f"user{i}@example.com", "guess"), 401, "invalid-credentials")
    assert_problem(login(server, ADMIN_EMAIL, ADMIN_PASSWORD), 429, "too-many-requests")


def test_client_login_is_throttled_too(server_factory):
    server = server_factory(THROTTLE_ENV)
    for _ in range(3):
        resp = requests.post(server.url("/api/auth/client-login"),
                             json={"username": "abcstore123", "password": "guess"}, timeout=30)
        assert_problem(resp, 401, "invalid-credentials")
    resp = requests.post(server.url("/api/auth/client-login"),
                         json={"username": "abcstore123", "password": "guess"}, timeout=30)
    assert_problem(resp, 429, "too-many-requests")
    assert int(resp.headers["Retry-After"]) >= 1
