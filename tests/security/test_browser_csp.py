"""The Content-Security-Policy in the real browser: every page renders under it in headless Chromium
(gunicorn, as in production) and nothing is refused — no CSP violation in the console log and no
``securitypolicyviolation`` event (recorded from before the first script runs, via CDP)."""
from __future__ import annotations

import time

import pytest

RECORD_VIOLATIONS_JS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || ''));
});
"""


def _drawn_traces(ui, graph_css: str) -> int:
    """Traces drawn in the chart; the chart is first scrolled into view as a user would (charts below the fold
    are mounted when they come into view: components/deferred.py)."""
    return ui.js("var box = document.querySelector(arguments[0] + '-container') || document.querySelector(arguments[0]);"
                 "if (box) { box.scrollIntoView({block: 'center'}); }"
                 "return document.querySelectorAll(arguments[0] + ' .main-svg .trace').length;", graph_css)


# path -> (ready condition, what it waits for)
PAGES = {
    "/?indikator=share_80plus&niva=kommune&fylke=46&kommune=4601&ar=2024": (
        lambda ui: len(ui.fills()) > 10 and _drawn_traces(ui, "#trend") >= 2, "map and trend drawn"),
    "/kommune?knr=4601": (lambda ui: _drawn_traces(ui, "#profile-trend") >= 1, "profile trend drawn"),
    "/fylke?fnr=46": (lambda ui: "Vestland" in ui.text("#county-title"), "county matrix for Vestland"),
    "/befolkning?kommune=4601": (lambda ui: "av 357 kommuner" in ui.text("#pop-rank")
                                 and ui.reveal("#profile-container")
                                 and _drawn_traces(ui, "#profile-graph") >= 1, "age profile drawn"),
    "/personell": (lambda ui: ui.reveal("section.pers-panel [role=figure]")
                   and len(ui.els("section.pers-panel .main-svg")) >= 1, "personnel charts drawn"),
    "/tiltak": (lambda ui: len(ui.els("#measures-table tbody tr")) > 0, "measures table filled"),
    "/om-dataene": (lambda ui: len(ui.els("#catalog-table tbody tr")) > 0, "catalogue listed"),
    "/finnes-ikke": (lambda ui: len(ui.els("#main h1")) > 0, "404 page"),
}


def _csp_console(entries) -> list[str]:
    return [e["message"] for e in entries
            if "Content Security Policy" in e["message"] or "Refused to" in e["message"]]


@pytest.mark.parametrize("path", list(PAGES))
def test_page_renders_without_csp_violations(ui, path):
    ui.d.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_VIOLATIONS_JS})
    ready, what = PAGES[path]
    ui.open(path)
    ui.wait(lambda: ready(ui), f"{path}: never {what}")
    time.sleep(1.0)  # late lazy chunks / async styles
    assert not ui.app_error_shown(), f"{path}: the app's error note is shown"
    events = ui.js("return window.__csp || [];")
    console = ui.d.get_log("browser")
    assert not events, f"{path}: CSP violations: {events}"
    assert not _csp_console(console), f"{path}: CSP messages in the console: {_csp_console(console)}"
    assert ui.js("return window.__csp !== undefined;"), "the violation recorder did not run"


def test_headers_reach_the_browser(app_url):
    import urllib.request
    with urllib.request.urlopen(app_url + "/") as resp:
        assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"]
        assert resp.headers["X-Frame-Options"] == "DENY"


def test_a_violation_would_be_caught(ui):
    """The check above is not vacuous: an injected inline script is refused, and both the recorder and the
    console see it."""
    ui.d.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_VIOLATIONS_JS})
    ui.open("/om-dataene")
    ui.wait(lambda: len(ui.els("#catalog-table tbody tr")) > 0, "catalogue never listed")
    ui.js("var s = document.createElement('script'); s.textContent = 'window.__pwned = 1;';"
          "document.body.appendChild(s);")
    ui.wait(lambda: ui.js("return window.__csp.length;") > 0, "no securitypolicyviolation event")
    assert ui.js("return window.__pwned === undefined;")
    assert any("script-src" in v for v in ui.js("return window.__csp;"))
    seen: list[dict] = []  # get_log drains the log: keep what every poll returned
    ui.wait(lambda: seen.extend(ui.d.get_log("browser")) or _csp_console(seen),
            "no CSP message in the console log", timeout=30)
