"""«Kart og trender» (/) in real headless Chromium against the app under gunicorn.

Expected values come straight from data/*.parquet (not from the app's store), so the app is checked
against the data contract, not against itself.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pandas as pd
import pytest
from selenium.webdriver.common.keys import Keys

pytestmark = pytest.mark.browser

DATA = Path(__file__).resolve().parents[2] / "data"
MISSING_GREY = "rgb(212, 212, 212)"  # the «Ingen data» colour (#d4d4d4)


@pytest.fixture(scope="module")
def regions() -> pd.DataFrame:
    return pd.read_parquet(DATA / "regions.parquet")


@pytest.fixture(scope="module")
def catalog() -> pd.DataFrame:
    return pd.read_parquet(DATA / "catalog.parquet").set_index("id", drop=False)


@pytest.fixture(scope="module")
def indicators() -> pd.DataFrame:
    return pd.read_parquet(DATA / "indicators.parquet")


def munis(regions, county: str | None = None) -> set[str]:
    m = regions[regions["level"] == "municipality"]
    if county:
        m = m[m["county_code"] == county]
    return set(m["region_code"])


def missing_municipalities(indicators, regions, indicator: str, year: int) -> set[str]:
    have = indicators[(indicators["indicator_id"] == indicator) & (indicators["level"] == "municipality")
                      & (indicators["year"] == year) & indicators["value"].notna()]
    return munis(regions) - set(have["region_code"])


def latest_year(catalog, indicator: str) -> int:
    return int(catalog.loc[indicator, "year_max"])


# ------------------------------------------------------------------------------------------ 1. the map
DEFAULT = "kostra_gp_share_no_gp"  # the front page opens on a care service (issue 11)


@pytest.mark.parametrize("path,indicator,year", [("/", DEFAULT, None), ("/?indikator=share_80plus&ar=2024", "share_80plus", 2024),
                                                 ("/?indikator=share_80plus&ar=2005", "share_80plus", 2005)],
                         ids=["default-care-service", "2024", "2005-has-gaps"])
def test_map_draws_every_municipality_and_grey_only_where_data_is_missing(ui, regions, catalog, indicators,
                                                                          path, indicator, year):
    year = year or latest_year(catalog, indicator)
    expected_grey = missing_municipalities(indicators, regions, indicator, year)
    if year == 2024:
        assert expected_grey == set(), "data/: 2024 is complete on 2024 borders"
    if year == 2005:  # makes sure the grey detection below is exercised
        assert expected_grey, "data/: 2005 has municipalities without data"
    if path == "/":  # six municipalities whose GP service a host municipality reports
        assert expected_grey == {"1853", "3336", "4220", "5514", "5518", "5528"}
    all_munis = munis(regions)
    assert len(all_munis) == 357

    ui.open(path)
    ui.wait(lambda: set(ui.fills()) == all_munis - expected_grey and str(year) in ui.map_title(),
            f"map for {year}: expected {len(all_munis - expected_grey)} coloured municipality shapes")
    shapes = ui.shapes()
    drawn = [s for s in shapes if s["drawn"]]
    coloured = [s for s in drawn if s["trace"] == "Verdi"]
    grey = [s for s in drawn if s["fill"] == MISSING_GREY or s["trace"] != "Verdi"]

    # every municipality is drawn exactly once: coloured where there is a value, grey where there is none
    assert len(coloured) == len(all_munis) - len(expected_grey)
    assert all(s["fill"] != MISSING_GREY and s["fill"].startswith("rgb(") for s in coloured)
    assert {s["loc"] for s in grey} == expected_grey
    assert all(s["fill"] == MISSING_GREY for s in grey)
    assert len(coloured) + len(grey) == 357
    assert len({s["fill"] for s in coloured}) > 50, "a continuous colour scale gives many distinct fills"
    assert not ui.app_error_shown()


# ------------------------------------------------------------------------------------------ 2. year slider
def test_year_slider_keyboard_recolours_map_and_updates_url(ui, regions):
    all_munis = munis(regions)
    ui.open("/?indikator=share_80plus&ar=2024")
    ui.wait(lambda: set(ui.fills()) == all_munis and "2024" in ui.map_title(), "map for 2024 never drawn")
    before = ui.fills()
    assert ui.query().get("ar") == "2024"

    thumb = ui.el("#year-slider [role=slider]")
    assert thumb.get_attribute("aria-valuenow") == "2024"
    thumb.send_keys(Keys.ARROW_LEFT)
    ui.wait(lambda: ui.query().get("ar") == "2023", f"URL never got ar=2023: {ui.d.current_url}")
    ui.wait(lambda: "2023" in ui.map_title(), "map title never showed 2023")
    ui.wait(lambda: sum(before[c] != f for c, f in ui.fills().items()) > len(all_munis) // 2,
            "fewer than half of the shapes changed colour 2024 -> 2023")
    after_left = ui.fills()
    assert set(after_left) == all_munis  # same shapes (a Patch), only the colours moved
    assert thumb.get_attribute("aria-valuenow") == "2023"
    assert ui.d.switch_to.active_element == thumb, "focus stays on the slider handle"

    thumb.send_keys(Keys.HOME)
    ui.wait(lambda: ui.query().get("ar") == "2005", f"URL never got ar=2005: {ui.d.current_url}")
    ui.wait(lambda: "2005" in ui.map_title() and "2005" in ui.text("#map-heading"),
            "map title / heading never showed 2005")
    ui.wait(lambda: sum(after_left.get(c) != f for c, f in ui.fills().items()) > len(all_munis) // 2,
            "fewer than half of the shapes changed colour 2023 -> 2005")
    q = ui.query()
    assert q["indikator"] == "share_80plus" and q["niva"] == "kommune"
    assert not ui.app_error_shown()


# ------------------------------------------------------------------------------------------ 3. county filter
def test_county_filter_narrows_map_and_ranked_table(ui, regions):
    names = dict(zip(regions["region_code"], regions["name"]))
    ui.open("/?indikator=share_80plus&ar=2024")
    ui.wait(lambda: len(ui.fills()) == 357, "whole-country map never drawn")
    ui.wait(lambda: len(ui.rank_names()) == 357, "ranked table never listed the 357 municipalities")

    for county in ("46", "03"):  # Vestland, Oslo
        expected = munis(regions, county)
        label = f"{names[county]} ({county})"
        ui.choose("county-dropdown", label, search=names[county])
        ui.wait_map(expected, f"map never narrowed to the {len(expected)} municipalities of {county}")
        ui.wait(lambda: sorted(ui.rank_names()) == sorted(names[c] for c in expected),
                f"ranked table never listed exactly the municipalities of {county}")
        assert ui.dropdown_value("county-dropdown") == label
        assert ui.query().get("fylke") == county
        assert names[county] in ui.text("#map-heading") or names[county] in ui.map_title()
    assert len(munis(regions, "46")) == 43 and len(munis(regions, "03")) == 1
    assert not ui.app_error_shown()


# ------------------------------------------------------------------------------------------ 4. shared URL
SHARED = "/?indikator=care_ratio&niva=kommune&fylke=46&kommune=4601&ar=2015"


def _assert_bergen_view(ui, regions, catalog):
    name = catalog.loc["care_ratio", "name_nb"]
    # after a reload the browser restores the scroll position: look at the map, then scroll down to the trend
    ui.wait(lambda: ui.reveal("#map-container") and set(ui.fills()) == munis(regions, "46"),
            "map never showed Vestland's municipalities")
    ui.wait(lambda: "2015" in ui.map_title(), "map title never showed 2015")
    ui.wait(lambda: ui.reveal("#trend-container") and "Bergen" in ui.text_content("#trend .gtitle"),
            "trend chart title never named Bergen")
    assert ui.dropdown_value("indicator-dropdown") == name
    assert ui.checked_level() == "kommune"
    assert ui.dropdown_value("county-dropdown") == "Vestland (46)"
    assert ui.dropdown_value("region-dropdown") == "Bergen (4601)"
    assert ui.slider_value() == "2015"
    trend_title = ui.text_content("#trend .gtitle")
    assert trend_title.startswith(name) and "Bergen" in trend_title and "Vestland" in trend_title
    assert "Bergen" in ui.text("#trend-heading")
    ui.wait(lambda: "Bergen" in ui.rank_names(), "Bergen missing from the ranked table")
    assert "2015" in ui.text("#rank-table caption")
    assert ui.query() == dict(parse_qsl(urlsplit(SHARED).query))
    assert not ui.els("#url-note"), "a valid URL must not show a note"


def test_shared_url_restores_view_and_survives_reload(ui, regions, catalog):
    ui.open(SHARED)
    _assert_bergen_view(ui, regions, catalog)
    ui.d.refresh()
    _assert_bergen_view(ui, regions, catalog)


# ------------------------------------------------------------------------------------------ 5. bad URL
def test_bad_url_params_show_note_and_default_view(ui, regions, catalog):
    ui.open("/?indikator=nope&ar=abc&fylke=99")
    ui.wait(lambda: len(ui.fills()) == 351, "default whole-country map never drawn (351 with GP figures)")
    note = ui.el("#url-note")
    assert note.is_displayed() and note.get_attribute("role") == "alert"
    for bad in ("nope", "99", "abc"):
        assert f"«{bad}»" in note.text, note.text
    latest = str(latest_year(catalog, DEFAULT))
    ui.wait(lambda: latest in ui.map_title(), "default year never shown")
    assert ui.dropdown_value("indicator-dropdown") == catalog.loc[DEFAULT, "name_nb"]
    assert ui.dropdown_value("county-dropdown") == "Hele landet"
    assert ui.checked_level() == "kommune"
    assert ui.slider_value() == latest
    assert ui.text("h1") == "Kart og trender"
    assert ui.query() == {"indikator": DEFAULT, "niva": "kommune", "ar": latest}
    body = ui.text("body")
    for error_text in ("Noe gikk galt", "Fant ikke siden", "Traceback", "Internal Server Error"):
        assert error_text not in body
    assert not ui.app_error_shown()
    assert not [m for m in ui.severe_console() if "favicon" not in m], "console errors on a bad URL"


# ------------------------------------------------------------------------------------------ 6. map click
def test_click_on_map_selects_municipality_for_trend(ui, regions):
    names = dict(zip(regions["region_code"], regions["name"]))
    vestland = munis(regions, "46")
    ui.open("/?indikator=share_80plus&fylke=46&ar=2024")
    ui.wait_map(vestland)
    ui.wait(lambda: "Vestland" in ui.text("#trend-heading"), "trend never showed the county")
    assert "Luster" not in ui.text("#trend-heading")

    for code in ("4644", "4640"):  # Luster, Sogndal: large inland shapes
        ui.click_region(code)
        ui.wait(lambda: names[code] in ui.text("#trend-heading"),
                f"trend heading never named {names[code]} after a click: {ui.text('#trend-heading')!r}")
        ui.wait(lambda: ui.reveal("#trend-container") and names[code] in ui.text_content("#trend .gtitle"),
                "trend chart title not updated")
        assert ui.dropdown_value("region-dropdown") == f"{names[code]} ({code})"
        ui.wait(lambda: ui.query().get("kommune") == code, "URL never got the clicked municipality")
    assert "Luster" not in ui.text("#trend-heading")
    assert not ui.app_error_shown()
