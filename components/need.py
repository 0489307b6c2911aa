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
from components.i18n import N_, _, current_lang

MAX_PER_1000 = 2000.0        # above 2 per inhabitant of the age group is not a plausible coverage
UNITS = {"per1000": 1000, "per100": 100}
# bokmål msgids, translated where shown: _(UNIT_LABELS[u]), _(AGE_BASES[a]), _(WHAT[w][0])
UNIT_LABELS = {"per1000": N_("per 1 000 innbyggere"), "per100": N_("per 100 innbyggere")}
AGE_BASES = {"80+": N_("80 år og over"), "67+": N_("67 år og over"), "90+": N_("90 år og over")}
WHAT = {
    "arsverk": (N_("årsverk"), N_("Årsverk")),
    "mottakere": (N_("mottakere"), N_("Mottakere")),
    "plasser": (N_("plasser"), N_("Plasser")),
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


def what_noun(what: str) -> str:
    """«årsverk» / «mottakere» / «plasser» in the UI language."""
    noun = WHAT.get(what, WHAT["arsverk"])[0]
    return _(noun)


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
    """(Coverage, None) when usable, else (None, message in the UI language). Rejects empty, non-numeric, zero,
    negative and absurd values (more than 2 000 per 1 000, i.e. 200 per 100)."""
    if not isinstance(unit, str) or unit not in UNITS:  # a list/dict from the browser is unhashable
        return None, _("Velg en enhet for dekningsgraden.")
    if text is None or (isinstance(text, str) and not text.strip()):
        return None, _("Skriv inn en dekningsgrad, for eksempel 350 (årsverk per 1 000 innbyggere 80+).")
    value = parse_number(text)
    if value is None:
        return None, _("Dekningsgraden må være et tall, for eksempel 350 eller 12,5.")
    if value < 0:
        return None, _("Dekningsgraden kan ikke være negativ.")
    if value == 0:
        return None, _("Dekningsgraden må være større enn null.")
    limit = MAX_PER_1000 * UNITS[unit] / 1000
    if value > limit:
        return None, _("{value} {unit} er ikke en rimelig dekningsgrad (høyst {limit} {unit}). Sjekk enheten.").format(
            value=format_number(value, 1 if value % 1 else 0), unit=_(UNIT_LABELS[unit]), limit=format_number(limit))
    return Coverage(value, unit), None


def need_rows(coverage: Coverage, population_by_year: dict[int, float], base_year: int,
              years=TARGET_YEARS, band: tuple[dict[int, float], dict[int, float]] | None = None) -> list[dict]:
    """One row per year (base year first): year, population, need, change and change_pct from the base year.
    Years without population are left out. With ``band`` (low and high population by year, e.g. SSB's low
    and high alternatives) projected rows also get need_low and need_high."""
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
        row = {"year": int(y), "population": float(p), "need": n, "change": n - base_need,
               "change_pct": (100 * (n / base_need - 1)) if base_need > 0 else float("nan"),
               "projected": y > base_year}
        if band is not None and y > base_year:
            lo, hi = band[0].get(y), band[1].get(y)
            if lo is not None and hi is not None and math.isfinite(lo) and math.isfinite(hi):
                row["need_low"], row["need_high"] = coverage.per_person * lo, coverage.per_person * hi
        rows.append(row)
    return rows


def has_band(rows: list[dict]) -> bool:
    return any("need_low" in r for r in rows)


def band_cell(r: dict) -> str:
    if "need_low" not in r:
        return "–"
    return f"{format_number(r['need_low'])}–{format_number(r['need_high'])}"


def format_input(value: float) -> str:
    """A typed value back in Norwegian form: 350 -> "350", 12.5 -> "12,5", 0.125 -> "0,13"."""
    if value % 1 == 0:
        return format_number(value)
    return format_number(value, 2).rstrip("0").rstrip(",.")


def _signed(text: str, value: float) -> str:
    return ("+" if value > 0 and not text.startswith("-") else "") + text.replace("-", "\u2212")


def table_cells(rows: list[dict], what: str, age_base: str = "80+") -> tuple[list[str], list[list[str]]]:
    """Headers and formatted cells for the on-screen table."""
    noun = _(WHAT.get(what, WHAT["arsverk"])[1])
    headers = [_("År"), _("Innbyggere {age}").format(age=age_base), _("{what} som trengs").format(what=noun),
               _("Endring fra i dag"), _("Endring i %")]
    band = has_band(rows)
    if band:
        headers.append(_("Lav–høy alternativ"))
    cells = []
    for r in rows:
        year = (_("{year} (framskr.)") if r["projected"] else _("{year} (i dag)")).format(year=r["year"])
        cells.append([year, format_number(r["population"]), format_number(r["need"]),
                      _signed(format_number(r["change"]), r["change"]) if r["projected"] else "–",
                      _signed(format_percent(r["change_pct"], 1), r["change_pct"]) if r["projected"] else "–"]
                     + ([band_cell(r)] if band else []))
    return headers, cells


def _csv_number(value: float, decimals: int = 1) -> str:
    """CSV number: decimal comma (bokmål, for Norwegian spreadsheets) or point (English); no thousands separator."""
    if value is None or not math.isfinite(value):
        return ""
    text = f"{value:.{decimals}f}"
    return text if current_lang() == "en" else text.replace(".", ",")


def to_csv(rows: list[dict], *, region_name: str, what: str, age_base: str, assumptions: list[str],
           source: str) -> str:
    """Semicolon-separated CSV (Excel in Norway), UTF-8 with BOM: the table, then assumptions and source as
    rows."""
    noun = _(WHAT.get(what, WHAT["arsverk"])[0])
    buf = io.StringIO()
    w = csv.writer(buf, delimiter="," if current_lang() == "en" else ";", lineterminator="\r\n")
    w.writerow([_("Hva kreves: {region}").format(region=region_name)])
    band = has_band(rows)
    w.writerow([_("År"), _("Framskrevet"), _("Innbyggere {age}").format(age=age_base),
                _("Behov ({what})").format(what=noun), _("Endring fra i dag"), _("Endring i %")]
               + ([_("Behov, lavt alternativ"), _("Behov, høyt alternativ")] if band else []))
    for r in rows:
        w.writerow([r["year"], _("ja") if r["projected"] else _("nei"), _csv_number(r["population"]),
                    _csv_number(r["need"]), _csv_number(r["change"]) if r["projected"] else "",
                    _csv_number(r["change_pct"]) if r["projected"] else ""]
                   + ([_csv_number(r.get("need_low")), _csv_number(r.get("need_high"))] if band else []))
    w.writerow([])
    w.writerow([_("Forutsetninger")])
    for a in assumptions:
        w.writerow([a])
    w.writerow([])
    w.writerow([_("Kilde"), source])
    return "\ufeff" + buf.getvalue()


def assumptions(*, coverage: Coverage, what: str, age_base: str, basis_text: str, base_year: int,
                variant_label: str, band_text: str | None = None) -> list[str]:
    """The assumptions, in the UI language, shown on screen and written to the CSV. ``band_text`` says which
    alternative the headline uses and what the low–high column is (None: no band)."""
    noun = _(WHAT.get(what, WHAT["arsverk"])[0])
    val = format_input(coverage.value)
    age = _(AGE_BASES[age_base]) if age_base in AGE_BASES else age_base
    return [
        _("Dekningsgrad: {value} {what} {unit} {age} ({basis}).").format(
            value=val, what=noun, unit=_(UNIT_LABELS[coverage.unit]), age=age, basis=basis_text),
        _("Dekningsgraden holdes uendret fra {year} til 2040 (samme tilbud per innbygger i aldersgruppen).").format(
            year=base_year),
        _("Behovet endres bare med antall innbyggere {age}; endringer i helse, teknologi, arbeidsdeling, "
          "pårørendeomsorg og alderssammensetning innen gruppen er ikke med.").format(age=age),
        _("Befolkningen for {year} er registrert (SSB, 1. januar); årene etter er {variant}").format(
            year=base_year, variant=variant_label.lower())
        if not variant_label.startswith("Omsorgsatlas") else
        _("Befolkningen for {year} er registrert (SSB, 1. januar); årene etter er {variant}.").format(
            year=base_year, variant=variant_label),
    ] + ([band_text] if band_text else [])


# ------------------------------------------------------------------------------------------ KOSTRA coverage
# «Med dagens dekning» (issue 11): the municipality's own 2025 coverage from SSB KOSTRA 12209 × its projected
# 80+. Each entry: catalogue indicator id (a share of residents 80+, %), what it counts (bokmål msgids).
KOSTRA_COVERAGE = (
    ("kostra_hjemmetj_80plus", N_("Mottakere av hjemmetjenester 80+"), N_("mottakere av hjemmetjenester")),
    ("kostra_institusjon_80plus", N_("Beboere i institusjon 80+"), N_("beboere med institusjonsopphold")),
)
COVERAGE_BASES = {"egen": N_("Egen dekning"), "fylke": N_("Fylkets dekning"), "land": N_("Landets dekning")}


@dataclass(frozen=True)
class ServiceCoverage:
    indicator_id: str
    share_pct: float | None      # None: no figure for the chosen basis (a gap, never filled)
    where: str                   # whose coverage: region name, county name, «landet»
    level: str                   # "egen" / "fylke" / "land": the basis actually used for this service
    year: int | None
    note: str = ""               # why the basis differs from the one asked for, or why there is no figure


def coverage_need_rows(services: list[ServiceCoverage], population_by_year: dict[int, float], base_year: int,
                       band: tuple[dict[int, float], dict[int, float]] | None = None,
                       years=TARGET_YEARS) -> list[dict]:
    """One row per year (base year first): year, population (80+), projected (bool) and per service
    ``need[indicator_id]`` = share × population (None without a share), with ``low``/``high`` from the band in
    projected years. The base-year need is the reconstructed number today (share × today's 80+)."""
    rows = []
    for y in (base_year, *years):
        p = population_by_year.get(y)
        if p is None or not math.isfinite(p):
            continue
        row = {"year": int(y), "population": float(p), "projected": y > base_year, "need": {}, "low": {}, "high": {}}
        for s in services:
            if s.share_pct is None:
                row["need"][s.indicator_id] = None
                continue
            f = s.share_pct / 100.0
            row["need"][s.indicator_id] = f * p
            if band is not None and y > base_year and y in band[0] and y in band[1]:
                row["low"][s.indicator_id], row["high"][s.indicator_id] = f * band[0][y], f * band[1][y]
        rows.append(row)
    return rows


def coverage_table_cells(rows: list[dict], services: list[ServiceCoverage], labels: dict[str, str]) -> tuple[
        list[str], list[list[str]]]:
    """Headers and cells: År | Innbyggere 80+ | per service: number needed, lav–høy."""
    headers = [_("År"), _("Innbyggere 80+")]
    for s in services:
        headers += [_(labels[s.indicator_id]), _("{what}: lav–høy").format(what=_(labels[s.indicator_id]))]
    cells = []
    for r in rows:
        year = (_("{year} (framskr.)") if r["projected"] else _("{year} (i dag)")).format(year=r["year"])
        row = [year, format_number(r["population"])]
        for s in services:
            n = r["need"].get(s.indicator_id)
            row.append(format_number(n) if n is not None else "–")
            lo, hi = r["low"].get(s.indicator_id), r["high"].get(s.indicator_id)
            row.append(f"{format_number(lo)}–{format_number(hi)}" if lo is not None and hi is not None else "–")
        cells.append(row)
    return headers, cells


def coverage_assumptions(services: list[ServiceCoverage], labels_lower: dict[str, str], *, base_year: int,
                         variant_label: str, band_text: str | None) -> list[str]:
    """Method and assumptions of the KOSTRA block, in the UI language."""
    out = []
    for s in services:
        what = _(labels_lower[s.indicator_id])
        if s.share_pct is None:
            text = _("{what}: ingen dekningsgrad å bruke ({note}).").format(what=what, note=s.note or _("mangler"))
            out.append(text[:1].upper() + text[1:])
            continue
        text = _("{what}: {share} av innbyggerne 80 år og over i {year} ({where}; SSB KOSTRA, tabell 12209).").format(
            what=what, share=format_percent(s.share_pct, 1), year=s.year, where=s.where)
        out.append(text[:1].upper() + text[1:] + (" " + s.note if s.note else ""))
    out += [
        _("Antallet i {year} er rekonstruert som andel × innbyggere 80+ 1. januar {year}: SSB publiserer bare "
          "andelen, ikke antallet.").format(year=base_year),
        _("Dekningen holdes uendret til 2040; behovet endres bare med antall innbyggere 80 år og over. Endringer "
          "i helse, tilbud, teknologi og alderssammensetningen innen 80+ er ikke med."),
        _("Hjemmetjenester og institusjon telles hver for seg og kan ikke legges sammen: én person kan ha begge i "
          "løpet av året."),
        _("Innbyggere 80+ etter {year}: {variant}.").format(year=base_year, variant=variant_label),
    ]
    if band_text:
        out.append(band_text)
    return out
