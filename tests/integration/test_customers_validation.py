"""Request validation, media types, body limits and routing errors (docs/api.md).

Every failing create is checked to store nothing: the live and archived totals are unchanged.
"""

import json
import socket
from datetime import datetime, timedelta, timezone

import pytest

from conftest import (
    assert_json, assert_problem, create_customer, customer_payload, read_http_response,
    total_unchanged, unique_suffix,
)

MIB = 1024 * 1024
MISSING = object()  # a field left out of the body
FUTURE = object()  # a date two days from now (computed when the test runs)


def post_raw(server, data: bytes, content_type="application/json"):
    return server.post("/api/customers", data=data, headers={"Content-Type": content_type})


def utc_today():
    return datetime.now(timezone.utc).date()


# --- malformed bodies ------------------------------------------------------------------------

@pytest.mark.parametrize(
    "raw",
    [b'{"name": ', b"not json at all", b'{"name": "x",}', b"", b'{"name": "x"} trailing',
     b'[{"name": "In An Array"}]', b'"just a string"', b"null", b"42", b"[]"],
    ids=["truncated", "garbage", "trailing-comma", "empty", "trailing-data", "array", "string", "null",
         "number", "empty-array"],
)
def test_malformed_json_is_400(server, raw):
    with total_unchanged(server):
        assert_problem(post_raw(server, raw), 400, "malformed-json")


# --- field validation ------------------------------------------------------------------------

def future(days):
    return (utc_today() + timedelta(days=days)).isoformat()


INVALID_CREATES = [
    # (id, fields merged into a valid unique body, the field the 422 must name)
    ("name-missing", {"name": MISSING}, "name"),
    ("name-null", {"name": None}, "name"),
    ("name-int", {"name": 123}, "name"),
    ("name-bool", {"name": True}, "name"),
    ("name-array", {"name": ["a"]}, "name"),
    ("name-empty", {"name": ""}, "name"),
    ("name-blank", {"name": "    "}, "name"),
    ("name-201", {"name": "n" * 201}, "name"),
    ("first_name-101", {"first_name": "f" * 101}, "first_name"),
    ("last_name-101", {"last_name": "l" * 101}, "last_name"),
    ("last_name-int", {"last_name": 7}, "last_name"),
    ("unknown-field", {"favourite_colour": "blue"}, "favourite_colour"),
    ("unknown-nested", {"address": {"city": "Springfield", "planet": "Earth"}}, "address.planet"),
    ("email-no-at", {"email": "not-an-email"}, "email"),
    ("email-no-domain", {"email": "someone@"}, "email"),
    ("email-no-local", {"email": "@example.com"}, "email"),
    ("email-space", {"email": "some one@example.com"}, "email"),
    ("email-too-long", {"email": "a" * 64 + "@" + ("b" * 60 + ".") * 3 + "example.com"}, "email"),
    ("email-int", {"email": 5}, "email"),
    ("phone-short", {"phone": "12"}, "phone"),
    ("phone-letters", {"phone": "+1 555 CALL NOW"}, "phone"),
    ("phone-too-long", {"phone": "1" * 33}, "phone"),
    ("phone-no-digits", {"phone": "(-)"}, "phone"),
    ("phone-int", {"phone": 2015550123}, "phone"),
    ("birthdate-feb-30", {"birthdate": "1990-02-30"}, "birthdate"),
    ("birthdate-1900-feb-29", {"birthdate": "1900-02-29"}, "birthdate"),
    ("birthdate-month-13", {"birthdate": "1990-13-01"}, "birthdate"),
    ("birthdate-no-dashes", {"birthdate": "19900101"}, "birthdate"),
    ("birthdate-short", {"birthdate": "1990-1-1"}, "birthdate"),
    ("birthdate-text", {"birthdate": "yesterday"}, "birthdate"),
    ("birthdate-timestamp", {"birthdate": "1990-04-01T00:00:00Z"}, "birthdate"),
    ("birthdate-future", {"birthdate": FUTURE}, "birthdate"),
    ("birthdate-far-future", {"birthdate": "2999-01-01"}, "birthdate"),
    ("birthdate-before-1900", {"birthdate": "1899-12-31"}, "birthdate"),
    ("birthdate-int", {"birthdate": 19900401}, "birthdate"),
    ("gender-unknown", {"gender": "robot"}, "gender"),
    ("gender-empty", {"gender": ""}, "gender"),
    ("gender-int", {"gender": 1}, "gender"),
    ("locale-spaces", {"locale": "not a locale"}, "locale"),
    ("locale-too-long", {"locale": "en-" + "x" * 40}, "locale"),
    ("locale-int", {"locale": 5}, "locale"),
    ("address-string", {"address": "1 Main St"}, "address"),
    ("address-array", {"address": ["1 Main St"]}, "address"),
    ("address-city-int", {"address": {"city": 5}}, "address.city"),
    ("address-street-201", {"address": {"street": "s" * 201}}, "address.street"),
    ("country-lower", {"address": {"country": "us"}}, "address.country"),
    ("country-alpha3", {"address": {"country": "USA"}}, "address.country"),
    ("country-one-letter", {"address": {"country": "U"}}, "address.country"),
    ("country-digits", {"address": {"country": "12"}}, "address.country"),
    ("country-int", {"address": {"country": 840}}, "address.country"),
    ("country-unassigned", {"address": {"country": "ZZ"}}, "address.country"),
    ("preferences-array", {"preferences": ["newsletter"]}, "preferences"),
    ("preferences-string", {"preferences": "newsletter"}, "preferences"),
    ("preferences-number", {"preferences": 1}, "preferences"),
    ("preferences-null", {"preferences": None}, "preferences"),
    ("preferences-too-big", {"preferences": {"blob": "x" * (17 * 1024)}}, "preferences"),
    ("notes-too-long", {"notes": "n" * 10001}, "notes"),
    ("notes-object", {"notes": {"text": "hi"}}, "notes"),
    ("read-only-id", {"id": 12345}, "id"),
    ("read-only-version", {"version": 1}, "version"),
    ("read-only-loyalty_points", {"loyalty_points": 0}, "loyalty_points"),
    ("read-only-purchase_history", {"purchase_history": []}, "purchase_history"),
    ("read-only-created_at", {"created_at": "2026-01-01T00:00:00.000Z"}, "created_at"),
    ("read-only-updated_at", {"updated_at": "2026-01-01T00:00:00.000Z"}, "updated_at"),
]


@pytest.mark.parametrize("fields,field", [c[1:] for c in INVALID_CREATES], ids=[c[0] for c in INVALID_CREATES])
def test_invalid_field_is_422_naming_it(server, fields, field):
    body = customer_payload()
    body.update(fields)
    body = {k: v for k, v in body.items() if v is not MISSING}
    if body.get("birthdate") is FUTURE:
        body["birthdate"] = future(2)
    with total_unchanged(server):
        assert_problem(server.post("/api/customers", json=body), 422, "validation-failed", field=field)


def test_several_invalid_fields_are_all_reported(server):
    body = customer_payload(email="nope", address={"city": "Springfield", "country": "usa"}, gender="robot")
    with total_unchanged(server):
        problem = assert_problem(server.post("/api/customers", json=body), 422, "validation-failed")
    fields = {e["field"] for e in problem["errors"]}
    assert {"email", "address.country", "gender"} <= fields, fields


@pytest.mark.parametrize(
    "raw,field",
    [
        (b'{"name":"\xff\xfe"}', "name"),
        (b'{"name":"Ok Name","notes":"abc\xc3"}', "notes"),
        (b'{"name":"\xc0\xaf overlong"}', "name"),
        (b'{"name":"\xed\xa0\x80 surrogate"}', "name"),
        (b'{"name":"Ok Name","address":{"city":"Z\xfcrich"}}', "address.city"),
    ],
    ids=["ff-fe", "truncated-sequence", "overlong", "encoded-surrogate", "latin1-nested"],
)
def test_bad_utf8_in_a_string_is_422_naming_the_field(server, raw, field):
    with total_unchanged(server):
        assert_problem(post_raw(server, raw), 422, "validation-failed", field=field)


# --- boundaries that must pass -----------------------------------------------------------------

def test_valid_boundaries_are_accepted(server):
    today = utc_today()
    body = create_customer(
        server,
        name="N" * 200,
        first_name="F" * 100,
        last_name="L" * 100,
        phone="123",
        birthdate="1900-01-01",
        gender="prefer_not_to_say",
        locale="pt-BR",
        address={"country": "DE", "street": "s" * 200},
        notes="n" * 10000,
    )
    assert body["name"] == "N" * 200 and body["birthdate"] == "1900-01-01"
    assert body["notes"] == "n" * 10000 and body["address"]["country"] == "DE"
    # Yesterday's date is not in the future anywhere on Earth.
    create_customer(server, birthdate=(today - timedelta(days=1)).isoformat(), gender="non_binary")
    create_customer(server, birthdate="2000-02-29", gender="other", locale="en")


@pytest.mark.parametrize("gender", ["female", "male", "non_binary", "other", "prefer_not_to_say"])
def test_every_gender_of_the_enum_is_accepted(server, gender):
    assert create_customer(server, gender=gender)["gender"] == gender


def test_unicode_text_round_trips(server):
    name = f"Zoë Ångström-Łukasiewicz 山田 {unique_suffix()}"
    body = create_customer(server, name=name, address={"city": "Zürich", "country": "CH"})
    got = assert_json(server.get(f"/api/customers/{body['id']}"), 200)
    assert got["name"] == name and got["address"]["city"] == "Zürich"


# --- media types and body size -----------------------------------------------------------------

@pytest.mark.parametrize("ctype", ["text/plain", "application/x-www-form-urlencoded", "application/merge-patch+json"])
def test_other_media_type_is_415(server, ctype):
    with total_unchanged(server):
        resp = post_raw(server, json.dumps(customer_payload()).encode(), content_type=ctype)
        assert_problem(resp, 415, "unsupported-media-type")


def test_json_with_charset_parameter_is_accepted(server):
    payload = customer_payload()
    resp = post_raw(server, json.dumps(payload).encode(), content_type="application/json; charset=utf-8")
    assert assert_json(resp, 201)["email"] == payload["email"]


def padded_body(size: int) -> bytes:
    """A valid create body of exactly `size` bytes (JSON whitespace as padding)."""
    head = json.dumps(customer_payload()).encode()[:-1]
    pad = size - len(head) - 1
    assert pad >= 0
    return head + b" " * pad + b"}"


def send_raw_post(server, body: bytes, extra_headers: str = ""):
    """POST over a raw socket, tolerating the server closing while the body is still being sent."""
    head = (
        f"POST /api/customers HTTP/1.1\r\nHost: {server.host}:{server.port}\r\n"
        f"Authorization: Bearer {server.token}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n{extra_headers}\r\n"
    ).encode()
    with socket.create_connection((server.host, server.port), timeout=15) as sock:
        sock.sendall(head)
        try:
            sock.sendall(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # "the body is not read": the answer may already be waiting
        return read_http_response(sock)


def test_body_of_exactly_one_mib_is_accepted(server):
    body = padded_body(MIB)
    assert len(body) == MIB
    resp = post_raw(server, body)
    assert_json(resp, 201)


def test_body_over_one_mib_is_413_and_server_stays_up(server):
    with total_unchanged(server):
        status, headers, raw = send_raw_post(server, padded_body(MIB + 1))
        assert status == 413, raw[:300]
        assert headers.get("content-type", "").split(";")[0] == "application/problem+json"
        problem = json.loads(raw)
        assert problem["type"] == "/problems/payload-too-large" and problem["status"] == 413

        status, _, raw = send_raw_post(server, padded_body(3 * MIB))
        assert status == 413

    # Still serving, on new connections.
    assert assert_json(server.get("/healthz"), 200) == {"status": "ok"}
    create_customer(server)


def test_content_length_over_limit_is_413_before_the_body_is_sent(server):
    head = (
        f"POST /api/customers HTTP/1.1\r\nHost: {server.host}:{server.port}\r\n"
        f"Authorization: Bearer {server.token}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {50 * MIB}\r\nConnection: close\r\n\r\n"
    ).encode()
    with socket.create_connection((server.host, server.port), timeout=15) as sock:
        sock.sendall(head + b'{"name": "')
        status, headers, raw = read_http_response(sock, timeout=10)
    assert status == 413
    assert json.loads(raw)["type"] == "/problems/payload-too-large"
    assert assert_json(server.get("/healthz"), 200) == {"status": "ok"}


def test_max_body_from_environment(server_factory):
    small = server_factory({"CLIENTELE_MAX_BODY": "2048"})
    status, _, raw = send_raw_post(small, padded_body(2049))
    assert status == 413, raw[:300]
    assert json.loads(raw)["type"] == "/problems/payload-too-large"
    assert_json(post_raw(small, padded_body(2048)), 201)


# --- routing ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/api/nope", "/api/customers/1/nope", "/nope"])
def test_unknown_route_is_404(server, path):
    assert_problem(server.get(path), 404, "not-found")


@pytest.mark.parametrize(
    "method,path,allowed,not_allowed",
    [
        ("DELETE", "/api/customers", {"GET", "POST"}, {"DELETE"}),
        ("PUT", "/api/customers", {"GET", "POST"}, {"PUT"}),
        ("GET", "/api/customers/1/restore", {"POST"}, {"GET"}),
        ("POST", "/api/customers/1", {"GET", "PUT", "PATCH", "DELETE"}, {"POST"}),
        ("GET", "/api/auth/logout", {"POST"}, {"GET"}),
    ],
)
def test_wrong_method_is_405_with_allow(server, method, path, allowed, not_allowed):
    kwargs = {"json": customer_payload()} if method in ("POST", "PUT") else {}
    with total_unchanged(server):
        resp = server.request(method, path, **kwargs)
        assert_problem(resp, 405, "method-not-allowed")
    allow = {m.strip().upper() for m in resp.headers.get("Allow", "").split(",") if m.strip()}
    assert allowed <= allow, f"Allow: {resp.headers.get('Allow')!r}"
    assert not (not_allowed & allow), f"Allow: {resp.headers.get('Allow')!r}"
