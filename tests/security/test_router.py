"""Dash's own page router (``_pages_location`` -> ``_pages_content``) fed hostile locations through the real
HTTP endpoint: app.py cleans them before Dash sees them, so the answer is the «fant ikke siden» page or the
requested page – never the generic error note (which means a callback raised) and never a 5xx."""
from __future__ import annotations

import pytest

import app as app_module


@pytest.fixture(scope="module")
def client():
    return app_module.server.test_client()


@pytest.fixture(scope="module")
def router_output(client) -> str:
    deps = client.get("/_dash-dependencies").get_json()
    outs = [d["output"] for d in deps if "_pages_content.children" in d["output"]]
    assert len(outs) == 1, "Dash's page router callback not found"
    return outs[0]


def _route(client, output, pathname, search):
    body = {"output": output,
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": pathname},
                       {"id": "_pages_location", "property": "search", "value": search}],
            "changedPropIds": ["_pages_location.pathname"], "state": []}
    return client.post("/_dash-update-component", json=body)


@pytest.mark.parametrize("pathname", [123, None, "", "kommune", {"a": 1}, ["/"], 1.5, True, "\x00", "//evil"])
def test_hostile_pathname_gives_not_found_page(client, router_output, pathname):
    resp = _route(client, router_output, pathname, "")
    assert resp.status_code == 200
    body = resp.get_data(as_text=True)
    assert "app-error" not in body, "the router raised (generic error note shown)"
    assert "Traceback" not in body
    assert "ikke siden" in body or "not found" in body.lower()


@pytest.mark.parametrize("search", [["x"], 5, {"fnr": "46"}, None, 1e309, "?fnr=46&fnr=", "?\x00=\ud800"])
def test_hostile_search_still_renders_the_page(client, router_output, search):
    resp = _route(client, router_output, "/fylke", search)
    assert resp.status_code == 200
    body = resp.get_data(as_text=True)
    assert "app-error" not in body and "Traceback" not in body
    assert "ikke siden" not in body  # the county page, not the 404 page
