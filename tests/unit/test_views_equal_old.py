"""The store's one-call views (store/views.py, from the pipeline's precomputed tables) equal what the callbacks
computed per request before issue 13 (tests/reference_comparison.py): every profile row (values, spread,
ranks, benchmark classes, change), the facts, neighbours and their values, the county matrix in every sort
order, and the trend with the neighbour medians. Exact equality, several municipalities and areas."""
from __future__ import annotations

from dataclasses import fields

import numpy as np
import pytest

import store

store.init()
from tests import reference_comparison as old  # noqa: E402
from store import views as sv  # noqa: E402

# Bergen, Oslo, Utsira (gaps in 12209, island neighbours), a small inland one, the largest in Troms
MUNIS = ["4601", "0301", "1151", "3401", "5501"]
AREAS = [None, "befolkning", "hjemmetjenester", "institusjon"]


def _catalogue_ids(rows) -> list[tuple]:
    return [(r["id"], int(r["year"])) for r in rows]


@pytest.mark.parametrize("area", AREAS)
@pytest.mark.parametrize("knr", MUNIS)
def test_profile_view_equals_the_old_computation(knr, area):
    new, ref = store.profile_view(knr, area), old.profile_view(knr, area)
    assert len(new.rows) == len(ref.rows) > 0
    for a, b in zip(new.rows, ref.rows):
        assert a == b, [(f.name, getattr(a, f.name), getattr(b, f.name)) for f in fields(a)
                        if getattr(a, f.name) != getattr(b, f.name)]
    for f in fields(new):
        if f.name in ("rows", "headline", "fact_units"):
            continue
        assert getattr(new, f.name) == getattr(ref, f.name), f.name
    assert _catalogue_ids(new.headline) == _catalogue_ids(ref.headline)
    assert set(new.fact_units) == set(ref.fact_units)


def test_profile_view_is_immutable_and_memoised():
    v = store.profile_view("4601", "befolkning")
    assert store.profile_view("4601", "befolkning") is v
    with pytest.raises(AttributeError):
        v.name = "x"  # frozen dataclass
    with pytest.raises(TypeError):
        v.neighbour_values["4601"] = ()  # read-only mapping
    assert isinstance(v.rows, tuple)


def test_views_reject_unknown_codes():
    for call in (lambda: store.profile_view("9999"), lambda: store.profile_view("46"),
                 lambda: store.profile_view("4601", "tull"), lambda: store.county_view("4601"),
                 lambda: store.profile_trend_view("4601", "tull")):
        with pytest.raises(store.QueryError):
            call()


@pytest.mark.parametrize("sort,desc", [("knr", False), ("navn", True), ("share_80plus", True),
                                       ("median_age", False), ("population", True)])
@pytest.mark.parametrize("fnr", ["46", "03", "55"])
def test_county_view_equals_the_old_computation(fnr, sort, desc):
    new, ref = store.county_view(fnr, "befolkning", sort, desc), old.county_view(fnr, "befolkning", sort, desc)
    assert _catalogue_ids(new.columns) == _catalogue_ids(ref.columns)
    assert [r["code"] for r in new.rows] == [r["code"] for r in ref.rows]
    assert new.rows == ref.rows


def test_county_view_all_areas_equals_the_old_computation():
    assert store.county_view("34", None, "knr", False).rows == old.county_view("34", None, "knr", False).rows


@pytest.mark.parametrize("ind", ["share_80plus", "care_ratio", "kostra_gp_share_no_gp", "population", "median_age"])
@pytest.mark.parametrize("knr", MUNIS)
def test_trend_view_equals_the_old_computation(knr, ind):
    a, b = store.profile_trend_view(knr, ind).series(), old.profile_trend_view(knr, ind).series()
    assert list(a["region_code"]) == list(b["region_code"]) and list(a["year"]) == list(b["year"])
    assert np.array_equal(a["value"].to_numpy(float), b["value"].to_numpy(float), equal_nan=True)


@pytest.mark.parametrize("ind,level,year,county", [("share_80plus", "municipality", 2024, None),
                                                   ("share_80plus", "municipality", 2010, "46"),
                                                   ("care_ratio", "county", None, None),
                                                   ("kostra_hjemmetj_80plus", "municipality", None, None),
                                                   ("share_80plus", "municipality", 1850, "03")])
def test_map_view_equals_the_separate_store_questions(ind, level, year, county):
    """The overview map's one call answers what update_map asked the store separately before issue 13."""
    v = store.map_view(ind, level, year, county)
    years = store.years(ind, level)
    assert v.years == tuple(years)
    assert v.year == (year if year in years else years[-1])
    assert v.year_fallback == (year is not None and year not in years)
    assert v.frame().equals(store.values(ind, level, v.year, county))
    assert list(v.gap_codes) == store.incomplete_regions(ind, level, county)
    assert v.crange == store.value_range(ind, level, county)
    assert dict(v.gap_reasons) == store.gap_reasons(ind, v.year)
    assert store.map_view(ind, level, year, county) is v  # memoised
    f = v.frame()
    f["value"] = -1.0  # a copy: changing it leaves the view alone
    assert not (v.frame()["value"] == -1.0).any()
