"""Loyalty points (issue 13, docs/api.md "Loyalty", docs/decisions.md "Loyalty ledger"): the
program's validation, earning from orders (the `loyalty.order_changed` job: on paid or fulfilled,
tier multipliers, refunds and cancellations reversed into debt, the max_balance cap, a change of
customer), FEFO redemption across lots with the exact lots consumed, expiry by the daily job,
tiers, the 409s, many concurrent redemptions at one customer, and `clientele loyalty rebuild`.

Most orders are written straight into the `orders` table as orders/ writes them (0013_orders.sql),
and the job is queued from the command line as orders/ queues it, so each case sets exactly the
columns it needs; one test pushes orders through the API end to end.
"""

from __future__ import annotations

import json
import random
import threading
from datetime import datetime, timedelta, timezone

import pytest
import requests

from conftest import (REQUEST_TIMEOUT, assert_json, assert_problem, create_customer, etag_of, run_cli,
                      staff_member, unique_suffix)
from test_jobs import sql, wait_for

DEFAULT_PROGRAM = {"points_per_unit": 1, "earn_on": "paid", "earn_includes_tax": False,
                   "earn_includes_shipping": False, "expiry_days": None, "min_redeem": 0,
                   "max_balance": None, "tiers": []}
COUNTED = {"paid", "fulfilled", "partially_refunded", "refunded"}


def stamp(days: float = 0) -> str:
    return (datetime.now(timezone.utc) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def set_program(srv, **fields) -> dict:
    """Replaces the workspace's program (fields left out take their defaults)."""
    return assert_json(srv.put("/api/loyalty/program", json=fields), 200)


def run_job(srv, kind: str, payload: dict, workspace: int | None = 1) -> dict:
    """Queues a job as orders/ or the schedule would, waits for it, returns its result."""
    args = ["jobs", "enqueue", kind, "--db", str(srv.db_path), "--payload", json.dumps(payload)]
    if workspace is not None:
        args += ["--workspace", str(workspace)]
    run_cli(args)
    (job_id,), = sql(srv, f"SELECT MAX(id) FROM jobs WHERE kind = '{kind}'")
    state = wait_for(lambda: (lambda s: s if s not in ("queued", "running") else None)(
        sql(srv, f"SELECT state FROM jobs WHERE id = {job_id}")[0][0]), what=f"job {job_id}")
    assert state == "done", sql(srv, f"SELECT last_error FROM jobs WHERE id = {job_id}")
    return json.loads(sql(srv, f"SELECT result FROM jobs WHERE id = {job_id}")[0][0])


class Orders:
    """Order rows as orders/ keeps them, for one test's customers."""

    def __init__(self, srv):
        self.srv = srv

    def put(self, customer_id, total, *, tax=0, shipping=0, discount=0, status="paid", refunded=0,
            placed_at=None, fulfilled=False, base_total=None, currency="USD") -> int:
        subtotal = total - tax - shipping + discount
        base_total = total if base_total is None else base_total
        paid_at = f"'{stamp()}'" if status in COUNTED else "NULL"
        fulfilled_at = f"'{stamp()}'" if fulfilled else "NULL"
        customer = "NULL" if customer_id is None else customer_id
        (order_id,), = self.srv_sql(
            "INSERT INTO orders (tenant_id, number, customer_id, customer_email, currency, status,"
            " subtotal, discount, tax, shipping, total, refunded_amount, base_total, base_refunded,"
            " counted, placed_at, paid_at, fulfilled_at, created_at, updated_at) VALUES"
            f" (1, 'T-{unique_suffix()}', {customer}, '', '{currency}', '{status}', {subtotal},"
            f" {discount}, {tax}, {shipping}, {total}, {refunded}, {base_total},"
            f" {refunded * base_total // max(total, 1)}, {int(status in COUNTED)},"
            f" '{placed_at or stamp()}', {paid_at}, {fulfilled_at}, '{stamp()}', '{stamp()}')"
            " RETURNING id")
        return order_id

    def change(self, order_id, **columns):
        sets = ", ".join(f"{k} = {'NULL' if v is None else repr(v)}" for k, v in columns.items())
        if "status" in columns:
            sets += f", counted = {int(columns['status'] in COUNTED)}"
        self.srv_sql(f"UPDATE orders SET {sets} WHERE id = {order_id}")

    def converge(self, order_id) -> dict:
        return run_job(self.srv, "loyalty.order_changed", {"order_id": order_id})

    def srv_sql(self, text):
        return sql(self.srv, text)


@pytest.fixture(scope="module")
def orders(server):
    return Orders(server)


def points(srv, customer_id, **params) -> dict:
    return assert_json(srv.get(f"/api/customers/{customer_id}/loyalty", params=params), 200)


def adjust(srv, customer_id, amount, reason="test") -> dict:
    return assert_json(srv.post(f"/api/customers/{customer_id}/loyalty/adjust",
                                json={"points": amount, "reason": reason}), 201)


def redeem(srv, customer_id, amount, **extra):
    return srv.post(f"/api/customers/{customer_id}/loyalty/redeem", json={"points": amount, **extra})


def ledger(srv, customer_id) -> list[tuple]:
    """(kind, points, balance_after, debt, withheld) of every entry, oldest first."""
    return sql(srv, "SELECT kind, points, balance_after, debt, withheld FROM loyalty_entries"
                    f" WHERE customer_id = {customer_id} ORDER BY id")


def lots(srv, customer_id) -> list[tuple]:
    """(points, remaining) of every lot, oldest first."""
    return sql(srv, f"SELECT points, remaining FROM loyalty_lots WHERE customer_id = {customer_id} ORDER BY id")


def assert_consistent(srv, customer_id):
    """The cache is the ledger, and the open lots hold the balance (none while in debt)."""
    (cached, summed, held), = sql(srv, "SELECT c.loyalty_points, (SELECT COALESCE(SUM(points), 0) FROM"
                                       " loyalty_entries e WHERE e.customer_id = c.id), (SELECT"
                                       " COALESCE(SUM(remaining), 0) FROM loyalty_lots l WHERE"
                                       f" l.customer_id = c.id) FROM customers c WHERE c.id = {customer_id}")
    assert cached == summed and held == max(cached, 0), (cached, summed, held)
    return cached


# ------------------------------------------------------------------------------------------------
# The program


def test_the_program_starts_with_the_issues_defaults_and_refuses_bad_values(server):
    got = server.get("/api/loyalty/program")
    assert {k: v for k, v in assert_json(got, 200).items() if k not in ("version", "updated_at")} == DEFAULT_PROGRAM
    assert got.json()["version"] == 0 and got.json()["updated_at"] is None and got.headers["ETag"] == etag_of(0)
    bad = [({"points_per_unit": 0.125}, "points_per_unit"), ({"points_per_unit": 10001}, "points_per_unit"),
           ({"points_per_unit": "1"}, "points_per_unit"), ({"points_per_unit": -1}, "points_per_unit"),
           ({"earn_on": "shipped"}, "earn_on"), ({"earn_includes_tax": "yes"}, "earn_includes_tax"),
           ({"expiry_days": 0}, "expiry_days"), ({"min_redeem": -1}, "min_redeem"),
           ({"max_balance": 0}, "max_balance"), ({"min_redeem": 100, "max_balance": 50}, "max_balance"),
           ({"tiers": {}}, "tiers"), ({"tiers": [1]}, "tiers[0]"),
           ({"tiers": [{"name": "Gold", "min_spend": 10, "multiplier": 2},
                       {"name": "gold", "min_spend": 20, "multiplier": 2}]}, "tiers[1].name"),
           ({"tiers": [{"name": "A", "min_spend": 10, "multiplier": 2},
                       {"name": "B", "min_spend": 10, "multiplier": 2}]}, "tiers[1].min_spend"),
           ({"tiers": [{"name": "A", "min_spend": 0, "multiplier": 0.5}]}, "tiers[0].multiplier"),
           ({"tiers": [{"name": "A", "min_spend": 0, "multiplier": 10.01}]}, "tiers[0].multiplier"),
           ({"tiers": [{"name": "A", "min_spend": 0, "multiplier": 1.234}]}, "tiers[0].multiplier"),
           ({"tiers": [{"name": "A", "min_spend": 0}]}, "tiers[0].multiplier"),
           ({"tiers": [{"name": "", "min_spend": 0, "multiplier": 1}]}, "tiers[0].name"),
           ({"tiers": [{"name": "A", "min_spend": 0, "multiplier": 1, "colour": "red"}]}, "tiers[0].colour"),
           ({"bonus": 1}, "bonus"), ({"version": 3}, "version")]
    for body, field in bad:
        assert_problem(server.put("/api/loyalty/program", json=body), 422, "validation-failed", field)
    assert assert_json(server.get("/api/loyalty/program"), 200)["version"] == 0  # nothing stored

    program = {"points_per_unit": 1.25, "earn_on": "fulfilled", "earn_includes_tax": True,
               "earn_includes_shipping": False, "expiry_days": 365, "min_redeem": 100, "max_balance": 5000,
               "tiers": [{"name": "Silver", "min_spend": 50000, "multiplier": 1.5},
                         {"name": "Gold", "min_spend": 200000, "multiplier": 2}]}
    saved = server.put("/api/loyalty/program", json=program, headers={"If-Match": etag_of(0)})
    body = assert_json(saved, 200)
    assert {k: v for k, v in body.items() if k not in ("version", "updated_at")} == program
    assert body["version"] == 1 and saved.headers["ETag"] == etag_of(1)
    assert assert_json(server.get("/api/loyalty/program"), 200) == body
    assert_problem(server.put("/api/loyalty/program", json={}, headers={"If-Match": etag_of(0)}),
                   412, "precondition-failed")
    # A PUT is the whole program: what it leaves out is back to its default.
    again = set_program(server, points_per_unit=2)
    assert again["version"] == 2 and again["earn_on"] == "paid" and again["tiers"] == []

    viewer, _ = staff_member(server, "viewer")
    assert assert_json(viewer.get(server.url("/api/loyalty/program"), timeout=REQUEST_TIMEOUT), 200) == again
    assert_problem(viewer.put(server.url("/api/loyalty/program"), json={}, timeout=REQUEST_TIMEOUT),
                   403, "forbidden")
    set_program(server)


# ------------------------------------------------------------------------------------------------
# Earning from orders


def test_points_are_earned_on_paid_or_on_fulfilled_and_running_the_job_again_changes_nothing(server, orders):
    c = create_customer(server)["id"]
    set_program(server)
    # 123.45 USD paid: 100.00 of goods, 15.00 tax, 8.45 shipping → 100 points (tax and shipping out).
    o = orders.put(c, 12345, tax=1500, shipping=845)
    assert orders.converge(o) == {"order_id": o, "customer_id": c, "points": 100, "change": 100}
    assert orders.converge(o)["change"] == 0
    (entry,) = points(server, c)["entries"]
    assert entry["kind"] == "earn" and entry["points"] == 100 and entry["order_id"] == o
    assert entry["balance_after"] == 100 and entry["expires_at"] is None and entry["lots"] == []
    assert assert_json(server.get(f"/api/customers/{c}"), 200)["loyalty_points"] == 100

    # 1.5 points per unit on everything paid: floor(123.45 × 1.5) = 185.
    set_program(server, points_per_unit=1.5, earn_includes_tax=True, earn_includes_shipping=True,
                expiry_days=30)
    assert orders.converge(o)["change"] == 85
    assert points(server, c)["balance"] == 185
    # In another currency: its base amount counts (110.00 USD for 100.00 EUR): 165 points.
    eur = orders.put(c, 10000, base_total=11000, currency="EUR")
    assert orders.converge(eur)["points"] == 165
    (newest, _, _) = points(server, c)["entries"]
    assert newest["expires_at"] is not None and newest["expires_at"][:10] == stamp(30)[:10]

    # On fulfilled: a paid order earns nothing until it is fulfilled.
    set_program(server, earn_on="fulfilled")
    d = create_customer(server)["id"]
    o = orders.put(d, 5000)
    assert orders.converge(o)["points"] == 0 and points(server, d)["entries"] == []
    orders.change(o, status="fulfilled", fulfilled_at=stamp())
    assert orders.converge(o)["points"] == 50 and points(server, d)["balance"] == 50
    # A guest order, a pending one and a cancelled one earn nothing.
    for order in (orders.put(None, 9000, fulfilled=True), orders.put(d, 9000, status="pending"),
                  orders.put(d, 9000, status="cancelled", fulfilled=True)):
        assert orders.converge(order)["points"] == 0
    assert points(server, d)["balance"] == 50
    assert assert_consistent(server, c) == 350 and assert_consistent(server, d) == 50
    set_program(server)


def test_tiers_multiply_points_and_follow_the_spend_of_the_last_365_days(server, orders):
    set_program(server, tiers=[{"name": "Silver", "min_spend": 10000, "multiplier": 1.5},
                               {"name": "Gold", "min_spend": 50000, "multiplier": 2}])
    c = create_customer(server)["id"]
    old = orders.put(c, 100000, placed_at=stamp(-400))  # too old to count for a tier
    assert orders.converge(old)["points"] == 1000
    assert points(server, c)["tier"] is None
    o = orders.put(c, 20000)
    assert orders.converge(o)["points"] == 300  # the order that lifts them to Silver earns at it
    assert points(server, c)["tier"] == "Silver"
    assert assert_json(server.get(f"/api/customers/{c}"), 200)["loyalty_tier"] == "Silver"
    big = orders.put(c, 40000)
    assert orders.converge(big)["points"] == 800  # Gold now (60000): ×2
    assert points(server, c)["tier"] == "Gold"
    # A refund of the Silver order is taken back at the multiplier it earned with, not at Gold's.
    orders.change(o, status="partially_refunded", refunded_amount=10000, base_refunded=10000)
    assert orders.converge(o) == {"order_id": o, "customer_id": c, "points": 150, "change": -150}
    assert points(server, c)["tier"] == "Gold"  # 50000 still
    orders.change(big, status="refunded", refunded_amount=40000, base_refunded=40000)
    assert orders.converge(big)["change"] == -800
    assert points(server, c)["tier"] == "Silver"  # 10000 counted: min_spend is inclusive
    set_program(server)


def test_the_daily_tier_run_sets_every_customers_tier_and_a_program_change_runs_it(server, orders):
    set_program(server, tiers=[{"name": "Silver", "min_spend": 10000, "multiplier": 1.5}])
    wait_for(lambda: sql(server, "SELECT COUNT(*) FROM jobs WHERE kind = 'loyalty.tiers'"
                                 " AND schedule_id IS NULL AND state IN ('queued', 'running')") == [(0,)],
             what="the PUT's tier run")
    c, d = create_customer(server)["id"], create_customer(server)["id"]
    orders.put(c, 20000)  # never told: only the daily run sees it
    sql(server, f"UPDATE customers SET loyalty_tier = 'Bogus' WHERE id = {d}")
    result = run_job(server, "loyalty.tiers", {}, workspace=None)
    assert result["changed"] >= 2
    assert points(server, c)["tier"] == "Silver" and points(server, d)["tier"] is None
    # A program without tiers clears them, through the run its PUT queued.
    set_program(server)
    # (psql shows a lone NULL as an empty line: hence the COALESCE)
    wait_for(lambda: sql(server, f"SELECT COALESCE(loyalty_tier, '-') FROM customers WHERE id = {c}") == [("-",)],
             what="the tier run of the program's change")


def test_refunds_and_cancellations_take_points_back_into_debt_which_earnings_pay_first(server, orders):
    set_program(server)
    c = create_customer(server)["id"]
    a = orders.put(c, 10000)
    orders.converge(a)                                               # +100
    r = assert_json(redeem(server, c, 80), 201)                      # −80 from A's lot
    (lot_a,) = [use["lot_id"] for use in r["entry"]["lots"]]
    orders.change(a, status="refunded", refunded_amount=10000, base_refunded=10000)
    assert orders.converge(a)["change"] == -100                      # 20 back from its lot, 80 owed
    reverse = points(server, c)["entries"][0]
    assert (reverse["kind"], reverse["points"], reverse["debt"], reverse["balance_after"]) == ("reverse", -100, 80, -80)
    assert reverse["lots"] == [{"lot_id": lot_a, "points": 20}] and reverse["order_id"] == a
    b = orders.put(c, 5000)
    orders.converge(b)                                               # +50, all of it pays the debt
    cc = orders.put(c, 10000)
    orders.converge(cc)                                              # +100: 30 pays the debt, 70 kept
    assert lots(server, c) == [(100, 0), (50, 0), (100, 70)]
    orders.change(b, status="partially_refunded", refunded_amount=2500, base_refunded=2500)
    orders.converge(b)                                               # −25: B's own lot is empty → C's
    orders.change(cc, status="cancelled")
    orders.converge(cc)                                              # −100: 45 from its lot, 55 owed
    assert ledger(server, c) == [("earn", 100, 100, 0, 0), ("redeem", -80, 20, 0, 0),
                                 ("reverse", -100, -80, 80, 0), ("earn", 50, -30, 0, 0),
                                 ("earn", 100, 70, 0, 0), ("reverse", -25, 45, 0, 0),
                                 ("reverse", -100, -55, 55, 0)]
    assert lots(server, c) == [(100, 0), (50, 0), (100, 0)]
    assert assert_consistent(server, c) == -55
    assert_problem(redeem(server, c, 1), 409, "conflict", "points")


def test_the_max_balance_cap_withholds_points_which_a_refund_gives_back_first(server, orders):
    set_program(server, max_balance=150)
    c = create_customer(server)["id"]
    adjust(server, c, 100)
    o = orders.put(c, 10000)
    assert orders.converge(o)["change"] == 50
    assert ledger(server, c)[-1] == ("earn", 50, 150, 0, 50)
    assert orders.converge(o)["change"] == 0  # convergent: the withheld 50 count as earned
    orders.change(o, status="partially_refunded", refunded_amount=5000, base_refunded=5000)
    assert orders.converge(o)["change"] == 0  # the 50 it loses are the 50 it never gave
    assert ledger(server, c)[-1] == ("reverse", 0, 150, 0, -50)
    orders.change(o, status="refunded", refunded_amount=10000, base_refunded=10000)
    assert orders.converge(o)["change"] == -50
    assert assert_consistent(server, c) == 100
    set_program(server)


def test_an_order_that_changes_customer_moves_its_points(server, orders):
    set_program(server)
    a, b = create_customer(server)["id"], create_customer(server)["id"]
    o = orders.put(a, 4000)
    orders.converge(o)
    orders.change(o, customer_id=b)
    assert orders.converge(o) == {"order_id": o, "customer_id": b, "points": 40, "change": 0}
    assert points(server, a)["balance"] == 0 and points(server, b)["balance"] == 40
    assert [e["kind"] for e in points(server, a)["entries"]] == ["reverse", "earn"]


def test_orders_pushed_through_the_api_earn_and_their_refunds_take_back(server):
    set_program(server, earn_includes_shipping=True)
    c = create_customer(server)["id"]

    def balance_becomes(value):
        wait_for(lambda: points(server, c)["balance"] == value, what=f"a balance of {value}")

    body = {"number": f"L-{unique_suffix()}", "customer_id": c, "currency": "USD", "status": "paid",
            "placed_at": stamp(), "lines": [{"name": "Lamp", "quantity": 3, "unit_price": 2500}],
            "shipping": 500, "total": 8000}
    order = assert_json(server.post("/api/orders", json=body), 201)
    balance_becomes(80)
    assert assert_json(server.patch(f"/api/orders/{order['id']}", json={
        "status": "partially_refunded", "refunded_amount": 2000}), 200)["refunded_amount"] == 2000
    balance_becomes(60)
    # A guest order earns once its customer signs up with its e-mail.
    email = f"guest.{unique_suffix()}@mail.example"
    assert_json(server.post("/api/orders", json={**body, "number": f"L-{unique_suffix()}", "customer_id": None,
                                                 "customer_email": email}), 201)
    guest = create_customer(server, email=email)["id"]
    wait_for(lambda: points(server, guest)["balance"] == 80, what="the attached guest order's points")
    assert [e["kind"] for e in points(server, c)["entries"]] == ["reverse", "earn"]
    assert sql(server, "SELECT COUNT(*) FROM jobs WHERE kind = 'loyalty.order_changed' AND state <> 'done'") == [(0,)]
    set_program(server)


# ------------------------------------------------------------------------------------------------
# Redeeming, adjusting, expiring


def test_redemption_takes_the_soonest_expiring_lots_first_and_records_them(server):
    set_program(server)
    c = create_customer(server)["id"]
    made = [adjust(server, c, n)["entry"]["id"] for n in (10, 20, 5, 7)]
    lot = {entry: lot_id for entry, lot_id in sql(server, "SELECT entry_id, id FROM loyalty_lots"
                                                          f" WHERE customer_id = {c}")}
    a, b, never, d = (lot[e] for e in made)
    for lot_id, at in ((a, "2090-03-01T00:00:00.000Z"), (b, "2090-01-01T00:00:00.000Z"),
                       (d, "2090-01-01T00:00:00.000Z")):
        sql(server, f"UPDATE loyalty_lots SET expires_at = '{at}' WHERE id = {lot_id}")
    first = assert_json(redeem(server, c, 30, reason="Voucher"), 201)
    assert first["balance"] == 12 and first["entry"]["reason"] == "Voucher"
    assert first["entry"]["lots"] == [{"lot_id": b, "points": 20}, {"lot_id": d, "points": 7},
                                      {"lot_id": a, "points": 3}]
    assert points(server, c)["next_expiry"] == {"points": 7, "at": "2090-03-01T00:00:00.000Z"}
    second = assert_json(redeem(server, c, 10), 201)
    assert second["entry"]["lots"] == [{"lot_id": a, "points": 7}, {"lot_id": never, "points": 3}]
    assert points(server, c)["next_expiry"] is None
    take = adjust(server, c, -2, "Correction")
    assert take["entry"]["lots"] == [{"lot_id": never, "points": 2}] and take["balance"] == 0
    assert_problem(server.post(f"/api/customers/{c}/loyalty/adjust", json={"points": -1, "reason": "x"}),
                   409, "conflict", "points")
    assert assert_consistent(server, c) == 0


def test_lots_past_their_expiry_expire_in_the_daily_run_once(server):
    set_program(server, expiry_days=30)
    c = create_customer(server)["id"]
    early = adjust(server, c, 10)["entry"]
    assert early["expires_at"][:10] == stamp(30)[:10]
    adjust(server, c, 20)
    (lot_id,), = sql(server, f"SELECT id FROM loyalty_lots WHERE entry_id = {early['id']}")
    sql(server, f"UPDATE loyalty_lots SET expires_at = '{stamp(-1)}' WHERE id = {lot_id}")
    assert run_job(server, "loyalty.expire", {}, workspace=None)["expired"] >= 1
    view = points(server, c)
    assert view["balance"] == 20
    assert (view["entries"][0]["kind"], view["entries"][0]["points"], view["entries"][0]["lots"]) == \
        ("expire", -10, [{"lot_id": lot_id, "points": 10}])
    run_job(server, "loyalty.expire", {}, workspace=None)
    assert [k for k, *_ in ledger(server, c)].count("expire") == 1
    assert assert_consistent(server, c) == 20
    set_program(server)


def test_redeem_and_adjust_refuse_what_they_cannot_do(server):
    set_program(server, min_redeem=100)
    c = create_customer(server)["id"]
    adjust(server, c, 50)
    assert_problem(redeem(server, c, 10), 409, "conflict", "points")  # below the minimum to redeem
    set_program(server)
    assert_problem(redeem(server, c, 51), 409, "conflict", "points")
    for body, field in (({}, "points"), ({"points": 0}, "points"), ({"points": "5"}, "points"),
                        ({"points": 5, "reason": ""}, "reason"), ({"points": 5, "extra": 1}, "extra")):
        assert_problem(server.post(f"/api/customers/{c}/loyalty/redeem", json=body), 422, "validation-failed", field)
    for body, field in (({"points": 5}, "reason"), ({"points": 0, "reason": "x"}, "points"),
                        ({"points": 5, "reason": "x" * 501}, "reason")):
        assert_problem(server.post(f"/api/customers/{c}/loyalty/adjust", json=body), 422, "validation-failed", field)
    assert_problem(redeem(server, 999999999, 1), 404, "not-found")
    assert_problem(server.get("/api/customers/999999999/loyalty"), 404, "not-found")
    # Idempotency-Key: a retried redemption is booked once.
    key = {"Idempotency-Key": f"redeem-{unique_suffix()}"}
    one = assert_json(server.post(f"/api/customers/{c}/loyalty/redeem", json={"points": 5}, headers=key), 201)
    two = server.post(f"/api/customers/{c}/loyalty/redeem", json={"points": 5}, headers=key)
    assert assert_json(two, 201) == one and two.headers.get("Idempotent-Replayed") == "true"
    assert points(server, c)["balance"] == 45
    # Who may: support adjusts and redeems, a viewer only looks.
    support, _ = staff_member(server, "support")
    assert assert_json(support.post(server.url(f"/api/customers/{c}/loyalty/redeem"), json={"points": 1},
                                    timeout=REQUEST_TIMEOUT), 201)["entry"]["created_by"] is not None
    viewer, _ = staff_member(server, "viewer")
    assert assert_json(viewer.get(server.url(f"/api/customers/{c}/loyalty"), timeout=REQUEST_TIMEOUT), 200)["balance"] == 44
    assert_problem(viewer.post(server.url(f"/api/customers/{c}/loyalty/adjust"), json={"points": 1, "reason": "x"},
                               timeout=REQUEST_TIMEOUT), 403, "forbidden")


def test_the_history_pages_newest_first(server):
    c = create_customer(server)["id"]
    for n in range(1, 6):
        adjust(server, c, n, f"gift {n}")
    first = points(server, c, limit=2)
    assert [e["points"] for e in first["entries"]] == [5, 4] and first["next_cursor"]
    second = points(server, c, limit=2, cursor=first["next_cursor"])
    third = points(server, c, limit=2, cursor=second["next_cursor"])
    assert [e["points"] for e in second["entries"] + third["entries"]] == [3, 2, 1]
    assert third["next_cursor"] is None and first["balance"] == 15
    assert_problem(server.get(f"/api/customers/{c}/loyalty", params={"cursor": "x"}), 400, "bad-request")
    assert_problem(server.get(f"/api/customers/{c}/loyalty", params={"sort": "id"}), 422, "validation-failed", "sort")


# ------------------------------------------------------------------------------------------------
# Concurrency and the rebuild


def test_many_concurrent_redemptions_at_one_customer_never_overspend(server):
    set_program(server)
    c = create_customer(server)["id"]
    for _ in range(10):
        adjust(server, c, 10)
    results, barrier = [], threading.Barrier(40)

    def spend():
        session = requests.Session()
        session.headers["Authorization"] = server.session.headers["Authorization"]
        barrier.wait()
        resp = session.post(server.url(f"/api/customers/{c}/loyalty/redeem"), json={"points": 7},
                            timeout=REQUEST_TIMEOUT)
        results.append(resp.status_code)

    threads = [threading.Thread(target=spend) for _ in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [201] * 14 + [409] * 26
    assert assert_consistent(server, c) == 2
    (used,), = sql(server, "SELECT SUM(u.points) FROM loyalty_lot_uses u JOIN loyalty_entries e"
                           f" ON e.id = u.entry_id WHERE e.customer_id = {c}")
    assert used == 98
    balances = sorted(b for kind, _, b, _, _ in ledger(server, c) if kind == "redeem")
    assert balances == list(range(2, 100, 7))  # each redemption saw the one before it


def test_rebuild_sets_the_cached_balances_from_the_ledger_after_random_operations(server, orders):
    set_program(server, max_balance=400)
    rng = random.Random(13)
    customers = [create_customer(server)["id"] for _ in range(4)]
    placed = []
    for _ in range(30):
        c = rng.choice(customers)
        op = rng.choice(["adjust", "take", "redeem", "order", "refund"])
        if op == "adjust":
            adjust(server, c, rng.randint(1, 60))
        elif op == "take":
            server.post(f"/api/customers/{c}/loyalty/adjust", json={"points": -rng.randint(1, 40), "reason": "r"})
        elif op == "redeem":
            redeem(server, c, rng.randint(1, 50))
        elif op == "order":
            placed.append((c, orders.put(c, rng.randint(100, 30000))))
            orders.converge(placed[-1][1])
        elif placed:
            owner, o = rng.choice(placed)
            orders.change(o, status=rng.choice(["refunded", "cancelled"]))
            orders.converge(o)
    truth = {c: assert_consistent(server, c) for c in customers}
    for c in customers[:3]:
        sql(server, f"UPDATE customers SET loyalty_points = loyalty_points + 17 WHERE id = {c}")
    out = run_cli(["loyalty", "rebuild", "--db", str(server.db_path)]).stdout
    assert out.split()[0] == "3", out
    assert {c: points(server, c)["balance"] for c in customers} == truth
    assert run_cli(["loyalty", "rebuild", "--db", str(server.db_path)]).stdout.split()[0] == "0"
    set_program(server)
