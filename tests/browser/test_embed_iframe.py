"""Every registered chart embeds (issue 6): /embed/<chart> of the chart registry (callbacks/charts.py) inside
an <iframe> on a page from another origin renders the chart with its title, source and date and nothing
else; the share toolbar next to a chart builds the permalink, the iframe snippet and export links from the
address bar. Extends tests/browser/test_embed.py (map and trend) and reuses its cross-origin host page."""
from __future__ import annotations

import re
import time
import urllib.request

import pytest

from tests.browser.test_embed import host_page  # noqa: F401  (fixture: a host page on another origin)

pytestmark = pytest.mark.browser

CHARTS = [
    ("/embed/fylke?fnr=46", "Fylkesbildet: Vestland", "g.table"),
    ("/embed/befolkning-aldersprofil?kommune=4601&ar=2035&aldersgrupper=5", "Aldersprofil, Bergen", "g.barlayer"),
    ("/embed/personell-yrke?visning-yrke=linjer", "Årsverk i omsorgstjenestene etter yrkesgruppe", "g.scatterlayer"),
    ("/embed/kommune-utvikling?knr=4601&indikator=share_80plus", "Andel 80 år og over: Bergen", "g.scatterlayer"),
]


def test_registry_charts_render_in_cross_origin_iframes(ui, host_page, app_url):  # noqa: F811
    url = host_page(*[c[0] for c in CHARTS], name="many.html", width=720, height=520)
    assert not url.startswith(app_url)
    ui.d.get(url)
    assert ui.js("return window.location.origin") != app_url
    frames = ui.wait(lambda: (lambda fs: fs if len(fs) == len(CHARTS) else None)(ui.els("iframe")),
                     "the host page lacks its iframes")
    for frame, (path, title, layer) in zip(frames, CHARTS):
        ui.d.execute_script("arguments[0].scrollIntoView()", frame)
        ui.d.switch_to.frame(frame)
        try:
            ui.wait(lambda: ui.els(f"#embed-graph svg.main-svg {layer}") or ui.els(f"#embed-graph {layer}"),
                    f"{path}: the chart never rendered inside the iframe")
            assert ui.text_content("#embed-title").startswith(title), path
            source = ui.text_content(".embed-source")
            assert source.startswith("Kilde: ") and re.search(r"Hentet \d{2}\.\d{2}\.\d{4}", source), source
            assert ui.els(".embed-source a[href*='#']"), "the link back to the page (permalink with anchor)"
            for css in ("#navbar", "#footer", ".skip-link", ".oa-share"):
                assert not any(e.is_displayed() for e in ui.els(css)), f"{path}: {css} is visible in the embed"
            size = ui.js("var c = document.querySelector('.embed-chart').getBoundingClientRect();"
                         "var s = document.querySelector('#embed-graph svg.main-svg').getBoundingClientRect();"
                         "return [c.width, s.width, document.documentElement.scrollHeight, window.innerHeight];")
            assert abs(size[0] - size[1]) <= 2 and size[2] <= size[3] + 1, (path, size)
            assert not ui.app_error_shown()
        finally:
            ui.d.switch_to.default_content()


def test_non_embed_pages_are_refused_in_a_frame(app_url):
    for path in ("/kommune?knr=4601", "/personell", "/eksport/kart.csv"):
        with urllib.request.urlopen(app_url + path, timeout=60) as resp:
            assert resp.headers["X-Frame-Options"] == "DENY", path
            assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"], path
    with urllib.request.urlopen(app_url + "/embed/fylke?fnr=46", timeout=60) as resp:
        assert resp.headers.get("X-Frame-Options") is None
        assert "frame-ancestors *" in resp.headers["Content-Security-Policy"]


def test_share_toolbar_follows_the_view(ui):
    """On «Befolkning og behov»: switch «Eldre over tid» to the index; the URL keeps it, and the toolbar's
    permalink, embed snippet and export links carry it (and the page restores it from the URL)."""
    ui.open("/befolkning?kommune=4601")
    ui.wait(lambda: ui.reveal("#groups-container") and ui.els("#groups-graph g.scatterlayer"),
            "the groups chart never rendered")
    ui.js("var e = arguments[0]; e.scrollIntoView({block: 'center'}); e.click();",
          ui.el("#pop-groups-mode input[value='index']"))
    ui.wait(lambda: ui.query().get("visning") == "indeks", "the mode never reached the URL")
    bar = "[data-oa-chart='befolkning-eldre']"
    ui.js("var e = arguments[0]; e.scrollIntoView({block: 'center'}); e.click();",
          ui.el(f"{bar} details:nth-of-type(1) summary"))
    snippet = ui.wait(lambda: ui.js(f"return document.querySelector(\"{bar} textarea\").value") or None,
                      "the embed snippet was never filled")
    assert "/embed/befolkning-eldre?kommune=4601&amp;visning=indeks" in snippet and 'title="' in snippet
    link = ui.js(f"return document.querySelector(\"{bar} .oa-share-link\").textContent")
    assert link.endswith("#groups-heading") and "visning=indeks" in link
    ui.js("arguments[0].click();", ui.el(f"{bar} details:nth-of-type(2) summary"))
    hrefs = ui.js(f"return Array.from(document.querySelectorAll(\"{bar} a[data-oa-export]\"))"
                  ".map(function (a) { return a.getAttribute('href'); })")
    assert any(h.startswith("/eksport/befolkning-eldre.png?") and "skala=4" in h and "visning=indeks" in h
               for h in hrefs), hrefs
    assert any(h.startswith("/eksport/befolkning-eldre.xlsx?kommune=4601") for h in hrefs), hrefs
    # the permalink restores the view
    ui.d.get(link)
    ui.wait(lambda: ui.els("#pop-groups-mode input[value='index']:checked"), "the view was not restored")
    time.sleep(0.5)
    assert not ui.app_error_shown()
