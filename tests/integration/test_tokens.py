"""API tokens (issue 12): listed without their secret, revoked over the API and the command line,
and ended with their user's password or standing and their client's reset or deactivation."""

import subprocess

import requests

from conftest import (ADMIN_EMAIL, ADMIN_PASSWORD, CLIENTELE_BIN, REQUEST_TIMEOUT, STAFF_PASSWORD, _child_env,
                      assert_json, assert_problem, run_cli, staff_member, unique_suffix)

TOKEN_KEYS = {"id", "name", "prefix", "user_id", "user_email", "created_at"}


def new_token(server, email, name):
    """A new token of the user with `email`: (its secret, its entry in the owner's list)."""
    secret = run_cli(["token", "create", "--db", str(server.db_path), "--email", email,
                      "--name", name]).stdout.split()[-1]
    return secret


def bearer(secret):
    return {"Authorization": f"Bearer {secret}"}


def works(server, secret):
    """True when the token authenticates (GET /api/auth/me)."""
    resp = server.anon("GET", "/api/auth/me", headers=bearer(secret))
    assert resp.status_code in (200, 401), resp.text
    return resp.status_code == 200


def listed(server, secret):
    return assert_json(server.anon("GET", "/api/tokens", headers=bearer(secret)), 200)["data"]


def test_the_list_shows_tokens_without_their_secret_and_by_role(server):
    viewer, viewer_user = staff_member(server, "viewer")
    admin, admin_user = staff_member(server, "admin")
    mine = new_token(server, viewer_user["email"], f"viewer {unique_suffix()}")
    theirs = new_token(server, admin_user["email"], f"admin {unique_suffix()}")
    # A viewer sees their own tokens only.
    own = listed(server, mine)
    assert [t["user_id"] for t in own] == [viewer_user["id"]]
    assert set(own[0]) == TOKEN_KEYS and mine.startswith(own[0]["prefix"]) and len(own[0]["prefix"]) < len(mine)
    resp = server.anon("GET", "/api/tokens", headers=bearer(mine))
    assert mine not in resp.text and mine[len(own[0]["prefix"]):] not in resp.text
    # An admin sees the workspace's: the viewer's, their own, and the operator's.
    every = listed(server, theirs)
    assert {viewer_user["id"], admin_user["id"], 1} <= {t["user_id"] for t in every}
    assert viewer_user["email"] in {t["user_email"] for t in every}
    assert theirs not in server.anon("GET", "/api/tokens", headers=bearer(theirs)).text
    # A session lists the same way; unknown parameters are refused; pages follow the cursor.
    assert assert_json(viewer.get(server.url("/api/tokens"), timeout=REQUEST_TIMEOUT), 200)["data"] == own
    assert_problem(server.get("/api/tokens", params={"user": "1"}), 422, "validation-failed", field="user")
    first = assert_json(server.get("/api/tokens", params={"limit": 1}), 200)
    assert len(first["data"]) == 1 and first["next_cursor"] is not None
    second = assert_json(server.get("/api/tokens", params={"limit": 1, "cursor": first["next_cursor"]}), 200)
    assert second["data"][0]["id"] > first["data"][0]["id"]


def test_revoking_ends_a_token_at_once(server):
    viewer, viewer_user = staff_member(server, "viewer")
    other, other_user = staff_member(server, "viewer")
    mine = new_token(server, viewer_user["email"], "to revoke")
    keep = new_token(server, viewer_user["email"], "to keep")
    foreign = new_token(server, other_user["email"], "someone else's")
    ids = {t["name"]: t["id"] for t in listed(server, mine)}
    foreign_id = listed(server, foreign)[0]["id"]
    # Another user's token is not the viewer's to end: not found, and it keeps working.
    assert_problem(server.anon("DELETE", f"/api/tokens/{foreign_id}", headers=bearer(mine)), 404, "not-found")
    assert works(server, foreign)
    # A token may end itself; then it is gone, and a second revoke finds nothing.
    resp = server.anon("DELETE", f"/api/tokens/{ids['to revoke']}", headers=bearer(mine))
    assert resp.status_code == 204 and resp.content == b""
    assert not works(server, mine)
    assert_problem(server.anon("DELETE", f"/api/tokens/{ids['to revoke']}", headers=bearer(keep)), 404, "not-found")
    assert [t["name"] for t in listed(server, keep)] == ["to keep"]
    # The viewer's session ends its own token; an owner (the operator) ends anyone's in the workspace.
    assert viewer.delete(server.url(f"/api/tokens/{ids['to keep']}"), timeout=REQUEST_TIMEOUT).status_code == 204
    assert not works(server, keep)
    assert server.delete(f"/api/tokens/{foreign_id}").status_code == 204
    assert not works(server, foreign)
    assert_problem(server.delete("/api/tokens/987654321"), 404, "not-found")


def test_changing_ones_password_ends_ones_tokens(server):
    session, user = staff_member(server, "support")
    first, second = new_token(server, user["email"], "one"), new_token(server, user["email"], "two")
    bystander = new_token(server, ADMIN_EMAIL, "bystander")
    assert works(server, first) and works(server, second)
    assert_json(session.post(server.url("/api/auth/change-password"), timeout=REQUEST_TIMEOUT,
                             json={"current_password": STAFF_PASSWORD, "new_password": "a brand new passphrase"}), 200)
    assert not works(server, first) and not works(server, second)
    assert works(server, bystander)
    assert_json(session.get(server.url("/api/auth/me"), timeout=REQUEST_TIMEOUT), 200)  # this session stays


def test_removing_a_user_ends_their_tokens(server):
    _, user = staff_member(server, "sales")
    secret = new_token(server, user["email"], "leaving")
    assert works(server, secret)
    assert_json(server.delete(f"/api/users/{user['id']}"), 200)
    assert not works(server, secret)


def client_with_token(server):
    made = assert_json(server.post("/api/clients", json={
        "company_name": "Token Store", "contact_email": f"tok.{unique_suffix()}@store.example"}), 201)
    owner = new_token(server, made["contact_email"], "client's own")
    session = requests.Session()
    login = assert_json(session.post(server.url("/api/auth/client-login"), timeout=REQUEST_TIMEOUT, json={
        "username": made["credentials"]["username"], "password": made["credentials"]["password"]}), 200)
    session.headers["X-CSRF-Token"] = login["csrf_token"]
    _, staff = staff_member(server, "viewer", inviter=session)
    return made, owner, new_token(server, staff["email"], "client's staff")


def test_a_client_password_reset_ends_every_token_of_its_workspace(server):
    made, owner, staff = client_with_token(server)
    other_made, other_owner, _ = client_with_token(server)
    operator = new_token(server, ADMIN_EMAIL, "operator's")
    assert works(server, owner) and works(server, staff)
    assert_json(server.post(f"/api/clients/{made['id']}/reset-password"), 200)
    assert not works(server, owner) and not works(server, staff)
    assert works(server, other_owner) and works(server, operator)


def test_deactivating_a_client_ends_its_tokens_for_good(server):
    made, owner, staff = client_with_token(server)
    assert_json(server.post(f"/api/clients/{made['id']}/toggle-status"), 200)
    assert not works(server, owner) and not works(server, staff)
    assert assert_json(server.post(f"/api/clients/{made['id']}/toggle-status"), 200)["client"]["is_active"]
    assert not works(server, owner) and not works(server, staff)


def test_the_command_line_lists_and_revokes_tokens(server):
    _, user = staff_member(server, "viewer")
    secret = new_token(server, user["email"], "cli made")
    lines = run_cli(["token", "list", "--db", str(server.db_path), "--email", user["email"].upper()]).stdout
    rows = [line.split("\t") for line in lines.splitlines()]
    assert len(rows) == 1 and rows[0][2] == user["email"] and rows[0][3] == "cli made"
    assert secret.startswith(rows[0][4]) and secret not in lines
    everyone = run_cli(["token", "list", "--db", str(server.db_path)]).stdout
    assert f"\t{ADMIN_EMAIL}\t" in everyone and len(everyone.splitlines()) > 1
    out = run_cli(["token", "revoke", "--db", str(server.db_path), rows[0][0]]).stdout
    assert f"token {rows[0][0]} is revoked" in out
    assert not works(server, secret)
    again = subprocess.run([str(CLIENTELE_BIN), "token", "revoke", "--db", str(server.db_path), rows[0][0]],
                           env=_child_env(None), capture_output=True, text=True, timeout=60)
    assert again.returncode == 1 and "no live API token" in again.stderr


def test_create_admin_reads_the_password_from_stdin_or_the_environment(fresh_server):
    server, db = fresh_server, str(fresh_server.db_path)
    base = [str(CLIENTELE_BIN), "create-admin", "--db", db, "--email", ADMIN_EMAIL]

    def sign_in(password):
        return requests.post(server.url("/api/auth/login"), json={"email": ADMIN_EMAIL, "password": password},
                             timeout=REQUEST_TIMEOUT)

    done = subprocess.run(base + ["--password-stdin"], input="a stdin passphrase\n", env=_child_env(None),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert_json(sign_in("a stdin passphrase"), 200)
    assert_problem(sign_in(ADMIN_PASSWORD), 401, "invalid-credentials")
    # A reset password ends the operator's tokens too (the suite's own among them).
    assert_problem(server.get("/api/auth/me"), 401, "unauthenticated")
    done = subprocess.run(base, env=_child_env({"CLIENTELE_ADMIN_PASSWORD": "an environment passphrase"}),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert_json(sign_in("an environment passphrase"), 200)
    # Without a password, or with two, it refuses and changes nothing.
    missing = subprocess.run(base, env=_child_env(None), capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and "--password-stdin" in missing.stderr
    both = subprocess.run(base + ["--password-stdin", "--password", "x y z w v u"], input="p\n",
                          env=_child_env(None), capture_output=True, text=True, timeout=60)
    assert both.returncode != 0
    assert_json(sign_in("an environment passphrase"), 200)


def test_create_admin_again_with_the_same_password_keeps_sessions_and_tokens(fresh_server):
    server = fresh_server
    browser = requests.Session()
    assert_json(browser.post(server.url("/api/auth/login"), json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
                             timeout=REQUEST_TIMEOUT), 200)
    run_cli(["create-admin", "--db", str(server.db_path), "--email", ADMIN_EMAIL, "--password", ADMIN_PASSWORD])
    assert_json(server.get("/api/auth/me"), 200)  # the token
    assert_json(browser.get(server.url("/api/auth/me"), timeout=REQUEST_TIMEOUT), 200)  # the session
