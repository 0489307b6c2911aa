"""The first view arrives with the layout (app.py «the first page», the pages' initial_view): no callback
round trips before «Kart og trender» or «Min kommune» show their content, each chart drawn once, and the
links in static tables navigate inside the app. Headless Chromium against gunicorn."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

CALLBACK = "/_dash-update-component"


def _requests(ui, part: str) -> int:
    return ui.js("var p = arguments[0]; return performance.getEntriesByType('resource')"
                 ".filter(function (e) { return e.name.indexOf(p) >= 0; }).length", part)


def test_overview_shows_its_content_without_callbacks(ui):
    ui.open("/?indikator=share_80plus&niva=fylke&ar=2020")
    ui.wait(lambda: len(ui.els("#map path.choroplethlocation")) >= 15, "the map never drew the counties")
    # the trend is below the fold (drawn when it comes into view): scroll to it as a user would
    ui.wait(lambda: len(ui.els("#rank-table tbody tr")) == 15 and ui.reveal("#trend-container")
            and ui.els("#trend g.scatterlayer g.trace"), "ranked table / trend missing")
    assert "2020" in ui.text("#map-heading") and "Andel 80" in ui.text("#indicator-definition")
    assert _requests(ui, CALLBACK) == 0  # everything came with /_dash-layout
    assert _requests(ui, "async-markdown") == 0 and _requests(ui, "dash_table") == 0
    assert ui.d.title.startswith("Kart og trender")
    # a change still goes to the server, and answers
    ui.choose("county-dropdown", "Vestland (46)", search="Vestland")
    ui.wait(lambda: "Vestland" in ui.text("#trend-heading"), "the trend did not follow the county")
    assert _requests(ui, CALLBACK) > 0
    assert not ui.app_error_shown() and not ui.severe_console()


def test_profile_shows_without_callbacks_and_its_links_stay_in_the_app(ui):
    ui.open("/kommune?knr=4601")
    ui.wait(lambda: ui.text("#profile-name").strip() == "Bergen", "Bergen's profile did not load")
    ui.wait(lambda: ui.els("#profile-spine .main-svg") and ui.reveal("#profile-trend-container")
            and ui.els("#profile-trend g.scatterlayer g.trace"), "charts missing")
    assert _requests(ui, CALLBACK) == 0
    assert ui.d.title.startswith("Min kommune")
    ui.js("window.__sameDocument = true;")
    link = ui.wait(lambda: next((a for a in ui.els("#geo-neighbours-table a[data-app-link]")
                                 if a.text.strip() == "Vaksdal"), None), "no link to Vaksdal")
    # a plain left click, as the browser dispatches it (WebDriver's click lands on the sticky first column)
    ui.js("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, button: 0}));", link)
    ui.wait(lambda: ui.text("#profile-name").strip() == "Vaksdal", "Vaksdal's profile did not load")
    assert urlsplit(ui.d.current_url).query.startswith("knr=4628")
    assert ui.js("return window.__sameDocument === true")  # no page reload: dcc.Link's way
    assert not ui.app_error_shown() and not ui.severe_console()


def test_the_first_paint_gives_way_and_the_menu_navigates_in_the_app(ui):
    """The server's first paint (components/firstpaint.py) is gone once the live page is drawn; the menu is plain
    markup whose links navigate inside the app, the current page's link active with aria-current="page"."""
    ui.open("/")
    ui.wait(lambda: ui.els("#rank-table tbody tr"), "the overview never rendered")
    ui.wait(lambda: ui.js("return document.getElementById('oa-first') === null;"), "the first paint stayed")
    active = ui.js("return Array.from(document.querySelectorAll('#main-nav a[aria-current=page]'))"
                   ".map(function (a) { return a.textContent + '|' + a.className; });")
    assert active == ["Kart og trender|nav-link active"], active
    ui.js("window.__sameDocument = true;")
    link = next(a for a in ui.els("#main-nav a.nav-link") if a.text.strip() == "Min kommune")
    link.click()
    ui.wait(lambda: urlsplit(ui.d.current_url).path == "/kommune", "the menu did not navigate")
    ui.wait(lambda: ui.els("#profile-muni"), "«Min kommune» did not render")
    assert ui.js("return window.__sameDocument === true")  # in the app, no reload
    active = ui.js("return Array.from(document.querySelectorAll('#main-nav a.active')).map(function (a) "
                   "{ return a.textContent; });")
    assert active == ["Min kommune"], active
    assert not ui.app_error_shown() and not ui.severe_console()
