"""The comparison tables in the built data/ (neighbours, statistical neighbours, intervals, manifest)."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from pipeline import comparison as cmp


@pytest.fixture(scope="module")
def tables(data_dir):
    return {n: pd.read_parquet(data_dir / f"{n}.parquet") for n in
            ("neighbours", "statistical_neighbours", "comparison_features", "indicators", "regions")}


def test_oslo_and_baerum_share_a_border(tables):
    nb = tables["neighbours"]
    row = nb[(nb.region_code == "0301") & (nb.neighbour_code == "3201")]
    assert len(row) == 1 and row.iloc[0]["relation"] == "border" and row.iloc[0]["shared_border_km"] > 1


def test_island_municipality_gets_nearest(tables):
    nb = tables["neighbours"]
    utsira = nb[nb.region_code == "1151"]
    assert len(utsira) >= 1 and set(utsira["relation"]) == {"nearest"}
    reg = tables["regions"].set_index("region_code")
    assert set(reg.loc[utsira["neighbour_code"], "county_code"]) == {"11"}


def test_every_municipality_has_ten_statistical_neighbours(tables):
    sn = tables["statistical_neighbours"]
    munis = set(tables["regions"].query("level == 'municipality'")["region_code"])
    assert set(sn["region_code"]) == munis
    assert (sn.groupby("region_code").size() == cmp.N_NEIGHBOURS).all()
    assert (sn["region_code"] != sn["neighbour_code"]).all()
    # big cities find each other
    assert set(sn[sn.region_code == "4601"]["neighbour_code"]) & {"0301", "5001", "1103"}


def test_statistical_neighbours_rebuild_identically(tables, data_dir):
    ind = tables["indicators"]
    nb, feats, _ = cmp.build_comparison(ind, data_dir / "geo" / "municipalities.geojson")
    pd.testing.assert_frame_equal(nb, tables["statistical_neighbours"], check_dtype=False)
    pd.testing.assert_frame_equal(feats, tables["comparison_features"], check_dtype=False)


def test_intervals_contain_the_value_and_exist_only_with_numerator(tables):
    ind = tables["indicators"]
    has = ind["ci_low"].notna()
    assert has.any()
    assert (ind.loc[has, "ci_low"] <= ind.loc[has, "value"] + 1e-9).all()
    assert (ind.loc[has, "ci_high"] >= ind.loc[has, "value"] - 1e-9).all()
    assert ind.loc[has, "numerator"].notna().all()
    pop = ind[ind.indicator_id == "population"]
    assert pop["ci_low"].isna().all()
    # small municipality -> wide interval; the country -> narrow
    s80 = ind[(ind.indicator_id == "share_80plus") & (ind.year == 2024)].set_index("region_code")
    width = s80["ci_high"] - s80["ci_low"]
    assert width["1151"] > 5 * width["0301"] > 0 and width["NO"] < 0.1


def test_manifest_documents_the_method(data_dir):
    m = json.loads((data_dir / "manifest.json").read_text(encoding="utf-8"))["comparison"]
    assert m["k"] == 10 and [f["id"] for f in m["features"]] == cmp.FEATURE_IDS
    assert 0 < m["symmetric_pairs_share"] < 1
    assert "Wilson" in m["intervals"] and "Byar" in m["intervals"]
