"""Orders (issue 13): the push of a shop's orders, their totals, statuses and refunds, currencies
and the workspace's base currency, guest orders that find their customer, the customer value
figures they keep, the purchase history, the lists and the customer list's value filters and sorts.
"""

from __future__ import annotations

import threading

import pytest
import requests

from conftest import (REQUEST_TIMEOUT, assert_json, assert_problem, create_customer, etag_of,
                      fetch_all, unique_suffix)

ORDER_KEYS = {
    "id", "number", "customer_id", "customer_email", "currency", "exchange_rate", "status",
    "lines", "subtotal", "discount", "tax", "shipping", "total", "refunded_amount",
    "base_currency", "base_total", "base_refunded", "placed_at", "paid_at", "fulfilled_at",
    "version", "created_at", "updated_at",
}
LINE_KEYS = {"sku", "name", "quantity", "unit_price", "tax", "discount", "total"}


def order_body(**overrides) -> dict:
    """A valid push: 2 × 10.00 less 1.00 discount plus 2.00 tax, 5.00 shipping = 26.00 USD."""
    body = {
        "number": f"SO-{unique_suffix()}",
        "currency": "USD",
        "status": "pending",
        "placed_at": "2026-05-01T10:00:00Z",
        "lines": [{"sku": "W-1", "name": "Widget", "quantity": 2, "unit_price": 1000, "tax": 200,
                   "discount": 100}],
        "shipping": 500,
        "total": 2600,
    }
    body.update(overrides)
    return body


def push(srv, expect=201, **overrides) -> dict:
    return assert_json(srv.post("/api/orders", json=order_body(**overrides)), expect)


def simple(total: int, **overrides) -> dict:
    """A body of one line worth `total` (no tax, discount or shipping)."""
    return {"lines": [{"name": "Item", "quantity": 1, "unit_price": total}], "shipping": 0,
            "total": total, **overrides}


def patch(srv, order, **body):
    return srv.patch(f"/api/orders/{order['id']}", json=body)


def figures(srv, customer_id: int) -> dict:
    c = assert_json(srv.get(f"/api/customers/{customer_id}"), 200)
    return {k: c[k] for k in ("order_count", "lifetime_value", "refunded_amount",
                              "average_order_value", "first_order_at", "last_order_at")}


def value(count, lifetime, refunded, first=None, last=None):
    return {"order_count": count, "lifetime_value": lifetime, "refunded_amount": refunded,
            "average_order_value": lifetime // count if count else 0,
            "first_order_at": first, "last_order_at": last}


# -- the order and its totals -------------------------------------------------------------------

def test_a_pushed_order_has_its_checked_totals(server):
    resp = server.post("/api/orders", json=order_body(number="SO-shape-1"))
    o = assert_json(resp, 201)
    assert set(o) == ORDER_KEYS
    assert resp.headers["Location"] == f"/api/orders/{o['id']}"
    assert resp.headers["ETag"] == etag_of(1)
    assert (o["number"], o["status"], o["currency"], o["customer_id"], o["customer_email"]) == \
        ("SO-shape-1", "pending", "USD", None, None)
    assert o["lines"] == [{"sku": "W-1", "name": "Widget", "quantity": 2, "unit_price": 1000,
                           "tax": 200, "discount": 100, "total": 2100}]
    assert (o["subtotal"], o["discount"], o["tax"], o["shipping"], o["total"]) == (1900, 0, 200, 500, 2600)
    assert (o["base_currency"], o["base_total"], o["base_refunded"], o["exchange_rate"]) == ("USD", 2600, 0, None)
    assert (o["refunded_amount"], o["paid_at"], o["fulfilled_at"], o["version"]) == (0, None, None, 1)
    assert o["placed_at"] == "2026-05-01T10:00:00.000Z"
    got = server.get(f"/api/orders/{o['id']}")
    assert assert_json(got, 200) == o
    assert got.headers["ETag"] == etag_of(1)
    assert server.head(f"/api/orders/{o['id']}").status_code == 200


@pytest.mark.parametrize("overrides, field, message", [
    ({"total": 2599}, "total", "must be 2600 (subtotal 1900 - discount 0 + tax 200 + shipping 500)"),
    ({"discount": 400, "total": 2600}, "total",
     "must be 2200 (subtotal 1900 - discount 400 + tax 200 + shipping 500)"),
    ({"tax": 150, "total": 2550}, "tax", "must be 200, the sum of the lines' tax"),
    ({"discount": 1901, "total": 0}, "discount", "must not exceed the subtotal (1900)"),
    ({"lines": [{"name": "W", "quantity": 1, "unit_price": 100, "discount": 101}], "total": 0},
     "lines.0.discount", "must not exceed quantity × unit_price"),
    ({"lines": [{"name": "W", "quantity": 1000000, "unit_price": 10000000000000}], "total": 0},
     "lines.0.unit_price", "× quantity is too large"),
    ({"lines": [{"name": "W", "quantity": 1000000, "unit_price": 9000000000000}] * 2, "total": 0},
     "lines", "makes the order's sums too large"),
    ({"colour": "red"}, "colour", "is not a known field"),
    ({"lines": [{"name": "W", "quantity": 1, "unit_price": 1, "colour": "red"}]}, "lines.0.colour",
     "is not a known field"),
    ({"lines": [{"name": "W", "quantity": "2", "unit_price": 1}]}, "lines.0.quantity", "must be an integer"),
    ({"lines": [{"name": "W", "quantity": 0, "unit_price": 1}]}, "lines.0.quantity",
     "must be an integer from 1 to 1000000"),
    ({"lines": [{"name": "W", "quantity": 1, "unit_price": 10000000000001}]}, "lines.0.unit_price",
     "must be an integer from 0 to 10000000000000"),
    ({"lines": [{"name": "W" * 201, "quantity": 1, "unit_price": 1}]}, "lines.0.name",
     "must be at most 200 characters"),
    ({"lines": []}, "lines", "must hold 1 to 500 lines"),
    ({"lines": [{"name": "W", "quantity": 1, "unit_price": 0}] * 501, "total": 500}, "lines",
     "must hold 1 to 500 lines"),
    ({"lines": "many"}, "lines", "must be an array"),
    ({"number": ""}, "number", "must not be empty"),
    ({"currency": "usd"}, "currency", "must be an ISO 4217 currency code in upper case (USD, EUR, JPY)"),
    ({"currency": "XYZ"}, "currency", "must be an ISO 4217 currency code in upper case (USD, EUR, JPY)"),
    ({"status": "shipped"}, "status",
     "must be pending, paid, fulfilled, cancelled, refunded or partially_refunded"),
    ({"placed_at": "yesterday"}, "placed_at", "must be an ISO 8601 timestamp (2026-05-01T10:00:00Z)"),
    ({"customer_id": 999999999}, "customer_id", "must be a live customer of this workspace"),
    ({"customer_email": "not-an-address"}, "customer_email", "must be a valid email address"),
    ({"status": "partially_refunded"}, "refunded_amount", "is required with status partially_refunded"),
    ({"status": "paid", "refunded_amount": 5}, "refunded_amount",
     "must be 0 unless the status is refunded or partially_refunded"),
])
def test_a_bad_order_is_refused_naming_the_field(server, overrides, field, message):
    body = order_body(**overrides)
    problem = assert_problem(server.post("/api/orders", json=body), 422, "validation-failed", field)
    assert message in [e["message"] for e in problem["errors"] if e["field"] == field], problem
    # Nothing was stored under the number.
    listed = assert_json(server.get("/api/orders", params={"number": body["number"]}), 200) \
        if body["number"] else {"data": []}
    assert listed["data"] == []


def test_required_fields_are_named(server):
    problem = assert_problem(server.post("/api/orders", json={}), 422, "validation-failed")
    assert {e["field"] for e in problem["errors"]} == {"number", "currency", "placed_at", "lines", "total"}


def test_order_tax_may_stand_for_lines_without_tax(server):
    o = push(server, lines=[{"name": "W", "quantity": 3, "unit_price": 500}], tax=300, shipping=0,
             total=1800)
    assert (o["subtotal"], o["tax"], o["total"], o["lines"][0]["total"]) == (1500, 300, 1800, 1500)


# -- idempotent pushes ----------------------------------------------------------------------------

def test_the_same_number_again_updates_the_same_order(server):
    first = push(server, number="SO-again-1")
    again = server.post("/api/orders", json=order_body(
        number="SO-again-1", status="paid",
        lines=[{"name": "Gadget", "quantity": 1, "unit_price": 4000}], shipping=0, total=4000))
    o = assert_json(again, 200)
    assert o["id"] == first["id"] and o["version"] == 2
    assert o["lines"] == [{"sku": None, "name": "Gadget", "quantity": 1, "unit_price": 4000, "tax": 0,
                           "discount": 0, "total": 4000}]
    assert (o["status"], o["total"], o["subtotal"], o["tax"]) == ("paid", 4000, 4000, 0)
    assert o["paid_at"] is not None and o["created_at"] == first["created_at"]
    listed = assert_json(server.get("/api/orders", params={"number": "SO-again-1"}), 200)["data"]
    assert [x["id"] for x in listed] == [first["id"]]


def test_an_idempotency_key_replays_the_first_answer(server):
    body = order_body()
    key = {"Idempotency-Key": f"order-{unique_suffix()}"}
    first = server.post("/api/orders", json=body, headers=key)
    created = assert_json(first, 201)
    replay = server.post("/api/orders", json=body, headers=key)
    assert assert_json(replay, 201) == created
    assert replay.headers.get("Idempotent-Replayed") == "true"
    assert assert_json(server.get(f"/api/orders/{created['id']}"), 200)["version"] == 1
    other = dict(body, total=2601)
    assert_problem(server.post("/api/orders", json=other, headers=key), 422, "idempotency-key-reused")


def test_many_pushes_of_one_number_at_once_make_one_order(server):
    customer = create_customer(server)
    body = order_body(number=f"SO-race-{unique_suffix()}", status="paid", customer_id=customer["id"])
    results = []

    def send():
        s = requests.Session()
        s.headers.update(server.session.headers)
        r = s.post(server.url("/api/orders"), json=body, timeout=REQUEST_TIMEOUT)
        results.append((r.status_code, r.json().get("id")))

    threads = [threading.Thread(target=send) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = sorted(code for code, _ in results)
    assert statuses == [200] * 15 + [201], results
    assert len({order_id for _, order_id in results}) == 1
    assert figures(server, customer["id"]) == value(1, 2600, 0, "2026-05-01T10:00:00.000Z",
                                                    "2026-05-01T10:00:00.000Z")
    listed = assert_json(server.get("/api/orders", params={"number": body["number"]}), 200)["data"]
    assert len(listed) == 1 and listed[0]["version"] == 16


# -- customers: by id, by e-mail, guests ---------------------------------------------------------

def test_an_order_finds_its_customer_by_email(server):
    customer = create_customer(server)
    o = push(server, customer_email=customer["email"].upper(), status="paid")
    assert (o["customer_id"], o["customer_email"]) == (customer["id"], customer["email"])


def test_a_guest_order_attaches_when_its_customer_is_created(server):
    email = f"guest.{unique_suffix()}@shop.example"
    o = push(server, customer_email=email, status="paid", placed_at="2026-03-02T08:00:00Z")
    assert o["customer_id"] is None
    created = create_customer(server, email=email)
    assert (created["order_count"], created["lifetime_value"]) == (1, 2600)
    assert created["purchase_history"] == [
        {"order_id": o["id"], "amount": 26.0, "date": "2026-03-02", "currency": "USD"}]
    again = assert_json(server.get(f"/api/orders/{o['id']}"), 200)
    assert (again["customer_id"], again["version"]) == (created["id"], 2)
    assert figures(server, created["id"]) == value(1, 2600, 0, "2026-03-02T08:00:00.000Z",
                                                   "2026-03-02T08:00:00.000Z")


def test_a_guest_order_attaches_when_a_customer_takes_its_email(server):
    email = f"later.{unique_suffix()}@shop.example"
    customer = create_customer(server)
    pending = push(server, customer_email=email)
    paid = push(server, customer_email=email, status="paid", placed_at="2026-04-01T00:00:00Z",
                **simple(5000))
    resp = server.patch(f"/api/customers/{customer['id']}", json={"email": email})
    updated = assert_json(resp, 200)["customer"]
    assert [p["order_id"] for p in updated["purchase_history"]] == [pending["id"], paid["id"]]
    assert figures(server, customer["id"]) == value(1, 5000, 0, "2026-04-01T00:00:00.000Z",
                                                    "2026-04-01T00:00:00.000Z")
    for o in (pending, paid):
        assert assert_json(server.get(f"/api/orders/{o['id']}"), 200)["customer_id"] == customer["id"]
    # The pending one counts once paid.
    assert_json(patch(server, pending, status="paid"), 200)
    assert figures(server, customer["id"]) == value(2, 7600, 0, "2026-04-01T00:00:00.000Z",
                                                    "2026-05-01T10:00:00.000Z")


# -- statuses, refunds and the value figures ------------------------------------------------------

def test_statuses_refunds_and_value_figures_step_by_step(server):
    c = create_customer(server)
    o = push(server, customer_id=c["id"])
    assert figures(server, c["id"]) == value(0, 0, 0)
    at = "2026-05-01T10:00:00.000Z"

    o = assert_json(patch(server, o, status="paid"), 200)
    assert (o["status"], o["version"]) == ("paid", 2) and o["paid_at"] and o["fulfilled_at"] is None
    assert figures(server, c["id"]) == value(1, 2600, 0, at, at)

    o = assert_json(patch(server, o, status="fulfilled"), 200)
    assert o["fulfilled_at"] is not None
    assert figures(server, c["id"]) == value(1, 2600, 0, at, at)

    o = assert_json(patch(server, o, status="partially_refunded", refunded_amount=500), 200)
    assert (o["refunded_amount"], o["base_refunded"]) == (500, 500)
    assert figures(server, c["id"]) == value(1, 2100, 500, at, at)

    problem = assert_problem(patch(server, o, status="partially_refunded", refunded_amount=400), 409,
                             "conflict", "refunded_amount")
    assert problem["detail"] == "The refunded amount may not go down: it is 500 already."
    assert_problem(patch(server, o, status="partially_refunded", refunded_amount=2600), 422,
                   "validation-failed", "refunded_amount")

    o = assert_json(patch(server, o, status="partially_refunded", refunded_amount=1000), 200)
    assert figures(server, c["id"]) == value(1, 1600, 1000, at, at)

    o = assert_json(patch(server, o, status="refunded"), 200)
    assert (o["status"], o["refunded_amount"], o["base_refunded"]) == ("refunded", 2600, 2600)
    assert figures(server, c["id"]) == value(1, 0, 2600, at, at)

    # refunded is final; the same status again is a no-op.
    problem = assert_problem(patch(server, o, status="paid"), 409, "conflict", "status")
    assert problem["detail"] == "An order that is refunded cannot become paid."
    same = assert_json(patch(server, o, status="refunded"), 200)
    assert same["version"] == o["version"]


def test_patch_follows_the_transition_table(server):
    o = push(server)
    assert_problem(patch(server, o, status="refunded"), 409, "conflict", "status")
    assert_problem(patch(server, o, status="partially_refunded", refunded_amount=100), 409, "conflict",
                   "status")
    same = assert_json(patch(server, o, status="pending"), 200)
    assert same["version"] == 1
    cancelled = assert_json(patch(server, o, status="cancelled"), 200)
    assert cancelled["paid_at"] is None
    assert_problem(patch(server, cancelled, status="paid"), 409, "conflict", "status")
    # A push may not bring a cancelled order back either.
    assert_problem(server.post("/api/orders", json=order_body(number=o["number"], status="paid")), 409,
                   "conflict", "status")


def test_patch_checks_if_match_and_its_body(server):
    o = push(server)
    resp = server.patch(f"/api/orders/{o['id']}", json={"status": "paid"}, headers={"If-Match": etag_of(7)})
    assert_problem(resp, 412, "precondition-failed")
    assert_problem(patch(server, o, status="paid", note="x"), 422, "validation-failed", "note")
    assert_problem(server.patch(f"/api/orders/{o['id']}", json={}), 422, "validation-failed", "status")
    assert_problem(patch(server, o, status="partially_refunded"), 409, "conflict", "status")
    resp = server.patch(f"/api/orders/{o['id']}", json={"status": "paid"}, headers={"If-Match": etag_of(1)})
    assert assert_json(resp, 200)["version"] == 2
    assert resp.headers["ETag"] == etag_of(2)
    assert_problem(server.patch("/api/orders/999999999", json={"status": "paid"}), 404, "not-found")


def test_leaving_the_figures_rereads_first_and_last_order(server):
    c = create_customer(server)
    early = push(server, customer_id=c["id"], status="paid", placed_at="2026-01-10T00:00:00Z", **simple(1000))
    late = push(server, customer_id=c["id"], status="paid", placed_at="2026-02-10T00:00:00Z", **simple(3000))
    assert figures(server, c["id"]) == value(2, 4000, 0, "2026-01-10T00:00:00.000Z", "2026-02-10T00:00:00.000Z")
    assert_json(patch(server, late, status="cancelled"), 200)
    assert figures(server, c["id"]) == value(1, 1000, 0, "2026-01-10T00:00:00.000Z", "2026-01-10T00:00:00.000Z")
    assert_json(patch(server, early, status="cancelled"), 200)
    assert figures(server, c["id"]) == value(0, 0, 0)
    # Moving an order to another customer moves its value.
    other = create_customer(server)
    moved = push(server, customer_id=c["id"], status="paid", **simple(700))
    push(server, 200, number=moved["number"], customer_id=other["id"], status="paid", **simple(700))
    assert figures(server, c["id"]) == value(0, 0, 0)
    assert figures(server, other["id"]) == value(1, 700, 0, "2026-05-01T10:00:00.000Z", "2026-05-01T10:00:00.000Z")


# -- currencies -----------------------------------------------------------------------------------

@pytest.mark.parametrize("currency, total, rate, shown, base_total", [
    ("EUR", 1000, "1.0834", "1.0834", 1083),       # 1083.4 rounds down
    ("EUR", 1000, 1.0835, "1.0835", 1084),         # 1083.5: half away from zero, from a JSON number
    ("EUR", 333, "1.5000", "1.5", 500),            # 499.5 rounds up; trailing zeros dropped
    ("JPY", 1000, "0.0067", "0.0067", 670),        # ¥1000 (exponent 0) in cents
    ("KWD", 1000, 3.25, "3.25", 325),              # 1.000 KWD (exponent 3) in cents
    ("EUR", 10000000000000, "99999", "99999", 999990000000000000),
])
def test_an_order_in_another_currency_is_converted_exactly(server, currency, total, rate, shown, base_total):
    o = push(server, currency=currency, exchange_rate=rate, **simple(total))
    assert (o["exchange_rate"], o["base_currency"], o["base_total"]) == (shown, "USD", base_total)


@pytest.mark.parametrize("overrides, message", [
    ({"currency": "EUR"}, "is required for an order in EUR: the workspace's base currency is USD"),
    ({"currency": "EUR", "exchange_rate": "abc"}, None),
    ({"currency": "EUR", "exchange_rate": "-1.2"}, None),
    ({"currency": "EUR", "exchange_rate": 0}, None),
    ({"currency": "EUR", "exchange_rate": "1.1234567890123456789"}, None),
    ({"currency": "EUR", "exchange_rate": [1]}, None),
    ({"currency": "USD", "exchange_rate": "2"}, "must be 1 or left out: USD is the base currency"),
    ({"currency": "EUR", "exchange_rate": "99999999999999999"}, "makes the amount in the base currency too large"),
])
def test_a_bad_exchange_rate_is_refused(server, overrides, message):
    body = order_body(**simple(10000000000000 if "99999999" in str(overrides.get("exchange_rate")) else 1000),
                      **overrides)
    problem = assert_problem(server.post("/api/orders", json=body), 422, "validation-failed", "exchange_rate")
    if message:
        assert message in [e["message"] for e in problem["errors"]], problem


def test_a_refund_in_another_currency_is_converted_too(server):
    c = create_customer(server)
    o = push(server, customer_id=c["id"], currency="EUR", exchange_rate="1.0834", status="paid", **simple(1000))
    o = assert_json(patch(server, o, status="partially_refunded", refunded_amount=333), 200)
    assert (o["refunded_amount"], o["base_refunded"]) == (333, 361)  # 360.77
    assert figures(server, c["id"])["lifetime_value"] == 1083 - 361
    assert figures(server, c["id"])["refunded_amount"] == 361


def test_the_base_currency_is_a_setting_until_orders_exist(fresh_server):
    srv = fresh_server
    assert assert_json(srv.get("/api/settings"), 200) == {"base_currency": "USD"}
    assert_problem(srv.patch("/api/settings", json={"base_currency": "eur"}), 422, "validation-failed",
                   "base_currency")
    assert_problem(srv.patch("/api/settings", json={"currency": "EUR"}), 422, "validation-failed", "currency")
    assert assert_json(srv.patch("/api/settings", json={"base_currency": "EUR"}), 200) == {"base_currency": "EUR"}
    assert assert_json(srv.get("/api/settings"), 200) == {"base_currency": "EUR"}
    o = push(srv, currency="JPY", exchange_rate="0.0062", **simple(1000))
    assert (o["base_currency"], o["base_total"]) == ("EUR", 620)
    problem = assert_problem(srv.patch("/api/settings", json={"base_currency": "USD"}), 409, "conflict",
                             "base_currency")
    assert "EUR" in problem["detail"]
    assert assert_json(srv.patch("/api/settings", json={"base_currency": "EUR"}), 200) == {"base_currency": "EUR"}
    assert assert_json(srv.get("/api/settings"), 200) == {"base_currency": "EUR"}


# -- lists and the purchase history ---------------------------------------------------------------

def test_lists_filter_and_page_by_keyset(server):
    c = create_customer(server)
    made = []
    for day, (status, currency) in enumerate([("paid", "USD"), ("pending", "USD"), ("paid", "EUR"),
                                              ("cancelled", "USD"), ("paid", "USD")], start=1):
        extra = {"exchange_rate": "1.1"} if currency == "EUR" else {}
        made.append(push(server, customer_id=c["id"], status=status, currency=currency,
                         placed_at=f"2026-06-0{day}T12:00:00Z", **extra))
    newest_first = [o["id"] for o in reversed(made)]

    def walk(path, **params):
        ids, cursor = [], None
        for _ in range(10):
            q = {**params, "limit": 2, **({"cursor": cursor} if cursor else {})}
            page = assert_json(server.get(path, params=q), 200)
            assert set(page) == {"data", "next_cursor"}
            for item in page["data"]:
                assert set(item) == ORDER_KEYS - {"lines"}
            ids += [item["id"] for item in page["data"]]
            cursor = page["next_cursor"]
            if cursor is None:
                return ids
        pytest.fail("too many pages")

    assert walk("/api/orders", customer_id=c["id"]) == newest_first
    assert walk(f"/api/customers/{c['id']}/orders") == newest_first
    assert walk("/api/orders", customer_id=c["id"], status="paid") == [made[4]["id"], made[2]["id"], made[0]["id"]]
    assert walk("/api/orders", customer_id=c["id"], currency="EUR") == [made[2]["id"]]
    assert walk("/api/orders", customer_id=c["id"], placed_from="2026-06-02", placed_to="2026-06-04") == \
        [made[2]["id"], made[1]["id"]]
    assert walk("/api/orders", number=made[3]["number"]) == [made[3]["id"]]
    assert_problem(server.get("/api/orders", params={"status": "lost"}), 422, "validation-failed", "status")
    assert_problem(server.get("/api/orders", params={"sort": "total"}), 422, "validation-failed", "sort")
    assert_problem(server.get("/api/orders", params={"cursor": "nonsense"}), 400, "bad-request")
    assert_problem(server.get("/api/customers/999999999/orders"), 404, "not-found")
    assert server.head("/api/orders").status_code == 200


def test_purchase_history_is_the_latest_twenty_but_cancelled(server):
    c = create_customer(server)
    pushed = []
    for i in range(22):
        pushed.append(push(server, customer_id=c["id"], status="paid",
                           placed_at=f"2026-02-{i + 1:02d}T09:30:00Z", **simple(1000 + i)))
    assert_json(patch(server, pushed[21], status="cancelled"), 200)
    jpy = push(server, customer_id=c["id"], currency="JPY", exchange_rate="0.0067",
               placed_at="2026-03-01T00:00:00Z", **simple(1500))
    kwd = push(server, customer_id=c["id"], currency="KWD", exchange_rate="3.25",
               placed_at="2026-02-28T00:00:00Z", **simple(1234))
    history = assert_json(server.get(f"/api/customers/{c['id']}"), 200)["purchase_history"]
    expected = [{"order_id": jpy["id"], "amount": 1500.0, "date": "2026-03-01", "currency": "JPY"},
                {"order_id": kwd["id"], "amount": 1.234, "date": "2026-02-28", "currency": "KWD"}]
    for i in range(20, 2, -1):  # the 22nd (index 21) is cancelled
        expected.append({"order_id": pushed[i]["id"], "amount": (1000 + i) / 100,
                         "date": f"2026-02-{i + 1:02d}", "currency": "USD"})
    assert history == expected
    assert figures(server, c["id"])["order_count"] == 21


# -- the customer list's value filters and sorts ------------------------------------------------

def test_the_customer_list_filters_and_sorts_by_value(fresh_server):
    srv = fresh_server
    made = []
    for i, (amount, day) in enumerate([(5000, "03"), (1200, "01"), (5000, "02"), (0, None), (800, "05")]):
        c = create_customer(srv)
        if day:
            push(srv, customer_id=c["id"], status="paid", placed_at=f"2026-07-{day}T00:00:00Z", **simple(amount))
        made.append(c["id"])
    without = create_customer(srv)["id"]  # no order at all

    rows = fetch_all(srv, {})
    by_id = {r["id"]: r for r in rows}
    assert by_id[made[0]]["lifetime_value"] == 5000 and by_id[without]["last_order_at"] is None

    def ids(params):
        return [r["id"] for r in fetch_all(srv, params, limit=2)]

    def key_value(r):
        return (r["lifetime_value"], r["id"])

    def key_last(r):
        return (r["last_order_at"] or "", r["id"])

    assert ids({"sort": "lifetime_value"}) == [r["id"] for r in sorted(rows, key=key_value)]
    assert ids({"sort": "-lifetime_value"}) == [r["id"] for r in sorted(rows, key=key_value, reverse=True)]
    assert ids({"sort": "last_order_at"}) == [r["id"] for r in sorted(rows, key=key_last)]
    assert ids({"sort": "-last_order_at"}) == [r["id"] for r in sorted(rows, key=key_last, reverse=True)]
    assert ids({"sort": "-lifetime_value"})[:2] == sorted([made[0], made[2]], reverse=True)

    assert set(ids({"min_lifetime_value": 1200})) == {made[0], made[1], made[2]}
    assert set(ids({"max_lifetime_value": 1200, "min_order_count": 1})) == {made[1], made[4]}
    assert set(ids({"last_order_from": "2026-07-02", "last_order_to": "2026-07-05"})) == {made[0], made[2]}
    assert ids({"loyalty_tier": "Gold"}) == []
    assert_problem(srv.get("/api/customers", params={"min_lifetime_value": "lots"}), 422,
                   "validation-failed", "min_lifetime_value")
    assert_problem(srv.get("/api/customers", params={"sort": "value"}), 422, "validation-failed", "sort")
    cursor = assert_json(srv.get("/api/customers", params={"sort": "lifetime_value", "limit": 1}), 200)["next_cursor"]
    assert_problem(srv.get("/api/customers", params={"sort": "last_order_at", "cursor": cursor}), 400, "bad-request")


# -- loyalty is told by a job ---------------------------------------------------------------------

def test_a_change_queues_loyaltys_job_harmlessly(fresh_server):
    srv = fresh_server
    o = push(srv, status="paid")
    assert_json(patch(srv, o, status="fulfilled"), 200)
    jobs = assert_json(srv.get("/api/jobs", params={"kind": "loyalty.order_changed"}), 200)["data"]
    assert len(jobs) == 2
    # Without a handler (until loyalty/ registers one) the jobs end, and orders go on working.
    assert assert_json(srv.get(f"/api/orders/{o['id']}"), 200)["status"] == "fulfilled"
