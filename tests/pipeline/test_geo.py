"""Tests for pipeline/geo.py: web GeoJSON and neighbours.parquet from the real 2024 Kartverket files.

The real raw mirror (../shared/data/raw) is required: a missing mirror fails, it is never skipped.
Error handling is tested on small HAND-MADE FIXTURE files written into tmp_path (never into the repo).
"""
from __future__ import annotations

import json
import math
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import box, shape

from pipeline.errors import PipelineError
from pipeline.geo import (GeoError, MUNI_FILE, COUNTY_FILE, NEAREST_FACTOR, NEAREST_MAX, build_geo,
                          compute_neighbours)

RAW = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "raw"
GEO = RAW / "geo"


# ------------------------------------------------------------------------------------------ fixtures

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    assert (GEO / MUNI_FILE).is_file(), f"the raw geometry is missing: {GEO / MUNI_FILE}"
    out = tmp_path_factory.mktemp("geo_build")
    report = build_geo(RAW, out, log=lambda *_: None)
    return out, report


@pytest.fixture(scope="module")
def munis(built):
    return json.loads((built[0] / "geo" / "municipalities.geojson").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def counties(built):
    return json.loads((built[0] / "geo" / "counties.geojson").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def nb(built):
    return pd.read_parquet(built[0] / "neighbours.parquet")


def _geoms(fc) -> dict[str, shapely.Geometry]:
    return {f["properties"]["code"]: shape(f["geometry"]) for f in fc["features"]}


def _source(name: str) -> dict[str, shapely.Geometry]:
    doc = json.loads((GEO / name).read_text(encoding="utf-8"))
    key = "kommunenummer" if "Kommuner" in name else "fylkesnummer"
    out = {}
    for f in doc["features"]:
        g = shape(f["geometry"])
        out[f["properties"][key]] = g if g.is_valid else shapely.make_valid(g)
    return out


# ------------------------------------------------------------------------------------- GeoJSON files

def test_feature_counts_codes_and_properties(munis, counties):
    for fc, n, width, keys in ((munis, 357, 4, ["code", "name", "county_code"]), (counties, 15, 2, ["code", "name"])):
        assert fc["type"] == "FeatureCollection"
        feats = fc["features"]
        assert len(feats) == n
        codes = [f["properties"]["code"] for f in feats]
        assert codes == sorted(codes) and len(set(codes)) == n
        for f in feats:
            p = f["properties"]
            assert list(p) == keys
            assert isinstance(p["code"], str) and re.fullmatch(rf"\d{{{width}}}", p["code"])
            assert f["id"] == p["code"]
            assert isinstance(p["name"], str) and p["name"].strip()
    county_codes = {f["properties"]["code"] for f in counties["features"]}
    for f in munis["features"]:
        p = f["properties"]
        assert isinstance(p["county_code"], str) and p["county_code"] == p["code"][:2] in county_codes
    names = {f["properties"]["code"]: f["properties"]["name"] for f in munis["features"]}
    assert names["0301"] == "Oslo" and names["3201"] == "Bærum" and names["1151"] == "Utsira"


def test_geometry_valid_polygonal_wgs84_and_rounded(built, munis, counties):
    for name, fc in (("municipalities", munis), ("counties", counties)):
        for f in fc["features"]:
            g = shape(f["geometry"])
            assert g.geom_type in ("Polygon", "MultiPolygon"), (name, f["id"])
            assert g.is_valid and not g.is_empty and g.area > 0, (name, f["id"])
            x0, y0, x1, y1 = g.bounds
            assert 4 < x0 < x1 < 32 and 57 < y0 < y1 < 72, (name, f["id"], g.bounds)
        text = (built[0] / "geo" / f"{name}.geojson").read_text(encoding="utf-8")
        assert not re.search(r"\d\.\d{5,}", text), f"{name}: more than 4 decimals"
    report = built[1]["simplification"]
    assert report["repaired_after_snapping"] == []


def test_exterior_rings_clockwise_for_d3(munis, counties):
    """plotly go.Choropleth draws with d3-geo: exterior rings clockwise, holes anticlockwise."""
    for fc in (munis, counties):
        geoms = np.array([shape(f["geometry"]) for f in fc["features"]])
        parts = shapely.get_parts(geoms)
        assert not shapely.is_ccw(shapely.get_exterior_ring(parts)).any()
        holes = [r for p in parts for r in p.interiors]
        assert all(r.is_ccw for r in holes)


def test_small_municipalities_keep_a_visible_polygon(munis):
    simple = _geoms(munis)
    source = _source(MUNI_FILE)
    smallest = sorted(source, key=lambda c: source[c].area)[:12]
    for code in {*smallest, "1144", "1151", "1835", "1856", "1857", "4633", "3222", "3224"}:
        s, o = simple[code], source[code]
        assert s.is_valid and not s.is_empty
        assert 0.5 < s.area / o.area < 1.5, (code, s.area / o.area)
        # the largest polygon is still a real shape (≥ 4 distinct vertices), not a speck
        biggest = max(shapely.get_parts(s), key=lambda p: p.area)
        assert len(biggest.exterior.coords) >= 5, code
    # island municipalities are simplified on their own and keep their shape closely
    for code in ("1144", "1151", "1835", "1856", "4633"):
        s, o = simple[code], source[code]
        assert shapely.symmetric_difference(s, o).area / o.area < 0.1, code
        assert shapely.get_num_geometries(s) == shapely.get_num_geometries(o), code


def test_coverage_no_overlaps_and_shared_borders_stay_shared(munis):
    simple = _geoms(munis)
    codes = sorted(simple)
    geoms = np.array([simple[c] for c in codes])
    assert shapely.coverage_is_valid(geoms)  # no overlaps, shared edges identical
    # a few neighbours: they share a line, with no area in common
    for a, b in (("0301", "3201"), ("0301", "3207"), ("1103", "1127"), ("4601", "4624")):
        inter = shapely.intersection(simple[a].boundary, simple[b].boundary)
        assert inter.length > 0.01, (a, b)
        assert shapely.intersection(simple[a], simple[b]).area < 1e-10, (a, b)


def test_no_gaps_counties_equal_union_of_municipalities(munis, counties):
    simple = _geoms(munis)
    cgeo = _geoms(counties)
    source_counties = _source(COUNTY_FILE)
    full = _source(MUNI_FILE)
    for cc, county in cgeo.items():
        members = [g for c, g in simple.items() if c[:2] == cc]
        union = shapely.union_all(members)
        # the county file is dissolved from the municipalities: identical up to floating point
        assert abs(union.area / county.area - 1) < 1e-9, cc
        assert shapely.symmetric_difference(union, county).area / county.area < 1e-6, cc
        # and matches Kartverket's own county polygon (generalised separately) closely
        assert abs(county.area / source_counties[cc].area - 1) < 0.015, cc
        # no sliver holes: the simplified union has no more holes than the full-resolution one
        full_union = shapely.union_all([g for c, g in full.items() if c[:2] == cc])
        holes = sum(len(p.interiors) for p in shapely.get_parts(union))
        full_holes = sum(len(p.interiors) for p in shapely.get_parts(full_union))
        assert holes <= full_holes, (cc, holes, full_holes)
    # county borders coincide with municipality borders
    mb = shapely.union_all([g.boundary for g in simple.values()])
    for cc, county in cgeo.items():
        assert shapely.difference(county.boundary, mb).length < 1e-9, cc


def test_file_size_in_budget(built):
    out = built[1]["outputs"]
    size = out["geo/municipalities.geojson"]["bytes"]
    assert size == (built[0] / "geo" / "municipalities.geojson").stat().st_size
    assert 300_000 <= size <= 620_000
    assert out["geo/municipalities.geojson"]["gzip_bytes"] < size
    assert out["geo/counties.geojson"]["bytes"] == (built[0] / "geo" / "counties.geojson").stat().st_size


# ----------------------------------------------------------------------------------------- neighbours

def test_neighbours_schema_order_and_symmetry(nb):
    assert list(nb.columns) == ["region_code", "neighbour_code", "relation", "shared_border_km", "distance_km"]
    assert nb["shared_border_km"].dtype == "float64" and nb["distance_km"].dtype == "float64"
    assert all(isinstance(v, str) and re.fullmatch(r"\d{4}", v) for v in nb["region_code"])
    assert all(isinstance(v, str) and re.fullmatch(r"\d{4}", v) for v in nb["neighbour_code"])
    assert set(nb["relation"]) == {"border", "nearest"}
    assert (nb["region_code"] != nb["neighbour_code"]).all()
    assert not nb.duplicated(["region_code", "neighbour_code"]).any()
    keys = list(zip(nb["region_code"], nb["neighbour_code"]))
    assert keys == sorted(keys)
    assert nb["region_code"].nunique() == 357  # every municipality has at least one neighbour
    rows = {(r.region_code, r.neighbour_code): (r.relation, r.shared_border_km, r.distance_km)
            for r in nb.itertuples()}
    for (a, b), v in rows.items():
        assert rows.get((b, a)) == v, (a, b)
    border = nb[nb["relation"] == "border"]
    assert (border["shared_border_km"] > 0).all() and (border["distance_km"] == 0).all()
    near = nb[nb["relation"] == "nearest"]
    assert (near["shared_border_km"] == 0).all() and (near["distance_km"] > 0).all()


def test_known_border_pairs(nb):
    rows = {(r.region_code, r.neighbour_code): r for r in nb.itertuples()}
    # Oslo's land neighbours in the 2024 data
    oslo = set(nb.loc[nb["region_code"] == "0301", "neighbour_code"])
    assert oslo == {"3201", "3205", "3207", "3220", "3222", "3232", "3234", "3305"}
    assert 10 < rows[("0301", "3201")].shared_border_km < 30    # Oslo–Bærum
    assert rows[("0301", "3207")].relation == "border"          # Oslo–Nordre Follo
    assert rows[("1103", "1127")].relation == "border"          # Stavanger–Randaberg
    assert rows[("4601", "4624")].relation == "border"          # Bergen–Bjørnafjorden
    assert ("0301", "1103") not in rows
    # touching in a single point is not a border (Drammen–Modum in the source)
    assert ("3301", "3316") not in rows


def test_island_municipalities_get_nearest_in_same_county(built, nb):
    report = built[1]["neighbours"]
    islands = report["island_codes"]
    has_border = set(nb.loc[nb["relation"] == "border", "region_code"])
    assert set(islands) == set(nb["region_code"]) - has_border
    assert {"1144", "1151", "1835", "1856", "4633", "3110"} <= set(islands)
    rows = {(r.region_code, r.neighbour_code): r for r in nb.itertuples()}
    picked = {isl["code"]: isl["nearest"] for isl in report["islands"]}
    assert set(picked) == set(islands)
    for code in islands:
        mine = nb[nb["region_code"] == code]
        assert (mine["relation"] == "nearest").all()
        # the island's own picks: same county, nearest first, within 1.5x the nearest, at most 3
        own = picked[code]
        assert 1 <= len(own) <= NEAREST_MAX
        assert all(p["code"][:2] == code[:2] for p in own), code
        d = [p["distance_km"] for p in own]
        assert d == sorted(d) and d[-1] <= NEAREST_FACTOR * d[0] + 1e-9, code
        for p in own:
            assert rows[(code, p["code"])].relation == "nearest"
            assert rows[(code, p["code"])].distance_km == p["distance_km"]
        # any other row of the island is the reverse of another island's pick (e.g. Røst -> Værøy)
        for other in set(mine["neighbour_code"]) - {p["code"] for p in own}:
            assert code in {p["code"] for p in picked.get(other, [])}, (code, other)
    assert rows[("1151", "1149")].relation == "nearest"   # Utsira -> Karmøy
    assert 5 < rows[("1151", "1149")].distance_km < 15
    assert rows[("1144", "1103")].relation == "nearest"   # Kvitsøy -> Stavanger
    assert rows[("3110", "3107")].relation == "nearest"   # Hvaler -> Fredrikstad
    assert rows[("1149", "1151")].relation == "nearest"   # the mainland side gets the link too


def test_nearest_rule_on_hand_made_geometry():
    """FIXTURE geometry around island 1101: candidates of its county at 1.0, 1.2, 1.3, 1.35 and 1.8 x g
    (g = 2 km), and 1201 in another county at 0.5 g. Expect the 3 nearest of the county within 1.5 g."""
    g = 2000.0
    lon, lat = 1 / 55_800, 1 / 111_300  # degrees per metre at 60° N

    def sq(x0, y0, s=0.01):
        return box(x0, y0, x0 + s, y0 + s)

    geoms = {"1101": sq(10.0, 60.0),
             "1102": sq(10.01 + 1.0 * g * lon, 60.0),            # east
             "1103": sq(10.0, 60.01 + 1.2 * g * lat),            # north
             "1104": sq(10.0, 60.0 - 0.01 - 1.3 * g * lat),      # south
             "1105": sq(10.01 + 1.35 * g * lon, 60.0105),        # east, a little higher: 1.35 g
             "1106": sq(10.0, 60.01 + 1.8 * g * lat),            # further north: beyond 1.5 g
             "1201": sq(10.0 - 0.01 - 0.5 * g * lon, 60.0),      # closest, but another county
             "1202": sq(10.0 - 0.02 - 0.5 * g * lon, 60.0)}      # 1201's land neighbour
    codes = sorted(geoms)
    table = gpd.GeoDataFrame(geometry=[geoms[c] for c in codes], index=pd.Index(codes, name="code"), crs="EPSG:4326")
    df, report = compute_neighbours(table)
    picks = {isl["code"]: [p["code"] for p in isl["nearest"]] for isl in report["islands"]}
    assert picks["1101"] == ["1102", "1103", "1104"]
    assert "1201" not in picks and report["border_pairs"] == 1   # 1201-1202 share an edge
    pairs = set(zip(df["region_code"], df["neighbour_code"]))
    for other in ("1102", "1103", "1104"):
        assert {("1101", other), (other, "1101")} <= pairs
    assert ("1101", "1201") not in pairs and ("1101", "1106") not in pairs
    assert df.loc[(df["region_code"] == "1201") & (df["neighbour_code"] == "1202"), "shared_border_km"].item() > 0


def test_report_is_json_and_complete(built):
    report = built[1]
    json.dumps(report)
    assert report["inputs"] == [MUNI_FILE, COUNTY_FILE]
    assert report["source"]["municipalities"]["features"] == 357
    assert report["source"]["counties"]["features"] == 15
    assert report["source"]["municipalities"]["bytes"] == (GEO / MUNI_FILE).stat().st_size
    assert report["simplification"]["tolerance_deg"] > 0
    assert report["neighbours"]["border_pairs"] * 2 == report["neighbours"]["rows"] - report["neighbours"][
        "nearest_rows"]
    assert report["neighbours"]["pairs_within_50m_not_touching"] == []
    assert math.isclose(report["outputs"]["neighbours.parquet"]["rows"], report["neighbours"]["rows"])


def test_build_is_byte_identical(built, tmp_path):
    out1, report1 = built
    report2 = build_geo(RAW, tmp_path, log=lambda *_: None)
    for rel in ("geo/municipalities.geojson", "geo/counties.geojson", "neighbours.parquet"):
        assert (out1 / rel).read_bytes() == (tmp_path / rel).read_bytes(), rel
    assert json.dumps(report1, sort_keys=True) == json.dumps(report2, sort_keys=True)


# ------------------------------------------------------------------------------- errors (FIXTURE files)

def _fixture_feature(code: str, x: float, y: float, *, kind: str = "municipality", geometry=None) -> dict:
    """A HAND-MADE FIXTURE feature in Kartverket's property format (a small square in Norway)."""
    props = ({"id": code, "kommunenummer": code, "name": f"Test {code}", "kommunenavn": f"Test {code}"}
             if kind == "municipality" else
             {"id": code, "name": f"Test {code}", "fylkesnummer": code, "fylkesnavn": f"Test {code}"})
    geom = geometry or {"type": "Polygon", "coordinates": [[[x, y], [x + 0.05, y], [x + 0.05, y + 0.05],
                                                            [x, y + 0.05], [x, y]]]}
    return {"type": "Feature", "properties": props, "geometry": geom}


def _fixture_munis(n: int = 357) -> list[dict]:
    return [_fixture_feature(f"{11 + i // 99:02d}{i % 99 + 1:02d}", 5 + (i % 30) * 0.06, 58 + (i // 30) * 0.06)
            for i in range(n)]


def _fixture_raw(tmp_path: Path, munis=None, counties=None, *, muni_text: str | None = None) -> Path:
    """Write FIXTURE raw files into tmp_path/raw/geo; unspecified files link to the real ones."""
    geo = tmp_path / "raw" / "geo"
    geo.mkdir(parents=True)
    for name, feats, text in ((MUNI_FILE, munis, muni_text), (COUNTY_FILE, counties, None)):
        if text is not None:
            (geo / name).write_text(text, encoding="utf-8")
        elif feats is not None:
            (geo / name).write_text(json.dumps({"type": "FeatureCollection", "features": feats}), encoding="utf-8")
        else:
            (geo / name).symlink_to(GEO / name)
    return tmp_path / "raw"


def _expect(raw: Path, tmp_path: Path, *fragments: str, file: str = MUNI_FILE):
    with pytest.raises(GeoError) as exc:
        build_geo(raw, tmp_path / "out", log=lambda *_: None)
    msg = str(exc.value)
    assert file in msg, msg
    for frag in fragments:
        assert frag in msg, msg
    assert isinstance(exc.value, PipelineError)
    assert not (tmp_path / "out" / "neighbours.parquet").exists()


def test_error_missing_file(tmp_path):
    raw = tmp_path / "raw"
    (raw / "geo").mkdir(parents=True)
    _expect(raw, tmp_path, "finnes ikke")


def test_error_corrupt_json(tmp_path):
    raw = _fixture_raw(tmp_path, muni_text='{"type":"FeatureCollection","features":[{"type":"Feat')
    _expect(raw, tmp_path, "ikke gyldig JSON")


def test_error_not_geojson(tmp_path):
    raw = _fixture_raw(tmp_path, muni_text=json.dumps({"kommuner": [{"kommunenummer": "0301"}]}))
    _expect(raw, tmp_path, "FeatureCollection")


def test_error_single_feature_is_a_one_feature_collection(tmp_path):
    """GDAL reads a bare Feature as a layer of one: the count check names it."""
    raw = _fixture_raw(tmp_path, muni_text=json.dumps(_fixture_feature("0301", 10.7, 59.9)))
    _expect(raw, tmp_path, "1 features", "357")


def test_error_not_utf8(tmp_path):
    feats = _fixture_munis()
    feats[0]["properties"]["kommunenavn"] = "Bærum"
    raw = _fixture_raw(tmp_path, muni_text="")
    (raw / "geo" / MUNI_FILE).write_bytes(
        json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False).encode("latin-1"))
    _expect(raw, tmp_path, "UTF-8")


def test_error_projected_crs_member(tmp_path):
    doc = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25833"}},
           "features": _fixture_munis()}
    raw = _fixture_raw(tmp_path, muni_text=json.dumps(doc))
    _expect(raw, tmp_path, "koordinatsystem", "25833")


def test_error_missing_geometry(tmp_path):
    feats = _fixture_munis()
    feats[2]["geometry"] = None
    raw = _fixture_raw(tmp_path, munis=feats)
    _expect(raw, tmp_path, "feature nr. 3", "Polygon")


def test_geometry_table_is_read_exactly():
    """geopandas/GDAL reads the source coordinates bit for bit as Python's json + shapely does."""
    from pipeline.geo import _read_collection
    table, info = _read_collection(GEO / COUNTY_FILE, "county")
    assert isinstance(table, gpd.GeoDataFrame) and table.crs.to_epsg() == 4326
    assert list(table.index) == sorted(table.index) and table.index.name == "code"
    doc = json.loads((GEO / COUNTY_FILE).read_text(encoding="utf-8"))
    by_code = {f["properties"]["fylkesnummer"]: shape(f["geometry"]) for f in doc["features"]}
    repaired = {r["code"] for r in info["repaired"]}
    for code, geom in table.geometry.items():
        if code not in repaired:
            assert shapely.equals_identical(geom, by_code[code]), code
    assert repaired and all(table.geometry[c].is_valid for c in repaired)


def test_error_wrong_feature_count(tmp_path):
    raw = _fixture_raw(tmp_path, munis=[_fixture_feature("0301", 10.7, 59.9), _fixture_feature("3201", 10.5, 59.9)])
    _expect(raw, tmp_path, "2 features", "357")


def test_error_wrong_county_count(tmp_path):
    counties = [_fixture_feature(f"{c:02d}", 10, 60, kind="county") for c in range(1, 15)]
    raw = _fixture_raw(tmp_path, counties=counties)
    _expect(raw, tmp_path, "14 features", "15", file=COUNTY_FILE)


def test_error_duplicate_code(tmp_path):
    feats = _fixture_munis()
    feats[5]["properties"]["kommunenummer"] = feats[4]["properties"]["kommunenummer"]
    raw = _fixture_raw(tmp_path, munis=feats)
    _expect(raw, tmp_path, "dupliserte", feats[4]["properties"]["kommunenummer"])


@pytest.mark.parametrize("bad", [None, 301, "301", "03011"])
def test_error_missing_or_malformed_code(tmp_path, bad):
    feats = _fixture_munis()
    for key in ("kommunenummer", "id"):
        feats[7]["properties"][key] = bad
    raw = _fixture_raw(tmp_path, munis=feats)
    _expect(raw, tmp_path, "feature nr. 8", "kode")


def test_error_unrepairable_geometry(tmp_path):
    feats = _fixture_munis()
    flat = {"type": "Polygon", "coordinates": [[[10.0, 60.0], [10.1, 60.1], [10.2, 60.2], [10.0, 60.0]]]}
    feats[3] = _fixture_feature(feats[3]["properties"]["kommunenummer"], 0, 0, geometry=flat)
    raw = _fixture_raw(tmp_path, munis=feats)
    _expect(raw, tmp_path, feats[3]["properties"]["kommunenummer"], "ikke kan repareres")


def test_error_point_geometry_and_projected_coordinates(tmp_path):
    feats = _fixture_munis()
    feats[0]["geometry"] = {"type": "Point", "coordinates": [10.0, 60.0]}
    raw = _fixture_raw(tmp_path / "a", munis=feats)
    _expect(raw, tmp_path / "a", "Polygon")
    feats = _fixture_munis()
    feats[1]["geometry"]["coordinates"] = [[[x * 1e4, y * 1e5] for x, y in feats[1]["geometry"]["coordinates"][0]]]
    raw = _fixture_raw(tmp_path / "b", munis=feats)
    _expect(raw, tmp_path / "b", "koordinatsystem")


def test_fixture_collection_without_errors_reaches_the_county_check(tmp_path):
    """The 357-square FIXTURE is well-formed; with the real county file it fails only on consistency."""
    raw = _fixture_raw(tmp_path, munis=_fixture_munis())
    with pytest.raises(GeoError) as exc:
        build_geo(raw, tmp_path / "out", log=lambda *_: None)
    assert "fylke" in str(exc.value)
