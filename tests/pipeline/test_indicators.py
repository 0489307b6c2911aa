"""Indicator arithmetic on small hand-made populations (fixtures) and on the committed data."""
from __future__ import annotations

import pandas as pd
import pytest

from pipeline import indicators as ind


def _pop(counts: dict[int, float], code="0301", year=2024, level="municipality"):
    return pd.DataFrame([(level, code, year, a, float(counts.get(a, 0))) for a in range(106)],
                        columns=["level", "region_code", "year", "age", "population"]).astype(
        {"year": "int16", "age": "int16"})


def test_median_age_interpolates_within_the_year_of_age():
    # 10 people aged 30, 10 aged 40: half = 10 reached exactly at the end of age 30 -> 31.0
    m = ind._median_age(_pop({30: 10, 40: 10}), ["level", "region_code", "year"])
    assert m.iloc[0] == pytest.approx(31.0)
    # 4 at 20, 4 at 21, 2 at 22: half = 5 -> 21 + (5-4)/4 = 21.25
    m = ind._median_age(_pop({20: 4, 21: 4, 22: 2}), ["level", "region_code", "year"])
    assert m.iloc[0] == pytest.approx(21.25)


def test_shares_ratios_and_growth():
    p = pd.concat([_pop({30: 60, 70: 30, 85: 8, 95: 2}, year=2010), _pop({30: 60, 70: 30, 85: 12, 95: 3}, year=2024)])
    out = ind.compute(p).set_index(["indicator_id", "year"])
    assert out.loc[("population", 2024), "value"] == 105
    assert out.loc[("share_80plus", 2024), "value"] == pytest.approx(100 * 15 / 105)
    assert out.loc[("share_80plus", 2024), "numerator"] == 15
    assert out.loc[("share_90plus", 2010), "value"] == pytest.approx(2.0)
    assert out.loc[("care_ratio", 2024), "value"] == pytest.approx(60 / 15)
    assert out.loc[("old_age_dependency", 2024), "value"] == pytest.approx(100 * 45 / 60)
    assert out.loc[("growth_80plus_2010", 2024), "value"] == pytest.approx(50.0)
    assert out.loc[("growth_80plus_2010", 2010), "value"] == 0
    assert ("growth_80plus_2010", 2009) not in out.index


def test_division_by_zero_is_a_gap_not_a_number():
    out = ind.compute(_pop({30: 10}))
    assert "care_ratio" not in set(out["indicator_id"])  # no one aged 80+: no ratio, no inf


def test_aggregates_only_when_complete():
    regions = pd.DataFrame({"region_code": ["0301", "3201"], "level": "municipality", "county_code": ["03", "32"]})
    muni = pd.concat([_pop({1: 5}, code="0301", year=2005), _pop({1: 5}, code="0301", year=2006),
                      _pop({1: 7}, code="3201", year=2006)]).rename(columns={"region_code": "code"})
    muni = muni.drop(columns="level")
    pop = ind.aggregate_population(muni, regions)
    years = pop[pop["level"] == "country"]["year"].unique().tolist()
    assert years == [2006]  # 2005 lacks 3201: no country figure
    assert pop[(pop["level"] == "county") & (pop["region_code"] == "03")]["year"].unique().tolist() == [2005, 2006]


def test_committed_indicators_county_is_sum_of_municipalities(data_dir):
    i = pd.read_parquet(data_dir / "indicators.parquet")
    r = pd.read_parquet(data_dir / "regions.parquet")
    s = i[(i["indicator_id"] == "share_80plus") & (i["year"] == 2024)]
    muni = s[s["level"] == "municipality"].merge(r[["region_code", "county_code"]], on="region_code")
    agg = muni.groupby("county_code")[["numerator", "denominator"]].sum()
    county = s[s["level"] == "county"].set_index("region_code")
    assert (agg["numerator"] == county["numerator"]).all()
    assert county.loc["03", "value"] == pytest.approx(100 * agg.loc["03", "numerator"] / agg.loc["03", "denominator"])
    nat = s[s["level"] == "country"].iloc[0]
    assert nat["denominator"] == 5550203  # SSB: population of Norway 1 January 2024
