"""Read side of «Befolkning og behov»: observed population (2005–2026) and the projection (2027–2040) as
one array per region, plus the queries the page needs. No Dash imports.

``data/projection.parquet`` (data/README.md) is read lazily on first use, validated, and cached per data
version (``store.version()``). It may hold several variants: ``ssb_mmm`` (SSB's official projection, from an
online build) is preferred where present, else ``omsorgsatlas`` (the product's own). The result always says
which variant it used, so the page can label it. A missing or corrupt file raises ``StoreError``; the page
turns that into a message (the rest of the app works without the projection).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
import pandas as pd

import store
from store.errors import QueryError, StoreError
from components.i18n import N_, _  # translations only (no Dash): display labels in the UI language

MAX_AGE = 105
N_AGES = MAX_AGE + 1
VARIANT_LABELS = {  # bokmål msgids; variant_label() returns them in the UI language
    "ssb_mmm": N_("SSBs befolkningsframskriving (hovedalternativet, MMM)"),
    "omsorgsatlas": N_("Omsorgsatlas' egen framskriving"),
}
VARIANT_PREFERENCE = ("ssb_mmm", "omsorgsatlas")
PROJECTION_FILE = "projection.parquet"
_COLUMNS = ["variant", "level", "region_code", "year", "age", "population"]


@dataclass
class Demography:
    version: str
    codes: list[str]                 # region codes in sort order
    index: dict[str, int]            # code -> row in P
    years: np.ndarray                # first observed .. last projected
    last_observed: int
    P: np.ndarray                    # (region, year, age); NaN = no data
    variant: dict[str, str]          # code -> variant used for its projected years
    variants: tuple[str, ...]        # variants present in the file

    def is_projected(self, year: int) -> bool:
        return int(year) > self.last_observed

    def row(self, code: str) -> np.ndarray:
        if code not in self.index:
            raise QueryError(f"ukjent region: {code!r}")
        return self.P[self.index[code]]


_CACHE: dict[str, Demography] = {}
_LOCK = threading.Lock()


def _read_projection(path) -> pd.DataFrame:
    if not path.is_file():
        raise StoreError("filen mangler (kjør `python -m pipeline build`)", path)
    try:
        df = pd.read_parquet(path, columns=_COLUMNS)
    except Exception as exc:  # pyarrow raises many kinds
        raise StoreError(f"kan ikke leses som parquet ({type(exc).__name__}: {exc})", path) from None
    if df.empty:
        raise StoreError("er tom", path)
    if not set(df["variant"].unique()) <= set(VARIANT_LABELS):
        raise StoreError(f"ukjent variant: {sorted(set(df['variant'].unique()) - set(VARIANT_LABELS))}", path)
    if not (pd.api.types.is_integer_dtype(df["year"]) and pd.api.types.is_integer_dtype(df["age"])):
        raise StoreError("«year» og «age» skal være heltall", path)
    if df["age"].min() < 0 or df["age"].max() > MAX_AGE:
        raise StoreError("alder utenfor 0–105", path)
    pop = pd.to_numeric(df["population"], errors="coerce")
    if pop.isna().any() or (pop < 0).any():
        raise StoreError("«population» har tomme eller negative verdier", path)
    return df


def load() -> Demography:
    """Observed + projected population per region (cached per data version). Raises StoreError."""
    data = store.init()
    version = data.version
    got = _CACHE.get(version)
    if got is not None:
        return got
    with _LOCK:
        got = _CACHE.get(version)
        if got is not None:
            return got
        path = data.data_dir / PROJECTION_FILE
        proj = _read_projection(path)
        reg = data.regions
        codes = list(reg.index)
        index = {c: i for i, c in enumerate(codes)}
        unknown = set(proj["region_code"].unique()) - set(codes)
        if unknown:
            raise StoreError(f"ukjente regionkoder: {sorted(unknown)[:5]}", path)
        obs = data.population
        last_observed = int(obs["year"].max())
        first = int(obs["year"].min())
        proj = proj[proj["year"] > last_observed]
        last = int(proj["year"].max()) if len(proj) else last_observed
        years = np.arange(first, last + 1)
        P = np.full((len(codes), len(years), N_AGES), np.nan)
        code_index = pd.Index(codes)
        ri = code_index.get_indexer(obs["region_code"])
        P[ri, obs["year"].to_numpy(int) - first, obs["age"].to_numpy(int)] = obs["population"].to_numpy(float)
        variant: dict[str, str] = {}
        in_file = {str(v) for v in proj["variant"].unique()}
        present = tuple(v for v in VARIANT_PREFERENCE if v in in_file)
        for v in reversed(present):  # preferred variant written last, so it wins where present
            sub = proj[proj["variant"] == v]
            ri = code_index.get_indexer(sub["region_code"])
            P[ri, sub["year"].to_numpy(int) - first, sub["age"].to_numpy(int)] = sub["population"].to_numpy(float)
            for c in sub["region_code"].unique():
                variant[str(c)] = v
        dem = Demography(version=version, codes=codes, index=index, years=years, last_observed=last_observed,
                         P=P, variant=variant, variants=present)
        _CACHE.clear()
        _CACHE[version] = dem
        return dem


def reset() -> None:
    with _LOCK:
        _CACHE.clear()


# ------------------------------------------------------------------------------------------ queries
def group_sum(arr: np.ndarray, lo: int, hi: int = MAX_AGE) -> np.ndarray:
    """Sum over ages lo..hi of (..., age) arrays; NaN where the year has no data."""
    part = arr[..., lo:hi + 1]
    out = part.sum(axis=-1)
    return np.where(np.isnan(part).all(axis=-1), np.nan, out)


GROUPS = (("67+", 67, MAX_AGE), ("67–79", 67, 79), ("80+", 80, MAX_AGE), ("80–89", 80, 89), ("90+", 90, MAX_AGE),
          ("20–66", 20, 66), ("total", 0, MAX_AGE))


def group_series(code: str) -> pd.DataFrame:
    """One row per year: year, projected (bool), variant (None for observed years), and the GROUPS sums,
    plus care_ratio (20–66 per 80+) and share_80 (% of total)."""
    d = load()
    arr = d.row(code)
    out = pd.DataFrame({"year": d.years.astype(int)})
    out["projected"] = out["year"] > d.last_observed
    out["variant"] = np.where(out["projected"], d.variant.get(code), None)
    for name, lo, hi in GROUPS:
        out[name] = group_sum(arr, lo, hi)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["care_ratio"] = out["20–66"] / out["80+"]
        out["share_80"] = 100 * out["80+"] / out["total"]
    return out


def age_profile(code: str, year: int) -> np.ndarray | None:
    """Population by single age 0..105 for the year (observed or projected); None when no data."""
    d = load()
    if not (int(d.years[0]) <= int(year) <= int(d.years[-1])):
        return None
    a = d.row(code)[int(year) - int(d.years[0])]
    return None if np.isnan(a).all() else a.copy()


def profile_max(code: str, width: int) -> float:
    """Largest bar over all years for age groups of ``width`` years (a fixed axis while the year moves)."""
    arr = np.nan_to_num(load().row(code))
    if width > 1:
        n = int(np.ceil(N_AGES / width))
        pad = np.zeros(arr.shape[:-1] + (n * width - N_AGES,))
        arr = np.concatenate([arr, pad], axis=-1).reshape(arr.shape[0], n, width).sum(axis=-1)
    return float(arr.max()) if arr.size else 0.0


def growth_80(start: int, end: int) -> pd.DataFrame:
    """Growth in the number aged 80+ from ``start`` to ``end`` for every region: region_code, level, name,
    county_code, p80_start, p80_end, growth_pct."""
    d = load()
    reg = store.init().regions
    i0, i1 = start - int(d.years[0]), end - int(d.years[0])
    s = group_sum(d.P[:, i0, :], 80)
    e = group_sum(d.P[:, i1, :], 80)
    out = reg[["region_code", "level", "name", "county_code"]].reset_index(drop=True).copy()
    out["p80_start"] = s
    out["p80_end"] = e
    with np.errstate(divide="ignore", invalid="ignore"):
        out["growth_pct"] = np.where(s > 0, 100 * (e / s - 1), np.nan)
    return out


def growth_rank(code: str, start: int, end: int) -> dict:
    """Rank (1 = fastest growth) of ``code``'s 80+ growth among its level (municipalities: all 357 and within
    the county; counties: the 15). Ties share the best rank."""
    g = growth_80(start, end)
    me = g[g["region_code"] == code]
    if me.empty:
        raise QueryError(f"ukjent region: {code!r}")
    me = me.iloc[0]
    out = {"growth_pct": float(me["growth_pct"]), "level": me["level"]}
    if me["level"] == "country":
        return out
    peers = g[g["level"] == me["level"]]
    out["rank"] = int((peers["growth_pct"] > me["growth_pct"]).sum()) + 1
    out["n"] = int(peers["growth_pct"].notna().sum())
    if me["level"] == "municipality":
        cp = peers[peers["county_code"] == me["county_code"]]
        out["rank_county"] = int((cp["growth_pct"] > me["growth_pct"]).sum()) + 1
        out["n_county"] = int(cp["growth_pct"].notna().sum())
    return out


def variant_of(code: str) -> str | None:
    return load().variant.get(code)


def variant_label(variant: str | None) -> str:
    return _(VARIANT_LABELS.get(variant or "", N_("Framskriving")))
