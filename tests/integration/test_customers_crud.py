"""Customer create / read / update / delete / restore (docs/api.md "Customers", seed 002 shapes)."""

import pytest

from conftest import (
    ADDRESS_KEYS, CUSTOMER_KEYS, LIST_ITEM_KEYS, TIMESTAMP_RE, assert_json, assert_problem,
    create_customer, customer_payload, etag_of, full_customer_payload, total_unchanged,
    unique_suffix,
)


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def live_ids_with_email(server, email, deleted=False):
    params = {"email": email, "limit": "200"}
    if deleted:
        params["deleted"] = "true"
    body = assert_json(server.get("/api/customers", params=params), 200)
    return [c["id"] for c in body["data"]]


# --- create / read ---------------------------------------------------------------------------

def test_create_returns_the_full_customer(server):
    payload = full_customer_payload()
    resp = server.post("/api/customers", json=payload)
    body = assert_json(resp, 201)
    assert set(body) == CUSTOMER_KEYS, f"keys differ from the contract: {sorted(set(body) ^ CUSTOMER_KEYS)}"
    assert is_int(body["id"]) and body["id"] > 0
    assert resp.headers.get("Location") in (f"/api/customers/{body['id']}",
                                            server.url(f"/api/customers/{body['id']}"))
    assert resp.headers.get("ETag") == '"1"'
    for key, value in payload.items():
        assert body[key] == value, f"{key}: sent {value!r}, got {body[key]!r}"
    assert set(body["address"]) == ADDRESS_KEYS
    assert body["loyalty_points"] == 0 and is_int(body["loyalty_points"])
    assert body["purchase_history"] == []
    assert body["version"] == 1
    assert TIMESTAMP_RE.match(body["created_at"]), body["created_at"]
    assert TIMESTAMP_RE.match(body["updated_at"]), body["updated_at"]
    assert body["created_at"] == body["updated_at"]


def test_create_with_name_only_defaults_the_rest(server):
    name = f"Only A Name {unique_suffix()}"
    body = create_customer(server, name=name, email=None)
    assert set(body) == CUSTOMER_KEYS
    assert body["name"] == name
    for key in ("first_name", "last_name", "email", "phone", "birthdate", "gender", "locale", "notes"):
        assert body[key] is None, f"{key} should default to null, got {body[key]!r}"
    assert body["preferences"] == {}
    assert body["loyalty_points"] == 0 and body["purchase_history"] == []
    # The address is always an object; its parts are null when unknown.
    assert body["address"] == {k: None for k in ("street", "street2", "city", "postal_code", "state", "country")}


def test_email_is_stored_lower_case(server):
    u = unique_suffix()
    body = create_customer(server, email=f"Mixed.Case.{u}@Example.COM")
    assert body["email"] == f"mixed.case.{u}@example.com"


def test_get_returns_the_seed_shape_exactly_typed(server):
    created = create_customer(server, phone="+12015550199")
    resp = server.get(f"/api/customers/{created['id']}")
    body = assert_json(resp, 200)
    assert resp.headers.get("ETag") == '"1"'
    # The shape of seed 002: id, name, email, phone, loyalty_points, purchase_history.
    assert is_int(body["id"]) and body["id"] == created["id"]
    assert isinstance(body["name"], str) and body["name"] == created["name"]
    assert isinstance(body["email"], str) and body["email"] == created["email"]
    assert isinstance(body["phone"], str) and body["phone"] == "+12015550199"
    assert is_int(body["loyalty_points"]) and body["loyalty_points"] == 0
    assert isinstance(body["purchase_history"], list) and body["purchase_history"] == []
    assert body == created, "GET differs from the create answer"


def test_get_missing_is_404(server):
    assert_problem(server.get("/api/customers/987654321"), 404, "not-found")


@pytest.mark.parametrize("path", ["/api/customers/abc", "/api/customers/12abc", "/api/customers/99999999999999999999999",
                                  "/api/customers/-1"])
def test_non_numeric_or_out_of_range_id_is_404(server, path):
    assert_problem(server.get(path), 404, "not-found")


# --- PUT -------------------------------------------------------------------------------------

def test_put_updates_and_answers_with_the_seed_message(server):
    created = create_customer(server, **{k: v for k, v in full_customer_payload().items() if k != "name"})
    path = f"/api/customers/{created['id']}"
    u = unique_suffix()
    update = {"name": "Jane Smith", "email": f"jane.smith.{u}@example.com", "phone": "+19876543210"}
    resp = server.put(path, json=update)
    body = assert_json(resp, 200)
    assert set(body) == {"message", "customer"}, body
    assert body["message"] == "Customer updated successfully."
    assert resp.headers.get("ETag") == '"2"'
    cust = body["customer"]
    assert cust["version"] == 2
    for k, v in update.items():
        assert cust[k] == v
    # Fields not sent keep their value.
    for k in ("first_name", "last_name", "birthdate", "gender", "locale", "address", "preferences", "notes"):
        assert cust[k] == created[k], k
    assert cust["created_at"] == created["created_at"]
    assert cust["updated_at"] >= created["updated_at"]

    got = server.get(path)
    gbody = assert_json(got, 200)
    assert got.headers.get("ETag") == '"2"'
    assert gbody == cust
    assert gbody["name"] == "Jane Smith" and gbody["email"] == update["email"] and gbody["phone"] == "+19876543210"


def test_put_null_clears_a_field(server):
    created = create_customer(server, notes="to be cleared", phone="+12015550111")
    body = assert_json(server.put(f"/api/customers/{created['id']}",
                                  json={"name": created["name"], "notes": None}), 200)
    assert body["customer"]["notes"] is None
    assert body["customer"]["phone"] == "+12015550111"


def test_put_without_name_is_422_and_changes_nothing(server):
    created = create_customer(server)
    path = f"/api/customers/{created['id']}"
    assert_problem(server.put(path, json={"email": f"x.{unique_suffix()}@example.com"}), 422,
                   "validation-failed", field="name")
    assert assert_json(server.get(path), 200) == created


def test_put_missing_customer_is_404(server):
    assert_problem(server.put("/api/customers/987654321", json={"name": "Nobody"}), 404, "not-found")


# --- PATCH -----------------------------------------------------------------------------------

@pytest.mark.parametrize("content_type", ["application/json", "application/merge-patch+json"])
def test_patch_is_a_json_merge_patch(server, content_type):
    import json

    created = create_customer(
        server, phone="+12015550142", notes="keep me?", gender="female", locale="pt-BR",
        address={"street": "1 Main St", "street2": None, "city": "Springfield", "postal_code": "12345",
                 "state": "IL", "country": "US"},
        preferences={"newsletter": True, "sms": False, "channels": {"email": True}},
    )
    path = f"/api/customers/{created['id']}"
    patch = {
        "notes": None,
        "address": {"city": "Shelbyville", "street2": "Apt 2"},
        "preferences": {"sms": None, "theme": "dark"},
    }
    resp = server.patch(path, data=json.dumps(patch), headers={"Content-Type": content_type})
    body = assert_json(resp, 200)
    assert body["message"] == "Customer updated successfully."
    assert resp.headers.get("ETag") == '"2"'
    cust = body["customer"]
    assert cust["version"] == 2
    assert cust["notes"] is None, "null must clear the field"
    assert cust["address"] == {"street": "1 Main St", "street2": "Apt 2", "city": "Shelbyville",
                               "postal_code": "12345", "state": "IL", "country": "US"}
    assert cust["preferences"] == {"newsletter": True, "channels": {"email": True}, "theme": "dark"}
    # Not sent: unchanged.
    for k in ("name", "email", "phone", "gender", "locale", "first_name", "last_name", "birthdate"):
        assert cust[k] == created[k], k
    assert assert_json(server.get(path), 200) == cust


def test_patch_null_address_clears_it(server):
    created = create_customer(server, address={"city": "Springfield", "country": "US"})
    body = assert_json(server.patch(f"/api/customers/{created['id']}", json={"address": None}), 200)
    assert body["customer"]["address"] == {k: None for k in ("street", "street2", "city", "postal_code", "state", "country")}


def test_patch_nested_preferences_merge(server):
    created = create_customer(server, preferences={"a": {"x": 1, "y": 2}, "b": [1, 2]})
    body = assert_json(server.patch(f"/api/customers/{created['id']}",
                                    json={"preferences": {"a": {"y": None, "z": 3}, "b": [3]}}), 200)
    assert body["customer"]["preferences"] == {"a": {"x": 1, "z": 3}, "b": [3]}


def test_patch_cannot_null_the_name(server):
    created = create_customer(server)
    path = f"/api/customers/{created['id']}"
    assert_problem(server.patch(path, json={"name": None}), 422, "validation-failed", field="name")
    assert assert_json(server.get(path), 200) == created


def test_patch_wrong_type_is_422_and_changes_nothing(server):
    created = create_customer(server, phone="+12015550177")
    path = f"/api/customers/{created['id']}"
    assert_problem(server.patch(path, json={"phone": 5}), 422, "validation-failed", field="phone")
    assert_problem(server.patch(path, json={"version": 7}), 422, "validation-failed", field="version")
    assert assert_json(server.get(path), 200) == created


# --- If-Match --------------------------------------------------------------------------------

def test_stale_if_match_is_412_and_nothing_changes(server):
    created = create_customer(server, notes="v1")
    path = f"/api/customers/{created['id']}"
    v2 = assert_json(server.put(path, json={"name": created["name"], "notes": "v2"},
                                headers={"If-Match": etag_of(1)}), 200)["customer"]
    assert v2["version"] == 2

    stale = {"If-Match": etag_of(1)}
    assert_problem(server.put(path, json={"name": "Stale Put"}, headers=stale), 412, "precondition-failed")
    assert_problem(server.patch(path, json={"notes": "stale patch"}, headers=stale), 412, "precondition-failed")
    assert_problem(server.delete(path, headers=stale), 412, "precondition-failed")

    now = server.get(path)
    assert assert_json(now, 200) == v2
    assert now.headers.get("ETag") == '"2"'

    # The current version goes through.
    v3 = assert_json(server.patch(path, json={"notes": "v3"}, headers={"If-Match": etag_of(2)}), 200)
    assert v3["customer"]["version"] == 3 and v3["customer"]["notes"] == "v3"
    assert_json(server.delete(path, headers={"If-Match": etag_of(3)}), 200)
    assert_problem(server.get(path), 404, "not-found")


# --- DELETE / restore ------------------------------------------------------------------------

def test_delete_is_soft_and_restore_brings_it_back(server):
    created = create_customer(server)
    path = f"/api/customers/{created['id']}"
    email = created["email"]

    resp = server.delete(path)
    assert assert_json(resp, 200) == {"message": "Customer deleted successfully."}
    assert_problem(server.get(path), 404, "not-found")
    assert live_ids_with_email(server, email) == []
    assert live_ids_with_email(server, email, deleted=True) == [created["id"]]
    # Deleted records cannot be changed or deleted again.
    assert_problem(server.delete(path), 404, "not-found")
    assert_problem(server.patch(path, json={"notes": "ghost"}), 404, "not-found")

    resp = server.post(f"{path}/restore")
    body = assert_json(resp, 200)
    assert body["message"] == "Customer restored successfully."
    cust = body["customer"]
    assert cust["id"] == created["id"]
    for k in ("name", "email", "phone", "address", "preferences", "created_at"):
        assert cust[k] == created[k], k
    got = assert_json(server.get(path), 200)
    assert got["id"] == created["id"] and got["email"] == email
    assert live_ids_with_email(server, email) == [created["id"]]
    assert live_ids_with_email(server, email, deleted=True) == []


def test_restore_of_live_or_missing_customer_is_404(server):
    created = create_customer(server)
    assert_problem(server.post(f"/api/customers/{created['id']}/restore"), 404, "not-found")
    assert_problem(server.post("/api/customers/987654321/restore"), 404, "not-found")
    assert assert_json(server.get(f"/api/customers/{created['id']}"), 200) == created


# --- e-mail uniqueness -----------------------------------------------------------------------

def test_email_unique_case_insensitive(server):
    u = unique_suffix()
    first = create_customer(server, email=f"dup.{u}@example.com")
    with total_unchanged(server):
        resp = server.post("/api/customers", json=customer_payload(email=f"DUP.{u}@Example.com"))
        assert_problem(resp, 409, "conflict", field="email")
    other = create_customer(server)
    resp = server.put(f"/api/customers/{other['id']}", json={"name": other["name"], "email": f"Dup.{u}@example.COM"})
    assert_problem(resp, 409, "conflict", field="email")
    resp = server.patch(f"/api/customers/{other['id']}", json={"email": first["email"]})
    assert_problem(resp, 409, "conflict", field="email")
    assert assert_json(server.get(f"/api/customers/{other['id']}"), 200) == other


def test_customers_without_email_do_not_conflict(server):
    a = create_customer(server, email=None)
    b = create_customer(server, email=None)
    assert a["id"] != b["id"] and a["email"] is None and b["email"] is None


def test_email_of_deleted_customer_is_free_and_restore_then_conflicts(server):
    u = unique_suffix()
    email = f"reuse.{u}@example.com"
    old = create_customer(server, email=email)
    assert_json(server.delete(f"/api/customers/{old['id']}"), 200)
    new = create_customer(server, email=email)
    assert new["id"] != old["id"]

    resp = server.post(f"/api/customers/{old['id']}/restore")
    assert_problem(resp, 409, "conflict")
    assert_problem(server.get(f"/api/customers/{old['id']}"), 404, "not-found")
    assert live_ids_with_email(server, email) == [new["id"]]
    assert live_ids_with_email(server, email, deleted=True) == [old["id"]]

    # Once the email is free again, the restore succeeds.
    assert_json(server.patch(f"/api/customers/{new['id']}", json={"email": None}), 200)
    body = assert_json(server.post(f"/api/customers/{old['id']}/restore"), 200)
    assert body["customer"]["email"] == email


# --- HEAD ------------------------------------------------------------------------------------

def test_head_on_get_routes(server):
    created = create_customer(server)
    path = f"/api/customers/{created['id']}"
    get = server.get(path)
    head = server.head(path)
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers.get("ETag") == '"1"'
    assert head.headers.get("Content-Type", "").startswith("application/json")
    if "Content-Length" in head.headers:
        assert int(head.headers["Content-Length"]) == len(get.content)

    for p in ("/api/customers", "/api/auth/me", "/healthz", "/readyz"):
        r = server.head(p)
        assert r.status_code == 200, p
        assert r.content == b"", p

    missing = server.head("/api/customers/987654321")
    assert missing.status_code == 404
    assert missing.content == b""
    assert server.anon("HEAD", "/api/customers").status_code == 401


def test_list_items_omit_purchase_history(server):
    created = create_customer(server)
    body = assert_json(server.get("/api/customers", params={"email": created["email"]}), 200)
    assert len(body["data"]) == 1
    item = body["data"][0]
    assert "purchase_history" not in item
    assert set(item) == LIST_ITEM_KEYS, sorted(set(item) ^ LIST_ITEM_KEYS)
    assert item == {k: v for k, v in created.items() if k != "purchase_history"}


def test_empty_optional_strings_mean_none(server):
    # A cleared form field arrives as "": it is stored as "no value", not rejected.
    body = create_customer(server, email="", phone="")
    assert body["email"] is None and body["phone"] is None
