"""Callbacks of «Fylkesbildet» (pages/county.py). ``update_rug("46", "befolkning", "navn", [], [])`` etc."""
from __future__ import annotations

import math

from dash import Input, Output, State, callback, clientside_callback, html

import store
from callbacks import comparison as cmp
from callbacks._cache import CODE_VERSION, memoize
from callbacks.overview import plain
from components import compare, controls, htmlblock, present
from components.i18n import _

WALL_HEIGHT = 1080
WALL_CHROME = 240  # px: title, selection line, the two legend rows and source line in large-type mode


def wall_font_px(n_rows: int) -> float:
    """Font size that fits n_rows (+ a header of ~3 lines) of the matrix on a 1080 px high screen
    (row height ≈ 1.28 × font + 1 px border with the wall-mode padding)."""
    row_h = (WALL_HEIGHT - WALL_CHROME) / (n_rows + 3.6)
    return math.floor(max(10.0, min(28.0, (row_h - 1) / 1.28)) * 10) / 10


def rug_min_height(n_rows: int, large: bool) -> dict:
    """A style that reserves (a little less than) the matrix's height while its markup is on the way, so the
    source line and share toolbar below do not jump (layout shift): ~24 px per body row plus the caption and the
    two-line header; in large type the row height of wall_font_px."""
    row = (1.28 * wall_font_px(n_rows) + 1) if large else 24
    return {"minHeight": f"{int(0.95 * n_rows * row) + (60 if large else 150)}px"}


@memoize()
def _rug(fnr: str, area: str | None, sort: str, desc: bool, large: bool, version: str,
         code_version: str = CODE_VERSION) -> dict:
    view = store.county_view(fnr, area, sort, desc)  # the one store call (ranks/edges precomputed by the pipeline)
    cols, rows = cmp.rug_columns(view), cmp.rug_rows(view)
    base = {"fnr": fnr, "omrade": area or cmp.ALL}
    if large:
        base[present.PARAM] = "1"  # the sort links keep the presentation mode
    table = compare.rug_table(cols, rows, area=area, sort=sort, descending=desc, base_query=base)
    style = {"--rug-font": f"{wall_font_px(len(rows))}px"} if large else {}  # on the block's div
    sources = sorted({c["source"] for c in cols})
    licences = sorted({c["licence"] for c in cols})
    name = view.name
    return plain({"rug": htmlblock.markup(table), "rug_style": style, "wrap_style": rug_min_height(len(rows), large),
                  "title": _("Fylkesbildet: {county}").format(county=name),
                  "source": controls.source_line("; ".join(sources), ", ".join(licences), None,
                                                 extra=_("Siste år med data (til og med {year})").format(
                                                     year=store.reference_year())),
                  "legend": compare.legend()})


@callback(
    output=dict(rug=Output(htmlblock.store_id("county-rug-table"), "data"),
                rug_style=Output("county-rug-table", "style"), wrap_style=Output("county-rug", "style"),
                title=Output("county-title", "children"),
                source=Output("county-source", "children"), legend=Output("county-legend", "children"),
                page_class=Output("county-page", "className")),
    inputs=dict(fnr=Input("county-select", "value"), area=Input("county-area", "value"),
                sort=Input("county-sort", "value"), desc=Input("county-desc", "value"),
                large=Input("county-large", "data")),
)
def update_rug(fnr, area=None, sort=None, desc=None, large=None):
    """The county matrix (as pre-rendered HTML) for the selected county / service area / sort; large-type mode
    for wall screens."""
    is_large = isinstance(large, list) and "large" in large
    page_class = "page-county" + (" wall-mode" if is_large else "")
    code = cmp.valid_fnr(fnr)
    if code is None:
        return {"rug": htmlblock.markup(html.P(_("Velg et fylke."), className="lead mt-3")), "rug_style": {},
                "wrap_style": {},
                "title": _("Fylkesbildet"), "source": "",
                "legend": None, "page_class": page_class}
    sort = sort if isinstance(sort, str) else "knr"
    is_desc = isinstance(desc, list) and "desc" in desc
    out = _rug(code, cmp.valid_area(area), sort, is_desc, is_large, store.version(), CODE_VERSION)
    return {**out, "page_class": page_class}


clientside_callback(
    """
    function(fnr, area, sort, desc, large) {
        if (!fnr) { return window.dash_clientside.no_update; }
        var p = new URLSearchParams();
        p.set('fnr', String(fnr));
        if (area) { p.set('omrade', String(area)); }
        if (sort && sort !== 'knr') { p.set('sorter', String(sort)); }
        if (desc && desc.length) { p.set('rekkefolge', 'synkende'); }
        return window.oaUrl.write(p, '/fylke');  // ?lang= kept, ?presentasjon=1, address bar (assets/70-present.js)
    }
    """,
    Output("county-url-sync", "data"),
    Input("county-select", "value"),
    Input("county-area", "value"),
    Input("county-sort", "value"),
    Input("county-desc", "value"),
    Input("county-large", "data"),
)

# Large type follows the app-wide presentation mode (navbar toggle, ?presentasjon=1 or ?storskjerm=1;
# callbacks/present.py). The page's layout sets the first value from the URL.
clientside_callback(
    """
    function(on, current) {
        if (on === null || on === undefined) { return window.dash_clientside.no_update; }
        var want = on ? ['large'] : [];
        var have = (current && current.length) ? ['large'] : [];
        return want.length === have.length ? window.dash_clientside.no_update : want;
    }
    """,
    Output("county-large", "data"),
    Input("present-mode", "data"),
    State("county-large", "data"),
)


