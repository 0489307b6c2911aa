"""Chart registry (issue 6): every chart of every page, by id, rebuilt from the page's own URL parameters.

    result = charts.build("kart", {"indikator": "share_80plus", "niva": "kommune", "fylke": "46"})
    result.figure / result.title / result.source / result.date / result.table (components.export.ExportTable)

One mechanism serves the embed page (/embed/<chart>, pages/embed.py), the image and data exports
(/eksport/<chart>.<png|svg|csv|xlsx|json>, callbacks/exports.py) and the share toolbar next to each chart
(components/share.py). The builders take the same query parameters as the page the chart lives on,
validate them the same way (the page's own parser), and fall back with a note for anything unusable;
only a parameter the chart cannot do without (a municipality for «Min kommune») raises ``ChartParamError``.
They call the pages' callback functions as plain functions, so a chart here is the chart on screen.
Nothing names an indicator: a new catalogue indicator needs no code.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence
from urllib.parse import urlencode

import store
from components import export
from components.chartmeta import CHARTS, PERS_MODE_PREFIX, PERS_SERIES_PARAM, POP_MODE_PARAM
from components.export import Column, ExportTable, today_oslo
from components.i18n import N_, _, pick
from components.urlstate import _single, shown

MAP_CREDIT = N_("Kartgrunnlag © Kartverket, CC BY 4.0")
APP_NAME = "Omsorgsatlas"


class ChartError(Exception):
    """Base: a message for the user (bokmål/English via _), never a traceback."""

    status = 400


class UnknownChart(ChartError):
    status = 404


class ChartParamError(ChartError):
    status = 400


@dataclass
class ChartResult:
    chart: str
    title: str
    figure: dict
    source: str                       # «Kilde: …, lisens» (plain text)
    table: ExportTable | None
    page_query: dict                  # the page's canonical query parameters for this view
    label: str = ""                   # text alternative (aria-label)
    notes: list[str] = field(default_factory=list)
    date: _dt.date = field(default_factory=today_oslo)
    indicators: tuple[str, ...] = ()  # catalogue indicators behind the chart (JSON-stat)
    level: str = "municipality"       # their data level for JSON-stat
    credit_extra: str = ""            # e.g. the map's base-map credit
    min_height: int = 0               # image height the chart needs (a long table); 0 = the preset's


@dataclass(frozen=True)
class ChartSpec:
    id: str
    page: str            # path of the page the chart lives on
    name: str            # short name (N_ marked; translate where shown)
    anchor: str          # element id on the page (permalink fragment)
    build: Callable[[Mapping[str, Any]], ChartResult]
    params: tuple[str, ...] = ()   # the page parameters the chart reads (embed snippets keep these)
    height: int = 520    # suggested iframe height


REGISTRY: dict[str, ChartSpec] = {}


def register(spec: ChartSpec) -> ChartSpec:
    REGISTRY[spec.id] = spec
    return spec


def spec(chart_id: Any) -> ChartSpec:
    if not isinstance(chart_id, str) or chart_id not in REGISTRY:
        raise UnknownChart(_("Ukjent figur «{name}».").format(name=shown(chart_id)))
    return REGISTRY[chart_id]


def build(chart_id: Any, params: Mapping[str, Any] | None = None) -> ChartResult:
    """The chart for the page parameters. Raises UnknownChart (404) / ChartParamError (400)."""
    sp_ = spec(chart_id)
    params = dict(params or {})
    result = sp_.build(params)
    if result.table is not None:
        result.table = dataclasses.replace(result.table, permalink=permalink(sp_, result.page_query),
                                           date=result.date)
    return result


# --------------------------------------------------------------------------------------------- helpers
def page_path(sp_: ChartSpec, query: Mapping[str, Any]) -> str:
    """Relative permalink of the chart's view: page path + canonical query + #anchor."""
    qs = urlencode([(k, str(v)) for k, v in query.items() if v not in (None, "")])
    return sp_.page + ("?" + qs if qs else "") + "#" + sp_.anchor


def permalink(sp_: ChartSpec, query: Mapping[str, Any]) -> str:
    path = page_path(sp_, query)
    try:
        from flask import has_request_context, request
        if has_request_context():
            return request.host_url.rstrip("/") + path
    except Exception:  # pragma: no cover
        pass
    return path


def source_text(sources: Sequence[str], licences: Sequence[str], extra: str = "") -> str:
    src = "; ".join(dict.fromkeys(s for s in sources if s)) or _("ukjent")
    lic = ", ".join(dict.fromkeys(x for x in licences if x))
    text = f"{_('Kilde')}: {src}" + (f", {lic}" if lic else "")
    if extra:
        text += f" · {extra}"
    return text + f" · {APP_NAME}"


def ind_source(ind: Mapping, extra: str = "") -> str:
    return source_text([str(ind.get("source") or "")], [str(ind.get("licence") or "")], extra)


def _first(params: Mapping[str, Any], key: str, notes: list[str]) -> str | None:
    return _single(params, key, notes)


def _num(v) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) or math.isinf(f) else f


def _meta(ind: Mapping) -> dict:
    return {"unit": str(pick(ind, "unit") or ind.get("unit") or ""), "source": str(ind.get("source") or ""),
            "licence": str(ind.get("licence") or ""), "source_url": str(ind.get("source_url") or ""),
            "definition": str(pick(ind, "definition") or ""), "notes": str(ind.get("notes") or "")}


def _long_table(title: str, label_header: str, frame, *, label_col: str, unit: str, decimals: int,
                source: str, licence: str, notes: str = "") -> ExportTable:
    """Groups as rows, years as columns (the table behind a chart of values over time)."""
    years = sorted({int(y) for y in frame["year"]}) if frame is not None and not frame.empty else []
    columns = [Column(label_header)] + [Column(str(y), unit, decimals) for y in years]
    rows = []
    if years:
        for g in dict.fromkeys(frame[label_col]):
            s = frame[frame[label_col] == g].set_index("year")["value"]
            rows.append([str(g)] + [_num(s.get(y)) for y in years])
    return ExportTable(title=title, columns=columns, rows=rows, unit=unit, source=source, licence=licence,
                       notes=notes)


# ============================================================================ «Kart og trender» (/)
def _overview(params):
    from components.urlstate import parse_query
    from pages.overview import url_domain

    res = parse_query(params, url_domain())
    return res.state, list(res.notes)


def _overview_query(view) -> dict:
    from components.urlstate import to_query
    from urllib.parse import parse_qsl
    return dict(parse_qsl(to_query(view)[1:]))


def build_map(params) -> ChartResult:
    from callbacks import overview as ov
    from components.urlstate import URL_LEVELS, ViewState

    state, notes = _overview(params)
    ind = store.indicator(state.indicator) if state.indicator else None
    if ind is None:
        raise ChartParamError(_("Ingen data for dette valget."))
    lvl = ov.level_for(ind, state.level)
    years = store.years(ind["id"], URL_LEVELS[lvl])
    year = ov.valid_year(state.year, years) or (years[-1] if years else state.year)
    out = ov.update_map(ind["id"], lvl, state.county, year, None, state.municipality)
    view = ViewState(ind["id"], lvl, state.county, state.municipality, year)
    table = ov.map_export(ind["id"], lvl, state.county, year, state.municipality) if years else None
    return ChartResult("kart", ov._heading(ind, lvl, state.county, year), out["figure"],
                       ind_source(ind, _(MAP_CREDIT)), table, _overview_query(view), label=str(out["label"]),
                       notes=notes, indicators=(ind["id"],), level=URL_LEVELS[lvl], credit_extra=_(MAP_CREDIT))


def build_trend(params) -> ChartResult:
    from callbacks import overview as ov
    from components.urlstate import URL_LEVELS, ViewState

    state, notes = _overview(params)
    ind = store.indicator(state.indicator) if state.indicator else None
    if ind is None:
        raise ChartParamError(_("Ingen data for dette valget."))
    year = state.year if "ar" in params else None
    out = ov.update_trend(ind["id"], state.county, state.municipality, year)
    lvl = ov.level_for(ind, state.level)
    table = ov.trend_export(ind["id"], lvl, state.county, state.year, state.municipality)
    view = ViewState(ind["id"], lvl, state.county, state.municipality, state.year)
    return ChartResult("utvikling", str(out["heading"]), out["figure"], ind_source(ind), table,
                       _overview_query(view), label=str(out["label"]), notes=notes, indicators=(ind["id"],),
                       level=URL_LEVELS[lvl])


# ============================================================================ «Min kommune» (/kommune)
def _profile_common(params, notes):
    from callbacks import comparison as cmp

    raw = _first(params, "knr", notes)
    code = cmp.valid_knr(raw) if raw else None
    if code is None:
        if raw:
            raise ChartParamError(_("Ukjent kommune «{value}».").format(value=shown(raw)))
        raise ChartParamError(_("Velg en kommune med parameteren «knr» (kommunenummer)."))
    return code


def _area(params, notes, default: str = "befolkning"):
    """The page's rule: no parameter -> the default area; «alle» -> all areas; unknown -> note + default."""
    from callbacks import comparison as cmp

    raw = _first(params, "omrade", notes)
    if raw == cmp.ALL:
        return None, cmp.ALL
    area = cmp.valid_area(raw) if raw else None
    if raw and area is None:
        notes.append(_("Ukjent tjenesteområde «{value}» – viser {default}.").format(value=shown(raw), default=default))
    area = area or (default if cmp.valid_area(default) else None)
    return area, area or cmp.ALL


def build_profile_spine(params) -> ChartResult:
    from callbacks import comparison as cmp
    from components import compare

    notes: list[str] = []
    code = _profile_common(params, notes)
    area, area_value = _area(params, notes)
    reg = store.region(code)
    rows = cmp.profile_rows(code, area)
    areas = dict(zip(store.service_areas()["id"], store.service_areas()["name_nb"]))
    area_name = areas.get(area, "Alle tjenesteområder")
    title = f"{reg['name']}: {area_name.lower()} mot landet og {reg['county_name']}"
    fig = compare.spine_figure(rows, muni_name=reg["name"], county_name=reg["county_name"], title=title)
    inds = [store.indicator(r["id"]) for r in rows]
    dec = max([int(r["decimals"]) for r in rows] + [0])
    columns = [Column(_("Indikator")), Column(_("Enhet")), Column(_("År"), decimals=0),
               Column(reg["name"], decimals=dec), Column(_("Nedre grense (95 %)"), decimals=dec),
               Column(_("Øvre grense (95 %)"), decimals=dec), Column(reg["county_name"], decimals=dec),
               Column(_("Landet"), decimals=dec), Column(_("Rang i landet"), decimals=0),
               Column(_("Antall kommuner"), decimals=0), Column(_("Sammenlignet med landet"))]
    table_rows = [[r["name"], r["unit_nb"], r["year"], r["value"], r["ci_low"], r["ci_high"], r["county"],
                   r["country"], r["rank_all"], r["n_all"], r["bench_country"].label_nb] for r in rows]
    source = source_text([str(i["source"]) for i in inds], [str(i["licence"]) for i in inds])
    table = ExportTable(title=title, columns=columns, rows=table_rows, source="; ".join(dict.fromkeys(
        str(i["source"]) for i in inds)), licence=", ".join(dict.fromkeys(str(i["licence"]) for i in inds)))
    return ChartResult("kommune-profil", title, fig, source, table, {"knr": code, "omrade": area_value},
                       label=title, notes=notes, indicators=tuple(r["id"] for r in rows), level="municipality")


def build_profile_trend(params) -> ChartResult:
    from callbacks import comparison as cmp
    from callbacks import profile as prof

    notes: list[str] = []
    code = _profile_common(params, notes)
    raw = _first(params, "indikator", notes)
    ind_id = raw if (raw and store.indicator(raw) and store.profile_year(raw)) else None
    if raw and ind_id is None:
        notes.append(_("Ukjent indikator «{value}» – viser standard.").format(value=shown(raw)))
    ind_id = ind_id or store.default_indicator()
    ind = store.indicator(ind_id)
    area_raw = _first(params, "omrade", [])
    out = prof.update_profile_trend(code, ind_id)
    reg = store.region(code)
    series = cmp.neighbour_trend_series(ind_id, code)
    ref = store.reference_year()
    series = series[series["year"] <= ref] if ref else series
    codes = list(dict.fromkeys(series["region_code"]))
    title = out["figure"].get("layout", {}).get("title", {}).get("text") or \
        f"{ind['name_nb']}: {reg['name']} mot {reg['county_name']}, landet og naboene"
    table = export.trend_export(series, ind=ind, codes=codes, title=title, date=today_oslo())
    query = {"knr": code, "omrade": area_raw or "", "indikator": ind_id}
    return ChartResult("kommune-utvikling", title, out["figure"], ind_source(ind), table, query,
                       label=str(out.get("label") or ""), notes=notes, indicators=(ind_id,), level="municipality")


# ============================================================================ «Fylkesbildet» (/fylke)
def build_county(params) -> ChartResult:
    from callbacks import comparison as cmp
    from components import compare

    notes: list[str] = []
    raw = _first(params, "fnr", notes)
    code = cmp.valid_fnr(raw) if raw else None
    if code is None:
        if raw:
            raise ChartParamError(_("Ukjent fylke «{value}».").format(value=shown(raw)))
        raise ChartParamError(_("Velg et fylke med parameteren «fnr» (fylkesnummer)."))
    area, area_value = _area(params, notes)
    sort = _first(params, "sorter", notes) or "knr"
    desc = _first(params, "rekkefolge", notes) == "synkende"
    cols, rows = cmp.rug_data(code, area, sort, desc)
    name = store.region(code)["name"]
    title = _("Fylkesbildet: {name}").format(name=name)
    fills, fonts, texts = [[] for _c in range(len(cols) + 1)], [[] for _c in range(len(cols) + 1)], \
        [[] for _c in range(len(cols) + 1)]
    for r in rows:
        texts[0].append(f"<b>{r['name']}</b>" if r["level"] != "municipality" else r["name"])
        fills[0].append("#ffffff" if r["level"] == "municipality" else "#eef1f5")
        fonts[0].append("#1a1a1a")
        for j, c in enumerate(cols, start=1):
            cell = r["cells"].get(c["id"])
            if cell is None:
                bg, fg, text = "#ffffff", "#1a1a1a", "–"
            elif r["level"] == "country":
                bg, fg, text = "#eef1f5", "#1a1a1a", cell["text"]
            else:
                bg, fg = compare.COLOURS[cell["bench"].key]
                text = cell["bench"].symbol + "\u00a0" + cell["text"]
            texts[j].append(text)
            fills[j].append(bg)
            fonts[j].append(fg)
    header = [_("Region")] + [f"{c['name']} ({c['year']})" for c in cols]
    fig = {"data": [{"type": "table", "columnwidth": [1.4] + [1] * len(cols),
                     "header": {"values": [f"<b>{h}</b>" for h in header], "align": ["left"] + ["right"] * len(cols),
                                "fill": {"color": "#ffffff"}, "line": {"color": "#d0d0d0"},
                                "font": {"size": 11, "color": "#1a1a1a"}, "height": 44},
                     "cells": {"values": texts, "align": ["left"] + ["right"] * len(cols),
                               "fill": {"color": fills}, "font": {"size": 11, "color": fonts},
                               "line": {"color": "#ffffff", "width": 1}, "height": 20}}],
           "layout": {"title": {"text": title, "x": 0.01, "xanchor": "left"},
                      "margin": {"l": 10, "r": 10, "t": 50, "b": 10}, "height": 110 + 44 + 21 * len(rows),
                      "paper_bgcolor": "#ffffff"}}
    columns = [Column(_("Regionnummer")), Column(_("Region"))] + [
        Column(f"{c['name']} ({c['year']})", str(c["unit_nb"] or ""), int(c["decimals"])) for c in cols] + [
        Column(_("{name}: sammenlignet med landet").format(name=c["name"])) for c in cols]
    table_rows = []
    for r in rows:
        vals = [(r["cells"].get(c["id"]) or {}).get("value") for c in cols]
        classes = ["" if r["level"] == "country" or c["id"] not in r["cells"]
                   else r["cells"][c["id"]]["bench"].label_nb for c in cols]
        table_rows.append([r["code"], r["name"], *vals, *classes])
    src = [c["source"] for c in cols]
    lic = [c["licence"] for c in cols]
    table = ExportTable(title=title, columns=columns, rows=table_rows, source="; ".join(dict.fromkeys(src)),
                        licence=", ".join(dict.fromkeys(lic)))
    query = {"fnr": code, "omrade": area_value}
    if sort != "knr":
        query["sorter"] = sort
    if desc:
        query["rekkefolge"] = "synkende"
    return ChartResult("fylke", title, fig, source_text(src, lic), table, query,
                       label=_("Fargetabell: alle kommuner i {name} × indikatorer").format(name=name), notes=notes,
                       indicators=tuple(c["id"] for c in cols), level="municipality",
                       min_height=fig["layout"]["height"] + 100)


# ============================================================================ «Befolkning og behov» (/befolkning)


def _population(params):
    from components.popstate import parse_population_query
    from store import demography as dem

    d = dem.load()
    years = tuple(int(y) for y in d.years)
    counties = {str(r.region_code): str(r.name) for r in store.counties().itertuples()}
    munis = {str(r.region_code): (str(r.name), str(r.county_code)) for r in store.municipalities().itertuples()}
    parsed = parse_population_query(params, counties=counties, municipalities=munis, years=years,
                                    default_year=d.last_observed)
    notes = list(parsed.notes)
    raw_mode = _first(params, POP_MODE_PARAM, notes)
    mode = "index" if raw_mode == "indeks" else "count"
    if raw_mode not in (None, "indeks", "antall"):
        notes.append(_("Ukjent visning «{value}» – viser antall.").format(value=shown(raw_mode)))
    return d, parsed.state, mode, notes


def _pop_query(state, mode: str | None = None) -> dict:
    from components.popstate import region_query
    q = dict(region_query(state.region))
    q.update({"ar": str(state.year), "aldersgrupper": str(state.width)})
    if mode == "index":
        q[POP_MODE_PARAM] = "indeks"
    return q


def _pop_source(code: str) -> tuple[str, str, str]:
    from callbacks import population as pop
    from components import popstate
    from store import demography as dem

    d = dem.load()
    variant = popstate.variant_label(d.variant.get(code))
    extra = _("registrert {a}–{b}; {c}–{e}: {variant}").format(a=int(d.years[0]), b=d.last_observed,
                                                               c=d.last_observed + 1, e=int(d.years[-1]),
                                                               variant=variant)
    return source_text([pop.SSB_SOURCE], ["NLOD 2.0"], extra), pop.SSB_SOURCE, extra


def build_age_profile(params) -> ChartResult:
    from callbacks import population as pop
    from components import pyramid as pyr
    from store import demography as dem

    d, st, mode, notes = _population(params)
    out = pop.update_profile(st.region, st.year, st.width, None)
    name = pop._title_name(st.region)
    values = dem.age_profile(st.region, st.year)
    reference = dem.age_profile(st.region, d.last_observed)
    groups = pyr.age_groups(st.width)
    gv = pyr.grouped(values, st.width) if values is not None else [None] * len(groups)
    gr = pyr.grouped(reference, st.width) if reference is not None else [None] * len(groups)
    projected = d.is_projected(st.year)
    col_year = f"{st.year}" + (f" ({_('framskrevet')})" if projected else "")
    columns = [Column(_("Alder")), Column(col_year, _("personer"), 0),
               Column(f"{d.last_observed} ({_('siste registrerte år')})", _("personer"), 0)]
    rows = [[label, _num(a), _num(b)] for (label, _lo, _hi), a, b in zip(groups, gv, gr)]
    source, src, extra = _pop_source(st.region)
    title = pyr.profile_title(name, st.year, projected)
    table = ExportTable(title=title, columns=columns, rows=rows, unit=_("personer"), source=src, licence="NLOD 2.0",
                        notes=extra)
    return ChartResult("befolkning-aldersprofil", title, out["figure"], source, table, _pop_query(st, mode),
                       label=str(out["label"]), notes=notes, level="municipality")


def build_groups(params) -> ChartResult:
    from callbacks import population as pop
    from store import demography as dem

    d, st, mode, notes = _population(params)
    out = pop.update_groups(st.region, mode)
    name = pop._title_name(st.region)
    s = dem.group_series(st.region)
    title = out["figure"].get("layout", {}).get("title", {}).get("text") or _("Eldre over tid: {name}").format(name=name)
    cols = ["67+", "80+", "90+"]
    columns = [Column(_("År"), decimals=0), Column(_("Framskrevet"))]
    if mode == "index":
        base = s.set_index("year").loc[d.last_observed] if d.last_observed in set(s["year"]) else None
        columns += [Column(c, _("indeks ({year} = 100)").format(year=d.last_observed), 1) for c in cols]
        rows = [[int(r["year"]), _("ja") if r["projected"] else _("nei")] +
                [(_num(r[c]) / _num(base[c]) * 100) if (base is not None and _num(base[c]) and _num(r[c]) is not None)
                 else None for c in cols] for _i, r in s.iterrows()]
    else:
        band = [c for c in cols if f"{c}_low" in s.columns]
        columns += [Column(c, _("personer"), 0) for c in cols]
        columns += [Column(_("{group}, lavt alternativ").format(group=c), _("personer"), 0) for c in band]
        columns += [Column(_("{group}, høyt alternativ").format(group=c), _("personer"), 0) for c in band]
        rows = [[int(r["year"]), _("ja") if r["projected"] else _("nei")] + [_num(r[c]) for c in cols]
                + [_num(r[f"{c}_low"]) if r["projected"] else None for c in band]
                + [_num(r[f"{c}_high"]) if r["projected"] else None for c in band]
                for _i, r in s.iterrows()]
    source, src, extra = _pop_source(st.region)
    table = ExportTable(title=title, columns=columns, rows=rows, source=src, licence="NLOD 2.0", notes=extra)
    return ChartResult("befolkning-eldre", title, out["figure"], source, table, _pop_query(st, mode),
                       label=str(out["label"]), notes=notes, level="municipality")


def build_care(params) -> ChartResult:
    from callbacks import population as pop
    from store import demography as dem

    d, st, mode, notes = _population(params)
    out = pop.update_summary(st.region)
    fig = out["care_figure"]
    codes = pop.comparison_codes(st.region)
    title = (fig.get("layout", {}).get("title", {}) or {}).get("text") or _("Omsorgsressurs")
    years = [int(y) for y in d.years]
    frames = {c: dem.group_series(c) for c in codes}
    series = {c: dict(zip(f["year"].astype(int), f["care_ratio"])) for c, f in frames.items()}
    columns = [Column(_("År"), decimals=0), Column(_("Framskrevet"))] + [
        Column(pop._title_name(c), _("personer 20–66 per person 80+"), 1) for c in codes]
    first = frames[codes[0]]
    band = "care_ratio_low" in first.columns
    if band:
        lows = dict(zip(first["year"].astype(int), first["care_ratio_low"]))
        highs = dict(zip(first["year"].astype(int), first["care_ratio_high"]))
        columns += [Column(_("{name}, laveste alternativ").format(name=pop._title_name(codes[0])),
                           _("personer 20–66 per person 80+"), 1),
                    Column(_("{name}, høyeste alternativ").format(name=pop._title_name(codes[0])),
                           _("personer 20–66 per person 80+"), 1)]
    rows = [[y, _("ja") if d.is_projected(y) else _("nei")] + [_num(series[c].get(y)) for c in codes]
            + ([_num(lows.get(y)) if d.is_projected(y) else None, _num(highs.get(y)) if d.is_projected(y) else None]
               if band else []) for y in years]
    source, src, extra = _pop_source(st.region)
    table = ExportTable(title=title, columns=columns, rows=rows, source=src, licence="NLOD 2.0", notes=extra)
    return ChartResult("befolkning-omsorgsressurs", title, fig, source, table, _pop_query(st, mode),
                       label=str(out["care_label"]), notes=notes, level="municipality")


def build_track(params) -> ChartResult:
    """«Hvor godt traff framskrivingene?»: ?aldersgruppe=80+&argang=2014 (default 80+, every vintage)."""
    from callbacks import population as pop
    from components import track as trackc
    from store import demography as dem

    notes: list[str] = []
    raw_age = _first(params, "aldersgruppe", notes)
    raw_vintage = _first(params, "argang", notes)
    age, vintage = pop.valid_track(raw_age, raw_vintage)
    if raw_age is not None and raw_age != age:
        notes.append(_("Ukjent aldersgruppe «{value}» – viser {age}.").format(value=shown(raw_age),
                                                                             age=trackc.age_label(age)))
    if raw_vintage is not None and raw_vintage != vintage:
        notes.append(_("Ukjent framskriving «{value}» – viser alle årganger.").format(value=shown(raw_vintage)))
    out = pop.update_track(age, vintage)
    view = dem.track_view(age)
    if vintage != trackc.ALL:
        view = view[view["vintage"] == int(vintage)]
    columns = [Column(_("Framskriving"), decimals=0), Column(_("År"), decimals=0), Column(_("År fram"), decimals=0),
               Column(_("Registrert"), _("personer"), 0), Column(_("SSB hovedalternativ"), _("personer"), 0),
               Column(_("SSB avvik"), "%", 2), Column(_("SSB lav nasjonal vekst, avvik"), "%", 2),
               Column(_("SSB høy nasjonal vekst, avvik"), "%", 2), Column(_("Omsorgsatlas' metode"), _("personer"), 0),
               Column(_("Omsorgsatlas avvik"), "%", 2)]
    rows = [[int(r.vintage), int(r.year), int(r.horizon), _num(r.observed), _num(r.ssb_projected), _num(r.ssb_error),
             _num(r.ssb_error_low), _num(r.ssb_error_high), _num(r.ours_projected), _num(r.ours_error)]
            for r in view.itertuples(index=False)]
    title = out["figure"].get("layout", {}).get("title", {}).get("text") or _("Hvor godt traff framskrivingene?")
    src = _("SSB, nasjonale befolkningsframskrivinger 2005–2022 og befolkning 1. januar (tabell 07459)")
    table = ExportTable(title=title, columns=columns, rows=rows, source=src, licence="NLOD 2.0",
                        notes=_("Avvik = framskrevet / registrert − 1. Omsorgsatlas: vår metode kjørt fra "
                                "framskrivingens startår med bare data fram til startåret."))
    query = {}
    if age != trackc.DEFAULT_AGE:
        query["aldersgruppe"] = age
    if vintage != trackc.ALL:
        query["argang"] = vintage
    return ChartResult("befolkning-treffsikkerhet", title, out["figure"], source_text([src], ["NLOD 2.0"]), table,
                       query, label=str(out["label"]), notes=notes, level="country")


# ============================================================================ «Personell og kompetanse» (/personell)
PERS_MODES = {"linjer": "line", "stablet": "stack"}


def _personnel(params, notes):
    from components import personnel as pc
    from pages import personnel as page

    years = page.page_years()
    areas = list(store.service_areas()["id"])
    area, year, more = pc.parse_personnel_query(params, areas=areas, years=years, default_year=page.default_year(years))
    notes.extend(more)
    return area, year


def _personnel_builder(p: dict) -> Callable[[Mapping[str, Any]], ChartResult]:
    def build_panel(params) -> ChartResult:
        from callbacks import personnel as pers
        from components import personnel as pc
        from store import personnel as sp

        notes: list[str] = []
        area, year = _personnel(params, notes)
        query: dict = {}
        if area:
            query[pc.P_AREA] = area
        if year is not None:
            query[pc.P_YEAR] = year
        kind, pid = p["kind"], p["id"]
        frame, label_col, label_header, ids = None, "group", _("Gruppe"), []
        if kind == "ind":
            out = pers.indicator_panel(p["indicators"], area, year, title=p["title"])
            ids = [i for i in p["indicators"] if store.indicator(i)]
            if ids:
                first = store.indicator(ids[0])
                same = [i for i in ids if store.indicator(i)["unit"] == first["unit"]]
                frame = sp.indicator_values(same)
                names = {i: store.indicator(i)["name_nb"] for i in same}
                if len(set(names.values())) < len(names):
                    names = {i: f"{n} ({store.indicator(i).get('document') or APP_NAME})" for i, n in names.items()}
                frame = frame.assign(label=frame["indicator_id"].map(names))
                label_col, label_header = "label", _("Indikator")
                ids = same
        else:
            series = p["series"]
            if p.get("chooser"):
                raw = _first(params, PERS_SERIES_PARAM, notes)
                if raw is not None:
                    if pers.valid_series(raw):
                        series = raw
                    else:
                        notes.append(_("Ukjent fordeling «{value}» – viser standard.").format(value=shown(raw)))
                query[PERS_SERIES_PARAM] = series
            if kind == "time":
                raw_mode = _first(params, PERS_MODE_PREFIX + pid, notes)
                mode = PERS_MODES.get(raw_mode or "", p.get("mode", "stack"))
                if raw_mode is not None and raw_mode not in PERS_MODES:
                    notes.append(_("Ukjent visning «{value}».").format(value=shown(raw_mode)))
                if mode != p.get("mode", "stack"):
                    query[PERS_MODE_PREFIX + pid] = {v: k for k, v in PERS_MODES.items()}[mode]
                out = pers.time_panel(series, area, year, mode)
            else:
                out = pers.bar_panel(series, area, year)
            if pers.valid_series(series):
                frame = sp.breakdown_values(series)
                ids = list(sp.series_parts(series)["id"])
                b = sp.breakdowns()
                row = b[b["series"] == series]
                if len(row):
                    dim = str(row["dimension_nb"].iloc[0])
                    label_header = dim[:1].upper() + dim[1:]
                    if row["total_id"].iloc[0]:
                        ids.append(str(row["total_id"].iloc[0]))
        fig = out["figure"]
        title = (fig.get("layout", {}).get("title", {}) or {}).get("text") or p["title"]
        inds = [store.indicator(i) for i in ids if store.indicator(i)]
        sources = pc.source_lines(sp.source_groups(ids)) if ids else []
        lic = sp.licences(ids) if ids else []
        table = None
        if frame is not None and not frame.empty:
            first = inds[0] if inds else {}
            notes_text = " ".join(f"{n}: {t}" for n, t in sp.notes_for(ids))
            table = _long_table(title, label_header, frame, label_col=label_col,
                                unit=str(first.get("unit_nb") or ""), decimals=int(
                                    max([int(i["decimals"]) for i in inds] + [0])),
                                source="; ".join(sources), licence=", ".join(lic), notes=notes_text)
        if out.get("hidden"):
            notes.append(_("Diagrammet har ingen tall for det valgte tjenesteområdet."))
        return ChartResult(f"personell-{pid}", title, fig, source_text(sources, lic, _("nasjonalt")), table, query,
                           label=str(out.get("label") or ""), notes=notes,
                           indicators=tuple(i["id"] for i in inds), level="country")
    return build_panel


# ============================================================================ «Tiltak og tilskudd» (/tiltak)
def build_grants(params) -> ChartResult:
    from components import measures as mc
    from components import personnel as pc
    from pages import measures as page
    from store import personnel as sp

    for series, parts, total in page._split_area_series("statsforvalter_2021"):
        ids = parts + ([total] if total else [])
        if not ids:
            continue
        frame = sp.area_table(ids)
        if frame.empty:
            continue
        cat = {i: store.indicator(i) for i in ids}
        part_cols = [(i, page._part_label(cat[i])) for i in parts] or [(total, cat[total]["name_nb"])]
        first = cat[ids[0]]
        year = int(frame["year"].max())
        title = f"{first.get('series_name_nb') or first['name_nb']}, utbetalt {year}, etter statsforvalterområde"
        fig = mc.grant_figure(frame, part_cols, title=title)
        value_cols = [(i, page._part_label(cat[i])) for i in parts] + ([(total, _("Sum"))] if total else [])
        columns = [Column(_("Statsforvalterområde")), Column(_("Fylker i 2024 (helt eller delvis)")),
                   Column(_("År"), decimals=0)] + [Column(label, "kr", 0) for _i, label in value_cols] + [
            Column(_("Merknad"))]
        rows = [[r["area_name"], ", ".join(list(r.get("counties_2024_names") or [])), int(r["year"])] +
                [_num(r.get(i)) for i, _l in value_cols] + [str(r.get("note") or "")] for _k, r in frame.iterrows()]
        sources, lic = pc.source_lines(sp.source_groups(ids)), sp.licences(ids)
        table = ExportTable(title=title, columns=columns, rows=rows, unit="kr", source="; ".join(sources),
                            licence=", ".join(lic), notes=" ".join(f"{n}: {t}" for n, t in sp.notes_for(ids[:1])))
        return ChartResult("tiltak-tilskudd", title, fig, source_text(sources, lic), table, {},
                           label=title, indicators=tuple(ids), level="country")
    raise ChartParamError(_("Ingen tilskuddstall per område i dataene."))


# ============================================================================ the registry
# ids, pages, names, anchors, parameters and heights: components/chartmeta.py (the share toolbar reads them too)
_BUILDERS = {"kart": build_map, "utvikling": build_trend, "kommune-profil": build_profile_spine,
             "kommune-utvikling": build_profile_trend, "fylke": build_county, "befolkning-aldersprofil": build_age_profile,
             "befolkning-eldre": build_groups, "befolkning-omsorgsressurs": build_care,
             "befolkning-treffsikkerhet": build_track, "tiltak-tilskudd": build_grants}


def _register_all() -> None:
    from components import personnel as pc

    panels = {f"personell-{p['id']}": p for p in pc.PANELS}
    for chart_id, meta in CHARTS.items():
        build_fn = _BUILDERS.get(chart_id) or _personnel_builder(panels[chart_id])
        register(ChartSpec(meta.id, meta.page, meta.name, meta.anchor, build_fn, meta.params, meta.height))


_register_all()
