"""Callbacks of «Personell og kompetanse» (pages/personnel.py). Thin: validate, ask store.personnel, build with
components.personnel. Plain module-level functions, so tests call them directly, e.g.
``update_time_panel("hjemmetjenester", 2016, "line", "kl_arsverk_tjenesteomrade")``.

Inputs are never trusted: unknown areas/years/series fall back to defaults; nothing here raises to the user.
"""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import json

import pandas as pd

from dash import ALL, MATCH, Input, Output, State, callback, clientside_callback, html

import store
from callbacks._cache import CODE_VERSION, memoize
from components.firstview import id_key
from components.validate import as_year
from components import personnel as pc
from components.htmlblock import compact, static_html
from components.mapfig import empty_figure
from components.tables import html_table, no_data
from store import personnel as sp
from components.i18n import N_, _, ngettext, pick

LEVEL = "country"  # document figures are national; see pc.MUNICIPALITY_NOTE
# store.personnel.AREA_KIND_NB, marked for translation here (the store has no translations)
AREA_KINDS = {"county_2016": N_("fylker i 2016"), "statsforvalter_2021": N_("statsforvalterområder i 2021")}


# --------------------------------------------------------------------------- validation
def valid_area(value: Any) -> str | None:
    if not isinstance(value, str) or value == pc.ALL_AREAS:
        return None
    return value if value in set(store.service_areas()["id"]) else None


def valid_year(value: Any) -> int | None:
    return as_year(value)


def valid_series(value: Any) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        sp.series_parts(value)
    except store.QueryError:
        return None
    return value


def _note(text: str, color: str = "info"):
    return dbc.Alert(text, color=color, className="mb-2 py-2 small-note")


def _area_name(area: str | None) -> str:
    if not area:
        return ""
    areas = store.service_areas()
    hit = areas[areas["id"] == area]
    return pick(hit.iloc[0], "name") if len(hit) else area


def _in_area(ids, area: str | None) -> bool:
    if not area:
        return True
    return any(area in (store.indicator(i) or {}).get("service_areas", []) for i in ids)


def _hidden(title: str, area: str | None) -> dict:
    msg = _("Ingen tall for tjenesteområdet «{area}» i denne visningen.").format(area=_area_name(area))
    return {"figure": empty_figure(msg, height=200), "table": no_data(msg), "source": "", "note": None,
            "notes": None, "label": _("Diagram") + f": {title}. {msg}", "hidden": True}


def _provenance(ids: list[str], level: str = LEVEL) -> tuple[list, Any]:
    return (pc.source_block(pc.source_lines(sp.source_groups(ids)), sp.licences(ids), level), pc.notes_block(sp.notes_for(ids)))


# --------------------------------------------------------------------------- panels
def _unknown_series(msg: str) -> dict:
    return {"figure": empty_figure(msg, height=200), "table": no_data(msg), "source": "", "note": _note(msg),
            "notes": None, "label": _("Diagram") + f": {msg}", "hidden": False}


def _series_context(series: Any, area: str | None, unknown_msg: str):
    """(panel dict to return at once, None) for an unknown or hidden series, else (None, context).

    The context holds the series id, its parts (catalogue rows), its breakdown row, name and indicator ids."""
    s = valid_series(series)
    if s is None:
        return _unknown_series(unknown_msg), None
    parts = sp.series_parts(s)
    b = sp.breakdowns()
    row = b[b["series"] == s]
    name = _series_name(s, parts, str(row["name"].iloc[0]) if len(row) else s)
    ids = list(parts["id"])
    if not _in_area(ids, area):
        return _hidden(name, area), None
    return None, (s, parts, row, name, ids)


def _series_name(series: str, parts, fallback: str) -> str:
    """The breakdown's name from the catalogue (series_name_en in English when the catalogue has it)."""
    for i in parts["id"]:
        ind = store.indicator(i)
        if ind and pick(ind, "series_name"):
            return pick(ind, "series_name")
    return fallback


def _dimension(row) -> str:
    dim = pc.dimension_name(str(row["dimension"].iloc[0])) if len(row) else _("gruppe")
    return dim[:1].upper() + dim[1:]


def time_panel(series: str | None, area: str | None, year: int | None, mode: str) -> dict:
    """Everything one breakdown-over-time panel shows (plain function, called by the callback)."""
    early, ctx = _series_context(series, area, _("Ukjent fordeling – velg en annen."))
    if early is not None:
        return early
    s, parts, row, name, ids = ctx
    unit = str(parts["unit"].iloc[0])
    unit_label = pick(parts.iloc[0], "unit")
    decimals = int(parts["decimals"].max())
    values = sp.breakdown_values(s)
    mode = mode if mode in ("stack", "line") else "stack"
    if unit in ("percent",) and mode == "stack":
        mode = "line"  # shares of different groups do not add up
    title = f"{name} – {pc.level_name(LEVEL)}"
    fig = pc.time_figure(values, title=title, mode=mode, unit=unit, unit_label=unit_label, decimals=decimals,
                         year=year)
    table = pc.wide_table(values, caption=f"{name}, {pc.level_name(LEVEL)}", unit=unit, unit_label=unit_label,
                          decimals=decimals, label_header=_dimension(row))
    source, notes = _provenance(ids + ([str(row["total_id"].iloc[0])] if len(row) and row["total_id"].iloc[0] else []))
    note = None
    if year is not None and not values.empty and year not in set(values["year"]):
        ys = sorted(set(values["year"]))
        note = _note(_("Ingen tall for {year} i denne fordelingen – den har tall for {years}.").format(
            year=year, years=", ".join(str(y) for y in ys)))
    return {"figure": fig, "table": table, "source": source, "note": note, "notes": notes,
            "label": pc.summary(values, name=name, level=LEVEL, unit=unit, unit_label=unit_label,
                                decimals=decimals, kind=_("Søylediagram") if mode == "stack" else _("Linjediagram")),
            "hidden": False}


def bar_panel(series: str | None, area: str | None, year: int | None) -> dict:
    """A breakdown for one year as horizontal bars (the selected year, else the latest before it)."""
    early, ctx = _series_context(series, area, _("Ukjent fordeling."))
    if early is not None:
        return early
    s, parts, row, name, ids = ctx
    unit, unit_label, decimals = str(parts["unit"].iloc[0]), pick(parts.iloc[0], "unit"), int(parts["decimals"].max())
    values = sp.breakdown_values(s)
    years = sorted(set(values["year"])) if not values.empty else []
    note = None
    shown_year = None
    if years:
        if year in years:
            shown_year = year
        else:
            before = [y for y in years if year is not None and y <= year]
            shown_year = before[-1] if before else years[-1]
            if year is not None:
                note = _note(_("Ingen tall for {year} – viser {shown}.").format(year=year, shown=shown_year))
    one = values[values["year"] == shown_year] if shown_year is not None else values.iloc[0:0]
    title = f"{name}, {shown_year} – {pc.level_name(LEVEL)}" if shown_year else name
    fig = pc.bar_figure(one, title=title, unit=unit, unit_label=unit_label, decimals=decimals)
    table = pc.wide_table(values, caption=f"{name}, {pc.level_name(LEVEL)}", unit=unit, unit_label=unit_label,
                          decimals=decimals, label_header=_dimension(row))
    total = str(row["total_id"].iloc[0]) if len(row) else ""
    source, notes = _provenance(ids + ([total] if total else []))
    if total and shown_year is not None:
        tv = sp.latest_value(total, shown_year)
        ind = store.indicator(total)
        if tv and tv[0] == shown_year and ind:
            source = source + [" · " + _("Alle: {value}").format(
                value=pc.fmt(tv[1], ind['unit'], int(ind['decimals']), pick(ind, "unit")))]
    label = pc.summary(one, name=name, level=LEVEL, unit=unit, unit_label=unit_label, decimals=decimals,
                       kind=_("Søylediagram"))
    return {"figure": fig, "table": table, "source": source, "note": note, "notes": notes, "label": label,
            "hidden": False}


def indicator_panel(indicator_ids, area: str | None, year: int | None, title: str = "") -> dict:
    """Standalone indicators as lines over time (e.g. the same figure from two documents)."""
    ids = [i for i in (indicator_ids or []) if isinstance(i, str) and store.indicator(i)]
    if not ids:
        return {"figure": empty_figure(height=200), "table": no_data(), "source": "", "note": None, "notes": None,
                "label": _("Diagram") + f": {title}. " + _("Ingen data."), "hidden": False}
    if not _in_area(ids, area):
        return _hidden(title, area)
    first = store.indicator(ids[0])
    if len(store.years(ids[0], "country")) < 2 and store.years(ids[0], "county"):
        return county_panel(ids, title)  # no national series to draw: the counties of the latest year
    same_unit = [i for i in ids if store.indicator(i)["unit"] == first["unit"]]
    values = sp.indicator_values(same_unit)
    # label each line with its name and, when names repeat, with the document it comes from
    names = {i: pick(store.indicator(i), "name") for i in same_unit}
    if len(set(names.values())) < len(names):
        names = {i: f"{n} ({store.indicator(i).get('document') or ('SSB' if store.indicator(i).get('origin') == 'ssb' else 'Omsorgsatlas')})" for i, n in names.items()}
    values = values.assign(label=values["indicator_id"].map(names))
    unit, unit_label, decimals = first["unit"], pick(first, "unit"), int(first["decimals"])
    fig = pc.time_figure(values, title=f"{title} – {pc.level_name(LEVEL)}", mode="line", unit=unit,
                         unit_label=unit_label, decimals=decimals, label_col="label", year=year)
    table = pc.wide_table(values, caption=f"{title}, {pc.level_name(LEVEL)}", unit=unit, unit_label=unit_label,
                          decimals=decimals, label_col="label", label_header=_("Indikator"))
    source, notes = _provenance(same_unit)
    areas_note = None
    area_ids = [i for i in same_unit if (store.indicator(i) or {}).get("area_kind")]
    if area_ids:
        tables = []
        for i in area_ids:
            ind = store.indicator(i)
            frame = sp.area_table([i])
            if frame.empty:
                continue
            kind = _(AREA_KINDS.get(str(frame["area_kind"].iloc[0]), ""))
            tables.append(pc.area_rows_table(
                frame, [(i, f"{pick(ind, 'name')} ({', '.join(sorted({str(y) for y in frame['year']}))})",
                         ind["unit"], int(ind["decimals"]), pick(ind, "unit"))],
                caption=_("{indicator}: tall for {kind} som dokumentet oppgir (områdene fra det året)").format(
                    indicator=pick(ind, "name"), kind=kind)))
        if tables:
            areas_note = tables
    label = pc.summary(values, name=title, level=LEVEL, unit=unit, unit_label=unit_label, decimals=decimals,
                       label_col="label", kind=_("Linjediagram"))
    county_ids = [i for i in ids if store.years(i, "county")]
    counties = [county_table(county_ids, title)] if county_ids else []
    notes_children = [c for c in (notes, *(areas_note or []), *counties) if c is not None] or None
    return {"figure": fig, "table": table, "source": source, "note": None, "notes": notes_children, "label": label,
            "hidden": False}


def _county_frame(ids: list[str]) -> tuple[int, list[tuple[dict, pd.DataFrame]]]:
    """(year, [(catalogue row, values of the country and the counties)]) for the latest county year of ids[0]."""
    year = store.years(ids[0], "county")[-1]
    out = []
    for i in ids:
        if year not in store.years(i, "county"):
            continue
        frame = pd.concat([store.values(i, "country", year), store.values(i, "county", year)], ignore_index=True)
        out.append((store.indicator(i), frame))
    return year, out


def county_table(ids: list[str], title: str):
    """Country + the 15 counties × the indicators (their own units), latest county year, with links on."""
    year, cols = _county_frame(ids)
    rows = []
    first = cols[0][1]
    for code, name in zip(first["region_code"], first["name"]):
        cells = []
        for ind, frame in cols:
            v = frame.loc[frame["region_code"] == code, "value"]
            cells.append(pc.fmt(v.iloc[0] if len(v) else None, ind["unit"], int(ind["decimals"]), pick(ind, "unit")))
        label = name if code == "NO" else html.A(name, href=f"/fylke?fnr={code}&omrade=legetjeneste")
        rows.append([html.Th(label, scope="row")] + cells)
    headers = [_("Område")] + [pick(ind, "name") for ind, _f in cols]
    return html.Div([
        html_table(headers, rows, numeric=range(1, len(headers)),
                   caption=_("{title}: landet og fylkene, {year}").format(title=title, year=year)),
        html.P([_("Alle kommunene: "),
                html.A(_("se kartet"), href=f"/?indikator={ids[0]}&niva=kommune&ar={year}"), "."],
               className="small mb-0"),
    ], className="table-scroll", tabIndex="0", role="region",
        **{"aria-label": _("Tabell: {title}").format(title=_("{title}: landet og fylkene, {year}").format(
            title=title, year=year))})


def county_panel(ids: list[str], title: str) -> dict:
    """Indicators with county (and municipality) values but no national series: the counties of the latest
    year as bars (the first indicator) and a table of all the indicators."""
    year, cols = _county_frame(ids)
    ind, frame = cols[0]
    unit, unit_label, decimals = ind["unit"], pick(ind, "unit"), int(ind["decimals"])
    values = frame.assign(group=frame["name"])
    fig = pc.bar_figure(values, title=f"{pick(ind, 'name')} – {pc.level_name('county')}, {year}", unit=unit,
                        unit_label=unit_label, decimals=decimals)
    source, notes = _provenance([i["id"] for i, _f in cols], "county")
    label = pc.summary(values.assign(year=year), name=pick(ind, "name"), level="county", unit=unit,
                       unit_label=unit_label, decimals=decimals, label_col="group", kind=_("Stolpediagram"))
    return {"figure": fig, "table": county_table(ids, title), "source": source, "note": None,
            "notes": [notes] if notes is not None else None, "label": label, "hidden": False}


def _outputs(kind: str) -> dict:
    def o(t: str, prop: str):
        return Output({"type": t, "kind": kind, "panel": MATCH}, prop)
    return dict(figure=o("pers-graph", "figure"), table=o("pers-table", "children"),
                source=o("pers-source", "children"), note=o("pers-note", "children"),
                notes=o("pers-notes", "children"), label=o("pers-figure", "aria-label"),
                hidden=o("pers-panel", "hidden"))


def _sent(out: dict) -> dict:
    """A panel's answer as the browser gets it: the table and the notes as pre-rendered markup (one component
    each instead of hundreds of cells; components/htmlblock.py), the rest as it is."""
    return {**out, "table": static_html(out["table"]) if out["table"] is not None else None,
            "notes": static_html(out["notes"]) if out["notes"] is not None else None}


@callback(
    output=_outputs("time"),
    inputs=dict(area=Input("pers-area", "value"), year=Input("pers-year", "value"),
                mode=Input({"type": "pers-mode", "kind": "time", "panel": MATCH}, "value"),
                series=Input({"type": "pers-spec", "kind": "time", "panel": MATCH}, "data")),
    prevent_initial_call=True,  # the page's layout has the first answer (first_view)
)
def update_time_panel(area, year, mode, series):
    return _sent(time_panel(series, valid_area(area), valid_year(year), mode))


@callback(
    output=_outputs("bar"),
    inputs=dict(area=Input("pers-area", "value"), year=Input("pers-year", "value"),
                series=Input({"type": "pers-spec", "kind": "bar", "panel": MATCH}, "data")),
    prevent_initial_call=True,  # the page's layout has the first answer (first_view)
)
def update_bar_panel(area, year, series):
    return _sent(bar_panel(series, valid_area(area), valid_year(year)))


@callback(
    output=_outputs("ind"),
    inputs=dict(area=Input("pers-area", "value"), year=Input("pers-year", "value"),
                ids=Input({"type": "pers-spec", "kind": "ind", "panel": MATCH}, "data")),
    state=dict(panel_id=State({"type": "pers-spec", "kind": "ind", "panel": MATCH}, "id")),
    prevent_initial_call=True,  # the page's layout has the first answer (first_view)
)
def update_indicator_panel(area, year, ids, panel_id=None):
    spec = pc.panel((panel_id or {}).get("panel", "")) if isinstance(panel_id, dict) else None
    return _sent(indicator_panel(ids, valid_area(area), valid_year(year),
                                 title=pc.panel_title(spec) if spec else ""))


# --------------------------------------------------------------------------- explorer + key figures
def explorer_options(area: str | None) -> list[dict]:
    b = sp.breakdowns(area)
    def name(r) -> str:
        return _series_name(r.series, sp.series_parts(r.series), r.name)

    def groups(r) -> str:
        return ngettext("{n} gruppe", "{n} grupper", int(r.n_groups)).format(n=r.n_groups)

    return [{"label": f"{name(r)} ({groups(r)}, {r.years[0]}–{r.years[-1]})" if len(r.years) > 1 else
                      f"{name(r)} ({groups(r)}, {r.years[0] if r.years else '–'})",
             "value": r.series} for r in b.itertuples()]


@callback(
    output=dict(options=Output("pers-explorer-series", "options"), value=Output("pers-explorer-series", "value")),
    inputs=dict(area=Input("pers-area", "value")),
    state=dict(current=State("pers-explorer-series", "value")),
    prevent_initial_call=True,  # the page's layout has the first answer (first_view)
)
def update_explorer_options(area, current=None):
    """Breakdowns with a part in the service area; keeps the current one when still listed."""
    options = explorer_options(valid_area(area))
    values = [o["value"] for o in options]
    value = current if current in values else (values[0] if values else None)
    return {"options": options, "value": value}


@callback(
    Output({"type": "pers-spec", "kind": "time", "panel": "utforsk"}, "data"),
    Input("pers-explorer-series", "value"),
    prevent_initial_call=True,
)
def explorer_series(value):
    return valid_series(value) or "kl_arsverk_tjenesteomrade"


def key_figures(area: str | None, year: int | None) -> list:
    cards = []
    for i in pc.KEY_FIGURES:
        ind = store.indicator(i)
        if not ind or not _in_area([i], area):
            continue
        got = sp.latest_value(i, year)
        if got is None:
            continue
        y, v = got
        note = None
        if year is not None and y != year:
            note = _("Siste tall før eller nærmest {year}.").format(year=year)
        src = pc.source_lines(sp.source_groups([i], short=True))
        cards.append(pc.key_card(title=pick(ind, "name"), value=pc.fmt(v, ind["unit"], int(ind["decimals"]),
                                                                         pick(ind, "unit")),
                                 year=y, level=LEVEL, source=src[0] if src else "", note=note,
                                 card_id=f"key-{i}"))
    if not cards:
        return [dbc.Col(no_data(_("Ingen nøkkeltall for tjenesteområdet «{area}».").format(area=_area_name(area))))]
    return cards


@callback(
    output=dict(keys=Output("pers-keys", "children"), status=Output("pers-area-status", "children")),
    inputs=dict(area=Input("pers-area", "value"), year=Input("pers-year", "value")),
    prevent_initial_call=True,  # the page's layout has the first answer (first_view)
)
def update_key_figures(area, year):
    a, y = valid_area(area), valid_year(year)
    status = ""
    if a:
        shown = 0
        for p in pc.PANELS:
            ids = p["indicators"] if p["kind"] == "ind" else list(sp.series_parts(p["series"])["id"]) \
                if valid_series(p.get("series")) else []
            shown += bool(ids) and _in_area(ids, a)
        status = _("Viser {n} av {total} diagrammer for tjenesteområdet «{area}». Velg «Alle tjenesteområder» for "
                   "å se alle.").format(n=shown, total=len(pc.PANELS), area=_area_name(a))
    # each card's inner markup as one pre-rendered block (the cards stay dbc.Col for the grid)
    return {"keys": compact(key_figures(a, y), frozenset()), "status": status}


# --------------------------------------------------------------------------- the first view
def first_view(area: str | None, year: int | None, panels) -> dict:
    """{(component id, prop): value}: what the callbacks above answer for the page's first view, which
    pages/personnel.py writes into the layout itself, so the page arrives complete: no callback round trip and
    no re-rendering of the page per answer on load (those callbacks are prevent_initial_call). The same
    functions, so the first view is what they would answer. ``panels``: the panels as the layout shows them
    (pages/personnel._from_query: the URL's view of each)."""
    def ids(outputs: dict) -> list:
        return [(key, o.component_id, o.component_property) for key, o in outputs.items()]

    a = pc.ALL_AREAS if area is None else area
    out: dict = {}
    for p in panels:
        kind, pid = p["kind"], p["id"]
        if p.get("chooser"):  # the options for the area; a series not among them gives way (explorer_series)
            opts = update_explorer_options(a, p.get("series"))
            out[("pers-explorer-series", "options")] = opts["options"]
            out[("pers-explorer-series", "value")] = opts["value"]
            if opts["value"] != p.get("series"):
                p = {**p, "series": explorer_series(opts["value"])}
                out[(id_key({"type": "pers-spec", "kind": kind, "panel": pid}), "data")] = \
                    p["series"]
        if kind == "time":
            answer = update_time_panel(a, year, p.get("mode", "stack"), p.get("series"))
        elif kind == "bar":
            answer = update_bar_panel(a, year, p.get("series"))
        else:
            answer = update_indicator_panel(a, year, p.get("indicators"),
                                            {"type": "pers-spec", "kind": "ind", "panel": pid})
        for key, cid, prop in ids(_outputs(kind)):
            out[(id_key({**cid, "panel": pid}), prop)] = answer[key]
    keys = update_key_figures(a, year)
    out[("pers-keys", "children")] = keys["keys"]
    out[("pers-area-status", "children")] = keys["status"]
    return out


# --------------------------------------------------------------------------- URL sync (browser side)
URL_SYNC_JS = """
function(area, year, modes, series, modeIds) {
    var p = new URLSearchParams();
    if (area && area !== 'alle') { p.set('tjenesteomrade', String(area)); }
    if (year !== null && year !== undefined && year !== '') { p.set('ar', String(year)); }
    // issue 6: each chart's view in the URL (visning-<panel>=linjer|stablet, fordeling=<series>) when not the default
    var defaults = __PANEL_DEFAULTS__;
    (modeIds || []).forEach(function (id, i) {
        var m = (modes || [])[i], d = defaults.modes[id.panel];
        if (m && d && m !== d) { p.set('visning-' + id.panel, m === 'line' ? 'linjer' : 'stablet'); }
    });
    if (series && series !== defaults.series) { p.set('fordeling', String(series)); }
    return window.oaUrl.write(p);  // ?lang= kept, ?presentasjon=1, address bar (assets/70-present.js)
}
"""

URL_SYNC_JS = URL_SYNC_JS.replace("__PANEL_DEFAULTS__", json.dumps({
    "modes": {p["id"]: p.get("mode", "stack") for p in pc.PANELS if p["kind"] == "time"},
    "series": next((p["series"] for p in pc.PANELS if p.get("chooser")), None)}))

clientside_callback(URL_SYNC_JS, Output("pers-url-sync", "data"), Input("pers-area", "value"),
                    Input("pers-year", "value"),
                    Input({"type": "pers-mode", "kind": "time", "panel": ALL}, "value"),
                    Input("pers-explorer-series", "value"),
                    State({"type": "pers-mode", "kind": "time", "panel": ALL}, "id"))


@memoize()
def _first_view_cached(area: str | None, year: int | None, panels_json: str, version: str,
                       code_version: str = CODE_VERSION) -> dict:
    return first_view(area, year, json.loads(panels_json))


def cached_first_view(area: str | None, year: int | None, panels) -> dict:
    """first_view, kept per view, language and data version: the index page's first paint and /_dash-layout
    build the same layout for a URL (~0.4 s of panels and tables each)."""
    return _first_view_cached(area, year, json.dumps(panels, sort_keys=True, default=str), store.version())
