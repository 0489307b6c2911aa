"""/embed/<chart> inside an <iframe> on a page from ANOTHER origin (issue 6).

The host page is served by a tiny http.server on another loopback port under the name «localhost»,
while the app runs on 127.0.0.1: another host and another port, so another origin. Only /embed pages
may be framed (frame-ancestors in app.py); the chart must render inside the frame, without the app shell.
"""
from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path

import pandas as pd
import pytest

pytestmark = pytest.mark.browser

DATA = Path(__file__).resolve().parents[2] / "data"

EMBED_SHAPES_JS = """
return Array.from(document.querySelectorAll('#embed-map g.trace.choropleth path.choroplethlocation'))
  .filter(function (p) { var b = p.getBBox(); return p.__data__ && p.__data__.loc && b.width * b.height > 0; })
  .map(function (p) { return p.__data__.loc; });
"""


@pytest.fixture
def host_page(tmp_path, app_url):
    """http://localhost:<other port>/host.html with one iframe; returns a function(path) -> host URL."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *a, **k: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()

    def page(*paths: str, name: str = "host.html", width: int = 800, height: int = 520) -> str:
        frames = "".join(f'<iframe id="frame{i or ""}" src="{app_url}{p}" width="{width}" height="{height}" '
                         f'title="Omsorgsatlas {i}" loading="lazy"></iframe>' for i, p in enumerate(paths))
        (tmp_path / name).write_text(
            '<!DOCTYPE html><html lang="nb"><head><meta charset="utf-8"><title>Vertsside</title></head><body>'
            f'<h1>Annen nettside</h1>{frames}</body></html>', encoding="utf-8")
        return f"http://localhost:{port}/{name}"

    try:
        yield page
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_embedded_map_renders_in_a_cross_origin_iframe(ui, host_page, app_url):
    regions = pd.read_parquet(DATA / "regions.parquet")
    vestland = set(regions[(regions["level"] == "municipality") & (regions["county_code"] == "46")]["region_code"])
    url = host_page("/embed/kart?indikator=share_80plus&niva=kommune&fylke=46&ar=2024")
    assert not url.startswith(app_url)
    ui.d.get(url)
    assert ui.js("return window.location.origin") != app_url
    frame = ui.wait(lambda: next(iter(ui.els("#frame")), None), "the host page has no iframe")
    ui.d.switch_to.frame(frame)
    try:
        locs = ui.wait(lambda: (lambda xs: xs if set(xs) == vestland else None)(ui.js(EMBED_SHAPES_JS) or []),
                       "the map inside the iframe never drew Vestland's municipalities")
        assert len(locs) == len(vestland) == 43
        assert ui.text_content("#embed-title") == "Andel 80 år og over – kommuner i Vestland, 2024"
        source = ui.text_content(".embed-source")
        assert "Kilde: SSB" in source and "NLOD 2.0" in source
        assert re.search(r"Hentet \d{2}\.\d{2}\.\d{4}", source)
        assert ui.js("return !!document.querySelector('#embed-map .colorbar')"), "no legend (colour bar)"
        # nothing else: the app shell is not shown, there are no controls
        for css in ("#navbar", "#footer", ".skip-link"):
            assert not any(e.is_displayed() for e in ui.els(css)), f"{css} is visible in the embed"
        assert not ui.els("#indicator-dropdown") and not ui.els("#year-slider")
        # the chart fills the frame (responsive), nothing scrolls
        fill = ui.js("var c = document.querySelector('.embed-chart').getBoundingClientRect();"
                     "var s = document.querySelector('#embed-map svg.main-svg').getBoundingClientRect();"
                     "return [c.height, s.height, document.documentElement.scrollHeight, window.innerHeight];")
        assert abs(fill[0] - fill[1]) <= 2 and fill[2] <= fill[3] + 1, fill
        assert not ui.app_error_shown()
    finally:
        ui.d.switch_to.default_content()
    assert not [m for m in ui.severe_console() if "embed" in m or "_dash" in m]


def test_embedded_trend_and_bad_parameters_note(ui, host_page):
    ui.d.get(host_page("/embed/utvikling?indikator=finnes_ikke&kommune=4601", width=600, height=420))
    ui.d.switch_to.frame(ui.wait(lambda: next(iter(ui.els("#frame")), None)))
    try:
        ui.wait(lambda: len(ui.els("#embed-trend g.scatterlayer g.trace")) == 3, "the trend never drew 3 lines")
        assert "Ukjent indikator «finnes_ikke»" in ui.text_content(".embed-note")
        assert ui.text_content("#embed-title") == "Andel pasienter på fastlegeliste uten lege: Bergen – Vestland og landet"
        legend = ui.text_content("#embed-trend .legend")
        assert all(n in legend for n in ("Bergen", "Vestland", "Norge"))
    finally:
        ui.d.switch_to.default_content()


def test_other_pages_refuse_to_be_framed(ui, host_page):
    """Only /embed may be framed: next to an embed that renders, the overview page in another site's iframe
    never does (frame-ancestors 'none' / X-Frame-Options DENY outside /embed)."""
    import time

    ui.d.get(host_page("/embed/kart?indikator=share_80plus&niva=fylke", "/?indikator=share_80plus",
                       name="blocked.html", height=400))
    frames = ui.wait(lambda: (lambda fs: fs if len(fs) == 2 else None)(ui.els("iframe")), "two iframes expected")
    ui.d.switch_to.frame(frames[0])
    try:
        ui.wait(lambda: len(ui.js(EMBED_SHAPES_JS) or []) == 15, "the embedded county map never rendered")
    finally:
        ui.d.switch_to.default_content()
    deadline = time.monotonic() + 8
    while time.monotonic() < deadline:
        ui.d.switch_to.frame(ui.els("iframe")[1])
        try:
            assert not ui.els("#navbar") and not ui.els("#map"), "the overview page rendered inside a foreign frame"
        finally:
            ui.d.switch_to.default_content()
        time.sleep(0.5)
