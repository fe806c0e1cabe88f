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


def test_filters_presets_and_group_counts(fresh_server):
    server = fresh_server
    vip = assert_json(server.post("/api/tags", json={"name": "VIP"}), 201)
    retail = lookup(server, "/api/industries", "Retail & wholesale")
    _, sam = staff_member(server, "sales")
    acme = assert_json(server.post("/api/customers", json={"name": "Acme", "account_type": "company",
                                                           "industry_id": retail["id"], "tag_ids": [vip["id"]],
                                                           "address": {"country": "DE"}}), 201)
    globex = assert_json(server.post("/api/customers", json={"name": "Globex", "account_type": "company"}), 201)
    people = [assert_json(server.post("/api/customers", json={
        "name": f"Person {i}", "company_id": acme["id"] if i < 3 else globex["id"],
        "responsible_id": sam["id"] if i % 2 == 0 else None, "tag_ids": [vip["id"]] if i == 0 else [],
        "address": {"country": "US" if i < 2 else "DE"}}), 201) for i in range(4)]
    loner = assert_json(server.post("/api/customers", json={"name": "Loner"}), 201)
    assert_json(server.delete(f"/api/customers/{loner['id']}"), 200)

    def names(**params):
        return sorted(c["name"] for c in assert_json(server.get("/api/customers", params=params), 200)["data"])

    assert names(preset="companies") == ["Acme", "Globex"]
    assert names(preset="individuals") == [f"Person {i}" for i in range(4)]
    assert names(preset="archived") == ["Loner"]
    assert names(account_type="company", country="DE") == ["Acme"]
    assert names(company_id=acme["id"]) == ["Person 0", "Person 1", "Person 2"]
    assert names(industry_id=retail["id"]) == ["Acme"]
    assert names(responsible_id=sam["id"]) == ["Person 0", "Person 2"]
    assert names(tag_id=vip["id"]) == ["Acme", "Person 0"]
    assert names(tag_id=vip["id"], preset="individuals") == ["Person 0"]
    assert names(portal_access="false", q="person 3") == ["Person 3"]
    assert names(portal_access="true") == []
    for param, value in [("preset", "vips"), ("account_type", "robot"), ("company_id", "x"),
                         ("tag_id", "0"), ("portal_access", "yes")]:
        assert_problem(server.get("/api/customers", params={param: value}), 422, "validation-failed", field=param)

    def groups(by, **params):
        body = assert_json(server.get("/api/customers/groups", params={"by": by, **params}), 200)
        assert body["by"] == by
        return {(g["label"], g["count"]) for g in body["data"]}

    assert groups("account_type") == {("individual", 4), ("company", 2)}
    assert groups("company") == {("", 2), ("Acme", 3), ("Globex", 1)}
    assert groups("company", preset="individuals") == {("Acme", 3), ("Globex", 1)}
    assert groups("industry") == {("Retail & wholesale", 1), ("", 5)}
    assert groups("tag") == {("VIP", 2), ("", 4)}
    assert groups("account_type", q="person") == {("individual", 4)}
    by_company = assert_json(server.get("/api/customers/groups", params={"by": "company"}), 200)["data"]
    assert by_company[0] == {"key": str(acme["id"]), "id": acme["id"], "label": "Acme", "count": 3}
    assert_problem(server.get("/api/customers/groups"), 422, "validation-failed", field="by")
    assert_problem(server.get("/api/customers/groups", params={"by": "colour"}), 422, "validation-failed", field="by")
