"""Workspace isolation over HTTP: no id a caller sends reaches another workspace's records.

The routes come from the server's own table (`clientele routes`), so a new route that takes an id
is covered here without anyone remembering to add it. Client management (`/api/clients…`) is the
operator's platform view, not a workspace's data: it is checked for 403 instead.
"""

import io
import json

import pytest
import requests
from PIL import Image

from conftest import ADMIN_EMAIL, assert_json, assert_problem, invite_staff, run_cli, unique_suffix

# A body that is valid for every write route taking an id, so that a 404 can only mean "not here".
VALID_BODY = {"name": "Intruder Write"}


def server_routes():
    return json.loads(run_cli(["routes"]).stdout)


@pytest.fixture(scope="module")
def two_workspaces(server):
    """The operator's workspace (bearer token) and a client's workspace (cookie session), each
    with one record of every resource that has id routes."""
    created = assert_json(server.post("/api/clients", json={
        "company_name": "Isolated Ltd", "contact_email": f"iso.{unique_suffix()}@store.example"}), 201)
    client = requests.Session()
    login = assert_json(client.post(server.url("/api/auth/client-login"), json={
        "username": created["credentials"]["username"], "password": created["credentials"]["password"]},
        timeout=30), 200)
    client.headers["X-CSRF-Token"] = login["csrf_token"]
    operator = {
        "customers": assert_json(server.post("/api/customers", json={"name": "Operator's Customer",
                                                                     "account_type": "company"}), 201),
        "users": invite_staff(server, "viewer", name="Operator's User"),
        "customer-titles": assert_json(server.post("/api/customer-titles",
                                                   json={"name": "Operator's Title", "short_name": "Op."}), 201),
        "industries": assert_json(server.post("/api/industries",
                                              json={"name": "Operator's Industry", "full_name": "Ops"}), 201),
        "tags": assert_json(server.post("/api/tags", json={"name": "Operator's Tag"}), 201),
    }
    theirs = {
        "customers": assert_json(client.post(server.url("/api/customers"),
                                             json={"name": "Client's Customer", "account_type": "company"},
                                             timeout=30), 201),
        "users": invite_staff(server, "viewer", inviter=client, name="Client's User"),
    }
    for resource, body in [("customer-titles", {"name": "Client's Title", "short_name": "Cl."}),
                           ("industries", {"name": "Client's Industry", "full_name": "Clients"}),
                           ("tags", {"name": "Client's Tag"})]:
        theirs[resource] = assert_json(client.post(server.url(f"/api/{resource}"), json=body, timeout=30), 201)
    # A customer export of each side: a job (/api/jobs/{id}) and an export (/api/customers/exports/{id}).
    for records, session in ((operator, server.session), (theirs, client)):
        records["jobs"] = records["exports"] = assert_json(
            session.post(server.url("/api/customers/exports"), json={"format": "csv"}, timeout=30), 202)
    # What lives under a customer: its contacts and addresses.
    for side, session in (("operator", server.session), ("theirs", client)):
        records = operator if side == "operator" else theirs
        base = server.url(f"/api/customers/{records['customers']['id']}")
        records["contacts"] = assert_json(session.post(f"{base}/contacts", json={"name": f"{side} contact"},
                                                       timeout=30), 201)
        records["addresses"] = assert_json(session.post(f"{base}/addresses", json={"type": "other", "city": side},
                                                        timeout=30), 201)
    # An order of each side (/api/orders/{id}).
    for records, session in ((operator, server.session), (theirs, client)):
        records["orders"] = assert_json(session.post(server.url("/api/orders"), json={
            "number": f"ISO-{unique_suffix()}", "customer_id": records["customers"]["id"], "currency": "USD",
            "placed_at": "2026-05-01T10:00:00Z", "lines": [{"name": "Widget", "quantity": 1, "unit_price": 100}],
            "total": 100}, timeout=30), 201)
    # An API token on each side (the operator's own for this test, not the one the suite uses).
    for side, session, email in (("operator", server.session, ADMIN_EMAIL),
                                 ("theirs", client, created["contact_email"])):
        secret = run_cli(["token", "create", "--db", str(server.db_path), "--email", email,
                          "--name", f"{side} isolation"]).stdout.split()[-1]
        listed = assert_json(session.get(server.url("/api/tokens"), timeout=30), 200)["data"]
        records = operator if side == "operator" else theirs
        records["tokens"] = [t for t in listed if t["name"] == f"{side} isolation"][0]
        assert secret.startswith(records["tokens"]["prefix"])
    return {"operator": operator, "client": client, "theirs": theirs}


def resource_of(route):
    """The resource a route's {id} names: /api/<resource>/{id}…, /api/customers/exports/{id}…"""
    parts = route["path"].split("/")
    return "exports" if parts[2:4] == ["customers", "exports"] else parts[2]


# A nested route's second parameter and the resource it names.
CHILDREN = {"{contact_id}": "contacts", "{address_id}": "addresses"}


def fill(route, parent_records, child_records):
    """The route's path with the parent's id and any child id taken from the given records."""
    resource = resource_of(route)
    assert resource in parent_records, \
        f"{route['path']}: add a record of {resource!r} to the two_workspaces fixture"
    path = route["path"].replace("{id}", str(parent_records[resource]["id"]))
    for param, child in CHILDREN.items():
        path = path.replace(param, str(child_records[child]["id"]))
    assert "{" not in path, f"{route['path']}: add its parameter to CHILDREN"
    return path


def valid_body(route):
    """A body valid for the route, so that a 404 can only mean "not here"."""
    if route["method"] not in ("PUT", "PATCH", "POST"):
        return {}
    if route["path"].endswith("/avatar"):
        png = io.BytesIO()
        Image.new("RGB", (4, 4)).save(png, format="PNG")
        return {"data": png.getvalue(), "headers": {"Content-Type": "image/png"}}
    if "/addresses" in route["path"]:
        return {"json": {"type": "other", "city": "Intruder"}}
    if route["path"].startswith("/api/orders/"):
        return {"json": {"status": "paid"}}
    return {"json": VALID_BODY}


def id_routes():
    return [r for r in server_routes() if "{id}" in r["path"] and r["path"].startswith("/api/")]


def test_the_route_table_gives_every_customer_route_that_takes_an_id():
    # If the enumeration broke, the parametrised tests below would silently run on nothing.
    found = {(r["method"], r["path"]) for r in id_routes()}
    assert found >= {("GET", "/api/customers/{id}"), ("PUT", "/api/customers/{id}"),
                     ("PATCH", "/api/customers/{id}"), ("DELETE", "/api/customers/{id}"),
                     ("POST", "/api/customers/{id}/restore"), ("GET", "/api/users/{id}"),
                     ("PATCH", "/api/users/{id}"), ("DELETE", "/api/users/{id}"),
                     ("POST", "/api/users/{id}/invitation"), ("GET", "/api/customers/{id}/contacts"),
                     ("PATCH", "/api/customers/{id}/contacts/{contact_id}"),
                     ("PUT", "/api/customers/{id}/addresses/{address_id}"),
                     ("DELETE", "/api/customers/{id}/addresses/{address_id}")}


@pytest.mark.parametrize("route", [r for r in id_routes() if not r["path"].startswith("/api/clients")],
                         ids=lambda r: f"{r['method']} {r['path']}")
def test_another_workspaces_id_is_not_found(server, two_workspaces, route):
    theirs, mine, client = two_workspaces["theirs"], two_workspaces["operator"], two_workspaces["client"]
    body = valid_body(route)

    def send(session, path):
        return session.request(route["method"], server.url(path), timeout=30, **body)

    # The operator's token reaching into the client's workspace...
    assert_problem(send(server.session, fill(route, theirs, theirs)), 404, "not-found")
    # ...and the client's session reaching into the operator's.
    assert_problem(send(client, fill(route, mine, mine)), 404, "not-found")
    # A nested record of the other workspace under one's own parent is not found either.
    if any(param in route["path"] for param in CHILDREN):
        assert_problem(send(server.session, fill(route, mine, theirs)), 404, "not-found")
        assert_problem(send(client, fill(route, theirs, mine)), 404, "not-found")


def test_nothing_changed_on_either_side(server, two_workspaces):
    # Runs after the parametrised attempts (pytest keeps file order): every record is intact.
    client = two_workspaces["client"]
    for resource in ("customers", "users"):
        theirs = assert_json(client.get(server.url(f"/api/{resource}/{two_workspaces['theirs'][resource]['id']}"),
                                        timeout=30), 200)
        assert theirs["name"] == two_workspaces["theirs"][resource]["name"] and theirs["version"] == 1
        mine = assert_json(server.get(f"/api/{resource}/{two_workspaces['operator'][resource]['id']}"), 200)
        assert mine["name"] == two_workspaces["operator"][resource]["name"] and mine["version"] == 1
    for resource in ("customer-titles", "industries", "tags"):
        for side, session in (("theirs", client), ("operator", server.session)):
            record = two_workspaces[side][resource]
            again = assert_json(session.get(server.url(f"/api/{resource}/{record['id']}"), timeout=30), 200)
            assert again == record
    for side, session in (("theirs", client), ("operator", server.session)):
        records = two_workspaces[side]
        base = server.url(f"/api/customers/{records['customers']['id']}")
        contacts = assert_json(session.get(f"{base}/contacts", timeout=30), 200)["data"]
        assert [(c["id"], c["name"], c["version"]) for c in contacts] == \
            [(records["contacts"]["id"], records["contacts"]["name"], 1)]
        assert assert_json(session.get(f"{base}/addresses", timeout=30), 200)["data"] == [records["addresses"]]
    # Each side's order is as it was, and each side lists only its own.
    for side, session in (("theirs", client), ("operator", server.session)):
        order = two_workspaces[side]["orders"]
        assert assert_json(session.get(server.url(f"/api/orders/{order['id']}"), timeout=30), 200) == order
        listed = assert_json(session.get(server.url("/api/orders"), timeout=30), 200)["data"]
        assert [o["id"] for o in listed] == [order["id"]]
    # Each side's token is alive, and each side lists only its own workspace's tokens.
    for side, session in (("theirs", client), ("operator", server.session)):
        listed = assert_json(session.get(server.url("/api/tokens"), timeout=30), 200)["data"]
        assert two_workspaces[side]["tokens"] in listed
        other = "operator" if side == "theirs" else "theirs"
        assert two_workspaces[other]["tokens"]["id"] not in {t["id"] for t in listed}
    # Lists and search stay inside the workspace too.
    assert sorted(c["name"] for c in assert_json(client.get(server.url("/api/customers"), timeout=30),
                                                 200)["data"]) == ["Client's Customer", "theirs contact"]
    found = assert_json(server.get("/api/customers?q=client%27s"), 200)["data"]
    assert found == []
    groups = assert_json(client.get(server.url("/api/customers/groups?by=account_type"), timeout=30), 200)["data"]
    assert {(g["key"], g["count"]) for g in groups} == {("company", 1), ("individual", 1)}
    companies = assert_json(client.get(server.url("/api/customers/groups?by=company"), timeout=30), 200)["data"]
    assert {(g["label"], g["count"]) for g in companies} == {("", 1), ("Client's Customer", 1)}
    team = assert_json(client.get(server.url("/api/users"), timeout=30), 200)["data"]
    assert sorted(u["name"] for u in team) == ["Client's User", "Isolated Ltd"]
