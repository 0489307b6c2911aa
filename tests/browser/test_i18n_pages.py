"""The English UI in a real browser: every page opened with ?lang=en shows no untranslated text, and the
language switch in the navbar moves between bokmål and English (and the choice survives a reload).

What counts as visible text: every rendered text node (HTML and the SVG text of the charts) and the
aria-label / title / alt / placeholder attributes, except text inside an element marked lang="nb" (source
texts that only exist in bokmål, e.g. the catalogue's notes, are marked so, as WCAG 3.1.2 asks).
Region names (municipalities, counties) and the proper names listed in PROPER_NAMES are removed before
the tell-tale words are looked for.
"""
from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from tests.browser.conftest import REPO

PAGES = [
    "/", "/kommune?knr=4601", "/fylke?fnr=46", "/befolkning?kommune=4601", "/personell", "/tiltak",
    "/om-dataene", "/embed/kart?indikator=share_80plus", "/embed/utvikling?indikator=share_80plus&kommune=4601",
    "/finnes-ikke",
]
# Content that must have rendered before the page is checked (CSS selector per path prefix).
READY = {
    "/kommune": "#profile-spine .main-svg", "/fylke": "#county-rug table", "/befolkning": "#pop-cards .key-card",
    "/personell": "#pers-keys .key-card", "/tiltak": "#measures-table table", "/om-dataene": "#catalog-table table",
    "/embed/kart": ".embed-graph .main-svg", "/embed/utvikling": ".embed-graph .main-svg",
    "/finnes-ikke": ".page-404", "/": "#rank-table table",
}
# Charts in a Deferred box (components/deferred.py) are drawn when they come into view: scroll to each box in
# reading order (as a reader would) so that their text (titles, axes, legends) is checked too.
DEFERRED = {
    "/kommune?knr=": (("#profile-spine-container", "#profile-spine .main-svg"),
                      ("#profile-trend-container", "#profile-trend .main-svg")),
    "/?": (("#map-container", "#map .main-svg"), ("#trend-container", "#trend .main-svg")),
    "/befolkning?": tuple((f"#{p}-container", f"#{p}-graph .main-svg") for p in ("profile", "groups", "care", "track")),
}
TELLTALE = ["Kommune", "Fylke", "Velg", "Andel", "år og over", "Last ned", "Kilde", "Hele landet", "og landet",
            "Vis tabell", "Tjenesteområde", "Utvikling", "Merk:", "Lukk", "Laster"]
# Proper names that stay Norwegian in English, with the reason.
PROPER_NAMES = [
    "Kompetanseløft 2025", "Kompetanseløft 2020",  # the government plans' names
    "Omsorgsatlas",  # the product
    "Norsk",  # the language switch, labelled in the language it switches to
    "Helsedirektoratet", "Kartverket", "Statsforvalteren",  # institutions
]

COLLECT_JS = r"""
function shown(el) {
  if (!el) { return false; }
  if (el.closest('[lang]') && el.closest('[lang]').getAttribute('lang') === 'nb') { return false; }
  if (el.closest('.modebar, .dash-debug-menu')) { return false; }  // plotly's own tool tips
  var s = getComputedStyle(el);
  return s.display !== 'none' && s.visibility !== 'hidden';
}
var out = [];
var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
var n;
while ((n = walker.nextNode())) {
  var t = n.nodeValue.replace(/\s+/g, ' ').trim();
  if (t && n.parentElement && n.parentElement.tagName !== 'SCRIPT' && n.parentElement.tagName !== 'STYLE'
      && shown(n.parentElement)) { out.push(t); }
}
document.querySelectorAll('[aria-label], [title], [alt], [placeholder]').forEach(function (el) {
  if (el.closest('[lang]') && el.closest('[lang]').getAttribute('lang') === 'nb') { return; }
  if (el.closest('.modebar')) { return; }
  ['aria-label', 'title', 'alt', 'placeholder'].forEach(function (a) {
    var v = el.getAttribute(a);
    if (v && v.trim()) { out.push(v.replace(/\s+/g, ' ').trim()); }
  });
});
var ph = document.querySelectorAll('.Select-placeholder, .dash-dropdown-placeholder');
ph.forEach(function (el) { out.push(el.textContent.trim()); });
out.push(document.title);
return out;
"""


@pytest.fixture(scope="module")
def nb_msgids() -> set[str]:
    """Bokmål texts whose English differs (placeholders removed: compared as whole items)."""
    with (REPO / "components/locale/en/LC_MESSAGES/messages.po").open("rb") as fh:
        cat = read_po(fh, locale="en")
    out = set()
    for m in cat:
        if not m.id or isinstance(m.id, tuple) or "{" in m.id or m.string == m.id:
            continue
        if len(m.id) >= 3:
            out.add(m.id)
    return out


@pytest.fixture(scope="module")
def region_names() -> list[str]:
    import store
    store.init()
    names = set(store.municipalities()["name"]) | set(store.counties()["name"]) | {"Norge"}
    return sorted(names, key=len, reverse=True)


def _ready(ui, path: str) -> None:
    key = max((k for k in READY if path.startswith(k)), key=len)
    ui.wait(lambda: ui.els(READY[key]), f"{path}: {READY[key]} never rendered")
    for box, chart in next((v for k, v in DEFERRED.items() if (path + "?").startswith(k)), ()):
        ui.wait(lambda: ui.reveal(box) and ui.els(chart), f"{path}: {chart} never drawn")
    ui.wait(lambda: not ui.js("return !!document.querySelector('[data-dash-is-loading=\"true\"]')"),
            f"{path}: still loading")


def _problems(items: list[str], nb_msgids: set[str], region_names: list[str]) -> list[str]:
    bad = []
    for item in items:
        if item in nb_msgids:
            bad.append(f"untranslated: {item!r}")
            continue
        text = item
        for name in region_names:
            if name in text:
                text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", " ", text)
        for name in PROPER_NAMES:
            text = text.replace(name, " ")
        for word in TELLTALE:
            if re.search(rf"(?<!\w){re.escape(word)}", text):
                bad.append(f"{word!r} in {item[:160]!r}")
                break
    return sorted(set(bad))


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_untranslated_text_in_english(ui, path, nb_msgids, region_names):
    sep = "&" if "?" in path else "?"
    ui.open(path + sep + "lang=en")
    _ready(ui, path)
    assert ui.js("return document.documentElement.lang") == "en"
    items = ui.js(COLLECT_JS)
    problems = _problems(items, nb_msgids, region_names)
    assert not problems, f"{path}:\n" + "\n".join(problems)
    assert not ui.app_error_shown()


def test_language_switch_reload_and_back(ui):
    ui.open("/?fylke=46&lang=nb")
    _ready(ui, "/")
    switch = ui.el("#lang-switch")
    assert switch.text == "English" and switch.get_attribute("hreflang") == "en"
    assert ui.js("return document.documentElement.lang") == "nb"
    assert ui.text("#main-nav .nav-link") == "Kart og trender"
    ui.reveal("#lang-switch")  # back up from the trend to the navbar
    switch.click()
    ui.wait(lambda: ui.js("return document.documentElement.lang") == "en", "the switch never loaded English")
    _ready(ui, "/")
    q = ui.query()
    assert q.get("lang") == "en" and q.get("fylke") == "46", q  # the other parameters are kept
    assert ui.text("#main-nav .nav-link") == "Maps and trends"
    assert ui.text("#rank-heading") == "Ranking"
    assert ui.el("#lang-switch").text == "Norsk"
    ui.wait(lambda: "Share" in ui.text("#map-heading") or "Number" in ui.text("#map-heading")
            or ui.text("#map-heading") not in ("", "Kart"), "map heading never translated")

    # reload keeps English (URL flag, and the cookie without it)
    ui.d.refresh()
    _ready(ui, "/")
    assert ui.js("return document.documentElement.lang") == "en"
    ui.open("/om-dataene")
    _ready(ui, "/om-dataene")
    assert ui.js("return document.documentElement.lang") == "en"
    assert ui.text("h1") == "About the data"
    assert ui.query().get("lang") == "en"  # the flag is put back into the address

    # by keyboard: focus the switch and press Enter -> bokmål
    from selenium.webdriver.common.keys import Keys
    ui.el("#lang-switch").send_keys(Keys.ENTER)
    ui.wait(lambda: ui.js("return document.documentElement.lang") == "nb", "Enter on the switch never loaded bokmål")
    _ready(ui, "/om-dataene")
    assert ui.text("h1") == "Om dataene"

    ui.open("/?lang=nb")
    _ready(ui, "/")
    assert ui.text("#rank-heading") == "Rangering"
