"""Keyboard-only use (WCAG 2.1.1, 2.1.2, 2.4.1, 2.4.3, 2.4.7) and charts' text alternatives and non-colour
cues (1.1.1, 1.4.1), in real headless Chromium.

- Tab from page load: the skip link comes first and is visible; Enter on it puts the focus on <main>.
- Tab through the whole overview and profile pages until the focus cycles back to the skip link: every
  tabbable control is reached, in document (reading) order of the main controls, nothing traps the
  focus, and every focused element shows a focus indicator (outline or box-shadow).
- Operation by keyboard only: the indicator list (type + Enter), the year slider (arrow keys; the map and
  the URL follow), the level radio buttons (arrow keys), a share toolbar's «Last ned» (Enter/Space open it, Tab
  reaches the files, Escape closes it and the focus returns), «Vis tabell» (Enter).
- Every chart is a named figure with a data table next to it; lines differ by marker (and width), not
  colour alone; the map has a legend with values and a ranked table with numbers.
"""
from __future__ import annotations

import time

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

MAX_TABS = 160

# what has the focus now: a stable key, a description, and whether a focus indicator is drawn
ACTIVE_JS = """
var e = document.activeElement;
if (!e || e === document.body || e === document.documentElement) { return {key: 'BODY', desc: 'body', body: true}; }
if (!e.hasAttribute('data-kb-key')) { e.setAttribute('data-kb-key', 'k' + (window.__kbn = (window.__kbn || 0) + 1)); }
var cs = getComputedStyle(e), r = e.getBoundingClientRect();
var outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2;
var shadow = cs.boxShadow && cs.boxShadow !== 'none' && !/^rgba\\([^)]*,\\s*0\\)\\s+0px\\s+0px\\s+0px\\s+0px$/.test(cs.boxShadow);
var name = (e.getAttribute('aria-label') || e.innerText || e.value || e.title || '').replace(/\\s+/g, ' ').trim();
return {key: e.getAttribute('data-kb-key'), id: e.id || '', tag: e.tagName,
        desc: e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' «' + name.slice(0, 50) + '»',
        indicator: outline || shadow, outline: cs.outlineStyle + ' ' + cs.outlineWidth + ' ' + cs.outlineColor,
        visible: r.width > 0 && r.height > 0 && cs.visibility !== 'hidden',
        top: r.top, bottom: r.bottom, inViewport: r.bottom > 0 && r.top < window.innerHeight};
"""

# every element a keyboard user must be able to reach: visible, enabled, in the tab order. A dcc.Dropdown's
# tab stop is its hidden «focus target» input, which hands the focus to the dropdown's button at once.
TABBABLE_JS = """
var sel = 'a[href], button, input, select, textarea, summary, [tabindex]';
function shown(e) {
  if (e.closest('[hidden], [inert], [aria-hidden="true"]') && !e.classList.contains('dash-dropdown-focus-target')) { return false; }
  var d = e.closest('details');
  if (d && !d.open && !(e.tagName === 'SUMMARY' && e.parentElement === d)) { return false; }
  var r = e.getBoundingClientRect(), cs = getComputedStyle(e);
  if (e.classList.contains('dash-dropdown-focus-target')) { return e.parentElement.getClientRects().length > 0; }
  return r.width > 0 && r.height > 0 && cs.visibility !== 'hidden' && cs.display !== 'none';
}
return Array.from(document.querySelectorAll(sel)).filter(function (e) {
  if (e.disabled || e.tabIndex < 0 || !shown(e)) { return false; }
  if (e.type === 'radio' && e.name) {  // a radio group is one tab stop: the checked one (or the first)
    var group = Array.from(document.querySelectorAll('input[type=radio][name="' + CSS.escape(e.name) + '"]'));
    var checked = group.filter(function (g) { return g.checked; })[0];
    return e === (checked || group[0]);
  }
  return true;
}).map(function (e) {
  if (e.classList.contains('dash-dropdown-focus-target')) { e = e.parentElement.querySelector('button.dash-dropdown'); }
  if (!e.hasAttribute('data-kb-key')) { e.setAttribute('data-kb-key', 'k' + (window.__kbn = (window.__kbn || 0) + 1)); }
  var name = (e.getAttribute('aria-label') || e.innerText || e.value || e.title || '').replace(/\\s+/g, ' ').trim();
  return {key: e.getAttribute('data-kb-key'), desc: e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' «' + name.slice(0, 50) + '»'};
});
"""


def tab(driver, shift: bool = False) -> None:
    chain = ActionChains(driver)
    if shift:
        chain.key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT)
    else:
        chain.send_keys(Keys.TAB)
    chain.perform()


def active(ui) -> dict:
    return ui.js(ACTIVE_JS)


def settle(ui, ready, message: str) -> None:
    ui.wait(ready, message)
    ui.wait(lambda: ui.js("return !document.querySelector('[data-dash-is-loading=\"true\"]');"),
            "the page never settled")
    time.sleep(0.5)


def start_from_top(ui) -> None:
    """Put the browser's sequential focus starting point at the top of <body> (as after a page load)."""
    ui.js("""var s = document.createElement('span'); s.tabIndex = -1; s.id = 'kb-start';
             document.body.insertBefore(s, document.body.firstChild); s.focus(); window.scrollTo(0, 0);""")


def tab_cycle(ui) -> list[dict]:
    """Tab from the top of the page until the skip link has the focus again (one full cycle)."""
    start_from_top(ui)
    seen: list[dict] = []
    for _ in range(MAX_TABS):
        tab(ui.d)
        a = active(ui)
        if seen and a["key"] == seen[0]["key"]:
            return seen
        if not a.get("body"):
            seen.append(a)
    raise AssertionError(f"Tab never came back to the first control after {MAX_TABS} presses "
                         f"(a focus trap?); last: {[s['desc'] for s in seen[-8:]]}")


def check_cycle(ui, first_controls: list[str]) -> list[dict]:
    cycle = tab_cycle(ui)
    descs = [s["desc"] for s in cycle]
    assert "skip-link" in ui.js("return document.querySelector('[data-kb-key=\"%s\"]').className;" % cycle[0]["key"]), \
        f"the first Tab stop is not the skip link: {descs[:3]}"
    # no control is visited twice in one cycle (that would be a loop inside the page)
    keys = [s["key"] for s in cycle]
    assert len(keys) == len(set(keys)), f"a control got the focus twice in one Tab cycle: {descs}"
    # every tabbable control was reached
    wanted = ui.js(TABBABLE_JS)
    missing = [w["desc"] for w in wanted if w["key"] not in set(keys)]
    assert not missing, f"not reachable by Tab: {missing}\nreached: {descs}"
    # visible focus on every stop
    no_indicator = [f"{s['desc']} (outline {s['outline']})" for s in cycle if not (s["indicator"] and s["visible"])]
    assert not no_indicator, f"focused without a visible focus indicator: {no_indicator}"
    # the main controls in reading order
    ids = [s["id"] for s in cycle]
    pos = [ids.index(c) if c in ids else -1 for c in first_controls]
    assert -1 not in pos, f"never focused: {[c for c, p in zip(first_controls, pos) if p < 0]}\nreached: {descs}"
    assert pos == sorted(pos), f"Tab order is not the reading order: {list(zip(first_controls, pos))}"
    return cycle


# ------------------------------------------------------------------------------------------------ skip link
def test_skip_link_is_first_visible_and_moves_focus_to_main(ui):
    ui.open("/?fylke=46")
    settle(ui, lambda: ui.drawn() and "indikator" in ui.query(), "the map never rendered")
    start_from_top(ui)
    tab(ui.d)
    a = active(ui)
    assert "Hopp til hovedinnhold" in a["desc"], f"first Tab stop: {a['desc']}"
    assert a["visible"] and a["inViewport"] and a["top"] >= 0, f"the focused skip link is not on screen: {a}"
    assert a["indicator"], f"the skip link shows no focus indicator: {a['outline']}"
    ui.js("document.querySelector('#map-container').__kbMark = 1;")  # the page must not be rebuilt
    ui.d.switch_to.active_element.send_keys(Keys.ENTER)
    ui.wait(lambda: ui.js("return document.activeElement && document.activeElement.id") == "main",
            "Enter on the skip link did not move the focus to <main>")
    time.sleep(1.0)
    assert ui.js("return (document.querySelector('#map-container') || {}).__kbMark === 1;"), \
        "the skip link made Dash rebuild the page (a #hash change re-runs the page router)"
    assert ui.js("return document.activeElement.id") == "main", "the focus left <main> after the skip link"
    # the next Tab goes into the page content, not back to the navbar
    tab(ui.d)
    where = ui.js("var e = document.activeElement; return [e.tagName + '#' + e.id, "
                  "document.querySelector('#main').contains(e) && e.id !== 'main'];")
    assert where[1], f"after the skip link, Tab went to {where[0]}, not into <main>"


# ------------------------------------------------------------------------------------------------ overview
def test_overview_tab_order_focus_and_keyboard_operation(ui):
    ui.open("/?fylke=46&kommune=4601&ar=2024")
    # the trend is drawn when it comes into view (components/deferred.py): scroll to it once the map is drawn
    settle(ui, lambda: len(ui.drawn("Verdi")) > 10 and ui.els("#rank-table tbody tr")
           and ui.reveal("#trend-container") and ui.els("#trend g.scatterlayer g.trace"), "the overview never rendered")
    cycle = check_cycle(ui, ["service-area-dropdown", "indicator-dropdown",
                             "_dbcprivate_radioitems_level-radio_input_kommune", "county-dropdown",
                             "region-dropdown", "share-kart-download", "rank-table",
                             "share-utvikling-download"])
    # the navbar links come before the page's controls; the slider handle is reached too
    tags = [(s["tag"], s["desc"]) for s in cycle]
    nav = [i for i, (t, d) in enumerate(tags) if "Min kommune" in d or "Om dataene" in d]
    assert len(nav) == 2 and max(nav) < [s["id"] for s in cycle].index("service-area-dropdown"), tags
    assert any("slider" in (ui.js("return document.querySelector('[data-kb-key=\"%s\"]').getAttribute('role') || '';"
                                  % s["key"])) for s in cycle), "the year slider is not in the Tab order"

    # the year slider: arrow keys move the year; the map title and the URL follow, focus stays
    thumb = ui.el("#year-slider [role=slider]")
    ui.js("arguments[0].focus();", thumb)
    assert active(ui)["indicator"], "the focused slider handle shows no focus indicator"
    before = ui.fills()
    thumb.send_keys(Keys.ARROW_LEFT)
    ui.wait(lambda: ui.query().get("ar") == "2023" and "2023" in ui.map_title(), "Left arrow did not move to 2023")
    ui.wait(lambda: sum(before.get(c) != f for c, f in ui.fills().items()) > len(before) // 2,
            "the map colours did not change with the year")
    thumb.send_keys(Keys.ARROW_RIGHT)
    ui.wait(lambda: ui.query().get("ar") == "2024" and "2024" in ui.map_title(), "Right arrow did not move to 2024")
    assert ui.d.switch_to.active_element == thumb, "the slider lost the focus"

    # the level radio buttons: arrow keys
    radio = ui.el("#level-radio input:checked")
    ui.js("arguments[0].focus();", radio)
    assert active(ui)["indicator"], "the focused radio button shows no focus indicator"
    level = ui.checked_level()
    radio.send_keys(Keys.ARROW_LEFT if level == "kommune" else Keys.ARROW_RIGHT)
    ui.wait(lambda: ui.checked_level() != level and ui.query().get("niva") == ui.checked_level(),
            "arrow keys did not change the level")
    radio = ui.el("#level-radio input:checked")
    radio.send_keys(Keys.ARROW_RIGHT if level == "kommune" else Keys.ARROW_LEFT)
    ui.wait(lambda: ui.checked_level() == level and ui.query().get("niva") == level,
            "arrow keys did not change the level back")

    # the indicator: focus the dropdown, type, Enter
    old_title = ui.map_title()
    ui.js("document.querySelector('#indicator-dropdown').closest('.dash-dropdown-wrapper')"
          ".querySelector('input.dash-dropdown-focus-target').focus();")
    ui.wait(lambda: ui.js("return document.activeElement.id") == "indicator-dropdown",
            "the dropdown's tab stop did not hand the focus to the dropdown")
    # the first letter opens the list and moves the focus to its search box (Dash 4 drops keys typed in
    # the same instant, so wait for the box like a user who sees it open)
    ActionChains(ui.d).send_keys("L").perform()
    ui.wait(lambda: ui.js("return document.activeElement.classList.contains('dash-dropdown-search')"),
            "typing on the closed dropdown did not open its search box", timeout=30)
    ActionChains(ui.d).send_keys("egemeldt").perform()
    ui.wait(lambda: any("Legemeldt" in o.text for o in ui.els(".dash-dropdown-content .dash-options-list-option")),
            "the search did not list the indicator", timeout=30)
    ActionChains(ui.d).send_keys(Keys.ENTER).perform()
    ui.wait(lambda: "Legemeldt" in ui.dropdown_value("indicator-dropdown"), "Enter did not choose the indicator")
    ui.wait(lambda: ui.query().get("indikator") not in (None, "share_80plus") and ui.map_title() != old_title,
            "the map / URL did not follow the new indicator")
    if ui.els(".dash-dropdown-content"):
        ActionChains(ui.d).send_keys(Keys.ESCAPE).perform()
    ui.wait(lambda: not ui.els(".dash-dropdown-content"), "the list did not close")

    # the map's share toolbar: Enter on «Last ned» opens its panel, Tab reaches the files, Escape closes it and
    # the focus returns to «Last ned»; Space opens it again
    summary = ui.el("#share-kart-download")
    panel_open = "return document.querySelector('#share-kart-download').parentElement.open;"
    ui.js("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'}); arguments[0].focus();", summary)
    summary.send_keys(Keys.ENTER)
    ui.wait(lambda: ui.js(panel_open), "Enter did not open «Last ned»")
    tab(ui.d)
    ui.wait(lambda: ui.js("return document.activeElement.classList.contains('oa-share-download') && "
                          "document.activeElement.getAttribute('href').indexOf('/eksport/kart.png') >= 0;"),
            "Tab did not move into the download links")
    ActionChains(ui.d).send_keys(Keys.ESCAPE).perform()
    ui.wait(lambda: not ui.js(panel_open), "Escape did not close «Last ned»")
    ui.wait(lambda: ui.js("return document.activeElement.id") == "share-kart-download",
            "the focus did not return to «Last ned» after Escape")
    summary.send_keys(Keys.SPACE)
    ui.wait(lambda: ui.js(panel_open), "Space did not open «Last ned»")
    ActionChains(ui.d).send_keys(Keys.ESCAPE).perform()
    ui.wait(lambda: not ui.js(panel_open), "Escape did not close «Last ned» again")

    # «Vis tabell»: Enter on the summary opens the trend table
    summary = ui.el("#trend-details summary")
    ui.js("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'}); arguments[0].focus();", summary)
    ui.wait(lambda: ui.js("return document.activeElement === arguments[0];", summary), "«Vis tabell» took no focus")
    ActionChains(ui.d).send_keys(Keys.ENTER).perform()
    ui.wait(lambda: ui.js("return document.querySelector('#trend-details').open;"),
            "Enter on «Vis tabell» did not open the table")
    assert not ui.app_error_shown()


# ------------------------------------------------------------------------------------------------ profile
def test_profile_tab_order_and_keyboard_choice(ui):
    ui.open("/kommune")
    ui.wait(lambda: ui.els("#profile-muni"), "the profile page never rendered")
    # choose a municipality by keyboard only: Tab to the search, type, Enter
    ui.js("document.querySelector('#profile-muni').closest('.dash-dropdown-wrapper')"
          ".querySelector('input.dash-dropdown-focus-target').focus();")
    ActionChains(ui.d).send_keys("B").perform()
    ui.wait(lambda: ui.js("return document.activeElement.classList.contains('dash-dropdown-search')"),
            "typing on the closed dropdown did not open its search box", timeout=30)
    ActionChains(ui.d).send_keys("ergen").perform()
    ui.wait(lambda: any(o.text.strip() == "Bergen (4601)" for o in ui.els(".dash-dropdown-content .dash-options-list-option")),
            "typing did not list Bergen", timeout=30)
    ActionChains(ui.d).send_keys(Keys.ENTER).perform()
    ui.wait(lambda: ui.query().get("knr") == "4601" and ui.els("#profile-spine-container .main-svg")
            and ui.reveal("#profile-trend-container") and ui.els("#profile-trend g.scatterlayer g.trace"),
            "Enter did not open Bergen's profile")
    if ui.els(".dash-dropdown-content"):
        ActionChains(ui.d).send_keys(Keys.ESCAPE).perform()
    settle(ui, lambda: not ui.els(".dash-dropdown-content"), "the list did not close")
    check_cycle(ui, ["profile-muni", "profile-area", "profile-indicator"])
    assert not ui.app_error_shown()


# ------------------------------------------------------------------------------------------------ charts
# every plotly chart: inside a named figure (role=figure/img + aria-label/labelledby), a table in the same
# section; multi-line charts: lines differ by dash or marker symbol, not colour alone (components/linestyle.py)
CHARTS_JS = """
var out = [];
document.querySelectorAll('.js-plotly-plot').forEach(function (g) {
  if (!g.offsetParent) { return; }
  var fig = g.closest('[role=figure], [role=img]');
  var name = fig ? (fig.getAttribute('aria-label') || (fig.getAttribute('aria-labelledby') || '').split(' ')
      .map(function (id) { var l = document.getElementById(id); return l ? l.textContent : ''; }).join(' ')).trim() : '';
  var scope = g.closest('section, main') || document;
  var details = fig && fig.getAttribute('aria-details') && document.getElementById(fig.getAttribute('aria-details'));
  if (details && details.querySelector('table')) { scope = details; }  // aria-details: the long description
  // an embedded chart (iframe on another site) links to its page in the atlas, where the table is
  var tables = scope.querySelectorAll('table').length || (g.closest('.embed-page') ? scope.querySelectorAll('.embed-source a[href]').length : 0);
  var lines = (g.data || []).filter(function (t) { return (t.type || 'scatter') === 'scatter' && t.visible !== false
                                                        && (t.mode || '').indexOf('lines') >= 0; });
  var cues = lines.map(function (t) { return {name: t.name, color: (t.line || {}).color || (t.marker || {}).color,
                                              dash: (t.line || {}).dash || 'solid', symbol: (t.marker || {}).symbol || 'circle',
                                              group: t.legendgroup || t.name}; });
  var holder = g.closest('[id]');
  out.push({id: holder ? holder.id : '?', figure: !!fig, name: name, tables: tables, cues: cues});
});
return out;
"""


def chart_problems(ui) -> list[str]:
    problems = []
    for c in ui.js(CHARTS_JS):
        if not c["figure"] or len(c["name"]) < 8:
            problems.append(f"#{c['id']}: no figure role / accessible name ({c['name']!r})")
        if c["tables"] == 0:
            problems.append(f"#{c['id']}: no data table next to the chart")
        seen = {}
        for cue in c["cues"]:
            key = (cue["dash"], str(cue["symbol"]).replace("-open", ""))
            other = seen.get(key)
            if other and other["color"] != cue["color"] and other["group"] != cue["group"]:
                problems.append(f"#{c['id']}: lines {other['name']!r} and {cue['name']!r} differ only by colour")
            seen.setdefault(key, cue)
    return problems


def test_charts_have_text_alternatives_and_do_not_rely_on_colour(ui):
    ui.open("/?fylke=46&kommune=4601&ar=2024")
    ui.wait(lambda: len(ui.drawn("Verdi")) > 10 and len(ui.els("#rank-table tbody tr")) > 10
            and ui.reveal("#trend-container") and ui.els("#trend g.scatterlayer g.trace"), "the overview never rendered")
    ui.wait(lambda: len(ui.el("#map-container").get_attribute("aria-label") or "") > 20,
            "the map never got its text alternative")
    label = ui.el("#map-container").get_attribute("aria-label")
    assert "Vestland" in label or "2024" in label, label
    # the map's legend has values (colour bar with tick labels) and the ranked table has the numbers
    ticks = ui.js("return Array.from(document.querySelectorAll('#map .colorbar .cbaxis text, #map .colorbar text'))"
                  ".map(function (t) { return t.textContent; }).filter(function (s) { return /\\d/.test(s); });")
    assert len(ticks) >= 2, f"the map's colour legend has no value labels: {ticks}"
    nums = ui.js("return Array.from(document.querySelectorAll('#rank-table tbody td.num'))"
                 ".map(function (t) { return t.textContent.trim(); }).filter(function (s) { return /\\d/.test(s); }).length;")
    assert nums >= 10, "the ranked table shows no numbers"
    assert "Grå" in ui.text("#main") or "grå" in ui.text("#main"), "no text explains the grey (no data) colour"
    # the trend: three lines (municipality, county, country) with different colour AND marker AND width, all
    # solid (registered values; components/linestyle.py), each named in the legend
    traces = ui.js("return document.querySelector('#trend .js-plotly-plot').data.map(function (t) {"
                   " return [t.name, t.line.dash, t.marker.symbol, t.line.color, t.line.width]; });")
    assert [t[0] for t in traces] == ["Bergen", "Vestland", "Norge"], traces
    assert {t[1] for t in traces} == {"solid"} and len({t[2] for t in traces}) == 3, traces
    assert len({t[3] for t in traces}) == 3 and traces[0][4] > traces[2][4], traces
    assert len(ui.els("#trend .legend .traces")) == 3, "the trend has no legend entry per line"
    # the trend's table behind «Vis tabell» is written when it is opened (components/htmlblock.py), as below
    ui.js("document.querySelectorAll('details:not([open])').forEach(function (d) { d.open = true; });")
    time.sleep(1.0)
    problems = chart_problems(ui)

    # the other chart pages
    # (boxes: the Deferred boxes to scroll to first, in reading order, components/deferred.py: every chart drawn)
    population = tuple(f"#{p}-container" for p in ("profile", "groups", "care", "track"))
    # «Personell og kompetanse»: each panel's chart box (a pattern-matching id, JSON with the panel's id)
    personnel = tuple(f"[role=figure][id*='\"panel\":\"{p}\"']" for p in (
        "tjenesteomrade", "yrke", "menn", "innvandrere", "sykefravaer", "leger", "fysio", "fastleger",
        "fastlegelister", "utdanning", "fagprover", "utforsk"))
    for path, ready, boxes in (("/kommune?knr=4601", "#profile-trend g.scatterlayer g.trace",
                                ("#profile-spine-container", "#profile-trend-container")),
                               ("/befolkning?kommune=4601", "#track-container .main-svg", population),
                               ("/personell", "section.pers-panel .main-svg", personnel),
                               ("/tiltak", "#grant-graph .main-svg", ()),
                               ("/embed/utvikling?fylke=46&kommune=4601", ".embed-graph g.scatterlayer g.trace", ())):
        ui.open(path)
        for box in boxes:
            ui.wait(lambda: ui.reveal(box) and ui.els(f"{box} .main-svg"), f"{path}: {box} never drawn")
        ui.wait(lambda: ui.els(ready), f"{path}: the charts never rendered")
        ui.wait(lambda: ui.js("return !document.querySelector('[data-dash-is-loading=\"true\"]');"),
                f"{path}: never settled")
        # tables behind a closed «Vis tabell» are written when it is opened (components/htmlblock.py): open them
        # as a user would, then every chart must have its table
        ui.js("document.querySelectorAll('details:not([open])').forEach(function (d) { d.open = true; });")
        time.sleep(1.0)
        problems += [f"{path} {p}" for p in chart_problems(ui)]
    assert not problems, "\n".join(problems)


def test_hover_labels_have_enough_contrast(ui):
    """plotly's default hover label (trace colour + black/white text) is patched by assets/20-a11y.js; the
    spine chart colours its markers by the comparison class (the default labels had < 4.5:1)."""
    ui.open("/kommune?knr=4601")
    sel = "#profile-spine-container g.scatterlayer g.trace:last-child g.points path"
    ui.wait(lambda: len(ui.els(sel)) > 3, "the profile's spine chart never rendered")
    point = ui.els(sel)[1]
    ui.js("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", point)
    ActionChains(ui.d).move_to_element(point).pause(0.3).move_by_offset(1, 0).perform()
    ui.wait(lambda: ui.els(".hoverlayer g.hovertext text"), "no hover label appeared", timeout=30)
    time.sleep(0.3)
    pairs = ui.js("""return Array.from(document.querySelectorAll('.hoverlayer g.hovertext')).map(function (g) {
        return [getComputedStyle(g.querySelector('path')).fill, getComputedStyle(g.querySelector('text')).fill]; });""")

    def lum(rgb: str) -> float:
        vals = [int(v) / 255 for v in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3]]
        lin = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in vals]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    for bg, fg in pairs:
        hi, lo = sorted((lum(bg), lum(fg)), reverse=True)
        ratio = (hi + 0.05) / (lo + 0.05)
        assert ratio >= 4.5, f"hover label text {fg} on {bg}: {ratio:.2f}:1 < 4.5:1"


# ------------------------------------------------------------------------------------------------ presentation
def test_presentation_mode_tab_cycle_and_escape(ui):
    """In presentation mode the hidden controls leave the Tab order, what is left shows focus, and Escape
    (keyboard) ends the mode."""
    ui.open("/?fylke=46&kommune=4601&ar=2024&presentasjon=1")
    settle(ui, lambda: len(ui.drawn("Verdi")) > 10 and ui.reveal("#trend-container")
           and ui.els("#trend g.scatterlayer g.trace"), "the overview never rendered in presentation mode")
    assert "oa-present" in ui.js("return document.documentElement.className;")
    cycle = check_cycle(ui, [])
    hidden = ui.js("""return arguments[0].filter(function (k) {
        var e = document.querySelector('[data-kb-key="' + k + '"]'), r = e.getBoundingClientRect();
        return r.width === 0 || r.height === 0; });""", [s["key"] for s in cycle])
    assert not hidden, f"Tab stops that are not on screen in presentation mode: {hidden}"
    toggle = ui.el("#present-toggle")
    ui.js("arguments[0].focus();", toggle)
    ActionChains(ui.d).send_keys(Keys.ESCAPE).perform()
    ui.wait(lambda: "oa-present" not in ui.js("return document.documentElement.className;"),
            "Escape did not end presentation mode")
