"""The web UI's files, served by the server itself: hashed assets cached for good, index.html
revalidated and guarded by a Content-Security-Policy, client-side routes answered with index.html,
and nothing outside the build directory reachable."""

import re
import socket

import pytest

from conftest import REPO_ROOT, assert_problem, read_http_response

INDEX = b'<!doctype html><html><head><script type="module" src="/assets/app-3f9a1c.js"></script></head></html>'
SCRIPT = b"console.log('app')"


@pytest.fixture
def ui_server(server_factory, tmp_path):
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_bytes(INDEX)
    (dist / "assets" / "app-3f9a1c.js").write_bytes(SCRIPT)
    (dist / "assets" / "style-77aa.css").write_bytes(b"body{}")
    (dist / "favicon.svg").write_bytes(b"<svg/>")
    (dist / "assets" / "app-3f9a1c.js.map").write_bytes(b'{"version":3,"sourcesContent":["secret source"]}')
    (tmp_path / "secret.txt").write_bytes(b"not for the web")
    (dist / ".env").write_bytes(b"SECRET=1")
    return server_factory({"CLIENTELE_UI_DIR": str(dist)})


def test_index_and_client_side_routes(ui_server):
    for path in ["/", "/login", "/app/customers/12", "/portal/default/register"]:
        resp = ui_server.anon("GET", path)
        assert resp.status_code == 200 and resp.content == INDEX, path
        assert resp.headers["Content-Type"] == "text/html; charset=utf-8"
        assert resp.headers["Cache-Control"] == "no-cache"
        csp = resp.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
        assert "frame-ancestors 'none'" in csp and resp.headers["X-Frame-Options"] == "DENY"


def test_assets_are_cached_for_good(ui_server):
    resp = ui_server.anon("GET", "/assets/app-3f9a1c.js")
    assert resp.status_code == 200 and resp.content == SCRIPT
    assert resp.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert resp.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Content-Security-Policy" not in resp.headers
    css = ui_server.anon("GET", "/assets/style-77aa.css")
    assert css.headers["Content-Type"] == "text/css; charset=utf-8"
    assert ui_server.anon("GET", "/favicon.svg").headers["Content-Type"] == "image/svg+xml"
    head = ui_server.anon("HEAD", "/assets/app-3f9a1c.js")
    assert head.status_code == 200 and head.content == b"" and head.headers["Content-Length"] == str(len(SCRIPT))


def test_source_maps_are_never_served(ui_server):
    # The UI's source is not published: the build makes no maps, and one left there is not served.
    for path in ["/assets/app-3f9a1c.js.map", "/assets/gone-1234.js.map"]:
        resp = ui_server.anon("GET", path)
        assert_problem(resp, 404, "not-found")
        assert b"secret source" not in resp.content
    config = (REPO_ROOT / "ui" / "vite.config.ts").read_text()
    assert re.search(r"sourcemap:\s*false", config), "ui/vite.config.ts must build without source maps"


def test_missing_files_and_the_api_stay_404(ui_server):
    assert_problem(ui_server.anon("GET", "/assets/gone-1234.js"), 404, "not-found")
    assert_problem(ui_server.anon("GET", "/robots.txt"), 404, "not-found")
    # The API never falls back to the page.
    assert_problem(ui_server.anon("GET", "/api/no-such-thing"), 404, "not-found")
    assert_problem(ui_server.anon("POST", "/login"), 404, "not-found")


@pytest.mark.parametrize("target", ["/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt",
                                    "/.env", "/assets/%2e%2e%2f%2e%2e%2fsecret.txt", "/%2fetc%2fpasswd"])
def test_nothing_outside_the_build_is_reachable(ui_server, target):
    with socket.create_connection(("127.0.0.1", ui_server.port)) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        status, _, body = read_http_response(sock)
    assert status in (400, 404), (target, status)
    assert b"not for the web" not in body and b"SECRET" not in body


def test_without_a_build_the_page_says_how_to_make_one(server_factory, tmp_path):
    server = server_factory({"CLIENTELE_UI_DIR": str(tmp_path / "not-built")})
    resp = server.anon("GET", "/app")
    assert_problem(resp, 404, "not-found")
    assert "npm run build" in resp.json()["detail"]
    assert_problem(server.anon("GET", "/api/customers"), 401, "unauthenticated")  # the API is unaffected
