"""GET /api/customers: limits, keyset cursors, sorts, search and filters (docs/api.md).

The module's server holds exactly the 60 customers of the `dataset` fixture (no other test of this
module adds live customers to it); cursor stability tests use a second server.

Names, e-mails and phones are built so that binary, case-folded and ICU orders agree (same letter
case at every position where two values can first differ, fixed-shape e-mail local parts), so the
expected order does not depend on a collation the contract does not spell out.
"""

import random
import uuid
from datetime import date, timedelta

import pytest

from conftest import LIST_ITEM_KEYS, assert_json, assert_problem, fetch_all

N = 60
FIRST = ["Alice", "Bruno", "Chloe", "Dmitri", "Elena", "Farid", "Greta", "Hiro", "Ingrid", "Quinn"]
LAST = [a + b + c for a in ["Bar", "Cor", "Dal", "Fen", "Gar", "Hol"]
        for b in ["mar", "ven", "tis", "quez", "lor"] for c in ["son", "ton"]]
LETTERS = "abcdefghijklmnoprstuvwxyz"  # no "q": "qu" must only start the Quinns
COUNTRIES = ["US", "DE", "FR", "GB"]
CITIES = ["Springfield", "Shelbyville", "Ogdenville"]
GENDERS = ["female", "male", "non_binary", "other", None]
LOCALES = ["en-US", "fr-FR"]
SORTS = ["created_at", "-created_at", "name", "-name", "email", "-email"]


def rand_word(rng, n):
    return "".join(rng.choice(LETTERS) for _ in range(n))


@pytest.fixture(scope="module")
def dataset(server):
    rng = random.Random(uuid.uuid4().int)
    tag = rand_word(rng, 6)
    last = LAST[:]
    rng.shuffle(last)
    codes = set()
    while len(codes) < N:
        codes.add(rand_word(rng, 5))
    codes = list(codes)
    customers = []
    for i in range(N):
        gender = GENDERS[i % len(GENDERS)]
        body = {
            "name": f"{FIRST[i % len(FIRST)]} {last[i]}",
            "first_name": FIRST[i % len(FIRST)],
            "last_name": last[i],
            "email": f"{codes[i]}.{tag}@example.com",
            "phone": f"+1201{rng.randint(200, 999)}{i:04d}",
            "gender": gender,
            "locale": LOCALES[i % len(LOCALES)],
            "address": {"city": CITIES[i % len(CITIES)], "country": COUNTRIES[i % len(COUNTRIES)],
                        "postal_code": f"{10000 + i}"},
        }
        resp = server.post("/api/customers", json=body)
        customers.append(assert_json(resp, 201))
    by_creation = [c["id"] for c in customers]
    assert [c["id"] for c in sorted(customers, key=lambda c: c["name"])] != by_creation
    assert [c["id"] for c in sorted(customers, key=lambda c: c["email"])] != by_creation
    return {"customers": customers, "tag": tag}


def ids(items):
    return [c["id"] for c in items]


def expected_order(customers, sort):
    key = sort.lstrip("-")
    return ids(sorted(customers, key=lambda c: (c[key], c["id"]), reverse=sort.startswith("-")))


def assert_sorted(items, sort):
    key = sort.lstrip("-")
    values = [c[key] for c in items]
    wanted = sorted(values, reverse=sort.startswith("-"))
    assert values == wanted, f"not in {sort} order: {values}"


# --- limit -----------------------------------------------------------------------------------

def test_default_limit_is_50_and_default_sort_is_newest_first(server, dataset):
    body = assert_json(server.get("/api/customers"), 200)
    assert set(body) == {"data", "next_cursor"}, "total only when asked for"
    assert len(body["data"]) == 50
    assert isinstance(body["next_cursor"], str) and body["next_cursor"]
    for item in body["data"]:
        assert set(item) == LIST_ITEM_KEYS, sorted(set(item) ^ LIST_ITEM_KEYS)
    assert_sorted(body["data"], "-created_at")
    explicit = assert_json(server.get("/api/customers", params={"sort": "-created_at"}), 200)
    assert ids(explicit["data"]) == ids(body["data"])
    all_ids = set(ids(dataset["customers"]))
    assert set(ids(body["data"])) <= all_ids


def test_limit_bounds(server, dataset):
    one = assert_json(server.get("/api/customers", params={"limit": "1"}), 200)
    assert len(one["data"]) == 1 and one["next_cursor"]
    everything = assert_json(server.get("/api/customers", params={"limit": "200"}), 200)
    assert len(everything["data"]) == N
    assert everything["next_cursor"] is None
    assert set(ids(everything["data"])) == set(ids(dataset["customers"]))


@pytest.mark.parametrize("limit", ["0", "201", "abc", "-1", "1.5", "", "1e2"])
def test_bad_limit_is_422(server, dataset, limit):
    assert_problem(server.get("/api/customers", params={"limit": limit}), 422, "validation-failed", field="limit")


# --- paging and sorts ------------------------------------------------------------------------

@pytest.mark.parametrize("sort", SORTS)
def test_paging_visits_everyone_once_in_order(server, dataset, sort):
    items = fetch_all(server, {"sort": sort}, limit=7)
    got = ids(items)
    assert len(got) == len(set(got)), f"duplicates while paging by {sort}"
    assert set(got) == set(ids(dataset["customers"])), f"skipped or extra customers while paging by {sort}"
    if sort.lstrip("-") == "created_at":
        assert_sorted(items, sort)  # ties within a millisecond may come in either order
    else:
        assert got == expected_order(dataset["customers"], sort)
    for item in items:
        assert "purchase_history" not in item


def test_pages_are_contiguous_with_a_single_big_page(server, dataset):
    for sort in ("name", "-email"):
        paged = ids(fetch_all(server, {"sort": sort}, limit=9))
        single = ids(assert_json(server.get("/api/customers", params={"sort": sort, "limit": "200"}), 200)["data"])
        assert paged == single, sort


def test_cursor_is_bound_to_its_sort(server, dataset):
    page = assert_json(server.get("/api/customers", params={"sort": "name", "limit": "5"}), 200)
    cursor = page["next_cursor"]
    assert cursor
    for other in ("email", "-name", "created_at"):
        resp = server.get("/api/customers", params={"sort": other, "limit": "5", "cursor": cursor})
        assert_problem(resp, 400, "bad-request")
    # The default sort is -created_at, which is also not the cursor's.
    assert_problem(server.get("/api/customers", params={"cursor": cursor}), 400, "bad-request")
    # ...while the right sort continues.
    nxt = assert_json(server.get("/api/customers", params={"sort": "name", "limit": "5", "cursor": cursor}), 200)
    assert ids(nxt["data"]) == expected_order(dataset["customers"], "name")[5:10]


@pytest.mark.parametrize("cursor", ["garbage", "not-a-cursor!!", "eyJmb28iOiJiYXIifQ", "%%%", "A" * 300])
def test_garbage_cursor_is_400(server, dataset, cursor):
    assert_problem(server.get("/api/customers", params={"cursor": cursor}), 400, "bad-request")


# --- search ----------------------------------------------------------------------------------

def expected_q(customers, q):
    ql = q.lower()
    if len(q) >= 3:
        return {c["id"] for c in customers
                if ql in c["name"].lower() or ql in (c["email"] or "").lower() or ql in (c["phone"] or "").lower()}
    return {c["id"] for c in customers
            if c["name"].lower().startswith(ql) or (c["email"] or "").lower().startswith(ql)}


def search(server, q, **params):
    return fetch_all(server, {"q": q, **params}, limit=200)


def check_q(server, dataset, q, min_expected=1):
    want = expected_q(dataset["customers"], q)
    assert len(want) >= min_expected, f"test data does not exercise q={q!r}"
    got = ids(search(server, q))
    assert len(got) == len(set(got))
    assert set(got) == want, f"q={q!r}: missing {want - set(got)}, unexpected {set(got) - want}"
    return want


def test_q_middle_of_surname_case_insensitive(server, dataset):
    want = check_q(server, dataset, "QUEZ")
    assert len(want) == N // 5
    check_q(server, dataset, "rquezs")  # across syllables of "...rquezson"


def test_q_part_of_email(server, dataset):
    c = dataset["customers"][7]
    local_code = c["email"].split(".")[0]
    want = check_q(server, dataset, local_code[1:5].upper())
    assert c["id"] in want
    assert check_q(server, dataset, dataset["tag"]) == set(ids(dataset["customers"]))


def test_q_digits_of_phone(server, dataset):
    c = dataset["customers"][17]
    want = check_q(server, dataset, c["phone"][-7:])
    assert c["id"] in want
    check_q(server, dataset, c["phone"][2:9])


def test_q_no_match(server, dataset):
    assert ids(search(server, "xyzzyxwvut")) == []


@pytest.mark.parametrize("q", ["qu", "Q", "QU", "q"])
def test_q_short_matches_start_of_name(server, dataset, q):
    want = check_q(server, dataset, q)
    names = {c["name"] for c in dataset["customers"] if c["id"] in want}
    assert names and all(n.startswith("Quinn ") for n in names), names
    # "...quez..." in the middle of other surnames does not match a 1-2 character query.
    middle = {c["id"] for c in dataset["customers"] if "quez" in c["name"] and not c["name"].startswith("Quinn ")}
    assert middle and not (middle & want)


def test_q_short_matches_start_of_email(server, dataset):
    words = {w.lower() for c in dataset["customers"] for w in c["name"].split()}
    for c in dataset["customers"]:
        prefix = c["email"][:2]
        if not any(w.startswith(prefix) for w in words):
            want = check_q(server, dataset, prefix)
            assert c["id"] in want
            return
    pytest.skip("every e-mail prefix is also a name prefix in this random data set")


def test_q_with_total(server, dataset):
    want = expected_q(dataset["customers"], "quez")
    body = assert_json(server.get("/api/customers", params={"q": "quez", "total": "true", "limit": "3"}), 200)
    assert body["total"] == len(want)
    assert len(body["data"]) == 3


# --- filters ---------------------------------------------------------------------------------

def check_filter(server, dataset, params, predicate, min_expected=1):
    want = {c["id"] for c in dataset["customers"] if predicate(c)}
    assert len(want) >= min_expected, f"test data does not exercise {params}"
    got = ids(fetch_all(server, params, limit=200))
    assert len(got) == len(set(got))
    assert set(got) == want, f"{params}: missing {want - set(got)}, unexpected {set(got) - want}"
    body = assert_json(server.get("/api/customers", params={**params, "total": "true", "limit": "1"}), 200)
    assert body["total"] == len(want), params
    return want


def test_filter_email_exact_case_insensitive(server, dataset):
    c = dataset["customers"][5]
    assert check_filter(server, dataset, {"email": c["email"].upper()}, lambda x: x["id"] == c["id"]) == {c["id"]}
    check_filter(server, dataset, {"email": c["email"][:8]}, lambda x: False, min_expected=0)


def test_filter_phone(server, dataset):
    c = dataset["customers"][9]
    check_filter(server, dataset, {"phone": c["phone"]}, lambda x: x["phone"] == c["phone"])


def test_filter_country(server, dataset):
    want = check_filter(server, dataset, {"country": "DE"}, lambda x: x["address"]["country"] == "DE")
    assert check_filter(server, dataset, {"country": "de"}, lambda x: x["address"]["country"] == "DE") == want
    assert_problem(server.get("/api/customers", params={"country": "XX"}), 422, "validation-failed", field="country")
    assert len(want) == N // 4


def test_filter_city(server, dataset):
    check_filter(server, dataset, {"city": "Shelbyville"}, lambda x: x["address"]["city"] == "Shelbyville")


def test_filter_postal_code(server, dataset):
    c = dataset["customers"][11]
    check_filter(server, dataset, {"postal_code": c["address"]["postal_code"]}, lambda x: x["id"] == c["id"])


def test_filter_gender(server, dataset):
    check_filter(server, dataset, {"gender": "non_binary"}, lambda x: x["gender"] == "non_binary")


def test_filter_locale(server, dataset):
    check_filter(server, dataset, {"locale": "fr-FR"}, lambda x: x["locale"] == "fr-FR")


def test_filters_combine(server, dataset):
    check_filter(server, dataset, {"country": "DE", "city": "Springfield"},
                 lambda x: x["address"]["country"] == "DE" and x["address"]["city"] == "Springfield")
    check_filter(server, dataset, {"country": "US", "q": "quez"},
                 lambda x: x["address"]["country"] == "US" and "quez" in x["name"].lower(), min_expected=0)


def test_filter_created_from_to_timestamps(server, dataset):
    cs = dataset["customers"]
    lo, hi = cs[20]["created_at"], cs[40]["created_at"]
    want = check_filter(server, dataset, {"created_from": lo, "created_to": hi},
                        lambda x: lo <= x["created_at"] < hi)
    assert cs[20]["id"] in want, "created_from is inclusive"
    assert cs[40]["id"] not in want, "created_to is exclusive"
    check_filter(server, dataset, {"created_from": lo}, lambda x: x["created_at"] >= lo)
    check_filter(server, dataset, {"created_to": hi}, lambda x: x["created_at"] < hi)


def test_filter_created_from_to_dates(server, dataset):
    days = sorted({c["created_at"][:10] for c in dataset["customers"]})
    first, last = date.fromisoformat(days[0]), date.fromisoformat(days[-1])
    everyone = lambda x: True  # noqa: E731
    nobody = lambda x: False  # noqa: E731
    check_filter(server, dataset, {"created_from": first.isoformat()}, everyone)
    check_filter(server, dataset, {"created_to": (last + timedelta(days=1)).isoformat()}, everyone)
    check_filter(server, dataset, {"created_from": (last + timedelta(days=1)).isoformat()}, nobody, min_expected=0)
    check_filter(server, dataset, {"created_to": first.isoformat()}, nobody, min_expected=0)


def test_total(server, dataset):
    body = assert_json(server.get("/api/customers", params={"total": "true"}), 200)
    assert body["total"] == N
    assert len(body["data"]) == 50
    body = assert_json(server.get("/api/customers", params={"total": "true", "deleted": "true"}), 200)
    assert body["total"] == 0 and body["data"] == []


# --- bad query parameters ----------------------------------------------------------------------

@pytest.mark.parametrize(
    "params,field",
    [
        ({"colour": "red"}, "colour"),
        ({"page": "2"}, "page"),
        ({"sort": "phone"}, "sort"),
        ({"sort": "NAME"}, "sort"),
        ({"sort": "--name"}, "sort"),
        ({"created_from": "yesterday"}, "created_from"),
        ({"created_to": "2026-13-01"}, "created_to"),
        ({"deleted": "maybe"}, "deleted"),
        ({"total": "maybe"}, "total"),
    ],
)
def test_bad_query_parameter_is_422_naming_it(server, dataset, params, field):
    assert_problem(server.get("/api/customers", params=params), 422, "validation-failed", field=field)


# --- cursor stability under concurrent writes ------------------------------------------------------

@pytest.fixture(scope="module")
def scratch_server(module_server_factory):
    return module_server_factory()


def make(server, city, name, email):
    body = {"name": name, "email": email, "address": {"city": city, "country": "US"}}
    return assert_json(server.post("/api/customers", json=body), 201)


@pytest.mark.parametrize("sort", SORTS)
def test_cursor_is_stable_when_customers_are_added_and_removed(scratch_server, sort):
    srv = scratch_server
    rng = random.Random(uuid.uuid4().int)
    city = "Stab" + rand_word(rng, 8)  # partitions this test's customers on the shared server
    tag = rand_word(rng, 6)
    codes = set()
    while len(codes) < 20:
        codes.add(rand_word(rng, 6))
    originals = [make(srv, city, f"Mmm {code}", f"m{code}.{tag}@example.com") for code in codes]
    params = {"sort": sort, "city": city, "limit": "7"}

    page1 = assert_json(srv.get("/api/customers", params=params), 200)
    assert len(page1["data"]) == 7 and page1["next_cursor"]
    last = page1["data"][-1]
    seen = set(ids(page1["data"]))

    # New customers that sort before and after the cursor, right next to it, and at both ends.
    last_local = last["email"].split(".")[0]
    added = [
        make(srv, city, f"Aaa {rand_word(rng, 6)}", f"a{rand_word(rng, 6)}.{tag}@example.com"),
        make(srv, city, f"Zzz {rand_word(rng, 6)}", f"z{rand_word(rng, 6)}.{tag}@example.com"),
        make(srv, city, last["name"] + "a", f"{last_local}a.{tag}@example.com"),
        make(srv, city, last["name"][:-1], f"{last_local[:-1]}.{tag}@example.com"),
    ]
    # ...and two originals are deleted: one already seen and one not yet seen.
    unseen = [c for c in originals if c["id"] not in seen]
    victim = unseen[len(unseen) // 2]
    for gone in (page1["data"][0], victim):
        assert_json(srv.delete(f"/api/customers/{gone['id']}"), 200)

    rest = continue_from(srv, params, page1["next_cursor"])
    rest_ids = ids(rest)
    assert len(rest_ids) == len(set(rest_ids)), "duplicates on later pages"
    assert not (seen & set(rest_ids)), f"page 1 customers repeated later while sorting by {sort}"
    assert victim["id"] not in rest_ids, "a deleted customer was listed"

    original_ids = set(ids(originals)) - {victim["id"]}
    visited = (seen | set(rest_ids)) & original_ids
    assert visited == original_ids, f"skipped while sorting by {sort}: {original_ids - visited}"

    # Everything after the cursor sorts after the cursor's item, in order.
    added_ids = set(ids(added))
    assert set(rest_ids) <= original_ids | added_ids
    # (Equal created_at values may tie-break either way, hence <= / >= on the sort value.)
    key = sort.lstrip("-")
    for item in rest:
        if sort.startswith("-"):
            assert item[key] <= last[key], f"{item[key]!r} listed after the cursor at {last[key]!r}"
        else:
            assert item[key] >= last[key], f"{item[key]!r} listed after the cursor at {last[key]!r}"
    assert_sorted(rest, sort)


def continue_from(srv, params, cursor):
    items = []
    while cursor:
        body = assert_json(srv.get("/api/customers", params={**params, "cursor": cursor}), 200)
        items.extend(body["data"])
        assert len(items) < 1000
        cursor = body["next_cursor"]
    return items
