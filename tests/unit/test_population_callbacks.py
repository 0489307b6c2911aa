"""«Befolkning og behov»: the page's callbacks and layout called as plain functions (no browser), and the
read side (store.demography) against the committed data/."""
from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest
from dash import Patch
from dash.exceptions import PreventUpdate

import store

store.init()
import app  # noqa: E402,F401  (pages register after the app exists)
import callbacks.population as cb  # noqa: E402
from pages import population as page  # noqa: E402
from store import demography as dem  # noqa: E402


def _text(component) -> str:
    from plotly.io.json import to_json_plotly
    return json.dumps(json.loads(to_json_plotly(component)), ensure_ascii=False)


# ------------------------------------------------------------------------------------------ read side
def test_demography_joins_observed_and_projected_years(data_dir):
    d = dem.load()
    assert int(d.years[0]) == 2005 and d.last_observed == 2026 and int(d.years[-1]) == 2040
    assert d.variants == ("kalibrert_mmmm", "omsorgsatlas") and d.variant["4601"] == "kalibrert_mmmm"
    assert d.has_band and set(d.alt) == {"kalibrert_mmmm", "kalibrert_llml", "kalibrert_hhmh", "omsorgsatlas"}
    proj = pd.read_parquet(data_dir / "projection.parquet")
    proj = proj[proj.variant == "kalibrert_mmmm"]
    want = proj[(proj.region_code == "4601") & (proj.year == 2040) & (proj.age >= 80)]["population"].sum()
    s = dem.group_series("4601").set_index("year")
    assert s.loc[2040, "80+"] == pytest.approx(want)
    pop = pd.read_parquet(data_dir / "population.parquet")
    assert s.loc[2026, "80+"] == pytest.approx(pop[(pop.region_code == "4601") & (pop.year == 2026) & (pop.age >= 80)]
                                               ["population"].sum())
    assert not s.loc[2026, "projected"] and s.loc[2027, "projected"]
    # 2005 lacks two municipalities: the country has no figure (a gap, not a zero)
    assert np.isnan(dem.group_series("NO").set_index("year").loc[2005, "80+"])


def test_growth_rank_is_consistent():
    g = dem.growth_80(2026, 2040)
    munis = g[g.level == "municipality"].sort_values("growth_pct", ascending=False)
    top = munis.iloc[0]["region_code"]
    r = dem.growth_rank(top, 2026, 2040)
    assert r["rank"] == 1 and r["n"] == 357 and r["rank_county"] == 1
    assert dem.growth_rank("46", 2026, 2040)["n"] == 15
    with pytest.raises(store.QueryError):
        dem.growth_rank("9999", 2026, 2040)


def test_default_variant_is_the_calibrated_main_alternative_then_ssb_then_ours(tmp_path, data_dir):
    """kalibrert_mmmm is the headline wherever it exists; an online build's ssb_mmm rows come next (over the
    unconstrained run); the label says which."""
    copy = tmp_path / "data"
    shutil.copytree(data_dir, copy)
    proj = pd.read_parquet(copy / "projection.parquet")
    ours = proj[proj.variant == "omsorgsatlas"]
    ssb = ours[ours.region_code.isin(["NO", "46", "4601"])].copy()
    ssb["variant"] = "ssb_mmm"
    ssb["population"] = ssb["population"] * 2
    try:
        pd.concat([proj, ssb], ignore_index=True).to_parquet(copy / "projection.parquet", index=False)
        store.init(copy, reload=True)
        dem.reset()
        d = dem.load()
        assert d.variants == ("kalibrert_mmmm", "ssb_mmm", "omsorgsatlas")
        assert d.variant["4601"] == "kalibrert_mmmm" and d.variant["4602"] == "kalibrert_mmmm"
        # without the calibrated variants: SSB's municipal projection wins over the unconstrained run
        pd.concat([ours, ssb], ignore_index=True).to_parquet(copy / "projection.parquet", index=False)
        store.init(copy, reload=True)
        dem.reset()
        d = dem.load()
        assert d.variants == ("ssb_mmm", "omsorgsatlas") and not d.has_band
        assert d.variant["4601"] == "ssb_mmm" and d.variant["4602"] == "omsorgsatlas"
        mine = ours[(ours.region_code == "4601") & (ours.year == 2030)]["population"].sum()
        assert np.nansum(dem.age_profile("4601", 2030)) == pytest.approx(2 * mine)
        assert "80+_low" not in dem.group_series("4601").columns   # no band without the alternatives
        out = cb.update_profile("4601", 2030, 1, None)
        assert "SSBs befolkningsframskriving" in out["status"]
    finally:
        store.init(data_dir, reload=True)
        dem.reset()


def test_band_spans_ssb_low_and_high_alternatives(data_dir):
    s = dem.group_series("NO").set_index("year")
    proj = pd.read_parquet(data_dir / "projection.parquet")
    nat = proj[(proj.level == "country") & (proj.year == 2040)]
    p80 = nat[nat.age >= 80].groupby("variant")["population"].sum()
    assert s.loc[2040, "80+_low"] == pytest.approx(p80["kalibrert_llml"])
    assert s.loc[2040, "80+_high"] == pytest.approx(p80["kalibrert_hhmh"])
    assert s.loc[2040, "80+"] == pytest.approx(p80["kalibrert_mmmm"])
    for m in ("67+", "80+", "90+", "care_ratio"):
        assert s.loc[2040, m + "_low"] <= s.loc[2040, m] <= s.loc[2040, m + "_high"], m
        assert s.loc[2026, m + "_low"] == s.loc[2026, m] and np.isnan(s.loc[2025, m + "_low"])
    b = dem.band_2040("4601", 2040)
    assert b["80+"][1] < b["80+"][0] < b["80+"][2]
    assert dem.band_2040("4601", 2026) is None   # observed year: no band


def test_track_record_views():
    v = dem.track_view("80+")
    assert set(v["vintage"]) >= {2005, 2014, 2022} and v["horizon"].min() == 1
    assert v.loc[v.vintage == 2005, "ours_error"].isna().all()      # no run from 2005
    assert v.loc[v.vintage == 2014, "ours_error"].notna().all()
    h = dem.track_by_horizon("80+").set_index("horizon")
    assert h.loc[1, "ssb_n"] == 11 and h.loc[1, "ours_n"] == 10
    assert h.loc[10, "ssb_mae"] == pytest.approx(v.loc[v.horizon == 10, "ssb_error"].abs().mean())
    with pytest.raises(store.QueryError):
        dem.track_view("80")


def test_corrupt_projection_is_a_message_not_a_traceback(tmp_path, data_dir):
    copy = tmp_path / "data"
    shutil.copytree(data_dir, copy)
    (copy / "projection.parquet").write_bytes(b"not parquet")
    try:
        store.init(copy)
        with pytest.raises(store.StoreError, match="projection.parquet"):
            dem.load()
        text = _text(page.layout())
        assert "Framskrivingen kan ikke vises" in text
    finally:
        store.init(data_dir, reload=True)
        dem.reset()


# ------------------------------------------------------------------------------------------ layout
def test_layout_from_url_and_bad_urls_give_notes():
    lay = _text(page.layout(kommune="4601", ar="2035", aldersgrupper="5"))
    assert '"value": "4601"' in lay and "avstemt mot SSBs nasjonale framskriving 2026" in lay
    assert "Tilbaketest" in lay and "2010→2020" in lay and "2014→2024" in lay
    bad = page.layout(kommune="abc", ar="1800", aldersgrupper="x", fylke=["46", "03"])
    txt = _text(bad)
    assert "Ukjent kommune" in txt and "Ugyldig år" in txt and "aldersgruppering" in txt
    assert "flere ganger" in txt


def test_coverage_indicators_found_only_for_per1000_80plus(monkeypatch):
    assert all(i["id"] for i in page.coverage_indicators())  # whatever the catalogue holds now
    cat = store.catalog()
    extra = cat.iloc[[0, 0, 0]].copy()
    extra["id"] = ["arsverk_per1000_80", "per1000_other", "arsverk_80_per100"]
    extra["unit"] = ["per1000", "per1000", "per100"]
    extra["name_nb"] = ["Årsverk per 1 000 innbyggere 80+", "Legeårsverk per 1 000 innbyggere", "Årsverk 80+"]
    extra["definition_nb"] = ["Årsverk i omsorgstjenesten per 1 000 innbyggere 80 år og over.", "x", "x"]
    extra["notes"] = ["", "", ""]
    monkeypatch.setattr(store, "catalog", lambda: pd.concat([cat, extra.set_index("id", drop=False)]))
    ids = [i["id"] for i in page.coverage_indicators()]
    assert "arsverk_per1000_80" in ids and "per1000_other" not in ids and "arsverk_80_per100" not in ids


# ------------------------------------------------------------------------------------------ callbacks
def test_summary_for_a_municipality():
    out = cb.update_summary("4601")
    txt = _text(out)
    assert out["heading"] == "Bergen: eldre i 2026 og 2040"
    assert "av 357 kommuner" in out["rank"] and "i Vestland" in out["rank"]
    assert "Vestland" in txt and "Hele landet" in txt and "(framskrevet)" in txt
    names = [t["name"] for t in out["care_figure"]["data"]]
    assert set(names) == {"Bergen", "Vestland", "Hele landet", "Bergen: spenn lav–høy"}  # band: Bergen only
    # the cards say which alternative the headline uses and show the low–high band
    assert "hovedalternativet (MMMM)" in txt and "lav nasjonal vekst (LLML)" in txt and "Lav–høy alternativ" in txt
    b = dem.band_2040("4601", 2040)
    from components.format import format_number
    assert f"{format_number(b['80+'][1])}–{format_number(b['80+'][2])}" in txt
    assert f"{format_number(b['care_ratio'][1], 1)}–{format_number(b['care_ratio'][2], 1)}" in txt
    dashes = {t["line"].get("dash") for t in out["care_figure"]["data"]}
    assert "dash" in dashes  # projected segments are dashed
    assert out["care_figure"]["layout"]["annotations"][0]["text"].startswith("Framskrevet")


@pytest.mark.parametrize("bad", [None, "", "9999", 4601, {"x": 1}, ["46"], "<b>"])
def test_summary_bad_region_falls_back_to_country(bad):
    out = cb.update_summary(bad)
    assert out["heading"].startswith("Hele landet")


def test_summary_for_county_and_country():
    assert "av 15 fylker" in cb.update_summary("46")["rank"]
    assert "hele landet" in cb.update_summary("NO")["rank"]


def test_profile_full_figure_then_patch_on_year_change():
    out = cb.update_profile("4601", 2026, 1, None)
    fig = out["figure"]
    assert isinstance(fig, dict) and len(fig["data"][0]["x"]) == 106 and out["key"]
    assert "registrert" in fig["layout"]["title"]["text"] and out["status"] == "2026: registrert"
    again = cb.update_profile("4601", 2035, 1, out["key"])
    assert isinstance(again["figure"], Patch)
    assert "framskrevet" in again["status"] and "avstemt mot SSBs nasjonale framskriving 2026" in again["status"]
    five = cb.update_profile("4601", 2035, 5, out["key"])  # grouping changed: a new figure
    assert isinstance(five["figure"], dict) and len(five["figure"]["data"][0]["x"]) == 21
    assert five["figure"]["data"][0]["marker"]["pattern"]["shape"] == "/"


@pytest.mark.parametrize("year,width", [(None, None), ("abc", "x"), (1999, 3), (2041, 5.5), (2030.5, -1),
                                        (float("nan"), None), (True, True)])
def test_profile_bad_inputs_fall_back(year, width):
    out = cb.update_profile("4601", year, width, None)
    assert out["status"] == "2026: registrert"
    assert isinstance(out["figure"], dict)


def test_profile_gap_year_is_a_message():
    out = cb.update_profile("NO", 2005, 1, None)
    assert out["key"] is None and "Ingen befolkningstall" in _text(out["figure"])


def test_groups_counts_and_index():
    c = cb.update_groups("4601", "count")
    i = cb.update_groups("4601", "index")
    assert "Bergen" in c["label"] and "framskrevet" in c["label"]
    idx = [t for t in i["figure"]["data"] if t["name"] == "80+"]
    ys = dict(zip(idx[0]["x"], idx[0]["y"]))
    assert ys[2026] == pytest.approx(100.0)
    assert "(framskrevet)" in _text(c["table"]) and "80+ lav–høy" in _text(c["table"])
    bands = [t for t in c["figure"]["data"] if t.get("fill") == "tonexty"]
    assert [t["name"] for t in bands] == ["67+: spenn lav–høy", "80+: spenn lav–høy", "90+: spenn lav–høy"]
    s = dem.group_series("4601").set_index("year")
    hi80 = dict(zip(bands[1]["x"], bands[1]["y"]))
    assert hi80[2040] == pytest.approx(s.loc[2040, "80+_high"])
    ib = [t for t in i["figure"]["data"] if t.get("fill") == "tonexty"][1]
    assert dict(zip(ib["x"], ib["y"]))[2026] == pytest.approx(100.0)   # the band is indexed too


def test_need_valid_value_matches_projected_population():
    out = cb.update_need("4601", "egen", "350", "per1000", "arsverk", "80+")
    assert out["message"] is None and out["button"] is False
    txt = _text(out["table"])
    s = dem.group_series("4601").set_index("year")
    from components.format import format_number
    assert format_number(0.35 * s.loc[2040, "80+"]) in txt and "2040 (framskr.)" in txt
    band = f"{format_number(0.35 * s.loc[2040, '80+_low'])}–{format_number(0.35 * s.loc[2040, '80+_high'])}"
    assert band in txt and "Lav–høy alternativ" in txt
    assert len(out["assumptions"]) == 5 and "hovedalternativet (MMMM)" in _text(out["assumptions"])


@pytest.mark.parametrize("value,unit,fragment", [("-1", "per1000", "negativ"), ("0", "per1000", "større enn null"),
                                                 ("mange", "per1000", "et tall"), ("2001", "per1000", "rimelig"),
                                                 ("201", "per100", "rimelig")])
def test_need_invalid_values_give_messages(value, unit, fragment):
    out = cb.update_need("4601", "egen", value, unit, "arsverk", "80+")
    assert fragment in _text(out["message"]) and out["table"] == "" and out["button"] is True


def test_need_empty_is_a_prompt_and_unknown_catalogue_basis_an_error():
    assert "Skriv inn" in _text(cb.update_need("4601", "egen", "", "per1000", "arsverk", "80+")["message"])
    out = cb.update_need("4601", "finnes_ikke", "350", "per1000", "arsverk", "80+")
    assert "Egen verdi" in _text(out["message"]) and out["unit_disabled"] is True
    # garbage in the other inputs falls back to defaults
    ok = cb.update_need("zz", None, "12,5", "per100", "???", "55+")
    assert ok["message"] is None and "Hele landet" in _text(ok["table"])


def test_download_csv_has_assumptions_and_source():
    out = cb.download_need(1, "46", "egen", "25", "per100", "mottakere", "67+")
    assert out["filename"] == "omsorgsatlas-hva-kreves-46.csv" and out["type"] == "text/csv"
    text = out["content"]
    assert "Hva kreves: Vestland" in text and "Forutsetninger" in text and "Kilde;" in text
    assert "Innbyggere 67+" in text and "avstemt mot SSBs nasjonale framskriving 2026" in text
    assert "Behov, lavt alternativ" in text
    for bad in [(None, "46", "egen", "25", "per100", "mottakere", "67+"), (1, "46", "egen", "-4", "per100", "x", "y")]:
        with pytest.raises(PreventUpdate):
            cb.download_need(*bad)


def test_need_from_catalogue_indicator_when_one_exists():
    found = page.coverage_indicators()
    if not found:
        pytest.skip("no per-1 000-80+ coverage indicator in the catalogue yet (only «Egen verdi» is offered)")
    basis = found[0]["id"]
    out = cb.update_need("4601", basis, "", "per100", "mottakere", "67+")
    assert out["message"] is None and out["unit_disabled"] and out["age_disabled"]
    txt = _text(out["assumptions"])
    assert "per 1 000 innbyggere 80 år og over" in txt and "landet" in txt and "egen dekning kan avvike" in txt
    assert "Innbyggere 80+" in _text(out["table"])


# ------------------------------------------------------------------------------------------ track record
def test_track_callback_all_vintages_and_one():
    out = cb.update_track("80+", "alle")
    names = [t["name"] for t in out["figure"]["data"]]
    assert "SSBs framskriving 2005" in names and "SSBs framskriving 2022" in names
    assert "Omsorgsatlas fra 2014" in names and "Omsorgsatlas fra 2005" not in names
    assert "Ti år fram" in out["summary"] and "Ti år fram" in out["label"]
    txt = _text(out["table"]) + _text(out["horizon"])
    assert "SSB, samme årganger som vår" in txt
    one = cb.update_track("90+", "2014")
    names = [t["name"] for t in one["figure"]["data"]]
    assert names == ["SSB 2014: lav og høy nasjonal vekst"] * 2 + ["SSBs framskriving 2014", "Omsorgsatlas fra 2014"]
    v = dem.track_view("90+")
    r = v[(v.vintage == 2014) & (v.year == 2024)].iloc[0]
    ssb = one["figure"]["data"][2]
    assert dict(zip(ssb["x"], ssb["y"]))[10] == pytest.approx(r["ssb_error"])


@pytest.mark.parametrize("age,vintage", [(None, None), ("80", "1999"), (["80+"], {"a": 1}), ("<b>", True), ("90+", 2013)])
def test_track_bad_inputs_fall_back(age, vintage):
    assert cb.valid_track(age, vintage)[1] == "alle"
    out = cb.update_track(age, vintage)
    assert out["figure"]["data"] and "Ti år fram" in out["summary"]


def test_layout_has_the_track_section_and_reads_its_url_parameters():
    lay = _text(page.layout(aldersgruppe="90+", argang="2014"))
    assert "Hvor godt traff framskrivingene?" in lay and '"value": "90+"' in lay and '"value": "2014"' in lay
    assert "befolkning-treffsikkerhet" in lay
    assert "hovedalternativet (MMMM)" in lay and "avstemt mot SSB" in lay and "5 års grunnlag" in lay
    assert "2016→2026" in lay


# ------------------------------------------------------------------------------------------ Hva kreves: KOSTRA coverage
def _share(iid, code):
    ind = pd.read_parquet(store.init().data_dir / "indicators.parquet")
    v = ind[(ind.indicator_id == iid) & (ind.region_code == code)]
    return None if v.empty else float(v["value"].iloc[-1])


def test_kostra_need_uses_the_municipality_s_own_coverage():
    r = cb.compute_kostra_need("4601", "egen")
    s = dem.group_series("4601").set_index("year")
    h = _share("kostra_hjemmetj_80plus", "4601")
    inst = _share("kostra_institusjon_80plus", "4601")
    assert [x.share_pct for x in r["services"]] == [h, inst] and {x.level for x in r["services"]} == {"egen"}
    last = r["rows"][-1]
    assert last["year"] == 2040 and last["need"]["kostra_hjemmetj_80plus"] == pytest.approx(h / 100 * s.loc[2040, "80+"])
    assert last["low"]["kostra_institusjon_80plus"] == pytest.approx(inst / 100 * s.loc[2040, "80+_low"])
    assert r["rows"][0]["year"] == 2026 and r["rows"][0]["low"] == {}      # today: no band
    assert [x["year"] for x in r["rows"]] == [2026, 2030, 2035, 2040] and not r["notes"]
    out = cb.update_kostra_need("4601", "egen")
    assert out["message"] is None and "Bergen: egen dekning" in _text(out["options"])
    txt = _text(out["table"]) + _text(out["assumptions"])
    assert "Mottakere av hjemmetjenester 80+" in txt and "rekonstruert" in txt and "kan ikke legges sammen" in txt
    assert "12209" in out["source"]


def test_kostra_need_with_the_county_s_and_the_country_s_coverage():
    c = cb.compute_kostra_need("4601", "fylke")
    assert c["services"][0].share_pct == pytest.approx(_share("kostra_hjemmetj_80plus", "46"))
    assert c["services"][0].where == "Vestland" and c["services"][0].level == "fylke"
    n = cb.compute_kostra_need("4601", "land")
    assert n["services"][1].share_pct == pytest.approx(_share("kostra_institusjon_80plus", "NO"))
    assert "Med landets dekning" in _text(cb.update_kostra_need("4601", "land")["options"])
    # the country has only its own; a county has no «fylke» of its own; junk falls back to «egen»
    assert cb.compute_kostra_need("NO", "egen")["basis"] == "land"
    assert [o["value"] for o in cb.compute_kostra_need("NO", "egen")["options"]] == ["land"]
    assert cb.compute_kostra_need("46", "fylke")["basis"] == "egen"
    assert cb.compute_kostra_need("4601", ["x"])["basis"] == "egen"


@pytest.mark.parametrize("code,missing", [("1151", {"kostra_hjemmetj_80plus", "kostra_institusjon_80plus"}),
                                          ("1816", {"kostra_institusjon_80plus"})])
def test_kostra_need_without_an_own_figure_gets_the_county_s_with_a_note(code, missing):
    """Utsira (1151) has no KOSTRA figures for 2025, Vevelstad (1816) no institution figure: the county's
    coverage is used instead and the note says so with SSB's reason; nothing is made up."""
    assert all(_share(iid, code) is None for iid in missing)
    r = cb.compute_kostra_need(code, "egen")
    county = store.region(code)["county_code"]
    for s in r["services"]:
        if s.indicator_id in missing:
            assert s.level == "fylke" and s.share_pct == pytest.approx(_share(s.indicator_id, county))
            assert "har ikke eget tall" in s.note and "fylkets dekning er brukt i stedet" in s.note
        else:
            assert s.level == "egen" and s.share_pct == pytest.approx(_share(s.indicator_id, code))
    out = cb.update_kostra_need(code, "egen")
    msg = _text(out["message"])
    assert "har ikke eget tall" in msg
    assert ("ikke rapportert" if code == "1151" else "mangler eller er skjult") in msg  # SSB's reason, from gap_notes


def test_kostra_need_without_the_indicators_is_a_message_not_numbers(monkeypatch):
    """Fixture: a catalogue without the KOSTRA ids (as before they were added)."""
    real = store.indicator
    monkeypatch.setattr(store, "indicator", lambda iid: None if iid.startswith("kostra_") else real(iid))
    out = cb.update_kostra_need("4601", "egen")
    assert "Ingen dekningsgrad fra KOSTRA" in _text(out["message"]) and out["table"] == ""
    assert "finnes ikke i denne databyggingen" in _text(out["assumptions"])


def test_catalogue_coverage_accepts_the_kostra_shares():
    ids = [i["id"] for i in page.coverage_indicators()]
    assert {"kostra_hjemmetj_80plus", "kostra_institusjon_80plus"} <= set(ids)
    v, unit, text = cb.catalogue_coverage("kostra_hjemmetj_80plus", "4601")
    assert unit == "per100" and v == pytest.approx(_share("kostra_hjemmetj_80plus", "4601")) and "Bergen" in text
    v, unit, text = cb.catalogue_coverage("kostra_hjemmetj_80plus", "1151")
    assert v == pytest.approx(_share("kostra_hjemmetj_80plus", "11")) and "fylkets tall" in text
    out = cb.update_need("4601", "kostra_institusjon_80plus", "", "per1000", "arsverk", "67+")
    assert out["message"] is None and "Mottakere" in _text(out["table"])


def test_missing_track_record_is_a_message_not_a_traceback(tmp_path, data_dir):
    copy = tmp_path / "data"
    shutil.copytree(data_dir, copy)
    (copy / "projection_track.parquet").unlink()
    try:
        store.init(copy, reload=True)
        dem.reset()
        assert "Hvor godt traff framskrivingene?" in _text(page.layout())
        out = cb.update_track("80+", "alle")
        assert "Sammenligningen kan ikke vises" in out["summary"] and "filen mangler" in out["summary"]
        assert "Bergen" in cb.update_summary("4601")["heading"]   # the rest of the page still works
    finally:
        store.init(data_dir, reload=True)
        dem.reset()


def find(node, id_):
    """The component with id ``id_`` in a layout tree, or None."""
    if getattr(node, "id", None) == id_:
        return node
    children = getattr(node, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and not isinstance(child, (str, int, float)):
            got = find(child, id_)
            if got is not None:
                return got
    return None


def test_region_picker_starts_with_the_chosen_option_and_keeps_all_in_a_store():
    """The picker renders only the chosen region's option (indexing ~370 options for the search cost every
    load ~0.4 s); the store next to it holds every region, which the browser puts in on first use."""
    lay = page.layout(kommune="4601")
    picker, every = find(lay, "pop-region"), find(lay, "pop-region-options")
    assert picker.value == "4601" and [o["value"] for o in picker.options] == ["4601"]
    assert picker.options[0]["label"].startswith("Bergen (4601")
    assert every.data == page.region_options() and len(every.data) == 1 + 15 + 357
    assert [o["value"] for o in find(page.layout(), "pop-region").options] == ["NO"]


def test_charts_wait_in_a_deferred_box_with_their_first_figure():
    """Each chart is a dcc.Graph inside a Deferred (components/deferred.py: mounted when it comes into view),
    the Deferred as tall as the figure; the first view's figure is on the Graph itself (no store in between)."""
    from components.deferred import Deferred, figure_height

    lay = page.layout(kommune="4601")
    for prefix in ("profile", "groups", "care", "track"):
        box = find(lay, f"{prefix}-container")
        assert box.role == "figure" and box.style["minHeight"].endswith("px")
        assert box.to_plotly_json()["props"]["aria-label"], prefix
        deferred = box.children
        assert isinstance(deferred, Deferred), f"{prefix}: {type(deferred)}"
        graph = deferred.children
        assert type(graph).__name__ == "Graph" and graph.id == f"{prefix}-graph"
        assert graph.figure["data"], f"{prefix}: the first view's figure is not on the graph"
        assert deferred.height == figure_height(graph.figure, -1) == int(box.style["minHeight"][:-2]), prefix
        assert graph.config["displaylogo"] is False
        assert graph.config["toImageButtonOptions"]["filename"] == f"omsorgsatlas-{prefix}"
        assert find(lay, f"{prefix}-figure") is None, f"{prefix}: the old figure store is still there"
    assert "Bergen" in json.dumps(find(lay, "profile-graph").figure["layout"]["title"], ensure_ascii=False)
