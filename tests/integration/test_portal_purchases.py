"""The portal's "Orders and points" (issue 13): a signed-in customer sees their own orders (newest
first, in pages; one order with its lines) and their loyalty points (balance, tier, next expiry,
the ledger). Another customer's order, or another workspace's, is not found.

The orders and loyalty tables are written here directly, as the shop's pushes and the loyalty
jobs would leave them (their writers are tested in their own files)."""

import requests

from conftest import REQUEST_TIMEOUT, assert_json, assert_problem, database, unique_suffix

PASSWORD = "a fine portal passphrase"


def register(server, workspace="default"):
    session = requests.Session()
    resp = session.post(server.url(f"/api/portal/{workspace}/register"), json={
        "name": "Olga Orders", "email": f"olga.{unique_suffix()}@mail.example", "password": PASSWORD,
        "password_confirmation": PASSWORD}, timeout=REQUEST_TIMEOUT)
    body = assert_json(resp, 201)
    session.headers["X-CSRF-Token"] = body["csrf_token"]
    return session, body["customer"]


def workspace_id(server, slug):
    return int(database(server, f"SELECT id FROM tenants WHERE slug = '{slug}'")[0][0])


def insert_order(server, customer_id, placed_at, tenant=1, status="paid", lines=(), **amounts):
    """An order as orders/ stores it; returns its id."""
    values = {"subtotal": 5000, "discount": 0, "tax": 500, "shipping": 300, "total": 5800,
              "refunded_amount": 0, **amounts}
    paid = f"'{placed_at}'" if status != "pending" else "NULL"
    number = f"N-{unique_suffix()}"
    rows = database(server, f"""
        INSERT INTO orders (tenant_id, number, customer_id, currency, status, subtotal, discount, tax,
                            shipping, total, refunded_amount, base_total, counted, placed_at, paid_at,
                            created_at, updated_at)
        VALUES ({tenant}, '{number}', {customer_id or 'NULL'}, 'EUR', '{status}', {values['subtotal']},
                {values['discount']}, {values['tax']}, {values['shipping']}, {values['total']},
                {values['refunded_amount']}, {values['total']}, 1, '{placed_at}', {paid},
                '{placed_at}', '{placed_at}')
        RETURNING id""")
    order_id = int(rows[0][0])
    for position, (sku, name, quantity, unit_price, tax, discount) in enumerate(lines):
        database(server, f"""
            INSERT INTO order_lines (tenant_id, order_id, position, sku, name, quantity, unit_price, tax, discount)
            VALUES ({tenant}, {order_id}, {position}, {f"'{sku}'" if sku else 'NULL'}, '{name}', {quantity},
                    {unit_price}, {tax}, {discount})""")
    return order_id, number


def test_a_customer_sees_their_own_orders_newest_first(server):
    session, me = register(server)
    _, other = register(server)
    lines = [("SHOE-42", "Running shoes", 1, 4000, 400, 0), (None, "Gift wrap", 2, 600, 100, 200)]
    first, first_number = insert_order(server, me["id"], "2026-03-01T10:00:00.000Z", lines=lines)
    second, _ = insert_order(server, me["id"], "2026-04-01T10:00:00.000Z", status="partially_refunded",
                             refunded_amount=1000)
    third, _ = insert_order(server, me["id"], "2026-05-01T10:00:00.000Z", status="pending")
    theirs, _ = insert_order(server, other["id"], "2026-06-01T10:00:00.000Z")
    insert_order(server, None, "2026-06-02T10:00:00.000Z")  # a guest order is nobody's here
    base = server.url("/api/portal/default/orders")
    page = assert_json(session.get(base, timeout=REQUEST_TIMEOUT), 200)
    assert [o["id"] for o in page["data"]] == [third, second, first] and page["next_cursor"] is None
    assert page["data"][1] == {
        "id": second, "number": page["data"][1]["number"], "status": "partially_refunded", "currency": "EUR",
        "subtotal": 5000, "discount": 0, "tax": 500, "shipping": 300, "total": 5800, "refunded_amount": 1000,
        "placed_at": "2026-04-01T10:00:00.000Z", "paid_at": "2026-04-01T10:00:00.000Z", "fulfilled_at": None}
    assert page["data"][0]["paid_at"] is None
    # Pages by cursor, newest first, no order twice.
    one = assert_json(session.get(base, params={"limit": 2}, timeout=REQUEST_TIMEOUT), 200)
    assert [o["id"] for o in one["data"]] == [third, second] and one["next_cursor"]
    two = assert_json(session.get(base, params={"limit": 2, "cursor": one["next_cursor"]},
                                  timeout=REQUEST_TIMEOUT), 200)
    assert [o["id"] for o in two["data"]] == [first] and two["next_cursor"] is None
    assert_problem(session.get(base, params={"cursor": "nope"}, timeout=REQUEST_TIMEOUT), 400, "bad-request")
    assert_problem(session.get(base, params={"status": "paid"}, timeout=REQUEST_TIMEOUT), 422,
                   "validation-failed", "status")
    # One order, with its lines and each line's total (quantity × unit price − discount + tax).
    got = assert_json(session.get(f"{base}/{first}", timeout=REQUEST_TIMEOUT), 200)
    assert got["number"] == first_number and got["total"] == 5800
    assert got["lines"] == [
        {"sku": "SHOE-42", "name": "Running shoes", "quantity": 1, "unit_price": 4000, "tax": 400,
         "discount": 0, "total": 4400},
        {"sku": None, "name": "Gift wrap", "quantity": 2, "unit_price": 600, "tax": 100, "discount": 200,
         "total": 1100}]
    # Another customer's order is not found, nor one that does not exist.
    assert_problem(session.get(f"{base}/{theirs}", timeout=REQUEST_TIMEOUT), 404, "not-found")
    assert_problem(session.get(f"{base}/99999999", timeout=REQUEST_TIMEOUT), 404, "not-found")
    # Signed out: no orders at all.
    assert_problem(requests.get(base, timeout=REQUEST_TIMEOUT), 401, "unauthenticated")
    assert_problem(server.get("/api/portal/default/orders"), 401, "unauthenticated")  # staff are not customers


def test_another_workspaces_order_is_not_found(server):
    created = assert_json(server.post("/api/clients", json={
        "company_name": "Other Shop", "contact_email": f"other.{unique_suffix()}@store.example"}), 201)
    slug = created["credentials"]["username"]
    theirs_session, theirs = register(server, workspace=slug)
    session, me = register(server)
    mine, _ = insert_order(server, me["id"], "2026-02-01T00:00:00.000Z")
    foreign, _ = insert_order(server, theirs["id"], "2026-02-01T00:00:00.000Z", tenant=workspace_id(server, slug))
    # Each sees their own; the other workspace's id is not found from either side.
    assert assert_json(theirs_session.get(server.url(f"/api/portal/{slug}/orders/{foreign}"),
                                          timeout=REQUEST_TIMEOUT), 200)["id"] == foreign
    assert_problem(session.get(server.url(f"/api/portal/default/orders/{foreign}"), timeout=REQUEST_TIMEOUT),
                   404, "not-found")
    assert_problem(theirs_session.get(server.url(f"/api/portal/{slug}/orders/{mine}"), timeout=REQUEST_TIMEOUT),
                   404, "not-found")
    assert [o["id"] for o in assert_json(theirs_session.get(server.url(f"/api/portal/{slug}/orders"),
                                                            timeout=REQUEST_TIMEOUT), 200)["data"]] == [foreign]
    # A session of one workspace's portal is not one of the other's.
    assert_problem(session.get(server.url(f"/api/portal/{slug}/loyalty"), timeout=REQUEST_TIMEOUT),
                   401, "unauthenticated")


def add_entry(server, customer_id, kind, points, balance_after, created_at, order_id=None, reason=None,
              expires_at=None, remaining=None):
    rows = database(server, f"""
        INSERT INTO loyalty_entries (tenant_id, customer_id, kind, points, balance_after, order_id, reason,
                                     created_at)
        VALUES (1, {customer_id}, '{kind}', {points}, {balance_after}, {order_id or 'NULL'},
                {f"'{reason}'" if reason else 'NULL'}, '{created_at}')
        RETURNING id""")
    entry = int(rows[0][0])
    if points > 0:
        database(server, f"""
            INSERT INTO loyalty_lots (tenant_id, customer_id, entry_id, order_id, points, remaining, earned_at,
                                      expires_at)
            VALUES (1, {customer_id}, {entry}, {order_id or 'NULL'}, {points},
                    {points if remaining is None else remaining}, '{created_at}',
                    {f"'{expires_at}'" if expires_at else 'NULL'})""")
    return entry


def test_a_customer_sees_their_points(server):
    session, me = register(server)
    _, other = register(server)
    base = server.url("/api/portal/default/loyalty")
    empty = assert_json(session.get(base, timeout=REQUEST_TIMEOUT), 200)
    assert empty == {"balance": 0, "tier": None, "next_expiry": None, "entries": [], "next_cursor": None}
    order, _ = insert_order(server, me["id"], "2026-01-05T00:00:00.000Z")
    earn = add_entry(server, me["id"], "earn", 58, 58, "2026-01-05T00:00:00.000Z", order_id=order,
                     expires_at="2027-01-05T00:00:00.000Z", remaining=28)
    gift = add_entry(server, me["id"], "adjust", 20, 78, "2026-02-01T00:00:00.000Z", reason="Birthday",
                     expires_at="2026-12-31T00:00:00.000Z")
    redeem = add_entry(server, me["id"], "redeem", -30, 48, "2026-03-01T00:00:00.000Z")
    keep = add_entry(server, me["id"], "adjust", 5, 53, "2026-03-02T00:00:00.000Z", reason="Sorry")  # never expires
    add_entry(server, other["id"], "adjust", 999, 999, "2026-03-03T00:00:00.000Z", reason="Not yours")
    database(server, f"UPDATE customers SET loyalty_points = 53, loyalty_tier = 'Silver' WHERE id = {me['id']}")
    got = assert_json(session.get(base, timeout=REQUEST_TIMEOUT), 200)
    assert got["balance"] == 53 and got["tier"] == "Silver"
    # The soonest lot with points left: the birthday gift's, before the earning's.
    assert got["next_expiry"] == {"points": 20, "at": "2026-12-31T00:00:00.000Z"}
    assert [e["id"] for e in got["entries"]] == [keep, redeem, gift, earn] and got["next_cursor"] is None
    assert got["entries"][3] == {"id": earn, "kind": "earn", "points": 58, "balance_after": 58, "debt": 0,
                                 "withheld": 0, "order_id": order, "reason": None,
                                 "created_at": "2026-01-05T00:00:00.000Z", "expires_at": "2027-01-05T00:00:00.000Z",
                                 "lots": []}
    assert all("created_by" not in e for e in got["entries"])  # staff ids are the business's own
    assert got["entries"][1]["expires_at"] is None and got["entries"][1]["points"] == -30
    assert got["entries"][0]["reason"] == "Sorry" and got["entries"][0]["expires_at"] is None
    # Pages of the ledger.
    one = assert_json(session.get(base, params={"limit": 3}, timeout=REQUEST_TIMEOUT), 200)
    assert [e["id"] for e in one["entries"]] == [keep, redeem, gift] and one["next_cursor"]
    two = assert_json(session.get(base, params={"limit": 3, "cursor": one["next_cursor"]},
                                  timeout=REQUEST_TIMEOUT), 200)
    assert [e["id"] for e in two["entries"]] == [earn] and two["next_cursor"] is None
    # The portal's own profile shows the balance and tier too.
    profile = assert_json(session.get(server.url("/api/portal/default/me"), timeout=REQUEST_TIMEOUT), 200)
    assert profile["customer"]["loyalty_points"] == 53 and profile["customer"]["loyalty_tier"] == "Silver"
    assert_problem(session.get(base, params={"limit": 500}, timeout=REQUEST_TIMEOUT), 422,
                   "validation-failed", "limit")
    assert_problem(requests.get(base, timeout=REQUEST_TIMEOUT), 401, "unauthenticated")
