"""Shared UI shaping for «Min kommune» and «Fylkesbildet»: the store answers each callback with one immutable
view (store/views.py, from the pipeline's precomputed ranks, spreads and neighbour medians); this module only
validates the inputs and turns a view into what the builders take (UI language, formatted numbers). No Dash
callbacks here; everything works for any indicator in the catalogue (it only uses unit, decimals, direction)."""
from __future__ import annotations

from dataclasses import fields

import pandas as pd

import store
from components.format import format_number, format_value
from components.i18n import _, current_lang, pick
from store import views as store_views
from store.views import ProfileRow

ALL = "alle"


def valid_knr(value) -> str | None:
    if not isinstance(value, str):
        return None
    v = value.strip()
    if v.isdigit() and len(v) <= 4:
        v = v.zfill(4)
    reg = store.region(v)
    return v if reg and reg["level"] == "municipality" else None


def valid_fnr(value) -> str | None:
    if not isinstance(value, str):
        return None
    v = value.strip()
    if v.isdigit() and len(v) <= 2:
        v = v.zfill(2)
    reg = store.region(v)
    return v if reg and reg["level"] == "county" else None


def valid_area(value) -> str | None:
    """A service-area id, or None for all areas."""
    if isinstance(value, str) and value in set(store.service_areas()["id"]):
        return value
    return None


def area_indicators(area: str | None) -> list[dict]:
    """Catalogue rows of the area (None: all) that have a municipality value in or before the reference year."""
    return [dict(r) for r in store_views.area_indicators(area)]


def _fmt(v, unit: str, decimals: int) -> str:
    return format_value(v, "percent", decimals) if unit == "percent" else format_number(v, decimals)


def localise_row(r: ProfileRow) -> dict:
    """A profile row of the store's view as the dict the builders (components/compare.py) take, in the UI
    language: name and unit picked, the gap reason (only on a gap with a known reason) in the UI language."""
    en = current_lang() == "en"
    out = {f.name: getattr(r, f.name) for f in fields(r) if not f.name.startswith(("gap_reason", "name_", "unit_"))}
    out.update(name=(r.name_en if en else r.name_nb) or r.name_nb, unit_nb=(r.unit_en if en else r.unit_nb) or r.unit_nb)
    if r.gap_reason_nb is not None:
        out["gap_reason"] = r.gap_reason_en if en else r.gap_reason_nb
    return out


def profile_rows(knr: str, area: str | None) -> list[dict]:
    """One dict per indicator of the area: value, interval, county, country, spread, ranks, classes, change
    (from store.profile_view: precomputed by the pipeline, nothing recomputed here)."""
    return [localise_row(r) for r in store.profile_view(knr, area).rows]


def rug_columns(view) -> list[dict]:
    return [{"id": c["id"], "name": pick(c, "name"), "year": c["year"], "unit": c["unit"], "decimals": c["decimals"],
             "unit_nb": pick(c, "unit"), "source": c["source"], "licence": c["licence"]} for c in view.columns]


def rug_rows(view) -> list[dict]:
    """The matrix rows of a CountyView with the cells' text formatted for the UI."""
    dec = {c["id"]: (c["unit"], int(c["decimals"])) for c in view.columns}
    return [{"code": r["code"], "level": r["level"], "name": r["name"],
             "cells": {i: {"value": c["value"], "text": _fmt(c["value"], *dec[i]), "bench": c["bench"]}
                       for i, c in r["cells"].items()}} for r in view.rows]


def rug_data(fnr: str, area: str | None, sort: str | None, descending: bool) -> tuple[list[dict], list[dict]]:
    """(columns, rows) for the county matrix. Rows: country, county, municipalities (sorted)."""
    view = store.county_view(fnr, area, sort, descending)
    return rug_columns(view), rug_rows(view)


def headline_indicators(area: str | None, limit: int = 3) -> list[dict]:
    """The service indicators the neighbour tables show beside population and share 80+ (store/views.py)."""
    return [dict(i) for i in store_views.headline_indicators(area, limit)]


def neighbour_values_of(view) -> dict[str, list[str]]:
    """code -> formatted values of the view's headline indicators, «–» for a gap."""
    heads = view.headline
    return {c: [format_value(v, h["unit"], int(h["decimals"]), pick(h, "unit")) if v is not None else "–"
                for v, h in zip(vals, heads)] for c, vals in view.neighbour_values.items()}


def neighbour_headers(inds: list[dict]) -> list[str]:
    return [f"{pick(i, 'name')} ({i['year']})" for i in inds]


def geo_neighbours(knr: str, view=None) -> list[dict]:
    view = view or store.profile_view(knr, None)
    return [dict(r) for r in view.geo_neighbours]


def stat_neighbours(knr: str, view=None) -> list[dict]:
    from components.compare import feature_name
    view = view or store.profile_view(knr, None)
    out = []
    for r in view.stat_neighbours:
        shares = sorted(((s, f) for f, s in r["shares"].items()), reverse=True)
        differs = ", ".join(feature_name(f).lower() for s, f in shares[:2] if s >= 0.2) or _("små forskjeller")
        out.append({"code": r["code"], "name": r["name"], "county_name": r["county_name"], "rank": r["rank"],
                    "distance": r["distance"], "differs": differs[:1].upper() + differs[1:]})
    return out


def why_features(knr: str, view=None) -> list[dict]:
    """Feature values of the municipality vs the median of its statistical neighbours and of all."""
    view = view or store.profile_view(knr, None)
    return [dict(r) for r in view.why]


GROUP_NAMES = {"GEO": lambda: _("Geografiske naboer (median)"), "STAT": lambda: _("Statistiske naboer (median)")}


def trend_series(view) -> pd.DataFrame:
    """The TrendView's series with the neighbour groups named in the UI language."""
    series = view.series()
    codes = series["region_code"].tolist()
    if any(c in GROUP_NAMES for c in codes):  # one column assignment instead of a masked .loc per group
        names = {code: name() for code, name in GROUP_NAMES.items()}
        series["name"] = [names.get(c, n) for c, n in zip(codes, series["name"].tolist())]
    return series


def neighbour_trend_series(indicator_id: str, knr: str) -> pd.DataFrame:
    """store.series for the municipality, its county, the country + the medians of its geographic and
    statistical neighbours (codes 'GEO' / 'STAT', level 'group'), up to the reference year."""
    return trend_series(store.profile_trend_view(knr, indicator_id))
