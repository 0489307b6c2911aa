"""«Personell og kompetanse»: store.personnel queries against the committed data/, and the page's callbacks
and layout called as plain functions (no browser)."""
from __future__ import annotations

import json

import pandas as pd
import pytest

import store

store.init()
import app  # noqa: E402,F401  (pages register after the app exists)
import callbacks.personnel as cb  # noqa: E402
from components import personnel as pc  # noqa: E402
from pages import personnel as page  # noqa: E402
from store import personnel as sp  # noqa: E402


def _text(component) -> str:
    """JSON of a component tree, no-break spaces as plain spaces (Norwegian number format)."""
    from plotly.io.json import to_json_plotly
    return json.dumps(json.loads(to_json_plotly(component)), ensure_ascii=False).replace("\u00a0", " ")


# ------------------------------------------------------------------------------------------ store
def test_breakdowns_come_from_the_catalogue_series():
    b = sp.breakdowns().set_index("series")
    assert b.loc["kl_arsverk_omsorg_yrke", "dimension"] == "occupation"
    assert b.loc["kl_arsverk_omsorg_yrke", "n_groups"] == 15
    assert b.loc["kl_arsverk_lege_virkeomrade", "dimension"] == "field"
    assert b.loc["kl_arsverk_fysio_avtaleform", "dimension"] == "contract"
    # mixed units (count + share) are not a breakdown
    assert "kl_psykolog_tilskudd" not in b.index
    # filtering by service area keeps only breakdowns with a part in it
    assert set(sp.breakdowns("legetjeneste")["series"]) >= {"kl_arsverk_lege_virkeomrade"}
    assert "kl_opptak_utdanning" not in set(sp.breakdowns("tannhelse")["series"])


def test_parts_leave_out_the_total_and_subtotals():
    parts = sp.series_parts("kl_fagprover_helsearbeider")
    assert len(parts) == 6 and "Bestått – Lærling" in set(parts["group"])
    assert "kl_fagprover_helsearbeider" not in set(parts["id"])
    assert "kl_arsverk_omsorg" not in set(sp.series_parts("kl_arsverk_omsorg_yrke")["id"])
    with pytest.raises(store.QueryError):
        sp.series_parts("finnes_ikke")


def test_breakdown_values_are_the_document_figures():
    v = sp.breakdown_values("kl_arsverk_omsorg_yrke", 2016)
    assert len(v) == 15 and set(v["year"]) == {2016}
    ind = pd.read_parquet(store.data_dir() / "indicators.parquet")
    want = ind[(ind.indicator_id == "kl_arsverk_omsorg_yrke_helsefagarbeider") & (ind.year == 2016)]["value"].iloc[0]
    assert v.set_index("group").loc["Helsefagarbeider", "value"] == want


def test_new_occupation_row_shows_up_without_code_changes(monkeypatch):
    """A new indicator with an occupation in an existing series is a new group (data, not code)."""
    cat = store.catalog()
    row = cat.loc["kl_arsverk_omsorg_yrke_vernepleier"].copy()
    row["id"] = "kl_arsverk_omsorg_yrke_ny_test"
    row["occupation"] = "Ny yrkesgruppe"
    row["name_nb"] = "Årsverk i omsorgstjenestene etter yrkesgruppe: Ny yrkesgruppe"
    new_cat = pd.concat([cat, row.to_frame().T.set_index(pd.Index([row["id"]]))])
    monkeypatch.setattr(store, "catalog", lambda: new_cat.copy())
    sp._MEMO.clear()
    try:
        parts = sp.series_parts("kl_arsverk_omsorg_yrke")
        assert "Ny yrkesgruppe" in set(parts["group"]) and len(parts) == 16
        assert sp.breakdowns().set_index("series").loc["kl_arsverk_omsorg_yrke", "n_groups"] == 16
    finally:
        sp._MEMO.clear()


def test_sources_name_publisher_document_and_table():
    src = pc.source_lines(sp.source_groups(["kl_arsverk_omsorg", "kl_arsverk_lege"]))
    assert src == ["Helsedirektoratet, IS-2684 Kompetanse og personell i helse- og omsorgstjenesten i kommunene "
                   "(2017), Tabell 15, Tabell 14"]
    assert pc.source_lines(sp.source_groups(["ms26_fastleger"], short=True))[0].startswith("Regjeringen")
    assert pc.source_lines(sp.source_groups(["drv_arsverk_omsorg_per1000_80pluss"]))[0].startswith("Beregnet av Omsorgsatlas")


def test_area_values_keep_the_areas_of_their_year():
    t = sp.area_table(["k25_kki_utbetalt"])
    assert len(t) == 10
    ov = t[t["area_name"] == "Oslo og Viken"].iloc[0]
    assert ov["county_2024"] == "" and len(ov["counties_2024_names"]) == 4
    psy = sp.area_table(["kl_psykolog_tilskudd_kommuner", "kl_psykolog_tilskudd_antall_kommuner",
                         "kl_psykolog_tilskudd_andel"])
    assert len(psy) == 18 and psy.set_index("area_name").loc["Oslo", "note"] == "bydeler i Oslo"


def test_latest_value_falls_back_to_the_last_year_before():
    assert sp.latest_value("kl_andel_arsverk_fagutdanning", 2016) == (2016, pytest.approx(74.2))
    assert sp.latest_value("kl_sykefravaer_omsorg", 2030)[0] == 2016
    assert sp.latest_value("finnes_ikke") is None


# ------------------------------------------------------------------------------------------ callbacks
def test_time_panel_stacked_and_lines():
    out = cb.update_time_panel("alle", 2016, "stack", "kl_arsverk_tjenesteomrade")
    fig = out["figure"]
    assert fig["layout"]["barmode"] == "stack" and {t["type"] for t in fig["data"]} == {"bar"}
    assert "nasjonalt" in fig["layout"]["title"]["text"]
    assert out["hidden"] is False and "137 950" in _text(out["table"])
    assert "Nivå: nasjonalt" in _text(out["source"]) and "Tabell 15" in _text(out["source"])
    line = cb.update_time_panel(None, 2016, "line", "kl_arsverk_tjenesteomrade")["figure"]
    assert {t["type"] for t in line["data"]} == {"scatter"} and "barmode" not in line["layout"]
    # colour is not the only cue: each stacked group has its own pattern or colour+pattern pair
    pairs = {(t["marker"]["color"], t["marker"]["pattern"]["shape"]) for t in
             cb.update_time_panel(None, 2016, "stack", "kl_arsverk_omsorg_yrke")["figure"]["data"]}
    assert len(pairs) == 15


def test_service_area_filter_hides_panels_without_data():
    out = cb.update_time_panel("tannhelse", 2016, "stack", "kl_arsverk_omsorg_yrke")
    assert out["hidden"] is True
    assert cb.update_time_panel("legetjeneste", 2016, "stack", "kl_arsverk_lege_virkeomrade")["hidden"] is False
    status = cb.update_key_figures("legetjeneste", 2016)["status"]
    assert status.startswith("Viser ") and "Legetjeneste" in status


def test_bar_panel_uses_the_year_and_says_when_it_falls_back():
    out = cb.update_bar_panel(None, 2015, "kl_andel_menn_yrke")
    assert "2015" in out["figure"]["layout"]["title"]["text"] and out["note"] is None
    out = cb.update_bar_panel(None, 2012, "kl_andel_menn_yrke")
    assert "Ingen tall for 2012" in _text(out["note"])
    # the document's disagreement is shown with the source's figure
    assert "12 %" in _text(out["notes"]) or "12\u00a0%" in _text(out["notes"])


def test_indicator_panel_shows_both_documents_and_their_note():
    out = cb.update_indicator_panel(None, 2016, ["kl_fastleger", "ms26_fastleger"],
                                    {"type": "pers-spec", "kind": "ind", "panel": "fastleger"})
    names = [t["name"] for t in out["figure"]["data"]]
    assert names == ["Antall fastleger (IS-2684)", "Antall fastleger (MeldSt26)"]
    text = _text(out["notes"])
    assert "4 387" in text.replace("\u00a0", " ")
    sick = cb.update_indicator_panel(None, 2016, ["kl_sykefravaer_omsorg", "kl_fravaer_omsorg"],
                                     {"type": "pers-spec", "kind": "ind", "panel": "sykefravaer"})
    assert "Oppland" in _text(sick["notes"])  # the county figures quoted in the text, as areas of 2016


def test_callbacks_never_raise_on_garbage():
    for args in [(None, None, None, None), ({"x": 1}, "abc", 5, ["a"]), ("alle", 1800, "stack", "nope")]:
        out = cb.update_time_panel(*args)
        assert "figure" in out
    assert "figure" in cb.update_bar_panel(12, [], None)
    assert "figure" in cb.update_indicator_panel(None, None, None, None)
    assert cb.update_key_figures(["x"], "y")["keys"]
    assert cb.explorer_series("nope") == "kl_arsverk_tjenesteomrade"
    opts = cb.update_explorer_options("tannhelse", "kl_arsverk_omsorg_yrke")
    assert opts["value"] in [o["value"] for o in opts["options"]] or opts["value"] is None


def test_key_figures_show_the_canonical_indicator():
    cards = _text(cb.update_key_figures(None, 2016)["keys"]).replace("\u00a0", " ")
    assert "74,2 %" in cards and "Andel årsverk i brukerrettede tjenester med fagutdanning" in cards
    assert "nasjonalt" in cards and "IS-2684" in cards


# ------------------------------------------------------------------------------------------ layout / URL
def test_layout_from_url_and_bad_values():
    text = _text(page.layout(tjenesteomrade="legetjeneste", ar="2015"))
    assert '"value": "legetjeneste"' in text and '"value": 2015' in text
    assert pc.MUNICIPALITY_NOTE in text
    bad = _text(page.layout(tjenesteomrade="<script>", ar="1700"))
    assert "Ukjent tjenesteområde" in bad and "Ugyldig år" in bad


def test_county_and_municipality_filters_are_disabled_offline():
    text = _text(page.layout())
    lay = json.loads(text)

    def find(node, id_):
        if isinstance(node, dict):
            if node.get("props", {}).get("id") == id_:
                return node
            for v in node.values():
                got = find(v, id_)
                if got:
                    return got
        elif isinstance(node, list):
            for v in node:
                got = find(v, id_)
                if got:
                    return got
        return None
    assert find(lay, "pers-county")["props"]["disabled"] is True
    assert find(lay, "pers-municipality")["props"]["disabled"] is True
    opts = find(lay, "pers-level")["props"]["options"]
    assert [o.get("disabled", False) for o in opts] == [False, True, True]
