"""Charts mounted when they come into view (components/deferred.py, window.omsorgsatlas.Deferred in
assets/05-htmlblock.js), in headless Chromium against gunicorn:

- on a phone, «Min kommune» renders its text without any chart: plotly.js is not even requested, and each chart
  waits in an empty box of the chart's height; scrolling to a box draws that chart (and only then is plotly.js
  fetched);
- a figure a callback changes while its chart waits is the one drawn when the chart comes into view;
- charts that come into view together are mounted one after the other (each drawn in its own task);
- the same on «Befolkning og behov» (four charts), including a dash.Patch (the age profile's year) made while
  the chart waits;
- printing (the ``beforeprint`` event) mounts every waiting chart;
- mounting does not move the page: the drawn chart is as tall as the box that waited in its place.
"""
from __future__ import annotations

import time

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 412, "height": 900, "deviceScaleFactor": 1, "mobile": True}

# every Deferred box: the id of its holder (the chart's container), its state, min-height and box
BOXES_JS = """
return Array.from(document.querySelectorAll('[data-oa-deferred]')).map(function (e) {
  var r = e.getBoundingClientRect();
  return {holder: e.parentElement ? e.parentElement.id : '', state: e.getAttribute('data-oa-deferred'),
          minHeight: parseFloat(getComputedStyle(e).minHeight) || 0, top: r.top + window.scrollY, height: r.height,
          graphs: e.querySelectorAll('.js-plotly-plot .main-svg').length};
});
"""
PLOTLY_JS = """
return performance.getEntriesByType('resource').map(function (e) { return e.name; })
  .filter(function (n) { return n.split('?')[0].split('/').pop().indexOf('plotly') >= 0; });
"""

# distance from the top of a chart's holder to the top of what follows it (None if nothing follows)
GAP_JS = """
var h = document.getElementById(arguments[0]), n = h && h.nextElementSibling;
return n ? n.getBoundingClientRect().top - h.getBoundingClientRect().top : null;
"""


def boxes(ui) -> dict[str, dict]:
    return {b["holder"]: b for b in ui.js(BOXES_JS)}


def plotly_requests(ui) -> list[str]:
    return ui.js(PLOTLY_JS)


def settled(ui) -> bool:
    return ui.js("return !document.querySelector('[data-dash-is-loading=\"true\"]');")


@pytest.fixture
def phone(ui):
    """A phone-sized viewport (412 × 900 CSS px, mobile) for the whole test, set before the page loads."""
    ui.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
    try:
        yield ui
    finally:
        ui.d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_phone_profile_loads_no_plotly_until_a_chart_is_scrolled_to(phone):
    ui = phone
    ui.open("/kommune?knr=4601")
    ui.wait(lambda: ui.text("#profile-name").strip() == "Bergen" and settled(ui), "Bergen's profile did not render")
    assert ui.js("return window.innerWidth") == PHONE["width"]
    time.sleep(1.5)  # room for a request that should not come (a chart mounted on load would fetch plotly.js)
    b = boxes(ui)
    assert set(b) == {"profile-spine-container", "profile-trend-container"}, b
    for holder, box in b.items():
        assert box["state"] == "waiting" and box["graphs"] == 0, f"{holder} drawn on load on a phone: {box}"
        assert box["minHeight"] > 100 and box["height"] >= box["minHeight"] - 0.5, f"{holder} keeps no room: {box}"
        assert box["top"] > PHONE["height"], f"{holder} starts in the first screen ({box['top']} px)"
    assert plotly_requests(ui) == [], "plotly.js fetched although no chart is in view"
    assert not ui.els(".js-plotly-plot")

    # scroll to the spine chart: it (and only it) is drawn, and now plotly.js is fetched
    ui.wait(lambda: ui.reveal("#profile-spine-container") and ui.els("#profile-spine .main-svg .barlayer .trace"),
            "the spine chart was not drawn when scrolled into view")
    b = boxes(ui)
    assert b["profile-spine-container"]["state"] == "drawn"
    assert b["profile-trend-container"]["state"] == "waiting", "the trend (still out of view) was drawn too"
    assert len(plotly_requests(ui)) == 1, plotly_requests(ui)
    assert not ui.app_error_shown() and not ui.severe_console()


def test_update_made_while_the_trend_waits_is_drawn_when_it_comes_into_view(ui):
    ui.open("/?indikator=share_80plus&fylke=46&ar=2024")
    ui.wait(lambda: len(ui.fills()) > 10 and settled(ui), "Vestland's map never drawn")
    trend = boxes(ui)["trend-container"]
    assert trend["state"] == "waiting", f"the trend is drawn before it is in view: {trend}"
    assert "Bergen" not in ui.text("#trend-heading")
    ui.choose("region-dropdown", "Bergen (4601)", search="Bergen")  # the controls are at the top of the page
    ui.wait(lambda: "Bergen" in ui.text("#trend-heading") and ui.query().get("kommune") == "4601" and settled(ui),
            "the trend's heading never named Bergen")
    assert boxes(ui)["trend-container"]["state"] == "waiting", "the trend was drawn without being scrolled to"
    ui.wait(lambda: ui.reveal("#trend-container") and ui.els("#trend g.scatterlayer g.trace"),
            "the trend was not drawn when scrolled into view")
    title = ui.text_content("#trend .gtitle")
    assert "Bergen" in title and "Vestland" in title, title
    names = ui.js("return document.querySelector('#trend .js-plotly-plot').data.map(function (t) { return t.name; });")
    assert names[0] == "Bergen", names
    assert not ui.app_error_shown() and not ui.severe_console()


POPULATION = {"profile-container", "groups-container", "care-container", "track-container"}


def title(ui, graph: str) -> str:
    return ui.text_content(f"{graph} .gtitle")


def test_phone_population_draws_each_chart_when_seen_with_the_changes_made_while_it_waited(phone):
    """«Befolkning og behov» on a phone: no chart and no plotly.js on load; another region (a full figure for
    every chart) and then another year (a dash.Patch of the age profile) chosen while the charts wait are what
    each chart shows when it is scrolled to; each chart is drawn only when its box is seen."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    ui = phone
    ui.open("/befolkning?kommune=4601&ar=2030")
    ui.wait(lambda: ui.text("#pop-heading").startswith("Bergen") and set(boxes(ui)) == POPULATION and settled(ui),
            "Bergen's population page did not render its chart boxes")
    time.sleep(1.5)  # room for a request that should not come
    b = boxes(ui)
    for holder, box in b.items():
        assert box["state"] == "waiting" and box["graphs"] == 0, f"{holder} drawn on load on a phone: {box}"
        assert box["minHeight"] >= 400 and box["height"] >= box["minHeight"] - 0.5, f"{holder} keeps no room: {box}"
    assert plotly_requests(ui) == [], "plotly.js fetched although no chart is in view"

    # while every chart waits: another region (full figures), then the year's end (a Patch of the age profile)
    ui.choose("pop-region", "Vestland (fylke)", search="Vestland")
    ui.wait(lambda: ui.text("#pop-heading").startswith("Vestland") and ui.query().get("fylke") == "46" and settled(ui),
            "the page never switched to Vestland")
    # (the keyboard on the focused slider, without scrolling to it: the age profile sits right below it)
    ui.js("arguments[0].focus({preventScroll: true});", ui.el("#pop-year [role=slider]"))
    ActionChains(ui.d).send_keys(Keys.END).perform()
    ui.wait(lambda: ui.query().get("ar") == "2040" and "2040" in ui.text("#pop-year-status") and settled(ui),
            "the year never moved to 2040")
    assert {h: x["state"] for h, x in boxes(ui).items()} == dict.fromkeys(POPULATION, "waiting")
    assert plotly_requests(ui) == [] and not ui.els(".js-plotly-plot")

    # the age profile, scrolled to: drawn with Vestland in 2040 (the full figure, then the Patch)
    ui.wait(lambda: ui.reveal("#profile-container") and "2040" in title(ui, "#profile-graph"),
            "the age profile was not drawn (with 2040) when scrolled into view")
    assert "Vestland" in title(ui, "#profile-graph") and "framskrevet" in title(ui, "#profile-graph")
    assert boxes(ui)["profile-container"]["state"] == "drawn"
    assert boxes(ui)["care-container"]["state"] == "waiting", "«Omsorgsressurs» (out of view) was drawn too"
    assert len(plotly_requests(ui)) == 1, plotly_requests(ui)

    # «Omsorgsressurs», scrolled to: Vestland's lines, not Bergen's
    ui.wait(lambda: ui.reveal("#care-container") and ui.els("#care-graph g.scatterlayer g.trace"),
            "«Omsorgsressurs» was not drawn when scrolled into view")
    names = ui.js("return document.querySelector('#care-graph .js-plotly-plot').data.map(function (t) { return t.name; });")
    assert names and not any("Bergen" in str(n) for n in names) and any("Vestland" in str(n) for n in names), names
    assert boxes(ui)["care-container"]["state"] == "drawn"
    assert not ui.app_error_shown() and not ui.severe_console()


@pytest.mark.parametrize("path, holders", [
    ("/kommune?knr=4601", {"profile-spine-container": "#profile-spine", "profile-trend-container": "#profile-trend"}),
    ("/?fylke=46", {"map-container": "#map", "trend-container": "#trend"}),
    ("/befolkning?kommune=4601", {f"{p}-container": f"#{p}-graph" for p in ("profile", "groups", "care", "track")}),
])
def test_beforeprint_draws_every_waiting_chart(phone, path, holders):
    ui = phone
    ui.open(path)
    ui.wait(lambda: set(boxes(ui)) == set(holders) and settled(ui), f"{path} never rendered its chart boxes")
    assert {h: b["state"] for h, b in boxes(ui).items()} == dict.fromkeys(holders, "waiting")
    ui.js("window.scrollTo(0, 0); window.dispatchEvent(new Event('beforeprint'));")
    ui.wait(lambda: all(b["state"] == "drawn" for b in boxes(ui).values()), "beforeprint left charts waiting")
    ui.wait(lambda: all(ui.els(f"{graph} .main-svg .trace") for graph in holders.values()),
            "the charts mounted by beforeprint were never drawn")
    ui.js("window.dispatchEvent(new Event('afterprint'));")  # assets/70-present.js undoes its print scaling
    assert not ui.app_error_shown() and not ui.severe_console()


@pytest.mark.parametrize("path, holder, graph, ready", [
    ("/kommune?knr=4601", "profile-spine-container", "#profile-spine", ".barlayer .trace"),
    ("/kommune?knr=4601", "profile-trend-container", "#profile-trend", "g.scatterlayer g.trace"),
    ("/?fylke=46", "map-container", "#map", "path.choroplethlocation"),
    ("/?fylke=46", "trend-container", "#trend", "g.scatterlayer g.trace"),
    ("/befolkning?kommune=4601", "profile-container", "#profile-graph", ".barlayer .trace"),
    ("/befolkning?kommune=4601", "care-container", "#care-graph", "g.scatterlayer g.trace"),
])
def test_mounting_a_chart_does_not_move_the_page(phone, path, holder, graph, ready):
    """The box that waits is as tall as the chart drawn in its place: nothing below it moves (no layout shift)."""
    ui = phone
    ui.open(path)
    ui.wait(lambda: holder in boxes(ui) and settled(ui), f"{path}: no box for {holder}")
    before = boxes(ui)[holder]
    assert before["state"] == "waiting", before
    gap = ui.js(GAP_JS, holder)
    ui.wait(lambda: ui.reveal("#" + holder) and ui.els(f"{graph} .main-svg {ready}"), f"{graph} never drawn")
    time.sleep(0.5)  # plotly's relayout after the first draw
    after = boxes(ui)[holder]
    drawn = ui.js("return document.querySelector(arguments[0]).getBoundingClientRect().height;", graph)
    assert after["state"] == "drawn"
    assert abs(after["height"] - before["height"]) < 3 and abs(drawn - before["height"]) < 3, \
        f"{holder}: {before['height']:.0f} px while waiting, {after['height']:.0f} px box / {drawn:.0f} px chart drawn"
    if gap is not None:
        now = ui.js(GAP_JS, holder)
        assert abs(now - gap) < 3, f"the content below {holder} moved by {now - gap:.0f} px"


def test_a_chart_waiting_below_the_fold_is_in_the_print(ui):
    """Printing lays the page out right after ``beforeprint``: the waiting trend must be drawn by then (the
    Deferred renders it synchronously; plotly.js is there, the map above has drawn), or the print has an empty box."""
    import base64

    from selenium.webdriver.common.print_page_options import PrintOptions

    from tests.browser.test_presentation import pdf_texts, squash

    ui.open("/?indikator=share_80plus&niva=kommune&fylke=46&kommune=4601")
    ui.wait(lambda: len(ui.fills()) > 10 and settled(ui), "Vestland's map never drawn")
    assert boxes(ui)["trend-container"]["state"] == "waiting"
    heading = ui.text("#trend-heading")
    assert "Bergen" in heading
    opts = PrintOptions()
    opts.orientation = "landscape"
    opts.background = True
    text = squash(" ".join(pdf_texts(base64.b64decode(ui.d.print_page(opts)))))
    assert boxes(ui)["trend-container"]["state"] == "drawn"
    # the trend's heading (HTML) and the same text as the chart's title (SVG, drawn only if the chart is)
    assert ui.text_content("#trend .gtitle") == heading
    assert text.count(squash(heading)) >= 2, "the trend's chart is missing from the print (only its heading is there)"


def test_phone_print_before_plotly_has_loaded_says_so_in_the_chart_place(phone):
    """On a phone that has not scrolled to a chart, plotly.js is not loaded when printing starts, and printing
    cannot wait for it: each chart's place says so (assets/80-print.css, the Deferred's note) instead of
    printing an empty box."""
    import base64

    from selenium.webdriver.common.print_page_options import PrintOptions

    from tests.browser.test_presentation import pdf_texts, squash

    ui = phone
    ui.open("/kommune?knr=4601")
    ui.wait(lambda: "Bergen" in ui.text("#profile-body") and settled(ui), "Bergen's profile never shown")
    assert not plotly_requests(ui)
    note = ui.js("return document.querySelector('[data-oa-deferred]').getAttribute('data-oa-note');")
    assert note and "skriv ut" in note
    text = squash(" ".join(pdf_texts(base64.b64decode(ui.d.print_page(PrintOptions())))))
    assert text.count(squash(note)) >= 1, "the chart's place printed empty, without the note"


# records, from before the page's own scripts run, when each Deferred box turns "drawn" and when its chart's
# first .main-svg appears (performance.now() ms, keyed by the box's holder id)
ORDER_RECORDER_JS = """
window.__oaOrder = {drawn: {}, svg: {}};
new MutationObserver(function () {
  document.querySelectorAll('[data-oa-deferred]').forEach(function (e) {
    var id = e.parentElement ? e.parentElement.id : '';
    if (e.getAttribute('data-oa-deferred') === 'drawn' && !(id in window.__oaOrder.drawn)) {
      window.__oaOrder.drawn[id] = performance.now();
    }
    if (e.querySelector('.main-svg') && !(id in window.__oaOrder.svg)) { window.__oaOrder.svg[id] = performance.now(); }
  });
}).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ['data-oa-deferred']});
"""


def test_charts_in_view_together_are_mounted_one_after_the_other(ui):
    """A desktop screen tall enough to show two charts of «Befolkning og behov» at once: both are drawn, the
    second mounted only after the first has drawn (one chart per task instead of both in one long task)."""
    ui.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                         {"width": 1350, "height": 1400, "deviceScaleFactor": 1, "mobile": False})
    script = ui.d.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": ORDER_RECORDER_JS})
    try:
        ui.open("/befolkning")
        ui.wait(lambda: len(ui.js("return Object.keys(window.__oaOrder.svg);")) >= 2 and settled(ui),
                "two charts in view were not both drawn")
        order = ui.js("return window.__oaOrder;")
    finally:
        ui.d.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]})
        ui.d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    drawn = sorted(order["drawn"], key=order["drawn"].get)
    assert len(drawn) >= 2, order
    first, second = drawn[0], drawn[1]
    assert first in order["svg"], order
    assert order["drawn"][second] >= order["svg"][first], \
        f"{second} was mounted before {first} had drawn: {order}"
    assert not ui.app_error_shown() and not ui.severe_console()
