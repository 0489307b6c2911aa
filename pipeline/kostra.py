"""KOSTRA care-service figures read offline from the raw mirror, through the same declarations as the online build.

Inputs (``../shared/data/raw/kostra/``, see SOURCES.md «kostra/»):
* ``ssb12005-fastlege-2015-2025.json`` — SSB table 12005 (GP lists), as fetched from SSB's API and published
  by FemtiGram/kart: ``kommuner.<code>.latest.<ContentsCode>`` = the value in ``latestYear`` (2025) and
  ``kommuner.<code>.trend.<ContentsCode>`` = [{year, value}] 2015–2025 for three ratios. Keys are the codes
  valid in each year, so a code that exists only since 2024 has only 2024–2025. Missing cells are left out.
* ``ssb12209-80pluss-hjemmetjenester-institusjon-2025.csv`` — two key figures of SSB table 12209 (2025, 2024
  codes), transcribed from Alksalt/omsorgsradar: ``coverage_rate_hjemmetj80_pct`` = ``KOShjtj80aarover0001``,
  ``inst_80_pct`` = ``KOSsykhjand80aar0000``, plus that project's ``pop_80plus_latest`` (SSB 07459, 1.1.2026).

Output: one :class:`online.FetchedTable` per declared table with an ``offline`` entry in
``pipeline/ssb_tables.toml``, whose ``frame`` has exactly the columns ``ssb_api.parse_jsonstat`` gives for a
JSON-stat2 response of that table (``KOKkommuneregion0000``, ``ContentsCode``, ``Tid``, ``value``, ``status``).
The indicators are then computed by the online build's engine (``online.build_indicators``): one set of
declarations and one computation for both paths, so an online build of the same cells gives the same rows.

Why the files are checked so closely: they are copies made by other projects. Every code must be a
4-digit municipality code, every ContentsCode one the table declares, every value a finite number, every
year 2015–2025; a trend point for the latest year must equal the ``latest`` value; and the 12209 file's own
80+ population must equal ours. SOURCES.md says that column is SSB 07459 on 1.1.2026, ages 80+; measured, it is
ages 80–**104**: it equals our 1.1.2026 population aged 80–104 for all 354 rows, while against ages 80–105+ it
is 1–47 persons short in 44 municipalities (Oslo 47). So the check compares with ages 80–104, and the
indicators' denominators and reconstructed numerators use our full 80+ (ages 80–105+), as KOSTRA defines it.
Anything else stops the build with the file, key and row named.
"""
from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pandas as pd

from .errors import PipelineError

REGION = "KOKkommuneregion0000"
CODE_RE = re.compile(r"^\d{4}$")
YEARS = range(2015, 2026)
COLUMNS = [REGION, "ContentsCode", "Tid", "value", "status"]


def _number(x, where: str, path: Path) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(float(x)):
        raise PipelineError(f"{where}: ventet et tall, fant {x!r}", path)
    return float(x)


def _year(x, where: str, path: Path) -> int:
    try:
        y = int(str(x))
    except ValueError:
        raise PipelineError(f"{where}: ugyldig år {x!r}", path) from None
    if y not in YEARS:
        raise PipelineError(f"{where}: året {y} er utenfor {YEARS.start}–{YEARS.stop - 1}", path)
    return y


def read_femtigram_12005(path: Path, contents: list[str]) -> pd.DataFrame:
    """The FemtiGram/kart copy of SSB 12005 -> long frame in parse_jsonstat's layout."""
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PipelineError(f"kan ikke lese filen ({exc})", path) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("kommuner"), dict) or "latestYear" not in doc:
        raise PipelineError("ventet et objekt med «latestYear» og «kommuner»", path)
    latest = _year(doc["latestYear"], "latestYear", path)
    known = set(contents)
    rows: dict[tuple[str, str, int], float] = {}
    for code, entry in doc["kommuner"].items():
        if not CODE_RE.match(str(code)):
            raise PipelineError(f"kommuner.{code}: ikke et firesifret kommunenummer", path)
        if not isinstance(entry, dict):
            raise PipelineError(f"kommuner.{code}: ventet et objekt", path)
        for cc, v in (entry.get("latest") or {}).items():
            where = f"kommuner.{code}.latest.{cc}"
            if cc not in known:
                raise PipelineError(f"{where}: ukjent ContentsCode (ikke deklarert for tabell 12005)", path)
            if v is None:
                continue
            rows[(code, cc, latest)] = _number(v, where, path)
        for cc, points in (entry.get("trend") or {}).items():
            if cc not in known:
                raise PipelineError(f"kommuner.{code}.trend.{cc}: ukjent ContentsCode", path)
            if not isinstance(points, list):
                raise PipelineError(f"kommuner.{code}.trend.{cc}: ventet en liste", path)
            for i, p in enumerate(points):
                where = f"kommuner.{code}.trend.{cc}[{i}]"
                if not isinstance(p, dict) or "year" not in p or "value" not in p:
                    raise PipelineError(f"{where}: ventet {{year, value}}", path)
                if p["value"] is None:
                    continue
                y, v = _year(p["year"], where, path), _number(p["value"], where, path)
                key = (code, cc, y)
                if key in rows and rows[key] != v:
                    raise PipelineError(f"{where}: {y} = {v:g}, men «latest» sier {rows[key]:g}", path)
                rows[key] = v
    if not rows:
        raise PipelineError("filen har ingen verdier", path)
    return _frame(rows)


def read_omsorgsradar_12209(path: Path, contents: list[str]) -> tuple[pd.DataFrame, pd.Series]:
    """The omsorgsradar transcription of SSB 12209 -> (long frame, that file's population 80+ per code)."""
    path = Path(path)
    cols = {"coverage_rate_hjemmetj80_pct": "KOShjtj80aarover0001", "inst_80_pct": "KOSsykhjand80aar0000"}
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise PipelineError(f"kan ikke lese filen ({exc})", path) from exc
    need = {"knr", "pop_80plus_latest", "latest_kostra_year", *cols}
    if not need <= set(df.columns):
        raise PipelineError(f"mangler kolonnene {sorted(need - set(df.columns))}", path)
    if not set(cols.values()) <= set(contents):
        raise PipelineError("tabell 12209 er ikke deklarert med begge nøkkeltallene", path)
    rows: dict[tuple[str, str, int], float] = {}
    pop80 = {}
    for i, r in df.iterrows():
        line = i + 2  # header is line 1
        code = r["knr"].strip()
        if not CODE_RE.match(code):
            raise PipelineError(f"linje {line}: «{code}» er ikke et firesifret kommunenummer", path)
        if code in pop80:
            raise PipelineError(f"linje {line}: kommunenummer {code} står to ganger", path)
        year = _year(r["latest_kostra_year"], f"linje {line}, latest_kostra_year", path)
        pop80[code] = _parse(r["pop_80plus_latest"], f"linje {line}, pop_80plus_latest", path)
        for col, cc in cols.items():
            v = _parse(r[col], f"linje {line}, {col}", path)
            if v is not None:
                if not 0 <= v <= 100:
                    raise PipelineError(f"linje {line}, {col}: {v:g} er ikke en prosentandel", path)
                rows[(code, cc, year)] = v
    if not rows:
        raise PipelineError("filen har ingen verdier", path)
    return _frame(rows), pd.Series(pop80, dtype="float64")


def _parse(text: str, where: str, path: Path) -> float | None:
    text = (text or "").strip()
    if text == "":
        return None
    try:
        v = float(text)
    except ValueError:
        raise PipelineError(f"{where}: «{text}» er ikke et tall", path) from None
    if not math.isfinite(v):
        raise PipelineError(f"{where}: «{text}» er ikke et endelig tall", path)
    return v


def _frame(rows: dict) -> pd.DataFrame:
    df = pd.DataFrame([(c, cc, str(y), v, "") for (c, cc, y), v in sorted(rows.items())], columns=COLUMNS)
    return df.astype({"value": "float64"})


def offline_tables(raw: Path, config: dict, pop80_check=None) -> list:
    """FetchedTable per declared table with an ``offline`` entry, read from the raw mirror.

    ``pop80_check(year) -> Series`` gives our population 80+ by 2024 code on 1 January of ``year``; the
    12209 file's own population column must equal it (SOURCES.md: it is SSB 07459 on 1.1.2026)."""
    from .online import FetchedTable
    out = []
    for t in config.get("table", []):
        off = t.get("offline")
        if not off:
            continue
        path = Path(raw) / off["file"]
        contents = list(t["select"].get("ContentsCode", []))
        if off["reader"] == "femtigram_12005":
            frame = read_femtigram_12005(path, contents)
        elif off["reader"] == "omsorgsradar_12209":
            frame, pop80 = read_omsorgsradar_12209(path, contents)
            if pop80_check is not None:
                year = int(frame["Tid"].max()) + 1
                ours = pop80_check(year).reindex(pop80.index)
                bad = pop80[(ours - pop80).abs() > 0.5]
                if len(bad):
                    c = bad.index[0]
                    raise PipelineError(f"pop_80plus_latest for {c} er {bad[c]:g}, men SSB 07459 1.1.{year} (80–104 år) gir "
                                        f"{ours[c]:g} ({len(bad)} kommuner avviker)", path)
        else:
            raise PipelineError(f"tabell {t['id']}: ukjent leser «{off['reader']}»")
        prov = dict(off)
        if off["reader"] == "omsorgsradar_12209" and pop80_check is not None:
            prov["population_check"] = (f"pop_80plus_latest = SSB 07459 1.1.{int(frame['Tid'].max()) + 1}, alder "
                                        f"80–104, for alle {len(pop80)} kommuner (ikke 105+)")
        out.append(FetchedTable(t, {}, frame, 0, [], provenance=prov))
    return out
