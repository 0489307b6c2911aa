"""Reference implementation of the run-time computation «Min kommune» and «Fylkesbildet» did per request before
issue 13 (callbacks/comparison.py then: per-(indicator, year) statistics from store.snapshot with pandas rank /
quantile / median, neighbour medians from store.series), shaped as the store's new views.

Used by tests/unit/test_views_equal_old.py (the new, precomputed views must equal these exactly) and by
tests/benchmarks/bench_profile.py (``--old`` timings: the same callbacks with the store's view functions
replaced by these). Not used by the app."""
from __future__ import annotations

import functools
import math
from types import MappingProxyType

import numpy as np
import pandas as pd

import store
from store import views as sv
from store.benchmark import Benchmark, classify, quintile_edges


@functools.lru_cache(maxsize=512)
def _stats(indicator_id: str, year: int, version: str) -> dict:
    snap = store.snapshot(indicator_id, year).set_index("region_code", drop=False)
    munis = snap[snap["level"] == "municipality"]
    vals = munis["value"].dropna()
    rank_all = munis["value"].rank(method="min", ascending=False)
    rank_county = munis.groupby("county_code")["value"].rank(method="min", ascending=False)
    n_county = munis.groupby("county_code")["value"].count()
    q = vals.quantile([0.0, 0.25, 0.75, 1.0]).tolist() if len(vals) else [math.nan] * 4
    counties = snap.loc[snap["level"] == "county", "value"].dropna()
    return {"snap": snap, "edges": quintile_edges(vals.tolist()), "county_edges": quintile_edges(counties.tolist()),
            "median": float(vals.median()) if len(vals) else math.nan, "min": q[0], "p25": q[1], "p75": q[2],
            "max": q[3], "rank_all": rank_all, "rank_county": rank_county, "n_county": n_county,
            "n_all": int(len(vals))}


def stats(indicator_id: str, year: int) -> dict:
    return _stats(indicator_id, int(year), store.version())


def clear() -> None:
    _stats.cache_clear()


def bench(st: dict, code: str, ref_code: str, direction: str) -> Benchmark:
    snap = st["snap"]
    if code not in snap.index or ref_code not in snap.index:
        return classify(None, reference=None)
    r = snap.loc[code]
    edges = st["county_edges"] if r["level"] == "county" else st["edges"]
    return classify(r["value"], r["ci_low"], r["ci_high"], reference=snap.at[ref_code, "value"],
                    direction=direction, edges=edges)


def _f(x) -> float | None:
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _int(x) -> int | None:
    f = _f(x)
    return int(f) if f is not None else None


def area_indicators(area):
    out = []
    for r in store.indicators_for(area).to_dict("records"):
        y = store.profile_year(r["id"])
        if y is not None:
            out.append({**r, "year": y})
    return out


def profile_rows(knr: str, area) -> list[sv.ProfileRow]:
    reg = store.region(knr)
    county = reg["county_code"]
    rows = []
    for ind in area_indicators(area):
        y = ind["year"]
        st = stats(ind["id"], y)
        snap = st["snap"]
        reason = store.gap_reasons(ind["id"], y).get(knr)
        common = dict(id=ind["id"], name_nb=ind["name_nb"], name_en=ind["name_en"], unit=ind["unit"],
                      unit_nb=ind["unit_nb"], unit_en=ind["unit_en"], decimals=int(ind["decimals"]),
                      direction=ind["direction"], year=y, source=ind["source"],
                      licence=str(store.indicator(ind["id"])["licence"]),
                      country=_f(snap.at["NO", "value"]) if "NO" in snap.index else None,
                      county=_f(snap.at[county, "value"]) if county in snap.index else None,
                      min=st["min"], p25=st["p25"], p75=st["p75"], max=st["max"], median=st["median"],
                      n_all=st["n_all"], n_county=_int(st["n_county"].get(county)))
        if reason is not None and (knr not in snap.index or _f(snap.at[knr, "value"]) is None):
            none = classify(None, reference=None)
            rows.append(sv.ProfileRow(**common, value=None, ci_low=None, ci_high=None, rank_all=None,
                                      rank_county=None, bench_country=none, bench_county=none, change_5y=None,
                                      gap_reason_nb=reason[0], gap_reason_en=reason[1]))
            continue
        if knr not in snap.index:
            continue
        r = snap.loc[knr]
        prev = None
        if y - 5 in store.years(ind["id"], "municipality"):
            ps = stats(ind["id"], y - 5)["snap"]
            prev = _f(ps.at[knr, "value"]) if knr in ps.index else None
        value = _f(r["value"])
        rows.append(sv.ProfileRow(
            **common, value=value, ci_low=_f(r["ci_low"]), ci_high=_f(r["ci_high"]),
            rank_all=_int(st["rank_all"].get(knr)), rank_county=_int(st["rank_county"].get(knr)),
            bench_country=bench(st, knr, "NO", ind["direction"]), bench_county=bench(st, knr, county, ind["direction"]),
            change_5y=(value - prev) if (value is not None and prev is not None) else None))
    return rows


def headline_indicators(area, limit: int = 3) -> list[dict]:
    inds = [i for i in area_indicators(area) if i["id"] not in ("population", "share_80plus")]
    if area:
        return inds[:limit]
    out: list[dict] = []
    for a in store.service_areas("municipality")["id"]:
        if a == "befolkning":
            continue
        hit = next((i for i in inds if a in i["service_areas"] and i not in out), None)
        if hit is not None:
            out.append(hit)
    return out[:limit]


def geo_neighbours(knr: str) -> list[dict]:
    nb = store.neighbours(knr)
    year = store.reference_year()
    pop = stats("population", year)["snap"] if year and store.indicator("population") else None
    s80 = stats("share_80plus", year)["snap"] if year and store.indicator("share_80plus") else None
    out = []
    for r in nb.itertuples():
        reg = store.region(r.neighbour_code)
        out.append({"code": r.neighbour_code, "name": reg["name"], "county_name": reg["county_name"],
                    "relation": r.relation, "shared_border_km": r.shared_border_km, "distance_km": r.distance_km,
                    "population": _f(pop.at[r.neighbour_code, "value"]) if pop is not None else None,
                    "share_80plus": _f(s80.at[r.neighbour_code, "value"]) if s80 is not None else None})
    out.sort(key=lambda d: (d["relation"] != "border", -(d["shared_border_km"] or 0), d["code"]))
    return out


def stat_neighbours(knr: str) -> list[dict]:
    sn = store.statistical_neighbours(knr)
    share_cols = [c for c in sn.columns if c.startswith("share_")]
    return [{"code": r["neighbour_code"], "name": r["name"], "county_name": r["county_name"], "rank": int(r["rank"]),
             "distance": float(r["distance"]), "shares": {c[len("share_"):]: float(r[c]) for c in share_cols}}
            for r in sn.to_dict("records")]


def why_features(knr: str) -> list[dict]:
    cf = store.comparison_features()
    if cf.empty or knr not in set(cf["region_code"]):
        return []
    nbs = [r["neighbour_code"] for r in store.statistical_neighbours(knr).to_dict("records")]
    weights = {f["id"]: f["weight"] for f in store.manifest().get("comparison", {}).get("features", [])}
    wide = cf.pivot(index="region_code", columns="feature", values="value")
    return [{"feature": f, "value": float(wide.at[knr, f]), "nb_median": float(np.median(wide.loc[nbs, f])),
             "all_median": float(wide[f].median()), "weight": float(weights.get(f, 1.0))}
            for f in dict.fromkeys(cf["feature"])]


def profile_view(knr: str, area=None) -> sv.ProfileView:
    """The ProfileView computed the old way (per request, from snapshots)."""
    reg = store.region(knr)
    county = reg["county_code"]
    year = store.reference_year()
    facts, units = [], {}
    for iid in sv.FACT_INDICATORS:
        row = store.indicator(iid)
        if row and year:
            facts.append((iid, _f(stats(iid, year)["snap"].at[knr, "value"])))
            units[iid] = MappingProxyType(row)
    feats = {f["feature"]: f["value"] for f in store.comparison_features([knr]).to_dict("records")}
    heads = headline_indicators(area)
    geo, stat = geo_neighbours(knr), stat_neighbours(knr)
    # dict.fromkeys: the old code appended a value once per occurrence, so a municipality in both neighbour
    # lists (Oslo: 3201, 3205) got 6 cells under 3 headers; the new view has one tuple per code (fixed)
    codes = list(dict.fromkeys([knr] + [r["code"] for r in geo] + [r["code"] for r in stat]))
    values = {c: [] for c in codes}
    for ind in heads:
        snap = stats(ind["id"], ind["year"])["snap"]
        for c in codes:
            values[c].append(_f(snap.at[c, "value"]) if c in snap.index else None)
    areas = {r["id"]: r for r in store.service_areas().to_dict("records")}
    a = areas.get(area)
    return sv.ProfileView(
        knr=knr, name=reg["name"], county_code=county, county_name=reg["county_name"], area=area,
        area_name_nb=a["name_nb"] if a else None, area_name_en=a["name_en"] if a else None, reference_year=year,
        n_munis=len(store.municipalities()), n_county_munis=len(store.municipalities(county)),
        rows=tuple(profile_rows(knr, area)), facts=tuple(facts), fact_units=MappingProxyType(units),
        features=MappingProxyType({k: v for k, v in feats.items() if k in sv.FACT_FEATURES}),
        geo_neighbours=tuple(MappingProxyType(d) for d in geo),
        stat_neighbours=tuple(MappingProxyType({**d, "shares": MappingProxyType(d["shares"])}) for d in stat),
        headline=tuple(MappingProxyType(h) for h in heads),
        neighbour_values=MappingProxyType({c: tuple(v) for c, v in values.items()}),
        why=tuple(MappingProxyType(w) for w in why_features(knr)),
        comparison=MappingProxyType(dict(store.manifest().get("comparison", {}))))


def profile_trend_view(knr: str, indicator_id: str) -> sv.TrendView:
    reg = store.region(knr)
    base = store.series(indicator_id, [knr, reg["county_code"], "NO"])
    parts = [base]
    for code, codes in (("GEO", list(store.neighbours(knr)["neighbour_code"])),
                        ("STAT", list(store.statistical_neighbours(knr)["neighbour_code"]))):
        if not codes:
            continue
        s = store.series(indicator_id, codes)
        med = s.groupby("year")["value"].median().reset_index()
        med["region_code"], med["name"], med["level"] = code, "", "group"
        parts.append(med[["region_code", "name", "level", "year", "value"]])
    series = pd.concat(parts, ignore_index=True)
    ref = store.reference_year()
    if ref:
        series = series[series["year"] <= ref].reset_index(drop=True)
    return sv.TrendView(knr=knr, indicator=MappingProxyType(store.indicator(indicator_id)), name=reg["name"],
                        county_name=reg["county_name"], _series=series)


def county_view(fnr: str, area=None, sort=None, descending: bool = False) -> sv.CountyView:
    sort = sort if isinstance(sort, str) else "knr"
    cols = area_indicators(area)
    munis = store.municipalities(fnr)
    rows = []
    for code, level, name in [("NO", "country", "Norge"), (fnr, "county", store.region(fnr)["name"])] + \
            [(c, "municipality", n) for c, n in zip(munis["region_code"], munis["name"])]:
        cells = {}
        for c in cols:
            st = stats(c["id"], c["year"])
            snap = st["snap"]
            if code not in snap.index or _f(snap.at[code, "value"]) is None:
                continue
            cells[c["id"]] = MappingProxyType({"value": float(snap.at[code, "value"]),
                                               "bench": bench(st, code, "NO", c["direction"])})
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
    return sv.CountyView(fnr=fnr, name=store.region(fnr)["name"], area=area, sort=sort, descending=bool(descending),
                         columns=tuple(MappingProxyType(c) for c in cols),
                         rows=tuple(MappingProxyType(r) for r in head + body))
