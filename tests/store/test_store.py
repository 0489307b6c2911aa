"""store/: loads data/ once, validates it against the data contract (data/README.md), and names the file
when something is missing or corrupt. Corruption tests work on a copy of data/ in tmp_path."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

import store
from store import StoreError

DATA = Path(__file__).resolve().parents[2] / "data"

# the files of the data contract (data/README.md) that store/ must have
REQUIRED = ["regions.parquet", "population.parquet", "population_groups.parquet", "indicators.parquet",
            "catalog.parquet", "service_areas.parquet", "neighbours.parquet", "geo/municipalities.geojson",
            "geo/counties.geojson", "manifest.json"]


@pytest.fixture(autouse=True)
def fresh_store():
    """Every test starts and ends with the real data/ (a test may have loaded a broken copy)."""
    store.reset()
    yield
    store.reset()


@pytest.fixture
def data_copy(tmp_path) -> Path:
    dest = tmp_path / "data"
    shutil.copytree(DATA, dest)
    return dest


# ------------------------------------------------------------------------------------------ real data
def test_loads_real_data_with_2024_counts():
    d = store.init(DATA)
    assert store.is_loaded()
    regs = pd.read_parquet(DATA / "regions.parquet")
    assert (regs["level"] == "country").sum() == 1
    assert len(store.counties()) == 15 == (regs["level"] == "county").sum()
    assert len(store.municipalities()) == 357 == (regs["level"] == "municipality").sum()
    assert all(re.fullmatch(r"\d{2}", c) for c in store.counties().index)
    assert all(re.fullmatch(r"\d{4}", c) for c in store.municipalities().index)
    assert set(store.municipalities()["county_code"]) == set(store.counties().index)
    assert len(store.geometry("municipality")["features"]) == 357
    assert len(store.geometry("county")["features"]) == 15
    assert {f["properties"]["code"] for f in store.geometry("municipality", "46")["features"]} == \
        set(store.municipalities("46").index)
    assert len(store.municipalities("46")) == 43 and len(store.municipalities("03")) == 1
    assert re.fullmatch(r"[0-9a-f]{12}", store.version())
    assert store.init() is d, "loaded once: a second init() returns the same data"
    assert list(store.catalog().index) == list(
        pd.read_parquet(DATA / "catalog.parquet").sort_values(["sort_order", "id"])["id"])


def test_values_are_the_data_on_2024_borders():
    store.init(DATA)
    ind = pd.read_parquet(DATA / "indicators.parquet")
    want = ind[(ind["indicator_id"] == "share_80plus") & (ind["level"] == "municipality") & (ind["year"] == 2024)]
    got = store.values("share_80plus", "kommune", 2024)
    assert len(got) == 357 and list(got["region_code"]) == list(store.municipalities().index)
    merged = got.merge(want[["region_code", "value"]], on="region_code", suffixes=("", "_file"))
    assert len(merged) == 357 and (merged["value"] - merged["value_file"]).abs().max() < 1e-12


def test_unknown_queries_are_safe():
    store.init(DATA)
    assert store.indicator("nope") is None and store.indicator(None) is None and store.indicator(["x"]) is None
    assert store.region("9999") is None and store.region(4601) is None
    assert store.years("nope") == []
    with pytest.raises(store.QueryError):
        store.values("nope", "kommune", 2024)
    with pytest.raises(store.QueryError):
        store.values("share_80plus", "bydel", 2024)
    assert store.series("share_80plus", ["9999", None, 4601]).empty


def test_wrong_counts_are_rejected(data_copy):
    regs = pd.read_parquet(data_copy / "regions.parquet")
    victim = regs[regs["level"] == "municipality"].iloc[-1]["region_code"]
    regs[regs["region_code"] != victim].to_parquet(data_copy / "regions.parquet", index=False)
    with pytest.raises(StoreError) as exc:
        store.init(data_copy)
    assert "regions.parquet" in str(exc.value) and "357" in str(exc.value)


def test_wrong_county_count_is_rejected(data_copy):
    regs = pd.read_parquet(data_copy / "regions.parquet")
    extra = regs[regs["region_code"] == "46"].assign(region_code="47", name="Ekstra", county_code="47")
    pd.concat([regs, extra]).to_parquet(data_copy / "regions.parquet", index=False)
    with pytest.raises(StoreError) as exc:
        store.init(data_copy)
    assert "regions.parquet" in str(exc.value) and "15" in str(exc.value)


# ------------------------------------------------------------------------------------------ broken files
@pytest.mark.parametrize("name", REQUIRED)
def test_missing_file_names_the_file(data_copy, name):
    (data_copy / name).unlink()
    with pytest.raises(StoreError) as exc:
        store.init(data_copy)
    message = str(exc.value)
    assert message.startswith(str(data_copy / name)) or message.startswith(name), message
    assert Path(name).name in message
    assert not store.is_loaded(), "a failed init must not leave half-loaded data behind"


@pytest.mark.parametrize("name", REQUIRED)
def test_truncated_file_names_the_file(data_copy, name):
    path = data_copy / name
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(StoreError) as exc:
        store.init(data_copy)
    assert Path(name).name in str(exc.value)
    assert str(exc.value).split(":")[0].endswith(name), str(exc.value)


@pytest.mark.parametrize("name,content", [
    ("catalog.parquet", b""),
    ("geo/municipalities.geojson", b'{"type": "FeatureCollection", "features": []}'),
    ("geo/counties.geojson", b"not json at all"),
    ("manifest.json", b"[1, 2, 3]"),
    ("regions.parquet", b"PAR1garbagePAR1"),
])
def test_corrupt_content_names_the_file(data_copy, name, content):
    (data_copy / name).write_bytes(content)
    with pytest.raises(StoreError) as exc:
        store.init(data_copy)
    assert Path(name).name in str(exc.value)


def test_wrong_column_type_names_file_and_column(data_copy):
    cat = pd.read_parquet(data_copy / "catalog.parquet")
    cat["decimals"] = cat["decimals"].astype(str)
    cat.to_parquet(data_copy / "catalog.parquet", index=False)
    with pytest.raises(StoreError) as exc:
        store.init(data_copy)
    assert "catalog.parquet" in str(exc.value) and "decimals" in str(exc.value)


def test_geometry_codes_must_match_regions(data_copy):
    path = data_copy / "geo" / "municipalities.geojson"
    fc = json.loads(path.read_text(encoding="utf-8"))
    fc["features"] = [f for f in fc["features"] if f["properties"]["code"] != "4601"]
    path.write_text(json.dumps(fc), encoding="utf-8")
    with pytest.raises(StoreError) as exc:
        store.init(data_copy)
    assert "municipalities.geojson" in str(exc.value) and "4601" in str(exc.value)


def test_missing_folder_is_a_store_error(tmp_path):
    with pytest.raises(StoreError) as exc:
        store.init(tmp_path / "finnes-ikke")
    assert "finnes-ikke" in str(exc.value)


def test_failed_load_keeps_previous_data(data_copy):
    good = store.init(DATA)
    (data_copy / "catalog.parquet").unlink()
    with pytest.raises(StoreError):
        store.init(data_copy)
    assert store.init() is good


def test_data_files_and_raw_tables_for_the_downloads():
    store.init(reload=True)
    files = store.data_files()
    assert {"regions.parquet", "indicators.parquet", "geo/municipalities.geojson", "README.md",
            "manifest.json"} <= set(files)
    assert all(p.is_file() and p.parent in (store.data_dir(), store.data_dir() / "geo") for p in files.values())
    regions = store.table_frame("regions")
    assert list(regions.columns)[:2] == ["region_code", "level"] and len(regions) == 373
    for bad in ("../regions", "regions.parquet", "geo/municipalities", "", None, 3):
        assert store.table_frame(bad) is None
    vals = store.indicator_values("share_80plus", "municipality")
    assert list(vals.columns) == ["region_code", "year", "value"]
    one_year = store.values("share_80plus", "municipality", 2024).set_index("region_code")["value"]
    mine = vals[vals["year"] == 2024].set_index("region_code")["value"]
    assert mine.reindex(one_year.index).equals(one_year)
    with pytest.raises(store.QueryError):
        store.indicator_values("finnes_ikke", "municipality")
