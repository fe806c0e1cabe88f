"""Workspace isolation over HTTP: no id a caller sends reaches another workspace's records.

The routes come from the server's own table (`clientele routes`), so a new route that takes an id
is covered here without anyone remembering to add it. Client management (`/api/clients…`) is the
operator's platform view, not a workspace's data: it is checked for 403 instead.
"""

import json

import pytest
import requests

from conftest import assert_json, assert_problem, run_cli, unique_suffix

# A body that is valid for every write route taking an id, so that a 404 can only mean "not here".
VALID_BODY = {"name": "Intruder Write"}


def server_routes():
    return json.loads(run_cli(["routes"]).stdout)


@pytest.fixture(scope="module")
def two_workspaces(server):
    """The operator's workspace (bearer token) and a client's workspace (cookie session), each
    with one customer."""
    created = assert_json(server.post("/api/clients", json={
        "company_name": "Isolated Ltd", "contact_email": f"iso.{unique_suffix()}@store.example"}), 201)
    client = requests.Session()
    login = assert_json(client.post(server.url("/api/auth/client-login"), json={
        "username": created["credentials"]["username"], "password": created["credentials"]["password"]},
        timeout=30), 200)
    client.headers["X-CSRF-Token"] = login["csrf_token"]
    mine = assert_json(server.post("/api/customers", json={"name": "Operator's Customer"}), 201)
    theirs = assert_json(client.post(server.url("/api/customers"), json={"name": "Client's Customer"},
                                     timeout=30), 201)
    return {"operator_customer": mine, "client": client, "client_customer": theirs}


def id_routes():
    return [r for r in server_routes() if "{id}" in r["path"] and r["path"].startswith("/api/")]


def test_the_route_table_gives_every_customer_route_that_takes_an_id():
    # If the enumeration broke, the parametrised tests below would silently run on nothing.
    found = {(r["method"], r["path"]) for r in id_routes()}
    assert found >= {("GET", "/api/customers/{id}"), ("PUT", "/api/customers/{id}"),
                     ("PATCH", "/api/customers/{id}"), ("DELETE", "/api/customers/{id}"),
                     ("POST", "/api/customers/{id}/restore")}


@pytest.mark.parametrize("route", [r for r in id_routes() if not r["path"].startswith("/api/clients")],
                         ids=lambda r: f"{r['method']} {r['path']}")
def test_another_workspaces_id_is_not_found(server, two_workspaces, route):
    foreign = two_workspaces["client_customer"]
    path = route["path"].replace("{id}", str(foreign["id"]))
    body = VALID_BODY if route["method"] in ("PUT", "PATCH", "POST") else None
    # The operator's token reaching into the client's workspace...
    assert_problem(server.request(route["method"], path, json=body), 404, "not-found")
    # ...and the client's session reaching into the operator's.
    own = two_workspaces["operator_customer"]
    path = route["path"].replace("{id}", str(own["id"]))
    resp = two_workspaces["client"].request(route["method"], server.url(path), json=body, timeout=30)
    assert_problem(resp, 404, "not-found")


def test_nothing_changed_on_either_side(server, two_workspaces):
    # Runs after the parametrised attempts (pytest keeps file order): both records are intact.
    client = two_workspaces["client"]
    theirs = assert_json(client.get(server.url(f"/api/customers/{two_workspaces['client_customer']['id']}"),
                                    timeout=30), 200)
    assert theirs["name"] == "Client's Customer" and theirs["version"] == 1
    mine = assert_json(server.get(f"/api/customers/{two_workspaces['operator_customer']['id']}"), 200)
    assert mine["name"] == "Operator's Customer" and mine["version"] == 1
    # Lists and search stay inside the workspace too.
    assert [c["name"] for c in assert_json(client.get(server.url("/api/customers"), timeout=30), 200)["data"]] \
        == ["Client's Customer"]
    found = assert_json(server.get("/api/customers?q=client%27s"), 200)["data"]
    assert found == []


@pytest.mark.parametrize("route", [r for r in server_routes() if r["path"].startswith("/api/clients")],
                         ids=lambda r: f"{r['method']} {r['path']}")
def test_client_management_is_for_the_operator_only(server, two_workspaces, route):
    path = route["path"].replace("{id}", "1")
    body = {} if route["method"] in ("PUT", "POST") else None
    resp = two_workspaces["client"].request(route["method"], server.url(path), json=body, timeout=30)
    assert_problem(resp, 403, "forbidden")
