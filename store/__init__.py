"""Read side of omsorgsatlas: loads data/ once (lazily, thread-safe), validates it against the data
contract (data/README.md) and answers typed queries. No Dash imports here.

The data folder is ``$OMSORGSATLAS_DATA`` or ``<repo>/data``. A missing/corrupt file raises
``StoreError`` whose message starts with the file's path.

Levels use the data vocabulary ``country`` / ``county`` / ``municipality`` (the URL's ``fylke`` /
``kommune`` are accepted as aliases). Returned DataFrames are copies; ``geometry()`` returns a shared
dict that callers must treat as read-only.
"""

from __future__ import annotations

import copy
import datetime as _dt
import functools
import json

import math
import os
import threading
from pathlib import Path

import numpy as np
import pandas as pd

from store._load import (
    EXPECTED_COUNTIES,
    EXPECTED_MUNICIPALITIES,
    LEVELS,
    Data,
    load,
)
from store.errors import QueryError, StoreError

__all__ = [
    "StoreError", "QueryError", "LEVELS", "data_dir", "init", "reset", "is_loaded", "version", "manifest",
    "catalog", "indicator", "service_areas", "indicators_for", "default_indicator", "years", "default_year",
    "regions", "region", "counties", "municipalities", "values", "indicator_values", "value_range", "incomplete_regions", "series", "geometry", "geometry_json", "GEOMETRY_FILES", "data_files", "table_frame", "data_date", "neighbours",
    "population", "population_groups", "statistical_neighbours", "comparison_features", "snapshot",
    "reference_year", "profile_year", "gap_reasons", "profile_view", "profile_trend_view", "county_view", "map_view",
]

REPO_DIR = Path(__file__).resolve().parent.parent
_ALIASES = {"fylke": "county", "kommune": "municipality", "land": "country", "landet": "country"}
# the front page leads with a care service, not with demography (the denominator)
PREFERRED_DEFAULT_INDICATOR = "kostra_gp_share_no_gp"

_DATA: Data | None = None
_LOCK = threading.Lock()


def data_dir() -> Path:
    return Path(os.environ.get("OMSORGSATLAS_DATA", REPO_DIR / "data"))


def init(path: str | Path | None = None, *, reload: bool = False,
         expected_counts: tuple[int, int] | None = (EXPECTED_COUNTIES, EXPECTED_MUNICIPALITIES)) -> Data:
    """Load and validate data/ (once). Raises StoreError. ``reload=True`` forces a fresh read."""
    global _DATA
    with _LOCK:
        if _DATA is None or reload or path is not None:
            _DATA = load(Path(path) if path is not None else data_dir(), expected_counts=expected_counts)
            _clear_memos()
        return _DATA


def _clear_memos() -> None:
    for memo in (_regions, _values, _value_range, _incomplete_regions, _series, _value_grid, _indicator_dict, _gap_index,
                 _stat_neighbour_groups, _default_indicator):
        memo.cache_clear()
    _GEO_SUBSETS.clear()
    _GEO_BYTES.clear()
    from store import views as _views  # the per-callback views (store/views.py) are memoised per data version too
    _views.clear()


def reset() -> None:
    """Forget the loaded data (tests)."""
    global _DATA
    with _LOCK:
        _DATA = None
        _clear_memos()


def is_loaded() -> bool:
    return _DATA is not None


def _d() -> Data:
    return _DATA if _DATA is not None else init()


def _level(level: str) -> str:
    lvl = _ALIASES.get(str(level), str(level))
    if lvl not in LEVELS:
        raise QueryError(f"ukjent nivå: {level!r}")
    return lvl


def _indicator_row(indicator_id: str) -> pd.Series:
    cat = _d().catalog
    if not isinstance(indicator_id, str) or indicator_id not in cat.index:
        raise QueryError(f"ukjent indikator: {indicator_id!r}")
    return cat.loc[indicator_id]


# ---------------------------------------------------------------- metadata
def version() -> str:
    """Short hash identifying the loaded data build (use in cache keys)."""
    return _d().version


def manifest() -> dict:
    return _d().manifest


def catalog() -> pd.DataFrame:
    """All indicators in display order (index = id; list columns are Python lists)."""
    return _d().catalog.copy()


def indicator(indicator_id: str) -> dict | None:
    """One catalogue row as a dict (a fresh copy), or None if unknown."""
    if not isinstance(indicator_id, str):
        return None
    row = _indicator_dict(_d().version, indicator_id)
    return None if row is None else copy.deepcopy(row)


@functools.lru_cache(maxsize=4096)
def _indicator_dict(_version: str, indicator_id: str) -> dict | None:
    try:
        return _indicator_row(indicator_id).to_dict()
    except QueryError:
        return None


def service_areas(level: str | None = None) -> pd.DataFrame:
    """The service areas; with ``level`` only those with at least one indicator that has data at that level
    (``"map"``: at county or municipality level)."""
    areas = _d().service_areas
    if level is None:
        return areas.copy()
    return areas[areas["id"].isin(_areas_with_data(_d().version, level))].copy()


@functools.lru_cache(maxsize=16)
def _areas_with_data(_version: str, level: str) -> frozenset:
    levels = ("county", "municipality") if level == "map" else (_level(level),)
    have = set()
    for row in _d().catalog.itertuples():
        if any(years(str(row.id), lv) for lv in levels):
            have |= set(row.service_areas)
    return frozenset(have)


def gap_reasons(indicator_id: str, year: int) -> dict[str, tuple[str, str]]:
    """Municipality code -> (reason_nb, reason_en) for municipalities without a value for the indicator that
    year, where the pipeline knows why (data/gap_notes.parquet). Empty when nothing is recorded."""
    try:
        key = (indicator_id, int(year))
    except (TypeError, ValueError):
        return {}
    return dict(_gap_index(version()).get(key, {}))


@functools.lru_cache(maxsize=2)
def _gap_index(_version: str) -> dict:
    """(indicator_id, year) -> {code: (reason_nb, reason_en)}, built once per data version (a MultiIndex
    look-up per call cost ~2 ms, and «Min kommune» asks once per indicator)."""
    g = _d().gap_notes
    out: dict = {}
    if g.empty:
        return out
    flat = g.reset_index()  # index: indicator_id, year, region_code (store/_load.py)
    for iid, y, c, nb, en in zip(*(flat[k].tolist() for k in ("indicator_id", "year", "region_code", "reason_nb",
                                                               "reason_en"))):
        out.setdefault((iid, int(y)), {})[str(c)] = (nb, en)
    return out


def indicators_for(service_area: str | None = None, *, map_levels: bool = False) -> pd.DataFrame:
    """Catalogue rows belonging to a service area (None = all).

    ``map_levels=True`` keeps only indicators with data at county or municipality level.
    """
    cat = _d().catalog
    mask = pd.Series(True, index=cat.index)
    if service_area:
        mask &= cat["service_areas"].map(lambda xs: service_area in xs)
    if map_levels:
        mask &= cat["id"].map(lambda i: bool(years(i, "county") or years(i, "municipality")))
    return cat[mask].copy()


def default_indicator() -> str | None:
    return _default_indicator(version())


@functools.lru_cache(maxsize=2)
def _default_indicator(_version: str) -> str | None:
    cat = indicators_for(map_levels=True)
    if cat.empty:
        cat = _d().catalog
    if cat.empty:
        return None
    return PREFERRED_DEFAULT_INDICATOR if PREFERRED_DEFAULT_INDICATOR in cat.index else str(cat.index[0])


def years(indicator_id: str, level: str | None = None) -> list[int]:
    """Years with at least one value at ``level`` (None: the catalogue's years). Unknown -> []."""
    if level is None:
        row = indicator(indicator_id)
        return list(row["years"]) if row else []
    return list(_d().years.get((indicator_id, _level(level)), ()))


def default_year(indicator_id: str, level: str | None = None) -> int | None:
    ys = years(indicator_id, level)
    return ys[-1] if ys else None


# ---------------------------------------------------------------- regions
def regions(level: str, county: str | None = None) -> pd.DataFrame:
    """Regions of a level (optionally within a county), in sort order. Index = region_code."""
    return _regions(_d().version, _level(level), county if isinstance(county, str) else None).copy()


# Read-side memo caches: data/ never changes while the process runs (the data version is part of every
# key, so a reload can't mix versions). Bounded: at most a few MB. Callers always get copies.
@functools.lru_cache(maxsize=64)
def _regions(_version: str, lvl: str, county: str | None) -> pd.DataFrame:
    reg = _d().regions
    out = reg[reg["level"] == lvl]
    if county:
        out = out[out["county_code"] == county]
    return out


def counties() -> pd.DataFrame:
    return regions("county")


def municipalities(county: str | None = None) -> pd.DataFrame:
    return regions("municipality", county)


def region(code: str) -> dict | None:
    reg = _d().regions
    if not isinstance(code, str) or code not in reg.index:
        return None
    return reg.loc[code].to_dict()


def neighbours(code: str) -> pd.DataFrame:
    nb = _d().neighbours
    return nb[nb["region_code"] == code].copy()


# ---------------------------------------------------------------- values
_VALUE_COLS = ["value", "numerator", "denominator"]


def values(indicator_id: str, level: str, year: int, county: str | None = None) -> pd.DataFrame:
    """One row per region of ``level`` (within ``county`` if given), in sort order.

    Columns: region_code, name, county_code, county_name, year, value, numerator, denominator.
    ``value`` is NaN where the data has no row (a gap, never filled).
    """
    _indicator_row(indicator_id)
    return _values(_d().version, indicator_id, _level(level), int(year),
                   county if isinstance(county, str) else None).copy()


@functools.lru_cache(maxsize=512)
def _values(_version: str, indicator_id: str, lvl: str, year: int, county: str | None) -> pd.DataFrame:
    regs = regions(lvl, county)[["region_code", "name", "county_code", "county_name"]]
    frame = _d().by_indicator.get((indicator_id, lvl))
    out = regs.reset_index(drop=True)
    out["year"] = int(year)
    if frame is not None and int(year) in frame.index.get_level_values("year"):
        vals = frame.xs(int(year), level="year")[_VALUE_COLS]
        out = out.join(vals, on="region_code")
    else:
        for c in _VALUE_COLS:
            out[c] = float("nan")
    return out


def indicator_values(indicator_id: str, level: str) -> pd.DataFrame:
    """Every row of the indicator at ``level``, all years at once: columns region_code, year, value (a fresh
    frame; a region/year without a row is simply absent). For whole-indicator exports (JSON-stat), which
    would otherwise ask ``values`` once per year."""
    _indicator_row(indicator_id)
    frame = _d().by_indicator.get((indicator_id, _level(level)))
    if frame is None:
        return pd.DataFrame({"region_code": pd.Series(dtype=str), "year": pd.Series(dtype="int16"),
                             "value": pd.Series(dtype="float64")})
    return frame["value"].reset_index()[["region_code", "year", "value"]]


def value_range(indicator_id: str, level: str, county: str | None = None) -> tuple[float, float] | None:
    """(min, max) of the indicator's values at ``level`` over ALL years (within ``county`` if given);
    None when there are none. Used for a colour scale that stays fixed while the year changes."""
    _indicator_row(indicator_id)
    return _value_range(_d().version, indicator_id, _level(level), county if isinstance(county, str) else None)


@functools.lru_cache(maxsize=1024)
def _value_range(_version: str, indicator_id: str, lvl: str, county: str | None) -> tuple[float, float] | None:
    frame = _d().by_indicator.get((indicator_id, lvl))
    if frame is None:
        return None
    vals = frame["value"]
    if county:
        codes = set(regions(lvl, county).index)
        vals = vals[frame.index.get_level_values("region_code").isin(codes)]
    vals = vals.dropna()
    if vals.empty:
        return None
    return float(vals.min()), float(vals.max())


def incomplete_regions(indicator_id: str, level: str, county: str | None = None) -> list[str]:
    """Regions of ``level`` (within ``county``) that lack a value in at least one of the years with
    data at that level, in sort order. The map draws its grey "Ingen data" layer over exactly these,
    so the layer's geometry stays the same whatever the year."""
    _indicator_row(indicator_id)
    return list(_incomplete_regions(_d().version, indicator_id, _level(level),
                                    county if isinstance(county, str) else None))


@functools.lru_cache(maxsize=1024)
def _incomplete_regions(_version: str, indicator_id: str, lvl: str, county: str | None) -> tuple[str, ...]:
    regs = regions(lvl, county)
    data_years = years(indicator_id, lvl)
    frame = _d().by_indicator.get((indicator_id, lvl))
    if frame is None or not data_years:
        return tuple(regs.index)
    present = frame["value"].notna()
    counts = present.groupby(level="region_code").sum()
    counts = counts.reindex(regs.index, fill_value=0)
    return tuple(code for code, n in counts.items() if int(n) < len(data_years))


def series(indicator_id: str, region_codes) -> pd.DataFrame:
    """Values over every year from the indicator's first to last year, for the given regions.

    Columns: region_code, name, level, year, value. Missing years are NaN rows (gaps), so a line
    chart with connectgaps=False shows them as gaps. Unknown region codes are skipped.
    """
    _indicator_row(indicator_id)
    reg = _d().regions
    codes = tuple(c for c in dict.fromkeys(region_codes or []) if isinstance(c, str) and c in reg.index)
    return _series(_d().version, indicator_id, codes).copy()


@functools.lru_cache(maxsize=1024)  # one per indicator (~3 kB each); views.warm() fills it before the fork
def _value_grid(_version: str, indicator_id: str) -> tuple[list[int], dict[str, np.ndarray]]:
    """(every year from the indicator's first to last, region code -> its values over those years, NaN for a
    gap) for every region of a level with data: one reindex per level and indicator per data version instead of
    one per request (store.series, the profile's trend)."""
    row = _indicator_row(indicator_id)
    all_years = list(range(int(row["year_min"]), int(row["year_max"]) + 1)) if row["years"] else []
    grid: dict[str, np.ndarray] = {}
    if not all_years:
        return all_years, grid
    reg = _d().regions
    for lvl in dict.fromkeys(reg["level"]):
        frame = _d().by_indicator.get((indicator_id, str(lvl)))
        if frame is None:
            continue
        codes = list(reg.index[reg["level"] == lvl])
        wanted = pd.MultiIndex.from_product([all_years, codes], names=list(frame.index.names))
        got = frame["value"].reindex(wanted).to_numpy(dtype="float64", na_value=np.nan)
        got = got.reshape(len(all_years), len(codes))  # years × codes of this level
        for j, c in enumerate(codes):
            grid[c] = np.ascontiguousarray(got[:, j])
            grid[c].flags.writeable = False
    return all_years, grid


def _series_columns(indicator_id: str, codes: tuple[str, ...]) -> tuple[list[int], list, list, list, np.ndarray]:
    """(years, names, levels, codes' values one after the other) of ``codes`` (known region codes)."""
    reg = _d().regions
    all_years, grid = _value_grid(_d().version, indicator_id)
    n_years = len(all_years)
    value = np.full(len(codes) * n_years, np.nan)
    for i, c in enumerate(codes):
        got = grid.get(c)
        if got is not None:
            value[i * n_years:(i + 1) * n_years] = got
    return (all_years, [reg.at[c, "name"] for c in codes], [str(reg.at[c, "level"]) for c in codes], value)


@functools.lru_cache(maxsize=512)
def _series(_version: str, indicator_id: str, codes: tuple[str, ...]) -> pd.DataFrame:
    if not codes:
        return pd.DataFrame({"region_code": pd.Series(dtype="str"), "name": pd.Series(dtype="str"),
                             "level": pd.Series(dtype="str"), "year": pd.Series(dtype="int64"),
                             "value": pd.Series(dtype="float64")})
    all_years, names, levels, value = _series_columns(indicator_id, codes)
    n_years = len(all_years)
    return pd.DataFrame({
        "region_code": np.repeat(np.array(codes, dtype=object), n_years),
        "name": np.repeat(np.array(names, dtype=object), n_years),
        "level": np.repeat(np.array(levels, dtype=object), n_years),
        "year": np.tile(np.array(all_years, dtype="int64"), len(codes)),
        "value": value,
    })


# ---------------------------------------------------------------- geometry
_GEO_SUBSETS: dict[tuple[str, str, str], dict] = {}


def geometry(level: str, county: str | None = None) -> dict:
    """GeoJSON FeatureCollection (2024 borders) for county or municipality level.

    With ``county``, only that county's features (municipalities in it, or the county itself).
    Rings are wound for d3-geo/plotly (exterior clockwise), not RFC 7946; see _load.rewind_for_d3.
    The returned dict is shared: do not mutate it.
    """
    lvl = _level(level)
    d = _d()
    if lvl not in d.geo:
        raise QueryError(f"ingen geometri for nivå {level!r}")
    fc = d.geo[lvl]
    if not county:
        return fc
    key = (d.version, lvl, county)
    sub = _GEO_SUBSETS.get(key)
    if sub is None:
        wanted = set(regions(lvl, county).index) if lvl == "municipality" else {county}
        keep = lambda p: p.get("code") in wanted  # noqa: E731
        sub = {"type": "FeatureCollection", "features": [f for f in fc["features"] if keep(f["properties"])]}
        _GEO_SUBSETS[key] = sub
    return sub


# ---------------------------------------------------------------- the files of data/ as they are (bulk downloads)
def data_files() -> dict[str, Path]:
    """Every table, geometry file and document in the loaded data folder, by path relative to it:
    ``<table>.parquet``, ``geo/<name>.geojson``, ``README.md``, ``manifest.json`` (sorted). The bulk
    downloads (callbacks/downloads.py) are derived from exactly these files."""
    root = _d().data_dir
    found = [p for p in root.glob("*.parquet")] + [p for p in (root / "geo").glob("*.geojson")]
    found += [root / n for n in ("README.md", "manifest.json") if (root / n).is_file()]
    return {p.relative_to(root).as_posix(): p for p in sorted(found) if p.is_file()}


def table_frame(name: str) -> pd.DataFrame | None:
    """The table ``<name>.parquet`` exactly as the pipeline wrote it (a fresh read, not the app's derived
    frames); None for a name that is not a table in data/."""
    path = data_files().get(f"{name}.parquet") if isinstance(name, str) else None
    return None if path is None else pd.read_parquet(path)


def data_date() -> _dt.date:
    """UTC date of the newest file in data/ (when this build of the data was written): the ``updated``
    date of derived downloads, constant for a data version (the version hashes the same modification times)."""
    newest = max(p.stat().st_mtime for p in data_files().values())
    return _dt.datetime.fromtimestamp(newest, tz=_dt.timezone.utc).date()


GEOMETRY_FILES = {"county": "fylker", "municipality": "kommuner"}  # URL names of the whole-country files
_GEO_BYTES: dict[tuple[str, str], bytes] = {}


def geometry_json(name: str) -> bytes | None:
    """The whole-country geometry as compact JSON bytes, by URL name ("kommuner"/"fylker"); None for any
    other name. Serialised once per data version (the app serves it at /geo/<name>.json so the browser
    fetches and caches the shapes once instead of receiving them inside every map figure)."""
    lvl = next((k for k, v in GEOMETRY_FILES.items() if v == name), None)
    if lvl is None:
        return None
    key = (version(), lvl)
    data = _GEO_BYTES.get(key)
    if data is None:
        data = json.dumps(geometry(lvl), separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        _GEO_BYTES.clear() if len(_GEO_BYTES) > 4 else None
        _GEO_BYTES[key] = data
    return data


# ---------------------------------------------------------------- population
def population(region_code: str, year: int | None = None) -> pd.DataFrame:
    pop = _d().population
    out = pop[pop["region_code"] == region_code]
    if year is not None:
        out = out[out["year"] == int(year)]
    return out.copy()


def population_groups(region_code: str, year: int | None = None) -> pd.DataFrame:
    pop = _d().population_groups
    out = pop[pop["region_code"] == region_code]
    if year is not None:
        out = out[out["year"] == int(year)]
    return out.copy()


def is_number(x) -> bool:
    try:
        return x is not None and not math.isnan(float(x))
    except (TypeError, ValueError):
        return False


# ---------------------------------------------------------------- comparison (issue 4)
def statistical_neighbours(code: str) -> pd.DataFrame:
    """The municipality's statistical neighbours in rank order: region_code, neighbour_code, rank, distance,
    share_<feature>..., name, county_code, county_name (of the neighbour). Empty when unknown/not built."""
    groups = _stat_neighbour_groups(version())
    if not isinstance(code, str) or code not in groups:
        return groups[None].copy()
    return groups[code].copy()


@functools.lru_cache(maxsize=2)
def _stat_neighbour_groups(_version: str) -> dict:
    """municipality code -> its statistical neighbours (the frame statistical_neighbours returns); None -> the
    empty frame. Split once per data version instead of filtering 357 × k rows per call."""
    d = _d()
    sn = d.statistical_neighbours
    reg = d.regions
    out = sn.sort_values(["region_code", "rank"]).copy()
    out["name"] = out["neighbour_code"].map(reg["name"])
    out["county_code"] = out["neighbour_code"].map(reg["county_code"])
    out["county_name"] = out["neighbour_code"].map(reg["county_name"])
    groups = {None: out.iloc[0:0].reset_index(drop=True)}
    for code, sub in out.groupby("region_code", sort=False):
        groups[str(code)] = sub.reset_index(drop=True)
    return groups


def comparison_features(codes=None) -> pd.DataFrame:
    """Features behind the statistical neighbours (long: region_code, feature, value, z)."""
    cf = _d().comparison_features
    if codes is None:
        return cf.copy()
    return cf[cf["region_code"].isin(list(codes))].copy()


def reference_year() -> int | None:
    """The latest observed year (last year of population at municipality level): the profile's "now"."""
    ys = years("population", "municipality") if "population" in _d().catalog.index else []
    if ys:
        return ys[-1]
    all_years = [y for (_, lvl), yy in _d().years.items() if lvl == "municipality" for y in yy]
    return max(all_years) if all_years else None


def profile_year(indicator_id: str) -> int | None:
    """Latest year with municipality data not after reference_year() (projections are not "now")."""
    ref = reference_year()
    ys = [y for y in years(indicator_id, "municipality") if ref is None or y <= ref]
    return ys[-1] if ys else None


_SNAP_COLS = ["value", "ci_low", "ci_high", "numerator", "denominator"]


def snapshot(indicator_id: str, year: int) -> pd.DataFrame:
    """Every region (country, counties, municipalities) for one indicator and year, in sort order.

    Columns: region_code, level, name, county_code, value, ci_low, ci_high, numerator, denominator
    (NaN where missing; ci_* NaN when the data has no intervals)."""
    _indicator_row(indicator_id)
    d = _d()
    out = d.regions[["region_code", "level", "name", "county_code"]].reset_index(drop=True)
    parts = []
    for lvl in LEVELS:
        frame = d.by_indicator.get((indicator_id, lvl))
        if frame is not None and int(year) in frame.index.get_level_values("year"):
            parts.append(frame.xs(int(year), level="year").reindex(columns=_SNAP_COLS))
    if parts:
        vals = pd.concat(parts)
        out = out.join(vals, on="region_code")
    for c in _SNAP_COLS:
        if c not in out.columns:
            out[c] = float("nan")
        out[c] = out[c].astype("float64")
    return out


# one view per callback (issue 13): store/views.py
from store.views import county_view, map_view, profile_trend_view, profile_view  # noqa: E402
