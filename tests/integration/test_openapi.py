"""docs/openapi.yaml against the server: the same routes, a well-formed document, real answers.

* The set of (METHOD, path) in the document equals `clientele routes` plus HEAD for every GET
  route (the server answers HEAD for each GET; the document lists it beside it).
* Every $ref resolves, every path parameter is declared, every schema is valid JSON Schema 2020-12,
  and the examples validate against their schemas.
* A running server (conftest's `server` fixture) is called once per documented operation with a
  valid request (checked against the documented request schema), and each answer is checked
  against the documented response for its status: the status is documented, the required headers
  are there and match their schemas, and the body validates against the schema for its media type
  (Draft202012Validator). Error answers (400, 401, 403, 404, 405, 409, 412, 413, 415, 422) are
  checked against the Problem schema the same way.

Only Debian's python3-yaml, python3-jsonschema (4.10) and requests are used.
"""

from __future__ import annotations

import io
import json
import re
import socket
import subprocess
import time
import uuid
from pathlib import Path

import jsonschema
import pytest
import requests
import yaml
from PIL import Image

from conftest import (ADMIN_EMAIL, ADMIN_PASSWORD, CLIENTELE_BIN, REPO_ROOT, TimeoutSession,
                      full_customer_payload,
                      read_http_response, run_cli)

SPEC_PATH = REPO_ROOT / "docs" / "openapi.yaml"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
PARAM_RE = re.compile(r"\{([^}/]+)\}")


# --------------------------------------------------------------------------------------------
# The document
# --------------------------------------------------------------------------------------------

def _format_checker():
    checker = getattr(jsonschema.Draft202012Validator, "FORMAT_CHECKER", None)
    return checker if checker is not None else jsonschema.draft202012_format_checker


class Spec:
    """The parsed OpenAPI document, with $ref resolution and schema validation against it."""

    def __init__(self, path: Path):
        self.path = path
        self.doc = yaml.safe_load(path.read_text("utf-8"))

    # -- references ------------------------------------------------------------------------

    def pointer(self, ref: str):
        """The object a local reference ("#/a/b") names; KeyError/ValueError if it does not exist."""
        if not ref.startswith("#"):
            raise ValueError(f"only local references are used in this document: {ref!r}")
        node = self.doc
        fragment = ref[1:]
        if fragment in ("", "/"):
            return node
        if not fragment.startswith("/"):
            raise ValueError(f"not a JSON pointer: {ref!r}")
        for raw in fragment[1:].split("/"):
            token = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, list):
                node = node[int(token)]
            elif isinstance(node, dict):
                node = node[token]
            else:
                raise KeyError(token)
        return node

    def deref(self, obj):
        seen = set()
        while isinstance(obj, dict) and "$ref" in obj:
            ref = obj["$ref"]
            assert ref not in seen, f"$ref cycle at {ref}"
            seen.add(ref)
            obj = self.pointer(ref)
        return obj

    # -- operations ----------------------------------------------------------------------------

    def operations(self, head: bool = False):
        """(METHOD, path, operation) for every operation; HEAD only when `head` (the server
        answers HEAD for every GET, and a HEAD's documented answer is its GET's without a body)."""
        for path, item in self.doc.get("paths", {}).items():
            item = self.deref(item)
            for method in HTTP_METHODS:
                if method in item and (head or method != "head"):
                    yield method.upper(), path, item[method]

    def operation(self, method: str, path: str) -> dict:
        item = self.deref(self.doc["paths"][path])
        return item[method.lower()]

    def parameters(self, method: str, path: str) -> list[dict]:
        item = self.deref(self.doc["paths"][path])
        params = {}
        for p in item.get("parameters", []) + item[method.lower()].get("parameters", []):
            p = self.deref(p)
            params[(p["name"], p["in"])] = p
        return list(params.values())

    # -- schemas -------------------------------------------------------------------------------

    def validator(self, schema: dict) -> jsonschema.Draft202012Validator:
        # Registry-free: the schema is wrapped in a document that also holds the components, so
        # every "#/components/..." reference resolves against the whole description (the same as
        # RefResolver.from_schema(whole_doc), and it works with jsonschema 4.10 and later alike).
        wrapper = {"allOf": [schema], "components": self.doc.get("components", {})}
        return jsonschema.Draft202012Validator(wrapper, format_checker=_format_checker())

    def errors(self, schema: dict, instance) -> list[str]:
        out = []
        for err in sorted(self.validator(schema).iter_errors(instance), key=lambda e: list(e.path)):
            where = "/".join(str(p) for p in err.absolute_path) or "(root)"
            out.append(f"  at {where}: {err.message[:300]}")
        return out

    def schema_ref(self, name: str) -> dict:
        assert name in self.doc["components"]["schemas"], f"no schema {name} in components"
        return {"$ref": f"#/components/schemas/{name}"}


@pytest.fixture(scope="module")
def spec() -> Spec:
    assert SPEC_PATH.is_file(), f"{SPEC_PATH} is missing"
    return Spec(SPEC_PATH)


def walk(node, where="#"):
    """Yield (location, dict) for every mapping in the document."""
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            yield from walk(value, f"{where}/{str(key).replace('~', '~0').replace('/', '~1')}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, f"{where}/{i}")


# --------------------------------------------------------------------------------------------
# (a) The routes are the server's routes
# --------------------------------------------------------------------------------------------

def server_routes() -> list[dict]:
    if not CLIENTELE_BIN.is_file():
        pytest.fail(f"server binary not found: {CLIENTELE_BIN} (build it, or point CLIENTELE_BIN at it)")
    proc = subprocess.run([str(CLIENTELE_BIN), "routes"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, f"`clientele routes` exited {proc.returncode}: {proc.stderr}"
    routes = json.loads(proc.stdout)
    assert isinstance(routes, list) and routes, f"`clientele routes` printed {proc.stdout!r}"
    for r in routes:
        assert {"method", "path", "public"} <= set(r), r
    return routes


def served_operations() -> set[tuple[str, str]]:
    """(METHOD, path) the server answers: its routes, and HEAD for each GET route."""
    served = {(r["method"].upper(), r["path"]) for r in server_routes()}
    return served | {("HEAD", p) for m, p in served if m == "GET"}


def test_documented_routes_equal_the_servers_routes(spec):
    served = served_operations()
    documented = {(m, p) for m, p, _ in spec.operations(head=True)}
    missing = sorted(served - documented)
    extra = sorted(documented - served)
    message = []
    if missing:
        message.append("served but not in docs/openapi.yaml:\n" +
                       "\n".join(f"  {m} {p}" for m, p in missing))
    if extra:
        message.append("in docs/openapi.yaml but not served:\n" +
                       "\n".join(f"  {m} {p}" for m, p in extra))
    assert not message, "\n".join(message)


def test_public_routes_are_the_ones_without_security(spec):
    wrong = []
    for r in server_routes():
        method, path = r["method"].upper(), r["path"]
        for documented in [method, "HEAD"] if method == "GET" else [method]:
            op = spec.operation(documented, path)
            security = op.get("security", spec.doc.get("security", []))
            if bool(r["public"]) != (security == []):
                wrong.append(f"  {documented} {path}: public={r['public']} but security={security}")
    assert not wrong, "public routes must have `security: []`, the others a scheme:\n" + "\n".join(wrong)


# --------------------------------------------------------------------------------------------
# (b) A well-formed document
# --------------------------------------------------------------------------------------------

def test_document_basics(spec):
    doc = spec.doc
    assert str(doc.get("openapi", "")).startswith("3.1"), f"openapi is {doc.get('openapi')!r}, want 3.1.x"
    assert doc.get("info", {}).get("title") and doc["info"].get("version"), "info.title and info.version"
    ids = [op.get("operationId") for _, _, op in spec.operations(head=True)]
    assert all(ids), "every operation needs an operationId"
    assert len(ids) == len(set(ids)), f"duplicate operationIds: {sorted(i for i in ids if ids.count(i) > 1)}"
    schemes = doc.get("components", {}).get("securitySchemes", {})
    for requirement in doc.get("security", []):
        for name in requirement:
            assert name in schemes, f"top-level security: unknown security scheme {name}"
    for method, path, op in spec.operations(head=True):
        for requirement in op.get("security", []):
            for name in requirement:
                assert name in schemes, f"{method} {path}: unknown security scheme {name}"
        assert op.get("responses"), f"{method} {path} documents no responses"


def test_every_ref_resolves(spec):
    broken = []
    count = 0
    for where, node in walk(spec.doc):
        ref = node.get("$ref")
        if isinstance(ref, str):
            count += 1
            try:
                spec.pointer(ref)
            except (KeyError, IndexError, ValueError, TypeError) as exc:
                broken.append(f"  {where}: {ref} ({type(exc).__name__}: {exc})")
    assert count > 0
    assert not broken, "unresolved $ref:\n" + "\n".join(broken)


def test_every_path_parameter_is_declared(spec):
    problems = []
    for method, path, _ in spec.operations(head=True):
        in_template = PARAM_RE.findall(path)
        declared = {p["name"]: p for p in spec.parameters(method, path) if p["in"] == "path"}
        for name in in_template:
            if name not in declared:
                problems.append(f"  {method} {path}: path parameter {{{name}}} is not declared")
            elif declared[name].get("required") is not True:
                problems.append(f"  {method} {path}: path parameter {name} must be required: true")
        for name in declared:
            if name not in in_template:
                problems.append(f"  {method} {path}: declares path parameter {name} not in the template")
        for p in spec.parameters(method, path):
            if "schema" not in p and "content" not in p:
                problems.append(f"  {method} {path}: parameter {p['name']} has no schema")
    assert not problems, "\n".join(problems)


def test_schemas_are_valid_json_schema(spec):
    bad = []
    for name, schema in spec.doc["components"]["schemas"].items():
        try:
            jsonschema.Draft202012Validator.check_schema(schema)
        except jsonschema.SchemaError as exc:
            bad.append(f"  {name}: {exc.message}")
    assert not bad, "invalid schemas:\n" + "\n".join(bad)


def test_examples_validate_against_their_schemas(spec):
    bad = []
    for name, schema in spec.doc["components"]["schemas"].items():
        examples = list(schema.get("examples", []))
        if "example" in schema:
            examples.append(schema["example"])
        for example in examples:
            errors = spec.errors(spec.schema_ref(name), example)
            if errors:
                bad.append(f"{name} example {example!r}:\n" + "\n".join(errors))
    assert not bad, "\n".join(bad)


def test_request_bodies_are_closed_and_errors_are_problems(spec):
    problems = []
    for method, path, op in spec.operations(head=True):
        if method == "HEAD":
            get = spec.operation("GET", path)
            if op.get("requestBody") or sorted(op["responses"]) != sorted(get["responses"]):
                problems.append(f"  HEAD {path}: not its GET's answers (statuses {sorted(op['responses'])})")
            if any(spec.deref(r).get("content") for k, r in op["responses"].items() if str(k)[0] == "2"):
                problems.append(f"  HEAD {path}: a success documents a body")
        body = spec.deref(op.get("requestBody")) if op.get("requestBody") else None
        if body:
            for media, content in body["content"].items():
                schema = spec.deref(content["schema"])
                if media.startswith("image/"):  # an upload: the bytes themselves
                    if schema != {"type": "string", "format": "binary"}:
                        problems.append(f"  {method} {path} {media}: an upload's schema is binary")
                    continue
                if schema.get("additionalProperties") is not False:
                    problems.append(f"  {method} {path} {media}: request schema allows unknown fields")
        for status, response in op["responses"].items():
            response = spec.deref(response)
            if str(status)[0] in "45":
                content = response.get("content", {})
                if list(content) != ["application/problem+json"]:
                    problems.append(f"  {method} {path} {status}: content must be application/problem+json only")
                elif content["application/problem+json"]["schema"] != spec.schema_ref("Problem"):
                    problems.append(f"  {method} {path} {status}: schema must be the Problem schema")
    assert not problems, "\n".join(problems)


def test_request_schemas_accept_good_and_refuse_bad_bodies(spec):
    good = {
        "CustomerCreate": [{"name": "Jane"}, {"name": "Jane", "email": None, "address": None,
                                               "preferences": {"a": [1]}, "gender": "female",
                                               "phone": "+1 (555) 010-0100", "locale": "pt-BR"}],
        "CustomerPut": [{"name": "Jane", "phone": ""}],
        "CustomerPatch": [{}, {"email": None, "address": {"city": None}, "preferences": None}],
        "LoginRequest": [{"email": "a@example.com", "password": "x"}],
    }
    bad = {
        "CustomerCreate": [{}, {"name": "J", "id": 3}, {"name": "J", "loyalty_points": 1},
                           {"name": "J", "address": {"planet": "Mars"}}, {"name": "J", "gender": "x"},
                           {"name": "J", "preferences": None}, {"name": None}],
        "CustomerPut": [{"email": "a@example.com"}],
        "CustomerPatch": [{"name": None}, {"purchase_history": []}, {"version": 2}],
        "LoginRequest": [{"email": "a@example.com"}, {"email": "a", "password": "b", "remember": True}],
    }
    wrong = []
    for name, bodies in good.items():
        for body in bodies:
            errors = spec.errors(spec.schema_ref(name), body)
            if errors:
                wrong.append(f"{name} should accept {body!r}:\n" + "\n".join(errors))
    for name, bodies in bad.items():
        for body in bodies:
            if not spec.errors(spec.schema_ref(name), body):
                wrong.append(f"{name} should refuse {body!r}")
    assert not wrong, "\n".join(wrong)


# --------------------------------------------------------------------------------------------
# (c) Real answers against the documented ones
# --------------------------------------------------------------------------------------------

def _media_type(resp) -> str:
    return resp.headers.get("Content-Type", "").split(";")[0].strip().lower()


class Checker:
    """Sends documented requests and checks the answers against the document."""

    def __init__(self, spec: Spec, srv):
        self.spec = spec
        self.srv = srv
        self.exercised: set[tuple[str, str]] = set()

    def call(self, method: str, template: str, *, path_params=None, session=None, body=None,
             content_type="application/json", check_request=True, **kwargs):
        """Sends METHOD template (with path_params filled in); the body, if any, is JSON."""
        method = method.upper()
        op = self.spec.operation(method, template)  # KeyError: not documented
        path = template.format(**(path_params or {}))
        headers = dict(kwargs.pop("headers", {}) or {})
        data = None
        if isinstance(body, bytes):  # an upload: the media type must be documented
            rb = self.spec.deref(op.get("requestBody") or {})
            assert content_type in rb.get("content", {}), (
                f"{method} {template}: {content_type} is not a documented request media type")
            data = body
            headers["Content-Type"] = content_type
        elif body is not None:
            if check_request:
                rb = self.spec.deref(op.get("requestBody") or {})
                content = rb.get("content", {})
                assert content_type in content, (
                    f"{method} {template}: {content_type} is not a documented request media type")
                errors = self.spec.errors(content[content_type]["schema"], body)
                assert not errors, (f"{method} {template}: the test's request body does not match "
                                    f"the documented schema:\n" + "\n".join(errors))
            data = json.dumps(body).encode()
            headers["Content-Type"] = content_type
        requester = session if session is not None else self.srv.session
        return requester.request(method, self.srv.url(path), data=data, headers=headers, **kwargs)

    def check(self, resp, method: str, template: str, status: int):
        """Checks one answer against the documented response for its status; returns the JSON body."""
        method = method.upper()
        where = f"{method} {template} -> {resp.status_code}"
        assert resp.status_code == status, (
            f"{method} {resp.request.path_url}: expected {status}, got {resp.status_code}: {resp.text[:800]}")
        responses = self.spec.operation(method, template)["responses"]
        key = next((k for k in (str(status), f"{str(status)[0]}XX", "default") if k in responses), None)
        assert key is not None, f"{where}: status {status} is not documented (documented: {sorted(responses)})"
        documented = self.spec.deref(responses[key])

        for name, header in documented.get("headers", {}).items():
            header = self.spec.deref(header)
            value = resp.headers.get(name)
            if value is None:
                assert not header.get("required"), f"{where}: the documented header {name} is missing"
                continue
            schema = header.get("schema", {})
            instance = value
            if self.spec.deref(schema).get("type") == "integer":
                assert re.fullmatch(r"[0-9]+", value), f"{where}: header {name}: {value!r} is not an integer"
                instance = int(value)
            errors = self.spec.errors(schema, instance)
            assert not errors, f"{where}: header {name}: {value!r}\n" + "\n".join(errors)

        content = documented.get("content")
        if not content:
            assert resp.content == b"", f"{where}: no body is documented, got {resp.text[:300]!r}"
            self.exercised.add((method, template))
            return None
        media = _media_type(resp)
        assert media in content, f"{where}: Content-Type {media!r}, documented: {sorted(content)}"
        if not media.endswith("json"):  # a text body (CSV): its schema is a string
            errors = self.spec.errors(content[media]["schema"], resp.text)
            assert not errors, f"{where}: " + "\n".join(errors)
            self.exercised.add((method, template))
            return resp.text
        body = resp.json()
        errors = self.spec.errors(content[media]["schema"], body)
        assert not errors, (f"{where}: the body does not match the documented schema:\n" + "\n".join(errors) +
                            f"\nbody: {json.dumps(body)[:1500]}")
        if media == "application/problem+json":
            assert body["status"] == status, f"{where}: problem status {body['status']}"
            if "request_id" in body:
                assert body["request_id"] == resp.headers.get("X-Request-Id"), where
        self.exercised.add((method, template))
        return body


@pytest.fixture(scope="module")
def checker(spec, server) -> Checker:
    return Checker(spec, server)


def new_session() -> requests.Session:
    return TimeoutSession()


def _unique(tag: str) -> str:
    return f"{tag}{uuid.uuid4().hex[:10]}"


def test_every_documented_operation_answers_as_documented(spec, checker):
    c = checker
    cid = "/api/customers/{id}"

    # Health.
    c.check(c.call("GET", "/healthz"), "GET", "/healthz", 200)
    c.check(c.call("GET", "/readyz"), "GET", "/readyz", 200)

    # Auth: sign in with the cookie, who am I (cookie and token), sign out.
    browser = new_session()
    login = {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
    reply = c.check(c.call("POST", "/api/auth/login", session=browser, body=login),
                    "POST", "/api/auth/login", 200)
    csrf = reply["csrf_token"]
    me = c.check(c.call("GET", "/api/auth/me", session=browser), "GET", "/api/auth/me", 200)
    assert me.get("csrf_token") == csrf, me
    me = c.check(c.call("GET", "/api/auth/me"), "GET", "/api/auth/me", 200)
    assert "csrf_token" not in me, "a token caller has no CSRF token"

    # Customers: create (with an Idempotency-Key, then its replay), read, update, list, delete, restore.
    payload = full_customer_payload()
    key = {"Idempotency-Key": _unique("key-")}
    resp = c.call("POST", "/api/customers", body=payload, headers=key)
    created = c.check(resp, "POST", "/api/customers", 201)
    ident = created["id"]
    assert resp.headers["Location"] == f"/api/customers/{ident}"
    assert resp.headers["ETag"] == '"1"'
    resp = c.call("POST", "/api/customers", body=payload, headers=key)
    replay = c.check(resp, "POST", "/api/customers", 201)
    assert replay["id"] == ident and resp.headers.get("Idempotent-Replayed") == "true"

    got = c.check(c.call("GET", cid, path_params={"id": ident}), "GET", cid, 200)
    assert got["purchase_history"] == [] and got["loyalty_points"] == 0, got

    # The same customer through the cookie session (CSRF token on the unsafe method).
    resp = c.call("PUT", cid, path_params={"id": ident}, session=browser,
                  headers={"X-CSRF-Token": csrf, "If-Match": '"1"'},
                  body={"name": "Jane Smith", "email": f"jane.{_unique('')}@example.com",
                        "phone": "+9876543210"})
    put = c.check(resp, "PUT", cid, 200)
    assert put["message"] == "Customer updated successfully." and put["customer"]["version"] == 2, put
    assert resp.headers["ETag"] == '"2"'

    resp = c.call("PATCH", cid, path_params={"id": ident}, content_type="application/merge-patch+json",
                  body={"address": {"city": None}, "notes": None, "preferences": {"vip": True}})
    patched = c.check(resp, "PATCH", cid, 200)
    assert patched["customer"]["address"]["city"] is None
    assert patched["customer"]["preferences"] == {"newsletter": True, "vip": True}
    resp = c.call("PATCH", cid, path_params={"id": ident}, body={"locale": "pt-BR"})
    c.check(resp, "PATCH", cid, 200)

    # A second customer, so that a page of one has a next_cursor.
    c.check(c.call("POST", "/api/customers", body={"name": _unique("Second ")}), "POST", "/api/customers", 201)
    page = c.check(c.call("GET", "/api/customers", params={"limit": 1, "sort": "name", "total": "true"}),
                   "GET", "/api/customers", 200)
    assert page["total"] >= 2 and isinstance(page["next_cursor"], str), page
    assert "purchase_history" not in page["data"][0]
    page = c.check(c.call("GET", "/api/customers",
                          params={"limit": 1, "sort": "name", "cursor": page["next_cursor"]}),
                   "GET", "/api/customers", 200)
    assert "total" not in page
    filtered = c.check(c.call("GET", "/api/customers",
                              params={"q": "Jane Smith", "country": "US", "gender": "male",
                                      "created_from": "2000-01-01", "sort": "-email"}),
                       "GET", "/api/customers", 200)
    assert [x["id"] for x in filtered["data"]] == [ident], filtered

    deleted = c.check(c.call("DELETE", cid, path_params={"id": ident}, session=browser,
                             headers={"X-CSRF-Token": csrf}),
                      "DELETE", cid, 200)
    assert deleted == {"message": "Customer deleted successfully."}
    archive = c.check(c.call("GET", "/api/customers", params={"deleted": "true", "email": put["customer"]["email"]}),
                      "GET", "/api/customers", 200)
    assert [x["id"] for x in archive["data"]] == [ident], archive

    restored = c.check(c.call("POST", "/api/customers/{id}/restore", path_params={"id": ident}),
                       "POST", "/api/customers/{id}/restore", 200)
    assert restored["message"] == "Customer restored successfully." and restored["customer"]["id"] == ident

    # Orders: the settings, a push (with its replay and a second push of the number), a status
    # change, the lists, a customer's orders and the customer list's value sort.
    c.check(c.call("GET", "/api/settings"), "GET", "/api/settings", 200)
    c.check(c.call("PATCH", "/api/settings", body={"base_currency": "USD"}), "PATCH", "/api/settings", 200)
    order = {"number": _unique("SO-"), "customer_id": ident, "currency": "EUR", "exchange_rate": "1.0834",
             "status": "paid", "placed_at": "2026-05-01T10:00:00Z",
             "lines": [{"sku": "W-1", "name": "Widget", "quantity": 2, "unit_price": 1000, "tax": 200}],
             "shipping": 500, "total": 2700}
    key = {"Idempotency-Key": _unique("order-")}
    pushed = c.check(c.call("POST", "/api/orders", body=order, headers=key), "POST", "/api/orders", 201)
    c.check(c.call("POST", "/api/orders", body=order, headers=key), "POST", "/api/orders", 201)
    c.check(c.call("POST", "/api/orders", body=dict(order, exchange_rate=1.1)), "POST", "/api/orders", 200)
    oid = "/api/orders/{id}"
    c.check(c.call("GET", oid, path_params={"id": pushed["id"]}), "GET", oid, 200)
    c.check(c.call("PATCH", oid, path_params={"id": pushed["id"]}, headers={"If-Match": '"2"'},
                   body={"status": "partially_refunded", "refunded_amount": 700}), "PATCH", oid, 200)
    c.check(c.call("PATCH", oid, path_params={"id": pushed["id"]}, body={"status": "pending"}), "PATCH", oid, 409)
    c.check(c.call("GET", "/api/orders", params={"status": "partially_refunded", "currency": "EUR",
                                                  "placed_from": "2026-01-01", "limit": 1}),
            "GET", "/api/orders", 200)
    c.check(c.call("GET", "/api/customers/{id}/orders", path_params={"id": ident}),
            "GET", "/api/customers/{id}/orders", 200)
    got = c.check(c.call("GET", cid, path_params={"id": ident}), "GET", cid, 200)
    assert [p["order_id"] for p in got["purchase_history"]] == [pushed["id"]], got
    c.check(c.call("GET", "/api/customers", params={"sort": "-lifetime_value", "min_order_count": 1}),
            "GET", "/api/customers", 200)

    # Clients (operator only): create with credentials, list, read, update, reset, toggle, and the
    # client's own sign-in.
    ccid = "/api/clients/{id}"
    client_body = {"company_name": "ABC Store", "contact_email": f"abc.{_unique('')}@store.example",
                   "business_type": "retail", "gst_number": "27AAPFU0939F1ZV"}
    resp = c.call("POST", "/api/clients", body=client_body)
    client = c.check(resp, "POST", "/api/clients", 201)
    assert resp.headers["Location"] == f"/api/clients/{client['id']}"
    creds = client["credentials"]
    c.check(c.call("GET", "/api/clients", params={"q": "abc", "is_active": "true", "limit": 5}),
            "GET", "/api/clients", 200)
    c.check(c.call("GET", ccid, path_params={"id": client["id"]}), "GET", ccid, 200)
    template = c.check(c.call("GET", "/api/clients/credentials-template"),
                       "GET", "/api/clients/credentials-template", 200)
    c.check(c.call("PUT", "/api/clients/credentials-template", body={"template": template["template"]}),
            "PUT", "/api/clients/credentials-template", 200)
    exported = c.check(c.call("GET", "/api/clients/export"), "GET", "/api/clients/export", 200)
    assert exported.startswith("\ufeffid,company_name,") and creds["username"] in exported
    c.check(c.call("PUT", ccid, path_params={"id": client["id"]},
                   body=dict(client_body, company_name="ABC Stores Ltd")), "PUT", ccid, 200)
    reset = c.check(c.call("POST", "/api/clients/{id}/reset-password", path_params={"id": client["id"]}),
                    "POST", "/api/clients/{id}/reset-password", 200)
    c.check(c.call("POST", "/api/auth/client-login", session=new_session(),
                   body={"username": creds["username"], "password": reset["credentials"]["password"]}),
            "POST", "/api/auth/client-login", 200)
    owner = new_session()
    signed_in = c.check(c.call("POST", "/api/auth/client-login", session=owner,
                               body={"username": creds["username"], "password": reset["credentials"]["password"]}),
                        "POST", "/api/auth/client-login", 200)
    c.check(c.call("POST", "/api/auth/change-password", session=owner,
                   headers={"X-CSRF-Token": signed_in["csrf_token"]},
                   body={"current_password": reset["credentials"]["password"],
                         "new_password": "a much longer passphrase"}),
            "POST", "/api/auth/change-password", 200)
    c.check(c.call("POST", "/api/clients/{id}/toggle-status", path_params={"id": client["id"]}),
            "POST", "/api/clients/{id}/toggle-status", 200)

    # Users: the role table, invite (with its replay), accept, list, read, change, renew, remove.
    uid = "/api/users/{id}"
    c.check(c.call("GET", "/api/roles"), "GET", "/api/roles", 200)
    invite = {"email": f"staff.{_unique('')}@team.example", "name": "Sam Sales", "role": "sales"}
    key = {"Idempotency-Key": _unique("invite-")}
    invited = c.check(c.call("POST", "/api/users", body=invite, headers=key), "POST", "/api/users", 201)
    replay = c.check(c.call("POST", "/api/users", body=invite, headers=key), "POST", "/api/users", 201)
    assert replay["invitation"]["token"] is None and replay["id"] == invited["id"]
    joined = c.check(c.call("POST", "/api/auth/accept-invitation", session=new_session(),
                            body={"token": invited["invitation"]["token"], "password": "a long passphrase"}),
                     "POST", "/api/auth/accept-invitation", 200)
    assert joined["user"]["role"] == "sales"
    c.check(c.call("GET", "/api/users", params={"role": "sales", "status": "active", "limit": 1}),
            "GET", "/api/users", 200)
    c.check(c.call("GET", uid, path_params={"id": invited["id"]}), "GET", uid, 200)
    c.check(c.call("PATCH", uid, path_params={"id": invited["id"]}, headers={"If-Match": '"2"'},
                   content_type="application/merge-patch+json", body={"role": "support"}), "PATCH", uid, 200)
    pending = c.check(c.call("POST", "/api/users", body={"email": f"later.{_unique('')}@team.example",
                                                         "role": "viewer"}), "POST", "/api/users", 201)
    c.check(c.call("POST", "/api/users/{id}/invitation", path_params={"id": pending["id"]}),
            "POST", "/api/users/{id}/invitation", 200)
    c.check(c.call("DELETE", uid, path_params={"id": pending["id"]}), "DELETE", uid, 200)

    # Partners: group counts, a company's contacts and a customer's addresses.
    c.check(c.call("GET", "/api/customers/groups", params={"by": "account_type", "preset": "individuals"}),
            "GET", "/api/customers/groups", 200)
    company = c.check(c.call("POST", "/api/customers", body={"name": _unique("Co "), "account_type": "company"}),
                      "POST", "/api/customers", 201)
    contacts, contact = "/api/customers/{id}/contacts", "/api/customers/{id}/contacts/{contact_id}"
    person = c.check(c.call("POST", contacts, path_params={"id": company["id"]}, body={"name": "Contact Person"}),
                     "POST", contacts, 201)
    c.check(c.call("GET", contacts, path_params={"id": company["id"]}, params={"sort": "name"}), "GET", contacts, 200)
    ids = {"id": company["id"], "contact_id": person["id"]}
    c.check(c.call("PUT", contact, path_params=ids, body={"name": "Contact Person", "job_title": "Buyer"}),
            "PUT", contact, 200)
    c.check(c.call("PATCH", contact, path_params=ids, body={"job_title": "Head Buyer"}), "PATCH", contact, 200)
    c.check(c.call("DELETE", contact, path_params=ids), "DELETE", contact, 200)
    addresses, one_address = "/api/customers/{id}/addresses", "/api/customers/{id}/addresses/{address_id}"
    made = c.check(c.call("POST", addresses, path_params={"id": company["id"]},
                          body={"type": "invoice", "city": "London", "country": "GB", "state": "ENG"}),
                   "POST", addresses, 201)
    c.check(c.call("GET", addresses, path_params={"id": company["id"]}), "GET", addresses, 200)
    aids = {"id": company["id"], "address_id": made["id"]}
    c.check(c.call("PUT", one_address, path_params=aids, body={"type": "delivery", "city": "Leeds"}),
            "PUT", one_address, 200)
    c.check(c.call("DELETE", one_address, path_params=aids), "DELETE", one_address, 200)

    # The portal: register, me, profile, password, logout, login; an admin's invitation, accepted; revoke.
    pb = "/api/portal/{workspace}"
    ws = {"workspace": "default"}
    visitor = new_session()
    c.check(c.call("GET", pb, path_params=ws, session=visitor), "GET", pb, 200)
    c.check(c.call("GET", pb, path_params={"workspace": "no-such-shop"}, session=visitor), "GET", pb, 404)
    email = f"portal.{_unique('')}@mail.example"
    secret = "a fine portal passphrase"
    reg = c.check(c.call("POST", pb + "/register", path_params=ws, session=visitor,
                         body={"name": "Pat", "email": email, "password": secret, "password_confirmation": secret}),
                  "POST", pb + "/register", 201)
    csrf_p = {"X-CSRF-Token": reg["csrf_token"]}
    c.check(c.call("GET", pb + "/me", path_params=ws, session=visitor), "GET", pb + "/me", 200)
    c.check(c.call("PATCH", pb + "/me", path_params=ws, session=visitor, headers=csrf_p, body={"locale": "en-GB"}),
            "PATCH", pb + "/me", 200)
    c.check(c.call("POST", pb + "/change-password", path_params=ws, session=visitor, headers=csrf_p,
                   body={"current_password": secret, "new_password": secret + " two",
                         "new_password_confirmation": secret + " two"}), "POST", pb + "/change-password", 200)
    c.check(c.call("POST", pb + "/logout", path_params=ws, session=visitor, headers=csrf_p), "POST", pb + "/logout", 204)
    c.check(c.call("POST", pb + "/login", path_params=ws, session=new_session(),
                   body={"email": email, "password": secret + " two"}), "POST", pb + "/login", 200)
    invitee = c.check(c.call("POST", "/api/customers", body={"name": "Invitee", "email": f"inv.{_unique('')}@mail.example"}),
                      "POST", "/api/customers", 201)
    link = c.check(c.call("POST", "/api/customers/{id}/portal-invitation", path_params={"id": invitee["id"]}),
                   "POST", "/api/customers/{id}/portal-invitation", 200)
    c.check(c.call("POST", pb + "/accept-invitation", path_params=ws, session=new_session(),
                   body={"token": link["token"], "password": secret, "password_confirmation": secret}),
            "POST", pb + "/accept-invitation", 200)
    c.check(c.call("DELETE", "/api/customers/{id}/portal-access", path_params={"id": invitee["id"]}),
            "DELETE", "/api/customers/{id}/portal-access", 200)

    # An avatar: upload, the image and its thumbnail, removal.
    png = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(png, format="PNG")
    av = "/api/customers/{id}/avatar"
    uploaded = c.check(c.call("PUT", av, path_params={"id": company["id"]}, body=png.getvalue(),
                              content_type="image/png"), "PUT", av, 200)
    assert uploaded["avatar"]["width"] == 64
    c.check(c.call("GET", av, path_params={"id": company["id"]}), "GET", av, 200)
    c.check(c.call("GET", av + "/thumbnail", path_params={"id": company["id"]}), "GET", av + "/thumbnail", 200)
    c.check(c.call("DELETE", av, path_params={"id": company["id"]}), "DELETE", av, 200)

    # The workspace's lists and the countries.
    for path, body, patch in [("/api/customer-titles", {"name": _unique("Title "), "short_name": "T."}, {"short_name": "Tt."}),
                              ("/api/industries", {"name": _unique("Sector "), "full_name": "A sector"}, {"full_name": "B"}),
                              ("/api/tags", {"name": _unique("Tag ")}, {"color": "#112233"})]:
        one = path + "/{id}"
        made = c.check(c.call("POST", path, body=body), "POST", path, 201)
        c.check(c.call("GET", path, params={"limit": 5}), "GET", path, 200)
        c.check(c.call("GET", one, path_params={"id": made["id"]}), "GET", one, 200)
        c.check(c.call("PATCH", one, path_params={"id": made["id"]}, body=patch), "PATCH", one, 200)
        c.check(c.call("DELETE", one, path_params={"id": made["id"]}), "DELETE", one, 204)
    c.check(c.call("GET", "/api/countries"), "GET", "/api/countries", 200)
    c.check(c.call("GET", "/api/countries/{code}/subdivisions", path_params={"code": "US"}),
            "GET", "/api/countries/{code}/subdivisions", 200)

    # A customer export and its job: start, follow, download; retry and cancel refuse a done job.
    ex = "/api/customers/exports"
    started = c.check(c.call("POST", ex, body={"format": "csv", "filter": {"q": "smith"}}), "POST", ex, 202)
    job = {"id": started["id"]}
    for _ in range(300):
        done = c.check(c.call("GET", ex + "/{id}", path_params=job), "GET", ex + "/{id}", 200)
        if done["state"] == "done":
            break
        time.sleep(0.1)
    assert done["state"] == "done", done
    c.check(c.call("GET", ex + "/{id}/download", path_params=job), "GET", ex + "/{id}/download", 200)
    c.check(c.call("GET", "/api/jobs", params={"kind": "customers.export", "limit": 5}), "GET", "/api/jobs", 200)
    c.check(c.call("GET", "/api/jobs/{id}", path_params=job), "GET", "/api/jobs/{id}", 200)
    c.check(c.call("POST", "/api/jobs/{id}/retry", path_params=job), "POST", "/api/jobs/{id}/retry", 409)
    c.check(c.call("POST", "/api/jobs/{id}/cancel", path_params=job), "POST", "/api/jobs/{id}/cancel", 409)
    # The audit trail of all the above.
    c.check(c.call("GET", "/api/audit-events", params={"limit": 5, "action": "customer.*"}),
            "GET", "/api/audit-events", 200)
    c.check(c.call("GET", "/api/customers/{id}/history", path_params={"id": company["id"]}),
            "GET", "/api/customers/{id}/history", 200)
    # API tokens: the list, and a revoke (of a token made for it, not the one this test uses).
    run_cli(["token", "create", "--db", str(c.srv.db_path), "--email", ADMIN_EMAIL, "--name", "openapi"])
    tokens = c.check(c.call("GET", "/api/tokens", params={"q": "openapi"}), "GET", "/api/tokens", 200)["data"]
    assert [t["name"] for t in tokens] == ["openapi"]
    c.check(c.call("DELETE", "/api/tokens/{id}", path_params={"id": tokens[0]["id"]}), "DELETE", "/api/tokens/{id}", 204)
    c.check(c.call("DELETE", "/api/tokens/{id}", path_params={"id": tokens[0]["id"]}), "DELETE", "/api/tokens/{id}", 404)

    # Sign out last (the cookie session ends; the token keeps working).
    c.check(c.call("POST", "/api/auth/logout", session=browser, headers={"X-CSRF-Token": csrf}),
            "POST", "/api/auth/logout", 204)
    c.check(c.call("GET", "/api/auth/me", session=browser), "GET", "/api/auth/me", 401)

    not_exercised = sorted({(m, p) for m, p, _ in spec.operations()} - c.exercised)
    assert not not_exercised, f"documented operations this test did not call: {not_exercised}"


def test_head_is_answered_for_every_get_path(spec, checker, server):
    ident = checker.check(checker.call("POST", "/api/customers", body={"name": _unique("Head "),
                                                                      "account_type": "company"}),
                          "POST", "/api/customers", 201)["id"]
    client_id = checker.check(checker.call("POST", "/api/clients", body={
        "company_name": "Head Co", "contact_email": f"head.{_unique('')}@store.example"}),
        "POST", "/api/clients", 201)["id"]
    png = io.BytesIO()
    Image.new("RGB", (8, 8)).save(png, format="PNG")
    assert server.put(f"/api/customers/{ident}/avatar", data=png.getvalue(),
                      headers={"Content-Type": "image/png"}).status_code == 200
    visitor = new_session()  # a portal customer, for the portal's GET
    secret = "a fine portal passphrase"
    checker.check(checker.call("POST", "/api/portal/{workspace}/register", path_params={"workspace": "default"},
                               session=visitor, body={"name": "Head", "email": f"head.{_unique('')}@mail.example",
                                                      "password": secret, "password_confirmation": secret}),
                  "POST", "/api/portal/{workspace}/register", 201)
    tag_id = checker.check(checker.call("POST", "/api/tags", body={"name": _unique("Head ")}),
                           "POST", "/api/tags", 201)["id"]
    export_id = checker.check(checker.call("POST", "/api/customers/exports", body={"format": "jsonl"}),
                              "POST", "/api/customers/exports", 202)["id"]
    order_id = checker.check(checker.call("POST", "/api/orders", body={
        "number": _unique("HEAD-"), "customer_id": ident, "currency": "USD", "placed_at": "2026-05-01",
        "lines": [{"name": "Widget", "quantity": 1, "unit_price": 100}], "total": 100}),
        "POST", "/api/orders", 201)["id"]
    for _ in range(300):  # done, so that its download answers 200
        if server.get(f"/api/jobs/{export_id}").json()["state"] == "done":
            break
        time.sleep(0.1)
    for method, template, _ in spec.operations(head=True):
        if method != "HEAD":
            continue
        ids = {"clients": client_id, "customers": ident, "users": 1, "customer-titles": 1, "industries": 1,
               "tags": tag_id, "jobs": export_id, "exports": export_id, "orders": order_id}
        resource = template.split("/")[2] if template.startswith("/api/") else None
        if template.startswith("/api/customers/exports/"):
            resource = "exports"
        path = template.format(id=ids.get(resource, ident), code="US", workspace="default")
        if template == "/api/customers/groups":
            path += "?by=tag"
        caller = visitor if template.startswith("/api/portal/") else server.session
        get = caller.get(server.url(path), timeout=30)
        head = caller.head(server.url(path), timeout=30)
        assert head.status_code == get.status_code == 200, f"HEAD {path}: {head.status_code}, GET {get.status_code}"
        checker.check(head, "HEAD", template, 200)  # documented headers, no body
        assert "X-Request-Id" in head.headers
        assert head.headers.get("Content-Type") == get.headers.get("Content-Type"), path
    documented_heads = {(m, p) for m, p, _ in spec.operations(head=True) if m == "HEAD"}
    assert documented_heads <= checker.exercised


def test_unauthenticated_is_a_documented_problem(checker, server):
    for method, template in [("GET", "/api/customers"), ("GET", "/api/auth/me"), ("GET", "/api/customers/{id}")]:
        resp = checker.call(method, template, path_params={"id": 1}, session=new_session())
        body = checker.check(resp, method, template, 401)
        assert body["type"] == "/problems/unauthenticated", body
    resp = checker.call("POST", "/api/customers", session=new_session(), body={"name": "Nobody"})
    assert checker.check(resp, "POST", "/api/customers", 401)["type"] == "/problems/unauthenticated"


def test_invalid_credentials_is_a_documented_problem(checker):
    resp = checker.call("POST", "/api/auth/login", session=new_session(),
                        body={"email": ADMIN_EMAIL, "password": "not the password"})
    body = checker.check(resp, "POST", "/api/auth/login", 401)
    assert body["type"] == "/problems/invalid-credentials", body


def test_not_found_is_a_documented_problem(spec, checker, server):
    for method, template in [("GET", "/api/customers/{id}"), ("DELETE", "/api/customers/{id}"),
                             ("POST", "/api/customers/{id}/restore")]:
        body = checker.check(checker.call(method, template, path_params={"id": 987654321}), method, template, 404)
        assert body["type"] == "/problems/not-found", body
    resp = checker.call("PATCH", "/api/customers/{id}", path_params={"id": 987654321}, body={"notes": "x"})
    assert checker.check(resp, "PATCH", "/api/customers/{id}", 404)["type"] == "/problems/not-found"
    # An address that is no route: not an operation of the document, but still a Problem.
    resp = server.get("/api/no-such-thing")
    assert resp.status_code == 404 and _media_type(resp) == "application/problem+json"
    assert not spec.errors(spec.schema_ref("Problem"), resp.json())


def test_validation_failed_is_a_documented_problem(checker):
    resp = checker.call("POST", "/api/customers", check_request=False,
                        body={"name": "V", "unknown_field": 1, "loyalty_points": 5,
                              "address": {"country": "usa"}})
    body = checker.check(resp, "POST", "/api/customers", 422)
    assert body["type"] == "/problems/validation-failed", body
    fields = {e["field"] for e in body["errors"]}
    assert {"unknown_field", "loyalty_points", "address.country"} <= fields, body

    body = checker.check(checker.call("GET", "/api/customers", params={"limit": 0, "sort": "age", "colour": "red"}),
                         "GET", "/api/customers", 422)
    assert {"limit", "sort", "colour"} <= {e["field"] for e in body["errors"]}, body

    resp = checker.call("POST", "/api/auth/login", session=new_session(), check_request=False,
                        body={"email": ADMIN_EMAIL})
    assert checker.check(resp, "POST", "/api/auth/login", 422)["errors"][0]["field"] == "password"


def test_other_errors_are_documented_problems(checker, server):
    c = checker
    cid = "/api/customers/{id}"
    customer = c.check(c.call("POST", "/api/customers", body=full_customer_payload()), "POST", "/api/customers", 201)
    ident = customer["id"]

    # 400: a cursor this server did not make; a body that is not a JSON object.
    body = c.check(c.call("GET", "/api/customers", params={"cursor": "not-a-cursor"}), "GET", "/api/customers", 400)
    assert body["type"] == "/problems/bad-request", body
    resp = server.post("/api/customers", data=b"[1, 2]", headers={"Content-Type": "application/json"})
    assert c.check(resp, "POST", "/api/customers", 400)["type"] == "/problems/malformed-json"

    # 403: the cookie without the CSRF token.
    browser = new_session()
    c.check(c.call("POST", "/api/auth/login", session=browser,
                   body={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}), "POST", "/api/auth/login", 200)
    resp = c.call("PATCH", cid, path_params={"id": ident}, session=browser, body={"notes": "csrf"})
    assert c.check(resp, "PATCH", cid, 403)["type"] == "/problems/csrf-failed"

    # 405 with Allow.
    resp = server.delete("/api/customers")
    body = c.check(resp, "GET", "/api/customers", 405)
    assert body["type"] == "/problems/method-not-allowed"
    allowed = {m.strip() for m in resp.headers["Allow"].split(",")}
    assert {"GET", "POST"} <= allowed, resp.headers["Allow"]

    # 409: the e-mail address of a live customer.
    resp = c.call("POST", "/api/customers", body={"name": "Dup", "email": customer["email"].upper()})
    body = c.check(resp, "POST", "/api/customers", 409)
    assert body["type"] == "/problems/conflict", body

    # 412: a stale If-Match.
    c.check(c.call("PATCH", cid, path_params={"id": ident}, body={"notes": "v2"}), "PATCH", cid, 200)
    resp = c.call("PUT", cid, path_params={"id": ident}, headers={"If-Match": '"1"'}, body={"name": "Stale"})
    assert c.check(resp, "PUT", cid, 412)["type"] == "/problems/precondition-failed"
    resp = c.call("DELETE", cid, path_params={"id": ident}, headers={"If-Match": '"1"'})
    assert c.check(resp, "DELETE", cid, 412)["type"] == "/problems/precondition-failed"

    # 415: a body that is not JSON.
    resp = server.put(f"/api/customers/{ident}", data=b"name=x",
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert c.check(resp, "PUT", cid, 415)["type"] == "/problems/unsupported-media-type"

    # 422: the same Idempotency-Key with another body.
    key = {"Idempotency-Key": _unique("reuse-")}
    c.check(c.call("POST", "/api/customers", body={"name": _unique("Idem ")}, headers=key), "POST", "/api/customers", 201)
    resp = c.call("POST", "/api/customers", body={"name": _unique("Other ")}, headers=key)
    assert c.check(resp, "POST", "/api/customers", 422)["type"] == "/problems/idempotency-key-reused"


def test_payload_too_large_is_a_documented_problem(spec, server):
    # Announce a body over the 1 MiB default and send none: the server answers from the headers.
    with socket.create_connection((server.host, server.port), timeout=15) as sock:
        sock.sendall((f"POST /api/customers HTTP/1.1\r\nHost: {server.host}\r\n"
                      f"Authorization: Bearer {server.token}\r\nContent-Type: application/json\r\n"
                      f"Content-Length: {2 * 1024 * 1024}\r\n\r\n").encode())
        status, headers, raw = read_http_response(sock)
    assert status == 413, raw[:300]
    documented = spec.deref(spec.operation("POST", "/api/customers")["responses"]["413"])
    assert headers.get("content-type", "").split(";")[0] in documented["content"], headers
    body = json.loads(raw)
    errors = spec.errors(documented["content"]["application/problem+json"]["schema"], body)
    assert not errors, "\n".join(errors)
    assert body["type"] == "/problems/payload-too-large" and body["status"] == 413, body
    assert body.get("request_id") == headers.get("x-request-id"), (body, headers)
