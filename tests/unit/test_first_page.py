"""The first page in the layout (app.py «the first page») and the start-up outputs in the pages' layouts
(pages/overview.py, pages/profile.py): content without callback round trips. Through Flask's test client."""
from __future__ import annotations

import json

import pytest

import app as app_module
import store


@pytest.fixture(scope="module")
def client():
    return app_module.server.test_client()


def _find(node, id_):
    """The component with this id in a layout JSON, or None."""
    if isinstance(node, list):
        for n in node:
            hit = _find(n, id_)
            if hit is not None:
                return hit
        return None
    if isinstance(node, dict):
        props = node.get("props") or {}
        if props.get("id") == id_:
            return node
        for v in props.values():
            hit = _find(v, id_)
            if hit is not None:
                return hit
    return None


def _layout(client, referer: str | None):
    headers = {"Referer": referer} if referer else {}
    resp = client.get("/_dash-layout", headers=headers)
    assert resp.status_code == 200
    return resp.get_json()


def test_the_layout_carries_the_page_that_asked_for_it(client):
    data = _layout(client, "http://localhost/?indikator=share_80plus&niva=fylke&ar=2020")
    loc = _find(data, "_pages_location")["props"]
    assert (loc["pathname"], loc["search"]) == ("/", "?indikator=share_80plus&niva=fylke&ar=2020")
    assert _find(data, "_pages_store")["props"]["data"] == {"title": "Kart og trender – Omsorgsatlas"}
    # the overview's first view: the map with its data, the ranked table and the trend, for the URL's state
    fig = _find(data, "map")["props"]["figure"]
    assert fig["data"] and fig["data"][0]["type"] == "choropleth" and len(fig["data"][0]["locations"]) == 15
    assert "2020" in _find(data, "map-heading")["props"]["children"]
    assert _find(data, "rank-table")["props"]["children"]["type"] == "HtmlBlock"
    assert _find(data, "map-geokey")["props"]["data"].startswith("share_80plus|county|")
    assert _find(data, "trend")["props"]["figure"]["data"]
    assert "Andel 80 år og over" in json.dumps(_find(data, "indicator-definition"), ensure_ascii=False)


def test_min_kommune_arrives_with_its_profile(client):
    data = _layout(client, "http://localhost/kommune?knr=4601")
    body = json.dumps(_find(data, "profile-body"), ensure_ascii=False)
    assert "Bergen" in body and "profile-table-table" in body and "geo-neighbours-table" in body
    assert _find(data, "profile-trend-section")["props"]["hidden"] is False
    assert _find(data, "profile-trend")["props"]["figure"]["data"]


@pytest.mark.parametrize("referer", [None, "http://elsewhere.example/kommune?knr=4601", "http://localhost/finnes-ikke",
                                     "not a url"])
def test_without_a_known_page_the_router_fills_the_page_as_before(client, referer):
    data = _layout(client, referer)
    loc = _find(data, "_pages_location")["props"]
    assert "pathname" not in loc and "search" not in loc  # dcc.Location reports them, the router answers
    assert _find(data, "_pages_content")["props"].get("children") is None


def test_the_start_up_callbacks_wait_for_a_change(client):
    """Their first answers are in the layouts, so they must not also run at start (a second round trip and
    a second drawing of each chart)."""
    first = {"map.figure", "rank-table.children", "trend.figure", "indicator-definition.children",
             "profile-body.children", "profile-trend.figure"}
    client.get("/")  # Dash registers its callbacks with the first request
    seen = set()
    for cb in app_module.app._callback_list:
        outputs = {o.split("@")[0] for o in cb["output"].strip(".").split("...")}
        hit = outputs & first
        if hit:
            assert cb["prevent_initial_call"], hit
            seen |= hit
    assert seen == first


def test_the_index_leaves_out_the_unused_datatable_bundle(client):
    page = client.get("/").get_data(as_text=True)
    assert "/dash_table/" not in page and "dash_renderer" in page


def test_profile_layout_equals_the_callbacks_answer():
    from callbacks.profile import update_profile
    import pages.profile as profile
    with app_module.server.test_request_context("/"):
        lay = json.loads(app_module.to_json_plotly(profile.layout(knr="0301", omrade="institusjon")))
        want = json.loads(app_module.to_json_plotly(update_profile("0301", "institusjon")["body"]))
    assert _find(lay, "profile-body")["props"]["children"] == want
    assert store.region("0301")


def _pers(kind: str, panel: str, type_: str) -> dict:
    return {"type": type_, "kind": kind, "panel": panel}


def test_personnel_layout_carries_its_first_view_and_its_callbacks_wait(client):
    """«Personell og kompetanse»: every panel's chart, table and source, the key figures and the explorer's
    choices come with the layout (callbacks.personnel.first_view); the URL's view of a panel is kept."""
    data = _layout(client, "http://localhost/personell?tjenesteomrade=legetjeneste&ar=2015&visning-leger=linjer")
    assert "Ingen nøkkeltall for tjenesteområdet «Legetjeneste»" in json.dumps(_find(data, "pers-keys"),
                                                                             ensure_ascii=False)
    keys = json.dumps(_find(_layout(client, "http://localhost/personell"), "pers-keys"), ensure_ascii=False)
    assert "key-card" in keys and "HtmlBlock" in keys and "74,2" in keys
    assert "Legetjeneste" in _find(data, "pers-area-status")["props"]["children"]
    assert _find(data, _pers("time", "yrke", "pers-panel"))["props"]["hidden"] is True  # not in the area
    assert _find(data, _pers("time", "leger", "pers-panel"))["props"]["hidden"] is False
    leger = _find(data, _pers("time", "leger", "pers-graph"))["props"]["figure"]
    assert leger["data"] and {t["type"] for t in leger["data"]} == {"scatter"}  # visning-leger=linjer
    assert ", 2015 –" in _find(data, _pers("bar", "menn", "pers-graph"))["props"]["figure"]["layout"]["title"]["text"]
    assert _find(data, _pers("bar", "menn", "pers-table"))["props"]["children"]["type"] == "HtmlBlock"
    assert "Kilde:" in json.dumps(_find(data, _pers("bar", "menn", "pers-source")), ensure_ascii=False)
    assert _find(data, "pers-explorer-series")["props"]["options"]
    client.get("/")
    names = {"pers-keys.children", "pers-explorer-series.options"}
    seen = set()
    for cb in app_module.app._callback_list:
        if "pers-" in cb["output"] and ("pers-graph" in cb["output"] or set(cb["output"].split("..")) & names):
            assert cb["prevent_initial_call"], cb["output"]
            seen.add(cb["output"])
    assert len(seen) == 5, seen  # 3 kinds of panel, the key figures, the explorer's choices
