"""The first paint (components/firstpaint.py, app.py _first_paint): the page's layout as plain HTML inside the
index page, without ids, id references or data- attributes, gone from embeds. Through Flask's test client."""
from __future__ import annotations

import re

import pytest

import app as app_module
from components.firstpaint import first_paint


@pytest.fixture(scope="module")
def client():
    return app_module.server.test_client()


def _first(page: str) -> str:
    m = re.search(r'<div id="oa-first" class="oa-first">(.*?)</div>\s*<div id="react-entry-point">', page, re.S)
    assert m, "no first paint before the renderer's entry point"
    return m.group(1)


def test_the_overview_arrives_with_its_text_and_ranked_table(client):
    page = client.get("/?indikator=share_80plus&niva=fylke&ar=2020").get_data(as_text=True)
    first = _first(page)
    assert "<h1" in first and "Kart og trender" in first
    assert first.count("<tr") >= 16 and "Vestland" in first  # the 15 counties ranked, with the header row
    assert "2020" in first
    # nothing a script or an aria reference could mistake for the live page's
    assert not re.search(r' (id|for|aria-labelledby|aria-details|data-[\w-]+)="', first)
    assert "<script" not in first.lower()


def test_min_kommune_arrives_with_its_profile_text(client):
    first = _first(client.get("/kommune?knr=4601").get_data(as_text=True))
    assert "Bergen" in first and "Naboer og kommuner som ligner" in first and "Vaksdal" in first


def test_embeds_have_none_and_text_is_escaped(client):
    assert 'id="oa-first"' not in client.get("/embed/kart").get_data(as_text=True)
    from dash import dcc, html
    import json
    from plotly.io.json import to_json_plotly
    tree = json.loads(to_json_plotly(html.Div([html.P("<b>x</b>", id="p", **{"aria-labelledby": "p"}),
                                               dcc.Graph(figure={"layout": {"height": 380}}), dcc.Store(id="s"),
                                               html.Details(html.Summary("Vis"), open=False)])))
    out = first_paint(tree)
    assert out == ('<div><p>&lt;b&gt;x&lt;/b&gt;</p><div class="dash-graph oa-first-box" style="min-height:380px">'
                   '</div><details><summary>Vis</summary></details></div>')
