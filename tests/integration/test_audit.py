"""The audit trail: who changed what, with before and after, written in the change's transaction.

GET /api/customers/{id}/history and GET /api/audit-events, their filters and pages, who may read
them, workspace isolation, masking, nothing recorded for a change that failed, and the table's
append-only rule in the database itself.
"""

import sqlite3
import subprocess

import pytest
import requests

from conftest import (TEST_STORE, assert_json, assert_problem, create_customer, staff_member,
                      unique_suffix)


def history(srv, customer_id, session=None, **params):
    session = session or srv.session
    return assert_json(session.get(srv.url(f"/api/customers/{customer_id}/history"),
                                   params=params, timeout=30), 200)


def events(srv, **params):
    return assert_json(srv.get("/api/audit-events", params=params), 200)


def test_customer_history_tells_who_changed_what_newest_first(server):
    c = create_customer(server, name="Audit Person", email=f"audit.{unique_suffix()}@example.com",
                        address={"city": "Oslo", "country": "NO"}, tax_id="NO123", notes="secret")
    assert_json(server.patch(f"/api/customers/{c['id']}",
                             json={"name": "Audit Renamed", "address": {"city": "Bergen"},
                                   "tax_id": "NO456"}), 200)
    assert_json(server.delete(f"/api/customers/{c['id']}"), 200)
    assert_json(server.post(f"/api/customers/{c['id']}/restore"), 200)

    page = history(server, c["id"])
    assert page["next_cursor"] is None
    actions = [e["action"] for e in page["data"]]
    assert actions == ["customer.restored", "customer.archived", "customer.updated",
                       "customer.created"]
    restored, archived, updated, created = page["data"]

    for entry in page["data"]:
        assert entry["entity"] == "customer" and entry["entity_id"] == c["id"]
        assert entry["actor"]["kind"] == "api_token"
        assert isinstance(entry["actor"]["id"], int) and entry["actor"]["id"] > 0
        assert entry["address"] == "127.0.0.1"
        assert entry["request_id"]
        assert entry["at"].endswith("Z")

    assert created["changes"]["name"] == {"from": None, "to": "Audit Person"}
    assert created["changes"]["address.city"] == {"from": None, "to": "Oslo"}
    # Sensitive values are masked; unset fields are not listed; bookkeeping never is.
    assert created["changes"]["tax_id"] == {"from": None, "to": "•••"}
    assert created["changes"]["notes"] == {"from": None, "to": "•••"}
    assert "phone" not in created["changes"] and "version" not in created["changes"]

    assert updated["changes"] == {
        "name": {"from": "Audit Person", "to": "Audit Renamed"},
        "address.city": {"from": "Oslo", "to": "Bergen"},
        "tax_id": {"from": "•••", "to": "•••"},
    }
    assert list(archived["changes"]) == ["deleted_at"]
    assert archived["changes"]["deleted_at"]["from"] is None
    assert restored["changes"]["deleted_at"]["to"] is None


def test_history_pages_are_keyset_and_complete(server):
    c = create_customer(server, name="Paged History")
    for i in range(7):
        assert_json(server.patch(f"/api/customers/{c['id']}", json={"job_title": f"Role {i}"}), 200)
    seen, cursor = [], None
    while True:
        params = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        page = history(server, c["id"], **params)
        assert len(page["data"]) <= 3
        seen += page["data"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 8
    ids = [e["id"] for e in seen]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 8
    assert seen[0]["changes"]["job_title"] == {"from": "Role 5", "to": "Role 6"}


def test_a_failed_change_records_nothing(server):
    email = f"taken.{unique_suffix()}@example.com"
    create_customer(server, name="First Owner", email=email)
    other = create_customer(server, name="Second")
    before = history(server, other["id"])["data"]
    assert_problem(server.patch(f"/api/customers/{other['id']}", json={"email": email}), 409,
                   "conflict")
    assert_problem(server.patch(f"/api/customers/{other['id']}", json={"name": ""}), 422,
                   "validation-failed")
    assert history(server, other["id"])["data"] == before


def test_addresses_avatar_and_lists_are_audited(server):
    c = create_customer(server, name="Addressed")
    a = assert_json(server.post(f"/api/customers/{c['id']}/addresses",
                                json={"type": "delivery", "street": "1 Main St", "city": "Oslo",
                                      "country": "NO"}), 201)
    assert_json(server.put(f"/api/customers/{c['id']}/addresses/{a['id']}",
                           json={"type": "delivery", "street": "2 Main St", "city": "Oslo",
                                 "country": "NO"}), 200)
    assert_json(server.delete(f"/api/customers/{c['id']}/addresses/{a['id']}"), 200)
    entries = history(server, c["id"])["data"]
    assert [e["action"] for e in entries[:3]] == [
        "customer.address_removed", "customer.address_updated", "customer.address_added"]
    key = f"addresses.{a['id']}.street"
    assert entries[2]["changes"][key] == {"from": None, "to": "1 Main St"}
    assert entries[1]["changes"] == {key: {"from": "1 Main St", "to": "2 Main St"}}
    assert entries[0]["changes"][key] == {"from": "2 Main St", "to": None}

    tag = assert_json(server.post("/api/tags", json={"name": f"Audit {unique_suffix()}"}), 201)
    assert_json(server.patch(f"/api/tags/{tag['id']}", json={"color": "#000000"}), 200)
    page = events(server, entity="tag", entity_id=tag["id"])
    assert [e["action"] for e in page["data"]] == ["tag.updated", "tag.created"]
    assert page["data"][0]["changes"]["color"]["to"] == "#000000"


def test_audit_events_filters(server):
    c = create_customer(server, name="Filtered")
    assert_json(server.patch(f"/api/customers/{c['id']}", json={"website": "https://x.example"}),
                200)
    only_updates = events(server, action="customer.updated", entity_id=c["id"], entity="customer")
    assert [e["action"] for e in only_updates["data"]] == ["customer.updated"]
    every_customer_action = events(server, action="customer.*", entity="customer",
                                   entity_id=c["id"])
    assert {e["action"] for e in every_customer_action["data"]} == {"customer.created",
                                                                    "customer.updated"}
    actor_id = only_updates["data"][0]["actor"]["id"]
    mine = events(server, actor=f"api_token:{actor_id}", limit=200)
    assert mine["data"] and all(e["actor"]["id"] == actor_id for e in mine["data"])
    assert events(server, actor="portal_customer", entity_id=c["id"])["data"] == []
    assert events(server, to="2000-01-01")["data"] == []
    assert events(server, **{"from": "2000-01-01"}, limit=1)["data"]
    for bad in [{"actor": "robot"}, {"actor": "user:x"}, {"action": "customer.*.x"},
                {"from": "yesterday"}, {"entity_id": "-1"}, {"limit": "0"}, {"q": "x"},
                {"colour": "red"}]:
        field = next(iter(bad))
        assert_problem(server.get("/api/audit-events", params=bad), 422, "validation-failed",
                       field=field)


def test_who_may_read_the_trail(server):
    c = create_customer(server, name="Watched")
    viewer, _ = staff_member(server, "viewer")
    # A viewer sees a customer's history (customers.read) but not the workspace's log.
    assert history(server, c["id"], session=viewer)["data"]
    resp = viewer.get(server.url("/api/audit-events"), timeout=30)
    assert_problem(resp, 403, "forbidden")
    admin, _ = staff_member(server, "admin")
    assert admin.get(server.url("/api/audit-events"), timeout=30).status_code == 200
    # A user's changes name them.
    sales, sales_user = staff_member(server, "sales")
    assert_json(sales.patch(server.url(f"/api/customers/{c['id']}"), json={"job_title": "CEO"},
                            timeout=30), 200)
    latest = history(server, c["id"])["data"][0]
    assert latest["actor"] == {"kind": "user", "id": sales_user["id"], "name": sales_user["name"]}


def test_another_workspace_history_is_not_found(server):
    created = assert_json(server.post("/api/clients", json={
        "company_name": "Audit Other Ltd", "contact_email": f"ao.{unique_suffix()}@store.example"}),
        201)
    client = requests.Session()
    login = assert_json(client.post(server.url("/api/auth/client-login"), json={
        "username": created["credentials"]["username"],
        "password": created["credentials"]["password"]}, timeout=30), 200)
    client.headers["X-CSRF-Token"] = login["csrf_token"]
    theirs = assert_json(client.post(server.url("/api/customers"), json={"name": "Theirs"},
                                     timeout=30), 201)
    mine = create_customer(server, name="Mine")
    assert_problem(server.get(f"/api/customers/{theirs['id']}/history"), 404, "not-found")
    assert_problem(client.get(server.url(f"/api/customers/{mine['id']}/history"), timeout=30), 404,
                   "not-found")
    # Their log holds their changes only, made by their client login.
    log = assert_json(client.get(server.url("/api/audit-events"), params={"limit": 200},
                                 timeout=30), 200)["data"]
    assert log and all(e["entity_id"] != mine["id"] or e["entity"] != "customer" for e in log)
    assert any(e["entity_id"] == theirs["id"] and e["actor"]["kind"] == "client" for e in log)
    # …and ours none of theirs.
    ours = events(server, entity="customer", entity_id=theirs["id"])
    assert ours["data"] == []


def database_refuses(server, statement: str):
    """Runs `statement` against the server's database directly; returns the error text."""
    if TEST_STORE == "sqlite":
        with pytest.raises(sqlite3.DatabaseError) as error:
            db = sqlite3.connect(server.db_path, timeout=10)
            try:
                db.execute(statement)
                db.commit()
            finally:
                db.close()
        return str(error.value)
    result = subprocess.run(["psql", "-v", "ON_ERROR_STOP=1", server.db_path, "-c", statement],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0, result.stdout
    return result.stderr


def test_the_table_is_append_only(server):
    c = create_customer(server, name="Permanent Record")
    count = len(history(server, c["id"])["data"])
    assert "append-only" in database_refuses(server, "UPDATE audit_events SET action = 'x'")
    assert "append-only" in database_refuses(server, "DELETE FROM audit_events")
    # The retention cutoff cannot be moved closer than a day, so recent entries cannot be freed.
    assert "at least a day" in database_refuses(
        server, "UPDATE audit_retention SET cutoff = '9999-01-01T00:00:00.000Z'")
    assert len(history(server, c["id"])["data"]) == count
