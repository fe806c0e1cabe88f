"""A workspace's lists that customers refer to (titles, industries, tags), and countries with their
subdivisions for address forms."""

import pytest
import requests

from conftest import REQUEST_TIMEOUT, assert_json, assert_problem, staff_member, unique_suffix

SEEDED_TITLES = [("Mister", "Mr."), ("Miss", "Ms."), ("Madam", "Mrs."), ("Doctor", "Dr."), ("Professor", "Prof.")]


def test_every_workspace_starts_with_titles_and_industries(server):
    titles = assert_json(server.get("/api/customer-titles"), 200)
    assert [(t["name"], t["short_name"]) for t in titles["data"]][:5] == SEEDED_TITLES
    assert titles["next_cursor"] is None
    industries = assert_json(server.get("/api/industries"), 200)["data"]
    assert len(industries) >= 19 and industries[0] == {"id": industries[0]["id"], "name": "Agriculture",
                                                        "full_name": "Agriculture, forestry and fishing"}
    # A client's new workspace gets its own copies (other ids, same names).
    created = assert_json(server.post("/api/clients", json={
        "company_name": "Lists Ltd", "contact_email": f"lists.{unique_suffix()}@store.example"}), 201)
    client = requests.Session()
    login = assert_json(client.post(server.url("/api/auth/client-login"), json={
        "username": created["credentials"]["username"], "password": created["credentials"]["password"]},
        timeout=REQUEST_TIMEOUT), 200)
    client.headers["X-CSRF-Token"] = login["csrf_token"]
    theirs = assert_json(client.get(server.url("/api/customer-titles"), timeout=REQUEST_TIMEOUT), 200)["data"]
    assert [(t["name"], t["short_name"]) for t in theirs] == SEEDED_TITLES
    assert not {t["id"] for t in theirs} & {t["id"] for t in titles["data"]}
    # Their edits stay theirs.
    assert_json(client.post(server.url("/api/tags"), json={"name": "Theirs Only"}, timeout=REQUEST_TIMEOUT), 201)
    assert "Theirs Only" not in [t["name"] for t in assert_json(server.get("/api/tags"), 200)["data"]]


def test_titles_crud_and_names_unique_in_any_case(server):
    made = assert_json(server.post("/api/customer-titles", json={"name": "Engineer", "short_name": "Eng."}), 201)
    assert made["name"] == "Engineer" and made["short_name"] == "Eng."
    assert_problem(server.post("/api/customer-titles", json={"name": "ENGINEER", "short_name": "E."}),
                   409, "conflict", field="name")
    assert_problem(server.post("/api/customer-titles", json={"name": "Sir"}), 422, "validation-failed",
                   field="short_name")
    changed = assert_json(server.patch(f"/api/customer-titles/{made['id']}", json={"short_name": "Ing."}), 200)
    assert changed == {"id": made["id"], "name": "Engineer", "short_name": "Ing."}
    assert assert_json(server.get(f"/api/customer-titles/{made['id']}"), 200) == changed
    assert server.delete(f"/api/customer-titles/{made['id']}").status_code == 204
    assert_problem(server.get(f"/api/customer-titles/{made['id']}"), 404, "not-found")


def test_tags_take_a_colour_or_get_one(server):
    tag = assert_json(server.post("/api/tags", json={"name": f"Auto {unique_suffix()}"}), 201)
    assert tag["color"].startswith("#") and len(tag["color"]) == 7
    red = assert_json(server.post("/api/tags", json={"name": f"Red {unique_suffix()}", "color": "#FF0000"}), 201)
    assert red["color"] == "#ff0000"
    for color in ["red", "#ff00", "#gg0000", ""]:
        assert_problem(server.post("/api/tags", json={"name": f"Bad {unique_suffix()}", "color": color}),
                       422, "validation-failed", field="color")
    assert_problem(server.post("/api/tags", json={"name": "x" * 101}), 422, "validation-failed", field="name")
    assert_problem(server.post("/api/tags", json={"name": "Unknown", "rank": 1}), 422, "validation-failed",
                   field="rank")
    found = assert_json(server.get("/api/tags", params={"q": red["name"][:6].lower()}), 200)["data"]
    assert red["id"] in [t["id"] for t in found]
    page = assert_json(server.get("/api/tags", params={"limit": 1}), 200)
    assert len(page["data"]) == 1 and page["next_cursor"]


def test_who_may_edit_the_lists(server):
    viewer, _ = staff_member(server, "viewer")
    sales, _ = staff_member(server, "sales")
    admin, _ = staff_member(server, "admin")
    url = server.url
    assert_json(viewer.get(url("/api/tags"), timeout=REQUEST_TIMEOUT), 200)
    assert_problem(viewer.post(url("/api/tags"), json={"name": "Nope"}, timeout=REQUEST_TIMEOUT), 403, "forbidden")
    # Whoever edits customers may make a tag on the way, but not rename or remove one.
    tag = assert_json(sales.post(url("/api/tags"), json={"name": f"Sales {unique_suffix()}"},
                                 timeout=REQUEST_TIMEOUT), 201)
    assert_problem(sales.patch(url(f"/api/tags/{tag['id']}"), json={"name": "Renamed"}, timeout=REQUEST_TIMEOUT),
                   403, "forbidden")
    assert_problem(sales.post(url("/api/industries"), json={"name": "Space", "full_name": "Space travel"},
                              timeout=REQUEST_TIMEOUT), 403, "forbidden")
    assert_json(admin.patch(url(f"/api/tags/{tag['id']}"), json={"color": "#00ff00"}, timeout=REQUEST_TIMEOUT), 200)
    assert admin.delete(url(f"/api/tags/{tag['id']}"), timeout=REQUEST_TIMEOUT).status_code == 204


def test_countries_and_their_subdivisions(server):
    countries = assert_json(server.anon("GET", "/api/countries"), 200)["data"]
    us = [c for c in countries if c["code"] == "US"][0]
    assert us == {"code": "US", "name": "United States", "has_subdivisions": True}
    assert len(countries) >= 249
    states = assert_json(server.anon("GET", "/api/countries/US/subdivisions"), 200)["data"]
    assert {"code": "IL", "name": "Illinois", "type": "State"} in states
    assert [s["code"] for s in states] == sorted(s["code"] for s in states)
    indian = assert_json(server.anon("GET", "/api/countries/IN/subdivisions"), 200)["data"]
    assert "MH" in [s["code"] for s in indian]
    assert_problem(server.anon("GET", "/api/countries/XX/subdivisions"), 404, "not-found")
