"""«Tiltak og tilskudd»: the measures queries (store.personnel) against the committed data/, and the page's
callbacks and layout called as plain functions (no browser)."""
from __future__ import annotations

import json

import pytest
from dash.exceptions import PreventUpdate

import store

store.init()
import app  # noqa: E402,F401  (pages register after the app exists)
import callbacks.measures as cb  # noqa: E402
from components import measures as mc  # noqa: E402
from pages import measures as page  # noqa: E402
from store import personnel as sp  # noqa: E402


def _text(component) -> str:
    from plotly.io.json import to_json_plotly
    return json.dumps(json.loads(to_json_plotly(component)), ensure_ascii=False).replace("\u00a0", " ")


def _show_ids(table) -> list[str]:
    """The measure ids of the «Vis» buttons in a rendered table, in row order."""
    out: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            i = node.get("id")
            if isinstance(i, dict) and i.get("type") == mc.SHOW_TYPE:
                out.append(i["id"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(json.loads(_text(table)))
    return out


# ------------------------------------------------------------------------------------------ store
def test_all_measures_are_there():
    m = sp.measures()
    assert len(m) == 125 and (m["plan"] == "K2025").sum() == 73 and (m["plan"] == "KL2020").sum() == 52
    assert m["measure_id"].is_unique
    assert list(sp.strategy_areas()["code"]) == ["SO1", "SO2", "SO3", "SO4", "S1", "S2", "S3", "S4", "S5", "S6"]
    assert "0761" in sp.budget_chapters()


def test_filter_measures_search_and_filters():
    hits = sp.filter_measures("psykolog")
    assert 0 < len(hits) < 125
    assert all("psykolog" in " ".join(map(str, r.values())).casefold() for r in hits.to_dict("records"))
    assert len(sp.filter_measures("PSYKOLOG")) == len(hits)  # case-insensitive
    assert set(sp.filter_measures(plans=["KL2020"])["plan"]) == {"KL2020"}
    so1 = sp.filter_measures(strategies=["SO1"])
    assert len(so1) == 41 and all("SO1" in xs for xs in so1["strategy_areas"])
    kap = sp.filter_measures(chapters=["0781"])
    assert len(kap) > 0 and all("0781" in xs for xs in kap["budget_chapters"])
    assert len(sp.filter_measures(with_result=True)) == 73
    assert sp.filter_measures("zzzfinnesikke").empty


def test_measure_lookup():
    m = sp.measure("K2025-1.16")
    assert m["title_nb"].startswith("Kommunalt kompetanse- og innovasjonstilskudd") and m["amount_nok"] == 372_400_000
    assert sp.measure("nope") is None and sp.measure(None) is None and sp.measure(["K2025-1.16"]) is None


# ------------------------------------------------------------------------------------------ callbacks
def test_table_callback_filters_and_counts():
    out = cb.update_measures_table("", ["K2025", "KL2020"], [], [], [])
    assert out["count"].startswith("Viser 125 av 125 tiltak") and len(_show_ids(out["table"])) == 125
    out = cb.update_measures_table("psykolog", ["K2025", "KL2020"], [], [], [])
    ids = _show_ids(out["table"])
    assert 0 < len(ids) < 125 and out["count"].startswith(f"Viser {len(ids)} av 125")
    out = cb.update_measures_table("", ["KL2020"], ["S3"], [], [])
    assert all(i.startswith("KL2020-") for i in _show_ids(out["table"])) and len(_show_ids(out["table"])) == 26
    out = cb.update_measures_table("", [], [], [], [])  # no plan ticked: nothing
    assert "Ingen tiltak passer" in _text(out["table"]) and out["count"].startswith("Viser 0 av 125")


def test_table_shows_all_the_columns_in_norwegian_formats():
    text = _text(cb.update_measures_table("KKI", ["K2025"], [], [], [])["table"])
    for header in ("Plan", "Strategiområde", "Kap./post", "Målgruppe", "Beløp", "Resultat rapportert",
                   "Måloppnåelse"):
        assert header in text
    assert "372 400 000 kr (2021)" in text


def test_table_callback_survives_garbage():
    for args in [(None, None, None, None, None), (5, "K2025", {"a": 1}, 3, "x"), ("x" * 5000, ["??"], ["?"], ["?"], [])]:
        out = cb.update_measures_table(*args)
        assert "count" in out


def test_detail_opens_closes_and_ignores_rerendered_buttons():
    out = cb.measure_action({"type": mc.SHOW_TYPE, "id": "K2025-1.16"}, 1, False)
    assert out["is_open"] is True and out["selected"] == "K2025-1.16"
    body = _text(out["body"])
    assert "Kilde:" in body and "Tabell 1" in body and "Merknad om kilden" in body
    assert "Budsjettkapittel/-post" in body and "0761.68" in body
    with pytest.raises(PreventUpdate):  # a fresh table render: n_clicks 0 is not a click
        cb.measure_action({"type": mc.SHOW_TYPE, "id": "K2025-1.16"}, 0, False)
    with pytest.raises(PreventUpdate):
        cb.measure_action({"type": mc.SHOW_TYPE, "id": "nope"}, 1, False)
    assert cb.measure_action("measure-modal-close", 1, True)["selected"] is None
    assert cb.measure_action("measure-modal", False, False)["is_open"] is False
    with pytest.raises(PreventUpdate):
        cb.measure_action("measure-modal", True, True)


# ------------------------------------------------------------------------------------------ layout / URL
def test_url_restores_the_detail_view():
    text = _text(page.layout(tiltak="K2025-1.16"))
    lay = json.loads(text)
    assert '"is_open": true' in text and "K2025-1.16: Kommunalt kompetanse" in text
    assert page.parse_measures_query({"tiltak": "k2025-1.16"})[0] == "K2025-1.16"
    mid, q, notes = page.parse_measures_query({"tiltak": "finnes-ikke", "sok": "demens"})
    assert mid is None and q == "demens" and "Ukjent tiltak" in notes[0]
    assert lay


def test_grant_sections_show_areas_not_2024_counties():
    text = _text(page.layout())
    assert "Oslo og Viken (4 fylker i 2024)" in text
    assert "«Oslo og Viken» dekker" in text
    assert "Statsforvalterområde" in text and "Nivå: statsforvalterområder (2021)" in text
    # the psychologist grant by the counties of 2016, with the share of municipalities and the Oslo note
    assert "Fylke (2016)" in text and "bydeler i Oslo" in text and "93,3 %" in text
