"""Data downloads of «Kart og trender»: the map's and the trend's share toolbar («Last ned ▾») is the only
download control on the page; its CSV and Excel links (/eksport/kart|utvikling.csv|xlsx, callbacks/exports.py)
hold exactly the data the chart shows. Requests go through the real Flask app on the committed data/;
expected values come from data/*.parquet directly."""
from __future__ import annotations

import io
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import app  # noqa: F401  (pages and export routes register with the app)
import store
from callbacks import overview as ov
from components import export

DATA = Path(__file__).resolve().parents[2] / "data"
IND = "share_80plus"


@pytest.fixture(scope="module")
def client():
    return app.server.test_client()


@pytest.fixture(scope="module")
def values() -> pd.DataFrame:
    ind = pd.read_parquet(DATA / "indicators.parquet")
    return ind[ind["indicator_id"] == IND] if "indicator_id" in ind.columns else ind[ind["indicator"] == IND]


def get(client, path: str, **query):
    resp = client.get(path, query_string=query)
    assert resp.status_code == 200, resp.data[:300]
    return resp


def read_csv(resp) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(resp.data), sep=";", decimal=",", skiprows=export.CSV_SKIP_ROWS,
                       encoding="utf-8-sig", dtype={"Kommunenummer": str, "Fylkesnummer": str})


def header(resp) -> dict[str, str]:
    lines = resp.data.decode("utf-8-sig").split("\r\n")[: export.CSV_HEADER_ROWS]
    return dict(line.split(";", 1) for line in lines)


def filename(resp) -> str:
    return resp.headers["Content-Disposition"].split("filename=", 1)[1].strip('"')


# ------------------------------------------------------------------------------------------ the page
def _walk(node):
    if isinstance(node, dict):  # a part of the first view sent as plain JSON (callbacks/overview.py plain())
        children = (node.get("props") or {}).get("children")
        for child in children if isinstance(children, (list, tuple)) else [children]:
            if child is not None and not isinstance(child, (str, int, float)):
                yield from _walk(child)
        return
    yield node
    children = getattr(node, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and not isinstance(child, (str, int, float)):
            yield from _walk(child)


class _Markup(HTMLParser):
    """Texts and link targets of a share toolbar's markup (components/share.py: one div carrying its content as
    escaped HTML in data-oa-html, written into the page by assets/75-share.js)."""

    def __init__(self, markup: str):
        super().__init__()
        self.texts, self.hrefs = [], []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "oa-share-download" in (attrs.get("class") or "").split():
            self.hrefs.append(attrs["href"])

    def handle_data(self, data):
        if data.strip():
            self.texts.append(data)


def _toolbar_markup(node) -> list[_Markup]:
    return [_Markup(m) for n in _walk(node) if (m := n.to_plotly_json()["props"].get("data-oa-html"))]


def _texts(node) -> list[str]:
    return [c for n in _walk(node) for c in
            (n.children if isinstance(getattr(n, "children", None), (list, tuple)) else [getattr(n, "children", None)])
            if isinstance(c, str)] + [t for m in _toolbar_markup(node) for t in m.texts]


def test_overview_has_one_share_toolbar_per_chart_and_no_other_share_or_download_control():
    from pages.overview import layout

    page = layout(indikator=IND, fylke="46")
    toolbars = [n.to_plotly_json()["props"].get("data-oa-chart") for n in _walk(page)
                if "oa-share" in (getattr(n, "className", "") or "").split()]
    assert toolbars == ["kart", "utvikling"]
    texts = _texts(page)
    # «Kopier lenke» only inside the two toolbars (the page-level one is in the menu bar, components/shell.py)
    assert texts.count("Kopier lenke") == 2 and texts.count("Last ned") == 2 and texts.count("Bygg inn") == 2
    assert not [t for t in texts if t.startswith("Last ned ")], "a second download row is back"
    ids = {getattr(n, "id", None) for n in _walk(page)}
    assert not ids & {"share-permalink", "embed-modal", "map-csv-button", "trend-xlsx-button"}
    # the toolbar's «Last ned» offers CSV and Excel for both charts
    hrefs = [h for m in _toolbar_markup(page) for h in m.hrefs]
    for chart in ("kart", "utvikling"):
        assert f"/eksport/{chart}.csv" in hrefs and f"/eksport/{chart}.xlsx" in hrefs


# ------------------------------------------------------------------------------------------ the files
def test_map_csv_is_the_ranked_table_of_the_county(client, regions):
    resp = get(client, "/eksport/kart.csv", indikator=IND, niva="kommune", fylke="46", ar="2024", kommune="4601")
    assert filename(resp) == "omsorgsatlas-kart-share_80plus-kommune-46-4601.csv"
    assert resp.headers["Content-Type"].startswith("text/csv")
    df = read_csv(resp)
    munis = regions[(regions["level"] == "municipality") & (regions["county_code"] == "46")]
    assert set(df["Kommunenummer"]) == set(munis["region_code"])
    assert list(df.columns) == ["Rang", "Kommunenummer", "Kommune", "År", "Andel 80 år og over"]
    assert (df["År"] == 2024).all()
    vals = df["Andel 80 år og over"].dropna()
    assert vals.is_monotonic_decreasing and df["Rang"].iloc[0] == 1
    h = header(resp)
    assert h["Tittel"] == "Andel 80 år og over – kommuner, Vestland, 2024"
    assert h["Enhet"] == "%" and h["Lisens"] == "NLOD 2.0" and h["Kilde"].startswith("SSB")
    # permalink: the page's query rebuilt from the validated view, and the chart's anchor
    assert h["Permalenke"] == ("http://localhost/?indikator=share_80plus&niva=kommune&fylke=46&kommune=4601"
                               "&ar=2024#map-heading")


def test_map_values_match_the_data(client, values):
    df = read_csv(get(client, "/eksport/kart.csv", indikator=IND, niva="fylke", ar="2024"))
    assert len(df) == 15 and "Fylkesnummer" in df.columns
    expected = values[(values["year"] == 2024)].set_index("region_code")["value"]
    for r in df.itertuples():
        assert r[5] == pytest.approx(round(float(expected[r.Fylkesnummer]), 1), abs=1e-9)


def test_map_whole_country_has_a_county_column_and_every_municipality(client, regions):
    df = read_csv(get(client, "/eksport/kart.csv", indikator=IND, niva="kommune"))
    assert "Fylke" in df.columns
    assert len(df) == int((regions["level"] == "municipality").sum())


def test_map_xlsx_has_units_row_and_source_sheet(client):
    resp = get(client, "/eksport/kart.xlsx", indikator=IND, niva="kommune", fylke="03", ar="2024")
    assert filename(resp).endswith(".xlsx") and resp.headers["Content-Type"] == export.XLSX_MIME
    wb = openpyxl.load_workbook(io.BytesIO(resp.data))
    ws = wb["Data"]
    assert [c.value for c in ws[1]] == ["Rang", "Kommunenummer", "Kommune", "År", "Andel 80 år og over"]
    assert [c.value for c in ws[2]][-1] == "%"
    assert [c.value for c in ws[3]][1:3] == ["0301", "Oslo-Oslove"]  # the only municipality in county 03
    src = {r[0].value: r[1].value for r in wb["Kilde"].iter_rows()}
    assert src["Lisens"] == "NLOD 2.0" and src["Definisjon"] and src["Dato"].count(".") == 2
    assert src["Permalenke"].endswith("?indikator=share_80plus&niva=kommune&fylke=03&ar=2024#map-heading")


def test_trend_csv_and_xlsx_have_one_column_per_line(client):
    resp = get(client, "/eksport/utvikling.csv", indikator=IND, niva="kommune", fylke="46", kommune="4601")
    df = read_csv(resp)
    assert list(df.columns) == ["År", "Bergen", "Vestland", "Norge"]
    assert df["År"].min() == 2005 and df["År"].max() == 2026
    assert header(resp)["Tittel"] == "Andel 80 år og over: Bergen – Vestland og landet"
    wb = openpyxl.load_workbook(io.BytesIO(get(client, "/eksport/utvikling.xlsx", indikator=IND).data))
    assert [c.value for c in wb["Data"][1]] == ["År", "Norge"]
    assert [c.value for c in wb["Data"][2]] == [None, "%"]


@pytest.mark.parametrize("args", [
    (None, "kommune", "46", 2024, None),            # no indicator
    ("__gruppe__befolkning", "kommune", None, None, None),
    ("nope", "kommune", None, None, None),
    ({"x": 1}, ["kommune"], 3.5, "x", 17),          # garbage
])
def test_nothing_to_export_gives_no_table(args):
    assert ov.map_export(*args) is None and ov.trend_export(*args) is None


def test_garbage_view_values_fall_back_to_defaults(client):
    resp = get(client, "/eksport/kart.csv", indikator=IND, niva="planet", fylke="99", ar="abc", kommune="0000")
    h = header(resp)
    years = store.years(IND, "municipality")
    assert h["Tittel"] == f"Andel 80 år og over – kommuner, hele landet, {years[-1]}"
    assert h["Permalenke"] == f"http://localhost/?indikator=share_80plus&niva=kommune&ar={years[-1]}#map-heading"
    # a municipality outside the chosen county is dropped, as on the page
    df = read_csv(get(client, "/eksport/utvikling.csv", indikator=IND, fylke="03", kommune="4601"))
    assert list(df.columns) == ["År", "Oslo-Oslove", "Norge"]  # county 03 (no municipality) and the country
