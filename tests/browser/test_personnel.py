"""«Personell og kompetanse» in real headless Chromium (fixtures from tests/browser/conftest.py): the page
renders every panel with level and source, the service-area filter narrows it, the year drives the bars, and
the URL keeps the view."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

N_PANELS = 12  # incl. «Fastlegelistene i fylkene» (SSB KOSTRA 12005, county level)


def pick(ui, id_: str, label: str) -> None:
    """Open a dcc.Dropdown and click the option with exactly this text (no typing)."""
    ui.reveal(f"#{id_}")  # wait_rendered scrolled down to the last chart
    ui.el(f"#{id_}").click()

    def option():
        for opt in ui.els(".dash-dropdown-content .dash-options-list-option"):
            if opt.text.strip() == label:
                return opt
        return None
    ui.wait(option, f"{id_}: no option {label!r}", timeout=30).click()
    ui.wait(lambda: not ui.els(".dash-dropdown-content"), f"{id_}: the popover did not close", timeout=30)


SOURCES_JS = """return Array.from(document.querySelectorAll('section.pers-panel p.source-line'))
                  .map(function (p) { return p.textContent; });"""


# a chart is mounted when its box comes into view (components/deferred.py): scroll to it as a user would
REVEAL_NTH_JS = """var f = document.querySelectorAll('section.pers-panel [role=figure]')[arguments[0]];
                   if (!f) { return false; }
                   f.scrollIntoView({block: 'center', inline: 'nearest', behavior: 'instant'});
                   return !!f.querySelector('.main-svg');"""
CALLBACK = "/_dash-update-component"


def wait_rendered(ui) -> None:
    for i in range(N_PANELS):
        ui.wait(lambda: ui.js(REVEAL_NTH_JS, i), f"chart {i + 1} never rendered")
    assert len(ui.els("section.pers-panel .main-svg")) >= N_PANELS
    ui.wait(lambda: all(ui.js(SOURCES_JS)), "the panels never got their source lines")


def callback_requests(ui) -> int:
    return ui.js("var p = arguments[0]; return performance.getEntriesByType('resource')"
                 ".filter(function (e) { return e.name.indexOf(p) >= 0; }).length", CALLBACK)


def visible_panels(ui) -> list[str]:
    return ui.js("""return Array.from(document.querySelectorAll('section.pers-panel'))
                      .filter(function (s) { return !s.hidden; })
                      .map(function (s) { return s.querySelector('h2').textContent; });""")


def graph_title(ui, panel: str, kind: str = "bar") -> str:
    """Title of a panel's chart (Dash writes a dict id as JSON with sorted keys, no spaces)."""
    return ui.js("""var el = document.getElementById(JSON.stringify({kind: arguments[1], panel: arguments[0],
                                                                     type: 'pers-figure'}));
                    if (el) { el.scrollIntoView({block: 'center', inline: 'nearest', behavior: 'instant'}); }
                    var g = el && el.querySelector('.gtitle');
                    return g ? g.textContent : '';""", panel, kind)


def test_personnel_page_renders_with_level_and_sources(ui):
    ui.open("/personell")
    wait_rendered(ui)
    ui.wait(lambda: "74,2" in ui.text("#pers-keys"), "key figure 74,2 % missing")
    assert callback_requests(ui) == 0  # the first view came with the layout (callbacks.personnel.first_view)
    assert len(visible_panels(ui)) == N_PANELS
    # every chart states its level and its source (document + table + publisher)
    sources = ui.js(SOURCES_JS)
    assert len(sources) == N_PANELS
    for s in sources:
        assert ("Nivå: nasjonalt" in s or "Nivå: fylke" in s) and "Kilde:" in s and ("tabell" in s.lower() or "Kap." in s), s
    assert sum("Nivå: fylke" in s and "tabell 12005" in s for s in sources) == 1  # the GP lists by county
    titles = ui.js("""return Array.from(document.querySelectorAll('section.pers-panel .gtitle'))
                        .map(function (t) { return t.textContent; });""")
    assert titles and all("nasjonalt" in t or "– fylke, " in t for t in titles)  # the GP panel is by county
    # municipality data do not exist offline: said plainly, filters disabled
    note = ui.text("#pers-level-note")  # only the FTE tables still need the online build; GP figures are here
    assert "Årsverk og kompetanse per kommune krever nettbasert bygging" in note and "SSB 12005" in note
    assert not ui.el("#pers-level input[value='municipality']").is_enabled()
    for id_ in ("pers-county", "pers-municipality"):
        assert ui.js("var e = document.getElementById(arguments[0]); return !!e && (e.hasAttribute('disabled') || "
                     "!!e.querySelector('[disabled], [aria-disabled=true]'));", id_), f"{id_} is not disabled"
    # a data table behind a chart, and the documents' notes
    ui.js("document.querySelector('section.pers-panel details summary').click();")
    ui.wait(lambda: ui.els("section.pers-panel details table"), "the table behind the chart never showed")
    assert "137 950" in ui.text_content("section.pers-panel details table").replace("\u00a0", " ")
    assert "Merknader fra kilden" in ui.text("section.pers-panel .source-notes")
    assert not ui.app_error_shown() and not ui.severe_console()


def test_service_area_and_year_filters_and_url(ui):
    ui.open("/personell")
    wait_rendered(ui)
    pick(ui, "pers-area", "Legetjeneste")
    ui.wait(lambda: "Legetjeneste" in ui.text("#pers-area-status"), "status never mentioned the area")
    ui.wait(lambda: 0 < len(visible_panels(ui)) < N_PANELS, "the service area did not narrow the panels")
    # every panel has answered (the panels answer one by one): the physiotherapists' FTEs are not «legetjeneste»
    ui.wait(lambda: "Fysioterapeutårsverk etter virkeområde" not in visible_panels(ui)
            and ui.js("return !document.querySelector('[data-dash-is-loading=\"true\"]');"),
            "the panels never settled")
    shown = visible_panels(ui)
    assert "Legeårsverk etter virkeområde" in shown and "Årsverk i omsorgstjenestene etter yrkesgruppe" not in shown
    ui.wait(lambda: ui.query().get("tjenesteomrade") == "legetjeneste", "URL did not follow the area")

    pick(ui, "pers-year", "2015")
    ui.wait(lambda: ui.query().get("ar") == "2015", "URL did not follow the year")
    ui.wait(lambda: ", 2015 –" in graph_title(ui, "menn"), "the bars did not move to 2015")

    # the URL restores the view
    ui.open("/personell?tjenesteomrade=legetjeneste&ar=2015")
    ui.wait(lambda: "Legetjeneste" in ui.text("#pers-area-status"), "URL did not restore the area")
    ui.wait(lambda: ", 2015 –" in graph_title(ui, "menn"), "URL did not restore the year")
    ui.wait(lambda: visible_panels(ui) == shown, f"URL did not restore the panels: {visible_panels(ui)} != {shown}")
    # garbage in the URL: a note, the default view
    ui.open("/personell?tjenesteomrade=%3Cx%3E&ar=1700")
    ui.wait(lambda: "Ukjent tjenesteområde" in ui.text("#pers-url-note"), "no note for a bad area")
    assert not ui.app_error_shown()


def test_url_view_of_the_panels_comes_with_the_page(ui):
    """visning-<panel> and fordeling (issue 6) are in the first view, without a callback on load; a change of
    the breakdown still asks the server."""
    ui.open("/personell?visning-yrke=linjer&fordeling=kl_arsverk_omsorg_yrke")
    yrke = ui.wait(lambda: graph_title(ui, "yrke", "time"), "the occupations chart never drew")
    ui.wait(lambda: ui.els("[role=figure][id*='\"panel\":\"yrke\"'] g.scatterlayer g.trace"),
            "visning-yrke=linjer did not draw lines")
    assert ui.wait(lambda: graph_title(ui, "utforsk", "time"), "the explorer never drew") == yrke
    assert ui.query().get("visning-yrke") == "linjer" and ui.query().get("fordeling") == "kl_arsverk_omsorg_yrke"
    assert callback_requests(ui) == 0
    ui.reveal("#pers-explorer-series")
    ui.el("#pers-explorer-series").click()
    ui.wait(lambda: ui.els(".dash-dropdown-content .dash-options-list-option"), "no explorer options")
    ui.els(".dash-dropdown-content .dash-options-list-option")[0].click()
    ui.wait(lambda: ui.query().get("fordeling") != "kl_arsverk_omsorg_yrke", "the URL did not follow the choice")
    ui.wait(lambda: graph_title(ui, "utforsk", "time") not in ("", yrke), "the explorer did not redraw")
    assert callback_requests(ui) > 0 and not ui.app_error_shown()
