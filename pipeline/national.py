"""SSB's national population projections, every vintage 2005–2026: reader, checks and the track record.

Input: ``projections/ssb-national-projections-vintages-2005-2026.csv`` (SOURCES.md «projections/»), long
form ``region, statistikkvariabel, år, alder, value, Framskriving, Tabell, source_file``: the rows for
«Hele landet» of SSB's tables 05904 … 14746, three alternatives each. 9 552 rows, 13 vintages.

Output of :func:`read_vintages`: one row per vintage × alternative × year × age group with columns
``vintage`` (int, the projection's base year = its first year, 1 January, observed), ``table`` (SSB table),
``alternative`` (``MMMM`` main, ``LLML`` low national growth, ``HHMH`` high national growth), ``year``,
``age_group`` (``"0"``, ``"1-5"``, …, ``"90+"``), ``age_lo``, ``age_hi`` (105 = 105 and over), ``population``.

Parsed deliberately, because the wording changed over the years:

* ``statistikkvariabel`` is «Middels nasjonal vekst (Alternativ MMMM)» up to the 2014 vintage and
  «Hovedalternativet (MMMM)» from 2016; «Lav/Høy nasjonal vekst (Alternativ LLML/HHMH)» up to 2014 and
  without «Alternativ» from 2016. A label is accepted only if it is one of these wordings (``_ALT_RE``) and its
  words agree with its code (Lav ↔ LLML, Høy ↔ HHMH, Middels/Hovedalternativet ↔ MMMM); anything else stops
  the build with the label and the line.
* ``alder``: «0 år», «1-5 år», «90 år eller eldre». The groups are 20–66 up to the 2012 vintage and
  20–44 + 45–66 from 2014; every vintage × alternative × year must partition ages 0–105 exactly (checked).
* The vintage's first year equals the observed population on 1 January of that year (checked against our
  own population in :func:`track_record`: the 2010, 2014 and 2026 vintages agree to the person; 2022 within
  ±3 persons per group, SSB's later revisions).

:func:`track_record` compares every vintage 2005–2022 (each alternative) with the observed national
population 2005–2026 (``population.parquet``, country rows; 2005 has no national row because two
municipalities lack data), in common age groups (``TRACK_GROUPS``) that every vintage's groups add up to.
It also runs our own method (``pipeline/projection.project``, unconstrained) from each vintage's base year,
using only population data up to that year, so the two are compared for the same base years and horizons.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import PipelineError

FILE = Path("projections") / "ssb-national-projections-vintages-2005-2026.csv"
COLUMNS = ["region", "statistikkvariabel", "år", "alder", "value", "Framskriving", "Tabell", "source_file"]
ALTERNATIVES = ("MMMM", "LLML", "HHMH")
ALT_NAMES = {  # (bokmål, English)
    "MMMM": ("hovedalternativet (MMMM)", "main alternative (MMMM)"),
    "LLML": ("lav nasjonal vekst (LLML)", "low national growth (LLML)"),
    "HHMH": ("høy nasjonal vekst (HHMH)", "high national growth (HHMH)"),
}
# The wordings SSB used, all vintages. Group 1 is the words, group 2 the code.
_ALT_RE = re.compile(r"^(Middels nasjonal vekst|Lav nasjonal vekst|Høy nasjonal vekst|Hovedalternativet) "
                     r"\((?:Alternativ )?(MMMM|LLML|HHMH)\)$")
_WORDS = {"Middels nasjonal vekst": "MMMM", "Hovedalternativet": "MMMM", "Lav nasjonal vekst": "LLML",
          "Høy nasjonal vekst": "HHMH"}
_AGE_RE = re.compile(r"^(?P<lo>\d{1,3})(?:-(?P<hi>\d{1,3}))? år(?P<top> eller eldre)?$")
MAX_AGE = 105
TRACK_VINTAGES = range(2005, 2023)   # vintages whose record is shown (2024/2026 have too few observed years)
# Age groups every vintage adds up to (20–66 = 20–44 + 45–66 from the 2014 vintage)
TRACK_GROUPS = (("total", 0, MAX_AGE), ("0-19", 0, 19), ("20-66", 20, 66), ("67-79", 67, 79),
                ("80-89", 80, 89), ("90+", 90, MAX_AGE), ("67+", 67, MAX_AGE), ("80+", 80, MAX_AGE))


def parse_alternative(label: str) -> str | None:
    """«Hovedalternativet (MMMM)» / «Middels nasjonal vekst (Alternativ MMMM)» → "MMMM"; None if the wording
    is not one SSB used or its words disagree with its code."""
    m = _ALT_RE.match(str(label).strip())
    if not m or _WORDS[m.group(1)] != m.group(2):
        return None
    return m.group(2)


def parse_age(label: str) -> tuple[int, int] | None:
    """«0 år» → (0, 0); «1-5 år» → (1, 5); «90 år eller eldre» → (90, 105); else None."""
    m = _AGE_RE.match(str(label).strip())
    if not m:
        return None
    lo = int(m.group("lo"))
    if m.group("top"):
        return (lo, MAX_AGE) if m.group("hi") is None and lo <= MAX_AGE else None
    hi = int(m.group("hi")) if m.group("hi") else lo
    return (lo, hi) if lo <= hi <= MAX_AGE else None


def group_label(lo: int, hi: int) -> str:
    return f"{lo}+" if hi == MAX_AGE else (str(lo) if lo == hi else f"{lo}-{hi}")


def read_vintages(path: Path) -> pd.DataFrame:
    """The raw file → tidy frame (module docstring). Raises PipelineError naming the file and line."""
    path = Path(path)
    if not path.is_file():
        raise PipelineError("filen med SSBs nasjonale framskrivinger mangler", path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise PipelineError(f"kan ikke leses som CSV i UTF-8 ({type(exc).__name__})", path) from None
    if list(raw.columns) != COLUMNS:
        raise PipelineError(f"ventet kolonnene {COLUMNS}, fant {list(raw.columns)}", path)
    if raw.empty:
        raise PipelineError("filen er tom", path)

    def line(i: int) -> int:
        return int(i) + 2  # header is line 1

    bad = raw.index[raw["region"] != "Hele landet"]
    if len(bad):
        raise PipelineError(f"ukjent region «{raw.at[bad[0], 'region']}» (bare «Hele landet» ventet)", path, line(bad[0]))
    labels = {lab: parse_alternative(lab) for lab in raw["statistikkvariabel"].unique()}
    unknown = [lab for lab, code in labels.items() if code is None]
    if unknown:
        i = raw.index[raw["statistikkvariabel"] == unknown[0]][0]
        raise PipelineError(f"ukjent alternativ i «statistikkvariabel»: «{unknown[0]}» (kjente ordlyder: "
                            "«Hovedalternativet (MMMM)», «Middels/Lav/Høy nasjonal vekst (Alternativ MMMM/LLML/HHMH)»)",
                            path, line(i))
    ages = {lab: parse_age(lab) for lab in raw["alder"].unique()}
    unknown = [lab for lab, a in ages.items() if a is None]
    if unknown:
        i = raw.index[raw["alder"] == unknown[0]][0]
        raise PipelineError(f"ukjent aldersgruppe «{unknown[0]}»", path, line(i))
    for col in ("år", "Framskriving", "value"):
        ok = raw[col].str.fullmatch(r"\d+")
        if not ok.all():
            i = raw.index[~ok][0]
            raise PipelineError(f"«{col}» er ikke et heltall: «{raw.at[i, col]}»", path, line(i))
    out = pd.DataFrame({
        "vintage": raw["Framskriving"].astype(int),
        "table": raw["Tabell"],
        "alternative": raw["statistikkvariabel"].map(labels),
        "year": raw["år"].astype(int),
        "age_lo": raw["alder"].map(lambda a: ages[a][0]).astype(int),
        "age_hi": raw["alder"].map(lambda a: ages[a][1]).astype(int),
        "population": raw["value"].astype(float),
    })
    dup = out.duplicated(["vintage", "alternative", "year", "age_lo"], keep=False)
    if dup.any():
        raise PipelineError("samme framskriving, alternativ, år og aldersgruppe finnes to ganger", path,
                            line(out.index[dup][0]))
    tables = out.groupby("vintage")["table"].nunique()
    if (tables != 1).any():
        raise PipelineError(f"framskrivingen {int(tables.index[tables != 1][0])} har flere SSB-tabeller", path)
    alts = out.groupby("vintage")["alternative"].agg(lambda s: tuple(sorted(set(s))))
    for v, a in alts.items():
        if a != tuple(sorted(ALTERNATIVES)):
            raise PipelineError(f"framskrivingen {v} har alternativene {list(a)}, ventet {list(ALTERNATIVES)}", path)
    if (out["year"] < out["vintage"]).any():
        raise PipelineError("år før framskrivingens første år", path, line(out.index[out["year"] < out["vintage"]][0]))
    # each vintage × alternative × year: the age groups partition 0..105
    for key, g in out.groupby(["vintage", "alternative", "year"], sort=True):
        lo, hi = np.sort(g["age_lo"].to_numpy()), np.sort(g["age_hi"].to_numpy())
        if lo[0] != 0 or hi[-1] != MAX_AGE or not np.array_equal(lo[1:], hi[:-1] + 1):
            raise PipelineError(f"aldersgruppene dekker ikke 0–105 nøyaktig én gang ({key[0]}, {key[1]}, {key[2]})",
                                path, line(g.index[0]))
    out["age_group"] = [group_label(lo, hi) for lo, hi in zip(out["age_lo"], out["age_hi"])]
    out = out.sort_values(["vintage", "alternative", "year", "age_lo"]).reset_index(drop=True)
    return out[["vintage", "table", "alternative", "year", "age_group", "age_lo", "age_hi", "population"]]


def targets(vintages: pd.DataFrame, vintage: int, alternative: str) -> pd.DataFrame:
    """The national age-group totals of one vintage and alternative: year, age_lo, age_hi, population."""
    t = vintages[(vintages["vintage"] == vintage) & (vintages["alternative"] == alternative)]
    if t.empty:
        raise PipelineError(f"SSBs nasjonale framskriving {vintage} ({alternative}) finnes ikke i rådataene")
    return t[["year", "age_lo", "age_hi", "population"]].reset_index(drop=True)


# ------------------------------------------------------------------------------------------ track record
def _groups_from_vintages(v: pd.DataFrame) -> pd.DataFrame:
    """Vintage rows → the TRACK_GROUPS (each is a sum of whole vintage groups; checked)."""
    rows = []
    for name, lo, hi in TRACK_GROUPS:
        inside = (v["age_lo"] >= lo) & (v["age_hi"] <= hi)
        straddle = ~inside & (v["age_lo"] <= hi) & (v["age_hi"] >= lo)
        if straddle.any():
            raise PipelineError(f"aldersgruppen {name} kan ikke settes sammen av framskrivingens grupper")
        s = v[inside].groupby(["vintage", "alternative", "year"])["population"].sum().rename("projected")
        rows.append(s.reset_index().assign(age_group=name))
    return pd.concat(rows, ignore_index=True)


def _observed_groups(pop: pd.DataFrame) -> pd.DataFrame:
    nat = pop[pop["level"] == "country"]
    rows = []
    for name, lo, hi in TRACK_GROUPS:
        s = nat[(nat["age"] >= lo) & (nat["age"] <= hi)].groupby("year")["population"].sum().rename("observed")
        rows.append(s.reset_index().assign(age_group=name))
    return pd.concat(rows, ignore_index=True).astype({"year": int})


def _our_groups(proj: pd.DataFrame) -> pd.DataFrame:
    nat = proj[proj["level"] == "country"]
    rows = []
    for name, lo, hi in TRACK_GROUPS:
        s = nat[(nat["age"] >= lo) & (nat["age"] <= hi)].groupby("year")["population"].sum().rename("projected")
        rows.append(s.reset_index().assign(age_group=name))
    return pd.concat(rows, ignore_index=True).astype({"year": int})


def track_record(vintages: pd.DataFrame, pop: pd.DataFrame, regions: pd.DataFrame, project) -> pd.DataFrame:
    """Every vintage in TRACK_VINTAGES against the observed national population, and our own method from the
    same base years (``project(pop_up_to_base, regions, base, end)``, data up to the base year only).

    Columns: source (``ssb`` / ``omsorgsatlas``), vintage, alternative (MMMM/LLML/HHMH; ``""`` for ours), year,
    horizon (year − vintage, ≥ 1), age_group (TRACK_GROUPS), projected, observed, error_pct
    (100 · (projected / observed − 1), signed). Only years with an observed national population. The
    base year itself is checked (SSB's first year against ours, ±0.1 %) and left out."""
    obs = _observed_groups(pop)
    last_obs = int(obs["year"].max())
    first_obs = int(pop["year"].min())
    v = vintages[vintages["vintage"].isin(TRACK_VINTAGES)]
    ssb = _groups_from_vintages(v)
    m = ssb.merge(obs, on=["year", "age_group"], how="inner")
    base = m[m["year"] == m["vintage"]]
    off = (base["projected"] / base["observed"] - 1).abs() > 0.001
    if off.any():
        r = base[off].iloc[0]
        raise PipelineError(f"SSBs framskriving {int(r['vintage'])} starter ikke fra den registrerte befolkningen "
                            f"({r['age_group']}: {r['projected']:.0f} mot {r['observed']:.0f})")
    m = m[m["year"] > m["vintage"]].assign(source="ssb")
    ours = []
    for vintage in sorted(v["vintage"].unique()):
        hist = pop[pop["year"] <= vintage]
        if hist.loc[hist["level"] == "municipality", "year"].nunique() < 2 or vintage >= last_obs or vintage < first_obs:
            continue  # the 2005 vintage: no earlier year to take ratios from
        proj = project(hist, regions, int(vintage), last_obs)
        g = _our_groups(proj).assign(vintage=int(vintage), alternative="", source="omsorgsatlas")
        ours.append(g.merge(obs, on=["year", "age_group"], how="inner"))
    out = pd.concat([m] + ours, ignore_index=True)
    out["horizon"] = out["year"] - out["vintage"]
    out["error_pct"] = 100 * (out["projected"] / out["observed"] - 1)
    order = {name: i for i, (name, _, _) in enumerate(TRACK_GROUPS)}
    out = (out.assign(_s=out["source"].map({"ssb": 0, "omsorgsatlas": 1}), _g=out["age_group"].map(order))
           .sort_values(["_s", "vintage", "alternative", "_g", "year"]).drop(columns=["_s", "_g"]))
    out = out[["source", "vintage", "alternative", "year", "horizon", "age_group", "projected", "observed", "error_pct"]]
    return out.astype({"source": "str", "vintage": "int16", "alternative": "str", "year": "int16", "horizon": "int16",
                       "age_group": "str", "projected": "float64", "observed": "float64",
                       "error_pct": "float64"}).reset_index(drop=True)


def track_summary(track: pd.DataFrame, horizons=(1, 2, 5, 10, 15, 20)) -> pd.DataFrame:
    """Mean absolute and mean signed % error by source, age group and horizon over the vintages that reach it
    (SSB: main alternative MMMM only); n = number of vintages."""
    t = track[(track["alternative"].isin(["MMMM", ""])) & track["horizon"].isin(horizons)]
    g = t.groupby(["source", "age_group", "horizon"])["error_pct"]
    out = pd.DataFrame({"mean_abs_error_pct": g.apply(lambda s: float(np.mean(np.abs(s)))),
                        "mean_error_pct": g.mean(), "n": g.size()}).reset_index()
    return out


__all__ = ["read_vintages", "targets", "track_record", "track_summary", "parse_alternative", "parse_age",
           "ALTERNATIVES", "ALT_NAMES", "TRACK_GROUPS", "TRACK_VINTAGES", "FILE"]
