"""Load and validate data/ (the contract is data/README.md). No Dash imports."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from store.errors import StoreError

LEVELS = ("country", "county", "municipality")
UNITS = ("persons", "percent", "ratio", "per100", "years", "fte", "per1000", "per10000", "nok", "count")  # = pipeline/schemas.py
DIRECTIONS = ("higher_better", "lower_better", "neutral")
EXPECTED_COUNTIES = 15
EXPECTED_MUNICIPALITIES = 357

_CODE_PATTERN = {
    "country": re.compile(r"^NO$"),
    "county": re.compile(r"^\d{2}$"),
    "municipality": re.compile(r"^\d{4}$"),
}

# column kinds: str, int, float, list
SCHEMAS: dict[str, dict[str, str]] = {
    "regions.parquet": {
        "region_code": "str", "level": "str", "name": "str", "county_code": "str?",
        "county_name": "str?", "sort_order": "int",
    },
    "population.parquet": {
        "level": "str", "region_code": "str", "year": "int", "age": "int", "population": "float",
    },
    "population_groups.parquet": {
        "level": "str", "region_code": "str", "year": "int", "age_group": "str", "population": "float",
    },
    "indicators.parquet": {
        "indicator_id": "str", "level": "str", "region_code": "str", "year": "int", "value": "float",
        "numerator": "float", "denominator": "float",
    },
    "catalog.parquet": {
        "id": "str", "name_nb": "str", "name_en": "str", "definition_nb": "str", "definition_en": "str",
        "unit": "str", "unit_nb": "str", "unit_en": "str", "decimals": "int", "service_areas": "list",
        "direction": "str", "levels": "list", "years": "list", "year_min": "int", "year_max": "int",
        "source": "str", "source_url": "str", "licence": "str", "notes": "str?", "sort_order": "int",
    },
    "service_areas.parquet": {"id": "str", "name_nb": "str", "name_en": "str", "sort_order": "int"},
    "neighbours.parquet": {
        "region_code": "str", "neighbour_code": "str", "relation": "str", "shared_border_km": "float",
        "distance_km": "float",
    },
}
# optional tables (issue 4): loaded when present, else empty (the profile page then says so)
OPTIONAL_SCHEMAS: dict[str, dict[str, str]] = {
    "statistical_neighbours.parquet": {
        "region_code": "str", "neighbour_code": "str", "rank": "int", "distance": "float",
    },
    "comparison_features.parquet": {"region_code": "str", "feature": "str", "value": "float", "z": "float"},
    # why a municipality has no value for an indicator and year (KOSTRA tables)
    "gap_notes.parquet": {"indicator_id": "str", "region_code": "str", "year": "int", "reason_nb": "str",
                          "reason_en": "str"},
    # precomputed views (pipeline/views.py, issue 13); the nullable Int columns are read as float (NaN = null)
    "view_ranks.parquet": {"indicator_id": "str", "level": "str", "region_code": "str", "year": "int",
                           "rank_all": "int", "n_all": "int", "rank_county": "float", "n_county": "float",
                           "quintile": "float"},
    "view_spread.parquet": {"indicator_id": "str", "level": "str", "year": "int", "county_code": "str?", "n": "int",
                            "min": "float", "p25": "float", "median": "float", "p75": "float", "max": "float",
                            "q20": "float", "q40": "float", "q60": "float", "q80": "float"},
    "view_neighbour_medians.parquet": {"region_code": "str", "indicator_id": "str", "year": "int",
                                       "geo_median": "float", "geo_n": "int", "stat_median": "float",
                                       "stat_n": "int"},
}
GEO_FILES = {"municipality": "geo/municipalities.geojson", "county": "geo/counties.geojson"}
MANIFEST = "manifest.json"


@dataclass
class Data:
    data_dir: Path
    regions: pd.DataFrame  # index: region_code
    population: pd.DataFrame
    population_groups: pd.DataFrame
    indicators: pd.DataFrame
    catalog: pd.DataFrame  # index: id, sorted by sort_order
    service_areas: pd.DataFrame  # sorted by sort_order
    neighbours: pd.DataFrame
    geo: dict[str, dict]
    manifest: dict
    version: str
    # derived, for fast queries: (indicator_id, level) -> frame indexed by (year, region_code)
    by_indicator: dict[tuple[str, str], pd.DataFrame] = field(default_factory=dict)
    statistical_neighbours: pd.DataFrame = field(default_factory=pd.DataFrame)
    comparison_features: pd.DataFrame = field(default_factory=pd.DataFrame)
    gap_notes: pd.DataFrame = field(default_factory=pd.DataFrame)   # index: (indicator_id, year, region_code)
    view_ranks: pd.DataFrame = field(default_factory=pd.DataFrame)  # precomputed views (store/views.py)
    view_spread: pd.DataFrame = field(default_factory=pd.DataFrame)
    view_neighbour_medians: pd.DataFrame = field(default_factory=pd.DataFrame)
    # (indicator_id, level) -> sorted tuple of years with at least one value
    years: dict[tuple[str, str], tuple[int, ...]] = field(default_factory=dict)


def _rel(data_dir: Path, name: str) -> str:
    path = data_dir / name
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _is_str_column(s: pd.Series, nullable: bool) -> bool:
    if pd.api.types.is_string_dtype(s.dtype) and not pd.api.types.is_object_dtype(s.dtype):
        return nullable or not s.isna().any()
    if pd.api.types.is_object_dtype(s.dtype):
        vals = s.dropna() if nullable else s
        return all(isinstance(v, str) for v in vals)
    if isinstance(s.dtype, pd.ArrowDtype):
        return pd.api.types.is_string_dtype(s.dtype) and (nullable or not s.isna().any())
    return bool(nullable and s.isna().all())


def _to_list(v: Any) -> list:
    if v is None:
        return []
    if isinstance(v, float) and np.isnan(v):
        return []
    if isinstance(v, (list, tuple, np.ndarray)):
        return [x.item() if hasattr(x, "item") else x for x in v]
    raise TypeError(type(v).__name__)


def _check_columns(df: pd.DataFrame, schema: dict[str, str], where: str) -> pd.DataFrame:
    missing = [c for c in schema if c not in df.columns]
    if missing:
        raise StoreError(f"mangler kolonne(r): {', '.join(missing)}", where)
    out = {}
    for col, kind in schema.items():
        s = df[col]
        nullable = kind.endswith("?")
        kind = kind.rstrip("?")
        if kind == "str":
            if not _is_str_column(s, nullable):
                raise StoreError(f"kolonnen «{col}» skal være tekst (fikk {s.dtype})", where)
            out[col] = s.astype("str") if not nullable else s.astype(object).where(s.notna(), None)
        elif kind == "int":
            if not pd.api.types.is_integer_dtype(s.dtype):
                raise StoreError(f"kolonnen «{col}» skal være heltall (fikk {s.dtype})", where)
            if s.isna().any():
                raise StoreError(f"kolonnen «{col}» har tomme verdier", where)
            out[col] = s.astype("int64")
        elif kind == "float":
            if not pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype):
                raise StoreError(f"kolonnen «{col}» skal være tall (fikk {s.dtype})", where)
            out[col] = s.astype("float64")
        elif kind == "list":
            try:
                out[col] = pd.Series([_to_list(v) for v in s], index=s.index, dtype=object)
            except TypeError as exc:
                raise StoreError(f"kolonnen «{col}» skal være en liste (fikk {exc})", where) from None
    result = pd.DataFrame(out, index=df.index)
    # keep unknown extra columns as they are (forward compatible)
    for col in df.columns:
        if col not in result.columns:
            result[col] = df[col]
    return result


def _read_optional(data_dir: Path, name: str) -> pd.DataFrame:
    """An optional table: empty frame with the declared columns when the file is absent."""
    schema = OPTIONAL_SCHEMAS[name]
    if not (data_dir / name).is_file():
        return pd.DataFrame({c: pd.Series(dtype=object if k.startswith("str") else "float64")
                             for c, k in schema.items()})
    return _read_parquet(data_dir, name, schema)


def _read_parquet(data_dir: Path, name: str, schema: dict[str, str] | None = None) -> pd.DataFrame:
    where = _rel(data_dir, name)
    path = data_dir / name
    if not path.is_file():
        raise StoreError("filen mangler (kjør `python -m pipeline build`)", where)
    try:
        df = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises many kinds
        raise StoreError(f"kan ikke leses som parquet ({type(exc).__name__}: {exc})", where) from None
    return _check_columns(df, schema or SCHEMAS[name], where)


def _read_json(data_dir: Path, name: str) -> Any:
    where = _rel(data_dir, name)
    path = data_dir / name
    if not path.is_file():
        raise StoreError("filen mangler (kjør `python -m pipeline build`)", where)
    try:
        with path.open(encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoreError(f"kan ikke leses som JSON ({exc})", where) from None


def _check_levels_and_codes(df: pd.DataFrame, where: str, known: pd.Series | None = None,
                            code_col: str = "region_code") -> None:
    bad_levels = set(df["level"].unique()) - set(LEVELS)
    if bad_levels:
        raise StoreError(f"ukjent nivå: {', '.join(sorted(map(str, bad_levels)))}", where)
    if known is not None:
        pairs = df[["level", code_col]].drop_duplicates()
        key = pairs[code_col].map(known)
        bad = pairs[key != pairs["level"]]
        if len(bad):
            sample = ", ".join(f"{r.level}/{getattr(r, code_col)}" for r in bad.head(5).itertuples())
            raise StoreError(f"regionkoder som ikke finnes i regions.parquet (eller feil nivå): {sample}", where)


def _validate_regions(df: pd.DataFrame, where: str, expected: tuple[int, int] | None) -> pd.DataFrame:
    _check_levels_and_codes(df, where)
    if df["region_code"].duplicated().any():
        dup = df.loc[df["region_code"].duplicated(), "region_code"].head(5).tolist()
        raise StoreError(f"duplikate regionkoder: {', '.join(dup)}", where)
    for level, pattern in _CODE_PATTERN.items():
        codes = df.loc[df["level"] == level, "region_code"]
        bad = [c for c in codes if not pattern.match(c)]
        if bad:
            raise StoreError(f"ugyldige koder for {level}: {', '.join(bad[:5])}", where)
    n_country = int((df["level"] == "country").sum())
    n_county = int((df["level"] == "county").sum())
    n_muni = int((df["level"] == "municipality").sum())
    if n_country != 1:
        raise StoreError(f"skal ha én rad for landet, fant {n_country}", where)
    if expected is not None:
        exp_county, exp_muni = expected
        if n_county != exp_county or n_muni != exp_muni:
            raise StoreError(
                f"skal ha {exp_county} fylker og {exp_muni} kommuner (2024-grenser), fant {n_county} og {n_muni}",
                where,
            )
    counties = set(df.loc[df["level"] == "county", "region_code"])
    muni = df[df["level"] == "municipality"]
    orphan = muni[~muni["county_code"].isin(counties)]
    if len(orphan):
        raise StoreError(f"kommuner med ukjent fylke: {', '.join(orphan['region_code'].head(5))}", where)
    return df.sort_values(["sort_order", "region_code"]).set_index("region_code", drop=False)


def _validate_geo(fc: Any, where: str, codes: set[str]) -> dict:
    if not isinstance(fc, dict) or fc.get("type") != "FeatureCollection" or not isinstance(fc.get("features"), list):
        raise StoreError("er ikke en GeoJSON FeatureCollection", where)
    seen = set()
    for i, feat in enumerate(fc["features"]):
        props = feat.get("properties") if isinstance(feat, dict) else None
        if not isinstance(props, dict) or not isinstance(props.get("code"), str) or not feat.get("geometry"):
            raise StoreError(f"feature {i} mangler geometry eller properties.code (tekst)", where)
        seen.add(props["code"])
    if seen != codes:
        missing = sorted(codes - seen)[:5]
        extra = sorted(seen - codes)[:5]
        raise StoreError(
            f"kodene stemmer ikke med regions.parquet (mangler: {missing or '-'}, ukjente: {extra or '-'})", where
        )
    return fc


def _signed_area(ring) -> float:
    """Shoelace area in lon/lat; > 0 means counter-clockwise."""
    total = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        total += x1 * y2 - x2 * y1
    return total / 2.0


def _rewind_polygon(rings: list) -> list:
    out = []
    for i, ring in enumerate(rings):
        ring = [pt[:2] for pt in ring]
        ccw = _signed_area(ring) > 0
        # d3-geo (plotly's geo): exterior clockwise, holes counter-clockwise (the opposite of RFC 7946)
        if (i == 0 and ccw) or (i > 0 and not ccw):
            ring = ring[::-1]
        out.append(ring)
    return out


def rewind_for_d3(fc: dict) -> dict:
    """A copy of the FeatureCollection with rings wound the way d3-geo / plotly expect.

    RFC 7946 GeoJSON (exterior rings counter-clockwise) is drawn by d3-geo as "the whole globe
    except this polygon", i.e. an inverted or blank map; plotly does not rewind by itself.
    """
    features = []
    for feat in fc["features"]:
        geom = feat["geometry"]
        gtype = geom.get("type")
        if gtype == "Polygon":
            geom = {"type": "Polygon", "coordinates": _rewind_polygon(geom["coordinates"])}
        elif gtype == "MultiPolygon":
            geom = {"type": "MultiPolygon", "coordinates": [_rewind_polygon(p) for p in geom["coordinates"]]}
        features.append({"type": "Feature", "properties": feat["properties"], "geometry": geom})
    return {"type": "FeatureCollection", "features": features}


def _version(data_dir: Path, manifest: dict) -> str:
    h = hashlib.sha1()
    for key in ("built_at", "build_id", "created", "generated_at"):
        if key in manifest:
            h.update(str(manifest[key]).encode())
    for p in sorted(data_dir.rglob("*")):
        if p.is_file():
            st = p.stat()
            h.update(f"{p.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()[:12]


def load(data_dir: Path, expected_counts: tuple[int, int] | None = (EXPECTED_COUNTIES, EXPECTED_MUNICIPALITIES)) -> Data:
    """Read and validate every file in data_dir. Raises StoreError naming the first bad file."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise StoreError("datamappen finnes ikke (kjør `python -m pipeline build`, eller sett OMSORGSATLAS_DATA)",
                         _rel(data_dir, "."))

    regions = _validate_regions(_read_parquet(data_dir, "regions.parquet"), _rel(data_dir, "regions.parquet"),
                                expected_counts)
    level_of = regions["level"]

    service_areas = _read_parquet(data_dir, "service_areas.parquet")
    where = _rel(data_dir, "service_areas.parquet")
    if service_areas["id"].duplicated().any():
        raise StoreError("duplikate id-er", where)
    service_areas = service_areas.sort_values(["sort_order", "id"]).reset_index(drop=True)

    catalog = _read_parquet(data_dir, "catalog.parquet")
    where = _rel(data_dir, "catalog.parquet")
    if catalog["id"].duplicated().any():
        raise StoreError(f"duplikate id-er: {', '.join(catalog.loc[catalog['id'].duplicated(), 'id'][:5])}", where)
    bad_units = set(catalog["unit"]) - set(UNITS)
    if bad_units:
        raise StoreError(f"ukjent enhet: {', '.join(sorted(bad_units))}", where)
    known_sa = set(service_areas["id"])
    for row in catalog.itertuples():
        if set(row.service_areas) - known_sa:
            raise StoreError(f"{row.id}: ukjent tjenesteområde {sorted(set(row.service_areas) - known_sa)}", where)
        if set(row.levels) - set(LEVELS):
            raise StoreError(f"{row.id}: ukjent nivå {sorted(set(row.levels) - set(LEVELS))}", where)
        try:
            [int(y) for y in row.years]
        except (TypeError, ValueError):
            raise StoreError(f"{row.id}: «years» skal være heltall", where) from None
    catalog["years"] = catalog["years"].map(lambda ys: sorted(int(y) for y in ys))
    catalog["service_areas"] = catalog["service_areas"].map(lambda xs: [str(x) for x in xs])
    catalog["levels"] = catalog["levels"].map(lambda xs: [str(x) for x in xs])
    catalog["notes"] = catalog["notes"].map(lambda x: x or "")
    catalog = catalog.sort_values(["sort_order", "id"]).set_index("id", drop=False)

    indicators = _read_parquet(data_dir, "indicators.parquet")
    where = _rel(data_dir, "indicators.parquet")
    unknown = sorted(set(indicators["indicator_id"].unique()) - set(catalog["id"]))
    if unknown:
        raise StoreError(f"indikatorer som ikke finnes i catalog.parquet: {', '.join(unknown[:5])}", where)
    _check_levels_and_codes(indicators, where, level_of)
    if indicators.duplicated(["indicator_id", "region_code", "year"]).any():
        raise StoreError("flere verdier for samme indikator, region og år", where)

    population = _read_parquet(data_dir, "population.parquet")
    _check_levels_and_codes(population, _rel(data_dir, "population.parquet"), level_of)
    population_groups = _read_parquet(data_dir, "population_groups.parquet")
    _check_levels_and_codes(population_groups, _rel(data_dir, "population_groups.parquet"), level_of)

    neighbours = _read_parquet(data_dir, "neighbours.parquet")
    where = _rel(data_dir, "neighbours.parquet")
    munis = set(regions.index[regions["level"] == "municipality"])
    if not (set(neighbours["region_code"]) <= munis and set(neighbours["neighbour_code"]) <= munis):
        raise StoreError("koder som ikke er kommuner i regions.parquet", where)

    geo = {}
    for level, name in GEO_FILES.items():
        codes = set(regions.index[regions["level"] == level])
        fc = _validate_geo(_read_json(data_dir, name), _rel(data_dir, name), codes)
        try:
            geo[level] = rewind_for_d3(fc)
        except (TypeError, ValueError, IndexError, KeyError) as exc:
            raise StoreError(f"ugyldige koordinater ({type(exc).__name__}: {exc})", _rel(data_dir, name)) from None

    manifest = _read_json(data_dir, MANIFEST)
    if not isinstance(manifest, dict):
        raise StoreError("skal være et JSON-objekt", _rel(data_dir, MANIFEST))

    data = Data(
        data_dir=data_dir, regions=regions, population=population, population_groups=population_groups,
        indicators=indicators, catalog=catalog, service_areas=service_areas, neighbours=neighbours,
        geo=geo, manifest=manifest, version=_version(data_dir, manifest),
    )
    stat = _read_optional(data_dir, "statistical_neighbours.parquet")
    if len(stat) and not (set(stat["region_code"]) <= munis and set(stat["neighbour_code"]) <= munis):
        raise StoreError("koder som ikke er kommuner i regions.parquet", _rel(data_dir, "statistical_neighbours.parquet"))
    data.statistical_neighbours = stat.sort_values(["region_code", "rank"]).reset_index(drop=True)
    data.comparison_features = _read_optional(data_dir, "comparison_features.parquet")
    gaps = _read_optional(data_dir, "gap_notes.parquet")
    if len(gaps):
        if not set(gaps["region_code"]) <= munis:
            raise StoreError("koder som ikke er kommuner i regions.parquet", _rel(data_dir, "gap_notes.parquet"))
        data.gap_notes = gaps.set_index(["indicator_id", "year", "region_code"]).sort_index()
    for name in ("view_ranks", "view_spread", "view_neighbour_medians"):
        setattr(data, name, _read_optional(data_dir, f"{name}.parquet"))
    for (ind, level), frame in indicators.groupby(["indicator_id", "level"], sort=False):
        frame = frame.set_index(["year", "region_code"]).sort_index()
        data.by_indicator[(str(ind), str(level))] = frame
        yrs = frame.index.get_level_values("year")[frame["value"].notna().to_numpy()]
        data.years[(str(ind), str(level))] = tuple(sorted(int(y) for y in set(yrs)))
    return data
