"""The projection as build output: data/projection.parquet, its manifest section, and the projected indicators.

``projection.project`` (the engine) is run from the last observed year (2026) to 2040 on the harmonised
population; the result is stored with a ``variant`` column: ``omsorgsatlas`` for the product's own
projection. SSB's official municipal projection (main alternative, MMM) would be stored beside it as
``ssb_mmm`` by an online build; this build is offline, so only ``omsorgsatlas`` exists.

Projected indicators get their own ids (``*_projected``) and catalogue rows whose names say
"framskrevet": they are never mixed into the observed series.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import projection as pr
from .catalog import NLOD, SSB_07459_URL

BASE_YEAR = 2026
END_YEAR = 2040
VARIANT_OURS = "omsorgsatlas"
VARIANT_SSB = "ssb_mmm"
VARIANTS = {
    VARIANT_OURS: ("Omsorgsatlas' egen framskriving", "Omsorgsatlas's own projection"),
    VARIANT_SSB: ("SSBs befolkningsframskriving, hovedalternativet (MMM)",
                  "Statistics Norway's population projection, main alternative (MMM)"),
}
OFFLINE_NOTE_NB = ("SSBs offisielle kommunevise framskriving (hovedalternativet MMM) hentes bare når dataene bygges "
                   "med nettilgang; denne bygningen er laget uten nett, så bare Omsorgsatlas' egen framskriving finnes.")
OFFLINE_NOTE_EN = ("Statistics Norway's official municipal projection (main alternative MMM) is only fetched by a build "
                   "with network access; this build was made offline, so only omsorgsatlas's own projection exists.")
SOURCE = "Omsorgsatlas' egen framskriving fra SSB, tabell 07459 (befolkning 2005–2026)"


def build_projection(pop: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """variant, level, region_code, year (2027–2040), age, population — sorted like population.parquet."""
    proj = pr.project(pop, regions, BASE_YEAR, END_YEAR)
    proj.insert(0, "variant", pd.array([VARIANT_OURS] * len(proj), dtype="str"))
    return proj.astype({"year": "int16", "age": "int16", "population": "float64"}).reset_index(drop=True)


def manifest_section(pop: pd.DataFrame, regions: pd.DataFrame) -> dict:
    """Method, variants and the backtest table (ours and the plain-CCR baseline). Deterministic: no timings."""
    ours = pr.backtest(pop, regions)
    base = pr.backtest(pop, regions, method=pr.baseline_project)
    return {
        "base_year": BASE_YEAR, "end_year": END_YEAR,
        "variants": [{"id": VARIANT_OURS, "name_nb": VARIANTS[VARIANT_OURS][0], "name_en": VARIANTS[VARIANT_OURS][1],
                      "source": SOURCE}],
        "variants_missing": [{"id": VARIANT_SSB, "name_nb": VARIANTS[VARIANT_SSB][0],
                              "reason_nb": OFFLINE_NOTE_NB, "reason_en": OFFLINE_NOTE_EN}],
        "method_nb": pr.METHOD_NOTE_NB, "method_en": pr.METHOD_NOTE_EN,
        "backtest": {"method": ours, "baseline": base},
    }


def check_projection(proj: pd.DataFrame, regions: pd.DataFrame) -> list[str]:
    """Problems with the projection table (empty list = fine): every region, year and age; sums add up."""
    problems = []
    n = len(regions) * (END_YEAR - BASE_YEAR) * (pr.MAX_AGE + 1)
    for variant, sub in proj.groupby("variant", sort=True):
        if len(sub) != n:
            problems.append(f"{variant}: {len(sub)} rader, ventet {n}")
        if set(sub["region_code"]) != set(regions["region_code"]):
            problems.append(f"{variant}: regionene stemmer ikke med regions")
        muni = sub[sub["level"] == "municipality"]
        tot = muni.groupby(["year", "age"])["population"].sum()
        nat = sub[sub["level"] == "country"].set_index(["year", "age"])["population"]
        if not np.allclose(tot.sort_index().to_numpy(), nat.sort_index().to_numpy(), rtol=1e-9, atol=1e-6):
            problems.append(f"{variant}: kommunene summerer ikke til landet")
    return problems


# ------------------------------------------------------------------------------------ projected indicators
# id, name_nb, name_en, definition_nb, definition_en, unit, unit_nb, unit_en, decimals, areas, direction
_DEMAND = ["befolkning", "hjemmetjenester", "institusjon"]
PROJECTED = [
    ("count_80plus_projected", "Antall 80 år og over, framskrevet", "Number aged 80+, projected",
     "Framskrevet antall innbyggere 80 år og over, 1. januar 2027–2040 (Omsorgsatlas' egen framskriving, ikke "
     "observerte tall). Observerte tall til og med 2026: «Antall 80 år og over».",
     "Projected number of residents aged 80+, 1 January 2027–2040 (omsorgsatlas's own projection, not observed).",
     "persons", "personer", "persons", 0, _DEMAND, "neutral"),
    ("share_80plus_projected", "Andel 80 år og over, framskrevet", "Share aged 80+, projected",
     "Framskrevne innbyggere 80 år og over som prosent av alle framskrevne innbyggere, 2027–2040 (Omsorgsatlas' "
     "egen framskriving, ikke observerte tall).",
     "Projected residents aged 80+ as a percentage of all projected residents, 2027–2040 (own projection).",
     "percent", "%", "%", 1, _DEMAND, "neutral"),
    ("care_ratio_projected", "Omsorgsressurs, framskrevet: personer 20–66 år per person 80+",
     "Care ratio, projected: people 20–66 per person 80+",
     "Framskrevet antall innbyggere 20–66 år delt på framskrevet antall 80 år og over, 2027–2040 (Omsorgsatlas' "
     "egen framskriving, ikke observerte tall).",
     "Projected residents aged 20–66 divided by projected residents aged 80+, 2027–2040 (own projection).",
     "ratio", "per person 80+", "per person 80+", 1, _DEMAND, "higher_better"),
]


def projected_indicators(proj: pd.DataFrame) -> pd.DataFrame:
    """Long indicator rows (same columns as indicators.parquet) for the PROJECTED ids, our variant only."""
    p = proj[proj["variant"] == VARIANT_OURS]
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
    """Catalogue rows for the projected indicators (same columns as catalog.parquet)."""
    notes = ("Framskrevne tall, ikke observerte: " + pr.METHOD_NOTE_NB + " " + OFFLINE_NOTE_NB +
             " Observerte og framskrevne tall er egne indikatorer og blandes aldri i samme serie.")
    rows = []
    for i, (iid, nnb, nen, dnb, den, unit, unb, uen, dec, areas, direction) in enumerate(PROJECTED):
        sub = indicators[indicators["indicator_id"] == iid]
        if sub.empty:
            continue
        years = sorted(int(y) for y in sub["year"].unique())
        levels = [lv for lv in ("country", "county", "municipality") if (sub["level"] == lv).any()]
        rows.append({
            "id": iid, "name_nb": nnb, "name_en": nen, "definition_nb": dnb, "definition_en": den,
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
