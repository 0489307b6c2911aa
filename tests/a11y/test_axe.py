"""axe-core 4.14.1 (WCAG 2.0/2.1 A + AA and best practice) on every page and the states a user reaches.

Each test opens a page, waits until its content (charts, tables) has rendered, runs axe, then moves the
page to further states (other choices, an open dialog or list box, a filtered table) and runs axe again
in the same page load. Any violation with impact «serious» or «critical» fails the test, with rule id,
help text and the node targets; all states of a test are checked before it fails, so one run lists
everything. Moderate/minor findings do not fail; they are appended to .cache/a11y/axe-report.txt.
"""
from __future__ import annotations

import json
import time

import pytest
from selenium.common.exceptions import ElementClickInterceptedException
from selenium.webdriver.common.keys import Keys

from tests.a11y.axe import REPORT, blocking, report, run_axe

# Dash marks elements whose callback is running; plotly figures draw into .main-svg
SETTLED_JS = """
if (document.querySelector('[data-dash-is-loading="true"]')) { return false; }
var graphs = Array.from(document.querySelectorAll('.js-plotly-plot, .dash-graph'))
  .filter(function (g) { return g.offsetParent !== null; });
return graphs.every(function (g) { return g.querySelector('.main-svg'); });
"""


class Axe:
    """Collects the blocking violations of several states of one test; fails once at the end."""

    def __init__(self, ui, axe_js: str, name: str):
        self.ui, self.js, self.name = ui, axe_js, name
        self.failures: list[str] = []
        self.states: list[str] = []

    def settle(self, ready=None, message: str = "", pause: float = 0.4) -> None:
        if ready is not None:
            self.ui.wait(ready, message or "the page never rendered its content")
        self.ui.wait(lambda: self.ui.js(SETTLED_JS), "the page never settled (callbacks/charts still loading)")
        time.sleep(pause)  # CSS transitions (modal fade, popover) and the a11y patches (rAF)

    def check(self, state: str) -> dict:
        context = f"{self.name} – {state} ({self.ui.d.current_url})"
        res = run_axe(self.ui.d, self.js, context)
        self.states.append(state)
        bad = blocking(res)
        if bad:
            self.failures.append(report(bad, context))
        minor = [v for v in res["violations"] if v not in bad]
        if minor:
            REPORT.parent.mkdir(parents=True, exist_ok=True)
            with REPORT.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps({"context": context, "violations": [
                    {"id": v["id"], "impact": v["impact"], "help": v["help"],
                     "targets": [n["target"] for n in v["nodes"][:10]]} for v in minor]}, ensure_ascii=False) + "\n")
        return res

    def done(self) -> None:
        assert self.states, "no state was checked"
        assert not self.failures, "\n\n".join(self.failures)


@pytest.fixture
def axe(ui, axe_js, request):
    return Axe(ui, axe_js, request.node.name)


def map_ready(ui, n: int | None = None):
    def ready():
        fills = ui.fills()
        return len(fills) == n if n else len(fills) > 0
    return ready


def rank_rows(ui) -> int:
    return len(ui.els("#rank-table tbody tr"))


def click(ui, el) -> None:
    """Scroll the element to the middle of the viewport (no smooth scrolling), then a real click."""
    if isinstance(el, str):
        el = ui.el(el)
    for attempt in range(4):
        ui.js("arguments[0].scrollIntoView({block: 'center', inline: 'center', behavior: 'instant'});", el)
        try:
            el.click()
            return
        except ElementClickInterceptedException:  # content above still settling (a chart or table drawn late)
            if attempt == 3:
                raise
            time.sleep(0.4)


def html_class(ui) -> str:
    return ui.js("return document.documentElement.className || '';")


# ------------------------------------------------------------------------------------------------ overview
def test_overview_states(ui, axe):
    ui.open("/?indikator=share_80plus&ar=2024")  # a complete year: all 357 shapes coloured
    # the trend is drawn when it comes into view (components/deferred.py): scroll to it once the map is drawn
    axe.settle(lambda: len(ui.fills()) == 357 and rank_rows(ui) == 357 and ui.reveal("#trend-container")
               and ui.els("#trend g.scatterlayer g.trace"), "map, ranked table and trend never rendered")
    axe.check("whole country, municipalities, 2024")

    # level: counties
    click(ui, ui.el("#level-radio input[value=fylke]").find_element("xpath", ".."))
    axe.settle(lambda: len(ui.fills()) == 15 and ui.query().get("niva") == "fylke", "county level never drawn")
    axe.check("county level")

    # back to municipalities, one county, a municipality, another year (keyboard on the slider)
    click(ui, ui.el("#level-radio input[value=kommune]").find_element("xpath", ".."))
    ui.wait(lambda: len(ui.fills()) == 357, "municipality level never drawn again")
    ui.choose("county-dropdown", "Vestland (46)", search="Vestland")
    ui.wait(lambda: ui.query().get("fylke") == "46" and 0 < len(ui.fills()) < 357, "Vestland never drawn")
    ui.choose("region-dropdown", "Bergen (4601)", search="Bergen")
    ui.wait(lambda: ui.query().get("kommune") == "4601", "Bergen never selected")
    ui.el("#year-slider [role=slider]").send_keys(Keys.ARROW_LEFT)
    axe.settle(lambda: ui.query().get("ar") == "2023" and "2023" in ui.map_title(), "year 2023 never shown")
    click(ui, "#trend-details summary")  # «Vis tabell»: the trend's data table
    axe.settle(lambda: ui.els("#trend-table table"), "the trend table never opened")
    axe.check("Vestland, Bergen selected, 2023, trend table open")

    # an open list box (dcc.Dropdown popover)
    click(ui, "#indicator-dropdown")
    axe.settle(lambda: ui.els(".dash-dropdown-content .dash-options-list-option"), "the indicator list never opened")
    axe.check("indicator list box open")
    ui.d.switch_to.active_element.send_keys(Keys.ESCAPE)
    ui.wait(lambda: not ui.els(".dash-dropdown-content"), "the list box did not close on Escape")
    click(ui, "#region-dropdown")  # a long list: Dash virtualises it (react-window)
    axe.settle(lambda: len(ui.els(".dash-dropdown-content .dash-options-list-option")) > 3,
               "the municipality list never opened")
    axe.check("municipality list box (virtualised) open")
    ui.d.switch_to.active_element.send_keys(Keys.ESCAPE)
    ui.wait(lambda: not ui.els(".dash-dropdown-content"), "the list box did not close on Escape")

    # the per-chart share toolbars: every «Bygg inn» / «Last ned» panel open
    for summary in ui.els(".oa-share-details > summary"):
        click(ui, summary)
    axe.settle(lambda: ui.js("return Array.from(document.querySelectorAll('.oa-share-details'))"
                             ".every(function (d) { return d.open; });"), "the share panels did not open")
    axe.check("share panels open")
    assert not ui.app_error_shown()
    axe.done()


# ------------------------------------------------------------------------------------------------ profile
def test_profile_states(ui, axe):
    ui.open("/kommune")
    axe.settle(lambda: ui.els("#profile-muni"), "the municipality search never rendered")
    axe.check("no municipality selected")

    ui.choose("profile-muni", "Bergen (4601)", search="Bergen")
    axe.settle(lambda: ui.query().get("knr") == "4601" and ui.reveal("#profile-spine-container")
               and ui.els("#profile-spine-container .main-svg") and ui.reveal("#profile-trend-container")
               and ui.els("#profile-trend g.scatterlayer g.trace"), "Bergen's profile never rendered")
    axe.check("Bergen selected")

    for summary in ui.els("#main details > summary"):  # every «Vis tabell»
        click(ui, summary)
    axe.settle(pause=0.6)
    axe.check("Bergen, all tables open")
    axe.done()


# ------------------------------------------------------------------------------------------------ county
def test_county_states(ui, axe):
    ui.open("/fylke?fnr=46")
    axe.settle(lambda: len(ui.els("#county-rug tbody tr")) > 40, "the county matrix never rendered")
    axe.check("Vestland")

    ui.open("/fylke?fnr=46&storskjerm=1")
    axe.settle(lambda: len(ui.els("#county-rug tbody tr")) > 40, "the wall-screen matrix never rendered")
    axe.check("Vestland, storskjerm=1")
    axe.done()


# ------------------------------------------------------------------------------------------------ other pages
def test_population_personnel_pages(ui, axe):
    ui.open("/befolkning?kommune=4601&ar=2035")
    # charts are drawn when they come into view (Deferred boxes, components/deferred.py): scroll to each in turn
    for prefix in ("profile", "groups", "care", "track"):
        ui.wait(lambda: ui.reveal(f"#{prefix}-container") and ui.els(f"#{prefix}-graph .main-svg"),
                f"the population page never drew #{prefix}-graph")
    axe.settle(lambda: "Bergen" in ui.text_content("#profile-container .gtitle") and ui.els("#need-basis input:checked")
               and ui.els("#need-kostra-table table") and ui.els("#track-graph .main-svg"),
               "the population page never rendered Bergen (with «Hva kreves» and the track record)")
    axe.check("population, Bergen 2035")

    ui.open("/personell")
    # every panel's chart, scrolled to in turn (Deferred boxes)
    n = len(ui.els("section.pers-panel [role=figure]"))
    for i in range(n):
        ui.wait(lambda: ui.js("var f = document.querySelectorAll('section.pers-panel [role=figure]')[arguments[0]];"
                              "f.scrollIntoView({block: 'center', behavior: 'instant'});"
                              "return !!f.querySelector('.main-svg');", i), f"personnel chart {i + 1} never drawn")
    axe.settle(lambda: n >= 12 and len(ui.els("section.pers-panel .main-svg")) >= n,
               "the personnel charts never rendered")
    axe.check("personnel")
    axe.done()


def test_measures_and_catalogue(ui, axe):
    ui.open("/tiltak")
    axe.settle(lambda: len(ui.els("#measures-table tbody tr")) == 125 and ui.els("#grant-graph .main-svg"),
               "the measures table / grant chart never rendered")
    axe.check("measures")
    button = ui.els("#measures-table tbody button")[0]
    click(ui, button)
    axe.settle(lambda: ui.els(".modal.show #measure-modal-title"), "the detail dialog never opened", pause=0.8)
    axe.check("measure detail dialog open")

    ui.open("/om-dataene")
    axe.settle(lambda: len(ui.els("#catalog-table tbody tr")) > 10, "the catalogue never rendered")
    axe.check("catalogue")
    axe.settle(lambda: ui.els("#downloads-table tbody tr"), "the download list never rendered")
    click(ui, ui.el("#downloads details summary"))  # the JSON-stat list open too
    axe.settle(lambda: ui.el("#downloads-indicators").is_displayed(), "the JSON-stat list never opened")
    axe.check("download list")
    n = len(ui.els("#catalog-table tbody tr"))
    ui.el("#catalog-search").send_keys("lege")
    axe.settle(lambda: 0 < len(ui.els("#catalog-table tbody tr")) < n, "the search never filtered the catalogue")
    axe.check("catalogue filtered")
    ui.el("#catalog-search").send_keys("xyzzy")
    axe.settle(lambda: not ui.els("#catalog-table tbody tr"), "the search never emptied the catalogue")
    axe.check("catalogue: no match")
    axe.done()


def test_not_found_and_embed_pages(ui, axe):
    ui.open("/finnes-ikke")
    axe.settle(lambda: ui.els("main h1"), "the 404 page never rendered")
    axe.check("404")

    ui.open("/embed/kart?fylke=46&ar=2024")
    axe.settle(lambda: len(ui.els(".embed-graph path.choroplethlocation")) > 10, "the embedded map never rendered")
    assert "oa-embed" in html_class(ui)
    axe.check("embed map")

    ui.open("/embed/utvikling?fylke=46&kommune=4601")
    axe.settle(lambda: len(ui.els(".embed-graph g.scatterlayer g.trace")) == 3, "the embedded trend never rendered")
    axe.check("embed trend")

    ui.open("/embed/kart?indikator=finnes-ikke&ar=abc")
    axe.settle(lambda: ui.els(".embed-graph .main-svg"), "the embed page with bad parameters never rendered")
    axe.check("embed with bad parameters")
    axe.done()


# ------------------------------------------------------------------------------------------------ presentation
def test_presentation_mode(ui, axe):
    ui.open("/?fylke=46&kommune=4601&ar=2024&presentasjon=1")
    axe.settle(lambda: 0 < len(ui.fills()) < 357 and ui.reveal("#trend-container")
               and ui.els("#trend g.scatterlayer g.trace"), "the overview never rendered in presentation mode")
    assert "oa-present" in html_class(ui), "?presentasjon=1 did not switch presentation mode on"
    axe.check("overview, presentation mode")

    ui.open("/kommune?knr=4601&presentasjon=1")
    axe.settle(lambda: ui.reveal("#profile-spine-container") and ui.els("#profile-spine-container .main-svg")
               and ui.reveal("#profile-trend-container") and ui.els("#profile-trend .main-svg"),
               "the profile never rendered in presentation mode")
    axe.check("profile, presentation mode")

    ui.open("/befolkning?kommune=4601&presentasjon=1")
    axe.settle(lambda: ui.reveal("#profile-container") and "Bergen" in ui.text_content("#profile-container .gtitle"),
               "the population page never rendered in presentation mode")
    axe.check("population, presentation mode")

    # switched on with the navbar toggle (keyboard), without a reload
    ui.open("/fylke?fnr=46")
    axe.settle(lambda: len(ui.els("#county-rug tbody tr")) > 40, "the county matrix never rendered")
    toggle = ui.el("#present-toggle")
    ui.js("arguments[0].focus();", toggle)
    toggle.send_keys(Keys.ENTER)
    axe.settle(lambda: "oa-present" in html_class(ui) and toggle.get_attribute("aria-pressed") == "true",
               "Enter on «Presentasjon» did not switch presentation mode on", pause=0.8)
    axe.check("county page, presentation mode from the toggle")
    axe.done()


# ------------------------------------------------------------------------------------------------ English
def test_english(ui, axe):
    ui.open("/?lang=en&fylke=03&ar=2024")
    axe.settle(lambda: ui.drawn() and rank_rows(ui) >= 1, "the English overview never rendered")
    assert ui.js("return document.documentElement.lang;") == "en"
    axe.check("overview, English")

    ui.open("/kommune?knr=4601&lang=en")
    axe.settle(lambda: ui.reveal("#profile-spine-container") and ui.els("#profile-spine-container .main-svg")
               and ui.reveal("#profile-trend-container") and ui.els("#profile-trend .main-svg"),
               "the English profile never rendered")
    axe.check("profile, English")

    ui.open("/om-dataene?lang=en")
    axe.settle(lambda: len(ui.els("#catalog-table tbody tr")) > 10, "the English catalogue never rendered")
    axe.check("catalogue, English")
    axe.done()
