"""`clientele demo-data --orders N` (issue 13): the bulk-written orders, the customers' value figures
and the loyalty ledger must be exactly what the orders and loyalty areas would have kept. Every
figure is recounted here from the orders, their lines and the ledger (docs/api.md, Orders and
Loyalty; the default program: 1 point per whole base unit of subtotal − discount, on paid)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta, timezone
import subprocess
from decimal import ROUND_HALF_UP, Decimal

import pytest

from conftest import CLIENTELE_BIN, TEST_STORE, assert_json, db_rows as sql, fresh_database, run_cli

COUNTED = {"paid", "fulfilled", "partially_refunded", "refunded"}
STATUSES = COUNTED | {"pending", "cancelled"}


def rows(db: str, table: str, columns: str, order: str = "id") -> list[dict]:
    names = [c.strip() for c in columns.split(",")]
    return [dict(zip(names, r)) for r in sql(db, f"SELECT {columns} FROM {table} ORDER BY {order}")]


def to_base(amount: int, rate: str | None) -> int:
    if rate is None:
        return amount
    return int((Decimal(amount) * Decimal(rate)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def points(order: dict, base_refunded: int) -> int:
    """The default program's: the paid base amount's share of subtotal − discount, whole units."""
    part = order["subtotal"] - order["discount"]
    return (order["base_total"] - base_refunded) * part // (order["total"] * 100)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> str:
    db = fresh_database(tmp_path_factory.mktemp("demo"))
    run_cli(["migrate", "--db", db])
    run_cli(["demo-data", "--db", db, "--customers", "150", "--orders", "1500", "--seed", "7"])
    # Again on top: new customers and orders, the figures and balances adding to what is there.
    run_cli(["demo-data", "--db", db, "--customers", "30", "--orders", "600", "--seed", "8"])
    return db


def test_orders_add_up_and_look_like_a_shop(demo_db):
    orders = rows(demo_db, "orders", "id, tenant_id, number, customer_id, customer_email, currency, "
                  "exchange_rate, status, subtotal, discount, tax, shipping, total, refunded_amount, "
                  "base_total, base_refunded, counted, placed_at, paid_at, fulfilled_at, version, "
                  "created_at, updated_at")
    assert len(orders) == 2100
    assert len({o["number"] for o in orders}) == 2100
    lines = defaultdict(list)
    for line in rows(demo_db, "order_lines", "order_id, position, quantity, unit_price, tax, discount",
                     "order_id, position"):
        lines[line["order_id"]].append(line)
    emails = dict(sql(demo_db, "SELECT id, email FROM customers"))
    now = datetime.now(timezone.utc)
    oldest = (now - timedelta(days=731)).strftime("%Y-%m-%dT%H:%M:%S")
    for o in orders:
        assert o["tenant_id"] == 1 and o["customer_id"] is not None
        assert o["customer_email"] == emails[o["customer_id"]].lower()
        mine = lines[o["id"]]
        assert 1 <= len(mine) <= 3 and [x["position"] for x in mine] == list(range(len(mine)))
        assert o["subtotal"] == sum(x["quantity"] * x["unit_price"] - x["discount"] for x in mine)
        assert o["tax"] == sum(x["tax"] for x in mine)
        assert o["total"] == o["subtotal"] - o["discount"] + o["tax"] + o["shipping"] > 0
        assert o["status"] in STATUSES
        assert o["counted"] == (1 if o["status"] in COUNTED else 0)
        expected_refund = {"refunded": o["total"]}.get(o["status"], 0)
        if o["status"] == "partially_refunded":
            assert 0 < o["refunded_amount"] < o["total"]
        else:
            assert o["refunded_amount"] == expected_refund
        assert (o["currency"] == "USD") == (o["exchange_rate"] is None), o
        assert o["base_total"] == to_base(o["total"], o["exchange_rate"])
        assert o["base_refunded"] == to_base(o["refunded_amount"], o["exchange_rate"])
        assert oldest < o["placed_at"] <= o["updated_at"]
        if o["status"] == "pending":
            assert o["paid_at"] is None
        elif o["status"] != "cancelled":  # a cancelled order may have been paid first
            assert o["paid_at"] is not None
        assert (o["fulfilled_at"] is not None) >= (o["status"] == "fulfilled")
        for later in (o["paid_at"], o["fulfilled_at"]):
            assert later is None or o["placed_at"] <= later <= o["updated_at"]
    by_status = defaultdict(int)
    for o in orders:
        by_status[o["status"]] += 1
    assert set(by_status) == STATUSES, by_status
    assert by_status["paid"] + by_status["fulfilled"] > 0.7 * len(orders)
    assert {o["currency"] for o in orders} == {"USD", "EUR", "GBP"}
    assert sum(o["currency"] == "USD" for o in orders) > 0.6 * len(orders)
    # A skew: some customers order far more often than the mean, some never.
    per_customer = defaultdict(int)
    for o in orders:
        per_customer[o["customer_id"]] += 1
    assert max(per_customer.values()) >= 3 * len(orders) / len(emails)
    assert len(per_customer) < len(emails)


def test_value_figures_and_points_equal_a_recount(demo_db):
    orders = rows(demo_db, "orders", "id, customer_id, status, exchange_rate, subtotal, discount, "
                  "total, refunded_amount, base_total, base_refunded, placed_at, paid_at")
    customers = rows(demo_db, "customers", "id, order_count, lifetime_value, refunded_amount, "
                     "first_order_at, last_order_at, loyalty_points, loyalty_tier")
    entries = rows(demo_db, "loyalty_entries", "id, customer_id, kind, points, balance_after, debt, "
                   "order_id, multiplier_x100, created_at")
    lots = rows(demo_db, "loyalty_lots", "id, customer_id, entry_id, order_id, points, remaining, "
                "expires_at")
    uses = rows(demo_db, "loyalty_lot_uses", "entry_id, lot_id, points", "entry_id, lot_id")

    counted = defaultdict(list)
    for o in orders:
        if o["status"] in COUNTED:
            counted[o["customer_id"]].append(o)
    ledger = defaultdict(list)
    for e in entries:
        ledger[e["customer_id"]].append(e)
    for c in customers:
        mine = counted[c["id"]]
        assert c["order_count"] == len(mine), c
        assert c["lifetime_value"] == sum(o["base_total"] - o["base_refunded"] for o in mine), c
        assert c["refunded_amount"] == sum(o["base_refunded"] for o in mine), c
        assert c["first_order_at"] == min((o["placed_at"] for o in mine), default=None), c
        assert c["last_order_at"] == max((o["placed_at"] for o in mine), default=None), c
        # The cached balance is the ledger's sum, and every balance_after the running sum.
        running = 0
        for e in ledger[c["id"]]:
            running += e["points"]
            assert e["balance_after"] == running and e["debt"] == 0, e
            # An order keeps the multiplier of its first earn (loyalty): no tier, x1.00.
            assert e["multiplier_x100"] == 100, e
        assert c["loyalty_points"] == running
        assert c["loyalty_tier"] is None  # the default program has no tiers
    assert sum(c["loyalty_points"] for c in customers) > 0

    by_order = defaultdict(list)
    for e in entries:
        by_order[e["order_id"]].append(e)
    for o in orders:
        mine = by_order[o["id"]]
        earned = points(o, 0) if o["paid_at"] else 0
        target = 0 if o["status"] in {"pending", "cancelled", "refunded"} else \
            points(o, o["base_refunded"])
        assert sum(e["points"] for e in mine) == target, (o, mine)
        if earned:  # an earn when it was paid, then a reverse if it lost points
            assert mine[0]["kind"] == "earn" and mine[0]["points"] == earned
            assert mine[0]["created_at"] == o["paid_at"]
            assert [e["kind"] for e in mine[1:]] == (["reverse"] if target != earned else [])
        else:
            assert mine == []
    # Each earn has its lot; a reverse takes from the order's own lot, recorded as a use.
    lot_of_entry = {lot["entry_id"]: lot for lot in lots}
    used = defaultdict(int)
    for use in uses:
        used[use["lot_id"]] += use["points"]
    entry_by_id = {e["id"]: e for e in entries}
    for use in uses:
        e = entry_by_id[use["entry_id"]]
        assert e["kind"] == "reverse" and use["points"] == -e["points"]
    for e in entries:
        if e["kind"] == "earn":
            lot = lot_of_entry[e["id"]]
            assert (lot["customer_id"], lot["order_id"], lot["points"]) == \
                (e["customer_id"], e["order_id"], e["points"])
            assert lot["remaining"] == lot["points"] - used[lot["id"]] and lot["expires_at"] is None
    balance = defaultdict(int)
    for lot in lots:
        balance[lot["customer_id"]] += lot["remaining"]
    assert all(balance[c["id"]] == c["loyalty_points"] for c in customers)


@pytest.mark.skipif(TEST_STORE != "postgres", reason="SQLite's rowids need no sequence")
def test_identity_sequences_move_past_the_written_ids(demo_db):
    for table in ("orders", "loyalty_entries", "loyalty_lots"):
        (last, top), = sql(demo_db, f"SELECT last_value, (SELECT max(id) FROM {table}) FROM "
                                    f"pg_sequences WHERE sequencename = "
                                    f"split_part(pg_get_serial_sequence('{table}', 'id'), '.', 2)")
        assert last >= top


def test_the_profile_shows_the_figures(demo_db, server_factory):
    srv = server_factory(db=demo_db)
    (cid, count, value, refunded, first, last, balance), = sql(
        demo_db, "SELECT id, order_count, lifetime_value, refunded_amount, first_order_at, "
                 "last_order_at, loyalty_points FROM customers ORDER BY order_count DESC, id LIMIT 1")
    body = assert_json(srv.get(f"/api/customers/{cid}"), 200)
    assert (body["order_count"], body["lifetime_value"], body["refunded_amount"],
            body["first_order_at"], body["last_order_at"], body["loyalty_points"]) == \
        (count, value, refunded, first, last, balance)
    assert count >= 10 and body["average_order_value"] == value // count
    latest = sql(demo_db, f"SELECT id, total, placed_at, currency FROM orders WHERE customer_id = {cid} "
                          f"AND status <> 'cancelled' ORDER BY placed_at DESC, id DESC LIMIT 20")
    assert body["purchase_history"] == [
        {"order_id": oid, "amount": total / 100, "date": placed[:10], "currency": currency}
        for oid, total, placed, currency in latest]


def test_refuses_what_it_cannot_price(tmp_path):
    db = fresh_database(tmp_path)
    run_cli(["migrate", "--db", db])

    def demo_orders() -> subprocess.CompletedProcess:
        return subprocess.run([str(CLIENTELE_BIN), "demo-data", "--db", db, "--customers", "0",
                               "--orders", "10"], capture_output=True, text=True, timeout=60)
    refused = demo_orders()
    assert refused.returncode == 1 and "the workspace has none" in refused.stderr
    run_cli(["demo-data", "--db", db, "--customers", "5"])
    sql(db, "INSERT INTO workspace_settings (tenant_id, setting_key, value, updated_at) "
            "VALUES (1, 'base_currency', 'EUR', '2026-01-01T00:00:00.000Z') RETURNING tenant_id")
    refused = demo_orders()
    assert refused.returncode == 1 and "this workspace's is EUR" in refused.stderr
    sql(db, "DELETE FROM workspace_settings RETURNING tenant_id")
    sql(db, "INSERT INTO loyalty_programs (tenant_id, expiry_days, updated_at) "
            "VALUES (1, 30, '2026-01-01T00:00:00.000Z') RETURNING tenant_id")
    refused = demo_orders()
    assert refused.returncode == 1 and "has its own" in refused.stderr
    assert sql(db, "SELECT count(*) FROM orders") == [(0,)]
