"""Presentation mode, print stylesheet and the page-level «Kopier lenke» in a real browser.

- the «Presentasjon» toggle (navbar) hides the controls, the footer and the share/download tools, enlarges the
  page's type and the Plotly text, keeps the selection (URL parameters and the controls' values) and writes
  ?presentasjon=1; Escape and the toggle leave it and restore everything,
- ?presentasjon=1 (alias ?storskjerm=1) opens a page in presentation mode (class on <html> from the server),
- print: A4 landscape PDF with the page title, «Utvalg: …», sources and print date; print media hide the
  navbar/controls/buttons and the charts fit the printable width,
- «Kopier lenke» copies the full URL, says so (role=status), and that URL restores the same view.
"""
from __future__ import annotations

import base64
import re
import zlib
from urllib.parse import parse_qsl, urlsplit

import pytest

OVERVIEW = "/?indikator=share_80plus&niva=kommune&fylke=46&kommune=4601"
A4_PRINTABLE_PX = (297 - 2 * 12) / 25.4 * 96  # A4 landscape minus 12 mm margins, in CSS px (≈ 1032)

STATE_JS = """
var sel = arguments[0];
var gd = sel ? (document.querySelector(sel + ' .js-plotly-plot') || document.querySelector(sel))
             : document.querySelector('.js-plotly-plot');
var b = document.getElementById('present-toggle');
var fl = gd && gd._fullLayout;
return {cls: document.documentElement.className, pressed: b && b.getAttribute('aria-pressed'),
        body: parseFloat(getComputedStyle(document.body).fontSize),
        plot: fl ? fl.font.size : null,
        title: fl && fl.title && fl.title.font ? fl.title.font.size : null,
        controls: Array.from(document.querySelectorAll('main .oa-controls')).map(function (e) {
            return e.getClientRects().length > 0; }),
        status: (document.getElementById('present-status') || {}).textContent};
"""


def state(ui, graph: str | None = None) -> dict:
    return ui.js(STATE_JS, graph)


def ready(ui, pressed: str) -> None:
    ui.wait(lambda: state(ui)["pressed"] == pressed, f"the toggle never showed aria-pressed={pressed}")


def values(ui, ids) -> dict[str, str]:
    """The shown value of each dcc.Dropdown (textContent: also when the controls are hidden)."""
    return {i: ui.text_content(f"#{i}-value") for i in ids}


def wait_map(ui) -> None:
    ui.wait(lambda: len(ui.els("#map path.choroplethlocation")) > 10, "the map was never drawn")
    ui.wait(lambda: ui.query().get("ar"), "the URL sync never wrote the year")


def test_toggle_hides_controls_enlarges_text_keeps_selection_and_escape_leaves(ui):
    from selenium.webdriver.common.keys import Keys

    ui.open(OVERVIEW)
    ready(ui, "false")
    wait_map(ui)
    ui.wait(lambda: ui.reveal("#trend-container") and "Bergen" in ui.text_content("#trend .gtitle"),
            "the trend never showed Bergen")
    before_q = ui.query()
    ids = ("indicator-dropdown", "county-dropdown", "region-dropdown")
    before_v = values(ui, ids)
    assert before_v["region-dropdown"].startswith("Bergen")
    base = state(ui, "#map")
    assert base["controls"] and all(base["controls"]) and ui.el("#footer").is_displayed()

    toggle = ui.el("#present-toggle")
    assert toggle.text.strip() == "Presentasjon" and toggle.get_attribute("type") == "button"
    ui.reveal("#present-toggle")  # back up from the trend to the navbar
    toggle.click()
    ready(ui, "true")
    ui.wait(lambda: state(ui, "#map")["plot"] and state(ui, "#map")["plot"] >= base["plot"] * 1.3,
            "the map's text was never enlarged")
    on = state(ui, "#map")
    assert "oa-present" in on["cls"]
    assert not any(on["controls"]), "controls still shown"
    for css in ("#footer", ".oa-share", "#main-nav", "#copy-page-link"):
        assert not any(e.is_displayed() for e in ui.els(css)), f"{css} still shown"
    assert ui.el("#present-toggle").is_displayed()
    assert on["body"] >= base["body"] * 1.3
    assert on["title"] >= base["title"] * 1.3  # explicit sizes (the title's 15 px) grow too
    trend = state(ui, "#trend")
    assert trend["plot"] >= 12 * 1.3
    assert "Escape" in on["status"]
    assert ui.query() == {**before_q, "presentasjon": "1"}
    assert values(ui, ids) == before_v
    selection = ui.text_content("#oa-selection")
    assert selection.startswith("Utvalg:") and "Vestland" in selection and "Bergen" in selection
    assert ui.el("#oa-selection").is_displayed()
    # the charts take the width the controls leave
    assert ui.js("return document.querySelector('#map').getBoundingClientRect().width") > \
        ui.js("return window.innerWidth") * 0.4

    ui.el("body").send_keys(Keys.ESCAPE)
    ready(ui, "false")
    ui.wait(lambda: state(ui, "#map")["plot"] == base["plot"], "the map's text size was not restored")
    off = state(ui, "#map")
    assert "oa-present" not in off["cls"] and all(off["controls"]) and off["body"] == base["body"]
    assert off["title"] == base["title"]
    assert ui.query() == before_q
    assert values(ui, ids) == before_v
    assert ui.el("#footer").is_displayed() and not ui.el("#oa-selection").is_displayed()
    assert not ui.app_error_shown() and not ui.severe_console()


@pytest.mark.parametrize("path, graph, box", [  # box: the chart's Deferred box, scrolled to before it is drawn
    ("/kommune?knr=4601&omrade=befolkning&indikator=share_80plus&presentasjon=1", "#profile-trend",
     "#profile-trend-container"),
    ("/befolkning?kommune=4601&ar=2030&aldersgrupper=5&presentasjon=1", "#profile-graph", "#profile-container"),
    ("/personell?presentasjon=1", None, None),
    ("/tiltak?sok=demens&presentasjon=1", None, None),
])
def test_url_flag_opens_in_presentation_mode_and_leaving_keeps_the_page(ui, path, graph, box):
    ui.open(path)
    assert "oa-present" in ui.js("return document.documentElement.className")  # from the server: first paint
    ready(ui, "true")
    ui.wait(lambda: ui.els("main .oa-controls"), "the page never rendered its controls")
    expected = dict(parse_qsl(urlsplit(path).query))
    ui.wait(lambda: all(ui.query().get(k) == v for k, v in expected.items()), "the URL lost parameters")
    if graph:
        ui.wait(lambda: (ui.reveal(box) if box else True) and (state(ui, graph)["plot"] or 0) >= 12 * 1.3,
                f"{graph}: text never enlarged")
    s = state(ui)
    assert s["controls"] and not any(s["controls"])
    assert s["body"] >= 16 * 1.3
    q_on = ui.query()

    ui.reveal("#present-toggle")  # back up from the chart to the navbar
    ui.el("#present-toggle").click()
    ready(ui, "false")
    ui.wait(lambda: "presentasjon" not in ui.query(), "the flag stayed in the URL")
    assert ui.query() == {k: v for k, v in q_on.items() if k != "presentasjon"}
    s = state(ui)
    assert all(s["controls"]) and s["body"] == 16
    if graph:
        ui.wait(lambda: state(ui, graph)["plot"] < 12 * 1.3, f"{graph}: text size not restored")
    assert not ui.app_error_shown()


def test_storskjerm_alias_on_county_page_is_presentation_mode(ui):
    ui.open("/fylke?fnr=46&omrade=befolkning&storskjerm=1")
    ready(ui, "true")
    ui.wait(lambda: len(ui.els("#rug-table tbody tr")) > 40, "matrix")
    assert ui.els("#county-page.wall-mode")
    assert not ui.el(".county-controls").is_displayed()
    ui.wait(lambda: ui.query().get("presentasjon") == "1" and "storskjerm" not in ui.query(),
            "the alias was not written as presentasjon=1")
    assert ui.query()["fnr"] == "46"
    ui.el("#present-toggle").click()
    ready(ui, "false")
    ui.wait(lambda: not ui.els("#county-page.wall-mode"), "large type stayed on")
    assert ui.el(".county-controls").is_displayed() and ui.query().get("fnr") == "46"
    assert "presentasjon" not in ui.query()


# ------------------------------------------------------------------------------------------------- print
def pdf_texts(pdf: bytes) -> list[str]:
    """The text of a Chromium PDF: its content streams decoded with each font's ToUnicode map (FlateDecode;
    one candidate text per stream × map – the right map gives readable text)."""
    streams = []
    for m in re.finditer(rb"stream\r?\n", pdf):
        end = pdf.find(b"endstream", m.end())
        try:
            streams.append(zlib.decompressobj().decompress(pdf[m.end():end]))
        except zlib.error:
            continue
    cmaps = []
    for s in streams:
        if b"beginbfchar" not in s and b"beginbfrange" not in s:
            continue
        cmap = {}
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", s, re.S):
            for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                cmap[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be", "replace")
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", s, re.S):
            for a, b, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                for i, code in enumerate(range(int(a, 16), int(b, 16) + 1)):
                    cmap[code] = chr(int(dst, 16) + i)
        cmaps.append(cmap)
    out = []
    for s in streams:
        if b"Tj" not in s and b"TJ" not in s:
            continue
        hexes = [h.decode() for h in re.findall(rb"<([0-9A-Fa-f]+)>", s)]
        for cmap in cmaps:
            out.append("".join(cmap.get(int(h[i:i + 4], 16), "\ufffd") for h in hexes for i in range(0, len(h) - 3, 4)))
    return out


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def test_print_pdf_is_a4_landscape_with_title_selection_sources_and_date(ui):
    from selenium.webdriver.common.print_page_options import PrintOptions

    ui.open(OVERVIEW)
    ready(ui, "false")
    wait_map(ui)
    opts = PrintOptions()
    opts.orientation = "landscape"
    opts.page_width, opts.page_height = 21.0, 29.7  # cm (A4); landscape turns the page
    opts.background = True
    pdf = base64.b64decode(ui.d.print_page(opts))
    boxes = [tuple(float(x) for x in m.split()) for m in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", pdf)]
    assert boxes, "no pages"
    for box in boxes:
        w, h = box[2] - box[0], box[3] - box[1]
        assert abs(w - 842) < 3 and abs(h - 595) < 3, f"page is {w}×{h} pt, not A4 landscape"
    text = squash(" ".join(pdf_texts(pdf)))
    for needle in ("Kart og trender", "Utvalg:", "Vestland (46)", "Bergen",
                   "Kilder: Statistisk sentralbyrå (SSB), NLOD 2.0", "Kartverket, CC BY 4.0", "Skrevet ut:"):
        assert squash(needle) in text, f"{needle!r} not in the PDF"
    for needle in ("Kopier lenke", "Presentasjon", "Bygg inn", "Last ned", "Hopp til hovedinnhold"):
        assert squash(needle) not in text, f"{needle!r} printed"
    # after printing the charts are back to normal (no viewBox left behind)
    ui.wait(lambda: not ui.els("svg.main-svg[viewBox][data-oa-print]"), "print scaling not undone")


def test_print_media_hides_chrome_and_fits_the_charts_to_the_page(ui):
    ui.open("/befolkning?kommune=4601&ar=2030&aldersgrupper=5")
    ready(ui, "false")
    ui.wait(lambda: ui.reveal("#profile-container")
            and len(ui.els("#profile-graph .bars path, #profile-graph .barlayer path")) > 10, "age profile")
    for box in ("#groups-container", "#care-container"):  # Deferred boxes (components/deferred.py): drawn when seen
        ui.wait(lambda: ui.reveal(box) and ui.els(f"{box} .main-svg"), f"{box} never drawn")
    ui.d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    ui.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                         {"width": int(A4_PRINTABLE_PX), "height": 800, "deviceScaleFactor": 1, "mobile": False})
    try:
        ui.wait(lambda: ui.els(".svg-container.oa-print-scaled"), "charts not prepared for print")
        for css in ("#navbar", "#present-toggle", "#copy-page-link", ".skip-link"):
            assert not any(e.is_displayed() for e in ui.els(css)), f"{css} printed"
        assert ui.els("main .oa-controls") and not any(e.is_displayed() for e in ui.els("main .oa-controls"))
        assert not any(e.is_displayed() for e in ui.els("main button"))
        assert ui.el("#footer").is_displayed() and ui.el(".oa-print-meta").is_displayed()
        assert "Skrevet ut:" in ui.text("#print-date") and "kommune=4601" in ui.text("#print-url")
        assert ui.el("#oa-selection").is_displayed() and "Bergen" in ui.text("#oa-selection")
        boxes = ui.js("return Array.from(document.querySelectorAll('.js-plotly-plot .svg-container'))"
                      ".filter(function (c) { return c.getClientRects().length; })"
                      ".map(function (c) { var r = c.getBoundingClientRect(); return [r.left, r.right, r.width]; });")
        assert len(boxes) >= 3
        for left, right, width in boxes:
            assert left >= -0.5 and right <= A4_PRINTABLE_PX + 0.5 and width > 100, boxes
        # table rows are not split across pages
        assert ui.js("var r = document.querySelector('main table tr');"
                     "return r ? getComputedStyle(r).breakInside : null;") in ("avoid", "avoid-page")
    finally:
        ui.d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        ui.d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    ui.wait(lambda: not ui.els(".svg-container.oa-print-scaled"), "print scaling not undone")


# -------------------------------------------------------------------------------------------- copy link
def test_copy_link_copies_the_full_url_and_it_restores_the_view(ui):
    ui.d.execute_cdp_cmd("Browser.grantPermissions", {"permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"],
                                                      "origin": ui.base})
    ui.open("/fylke?fnr=46&omrade=befolkning&sorter=share_80plus&rekkefolge=synkende")
    ready(ui, "false")
    ui.wait(lambda: len(ui.els("#rug-table tbody tr")) > 40, "matrix")

    def view():
        rows = [tr.find_elements("css selector", "th")[0].text for tr in ui.els("#rug-table tbody tr")[2:7]]
        return {**values(ui, ("county-select", "county-area", "county-sort")),
                "desc": ui.js("return document.querySelector('#county-desc input').checked"), "rows": rows}
    before = view()
    assert before["desc"] is True and "80" in before["county-sort"]

    btn = ui.el("#copy-page-link")
    assert btn.is_displayed() and btn.text.strip() == "Kopier lenke"
    btn.click()
    ui.wait(lambda: ui.text("#copy-page-link-status") == "Lenke kopiert", "no «Lenke kopiert»")
    assert ui.el("#copy-page-link-status").get_attribute("role") == "status"
    copied = btn.get_attribute("data-copied-url")
    assert copied == ui.d.current_url
    assert dict(parse_qsl(urlsplit(copied).query)) == {"fnr": "46", "omrade": "befolkning",
                                                       "sorter": "share_80plus", "rekkefolge": "synkende"}
    clip = ui.d.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "navigator.clipboard.readText().then(done, function () { done(null); });")
    if clip is not None:  # headless Chromium may refuse clipboard reads; the copied value is checked above
        assert clip == copied

    ui.d.get("about:blank")
    ui.d.get(copied)
    ready(ui, "false")
    ui.wait(lambda: len(ui.els("#rug-table tbody tr")) > 40, "matrix after reopening")
    ui.wait(lambda: view() == before, "the copied link did not restore the view")


def test_copy_link_on_overview_restores_map_selection(ui):
    ui.open(OVERVIEW)
    ready(ui, "false")
    wait_map(ui)
    ids = ("indicator-dropdown", "county-dropdown", "region-dropdown")
    before = {**values(ui, ids), "level": ui.checked_level(), "year": ui.slider_value()}
    ui.el("#copy-page-link").click()
    ui.wait(lambda: ui.el("#copy-page-link").get_attribute("data-copied-url"), "nothing copied")
    copied = ui.el("#copy-page-link").get_attribute("data-copied-url")
    assert copied == ui.d.current_url and "kommune=4601" in copied and "ar=" in copied
    ui.d.get("about:blank")
    ui.d.get(copied)
    wait_map(ui)
    assert {**values(ui, ids), "level": ui.checked_level(), "year": ui.slider_value()} == before
