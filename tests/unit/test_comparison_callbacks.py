"""Callbacks and layouts of «Min kommune» and «Fylkesbildet», called directly (no browser)."""
from __future__ import annotations

import json

import pytest

import store

store.init()
import callbacks.comparison as cmp  # noqa: E402
from callbacks.county import update_rug, wall_font_px  # noqa: E402
from callbacks.profile import update_profile, update_profile_trend  # noqa: E402


def _text(component) -> str:
    from plotly.io.json import to_json_plotly
    return json.dumps(json.loads(to_json_plotly(component)), ensure_ascii=False)


@pytest.mark.parametrize("area", ["befolkning", "hjemmetjenester", "institusjon", None])
def test_profile_works_for_every_area(area):
    out = update_profile("4601", area)
    assert out["trend_hidden"] is False
    txt = _text(out["body"])
    assert "Bergen" in txt and "Rang av 357" in txt and "Statistiske naboer" in txt


def test_profile_rows_cover_every_catalogue_indicator_with_a_current_value():
    rows = cmp.profile_rows("1151", None)
    ids = {r["id"] for r in rows}
    expected = {i for i in store.catalog().index if store.profile_year(i)}
    assert ids == expected
    for r in rows:
        assert r["bench_country"].key in ("better", "worse", "similar", "higher", "lower", "q1", "q2", "q3", "q4", "q5",
                                          "none")
        if r["value"] is None:  # Utsira reports no 12209 figures: a gap with the reason, never a rank
            assert r["gap_reason"] and r["rank_all"] is None and r["bench_country"].key == "none"
            continue
        # "no difference" only where an interval was tested
        if r["bench_country"].key == "similar":
            assert r["ci_low"] is not None and r["ci_high"] is not None
        assert 1 <= r["rank_all"] <= 357 and 1 <= r["rank_county"] <= r["n_county"]
    assert {r["id"] for r in rows if r["value"] is None} == {"kostra_hjemmetj_80plus", "kostra_institusjon_80plus"}


def test_bergen_median_age_is_in_the_lowest_fifth_not_no_difference():
    """Issue 13: Bergen's median age (38.6 against the country's 41.1, ranked 344 of 357) has no interval, so
    it is placed among the municipalities (lowest fifth), never called «Ingen forskjell»."""
    row = next(r for r in cmp.profile_rows("4601", None) if r["id"] == "median_age")
    assert row["ci_low"] is None and row["rank_all"] > 0.8 * row["n_all"]
    for b in (row["bench_country"], row["bench_county"]):
        assert (b.key, b.method, b.quintile, b.label_nb) == ("q1", "quintile", 1, "Laveste femtedel")
    txt = _text(update_profile("4601", "befolkning")["body"])
    assert "Laveste femtedel" in txt and "femtedel blant kommunene" in txt
    assert "Medianalder" in txt
    # the share of 67+ has an interval: significance wording (below the country), no fifth
    s67 = next(r for r in cmp.profile_rows("4601", None) if r["id"] == "share_67plus")
    assert s67["ci_low"] is not None
    assert (s67["bench_country"].method, s67["bench_country"].label_nb) == ("significance", "Lavere")


def test_bergen_median_age_in_english():
    from components import i18n
    with i18n.use_lang("en"):
        txt = _text(update_profile("4601", "befolkning")["body"])
    assert "Lowest fifth" in txt and "lowest fifth among the municipalities" in txt
    assert "Laveste femtedel" not in txt


def test_profile_bad_inputs_fall_back():
    for bad in (None, "", "9999", 4601, {"x": 1}, "03"):
        out = update_profile(bad, "befolkning")
        assert out["trend_hidden"] is True
    # unknown area: all indicators
    assert "Alle tjenesteområder" in _text(update_profile("0301", "tull")["body"])
    # knr without leading zero
    assert "Oslo" in _text(update_profile("301", None)["body"])


def test_profile_trend_has_country_county_and_neighbour_medians():
    out = update_profile_trend("4601", "share_80plus")
    names = [t["name"] for t in out["figure"]["data"]]
    assert names[:3] == ["Bergen", "Vestland", "Norge"]
    assert "Geografiske naboer (median)" in names and "Statistiske naboer (median)" in names
    assert max(out["figure"]["data"][0]["x"]) <= store.reference_year()


def test_geo_and_stat_neighbours():
    geo = {r["code"]: r for r in cmp.geo_neighbours("0301")}
    assert "3201" in geo and geo["3201"]["relation"] == "border"
    assert {r["relation"] for r in cmp.geo_neighbours("1151")} == {"nearest"}
    stat = cmp.stat_neighbours("0301")
    assert len(stat) == 10 and [r["rank"] for r in stat] == list(range(1, 11))
    why = cmp.why_features("0301")
    assert {w["feature"] for w in why} >= {"log_population", "share_80plus"}


def test_rug_rows_and_sorting():
    cols, rows = cmp.rug_data("46", "befolkning", "share_80plus", True)
    assert [r["level"] for r in rows[:2]] == ["country", "county"]
    assert len(rows) == 2 + len(store.municipalities("46"))
    vals = [r["cells"]["share_80plus"]["value"] for r in rows[2:]]
    assert vals == sorted(vals, reverse=True)
    _, by_name = cmp.rug_data("46", "befolkning", "navn", False)
    names = [r["name"] for r in by_name[2:]]
    assert names == sorted(names)


def test_update_rug_links_cells_to_profiles_and_large_mode():
    out = update_rug("46", "befolkning", "knr", [], ["large"])
    assert "wall-mode" in out["page_class"]
    assert "--rug-font" in out["rug_style"]
    # the matrix is one pre-rendered HTML string (components/htmlblock.py) whose cells link to the profile,
    # as in-app links
    markup = out["rug"]
    assert isinstance(markup, str) and markup.startswith('<table id="rug-table" ')
    assert '<a href="/kommune?knr=4601&amp;omrade=befolkning" class="rug-link" data-app-link="">' in markup
    assert markup.count("<tr") == 1 + 2 + len(store.municipalities("46"))  # header, country, county, municipalities
    assert update_rug("46", "befolkning", "knr", [], [])["rug_style"] == {}
    assert update_rug("99", "befolkning", "knr", [], [])["title"] == "Fylkesbildet"


def test_wall_font_fits_50_municipalities_on_1080():
    px = wall_font_px(52)
    assert 10 <= px <= 16
    assert (52 + 3.6) * (1.28 * px + 1) <= 1080 - 200 + 1
    assert wall_font_px(5) > wall_font_px(40)


def test_layouts_parse_url_state():
    import app  # noqa: F401  (pages register after the app exists)
    from pages import county, profile
    txt = _text(profile.layout(knr="4601", omrade="institusjon", indikator="care_ratio"))
    assert '"value": "4601"' in txt and '"value": "institusjon"' in txt and '"value": "care_ratio"' in txt
    bad = _text(profile.layout(knr="abc", omrade="x"))
    assert "Ukjent kommune" in bad and "Ukjent tjenesteområde" in bad
    txt = _text(county.layout(fnr="46", sorter="share_80plus", rekkefolge="synkende", storskjerm="1"))
    assert "wall-mode" in txt and '"value": "share_80plus"' in txt


def test_neighbour_tables_show_the_care_services():
    heads = cmp.headline_indicators(None)  # all areas: the first indicator of each care-service area
    assert [h["id"] for h in heads] == ["kostra_hjemmetj_80plus", "kostra_institusjon_80plus", "kostra_gp_share_no_gp"]
    assert [h["id"] for h in cmp.headline_indicators("legetjeneste")][0] == "kostra_gp_share_no_gp"
    txt = _text(update_profile("1853", None)["body"])  # Evenes: GP service reported by a host municipality
    assert "Andel pasienter på fastlegeliste uten lege (2025)" in txt and "(valgt)" in txt
    assert "Ingen data – Kommunen har ikke egne tall" in txt
    vals = cmp.neighbour_values_of(store.profile_view("1853", None))  # Narvik (1806) borders Evenes
    assert vals["1853"][2] == "–" and vals["1806"][2].endswith("%")  # Evenes has no GP figure; Narvik has
