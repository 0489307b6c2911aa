"""Intervals, benchmark classes, statistical neighbours (pure functions, synthetic inputs)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipeline import comparison as cmp
from store.benchmark import classify, quintile_edges, quintile_of


# ------------------------------------------------------------------------------------------ intervals
def test_wilson_known_value_5_of_100():
    lo, hi = cmp.wilson(5, 100)
    assert lo == pytest.approx(0.02154, abs=5e-5)
    assert hi == pytest.approx(0.11175, abs=5e-5)


def test_wilson_edges_stay_in_0_1():
    lo, hi = cmp.wilson(np.array([0, 10]), np.array([10, 10]))
    assert lo[0] == pytest.approx(0, abs=1e-12) and hi[0] == pytest.approx(0.2775, abs=1e-3)  # 0/10
    assert hi[1] == pytest.approx(1, abs=1e-12) and lo[1] == pytest.approx(0.7225, abs=1e-3)  # 10/10


def test_byar_known_values():
    # Byar for O = 10: 4.80–18.39 (exact Poisson 4.80–18.39); O = 0: lower 0, upper ~3.7
    lo, hi = cmp.byar(10)
    assert lo == pytest.approx(4.795, abs=0.01) and hi == pytest.approx(18.39, abs=0.02)
    lo0, hi0 = cmp.byar(0)
    assert lo0 == 0 and hi0 == pytest.approx(3.69, abs=0.05)


def _rows(**cols):
    n = len(next(iter(cols.values())))
    base = {"indicator_id": ["x"] * n, "level": ["municipality"] * n, "region_code": ["0301"] * n,
            "year": [2024] * n}
    return pd.DataFrame({**base, **cols})


def test_interval_method_is_chosen_from_how_the_value_is_computed():
    df = pd.DataFrame({
        "indicator_id": ["share", "per100", "ratio", "growth", "count", "per1000"],
        "level": "municipality", "region_code": "0301", "year": 2024,
        "value": [5.0, 50.0, 2.0, 20.0, 123.0, 5.0],
        "numerator": [5.0, 50.0, 200.0, 120.0, np.nan, 5.0],
        "denominator": [100.0, 100.0, 100.0, 100.0, np.nan, 1000.0],
    })
    units = {"share": "percent", "per100": "per100", "ratio": "ratio", "growth": "percent", "count": "persons",
             "per1000": "per1000"}
    m = list(cmp.interval_methods(df, units))
    assert m == ["wilson", "byar:100", "byar:1", "byar:growth", None, "byar:1000"]
    out = cmp.add_intervals(df, units)
    assert out.loc[0, "ci_low"] == pytest.approx(2.154, abs=0.005)
    assert out.loc[0, "ci_high"] == pytest.approx(11.175, abs=0.005)
    assert np.isnan(out.loc[4, "ci_low"]) and np.isnan(out.loc[4, "ci_high"])
    ok = out["ci_low"].notna()
    assert (out.loc[ok, "ci_low"] <= out.loc[ok, "value"]).all() and (out.loc[ok, "ci_high"] >= out.loc[ok, "value"]).all()


def test_percent_with_numerator_above_denominator_is_not_wilson():
    df = _rows(value=[150.0], numerator=[150.0], denominator=[100.0])
    assert list(cmp.interval_methods(df, {"x": "percent"})) == ["byar:100"]


# ------------------------------------------------------------------------------------------ benchmark
def test_significance_classes_and_direction():
    assert classify(12, 11, 13, reference=10, direction="higher_better").key == "better"
    assert classify(12, 11, 13, reference=10, direction="lower_better").key == "worse"
    assert classify(12, 11, 13, reference=10, direction="neutral").key == "higher"
    assert classify(8, 7, 9, reference=10, direction="neutral").key == "lower"
    b = classify(12, 9, 13, reference=10, direction="higher_better")
    assert (b.key, b.method, b.position, b.symbol) == ("similar", "significance", "similar", "●")


def test_quintile_classes_without_interval():
    dist = list(range(1, 101))  # quintile edges 20.8, 40.6, 60.4, 80.2
    edges = quintile_edges(dist)
    assert quintile_of(1, edges) == 1 and quintile_of(100, edges) == 5 and quintile_of(50, edges) == 3
    b = classify(95, reference=50, direction="neutral", distribution=dist)
    assert (b.key, b.method, b.quintile, b.label_nb, b.symbol) == ("q5", "quintile", 5, "Høyeste femtedel", "█")
    # no interval, so no test: never "no difference", whatever the reference and the direction
    b = classify(55, reference=50, distribution=dist)
    assert (b.key, b.label_nb) == ("q3", "Midterste femtedel") and b.key != "similar"
    assert classify(5, reference=50, direction="higher_better", distribution=dist).key == "q1"
    assert classify(5, reference=6, direction="lower_better", distribution=dist).label_nb == "Laveste femtedel"
    assert [classify(v, reference=50, distribution=dist).key for v in (10, 30, 50, 70, 90)] == \
        ["q1", "q2", "q3", "q4", "q5"]


def test_quintile_ignores_a_reference_outside_the_distribution():
    # an additive count: the country's total is larger than any municipality
    dist = list(range(1, 101))
    assert classify(90, reference=10_000, distribution=dist).key == "q5"
    assert classify(50, reference=10_000, distribution=dist).key == "q3"
    assert classify(5, reference=10_000, distribution=dist).key == "q1"


def test_interval_keeps_significance_wording():
    dist = list(range(1, 101))
    b = classify(5, 4, 6, reference=50, direction="neutral", distribution=dist)
    assert (b.key, b.method, b.label_nb, b.quintile) == ("lower", "significance", "Lavere", 1)
    b = classify(50, 40, 60, reference=50, direction="higher_better", distribution=dist)
    assert (b.key, b.method, b.label_nb) == ("similar", "significance", "Ingen forskjell")


def test_missing_values_are_not_classified():
    assert classify(None, reference=1).key == "none"
    assert classify(1, reference=float("nan")).key == "none"
    assert classify(1, reference=2).key == "none"  # no interval, no distribution
    assert classify(1, 0, 2, reference=None).key == "none"  # interval but no reference, no distribution
    assert classify(1, reference=2).label_nb == "Ikke vurdert"


# ------------------------------------------------------------------------------------------ statistical neighbours
def _features(n=30, seed=1):
    rng = np.random.default_rng(seed)
    idx = [f"{1000 + i:04d}" for i in range(n)]
    return pd.DataFrame(rng.normal(size=(n, len(cmp.FEATURE_IDS))), index=idx, columns=cmp.FEATURE_IDS)


def test_statistical_neighbours_are_deterministic_and_well_formed():
    f = _features()
    a, fa = cmp.statistical_neighbours(f)
    b, fb = cmp.statistical_neighbours(f.sample(frac=1, random_state=3).sort_index())
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(fa, fb)
    assert (a.groupby("region_code").size() == 10).all()
    assert (a["region_code"] != a["neighbour_code"]).all()
    for _, g in a.groupby("region_code"):
        assert list(g["rank"]) == list(range(1, 11))
        assert g["distance"].is_monotonic_increasing
    shares = a[[c for c in a.columns if c.startswith("share_")]].sum(axis=1)
    assert np.allclose(shares, 1.0)


def test_ties_are_broken_by_code():
    f = pd.DataFrame(0.0, index=["0002", "0001", "0003", "0004"], columns=cmp.FEATURE_IDS)
    f.loc["0004"] = 1.0  # 0001-0003 identical
    nb, _ = cmp.statistical_neighbours(f, k=2)
    assert list(nb[nb.region_code == "0002"]["neighbour_code"]) == ["0001", "0003"]


def test_relation_need_not_be_symmetric():
    # 0001 sits between a tight cluster and an outlier: the outlier's nearest is 0001, not vice versa
    f = pd.DataFrame(0.0, index=["0001", "0002", "0003", "0004"], columns=cmp.FEATURE_IDS)
    f["log_population"] = [1.0, 0.9, 0.95, 5.0]
    nb, _ = cmp.statistical_neighbours(f, k=1)
    first = dict(zip(nb["region_code"], nb["neighbour_code"]))
    assert first["0004"] == "0001" and first["0001"] != "0004"
