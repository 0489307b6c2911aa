"""components/export.py: CSV and Excel bytes read back with pandas / openpyxl."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from components import export
from components.export import Column, ExportTable


@pytest.fixture
def table() -> ExportTable:
    return ExportTable(
        title="Andel 80 år og over – kommuner, Oslo; test, 2024",
        columns=[Column("Rang", decimals=0), Column("Kommunenummer"), Column("Kommune"), Column("År", decimals=0),
                 Column("Andel 80 år og over", "%", 1)],
        rows=[[1, "0301", "Oslo", 2024, 1234.56], [2, "4601", "Bergen", 2024, 4.44],
              [None, "5001", "=HYPERLINK(\"x\")", 2024, None], [3, "1103", "Stavanger", 2024, -0.01]],
        unit="%", source="SSB, tabell 07459", licence="NLOD 2.0", source_url="https://www.ssb.no/statbank/table/07459",
        definition="Innbyggere 80 år og over som prosent av alle innbyggere.", notes="Harmonisert\ntil 2024-grenser.",
        date=dt.date(2024, 3, 5), permalink="https://example.test/?indikator=share_80plus&niva=kommune&ar=2024",
    )


def test_csv_has_bom_header_block_and_parses_back(table):
    data = export.to_csv(table)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0] == 'Tittel;"Andel 80 år og over – kommuner, Oslo; test, 2024"'  # quoted: it holds a ";"
    head = dict(line.split(";", 1) for line in lines[1:export.CSV_HEADER_ROWS])
    assert head["Enhet"] == "%"
    assert head["Kilde"].startswith("SSB, tabell 07459") and "https://www.ssb.no" in head["Kilde"]
    assert head["Lisens"] == "NLOD 2.0"
    assert head["Dato"] == "05.03.2024"
    assert head["Permalenke"].startswith("https://example.test/?indikator=share_80plus")
    assert lines[export.CSV_HEADER_ROWS] == ""

    df = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", skiprows=export.CSV_SKIP_ROWS, encoding="utf-8-sig",
                     dtype={"Kommunenummer": str})
    assert list(df.columns) == ["Rang", "Kommunenummer", "Kommune", "År", "Andel 80 år og over"]
    assert list(df["Kommunenummer"]) == ["0301", "4601", "5001", "1103"]
    assert df["Andel 80 år og over"].tolist()[:2] == [1234.6, 4.4]  # decimal comma, no thousands separator
    assert pd.isna(df["Andel 80 år og over"][2]) and pd.isna(df["Rang"][2])
    assert df["Andel 80 år og over"][3] == 0.0  # "-0,0" is written as "0,0"
    assert df["Kommune"][2].startswith("'=")  # never a formula in Excel
    assert "1234,6" in text and "1 234" not in text


def test_csv_title_with_separator_and_newline_stays_one_line(table):
    lines = export.to_csv(table).decode("utf-8-sig").split("\r\n")
    assert len([ln for ln in lines if ln]) == export.CSV_HEADER_ROWS + 1 + len(table.rows)


def test_xlsx_has_names_units_row_values_and_source_sheet(table):
    wb = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(table)))
    assert wb.sheetnames == ["Data", "Kilde"]
    ws = wb["Data"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0] == ["Rang", "Kommunenummer", "Kommune", "År", "Andel 80 år og over"]
    assert rows[1] == [None, None, None, None, "%"]  # the units row
    assert rows[2] == [1, "0301", "Oslo", 2024, 1234.6]  # codes stay text, numbers stay numbers
    assert rows[3][4] == 4.4
    assert rows[4][0] is None and rows[4][4] is None
    assert ws.cell(row=5, column=3).data_type == "s"  # the «=HYPERLINK» text is not a formula
    assert ws.cell(row=3, column=5).number_format == "0.0"
    assert ws.freeze_panes == "A3"
    src = {r[0].value: r[1].value for r in wb["Kilde"].iter_rows()}
    assert src["Kilde"] == "SSB, tabell 07459"
    assert src["Kilde-URL"] == "https://www.ssb.no/statbank/table/07459"
    assert src["Lisens"] == "NLOD 2.0"
    assert src["Definisjon"].startswith("Innbyggere 80 år")
    assert src["Merknader"] == "Harmonisert til 2024-grenser."
    assert src["Dato"] == "05.03.2024"
    assert src["Enhet"] == "%"
    assert src["Permalenke"].startswith("https://example.test/")
    assert wb.properties.title.startswith("Andel 80 år")


def test_empty_table_still_writes_valid_files():
    t = ExportTable(title="Tom", columns=[Column("År", decimals=0), Column("Verdi", "%", 1)], rows=[],
                    date=dt.date(2024, 1, 1))
    df = pd.read_csv(io.BytesIO(export.to_csv(t)), sep=";", decimal=",", skiprows=export.CSV_SKIP_ROWS)
    assert list(df.columns) == ["År", "Verdi"] and df.empty
    wb = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(t)))
    assert [c.value for c in wb["Data"][2]] == [None, "%"]


@pytest.mark.parametrize("value,decimals,expected", [
    (1234.56, 1, "1234,6"), (0.05, 1, "0,1"), (None, 1, ""), (float("nan"), 0, ""), (float("inf"), 0, ""),
    (7, 0, "7"), (2.5, None, "2,5"), (-0.04, 1, "0,0"),
])
def test_csv_number(value, decimals, expected):
    assert export.csv_number(value, decimals) == expected


def test_trend_export_is_wide_with_one_column_per_region():
    series = pd.DataFrame({"region_code": ["4601", "4601", "NO", "NO"], "name": ["Bergen", "Bergen", "Norge", "Norge"],
                           "level": ["municipality"] * 2 + ["country"] * 2, "year": [2023, 2024, 2023, 2024],
                           "value": [4.4, None, 4.2, 4.3]})
    ind = {"unit_nb": "%", "decimals": 1, "source": "SSB", "licence": "NLOD 2.0", "name_nb": "Andel 80+"}
    t = export.trend_export(series, ind=ind, codes=["4601", "NO"], title="T", date=dt.date(2024, 1, 1))
    assert [c.name for c in t.columns] == ["År", "Bergen", "Norge"]
    assert [c.unit for c in t.columns] == ["", "%", "%"]
    assert t.rows == [[2023, 4.4, 4.2], [2024, None, 4.3]]


def test_filename_is_safe():
    assert export.filename("kart", "share_80plus", "kommune", None, 2024, ext="csv") == \
        "omsorgsatlas-kart-share_80plus-kommune-2024.csv"
    assert export.filename("kart", "../../etc/passwd", ext="xlsx") == "omsorgsatlas-kart-etc-passwd.xlsx"
