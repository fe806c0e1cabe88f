"""Carts (issue 13): a customer's open cart that a shop restores on another device, guest carts
that merge into the customer's cart at sign-up (portal registration, admin create, a new e-mail)
or explicitly, the admin's list of abandoned carts, and two writers of one cart at once."""

from concurrent.futures import ThreadPoolExecutor

import requests

from conftest import (REQUEST_TIMEOUT, TIMESTAMP_RE, assert_json, assert_problem, database, etag_of,
                      staff_member, unique_suffix)

PASSWORD = "a fine portal passphrase"

SHOES = {"sku": "SHOE-42", "name": "Running shoes", "quantity": 1, "unit_price": 8999}
SOCKS = {"sku": "SOCK-3", "name": "Socks, 3 pairs", "quantity": 2, "unit_price": 1250}
GIFT = {"name": "Gift card", "quantity": 1, "unit_price": 2500}  # no sku: merged by name


def line(item, **changes):
    """A line as the API shows it (sku null when none)."""
    return {"sku": None, **item, **changes}


def new_customer(server, **fields):
    body = {"name": f"Cart Customer {unique_suffix()}", **fields}
    return assert_json(server.post("/api/customers", json=body), 201)


def cart_path(customer):
    return f"/api/customers/{customer['id']}/cart"


def put_cart(server, customer, lines, currency="EUR", **kw):
    return server.put(cart_path(customer), json={"currency": currency, "lines": lines}, **kw)


def guest_key():
    return f"guest-{unique_suffix()}"


def put_guest(server, key, lines, currency="EUR", email=None):
    body = {"currency": currency, "lines": lines}
    if email:
        body["email"] = email
    return assert_json(server.put(f"/api/carts/guest/{key}", json=body), 200)


def register(server, email):
    session = requests.Session()
    resp = session.post(server.url("/api/portal/default/register"), json={
        "name": "Gina Guest", "email": email, "password": PASSWORD, "password_confirmation": PASSWORD},
        timeout=REQUEST_TIMEOUT)
    return assert_json(resp, 201)["customer"]


# ------------------------------------------------------------------------------------------------
# The customer's cart

def test_a_customer_without_a_cart_has_the_empty_one(server):
    c = new_customer(server, email=f"empty.{unique_suffix()}@mail.example")
    resp = server.get(cart_path(c))
    cart = assert_json(resp, 200)
    assert cart == {"id": None, "customer_id": c["id"], "customer_name": None, "email": c["email"],
                    "currency": None, "lines": [],
                    "subtotal": 0, "item_count": 0, "version": 0, "created_at": None, "updated_at": None}
    assert resp.headers["ETag"] == etag_of(0)
    assert_problem(server.get("/api/customers/999999999/cart"), 404, "not-found")


def test_the_cart_is_restored_on_another_device(server):
    c = new_customer(server)
    put = assert_json(put_cart(server, c, [SHOES, SOCKS, GIFT]), 200)
    assert put["lines"] == [line(SHOES), line(SOCKS), line(GIFT)]
    assert put["subtotal"] == 8999 + 2 * 1250 + 2500 and put["item_count"] == 4
    assert put["currency"] == "EUR" and put["version"] == 1 and put["customer_id"] == c["id"]
    assert TIMESTAMP_RE.match(put["updated_at"]) and put["created_at"] == put["updated_at"]
    # Another device (another session, the shop's other server) reads the same cart.
    other = requests.Session()
    other.headers.update(server.session.headers)
    resp = other.get(server.url(cart_path(c)), timeout=REQUEST_TIMEOUT)
    assert assert_json(resp, 200) == put and resp.headers["ETag"] == etag_of(1)
    # A change replaces the whole content; an If-Match of an older version is refused.
    again = assert_json(put_cart(server, c, [line(SOCKS, quantity=5)], headers={"If-Match": etag_of(1)}), 200)
    assert again["lines"] == [line(SOCKS, quantity=5)] and again["version"] == 2
    assert again["created_at"] == put["created_at"] and again["updated_at"] >= put["updated_at"]
    assert_problem(put_cart(server, c, [SHOES], headers={"If-Match": etag_of(1)}), 412, "precondition-failed")
    assert assert_json(server.get(cart_path(c)), 200) == again


def test_empty_lines_or_delete_clear_the_cart(server):
    c = new_customer(server)
    assert_json(put_cart(server, c, [SHOES]), 200)
    cleared = assert_json(server.put(cart_path(c), json={"lines": []}), 200)
    assert cleared["lines"] == [] and cleared["updated_at"] is None and cleared["currency"] is None
    assert_json(put_cart(server, c, [SHOES]), 200)
    assert server.delete(cart_path(c)).status_code == 204
    assert assert_json(server.get(cart_path(c)), 200)["lines"] == []
    # A new cart after checkout starts again at version 1.
    assert assert_json(put_cart(server, c, [GIFT]), 200)["version"] == 1


def test_cart_validation_is_strict(server):
    c = new_customer(server)
    assert_problem(server.put(cart_path(c), json={"currency": "EUR", "lines": [SHOES], "note": "x"}),
                   422, "validation-failed", "note")
    assert_problem(server.put(cart_path(c), json={"currency": "EUR", "lines": [SHOES], "email": "a@b.example"}),
                   422, "validation-failed", "email")  # a customer's cart has the customer's e-mail
    assert_problem(server.put(cart_path(c), json={"currency": "EUR"}), 422, "validation-failed", "lines")
    assert_problem(server.put(cart_path(c), json={"lines": [SHOES]}), 422, "validation-failed", "currency")
    assert_problem(put_cart(server, c, [SHOES], currency="eur"), 422, "validation-failed", "currency")
    assert_problem(put_cart(server, c, [SHOES], currency="EURO"), 422, "validation-failed", "currency")
    assert_problem(put_cart(server, c, [SHOES], currency="ABC"), 422, "validation-failed", "currency")  # not ISO 4217
    assert_problem(server.put(cart_path(c), json={"currency": "EUR", "lines": {"sku": "A"}}),
                   422, "validation-failed", "lines")
    assert_problem(put_cart(server, c, ["SHOE-42"]), 422, "validation-failed", "lines.0")
    assert_problem(put_cart(server, c, [SHOES, line(SOCKS, quantity=0)]), 422, "validation-failed",
                   "lines.1.quantity")
    assert_problem(put_cart(server, c, [line(SOCKS, quantity=1_000_001)]), 422, "validation-failed",
                   "lines.0.quantity")
    assert_problem(put_cart(server, c, [line(SOCKS, unit_price=-1)]), 422, "validation-failed",
                   "lines.0.unit_price")
    assert_problem(put_cart(server, c, [line(SOCKS, quantity="2")]), 422, "validation-failed",
                   "lines.0.quantity")
    assert_problem(put_cart(server, c, [{"sku": "X", "quantity": 1, "unit_price": 1}]), 422,
                   "validation-failed", "lines.0.name")
    assert_problem(put_cart(server, c, [line(SOCKS, name="n" * 201)]), 422, "validation-failed", "lines.0.name")
    assert_problem(put_cart(server, c, [dict(SOCKS, colour="red")]), 422, "validation-failed",
                   "lines.0.colour")
    assert_problem(put_cart(server, c, [line(SOCKS, sku=f"S{i}") for i in range(201)]), 422,
                   "validation-failed", "lines")
    # Within each line's limits, but more than 64 bits together.
    big = line(SOCKS, quantity=1_000_000, unit_price=10 ** 13)
    assert_problem(put_cart(server, c, [big]), 422, "validation-failed", "lines")
    # Nothing of it was stored.
    assert assert_json(server.get(cart_path(c)), 200)["version"] == 0


def test_roles_read_and_write_carts_as_orders(server):
    c = new_customer(server)
    assert_json(put_cart(server, c, [SHOES]), 200)
    viewer, _ = staff_member(server, "viewer")
    assert assert_json(viewer.get(server.url(cart_path(c)), timeout=REQUEST_TIMEOUT), 200)["lines"] == [line(SHOES)]
    assert_problem(viewer.put(server.url(cart_path(c)), json={"currency": "EUR", "lines": []},
                              timeout=REQUEST_TIMEOUT), 403, "forbidden")
    sales, _ = staff_member(server, "sales")
    assert_json(sales.put(server.url(cart_path(c)), json={"currency": "USD", "lines": [GIFT]},
                          timeout=REQUEST_TIMEOUT), 200)


# ------------------------------------------------------------------------------------------------
# Guest carts and merging

def test_a_guest_cart_is_kept_by_key(server):
    key = guest_key()
    assert_problem(server.get(f"/api/carts/guest/{key}"), 404, "not-found")
    cart = put_guest(server, key, [SHOES], email="Gina.Guest@Mail.example")
    assert cart["guest_key"] == key and cart["email"] == "gina.guest@mail.example" and "customer_id" not in cart
    assert assert_json(server.get(f"/api/carts/guest/{key}"), 200) == cart
    assert put_guest(server, key, [SHOES, GIFT])["version"] == 2
    assert_problem(server.put("/api/carts/guest/bad%20key", json={"currency": "EUR", "lines": []}), 404, "not-found")
    assert_problem(server.get(f"/api/carts/guest/{'k' * 101}"), 404, "not-found")
    assert_problem(server.put(f"/api/carts/guest/{key}", json={"currency": "EUR", "lines": [], "email": "nope"}),
                   422, "validation-failed", "email")
    # Empty lines: the guest cart is gone.
    assert put_guest(server, key, [])["lines"] == []
    assert_problem(server.get(f"/api/carts/guest/{key}"), 404, "not-found")


def test_a_guest_cart_merges_at_portal_registration(server):
    email = f"gina.{unique_suffix()}@mail.example"
    key = guest_key()
    put_guest(server, key, [SHOES, GIFT], email=email.upper())
    other = guest_key()  # another guest's cart stays theirs
    put_guest(server, other, [SOCKS], email=f"someone.{unique_suffix()}@mail.example")
    customer = register(server, email)
    cart = assert_json(server.get(f"/api/customers/{customer['id']}/cart"), 200)
    assert cart["lines"] == [line(SHOES), line(GIFT)] and cart["currency"] == "EUR" and cart["email"] == email
    assert_problem(server.get(f"/api/carts/guest/{key}"), 404, "not-found")
    assert assert_json(server.get(f"/api/carts/guest/{other}"), 200)["lines"] == [line(SOCKS)]


def test_guest_carts_merge_when_the_admin_creates_the_customer(server):
    email = f"walkin.{unique_suffix()}@mail.example"
    first, second = guest_key(), guest_key()
    put_guest(server, first, [SHOES, GIFT], email=email)
    put_guest(server, second, [line(SHOES, quantity=2), line(GIFT, quantity=3), SOCKS], email=email)
    c = new_customer(server, email=email)
    cart = assert_json(server.get(cart_path(c)), 200)
    # Quantities add up per sku, and per name for lines without one; new lines follow.
    assert cart["lines"] == [line(SHOES, quantity=3), line(GIFT, quantity=4), line(SOCKS)]
    assert cart["item_count"] == 9 and cart["subtotal"] == 3 * 8999 + 4 * 2500 + 2 * 1250
    for key in (first, second):
        assert_problem(server.get(f"/api/carts/guest/{key}"), 404, "not-found")


def test_a_guest_cart_merges_when_a_customer_gets_its_email(server):
    c = new_customer(server)
    assert_json(put_cart(server, c, [SHOES]), 200)
    email = f"later.{unique_suffix()}@mail.example"
    key = guest_key()
    put_guest(server, key, [SHOES], email=email)
    assert_json(server.patch(f"/api/customers/{c['id']}", json={"email": email}), 200)
    assert assert_json(server.get(cart_path(c)), 200)["lines"] == [line(SHOES, quantity=2)]


def test_a_guest_cart_in_another_currency_waits(server):
    c = new_customer(server)
    assert_json(put_cart(server, c, [SHOES], currency="EUR"), 200)
    email = f"dollar.{unique_suffix()}@mail.example"
    key = guest_key()
    put_guest(server, key, [GIFT], currency="USD", email=email)
    # The customer gets the address: the e-mail change goes through, the cart stays for the shop.
    assert_json(server.patch(f"/api/customers/{c['id']}", json={"email": email}), 200)
    assert assert_json(server.get(f"/api/carts/guest/{key}"), 200)["currency"] == "USD"
    assert assert_json(server.get(cart_path(c)), 200)["lines"] == [line(SHOES)]
    resp = server.post(f"{cart_path(c)}/merge", json={"guest_key": key})
    assert "USD" in assert_problem(resp, 409, "conflict", "guest_key")["detail"]
    # Once the customer's cart is empty, the guest cart's currency is the cart's.
    assert server.delete(cart_path(c)).status_code == 204
    merged = assert_json(server.post(f"{cart_path(c)}/merge", json={"guest_key": key}), 200)
    assert merged["currency"] == "USD" and merged["lines"] == [line(GIFT)]


def test_an_explicit_merge(server):
    c = new_customer(server)
    assert_json(put_cart(server, c, [GIFT, SHOES]), 200)
    key = guest_key()
    put_guest(server, key, [line(SHOES, quantity=2), SOCKS])  # no e-mail: only an explicit merge
    headers = {"Idempotency-Key": f"merge-{unique_suffix()}"}
    resp = server.post(f"{cart_path(c)}/merge", json={"guest_key": key}, headers=headers)
    merged = assert_json(resp, 200)
    assert merged["lines"] == [line(GIFT), line(SHOES, quantity=3), line(SOCKS)] and merged["version"] == 2
    assert_problem(server.get(f"/api/carts/guest/{key}"), 404, "not-found")
    # A retry after a lost answer gets the answer again; without the key, the guest cart is gone.
    replay = server.post(f"{cart_path(c)}/merge", json={"guest_key": key}, headers=headers)
    assert assert_json(replay, 200) == merged and replay.headers.get("Idempotent-Replayed") == "true"
    assert_problem(server.post(f"{cart_path(c)}/merge", json={"guest_key": key}), 404, "not-found", "guest_key")
    assert_problem(server.post(f"{cart_path(c)}/merge", json={}), 422, "validation-failed", "guest_key")
    assert_problem(server.post(f"{cart_path(c)}/merge", json={"guest_key": "no spaces"}), 422,
                   "validation-failed", "guest_key")
    assert_problem(server.post("/api/customers/999999999/cart/merge", json={"guest_key": key}), 404, "not-found")
    # A merge past a limit changes nothing.
    full = guest_key()
    put_guest(server, full, [line(SHOES, quantity=1_000_000)])
    assert_problem(server.post(f"{cart_path(c)}/merge", json={"guest_key": full}), 409, "conflict", "guest_key")
    assert assert_json(server.get(cart_path(c)), 200) == merged
    assert assert_json(server.get(f"/api/carts/guest/{full}"), 200)["item_count"] == 1_000_000


# ------------------------------------------------------------------------------------------------
# The admin's list

def set_updated_at(server, customer, when):
    database(server, f"UPDATE carts SET updated_at = '{when}' WHERE customer_id = {customer['id']}")


def test_the_list_shows_abandoned_carts_oldest_first(fresh_server):
    server = fresh_server
    old, older, recent, empty = (new_customer(server, email=f"list{i}.{unique_suffix()}@mail.example")
                                 for i in range(4))
    for c in (old, older, recent):
        assert_json(put_cart(server, c, [SHOES]), 200)
    put_guest(server, guest_key(), [SHOES])  # guests are not listed
    set_updated_at(server, old, "2026-01-02T00:00:00.000Z")
    set_updated_at(server, older, "2026-01-01T00:00:00.000Z")
    everything = assert_json(server.get("/api/carts"), 200)
    assert [c["customer_id"] for c in everything["data"]] == [older["id"], old["id"], recent["id"]]
    assert [c["customer_name"] for c in everything["data"]] == [older["name"], old["name"], recent["name"]]
    assert everything["next_cursor"] is None and everything["data"][0]["email"] == older["email"]
    assert everything["data"][0]["lines"] == [line(SHOES)]
    abandoned = assert_json(server.get("/api/carts", params={"abandoned": "true"}), 200)["data"]
    assert [c["customer_id"] for c in abandoned] == [older["id"], old["id"]]
    assert [c["customer_id"] for c in assert_json(server.get("/api/carts", params={"abandoned": "false"}),
                                                  200)["data"]] == [older["id"], old["id"], recent["id"]]
    before = assert_json(server.get("/api/carts", params={"updated_before": "2026-01-02"}), 200)["data"]
    assert [c["customer_id"] for c in before] == [older["id"]]
    # Keyset pages: the same order, no row twice.
    first = assert_json(server.get("/api/carts", params={"limit": 2}), 200)
    assert [c["customer_id"] for c in first["data"]] == [older["id"], old["id"]] and first["next_cursor"]
    second = assert_json(server.get("/api/carts", params={"limit": 2, "cursor": first["next_cursor"]}), 200)
    assert [c["customer_id"] for c in second["data"]] == [recent["id"]] and second["next_cursor"] is None
    # An archived customer's cart is not listed.
    assert server.delete(f"/api/customers/{old['id']}").status_code in (200, 204)
    assert [c["customer_id"] for c in assert_json(server.get("/api/carts"), 200)["data"]] == [older["id"],
                                                                                            recent["id"]]
    assert_problem(server.get("/api/carts", params={"abandoned": "yes"}), 422, "validation-failed", "abandoned")
    assert_problem(server.get("/api/carts", params={"updated_before": "soon"}), 422, "validation-failed",
                   "updated_before")
    assert_problem(server.get("/api/carts", params={"limit": 0}), 422, "validation-failed", "limit")
    assert_problem(server.get("/api/carts", params={"sort": "name"}), 422, "validation-failed", "sort")
    assert_problem(server.get("/api/carts", params={"cursor": "not-ours"}), 400, "bad-request")
    assert empty["id"] not in {c["customer_id"] for c in everything["data"]}


# ------------------------------------------------------------------------------------------------
# Concurrency

def test_writers_of_one_cart_at_once_leave_one_cart(server):
    c = new_customer(server)
    writers = 24

    def write(i):
        return put_cart(server, c, [line(SOCKS, quantity=i + 1)])

    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(write, range(writers)))
    assert [r.status_code for r in results] == [200] * writers
    # One cart, written once per request: the versions 1..N each went to exactly one writer.
    assert sorted(r.json()["version"] for r in results) == list(range(1, writers + 1))
    cart = assert_json(server.get(cart_path(c)), 200)
    assert cart["version"] == writers
    rows = database(server, f"SELECT COUNT(*) FROM carts WHERE customer_id = {c['id']}")
    assert int(rows[0][0]) == 1
    # The same for a guest cart's key.
    key = guest_key()
    with ThreadPoolExecutor(max_workers=12) as pool:
        list(pool.map(lambda i: put_guest(server, key, [line(GIFT, quantity=i + 1)]), range(writers)))
    assert int(database(server, f"SELECT COUNT(*) FROM carts WHERE guest_key = '{key}'")[0][0]) == 1
    assert assert_json(server.get(f"/api/carts/guest/{key}"), 200)["version"] == writers
