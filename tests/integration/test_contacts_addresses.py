"""A company's contacts and a customer's typed addresses (seed 000's Contacts and Address tabs), and
what deleting a company with contacts does."""

import pytest

from conftest import assert_json, assert_problem, unique_suffix


def new_company(server, name="Acme Corp"):
    return assert_json(server.post("/api/customers", json={"name": f"{name} {unique_suffix()}",
                                                           "account_type": "company"}), 201)


def test_contacts_crud(server):
    company = new_company(server)
    base = f"/api/customers/{company['id']}/contacts"
    resp = server.post(base, json={"name": "Alice Buyer", "email": f"alice.{unique_suffix()}@acme.example",
                                   "phone": "+1 201 555 0100", "mobile": "+1 201 555 0101",
                                   "job_title": "Purchasing", "notes": "Prefers mornings"})
    alice = assert_json(resp, 201)
    assert resp.headers["Location"] == f"/api/customers/{alice['id']}"
    assert alice["account_type"] == "individual" and alice["company"]["id"] == company["id"]
    bob = assert_json(server.post(base, json={"name": "Bob Accounts"}), 201)
    # A contact is a customer: it is searchable and readable like any other.
    assert assert_json(server.get(f"/api/customers/{alice['id']}"), 200)["job_title"] == "Purchasing"
    listed = assert_json(server.get(base, params={"sort": "name"}), 200)
    assert [c["name"] for c in listed["data"]] == ["Alice Buyer", "Bob Accounts"]
    assert assert_json(server.get("/api/customers", params={"company_id": company["id"], "total": "true"}),
                       200)["total"] == 2

    edited = assert_json(server.patch(f"{base}/{bob['id']}", json={"job_title": "Controller"}), 200)
    assert edited["message"] == "Contact updated successfully." and edited["customer"]["job_title"] == "Controller"
    replaced = assert_json(server.put(f"{base}/{bob['id']}", json={"name": "Robert Accounts"}), 200)
    assert replaced["customer"]["name"] == "Robert Accounts" and replaced["customer"]["company"]["id"] == company["id"]
    assert assert_json(server.delete(f"{base}/{bob['id']}"), 200) == {"message": "Contact deleted successfully."}
    assert [c["id"] for c in assert_json(server.get(base), 200)["data"]] == [alice["id"]]


def test_contact_rules(server):
    company = new_company(server)
    other = new_company(server, "Other Inc")
    base = f"/api/customers/{company['id']}/contacts"
    alice = assert_json(server.post(base, json={"name": "Alice"}), 201)
    # The company is set by the address, not the body.
    for field, value in [("company_id", other["id"]), ("account_type", "company"), ("company_name", "X")]:
        assert_problem(server.post(base, json={"name": "Sneaky", field: value}), 422, "validation-failed", field=field)
    assert_problem(server.post(base, json={}), 422, "validation-failed", field="name")
    # Another company's contact is not this one's.
    assert_problem(server.patch(f"/api/customers/{other['id']}/contacts/{alice['id']}", json={"name": "X"}),
                   404, "not-found")
    assert_problem(server.delete(f"/api/customers/{other['id']}/contacts/{alice['id']}"), 404, "not-found")
    # An individual has no contacts; an unknown customer is 404.
    person = assert_json(server.post("/api/customers", json={"name": "Individual"}), 201)
    assert_problem(server.post(f"/api/customers/{person['id']}/contacts", json={"name": "X"}), 409, "conflict")
    assert_problem(server.get("/api/customers/999999/contacts"), 404, "not-found")


def test_a_company_with_contacts_is_deleted_only_on_purpose(server):
    company = new_company(server)
    base = f"/api/customers/{company['id']}/contacts"
    contacts = [assert_json(server.post(base, json={"name": f"Person {i}"}), 201) for i in range(2)]
    resp = server.delete(f"/api/customers/{company['id']}")
    assert_problem(resp, 409, "conflict")
    assert "2 contact(s)" in resp.json()["detail"] and "cascade=contacts" in resp.json()["detail"]
    assert_json(server.get(f"/api/customers/{company['id']}"), 200)  # nothing happened
    assert_problem(server.delete(f"/api/customers/{company['id']}?cascade=everything"), 422,
                   "validation-failed", field="cascade")
    assert_json(server.delete(f"/api/customers/{company['id']}?cascade=contacts"), 200)
    for c in [company] + contacts:
        assert_problem(server.get(f"/api/customers/{c['id']}"), 404, "not-found")
    archived = assert_json(server.get("/api/customers", params={"preset": "archived", "company_id": company["id"]}),
                           200)["data"]
    assert sorted(c["id"] for c in archived) == sorted(c["id"] for c in contacts)
    # Restorable, like any archived customer, and with the contacts archived with it on request;
    # a contact archived on its own before stays archived.
    assert_json(server.post(f"/api/customers/{company['id']}/restore?cascade=contacts"), 200)
    assert sorted(c["id"] for c in assert_json(server.get(base), 200)["data"]) == sorted(c["id"] for c in contacts)
    server.delete(f"/api/customers/{contacts[0]['id']}").raise_for_status()
    assert_json(server.delete(f"/api/customers/{company['id']}?cascade=contacts"), 200)
    assert_json(server.post(f"/api/customers/{company['id']}/restore?cascade=contacts"), 200)
    assert [c["id"] for c in assert_json(server.get(base), 200)["data"]] == [contacts[1]["id"]]


def address(kind, **fields):
    body = {"type": kind, "full_name": "Ada Lovelace", "email": "ADA@Example.com", "phone": "+44 20 7946 0958",
            "street": "12 St James's Square", "city": "London", "postal_code": "SW1Y 4LB",
            "state": "eng", "country": "GB"}
    body.update(fields)
    return body


def test_typed_addresses_and_their_defaults(server):
    c = assert_json(server.post("/api/customers", json={"name": f"Addressed {unique_suffix()}"}), 201)
    base = f"/api/customers/{c['id']}/addresses"
    resp = server.post(base, json=address("invoice"))
    first = assert_json(resp, 201)
    assert resp.headers["Location"] == f"{base}/{first['id']}"
    assert first["email"] == "ada@example.com" and first["state"] == "ENG" and first["country"] == "GB"
    assert first["is_default_invoice"] is True  # the only invoice address is the default one
    second = assert_json(server.post(base, json=address("invoice", street="1 Other St")), 201)
    assert second["is_default_invoice"] is False
    delivery = assert_json(server.post(base, json=address("delivery")), 201)
    permanent = assert_json(server.post(base, json=address("permanent", country="US", state="IL")), 201)
    assert delivery["is_default_delivery"] is True and permanent["is_default_invoice"] is False
    # Marking another takes the mark from the first.
    marked = assert_json(server.put(f"{base}/{second['id']}", json=address("invoice", street="1 Other St",
                                                                           is_default_invoice=True)), 200)
    assert marked["message"] == "Address updated successfully." and marked["address"]["is_default_invoice"]
    listed = {a["id"]: a for a in assert_json(server.get(base), 200)["data"]}
    assert [listed[i]["is_default_invoice"] for i in (first["id"], second["id"])] == [False, True]
    assert [a["type"] for a in listed.values()] == ["invoice", "invoice", "delivery", "permanent"]
    # When the default goes, the oldest other of its kind takes over.
    assert assert_json(server.delete(f"{base}/{second['id']}"), 200) == {"message": "Address deleted successfully."}
    assert assert_json(server.get(base), 200)["data"][0]["is_default_invoice"] is True
    # An edit that does not mention the mark keeps it.
    kept = assert_json(server.put(f"{base}/{delivery['id']}", json=address("delivery", city="Bath")), 200)
    assert kept["address"]["is_default_delivery"] is True and kept["address"]["city"] == "Bath"
    assert kept["address"]["version"] == 2
    assert_problem(server.put(f"{base}/{delivery['id']}", json=address("delivery"), headers={"If-Match": '"1"'}),
                   412, "precondition-failed")


@pytest.mark.parametrize("fields, field", [
    ({"type": "holiday"}, "type"),
    ({"type": None}, "type"),
    ({"email": "nobody@"}, "email"),
    ({"phone": "call me"}, "phone"),
    ({"country": "XX"}, "country"),
    ({"state": "IL"}, "state"),  # Illinois is not in GB
    ({"state": "ENG", "country": None}, "state"),
    ({"is_default_delivery": True}, "is_default_delivery"),  # an invoice address
    ({"colour": "red"}, "colour"),
])
def test_bad_addresses_are_422(server, fields, field):
    c = assert_json(server.post("/api/customers", json={"name": f"Bad Address {unique_suffix()}"}), 201)
    body = address("invoice")
    body.update(fields)
    body = {k: v for k, v in body.items() if v is not None or k == "type"}
    assert_problem(server.post(f"/api/customers/{c['id']}/addresses", json=body), 422, "validation-failed",
                   field=field)
    assert assert_json(server.get(f"/api/customers/{c['id']}/addresses"), 200)["data"] == []


def test_addresses_belong_to_their_customer(server):
    a = assert_json(server.post("/api/customers", json={"name": f"Owner {unique_suffix()}"}), 201)
    b = assert_json(server.post("/api/customers", json={"name": f"Other {unique_suffix()}"}), 201)
    mine = assert_json(server.post(f"/api/customers/{a['id']}/addresses", json=address("other")), 201)
    assert_problem(server.put(f"/api/customers/{b['id']}/addresses/{mine['id']}", json=address("other")),
                   404, "not-found")
    assert_problem(server.delete(f"/api/customers/{b['id']}/addresses/{mine['id']}"), 404, "not-found")
    assert_problem(server.post("/api/customers/999999/addresses", json=address("other")), 404, "not-found")
    assert len(assert_json(server.get(f"/api/customers/{a['id']}/addresses"), 200)["data"]) == 1


def test_a_contact_create_may_be_repeated_safely(server):
    company = new_company(server)
    base = f"/api/customers/{company['id']}/contacts"
    key = {"Idempotency-Key": f"contact-{unique_suffix()}"}
    first = server.post(base, json={"name": "Once Only"}, headers=key)
    again = server.post(base, json={"name": "Once Only"}, headers=key)
    assert assert_json(again, 201)["id"] == assert_json(first, 201)["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert [c["name"] for c in assert_json(server.get(base), 200)["data"]] == ["Once Only"]
    assert_problem(server.post(base, json={"name": "Someone Else"}, headers=key), 422, "idempotency-key-reused")
