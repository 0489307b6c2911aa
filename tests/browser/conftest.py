"""Real-browser fixtures: the app under gunicorn (as in production, see Procfile) and headless Chromium.

- ``app_url`` (session): starts ``python -m gunicorn app:server --workers 2`` on a free loopback port with
  its own CACHE_DIR, waits until it answers, yields the base URL, and always stops it (SIGTERM, then
  SIGKILL of its own process group if it does not exit).
- ``driver`` (per test): Selenium Chrome on Debian's /usr/bin/chromium + /usr/bin/chromedriver, headless,
  fresh profile. On failure a screenshot, the page source and the console log are saved and their folder
  is printed in the test report.

Every test in this folder gets the ``browser`` marker (``pytest -m "not browser"`` skips them).
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

from tests import servers

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

BROWSER_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if BROWSER_DIR in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    rep = yield
    setattr(item, f"rep_{rep.when}", rep)
    return rep


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    """Base URL (no trailing slash) of the real app under gunicorn with 2 workers."""
    tmp = tmp_path_factory.mktemp("gunicorn")
    try:
        with servers.gunicorn(tmp, workers=2) as (base, _proc):
            yield base
    except servers.ServerError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture
def driver(request, tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    for path in (CHROMIUM, CHROMEDRIVER):
        assert os.access(path, os.X_OK), f"{path} is missing (Debian: apt-get install chromium chromium-driver)"
    profile = tempfile.mkdtemp(prefix="chrome-profile-", dir=tmp_path_factory.getbasetemp())
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--window-size=1400,1000", f"--user-data-dir={profile}",
                "--lang=nb-NO"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    drv.set_page_load_timeout(120)
    drv.set_script_timeout(60)
    try:
        yield drv
    finally:
        rep = getattr(request.node, "rep_call", None)
        if rep is not None and rep.failed:
            _save_artifacts(request, drv, tmp_path_factory)
        drv.quit()


def _save_artifacts(request, drv, tmp_path_factory) -> None:
    folder = tmp_path_factory.mktemp("browser-failure-" + request.node.name[:40].replace("/", "_"))
    try:
        drv.save_screenshot(str(folder / "screenshot.png"))
        (folder / "page.html").write_text(drv.page_source, encoding="utf-8")
        (folder / "url.txt").write_text(drv.current_url, encoding="utf-8")
        (folder / "console.json").write_text(json.dumps(drv.get_log("browser"), indent=1), encoding="utf-8")
    except Exception as exc:  # the browser may be gone; the report must still show the test's own error
        (folder / "error.txt").write_text(repr(exc), encoding="utf-8")
    request.node.add_report_section("call", "browser artifacts", str(folder))


# ----------------------------------------------------------------------------------------------- page helper
WAIT = 120  # s: a full-country view keeps the 2-core CI box busy for 10-20 s per update

# One entry per SVG path plotly draws for a choropleth: the trace's name, the location (region code)
# plotly bound to the path, its computed fill, and whether it has a non-empty outline on screen
# (plotly keeps a path with an empty/degenerate "d" for locations it does not draw, e.g. z = null).
SHAPES_JS = """
var out = [];
document.querySelectorAll('#map g.trace.choropleth').forEach(function (g) {
  var cd = g.__data__, name = (cd && cd[0] && cd[0].trace) ? cd[0].trace.name : null;
  g.querySelectorAll('path.choroplethlocation').forEach(function (p) {
    var bb = p.getBBox();
    out.push({trace: name, loc: (p.__data__ && p.__data__.loc) || null, fill: getComputedStyle(p).fill,
              drawn: !!p.getAttribute('d') && bb.width * bb.height > 0});
  });
});
return out;
"""

# A point well inside the drawn outline of one municipality (max. clearance to its border, in CSS px),
# in viewport coordinates, so a real mouse click there hits that municipality and no other.
INTERIOR_POINT_JS = """
var code = arguments[0];
var path = Array.from(document.querySelectorAll('#map g.trace.choropleth path.choroplethlocation'))
  .filter(function (p) { return p.__data__ && p.__data__.loc === code; })[0];
if (!path) { return null; }
path.scrollIntoView({block: 'center', inline: 'center', behavior: 'instant'});  // Bootstrap sets scroll-behavior: smooth
var b = path.getBoundingClientRect(), inv = path.getScreenCTM().inverse();
function inside(x, y) { return path.isPointInFill(new DOMPoint(x, y).matrixTransform(inv)); }
var best = null, bestR = -1, N = 40;
for (var i = 1; i < N; i++) { for (var j = 1; j < N; j++) {
  var x = b.left + b.width * i / N, y = b.top + b.height * j / N;
  if (!inside(x, y)) { continue; }
  var r = 0;
  for (var d = 2; d <= 16; d += 2) {
    var ok = true;
    for (var a = 0; a < 16 && ok; a++) { ok = inside(x + d * Math.cos(a * Math.PI / 8), y + d * Math.sin(a * Math.PI / 8)); }
    if (!ok) { break; }
    r = d;
  }
  if (r > bestR) { bestR = r; best = [x, y]; }
} }
return best ? {x: best[0], y: best[1], clearance: bestR} : null;
"""


class UI:
    """Small page-object helper around the driver (explicit waits only)."""

    def __init__(self, driver, base: str):
        self.d = driver
        self.base = base

    # navigation / waiting
    def open(self, path: str) -> None:
        self.d.get(self.base + path)

    def wait(self, condition, message: str = "", timeout: float = WAIT):
        from selenium.common.exceptions import StaleElementReferenceException, JavascriptException
        from selenium.webdriver.support.ui import WebDriverWait

        return WebDriverWait(self.d, timeout, poll_frequency=0.25,
                             ignored_exceptions=(StaleElementReferenceException, JavascriptException)
                             ).until(lambda _d: condition(), message)

    def js(self, script: str, *args):
        return self.d.execute_script(script, *args)

    # elements
    def el(self, css: str):
        from selenium.webdriver.common.by import By
        return self.d.find_element(By.CSS_SELECTOR, css)

    def els(self, css: str):
        from selenium.webdriver.common.by import By
        return self.d.find_elements(By.CSS_SELECTOR, css)

    def text(self, css: str) -> str:
        els = self.els(css)
        return els[0].text if els else ""

    def text_content(self, css: str) -> str:
        """textContent (also of SVG text and visually hidden elements), whitespace-normalised."""
        return self.js("var e = document.querySelector(arguments[0]);"
                       "return e ? e.textContent.replace(/\\s+/g, ' ').trim() : '';", css)

    def reveal(self, css: str) -> bool:
        """Scroll the element to the middle of the window, as a user scrolls to see it (the charts in a Deferred
        box, components/deferred.py, are mounted only when their box comes into view). True if the element is
        there, so it can sit in a wait: ``ui.wait(lambda: ui.reveal("#trend-container") and ui.els(...))``."""
        return bool(self.js("var e = document.querySelector(arguments[0]); if (!e) { return false; }"
                            # Bootstrap sets scroll-behavior: smooth; a user's scroll ends where this one does
                            "e.scrollIntoView({block: 'center', inline: 'nearest', behavior: 'instant'});"
                            "return true;", css))

    def query(self) -> dict[str, str]:
        from urllib.parse import parse_qsl, urlsplit
        return dict(parse_qsl(urlsplit(self.d.current_url).query))

    # map
    def shapes(self) -> list[dict]:
        return self.js(SHAPES_JS) or []

    def drawn(self, trace: str | None = None) -> list[dict]:
        return [s for s in self.shapes() if s["drawn"] and (trace is None or s["trace"] == trace)]

    def fills(self) -> dict[str, str]:
        """location -> fill of the drawn shapes of the values trace (data[0], «Verdi»)."""
        return {s["loc"]: s["fill"] for s in self.shapes() if s["drawn"] and s["loc"] and s["trace"] == "Verdi"}

    def wait_map(self, locations: set[str], message: str = "") -> list[dict]:
        """Until the map draws exactly ``locations`` in its values trace."""
        self.wait(lambda: set(self.fills()) == locations,
                  message or f"map never showed exactly {len(locations)} shapes")
        return self.shapes()

    def map_title(self) -> str:
        return self.text_content("#map .gtitle")

    def click_region(self, code: str) -> None:
        """Real mouse click (move, hover, click) well inside the municipality's outline."""
        from selenium.webdriver.common.actions.action_builder import ActionBuilder
        pt = self.js(INTERIOR_POINT_JS, code)
        assert pt and pt["clearance"] >= 4, f"no clickable interior point for {code}: {pt}"
        x, y = int(round(pt["x"])), int(round(pt["y"]))
        ab = ActionBuilder(self.d)
        ab.pointer_action.move_to_location(x - 1, y).pause(0.3).move_to_location(x, y).pause(0.3).click()
        ab.perform()

    # controls
    def dropdown_value(self, id_: str) -> str:
        return self.text(f"#{id_}-value").strip()

    def choose(self, id_: str, label: str, search: str | None = None) -> None:
        """Open a dcc.Dropdown, type into its search box, click the option whose text is ``label``."""
        from selenium.webdriver.common.by import By
        self.reveal(f"#{id_}")  # the page may be scrolled down to a chart: back to the control, as a user would
        self.el(f"#{id_}").click()
        box = self.wait(lambda: next(iter(self.els(".dash-dropdown-content input.dash-dropdown-search")), None),
                        f"{id_}: the options popover did not open", timeout=30)
        box.send_keys(search if search is not None else label)

        def option():
            for opt in self.els(".dash-dropdown-content .dash-options-list-option"):
                if opt.text.strip() == label:
                    return opt
            return None
        self.wait(option, f"{id_}: no option {label!r}", timeout=30).click()
        self.wait(lambda: not self.d.find_elements(By.CSS_SELECTOR, ".dash-dropdown-content"),
                  f"{id_}: the popover did not close", timeout=30)

    def slider_value(self) -> str | None:
        return self.el("#year-slider [role=slider]").get_attribute("aria-valuenow")

    def checked_level(self) -> str | None:
        els = self.els("#level-radio input:checked")
        return els[0].get_attribute("value") if els else None

    def rank_names(self) -> list[str]:
        """Region names in the ranked table (row headers), without the visually hidden «(valgt)»."""
        return self.js("""return Array.from(document.querySelectorAll('#rank-table tbody tr th[scope=row]'))
                          .map(function (th) { var c = th.cloneNode(true);
                                               c.querySelectorAll('.visually-hidden').forEach(function (h) { h.remove(); });
                                               return c.textContent.trim(); });""")

    # health
    def app_error_shown(self) -> bool:
        return any(e.is_displayed() for e in self.els("#app-error"))

    def severe_console(self) -> list[str]:
        return [e["message"] for e in self.d.get_log("browser") if e.get("level") == "SEVERE"]


@pytest.fixture
def ui(driver, app_url) -> UI:
    return UI(driver, app_url)
