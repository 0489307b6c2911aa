"""Cache lifetimes (app.py «cache lifetimes»): versioned static files for a year and immutable, pages and
Dash's JSON revalidated, callback answers not stored. Through Flask's test client."""
from __future__ import annotations

import re

import pytest

import app as app_module

IMMUTABLE = "public, max-age=31536000, immutable"


@pytest.fixture(scope="module")
def client():
    return app_module.server.test_client()


@pytest.fixture(scope="module")
def page(client):
    return client.get("/").get_data(as_text=True)


def test_every_script_and_stylesheet_of_a_page_is_versioned_and_immutable(client, page):
    urls = re.findall(r'<script src="([^"]+)"', page) + re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert len(urls) > 10 and any("/_dash-component-suites/" in u for u in urls)
    assert any(u.startswith("/bundle/app-") for u in urls) and any(u.startswith("/vendor/bootstrap") for u in urls)
    for url in urls:
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert resp.headers["Cache-Control"] == IMMUTABLE, url
        resp.close()


def test_dash_async_chunks_are_immutable_too(client, page):
    suite = next(u for u in re.findall(r'<script src="([^"]+)"', page) if "/dcc/dash_core_components." in u)
    chunk = re.sub(r"dash_core_components(\.v[^/]+\.js)$", r"async-graph\1", suite)
    assert chunk != suite
    resp = client.get(chunk)
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == IMMUTABLE


def test_unversioned_static_urls_are_not_immutable(client):
    import os
    asset = f"/assets/10-app.css?m={os.path.getmtime(os.path.join(app_module.app.config.assets_folder, '10-app.css'))}"
    assert client.get(asset).headers["Cache-Control"] == IMMUTABLE  # Dash's own asset URL, at the current mtime
    stale = asset.split("?m=")[0] + "?m=1.5"
    for url in (asset.split("?m=")[0], stale, "/vendor/bootstrap.min.css", "/vendor/bootstrap.min.css?v=0",
                "/assets/favicon.svg"):
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert "immutable" not in resp.headers.get("Cache-Control", ""), url
        resp.close()


def test_map_shapes_immutable_only_at_the_current_data_version(client):
    import store
    assert client.get(f"/geo/kommuner.json?v={store.version()}").headers["Cache-Control"] == IMMUTABLE
    assert client.get("/geo/kommuner.json?v=old").headers["Cache-Control"] == "public, max-age=86400"


@pytest.mark.parametrize("path", ["/", "/kommune?knr=4601", "/om-dataene", "/finnes-ikke", "/_dash-layout",
                                  "/_dash-dependencies"])
def test_pages_and_dash_json_are_revalidated(client, path):
    assert client.get(path).headers["Cache-Control"] == "no-cache"


def test_callback_answers_are_not_stored(client):
    deps = client.get("/_dash-dependencies").get_json()
    cb = next(d for d in deps if d["output"] == "..catalog-table.children...catalog-count.children..")
    body = {"output": cb["output"], "outputs": [{"id": "catalog-table", "property": "children"},
                                                {"id": "catalog-count", "property": "children"}],
            "inputs": [{"id": i["id"], "property": i["property"], "value": ""} for i in cb["inputs"]],
            "changedPropIds": [], "state": [{"id": s["id"], "property": s["property"]} for s in cb["state"]]}
    resp = client.post("/_dash-update-component", json=body)
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
