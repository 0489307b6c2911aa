"""Map geometry and the neighbour table, from Kartverket's 2024 municipality and county polygons.

Inputs (``raw_dir/geo``)
    ``2024-Kommuner-M.geojson`` (357 municipalities) and ``2024-Fylker-M.geojson`` (15 counties), WGS84.
    The "M" (medium) files are used, not "S". Measured against M: S (after the same cleaning) is 543 KB at
    1.8 % area difference, M simplified here is 560 KB at 2.9 %, but S gets there by dropping 1 870 of
    M's 3 018 island polygons (0.14 % of the area, yet e.g. Træna keeps 2 of 19 islands, Kvitsøy 1 of 7,
    and Leka loses islands 0.56° away), and S is not a valid coverage either. M keeps every island and
    lets us control the simplification. M is itself already generalised (≈ 84 000 vertices in all).

Outputs (``out_dir``)
    ``geo/municipalities.geojson``  properties ``code`` (4 digits), ``name``, ``county_code`` (2 digits)
    ``geo/counties.geojson``        properties ``code`` (2 digits), ``name``
    ``neighbours.parquet``          region_code, neighbour_code, relation, shared_border_km, distance_km

The geometry table
    Each file becomes a ``GeoDataFrame`` indexed by ``code`` (sorted), with ``name`` (and ``county_code``
    for municipalities) and the geometry in EPSG:4326; every later step works on GeoSeries of that table
    aligned by code. Read with ``geopandas.read_file`` (pyogrio/GDAL, Arrow): the coordinates come out
    bit-identical to Python's ``json`` + ``shapely.shape`` (tested), and reading both files takes
    ≈ 0.13 s instead of ≈ 0.32 s. Projections are ``GeoSeries.to_crs``; adjacency is a self spatial join
    (``geopandas.sjoin``, predicate ``intersects`` / ``dwithin``). Measured on the whole geometry step:
    ≈ 3.2 s CPU with geopandas against ≈ 3.6 s for the earlier hand-written arrays, identical output.

Geometry steps
    1. Read and check each file (UTF-8, GeoJSON, CRS, feature count, codes unique and well-formed, names,
       polygonal WGS84 geometry). Problems raise :class:`GeoError` naming the file. GDAL reads a bare
       Feature as a collection of one (the count check names it); when GDAL cannot read a file, the JSON
       error position is looked up with Python's ``json`` so the message points at the line.
    2. Invalid source polygons (33 municipalities have self-intersections) are repaired with
       ``GeoSeries.make_valid(method="structure")``; a polygon that cannot be repaired is an error.
    3. ``shapely.coverage_clean`` (geopandas 1.2 has no GeoSeries wrapper for it) makes the 357 polygons
       an exact coverage: it removes the one real overlap in the source (Haugesund 1106 / Sveio 4612,
       about 2 000 m²) and snaps the few shared edges whose vertices did not match. Area changes are
       below 0.001 %.
    4. Neighbours are computed from this full-resolution geometry (see below).
    5. ``GeoSeries.simplify_coverage`` (shapely's coverage_simplify: Visvalingam–Whyatt on the edges of
       the whole coverage at once, so neighbours keep identical borders: no gaps, no slivers) with
       ``SIMPLIFY_TOLERANCE`` degrees,
       chosen so that municipalities.geojson is ≈ 560 KB (≈ 155 KB gzip). No polygon is removed by it
       (the smallest islands become triangles). Municipalities that touch no other municipality (the
       island municipalities: Kvitsøy, Utsira, Træna, Røst, Fedje, ...) share no edge, so each of them is
       simplified on its own with ``min(SIMPLIFY_TOLERANCE, ISLAND_TOLERANCE_FACTOR * sqrt(area))`` and
       keeps its shape (unless the result would come within 2 grid cells of another municipality; then
       the coverage result is kept). A uniform tolerance for every island polygon of every municipality
       was tried and rejected: it costs more bytes than it wins in area fidelity.
    6. Coordinates are snapped to a 1e-4° grid (``GeoSeries.set_precision``, ≈ 11 m north-south), which keeps
       the polygons valid and the coverage exact; a speck smaller than the grid may vanish (reported).
    7. Counties are dissolved from the simplified municipalities (``dissolve(method="coverage")``), so every
       county border coincides exactly with municipality borders. The county file gives the names and a
       check: the full-resolution municipalities of each county must cover the source county's area
       within ``COUNTY_AREA_TOLERANCE`` (they agree within 0.15 %).
    8. Rings are written with the exterior clockwise and holes anticlockwise: the convention of d3-geo,
       which plotly's ``go.Choropleth`` uses (an anticlockwise exterior would fill the whole globe except
       the municipality). This is the opposite of RFC 7946 §3.1.6; MapLibre/Leaflet ignore winding.
       ``GeoSeries.orient_polygons(exterior_cw=True)`` sets it. The file is then written by hand, the one
       place where hand-written code stays: ``to_json`` and GDAL's writer (``to_file``) have their own
       layout and float formatting (no ``id`` member of our form, other separators and digits), so they
       cannot reproduce the fixed, byte-identical layout below, and GDAL's RFC 7946 mode would rewind the
       rings anticlockwise.

Output is byte-identical across runs: features sorted by code, the JSON is written here with fixed
separators and coordinates rounded to ``DECIMALS`` decimals, the parquet has a fixed row order.

Neighbours (``neighbours.parquet``)
    Lengths and distances are measured in EPSG:25833 (UTM 33N, metres, ``to_crs``) on the cleaned
    full-resolution geometry; candidate pairs come from a spatial self-join (``sjoin``, ``intersects``).
    ``border``: the two polygons share a boundary line of at least ``MIN_BORDER_M`` metres (touching in a
    single point does not count; there are 12 such point contacts). No tolerance buffer is used: the source
    is an edge-matched coverage (after step 3), and widening the contact test to 50 m finds no extra pairs.
    ``shared_border_km`` is the shared length, ``distance_km`` is 0. ``nearest`` (island fallback): a
    municipality with no border neighbour is linked to the nearest municipality in the SAME county by
    polygon-to-polygon distance, plus every other municipality of the county within ``NEAREST_FACTOR`` (1.5)
    times that distance, at most ``NEAREST_MAX`` (3) in all (ties by code). ``shared_border_km`` is 0 and
    ``distance_km`` the polygon-to-polygon distance. The relation is made symmetric: when island A gets B, B
    also gets A (relation ``nearest``), so every (A, B) row has a (B, A) row with the same values. Rows are
    sorted by region_code, neighbour_code.
"""
from __future__ import annotations

import gzip
import json
import math
import re
import warnings
from contextlib import contextmanager
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .errors import PipelineError

MUNI_FILE = "2024-Kommuner-M.geojson"
COUNTY_FILE = "2024-Fylker-M.geojson"
N_MUNICIPALITIES = 357
N_COUNTIES = 15

SIMPLIFY_TOLERANCE = 0.015        # degrees; coverage_simplify's tolerance (≈ sqrt of the removed triangles' area)
ISLAND_TOLERANCE_FACTOR = 0.05    # isolated municipalities: tolerance = min(SIMPLIFY_TOLERANCE, f * sqrt(area))
DECIMALS = 4                      # coordinate decimals in the web files (1e-4° ≈ 11 m N-S, ≈ 5 m E-W)
GRID = 10.0 ** -DECIMALS
COUNTY_AREA_TOLERANCE = 0.01      # dissolved county area vs source county area, relative

SOURCE_CRS = "EPSG:4326"          # WGS84 lon/lat (GeoJSON without a crs member is read as this)
PROJECTED_CRS = "EPSG:25833"      # UTM zone 33N (ETRS89), metres
MIN_BORDER_M = 1.0                # a shared boundary shorter than this is a point contact, not a border
GAP_CHECK_M = 50.0                # report pairs that come this close without touching
NEAREST_FACTOR = 1.5
NEAREST_MAX = 3

_MUNI_CODE = re.compile(r"^\d{4}$")
_COUNTY_CODE = re.compile(r"^\d{2}$")
# loose box around mainland Norway and its islands, in lon/lat: catches projected or swapped coordinates
_BBOX = (2.0, 55.0, 35.0, 73.0)


class GeoError(PipelineError):
    """A raw geometry file is missing, corrupt or inconsistent (the message names the file)."""


@contextmanager
def _degree_ratios():
    """Context for area RATIOS computed in lon/lat degrees (the unit cancels in a ratio).

    geopandas warns on every area in a geographic CRS; the report's area ratios and the island tolerance
    (sqrt of an area in degrees², a tolerance in degrees) are meant in degrees, so the warning is silenced
    only around them.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Geometry is in a geographic CRS", category=UserWarning)
        yield


# ---------------------------------------------------------------------------------------------- reading

def _read_collection(path: Path, kind: str) -> tuple[gpd.GeoDataFrame, dict]:
    """Read one raw FeatureCollection with geopandas (pyogrio/GDAL). kind: 'municipality' or 'county'.

    Returns a GeoDataFrame indexed by ``code`` (sorted) with the column ``name`` and the repaired
    geometry in WGS84, and a small info dict for the report.
    """
    if kind == "municipality":
        code_keys, name_keys, pattern, expected = ("kommunenummer", "id"), ("kommunenavn", "name"), _MUNI_CODE, \
            N_MUNICIPALITIES
    else:
        code_keys, name_keys, pattern, expected = ("fylkesnummer", "id"), ("fylkesnavn", "name"), _COUNTY_CODE, \
            N_COUNTIES
    if not path.is_file():
        raise GeoError("kartfilen finnes ikke", path)
    raw = path.read_bytes()  # for the report (size, gzip size); GDAL reads the file itself
    try:  # checked here: GDAL passes invalid UTF-8 through and pyarrow fails later on the names, unclearly
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise GeoError(f"er ikke UTF-8 ({exc})", path) from exc
    try:
        with warnings.catch_warnings():
            # mixed property types (a number among the code strings) are read as strings and then rejected
            # below with the feature number; pyogrio's warning about it would only repeat that
            warnings.filterwarnings("ignore", message="Could not parse column")
            gdf = gpd.read_file(path, engine="pyogrio", use_arrow=True)
    except Exception as exc:  # noqa: BLE001 - GDAL, shapely and the decoder raise several types
        raise _unreadable(path, raw, exc) from exc
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        # GDAL reads a GeoJSON without a crs member (RFC 7946) as EPSG:4326; anything else is a projected file
        crs_name = gdf.crs.to_string() if gdf.crs is not None else "ukjent"
        raise GeoError(f"har koordinatsystem {crs_name!r}, ventet WGS84 (lon/lat)", path)
    if len(gdf) != expected:
        raise GeoError(f"har {len(gdf)} features, ventet {expected} ({kind}, 2024-grenser)", path)

    # the first non-empty of the code/name properties, feature by feature (Kartverket sets both)
    codes = _first_present(gdf, code_keys)
    names = _first_present(gdf, name_keys)
    for i in range(len(gdf)):
        where = f"feature nr. {i + 1}"
        code = codes.iloc[i]
        if not isinstance(code, str) or not pattern.match(code):
            # GDAL types a property column by all its values (one number among the code strings makes the
            # whole column integer, "0301" -> 301), so the culprit is looked up in the JSON itself
            i, code = _first_bad_code(raw, code_keys, pattern, fallback=(i, code))
            raise GeoError(f"feature nr. {i + 1} har ugyldig eller manglende kode {code!r} (ventet streng med "
                           f"{4 if kind == 'municipality' else 2} siffer i {'/'.join(code_keys)})", path)
        name = names.iloc[i]
        if not isinstance(name, str) or not name.strip():
            raise GeoError(f"{where} ({code}) mangler navn ({'/'.join(name_keys)})", path)
    gtype = gdf.geometry.geom_type
    polygonal = gtype.isin(["Polygon", "MultiPolygon"])
    if not polygonal.all():
        i = int(np.flatnonzero(~polygonal.to_numpy())[0])
        shown = gtype.iloc[i] if isinstance(gtype.iloc[i], str) else None
        raise GeoError(f"feature nr. {i + 1} ({codes.iloc[i]}) har geometri {shown!r}, ventet Polygon/MultiPolygon",
                       path)
    empty = gdf.geometry.is_empty.to_numpy()
    if empty.any():
        i = int(np.flatnonzero(empty)[0])
        raise GeoError(f"feature nr. {i + 1} ({codes.iloc[i]}) har tom geometri", path)
    b = gdf.geometry.bounds
    outside = ~((b["minx"] >= _BBOX[0]) & (b["maxx"] <= _BBOX[2]) & (b["miny"] >= _BBOX[1]) & (b["maxy"] <= _BBOX[3]))
    if outside.any():
        i = int(np.flatnonzero(outside.to_numpy())[0])
        x0, y0, x1, y1 = b.iloc[i]
        raise GeoError(f"feature nr. {i + 1} ({codes.iloc[i]}) ligger utenfor Norge i lon/lat ({x0:.2f}, {y0:.2f}, "
                       f"{x1:.2f}, {y1:.2f}): feil koordinatsystem?", path)
    dups = sorted(set(codes[codes.duplicated()]))
    if dups:
        raise GeoError(f"har dupliserte koder: {dups}", path)

    table = gpd.GeoDataFrame({"name": names.str.strip().to_numpy()},
                             geometry=gdf.geometry.to_numpy(), crs=SOURCE_CRS,
                             index=pd.Index(codes.to_numpy(), name="code")).sort_index()
    repaired = _repair(table, path)
    info = {"file": path.name, "bytes": len(raw), "gzip_bytes": _gzip_size(raw), "features": len(table),
            "coordinates": int(table.geometry.count_coordinates().sum()), "repaired": repaired}
    return table, info


def _first_present(gdf: pd.DataFrame, keys: tuple[str, ...]) -> pd.Series:
    """Per row, the first of the properties ``keys`` that is present and non-empty (object dtype, None if none)."""
    out = pd.Series([None] * len(gdf), index=gdf.index, dtype=object)
    for key in reversed(keys):
        if key in gdf.columns:
            col = gdf[key].astype(object)
            present = col.notna() & (col != "")
            out = out.where(~present, col)
    return out


def _first_bad_code(raw: bytes, keys: tuple[str, ...], pattern: re.Pattern, fallback: tuple) -> tuple:
    """(position, value) of the first feature whose code property is not a well-formed string (error path)."""
    try:
        feats = json.loads(raw.decode("utf-8"))["features"]
        for i, f in enumerate(feats):
            props = f.get("properties") or {}
            code = next((props[k] for k in keys if props.get(k) is not None), None)
            if not isinstance(code, str) or not pattern.match(code):
                return i, code
    except (ValueError, KeyError, TypeError, AttributeError):
        pass
    return fallback


def _unreadable(path: Path, raw: bytes, exc: Exception) -> GeoError:
    """GDAL could not read the file: say why in the pipeline's words (the JSON error position first)."""
    try:
        doc = json.loads(raw.decode("utf-8"))
    except json.JSONDecodeError as err:
        return GeoError(f"er ikke gyldig JSON: {err.msg} (kolonne {err.colno})", path, err.lineno)
    if not isinstance(doc, dict) or doc.get("type") not in ("FeatureCollection", "Feature"):
        return GeoError("er ikke en GeoJSON FeatureCollection (mangler type/features)", path)
    return GeoError(f"har ugyldige koordinater eller geometri: {exc}", path)


def _polygonal(geom):
    """The polygonal part of a geometry (make_valid can return collections with lines/points)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    polys = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polys) if polys else shapely.Polygon()


def _repair(table: gpd.GeoDataFrame, path: Path) -> list[dict]:
    """Repair invalid polygons in place (make_valid, method "structure"); a failed repair is an error."""
    invalid = ~table.geometry.is_valid
    if not invalid.any():
        return []
    bad = table.geometry[invalid]
    reasons = bad.is_valid_reason()
    fixed = bad.make_valid(method="structure", keep_collapsed=False).map(_polygonal)
    fixed = gpd.GeoSeries(fixed, crs=table.crs)
    with _degree_ratios():
        ratios = fixed.area / bad.area
    repaired = []
    for code in bad.index:
        g, reason, ratio = fixed[code], reasons[code], float(ratios[code])
        if g.is_empty or not g.is_valid:
            raise GeoError(f"{code} har ugyldig geometri som ikke kan repareres ({reason})", path)
        if not 0.99 <= ratio <= 1.01:
            raise GeoError(f"{code} har ugyldig geometri ({reason}); reparasjonen endrer arealet "
                           f"med faktor {ratio:.3f}", path)
        repaired.append({"code": code, "reason": reason, "area_ratio": round(ratio, 6)})
    table.loc[fixed.index, "geometry"] = fixed
    return repaired


def _gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


# -------------------------------------------------------------------------------------- neighbours

def _pairs(geoms: gpd.GeoSeries, predicate: str, **kwargs) -> pd.DataFrame:
    """Unordered pairs (a < b by code) from a self spatial join: columns a, b (codes)."""
    frame = gpd.GeoDataFrame(geometry=geoms.rename_axis("code"))
    joined = gpd.sjoin(frame, frame, how="inner", predicate=predicate, **kwargs)
    pairs = pd.DataFrame({"a": joined.index.to_numpy(), "b": joined["code_right"].to_numpy()})
    return pairs[pairs["a"] < pairs["b"]].sort_values(["a", "b"], ignore_index=True)


def compute_neighbours(table: gpd.GeoDataFrame) -> tuple[pd.DataFrame, dict]:
    """The neighbour table (see the module docstring) and a report.

    ``table``: a GeoDataFrame indexed by municipality code (sorted), with a CRS; its geometry must be a
    clean coverage.
    """
    proj = table.geometry.to_crs(PROJECTED_CRS)
    codes = list(proj.index)
    touching = _pairs(proj, "intersects")
    boundary = proj.boundary
    shared = gpd.GeoSeries(boundary.loc[touching["a"]].to_numpy()).intersection(
        gpd.GeoSeries(boundary.loc[touching["b"]].to_numpy())).length.to_numpy()
    is_border = shared >= MIN_BORDER_M
    point_contacts = [[a, b] for a, b in zip(touching["a"][~is_border], touching["b"][~is_border])]

    rows = {}
    for a, b, length in zip(touching["a"][is_border], touching["b"][is_border], shared[is_border]):
        km = round(float(length) / 1000.0, 3)
        rows[(a, b)] = ("border", km, 0.0)
        rows[(b, a)] = ("border", km, 0.0)

    # pairs that come close without touching: evidence that no gap tolerance is needed
    near = _pairs(proj, "dwithin", distance=GAP_CHECK_M)
    touching_set = set(zip(touching["a"], touching["b"]))
    near_only = [[a, b] for a, b in zip(near["a"], near["b"]) if (a, b) not in touching_set]

    has_border = {a for a, _ in rows}
    county = pd.Series([c[:2] for c in codes], index=proj.index)
    islands = []
    for code in codes:
        if code in has_border:
            continue
        cands = proj[(county == county[code]) & (proj.index != code)]
        scope = "county"
        if len(cands) == 0:  # a one-municipality county without borders: cannot happen in 2024, stay safe
            cands = proj[proj.index != code]
            scope = "country"
        dist = cands.distance(proj[code])
        order = sorted(dist.index, key=lambda c: (round(float(dist[c]), 3), c))
        d0 = float(dist[order[0]])
        chosen = [c for c in order if float(dist[c]) <= NEAREST_FACTOR * d0][:NEAREST_MAX]
        picked = []
        for other in chosen:
            km = round(float(dist[other]) / 1000.0, 3)
            rows.setdefault((code, other), ("nearest", 0.0, km))
            rows.setdefault((other, code), ("nearest", 0.0, km))
            picked.append({"code": other, "distance_km": km})
        islands.append({"code": code, "county_code": county[code], "scope": scope, "nearest": picked})

    keys = sorted(rows)
    df = pd.DataFrame({
        "region_code": pd.Series([a for a, _ in keys], dtype=str),
        "neighbour_code": pd.Series([b for _, b in keys], dtype=str),
        "relation": pd.Series([rows[k][0] for k in keys], dtype=str),
        "shared_border_km": pd.Series([rows[k][1] for k in keys], dtype="float64"),
        "distance_km": pd.Series([rows[k][2] for k in keys], dtype="float64"),
    })
    border = df[df["relation"] == "border"]
    shortest = border.loc[border["shared_border_km"].idxmin()] if len(border) else None
    report = {
        "rows": int(len(df)),
        "border_pairs": int(is_border.sum()),
        "nearest_rows": int((df["relation"] == "nearest").sum()),
        "crs": PROJECTED_CRS,
        "min_border_m": MIN_BORDER_M,
        "gap_buffer_m": 0.0,
        "point_contacts_ignored": point_contacts,
        f"pairs_within_{int(GAP_CHECK_M)}m_not_touching": near_only,
        "shortest_border": None if shortest is None else {
            "pair": [shortest["region_code"], shortest["neighbour_code"]], "km": float(shortest["shared_border_km"])},
        "nearest_rule": (f"municipalities without a border neighbour get the nearest municipality in the same "
                         f"county (polygon-to-polygon distance, {PROJECTED_CRS}) plus any other within "
                         f"{NEAREST_FACTOR}x that distance, at most {NEAREST_MAX}; the relation is symmetric"),
        "island_codes": [isl["code"] for isl in islands],
        "islands": islands,
    }
    return df, report


# ------------------------------------------------------------------------------------ simplification

def _simplify(clean: gpd.GeoSeries, tolerance: float | None = None,
              island_factor: float | None = None) -> tuple[gpd.GeoSeries, dict]:
    """simplify_coverage on the whole coverage; municipalities touching no other one are simplified alone.

    A uniform tolerance is the most byte-efficient (refining every free island polygon costs more bytes
    than it wins in area fidelity), but an island municipality is nothing but islands, so it gets
    ``min(tolerance, island_factor * sqrt(area))`` and keeps its shape.
    """
    tolerance = SIMPLIFY_TOLERANCE if tolerance is None else tolerance
    island_factor = ISLAND_TOLERANCE_FACTOR if island_factor is None else island_factor
    touch = _pairs(clean, "intersects")
    isolated = clean.index.difference(pd.Index(touch["a"]).union(pd.Index(touch["b"])))
    coverage = clean.simplify_coverage(tolerance)
    simplified = coverage.copy()
    tolerances, fallback = {}, []
    with _degree_ratios():
        areas = clean.area
    for code in isolated:
        tol = min(tolerance, island_factor * math.sqrt(float(areas[code])))
        # a one-row GeoSeries: this municipality is its own coverage, simplified with its own tolerance
        alone = clean.loc[[code]].simplify_coverage(tol)[code]
        hits = [c for c in coverage.index[coverage.sindex.query(alone, predicate="dwithin", distance=2 * GRID)]
                if c != code]
        if hits:  # would come too close to a neighbour: keep the coverage-simplified version
            fallback.append(code)
            continue
        simplified[code] = alone
        tolerances[code] = round(tol, 6)
    snapped = simplified.set_precision(GRID)
    repaired = []
    for code, g in snapped.items():
        if g.is_empty or not g.is_valid or g.geom_type not in ("Polygon", "MultiPolygon"):
            fixed = _polygonal(shapely.make_valid(g)) if not g.is_empty else g
            snapped[code] = fixed if not fixed.is_empty else simplified[code]
            repaired.append(code)
    n_in, n_out = clean.count_geometries(), snapped.count_geometries()
    lost = {code: int(n_in[code] - n_out[code]) for code in clean.index[(n_out < n_in).to_numpy()]}
    return snapped, {"isolated_tolerances_deg": tolerances, "isolated_kept_coverage_tolerance": fallback,
                     "repaired_after_snapping": repaired,
                     "polygons_lost": lost}


def _orient(geoms: gpd.GeoSeries) -> gpd.GeoSeries:
    """d3-geo winding: exterior rings clockwise, holes anticlockwise (see the module docstring)."""
    return geoms.orient_polygons(exterior_cw=True)


# ------------------------------------------------------------------------------------------- writing
# Written by hand rather than with GeoDataFrame.to_file / to_json: the files must be byte-identical across
# builds in a fixed layout (one feature per line, an ``id`` member equal to the code, compact separators,
# coordinates rounded to DECIMALS and written in Python's shortest float form), which neither writer
# produces, and they must keep the d3-geo winding set by _orient (GDAL's RFC 7946 mode would rewind it).

def _coords(ring) -> list:
    return [[round(x, DECIMALS), round(y, DECIMALS)] for x, y in ring.coords]


def _geometry_json(geom) -> dict:
    def poly(p):
        return [_coords(p.exterior)] + [_coords(r) for r in p.interiors]
    if geom.geom_type == "Polygon":
        return {"type": "Polygon", "coordinates": poly(geom)}
    return {"type": "MultiPolygon", "coordinates": [poly(p) for p in geom.geoms]}


def _write_collection(path: Path, table: gpd.GeoDataFrame) -> bytes:
    """Write ``table`` (indexed by code, sorted): properties code + its columns. Returns the bytes written."""
    columns = [c for c in table.columns if c != table.geometry.name]
    parts = [json.dumps({"type": "Feature", "id": code,
                         "properties": {"code": code, **{c: str(v) for c, v in zip(columns, values)}},
                         "geometry": _geometry_json(geom)},
                        ensure_ascii=False, separators=(",", ":"), sort_keys=False)
             for code, values, geom in zip(table.index, table[columns].itertuples(index=False, name=None),
                                           table.geometry)]
    data = ('{"type":"FeatureCollection","features":[\n' + ",\n".join(parts) + "\n]}\n").encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return data


def _file_stats(data: bytes, geoms: gpd.GeoSeries) -> dict:
    return {"bytes": len(data), "gzip_bytes": _gzip_size(data), "features": int(len(geoms)),
            "coordinates": int(geoms.count_coordinates().sum()),
            "polygons": int(geoms.count_geometries().sum())}


# ---------------------------------------------------------------------------------------------- build

def build_geo(raw_dir: Path, out_dir: Path, log=print) -> dict:
    """Read the raw 2024 geometry, write the web GeoJSON and neighbours.parquet, return a report.

    Writes ``out_dir/geo/municipalities.geojson``, ``out_dir/geo/counties.geojson`` and
    ``out_dir/neighbours.parquet``. Raises :class:`GeoError` (a PipelineError) naming the raw file when an
    input is missing, not JSON/GeoJSON, has the wrong number of features, missing/duplicate codes, or
    geometry that cannot be repaired. The report is JSON-serialisable and deterministic.
    """
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    muni_path, county_path = raw_dir / "geo" / MUNI_FILE, raw_dir / "geo" / COUNTY_FILE
    munis, muni_info = _read_collection(muni_path, "municipality")
    counties, county_info = _read_collection(county_path, "county")
    log(f"kart: leste {len(munis)} kommuner og {len(counties)} fylker")
    munis["county_code"] = munis.index.str[:2]

    unknown = sorted(set(munis["county_code"]) - set(counties.index))
    if unknown:
        raise GeoError(f"kommuner i fylker som ikke finnes i {COUNTY_FILE}: {unknown}", muni_path)
    empty = sorted(set(counties.index) - set(munis["county_code"]))
    if empty:
        raise GeoError(f"fylker uten kommuner i {MUNI_FILE}: {empty}", county_path)

    # geopandas 1.2 has no wrapper for coverage_clean: shapely's, on the geometry array, back into the table
    clean = gpd.GeoSeries(shapely.coverage_clean(munis.geometry.to_numpy()), index=munis.index, crs=munis.crs)
    if not clean.is_valid_coverage() or not clean.is_valid.all() or clean.is_empty.any():
        raise GeoError("kommunepolygonene kan ikke gjøres til en gyldig dekning (overlapp/hull)", muni_path)
    with _degree_ratios():
        clean_change = (clean.area / munis.area - 1.0).abs()
    neighbours, nb_report = compute_neighbours(gpd.GeoDataFrame(geometry=clean))
    for isl in nb_report["islands"]:
        isl["name"] = munis.at[isl["code"], "name"]
        for n in isl["nearest"]:
            n["name"] = munis.at[n["code"], "name"]
    log(f"kart: {nb_report['border_pairs']} nabopar med felles grense, "
        f"{len(nb_report['islands'])} kommuner uten landgrense fikk nærmeste nabo i fylket")

    simple, simp_report = _simplify(clean)
    if not simple.is_valid_coverage():
        raise GeoError("forenklingen ga overlapp mellom kommuner (intern feil)", muni_path)
    bad = list(simple.index[(simple.is_empty | ~simple.is_valid).to_numpy()])
    if bad:
        raise GeoError(f"forenklet geometri er tom eller ugyldig for {bad}", muni_path)

    # counties dissolved from the simplified municipalities (coverage union: borders stay shared exactly)
    dissolved = gpd.GeoDataFrame({"county_code": munis["county_code"]}, geometry=simple).dissolve(
        by="county_code", method="coverage").geometry
    dissolved = dissolved.map(lambda g: _polygonal(shapely.make_valid(g)) if not g.is_valid else g)
    dissolved = gpd.GeoSeries(dissolved.reindex(counties.index).to_numpy(), index=counties.index, crs=munis.crs)
    bad = list(dissolved.index[(dissolved.is_empty | ~dissolved.is_valid).to_numpy()])
    if bad:
        raise GeoError(f"sammenslåtte fylker er tomme eller ugyldige: {bad}", county_path)
    # consistency of the two sources, at full resolution (the county file is generalised on its own)
    full_union = gpd.GeoDataFrame({"county_code": munis["county_code"]}, geometry=clean).dissolve(
        by="county_code", method="coverage").geometry
    with _degree_ratios():
        full_ratio = full_union.reindex(counties.index).area / counties.area
        area_ratio = dissolved.area / counties.area
    off = {c: round(float(r), 4) for c, r in full_ratio.items() if abs(r - 1.0) > COUNTY_AREA_TOLERANCE}
    if off:
        raise GeoError(f"fylkene stemmer ikke med kommunene i {MUNI_FILE} (arealforhold {off})", county_path)

    simple, dissolved = _orient(simple), _orient(dissolved)
    (out_dir / "geo").mkdir(parents=True, exist_ok=True)
    m_data = _write_collection(out_dir / "geo" / "municipalities.geojson",
                               gpd.GeoDataFrame(munis[["name", "county_code"]], geometry=simple))
    c_data = _write_collection(out_dir / "geo" / "counties.geojson",
                               gpd.GeoDataFrame(counties[["name"]], geometry=dissolved))
    nb_path = out_dir / "neighbours.parquet"
    neighbours.to_parquet(nb_path, index=False, engine="pyarrow", compression="zstd")

    with _degree_ratios():
        sym_area = simple.symmetric_difference(clean).area
        clean_area = clean.area
    area_change = sym_area / clean_area
    worst = area_change.index[np.argsort(-area_change.to_numpy(), kind="stable")[:5]]
    m_stats = _file_stats(m_data, simple)
    log(f"kart: kommuner {m_stats['bytes'] / 1024:.0f} KB ({m_stats['gzip_bytes'] / 1024:.0f} KB gzip), "
        f"fylker {len(c_data) / 1024:.0f} KB, toleranse {SIMPLIFY_TOLERANCE}°")
    return {
        "inputs": [MUNI_FILE, COUNTY_FILE],
        "source": {"municipalities": muni_info, "counties": county_info,
                   "choice": "Kartverket 2024 'M' files, simplified here; 'S' is not used: it drops 1870 of "
                             "the 3018 island polygons and is not a valid coverage (see pipeline/geo.py)"},
        "outputs": {
            "geo/municipalities.geojson": m_stats,
            "geo/counties.geojson": _file_stats(c_data, dissolved),
            "neighbours.parquet": {"bytes": nb_path.stat().st_size, "rows": int(len(neighbours))},
        },
        "simplification": {
            "method": "shapely.coverage_clean + shapely.coverage_simplify (Visvalingam-Whyatt, shared edges "
                      "kept identical); counties dissolved from the simplified municipalities",
            "tolerance_deg": SIMPLIFY_TOLERANCE,
            "isolated_tolerance_rule": f"min({SIMPLIFY_TOLERANCE}, {ISLAND_TOLERANCE_FACTOR} * sqrt(area_deg2))",
            **simp_report,
            "decimals": DECIMALS,
            "winding": "exterior clockwise (d3-geo / plotly go.Choropleth), not RFC 7946",
            "coverage_clean_max_area_change_pct": round(float(clean_change.max()) * 100, 5),
            "polygons_in": int(clean.count_geometries().sum()),
            "polygons_out": int(simple.count_geometries().sum()),
            "area_difference_total_pct": round(float(sym_area.sum() / clean_area.sum()) * 100, 3),
            "area_difference_worst_pct": {c: round(float(area_change[c]) * 100, 2) for c in worst},
            "county_area_ratio_vs_source": {c: round(float(r), 5) for c, r in full_ratio.items()},
            "county_area_ratio_simplified_vs_source": {c: round(float(r), 5) for c, r in area_ratio.items()},
        },
        "neighbours": nb_report,
    }
