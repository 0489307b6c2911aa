"""Download callbacks of «Kart og trender» (callbacks/overview_share.py) called as plain functions with the
real data/. Expected values come from data/*.parquet directly."""
from __future__ import annotations

import base64
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from dash.exceptions import PreventUpdate

import store
from callbacks import overview_share as sh
from components import export

DATA = Path(__file__).resolve().parents[2] / "data"
IND = "share_80plus"



@pytest.fixture(scope="module")
def values() -> pd.DataFrame:
    ind = pd.read_parquet(DATA / "indicators.parquet")
    return ind[ind["indicator_id"] == IND] if "indicator_id" in ind.columns else ind[ind["indicator"] == IND]


def payload(out: dict) -> bytes:
    assert out["base64"] is True
    return base64.b64decode(out["content"])


def read_csv(out: dict) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(payload(out)), sep=";", decimal=",", skiprows=export.CSV_SKIP_ROWS,
                       encoding="utf-8-sig", dtype={"Kommunenummer": str, "Fylkesnummer": str})


def header(out: dict) -> dict[str, str]:
    lines = payload(out).decode("utf-8-sig").split("\r\n")[: export.CSV_HEADER_ROWS]
    return dict(line.split(";", 1) for line in lines)


def test_map_csv_is_the_ranked_table_of_the_county(regions):
    out = sh.download_map_csv(1, IND, "kommune", "46", 2024, "4601",
                              "https://atlas.example/?indikator=x")
    assert out["filename"] == "omsorgsatlas-kart-share_80plus-kommune-46-2024.csv"
    assert out["type"].startswith("text/csv")
    df = read_csv(out)
    munis = regions[(regions["level"] == "municipality") & (regions["county_code"] == "46")]
    assert set(df["Kommunenummer"]) == set(munis["region_code"])
    assert list(df.columns) == ["Rang", "Kommunenummer", "Kommune", "År", "Andel 80 år og over"]
    assert (df["År"] == 2024).all()
    vals = df["Andel 80 år og over"].dropna()
    assert vals.is_monotonic_decreasing and df["Rang"].iloc[0] == 1
    h = header(out)
    assert h["Tittel"] == "Andel 80 år og over – kommuner, Vestland, 2024"
    assert h["Enhet"] == "%" and h["Lisens"] == "NLOD 2.0" and h["Kilde"].startswith("SSB")
    # permalink: host from the browser's address, query rebuilt from the validated view
    assert h["Permalenke"] == ("https://atlas.example/?indikator=share_80plus&niva=kommune&fylke=46&kommune=4601"
                               "&ar=2024")


def test_map_values_match_the_data(values):
    df = read_csv(sh.download_map_csv(1, IND, "fylke", None, 2024, None, None))
    assert len(df) == 15 and "Fylkesnummer" in df.columns
    col = [c for c in values.columns if c in ("region_code",)][0]
    expected = values[(values["year"] == 2024)].set_index(col)["value"]
    for r in df.itertuples():
        assert r[5] == pytest.approx(round(float(expected[r.Fylkesnummer]), 1), abs=1e-9)


def test_map_whole_country_has_a_county_column_and_every_municipality(regions):
    df = read_csv(sh.download_map_csv(1, IND, "kommune", "NO", None, None, None))
    assert "Fylke" in df.columns
    assert len(df) == int((regions["level"] == "municipality").sum())


def test_map_xlsx_has_units_row_and_source_sheet():
    out = sh.download_map_xlsx(3, IND, "kommune", "03", 2024, None, None)
    assert out["filename"].endswith(".xlsx") and out["type"] == export.XLSX_MIME
    wb = openpyxl.load_workbook(io.BytesIO(payload(out)))
    ws = wb["Data"]
    assert [c.value for c in ws[1]] == ["Rang", "Kommunenummer", "Kommune", "År", "Andel 80 år og over"]
    assert [c.value for c in ws[2]][-1] == "%"
    assert [c.value for c in ws[3]][1:3] == ["0301", "Oslo-Oslove"]  # the only municipality in county 03
    src = {r[0].value: r[1].value for r in wb["Kilde"].iter_rows()}
    assert src["Lisens"] == "NLOD 2.0" and src["Definisjon"] and src["Dato"].count(".") == 2
    assert src["Permalenke"].endswith("?indikator=share_80plus&niva=kommune&fylke=03&ar=2024")


def test_trend_csv_and_xlsx_have_one_column_per_line():
    out = sh.download_trend_csv(1, IND, "kommune", "46", 2024, "4601", None)
    assert out["filename"] == "omsorgsatlas-utvikling-share_80plus-4601.csv"
    df = read_csv(out)
    assert list(df.columns) == ["År", "Bergen", "Vestland", "Norge"]
    assert df["År"].min() == 2005 and df["År"].max() == 2026
    assert header(out)["Tittel"] == "Andel 80 år og over: Bergen – Vestland og landet"
    wb = openpyxl.load_workbook(io.BytesIO(payload(sh.download_trend_xlsx(1, IND, "kommune", None, None, None,
                                                                          None))))
    assert [c.value for c in wb["Data"][1]] == ["År", "Norge"]
    assert [c.value for c in wb["Data"][2]] == [None, "%"]


@pytest.mark.parametrize("args", [
    (None, IND, "kommune", "46", 2024, None, None),          # no click
    (1, None, "kommune", "46", 2024, None, None),            # no indicator
    (1, "__gruppe__befolkning", "kommune", None, None, None, None),
    (1, "nope", "kommune", None, None, None, None),
    (1, {"x": 1}, ["kommune"], 3.5, "x", 17, 12),            # garbage
])
def test_nothing_to_export_prevents_update(args):
    for fn in (sh.download_map_csv, sh.download_map_xlsx, sh.download_trend_csv, sh.download_trend_xlsx):
        with pytest.raises(PreventUpdate):
            fn(*args)


def test_garbage_view_values_fall_back_to_defaults():
    out = sh.download_map_csv(1, IND, "planet", "99", "abc", "0000", "javascript:alert(1)")
    h = header(out)
    years = store.years(IND, "municipality")
    assert h["Tittel"] == f"Andel 80 år og over – kommuner, hele landet, {years[-1]}"
    assert h["Permalenke"] == f"/?indikator=share_80plus&niva=kommune&ar={years[-1]}"
    # a municipality outside the chosen county is dropped, as on the page
    df = read_csv(sh.download_trend_csv(1, IND, "kommune", "03", None, "4601", None))
    assert list(df.columns) == ["År", "Oslo-Oslove", "Norge"]  # county 03 (no municipality) and the country
