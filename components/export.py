"""Data export of the table behind a chart: CSV and Excel (.xlsx). Pure builders (pandas + openpyxl, no Dash).

Every page builds an ``ExportTable`` (columns with Norwegian names and units, rows, title and metadata)
and turns it into bytes with ``to_csv`` or ``to_xlsx``; the callback hands the bytes to dcc.Download.

CSV (for Excel with Norwegian settings and for pandas):
  UTF-8 with BOM, ``;`` as separator, decimal comma, no thousands separator, CRLF line ends. A header
  block of ``CSV_HEADER_ROWS`` «key;value» lines (Tittel, Enhet, Kilde, Lisens, Dato dd.mm.yyyy,
  Permalenke) and one empty line come before the table, so
  ``pd.read_csv(io.BytesIO(b), sep=";", decimal=",", skiprows=CSV_SKIP_ROWS, encoding="utf-8-sig")``
  reads the table back. Missing values are empty cells. Region codes are written as they are ("0301");
  pass ``dtype=str`` for the code column to keep the leading zero (Excel drops it from CSV; the .xlsx
  stores codes as text).

Excel: sheet «Data» with the column names in row 1, the units in row 2 and the values from row 3
(numbers stay numbers, rounded to and shown with the indicator's decimals, as on screen); sheet «Kilde» with title, unit, source,
licence, definition, notes, date and permalink.

Text cells that a spreadsheet would run as a formula (leading ``= + - @``) are neutralised.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import math
import re
from dataclasses import dataclass, field
from typing import Any, Sequence

import pandas as pd

from components.format import format_date
from components.i18n import N_, _, current_lang, pick

CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_HEADER_ROWS = 6  # Tittel, Enhet, Kilde, Lisens, Dato, Permalenke
CSV_SKIP_ROWS = CSV_HEADER_ROWS + 1  # + the empty line before the table
# bokmål names (msgids); the files are written in the UI language: _(DATA_SHEET), _(SOURCE_SHEET), ...
# English files: sheet «Source», English column names and keys, comma-separated CSV with a decimal point.
DATA_SHEET = N_("Data")
SOURCE_SHEET = N_("Kilde")
LEVEL_NB = {"county": (N_("Fylke"), N_("Fylkesnummer")), "municipality": (N_("Kommune"), N_("Kommunenummer"))}

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_LINE_BREAKS = re.compile(r"[\r\n]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Column:
    """One column: Norwegian name, unit (the Excel units row) and, for numbers, the decimals shown."""

    name: str
    unit: str = ""
    decimals: int | None = None  # None = text column

    @property
    def numeric(self) -> bool:
        return self.decimals is not None


@dataclass(frozen=True)
class ExportTable:
    title: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]
    unit: str = ""
    source: str = ""
    licence: str = ""
    source_url: str = ""
    definition: str = ""
    notes: str = ""
    date: _dt.date = field(default_factory=_dt.date.today)
    permalink: str = ""


def today_oslo() -> _dt.date:
    """Today's date in Norway (the server may run in UTC)."""
    try:
        from zoneinfo import ZoneInfo
        return _dt.datetime.now(ZoneInfo("Europe/Oslo")).date()
    except Exception:  # pragma: no cover - no tz database
        return _dt.date.today()


def _number(v) -> float | None:
    if v is None or isinstance(v, bool):
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) or math.isinf(f) else f


def safe_text(v) -> str:
    """A text cell: one line, no control characters, never read as a formula by a spreadsheet."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    text = _CONTROL.sub("", _LINE_BREAKS.sub(" ", str(v))).strip()
    if text.startswith(_FORMULA_START):
        text = "'" + text
    return text


def csv_number(v, decimals: int | None) -> str:
    """1234.56 -> '1234,6' (decimals=1); missing -> ''. No thousands separator (machine-readable)."""
    f = _number(v)
    if f is None:
        return ""
    if decimals is None:
        text = repr(f)
        text = text[:-2] if text.endswith(".0") else text
    else:
        text = f"{round(f, int(decimals)):.{int(decimals)}f}"
    if text in ("-0", "-0.0") or re.fullmatch(r"-0\.0+", text):
        text = text[1:]
    return text if current_lang() == "en" else text.replace(".", ",")


def _cell_csv(v, col: Column) -> str:
    return csv_number(v, col.decimals) if col.numeric else safe_text(v)


def metadata(table: ExportTable) -> list[tuple[str, str]]:
    """The key/value pairs of the CSV header block (in order)."""
    source = table.source + (f" ({table.source_url})" if table.source_url else "")
    return [(_("Tittel"), table.title), (_("Enhet"), table.unit), (_("Kilde"), source), (_("Lisens"), table.licence),
            (_("Dato"), format_date(table.date)), (_("Permalenke"), table.permalink)]


def to_csv(table: ExportTable) -> bytes:
    """CSV bytes: UTF-8 with BOM, semicolons, decimal comma, header block, then the table."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter="," if current_lang() == "en" else ";", lineterminator="\r\n",
                   quoting=csv.QUOTE_MINIMAL)
    for key, value in metadata(table):
        w.writerow([key, safe_text(value)])
    w.writerow([])
    w.writerow([safe_text(c.name) for c in table.columns])
    for row in table.rows:
        w.writerow([_cell_csv(v, c) for v, c in zip(row, table.columns)])
    return buf.getvalue().encode("utf-8-sig")


def _number_format(decimals: int) -> str:
    return "0" if decimals <= 0 else "0." + "0" * decimals


def to_xlsx(table: ExportTable) -> bytes:
    """Excel workbook bytes: «Data» (names, units row, values) and «Kilde» (source sheet)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = _(DATA_SHEET)

    def put(sheet, row: int, col: int, value, *, numeric: bool = False, decimals: int = 0):
        if numeric:
            f = _number(value)
            cell = sheet.cell(row=row, column=col, value=None if f is None else round(f, decimals))
            if cell.value is not None:
                cell.number_format = _number_format(decimals)
        else:
            cell = sheet.cell(row=row, column=col, value=safe_text(value) or None)
            if cell.value is not None:
                cell.data_type = "s"  # never a formula
        return cell

    for j, col in enumerate(table.columns, start=1):
        put(ws, 1, j, col.name).font = Font(bold=True)
        unit_cell = put(ws, 2, j, col.unit)
        unit_cell.font = Font(italic=True)
        if col.numeric:
            ws.cell(row=1, column=j).alignment = Alignment(horizontal="right")
            unit_cell.alignment = Alignment(horizontal="right")
    for i, row in enumerate(table.rows, start=3):
        for j, (value, col) in enumerate(zip(row, table.columns), start=1):
            put(ws, i, j, value, numeric=col.numeric, decimals=col.decimals or 0)
    ws.freeze_panes = "A3"
    for j, col in enumerate(table.columns, start=1):
        longest = max([len(col.name), len(col.unit)] + [len(safe_text(r[j - 1])) for r in table.rows[:500]
                                                        if j - 1 < len(r) and not col.numeric] + [8])
        ws.column_dimensions[get_column_letter(j)].width = min(60, longest + 2)

    src = wb.create_sheet(_(SOURCE_SHEET))
    pairs = [(_("Tittel"), table.title), (_("Enhet"), table.unit), (_("Kilde"), table.source),
             (_("Kilde-URL"), table.source_url), (_("Lisens"), table.licence), (_("Definisjon"), table.definition),
             (_("Merknader"), table.notes), (_("Dato"), format_date(table.date)), (_("Permalenke"), table.permalink),
             (_("Laget med"), "Omsorgsatlas")]
    for i, (key, value) in enumerate(pairs, start=1):
        put(src, i, 1, key).font = Font(bold=True)
        put(src, i, 2, value).alignment = Alignment(wrap_text=True, vertical="top")
        src.cell(row=i, column=1).alignment = Alignment(vertical="top")
    src.column_dimensions["A"].width = 14
    src.column_dimensions["B"].width = 100

    wb.properties.title = safe_text(table.title)[:255]
    wb.properties.creator = "Omsorgsatlas"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def filename(*parts: Any, ext: str) -> str:
    """'omsorgsatlas-kart-share_80plus-46-2024.csv': safe characters only."""
    clean = [re.sub(r"[^A-Za-z0-9_]+", "-", str(p)).strip("-") for p in ("omsorgsatlas", *parts) if p not in (None, "")]
    return "-".join(c for c in clean if c) + "." + ext


# --------------------------------------------------------------------------- tables behind the charts
def _meta(ind: dict) -> dict:
    return {"unit": str(pick(ind, "unit") or ind.get("unit") or ""), "source": str(ind.get("source") or ""),
            "licence": str(ind.get("licence") or ""), "source_url": str(ind.get("source_url") or ""),
            "definition": str(pick(ind, "definition") or ""), "notes": str(ind.get("notes") or "")}


def rank_export(frame: pd.DataFrame, *, ind: dict, level: str, year: int, place: str, show_county: bool,
                date: _dt.date, permalink: str = "") -> ExportTable:
    """The ranked table behind the map (frame = store.values(...)): rank, code, name, [county], year, value."""
    from components.tables import rank_rows  # same ranking as the table on screen

    name_col, code_col = (_(n) for n in LEVEL_NB.get(level, (N_("Region"), N_("Regionnummer"))))
    meta = _meta(ind)
    dec = int(ind.get("decimals") or 0)
    columns = [Column(_("Rang"), decimals=0), Column(code_col), Column(name_col)]
    columns += [Column(_("Fylke"))] if show_county else []
    columns += [Column(_("År"), decimals=0), Column(str(pick(ind, "name") or _("Verdi")), meta["unit"], dec)]
    rows = []
    if frame is not None and not frame.empty:
        for r in rank_rows(frame).itertuples():
            rows.append([_number(r.rank), r.region_code, r.name] + ([r.county_name] if show_county else [])
                        + [int(year), _number(r.value)])
    what = _("fylker") if level == "county" else _("kommuner")
    title = f"{pick(ind, 'name')} – {what}, {place}, {year}"
    return ExportTable(title=title, columns=columns, rows=rows, date=date, permalink=permalink, **meta)


def trend_export(series: pd.DataFrame, *, ind: dict, codes: Sequence[str], title: str, date: _dt.date,
                 permalink: str = "") -> ExportTable:
    """The table behind the trend chart (series = store.series(...)): År and one column per region."""
    meta = _meta(ind)
    dec = int(ind.get("decimals") or 0)
    codes = [c for c in codes if series is not None and (series["region_code"] == c).any()]
    names = dict(zip(series["region_code"], series["name"])) if series is not None else {}
    columns = [Column(_("År"), decimals=0)] + [Column(str(names[c]), meta["unit"], dec) for c in codes]
    rows = []
    if codes:
        wide = series.pivot_table(index="year", columns="region_code", values="value", aggfunc="first",
                                  dropna=False).reindex(columns=codes)
        for y in sorted(series["year"].unique()):
            vals = wide.loc[y] if y in wide.index else pd.Series(dtype=float)
            rows.append([int(y)] + [_number(vals.get(c)) for c in codes])
    return ExportTable(title=title, columns=columns, rows=rows, date=date, permalink=permalink, **meta)
