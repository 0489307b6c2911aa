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

Geometry steps
    1. Read and check each file (FeatureCollection, feature count, codes unique and well-formed, names,
       polygonal WGS84 geometry). Problems raise :class:`GeoError` naming the file.
    2. Invalid source polygons (33 municipalities have self-intersections) are repaired with
       ``shapely.make_valid(method="structure")``; a polygon that cannot be repaired is an error.
    3. ``shapely.coverage_clean`` makes the 357 polygons an exact coverage: it removes the one real overlap
       in the source (Haugesund 1106 / Sveio 4612, about 2 000 m²) and snaps the few shared edges whose
       vertices did not match. Area changes are below 0.001 %.
    4. Neighbours are computed from this full-resolution geometry (see below).
    5. ``shapely.coverage_simplify`` (Visvalingam–Whyatt on the edges of the whole coverage at once, so
       neighbours keep identical borders: no gaps, no slivers) with ``SIMPLIFY_TOLERANCE`` degrees,
       chosen so that municipalities.geojson is ≈ 560 KB (≈ 155 KB gzip). No polygon is removed by it
       (the smallest islands become triangles). Municipalities that touch no other municipality (the
       island municipalities: Kvitsøy, Utsira, Træna, Røst, Fedje, ...) share no edge, so each of them is
       simplified on its own with ``min(SIMPLIFY_TOLERANCE, ISLAND_TOLERANCE_FACTOR * sqrt(area))`` and
       keeps its shape (unless the result would come within 2 grid cells of another municipality; then
       the coverage result is kept). A uniform tolerance for every island polygon of every municipality
       was tried and rejected: it costs more bytes than it wins in area fidelity.
    6. Coordinates are snapped to a 1e-4° grid (``shapely.set_precision``, ≈ 11 m north-south), which keeps
       the polygons valid and the coverage exact; a speck smaller than the grid may vanish (reported).
    7. Counties are dissolved from the simplified municipalities (``shapely.coverage_union_all``), so every
       county border coincides exactly with municipality borders. The county file gives the names and a
       check: the full-resolution municipalities of each county must cover the source county's area
       within ``COUNTY_AREA_TOLERANCE`` (they agree within 0.15 %).
    8. Rings are written with the exterior clockwise and holes anticlockwise: the convention of d3-geo,
       which plotly's ``go.Choropleth`` uses (an anticlockwise exterior would fill the whole globe except
       the municipality). This is the opposite of RFC 7946 §3.1.6; MapLibre/Leaflet ignore winding.

Output is byte-identical across runs: features sorted by code, the JSON is written here with fixed
separators and coordinates rounded to ``DECIMALS`` decimals, the parquet has a fixed row order.

Neighbours (``neighbours.parquet``)
    Lengths and distances are measured in EPSG:25833 (UTM 33N, metres) on the cleaned full-resolution
    geometry. ``border``: the two polygons share a boundary line of at least ``MIN_BORDER_M`` metres
    (touching in a single point does not count; there are 12 such point contacts). No tolerance buffer
    is used: the source is an edge-matched coverage (after step 3), and widening the contact test to
    50 m finds no extra pairs. ``shared_border_km`` is the shared length, ``distance_km`` is 0.
    ``nearest`` (island fallback): a municipality with no border neighbour is linked to the nearest
    municipality in the SAME county by polygon-to-polygon distance, plus every other municipality of the
    county within ``NEAREST_FACTOR`` (1.5) times that distance, at most ``NEAREST_MAX`` (3) in all (ties by
    code). ``shared_border_km`` is 0 and ``distance_km`` the polygon-to-polygon distance. The relation
    is made symmetric: when island A gets B, B also gets A (relation ``nearest``), so every (A, B) row has
    a (B, A) row with the same values. Rows are sorted by region_code, neighbour_code.
"""
from __future__ import annotations

import gzip
import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape

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


# ---------------------------------------------------------------------------------------------- reading

def _read_collection(path: Path, kind: str) -> tuple[list[str], list[str], np.ndarray, dict]:
    """Read one raw FeatureCollection. kind: 'municipality' or 'county'.

    Returns codes, names, geometries (sorted by code) and a small info dict.
    """
    if kind == "municipality":
        code_keys, name_keys, pattern, expected = ("kommunenummer", "id"), ("kommunenavn", "name"), _MUNI_CODE, \
            N_MUNICIPALITIES
    else:
        code_keys, name_keys, pattern, expected = ("fylkesnummer", "id"), ("fylkesnavn", "name"), _COUNTY_CODE, \
            N_COUNTIES
    if not path.is_file():
        raise GeoError("kartfilen finnes ikke", path)
    raw = path.read_bytes()
    try:
        doc = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise GeoError(f"er ikke UTF-8 ({exc})", path) from exc
    except json.JSONDecodeError as exc:
        raise GeoError(f"er ikke gyldig JSON: {exc.msg} (kolonne {exc.colno})", path, exc.lineno) from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(
            doc.get("features"), list):
        raise GeoError("er ikke en GeoJSON FeatureCollection (mangler type/features)", path)
    crs = doc.get("crs")
    if crs is not None:
        crs_name = str((crs.get("properties") or {}).get("name", "")) if isinstance(crs, dict) else str(crs)
        if not any(k in crs_name.upper() for k in ("CRS84", "4326")):
            raise GeoError(f"har koordinatsystem {crs_name!r}, ventet WGS84 (lon/lat)", path)
    feats = doc["features"]
    if len(feats) != expected:
        raise GeoError(f"har {len(feats)} features, ventet {expected} ({kind}, 2024-grenser)", path)

    rows = []
    for i, f in enumerate(feats):
        where = f"feature nr. {i + 1}"
        if not isinstance(f, dict) or f.get("type") != "Feature" or not isinstance(f.get("properties"), dict):
            raise GeoError(f"{where} er ikke en GeoJSON Feature med properties", path)
        props = f["properties"]
        code = next((props[k] for k in code_keys if props.get(k) is not None), None)
        if not isinstance(code, str) or not pattern.match(code):
            raise GeoError(f"{where} har ugyldig eller manglende kode {code!r} (ventet streng med "
                           f"{4 if kind == 'municipality' else 2} siffer i {'/'.join(code_keys)})", path)
        name = next((props[k] for k in name_keys if props.get(k)), None)
        if not isinstance(name, str) or not name.strip():
            raise GeoError(f"{where} ({code}) mangler navn ({'/'.join(name_keys)})", path)
        gj = f.get("geometry")
        if not isinstance(gj, dict) or gj.get("type") not in ("Polygon", "MultiPolygon"):
            gtype = gj.get("type") if isinstance(gj, dict) else gj
            raise GeoError(f"{where} ({code}) har geometri {gtype!r}, ventet Polygon/MultiPolygon", path)
        try:
            geom = shape(gj)
        except Exception as exc:  # noqa: BLE001 - shapely raises several types for malformed coordinates
            raise GeoError(f"{where} ({code}) har ugyldige koordinater: {exc}", path) from exc
        if geom.is_empty:
            raise GeoError(f"{where} ({code}) har tom geometri", path)
        x0, y0, x1, y1 = geom.bounds
        if not (_BBOX[0] <= x0 and x1 <= _BBOX[2] and _BBOX[1] <= y0 and y1 <= _BBOX[3]):
            raise GeoError(f"{where} ({code}) ligger utenfor Norge i lon/lat ({x0:.2f}, {y0:.2f}, {x1:.2f}, "
                           f"{y1:.2f}): feil koordinatsystem?", path)
        rows.append((code, name.strip(), geom))

    codes = [r[0] for r in rows]
    dups = sorted({c for c in codes if codes.count(c) > 1})
    if dups:
        raise GeoError(f"har dupliserte koder: {dups}", path)
    rows.sort(key=lambda r: r[0])
    codes = [r[0] for r in rows]
    names = [r[1] for r in rows]
    geoms = np.array([r[2] for r in rows], dtype=object)
    geoms, repaired = _repair(geoms, codes, path)
    info = {"file": path.name, "bytes": len(raw), "gzip_bytes": _gzip_size(raw), "features": len(rows),
            "coordinates": int(shapely.get_num_coordinates(geoms).sum()), "repaired": repaired}
    return codes, names, geoms, info


def _polygonal(geom):
    """The polygonal part of a geometry (make_valid can return collections with lines/points)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    polys = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polys) if polys else shapely.Polygon()


def _repair(geoms: np.ndarray, codes: list[str], path: Path) -> tuple[np.ndarray, list[dict]]:
    invalid = np.flatnonzero(~shapely.is_valid(geoms))
    repaired = []
    out = geoms.copy()
    for i in invalid:
        reason = shapely.is_valid_reason(geoms[i])
        fixed = _polygonal(shapely.make_valid(geoms[i], method="structure", keep_collapsed=False))
        if fixed.is_empty or not fixed.is_valid:
            raise GeoError(f"{codes[i]} har ugyldig geometri som ikke kan repareres ({reason})", path)
        ratio = fixed.area / geoms[i].area if geoms[i].area > 0 else float("nan")
        if not 0.99 <= ratio <= 1.01:
            raise GeoError(f"{codes[i]} har ugyldig geometri ({reason}); reparasjonen endrer arealet "
                           f"med faktor {ratio:.3f}", path)
        out[i] = fixed
        repaired.append({"code": codes[i], "reason": reason, "area_ratio": round(ratio, 6)})
    return out, repaired


def _gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


# -------------------------------------------------------------------------------------- neighbours

def _project(geoms: np.ndarray) -> np.ndarray:
    from pyproj import Transformer
    tr = Transformer.from_crs("EPSG:4326", PROJECTED_CRS, always_xy=True)
    return shapely.transform(geoms, lambda xy: np.column_stack(tr.transform(xy[:, 0], xy[:, 1])))


def compute_neighbours(codes: list[str], geoms_wgs84: np.ndarray) -> tuple[pd.DataFrame, dict]:
    """The neighbour table (see the module docstring) and a report. geoms must be a clean coverage."""
    gp = _project(geoms_wgs84)
    tree = shapely.STRtree(gp)
    a, b = tree.query(gp, predicate="intersects")
    keep = a < b
    a, b = a[keep], b[keep]
    shared = shapely.length(shapely.intersection(shapely.boundary(gp[a]), shapely.boundary(gp[b])))
    is_border = shared >= MIN_BORDER_M
    point_contacts = [[codes[i], codes[j]] for i, j in zip(a[~is_border], b[~is_border])]

    rows = {}
    for i, j, length in zip(a[is_border], b[is_border], shared[is_border]):
        km = round(float(length) / 1000.0, 3)
        rows[(i, j)] = ("border", km, 0.0)
        rows[(j, i)] = ("border", km, 0.0)

    # pairs that come close without touching: evidence that no gap tolerance is needed
    na, nb = tree.query(gp, predicate="dwithin", distance=GAP_CHECK_M)
    touching = set(zip(a.tolist(), b.tolist()))
    near_only = sorted([codes[i], codes[j]] for i, j in zip(na, nb) if i < j and (i, j) not in touching)

    has_border = {i for i, _ in rows}
    county = [c[:2] for c in codes]
    islands = []
    for i in range(len(codes)):
        if i in has_border:
            continue
        cands = np.array([j for j in range(len(codes)) if j != i and county[j] == county[i]], dtype=int)
        scope = "county"
        if len(cands) == 0:  # a one-municipality county without borders: cannot happen in 2024, stay safe
            cands = np.array([j for j in range(len(codes)) if j != i], dtype=int)
            scope = "country"
        dist = shapely.distance(gp[i], gp[cands])
        order = sorted(range(len(cands)), key=lambda k: (round(float(dist[k]), 3), codes[cands[k]]))
        d0 = float(dist[order[0]])
        chosen = [k for k in order if float(dist[k]) <= NEAREST_FACTOR * d0][:NEAREST_MAX]
        picked = []
        for k in chosen:
            j = int(cands[k])
            km = round(float(dist[k]) / 1000.0, 3)
            rows.setdefault((i, j), ("nearest", 0.0, km))
            rows.setdefault((j, i), ("nearest", 0.0, km))
            picked.append({"code": codes[j], "distance_km": km})
        islands.append({"code": codes[i], "county_code": county[i], "scope": scope, "nearest": picked})

    keys = sorted(rows, key=lambda k: (codes[k[0]], codes[k[1]]))
    df = pd.DataFrame({
        "region_code": pd.Series([codes[i] for i, _ in keys], dtype=str),
        "neighbour_code": pd.Series([codes[j] for _, j in keys], dtype=str),
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

def _simplify(codes: list[str], clean: np.ndarray, tolerance: float | None = None,
              island_factor: float | None = None) -> tuple[np.ndarray, dict]:
    """coverage_simplify the whole coverage; municipalities touching no other one are simplified alone.

    A uniform tolerance is the most byte-efficient (refining every free island polygon costs more bytes
    than it wins in area fidelity), but an island municipality is nothing but islands, so it gets
    ``min(tolerance, island_factor * sqrt(area))`` and keeps its shape.
    """
    tolerance = SIMPLIFY_TOLERANCE if tolerance is None else tolerance
    island_factor = ISLAND_TOLERANCE_FACTOR if island_factor is None else island_factor
    tree = shapely.STRtree(clean)
    a, b = tree.query(clean, predicate="intersects")
    touches = np.zeros(len(clean), dtype=bool)
    touches[a[a != b]] = True
    simplified = shapely.coverage_simplify(clean, tolerance)
    tolerances, fallback = {}, []
    coverage_tree = shapely.STRtree(simplified)
    for i in np.flatnonzero(~touches):
        tol = min(tolerance, island_factor * math.sqrt(float(shapely.area(clean[i]))))
        alone = shapely.coverage_simplify(clean[i], tol)
        hits = [int(j) for j in coverage_tree.query(alone, predicate="dwithin", distance=2 * GRID) if j != i]
        if hits:  # would come too close to a neighbour: keep the coverage-simplified version
            fallback.append(codes[i])
            continue
        simplified[i] = alone
        tolerances[codes[i]] = round(tol, 6)
    snapped = shapely.set_precision(simplified, GRID)
    repaired = []
    for i, g in enumerate(snapped):
        if g.is_empty or not g.is_valid or g.geom_type not in ("Polygon", "MultiPolygon"):
            fixed = _polygonal(shapely.make_valid(g)) if not g.is_empty else g
            snapped[i] = fixed if not fixed.is_empty else simplified[i]
            repaired.append(codes[i])
    n_in, n_out = shapely.get_num_geometries(clean), shapely.get_num_geometries(snapped)
    lost = {codes[i]: int(n_in[i] - n_out[i]) for i in np.flatnonzero(n_out < n_in)}
    return snapped, {"isolated_tolerances_deg": tolerances, "isolated_kept_coverage_tolerance": fallback,
                     "repaired_after_snapping": repaired,
                     "polygons_lost": lost}


def _orient(geoms: np.ndarray) -> np.ndarray:
    """d3-geo winding: exterior rings clockwise, holes anticlockwise (see the module docstring)."""
    return shapely.orient_polygons(geoms, exterior_cw=True)


# ------------------------------------------------------------------------------------------- writing

def _coords(ring) -> list:
    return [[round(x, DECIMALS), round(y, DECIMALS)] for x, y in ring.coords]


def _geometry_json(geom) -> dict:
    def poly(p):
        return [_coords(p.exterior)] + [_coords(r) for r in p.interiors]
    if geom.geom_type == "Polygon":
        return {"type": "Polygon", "coordinates": poly(geom)}
    return {"type": "MultiPolygon", "coordinates": [poly(p) for p in geom.geoms]}


def _write_collection(path: Path, features: list[tuple[str, dict, object]]) -> bytes:
    """features: (code, properties, geometry), already sorted. Returns the bytes written."""
    parts = [json.dumps({"type": "Feature", "id": code, "properties": props, "geometry": _geometry_json(geom)},
                        ensure_ascii=False, separators=(",", ":"), sort_keys=False)
             for code, props, geom in features]
    data = ('{"type":"FeatureCollection","features":[\n' + ",\n".join(parts) + "\n]}\n").encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return data


def _file_stats(data: bytes, geoms: np.ndarray) -> dict:
    return {"bytes": len(data), "gzip_bytes": _gzip_size(data), "features": int(len(geoms)),
            "coordinates": int(shapely.get_num_coordinates(geoms).sum()),
            "polygons": int(shapely.get_num_geometries(geoms).sum())}


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
    codes, names, geoms, muni_info = _read_collection(muni_path, "municipality")
    c_codes, c_names, c_geoms, county_info = _read_collection(county_path, "county")
    log(f"kart: leste {len(codes)} kommuner og {len(c_codes)} fylker")

    unknown = sorted({c[:2] for c in codes} - set(c_codes))
    if unknown:
        raise GeoError(f"kommuner i fylker som ikke finnes i {COUNTY_FILE}: {unknown}", muni_path)
    empty = sorted(set(c_codes) - {c[:2] for c in codes})
    if empty:
        raise GeoError(f"fylker uten kommuner i {MUNI_FILE}: {empty}", county_path)

    clean = shapely.coverage_clean(geoms)
    if not shapely.coverage_is_valid(clean) or not shapely.is_valid(clean).all() or shapely.is_empty(clean).any():
        raise GeoError("kommunepolygonene kan ikke gjøres til en gyldig dekning (overlapp/hull)", muni_path)
    clean_change = np.abs(shapely.area(clean) / shapely.area(geoms) - 1.0)

    neighbours, nb_report = compute_neighbours(codes, clean)
    name_of = dict(zip(codes, names))
    for isl in nb_report["islands"]:
        isl["name"] = name_of[isl["code"]]
        for n in isl["nearest"]:
            n["name"] = name_of[n["code"]]
    log(f"kart: {nb_report['border_pairs']} nabopar med felles grense, "
        f"{len(nb_report['islands'])} kommuner uten landgrense fikk nærmeste nabo i fylket")

    simple, simp_report = _simplify(codes, clean)
    if not shapely.coverage_is_valid(simple):
        raise GeoError("forenklingen ga overlapp mellom kommuner (intern feil)", muni_path)
    bad = [codes[i] for i in range(len(codes)) if simple[i].is_empty or not simple[i].is_valid]
    if bad:
        raise GeoError(f"forenklet geometri er tom eller ugyldig for {bad}", muni_path)

    county_of = np.array([c[:2] for c in codes])
    dissolved = np.array([shapely.coverage_union_all(simple[county_of == cc]) for cc in c_codes], dtype=object)
    dissolved = np.array([_polygonal(shapely.make_valid(g)) if not g.is_valid else g for g in dissolved],
                         dtype=object)
    bad = [c for c, g in zip(c_codes, dissolved) if g.is_empty or not g.is_valid]
    if bad:
        raise GeoError(f"sammenslåtte fylker er tomme eller ugyldige: {bad}", county_path)
    # consistency of the two sources, at full resolution (the county file is generalised on its own)
    full_ratio = np.array([shapely.area(shapely.coverage_union_all(clean[county_of == cc])) for cc in c_codes]) \
        / shapely.area(c_geoms)
    off = {c: round(float(r), 4) for c, r in zip(c_codes, full_ratio) if abs(r - 1.0) > COUNTY_AREA_TOLERANCE}
    if off:
        raise GeoError(f"fylkene stemmer ikke med kommunene i {MUNI_FILE} (arealforhold {off})", county_path)
    area_ratio = shapely.area(dissolved) / shapely.area(c_geoms)

    simple, dissolved = _orient(simple), _orient(dissolved)
    (out_dir / "geo").mkdir(parents=True, exist_ok=True)
    m_data = _write_collection(out_dir / "geo" / "municipalities.geojson", [
        (c, {"code": c, "name": n, "county_code": c[:2]}, g) for c, n, g in zip(codes, names, simple)])
    c_data = _write_collection(out_dir / "geo" / "counties.geojson", [
        (c, {"code": c, "name": n}, g) for c, n, g in zip(c_codes, c_names, dissolved)])
    nb_path = out_dir / "neighbours.parquet"
    neighbours.to_parquet(nb_path, index=False, engine="pyarrow", compression="zstd")

    area_change = shapely.area(shapely.symmetric_difference(simple, clean)) / shapely.area(clean)
    worst = np.argsort(-area_change, kind="stable")[:5]
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
            "polygons_in": int(shapely.get_num_geometries(clean).sum()),
            "polygons_out": int(shapely.get_num_geometries(simple).sum()),
            "area_difference_total_pct": round(float(
                shapely.area(shapely.symmetric_difference(simple, clean)).sum() / shapely.area(clean).sum()) * 100, 3),
            "area_difference_worst_pct": {codes[i]: round(float(area_change[i]) * 100, 2) for i in worst},
            "county_area_ratio_vs_source": {c: round(float(r), 5) for c, r in zip(c_codes, full_ratio)},
            "county_area_ratio_simplified_vs_source": {c: round(float(r), 5) for c, r in zip(c_codes, area_ratio)},
        },
        "neighbours": nb_report,
    }
