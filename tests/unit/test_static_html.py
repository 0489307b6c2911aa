"""components.markup.to_html and components.htmlblock: Dash components as one escaped HTML string, sent in one
HtmlBlock component (assets/05-htmlblock.js writes it)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from dash import dcc, html
from plotly.io.json import to_json_plotly

from components.htmlblock import NAMESPACE, HtmlBlock, compact, html_block, static_html, store_id
from components.markup import to_html
from components.tables import html_table


def test_text_and_attributes_are_escaped_including_jsx_braces():
    out = to_html(html.Td(['<b>"x" & {y}</b>'], title="a{b}<c>", className="num"))
    assert out == ('<td class="num" title="a&#123;b&#125;&lt;c&gt;">'
                   '&lt;b&gt;&#34;x&#34; &amp; &#123;y&#125;&lt;/b&gt;</td>')


def test_dcc_links_are_marked_as_in_app_links_and_void_elements_close():
    link = dcc.Link(["Bergen", html.Br(), html.Span(" (lav)", className="visually-hidden")],
                    href="/kommune?knr=4601&omrade=x", className="rug-link")
    assert to_html(link) == ('<a href="/kommune?knr=4601&amp;omrade=x" class="rug-link" data-app-link="">Bergen<br/>'
                             '<span class="visually-hidden"> (lav)</span></a>')
    assert to_html(html.A("SSB", href="https://www.ssb.no", target="_blank")) == \
        '<a href="https://www.ssb.no" target="_blank">SSB</a>'


def test_html_block_is_an_empty_div_beside_the_store_of_its_markup():
    div, store = html_block("x-table", html.P("Velg et fylke.", className="lead"), className="rug-inner")
    assert div.id == "x-table" and getattr(div, "children", None) is None and div.className == "rug-inner"
    assert store.id == store_id("x-table") == "x-table-html" and store.data == '<p class="lead">Velg et fylke.</p>'
    assert html_block("y")[1].data == ""


def test_style_aria_and_unknown_props():
    out = to_html(html.Th("x", style={"background": "#1f5f99", "fontWeight": 700}, scope="col",
                          **{"aria-sort": "ascending"}, n_clicks=3))
    assert out == '<th scope="col" style="background:#1f5f99;font-weight:700" aria-sort="ascending">x</th>'
    with pytest.raises(TypeError):
        to_html(html.Div("x", style={"--rug-font": "12px"}))
    with pytest.raises(TypeError):
        to_html(dcc.Dropdown(id="x"))


def test_static_table_is_one_htmlblock_component_with_its_markup():
    t = html_table(["A", "B"], [["1", "2"]], static=True, table_id="t")
    assert isinstance(t, HtmlBlock) and t.className == "static-table" and not hasattr(t, "target")
    assert t.data.startswith('<table id="t" ') and "<tbody><tr><td>1</td><td>2</td></tr></tbody>" in t.data
    data = json.loads(to_json_plotly(t))
    assert (data["namespace"], data["type"]) == (NAMESPACE, "HtmlBlock")
    assert data["props"] == {"data": t.data, "className": "static-table"}


def test_html_block_writes_into_its_div_and_keeps_aria_props():
    div, block = html_block("z", html.P("x"), className="table-scroll", tabIndex="0", role="region",
                            **{"aria-label": "Tabell"})
    assert (div.role, div.tabIndex, getattr(div, "aria-label")) == ("region", "0", "Tabell")
    assert json.loads(to_json_plotly(block))["props"] == {"id": "z-html", "data": "<p>x</p>", "target": "z"}
    own = static_html(html.P("y"), id="w", **{"aria-label": "Tabell", "data-x": "1"})
    assert json.loads(to_json_plotly(own))["props"] == {"id": "w", "data": "<p>y</p>", "aria-label": "Tabell",
                                                        "data-x": "1"}
    with pytest.raises(TypeError):
        HtmlBlock(data="", onclick="x")  # only the declared props


def test_the_browser_side_is_one_asset():
    js = (Path(__file__).resolve().parents[2] / "assets" / "05-htmlblock.js").read_text(encoding="utf-8")
    assert f"window.{NAMESPACE}.HtmlBlock" in js and "data-app-link" in js and "_dashprivate_pushstate" in js
    assert "details:not([open])" in js  # «Vis tabell» tables written when opened


def test_compact_replaces_static_subtrees_by_one_block_with_the_same_root():
    menu = html.Ul([html.Li(dcc.Link("Kart", href="/", className="nav-link"), className="nav-item"),
                    html.Li(html.A("Om", href="/om", download=""), className="nav-item")],
                   id="main-nav", className="navbar-nav")
    live = html.Div(id="kept")  # a callback names it
    tree = html.Div([menu, html.Section([html.H2("x"), live]), dcc.Dropdown(id="d")])
    out = compact(tree, frozenset({"kept", "d"}))
    block = out.children[0]
    assert isinstance(block, HtmlBlock) and block.tag == "ul"
    assert block.attributes == {"id": "main-nav", "class": "navbar-nav"}
    assert block.data == ('<li class="nav-item"><a href="/" class="nav-link" data-app-link="">Kart</a></li>'
                          '<li class="nav-item"><a download="" href="/om">Om</a></li>')
    # a subtree with a callback's id, a dcc component or too few components stays as it is
    assert out.children[1].children[1] is live and isinstance(out.children[1].children[0], html.H2)
    assert isinstance(out.children[2], dcc.Dropdown)
    # a prop plain HTML would drop keeps the component
    area = html.Div([html.Textarea("x", rows=3), html.P("a"), html.P("b"), html.P("c")])
    assert not isinstance(compact(area, frozenset()), HtmlBlock)
    # and to_html writes a compacted block back as the same markup
    assert to_html(block) == to_html(menu)


# ------------------------------------------------------------------------------------------ direct markup
_ELEMENT_CASES = [
    ("td", "1 234,5", {"className": "num"}),
    ("th", ['<b>"x" & {y}</b>', html.Span(" (valgt)", className="small")], {"scope": "row", "title": "a{b}<c>"}),
    ("span", "▲", {"aria-hidden": "true"}),
    ("span", ["▲", " Høyere"], {"className": "bm bm-higher", "title": "t", "style": {"background": "#4b2a80",
                                                                                        "color": "#ffffff"}}),
    ("div", None, {"id": "x", "role": "region", "tabIndex": "0", "aria-label": "Tabell", "data-x": "1",
                   "aria-describedby": "y"}),
    ("section", [html.H2("h", id="h"), "t"], {"aria-labelledby": "h", "hidden": True, "n_clicks": 0}),
    ("p", 3.5, {"lang": "nb", "className": None}),
    ("br", None, {}),
]


@pytest.mark.parametrize("tag,children,props", _ELEMENT_CASES)
def test_element_is_the_markup_of_the_same_component(tag, children, props):
    from components.markup import Html, element
    component = getattr(html, tag.capitalize())
    made = component(children, **props) if children is not None else component(**props)
    out = element(tag, children, **props)
    assert isinstance(out, Html) and out == to_html(made)


def test_built_markup_is_written_as_is_and_text_stays_escaped():
    from components.markup import Html, element, link
    cell = element("th", link("Bergen & co", href="/kommune?knr=4601&omrade=x"), scope="row")
    assert cell == to_html(html.Th(dcc.Link("Bergen & co", href="/kommune?knr=4601&omrade=x"), scope="row"))
    assert to_html(html.Div([cell, "<i>"])) == f"<div>{cell}&lt;i&gt;</div>"  # not escaped twice; text escaped
    assert to_html("<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;" and to_html(Html("<b>x</b>")) == "<b>x</b>"
    with pytest.raises(TypeError):
        element("td", "x", scope="row")  # not a prop of html.Td


def test_static_table_cells_may_be_components_or_built_markup():
    from components.markup import element
    a = html_table(["A", "B"], [[html.Th("x", scope="row"), html.Td("1", className="num")], ["y", 2]],
                   static=True, table_id="t", numeric=[1], caption="C")
    b = html_table(["A", "B"], [[element("th", "x", scope="row"), element("td", "1", className="num")], ["y", 2]],
                   static=True, table_id="t", numeric=[1], caption="C")
    assert a.data == b.data == to_html(html.Table([
        html.Caption("C"), html.Thead(html.Tr([html.Th("A", scope="col"), html.Th("B", scope="col", className="num")])),
        html.Tbody([html.Tr([html.Th("x", scope="row"), html.Td("1", className="num")]),
                    html.Tr([html.Td("y"), html.Td(2, className="num")])])], id="t", className="table table-sm data-table"))
