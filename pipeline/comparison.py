"""Comparison data: 95 % intervals on indicator values, and statistical neighbours ("kommuner som ligner").

Intervals (``add_intervals``)
-----------------------------
For every indicator row with a numerator and a denominator, the interval is chosen from how the value is
computed from them (checked row by row, so a future indicator needs no registration):

* ``value = 100 · n/d`` with ``n <= d`` and unit ``percent`` (a share of persons): **Wilson** score
  interval for a binomial proportion, 95 % (z = 1.959964).
* any other ``value = k · n/d`` (k = 1, 100, 1 000, 10 000, 100 000: ratios, rates per 100/1 000/…) and
  growth ``value = 100 · (n/d − 1)``: **Byar**'s approximation to the exact Poisson interval on the
  numerator count ``n``, with ``d`` treated as fixed; then transformed like the value.
* no numerator/denominator (counts of persons, median age): no interval (nulls); the app then compares by
  quintile.

The figures are register counts of the whole population, not a sample, so there is no sampling error in
the usual sense. Like Fingertips (PHE/OHID) for small-area rates, the interval is read as the random
variation of the underlying process that produced the count ("would a municipality this size show a
difference this large by chance?"). It is a guard against over-reading small municipalities, and it says
nothing about measurement error. Stated in data/README.md and on the profile page.

Statistical neighbours (``statistical_neighbours``)
---------------------------------------------------
Each municipality's 10 nearest municipalities by weighted Euclidean distance on standardised features
(z-scores over the 357 municipalities) of the latest year with data for all of them. Features and weights
are in ``FEATURES``. Ties (equal distance) are broken by municipality code, so the result is deterministic.
The relation is not symmetric: B can be among A's 10 nearest while A is not among B's (a municipality in a
dense part of the feature space has many close neighbours). The coarse region (``mtregion_name``) in
the code list is not used: it is a 5-way geographical division, not a settlement type, and would turn
"municipalities like us" into "municipalities near us" (the geographic neighbours cover that).
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

Z95 = 1.959963984540054
SCALES = (100.0, 1.0, 1000.0, 10000.0, 100000.0)
N_NEIGHBOURS = 10
GROWTH_YEARS = 10

# id, name_nb, unit (for display), weight, how it is computed
FEATURES = [
    ("log_population", "Folkemengde", "persons", 1.0, "ln(folkemengde)"),
    ("log_density", "Innbyggere per km²", "per_km2", 1.0,
     "ln(innbyggere per km² landareal inkl. ferskvann, fra kommunepolygonene i EPSG:25833)"),
    ("growth_10y", "Befolkningsvekst siste 10 år", "percent", 1.0, "prosent endring i folkemengde over 10 år"),
    ("share_80plus", "Andel 80 år og over", "percent", 1.0, "andel 80+ i prosent"),
    ("share_67plus", "Andel 67 år og over", "percent", 0.5, "andel 67+ i prosent"),
    ("median_age", "Medianalder", "years", 0.5, "medianalder"),
    ("care_ratio", "Personer 20–66 år per person 80+", "ratio", 0.5, "ln(20–66 per 80+); vist uten log"),
]
FEATURE_IDS = [f[0] for f in FEATURES]
WEIGHTS = {f[0]: f[3] for f in FEATURES}

METHOD_NB = (
    "Statistiske naboer: for hver kommune de 10 kommunene med kortest vektet euklidsk avstand på "
    "standardiserte trekk (z-skårer over de 357 kommunene): folkemengde (log), innbyggere per km² (log), "
    "befolkningsvekst siste 10 år, andel 80+ (vekt 1 hver), andel 67+, medianalder og personer 20–66 per "
    "person 80+ (log) (vekt 0,5 hver, fordi de måler nesten det samme). Lik avstand avgjøres av kommunenummer. "
    "Relasjonen er ikke symmetrisk."
)
INTERVALS_NB = (
    "95 %-intervall: Wilson for andeler av personer, Byar (Poisson) for forholdstall og vekst. Tallene er "
    "registertall for hele befolkningen, så intervallet er ikke utvalgsusikkerhet, men den tilfeldige "
    "variasjonen man må regne med i små kommuner (som i Fingertips)."
)


# ------------------------------------------------------------------------------------------ intervals
def wilson(x, n, z: float = Z95):
    """Wilson score interval for x successes of n (arrays or scalars); proportions 0–1."""
    x = np.asarray(x, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = x / n
        z2 = z * z
        denom = 1.0 + z2 / n
        centre = (p + z2 / (2 * n)) / denom
        half = z * np.sqrt(np.clip(p * (1 - p), 0, None) / n + z2 / (4 * n * n)) / denom
        return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def byar(o, z: float = Z95):
    """Byar's approximation to the exact 95 % Poisson interval for an observed count o."""
    o = np.asarray(o, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        lo = np.where(o > 0, o * (1 - 1 / (9 * o) - z / (3 * np.sqrt(o))) ** 3, 0.0)
        o1 = o + 1
        hi = o1 * (1 - 1 / (9 * o1) + z / (3 * np.sqrt(o1))) ** 3
    return np.clip(lo, 0, None), hi


def _close(a, b) -> np.ndarray:
    return np.isclose(a, b, rtol=1e-7, atol=1e-9)


def interval_methods(df: pd.DataFrame, units: dict[str, str]) -> pd.Series:
    """Per row: 'wilson', 'byar:<scale>', 'byar:growth' or None (see the module docstring)."""
    n, d, v = df["numerator"].to_numpy(float), df["denominator"].to_numpy(float), df["value"].to_numpy(float)
    ok = np.isfinite(n) & np.isfinite(d) & (d > 0) & (n >= 0) & np.isfinite(v)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = n / d
    unit = df["indicator_id"].map(units).fillna("").to_numpy()
    method = np.full(len(df), None, dtype=object)
    for s in SCALES:  # first matching scale wins
        hit = ok & (method == None) & _close(v, s * r)  # noqa: E711
        method[hit] = f"byar:{s:g}"
    share = ok & (method == "byar:100") & (n <= d) & (unit == "percent")
    method[share] = "wilson"
    growth = ok & (method == None) & _close(v, 100 * (r - 1))  # noqa: E711
    method[growth] = "byar:growth"
    return pd.Series(method, index=df.index, dtype=object)


def add_intervals(indicators: pd.DataFrame, units: dict[str, str]) -> pd.DataFrame:
    """indicators + ci_low, ci_high (float64, NaN where no interval applies), in the value's unit."""
    out = indicators.drop(columns=[c for c in ("ci_low", "ci_high") if c in indicators.columns]).copy()
    lo = np.full(len(out), np.nan)
    hi = np.full(len(out), np.nan)
    if {"numerator", "denominator"} <= set(out.columns) and len(out):
        m = interval_methods(out, units).to_numpy()
        n = out["numerator"].to_numpy(float)
        d = out["denominator"].to_numpy(float)
        w = m == "wilson"
        if w.any():
            a, b = wilson(n[w], d[w])
            lo[w], hi[w] = 100 * a, 100 * b
        for meth in set(x for x in m if isinstance(x, str) and x.startswith("byar")):
            sel = m == meth
            a, b = byar(n[sel])
            if meth == "byar:growth":
                lo[sel], hi[sel] = 100 * (a / d[sel] - 1), 100 * (b / d[sel] - 1)
            else:
                s = float(meth.split(":")[1])
                lo[sel], hi[sel] = s * a / d[sel], s * b / d[sel]
    out["ci_low"] = lo
    out["ci_high"] = hi
    return out


# ------------------------------------------------------------------------------- statistical neighbours
def municipality_areas_km2(geojson_path: Path) -> pd.Series:
    """Area (km²) per municipality from the web GeoJSON, measured in EPSG:25833."""
    import geopandas as gpd

    from .geo import PROJECTED_CRS

    gdf = gpd.read_file(geojson_path, engine="pyogrio", use_arrow=True)
    areas = gdf.set_index("code").geometry.to_crs(PROJECTED_CRS).area / 1e6
    return pd.Series(areas.to_numpy(dtype="float64"), index=pd.Index(areas.index.tolist(), dtype=str),
                     name="area_km2").sort_index()


def feature_table(indicators: pd.DataFrame, areas_km2: pd.Series, year: int | None = None) -> tuple[pd.DataFrame, int]:
    """Wide feature values (index municipality code, columns FEATURE_IDS) for ``year`` (default: latest year
    where every municipality has population for the year and GROWTH_YEARS before)."""
    m = indicators[indicators["level"] == "municipality"]
    piv = m.pivot_table(index="region_code", columns=["indicator_id", "year"], values="value", aggfunc="first")
    pop = piv["population"]
    if year is None:
        full = [int(y) for y in pop.columns if pop[y].notna().all() and (y - GROWTH_YEARS) in pop.columns
                and pop[y - GROWTH_YEARS].notna().all()]
        year = max(full)
    f = pd.DataFrame(index=pop.index)
    f["log_population"] = np.log(pop[year])
    f["log_density"] = np.log(pop[year] / areas_km2.reindex(pop.index))
    f["growth_10y"] = 100 * (pop[year] / pop[year - GROWTH_YEARS] - 1)
    f["share_80plus"] = piv[("share_80plus", year)]
    f["share_67plus"] = piv[("share_67plus", year)]
    f["median_age"] = piv[("median_age", year)]
    f["care_ratio"] = np.log(piv[("care_ratio", year)])
    f = f[FEATURE_IDS].sort_index()
    if f.isna().any().any():
        bad = f[f.isna().any(axis=1)].index[:5].tolist()
        from .errors import PipelineError
        raise PipelineError(f"statistiske naboer: mangler trekk for {bad}")
    return f, int(year)


def display_value(feature: str, value: float) -> float:
    """The feature in its display unit (log features back-transformed)."""
    return math.exp(value) if feature in ("log_population", "log_density", "care_ratio") else value


def statistical_neighbours(features: pd.DataFrame, k: int = N_NEIGHBOURS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(neighbours, feature values).

    neighbours: region_code, neighbour_code, rank (1..k), distance, and per feature ``share_<feature>``:
    the feature's share of the squared distance (0–1, sums to 1), i.e. what makes the pair differ most.
    features long: region_code, feature, value (display unit), z (standardised, before weighting).
    """
    X = features[FEATURE_IDS].to_numpy(float)
    mu, sd = X.mean(axis=0), X.std(axis=0, ddof=0)
    sd[sd == 0] = 1.0
    Z = (X - mu) / sd
    w = np.array([WEIGHTS[f] for f in FEATURE_IDS])
    codes = features.index.to_numpy()
    diff2 = (Z[:, None, :] - Z[None, :, :]) ** 2 * w  # (n, n, f)
    d2 = diff2.sum(axis=2)
    dist = np.sqrt(d2)
    rows = []
    for i, code in enumerate(codes):
        order = sorted((j for j in range(len(codes)) if j != i), key=lambda j: (round(dist[i, j], 12), codes[j]))
        for rank, j in enumerate(order[:k], start=1):
            row = {"region_code": code, "neighbour_code": codes[j], "rank": rank, "distance": float(dist[i, j])}
            tot = d2[i, j] if d2[i, j] > 0 else 1.0
            for fi, f in enumerate(FEATURE_IDS):
                row[f"share_{f}"] = float(diff2[i, j, fi] / tot)
            rows.append(row)
    nb = pd.DataFrame(rows).astype({"rank": "int16"})
    long = []
    for fi, f in enumerate(FEATURE_IDS):
        long.append(pd.DataFrame({"region_code": codes, "feature": f,
                                  "value": [display_value(f, x) for x in X[:, fi]], "z": Z[:, fi]}))
    feats = pd.concat(long, ignore_index=True).sort_values(["region_code", "feature"], kind="stable")
    order = {f: i for i, f in enumerate(FEATURE_IDS)}
    feats = feats.assign(_o=feats["feature"].map(order)).sort_values(["region_code", "_o"]).drop(columns="_o")
    return nb.reset_index(drop=True), feats.reset_index(drop=True)


def build_comparison(indicators: pd.DataFrame, geo_municipalities: Path) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Statistical neighbours + features + the manifest section."""
    areas = municipality_areas_km2(geo_municipalities)
    feats, year = feature_table(indicators, areas)
    nb, long = statistical_neighbours(feats)
    mutual = nb.merge(nb[["region_code", "neighbour_code"]].rename(
        columns={"region_code": "neighbour_code", "neighbour_code": "region_code"}), how="inner")
    report = {
        "method": METHOD_NB, "year": year, "k": N_NEIGHBOURS, "growth_years": GROWTH_YEARS,
        "features": [{"id": f, "name_nb": nb_, "unit": u, "weight": wt, "definition": how}
                     for f, nb_, u, wt, how in FEATURES],
        "standardisation": "z = (x - mean) / sd (population sd) over the 357 municipalities",
        "distance": "sqrt(sum_f weight_f * (z_f(A) - z_f(B))^2); ties by municipality code",
        "symmetric_pairs_share": round(len(mutual) / len(nb), 4),
        "intervals": INTERVALS_NB,
    }
    return nb, long, report
