"""One view per callback (issue 13): the store answers «Min kommune» (``profile_view``), its trend
(``profile_trend_view``), «Fylkesbildet» (``county_view``) and the overview map (``map_view``) with one call each, returning an immutable,
memoised object with everything the page shows. Nothing here is localised or formatted: names come in
both languages (``name_nb``/``name_en``) and the UI picks (callbacks/comparison.py).

What the data fixes is precomputed by the pipeline (pipeline/views.py: view_ranks, view_spread,
view_neighbour_medians); here it is only looked up. The benchmark classes are still decided at run time by
``store.benchmark.classify`` from the precomputed inputs (value, interval, reference value, quintile edges),
so a change of the classifier needs no rebuild. Without the view tables (an old data/), ranks, spreads and
neighbour medians are simply absent (None), never recomputed.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

import numpy as np
import pandas as pd

import store
from store.benchmark import Benchmark, classify
from store.errors import QueryError

__all__ = ["ProfileRow", "ProfileView", "TrendView", "CountyView", "MapView", "profile_view", "profile_trend_view",
           "county_view", "map_view", "area_indicators", "clear", "warm"]

FACT_INDICATORS = ("population", "share_80plus", "median_age")
FACT_FEATURES = ("growth_10y", "log_density")
_NONE = Benchmark("none", "none", None, None)


def _f(x) -> float | None:
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _i(x) -> int | None:
    f = _f(x)
    return int(f) if f is not None else None


# ------------------------------------------------------------------------------------------- look-up index
@dataclass(frozen=True)
class _Index:
    cells: Mapping          # (indicator_id, year, region_code) -> (value, ci_low, ci_high)
    ranks: Mapping          # (indicator_id, year, region_code) -> (rank_all, n_all, rank_county, n_county, quintile)
    spread: Mapping         # (indicator_id, level, year, county_code | None) -> MappingProxy of the view_spread row
    medians: Mapping        # (region_code, indicator_id) -> {year: (geo_median, stat_median)}


def _col(df: pd.DataFrame, name: str, kind: str = "f") -> list:
    """A column as a Python list in one pass (Arrow/numpy -> list), NaN/NA as None; ``kind`` "f" float,
    "i" int, "s" as stored. Element-wise access to Arrow-backed columns is ~10x slower."""
    if name not in df.columns:
        return [None] * len(df)
    col = df[name]
    if kind == "s":
        return [v if isinstance(v, str) else None for v in col.tolist()]
    vals = col.to_numpy(dtype=float, na_value=np.nan).tolist()
    if kind == "i":
        return [int(v) if v == v else None for v in vals]
    return [v if v == v else None for v in vals]


@functools.lru_cache(maxsize=2)
def _index(_version: str) -> _Index:
    d = store._d()
    ind = d.indicators
    keys = list(zip(_col(ind, "indicator_id", "s"), _col(ind, "year", "i"), _col(ind, "region_code", "s")))
    cells = dict(zip(keys, zip(_col(ind, "value"), _col(ind, "ci_low"), _col(ind, "ci_high"))))
    r = d.view_ranks
    ranks = dict(zip(zip(_col(r, "indicator_id", "s"), _col(r, "year", "i"), _col(r, "region_code", "s")),
                     zip(*(_col(r, c, "i") for c in ("rank_all", "n_all", "rank_county", "n_county", "quintile")))))
    s = d.view_spread
    spread = {}
    for row in s.to_dict("records"):
        cc = row["county_code"] if isinstance(row["county_code"], str) else None
        spread[(row["indicator_id"], row["level"], int(row["year"]), cc)] = MappingProxyType(
            {k: (_f(v) if k not in ("indicator_id", "level", "county_code") else v) for k, v in row.items()})
    m = d.view_neighbour_medians
    medians: dict = {}
    for c, i, y, g, st in zip(_col(m, "region_code", "s"), _col(m, "indicator_id", "s"), _col(m, "year", "i"),
                              _col(m, "geo_median"), _col(m, "stat_median")):
        medians.setdefault((c, i), {})[y] = (g, st)
    return _Index(MappingProxyType(cells), MappingProxyType(ranks), MappingProxyType(spread),
                  MappingProxyType({k: MappingProxyType(v) for k, v in medians.items()}))


def warm() -> None:
    """Build the look-up index and the value grids now (a server calls it before forking its workers)."""
    _index(store.version())
    _tables(store.version())
    _features_matrix(store.version())
    for indicator_id in store._d().catalog.index:
        store._value_grid(store.version(), str(indicator_id))


def _edges(ix: _Index, indicator_id: str, level: str, year: int):
    """Quintile edges of the level's values (the country is placed among the municipalities)."""
    sp = ix.spread.get((indicator_id, "county" if level == "county" else "municipality", year, None))
    if sp is None or sp["q20"] is None:
        return None
    return np.array([sp["min"], sp["q20"], sp["q40"], sp["q60"], sp["q80"], sp["max"]])


def _bench(ix: _Index, indicator_id: str, year: int, code: str, level: str, ref_code: str,
           direction: str) -> Benchmark:
    cell = ix.cells.get((indicator_id, year, code)) or (None, None, None)
    ref = ix.cells.get((indicator_id, year, ref_code)) or (None, None, None)
    return classify(cell[0], cell[1], cell[2], reference=ref[0], direction=direction,
                    edges=_edges(ix, indicator_id, level, year))


@functools.lru_cache(maxsize=64)
def _area_indicators(_version: str, area: str | None) -> tuple:
    out = []
    for r in store.indicators_for(area).to_dict("records"):
        y = store.profile_year(r["id"])
        if y is not None:
            out.append(MappingProxyType({**r, "year": y}))
    return tuple(out)


def area_indicators(area: str | None) -> tuple:
    """Catalogue rows (read-only mappings + ``year``) of the area (None: all) that have a municipality value in
    or before the reference year, in catalogue order."""
    return _area_indicators(store.version(), area)


# ------------------------------------------------------------------------------------------- «Min kommune»
@dataclass(frozen=True)
class ProfileRow:
    id: str
    name_nb: str
    name_en: str
    unit: str
    unit_nb: str
    unit_en: str
    decimals: int
    direction: str
    year: int
    source: str
    licence: str
    value: float | None
    ci_low: float | None
    ci_high: float | None
    country: float | None
    county: float | None
    min: float | None
    p25: float | None
    p75: float | None
    max: float | None
    median: float | None
    rank_all: int | None
    n_all: int | None
    rank_county: int | None
    n_county: int | None
    bench_country: Benchmark
    bench_county: Benchmark
    change_5y: float | None
    gap_reason_nb: str | None = None   # set only for a gap with a known reason (the row then has no value)
    gap_reason_en: str | None = None


@dataclass(frozen=True)
class ProfileView:
    knr: str
    name: str
    county_code: str
    county_name: str
    area: str | None
    area_name_nb: str | None        # None: all areas
    area_name_en: str | None
    reference_year: int | None
    n_munis: int
    n_county_munis: int
    rows: tuple[ProfileRow, ...]
    facts: tuple[tuple[str, float | None], ...]        # (indicator_id, value at reference_year) of FACT_INDICATORS
    fact_units: Mapping                                 # indicator_id -> catalogue row (read-only)
    features: Mapping                                   # comparison feature -> value (this municipality)
    geo_neighbours: tuple                               # read-only mappings, border first
    stat_neighbours: tuple                              # read-only mappings: code, name, county_name, rank, distance, shares
    headline: tuple                                     # catalogue rows (+ year) of the neighbour tables' columns
    neighbour_values: Mapping                           # code -> tuple of values (None: gap) of ``headline``
    why: tuple                                          # read-only mappings: feature, value, nb_median, all_median, weight
    comparison: Mapping                                 # manifest["comparison"] (method texts)


def _profile_row(ix: _Index, ind: Mapping, knr: str, county: str, reasons: dict) -> ProfileRow:
    iid, y = ind["id"], int(ind["year"])
    cell = ix.cells.get((iid, y, knr)) or (None, None, None)
    value = cell[0]
    reason = reasons.get(knr)
    sp = ix.spread.get((iid, "municipality", y, None)) or {}
    csp = ix.spread.get((iid, "municipality", y, county)) or {}
    country = ix.cells.get((iid, y, "NO"))
    cty = ix.cells.get((iid, y, county))
    common = dict(id=iid, name_nb=ind["name_nb"], name_en=ind["name_en"], unit=ind["unit"], unit_nb=ind["unit_nb"],
                  unit_en=ind["unit_en"], decimals=int(ind["decimals"]), direction=ind["direction"], year=y,
                  source=ind["source"], licence=str(ind["licence"]),
                  country=country[0] if country else None, county=cty[0] if cty else None,
                  min=sp.get("min"), p25=sp.get("p25"), p75=sp.get("p75"), max=sp.get("max"),
                  median=sp.get("median"), n_all=int(sp["n"]) if sp else 0,
                  n_county=int(csp["n"]) if csp else (0 if sp else None))  # a county without values: 0
    if reason is not None and value is None:
        return ProfileRow(**common, value=None, ci_low=None, ci_high=None, rank_all=None, rank_county=None,
                          bench_country=_NONE, bench_county=_NONE, change_5y=None,
                          gap_reason_nb=reason[0], gap_reason_en=reason[1])
    rk = ix.ranks.get((iid, y, knr)) or (None, None, None, None, None)
    prev = ix.cells.get((iid, y - 5, knr))
    prev_v = prev[0] if prev else None
    return ProfileRow(**common, value=value, ci_low=cell[1], ci_high=cell[2], rank_all=rk[0], rank_county=rk[2],
                      bench_country=_bench(ix, iid, y, knr, "municipality", "NO", ind["direction"]),
                      bench_county=_bench(ix, iid, y, knr, "municipality", county, ind["direction"]),
                      change_5y=(value - prev_v) if (value is not None and prev_v is not None) else None)


def headline_indicators(area: str | None, limit: int = 3) -> tuple:
    """The service indicators the neighbour tables show beside population and share 80+: for one area its first
    ``limit`` indicators with municipality values (catalogue order); for all areas the first of each care-service
    area. Data-driven: a new indicator first in its area's catalogue order shows up here without code."""
    return _headline_indicators(store.version(), area, limit)


@functools.lru_cache(maxsize=64)
def _headline_indicators(_version: str, area: str | None, limit: int) -> tuple:
    inds = [i for i in area_indicators(area) if i["id"] not in ("population", "share_80plus")]
    if area:
        return tuple(inds[:limit])
    out: list = []
    for a in store.service_areas("municipality")["id"]:
        if a == "befolkning":
            continue
        hit = next((i for i in inds if a in i["service_areas"] and i not in out), None)
        if hit is not None:
            out.append(hit)
    return tuple(out[:limit])


@functools.lru_cache(maxsize=2)
def _tables(_version: str) -> dict:
    """What the profile looks up per municipality, split once per data version instead of filtered per request:
    geographic neighbours (code -> [(neighbour, relation, shared_border_km, distance_km)], store.neighbours'
    rows), region names (code -> (name, county_name)), statistical neighbours (code -> the rows of
    _stat_neighbours), comparison features (code -> {feature: value}, store.comparison_features' rows), the
    service areas (id -> row) and the number of municipalities (all, per county)."""
    d = store._d()
    nb = d.neighbours
    geo: dict = {}
    for code, *rest in zip(nb["region_code"].tolist(), nb["neighbour_code"].tolist(), nb["relation"].tolist(),
                           nb["shared_border_km"].tolist(), nb["distance_km"].tolist()):
        geo.setdefault(code, []).append(tuple(rest))
    reg = d.regions
    names = dict(zip(reg.index.tolist(), zip(reg["name"].tolist(), reg["county_name"].tolist())))
    stat = {code: _stat_rows(frame) for code, frame in store._stat_neighbour_groups(_version).items()
            if code is not None}
    feats: dict = {}
    for r in d.comparison_features.to_dict("records"):
        feats.setdefault(r["region_code"], {})[r["feature"]] = r["value"]
    munis = store._regions(_version, "municipality", None)
    return {"geo": geo, "names": names, "stat": stat, "features": feats,
            "areas": {r["id"]: r for r in d.service_areas.to_dict("records")},
            "n_munis": len(munis), "n_county": munis["county_code"].value_counts().to_dict()}


def _geo_neighbours(ix: _Index, knr: str, year: int | None) -> tuple:
    out = []
    t = _tables(store.version())
    for code, relation, shared_border_km, distance_km in t["geo"].get(knr, ()):
        name, county_name = t["names"][code]
        pop = ix.cells.get(("population", year, code)) if year else None
        s80 = ix.cells.get(("share_80plus", year, code)) if year else None
        out.append({"code": code, "name": name, "county_name": county_name,
                    "relation": relation, "shared_border_km": shared_border_km, "distance_km": distance_km,
                    "population": pop[0] if pop else None, "share_80plus": s80[0] if s80 else None})
    out.sort(key=lambda d: (d["relation"] != "border", -(d["shared_border_km"] or 0), d["code"]))
    return tuple(MappingProxyType(d) for d in out)


def _stat_neighbours(knr: str) -> tuple:
    return _tables(store.version())["stat"].get(knr, ())


def _stat_rows(sn: pd.DataFrame) -> tuple:
    share_cols = [c for c in sn.columns if c.startswith("share_")]
    return tuple(MappingProxyType({
        "code": r["neighbour_code"], "name": r["name"], "county_name": r["county_name"], "rank": int(r["rank"]),
        "distance": float(r["distance"]),
        "shares": MappingProxyType({c[len("share_"):]: float(r[c]) for c in share_cols})})
        for r in sn.to_dict("records"))


def _why(knr: str) -> tuple:
    """Feature values of the municipality vs the median of its statistical neighbours and of all."""
    wide, features, all_median = _features_wide(store.version())
    if wide is None or knr not in wide.index:
        return ()
    nbs = [r["code"] for r in _stat_neighbours(knr)]
    weights = {f["id"]: f["weight"] for f in store.manifest().get("comparison", {}).get("features", [])}
    matrix, row = _features_matrix(store.version())
    nb = matrix[[row[c] for c in nbs]]
    mine = matrix[row[knr]]
    return tuple(MappingProxyType({"feature": f, "value": float(mine[j]), "nb_median": float(np.median(nb[:, j])),
                                   "all_median": all_median[f], "weight": float(weights.get(f, 1.0))})
                 for j, f in enumerate(features))


@functools.lru_cache(maxsize=2)
def _features_matrix(_version: str) -> tuple[np.ndarray, dict[str, int]]:
    """_features_wide as a float matrix (rows: municipalities, columns: the features in order) and each
    municipality's row: a row look-up instead of a .loc per request."""
    wide, features, _median = _features_wide(_version)
    if wide is None:  # data without comparison features
        return np.empty((0, 0)), {}
    return wide.loc[:, list(features)].to_numpy(dtype=float), {c: i for i, c in enumerate(wide.index)}


@functools.lru_cache(maxsize=2)
def _features_wide(_version: str):
    """The comparison features wide (municipality × feature), their order, and each one's median over all."""
    cf = store._d().comparison_features
    if cf.empty:
        return None, (), {}
    features = tuple(dict.fromkeys(cf["feature"]))
    wide = cf.pivot(index="region_code", columns="feature", values="value")
    return wide, features, {f: float(wide[f].median()) for f in features}


def profile_view(knr: str, area: str | None = None) -> ProfileView:
    """Everything «Min kommune» shows for one municipality and service area (None: all), in one call.
    Raises QueryError for a code that is not a municipality or an unknown area."""
    reg = store.region(knr) if isinstance(knr, str) else None
    if reg is None or reg["level"] != "municipality":
        raise QueryError(f"ukjent kommune: {knr!r}")
    if area is not None and area not in _tables(store.version())["areas"]:
        raise QueryError(f"ukjent tjenesteområde: {area!r}")
    return _profile_view(store.version(), knr, area)


@functools.lru_cache(maxsize=1024)
def _profile_view(_version: str, knr: str, area: str | None) -> ProfileView:
    ix = _index(_version)
    reg = store.region(knr)
    county = reg["county_code"]
    rows = []
    for ind in area_indicators(area):
        rows.append(_profile_row(ix, ind, knr, county, store.gap_reasons(ind["id"], ind["year"])))
    year = store.reference_year()
    facts, units = [], {}
    for iid in FACT_INDICATORS:
        row = store.indicator(iid)
        if row and year:
            cell = ix.cells.get((iid, year, knr))
            facts.append((iid, cell[0] if cell else None))
            units[iid] = MappingProxyType(row)
    t = _tables(_version)
    feats = t["features"].get(knr, {})
    heads = headline_indicators(area)
    geo, stat = _geo_neighbours(ix, knr, year), _stat_neighbours(knr)
    codes = [knr] + [r["code"] for r in geo] + [r["code"] for r in stat]
    values = {c: tuple((ix.cells.get((h["id"], int(h["year"]), c)) or (None,))[0] for h in heads) for c in codes}
    a = t["areas"].get(area)
    return ProfileView(
        knr=knr, name=reg["name"], county_code=county, county_name=reg["county_name"], area=area,
        area_name_nb=a["name_nb"] if a else None, area_name_en=a["name_en"] if a else None, reference_year=year,
        n_munis=t["n_munis"], n_county_munis=t["n_county"].get(county, 0) if isinstance(county, str) else t["n_munis"],
        rows=tuple(rows),
        facts=tuple(facts), fact_units=MappingProxyType(units),
        features=MappingProxyType({k: v for k, v in feats.items() if k in FACT_FEATURES}),
        geo_neighbours=geo, stat_neighbours=stat, headline=heads, neighbour_values=MappingProxyType(values),
        why=_why(knr), comparison=MappingProxyType(dict(store.manifest().get("comparison", {}))))


# ------------------------------------------------------------------------------------------- the profile trend
@dataclass(frozen=True)
class TrendView:
    knr: str
    indicator: Mapping          # the catalogue row (read-only)
    name: str
    county_name: str
    _series: pd.DataFrame       # private: callers get a copy from .series()

    def series(self) -> pd.DataFrame:
        """region_code, name, level, year, value for the municipality, its county, the country (store.series)
        and the neighbour medians (codes ``GEO``/``STAT``, level ``group``, name empty: the UI names them),
        up to the reference year. A fresh copy."""
        return self._series.copy()


def profile_trend_view(knr: str, indicator_id: str) -> TrendView:
    reg = store.region(knr) if isinstance(knr, str) else None
    if reg is None or reg["level"] != "municipality":
        raise QueryError(f"ukjent kommune: {knr!r}")
    if store.indicator(indicator_id) is None:
        raise QueryError(f"ukjent indikator: {indicator_id!r}")
    return _profile_trend_view(store.version(), knr, indicator_id)


@functools.lru_cache(maxsize=1024)
def _profile_trend_view(_version: str, knr: str, indicator_id: str) -> TrendView:
    """One frame built from the per-indicator value grid (store._value_grid) and the precomputed medians: the
    same rows and types as store.series of the three places with the two groups' rows concatenated."""
    ix = _index(_version)
    reg = store.region(knr)
    codes = tuple(dict.fromkeys(c for c in (knr, reg["county_code"], "NO") if isinstance(c, str)
                                and c in store._d().regions.index))  # what store.series keeps: knr at least
    all_years, names, levels, values = store._series_columns(indicator_id, codes)
    n_years = len(all_years)
    region_code = [c for c in codes for _y in all_years]
    name = [n for n in names for _y in all_years]
    level = [lv for lv in levels for _y in all_years]
    value = [values]
    med = ix.medians.get((knr, indicator_id), {})
    for code, pos, has in (("GEO", 0, knr in _with_neighbours(_version)),
                           ("STAT", 1, bool(_stat_neighbours(knr)))):
        if not has:
            continue
        region_code += [code] * n_years
        name += [""] * n_years
        level += ["group"] * n_years
        value.append(np.array([(med.get(y) or (None, None))[pos] for y in all_years], dtype="float64"))
    n = len(region_code)
    year = np.tile(np.array(all_years, dtype="int64"), n // n_years if n_years else 0)
    value = np.concatenate(value)
    ref = store.reference_year()
    keep = year <= ref if ref else np.ones(n, dtype=bool)
    pick = np.flatnonzero(keep)
    text = {k: (np.array(v, dtype=object)[pick] if len(pick) else pd.Series(dtype="str"))  # str, as store.series
            for k, v in (("region_code", region_code), ("name", name), ("level", level))}
    series = pd.DataFrame({**text, "year": year[pick], "value": value[pick]})
    return TrendView(knr=knr, indicator=MappingProxyType(store.indicator(indicator_id)), name=reg["name"],
                     county_name=reg["county_name"], _series=series)


@functools.lru_cache(maxsize=2)
def _with_neighbours(_version: str) -> frozenset:
    """The municipalities that have geographic neighbours (store.neighbours not empty)."""
    return frozenset(store._d().neighbours["region_code"])


# ------------------------------------------------------------------------------------------- «Fylkesbildet»
@dataclass(frozen=True)
class CountyView:
    fnr: str
    name: str
    area: str | None
    sort: str
    descending: bool
    columns: tuple      # catalogue rows (+ year), read-only
    rows: tuple         # read-only mappings: code, level, name, cells {indicator_id: {value, bench}}; country,
                        # county, then the municipalities in the asked order


def county_view(fnr: str, area: str | None = None, sort: str | None = None, descending: bool = False) -> CountyView:
    reg = store.region(fnr) if isinstance(fnr, str) else None
    if reg is None or reg["level"] != "county":
        raise QueryError(f"ukjent fylke: {fnr!r}")
    if area is not None and area not in set(store.service_areas()["id"]):
        raise QueryError(f"ukjent tjenesteområde: {area!r}")
    return _county_view(store.version(), fnr, area, sort if isinstance(sort, str) else "knr", bool(descending))


@functools.lru_cache(maxsize=512)
def _county_view(_version: str, fnr: str, area: str | None, sort: str, descending: bool) -> CountyView:
    ix = _index(_version)
    cols = area_indicators(area)
    munis = store.municipalities(fnr)
    rows = []
    members = [("NO", "country", "Norge"), (fnr, "county", store.region(fnr)["name"])] + \
        [(c, "municipality", n) for c, n in zip(munis["region_code"], munis["name"])]
    for code, level, name in members:
        cells = {}
        for c in cols:
            y = int(c["year"])
            cell = ix.cells.get((c["id"], y, code))
            if cell is None or cell[0] is None:
                continue
            cells[c["id"]] = MappingProxyType({"value": cell[0], "bench": _bench(ix, c["id"], y, code, level, "NO",
                                                                               c["direction"])})
        rows.append({"code": code, "level": level, "name": name, "cells": MappingProxyType(cells)})
    head, body = rows[:2], rows[2:]
    if sort in {c["id"] for c in cols}:
        def key(r):
            cell = r["cells"].get(sort)
            v = cell["value"] if cell else None
            return (v is None, -(v or 0) if descending else (v or 0), r["code"])
        body.sort(key=key)
    elif sort == "navn":
        body.sort(key=lambda r: r["name"], reverse=descending)
    else:
        body.sort(key=lambda r: r["code"], reverse=descending)
    return CountyView(fnr=fnr, name=store.region(fnr)["name"], area=area, sort=sort, descending=descending,
                      columns=cols, rows=tuple(MappingProxyType(r) for r in head + body))


# ------------------------------------------------------------------------------------------- the overview map
@dataclass(frozen=True)
class MapView:
    indicator: Mapping          # the catalogue row (read-only)
    level: str                  # data level: county / municipality
    county: str | None          # the county the map shows (municipality level only), None: the whole country
    county_name: str | None
    years: tuple[int, ...]      # years with data at the level
    year: int | None            # the year shown: the one asked for if it has data, else the latest
    year_fallback: bool         # a year was asked for and has no data (the page says so)
    gap_codes: tuple[str, ...]  # regions lacking a value in at least one year (the grey layer, year-independent)
    gap_reasons: Mapping        # municipality code -> (reason_nb, reason_en) for this year
    crange: tuple[float, float] | None  # colour range over all years (fixed while the year changes)
    _frame: pd.DataFrame        # private: callers get a copy from .frame()

    def frame(self) -> pd.DataFrame:
        """store.values for the level, year and county (a fresh copy)."""
        return self._frame.copy()


def map_view(indicator_id: str, level: str, year=None, county: str | None = None) -> MapView:
    """Everything the overview map shows for one indicator, level, year (None or a year without data: the
    latest) and county (municipality level; None: the whole country), in one call. QueryError when unknown."""
    if store.indicator(indicator_id) is None:
        raise QueryError(f"ukjent indikator: {indicator_id!r}")
    lvl = store._level(level)
    county = county if isinstance(county, str) and lvl == "municipality" else None
    if county is not None and (store.region(county) or {}).get("level") != "county":
        raise QueryError(f"ukjent fylke: {county!r}")
    try:
        y = int(year) if year is not None else None
    except (TypeError, ValueError):
        y = None
    return _map_view(store.version(), indicator_id, lvl, y, county)


@functools.lru_cache(maxsize=1024)
def _map_view(_version: str, indicator_id: str, lvl: str, year: int | None, county: str | None) -> MapView:
    years = tuple(store.years(indicator_id, lvl))
    shown = year if year in years else (years[-1] if years else None)
    frame = store.values(indicator_id, lvl, shown, county) if shown is not None else pd.DataFrame()
    return MapView(indicator=MappingProxyType(store.indicator(indicator_id)), level=lvl, county=county,
                   county_name=store.region(county)["name"] if county else None, years=years, year=shown,
                   year_fallback=year is not None and shown != year,
                   gap_codes=tuple(store.incomplete_regions(indicator_id, lvl, county)),
                   gap_reasons=MappingProxyType(store.gap_reasons(indicator_id, shown) if shown is not None else {}),
                   crange=store.value_range(indicator_id, lvl, county), _frame=frame)


def clear() -> None:
    for memo in (_index, _area_indicators, _profile_view, _profile_trend_view, _county_view, _map_view,
                 _features_wide, _features_matrix, _tables, _headline_indicators, _with_neighbours):
        memo.cache_clear()
