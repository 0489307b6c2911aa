"""«Befolkning og behov» in real headless Chromium (fixtures from tests/browser/conftest.py): URL state, the
year slider into the projection (marked «framskrevet»), the region picker, «Hva kreves» validation and the
CSV download."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from selenium.webdriver.common.keys import Keys

pytestmark = pytest.mark.browser


def retype(box, text: str) -> None:
    """Replace an input's text with real key presses (WebElement.clear() bypasses React's onChange)."""
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.BACKSPACE)
    if text:
        box.send_keys(text)


def profile_title(ui) -> str:
    return ui.text_content("#profile-graph .gtitle")


def test_population_page_from_url_slider_and_region(ui):
    ui.open("/befolkning?kommune=4601&ar=2035&aldersgrupper=5")
    # the age profile is drawn when it comes into view (a Deferred box, components/deferred.py): scroll to it
    ui.wait(lambda: ui.reveal("#profile-container") and "Bergen" in profile_title(ui) and "2035" in profile_title(ui),
            "profile never showed Bergen 2035")
    assert "framskrevet" in profile_title(ui)
    assert "FRAMSKREVET" in ui.text_content("#profile-graph .annotation")
    assert "framskrevet" in ui.text("#pop-year-status")
    assert "avstemt mot SSBs nasjonale framskriving 2026" in ui.text("#pop-variant")
    ui.wait(lambda: "Lav–høy alternativ" in ui.text("#pop-cards") and "hovedalternativet (MMMM)" in ui.text("#pop-cards"),
            "cards never showed the low–high band and the headline alternative")
    assert ui.text("#pop-heading") == "Bergen: eldre i 2026 og 2040"
    ui.wait(lambda: "av 357 kommuner" in ui.text("#pop-rank"), "rank text missing")
    assert len(ui.els("#profile-graph g.point")) == 21  # five-year groups
    assert ui.el("#pop-width input[value='5']").is_selected()

    # keyboard on the slider: Home -> first year (registrert), End -> 2040 (framskrevet)
    handle = ui.el("#pop-year [role=slider]")
    handle.send_keys(Keys.END)
    ui.wait(lambda: "2040" in profile_title(ui), "End did not move to 2040")
    ui.wait(lambda: ui.query().get("ar") == "2040", "URL did not follow the slider")
    handle.send_keys(Keys.HOME)
    ui.wait(lambda: "2005" in profile_title(ui) and "registrert" in profile_title(ui), "Home did not move to 2005")
    assert "registrert" in ui.text("#pop-year-status")

    # region picker -> county; URL follows with fylke=
    ui.choose("pop-region", "Vestland (fylke)", search="Vestland")
    ui.wait(lambda: ui.text("#pop-heading").startswith("Vestland"), "county summary never shown")
    ui.wait(lambda: ui.query().get("fylke") == "46" and "kommune" not in ui.query(), "URL did not get fylke=46")
    ui.wait(lambda: "av 15 fylker" in ui.text("#pop-rank"), "county rank missing")
    assert not ui.app_error_shown()
    assert not [m for m in ui.severe_console() if "favicon" not in m]


def test_bad_url_shows_note_and_country(ui):
    ui.open("/befolkning?kommune=abc&ar=3000")
    ui.wait(lambda: ui.text("#pop-heading").startswith("Hele landet"), "country default not shown")
    note = ui.text("#pop-url-note")
    assert "Ukjent kommune" in note and "Ugyldig år" in note
    assert not ui.app_error_shown()


def test_hva_kreves_validates_and_downloads_csv(ui, driver, tmp_path):
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    ui.open("/befolkning?kommune=4601")
    ui.wait(lambda: ui.els("#need-basis input:checked") and ui.text("#pop-heading"), "page never rendered")
    if ui.els("#need-basis input[value='egen']:not(:checked)"):
        # a catalogue coverage indicator exists and is the default: the table is there at once
        ui.wait(lambda: "2040 (framskr.)" in ui.text("#need-table"), "catalogue basis gave no table")
        assert not ui.el("#need-value").is_enabled()
        def choose_own():  # «Egen verdi»; repeated until React has taken the click
            radio = ui.el("#need-basis input[value='egen']")
            if not radio.is_selected():
                ui.js("arguments[0].click()", radio)
                time.sleep(0.5)
            return radio.is_selected()
        ui.wait(lambda: choose_own() and "Skriv inn" in ui.text("#need-message"),
                "«Egen verdi» gave no prompt", timeout=60)
    ui.wait(lambda: "Skriv inn" in ui.text("#need-message"), "no prompt before a value is typed")
    box = ui.el("#need-value")
    button = ui.el("#need-download-button")
    assert not button.is_enabled()
    for bad, fragment in (("-3", "negativ"), ("0", "større enn null"), ("tre", "et tall"), ("5000", "rimelig")):
        retype(box, bad)
        ui.wait(lambda: fragment in ui.text("#need-message"), f"{bad!r}: no message with {fragment!r}")
        assert not ui.els("#need-table table")
    retype(box, "350,5")
    ui.wait(lambda: ui.els("#need-table table") and "2040 (framskr.)" in ui.text("#need-table"),
            "need table never appeared")
    assert ui.text("#need-message") == ""
    assert len(ui.els("#need-assumptions li")) == 5   # + the sentence on the headline alternative and the band
    ui.wait(lambda: ui.el("#need-download-button").is_enabled(), "download button stayed disabled")
    btn = ui.el("#need-download-button")
    ui.js("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", btn)
    target = Path(tmp_path) / "omsorgsatlas-hva-kreves-4601.csv"
    ui.wait(lambda: target.is_file() and target.stat().st_size > 0, "CSV was not downloaded", timeout=30)
    time.sleep(0.3)
    text = target.read_text(encoding="utf-8-sig")
    assert text.startswith("Hva kreves: Bergen") and "Forutsetninger" in text and "\nKilde;" in text
    assert "350,5 årsverk per 1 000 innbyggere 80 år og over" in text
    assert not ui.app_error_shown()


def test_kostra_coverage_and_track_record(ui):
    """Utsira has no KOSTRA figures: the county's coverage with a note; the track record follows its controls
    and the URL."""
    ui.open("/befolkning?kommune=1151&aldersgruppe=90%2B&argang=2014")
    ui.wait(lambda: "2040 (framskr.)" in ui.text("#need-kostra-table"), "KOSTRA need table never appeared")
    assert "har ikke eget tall" in ui.text("#need-kostra-message") and "fylkets dekning" in ui.text("#need-kostra-message")
    assert ui.el("#need-kostra-basis input[value='egen']").is_selected()
    # the chart is drawn when it comes into view (a Deferred box, components/deferred.py), not before
    assert ui.el("#track-container > [data-oa-deferred]").get_attribute("data-oa-deferred") == "waiting"
    assert not ui.els("#track-graph")
    ui.wait(lambda: ui.reveal("#track-container")
            and ui.el("#track-container > [data-oa-deferred]").get_attribute("data-oa-deferred") == "drawn",
            "the track chart's box was not drawn when scrolled into view")
    ui.wait(lambda: "90 år og over" in ui.text_content("#track-graph .gtitle")
            and "2014" in ui.text_content("#track-graph .gtitle"), "track chart never rendered 90+ from 2014")
    assert "Ti år fram" in ui.text("#track-summary")
    assert "SSB 2014: lav og høy nasjonal vekst" in ui.text_content("#track-graph .legend")
    ui.wait(lambda: ui.query().get("argang") == "2014" and ui.query().get("aldersgruppe") == "90+",
            "URL did not keep the track record's choices")
    radio = ui.el("#need-kostra-basis input[value='land']")
    ui.js("arguments[0].click()", radio)
    ui.wait(lambda: "landet" in ui.text("#need-kostra-assumptions") and not ui.text("#need-kostra-message"),
            "the country's coverage was not applied")
    assert not ui.app_error_shown()
    assert not [m for m in ui.severe_console() if "favicon" not in m]


def test_tables_behind_vis_tabell_are_written_when_opened_and_follow_the_controls(ui):
    """The tables arrive as pre-rendered HTML (components/htmlblock.py); one behind a closed «Vis tabell» is
    written into the page only when it is opened, and afterwards follows the controls like the chart."""
    ui.open("/befolkning?kommune=4601&ar=2035&aldersgrupper=5")
    ui.wait(lambda: ui.reveal("#profile-container") and "Bergen" in profile_title(ui), "profile never showed Bergen")
    ui.wait(lambda: ui.els("#pop-compare-table tbody tr"), "the comparison table (not behind «Vis tabell») is missing")
    assert not ui.els("#profile-table table")  # closed: not in the document yet
    summary = ui.el("#profile-table").find_element("xpath", "preceding-sibling::summary")
    ui.js("arguments[0].focus();", summary)
    summary.send_keys(Keys.ENTER)  # keyboard opens it
    ui.wait(lambda: len(ui.els("#profile-table tbody tr")) == 22, "the age table never appeared (21 groups + total)")
    assert "2035" in ui.text("#profile-table caption")
    ui.el("#pop-year [role=slider]").send_keys(Keys.END)  # the open table follows the year like the chart
    ui.wait(lambda: "2040" in ui.text("#profile-table caption"), "the open table did not follow the slider")
    assert len(ui.els("#profile-table tbody tr")) == 22
    assert not ui.app_error_shown() and not ui.severe_console()
