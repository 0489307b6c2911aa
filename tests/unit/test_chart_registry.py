"""Chart registry (callbacks/charts.py) and the data exports behind it (issue 6): every chart of every page
builds from its page's URL parameters, falls back with a note for bad ones, and its CSV/xlsx credit the source."""
from __future__ import annotations

import io

import pandas as pd
import pytest

import app  # noqa: F401  (pages register after the app exists)
from callbacks import charts
from components import export

# one realistic view per chart (the page parameters as the address bar has them)
VIEWS = {
    "kart": {"indikator": "share_80plus", "niva": "kommune", "fylke": "46", "ar": "2024"},
    "utvikling": {"indikator": "share_80plus", "kommune": "4601"},
    "kommune-profil": {"knr": "4601", "omrade": "befolkning"},
    "kommune-utvikling": {"knr": "4601", "indikator": "share_80plus"},
    "fylke": {"fnr": "46"},
    "befolkning-aldersprofil": {"kommune": "4601", "ar": "2035", "aldersgrupper": "5"},
    "befolkning-eldre": {"fylke": "46", "visning": "indeks"},
    "befolkning-omsorgsressurs": {"kommune": "4601"},
    "befolkning-treffsikkerhet": {"aldersgruppe": "90+", "argang": "2014"},
    "tiltak-tilskudd": {},
}


def _view(chart_id):
    return VIEWS.get(chart_id, {})


@pytest.fixture(scope="module")
def client():
    return app.server.test_client()


def test_every_page_has_charts_in_the_registry():
    pages = {s.page for s in charts.REGISTRY.values()}
    assert pages == {"/", "/kommune", "/fylke", "/befolkning", "/personell", "/tiltak"}
    from components import personnel as pc
    assert {f"personell-{p['id']}" for p in pc.PANELS} <= set(charts.REGISTRY)


@pytest.mark.parametrize("chart_id", sorted(charts.REGISTRY))
def test_every_chart_builds_with_title_source_date_and_table(chart_id):
    res = charts.build(chart_id, _view(chart_id))
    assert res.title and res.figure.get("data") is not None
    assert res.source.startswith("Kilde: ") and res.source.endswith("Omsorgsatlas")
    assert res.table is not None and res.table.rows, "the data behind the chart"
    assert res.table.source and res.table.permalink.endswith("#" + charts.spec(chart_id).anchor)
    assert res.notes == []


def test_values_in_the_map_export_come_from_the_store():
    res = charts.build("kart", VIEWS["kart"])
    frame = __import__("store").values("share_80plus", "municipality", 2024, "46").set_index("region_code")
    by_code = {r[1]: r[-1] for r in res.table.rows}
    assert set(by_code) == set(frame.index)
    for code, v in by_code.items():
        want = frame.at[code, "value"]
        assert (v is None and pd.isna(want)) or v == pytest.approx(float(want))


def test_bad_page_parameters_fall_back_with_a_note():
    res = charts.build("kart", {"indikator": "finnes_ikke", "fylke": "99", "ar": "abc"})
    assert len(res.notes) == 3 and res.title
    res = charts.build("befolkning-eldre", {"kommune": "9999", "visning": "rart"})
    assert any("9999" in n for n in res.notes) and any("rart" in n for n in res.notes)
    res = charts.build("personell-utforsk", {"fordeling": "<script>", "visning-utforsk": "x"})
    assert len(res.notes) == 2


def test_required_parameters_and_unknown_charts_raise_user_errors():
    with pytest.raises(charts.ChartParamError):
        charts.build("kommune-profil", {})
    with pytest.raises(charts.ChartParamError):
        charts.build("fylke", {"fnr": "xx"})
    with pytest.raises(charts.UnknownChart):
        charts.build("finnes-ikke", {})


def test_page_query_restores_the_view():
    res = charts.build("personell-yrke", {"visning-yrke": "linjer", "ar": "2015"})
    assert res.page_query["visning-yrke"] == "linjer" and res.figure["data"][0]["type"] == "scatter"
    again = charts.build("personell-yrke", res.page_query)
    assert again.page_query == res.page_query


@pytest.mark.parametrize("chart_id", ["kart", "fylke", "befolkning-aldersprofil", "personell-yrke", "tiltak-tilskudd"])
def test_xlsx_export_opens_with_openpyxl(client, chart_id):
    from openpyxl import load_workbook
    resp = client.get(f"/eksport/{chart_id}.xlsx", query_string=_view(chart_id))
    assert resp.status_code == 200
    assert resp.headers["Content-Disposition"].startswith("attachment; filename=") and ".xlsx" in \
        resp.headers["Content-Disposition"]
    wb = load_workbook(io.BytesIO(resp.data))
    assert wb.sheetnames == [export.DATA_SHEET, export.SOURCE_SHEET]
    data, src = wb[export.DATA_SHEET], wb[export.SOURCE_SHEET]
    assert data.max_row >= 3 and data.cell(1, 1).value
    meta = {src.cell(i, 1).value: src.cell(i, 2).value for i in range(1, src.max_row + 1)}
    assert meta["Kilde"] and meta["Laget med"] == "Omsorgsatlas" and "#" in meta["Permalenke"]


def test_csv_export_has_the_source_header_and_reads_back(client):
    resp = client.get("/eksport/utvikling.csv", query_string=VIEWS["utvikling"])
    assert resp.status_code == 200 and resp.headers["Content-Type"].startswith("text/csv")
    text = resp.data.decode("utf-8-sig")
    assert text.splitlines()[2].startswith("Kilde;SSB")
    frame = pd.read_csv(io.BytesIO(resp.data), sep=";", decimal=",", skiprows=export.CSV_SKIP_ROWS,
                        encoding="utf-8-sig")
    assert list(frame.columns)[:2] == ["År", "Bergen"]


@pytest.mark.parametrize("url,status", [
    ("/eksport/finnes-ikke.csv", 404),
    ("/eksport/kart.gif", 404),
    ("/eksport/kart", 404),
    ("/eksport/kommune-profil.csv", 400),
    ("/eksport/kommune-profil.csv?knr=%3Cscript%3E", 400),
    ("/eksport/fylke.xlsx?fnr=0", 400),
    ("/eksport/befolkning-eldre.json", 404),
])
def test_bad_requests_get_a_short_message_not_a_traceback(client, url, status):
    resp = client.get(url)
    assert resp.status_code == status
    body = resp.data.decode()
    assert "Traceback" not in body and len(body) < 300
    # user input is echoed only in plain text that the browser may not sniff as HTML
    assert resp.headers["Content-Type"].startswith("text/plain")
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


def test_embed_page_serves_any_registered_chart(client):
    for chart_id in ("fylke", "personell-yrke", "befolkning-omsorgsressurs"):
        resp = client.get(f"/embed/{chart_id}")
        assert resp.status_code == 200
        assert "frame-ancestors *" in resp.headers["Content-Security-Policy"]
    from pages import embed
    with app.server.test_request_context("/embed/fylke"):
        out = str(embed.layout("fylke", fnr="46"))
    assert "Fylkesbildet: Vestland" in out and "embed-graph" in out and "Kilde: " in out and "Hentet" in out
    with app.server.test_request_context("/embed/kommune-profil"):
        out = str(embed.layout("kommune-profil"))
    assert "knr" in out and "embed-note" in out


def test_share_toolbar_is_next_to_every_chart():
    import json

    from pages import county, measures, overview, personnel, population, profile
    with app.server.test_request_context("/"):
        found = set()
        for layout in (overview.layout(), profile.layout(knr="4601"), county.layout(fnr="46"), population.layout(),
                       personnel.layout(), measures.layout()):
            text = json.dumps(layout.to_plotly_json(), default=lambda o: o.to_plotly_json()
                              if hasattr(o, "to_plotly_json") else str(o))
            found |= {c for c in charts.REGISTRY if f'"data-oa-chart": "{c}"' in text}
        from callbacks import profile as prof
        body = json.dumps(prof._profile_body.uncached("4601", "befolkning", "v"), default=str)
        found |= {"kommune-profil"} if '"data-oa-chart": "kommune-profil"' in body else set()
    assert found == set(charts.REGISTRY)
