"""In Chromium: the charts draw with the partial plotly.js (plotly_bundle.py) when it is built, and the full
bundle is then never fetched; the map (choropleth), bars, lines and the embedded county matrix (table) all
draw with it."""
from __future__ import annotations

import pytest

import plotly_bundle

RESOURCES_JS = "return performance.getEntriesByType('resource').map(function (e) { return e.name; });"


@pytest.fixture(scope="module")
def bundle():
    b, why = plotly_bundle.load()
    if b is None:
        pytest.skip(f"partial plotly.js not built ({why}): the app serves the full bundle")
    return b


def _plotly_requests(ui) -> list[str]:
    return [u for u in ui.js(RESOURCES_JS) if "plotly" in u.rsplit("/", 1)[-1]]


def _traces(ui, css: str) -> int:
    return ui.js("return document.querySelectorAll(arguments[0] + ' .main-svg .trace').length;", css)


def test_pages_draw_with_the_partial_bundle(ui, bundle):
    ui.open("/?indikator=share_80plus&niva=kommune&fylke=46&kommune=4601&ar=2024")
    ui.wait(lambda: len(ui.fills()) > 10 and ui.reveal("#trend-container") and _traces(ui, "#trend") >= 2,
            "map and trend never drawn")
    assert _plotly_requests(ui) == [ui.base + "/vendor/" + bundle.filename]
    assert ui.js("return window.Plotly.version;") == plotly_bundle.plotlyjs_version()
    ui.open("/kommune?knr=4601")  # bars + scatter markers (spine chart)
    ui.wait(lambda: len(ui.els("#profile-spine .main-svg .barlayer .trace")) >= 2
            and ui.reveal("#profile-trend-container") and _traces(ui, "#profile-trend") >= 1,
            "spine chart and trend never drawn")
    assert all("package_data/plotly.min.js" not in u for u in ui.js(RESOURCES_JS))


def test_embedded_county_matrix_draws_its_table_trace(ui, bundle):
    ui.open("/embed/fylke?fnr=46")
    ui.wait(lambda: len(ui.els(".embed-graph .y-column")) > 3 and "Vestland" in ui.text_content(".embed-graph .main-svg"),
            "county matrix (table trace) never drawn")
    assert _plotly_requests(ui) == [ui.base + "/vendor/" + bundle.filename]
