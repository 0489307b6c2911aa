"""Every main page fits a laptop (1366×768) and a wall screen (1920×1080) in headless Chromium (issue 14):

- no horizontal overflow of the page: ``document.documentElement.scrollWidth <= innerWidth`` (a table or a
  chart wider than the window must scroll inside its own box, not the page);
- no overlapping controls: the bounding boxes of the visible interactive elements and labels in the menu
  bar, the filter panels and the share toolbars (links, buttons, inputs, dropdowns, summaries, labels,
  legends, slider handles and year marks) do not intersect, except a label and the control it names or an
  element inside another;
- a table wider than its box scrolls inside a keyboard-focusable, labelled region (axe's
  scrollable-region-focusable) and keeps its first column in view (position: sticky).
"""
from __future__ import annotations

import time

import pytest

pytestmark = pytest.mark.browser

SIZES = ((1366, 768), (1920, 1080))

# page -> CSS selectors that are all present once the page has drawn its data
PAGES = {
    "/": ("#map path.choroplethlocation", "#rank-table tbody tr", "#trend g.scatterlayer g.trace"),
    "/kommune?knr=4601": ("#profile-table-table tbody tr", "#profile-trend g.scatterlayer g.trace"),
    "/fylke?fnr=46": ("#rug-table tbody tr",),
    "/befolkning": ("#groups-graph g.scatterlayer g.trace", "#pop-compare table"),
    "/personell": ("section.pers-panel .main-svg",),
    "/tiltak": ("#grant-graph .main-svg", "#measures-table table"),
    "/om-dataene": ("#catalog-table table",),
}

# a chart in a Deferred box (components/deferred.py) is drawn when it comes into view: the box a user scrolls to
# before its selector can match
BOXES = {"#map": "#map-container", "#trend": "#trend-container", "#profile-trend": "#profile-trend-container",
         "#groups-graph": "#groups-container", "section.pers-panel": "section.pers-panel [role=figure]"}

CONTROL_AREAS = ".app-navbar, .oa-controls, .controls, .oa-share"
CONTROLS = ("a[href], button, input, select, textarea, summary, label, legend, [role=slider], .dash-dropdown, "
            ".dash-slider-mark, .form-text")

LAYOUT_JS = """
var AREAS = arguments[0], ITEMS = arguments[1];
function box(e) {
  var r = e.getBoundingClientRect(), cs = getComputedStyle(e);
  if (r.width < 3 || r.height < 3 || cs.visibility === 'hidden' || cs.display === 'none' || +cs.opacity === 0) { return null; }
  if (e.closest('.visually-hidden, .visually-hidden-focusable, [hidden], [aria-hidden="true"]')) { return null; }
  var d = e.closest('details');
  if (d && !d.open && !(e.tagName === 'SUMMARY' && e.parentElement === d)) { return null; }
  return r;
}
function desc(e) {
  return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' «' + (e.textContent || e.value || '').replace(/\\s+/g, ' ')
    .trim().slice(0, 30) + '»';
}
var items = [], seen = new Set();
document.querySelectorAll(AREAS).forEach(function (area) {
  area.querySelectorAll(ITEMS).forEach(function (e) {
    if (seen.has(e)) { return; }
    seen.add(e);
    var r = box(e);
    if (r) { items.push({e: e, r: r}); }
  });
});
var overlaps = [];
for (var i = 0; i < items.length; i++) {
  for (var j = i + 1; j < items.length; j++) {
    var a = items[i], b = items[j];
    if (a.e.contains(b.e) || b.e.contains(a.e)) { continue; }
    if ((a.e.tagName === 'LABEL' && a.e.control === b.e) || (b.e.tagName === 'LABEL' && b.e.control === a.e)) { continue; }
    var w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
    var h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
    if (w > 1 && h > 1) { overlaps.push(desc(a.e) + ' × ' + desc(b.e) + ' (' + Math.round(w) + '×' + Math.round(h) + ' px)'); }
  }
}
// tables wider than their box: a focusable, labelled scroll region with a sticky first column
var tables = [];
document.querySelectorAll('#main table').forEach(function (t) {
  if (!box(t)) { return; }
  var p = t.parentElement;
  while (p && p !== document.body && !/(auto|scroll)/.test(getComputedStyle(p).overflowX)) { p = p.parentElement; }
  var region = p && p !== document.body ? p : null;
  var holder = region || t.parentElement;
  if (t.getBoundingClientRect().width <= holder.getBoundingClientRect().width + 1) { return; }
  var first = t.querySelector('tbody tr > :first-child');
  tables.push({table: t.id || desc(t), scrolls: !!region,
               focusable: !!region && region.tabIndex >= 0,
               named: !!region && !!(region.getAttribute('aria-label') || region.getAttribute('aria-labelledby')),
               sticky: !!first && getComputedStyle(first).position === 'sticky'});
});
return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
        innerHeight: window.innerHeight, controls: items.length, overlaps: overlaps, wide: tables};
"""


def _settle(ui, path: str) -> None:
    ui.open(path)
    for css in PAGES[path]:  # in reading order: a chart higher up is seen (and drawn) before the next one
        box = BOXES.get(css.split()[0])
        ui.wait(lambda: (ui.reveal(box) if box else True) and ui.els(css), f"{path} never drew {css}")
    ui.wait(lambda: ui.js("return !document.querySelector('[data-dash-is-loading=\"true\"]');"),
            f"{path} never settled")
    time.sleep(0.8)  # fonts, plotly's relayout after the data


@pytest.mark.parametrize("path", list(PAGES))
def test_page_fits_the_window_without_overlapping_controls(ui, path):
    problems = []
    for width, height in SIZES:
        ui.d.set_window_size(width, height)
        _settle(ui, path)
        r = ui.js(LAYOUT_JS, CONTROL_AREAS, CONTROLS)
        where = f"{path} at {width}×{height}"
        assert r["innerWidth"] == width, f"{where}: the window is {r['innerWidth']} px wide, not {width}"
        assert r["controls"] >= 5, f"{where}: found only {r['controls']} controls (the selectors are stale)"
        if r["scrollWidth"] > r["innerWidth"]:
            problems.append(f"{where}: the page scrolls sideways ({r['scrollWidth']} px > {r['innerWidth']} px)")
        problems += [f"{where}: overlapping {o}" for o in r["overlaps"]]
        for t in r["wide"]:
            missing = [k for k in ("scrolls", "focusable", "named", "sticky") if not t[k]]
            if missing:
                problems.append(f"{where}: wide table {t['table']} is not {', '.join(missing)}")
    assert not problems, "\n".join(problems)
    assert not ui.app_error_shown()
