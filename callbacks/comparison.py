"""Shared data shaping for «Min kommune» and «Fylkesbildet»: per-indicator statistics and benchmark
classes for one year, computed once per (indicator, year, data version) in-process. No Dash callbacks
here; everything works for any indicator in the catalogue (it only uses unit, decimals, direction)."""
from __future__ import annotations

import functools
import math

import numpy as np
import pandas as pd

import store
from components.format import format_number, format_value
from store.benchmark import Benchmark, classify, quintile_edges
from components.i18n import _, current_lang, pick

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
    cat = store.indicators_for(area)
    out = []
    for r in cat.to_dict("records"):
        y = store.profile_year(r["id"])
        if y is not None:
            out.append({**r, "year": y})
    return out


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


def profile_rows(knr: str, area: str | None) -> list[dict]:
    """One dict per indicator of the area: value, interval, county, country, spread, ranks, classes, change."""
    reg = store.region(knr)
    county = reg["county_code"]
    rows = []
    for ind in area_indicators(area):
        y = ind["year"]
        st = stats(ind["id"], y)
        snap = st["snap"]
        reason = store.gap_reasons(ind["id"], y).get(knr)
        if reason is not None and (knr not in snap.index or _f(snap.at[knr, "value"]) is None):
            rows.append(_gap_row(ind, y, st, snap, county, reason[1] if current_lang() == "en" else reason[0]))
            continue
        if knr not in snap.index:
            continue
        r = snap.loc[knr]
        prev = None
        if y - 5 in store.years(ind["id"], "municipality"):
            ps = stats(ind["id"], y - 5)["snap"]
            prev = _f(ps.at[knr, "value"]) if knr in ps.index else None
        value = _f(r["value"])
        rows.append({
            "id": ind["id"], "name": pick(ind, "name"), "unit": ind["unit"], "unit_nb": pick(ind, "unit"),
            "decimals": int(ind["decimals"]), "direction": ind["direction"], "year": y,
            "source": ind["source"], "value": value, "ci_low": _f(r["ci_low"]), "ci_high": _f(r["ci_high"]),
            "country": _f(snap.at["NO", "value"]) if "NO" in snap.index else None,
            "county": _f(snap.at[county, "value"]) if county in snap.index else None,
            "min": st["min"], "p25": st["p25"], "p75": st["p75"], "max": st["max"], "median": st["median"],
            "rank_all": _int(st["rank_all"].get(knr)), "n_all": st["n_all"],
            "rank_county": _int(st["rank_county"].get(knr)), "n_county": _int(st["n_county"].get(county)),
            "bench_country": bench(st, knr, "NO", ind["direction"]),
            "bench_county": bench(st, knr, county, ind["direction"]),
            "change_5y": (value - prev) if (value is not None and prev is not None) else None,
        })
    return rows


def _gap_row(ind: dict, y: int, st: dict, snap, county: str, reason: str) -> dict:
    """A profile row for an indicator the municipality has no value for, with the reason (never a number)."""
    none = classify(None, reference=None)
    return {
        "id": ind["id"], "name": pick(ind, "name"), "unit": ind["unit"], "unit_nb": pick(ind, "unit"),
        "decimals": int(ind["decimals"]), "direction": ind["direction"], "year": y, "source": ind["source"],
        "value": None, "ci_low": None, "ci_high": None, "gap_reason": reason,
        "country": _f(snap.at["NO", "value"]) if "NO" in snap.index else None,
        "county": _f(snap.at[county, "value"]) if county in snap.index else None,
        "min": st["min"], "p25": st["p25"], "p75": st["p75"], "max": st["max"], "median": st["median"],
        "rank_all": None, "n_all": st["n_all"], "rank_county": None, "n_county": _int(st["n_county"].get(county)),
        "bench_country": none, "bench_county": none, "change_5y": None,
    }


def rug_data(fnr: str, area: str | None, sort: str | None, descending: bool) -> tuple[list[dict], list[dict]]:
    """(columns, rows) for the county matrix. Rows: country, county, municipalities (sorted)."""
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
            v = float(snap.at[code, "value"])
            text = format_value(v, "percent", int(c["decimals"])) if c["unit"] == "percent" else \
                format_number(v, int(c["decimals"]))
            cells[c["id"]] = {"value": v, "text": text,
                              "bench": bench(st, code, "NO", c["direction"])}
        rows.append({"code": code, "level": level, "name": name, "cells": cells})
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
    return [{"id": c["id"], "name": pick(c, "name"), "year": c["year"], "unit": c["unit"], "decimals": c["decimals"],
             "unit_nb": pick(c, "unit"), "source": c["source"], "licence": c["licence"]} for c in cols], head + body


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
    from components.compare import feature_name
    sn = store.statistical_neighbours(knr)
    out = []
    share_cols = [c for c in sn.columns if c.startswith("share_")]
    for r in sn.to_dict("records"):
        shares = sorted(((r[c], c[len("share_"):]) for c in share_cols), reverse=True)
        differs = ", ".join(feature_name(f).lower() for s, f in shares[:2] if s >= 0.2) or _("små forskjeller")
        out.append({"code": r["neighbour_code"], "name": r["name"], "county_name": r["county_name"],
                    "rank": int(r["rank"]), "distance": float(r["distance"]), "differs": differs[:1].upper() + differs[1:]})
    return out


def why_features(knr: str) -> list[dict]:
    """Feature values of the municipality vs the median of its statistical neighbours and of all."""
    cf = store.comparison_features()
    if cf.empty or knr not in set(cf["region_code"]):
        return []
    nbs = [r["neighbour_code"] for r in store.statistical_neighbours(knr).to_dict("records")]
    weights = {f["id"]: f["weight"] for f in store.manifest().get("comparison", {}).get("features", [])}
    wide = cf.pivot(index="region_code", columns="feature", values="value")
    out = []
    for f in dict.fromkeys(cf["feature"]):
        out.append({"feature": f, "value": float(wide.at[knr, f]), "nb_median": float(np.median(wide.loc[nbs, f])),
                    "all_median": float(wide[f].median()), "weight": float(weights.get(f, 1.0))})
    return out


def neighbour_trend_series(indicator_id: str, knr: str) -> pd.DataFrame:
    """store.series for the municipality, its county, the country + the medians of its geographic and
    statistical neighbours (codes 'GEO' / 'STAT', level 'group')."""
    reg = store.region(knr)
    base = store.series(indicator_id, [knr, reg["county_code"], "NO"])
    parts = [base]
    for code, name, codes in (("GEO", _("Geografiske naboer (median)"), list(store.neighbours(knr)["neighbour_code"])),
                              ("STAT", _("Statistiske naboer (median)"),
                               list(store.statistical_neighbours(knr)["neighbour_code"]))):
        if not codes:
            continue
        s = store.series(indicator_id, codes)
        med = s.groupby("year")["value"].median().reset_index()
        med["region_code"], med["name"], med["level"] = code, name, "group"
        parts.append(med[["region_code", "name", "level", "year", "value"]])
    return pd.concat(parts, ignore_index=True)
