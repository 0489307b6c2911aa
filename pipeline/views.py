"""Precomputed views (issue 13): what «Min kommune», «Fylkesbildet» and the profile trend used to derive on
every request from indicators.parquet, computed once per build.

Inputs (the final tables of the build, after intervals, projections and policy-document figures are added):
``indicators`` (indicator_id, level, region_code, year, value, ...), ``regions`` (region_code → county_code),
``neighbours`` (every row: bordering neighbours and the island fallback) and ``statistical_neighbours``.

Outputs, three tables (schemas in pipeline/schemas.py, columns in data/README.md):

* ``view_ranks`` — one row per indicator × level × year × region with a value, counties and municipalities:
  ``rank_all`` among the regions of its level (1 = highest value, ties share the lowest rank: pandas
  ``rank(method="min", ascending=False)``), ``n_all`` (regions of the level with a value), for municipalities
  ``rank_county`` / ``n_county`` within the county, and ``quintile`` (1–5, 1 = lowest fifth) among the regions
  of its level (the rule of store/benchmark.py's quintile_of; null below 5 values).
* ``view_spread`` — one row per indicator × level × year (``county_code`` null) and, for municipalities, per
  county: n, min, p25, median, p75, max (pandas ``Series.quantile``/``median``: linear interpolation) and the
  quintile edges q20…q80 (``numpy.quantile``, linear; null below 5 values), the spine chart's bars and the
  benchmark's quintile distribution.
* ``view_neighbour_medians`` — one row per municipality × indicator × year where at least one of its
  neighbours has a value: the median of the values of its geographic neighbours (neighbours.parquet, both
  relations) and of its statistical neighbours, with the number of values behind each median. A missing
  row means no neighbour has a value: the trend chart shows a gap there.

Each step uses the same function the app used at run time (pandas rank, Series.quantile/median, numpy
quantile), so the stored figures equal the old run-time ones exactly (tests/pipeline/test_views.py checks
it against a reference implementation of the old computation). Deterministic order: sorted by their keys.
Cost: about 1–2 s CPU of the build (measured with ``time python -m pipeline build``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd


RANK_LEVELS = ("county", "municipality")
EDGE_COLS = ["q20", "q40", "q60", "q80"]


def quintile_edges(values) -> np.ndarray | None:
    """[min, q20, q40, q60, q80, max] (numpy.quantile, linear) of the values; None below 5 values. The same
    rule as store/benchmark.py (quintile_edges/quintile_of), which the app applies to these edges."""
    vals = np.asarray(values, dtype=float)
    vals = vals[np.isfinite(vals)]
    if len(vals) < 5:
        return None
    return np.quantile(vals, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0])


def quintile_of(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """1..5 (1 = lowest fifth); a value on an edge goes to the lower quintile."""
    return np.searchsorted(edges[1:5], values, side="left") + 1


def _values(indicators: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    v = indicators.loc[indicators["level"].isin(RANK_LEVELS) & indicators["value"].notna(),
                       ["indicator_id", "level", "region_code", "year", "value"]].copy()
    v["county_code"] = v["region_code"].map(regions.set_index("region_code")["county_code"])
    return v.sort_values(["indicator_id", "level", "year", "region_code"]).reset_index(drop=True)


def _spread_row(vals: pd.Series) -> dict:
    q = vals.quantile([0.0, 0.25, 0.75, 1.0]).tolist()
    edges = quintile_edges(vals.tolist())
    out = {"n": int(len(vals)), "min": q[0], "p25": q[1], "median": float(vals.median()), "p75": q[2], "max": q[3]}
    out.update({c: (float(edges[i + 1]) if edges is not None else np.nan) for i, c in enumerate(EDGE_COLS)})
    return out


def build_ranks_and_spread(indicators: pd.DataFrame, regions: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    v = _values(indicators, regions)
    keys = ["indicator_id", "level", "year"]
    grp = v.groupby(keys, sort=True)["value"]
    v["rank_all"] = grp.rank(method="min", ascending=False).astype("int16")
    v["n_all"] = grp.transform("count").astype("int16")
    muni = v["level"] == "municipality"
    by_county = v[muni].groupby(keys + ["county_code"], sort=True)["value"]
    v["rank_county"] = pd.Series(by_county.rank(method="min", ascending=False), index=v.index).astype("Int16")
    v["n_county"] = pd.Series(by_county.transform("count"), index=v.index).astype("Int16")
    spread_rows, quint = [], pd.Series(pd.NA, index=v.index, dtype="Int8")
    for key, vals in grp:
        spread_rows.append({**dict(zip(keys, key)), "county_code": None, **_spread_row(vals)})
        edges = quintile_edges(vals.tolist())
        if edges is not None:
            quint.loc[vals.index] = quintile_of(vals.to_numpy(dtype=float), edges)
    for key, vals in by_county:
        spread_rows.append({**dict(zip(keys + ["county_code"], key)), **_spread_row(vals)})
    v["quintile"] = quint
    ranks = v[["indicator_id", "level", "region_code", "year", "rank_all", "n_all", "rank_county", "n_county",
               "quintile"]].reset_index(drop=True)
    spread = pd.DataFrame(spread_rows, columns=keys + ["county_code", "n", "min", "p25", "median", "p75", "max"]
                          + EDGE_COLS)
    spread["county_code"] = spread["county_code"].astype(object)
    spread = spread.astype({"year": "int16", "n": "int16"})
    spread = spread.sort_values(keys + ["county_code"], na_position="first").reset_index(drop=True)
    return ranks, spread


def build_neighbour_medians(indicators: pd.DataFrame, neighbours: pd.DataFrame,
                            statistical: pd.DataFrame) -> pd.DataFrame:
    vals = indicators.loc[(indicators["level"] == "municipality") & indicators["value"].notna(),
                          ["indicator_id", "region_code", "year", "value"]].rename(columns={"region_code": "neighbour_code"})
    keys = ["region_code", "indicator_id", "year"]
    parts = []
    for prefix, pairs in (("geo", neighbours), ("stat", statistical)):
        m = pairs[["region_code", "neighbour_code"]].merge(vals, on="neighbour_code")
        g = m.groupby(keys, sort=True)["value"]
        parts.append(pd.DataFrame({f"{prefix}_median": g.median(), f"{prefix}_n": g.count()}))
    out = parts[0].join(parts[1], how="outer").reset_index()
    for c in ("geo_n", "stat_n"):
        out[c] = out[c].fillna(0).astype("int16")  # a count: no neighbour with a value is 0, not a gap
    out = out.astype({"year": "int16"})
    return out[keys + ["geo_median", "geo_n", "stat_median", "stat_n"]].sort_values(keys).reset_index(drop=True)


def build_views(tables: dict) -> dict[str, pd.DataFrame]:
    ranks, spread = build_ranks_and_spread(tables["indicators"], tables["regions"])
    medians = build_neighbour_medians(tables["indicators"], tables["neighbours"], tables["statistical_neighbours"])
    return {"view_ranks": ranks, "view_spread": spread, "view_neighbour_medians": medians}
