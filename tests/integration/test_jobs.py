"""Background jobs (issue 12, docs/decisions.md "Jobs"): the queue survives SIGKILL with every
effect exactly once, retries back off into dead, cancel and retry, the jobs API's scoping and
permissions, the clean-up job, customer exports (CSV and JSON lines), and backup/restore.

The `test.touch` kind exists only with CLIENTELE_ENABLE_TEST_JOBS: a real handler that counts each
committed run in job_test_effects, in the transaction that marks its job done."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import threading
import time

import pytest
import requests

from conftest import (
    CLIENTELE_BIN, TEST_STORE, assert_json, assert_problem, create_customer, db_rows, run_cli, staff_member,
    unique_suffix,
)

TEST_JOBS = {"CLIENTELE_ENABLE_TEST_JOBS": "1", "CLIENTELE_JOB_LEASE_SECONDS": "2",
             "CLIENTELE_JOB_RETRY_SECONDS": "0.05"}


def sql(srv, text: str) -> list[tuple]:
    """Rows of a query run on the server's database directly (SQLite file or PostgreSQL URL)."""
    return db_rows(srv.db_path, text)


def enqueue(srv, kind: str, payload: dict, count: int = 1, workspace: int | None = 1):
    args = ["jobs", "enqueue", kind, "--db", srv.db_path, "--payload", json.dumps(payload),
            "--count", str(count), "--enable-test-jobs"]
    if workspace is not None:
        args += ["--workspace", str(workspace)]
    run_cli(args)


def jobs_of(srv, **params) -> list[dict]:
    """Every job the API lists for these filters, following next_cursor."""
    out, cursor = [], None
    for _ in range(100):
        query = {**params, "limit": "200", **({"cursor": cursor} if cursor else {})}
        body = assert_json(srv.get("/api/jobs", params=query), 200)
        out += body["data"]
        cursor = body["next_cursor"]
        if cursor is None:
            return out
    pytest.fail("too many pages")


def wait_for(predicate, timeout: float = 60.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


def wait_job(srv, job_id: int, states=("done",), path="/api/jobs/{}", timeout=60.0) -> dict:
    return wait_for(lambda: (lambda j: j if j["state"] in states else None)(
        assert_json(srv.get(path.format(job_id)), 200)), timeout, f"job {job_id} to be {states}")


# ------------------------------------------------------------------------------------------------
# Crash safety


def test_sigkill_during_200_jobs_then_restart_gives_each_effect_exactly_once(server_factory):
    first = server_factory({**TEST_JOBS, "CLIENTELE_JOB_WORKERS": "2"})
    enqueue(first, "test.touch", {"sleep_ms": 40}, count=200)
    # Kill while they run: some are done, some running, most still queued.
    wait_for(lambda: sql(first, "SELECT count(*) FROM jobs WHERE kind = 'test.touch' AND state = 'done'")[0][0] >= 20,
             what="the first 20 jobs")
    first.kill()  # SIGKILL: no shutdown, leases left behind
    server_factory.servers.remove(first)  # its exit code is -9 on purpose
    done_before = sql(first, "SELECT count(*) FROM jobs WHERE kind = 'test.touch' AND state = 'done'")[0][0]
    assert done_before < 200, "every job finished before the kill: the test proves nothing"

    second = server_factory({**TEST_JOBS, "CLIENTELE_JOB_WORKERS": "2"}, db=first.db_path)
    wait_for(lambda: sql(second, "SELECT count(*) FROM jobs WHERE kind = 'test.touch' AND state = 'done'")[0][0] == 200,
             timeout=120, what="all 200 jobs to be done")
    jobs = jobs_of(second, kind="test.touch")
    assert len(jobs) == 200 and {j["state"] for j in jobs} == {"done"}
    assert [j["id"] for j in jobs] == sorted((j["id"] for j in jobs), reverse=True)  # newest first
    assert all(j["result"] == {"touched": j["id"]} and j["error"] is None for j in jobs)
    effects = dict(sql(second, "SELECT job_id, runs FROM job_test_effects"))
    assert set(effects) == {j["id"] for j in jobs}
    assert set(effects.values()) == {1}, {k: v for k, v in effects.items() if v != 1}
    # Each schedule still has exactly one run waiting: the restart neither lost nor doubled one.
    waiting = sql(second, "SELECT s.name, count(j.id) FROM job_schedules s LEFT JOIN jobs j ON"
                          " j.schedule_id = s.id AND j.state IN ('queued', 'failed', 'running')"
                          " GROUP BY s.name ORDER BY s.name")
    assert dict(waiting) == {"audit.retention": 1, "customers.export_cleanup": 1, "platform.cleanup": 1,
                             "loyalty.expire": 1, "loyalty.tiers": 1,
                             **({"platform.backup": 1} if TEST_STORE == "sqlite" else {})}


def test_batched_jobs_commit_a_batch_whole_and_survive_sigkill_exactly_once(server_factory):
    """A batchable kind's due jobs run N to a write transaction, effects and completions together:
    done counts move in whole batches, and a kill mid-batch leaves that batch queued, uncounted."""
    first = server_factory({**TEST_JOBS, "CLIENTELE_JOB_WORKERS": "2", "CLIENTELE_JOB_BATCH": "50"})
    enqueue(first, "test.touch_batched", {"sleep_ms": 3}, count=1000)  # one transaction: all due at once
    done = "SELECT count(*) FROM jobs WHERE kind = 'test.touch_batched' AND state = 'done'"
    seen = set()
    wait_for(lambda: seen.add(sql(first, done)[0][0]) or max(seen) >= 200, what="the first 200 jobs")
    assert all(n % 50 == 0 for n in seen), sorted(seen)
    # Never running: claimed, run and done in one transaction, so no lease is left to expire.
    assert sql(first, "SELECT count(*) FROM jobs WHERE kind = 'test.touch_batched' AND state = 'running'") == [(0,)]
    first.kill()
    server_factory.servers.remove(first)  # its exit code is -9 on purpose
    done_before = sql(first, done)[0][0]
    assert done_before < 1000 and done_before % 50 == 0, done_before

    second = server_factory({**TEST_JOBS, "CLIENTELE_JOB_WORKERS": "2", "CLIENTELE_JOB_BATCH": "50"},
                            db=first.db_path)
    wait_for(lambda: sql(second, done)[0][0] == 1000, timeout=120, what="all 1000 jobs to be done")
    rows = sql(second, "SELECT id, attempts, result, last_error FROM jobs WHERE kind = 'test.touch_batched'")
    assert len(rows) == 1000
    # The batch the kill cut short counted no attempt and committed no effect.
    assert {attempts for _, attempts, _, _ in rows} == {1}
    assert all(json.loads(result) == {"touched": id_} and error is None for id_, _, result, error in rows)
    effects = dict(sql(second, "SELECT job_id, runs FROM job_test_effects"))
    assert set(effects) == {id_ for id_, _, _, _ in rows}
    assert set(effects.values()) == {1}, {k: v for k, v in effects.items() if v != 1}


def test_a_job_failing_in_its_batch_runs_alone_and_the_others_once(server_factory):
    srv = server_factory({**TEST_JOBS, "CLIENTELE_JOB_BATCH": "20"})
    enqueue(srv, "test.touch_batched", {}, count=15)
    enqueue(srv, "test.touch_batched", {"always_fail": 1})
    enqueue(srv, "test.touch_batched", {"fail_until_attempt": 3})
    enqueue(srv, "test.touch_batched", {}, count=15)
    wait_for(lambda: sql(srv, "SELECT count(*) FROM jobs WHERE kind = 'test.touch_batched'"
                              " AND state IN ('done', 'dead')")[0][0] == 32, what="every job to end")
    jobs = {j["id"]: j for j in jobs_of(srv, kind="test.touch_batched")}
    ids = sorted(jobs)
    failing, flaky, fine = ids[15], ids[16], ids[:15] + ids[17:]
    dead = jobs[failing]
    assert dead["state"] == "dead" and dead["attempts"] == dead["max_attempts"] == 5
    assert "failed on purpose (attempt 5)" in dead["error"]
    assert jobs[flaky]["state"] == "done" and jobs[flaky]["attempts"] == 3 and jobs[flaky]["error"] is None
    assert all(jobs[i]["state"] == "done" and jobs[i]["attempts"] == 1 and jobs[i]["result"] == {"touched": i}
               for i in fine), [jobs[i] for i in fine if jobs[i]["attempts"] != 1]
    effects = dict(sql(srv, "SELECT job_id, runs FROM job_test_effects"))
    assert effects == {i: 1 for i in fine + [flaky]}


def test_sigterm_releases_a_running_job_which_then_runs_once(server_factory):
    first = server_factory(TEST_JOBS)
    enqueue(first, "test.touch", {"sleep_ms": 20000, "steps": 200})
    job_id = wait_for(lambda: sql(first, "SELECT id FROM jobs WHERE kind = 'test.touch' AND state = 'running'"),
                      what="the job to run")[0][0]
    assert first.stop() == 0
    assert sql(first, f"SELECT state, attempts, lease_owner FROM jobs WHERE id = {job_id}") == [("queued", 0, None)]
    second = server_factory(TEST_JOBS, db=first.db_path)
    assert_json(second.post(f"/api/jobs/{job_id}/cancel"), 200)  # no need to wait 20 s
    assert sql(second, f"SELECT count(*) FROM job_test_effects WHERE job_id = {job_id}") == [(0,)]


# ------------------------------------------------------------------------------------------------
# Retries, dead jobs, retry and cancel through the API


def test_a_failing_job_is_retried_with_backoff_until_it_succeeds(server_factory):
    srv = server_factory(TEST_JOBS)
    enqueue(srv, "test.touch", {"fail_until_attempt": 3})
    job = wait_for(lambda: jobs_of(srv, kind="test.touch"), what="the job")[0]
    job = wait_job(srv, job["id"])
    assert job["attempts"] == 3 and job["error"] is None and job["progress"] == {"done": 0, "total": None}
    assert sql(srv, f"SELECT runs FROM job_test_effects WHERE job_id = {job['id']}") == [(1,)]


def test_a_job_that_always_fails_ends_dead_and_can_be_retried(server_factory):
    srv = server_factory(TEST_JOBS)
    enqueue(srv, "test.touch", {"always_fail": 1})
    job = wait_for(lambda: jobs_of(srv, kind="test.touch"), what="the job")[0]
    dead = wait_job(srv, job["id"], states=("dead",))
    assert dead["attempts"] == dead["max_attempts"] == 5
    assert "failed on purpose (attempt 5)" in dead["error"]
    assert dead["finished_at"] is not None
    assert [j["id"] for j in jobs_of(srv, state="dead")] == [job["id"]]
    assert jobs_of(srv, state="done", kind="test.touch") == []

    again = assert_json(srv.post(f"/api/jobs/{job['id']}/retry"), 200)
    assert again["state"] == "queued" and again["attempts"] == 0 and again["finished_at"] is None
    wait_job(srv, job["id"], states=("dead",))
    # Only failed and dead jobs can be retried.
    enqueue(srv, "test.touch", {})
    ok = wait_job(srv, max(j["id"] for j in jobs_of(srv, kind="test.touch")))
    assert_problem(srv.post(f"/api/jobs/{ok['id']}/retry"), 409, "conflict")
    assert_problem(srv.post(f"/api/jobs/{ok['id']}/cancel"), 409, "conflict")


def test_cancelling_a_running_job_stops_it_at_its_next_progress_report(server_factory):
    srv = server_factory(TEST_JOBS)
    enqueue(srv, "test.touch", {"sleep_ms": 30000, "steps": 300})
    job = wait_for(lambda: [j for j in jobs_of(srv, kind="test.touch") if j["progress"]["done"] >= 2],
                   what="progress")[0]
    assert job["state"] == "running" and job["progress"]["total"] == 300
    cancelled = assert_json(srv.post(f"/api/jobs/{job['id']}/cancel"), 200)
    assert cancelled["state"] == "cancelled"
    time.sleep(1)
    now = assert_json(srv.get(f"/api/jobs/{job['id']}"), 200)
    assert now["state"] == "cancelled" and now["progress"]["done"] < 300
    assert sql(srv, f"SELECT count(*) FROM job_test_effects WHERE job_id = {job['id']}") == [(0,)]


def test_concurrent_cancels_of_one_job_succeed_once(server_factory):
    srv = server_factory({**TEST_JOBS, "CLIENTELE_JOB_WORKERS": "0"})  # it stays queued
    enqueue(srv, "test.touch", {}, count=1)
    job_id = jobs_of(srv, kind="test.touch")[0]["id"]
    results: list[int] = []

    def cancel():
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {srv.token}"
        results.append(session.post(srv.url(f"/api/jobs/{job_id}/cancel"), timeout=30).status_code)

    threads = [threading.Thread(target=cancel) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [200] + [409] * 19, results
    assert assert_json(srv.get(f"/api/jobs/{job_id}"), 200)["state"] == "cancelled"


def test_jobs_api_refuses_bad_filters_and_unknown_jobs(server):
    assert_problem(server.get("/api/jobs", params={"state": "sleeping"}), 422, "validation-failed", "state")
    assert_problem(server.get("/api/jobs", params={"colour": "red"}), 422, "validation-failed", "colour")
    assert_problem(server.get("/api/jobs", params={"cursor": "x"}), 400, "bad-request")
    assert_problem(server.get("/api/jobs/999999"), 404, "not-found")
    assert_problem(server.post("/api/jobs/999999/retry"), 404, "not-found")
    assert_problem(server.post("/api/jobs/999999/cancel"), 404, "not-found")


def test_platform_jobs_are_in_no_workspace(server):
    # The clean-up and backup schedules' runs are platform jobs: the operator's workspace does not see them.
    assert [j for j in jobs_of(server) if j["kind"].startswith("platform.")] == []


def test_only_owners_and_admins_manage_jobs(server):
    admin, _ = staff_member(server, "admin")
    assert_json(admin.get(server.url("/api/jobs"), timeout=30), 200)
    for role in ("sales", "viewer"):
        session, _ = staff_member(server, role)
        assert_problem(session.get(server.url("/api/jobs"), timeout=30), 403, "forbidden")
        assert_problem(session.post(server.url("/api/jobs/1/retry"), timeout=30), 403, "forbidden")


# ------------------------------------------------------------------------------------------------
# Clean-ups


def test_the_cleanup_job_removes_expired_rows_and_keeps_live_ones(server_factory):
    srv = server_factory()
    past, future = "2000-01-01T00:00:00.000Z", "2999-01-01T00:00:00.000Z"
    for name, expires in (("old", past), ("new", future)):
        sql(srv, f"INSERT INTO sessions (token_hash, tenant_id, user_id, csrf_token, created_at, expires_at)"
                 f" VALUES ('{name}-{unique_suffix()}', 1, 1, 'x', '{past}', '{expires}')")
    for name, created in (("old", past), ("new", future)):
        sql(srv, "INSERT INTO idempotency_keys (tenant_id, principal, idem_key, request_hash, status,"
                 f" response_headers, response_body, created_at) VALUES (1, 'user:1', '{name}', 'h', 201,"
                 f" '{{}}', '{{}}', '{created}')")
    sql(srv, "INSERT INTO login_failures (throttle_key, failures, first_failure_at, locked_until)"
             f" VALUES ('account:stale', 3, '{past}', NULL), ('account:locked', 9, '{past}', '{future}')")
    sql(srv, "INSERT INTO login_known_addresses (account_key, address, signed_in_at)"
             f" VALUES ('email:a@x.example', '10.0.0.1', '{past}'), ('email:a@x.example', '10.0.0.2', '{future}')")
    before = {j["id"] for j in jobs_of(srv)}
    enqueue(srv, "platform.cleanup", {}, workspace=None)
    wait_for(lambda: sql(srv, "SELECT result FROM jobs WHERE kind = 'platform.cleanup' AND state = 'done'"
                              " AND schedule_id IS NULL"), what="the clean-up")
    result = json.loads(sql(srv, "SELECT result FROM jobs WHERE kind = 'platform.cleanup'"
                                 " AND schedule_id IS NULL")[0][0])
    assert result["removed"]["sessions"] >= 1 and result["removed"]["idempotency_keys"] == 1
    assert result["removed"]["login_failures"] == 1
    assert sql(srv, "SELECT count(*) FROM sessions WHERE token_hash LIKE 'old-%'") == [(0,)]
    assert sql(srv, "SELECT count(*) FROM sessions WHERE token_hash LIKE 'new-%'") == [(1,)]
    assert sql(srv, "SELECT idem_key FROM idempotency_keys") == [("new",)]
    assert sql(srv, "SELECT throttle_key FROM login_failures") == [("account:locked",)]
    assert result["removed"]["login_known_addresses"] == 1
    assert sql(srv, "SELECT address FROM login_known_addresses") == [("10.0.0.2",)]
    assert {j["id"] for j in jobs_of(srv)} == before  # a platform job: not the workspace's


# ------------------------------------------------------------------------------------------------
# Customer exports


def test_customer_export_as_csv_and_json_lines(server):
    tag = unique_suffix()
    made = [create_customer(server, name=f"Export {tag} {i}") for i in range(3)]
    made.append(create_customer(server, name=f"=HYPERLINK(1) {tag}"))
    started = server.post("/api/customers/exports", json={"format": "csv", "filter": {"q": tag}})
    job = assert_json(started, 202)
    assert started.headers["Location"] == f"/api/customers/exports/{job['id']}"
    assert job["kind"] == "customers.export" and job["state"] in ("queued", "running", "done")
    done = wait_job(server, job["id"], path="/api/customers/exports/{}")
    assert done["progress"] == {"done": 4, "total": 4}
    assert done["result"]["rows"] == 4 and done["result"]["format"] == "csv"
    assert done["result"]["download_url"] == f"/api/customers/exports/{job['id']}/download"
    assert assert_json(server.get(f"/api/jobs/{job['id']}"), 200) == done
    resp = server.get(done["result"]["download_url"])
    assert resp.status_code == 200 and resp.headers["Content-Type"].startswith("text/csv")
    assert resp.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(resp.content.decode("utf-8-sig"))))
    assert sorted(int(r["id"]) for r in rows) == sorted(c["id"] for c in made)
    assert f"'=HYPERLINK(1) {tag}" in {r["name"] for r in rows}  # formula neutralised
    assert len(resp.content) == done["result"]["bytes"]

    job = assert_json(server.post("/api/customers/exports", json={"format": "jsonl", "filter": {"q": tag}}), 202)
    done = wait_job(server, job["id"], path="/api/customers/exports/{}")
    resp = server.get(done["result"]["download_url"])
    lines = [json.loads(line) for line in resp.text.splitlines()]
    listed = assert_json(server.get("/api/customers", params={"q": tag, "limit": "200"}), 200)["data"]
    assert lines == listed


def test_customer_export_refuses_bad_requests(server):
    assert_problem(server.post("/api/customers/exports", json={}), 422, "validation-failed", "format")
    assert_problem(server.post("/api/customers/exports", json={"format": "pdf"}), 422, "validation-failed", "format")
    assert_problem(server.post("/api/customers/exports", json={"format": "csv", "filter": {"country": "XX"}}),
                   422, "validation-failed", "filter.country")
    assert_problem(server.post("/api/customers/exports", json={"format": "csv", "filter": {"limit": 5}}),
                   422, "validation-failed", "filter.limit")
    assert_problem(server.post("/api/customers/exports", json={"format": "csv", "filter": {"q": ["a"]}}),
                   422, "validation-failed", "filter.q")
    assert_problem(server.get("/api/customers/exports/999999"), 404, "not-found")
    viewer, _ = staff_member(server, "viewer")
    # An export is a read of the list: whoever may list customers may export them.
    assert_json(viewer.post(server.url("/api/customers/exports"), json={"format": "jsonl"}, timeout=30), 202)


# ------------------------------------------------------------------------------------------------
# Backups (SQLite)


@pytest.mark.skipif(TEST_STORE != "sqlite", reason="clientele backup copies SQLite databases")
def test_backup_under_write_load_then_restore_keeps_every_acknowledged_write(server_factory, tmp_path):
    srv = server_factory()
    acknowledged: list[tuple[float, int]] = []
    stop = threading.Event()

    def write():
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {srv.token}"
        while not stop.is_set():
            resp = session.post(srv.url("/api/customers"), json={"name": f"Load {unique_suffix()}"}, timeout=30)
            if resp.status_code == 201:
                acknowledged.append((time.monotonic(), resp.json()["id"]))

    writers = [threading.Thread(target=write) for _ in range(3)]
    for w in writers:
        w.start()
    time.sleep(1.0)
    started = time.monotonic()
    out = run_cli(["backup", "--db", srv.db_path, "--backup-dir", str(tmp_path / "backups")]).stdout.strip()
    time.sleep(0.5)
    stop.set()
    for w in writers:
        w.join()
    before = {cid for t, cid in acknowledged if t < started}
    after = {cid for t, cid in acknowledged if t >= started}
    assert len(before) > 10 and after, (len(before), len(after))
    assert out.startswith(str(tmp_path / "backups" / "clientele-")) and out.endswith(".db")
    assert os.stat(out).st_mode & 0o077 == 0, oct(os.stat(out).st_mode)

    # Not while a server runs on the database.
    refused = subprocess.run([str(CLIENTELE_BIN), "restore", "--db", srv.db_path, out], capture_output=True, text=True)
    assert refused.returncode != 0 and "in use" in refused.stderr
    assert srv.stop() == 0
    run_cli(["restore", "--db", srv.db_path, out])
    restored = server_factory(db=srv.db_path)
    ids = {row[0] for row in sql(restored, "SELECT id FROM customers")}
    assert before <= ids, f"{len(before - ids)} acknowledged writes missing"
    assert ids <= before | after  # nothing that was never acknowledged


def test_backup_and_restore_on_postgresql_point_to_its_tools(server):
    if TEST_STORE == "sqlite":
        pytest.skip("PostgreSQL only")
    for command in (["backup"], ["restore", "x.db"]):
        proc = subprocess.run([str(CLIENTELE_BIN), *command, "--db", server.db_path], capture_output=True, text=True)
        assert proc.returncode == 2 and "pg_" in proc.stderr
