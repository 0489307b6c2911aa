"""Sharing on «Kart og trender»: data downloads (CSV, Excel) of the map's ranked table and of the trend,
the permalink ("Kopier lenke") and the embed dialog ("Bygg inn").

The download callbacks are plain functions (tests call them directly); they validate every input the
same way as the chart callbacks in callbacks/overview.py, so the file always holds exactly the data
the chart shows. The bytes come from components.export.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from dash import Input, Output, State, callback, clientside_callback, dcc
from dash.exceptions import PreventUpdate

import store
from callbacks import overview as ov
from components import export
from components.urlstate import URL_LEVELS, ViewState, to_query

_MAX_URL = 2000


# --------------------------------------------------------------------------- what to export
def _view(indicator, level, county, year, selected) -> tuple[dict, ViewState, str, str | None, int]:
    """Validated (indicator row, view, data level, county code, year); PreventUpdate when nothing to export."""
    ind = ov.valid_indicator(indicator)
    if ind is None:
        raise PreventUpdate
    lvl = ov.level_for(ind, ov.valid_level(level))
    data_level = URL_LEVELS[lvl]
    years = store.years(ind["id"], data_level)
    if not years:
        raise PreventUpdate
    county_code, _ok = ov.valid_county(county)
    y = ov.valid_year(year, years) or years[-1]
    muni = ov.valid_municipality(selected, county_code)
    return ind, ViewState(ind["id"], lvl, county_code, muni, y), data_level, county_code, y


def permalink(view: ViewState, page_url: Any = None) -> str:
    """Full URL of the view: scheme, host and path from the browser's address (when it is a sane http(s)
    URL), else from the request; the query string is always rebuilt from the validated view."""
    query = to_query(view)
    if isinstance(page_url, str) and len(page_url) <= _MAX_URL and page_url.isprintable():
        parts = urlsplit(page_url)
        if parts.scheme in ("http", "https") and parts.netloc:
            return f"{parts.scheme}://{parts.netloc}{parts.path or '/'}{query}"
    try:
        from flask import has_request_context, request
        if has_request_context():
            return request.host_url.rstrip("/") + "/" + query
    except Exception:  # pragma: no cover
        pass
    return "/" + query


def map_export(indicator, level, county, year, selected=None, page_url=None) -> export.ExportTable:
    """The ranked table behind the map, as the map shows it (all regions on screen, ranked)."""
    ind, view, data_level, county_code, y = _view(indicator, level, county, year, selected)
    geo_county = county_code if data_level == "municipality" else None
    frame = store.values(ind["id"], data_level, y, geo_county)
    return export.rank_export(frame, ind=ind, level=data_level, year=y, place=ov._place_name(geo_county),
                              show_county=(data_level == "municipality" and geo_county is None),
                              date=export.today_oslo(), permalink=permalink(view, page_url))


def trend_export(indicator, level, county, year, selected=None, page_url=None) -> export.ExportTable:
    """The table behind the trend chart: the selected municipality, its county and the country by year."""
    ind, view, _data_level, county_code, _y = _view(indicator, level, county, year, selected)
    codes = ov.trend_regions(county_code, view.municipality)
    series = store.series(ind["id"], codes)
    names = [store.region(c)["name"] for c in codes]
    title = ov.trend_heading(ind, names)
    return export.trend_export(series, ind=ind, codes=codes, title=title, date=export.today_oslo(),
                               permalink=permalink(view, page_url))


def _file(table: export.ExportTable, fmt: str, kind: str, indicator: str, view_parts: list) -> dict:
    if fmt == "xlsx":
        return dcc.send_bytes(export.to_xlsx(table), export.filename(kind, indicator, *view_parts, ext="xlsx"),
                              type=export.XLSX_MIME)
    return dcc.send_bytes(export.to_csv(table), export.filename(kind, indicator, *view_parts, ext="csv"),
                          type=export.CSV_MIME + ";charset=utf-8")


def _map_file(fmt, indicator, level, county, year, selected, page_url):
    table = map_export(indicator, level, county, year, selected, page_url)
    _ind, view, *_rest = _view(indicator, level, county, year, selected)
    return _file(table, fmt, "kart", view.indicator, [view.level, view.county, view.year])


def _trend_file(fmt, indicator, level, county, year, selected, page_url):
    table = trend_export(indicator, level, county, year, selected, page_url)
    _ind, view, *_rest = _view(indicator, level, county, year, selected)
    return _file(table, fmt, "utvikling", view.indicator, [view.municipality or view.county or "landet"])


_STATE = dict(indicator=State("indicator-dropdown", "value"), level=State("level-radio", "value"),
              county=State("county-dropdown", "value"), year=State("selected-year", "data"),
              selected=State("region-dropdown", "value"), page_url=State("share-permalink", "value"))


@callback(Output("map-download-csv", "data"), inputs=dict(n_clicks=Input("map-csv-button", "n_clicks")),
          state=_STATE, prevent_initial_call=True)
def download_map_csv(n_clicks, indicator, level, county, year, selected=None, page_url=None):
    """«Last ned CSV» under the map: the ranked table (semicolons, decimal comma, UTF-8 with BOM)."""
    if not n_clicks:
        raise PreventUpdate
    return _map_file("csv", indicator, level, county, year, selected, page_url)


@callback(Output("map-download-xlsx", "data"), inputs=dict(n_clicks=Input("map-xlsx-button", "n_clicks")),
          state=_STATE, prevent_initial_call=True)
def download_map_xlsx(n_clicks, indicator, level, county, year, selected=None, page_url=None):
    """«Last ned Excel» under the map: the ranked table as .xlsx with a units row and a «Kilde» sheet."""
    if not n_clicks:
        raise PreventUpdate
    return _map_file("xlsx", indicator, level, county, year, selected, page_url)


@callback(Output("trend-download-csv", "data"), inputs=dict(n_clicks=Input("trend-csv-button", "n_clicks")),
          state=_STATE, prevent_initial_call=True)
def download_trend_csv(n_clicks, indicator, level, county, year, selected=None, page_url=None):
    """«Last ned CSV» under the trend: one column per line of the chart."""
    if not n_clicks:
        raise PreventUpdate
    return _trend_file("csv", indicator, level, county, year, selected, page_url)


@callback(Output("trend-download-xlsx", "data"), inputs=dict(n_clicks=Input("trend-xlsx-button", "n_clicks")),
          state=_STATE, prevent_initial_call=True)
def download_trend_xlsx(n_clicks, indicator, level, county, year, selected=None, page_url=None):
    """«Last ned Excel» under the trend."""
    if not n_clicks:
        raise PreventUpdate
    return _trend_file("xlsx", indicator, level, county, year, selected, page_url)


# --------------------------------------------------------------------------- permalink + embed (browser side)
# Runs after the URL sync (callbacks/overview.py URL_SYNC_JS) has written the view into the address bar:
# the permalink is the page's full URL; the embed snippets point at /embed/kart and /embed/utvikling
# next to the page (same origin, same path prefix), with the same parameters.
SHARE_JS = """
function(qs, mapHeading, trendHeading, texts) {
    var loc = window.location;
    texts = texts || {};
    var search = (typeof qs === 'string' && qs) ? qs : loc.search;
    var page = loc.origin + loc.pathname + search;
    var p = new URLSearchParams(search);
    var base = loc.origin + loc.pathname.replace(/\\/+$/, '') + '/embed/';
    function esc(s) {
        return String(s || '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
            .replace(/"/g, '&quot;');
    }
    function params(keys) {
        var q = new URLSearchParams();
        keys.forEach(function(k) { if (p.get(k)) { q.set(k, p.get(k)); } });
        return q.toString();
    }
    function snippet(chart, keys, title) {
        return '<iframe src="' + esc(base + chart + '?' + params(keys)) + '" width="100%" height="520" title="'
            + esc(title) + '" loading="lazy"></iframe>';
    }
    var trendKeys = p.get('kommune') ? ['indikator', 'kommune', 'lang'] : ['indikator', 'fylke', 'lang'];
    var text = function(h, fallback) { return (typeof h === 'string' && h) ? h : fallback; };
    return [page,
            snippet('kart', ['indikator', 'niva', 'fylke', 'ar', 'lang'],
                    (texts.map || 'Kart') + ': ' + text(mapHeading, 'Omsorgsatlas')),
            snippet('utvikling', trendKeys, (texts.trend || 'Utvikling') + ': ' + text(trendHeading, 'Omsorgsatlas'))];
}
"""

clientside_callback(
    SHARE_JS,
    Output("share-permalink", "value"),
    Output("embed-map-snippet", "value"),
    Output("embed-trend-snippet", "value"),
    Input("url-sync", "data"),
    Input("map-heading", "children"),
    Input("trend-heading", "children"),
    State("share-texts", "data"),  # the iframe title prefixes in the UI language (pages/overview.py)
)

clientside_callback(
    "function(n, isOpen) { return n ? !isOpen : isOpen; }",
    Output("embed-modal", "is_open"),
    Input("embed-open-button", "n_clicks"),
    State("embed-modal", "is_open"),
    prevent_initial_call=True,
)

clientside_callback(
    "function(n) { return false; }",
    Output("embed-modal", "is_open", allow_duplicate=True),
    Input("embed-close-button", "n_clicks"),
    prevent_initial_call=True,
)
