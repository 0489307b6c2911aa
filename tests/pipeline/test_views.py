"""The precomputed views (pipeline/views.py → data/view_*.parquet) equal what callbacks/comparison.py computed
per request before issue 13: ranks (method «min», highest = 1), counts, quartiles, median, quintile edges and
quintiles, neighbour medians. The reference below is that old run-time code, kept verbatim in spirit (pandas
rank/quantile/median on store.snapshot, numpy quantile via store.benchmark.quintile_edges, medians of
store.series), and is compared exactly (==, not approximately) with the stored tables for several indicators
and years, on the committed data/."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import store
from store.benchmark import quintile_edges, quintile_of

CASES = [("share_80plus", None), ("population", None), ("median_age", None), ("care_ratio", 2010),
         ("kostra_gp_share_no_gp", None), ("kostra_institusjon_80plus", None), ("share_67plus", 2005)]


@pytest.fixture(scope="module", autouse=True)
def _data():
    store.init()
    d = store._d()
    if d.view_ranks.empty:
        pytest.fail("data/ has no view tables: run `python -m pipeline build`")
    return d


def _old_stats(indicator_id: str, year: int) -> dict:
    """callbacks/comparison._stats before issue 13 (the run-time computation the views replace)."""
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
            "n_all": int(len(vals)), "counties": counties}


def _year(indicator_id, year):
    return year if year is not None else store.profile_year(indicator_id)


@pytest.mark.parametrize("indicator_id,year", CASES)
def test_ranks_and_quintiles_equal_the_old_run_time_ones(_data, indicator_id, year):
    year = _year(indicator_id, year)
    st = _old_stats(indicator_id, year)
    r = _data.view_ranks
    r = r[(r["indicator_id"] == indicator_id) & (r["year"] == year)].set_index("region_code")
    munis = st["snap"][(st["snap"]["level"] == "municipality") & st["snap"]["value"].notna()]
    got = r[r["level"] == "municipality"]
    assert sorted(got.index) == sorted(munis.index)
    for code, row in munis.iterrows():
        g = got.loc[code]
        assert g["rank_all"] == st["rank_all"][code] and g["n_all"] == st["n_all"]
        assert g["rank_county"] == st["rank_county"][code]
        assert g["n_county"] == st["n_county"][row["county_code"]]
        assert g["quintile"] == quintile_of(row["value"], st["edges"])
    counties = got = r[r["level"] == "county"]
    c_rank = st["counties"].rank(method="min", ascending=False)
    assert sorted(counties.index) == sorted(st["counties"].index)
    for code in counties.index:
        assert counties.at[code, "rank_all"] == c_rank[code]
        assert counties.at[code, "quintile"] == quintile_of(st["counties"][code], st["county_edges"])


@pytest.mark.parametrize("indicator_id,year", CASES)
def test_spread_and_edges_equal_the_old_run_time_ones(_data, indicator_id, year):
    year = _year(indicator_id, year)
    st = _old_stats(indicator_id, year)
    s = _data.view_spread
    s = s[(s["indicator_id"] == indicator_id) & (s["year"] == year)]
    whole = s[(s["level"] == "municipality") & s["county_code"].isna()].iloc[0]
    for k in ("min", "p25", "median", "p75", "max"):
        assert whole[k] == st[k], k  # exact: the same pandas functions on the same values
    assert whole["n"] == st["n_all"]
    assert [whole[c] for c in ("min", "q20", "q40", "q60", "q80", "max")] == list(st["edges"])
    cty = s[(s["level"] == "county")].iloc[0]
    assert [cty[c] for c in ("min", "q20", "q40", "q60", "q80", "max")] == list(st["county_edges"])
    per_county = s[(s["level"] == "municipality") & s["county_code"].notna()].set_index("county_code")
    snap = st["snap"]
    for fnr, n in st["n_county"].items():
        if n == 0:
            assert fnr not in per_county.index
            continue
        vals = snap[(snap["level"] == "municipality") & (snap["county_code"] == fnr)]["value"].dropna()
        assert per_county.at[fnr, "n"] == n and per_county.at[fnr, "median"] == float(vals.median())
        assert per_county.at[fnr, "min"] == vals.min() and per_county.at[fnr, "max"] == vals.max()


@pytest.mark.parametrize("knr", ["4601", "0301", "1151", "5001", "3401"])
@pytest.mark.parametrize("indicator_id", ["share_80plus", "care_ratio", "kostra_gp_share_no_gp", "median_age"])
def test_neighbour_medians_equal_the_old_run_time_ones(_data, knr, indicator_id):
    """callbacks/comparison.neighbour_trend_series before issue 13: groupby-year median of store.series of the
    neighbours; compared with the stored medians and with what the store's trend view hands the callback."""
    m = _data.view_neighbour_medians
    m = m[(m["region_code"] == knr) & (m["indicator_id"] == indicator_id)].set_index("year")
    series = store.profile_trend_view(knr, indicator_id).series()
    for code, col, codes in (("GEO", "geo_median", list(store.neighbours(knr)["neighbour_code"])),
                             ("STAT", "stat_median", list(store.statistical_neighbours(knr)["neighbour_code"]))):
        old = store.series(indicator_id, codes).groupby("year")["value"].median()
        got = m[col].reindex(old.index)
        both = old.notna() | got.notna()
        assert both.any()
        assert (old[both] == got[both]).all(), (code, old[both].compare(got[both]))
        view = series[series["region_code"] == code].set_index("year")["value"]
        ref = store.reference_year()
        expect = old[old.index <= ref]
        assert np.array_equal(view.to_numpy(), expect.to_numpy(), equal_nan=True)


def test_views_cover_every_value(_data):
    ind = _data.indicators
    ranked = ind[ind["level"].isin(["county", "municipality"])]
    assert len(_data.view_ranks) == len(ranked)
    keys = set(zip(_data.view_spread["indicator_id"], _data.view_spread["level"], _data.view_spread["year"]))
    assert keys == set(zip(ranked["indicator_id"], ranked["level"], ranked["year"]))
    assert isinstance(_data.view_neighbour_medians, pd.DataFrame) and len(_data.view_neighbour_medians) > 0
