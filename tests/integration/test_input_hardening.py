"""Untrusted input that once slipped through (issue 12, findings 4, 5, 7, 9 and 11): control
characters, keys named twice, charsets other than UTF-8, ids that are not canonical, deep JSON,
unique violations the services did not foresee, and database files others could read.

The same on SQLite and PostgreSQL: PostgreSQL cut text at U+0000 (a name "\\u0000abc" was stored
as ""), SQLite kept it, so both now refuse it before it reaches a store.
"""

import concurrent.futures
import json
import os
import stat
import threading

import pytest

from conftest import (
    TEST_STORE, assert_json, assert_problem, create_customer, customer_payload, invite_staff,
    run_cli, total_unchanged, unique_suffix,
)


def post_json(server, path, raw: str, content_type="application/json"):
    return server.post(path, data=raw.encode(), headers={"Content-Type": content_type})


# --- control characters (finding 4) ----------------------------------------------------------

@pytest.mark.parametrize("field,value", [
    ("name", "\u0000abc"),
    ("name", "VIP\u0000zz"),
    ("name", "two\nlines"),
    ("name", "tab\there"),
    ("first_name", "esc\u001b[31m"),
    ("last_name", "del\u007f"),
    ("email", "a\u0000@example.com"),
    ("job_title", "next-line\u0085"),  # U+0085, a C1 control
])
def test_control_characters_in_a_single_line_field_are_422(server, field, value):
    with total_unchanged(server):
        body = customer_payload(**{field: value})
        assert_problem(server.post("/api/customers", json=body), 422, "validation-failed", field)


def test_the_problem_names_nested_fields_and_says_why(server):
    body = customer_payload(address={"city": "Spring\u0000field", "street": "1 Main St"})
    problem = assert_problem(server.post("/api/customers", json=body), 422, "validation-failed",
                             "address.city")
    assert [e["message"] for e in problem["errors"]] == [
        "must not contain control characters (line breaks and tabs included)"]


def test_multi_line_fields_keep_tabs_and_line_breaks_but_nothing_else(server):
    notes = "Line one\nLine two\twith a tab\r\nLine three"
    street = "Flat 4\nBlock B"
    c = create_customer(server, notes=notes, address={"street": street, "country": "US"})
    got = assert_json(server.get(f"/api/customers/{c['id']}"), 200)
    assert got["notes"] == notes and got["address"]["street"] == street
    for field, body in [("notes", {"notes": "ding\u0007"}), ("notes", {"notes": "nul\u0000"}),
                        ("address.street", {"address": {"street": "a\u0000b"}})]:
        with total_unchanged(server):
            assert_problem(server.post("/api/customers", json=customer_payload(**body)), 422,
                           "validation-failed", field)


def test_preferences_refuse_control_characters_in_values_and_keys(server):
    c = create_customer(server, preferences={"greeting": "Hello,\n\tWorld"})
    assert assert_json(server.get(f"/api/customers/{c['id']}"), 200)["preferences"] == {
        "greeting": "Hello,\n\tWorld"}
    for prefs in [{"a": "x\u0000"}, {"a\u0000": 1}, {"deep": [{"k": "\u001b"}]}]:
        assert_problem(server.post("/api/customers", json=customer_payload(preferences=prefs)),
                       422, "validation-failed", "preferences")


def test_a_tag_with_a_nul_is_422_not_a_twin_of_another(server):
    name = f"VIP{unique_suffix()}"
    assert_json(server.post("/api/tags", json={"name": name}), 201)
    # PostgreSQL would have stored "VIP…" cut at the NUL: a unique violation, answered 500.
    assert_problem(server.post("/api/tags", json={"name": name + "\u0000zz"}), 422,
                   "validation-failed", "name")
    names = [t["name"] for t in assert_json(server.get("/api/tags"), 200)["data"]]
    assert names.count(name) == 1 and not any("\u0000" in n for n in names)


def test_a_client_with_a_nul_is_422_and_the_export_stays_clean(server):
    body = {"company_name": "Nul\u0000Co", "contact_email": f"nul.{unique_suffix()}@store.example"}
    assert_problem(server.post("/api/clients", json=body), 422, "validation-failed", "company_name")
    body = {"company_name": f"Lines {unique_suffix()}", "contact_email": f"l.{unique_suffix()}@store.example",
            "business_address": "1 High St\nLeeds"}
    created = assert_json(server.post("/api/clients", json=body), 201)
    assert created["business_address"] == "1 High St\nLeeds"
    export = server.get("/api/clients/export")
    assert export.status_code == 200 and b"\x00" not in export.content


@pytest.mark.parametrize("query", ["q=ab%00c", "email=a%00%40example.com", "q=line%0Abreak",
                                   "sort=name%1B"])
def test_control_characters_in_query_parameters_are_422(server, query):
    name = query.split("=")[0]
    assert_problem(server.get("/api/customers?" + query), 422, "validation-failed", name)


def test_control_characters_in_the_path_are_404(server):
    assert_json(server.anon("GET", "/api/portal/default"), 200)
    # On PostgreSQL the slug "default\0x" would have been looked up as "default".
    assert_problem(server.anon("GET", "/api/portal/default%00x"), 404, "not-found")
    c = create_customer(server)
    assert_problem(server.get(f"/api/customers/{c['id']}%00"), 404, "not-found")


# --- unique violations (finding 4) -----------------------------------------------------------

def test_racing_creates_of_one_tag_name_are_201_once_and_409_otherwise(server_factory):
    """Two instances on one database race to create a tag of the same name; the loser of a race
    past the service's own check meets the store's unique index: 409, never 500."""
    first = server_factory()
    second = server_factory(db=first.db_path)
    for round_ in range(3):
        name = f"Race {round_} {unique_suffix()}"
        barrier = threading.Barrier(16)

        def create(i):
            barrier.wait()
            return (first if i % 2 else second).post("/api/tags", json={"name": name})

        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            answers = list(pool.map(create, range(16)))
        statuses = sorted(r.status_code for r in answers)
        assert statuses == [201] + [409] * 15, [(r.status_code, r.text[:200]) for r in answers]
        for r in answers:
            if r.status_code == 409:
                assert_problem(r, 409, "conflict")
        names = [t["name"] for t in assert_json(first.get("/api/tags?limit=200"), 200)["data"]]
        assert names.count(name) == 1


# --- keys named twice (finding 5) ------------------------------------------------------------

@pytest.mark.parametrize("raw", [
    '{"name": "A", "name": "B", "email": "twice@example.com"}',
    '{"name": "A", "address": {"city": "X", "city": "Y"}}',
    '{"name": "A", "preferences": {"a": [{"k": 1, "k": 2}]}}',
    '{"name": "A", "n\\u0061me": "B"}',  # the same key once decoded
])
def test_a_key_named_twice_is_400_at_any_depth(server, raw):
    with total_unchanged(server):
        problem = assert_problem(post_json(server, "/api/customers", raw), 400, "malformed-json")
        assert "twice" in problem["detail"], problem


def test_a_role_named_twice_makes_no_owner(server):
    email = f"twice.{unique_suffix()}@team.example"
    raw = json.dumps({"email": email, "name": "Sly", "role": "viewer"})[:-1] + ', "role": "owner"}'
    assert_problem(post_json(server, "/api/users", raw), 400, "malformed-json")
    users = assert_json(server.get("/api/users?limit=200"), 200)["data"]
    assert email not in [u["email"] for u in users]


def test_a_key_repeated_in_sibling_objects_is_fine(server):
    c = create_customer(server, preferences={"a": {"x": 1}, "b": {"x": 2}, "list": [{"x": 3}, {"x": 4}]})
    assert c["preferences"]["b"] == {"x": 2}


# --- nesting depth (finding 11) --------------------------------------------------------------

def nested(depth: int):
    value: object = "leaf"
    for _ in range(depth):
        value = {"k": value}
    return value


def test_preferences_may_nest_to_the_documented_depth(server):
    # The body is level 1, preferences (the first of the nested objects) level 2: 63 nested
    # objects make 64 levels, the most there may be.
    c = create_customer(server, preferences=nested(63))
    assert assert_json(server.get(f"/api/customers/{c['id']}"), 200)["preferences"] == nested(63)
    listed = assert_json(server.get("/api/customers", params={"email": c["email"]}), 200)["data"]
    assert [item["preferences"] for item in listed] == [nested(63)]
    with total_unchanged(server):
        problem = assert_problem(server.post("/api/customers", json=customer_payload(preferences=nested(64))),
                                 400, "malformed-json")
        assert "deep" in problem["detail"], problem


# --- media types and ids (finding 9) ---------------------------------------------------------

@pytest.mark.parametrize("ctype", ["application/json; charset=latin1",
                                   "application/json; charset=ISO-8859-1",
                                   'application/json; charset="utf-16"'])
def test_a_charset_other_than_utf8_is_415(server, ctype):
    with total_unchanged(server):
        raw = json.dumps(customer_payload(name="Jos\u00e9"), ensure_ascii=False)
        assert_problem(post_json(server, "/api/customers", raw, ctype), 415, "unsupported-media-type")


@pytest.mark.parametrize("ctype", ["application/json; charset=UTF-8", 'application/json; charset="utf-8"'])
def test_utf8_named_in_any_spelling_is_accepted(server, ctype):
    raw = json.dumps(customer_payload(name="Jos\u00e9"), ensure_ascii=False)
    assert assert_json(post_json(server, "/api/customers", raw, ctype), 201)["name"] == "Jos\u00e9"


def test_ids_are_canonical_decimal(server):
    c = create_customer(server)
    assert assert_json(server.get(f"/api/customers/{c['id']}"), 200)["id"] == c["id"]
    for alias in [f"0{c['id']}", f"00{c['id']}", f"+{c['id']}", f"{c['id']}.0", f"%20{c['id']}"]:
        assert_problem(server.get(f"/api/customers/{alias}"), 404, "not-found")
    assert_problem(server.delete(f"/api/customers/0{c['id']}"), 404, "not-found")
    assert_json(server.get(f"/api/customers/{c['id']}"), 200)  # still there


# --- file modes (finding 7) ------------------------------------------------------------------

@pytest.mark.skipif(TEST_STORE != "sqlite", reason="the database files of SQLite")
def test_database_files_and_folders_are_private(server_factory, tmp_path):
    srv = server_factory()
    create_customer(srv)  # a write: the WAL and its index exist
    db = srv.db_path
    for path in [db, db + "-wal", db + "-shm"]:
        assert os.path.exists(path), path
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, (path, oct(os.stat(path).st_mode))
    # A folder the server makes is its user's only, all the way down.
    deep = tmp_path / "new" / "data"
    run_cli(["create-admin", "--db", str(deep / "x.db"), "--email", "a@example.com",
             "--password", "correct horse battery"])
    for folder in [tmp_path / "new", deep]:
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700, folder
    assert stat.S_IMODE(os.stat(deep / "x.db").st_mode) == 0o600
