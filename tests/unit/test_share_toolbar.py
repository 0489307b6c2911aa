"""The share toolbar (components/share.py) is one Dash component whose content travels as escaped markup in
``data-oa-html`` (assets/75-share.js writes it into the page): the markup keeps every control of the toolbar -
«Kopier lenke», «Bygg inn» with its labelled snippet box, «Last ned» with every format - and stays inert
whatever the chart's title holds."""
from __future__ import annotations

from html.parser import HTMLParser

import app  # noqa: F401  (pages register after the app exists)
from components import share
from components.chartmeta import CHARTS


class Elements(HTMLParser):
    def __init__(self, markup: str):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def find(self, tag: str, **attrs) -> list[dict]:
        return [a for t, a in self.elements if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def _walk(node):
    yield node
    children = getattr(node, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and not isinstance(child, (str, int, float)):
            yield from _walk(child)


def test_toolbar_is_one_component_with_every_control_in_its_markup():
    with app.app.server.test_request_context("/"):
        bar = share.share_toolbar("kart")
    assert len(list(_walk(bar))) == 1
    props = bar.to_plotly_json()["props"]
    assert props["role"] == "group" and props["aria-label"] == "Del og last ned: " + props["data-oa-title"]
    assert props["data-oa-chart"] == "kart" and props["data-oa-anchor"] == CHARTS["kart"].anchor
    m = Elements(props["data-oa-html"])
    # «Kopier lenke»: a real button copying the hidden permalink span; its name starts with its visible text
    link = m.find("span", id="share-kart-link")[0]
    assert "oa-share-link" in link["class"]
    copy = m.find("button", **{"data-oa-copy": "share-kart-link"})[0]
    assert copy["type"] == "button" and copy["aria-label"].startswith("Kopier lenke")
    # «Bygg inn»: summary with its id, a labelled read-only snippet box and its copy button (named by its text)
    assert m.find("summary", id="share-kart-embed-open")
    assert m.find("label", **{"for": "share-kart-embed"}) and "readonly" in m.find("textarea", id="share-kart-embed")[0]
    code = m.find("button", **{"data-oa-copy": "share-kart-embed"})[0]
    assert "aria-label" not in code and code["title"].startswith("Kopier koden")
    # «Last ned»: every format as a plain download link to /eksport/
    assert m.find("summary", id="share-kart-download")
    hrefs = [a["href"] for a in m.find("a") if "oa-share-download" in a.get("class", "")]
    assert hrefs == ["/eksport/kart.png?skala=2", "/eksport/kart.png?skala=4", "/eksport/kart.svg",
                     "/eksport/kart.csv", "/eksport/kart.xlsx", "/eksport/kart.json"]
    assert all("download" in a for a in m.find("a"))
    assert {"Kopier lenke", "Bygg inn", "Last ned", "Kopier kode"} <= {t.strip() for t in m.text}


def test_population_charts_have_no_jsonstat_and_titles_are_escaped():
    with app.app.server.test_request_context("/"):
        bar = share.share_toolbar("befolkning-eldre", name='<b onclick="x()">Eldre & "over" tid</b>')
    markup = bar.to_plotly_json()["props"]["data-oa-html"]
    m = Elements(markup)
    assert not m.find("b") and "<b " not in markup and "&lt;b onclick=&#34;x()&#34;&gt;" in markup
    assert not [a for a in m.find("a") if a["href"].endswith(".json")]
    assert m.find("label", **{"for": "share-befolkning-eldre-embed"})[0] is not None
    assert any('Eldre & "over" tid' in t for t in m.text)


def test_every_page_toolbar_is_a_single_component():
    from pages import county, overview, population
    with app.app.server.test_request_context("/"):
        for layout in (overview.layout(), county.layout(fnr="46"), population.layout()):
            bars = [n for n in _walk(layout) if "oa-share" in (getattr(n, "className", "") or "").split()]
            assert bars and all(getattr(b, "children", None) is None and b.to_plotly_json()["props"]["data-oa-html"]
                                for b in bars)
