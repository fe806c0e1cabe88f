"""Client accounts (seed 001): generated credentials, client login, status, password reset,
phone numbers in E.164, and the streamed CSV export.

Throttling, staff and isolation by route have their own files.
"""

import re
import socket
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from conftest import assert_json, assert_problem, read_http_response, unique_suffix

CLIENT_KEYS = {
    "id", "company_name", "contact_email", "contact_person_name", "phone_number", "whatsapp_number",
    "business_address", "business_type", "gst_number", "username", "is_active", "last_login",
    "workspace_id", "version", "created_at", "updated_at",
}
PASSWORD_ALPHABET = set("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789")


def new_client(server, **fields):
    body = {"company_name": "ABC Store", "contact_email": f"abc.{unique_suffix()}@store.example"}
    body.update(fields)
    return assert_json(server.post("/api/clients", json=body), 201)


def client_login(server, username, password):
    session = requests.Session()
    resp = session.post(server.url("/api/auth/client-login"),
                        json={"username": username, "password": password}, timeout=30)
    return session, resp


def test_create_generates_credentials_shown_once(server):
    resp = server.post("/api/clients", json={
        "company_name": "ABC Store", "contact_email": f"ABC.{unique_suffix()}@Store.example",
        "contact_person_name": "Asha Rao", "phone_number": "7093635305",
        "whatsapp_number": "+91 70936 35305", "business_address": "12 MG Road, Pune",
        "business_type": "retail", "gst_number": "27aapfu0939f1zv"})
    body = assert_json(resp, 201)
    assert resp.headers["Location"] == f"/api/clients/{body['id']}"
    assert CLIENT_KEYS <= set(body)
    assert body["contact_email"].startswith("abc.") and body["contact_email"].endswith("@store.example")
    assert body["gst_number"] == "27AAPFU0939F1ZV"
    # Phone numbers are stored in E.164; without +country code they are read as Indian numbers.
    assert body["phone_number"] == "+917093635305" and body["whatsapp_number"] == "+917093635305"
    assert body["is_active"] is True and body["last_login"] is None
    creds = body["credentials"]
    assert re.fullmatch(r"abcstore\d{3,}", creds["username"]), creds
    assert creds["username"] == body["username"]
    assert len(creds["password"]) == 12 and set(creds["password"]) <= PASSWORD_ALPHABET
    for part in ("ABC Store", creds["username"], creds["password"], creds["login_url"], "Client login"):
        assert part in creds["message"]
    # Shown once: reading the client again never shows a password.
    again = assert_json(server.get(f"/api/clients/{body['id']}"), 200)
    assert "credentials" not in again and "password" not in again and "password_hash" not in again
    assert again["username"] == creds["username"]


def test_usernames_are_unique_for_the_same_company_name(server):
    names = {new_client(server, company_name="Same Name Traders")["username"] for _ in range(12)}
    assert len(names) == 12
    assert all(n.startswith("samenametraders") for n in names)


def test_client_login_gives_a_session_in_the_clients_own_workspace(server):
    created = new_client(server)
    creds = created["credentials"]
    session, resp = client_login(server, creds["username"], creds["password"])
    body = assert_json(resp, 200)
    assert body["user"]["tenant_id"] == created["workspace_id"] != 1
    assert body["user"]["is_platform_admin"] is False
    assert "clientele_session" in resp.headers["Set-Cookie"]
    # The client sees its own (empty) workspace and records its last login.
    customers = assert_json(session.get(server.url("/api/customers?total=true")), 200)
    assert customers["total"] == 0 and customers["data"] == []
    assert assert_json(server.get(f"/api/clients/{created['id']}"), 200)["last_login"] is not None
    # A client can never reach the operator's routes.
    assert_problem(session.get(server.url("/api/clients")), 403, "forbidden")
    headers = {"X-CSRF-Token": body["csrf_token"]}
    assert_problem(session.post(server.url("/api/clients"), json={}, headers=headers), 403, "forbidden")


def test_wrong_and_unknown_usernames_answer_the_same(server):
    created = new_client(server)
    _, wrong = client_login(server, created["username"], "not-the-password")
    _, unknown = client_login(server, "nosuchclient999", "whatever-it-is")
    for resp in (wrong, unknown):
        assert_problem(resp, 401, "invalid-credentials")
    assert wrong.json()["detail"] == unknown.json()["detail"]


def test_deactivation_ends_sessions_and_blocks_login_until_reactivated(server):
    created = new_client(server)
    creds = created["credentials"]
    session, resp = client_login(server, creds["username"], creds["password"])
    assert_json(resp, 200)
    assert_json(session.get(server.url("/api/auth/me")), 200)
    off = assert_json(server.post(f"/api/clients/{created['id']}/toggle-status"), 200)
    assert off["client"]["is_active"] is False and off["message"] == "Client deactivated."
    assert_problem(session.get(server.url("/api/auth/me")), 401, "unauthenticated")
    assert_problem(client_login(server, creds["username"], creds["password"])[1], 401, "invalid-credentials")
    assert assert_json(server.get("/api/clients?is_active=false"), 200)["data"][0]["id"] == created["id"]
    on = assert_json(server.post(f"/api/clients/{created['id']}/toggle-status"), 200)
    assert on["client"]["is_active"] is True and on["message"] == "Client activated."
    assert_json(client_login(server, creds["username"], creds["password"])[1], 200)


def test_password_reset_shows_a_new_password_and_ends_sessions(server):
    created = new_client(server)
    creds = created["credentials"]
    session, resp = client_login(server, creds["username"], creds["password"])
    assert_json(resp, 200)
    reset = assert_json(server.post(f"/api/clients/{created['id']}/reset-password"), 200)
    new_password = reset["credentials"]["password"]
    assert new_password != creds["password"] and len(new_password) == 12
    assert_problem(session.get(server.url("/api/auth/me")), 401, "unauthenticated")
    assert_problem(client_login(server, creds["username"], creds["password"])[1], 401, "invalid-credentials")
    assert_json(client_login(server, creds["username"], new_password)[1], 200)


def test_update_changes_the_record(server):
    created = new_client(server)
    email = f"new.{unique_suffix()}@store.example"
    body = assert_json(server.put(f"/api/clients/{created['id']}", json={
        "company_name": "ABC Stores Ltd", "contact_email": email, "business_type": "wholesale"}), 200)
    assert body["message"] == "Client updated successfully."
    assert body["client"]["company_name"] == "ABC Stores Ltd"
    assert body["client"]["contact_email"] == email and body["client"]["version"] == 2
    assert body["client"]["username"] == created["username"]  # the login name does not change


@pytest.mark.parametrize("fields, field", [
    ({"company_name": None}, "company_name"),
    ({"company_name": ""}, "company_name"),
    ({"contact_email": "not-an-email"}, "contact_email"),
    ({"business_type": "spaceport"}, "business_type"),
    ({"gst_number": "27AAPFU0939F1ZA"}, "gst_number"),
    ({"gst_number": "12345"}, "gst_number"),
    ({"phone_number": "call me"}, "phone_number"),
    ({"phone_number": "+1 555 0100"}, "phone_number"),  # no such number in its plan
    ({"whatsapp_number": "12345"}, "whatsapp_number"),
    ({"username": "chosen"}, "username"),
    ({"surprise": 1}, "surprise"),
])
def test_bad_input_is_422_naming_the_field(server, fields, field):
    before = len(assert_json(server.get("/api/clients?limit=200"), 200)["data"])
    body = {"company_name": "Bad Input Co", "contact_email": f"bad.{unique_suffix()}@x.example"}
    body.update(fields)
    if fields.get("company_name", 1) is None:
        del body["company_name"]
    assert_problem(server.post("/api/clients", json=body), 422, "validation-failed", field=field)
    assert len(assert_json(server.get("/api/clients?limit=200"), 200)["data"]) == before


def test_contact_email_with_an_account_is_409(server):
    email = f"taken.{unique_suffix()}@store.example"
    new_client(server, contact_email=email)
    assert_problem(server.post("/api/clients", json={"company_name": "Other", "contact_email": email}),
                   409, "conflict", field="contact_email")


def test_list_pages_and_filters(server):
    tag = unique_suffix()
    ids = [new_client(server, company_name=f"Pager {tag} {i}", business_type="hotel")["id"] for i in range(5)]
    seen, cursor = [], None
    while True:
        url = f"/api/clients?q=pager%20{tag}&limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = assert_json(server.get(url), 200)
        seen += [c["id"] for c in page["data"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == sorted(ids, reverse=True)
    hotels = assert_json(server.get("/api/clients?business_type=hotel&limit=200"), 200)["data"]
    assert set(ids) <= {c["id"] for c in hotels}
    assert_problem(server.get("/api/clients?limit=0"), 422, "validation-failed", field="limit")
    assert_problem(server.get("/api/clients?business_type=spaceport"), 422, "validation-failed",
                   field="business_type")
    assert_problem(server.get("/api/clients?is_active=maybe"), 422, "validation-failed", field="is_active")
    assert_problem(server.get("/api/clients?cursor=abc"), 400, "bad-request")
    assert_problem(server.get("/api/clients/999999"), 404, "not-found")


def test_export_is_exact_csv_with_injection_neutralised(fresh_server):
    server = fresh_server
    a = new_client(server, company_name="=HYPERLINK(\"http://evil\")", contact_person_name="O'Neil, \"Bob\"",
                   contact_email="a@csv.example", phone_number="+1 201-555-0123", business_type="other")
    b = new_client(server, company_name="Ørsted Søn", contact_email="b@csv.example",
                   business_address="1 Road\nTown", contact_person_name="@admin")
    resp = server.get("/api/clients/export")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert resp.headers["Content-Disposition"] == 'attachment; filename="clients.csv"'
    text = resp.content.decode("utf-8")
    assert text.startswith("\ufeff")
    lines = text[1:].split("\r\n")
    assert lines[0] == ("id,company_name,contact_email,contact_person_name,phone_number,whatsapp_number,"
                        "business_address,business_type,gst_number,username,is_active,last_login,"
                        "created_at,updated_at")
    assert lines[1] == (f'{a["id"]},"\'=HYPERLINK(""http://evil"")",a@csv.example,"O\'Neil, ""Bob""",'
                        f'"\'+12015550123",,,other,,{a["username"]},true,,{a["created_at"]},{a["updated_at"]}')
    # A line break inside a quoted field stays in its record (records end with CRLF).
    assert lines[2] == (f'{b["id"]},Ørsted Søn,b@csv.example,"\'@admin",,,"1 Road\nTown",,,'
                        f'{b["username"]},true,,{b["created_at"]},{b["updated_at"]}')
    assert lines[3:] == [""]
    assert "password" not in text and "argon2" not in text
    # Streamed: chunked, no length known up front.
    assert resp.headers["Transfer-Encoding"] == "chunked" and "Content-Length" not in resp.headers
    # HTTP/1.0 has no chunked encoding: the same bytes come with a length.
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(f"GET /api/clients/export HTTP/1.0\r\nHost: x\r\n"
                     f"Authorization: Bearer {server.token}\r\n\r\n".encode())
        status, headers, body = read_http_response(sock)
    assert status == 200 and int(headers["content-length"]) == len(resp.content)
    assert body == resp.content
    assert "credentials" not in text


def test_a_client_owner_changes_its_own_password(server):
    created = new_client(server)
    creds = created["credentials"]
    session, resp = client_login(server, creds["username"], creds["password"])
    csrf = assert_json(resp, 200)["csrf_token"]
    other, resp = client_login(server, creds["username"], creds["password"])  # a second device
    assert_json(resp, 200)
    url = server.url("/api/auth/change-password")
    wrong = session.post(url, json={"current_password": "nope", "new_password": "a new passphrase"},
                         headers={"X-CSRF-Token": csrf})
    assert_problem(wrong, 422, "validation-failed", field="current_password")
    short = session.post(url, json={"current_password": creds["password"], "new_password": "short"},
                         headers={"X-CSRF-Token": csrf})
    assert_problem(short, 422, "validation-failed", field="new_password")
    assert_problem(session.post(url, json={"current_password": creds["password"],
                                           "new_password": "a new passphrase"}), 403, "csrf-failed")
    done = session.post(url, json={"current_password": creds["password"], "new_password": "a new passphrase"},
                        headers={"X-CSRF-Token": csrf})
    assert assert_json(done, 200) == {"message": "Password changed successfully."}
    assert_json(session.get(server.url("/api/auth/me")), 200)  # this session stays
    assert_problem(other.get(server.url("/api/auth/me")), 401, "unauthenticated")  # the others end
    assert_problem(client_login(server, creds["username"], creds["password"])[1], 401, "invalid-credentials")
    assert_json(client_login(server, creds["username"], "a new passphrase")[1], 200)


def test_a_repeated_create_with_the_same_idempotency_key_makes_one_client(server):
    body = {"company_name": "Retry Traders", "contact_email": f"retry.{unique_suffix()}@store.example"}
    key = {"Idempotency-Key": f"client-{unique_suffix()}"}
    before = len(assert_json(server.get("/api/clients?q=retry%20traders&limit=200"), 200)["data"])
    first = assert_json(server.post("/api/clients", json=body, headers=key), 201)
    again = server.post("/api/clients", json=body, headers=key)
    replay = assert_json(again, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Location"] == f"/api/clients/{first['id']}"
    assert replay["id"] == first["id"] and replay["username"] == first["username"]
    # The password was shown once; the replay does not show it (nor is it stored anywhere).
    assert first["credentials"]["password"] and replay["credentials"]["password"] is None
    after = assert_json(server.get("/api/clients?q=retry%20traders&limit=200"), 200)["data"]
    assert len(after) == before + 1
    other = dict(body, company_name="Something Else")
    assert_problem(server.post("/api/clients", json=other, headers=key), 422, "idempotency-key-reused")


def test_replays_of_a_create_do_not_wait_for_the_password_hasher(server_factory):
    # The observable: one hash at a time and one waiting, past which a hash is refused with 503.
    # Replays used to generate and hash a password before finding the stored answer, so 20 at
    # once met 503s; now they never reach the hasher (issue 12).
    server = server_factory({"CLIENTELE_PASSWORD_THREADS": "1", "CLIENTELE_PASSWORD_QUEUE": "1"})
    body = {"company_name": "Replay Traders", "contact_email": f"replay.{unique_suffix()}@store.example"}
    key = {"Idempotency-Key": f"client-{unique_suffix()}"}
    first = assert_json(server.post("/api/clients", json=body, headers=key), 201)

    def replay(_):
        return server.post("/api/clients", json=body, headers=key)

    with ThreadPoolExecutor(20) as pool:
        replays = list(pool.map(replay, range(20)))
    for resp in replays:
        again = assert_json(resp, 201)
        assert resp.headers["Idempotent-Replayed"] == "true"
        assert again["id"] == first["id"] and again["credentials"]["password"] is None
    # A reused key with another body is still refused before any hash.
    other = dict(body, company_name="Other Traders")
    assert_problem(server.post("/api/clients", json=other, headers=key), 422, "idempotency-key-reused")
    # The control: 20 creates at once do hash, and the small queue turns some away.
    def create(i):
        return server.post("/api/clients", json={"company_name": f"Burst {i}",
                                                 "contact_email": f"burst{i}.{unique_suffix()}@store.example"})

    with ThreadPoolExecutor(20) as pool:
        statuses = [r.status_code for r in pool.map(create, range(20))]
    assert 503 in statuses and set(statuses) <= {201, 503}, statuses
    listed = assert_json(server.get("/api/clients", params={"limit": 200}), 200)["data"]
    assert len(listed) == 1 + statuses.count(201)


def test_the_credentials_message_comes_from_an_editable_template(server):
    original = assert_json(server.get("/api/clients/credentials-template"), 200)
    assert "{{password}}" in original["template"] and "{{username}}" in original["template"]
    assert set(original["variables"]) == {"company_name", "contact_person_name", "username",
                                          "password", "login_url"}
    assert_problem(server.put("/api/clients/credentials-template", json={"template": "{{#open}} never closed"}),
                   422, "validation-failed", field="template")
    assert_problem(server.put("/api/clients/credentials-template", json={}), 422, "validation-failed",
                   field="template")
    custom = "Hi {{contact_person_name}} of {{company_name}}: {{username}} / {{password}} at {{login_url}}"
    saved = assert_json(server.put("/api/clients/credentials-template", json={"template": custom}), 200)
    assert saved == {"message": "Template saved.", "template": custom}
    try:
        created = new_client(server, company_name="Smith & Sons <Ltd>", contact_person_name="Ann")
        creds = created["credentials"]
        # Plain text: no HTML escaping of "&" or "<".
        assert creds["message"] == (f"Hi Ann of Smith & Sons <Ltd>: {creds['username']} / "
                                    f"{creds['password']} at {creds['login_url']}")
        reset = assert_json(server.post(f"/api/clients/{created['id']}/reset-password"), 200)
        assert reset["credentials"]["message"].endswith(f"/ {reset['credentials']['password']} at "
                                                        f"{reset['credentials']['login_url']}")
    finally:
        assert_json(server.put("/api/clients/credentials-template", json={"template": original["template"]}), 200)
