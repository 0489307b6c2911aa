"""Callbacks of «Kart og trender» (pages/overview.py). Thin wiring: validate inputs, call store, call
components, return. Every function is a plain module-level function (the @callback decorator returns
it unchanged), so tests can call them directly, e.g. ``update_map("share_80plus", "kommune", "NO",
2024, None)``.

Inputs are never trusted: None, wrong types and unknown codes fall back to defaults (with a visible
note) or raise PreventUpdate; nothing here may raise to the user.
"""

from __future__ import annotations

import json
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, Patch, State, callback, clientside_callback, html, no_update
from dash.exceptions import PreventUpdate
from plotly.io.json import to_json_plotly

import store
from components.validate import as_year
from callbacks._cache import CODE_VERSION, memoize
from components import controls, export, mapfig, tables
from components import trend as trendfig
from components.controls import ALL_AREAS, LAZY_SUFFIX, WHOLE_COUNTRY
from components.urlstate import LEVEL_NAMES_NB, URL_LEVELS
from components.i18n import N_, _, current_lang, pick, picked_lang

NO_DATA = N_("Ingen data for dette valget")  # translated where shown: _(NO_DATA)


# --------------------------------------------------------------------------- input validation
def valid_indicator(value: Any) -> dict | None:
    """The catalogue row for a valid indicator id, else None."""
    if not isinstance(value, str) or controls.is_group_value(value):
        return None
    return store.indicator(value)


def valid_level(value: Any) -> str | None:
    """'fylke' / 'kommune', else None."""
    return value if isinstance(value, str) and value in URL_LEVELS else None


def valid_county(value: Any) -> tuple[str | None, bool]:
    """(county code or None for the whole country, ok). ok=False for garbage/unknown codes."""
    if value is None or value == "" or value == WHOLE_COUNTRY:
        return None, True
    if isinstance(value, str):
        reg = store.region(value)
        if reg and reg["level"] == "county":
            return value, True
    return None, False


def valid_municipality(value: Any, county: str | None = None) -> str | None:
    """A municipality code (inside ``county`` when given), else None."""
    if not isinstance(value, str):
        return None
    reg = store.region(value)
    if not reg or reg["level"] != "municipality":
        return None
    if county and reg["county_code"] != county:
        return None
    return value


def valid_year(value: Any, years: list[int]) -> int | None:
    """An int year that is in ``years`` (accepts 2024, 2024.0, "2024"), else None."""
    return as_year(value, years)


def level_for(ind: dict, level: str | None) -> str:
    """The URL level to show: the requested one if the indicator has data there, else one it has."""
    available = available_levels(ind["id"])
    if level in available:
        return level
    return available[0] if available else (level or "kommune")


def available_levels(indicator_id: str) -> list[str]:
    return [lvl for lvl in ("kommune", "fylke") if store.years(indicator_id, URL_LEVELS[lvl])]


def note(text: str, color: str = "warning"):
    return dbc.Alert(text, color=color, className="mb-2 py-2 small-note")


def _place_name(county: str | None) -> str:
    if not county:
        return _("hele landet")
    reg = store.region(county)
    return reg["name"] if reg else county


def _heading(ind: dict, level: str, county: str | None, year: int) -> str:
    what = _("fylker") if level == "fylke" else _("kommuner")
    where = "" if (not county or level == "fylke") else " " + _("i {place}").format(place=_place_name(county))
    return f"{pick(ind, 'name')} – {what}{where}, {year}"


# --------------------------------------------------------------------------- options
@callback(
    output=dict(options=Output("indicator-dropdown", "options"), value=Output("indicator-dropdown", "value")),
    inputs=dict(service_area=Input("service-area-dropdown", "value")),
    state=dict(indicator=State("indicator-dropdown", "value")),
    prevent_initial_call=True,
)
def update_indicator_options(service_area, indicator=None):
    """Service-area filter -> indicator options; keeps the current indicator when it is still listed."""
    area = service_area if isinstance(service_area, str) and service_area != ALL_AREAS else None
    if area is not None and area not in set(store.service_areas()["id"]):
        area = None
    cat = store.indicators_for(area, map_levels=True)
    names = {r["id"]: pick(r, "name") for r in store.service_areas().to_dict("records")}
    options = controls.indicator_options(cat, names, grouped=area is None)
    ids = list(cat.index)
    default = store.default_indicator()
    value = indicator if indicator in ids else (default if default in ids else (ids[0] if ids else None))
    return {"options": options, "value": value}


@callback(
    output=dict(options=Output("level-radio", "options"), value=Output("level-radio", "value")),
    inputs=dict(indicator=Input("indicator-dropdown", "value")),
    state=dict(level=State("level-radio", "value")),
    prevent_initial_call=True,
)
def update_level_options(indicator, level=None):
    """Disable levels without data for the indicator; move to one that has data."""
    ind = valid_indicator(indicator)
    if ind is None:
        raise PreventUpdate
    available = available_levels(ind["id"])
    new_level = level_for(ind, valid_level(level))
    return {"options": controls.level_options(available), "value": new_level if new_level != level else no_update}


@callback(
    output=dict(min=Output("year-slider", "min"), max=Output("year-slider", "max"),
                marks=Output("year-slider", "marks"), value=Output("year-slider", "value"),
                disabled=Output("year-slider", "disabled"), step=Output("year-slider", "step")),
    inputs=dict(indicator=Input("indicator-dropdown", "value"), level=Input("level-radio", "value")),
    state=dict(year=State("selected-year", "data")),
    prevent_initial_call=True,
)
def update_year_slider(indicator, level, year=None):
    """Slider over the years with data for indicator+level; keeps the year when available.
    (The slider's value goes through the clientside snap into the ``selected-year`` store.)"""
    ind = valid_indicator(indicator)
    if ind is None:
        return {"min": no_update, "max": no_update, "marks": no_update, "value": no_update, "disabled": True,
                "step": no_update}
    lvl = level_for(ind, valid_level(level))
    years = store.years(ind["id"], URL_LEVELS[lvl])
    if not years:
        return {"min": no_update, "max": no_update, "marks": no_update, "value": no_update, "disabled": True,
                "step": no_update}
    keep = valid_year(year, years)
    return {"min": years[0], "max": years[-1], "marks": controls.year_marks(years),
            "value": no_update if (keep is not None and keep == year) else years[-1],
            "disabled": len(years) < 2, "step": controls.year_step(years)}


@callback(
    # the list goes to the store beside the dropdown (callbacks/lazy_options.py puts it in on first use)
    output=dict(options=Output("region-dropdown" + LAZY_SUFFIX, "data"), value=Output("region-dropdown", "value")),
    inputs=dict(county=Input("county-dropdown", "value")),
    state=dict(region=State("region-dropdown", "value")),
    prevent_initial_call=True,
)
def update_region_options(county, region=None):
    """County filter -> municipality options; clears a selected municipality outside the county."""
    code, ok = valid_county(county)
    if not ok:
        raise PreventUpdate
    options = controls.municipality_options(store.municipalities(code))
    keep = valid_municipality(region, code)
    return {"options": options, "value": no_update if keep == region else keep}


@callback(
    output=dict(children=Output("indicator-definition", "children")),
    inputs=dict(indicator=Input("indicator-dropdown", "value")),
    prevent_initial_call=True,  # the page's layout has the first answer (initial_view)
)
def describe_indicator(indicator):
    ind = valid_indicator(indicator)
    if ind is None:
        return {"children": _("Velg en indikator.")}
    definition = pick(ind, "definition")
    if picked_lang(ind, "definition") != current_lang():
        definition = html.Span(definition, lang=picked_lang(ind, "definition"))
    return {"children": [html.Strong(pick(ind, "name")), ": ", definition,
                         " " + _("Enhet: {unit}.").format(unit=pick(ind, "unit") or ind["unit"])]}


# --------------------------------------------------------------------------- map click
@callback(
    output=dict(county=Output("county-dropdown", "value"), region=Output("region-dropdown", "value",
                                                                           allow_duplicate=True),
                # the list with the value: the dropdown may still have the chosen option only (its list is put in
                # on first use, callbacks/lazy_options.py) and dcc.Dropdown clears a value it has no option for
                options=Output("region-dropdown", "options", allow_duplicate=True)),
    inputs=dict(click_data=Input("map", "clickData")),
    state=dict(level=State("level-radio", "value"), county=State("county-dropdown", "value")),
    prevent_initial_call=True,
)
def select_from_map(click_data, level=None, county=None):
    """Map click -> selection. Municipality level: selects the municipality (trend chart).
    County level: sets the county (trend shows it; switch to «Kommune» to drill down)."""
    try:
        code = click_data["points"][0]["location"]
    except (TypeError, KeyError, IndexError):
        raise PreventUpdate from None
    if not isinstance(code, str):
        raise PreventUpdate
    reg = store.region(code)
    if reg is None:
        raise PreventUpdate
    if reg["level"] == "municipality":
        current, _ok = valid_county(county)
        moved = bool(current and reg["county_code"] != current)
        options = controls.municipality_options(store.municipalities(reg["county_code"] if moved else current))
        return {"county": reg["county_code"] if moved else no_update, "region": code, "options": options}
    if reg["level"] == "county":
        return {"county": code, "region": no_update, "options": no_update}
    raise PreventUpdate


# --------------------------------------------------------------------------- map
def _map_figure(indicator_id: str, data_level: str, county: str | None, year: int, selected: str | None,
                version: str, code_version: str = CODE_VERSION, lang: str | None = None) -> dict:
    """Full figure for a key (codes, values, texts; the shapes are fetched by the browser from
    ``geometry_url``)."""
    view = store.map_view(indicator_id, data_level, year, county if data_level == "municipality" else None)
    arrays = _map_arrays(view, selected)
    return mapfig.choropleth_figure(
        geometry_url(data_level), arrays,
        title=mapfig.figure_title(pick(view.indicator, "name"), view.year, _place_name(view.county)),
        unit=view.indicator["unit"], unit_label=pick(view.indicator, "unit"), crange=view.crange,
        uirevision=geo_key(indicator_id, data_level, view.county),
    )


def _map_arrays(view, selected: str | None) -> dict:
    """The map's arrays (codes, values, texts, hover, gaps) of a MapView in the UI language."""
    ind = view.indicator
    i = 1 if current_lang() == "en" else 0
    return mapfig.map_arrays(view.frame(), year=view.year, unit=ind["unit"], unit_label=pick(ind, "unit"),
                             decimals=int(ind["decimals"]), selected=selected, level=view.level,
                             gap_codes=list(view.gap_codes),
                             gap_reasons={code: reasons[i] for code, reasons in view.gap_reasons.items()})


GEO_ROUTE = "/geo/"


def geometry_url(data_level: str) -> str:
    """Where the browser fetches the whole-country shapes (app.py serves them; versioned so a new data
    build is never mixed with cached old shapes). A county view uses the same file: its locations pick
    the county's municipalities and ``fitbounds`` zooms to them."""
    path = f"{GEO_ROUTE}{store.GEOMETRY_FILES[data_level]}.json?v={store.version()}"
    try:
        return dash.get_relative_path(path)
    except Exception:  # no app (plain function calls in tests)
        return path


def geometry_for_url(url: str) -> dict | None:
    """The FeatureCollection behind a ``geometry_url`` (server-side image export inlines it)."""
    name = url.split(GEO_ROUTE, 1)[-1].split(".json", 1)[0] if GEO_ROUTE in url else ""
    lvl = next((k for k, v in store.GEOMETRY_FILES.items() if v == name), None)
    return store.geometry(lvl) if lvl else None


def geo_key(indicator_id: str, data_level: str, geo_county: str | None) -> str:
    """What the figure's geometry and locations depend on. Same key -> a Patch is enough."""
    return f"{indicator_id}|{data_level}|{geo_county or ''}|{store.version()}|{current_lang()}"


def _assign(patch: Patch, path: tuple, value) -> None:
    target = patch
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


@callback(
    output=dict(figure=Output("map", "figure"), geokey=Output("map-geokey", "data"),
                label=Output("map-container", "aria-label"), note=Output("map-note", "children")),
    inputs=dict(indicator=Input("indicator-dropdown", "value"), level=Input("level-radio", "value"),
                county=Input("county-dropdown", "value"), year=Input("selected-year", "data"),
                selected=Input("region-dropdown", "value")),
    state=dict(geokey=State("map-geokey", "data")),
    prevent_initial_call=True,  # the page's layout has the first answer (initial_view)
)
def update_map(indicator, level, county, year, geokey=None, selected=None):
    """Choropleth. Returns a full figure when the geometry key (indicator, level, county) changed, and a
    dash.Patch (z, text, hover, borders, colour range, title: no geometry) when only the year or the
    selected region changed."""
    ind = valid_indicator(indicator)
    if ind is None:
        msg = _(NO_DATA) + ". " + _("Velg en annen indikator eller et annet tjenesteområde.")
        return {"figure": mapfig.empty_figure(_(NO_DATA)), "geokey": None, "label": _("Kart: {text}").format(text=msg),
                "note": note(msg)}
    lvl = level_for(ind, valid_level(level))
    data_level = URL_LEVELS[lvl]
    county_code, ok = valid_county(county)
    geo_county = county_code if data_level == "municipality" else None
    asked = as_year(year)
    # the one store call: values, years, gaps and their reasons, colour range (store/views.py)
    view = store.map_view(ind["id"], data_level, asked, geo_county)
    if not view.years:
        msg = _("«{indicator}» har ikke data på {level}.").format(indicator=pick(ind, "name"),
                                                                  level=_(LEVEL_NAMES_NB[lvl]))
        return {"figure": mapfig.empty_figure(_(NO_DATA)), "geokey": None, "label": _("Kart: {text}").format(text=msg),
                "note": note(msg)}
    notes = []
    if not ok:
        notes.append(_("Ukjent fylke – viser hele landet."))
    y = view.year
    if year is not None and (asked is None or view.year_fallback):
        notes.append(_("«{indicator}» har ikke data for det valgte året – viser {year}.").format(
            indicator=pick(ind, "name"), year=y))
    sel = county_code if data_level == "county" else valid_municipality(selected, county_code)
    arrays = _map_arrays(view, sel)
    summary = mapfig.map_summary(pick(ind, "name"), y, _place_name(geo_county), arrays, ind["unit"],
                                 pick(ind, "unit"), int(ind["decimals"]))
    if arrays["n_values"] == 0:
        notes.append(_(NO_DATA) + ".")
    note_out = [note(n) for n in notes] if notes else None

    key = geo_key(ind["id"], data_level, geo_county)  # includes the language (the full figure has its texts)
    if geokey == key:
        patch = Patch()
        crange = view.crange
        title = mapfig.figure_title(pick(ind, "name"), y, _place_name(geo_county))
        for path, value in mapfig.patch_paths(arrays, title=title, crange=crange).items():
            _assign(patch, path, value)
        return {"figure": patch, "geokey": no_update, "label": summary, "note": note_out}
    figure = _map_figure(ind["id"], data_level, geo_county, y, sel, store.version(), CODE_VERSION, current_lang())
    return {"figure": figure, "geokey": key, "label": summary, "note": note_out}


# --------------------------------------------------------------------------- ranked table
def plain(component) -> Any:
    """A component tree as plain JSON data: cheap to cache (pickle) and to send (Dash serialises it as is)."""
    return json.loads(to_json_plotly(component))


@memoize()
def _rank_table_json(indicator_id: str, data_level: str, geo_county: str | None, year: int, selected: str | None,
                     version: str, code_version: str = CODE_VERSION):
    """The ranked table (cached: building ~360 rows of components costs ~30–90 ms, a cache hit ~1 ms)."""
    ind = store.indicator(indicator_id)
    frame = store.values(indicator_id, data_level, year, geo_county)
    return plain(tables.rank_table(
        frame, unit=ind["unit"], unit_label=pick(ind, "unit"), decimals=int(ind["decimals"]), level=data_level,
        year=year, indicator_name=pick(ind, "name"), selected=selected,
        show_county=(data_level == "municipality" and geo_county is None)))


@callback(
    output=dict(table=Output("rank-table", "children"), heading=Output("map-heading", "children"),
                source=Output("map-source", "children")),
    inputs=dict(indicator=Input("indicator-dropdown", "value"), level=Input("level-radio", "value"),
                county=Input("county-dropdown", "value"), year=Input("selected-year", "data"),
                selected=Input("region-dropdown", "value")),
    prevent_initial_call=True,  # the page's layout has the first answer (initial_view)
)
def update_rank_table(indicator, level, county, year, selected=None):
    """Ranked table of the regions on the map (the map's text alternative), heading and source line."""
    ind = valid_indicator(indicator)
    if ind is None:
        return {"table": tables.no_data(), "heading": _("Kart"), "source": ""}
    lvl = level_for(ind, valid_level(level))
    data_level = URL_LEVELS[lvl]
    years = store.years(ind["id"], data_level)
    if not years:
        return {"table": tables.no_data(), "heading": pick(ind, "name"),
                "source": controls.source_line(ind["source"], ind["licence"], ind["source_url"])}
    county_code, _ok = valid_county(county)
    y = valid_year(year, years) or years[-1]
    geo_county = county_code if data_level == "municipality" else None
    sel = county_code if data_level == "county" else valid_municipality(selected, county_code)
    table = _rank_table_json(ind["id"], data_level, geo_county, y, sel, store.version(), CODE_VERSION)
    return {"table": table, "heading": _heading(ind, lvl, county_code, y),
            "source": controls.source_line(ind["source"], ind["licence"], ind["source_url"])}


# --------------------------------------------------------------------------- trend
def trend_regions(county: str | None, municipality: str | None) -> list[str]:
    """Selected municipality (if any), its county (or the county filter), and the country."""
    codes = []
    if municipality:
        reg = store.region(municipality)
        codes += [municipality, reg["county_code"]]
    elif county:
        codes.append(county)
    codes.append("NO")
    return codes


@callback(
    output=dict(figure=Output("trend", "figure"), table=Output("trend-table", "children"),
                heading=Output("trend-heading", "children"), source=Output("trend-source", "children"),
                label=Output("trend-container", "aria-label"), note=Output("trend-note", "children")),
    inputs=dict(indicator=Input("indicator-dropdown", "value"), county=Input("county-dropdown", "value"),
                selected=Input("region-dropdown", "value"), year=Input("selected-year", "data")),
    prevent_initial_call=True,  # the page's layout has the first answer (initial_view)
)
def update_trend(indicator, county, selected=None, year=None):
    """Trend of the selected municipality vs its county and the country over all years (gaps stay gaps)."""
    ind = valid_indicator(indicator)
    if ind is None:
        return {"figure": mapfig.empty_figure(_(NO_DATA), height=380), "table": tables.no_data(),
                "heading": _("Utvikling over tid"), "source": "", "label": _("Linjediagram") + ": " + _(NO_DATA),
                "note": None}
    county_code, _ok = valid_county(county)
    muni = valid_municipality(selected)
    if muni and county_code and store.region(muni)["county_code"] != county_code:
        muni = None
    y = valid_year(year, store.years(ind["id"]))
    return _trend_parts(ind["id"], tuple(trend_regions(county_code, muni)), y, store.version(), CODE_VERSION)


@memoize()
def _trend_parts(indicator_id: str, codes: tuple, year: int | None, version: str,
                 code_version: str = CODE_VERSION) -> dict:
    """All trend outputs for a key, as plain JSON (cached)."""
    ind = store.indicator(indicator_id)
    codes = list(codes)
    series = store.series(indicator_id, codes)
    names = [store.region(c)["name"] for c in codes]
    heading = trend_heading(ind, names)
    unit, label, dec = ind["unit"], pick(ind, "unit"), int(ind["decimals"])
    figure = trendfig.trend_figure(series, title=heading, unit=unit, unit_label=label, decimals=dec, order=codes,
                                   year=year)
    table = tables.trend_table(series, unit=unit, unit_label=label, decimals=dec, indicator_name=pick(ind, "name"),
                               order=codes)
    missing = [store.region(c)["name"] for c in codes
               if series[(series["region_code"] == c)]["value"].notna().sum() == 0]
    trend_note = None
    if missing and len(missing) < len(codes):
        trend_note = note(_("Ingen data for {regions} for denne indikatoren.").format(regions=", ".join(missing)),
                          color="info")
    elif missing:
        trend_note = note(_(NO_DATA) + ".")
    return plain({"figure": figure, "table": table, "heading": heading,
                  "source": controls.source_line(ind["source"], ind["licence"], ind["source_url"]),
                  "label": trendfig.trend_summary(series, indicator_name=pick(ind, "name"), unit=unit, unit_label=label,
                                                  decimals=dec, order=codes),
                  "note": trend_note})


def trend_heading(ind: dict, names: list[str]) -> str:
    """«Andel 80 år og over: Bergen – Vestland og landet» / «…: hele landet»."""
    if len(names) > 1:
        return f"{pick(ind, 'name')}: " + _("{regions} og landet").format(regions=" – ".join(names[:-1]))
    return f"{pick(ind, 'name')}: " + _("hele landet")


# --------------------------------------------------------------------------- first view (in the layout)
def initial_view(indicator, level, county, year, selected) -> dict:
    """Every start-up output of the page for the values its controls start with, so pages/overview.py puts
    them in the layout itself: the map, the ranked table, the trend and the definition arrive with the page
    (no callback round trips before content shows, each chart drawn once instead of a placeholder first).
    The four callbacks above therefore skip their initial call and answer only to changes. Keys: the
    callbacks' output names, prefixed by what they belong to."""
    out = {"definition": describe_indicator(indicator)["children"]}
    out.update({f"map_{k}": v for k, v in update_map(indicator=indicator, level=level, county=county, year=year,
                                                     geokey=None, selected=selected).items()})
    out.update({f"rank_{k}": v for k, v in update_rank_table(indicator=indicator, level=level, county=county,
                                                             year=year, selected=selected).items()})
    out.update({f"trend_{k}": v for k, v in update_trend(indicator=indicator, county=county, selected=selected,
                                                         year=year).items()})
    return out


# --------------------------------------------------------------------------- tables behind the charts
# The data files of the map and the trend (CSV, Excel via the share toolbar's «Last ned», callbacks/charts.py
# and callbacks/exports.py). Every input is validated as in the chart callbacks above, so a file holds
# exactly what the chart shows; the permalink is set by charts.build.
def _export_view(indicator, level, county, year, selected):
    """(indicator row, data level, county code, year, municipality) or None when there is nothing to export."""
    ind = valid_indicator(indicator)
    if ind is None:
        return None
    lvl = level_for(ind, valid_level(level))
    data_level = URL_LEVELS[lvl]
    years = store.years(ind["id"], data_level)
    if not years:
        return None
    county_code, _ok = valid_county(county)
    return ind, data_level, county_code, valid_year(year, years) or years[-1], valid_municipality(selected,
                                                                                                  county_code)


def map_export(indicator, level, county, year, selected=None) -> export.ExportTable | None:
    """The ranked table behind the map, as the map shows it (all regions on screen, ranked)."""
    view = _export_view(indicator, level, county, year, selected)
    if view is None:
        return None
    ind, data_level, county_code, y, _muni = view
    geo_county = county_code if data_level == "municipality" else None
    frame = store.values(ind["id"], data_level, y, geo_county)
    return export.rank_export(frame, ind=ind, level=data_level, year=y, place=_place_name(geo_county),
                              show_county=(data_level == "municipality" and geo_county is None),
                              date=export.today_oslo())


def trend_export(indicator, level, county, year, selected=None) -> export.ExportTable | None:
    """The table behind the trend chart: the selected municipality, its county and the country by year."""
    view = _export_view(indicator, level, county, year, selected)
    if view is None:
        return None
    ind, _data_level, county_code, _y, muni = view
    codes = trend_regions(county_code, muni)
    series = store.series(ind["id"], codes)
    title = trend_heading(ind, [store.region(c)["name"] for c in codes])
    return export.trend_export(series, ind=ind, codes=codes, title=title, date=export.today_oslo())


# --------------------------------------------------------------------------- year snapping (browser side)
# The slider's marks are exactly the years with data. With gaps in the years the slider has step=None:
# the pointer snaps to marks, but keyboard steps are fractional (2025.8). This moves such a value to
# the next year with data in the direction of travel and writes the result to the ``selected-year``
# store, which is what the map, table, trend and URL listen to (so they never see fractional years).
SNAP_YEAR_JS = """
function(value, marks, previous) {
    var nu = window.dash_clientside.no_update;
    var years = Object.keys(marks || {}).map(Number).filter(function(y) { return !isNaN(y); })
        .sort(function(a, b) { return a - b; });
    if (value === null || value === undefined || isNaN(Number(value)) || years.length === 0) { return [nu, nu]; }
    var v = Number(value), y = null, i;
    if (years.indexOf(v) >= 0) {
        y = v;
    } else if (previous !== null && previous !== undefined && v < previous) {
        for (i = years.length - 1; i >= 0; i--) { if (years[i] < previous) { y = years[i]; break; } }
        if (y === null) { y = years[0]; }
    } else if (previous !== null && previous !== undefined && v > previous) {
        for (i = 0; i < years.length; i++) { if (years[i] > previous) { y = years[i]; break; } }
        if (y === null) { y = years[years.length - 1]; }
    } else {
        y = years.reduce(function(best, c) { return Math.abs(c - v) < Math.abs(best - v) ? c : best; }, years[0]);
    }
    return [y === previous ? nu : y, y === v ? nu : y];
}
"""

clientside_callback(
    SNAP_YEAR_JS,
    Output("selected-year", "data"),
    Output("year-slider", "value", allow_duplicate=True),
    Input("year-slider", "value"),
    State("year-slider", "marks"),
    State("selected-year", "data"),
    prevent_initial_call=True,
)


# --------------------------------------------------------------------------- URL sync (browser side)
# Writes the view into the address bar with history.replaceState: no navigation, no popstate, so the
# pages router (dcc.Location) does not re-render the page. Same parameter order as urlstate.to_query.
URL_SYNC_JS = """
function(indicator, level, county, region, year) {
    if (!indicator || typeof indicator !== 'string' || indicator.indexOf('__gruppe__') === 0) {
        return window.dash_clientside.no_update;
    }
    var p = new URLSearchParams();
    p.set('indikator', indicator);
    p.set('niva', level === 'fylke' ? 'fylke' : 'kommune');
    if (county && county !== 'NO') { p.set('fylke', String(county)); }
    if (region) { p.set('kommune', String(region)); }
    if (year !== null && year !== undefined && year !== '') { p.set('ar', String(year)); }
    return window.oaUrl.write(p);  // ?lang= kept, ?presentasjon=1, address bar (assets/70-present.js)
}
"""

clientside_callback(
    URL_SYNC_JS,
    Output("url-sync", "data"),
    Input("indicator-dropdown", "value"),
    Input("level-radio", "value"),
    Input("county-dropdown", "value"),
    Input("region-dropdown", "value"),
    Input("selected-year", "data"),
)
