"""The projection as build output: data/projection.parquet, data/projection_track.parquet, the manifest
section, and the projected indicators.

Inputs: the harmonised population (2005–2026) and SSB's national projections of every vintage
(``pipeline/national.py``). ``projection.project`` (the engine) is run once from the last observed year
(2026) to 2040; the result is stored as five variants at most:

* ``kalibrert_mmmm`` — **the default**: our municipal projection raked to SSB's national projection 2026
  (table 14746), main alternative MMMM, for every year 2027–2040 and every age group of that table
  (``projection.calibrate``). Labelled «Omsorgsatlas' framskriving, avstemt mot SSBs nasjonale framskriving
  2026».
* ``kalibrert_llml`` / ``kalibrert_hhmh`` — the same raked to SSB's low (LLML) and high (HHMH) national growth
  alternatives: the low–high band on the page.
* ``omsorgsatlas`` — the unconstrained run (no national frame), kept for comparison.
* ``ssb_mmm`` — SSB's official municipal projection, only from an online build (pipeline/online.py).

Municipalities sum exactly to counties and the country in every variant (aggregates are sums); the national
sums of the ``kalibrert_*`` variants equal SSB's totals per year and age group (checked in
:func:`check_projection`, to 0.5 persons).

``projection_track.parquet`` (``national.track_record``): SSB's vintages 2005–2022 and our own method from the
same base years against the observed national population. The manifest's backtest compares, per window and
only with data up to the start year: our method unconstrained (``method``), calibrated to SSB's vintage of the
start year (``calibrated``), with the previous five-year migration base period (``base_5``), and plain
cohort-change ratios (``baseline``).

Projected indicators get their own ids (``*_projected``), computed from the default variant, with catalogue
rows whose names say "framskrevet" and whose definitions and notes name the variant.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from . import national as na
from . import projection as pr
from .catalog import NLOD, SSB_07459_URL

BASE_YEAR = 2026
END_YEAR = 2040
NATIONAL_VINTAGE = 2026            # SSB's national projection the municipal one is aligned with
NATIONAL_TABLE = "14746"
VARIANT_OURS = "omsorgsatlas"      # unconstrained
VARIANT_SSB = "ssb_mmm"
CALIBRATED = {"MMMM": "kalibrert_mmmm", "LLML": "kalibrert_llml", "HHMH": "kalibrert_hhmh"}
DEFAULT_VARIANT = CALIBRATED["MMMM"]
LOW_VARIANT, HIGH_VARIANT = CALIBRATED["LLML"], CALIBRATED["HHMH"]
_ALIGNED_NB = "Omsorgsatlas' framskriving, avstemt mot SSBs nasjonale framskriving 2026"
_ALIGNED_EN = "omsorgsatlas's projection, aligned with Statistics Norway's national projection 2026"
VARIANTS = {
    CALIBRATED["MMMM"]: (f"{_ALIGNED_NB}, hovedalternativet (MMMM)", f"{_ALIGNED_EN[0].upper()}{_ALIGNED_EN[1:]}, main alternative (MMMM)"),
    CALIBRATED["LLML"]: (f"{_ALIGNED_NB}, lav nasjonal vekst (LLML)", f"{_ALIGNED_EN[0].upper()}{_ALIGNED_EN[1:]}, low national growth (LLML)"),
    CALIBRATED["HHMH"]: (f"{_ALIGNED_NB}, høy nasjonal vekst (HHMH)", f"{_ALIGNED_EN[0].upper()}{_ALIGNED_EN[1:]}, high national growth (HHMH)"),
    VARIANT_OURS: ("Omsorgsatlas' egen framskriving uten avstemming mot SSB (til sammenligning)",
                   "omsorgsatlas's own projection without alignment to SSB (for comparison)"),
    VARIANT_SSB: ("SSBs befolkningsframskriving, hovedalternativet (MMM)",
                  "Statistics Norway's population projection, main alternative (MMM)"),
}
VARIANT_ORDER = (CALIBRATED["MMMM"], CALIBRATED["LLML"], CALIBRATED["HHMH"], VARIANT_OURS, VARIANT_SSB)
OFFLINE_NOTE_NB = ("SSBs offisielle kommunevise framskriving (hovedalternativet MMM) hentes bare når dataene bygges "
                   "med nettilgang; denne bygningen er laget uten nett, så den finnes ikke her.")
OFFLINE_NOTE_EN = ("Statistics Norway's official municipal projection (main alternative MMM) is only fetched by a build "
                   "with network access; this build was made offline, so it is not included.")
SOURCE = ("Omsorgsatlas' framskriving fra SSB, tabell 07459 (befolkning 2005–2026), avstemt mot SSBs nasjonale "
          "framskriving 2026 (tabell 14746)")
SOURCE_UNCONSTRAINED = "Omsorgsatlas' egen framskriving fra SSB, tabell 07459 (befolkning 2005–2026)"
SSB_14746_URL = "https://www.ssb.no/statbank/table/14746"
CHECK_TOLERANCE = 0.5              # persons: national sums of a calibrated variant against SSB's


def _long(inp_frame: pd.DataFrame, variant: str) -> pd.DataFrame:
    out = inp_frame.copy()
    out.insert(0, "variant", pd.array([variant] * len(out), dtype="str"))
    return out


def build_projection(pop: pd.DataFrame, regions: pd.DataFrame, vintages: pd.DataFrame) -> pd.DataFrame:
    """variant, level, region_code, year (2027–2040), age, population — the three calibrated variants and the
    unconstrained one, each sorted like population.parquet."""
    inp = pr._prepare(pop, regions, BASE_YEAR)
    arr = pr._project_munis(inp, END_YEAR, pr.Params())
    frames = []
    for alt, variant in CALIBRATED.items():
        cal = pr.calibrate(arr, BASE_YEAR, na.targets(vintages, NATIONAL_VINTAGE, alt))
        frames.append(_long(pr._frame(inp, cal, BASE_YEAR), variant))
    frames.append(_long(pr._frame(inp, arr, BASE_YEAR), VARIANT_OURS))
    proj = pd.concat(frames, ignore_index=True)
    return proj.astype({"year": "int16", "age": "int16", "population": "float64"}).reset_index(drop=True)


def calibrated_method(vintages: pd.DataFrame, alternative: str = "MMMM"):
    """A ``projection.backtest`` method: project from the start year and rake to SSB's national projection
    published that year (the vintage equal to the start year, so no later information is used)."""
    def project_calibrated_to_ssb(pop, regions, base_year, end_year, params=None):
        return pr.project_calibrated(pop, regions, base_year, end_year,
                                     na.targets(vintages, base_year, alternative), params)
    return project_calibrated_to_ssb


def summary_2040(proj: pd.DataFrame, year: int = END_YEAR) -> dict:
    """National total, 67+, 80+, 90+, 20–66 and care ratio (20–66 per 80+) in ``year`` per variant."""
    out = {}
    nat = proj[(proj["level"] == "country") & (proj["year"] == year)]
    for variant, g in nat.groupby("variant", sort=False):
        a, v = g["age"].to_numpy(), g["population"].to_numpy()
        s = {name: float(v[(a >= lo) & (a <= hi)].sum()) for name, lo, hi in
             (("total", 0, 105), ("67+", 67, 105), ("80+", 80, 105), ("90+", 90, 105), ("20-66", 20, 66))}
        s = {k: round(x, 1) for k, x in s.items()}
        s["care_ratio"] = round(s["20-66"] / s["80+"], 3)
        out[str(variant)] = s
    return out


def manifest_section(pop: pd.DataFrame, regions: pd.DataFrame, vintages: pd.DataFrame,
                     proj: pd.DataFrame | None = None) -> dict:
    """Method, variants and the backtest table. Deterministic: no timings."""
    ours = pr.backtest(pop, regions)
    cal = pr.backtest(pop, regions, method=calibrated_method(vintages))
    base5 = pr.backtest(pop, regions, params=replace(pr.Params(), base_years=5))
    base = pr.backtest(pop, regions, method=pr.baseline_project)
    present = [v for v in VARIANT_ORDER if proj is None or v in set(proj["variant"])]
    out = {
        "base_year": BASE_YEAR, "end_year": END_YEAR, "default_variant": DEFAULT_VARIANT,
        "national_frame": {"vintage": NATIONAL_VINTAGE, "table": NATIONAL_TABLE, "url": SSB_14746_URL,
                           "alternatives": {alt: {"variant": v, "name_nb": na.ALT_NAMES[alt][0],
                                                  "name_en": na.ALT_NAMES[alt][1]} for alt, v in CALIBRATED.items()}},
        "params": {"base_years": pr.Params().base_years, "birth_years": pr.Params().birth_years},
        "variants": [{"id": v, "name_nb": VARIANTS[v][0], "name_en": VARIANTS[v][1],
                      "source": SOURCE if v.startswith("kalibrert_") else SOURCE_UNCONSTRAINED,
                      "default": v == DEFAULT_VARIANT} for v in present if v != VARIANT_SSB],
        "variants_missing": [{"id": VARIANT_SSB, "name_nb": VARIANTS[VARIANT_SSB][0],
                              "reason_nb": OFFLINE_NOTE_NB, "reason_en": OFFLINE_NOTE_EN}],
        "method_nb": pr.METHOD_NOTE_NB, "method_en": pr.METHOD_NOTE_EN,
        "backtest": {"method": ours, "calibrated": cal, "base_5": base5, "baseline": base},
    }
    if proj is not None:
        out["national_2040"] = summary_2040(proj)
    return out


def check_projection(proj: pd.DataFrame, regions: pd.DataFrame, vintages: pd.DataFrame | None = None) -> list[str]:
    """Problems with the projection table (empty list = fine): every region, year and age; municipalities sum
    to their county and to the country; counties sum to the country; with ``vintages``, the calibrated
    variants' national sums equal SSB's per year and age group (to CHECK_TOLERANCE persons)."""
    problems = []
    years = np.arange(BASE_YEAR + 1, END_YEAR + 1)
    n_ages = pr.MAX_AGE + 1
    n = len(regions) * len(years) * n_ages
    codes = pd.Index(regions["region_code"].astype(str))
    county_of = regions["county_code"].to_numpy(dtype=object)
    level = regions["level"].to_numpy(dtype=object)
    munis = np.flatnonzero(level == "municipality")
    counties = np.flatnonzero(level == "county")
    nat_i = np.flatnonzero(level == "country")
    vi, vnames = pd.factorize(proj["variant"], sort=True)
    ri_all = codes.get_indexer(proj["region_code"])
    yi_all = proj["year"].to_numpy(int) - years[0]
    ai_all = proj["age"].to_numpy(int)
    pop_all = proj["population"].to_numpy(float)
    for k, variant in enumerate(vnames):
        sel = vi == k
        if sel.sum() != n:
            problems.append(f"{variant}: {int(sel.sum())} rader, ventet {n}")
        ri, yi, ai = ri_all[sel], yi_all[sel], ai_all[sel]
        ok = (ri >= 0) & (yi >= 0) & (yi < len(years)) & (ai >= 0) & (ai < n_ages)
        if not ok.all() or len(np.unique(ri)) != len(codes):
            problems.append(f"{variant}: regionene, årene eller aldrene stemmer ikke med regions")
            continue
        A = np.zeros((len(codes), len(years), n_ages))
        A[ri, yi, ai] = pop_all[sel]
        nat = A[nat_i].sum(axis=0)
        if not np.allclose(A[munis].sum(axis=0), nat, rtol=1e-9, atol=1e-6):
            problems.append(f"{variant}: kommunene summerer ikke til landet")
        by_cty = {}
        for i in munis:
            c = county_of[i]
            by_cty[c] = by_cty.get(c, 0.0) + A[i]
        if any(not np.allclose(by_cty.get(codes[i], 0.0), A[i], rtol=1e-9, atol=1e-6) for i in counties):
            problems.append(f"{variant}: kommunene summerer ikke til fylkene")
        if not np.allclose(A[counties].sum(axis=0), nat, rtol=1e-9, atol=1e-6):
            problems.append(f"{variant}: fylkene summerer ikke til landet")
        alt = {v: a for a, v in CALIBRATED.items()}.get(str(variant))
        if alt is not None and vintages is not None:
            t = na.targets(vintages, NATIONAL_VINTAGE, alt)
            t = t[(t["year"] > BASE_YEAR) & (t["year"] <= END_YEAR)]
            for r in t.itertuples(index=False):
                got = nat[r.year - years[0], r.age_lo:r.age_hi + 1].sum()
                if abs(got - r.population) > CHECK_TOLERANCE:
                    problems.append(f"{variant}: landet {r.year}, {r.age_lo}–{r.age_hi} år er {got:.1f}, "
                                    f"SSB har {r.population:.0f}")
                    break
    return problems


# ------------------------------------------------------------------------------------ projected indicators
# id, name_nb, name_en, definition_nb, definition_en, unit, unit_nb, unit_en, decimals, areas, direction
_DEMAND = ["befolkning", "hjemmetjenester", "institusjon"]
PROJECTED = [
    ("count_80plus_projected", "Antall 80 år og over, framskrevet", "Number aged 80+, projected",
     "Framskrevet antall innbyggere 80 år og over, 1. januar 2027–2040 ({variant_nb}; ikke "
     "observerte tall). Observerte tall til og med 2026: «Antall 80 år og over».",
     "Projected number of residents aged 80+, 1 January 2027–2040 ({variant_en}; not observed).",
     "persons", "personer", "persons", 0, _DEMAND, "neutral"),
    ("share_80plus_projected", "Andel 80 år og over, framskrevet", "Share aged 80+, projected",
     "Framskrevne innbyggere 80 år og over som prosent av alle framskrevne innbyggere, 2027–2040 ({variant_nb}; "
     "ikke observerte tall).",
     "Projected residents aged 80+ as a percentage of all projected residents, 2027–2040 ({variant_en}).",
     "percent", "%", "%", 1, _DEMAND, "neutral"),
    ("care_ratio_projected", "Omsorgsressurs, framskrevet: personer 20–66 år per person 80+",
     "Care ratio, projected: people 20–66 per person 80+",
     "Framskrevet antall innbyggere 20–66 år delt på framskrevet antall 80 år og over, 2027–2040 ({variant_nb}; "
     "ikke observerte tall).",
     "Projected residents aged 20–66 divided by projected residents aged 80+, 2027–2040 ({variant_en}).",
     "ratio", "per person 80+", "per person 80+", 1, _DEMAND, "higher_better"),
]


def projected_indicators(proj: pd.DataFrame) -> pd.DataFrame:
    """Long indicator rows (same columns as indicators.parquet) for the PROJECTED ids, from the default variant
    (``kalibrert_mmmm``) only."""
    p = proj[proj["variant"] == DEFAULT_VARIANT]
    if p.empty:
        raise ValueError(f"the projection has no {DEFAULT_VARIANT} rows")
    keys = ["level", "region_code", "year"]
    a, v = p["age"], p["population"]

    def s(lo, hi):
        return v.where((a >= lo) & (a <= hi), 0.0).groupby([p[k] for k in keys]).sum()
    total, p80, p20 = s(0, 200), s(80, 200), s(20, 66)
    nan = pd.Series(np.nan, index=total.index)
    parts = {
        "count_80plus_projected": (p80, nan, nan),
        "share_80plus_projected": (100 * p80 / total, p80, total),
        "care_ratio_projected": (p20 / p80, p20, p80),
    }
    rows = []
    for iid, (value, num, den) in parts.items():
        df = pd.DataFrame({"value": value, "numerator": num, "denominator": den}).reset_index()
        df.insert(0, "indicator_id", iid)
        rows.append(df[np.isfinite(df["value"])])
    out = pd.concat(rows, ignore_index=True)
    order = {"country": 0, "county": 1, "municipality": 2}
    ids = {iid: i for i, (iid, *_r) in enumerate(PROJECTED)}
    out = (out.assign(_i=out["indicator_id"].map(ids), _l=out["level"].map(order))
           .sort_values(["_i", "_l", "region_code", "year"]).drop(columns=["_i", "_l"]).reset_index(drop=True))
    out = out[["indicator_id", "level", "region_code", "year", "value", "numerator", "denominator"]]
    return out.astype({"indicator_id": "str", "level": "str", "region_code": "str", "year": "int16",
                       "value": "float64", "numerator": "float64", "denominator": "float64"})


def projected_catalog(indicators: pd.DataFrame, first_sort_order: int) -> pd.DataFrame:
    """Catalogue rows for the projected indicators (same columns as catalog.parquet). The definitions and
    the notes name the variant behind the figures (``kalibrert_mmmm``)."""
    vnb, ven = VARIANTS[DEFAULT_VARIANT]
    variant_nb = f"variant {DEFAULT_VARIANT}: {vnb}"
    variant_en = f"variant {DEFAULT_VARIANT}: {ven}"
    notes = (f"Framskrevne tall, ikke observerte. Variant: {DEFAULT_VARIANT} ({vnb}); lav og høy nasjonal vekst "
             f"({LOW_VARIANT}, {HIGH_VARIANT}) og den uavstemte framskrivingen ({VARIANT_OURS}) ligger i "
             "projection.parquet. " + pr.METHOD_NOTE_NB + " " + OFFLINE_NOTE_NB +
             " Observerte og framskrevne tall er egne indikatorer og blandes aldri i samme serie.")
    rows = []
    for i, (iid, nnb, nen, dnb, den, unit, unb, uen, dec, areas, direction) in enumerate(PROJECTED):
        sub = indicators[indicators["indicator_id"] == iid]
        if sub.empty:
            continue
        years = sorted(int(y) for y in sub["year"].unique())
        levels = [lv for lv in ("country", "county", "municipality") if (sub["level"] == lv).any()]
        rows.append({
            "id": iid, "name_nb": nnb, "name_en": nen, "definition_nb": dnb.format(variant_nb=variant_nb),
            "definition_en": den.format(variant_en=variant_en),
            "unit": unit, "unit_nb": unb, "unit_en": uen, "decimals": dec, "service_areas": list(areas),
            "direction": direction, "levels": levels, "years": years, "year_min": min(years),
            "year_max": max(years), "source": SOURCE, "source_url": SSB_07459_URL, "licence": NLOD,
            "notes": notes, "sort_order": first_sort_order + i,
        })
    df = pd.DataFrame(rows)
    return df.astype({"decimals": "int8", "year_min": "int16", "year_max": "int16", "sort_order": "int16"})


def append_indicators(indicators: pd.DataFrame, projected: pd.DataFrame) -> pd.DataFrame:
    """indicators + the projected rows; columns the projected rows lack (e.g. ci_low, ci_high) are NaN:
    a projection has no sampling interval, and its uncertainty is described in the notes instead."""
    extra = projected.reindex(columns=indicators.columns)
    for col in indicators.columns:
        if col not in projected.columns:
            extra[col] = extra[col].astype(indicators[col].dtype) if indicators[col].dtype.kind == "f" else extra[col]
    return pd.concat([indicators, extra], ignore_index=True)
