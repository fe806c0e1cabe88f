"""Clientele past one process (issue 7, docs/scaling.md): three instances on one PostgreSQL behind
nginx (deploy/local-cluster.sh), where a session made through one instance works on every other;
and PostgreSQL stopping mid-run, answered with 503 and Retry-After until it is back, with no
restart of the server. PostgreSQL only: these run as integration.pg.test_scale_out."""

import shutil
import subprocess
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from conftest import (ADMIN_EMAIL, ADMIN_PASSWORD, CLIENTELE_BIN, REPO_ROOT, REQUEST_TIMEOUT, TEST_PG, TEST_STORE,
                      assert_json, assert_problem, run_cli, unique_suffix)

pytestmark = pytest.mark.skipif(TEST_STORE != "postgres", reason="runs on PostgreSQL (integration.pg.*)")

PG_CLUSTER = REPO_ROOT / "scripts" / "pg-cluster.sh"
LOCAL_CLUSTER = REPO_ROOT / "deploy" / "local-cluster.sh"


def cluster_directory(name: str) -> Path:
    """A new directory under /tmp that the `postgres` user can reach (pytest's own are root's
    alone, and initdb runs as postgres when the tests run as root); removed by the scripts' stop."""
    directory = Path(tempfile.mkdtemp(prefix=f"clientele-{name}-"))
    directory.chmod(0o755)
    return directory / name


def read_env(path: Path) -> dict:
    env = {}
    for line in path.read_text().splitlines():
        key, _, value = line.partition("=")
        env[key] = value.strip('"')
    return env


@pytest.fixture(scope="module")
def cluster():
    if shutil.which("nginx") is None:
        pytest.fail("nginx is not installed (scripts/install-deps.sh installs it)")
    directory = cluster_directory("cluster")
    subprocess.run([str(LOCAL_CLUSTER), "start", str(directory), str(CLIENTELE_BIN)], check=True,
                   capture_output=True, timeout=120)
    try:
        env = read_env(directory / "cluster.env")
        run_cli(["create-admin", "--db", env["DB_URL"], "--email", ADMIN_EMAIL, "--password", ADMIN_PASSWORD])
        yield env
    finally:
        subprocess.run([str(LOCAL_CLUSTER), "stop", str(directory)], check=False, timeout=120)


def test_a_session_made_through_one_instance_works_on_every_other(cluster):
    front = cluster["NGINX_URL"]
    instances = cluster["INSTANCES"].split()
    assert len(instances) == 3

    browser = requests.Session()
    signed_in = assert_json(browser.post(f"{front}/api/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
                                         timeout=REQUEST_TIMEOUT), 200)
    csrf = {"X-CSRF-Token": signed_in["csrf_token"]}

    # The main flows through nginx: create, read, search, update with If-Match, archive.
    email = f"scale.{unique_suffix()}@example.com"
    created = assert_json(browser.post(f"{front}/api/customers", headers=csrf,
                                       json={"name": "Sam Scale", "email": email, "phone": "+44 20 7946 0001"},
                                       timeout=REQUEST_TIMEOUT), 201)
    found = assert_json(browser.get(f"{front}/api/customers", params={"q": "sam sca"}, timeout=REQUEST_TIMEOUT), 200)
    assert [c["id"] for c in found["data"]] == [created["id"]]
    patched = assert_json(browser.patch(f"{front}/api/customers/{created['id']}", json={"address": {"city": "Leeds"}},
                                        headers={**csrf, "If-Match": '"1"'}, timeout=REQUEST_TIMEOUT), 200)
    assert patched["customer"]["version"] == 2

    # The cookie nginx handed out opens the session on each instance directly, and each sees the
    # same record: nothing lives in an instance.
    for url in instances:
        me = assert_json(browser.get(f"{url}/api/auth/me", timeout=REQUEST_TIMEOUT), 200)
        assert me["user"]["email"] == ADMIN_EMAIL and me["csrf_token"] == signed_in["csrf_token"]
        record = assert_json(browser.get(f"{url}/api/customers/{created['id']}", timeout=REQUEST_TIMEOUT), 200)
        assert (record["email"], record["address"]["city"], record["version"]) == (email, "Leeds", 2)

    # A portal customer's session, made through nginx, is good on an instance too.
    shopper = requests.Session()
    secret = "a fine portal passphrase"
    assert_json(shopper.post(f"{front}/api/portal/default/register", timeout=REQUEST_TIMEOUT,
                             json={"name": "Pat", "email": f"pat.{unique_suffix()}@mail.example", "password": secret,
                                   "password_confirmation": secret}), 201)
    assert assert_json(shopper.get(f"{instances[2]}/api/portal/default/me", timeout=REQUEST_TIMEOUT), 200)["customer"]["name"] == "Pat"

    # Signing out on one instance ends the session on all of them.
    assert browser.post(f"{instances[1]}/api/auth/logout", headers=csrf, timeout=REQUEST_TIMEOUT).status_code == 204
    for url in [front, *instances]:
        assert_problem(browser.get(f"{url}/api/auth/me", timeout=REQUEST_TIMEOUT), 401, "unauthenticated")


def test_sign_in_throttling_sees_the_client_behind_nginx(cluster):
    """Behind the proxy every request comes from 127.0.0.1; the instances read the client's address
    from X-Forwarded-For (--trusted-proxy), so one address's failures do not lock out another's."""
    front = cluster["NGINX_URL"]
    account = f"nobody.{unique_suffix()}@example.com"
    for _ in range(25):  # past the per-address limit (4 x 5 failures) for 198.51.100.7
        requests.post(f"{front}/api/auth/login", json={"email": f"{unique_suffix()}@x.example", "password": "wrong"},
                      headers={"X-Forwarded-For": "198.51.100.7"}, timeout=REQUEST_TIMEOUT)
    locked = requests.post(f"{front}/api/auth/login", json={"email": account, "password": "wrong"},
                           headers={"X-Forwarded-For": "198.51.100.7"}, timeout=REQUEST_TIMEOUT)
    assert_problem(locked, 429, "too-many-requests")
    other = requests.post(f"{front}/api/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
                          headers={"X-Forwarded-For": "203.0.113.20"}, timeout=REQUEST_TIMEOUT)
    assert_json(other, 200)


def test_guesses_at_once_across_instances_get_no_more_than_the_threshold_of_tries(cluster):
    """Each attempt is counted (its throttle rows locked) before the password check, in the shared
    database: 60 guesses sent at once to three instances get at most 5 tries in all (issue 12)."""
    instances = cluster["INSTANCES"].split()
    headers = {"X-Forwarded-For": "198.51.100.60"}

    def guess(i):
        return requests.post(f"{instances[i % 3]}/api/auth/login", headers=headers, timeout=60,
                             json={"email": ADMIN_EMAIL, "password": f"guess {i}"})

    with ThreadPoolExecutor(60) as pool:
        statuses = Counter(r.status_code for r in pool.map(guess, range(60)))
    assert set(statuses) <= {401, 429} and statuses[401] <= 5 and statuses[429] >= 55, statuses
    # The owner elsewhere is not locked out by it.
    assert_json(requests.post(f"{instances[0]}/api/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
                              headers={"X-Forwarded-For": "203.0.113.61"}, timeout=REQUEST_TIMEOUT), 200)


def test_postgresql_stopping_is_503_until_it_is_back(server_factory):
    # A cluster of this test's own: the shared one serves the other tests meanwhile.
    directory = cluster_directory("pg")
    url = subprocess.run([str(PG_CLUSTER), "start", str(directory)], check=True, capture_output=True, text=True,
                         timeout=120).stdout.strip()
    try:
        subprocess.run(["psql", "-q", url, "-c", "CREATE DATABASE failover"], check=True, capture_output=True, timeout=60)
        srv = server_factory(db=url.rsplit("/", 1)[0] + "/failover")
        created = assert_json(srv.post("/api/customers", json={"name": "Before the outage"}), 201)

        subprocess.run([str(PG_CLUSTER), "halt", str(directory)], check=True, capture_output=True, timeout=60)
        down = srv.get(f"/api/customers/{created['id']}")
        assert_problem(down, 503, "unavailable")
        assert int(down.headers["Retry-After"]) >= 1
        assert_problem(srv.post("/api/customers", json={"name": "During"}), 503, "unavailable")
        assert srv.anon("GET", "/readyz").status_code == 503
        assert srv.anon("GET", "/healthz").status_code == 200  # the process itself is fine

        subprocess.run([str(PG_CLUSTER), "resume", str(directory)], check=True, capture_output=True, timeout=60)
        deadline = time.monotonic() + 20
        while srv.anon("GET", "/readyz").status_code != 200:
            assert time.monotonic() < deadline, "the server did not recover after PostgreSQL came back"
            time.sleep(0.2)
        assert assert_json(srv.get(f"/api/customers/{created['id']}"), 200)["name"] == "Before the outage"
        after = assert_json(srv.post("/api/customers", json={"name": "After the outage"}), 201)
        names = {c["name"] for c in assert_json(srv.get("/api/customers"), 200)["data"]}
        assert names == {"Before the outage", "After the outage"}  # nothing half-written during it
        assert after["id"] != created["id"]
    finally:
        subprocess.run([str(PG_CLUSTER), "stop", str(directory)], check=False, timeout=60)


def test_instances_starting_together_apply_each_migration_once():
    name = "migrate_" + unique_suffix().replace("-", "_")[:20]
    subprocess.run(["psql", "-q", TEST_PG, "-c", f"CREATE DATABASE {name}"], check=True, capture_output=True, timeout=60)
    url = TEST_PG.rsplit("/", 1)[0] + "/" + name
    racers = [subprocess.Popen([str(CLIENTELE_BIN), "migrate", "--db", url], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True) for _ in range(3)]
    outputs = [racer.communicate(timeout=120)[0] for racer in racers]
    assert [racer.returncode for racer in racers] == [0, 0, 0], outputs
    applied = subprocess.run(["psql", "-At", url, "-c", "SELECT count(*), count(DISTINCT version) FROM schema_migrations"],
                             check=True, capture_output=True, text=True, timeout=60).stdout.strip()
    total = sum(out.count("applied migration") for out in outputs)
    assert applied == f"{total}|{total}" and total >= 9, (applied, outputs)
