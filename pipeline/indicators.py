"""Population tables and demographic indicators, computed from harmonised municipality population.

County and country figures are sums of municipalities (numerators and denominators), and an aggregate is
only published for a year in which all of its municipalities have data (2005 lacks Vindafjord and Aure in
every source, so Rogaland, Møre og Romsdal and the country have no 2005 figures).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

AGE_GROUPS = [("0-17", 0, 17), ("18-49", 18, 49), ("50-66", 50, 66), ("67-79", 67, 79),
              ("80-89", 80, 89), ("90+", 90, 105)]
GROWTH_BASE_YEAR = 2010


def aggregate_population(muni: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """muni: code, year, age, population -> level, region_code, year, age, population for all levels."""
    county_of = regions.loc[regions["level"] == "municipality"].set_index("region_code")["county_code"]
    m = muni.rename(columns={"code": "region_code"}).copy()
    m["county_code"] = m["region_code"].map(county_of)
    n_in_county = county_of.value_counts()
    have = m[m["age"] == 0].groupby(["county_code", "year"]).size()
    complete_cy = have[have.values == n_in_county.reindex(have.index.get_level_values(0)).to_numpy()].index
    counties = (m.set_index(["county_code", "year"]).loc[lambda d: d.index.isin(complete_cy)]
                .reset_index().groupby(["county_code", "year", "age"], as_index=False)["population"].sum()
                .rename(columns={"county_code": "region_code"}))
    n_years = m[m["age"] == 0].groupby("year").size()
    full_years = n_years[n_years == len(county_of)].index
    country = m[m["year"].isin(full_years)].groupby(["year", "age"], as_index=False)["population"].sum()
    country["region_code"] = "NO"
    out = pd.concat([
        country.assign(level="country"),
        counties.assign(level="county"),
        m.drop(columns="county_code").assign(level="municipality"),
    ], ignore_index=True)[["level", "region_code", "year", "age", "population"]]
    return sort_levels(out, ["year", "age"])


def sort_levels(df: pd.DataFrame, then: list[str]) -> pd.DataFrame:
    order = {"country": 0, "county": 1, "municipality": 2}
    return (df.assign(_l=df["level"].map(order)).sort_values(["_l", "region_code", *then])
            .drop(columns="_l").reset_index(drop=True))


def population_groups(pop: pd.DataFrame) -> pd.DataFrame:
    bins = [-1] + [hi for _, _, hi in AGE_GROUPS]
    labels = [name for name, _, _ in AGE_GROUPS]
    g = pop.assign(age_group=pd.cut(pop["age"], bins=bins, labels=labels).astype(str))
    grouped = g.groupby(["level", "region_code", "year", "age_group"], as_index=False)["population"].sum()
    total = pop.groupby(["level", "region_code", "year"], as_index=False)["population"].sum()
    total["age_group"] = "total"
    out = pd.concat([grouped, total], ignore_index=True)
    cat = {name: i for i, name in enumerate(labels + ["total"])}
    out = out.assign(_g=out["age_group"].map(cat)).sort_values(["level", "region_code", "year", "_g"])
    return sort_levels(out.drop(columns="_g"), ["year", "age_group"])[
        ["level", "region_code", "year", "age_group", "population"]]


def _wide(pop: pd.DataFrame) -> pd.DataFrame:
    """One row per level/region/year with the sums needed by the indicators."""
    keys = ["level", "region_code", "year"]
    p = pop.set_index(keys)
    a = p["age"]
    v = p["population"]
    def s(lo, hi):
        return v.where((a >= lo) & (a <= hi), 0.0).groupby(level=keys).sum()
    w = pd.DataFrame({"total": s(0, 200), "p20_66": s(20, 66), "p67": s(67, 200),
                      "p80": s(80, 200), "p90": s(90, 200)})
    w["median_age"] = _median_age(pop, keys)
    return w.reset_index()


def _median_age(pop: pd.DataFrame, keys: list[str]) -> pd.Series:
    """Median age, interpolated within the single year of age (age a covers [a, a+1))."""
    p = pop.sort_values([*keys, "age"])
    grp = p.groupby(keys, sort=False)["population"]
    cum = grp.cumsum()
    half = grp.transform("sum") / 2.0
    before = cum - p["population"]
    hit = (cum >= half) & (before < half) & (p["population"] > 0)
    r = p[hit].copy()
    r["median"] = r["age"] + (half[hit] - before[hit]) / r["population"]
    r = r.drop_duplicates(keys)
    return r.set_index(keys)["median"]


def compute(pop: pd.DataFrame) -> pd.DataFrame:
    """Long indicator table: indicator_id, level, region_code, year, value, numerator, denominator."""
    w = _wide(pop)
    keys = ["level", "region_code", "year"]
    nan = np.nan
    rows = []

    def add(ind, value, num=None, den=None, mask=None):
        df = w[keys].copy()
        df["indicator_id"] = ind
        df["value"] = value
        df["numerator"] = num if num is not None else nan
        df["denominator"] = den if den is not None else nan
        if mask is not None:
            df = df[mask]
        rows.append(df)

    add("population", w["total"])
    add("share_67plus", 100 * w["p67"] / w["total"], w["p67"], w["total"])
    add("share_80plus", 100 * w["p80"] / w["total"], w["p80"], w["total"])
    add("share_90plus", 100 * w["p90"] / w["total"], w["p90"], w["total"])
    add("count_80plus", w["p80"])
    base = w[w["year"] == GROWTH_BASE_YEAR].set_index(["level", "region_code"])["p80"]
    b = pd.Series(w.set_index(["level", "region_code"]).index.map(base), index=w.index, dtype=float)
    add("growth_80plus_2010", 100 * (w["p80"] / b - 1), w["p80"], b, mask=(w["year"] >= GROWTH_BASE_YEAR) & b.notna())
    add("care_ratio", w["p20_66"] / w["p80"], w["p20_66"], w["p80"])
    add("old_age_dependency", 100 * w["p67"] / w["p20_66"], w["p67"], w["p20_66"])
    add("median_age", w["median_age"])
    out = pd.concat(rows, ignore_index=True)
    out = out[np.isfinite(out["value"])]
    out = out[["indicator_id", "level", "region_code", "year", "value", "numerator", "denominator"]]
    order = {k: i for i, k in enumerate(INDICATOR_ORDER)}
    out = out.assign(_i=out["indicator_id"].map(order))
    out = sort_levels(out, ["_i", "year"])
    out = out.sort_values(["_i"], kind="stable").drop(columns="_i").reset_index(drop=True)
    return out.astype({"year": "int16", "value": "float64", "numerator": "float64", "denominator": "float64"})


INDICATOR_ORDER = ["population", "share_67plus", "share_80plus", "share_90plus", "count_80plus",
                   "growth_80plus_2010", "care_ratio", "old_age_dependency", "median_age"]
