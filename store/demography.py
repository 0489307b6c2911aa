"""Read side of «Befolkning og behov»: observed population (2005–2026) and the projection (2027–2040) as
one array per region, plus the queries the page needs. No Dash imports.

``data/projection.parquet`` (data/README.md) is read lazily on first use, validated, and cached per data
version (``store.version()``). It may hold several variants. The headline is the first present of
``VARIANT_PREFERENCE``: ``kalibrert_mmmm`` (our projection aligned with SSB's national projection 2026, main
alternative: the default), then ``ssb_mmm`` (SSB's official municipal projection, online builds only), then
``omsorgsatlas`` (unconstrained). ``kalibrert_llml`` / ``kalibrert_hhmh`` (SSB's low and high national
growth) give the low–high band, and ``omsorgsatlas`` stays available for comparison (``Demography.alt``).
The result always says which variant it used, so the page can label it. A missing or corrupt file raises
``StoreError``; the page turns that into a message (the rest of the app works without the projection).

``data/projection_track.parquet`` (SSB's national vintages 2005–2022 and our own method against the observed
population) is read by :func:`track` on first use, the same way.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

import store
from store.errors import QueryError, StoreError
from store._memo import OncePerKey

MAX_AGE = 105
N_AGES = MAX_AGE + 1
# the projection variants this store knows (their UI names: components/popstate.py, VARIANT_LABELS)
VARIANTS = ("kalibrert_mmmm", "kalibrert_llml", "kalibrert_hhmh", "ssb_mmm", "omsorgsatlas")
DEFAULT_VARIANT = "kalibrert_mmmm"
LOW_VARIANT, HIGH_VARIANT = "kalibrert_llml", "kalibrert_hhmh"
BAND_VARIANTS = (LOW_VARIANT, DEFAULT_VARIANT, HIGH_VARIANT)
VARIANT_PREFERENCE = ("kalibrert_mmmm", "ssb_mmm", "omsorgsatlas")
PROJECTION_FILE = "projection.parquet"
TRACK_FILE = "projection_track.parquet"
_TRACK_COLUMNS = ["source", "vintage", "alternative", "year", "horizon", "age_group", "projected", "observed",
                  "error_pct"]
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
    variants: tuple[str, ...]        # variants present in the file (headline candidates)
    alt: dict[str, np.ndarray] | None = None   # every variant in the file -> (region, projected year, age)

    @property
    def has_band(self) -> bool:
        return bool(self.alt) and all(v in self.alt for v in BAND_VARIANTS)

    def is_projected(self, year: int) -> bool:
        return int(year) > self.last_observed

    def row(self, code: str) -> np.ndarray:
        if code not in self.index:
            raise QueryError(f"ukjent region: {code!r}")
        return self.P[self.index[code]]


_CACHE: OncePerKey[Demography] = OncePerKey(latest_only=True)
_LOCK = threading.Lock()


def _read_projection(path) -> pd.DataFrame:
    if not path.is_file():
        raise StoreError("filen mangler (kjør `python -m pipeline build`)", path)
    try:  # codes as dictionaries (categoricals): millions of rows, a few hundred distinct strings
        df = pq.read_table(path, columns=_COLUMNS, read_dictionary=["variant", "level", "region_code"]).to_pandas()
    except Exception as exc:  # pyarrow raises many kinds
        raise StoreError(f"kan ikke leses som parquet ({type(exc).__name__}: {exc})", path) from None
    if df.empty:
        raise StoreError("er tom", path)
    variants = {str(v) for v in df["variant"].unique()}
    if not variants <= set(VARIANTS):
        raise StoreError(f"ukjent variant: {sorted(variants - set(VARIANTS))}", path)
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
    return _CACHE.get(data.version, lambda: _build(data))


def _build(data) -> Demography:
    version = data.version
    path = data.data_dir / PROJECTION_FILE
    proj = _read_projection(path)
    reg = data.regions
    codes = list(reg.index)
    index = {c: i for i, c in enumerate(codes)}
    unknown = {str(c) for c in proj["region_code"].unique()} - set(codes)
    if unknown:
        raise StoreError(f"ukjente regionkoder: {sorted(unknown)[:5]}", path)
    obs = data.population
    last_observed = int(obs["year"].max())
    first = int(obs["year"].min())
    if (proj["year"] <= last_observed).any():
        proj = proj[proj["year"] > last_observed]
    last = int(proj["year"].max()) if len(proj) else last_observed
    years = np.arange(first, last + 1)
    P = np.full((len(codes), len(years), N_AGES), np.nan)
    code_index = pd.Index(codes)
    ri = code_index.get_indexer(obs["region_code"])
    P[ri, obs["year"].to_numpy(int) - first, obs["age"].to_numpy(int)] = obs["population"].to_numpy(float)
    variant: dict[str, str] = {}
    vcat = proj["variant"].astype("category").cat
    vi, in_file = vcat.codes.to_numpy(), [str(v) for v in vcat.categories]
    present = tuple(v for v in VARIANT_PREFERENCE if v in in_file)
    rcat = proj["region_code"].astype("category").cat
    ri_all = code_index.get_indexer(pd.Index([str(c) for c in rcat.categories]))[rcat.codes.to_numpy()]
    yi_all = proj["year"].to_numpy(int) - (last_observed + 1)
    ai_all = proj["age"].to_numpy(int)
    pop_all = proj["population"].to_numpy(float)
    n_proj = len(years) - (last_observed + 1 - first)
    alt: dict[str, np.ndarray] = {}
    for k, v in enumerate(in_file):
        sel = vi == k
        a = np.full((len(codes), n_proj, N_AGES), np.nan)
        a[ri_all[sel], yi_all[sel], ai_all[sel]] = pop_all[sel]
        alt[v] = a
    off = last_observed + 1 - first
    for v in reversed(present):  # preferred variant written last, so it wins where present
        a = alt[v]
        rows = ~np.isnan(a).all(axis=(1, 2))
        P[rows, off:, :] = np.where(np.isnan(a[rows]), P[rows, off:, :], a[rows])
        for i in np.flatnonzero(rows):
            variant[codes[i]] = v
    return Demography(version=version, codes=codes, index=index, years=years, last_observed=last_observed,
                      P=P, variant=variant, variants=present, alt=alt)


def reset() -> None:
    _CACHE.clear()
    with _LOCK:
        _TRACK.clear()


# ------------------------------------------------------------------------------------------ queries
def group_sum(arr: np.ndarray, lo: int, hi: int = MAX_AGE) -> np.ndarray:
    """Sum over ages lo..hi of (..., age) arrays; NaN where the year has no data."""
    part = arr[..., lo:hi + 1]
    out = part.sum(axis=-1)
    return np.where(np.isnan(part).all(axis=-1), np.nan, out)


GROUPS = (("67+", 67, MAX_AGE), ("67–79", 67, 79), ("80+", 80, MAX_AGE), ("80–89", 80, 89), ("90+", 90, MAX_AGE),
          ("20–66", 20, 66), ("total", 0, MAX_AGE))


BAND_MEASURES = ("67+", "80+", "90+", "care_ratio")


def group_series(code: str) -> pd.DataFrame:
    """One row per year: year, projected (bool), variant (None for observed years), and the GROUPS sums,
    plus care_ratio (20–66 per 80+) and share_80 (% of total).

    Where the headline is ``kalibrert_mmmm`` and the low and high alternatives exist, also ``<m>_low`` and
    ``<m>_high`` for m in BAND_MEASURES: the smallest and largest value over SSB's three alternatives
    (LLML, MMMM, HHMH) in each projected year, and the observed value in the last observed year (so a band
    starts where the observed line ends); NaN in earlier years. The care ratio is a quotient, so its low end
    need not come from the low alternative: min/max over the three keeps the band honest."""
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
    if d.has_band and d.variant.get(code) == DEFAULT_VARIANT:
        i = d.index[code]
        per = []
        for v in BAND_VARIANTS:
            a = d.alt[v][i]
            g = {name: group_sum(a, lo, hi) for name, lo, hi in GROUPS if name in ("67+", "80+", "90+", "20–66")}
            with np.errstate(divide="ignore", invalid="ignore"):
                g["care_ratio"] = g["20–66"] / g["80+"]
            per.append(g)
        off = d.last_observed + 1 - int(d.years[0])
        base = out.index[out["year"] == d.last_observed]
        for m in BAND_MEASURES:
            stack = np.stack([p[m] for p in per])
            for suffix, fn in (("_low", np.min), ("_high", np.max)):
                col = np.full(len(out), np.nan)
                col[off:] = fn(stack, axis=0)
                col[base] = out.loc[base, m].to_numpy()
                out[m + suffix] = col
    return out


def band_2040(code: str, year: int) -> dict | None:
    """{measure: (main, low, high)} for BAND_MEASURES in ``year`` (projected), or None without a band."""
    s = group_series(code)
    if f"80+_low" not in s.columns:
        return None
    r = s[s["year"] == int(year)]
    if r.empty or not bool(r["projected"].iloc[0]):
        return None
    r = r.iloc[0]
    return {m: (float(r[m]), float(r[m + "_low"]), float(r[m + "_high"])) for m in BAND_MEASURES}


def alternative_series(code: str, variant: str, lo: int, hi: int = MAX_AGE) -> dict[int, float]:
    """year -> sum over ages lo..hi in one variant's projected years (empty when the variant is absent)."""
    d = load()
    if not d.alt or variant not in d.alt:
        return {}
    a = d.alt[variant][d.index[code]] if code in d.index else None
    if a is None:
        raise QueryError(f"ukjent region: {code!r}")
    vals = group_sum(a, lo, hi)
    return {d.last_observed + 1 + k: float(v) for k, v in enumerate(vals) if v == v}


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


# ------------------------------------------------------------------------------------------ track record
_TRACK: dict[str, pd.DataFrame] = {}
TRACK_GROUPS = ("total", "0-19", "20-66", "67-79", "80-89", "90+", "67+", "80+")


def track() -> pd.DataFrame:
    """projection_track.parquet (cached per data version). Raises StoreError when missing or malformed."""
    data = store.init()
    got = _TRACK.get(data.version)
    if got is not None:
        return got
    path = data.data_dir / TRACK_FILE
    if not path.is_file():
        raise StoreError("filen mangler (kjør `python -m pipeline build`)", path)
    try:
        df = pd.read_parquet(path, columns=_TRACK_COLUMNS)
    except Exception as exc:  # pyarrow raises many kinds
        raise StoreError(f"kan ikke leses som parquet ({type(exc).__name__}: {exc})", path) from None
    if df.empty or not set(df["source"].unique()) <= {"ssb", "omsorgsatlas"}:
        raise StoreError("tom eller ukjent kilde", path)
    if not set(df["age_group"].unique()) <= set(TRACK_GROUPS):
        raise StoreError("ukjent aldersgruppe", path)
    df = df.astype({"vintage": int, "year": int, "horizon": int})
    with _LOCK:
        _TRACK.clear()
        _TRACK[data.version] = df
    return df


def track_view(age_group: str) -> pd.DataFrame:
    """One age group: rows of SSB's main alternative (MMMM) and ours, with the low/high alternatives' errors
    beside SSB's (err_low, err_high). Columns: vintage, year, horizon, ssb_projected, observed, ssb_error,
    ssb_error_low, ssb_error_high, ours_projected, ours_error (NaN where our method has no run)."""
    if age_group not in TRACK_GROUPS:
        raise QueryError(f"ukjent aldersgruppe: {age_group!r}")
    t = track()
    t = t[t["age_group"] == age_group]
    keys = ["vintage", "year", "horizon"]
    ssb = t[(t["source"] == "ssb")]
    main = ssb[ssb["alternative"] == "MMMM"].set_index(keys)
    out = pd.DataFrame({"ssb_projected": main["projected"], "observed": main["observed"],
                        "ssb_error": main["error_pct"]})
    for alt, col in (("LLML", "ssb_error_low"), ("HHMH", "ssb_error_high")):
        out[col] = ssb[ssb["alternative"] == alt].set_index(keys)["error_pct"].reindex(out.index)
    ours = t[t["source"] == "omsorgsatlas"].set_index(keys)
    out["ours_projected"] = ours["projected"].reindex(out.index)
    out["ours_error"] = ours["error_pct"].reindex(out.index)
    return out.reset_index().sort_values(["vintage", "year"]).reset_index(drop=True)


def track_by_horizon(age_group: str, horizons=(1, 2, 5, 10, 15, 20)) -> pd.DataFrame:
    """Mean absolute % error by horizon over the vintages that reach it: horizon, ssb_mae, ssb_n, ours_mae,
    ours_n, ssb_mae_same (SSB over the same vintages as ours, for a like-for-like comparison)."""
    v = track_view(age_group)
    rows = []
    for h in horizons:
        x = v[v["horizon"] == h]
        if x.empty:
            continue
        both = x.dropna(subset=["ours_error"])
        rows.append({"horizon": int(h), "ssb_mae": float(x["ssb_error"].abs().mean()), "ssb_n": int(len(x)),
                     "ours_mae": float(both["ours_error"].abs().mean()) if len(both) else float("nan"),
                     "ours_n": int(len(both)),
                     "ssb_mae_same": float(both["ssb_error"].abs().mean()) if len(both) else float("nan")})
    return pd.DataFrame(rows)
