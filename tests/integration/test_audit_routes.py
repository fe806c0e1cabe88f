"""Every change is audited: a walk over every mutating route of the server's own route table.

The routes come from `clientele routes`; each POST, PUT, PATCH and DELETE needs a recipe below, or
its test fails, so a route that any area adds later must come with one. A recipe calls its route
successfully and asserts the entries the call added to the trail: action, entity, entity id, who
acted (kind and id), and the exact changes (or, where the server makes the values, the exact set
of changed fields). Diffs of a record are checked against the record's JSON form as the API
returns it before and after, with the area's rules (bookkeeping left out, sensitive values
masked). Sign-in failures, which are not successful calls, have tests of their own at the end.
"""

from __future__ import annotations

import io
import json

import pytest
import requests
from PIL import Image

from conftest import (ADMIN_EMAIL, REQUEST_TIMEOUT, STAFF_PASSWORD, accept_invitation,
                      assert_json, database, invite_staff, run_cli, staff_member, unique_suffix)

MUTATING = {"POST", "PUT", "PATCH", "DELETE"}
MASK = "•••"
PORTAL = "/api/portal/default"  # the portal of workspace 1, the operator's
PORTAL_PASSWORD = "a fine portal passphrase"
NEW_PASSWORD = "another staff password 2"

# The areas' rules for what a diff leaves out and masks (server/src/*/service.cpp).
CUSTOMER_POLICY = ({"id", "version", "created_at", "updated_at", "loyalty_points", "avatar",
                    "portal_last_login", "purchase_history", "loyalty_tier", "order_count",
                    "lifetime_value", "average_order_value", "refunded_amount", "first_order_at",
                    "last_order_at"}, {"tax_id", "birthdate", "notes"})
USER_POLICY = ({"id", "version", "created_at", "updated_at", "last_login", "invitation"}, set())
CLIENT_POLICY = ({"id", "version", "created_at", "updated_at", "last_login", "credentials"}, set())
JOB_POLICY = ({"id", "created_at", "updated_at"}, set())
PROGRAM_POLICY = ({"version", "updated_at"}, set())


def server_routes():
    return json.loads(run_cli(["routes"]).stdout)


def mutating_routes():
    return sorted((r["method"], r["path"]) for r in server_routes() if r["method"] in MUTATING)


def diff(before: dict, after: dict, policy, prefix: str = "") -> dict:
    """What the server's audit::diff makes of two JSON forms of a record."""
    ignored, masked = policy
    out = {}
    for key in list(before) + [k for k in after if k not in before]:
        name = prefix + key
        old, new = before.get(key), after.get(key)
        if name in ignored or (old == new and type(old) is type(new)):
            continue
        if isinstance(old, (dict, type(None))) and isinstance(new, (dict, type(None))):
            out.update(diff(old or {}, new or {}, policy, name + "."))
            continue
        hide = name in masked
        out[name] = {"from": MASK if hide and old is not None else old,
                     "to": MASK if hide and new is not None else new}
    return out


# ------------------------------------------------------------------------------------------------
# Reading the trail

class Log:
    """One workspace's audit log, read by `session` (an owner's or admin's)."""

    def __init__(self, srv, session):
        self.srv, self.session = srv, session
        self.mark = self.newest()

    def read(self) -> list[dict]:
        resp = self.session.get(self.srv.url("/api/audit-events"), params={"limit": 200},
                                timeout=REQUEST_TIMEOUT)
        return assert_json(resp, 200)["data"]

    def newest(self) -> int:
        entries = self.read()
        return entries[0]["id"] if entries else 0

    def since(self) -> list[dict]:
        """The entries added since this Log was made (or last checked), oldest first."""
        entries = [e for e in reversed(self.read()) if e["id"] > self.mark]
        if entries:
            self.mark = entries[-1]["id"]
        return entries

    def expect(self, *expected):
        """Asserts the new entries: each (action, entity, entity_id, (actor kind, actor id),
        changes), where changes is a dict (exact) or a set (the exact changed fields)."""
        entries = self.since()
        got = [(e["action"], e["entity"], e["entity_id"], (e["actor"]["kind"], e["actor"]["id"]))
               for e in entries]
        want = [tuple(x[:4]) for x in expected]
        assert got == want, f"entries {json.dumps(entries, indent=1)}"
        for entry, x in zip(entries, expected):
            changes = x[4]
            if isinstance(changes, set):
                assert set(entry["changes"]) == changes, entry
            else:
                assert entry["changes"] == changes, entry
            # Every request's entry tells where it came from (the command line's: nothing).
            if entry["actor"]["kind"] != "system":
                assert entry["request_id"] and entry["address"] == "127.0.0.1", entry
        return entries


# ------------------------------------------------------------------------------------------------
# Who acts

@pytest.fixture(scope="module")
def server(module_server_factory):
    # No job workers: the jobs a recipe queues stay as it left them.
    return module_server_factory({"CLIENTELE_JOB_WORKERS": "0"})


class World:
    def __init__(self, srv):
        self.srv = srv
        tokens = assert_json(srv.get("/api/tokens"), 200)["data"]
        (token,) = [t for t in tokens if t["name"] == "tests" and t["user_email"] == ADMIN_EMAIL]
        self.operator = ("api_token", token["id"])  # the tests' bearer token acts

    def log(self, session=None) -> Log:
        return Log(self.srv, session or self.srv.session)

    def client(self):
        """A new client, signed in with its own login: (session, client, its actor)."""
        created = assert_json(self.srv.post("/api/clients", json={
            "company_name": f"Walk {unique_suffix()} Ltd",
            "contact_email": f"walk.{unique_suffix()}@shop.example"}), 201)
        session = requests.Session()
        login = assert_json(session.post(self.srv.url("/api/auth/client-login"), json={
            "username": created["credentials"]["username"],
            "password": created["credentials"]["password"]}, timeout=REQUEST_TIMEOUT), 200)
        session.headers["X-CSRF-Token"] = login["csrf_token"]
        return session, created, ("client", login["user"]["id"])

    def customer(self, **fields) -> dict:
        body = {"name": f"Walk Customer {unique_suffix()}",
                "email": f"walk.{unique_suffix()}@mail.example", **fields}
        return assert_json(self.srv.post("/api/customers", json=body), 201)

    def admin_view(self, customer_id: int) -> dict:
        return assert_json(self.srv.get(f"/api/customers/{customer_id}"), 200)

    def portal_customer(self):
        """A customer who registered on the portal: (session, customer as the admin sees it)."""
        session = requests.Session()
        email = f"portal.{unique_suffix()}@mail.example"
        body = assert_json(session.post(self.srv.url(f"{PORTAL}/register"), json={
            "name": "Pat Portal", "email": email, "password": PORTAL_PASSWORD,
            "password_confirmation": PORTAL_PASSWORD}, timeout=REQUEST_TIMEOUT), 201)
        session.headers["X-CSRF-Token"] = body["csrf_token"]
        return session, self.admin_view(body["customer"]["id"])

    def user(self, user_id: int) -> dict:
        return assert_json(self.srv.get(f"/api/users/{user_id}"), 200)

    def job(self, job_id: int) -> dict:
        return assert_json(self.srv.get(f"/api/jobs/{job_id}"), 200)

    def export(self) -> dict:
        return assert_json(self.srv.post("/api/customers/exports", json={"format": "csv"}), 202)


@pytest.fixture(scope="module")
def world(server):
    return World(server)


# ------------------------------------------------------------------------------------------------
# The recipes, one per mutating route

RECIPES = {}


def recipe(method: str, path: str):
    def register(fn):
        assert (method, path) not in RECIPES, f"two recipes for {method} {path}"
        RECIPES[(method, path)] = fn
        return fn
    return register


def png(size=8) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (size, size), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


# -- sign-in, sign-out, passwords, tokens -------------------------------------------------------

@recipe("POST", "/api/auth/login")
def staff_sign_in(w: World):
    _, user = staff_member(w.srv, "sales")
    log = w.log()
    assert_json(requests.post(w.srv.url("/api/auth/login"), json={
        "email": user["email"], "password": STAFF_PASSWORD}, timeout=REQUEST_TIMEOUT), 200)
    log.expect(("auth.sign_in", "user", user["id"], ("user", user["id"]), {}))


@recipe("POST", "/api/auth/client-login")
def client_sign_in(w: World):
    session, created, actor = w.client()
    log = w.log(session)
    assert_json(requests.post(w.srv.url("/api/auth/client-login"), json={
        "username": created["credentials"]["username"],
        "password": created["credentials"]["password"]}, timeout=REQUEST_TIMEOUT), 200)
    # In the client's own workspace, made by its login.
    log.expect(("auth.sign_in", "user", actor[1], actor, {}))


@recipe("POST", "/api/auth/logout")
def staff_sign_out(w: World):
    session, user = staff_member(w.srv, "viewer")
    log = w.log()
    assert session.post(w.srv.url("/api/auth/logout"), timeout=REQUEST_TIMEOUT).status_code == 204
    log.expect(("auth.sign_out", "user", user["id"], ("user", user["id"]), {}))


@recipe("POST", "/api/auth/change-password")
def staff_password_change(w: World):
    session, user = staff_member(w.srv, "viewer")
    log = w.log()
    assert_json(session.post(w.srv.url("/api/auth/change-password"), json={
        "current_password": STAFF_PASSWORD, "new_password": NEW_PASSWORD},
        timeout=REQUEST_TIMEOUT), 200)
    log.expect(("user.password_changed", "user", user["id"], ("user", user["id"]), {}))


@recipe("DELETE", "/api/tokens/{id}")
def token_revocation(w: World):
    log = w.log()
    name = f"walk {unique_suffix()}"
    token = run_cli(["token", "create", "--db", w.srv.db_path, "--email", ADMIN_EMAIL,
                     "--name", name], w.srv.extra_env).stdout.split()[-1]
    listed = assert_json(w.srv.get("/api/tokens", params={"q": name}), 200)["data"]
    (made,) = [t for t in listed if t["name"] == name]
    # Made by the command line: the system acts; the token itself is never in the trail.
    (created,) = log.expect(("token.created", "token", made["id"], ("system", None), {
        "name": {"from": None, "to": name}, "prefix": {"from": None, "to": made["prefix"]},
        "user_id": {"from": None, "to": made["user_id"]}}))
    assert token not in json.dumps(created) and created["request_id"] is None

    assert w.srv.delete(f"/api/tokens/{made['id']}").status_code == 204
    (revoked,) = log.expect(("token.revoked", "token", made["id"], w.operator, {"revoked_at"}))
    assert revoked["changes"]["revoked_at"]["from"] is None


# -- clients (the operator's actions, in the operator's workspace) ------------------------------

@recipe("POST", "/api/clients")
def client_creation(w: World):
    log = w.log()
    created = assert_json(w.srv.post("/api/clients", json={
        "company_name": "Walk Create Ltd", "contact_email": f"wc.{unique_suffix()}@shop.example",
        "business_type": "retail"}), 201)
    (entry,) = log.expect(("client.created", "client", created["id"], w.operator,
                           diff({}, created, CLIENT_POLICY)))
    assert entry["changes"]["company_name"] == {"from": None, "to": "Walk Create Ltd"}
    assert created["credentials"]["password"] not in json.dumps(entry)


@recipe("PUT", "/api/clients/credentials-template")
def credentials_template_change(w: World):
    before = assert_json(w.srv.get("/api/clients/credentials-template"), 200)["template"]
    text = f"Hello {{{{company_name}}}}: {{{{username}}}} / {{{{password}}}} ({unique_suffix()})"
    log = w.log()
    assert_json(w.srv.put("/api/clients/credentials-template", json={"template": text}), 200)
    log.expect(("platform_setting.updated", "platform_setting", None, w.operator,
                {"credentials_template": {"from": before, "to": text}}))


@recipe("PUT", "/api/clients/{id}")
def client_update(w: World):
    _, created, _ = w.client()
    before = assert_json(w.srv.get(f"/api/clients/{created['id']}"), 200)
    log = w.log()
    body = {"company_name": "Walk Renamed Ltd", "contact_email": created["contact_email"],
            "contact_person_name": "Ann Owner"}
    after = assert_json(w.srv.put(f"/api/clients/{created['id']}", json=body), 200)["client"]
    log.expect(("client.updated", "client", created["id"], w.operator, {
        "company_name": {"from": before["company_name"], "to": "Walk Renamed Ltd"},
        "contact_person_name": {"from": None, "to": "Ann Owner"}}))
    assert diff(before, after, CLIENT_POLICY).keys() == {"company_name", "contact_person_name"}


@recipe("POST", "/api/clients/{id}/reset-password")
def client_password_reset(w: World):
    _, created, _ = w.client()
    log = w.log()
    reset = assert_json(w.srv.post(f"/api/clients/{created['id']}/reset-password"), 200)
    (entry,) = log.expect(("client.password_reset", "client", created["id"], w.operator, {}))
    assert reset["credentials"]["password"] not in json.dumps(entry)


@recipe("POST", "/api/clients/{id}/toggle-status")
def client_status(w: World):
    _, created, _ = w.client()
    log = w.log()
    assert_json(w.srv.post(f"/api/clients/{created['id']}/toggle-status"), 200)
    assert_json(w.srv.post(f"/api/clients/{created['id']}/toggle-status"), 200)
    log.expect(("client.deactivated", "client", created["id"], w.operator,
                {"is_active": {"from": True, "to": False}}),
               ("client.activated", "client", created["id"], w.operator,
                {"is_active": {"from": False, "to": True}}))


# -- customers, contacts, lists, addresses, avatars ---------------------------------------------

@recipe("POST", "/api/customers/exports")
def export_start(w: World):
    log = w.log()
    job = w.export()
    log.expect(("job.queued", "job", job["id"], w.operator,
                {"kind": {"from": None, "to": job["kind"]}, "state": {"from": None, "to": "queued"}}))


@recipe("POST", "/api/customers")
def customer_creation(w: World):
    log = w.log()
    c = w.customer(tax_id="NO123", notes="private")
    (entry,) = log.expect(("customer.created", "customer", c["id"], w.operator,
                           diff({}, w.admin_view(c["id"]), CUSTOMER_POLICY)))
    assert entry["changes"]["tax_id"] == {"from": None, "to": MASK}


@recipe("PUT", "/api/customers/{id}")
def customer_replacement(w: World):
    c = w.customer(job_title="Buyer", phone="+12015550123")
    before = w.admin_view(c["id"])
    log = w.log()
    assert_json(w.srv.put(f"/api/customers/{c['id']}", json={"name": "Walk Replaced",
                                                               "email": c["email"]}), 200)
    (entry,) = log.expect(("customer.updated", "customer", c["id"], w.operator,
                           diff(before, w.admin_view(c["id"]), CUSTOMER_POLICY)))
    assert entry["changes"]["name"] == {"from": c["name"], "to": "Walk Replaced"}


@recipe("PATCH", "/api/customers/{id}")
def customer_patch(w: World):
    c = w.customer()
    log = w.log()
    assert_json(w.srv.patch(f"/api/customers/{c['id']}", json={"job_title": "CEO"}), 200)
    log.expect(("customer.updated", "customer", c["id"], w.operator,
                {"job_title": {"from": None, "to": "CEO"}}))


@recipe("DELETE", "/api/customers/{id}")
def customer_archival(w: World):
    c = w.customer()
    log = w.log()
    assert_json(w.srv.delete(f"/api/customers/{c['id']}"), 200)
    (entry,) = log.expect(("customer.archived", "customer", c["id"], w.operator, {"deleted_at"}))
    assert entry["changes"]["deleted_at"]["from"] is None and entry["changes"]["deleted_at"]["to"]


@recipe("POST", "/api/customers/{id}/restore")
def customer_restoration(w: World):
    c = w.customer()
    assert_json(w.srv.delete(f"/api/customers/{c['id']}"), 200)
    log = w.log()
    assert_json(w.srv.post(f"/api/customers/{c['id']}/restore"), 200)
    (entry,) = log.expect(("customer.restored", "customer", c["id"], w.operator, {"deleted_at"}))
    assert entry["changes"]["deleted_at"]["from"] and entry["changes"]["deleted_at"]["to"] is None


def company_with_contact(w: World):
    company = w.customer(account_type="company")
    contact = assert_json(w.srv.post(f"/api/customers/{company['id']}/contacts",
                                     json={"name": "Walk Contact"}), 201)
    return company, contact


@recipe("POST", "/api/customers/{id}/contacts")
def contact_creation(w: World):
    company = w.customer(account_type="company")
    log = w.log()
    contact = assert_json(w.srv.post(f"/api/customers/{company['id']}/contacts",
                                     json={"name": "Walk Contact", "job_title": "Buyer"}), 201)
    (entry,) = log.expect(("customer.created", "customer", contact["id"], w.operator,
                           diff({}, w.admin_view(contact["id"]), CUSTOMER_POLICY)))
    assert entry["changes"]["company.id"] == {"from": None, "to": company["id"]}


@recipe("PUT", "/api/customers/{id}/contacts/{contact_id}")
def contact_replacement(w: World):
    company, contact = company_with_contact(w)
    log = w.log()
    assert_json(w.srv.put(f"/api/customers/{company['id']}/contacts/{contact['id']}",
                          json={"name": "Walk Contact Renamed"}), 200)
    log.expect(("customer.updated", "customer", contact["id"], w.operator,
                {"name": {"from": "Walk Contact", "to": "Walk Contact Renamed"}}))


@recipe("PATCH", "/api/customers/{id}/contacts/{contact_id}")
def contact_patch(w: World):
    company, contact = company_with_contact(w)
    log = w.log()
    assert_json(w.srv.patch(f"/api/customers/{company['id']}/contacts/{contact['id']}",
                            json={"job_title": "Controller"}), 200)
    log.expect(("customer.updated", "customer", contact["id"], w.operator,
                {"job_title": {"from": None, "to": "Controller"}}))


@recipe("DELETE", "/api/customers/{id}/contacts/{contact_id}")
def contact_removal(w: World):
    company, contact = company_with_contact(w)
    log = w.log()
    assert_json(w.srv.delete(f"/api/customers/{company['id']}/contacts/{contact['id']}"), 200)
    log.expect(("customer.archived", "customer", contact["id"], w.operator, {"deleted_at"}))


LISTS = {"customer-titles": ("title", {"name": "Walk Title", "short_name": "Wt."},
                             {"short_name": "W."}),
         "industries": ("industry", {"name": "Walk Industry", "full_name": "Walking"},
                        {"full_name": "Walking far"}),
         "tags": ("tag", {"name": "Walk Tag", "color": "#112233"}, {"color": "#445566"})}


def list_recipes(resource: str):
    noun, create_body, patch_body = LISTS[resource]

    def make(w: World):
        body = {**create_body, "name": f"{create_body['name']} {unique_suffix()}"}
        return assert_json(w.srv.post(f"/api/{resource}", json=body), 201)

    @recipe("POST", f"/api/{resource}")
    def creation(w: World):
        log = w.log()
        made = make(w)
        log.expect((f"{noun}.created", noun, made["id"], w.operator,
                    diff({}, made, ({"id"}, set()))))

    @recipe("PATCH", f"/api/{resource}/{{id}}")
    def change(w: World):
        made = make(w)
        log = w.log()
        assert_json(w.srv.patch(f"/api/{resource}/{made['id']}", json=patch_body), 200)
        (field, value), = patch_body.items()
        log.expect((f"{noun}.updated", noun, made["id"], w.operator,
                    {field: {"from": made[field], "to": value}}))

    @recipe("DELETE", f"/api/{resource}/{{id}}")
    def removal(w: World):
        made = make(w)
        log = w.log()
        assert w.srv.delete(f"/api/{resource}/{made['id']}").status_code == 204
        log.expect((f"{noun}.deleted", noun, made["id"], w.operator,
                    diff(made, {}, ({"id"}, set()))))


for _resource in LISTS:
    list_recipes(_resource)

ADDRESS_BOOKKEEPING = {"id", "version", "created_at", "updated_at"}
ADDRESS = {"type": "delivery", "street": "1 Walk St", "city": "Oslo", "country": "NO"}


@recipe("POST", "/api/customers/{id}/addresses")
def address_addition(w: World):
    c = w.customer()
    log = w.log()
    a = assert_json(w.srv.post(f"/api/customers/{c['id']}/addresses", json=ADDRESS), 201)
    (entry,) = log.expect(("customer.address_added", "customer", c["id"], w.operator,
                           {f"addresses.{a['id']}.{k}" for k, v in a.items()
                            if k not in ADDRESS_BOOKKEEPING and v is not None}))
    assert entry["changes"][f"addresses.{a['id']}.street"] == {"from": None, "to": "1 Walk St"}


@recipe("PUT", "/api/customers/{id}/addresses/{address_id}")
def address_replacement(w: World):
    c = w.customer()
    a = assert_json(w.srv.post(f"/api/customers/{c['id']}/addresses", json=ADDRESS), 201)
    log = w.log()
    assert_json(w.srv.put(f"/api/customers/{c['id']}/addresses/{a['id']}",
                          json={**ADDRESS, "city": "Bergen"}), 200)
    log.expect(("customer.address_updated", "customer", c["id"], w.operator,
                {f"addresses.{a['id']}.city": {"from": "Oslo", "to": "Bergen"}}))


@recipe("DELETE", "/api/customers/{id}/addresses/{address_id}")
def address_removal(w: World):
    c = w.customer()
    a = assert_json(w.srv.post(f"/api/customers/{c['id']}/addresses", json=ADDRESS), 201)
    log = w.log()
    assert_json(w.srv.delete(f"/api/customers/{c['id']}/addresses/{a['id']}"), 200)
    (entry,) = log.expect(("customer.address_removed", "customer", c["id"], w.operator,
                           {f"addresses.{a['id']}.{k}" for k, v in a.items()
                            if k not in ADDRESS_BOOKKEEPING and v is not None}))
    assert entry["changes"][f"addresses.{a['id']}.city"] == {"from": "Oslo", "to": None}


def upload_avatar(w: World, customer_id: int):
    resp = w.srv.put(f"/api/customers/{customer_id}/avatar", data=png(),
                     headers={"Content-Type": "image/png"})
    return assert_json(resp, 200)


@recipe("PUT", "/api/customers/{id}/avatar")
def avatar_upload(w: World):
    c = w.customer()
    log = w.log()
    upload_avatar(w, c["id"])
    log.expect(("customer.avatar_changed", "customer", c["id"], w.operator,
                {"avatar": {"from": None, "to": "image/png, 8x8"}}))


@recipe("DELETE", "/api/customers/{id}/avatar")
def avatar_removal(w: World):
    c = w.customer()
    upload_avatar(w, c["id"])
    log = w.log()
    assert w.srv.delete(f"/api/customers/{c['id']}/avatar").status_code in (200, 204)
    log.expect(("customer.avatar_removed", "customer", c["id"], w.operator,
                {"avatar": {"from": "image/png, 8x8", "to": None}}))


# -- users ----------------------------------------------------------------------------------------

@recipe("POST", "/api/users")
def user_invitation(w: World):
    log = w.log()
    invited = invite_staff(w.srv, "support", name="Walk Invitee")
    (entry,) = log.expect(("user.invited", "user", invited["id"], w.operator,
                           diff({}, w.user(invited["id"]), USER_POLICY)))
    assert entry["changes"]["role"] == {"from": None, "to": "support"}
    assert invited["invitation"]["token"] not in json.dumps(entry)


@recipe("PATCH", "/api/users/{id}")
def user_change(w: World):
    _, user = staff_member(w.srv, "viewer")
    uid = user["id"]
    log = w.log()
    # A role and a name at once: one entry for the role (so a filter finds every role change),
    # one for the rest.
    assert_json(w.srv.patch(f"/api/users/{uid}", json={"role": "sales", "name": "Walk Sales"}), 200)
    log.expect(("user.role_changed", "user", uid, w.operator,
                {"role": {"from": "viewer", "to": "sales"}}),
               ("user.updated", "user", uid, w.operator,
                {"name": {"from": user["name"], "to": "Walk Sales"}}))
    assert_json(w.srv.patch(f"/api/users/{uid}", json={"is_active": False}), 200)
    assert_json(w.srv.patch(f"/api/users/{uid}", json={"is_active": True}), 200)
    log.expect(("user.deactivated", "user", uid, w.operator,
                {"is_active": {"from": True, "to": False},
                 "status": {"from": "active", "to": "deactivated"}}),
               ("user.reactivated", "user", uid, w.operator,
                {"is_active": {"from": False, "to": True},
                 "status": {"from": "deactivated", "to": "active"}}))
    # A change of nothing is still told.
    assert_json(w.srv.patch(f"/api/users/{uid}", json={"name": "Walk Sales"}), 200)
    log.expect(("user.updated", "user", uid, w.operator, {}))


@recipe("DELETE", "/api/users/{id}")
def user_removal(w: World):
    invited = invite_staff(w.srv, "viewer")
    before = w.user(invited["id"])
    log = w.log()
    assert_json(w.srv.delete(f"/api/users/{invited['id']}"), 200)
    log.expect(("user.removed", "user", invited["id"], w.operator, diff(before, {}, USER_POLICY)))


@recipe("POST", "/api/users/{id}/invitation")
def user_new_invitation(w: World):
    invited = invite_staff(w.srv, "viewer")
    log = w.log()
    sent = assert_json(w.srv.post(f"/api/users/{invited['id']}/invitation"), 200)
    (entry,) = log.expect(("user.invitation_sent", "user", invited["id"], w.operator, {}))
    assert sent["invitation"]["token"] not in json.dumps(entry)


@recipe("POST", "/api/auth/accept-invitation")
def user_joining(w: World):
    invited = invite_staff(w.srv, "viewer", name="Walk Joiner")
    log = w.log()
    accept_invitation(w.srv, invited["invitation"]["token"])
    joined = w.user(invited["id"])
    me = ("user", invited["id"])  # the invitee, proven by the link
    log.expect(("user.joined", "user", invited["id"], me, {
        "status": {"from": "invited", "to": "active"},
        "joined_at": {"from": None, "to": joined["joined_at"]}}),
        ("auth.sign_in", "user", invited["id"], me, {}))


# -- the customer portal ------------------------------------------------------------------------

@recipe("POST", "/api/portal/{workspace}/register")
def portal_sign_up(w: World):
    log = w.log()
    _, customer = w.portal_customer()
    me = ("portal_customer", customer["id"])
    (registered, _) = log.expect(
        ("customer.registered", "customer", customer["id"], me,
         diff({}, customer, CUSTOMER_POLICY)),
        ("auth.sign_in", "customer", customer["id"], me, {}))
    assert registered["changes"]["portal_access"] == {"from": None, "to": True}
    assert registered["changes"]["registered_via"] == {"from": None, "to": "portal"}
    assert PORTAL_PASSWORD not in json.dumps(registered)


@recipe("POST", "/api/portal/{workspace}/login")
def portal_sign_in(w: World):
    _, customer = w.portal_customer()
    log = w.log()
    assert_json(requests.post(w.srv.url(f"{PORTAL}/login"), json={
        "email": customer["email"], "password": PORTAL_PASSWORD}, timeout=REQUEST_TIMEOUT), 200)
    log.expect(("auth.sign_in", "customer", customer["id"], ("portal_customer", customer["id"]),
                {}))


def portal_invitation(w: World, customer_id: int) -> dict:
    return assert_json(w.srv.post(f"/api/customers/{customer_id}/portal-invitation"), 200)


@recipe("POST", "/api/portal/{workspace}/accept-invitation")
def portal_joining(w: World):
    c = w.customer()
    link = portal_invitation(w, c["id"])
    log = w.log()
    assert_json(requests.post(w.srv.url(f"{PORTAL}/accept-invitation"), json={
        "token": link["token"], "password": PORTAL_PASSWORD,
        "password_confirmation": PORTAL_PASSWORD}, timeout=REQUEST_TIMEOUT), 200)
    me = ("portal_customer", c["id"])
    log.expect(("customer.portal_joined", "customer", c["id"], me,
                {"portal_access": {"from": False, "to": True}}),
               ("auth.sign_in", "customer", c["id"], me, {}))


@recipe("POST", "/api/portal/{workspace}/logout")
def portal_sign_out(w: World):
    session, customer = w.portal_customer()
    log = w.log()
    assert session.post(w.srv.url(f"{PORTAL}/logout"), timeout=REQUEST_TIMEOUT).status_code == 204
    log.expect(("auth.sign_out", "customer", customer["id"], ("portal_customer", customer["id"]),
                {}))


@recipe("PATCH", "/api/portal/{workspace}/me")
def portal_profile(w: World):
    session, customer = w.portal_customer()
    log = w.log()
    assert_json(session.patch(w.srv.url(f"{PORTAL}/me"), json={"name": "Pat Renamed"},
                              timeout=REQUEST_TIMEOUT), 200)
    log.expect(("customer.updated", "customer", customer["id"],
                ("portal_customer", customer["id"]),
                {"name": {"from": "Pat Portal", "to": "Pat Renamed"}}))


@recipe("POST", "/api/portal/{workspace}/change-password")
def portal_password_change(w: World):
    session, customer = w.portal_customer()
    log = w.log()
    new = "yet another portal passphrase"
    assert_json(session.post(w.srv.url(f"{PORTAL}/change-password"), json={
        "current_password": PORTAL_PASSWORD, "new_password": new,
        "new_password_confirmation": new}, timeout=REQUEST_TIMEOUT), 200)
    log.expect(("customer.password_changed", "customer", customer["id"],
                ("portal_customer", customer["id"]), {}))


@recipe("POST", "/api/customers/{id}/portal-invitation")
def portal_invite(w: World):
    c = w.customer()
    log = w.log()
    link = portal_invitation(w, c["id"])
    (entry,) = log.expect(("customer.portal_invited", "customer", c["id"], w.operator, {
        "invitation_expires_at": {"from": None, "to": link["expires_at"]}}))
    assert link["token"] not in json.dumps(entry)


@recipe("DELETE", "/api/customers/{id}/portal-access")
def portal_access_revocation(w: World):
    _, customer = w.portal_customer()
    log = w.log()
    assert_json(w.srv.delete(f"/api/customers/{customer['id']}/portal-access"), 200)
    log.expect(("customer.portal_access_revoked", "customer", customer["id"], w.operator,
                {"portal_access": {"from": True, "to": False}}))


# -- carts ----------------------------------------------------------------------------------------

CART_POLICY = ({"id", "customer_id", "guest_key", "version", "created_at", "updated_at"}, set())
CART_LINE = {"sku": "WALK-1", "name": "Walking stick", "quantity": 2, "unit_price": 1999}


@recipe("PUT", "/api/customers/{id}/cart")
def cart_update(w: World):
    c = w.customer()
    before = assert_json(w.srv.get(f"/api/customers/{c['id']}/cart"), 200)
    log = w.log()
    after = assert_json(w.srv.put(f"/api/customers/{c['id']}/cart", json={"currency": "EUR",
                                                                          "lines": [CART_LINE]}), 200)
    (entry,) = log.expect(("cart.updated", "customer", c["id"], w.operator, diff(before, after, CART_POLICY)))
    assert entry["changes"]["subtotal"] == {"from": 0, "to": 3998}


@recipe("DELETE", "/api/customers/{id}/cart")
def cart_clearing(w: World):
    c = w.customer()
    before = assert_json(w.srv.put(f"/api/customers/{c['id']}/cart", json={"currency": "EUR",
                                                                           "lines": [CART_LINE]}), 200)
    log = w.log()
    assert w.srv.delete(f"/api/customers/{c['id']}/cart").status_code == 204
    after = assert_json(w.srv.get(f"/api/customers/{c['id']}/cart"), 200)
    (entry,) = log.expect(("cart.cleared", "customer", c["id"], w.operator, diff(before, after, CART_POLICY)))
    assert entry["changes"]["lines"] == {"from": [CART_LINE], "to": []}


@recipe("PUT", "/api/carts/guest/{key}")
def guest_cart_update(w: World):
    key = f"walk-{unique_suffix()}"
    log = w.log()
    after = assert_json(w.srv.put(f"/api/carts/guest/{key}", json={
        "currency": "EUR", "email": "walker@mail.example", "lines": [CART_LINE]}), 200)
    # A guest cart is named by its own id.
    log.expect(("cart.updated", "cart", after["id"], w.operator, {
        "email": {"from": None, "to": "walker@mail.example"}, "currency": {"from": None, "to": "EUR"},
        "lines": {"from": [], "to": [CART_LINE]}, "subtotal": {"from": 0, "to": 3998},
        "item_count": {"from": 0, "to": 2}}))


@recipe("POST", "/api/customers/{id}/cart/merge")
def cart_merge(w: World):
    c = w.customer()
    key = f"walk-{unique_suffix()}"
    assert_json(w.srv.put(f"/api/carts/guest/{key}", json={"currency": "EUR", "lines": [CART_LINE]}), 200)
    before = assert_json(w.srv.get(f"/api/customers/{c['id']}/cart"), 200)
    log = w.log()
    after = assert_json(w.srv.post(f"/api/customers/{c['id']}/cart/merge", json={"guest_key": key}), 200)
    log.expect(("cart.merged", "customer", c["id"], w.operator,
                {**diff(before, after, CART_POLICY), "guest_key": {"from": key, "to": None}}))


# -- loyalty ----------------------------------------------------------------------------------------

@recipe("PUT", "/api/loyalty/program")
def loyalty_program_change(w: World):
    before = assert_json(w.srv.get("/api/loyalty/program"), 200)
    log = w.log()
    after = assert_json(w.srv.put("/api/loyalty/program", json={
        "points_per_unit": 2.5, "expiry_days": 90,
        "tiers": [{"name": f"Walk {unique_suffix()}", "min_spend": 1000, "multiplier": 1.5}]}), 200)
    # The tier run it queues follows from this entry and has none of its own.
    (job,) = assert_json(w.srv.get("/api/jobs", params={"kind": "loyalty.tiers", "limit": 1}), 200)["data"]
    assert job["state"] == "queued"
    (entry,) = log.expect(
        ("loyalty.program_updated", "loyalty_program", None, w.operator, diff(before, after, PROGRAM_POLICY)))
    assert entry["changes"]["points_per_unit"] == {"from": before["points_per_unit"], "to": 2.5}


@recipe("POST", "/api/customers/{id}/loyalty/adjust")
def loyalty_adjustment(w: World):
    c = w.customer()
    log = w.log()
    assert_json(w.srv.post(f"/api/customers/{c['id']}/loyalty/adjust", json={"points": 25, "reason": "Walk"}), 201)
    log.expect(("loyalty.adjusted", "customer", c["id"], w.operator, {"loyalty_points": {"from": 0, "to": 25}}))


@recipe("POST", "/api/customers/{id}/loyalty/redeem")
def loyalty_redemption(w: World):
    c = w.customer()
    assert_json(w.srv.post(f"/api/customers/{c['id']}/loyalty/adjust", json={"points": 50, "reason": "Walk"}), 201)
    log = w.log()
    assert_json(w.srv.post(f"/api/customers/{c['id']}/loyalty/redeem", json={"points": 20}), 201)
    log.expect(("loyalty.redeemed", "customer", c["id"], w.operator, {"loyalty_points": {"from": 50, "to": 30}}))


# -- jobs -------------------------------------------------------------------------------------------

@recipe("POST", "/api/jobs/{id}/retry")
def job_retry(w: World):
    job = w.export()
    database(w.srv, "UPDATE jobs SET state = 'dead', attempts = 5, last_error = 'walk',"
                    f" finished_at = '2024-01-01T00:00:00.000Z' WHERE id = {job['id']}")
    before = w.job(job["id"])
    log = w.log()
    after = assert_json(w.srv.post(f"/api/jobs/{job['id']}/retry"), 200)
    (entry,) = log.expect(("job.retried", "job", job["id"], w.operator,
                           diff(before, after, JOB_POLICY)))
    assert entry["changes"]["state"] == {"from": "dead", "to": "queued"}
    assert entry["changes"]["attempts"] == {"from": 5, "to": 0}


@recipe("POST", "/api/jobs/{id}/cancel")
def job_cancel(w: World):
    job = w.export()
    log = w.log()
    after = assert_json(w.srv.post(f"/api/jobs/{job['id']}/cancel"), 200)
    log.expect(("job.cancelled", "job", job["id"], w.operator, {
        "state": {"from": "queued", "to": "cancelled"},
        "finished_at": {"from": None, "to": after["finished_at"]}}))


# -- orders and the workspace settings ----------------------------------------------------------

ORDER_POLICY = ({"id", "version", "created_at", "updated_at"}, set())


def newest_loyalty_job(w: World) -> int:
    jobs = assert_json(w.srv.get("/api/jobs", params={"kind": "loyalty.order_changed", "limit": 1}), 200)
    return jobs["data"][0]["id"] if jobs["data"] else 0


def loyalty_job_queued_for(w: World, before: int) -> int:
    """A new points job is queued, without an entry of its own: it follows from the order's."""
    newest = newest_loyalty_job(w)
    assert newest > before
    return newest


def order_body(**fields) -> dict:
    return {"number": f"WALK-{unique_suffix()}", "currency": "USD", "status": "pending",
            "placed_at": "2026-05-01T10:00:00Z",
            "lines": [{"sku": "W-1", "name": "Widget", "quantity": 2, "unit_price": 1000}], "total": 2000,
            **fields}


@recipe("POST", "/api/orders")
def order_push(w: World):
    body = order_body(customer_email=w.customer()["email"])
    job = newest_loyalty_job(w)
    log = w.log()
    created = assert_json(w.srv.post("/api/orders", json=body), 201)
    log.expect(("order.created", "order", created["id"], w.operator, diff({}, created, ORDER_POLICY)))
    job = loyalty_job_queued_for(w, job)
    updated = assert_json(w.srv.post("/api/orders", json=dict(body, status="paid")), 200)
    (entry,) = log.expect(
        ("order.updated", "order", created["id"], w.operator, diff(created, updated, ORDER_POLICY)))
    loyalty_job_queued_for(w, job)
    assert entry["changes"]["status"] == {"from": "pending", "to": "paid"}


@recipe("PATCH", "/api/orders/{id}")
def order_status_change(w: World):
    order = assert_json(w.srv.post("/api/orders", json=order_body()), 201)
    job = newest_loyalty_job(w)
    log = w.log()
    paid = assert_json(w.srv.patch(f"/api/orders/{order['id']}", json={"status": "paid"}), 200)
    log.expect(("order.status_changed", "order", order["id"], w.operator, diff(order, paid, ORDER_POLICY)))
    job = loyalty_job_queued_for(w, job)
    refunded = assert_json(w.srv.patch(f"/api/orders/{order['id']}",
                                       json={"status": "partially_refunded", "refunded_amount": 500}), 200)
    (entry,) = log.expect(
        ("order.refunded", "order", order["id"], w.operator, diff(paid, refunded, ORDER_POLICY)))
    loyalty_job_queued_for(w, job)
    assert entry["changes"]["refunded_amount"] == {"from": 0, "to": 500}


@recipe("PATCH", "/api/settings")
def settings_change(w: World):
    session, _, actor = w.client()  # a workspace without orders: its base currency may change
    log = w.log(session)
    resp = session.patch(w.srv.url("/api/settings"), json={"base_currency": "EUR"}, timeout=REQUEST_TIMEOUT)
    assert assert_json(resp, 200) == {"base_currency": "EUR"}
    log.expect(("settings.updated", "settings", None, actor, {"base_currency": {"from": "USD", "to": "EUR"}}))


# ------------------------------------------------------------------------------------------------
# The walk

@pytest.mark.parametrize("route", mutating_routes(), ids=lambda r: f"{r[0]} {r[1]}")
def test_every_mutating_route_records_its_change(world, route):
    if route not in RECIPES:
        pytest.fail(f"{route[0]} {route[1]} has no recipe in test_audit_routes.py: add one that "
                    f"calls it and asserts the audit entries it writes")
    RECIPES[route](world)


def test_no_recipe_is_for_a_route_that_is_gone():
    assert sorted(set(RECIPES) - set(mutating_routes())) == []


# ------------------------------------------------------------------------------------------------
# Failed sign-ins: in the account's workspace when the name is an account's, else the platform's

def test_a_wrong_password_is_recorded_for_the_account(world):
    _, user = staff_member(world.srv, "viewer")
    log = world.log()
    resp = requests.post(world.srv.url("/api/auth/login"), json={
        "email": user["email"], "password": "not the password"}, timeout=REQUEST_TIMEOUT)
    assert resp.status_code == 401
    (entry,) = log.expect(("auth.sign_in_failed", "user", user["id"], ("anonymous", None), {}))
    assert entry["actor"]["name"] == user["email"]
    assert "not the password" not in json.dumps(entry)


def test_an_unknown_name_is_recorded_in_the_platforms_workspace(world):
    tried = f"nobody.{unique_suffix()}@nowhere.example"
    log = world.log()
    resp = requests.post(world.srv.url("/api/auth/login"), json={
        "email": tried, "password": "whatever it is"}, timeout=REQUEST_TIMEOUT)
    assert resp.status_code == 401
    (entry,) = log.expect(("auth.sign_in_failed", "user", None, ("anonymous", None), {}))
    assert entry["actor"]["name"] == tried


def test_a_client_logins_failure_is_in_the_clients_workspace(world):
    session, created, actor = world.client()
    theirs, ours = world.log(session), world.log()
    resp = requests.post(world.srv.url("/api/auth/client-login"), json={
        "username": created["credentials"]["username"], "password": "wrong one"},
        timeout=REQUEST_TIMEOUT)
    assert resp.status_code == 401
    theirs.expect(("auth.sign_in_failed", "user", actor[1], ("anonymous", None), {}))
    ours.expect()


def test_a_portal_failure_is_in_the_portals_workspace(world):
    _, customer = world.portal_customer()
    log = world.log()
    for email, known in ((customer["email"], customer["id"]),
                         (f"stranger.{unique_suffix()}@mail.example", None)):
        resp = requests.post(world.srv.url(f"{PORTAL}/login"), json={
            "email": email, "password": "not it at all"}, timeout=REQUEST_TIMEOUT)
        assert resp.status_code == 401
        (entry,) = log.expect(("auth.sign_in_failed", "customer", known, ("anonymous", None), {}))
        assert entry["actor"]["name"] == email


def test_the_anonymous_and_system_actors_can_be_filtered(world):
    for kind in ("anonymous", "system"):
        page = assert_json(world.srv.get("/api/audit-events", params={"actor": kind}), 200)
        assert page["data"] and all(e["actor"]["kind"] == kind for e in page["data"])
