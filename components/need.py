"""«Hva kreves»: coverage input validation, projected need, table and CSV export. Pure: no Dash callbacks,
no store.

need(year) = coverage (per ``per`` inhabitants in the age base) × projected inhabitants in the age base(year).
Today's coverage is assumed to hold; the growth is measured from the last observed year (2026).
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass

from components.format import NBSP, format_number, format_percent

MAX_PER_1000 = 2000.0        # above 2 per inhabitant of the age group is not a plausible coverage
UNITS = {"per1000": 1000, "per100": 100}
UNIT_LABELS = {"per1000": "per 1 000 innbyggere", "per100": "per 100 innbyggere"}
AGE_BASES = {"80+": "80 år og over", "67+": "67 år og over", "90+": "90 år og over"}
WHAT = {
    "arsverk": ("årsverk", "Årsverk"),
    "mottakere": ("mottakere", "Mottakere"),
    "plasser": ("plasser", "Plasser"),
}
TARGET_YEARS = (2030, 2035, 2040)
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


@dataclass(frozen=True)
class Coverage:
    value: float      # in the chosen unit (per 1 000 or per 100)
    unit: str         # "per1000" | "per100"

    @property
    def per_person(self) -> float:
        return self.value / UNITS[self.unit]


def parse_number(text) -> float | None:
    """'12,5' / '12.5' / '1 234,5' / 12.5 -> float; anything else -> None. Never raises."""
    if isinstance(text, bool) or text is None:
        return None
    if isinstance(text, (int, float)):
        f = float(text)
        return f if math.isfinite(f) else None
    if not isinstance(text, str):
        return None
    t = text.strip().replace(NBSP, "").replace("\u202f", "").replace(" ", "")
    if not t or len(t) > 30 or not _NUMBER.match(t):
        return None
    f = float(t.replace(",", "."))
    return f if math.isfinite(f) else None


def validate_coverage(text, unit) -> tuple[Coverage | None, str | None]:
    """(Coverage, None) when usable, else (None, message in bokmål). Rejects empty, non-numeric, zero,
    negative and absurd values (more than 2 000 per 1 000, i.e. 200 per 100)."""
    if not isinstance(unit, str) or unit not in UNITS:  # a list/dict from the browser is unhashable
        return None, "Velg en enhet for dekningsgraden."
    if text is None or (isinstance(text, str) and not text.strip()):
        return None, "Skriv inn en dekningsgrad, for eksempel 350 (årsverk per 1 000 innbyggere 80+)."
    value = parse_number(text)
    if value is None:
        return None, "Dekningsgraden må være et tall, for eksempel 350 eller 12,5."
    if value < 0:
        return None, "Dekningsgraden kan ikke være negativ."
    if value == 0:
        return None, "Dekningsgraden må være større enn null."
    limit = MAX_PER_1000 * UNITS[unit] / 1000
    if value > limit:
        return None, (f"{format_number(value, 1 if value % 1 else 0)} {UNIT_LABELS[unit]} er ikke en rimelig "
                      f"dekningsgrad (høyst {format_number(limit)} {UNIT_LABELS[unit]}). Sjekk enheten.")
    return Coverage(value, unit), None


def need_rows(coverage: Coverage, population_by_year: dict[int, float], base_year: int,
              years=TARGET_YEARS) -> list[dict]:
    """One row per year (base year first): year, population, need, change and change_pct from the base year.
    Years without population are left out."""
    base_pop = population_by_year.get(base_year)
    if base_pop is None or not math.isfinite(base_pop):
        return []
    base_need = coverage.per_person * base_pop
    rows = []
    for y in (base_year, *years):
        p = population_by_year.get(y)
        if p is None or not math.isfinite(p):
            continue
        n = coverage.per_person * p
        rows.append({"year": int(y), "population": float(p), "need": n, "change": n - base_need,
                     "change_pct": (100 * (n / base_need - 1)) if base_need > 0 else float("nan"),
                     "projected": y > base_year})
    return rows


def format_input(value: float) -> str:
    """A typed value back in Norwegian form: 350 -> "350", 12.5 -> "12,5", 0.125 -> "0,13"."""
    if value % 1 == 0:
        return format_number(value)
    return format_number(value, 2).rstrip("0").rstrip(",")


def _signed(text: str, value: float) -> str:
    return ("+" if value > 0 and not text.startswith("-") else "") + text.replace("-", "\u2212")


def table_cells(rows: list[dict], what: str, age_base: str = "80+") -> tuple[list[str], list[list[str]]]:
    """Headers and formatted cells for the on-screen table."""
    noun = WHAT.get(what, WHAT["arsverk"])[1]
    headers = ["År", f"Innbyggere {age_base}", f"{noun} som trengs", "Endring fra i dag", "Endring i %"]
    cells = []
    for r in rows:
        year = f"{r['year']} (framskr.)" if r["projected"] else f"{r['year']} (i dag)"
        cells.append([year, format_number(r["population"]), format_number(r["need"]),
                      _signed(format_number(r["change"]), r["change"]) if r["projected"] else "–",
                      _signed(format_percent(r["change_pct"], 1), r["change_pct"]) if r["projected"] else "–"])
    return headers, cells


def _csv_number(value: float, decimals: int = 1) -> str:
    """CSV number for Norwegian spreadsheets: decimal comma, no thousands separator."""
    if value is None or not math.isfinite(value):
        return ""
    return f"{value:.{decimals}f}".replace(".", ",")


def to_csv(rows: list[dict], *, region_name: str, what: str, age_base: str, assumptions: list[str],
           source: str) -> str:
    """Semicolon-separated CSV (Excel in Norway), UTF-8 with BOM: the table, then assumptions and source as
    rows."""
    noun = WHAT.get(what, WHAT["arsverk"])[0]
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow([f"Hva kreves: {region_name}"])
    w.writerow(["År", "Framskrevet", f"Innbyggere {age_base}", f"Behov ({noun})", "Endring fra i dag",
                "Endring i %"])
    for r in rows:
        w.writerow([r["year"], "ja" if r["projected"] else "nei", _csv_number(r["population"]),
                    _csv_number(r["need"]), _csv_number(r["change"]) if r["projected"] else "",
                    _csv_number(r["change_pct"]) if r["projected"] else ""])
    w.writerow([])
    w.writerow(["Forutsetninger"])
    for a in assumptions:
        w.writerow([a])
    w.writerow([])
    w.writerow(["Kilde", source])
    return "\ufeff" + buf.getvalue()


def assumptions(*, coverage: Coverage, what: str, age_base: str, basis_text: str, base_year: int,
                variant_label: str) -> list[str]:
    """The assumptions, in bokmål, shown on screen and written to the CSV."""
    noun = WHAT.get(what, WHAT["arsverk"])[0]
    val = format_input(coverage.value)
    return [
        f"Dekningsgrad: {val} {noun} {UNIT_LABELS[coverage.unit]} {AGE_BASES.get(age_base, age_base)} "
        f"({basis_text}).",
        f"Dekningsgraden holdes uendret fra {base_year} til 2040 (samme tilbud per innbygger i aldersgruppen).",
        f"Behovet endres bare med antall innbyggere {AGE_BASES.get(age_base, age_base)}; endringer i helse, "
        "teknologi, arbeidsdeling, pårørendeomsorg og alderssammensetning innen gruppen er ikke med.",
        f"Befolkningen for {base_year} er registrert (SSB, 1. januar); årene etter er {variant_label.lower()}"
        if not variant_label.startswith("Omsorgsatlas") else
        f"Befolkningen for {base_year} er registrert (SSB, 1. januar); årene etter er Omsorgsatlas' egen "
        "framskriving (ikke SSBs framskriving).",
    ]
