"""Customers as partners (seed 000): individuals and companies with the General and Sales & Purchase
fields, references to the workspace's lists and users, and the rules on each field."""

import pytest

from conftest import assert_json, assert_problem, invite_staff, staff_member, unique_suffix


def lookup(server, path, name):
    return [e for e in assert_json(server.get(path), 200)["data"] if e["name"] == name][0]


@pytest.fixture(scope="module")
def refs(server):
    _, sam = staff_member(server, "sales")
    return {
        "title": lookup(server, "/api/customer-titles", "Doctor"),
        "industry": lookup(server, "/api/industries", "Manufacturing"),
        "vip": assert_json(server.post("/api/tags", json={"name": f"VIP {unique_suffix()}", "color": "#fab005"}), 201),
        "wholesale": assert_json(server.post("/api/tags", json={"name": f"Wholesale {unique_suffix()}"}), 201),
        "sam": sam,
    }


def test_a_company_and_an_individual_with_every_field(server, refs):
    company = assert_json(server.post("/api/customers", json={
        "account_type": "company", "name": "Acme Corp", "tax_id": "DE123456789", "phone": "+49 30 1234567",
        "email": f"info.{unique_suffix()}@acme.example", "website": "acme.example/shop",
        "tag_ids": [refs["wholesale"]["id"]], "responsible_id": refs["sam"]["id"],
        "company_registry": "HRB 12345", "reference": "V-0042", "industry_id": refs["industry"]["id"],
        "address": {"street": "Unter den Linden 1", "city": "Berlin", "postal_code": "10117",
                    "state": "de-be", "country": "DE"}}), 201)
    assert company["account_type"] == "company" and company["website"] == "https://acme.example/shop"
    assert company["address"]["state"] == "BE"  # stored as the code within the country
    assert company["tags"] == [refs["wholesale"]]
    assert company["responsible"] == {"id": refs["sam"]["id"], "name": refs["sam"]["name"],
                                      "email": refs["sam"]["email"]}
    assert company["industry"] == {"id": refs["industry"]["id"], "name": "Manufacturing"}
    assert company["company_registry"] == "HRB 12345" and company["reference"] == "V-0042"
    assert company["portal_access"] is False and company["registered_via"] == "admin"

    person = assert_json(server.post("/api/customers", json={
        "name": "Ada Lovelace", "company_id": company["id"], "job_title": "Chief Engineer",
        "title_id": refs["title"]["id"], "mobile": "+49 170 1234567",
        "tag_ids": [refs["vip"]["id"], refs["wholesale"]["id"], refs["vip"]["id"]]}), 201)
    assert person["account_type"] == "individual"
    assert person["company"] == {"id": company["id"], "name": "Acme Corp"}
    assert person["title"] == {"id": refs["title"]["id"], "name": "Doctor", "short_name": "Dr."}
    assert sorted(t["id"] for t in person["tags"]) == sorted([refs["vip"]["id"], refs["wholesale"]["id"]])
    # GET shows the same record; lists carry the tags too.
    again = assert_json(server.get(f"/api/customers/{person['id']}"), 200)
    assert {k: again[k] for k in person if k != "purchase_history"} == \
        {k: person[k] for k in person if k != "purchase_history"}
    listed = assert_json(server.get("/api/customers", params={"q": "Ada Lovelace"}), 200)["data"]
    assert [c["tags"] for c in listed if c["id"] == person["id"]] == [person["tags"]]


def test_company_created_inline_by_name(server):
    person = assert_json(server.post("/api/customers", json={"name": "Grace Hopper",
                                                             "company_name": "Navy Computing"}), 201)
    company = assert_json(server.get(f"/api/customers/{person['company']['id']}"), 200)
    assert company["name"] == "Navy Computing" and company["account_type"] == "company"
    assert_problem(server.post("/api/customers", json={"name": "Both", "company_name": "X",
                                                       "company_id": company["id"]}),
                   422, "validation-failed", field="company_name")
    assert_problem(server.post("/api/customers", json={"name": "Co", "account_type": "company",
                                                       "company_name": "Parent"}),
                   422, "validation-failed", field="company_name")


def test_patch_replaces_tags_and_clears_references(server, refs):
    c = assert_json(server.post("/api/customers", json={"name": "Patchable", "tag_ids": [refs["vip"]["id"]],
                                                        "title_id": refs["title"]["id"]}), 201)
    patched = assert_json(server.patch(f"/api/customers/{c['id']}",
                                       json={"tag_ids": [refs["wholesale"]["id"]], "title_id": None}), 200)
    assert patched["customer"]["tags"] == [refs["wholesale"]] and patched["customer"]["title"] is None
    kept = assert_json(server.patch(f"/api/customers/{c['id']}", json={"job_title": "Buyer"}), 200)["customer"]
    assert kept["tags"] == [refs["wholesale"]] and kept["job_title"] == "Buyer"


@pytest.mark.parametrize("fields, field", [
    ({"account_type": "robot"}, "account_type"),
    ({"website": "not a url"}, "website"),
    ({"website": "ftp://files.example"}, "website"),
    ({"website": "http://localhost"}, "website"),
    ({"email": "nobody@"}, "email"),
    ({"mobile": "call me"}, "mobile"),
    ({"address": {"state": "IL", "country": "DE"}}, "address.state"),
    ({"address": {"state": "IL"}}, "address.state"),
    ({"address": {"state": "Narnia", "country": "US"}}, "address.state"),
    ({"tag_ids": [999999]}, "tag_ids"),
    ({"tag_ids": "1,2"}, "tag_ids"),
    ({"tag_ids": [0]}, "tag_ids"),
    ({"industry_id": 999999}, "industry_id"),
    ({"title_id": 999999}, "title_id"),
    ({"responsible_id": 999999}, "responsible_id"),
    ({"company_id": 999999}, "company_id"),
    ({"tags": []}, "tags"),
    ({"portal_access": True}, "portal_access"),
])
def test_bad_fields_are_422_naming_the_field(server, fields, field):
    before = assert_json(server.get("/api/customers", params={"total": "true", "limit": 1}), 200)["total"]
    body = {"name": f"Bad {unique_suffix()}"}
    body.update(fields)
    assert_problem(server.post("/api/customers", json=body), 422, "validation-failed", field=field)
    assert assert_json(server.get("/api/customers", params={"total": "true", "limit": 1}), 200)["total"] == before


def test_references_must_fit(server, refs):
    person = assert_json(server.post("/api/customers", json={"name": f"Solo {unique_suffix()}"}), 201)
    # company_id must name a company, and only an individual has one.
    assert_problem(server.post("/api/customers", json={"name": "Linked", "company_id": person["id"]}),
                   422, "validation-failed", field="company_id")
    company = assert_json(server.post("/api/customers", json={"name": "Holding", "account_type": "company"}), 201)
    assert_problem(server.post("/api/customers", json={"name": "Sub", "account_type": "company",
                                                       "company_id": company["id"]}),
                   422, "validation-failed", field="company_id")
    # A deactivated user cannot be made responsible.
    gone = invite_staff(server, "sales")
    assert_json(server.patch(f"/api/users/{gone['id']}", json={"is_active": False}), 200)
    assert_problem(server.post("/api/customers", json={"name": "Nobody's", "responsible_id": gone["id"]}),
                   422, "validation-failed", field="responsible_id")


def test_a_company_with_contacts_stays_a_company(server):
    company = assert_json(server.post("/api/customers", json={"name": "Parent Co", "account_type": "company"}), 201)
    assert_json(server.post("/api/customers", json={"name": "Employee", "company_id": company["id"]}), 201)
    assert_problem(server.patch(f"/api/customers/{company['id']}", json={"account_type": "individual"}),
                   409, "conflict", field="account_type")
    lone = assert_json(server.post("/api/customers", json={"name": "Lone Co", "account_type": "company"}), 201)
    changed = assert_json(server.patch(f"/api/customers/{lone['id']}", json={"account_type": "individual"}), 200)
    assert changed["customer"]["account_type"] == "individual"


def test_lists_in_use(server, refs):
    industry = assert_json(server.post("/api/industries", json={"name": f"Niche {unique_suffix()}",
                                                                "full_name": "A niche"}), 201)
    tag = assert_json(server.post("/api/tags", json={"name": f"Temp {unique_suffix()}"}), 201)
    c = assert_json(server.post("/api/customers", json={"name": "In Use", "industry_id": industry["id"],
                                                        "tag_ids": [tag["id"], refs["vip"]["id"]]}), 201)
    resp = server.delete(f"/api/industries/{industry['id']}")
    assert_problem(resp, 409, "conflict")
    assert "1 customer" in resp.json()["detail"]
    # A tag is simply taken off.
    assert server.delete(f"/api/tags/{tag['id']}").status_code == 204
    assert assert_json(server.get(f"/api/customers/{c['id']}"), 200)["tags"] == [refs["vip"]]
    # Once no live customer has the industry, it may go.
    assert_json(server.patch(f"/api/customers/{c['id']}", json={"industry_id": None}), 200)
    assert server.delete(f"/api/industries/{industry['id']}").status_code == 204
