"""Staff of a workspace: invitations, roles, who may change whom, and the role check on every route.

The role test enumerates the server's own route table (`clientele routes`) and the role table
(`GET /api/roles`), so a new route is checked for every role without anyone remembering to add it.
"""

import json

import pytest
import requests

from conftest import (ADMIN_EMAIL, ADMIN_PASSWORD, REQUEST_TIMEOUT, STAFF_PASSWORD, accept_invitation,
                      assert_json, assert_problem, invite_staff, run_cli, staff_member, unique_suffix)

USER_KEYS = {"id", "email", "name", "role", "status", "is_active", "username", "last_login", "joined_at",
             "invited_by", "version", "created_at", "updated_at"}
ROLES = ["owner", "admin", "sales", "support", "marketing", "viewer"]
# Routes any signed-in caller may use on their own account: every other non-public route of a
# workspace must name a permission.
OWN_ACCOUNT_ROUTES = {("POST", "/api/auth/logout"), ("GET", "/api/auth/me"),
                      ("POST", "/api/auth/change-password"), ("GET", "/api/roles"),
                      ("GET", "/api/tokens"), ("DELETE", "/api/tokens/{id}")}


def sign_in(srv, email, password=STAFF_PASSWORD):
    return requests.post(srv.url("/api/auth/login"), json={"email": email, "password": password},
                         timeout=REQUEST_TIMEOUT)


def test_invite_accept_and_sign_in(server):
    created = invite_staff(server, "sales", email=f"Mixed.Case.{unique_suffix()}@Team.example", name="Sam Sales")
    assert USER_KEYS <= set(created)
    assert created["email"] == created["email"].lower() and created["joined_at"] is None
    assert created["invited_by"] == 1 and created["is_active"] is True and created["username"] is None
    link = created["invitation"]
    assert link["url"].endswith(f"/invitation#token={link['token']}") and len(link["token"]) >= 40
    assert link["expires_at"] > created["created_at"]
    # Before accepting there is no password: signing in looks exactly like an unknown e-mail.
    assert_problem(sign_in(server, created["email"], "anything-at-all"), 401, "invalid-credentials")
    listed = assert_json(server.get("/api/users?status=invited"), 200)["data"]
    assert created["id"] in [u["id"] for u in listed]
    assert "invitation" not in assert_json(server.get(f"/api/users/{created['id']}"), 200)

    session, answer = accept_invitation(server, link["token"])
    assert answer["user"]["id"] == created["id"] and answer["user"]["role"] == "sales"
    assert answer["user"]["permissions"] == ["customers.read", "customers.write", "customers.delete",
                                             "orders.read", "orders.write", "loyalty.read"]
    me = assert_json(session.get(server.url("/api/auth/me"), timeout=REQUEST_TIMEOUT), 200)["user"]
    assert me["email"] == created["email"] and me["tenant_id"] == 1 and me["is_platform_admin"] is False
    user = assert_json(server.get(f"/api/users/{created['id']}"), 200)
    assert user["status"] == "active" and user["joined_at"] and user["last_login"] and user["version"] == 2
    # The link is used up; the password now works at the ordinary sign-in.
    assert_problem(server.anon("POST", "/api/auth/accept-invitation",
                               json={"token": link["token"], "password": "another-password"}),
                   404, "not-found")
    assert assert_json(sign_in(server, created["email"]), 200)["user"]["role"] == "sales"
    # Staff are not the operator: client management stays closed.
    assert_problem(session.get(server.url("/api/clients"), timeout=REQUEST_TIMEOUT), 403, "forbidden")


def test_accept_checks_its_input(server):
    created = invite_staff(server, "viewer")
    token = created["invitation"]["token"]
    for body, field in [({"password": "long-enough"}, "token"), ({"token": token}, "password"),
                        ({"token": token, "password": "short"}, "password"),
                        ({"token": token, "password": "Password1"}, "password"),  # a common one
                        ({"token": token, "password": "long-enough", "role": "owner"}, "role")]:
        assert_problem(server.anon("POST", "/api/auth/accept-invitation", json=body), 422,
                       "validation-failed", field=field)
    assert_problem(server.anon("POST", "/api/auth/accept-invitation",
                               json={"token": "not-a-real-token", "password": "long-enough"}), 404, "not-found")
    # Nothing was used up by the failures: the real token still works, with the name chosen.
    session = requests.Session()
    answer = assert_json(session.post(server.url("/api/auth/accept-invitation"),
                                      json={"token": token, "password": STAFF_PASSWORD, "name": "Vera Viewer"},
                                      timeout=REQUEST_TIMEOUT), 200)
    assert answer["user"]["name"] == "Vera Viewer"


@pytest.mark.parametrize("fields, status, field", [
    ({"email": None}, 422, "email"),
    ({"email": "not-an-email"}, 422, "email"),
    ({"role": "emperor"}, 422, "role"),
    ({"role": None}, 422, "role"),
    ({"password": "chosen-by-admin"}, 422, "password"),
    ({"surprise": True}, 422, "surprise"),
])
def test_bad_invitations_are_refused(server, fields, status, field):
    before = len(assert_json(server.get("/api/users?limit=200"), 200)["data"])
    body = {"email": f"bad.{unique_suffix()}@team.example", "name": "Bad", "role": "viewer"}
    body.update(fields)
    for key in [k for k, v in fields.items() if v is None]:
        del body[key]
    assert_problem(server.post("/api/users", json=body), status, "validation-failed", field=field)
    assert len(assert_json(server.get("/api/users?limit=200"), 200)["data"]) == before


def test_an_email_with_an_account_anywhere_is_409(server):
    client = assert_json(server.post("/api/clients", json={
        "company_name": "Elsewhere Ltd", "contact_email": f"owner.{unique_suffix()}@elsewhere.example"}), 201)
    assert_problem(server.post("/api/users", json={"email": client["contact_email"], "role": "viewer"}),
                   409, "conflict", field="email")
    taken = invite_staff(server, "viewer")
    assert_problem(server.post("/api/users", json={"email": taken["email"].upper(), "role": "admin"}),
                   409, "conflict", field="email")


def test_idempotent_invitation_shows_the_link_once(server):
    key = f"invite-{unique_suffix()}"
    body = {"email": f"idem.{unique_suffix()}@team.example", "role": "support"}
    first = assert_json(server.post("/api/users", json=body, headers={"Idempotency-Key": key}), 201)
    again = server.post("/api/users", json=body, headers={"Idempotency-Key": key})
    replay = assert_json(again, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert replay["id"] == first["id"] and replay["invitation"]["token"] is None
    assert first["invitation"]["token"] not in again.text


def test_a_new_link_replaces_the_old_one(server):
    created = invite_staff(server, "marketing")
    old = created["invitation"]["token"]
    renewed = assert_json(server.post(f"/api/users/{created['id']}/invitation"), 200)
    assert renewed["id"] == created["id"] and renewed["invitation"]["token"] != old
    assert_problem(server.anon("POST", "/api/auth/accept-invitation",
                               json={"token": old, "password": STAFF_PASSWORD}), 404, "not-found")
    accept_invitation(server, renewed["invitation"]["token"])
    assert_problem(server.post(f"/api/users/{created['id']}/invitation"), 409, "conflict")


def test_list_filters_and_pages(server):
    tag = unique_suffix()
    ids = [invite_staff(server, "support", name=f"Pager {tag} {i}")["id"] for i in range(5)]
    seen, cursor = [], None
    while True:
        params = {"q": f"pager {tag}", "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = assert_json(server.get("/api/users", params=params), 200)
        seen += [u["id"] for u in page["data"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == ids  # oldest first
    owners = assert_json(server.get("/api/users?role=owner"), 200)["data"]
    assert {u["role"] for u in owners} == {"owner"} and 1 in [u["id"] for u in owners]
    for query, field in [("role=emperor", "role"), ("status=asleep", "status"), ("limit=0", "limit"),
                         ("colour=red", "colour")]:
        assert_problem(server.get(f"/api/users?{query}"), 422, "validation-failed", field=field)
    assert_problem(server.get("/api/users?cursor=x"), 400, "bad-request")
    assert_problem(server.get("/api/users/999999"), 404, "not-found")


def test_deactivation_ends_sessions_and_tokens_and_reactivation_restores_sign_in(server):
    session, created = staff_member(server, "support")
    assert_json(session.get(server.url("/api/customers"), timeout=REQUEST_TIMEOUT), 200)
    token_line = run_cli(["token", "create", "--db", str(server.db_path), "--email", created["email"]]).stdout
    token = token_line.split()[-1]
    bearer = {"Authorization": f"Bearer {token}"}
    assert_json(server.anon("GET", "/api/customers", headers=bearer), 200)

    body = assert_json(server.patch(f"/api/users/{created['id']}", json={"is_active": False}), 200)
    assert body["message"] == "User updated successfully."
    assert body["user"]["status"] == "deactivated" and body["user"]["is_active"] is False
    assert_problem(session.get(server.url("/api/customers"), timeout=REQUEST_TIMEOUT), 401, "unauthenticated")
    assert_problem(server.anon("GET", "/api/customers", headers=bearer), 401, "unauthenticated")
    assert_problem(sign_in(server, created["email"]), 401, "invalid-credentials")

    assert_json(server.patch(f"/api/users/{created['id']}", json={"is_active": True}), 200)
    assert_json(sign_in(server, created["email"]), 200)
    # The token was revoked, not only suspended: reactivation does not bring it back (issue 12).
    assert_problem(server.anon("GET", "/api/customers", headers=bearer), 401, "unauthenticated")


def test_role_change_takes_effect_at_once_and_if_match_guards_it(server):
    session, created = staff_member(server, "viewer")
    assert_problem(session.post(server.url("/api/customers"), json={"name": "Not Yet"}, timeout=REQUEST_TIMEOUT),
                   403, "forbidden")
    current = server.get(f"/api/users/{created['id']}")
    etag = current.headers["ETag"]
    changed = assert_json(server.patch(f"/api/users/{created['id']}", json={"role": "sales", "name": "Promoted"},
                                       headers={"If-Match": etag}), 200)["user"]
    assert changed["role"] == "sales" and changed["name"] == "Promoted"
    assert_problem(server.patch(f"/api/users/{created['id']}", json={"role": "viewer"}, headers={"If-Match": etag}),
                   412, "precondition-failed")
    made = assert_json(session.post(server.url("/api/customers"), json={"name": "Now Allowed"},
                                    timeout=REQUEST_TIMEOUT), 201)
    assert made["name"] == "Now Allowed"
    for body, field in [({"role": "emperor"}, "role"), ({"email": "x@y.example"}, "email"),
                        ({"is_active": "no"}, "is_active")]:
        assert_problem(server.patch(f"/api/users/{created['id']}", json=body), 422, "validation-failed",
                       field=field)


def test_who_may_change_whom(server):
    admin, admin_user = staff_member(server, "admin")
    owner2, owner2_user = staff_member(server, "owner")
    url = server.url
    # Nobody changes their own role or standing, or removes themselves.
    assert_problem(admin.patch(url(f"/api/users/{admin_user['id']}"), json={"role": "owner"},
                               timeout=REQUEST_TIMEOUT), 403, "forbidden")
    assert_problem(admin.delete(url(f"/api/users/{admin_user['id']}"), timeout=REQUEST_TIMEOUT), 403, "forbidden")
    assert_problem(server.patch("/api/users/1", json={"is_active": False}), 403, "forbidden")
    # ...but may rename themselves.
    renamed = assert_json(admin.patch(url(f"/api/users/{admin_user['id']}"), json={"name": "Ada Admin"},
                                      timeout=REQUEST_TIMEOUT), 200)["user"]
    assert renamed["name"] == "Ada Admin" and renamed["role"] == "admin"
    # Only owners deal in owners.
    assert_problem(admin.post(url("/api/users"), json={"email": f"o.{unique_suffix()}@team.example", "role": "owner"},
                              timeout=REQUEST_TIMEOUT), 403, "forbidden")
    assert_problem(admin.patch(url(f"/api/users/{owner2_user['id']}"), json={"role": "viewer"},
                               timeout=REQUEST_TIMEOUT), 403, "forbidden")
    assert_problem(admin.delete(url("/api/users/1"), timeout=REQUEST_TIMEOUT), 403, "forbidden")
    viewer = invite_staff(server, "viewer", inviter=admin)
    promoted = admin.patch(url(f"/api/users/{viewer['id']}"), json={"role": "owner"}, timeout=REQUEST_TIMEOUT)
    assert_problem(promoted, 403, "forbidden")
    assert assert_json(server.get(f"/api/users/{viewer['id']}"), 200)["role"] == "viewer"
    # An owner may demote another owner (one active owner always remains: the one acting).
    demoted = assert_json(server.patch(f"/api/users/{owner2_user['id']}", json={"role": "admin"}), 200)
    assert demoted["user"]["role"] == "admin"
    assert_json(server.patch(f"/api/users/{owner2_user['id']}", json={"role": "owner"}), 200)
    # An admin manages the other roles.
    assert_json(admin.patch(url(f"/api/users/{viewer['id']}"), json={"role": "marketing"},
                            timeout=REQUEST_TIMEOUT), 200)


def test_the_platform_operator_is_out_of_reach_of_other_owners(server):
    # A second owner of workspace 1 could demote or deactivate the operator, whom only the command
    # line could then bring back (issue 12): the operator is protected like a client's own login.
    owner2, _ = staff_member(server, "owner")
    before = assert_json(server.get("/api/users/1"), 200)
    for method, body in [("PATCH", {"role": "admin"}), ("PATCH", {"is_active": False}),
                         ("PATCH", {"role": "viewer", "is_active": False}), ("DELETE", None)]:
        resp = owner2.request(method, server.url("/api/users/1"), json=body, timeout=REQUEST_TIMEOUT)
        problem = assert_problem(resp, 409, "conflict")
        assert "platform operator" in problem["detail"]
    operator = assert_json(server.get("/api/users/1"), 200)
    assert operator["role"] == "owner" and operator["status"] == "active"
    assert operator["version"] == before["version"]
    # The operator still signs in and manages clients; a rename stays allowed.
    assert_json(sign_in(server, ADMIN_EMAIL, ADMIN_PASSWORD), 200)
    assert_json(server.get("/api/clients"), 200)
    renamed = assert_json(owner2.patch(server.url("/api/users/1"), json={"name": "The Operator"},
                                       timeout=REQUEST_TIMEOUT), 200)["user"]
    assert renamed["name"] == "The Operator" and renamed["role"] == "owner"


def test_a_clients_own_login_stays_its_owner(server):
    created = assert_json(server.post("/api/clients", json={
        "company_name": "Owner Guard Ltd", "contact_email": f"guard.{unique_suffix()}@store.example"}), 201)
    client = requests.Session()
    login = assert_json(client.post(server.url("/api/auth/client-login"), json={
        "username": created["credentials"]["username"], "password": created["credentials"]["password"]},
        timeout=REQUEST_TIMEOUT), 200)
    client.headers["X-CSRF-Token"] = login["csrf_token"]
    client_user_id = login["user"]["id"]
    # The client (an owner) builds its team: the users are in its workspace only.
    partner, partner_user = staff_member(server, "owner", inviter=client)
    team = assert_json(client.get(server.url("/api/users"), timeout=REQUEST_TIMEOUT), 200)["data"]
    assert {u["id"] for u in team} == {client_user_id, partner_user["id"]}
    me = [u for u in team if u["id"] == client_user_id][0]
    assert me["username"] == created["credentials"]["username"] and me["role"] == "owner"
    # Another owner still cannot demote, deactivate or remove the client's own login.
    for method, body in [("PATCH", {"role": "admin"}), ("PATCH", {"is_active": False}), ("DELETE", None)]:
        resp = partner.request(method, server.url(f"/api/users/{client_user_id}"), json=body, timeout=REQUEST_TIMEOUT)
        assert_problem(resp, 409, "conflict")
    assert assert_json(client.get(server.url("/api/auth/me"), timeout=REQUEST_TIMEOUT), 200)["user"]["role"] == "owner"


def test_removal_ends_sessions_and_frees_the_email(server):
    session, created = staff_member(server, "sales")
    resp = server.delete(f"/api/users/{created['id']}")
    assert assert_json(resp, 200) == {"message": "User removed successfully."}
    assert_problem(session.get(server.url("/api/auth/me"), timeout=REQUEST_TIMEOUT), 401, "unauthenticated")
    assert_problem(server.get(f"/api/users/{created['id']}"), 404, "not-found")
    assert_problem(sign_in(server, created["email"]), 401, "invalid-credentials")
    again = invite_staff(server, "viewer", email=created["email"])
    assert again["id"] != created["id"]


# --------------------------------------------------------------------------------------------
# The role check on every route
# --------------------------------------------------------------------------------------------

def server_routes():
    return json.loads(run_cli(["routes"]).stdout)


def test_every_workspace_route_names_a_permission():
    routes = server_routes()
    signed_in = {(r["method"], r["path"]) for r in routes if r["access"] == "signed-in"}
    assert signed_in == OWN_ACCOUNT_ROUTES
    for r in routes:
        if r["path"].startswith("/api/clients"):
            assert r["access"] == "platform-admin", r
    assert {r["access"] for r in routes} >= {"public", "platform-admin", "customers.read", "users.manage"}


@pytest.fixture(scope="module")
def one_of_each_role(server):
    return {role: staff_member(server, role)[0] for role in ROLES}


def test_the_pipeline_applies_the_role_table_to_every_route(server, one_of_each_role):
    table = assert_json(server.get("/api/roles"), 200)
    assert [r["name"] for r in table["data"]] == ROLES
    allowed = {r["name"]: set(r["permissions"]) for r in table["data"]}
    known = {p["name"] for p in table["permissions"]}
    assert allowed["owner"] == known and allowed["viewer"] == {"customers.read", "orders.read", "loyalty.read"}
    assert allowed["sales"] == {"customers.read", "customers.write", "customers.delete", "orders.read",
                                "orders.write", "loyalty.read"}
    assert allowed["support"] == {"customers.read", "customers.write", "orders.read", "loyalty.read",
                                  "loyalty.adjust"}
    checked = 0
    for route in server_routes():
        permission = route["access"]
        if permission not in known:
            continue
        # A made-up id: a caller with the permission reaches the handler (404 or 422), one without
        # is stopped before it (403), so nothing changes either way.
        path = route["path"].replace("{id}", "987654321")
        for role, session in one_of_each_role.items():
            resp = session.request(route["method"], server.url(path), json={}, timeout=REQUEST_TIMEOUT)
            if permission in allowed[role]:
                assert resp.status_code != 403, (role, route, resp.text)
            else:
                assert_problem(resp, 403, "forbidden")
                assert role in resp.json()["detail"] and permission in resp.json()["detail"]
            checked += 1
    assert checked >= 6 * 12
