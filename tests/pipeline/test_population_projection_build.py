"""The projection as build output (pipeline/projected.py): table, schema, projected indicators, manifest."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from pipeline import projected as prj
from pipeline.errors import PipelineError
from pipeline.schemas import validate


@pytest.fixture(scope="module")
def inputs(data_dir):
    return pd.read_parquet(data_dir / "population.parquet"), pd.read_parquet(data_dir / "regions.parquet")


@pytest.fixture(scope="module")
def proj(inputs):
    return prj.build_projection(*inputs)


def test_projection_table_shape_schema_and_sums(proj, inputs):
    _, regions = inputs
    assert list(proj.columns) == ["variant", "level", "region_code", "year", "age", "population"]
    assert set(proj["variant"]) == {"omsorgsatlas"}
    assert sorted(proj["year"].unique()) == list(range(2027, 2041))
    assert len(proj) == len(regions) * 14 * 106
    validate("projection", proj)
    assert prj.check_projection(proj, regions) == []
    c = proj[proj.level == "county"].groupby(["year", "age"])["population"].sum()
    n = proj[proj.level == "country"].set_index(["year", "age"])["population"]
    assert np.allclose(c.sort_index(), n.sort_index())


def test_committed_projection_is_what_the_build_writes(proj, data_dir):
    committed = pd.read_parquet(data_dir / "projection.parquet")
    pd.testing.assert_frame_equal(committed, proj, check_dtype=False)


@pytest.mark.parametrize("col,value", [("year", 2026), ("population", -1.0), ("population", np.nan),
                                       ("variant", "ssb"), ("region_code", "4601x")])
def test_schema_rejects_bad_rows(proj, col, value):
    bad = proj.head(200).copy()
    bad[col] = pd.Series([value] * len(bad), dtype=bad[col].dtype) if col != "year" else np.int16(value)
    with pytest.raises(PipelineError, match="projection"):
        validate("projection", bad)


def test_check_projection_finds_broken_sums(proj, inputs):
    bad = proj.copy()
    bad.loc[bad.index[0], "population"] += 10
    assert any("summerer ikke" in p for p in prj.check_projection(bad, inputs[1]))


def test_projected_indicators_are_separate_labelled_and_consistent(proj):
    ind = prj.projected_indicators(proj)
    assert set(ind["indicator_id"]) == {"count_80plus_projected", "share_80plus_projected", "care_ratio_projected"}
    assert ind["year"].min() == 2027 and ind["year"].max() == 2040
    b = ind[(ind.indicator_id == "count_80plus_projected") & (ind.region_code == "4601") & (ind.year == 2040)]
    want = proj[(proj.region_code == "4601") & (proj.year == 2040) & (proj.age >= 80)]["population"].sum()
    assert float(b["value"].iloc[0]) == pytest.approx(want)
    cat = prj.projected_catalog(ind, 500)
    assert all("framskrevet" in n for n in cat["name_nb"])
    assert all("Omsorgsatlas' egen framskriving" in s for s in cat["source"])
    assert all("uten nett" in n and "ikke SSBs" in n for n in cat["notes"])
    merged = prj.append_indicators(ind.assign(ci_low=np.nan, ci_high=np.nan).head(0), ind)
    assert merged["ci_low"].isna().all() and merged["ci_low"].dtype == "float64"


def test_manifest_has_backtest_of_both_windows_and_baseline(data_dir):
    m = json.loads((data_dir / "manifest.json").read_text(encoding="utf-8"))
    p = m["projection"]
    assert p["base_year"] == 2026 and p["end_year"] == 2040
    assert [v["id"] for v in p["variants"]] == ["omsorgsatlas"]
    assert p["variants_missing"][0]["id"] == "ssb_mmm"
    for who in ("method", "baseline"):
        assert set(p["backtest"][who]["windows"]) == {"2010-2020", "2014-2024"}
    for w in ("2010-2020", "2014-2024"):
        ours = p["backtest"]["method"]["windows"][w]["groups"]["80+"]["median_ape"]
        base = p["backtest"]["baseline"]["windows"][w]["groups"]["80+"]["median_ape"]
        assert ours < base and ours <= 6.0
    text = json.dumps(p).lower()
    assert not any(w in text for w in ("seconds", "elapsed", "duration", "timestamp"))  # byte-identical builds
