"""Links in invitations and credentials (issue 12, finding 8): they come from --public-url, or
else from the request's Host only when that host is allowed (--allowed-hosts, and the address the
server listens on). A request naming another Host builds no link: it is refused (400) and changes
nothing, so `Host: evil.example` cannot send a user to evil.example."""

import requests

from conftest import (
    REQUEST_TIMEOUT, assert_json, assert_problem, create_customer, invite_staff, unique_suffix,
)

EVIL = {"Host": "evil.example"}


def invite_body():
    return {"email": f"link.{unique_suffix()}@team.example", "name": "Link Person", "role": "viewer"}


def client_body():
    return {"company_name": f"Link Co {unique_suffix()}", "contact_email": f"c.{unique_suffix()}@store.example"}


def user_emails(server):
    return {u["email"] for u in assert_json(server.get("/api/users?limit=200"), 200)["data"]}


def client_count(server):
    return len(assert_json(server.get("/api/clients?limit=200"), 200)["data"])


def test_links_use_the_listen_address(server):
    created = invite_staff(server, "viewer")
    assert created["invitation"]["url"].startswith(f"{server.base_url}/invitation#token=")
    client = assert_json(server.post("/api/clients", json=client_body()), 201)
    assert client["credentials"]["login_url"] == f"{server.base_url}/login"
    localhost = server.post("/api/users", json=invite_body(), headers={"Host": f"localhost:{server.port}"})
    assert assert_json(localhost, 201)["invitation"]["url"].startswith(f"http://localhost:{server.port}/")


def test_another_host_builds_no_link_and_changes_nothing(server):
    body = invite_body()
    problem = assert_problem(server.post("/api/users", json=body, headers=EVIL), 400, "bad-request", "Host")
    assert "--public-url" in problem["detail"] and "evil.example" not in problem.get("detail", "")
    assert body["email"] not in user_emails(server)

    clients = client_count(server)
    assert_problem(server.post("/api/clients", json=client_body(), headers=EVIL), 400, "bad-request")
    assert client_count(server) == clients
    client = assert_json(server.post("/api/clients", json=client_body()), 201)
    assert_problem(server.post(f"/api/clients/{client['id']}/reset-password", headers=EVIL), 400, "bad-request")
    # The refused reset changed nothing: the first password still signs in.
    login = requests.post(server.url("/api/auth/client-login"), timeout=REQUEST_TIMEOUT,
                          json={"username": client["credentials"]["username"],
                                "password": client["credentials"]["password"]})
    assert_json(login, 200)


def test_a_refused_new_invitation_leaves_the_old_one_working(server):
    created = invite_staff(server, "viewer")
    assert_problem(server.post(f"/api/users/{created['id']}/invitation", headers=EVIL), 400, "bad-request")
    accepted = requests.post(server.url("/api/auth/accept-invitation"), timeout=REQUEST_TIMEOUT,
                             json={"token": created["invitation"]["token"], "password": "staff-password-1"})
    assert_json(accepted, 200)


def test_a_refused_portal_invitation_leaves_the_old_one_working(server):
    customer = create_customer(server)
    first = assert_json(server.post(f"/api/customers/{customer['id']}/portal-invitation"), 200)
    assert first["url"].startswith(f"{server.base_url}/portal/default/invitation#token=")
    assert_problem(server.post(f"/api/customers/{customer['id']}/portal-invitation", headers=EVIL),
                   400, "bad-request")
    accepted = requests.post(server.url("/api/portal/default/accept-invitation"), timeout=REQUEST_TIMEOUT,
                             json={"token": first["token"], "password": "portal-password-1",
                                   "password_confirmation": "portal-password-1"})
    assert accepted.status_code in (200, 201), accepted.text[:300]


def test_allowed_hosts_and_public_url(server_factory):
    allowed = server_factory({"CLIENTELE_ALLOWED_HOSTS": "crm.example.com,admin.example.org:8443"})
    for host, origin in [("crm.example.com", "http://crm.example.com"),
                         ("CRM.example.com:9000", "http://CRM.example.com:9000"),
                         ("admin.example.org:8443", "http://admin.example.org:8443")]:
        created = assert_json(allowed.post("/api/users", json=invite_body(), headers={"Host": host}), 201)
        assert created["invitation"]["url"].startswith(origin + "/invitation#token="), (host, created)
    for host in ["admin.example.org", "admin.example.org:9443", "crm.example.com.evil.example", "evil.example"]:
        assert_problem(allowed.post("/api/users", json=invite_body(), headers={"Host": host}), 400, "bad-request")
    # The listen address stays allowed beside the list.
    assert invite_staff(allowed, "viewer")["invitation"]["url"].startswith(allowed.base_url)

    public = server_factory({"CLIENTELE_PUBLIC_URL": "https://crm.example.com"})
    created = assert_json(public.post("/api/users", json=invite_body(), headers=EVIL), 201)
    assert created["invitation"]["url"].startswith("https://crm.example.com/invitation#token=")
