"""Idempotency-Key on POST /api/customers (docs/api.md "Routes")."""

import json
import threading
import uuid

import pytest

from conftest import (
    TimeoutSession, assert_json, assert_problem, customer_payload, list_total, total_unchanged, unique_suffix,
)


def post_with_key(server, key, payload, session=None):
    headers = {"Idempotency-Key": key, "Content-Type": "application/json"}
    data = json.dumps(payload, sort_keys=True).encode()
    if session is None:
        return server.post("/api/customers", data=data, headers=headers)
    return session.post(server.url("/api/customers"), data=data, headers=headers)


def new_key():
    return f"key-{uuid.uuid4()}"


def test_same_key_same_body_replays_the_first_response(server):
    key = new_key()
    payload = customer_payload(notes="idempotent")
    before = list_total(server)

    first = post_with_key(server, key, payload)
    b1 = assert_json(first, 201)
    assert first.headers.get("Idempotent-Replayed", "").lower() != "true"

    second = post_with_key(server, key, payload)
    b2 = assert_json(second, 201)
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert b2["id"] == b1["id"]
    assert b2 == b1
    assert second.headers.get("Location") == first.headers.get("Location")
    assert second.headers.get("ETag") == first.headers.get("ETag") == '"1"'

    assert list_total(server) == before + 1
    got = assert_json(server.get(f"/api/customers/{b1['id']}"), 200)
    assert got["notes"] == "idempotent"


def test_same_key_different_body_is_422(server):
    key = new_key()
    payload = customer_payload()
    created = assert_json(post_with_key(server, key, payload), 201)
    with total_unchanged(server):
        resp = post_with_key(server, key, {**payload, "notes": "something else"})
        assert_problem(resp, 422, "idempotency-key-reused")
        resp = post_with_key(server, key, customer_payload())
        assert_problem(resp, 422, "idempotency-key-reused")
    got = assert_json(server.get(f"/api/customers/{created['id']}"), 200)
    assert got["notes"] is None
    # The original answer is still replayed for the original body.
    again = post_with_key(server, key, payload)
    assert assert_json(again, 201)["id"] == created["id"]
    assert again.headers.get("Idempotent-Replayed") == "true"


def test_different_keys_make_different_customers(server):
    payload = {"name": f"No Email Person {unique_suffix()}"}  # no email: nothing else would conflict
    before = list_total(server)
    a = post_with_key(server, new_key(), payload)
    b = post_with_key(server, new_key(), payload)
    ba, bb = assert_json(a, 201), assert_json(b, 201)
    assert ba["id"] != bb["id"]
    assert ba["name"] == bb["name"] == payload["name"]
    assert b.headers.get("Idempotent-Replayed", "").lower() != "true"
    assert list_total(server) == before + 2


def test_without_a_key_each_post_creates(server):
    payload = {"name": f"No Key Person {unique_suffix()}"}
    before = list_total(server)
    a = assert_json(server.post("/api/customers", json=payload), 201)
    b = assert_json(server.post("/api/customers", json=payload), 201)
    assert a["id"] != b["id"]
    assert list_total(server) == before + 2


@pytest.mark.parametrize(
    "key", ["", "k" * 256, "k" * 300, "has space", "tab\there"],
    ids=["empty", "256-chars", "300-chars", "space", "tab"],
)
def test_bad_key_is_400(server, key):
    with total_unchanged(server):
        resp = post_with_key(server, key, customer_payload())
        assert_problem(resp, 400, "bad-request")


def test_longest_key_is_accepted(server):
    key = "k" * 200 + uuid.uuid4().hex + "~!#" + "z" * 20
    assert len(key) == 255
    payload = customer_payload()
    a = assert_json(post_with_key(server, key, payload), 201)
    b = post_with_key(server, key, payload)
    assert assert_json(b, 201)["id"] == a["id"]
    assert b.headers.get("Idempotent-Replayed") == "true"


def test_concurrent_same_key_creates_exactly_one(server):
    key = new_key()
    # No e-mail, so a missing idempotency lock shows up as extra customers rather than as 409s.
    tag = unique_suffix()
    payload = {"name": f"Concurrent Person {tag}", "notes": "race"}
    n = 8
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def worker(i):
        with TimeoutSession() as s:
            s.headers["Authorization"] = f"Bearer {server.token}"
            barrier.wait()
            try:
                results[i] = post_with_key(server, key, payload, session=s)
            except Exception as exc:  # noqa: BLE001 - reported below
                results[i] = exc

    before = list_total(server)
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    assert all(not isinstance(r, Exception) and r is not None for r in results), results
    statuses = [r.status_code for r in results]
    assert statuses == [201] * n, [(r.status_code, r.text[:200]) for r in results]
    ids = {r.json()["id"] for r in results}
    assert len(ids) == 1, ids
    replayed = [r.headers.get("Idempotent-Replayed") == "true" for r in results]
    assert sum(replayed) == n - 1, replayed
    assert list_total(server) == before + 1
    body = assert_json(server.get("/api/customers", params={"q": tag, "total": "true"}), 200)
    assert body["total"] == 1, body
