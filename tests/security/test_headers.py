"""Security headers on every kind of response, through Flask's test client (no server, no browser).

Pages, static assets, Dash's component suites and JSON endpoints, callbacks (good and malformed), 404s and
the app's own routes all carry the same Content-Security-Policy, X-Content-Type-Options, Referrer-Policy
and X-Frame-Options; only paths under /embed may be framed (frame-ancestors *, no X-Frame-Options).
"""
from __future__ import annotations

import re

import pytest

import app as app_module

PAGES = ["/", "/kommune", "/kommune?knr=4601", "/fylke", "/fylke?fnr=46", "/befolkning", "/personell",
         "/tiltak", "/om-dataene"]


@pytest.fixture(scope="module")
def client():
    app_module.server.config["TESTING"] = True
    return app_module.server.test_client()


def directives(csp: str) -> dict[str, list[str]]:
    out = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def assert_secure(resp, framable: bool = False):
    h = resp.headers
    assert h.get("X-Content-Type-Options") == "nosniff"
    assert h.get("Referrer-Policy") == "strict-origin-when-cross-origin"
    csp = directives(h.get("Content-Security-Policy", ""))
    assert csp.get("default-src") == ["'self'"]
    assert csp.get("object-src") == ["'none'"]
    assert csp.get("base-uri") == ["'self'"]
    script = csp.get("script-src", [])
    assert script[0] == "'self'"
    assert "'unsafe-eval'" not in script and "'unsafe-inline'" not in script
    assert all(re.fullmatch(r"'sha256-[A-Za-z0-9+/]+={0,2}'", s) for s in script[1:]), script
    if framable:
        assert csp.get("frame-ancestors") == ["*"]
        assert "X-Frame-Options" not in h
    else:
        assert csp.get("frame-ancestors") == ["'none'"]
        assert h.get("X-Frame-Options") == "DENY"


@pytest.mark.parametrize("path", PAGES)
def test_pages(client, path):
    resp = client.get(path)
    assert resp.status_code == 200
    assert_secure(resp)


def test_inline_scripts_are_all_allowed_by_hash(client):
    """Every inline <script> Dash writes into the page (renderer bootstrap, clientside callbacks) has its
    hash in script-src, and there are no inline event handlers."""
    import base64
    import hashlib

    resp = client.get("/")
    html = resp.get_data(as_text=True)
    allowed = set(directives(resp.headers["Content-Security-Policy"])["script-src"][1:])
    inline = [m.group(2) for m in re.finditer(r"<script([^>]*)>(.*?)</script>", html, re.S)
              if "src=" not in m.group(1) and "application/json" not in m.group(1)]
    assert len(inline) >= 2  # the renderer and at least one clientside callback
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed, body[:80]
    assert not re.search(r"\son[a-z]+=", html)


def test_assets_and_component_suites(client):
    page = client.get("/").get_data(as_text=True)
    srcs = re.findall(r'<script src="([^"]+)"', page) + re.findall(r'<link[^>]+href="([^"]+\.css[^"]*)"', page)
    assert any("/_dash-component-suites/" in s for s in srcs) and any(s.startswith("/bundle/app-") for s in srcs)
    for src in srcs:
        resp = client.get(src)
        assert resp.status_code == 200, src
        assert_secure(resp)
        resp.close()


@pytest.mark.parametrize("path", ["/_dash-layout", "/_dash-dependencies", "/vendor/bootstrap.min.css",
                                  "/assets/favicon.svg"])
def test_json_endpoints_and_own_routes(client, path):
    resp = client.get(path)
    assert resp.status_code == 200
    assert_secure(resp)


def test_callbacks(client):
    """A real callback (the catalogue search) and a malformed request both carry the headers."""
    deps = client.get("/_dash-dependencies").get_json()
    cb = next(d for d in deps if d["output"] == "..catalog-table.children...catalog-count.children..")
    body = {"output": cb["output"], "outputs": [{"id": "catalog-table", "property": "children"},
                                                {"id": "catalog-count", "property": "children"}],
            "inputs": [{"id": i["id"], "property": i["property"], "value": ""} for i in cb["inputs"]],
            "changedPropIds": [], "state": [{"id": s["id"], "property": s["property"]} for s in cb["state"]]}
    resp = client.post("/_dash-update-component", json=body)
    assert resp.status_code == 200 and "catalog-table" in resp.get_data(as_text=True)
    assert_secure(resp)
    bad = client.post("/_dash-update-component", data="{not json", content_type="application/json")
    assert bad.status_code == 400
    assert_secure(bad)


def test_not_found(client):
    resp = client.get("/assets/does-not-exist.js")
    assert resp.status_code == 404
    assert_secure(resp)
    assert_secure(client.get("/finnes-ikke"))


@pytest.mark.parametrize("path,framable", [("/embed", True), ("/embed/kart", True), ("/embed/", True),
                                           ("/embedded", False), ("/kommune/embed", False)])
def test_only_embed_paths_may_be_framed(client, path, framable):
    """The rule is path-based, so a later /embed route is framable without touching the header code."""
    assert app_module.is_embed_path(path) is framable
    resp = client.get(path)
    assert_secure(resp, framable=framable)
