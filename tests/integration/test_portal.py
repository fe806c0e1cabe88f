"""The customer portal of a workspace (seed 000): self-registration and sign-in, one's own profile
and password, the password policy (NIST SP 800-63B), and the login rule both ways: customers
created from the admin cannot sign in until the admin invites them."""

import requests

from conftest import REQUEST_TIMEOUT, assert_json, assert_problem, unique_suffix

PASSWORD = "a fine portal passphrase"


def portal(server, workspace="default"):
    return f"/api/portal/{workspace}"


def register(server, workspace="default", **fields):
    session = requests.Session()
    body = {"name": "Pat Portal", "email": f"pat.{unique_suffix()}@mail.example", "password": PASSWORD,
            "password_confirmation": PASSWORD}
    body.update(fields)
    resp = session.post(server.url(f"{portal(server, workspace)}/register"), json=body, timeout=REQUEST_TIMEOUT)
    return session, resp


def portal_login(server, email, password=PASSWORD, workspace="default"):
    session = requests.Session()
    resp = session.post(server.url(f"{portal(server, workspace)}/login"),
                        json={"email": email, "password": password}, timeout=REQUEST_TIMEOUT)
    if resp.status_code == 200:
        session.headers["X-CSRF-Token"] = resp.json()["csrf_token"]
    return session, resp


def test_register_signs_in_and_the_admin_sees_it(server):
    email = f"Reg.{unique_suffix()}@Mail.example"
    session, resp = register(server, name="Rita Register", email=email)
    body = assert_json(resp, 201)
    cookie = resp.headers["Set-Cookie"]
    assert cookie.startswith("clientele_portal=") and "Path=/api/portal/default" in cookie and "HttpOnly" in cookie
    me = body["customer"]
    assert me["name"] == "Rita Register" and me["email"] == email.lower() and body["csrf_token"]
    assert "notes" not in me and "tags" not in me and "responsible" not in me  # the business's own fields
    got = assert_json(session.get(server.url(f"{portal(server)}/me"), timeout=REQUEST_TIMEOUT), 200)
    assert got["customer"]["id"] == me["id"] and got["customer"]["portal_last_login"]
    # The admin sees a self-registered customer with portal access.
    record = assert_json(server.get(f"/api/customers/{me['id']}"), 200)
    assert record["portal_access"] is True and record["registered_via"] == "portal"
    assert record["portal_last_login"] == got["customer"]["portal_last_login"]
    with_access = assert_json(server.get("/api/customers", params={"portal_access": "true", "email": email.lower()}),
                              200)["data"]
    assert [c["id"] for c in with_access] == [me["id"]]
    # Sign out, and in again with the password.
    session.headers["X-CSRF-Token"] = body["csrf_token"]
    out = session.post(server.url(f"{portal(server)}/logout"), timeout=REQUEST_TIMEOUT)
    assert out.status_code == 204 and "Max-Age=0" in out.headers["Set-Cookie"]
    assert_problem(session.get(server.url(f"{portal(server)}/me"), timeout=REQUEST_TIMEOUT), 401, "unauthenticated")
    again, resp = portal_login(server, email.upper())
    assert assert_json(resp, 200)["customer"]["id"] == me["id"]


def test_registration_rules(server):
    cases = [
        ({"name": None}, "name"),
        ({"email": "not-an-email"}, "email"),
        ({"password": "short", "password_confirmation": "short"}, "password"),
        ({"password": "password1", "password_confirmation": "password1"}, "password"),  # common
        ({"password_confirmation": "something else entirely"}, "password_confirmation"),
        ({"password_confirmation": None}, "password_confirmation"),
        ({"tags": []}, "tags"),
    ]
    for fields, field in cases:
        body = {"name": "X", "email": f"x.{unique_suffix()}@mail.example", "password": PASSWORD,
                "password_confirmation": PASSWORD}
        body.update(fields)
        body = {k: v for k, v in body.items() if v is not None}
        assert_problem(server.anon("POST", f"{portal(server)}/register", json=body), 422, "validation-failed",
                       field=field)
    # The e-mail is unique among the workspace's customers, in any case.
    _, first = register(server, email=f"dup.{unique_suffix()}@mail.example")
    email = assert_json(first, 201)["customer"]["email"]
    _, second = register(server, email=email.upper())
    assert_problem(second, 409, "conflict", field="email")
    assert_problem(server.anon("POST", "/api/portal/no-such-shop/register",
                               json={"name": "X", "email": "x@mail.example", "password": PASSWORD,
                                     "password_confirmation": PASSWORD}), 404, "not-found")


def test_admin_created_customers_cannot_sign_in_until_invited(server):
    email = f"admin.made.{unique_suffix()}@mail.example"
    created = assert_json(server.post("/api/customers", json={"name": "Adam Admin-Made", "email": email}), 201)
    assert created["portal_access"] is False and created["registered_via"] == "admin"
    # Not by signing in (looks like an unknown e-mail)...
    _, resp = portal_login(server, email, "any password at all")
    assert_problem(resp, 401, "invalid-credentials")
    # ...nor by registering their e-mail (that would hand their record to whoever knows it).
    _, resp = register(server, email=email)
    assert_problem(resp, 409, "conflict", field="email")
    # The admin invites them: a one-time link, shown to the admin until messaging sends it.
    link = assert_json(server.post(f"/api/customers/{created['id']}/portal-invitation"), 200)
    assert link["url"].endswith(f"/portal/default/invitation#token={link['token']}") and link["expires_at"]
    accept = server.anon("POST", f"{portal(server)}/accept-invitation",
                         json={"token": link["token"], "password": PASSWORD, "password_confirmation": PASSWORD})
    body = assert_json(accept, 200)
    assert body["customer"]["id"] == created["id"] and "clientele_portal=" in accept.headers["Set-Cookie"]
    _, resp = portal_login(server, email)
    assert assert_json(resp, 200)["customer"]["id"] == created["id"]
    record = assert_json(server.get(f"/api/customers/{created['id']}"), 200)
    assert record["portal_access"] is True and record["registered_via"] == "admin"
    # The link is used up; a second invitation is refused while access stands.
    assert_problem(server.anon("POST", f"{portal(server)}/accept-invitation",
                               json={"token": link["token"], "password": PASSWORD,
                                     "password_confirmation": PASSWORD}), 404, "not-found")
    assert_problem(server.post(f"/api/customers/{created['id']}/portal-invitation"), 409, "conflict")
    # Revoking ends the sessions and the sign-in.
    session, resp = portal_login(server, email)
    assert_json(resp, 200)
    assert assert_json(server.delete(f"/api/customers/{created['id']}/portal-access"), 200)["message"]
    assert_problem(session.get(server.url(f"{portal(server)}/me"), timeout=REQUEST_TIMEOUT), 401, "unauthenticated")
    _, resp = portal_login(server, email)
    assert_problem(resp, 401, "invalid-credentials")


def test_invitation_needs_an_email_and_a_live_customer(server):
    nameless = assert_json(server.post("/api/customers", json={"name": "No Mail"}), 201)
    assert_problem(server.post(f"/api/customers/{nameless['id']}/portal-invitation"), 409, "conflict")
    assert_problem(server.post("/api/customers/999999/portal-invitation"), 404, "not-found")


def test_profile_and_password(server):
    session, resp = register(server)
    body = assert_json(resp, 201)
    session.headers["X-CSRF-Token"] = body["csrf_token"]
    me = f"{portal(server)}/me"
    changed = assert_json(session.patch(server.url(me), json={"phone": "+1 201 555 0123", "address": {
        "city": "Chicago", "state": "IL", "country": "US"}}, timeout=REQUEST_TIMEOUT), 200)
    assert changed["message"] == "Profile updated successfully."
    assert changed["customer"]["phone"] == "+1 201 555 0123" and changed["customer"]["address"]["state"] == "IL"
    # What the business keeps about a customer is not the customer's to change.
    for field, value in [("notes", "VIP!"), ("tag_ids", []), ("responsible_id", 1), ("account_type", "company")]:
        assert_problem(session.patch(server.url(me), json={field: value}, timeout=REQUEST_TIMEOUT), 422,
                       "validation-failed", field=field)
    assert_problem(session.patch(server.url(me), json={"email": "nope"}, timeout=REQUEST_TIMEOUT), 422,
                   "validation-failed", field="email")
    # Without the CSRF header a cookie request may not change anything.
    assert_problem(requests.patch(server.url(me), json={"name": "X"}, cookies=session.cookies,
                                  timeout=REQUEST_TIMEOUT), 403, "csrf-failed")

    other, resp = portal_login(server, body["customer"]["email"])
    assert_json(resp, 200)
    url = server.url(f"{portal(server)}/change-password")
    assert_problem(session.post(url, json={"current_password": "wrong one", "new_password": "a newer passphrase",
                                           "new_password_confirmation": "a newer passphrase"},
                                timeout=REQUEST_TIMEOUT), 422, "validation-failed", field="current_password")
    assert_problem(session.post(url, json={"current_password": PASSWORD, "new_password": "iloveyou",
                                           "new_password_confirmation": "iloveyou"}, timeout=REQUEST_TIMEOUT),
                   422, "validation-failed", field="new_password")
    done = session.post(url, json={"current_password": PASSWORD, "new_password": "a newer passphrase",
                                   "new_password_confirmation": "a newer passphrase"}, timeout=REQUEST_TIMEOUT)
    assert assert_json(done, 200) == {"message": "Password changed successfully."}
    # This session stays; the other one ended; the new password works.
    assert_json(session.get(server.url(me), timeout=REQUEST_TIMEOUT), 200)
    assert_problem(other.get(server.url(me), timeout=REQUEST_TIMEOUT), 401, "unauthenticated")
    _, resp = portal_login(server, body["customer"]["email"], "a newer passphrase")
    assert_json(resp, 200)


def test_a_portal_session_is_for_its_own_workspace_only(server):
    created = assert_json(server.post("/api/clients", json={
        "company_name": "Shop Two", "contact_email": f"shop2.{unique_suffix()}@store.example"}), 201)
    other = created["credentials"]["username"]  # a client's workspace slug is its username
    session, resp = register(server, workspace=other)
    mine = assert_json(resp, 201)["customer"]
    assert "Path=/api/portal/" + other in resp.headers["Set-Cookie"]
    # The same cookie sent to another workspace's portal is not a session there.
    assert_problem(requests.get(server.url(f"{portal(server)}/me"),
                                cookies={"clientele_portal": session.cookies.get("clientele_portal")},
                                timeout=REQUEST_TIMEOUT), 401, "unauthenticated")
    # The operator's workspace does not have that customer; the same e-mail may register there too.
    assert_problem(server.get(f"/api/customers/{mine['id']}"), 404, "not-found")
    _, resp = register(server, email=mine["email"])
    assert_json(resp, 201)
    # A portal customer is not staff: the admin API stays closed.
    portal_cookie = {"clientele_portal": session.cookies.get("clientele_portal")}
    assert_problem(requests.get(server.url("/api/customers"), cookies=portal_cookie, timeout=REQUEST_TIMEOUT),
                   401, "unauthenticated")


def test_portal_sign_in_is_throttled(server_factory):
    server = server_factory({"CLIENTELE_LOGIN_FAILURES_BEFORE_LOCK": "2", "CLIENTELE_LOGIN_LOCK_SECONDS": "60"})
    email = f"locked.{unique_suffix()}@mail.example"
    for _ in range(2):
        _, resp = portal_login(server, email, "wrong password")
        assert_problem(resp, 401, "invalid-credentials")
    _, resp = portal_login(server, email, "wrong password")
    assert_problem(resp, 429, "too-many-requests")
    assert int(resp.headers["Retry-After"]) > 0


def test_a_portal_tells_its_business_name_and_an_unknown_one_is_404(server):
    body = assert_json(server.anon("GET", portal(server)), 200)
    assert body == {"workspace": "default", "name": "Default workspace"}
    assert_problem(server.anon("GET", portal(server, "no-such-shop")), 404, "not-found")
