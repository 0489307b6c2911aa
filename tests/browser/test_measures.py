"""«Tiltak og tilskudd» in real headless Chromium (fixtures from tests/browser/conftest.py): all measures in
the table, search narrows it, «Vis» opens the detail view, the URL restores it, the grant chart and tables."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.keys import Keys

pytestmark = pytest.mark.browser


def rows(ui) -> int:
    return len(ui.els("#measures-table tbody tr"))


def test_measures_table_search_and_filters(ui):
    ui.open("/tiltak")
    ui.wait(lambda: rows(ui) == 125, "the table never showed all 125 measures")
    assert ui.text("#measures-count").startswith("Viser 125 av 125 tiltak")
    box = ui.el("#measures-search")
    box.send_keys("psykolog")
    ui.wait(lambda: 0 < rows(ui) < 125, "search did not narrow the table")
    n = rows(ui)
    assert ui.text("#measures-count").startswith(f"Viser {n} av 125")
    ui.wait(lambda: ui.query().get("sok") == "psykolog", "URL did not keep the search")
    # plan filter: untick KL2020
    ui.js("document.querySelector('#measures-plan input[value=\"KL2020\"]').click();")
    ui.wait(lambda: all(r.text.startswith("K2025") for r in ui.els("#measures-table tbody tr")) and rows(ui) <= n,
            "plan filter did not apply")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.BACKSPACE)
    ui.wait(lambda: rows(ui) == 73, "clearing the search did not show the 73 K2025 measures")
    assert not ui.app_error_shown() and not ui.severe_console()


def test_detail_view_opens_and_url_restores_it(ui):
    ui.open("/tiltak")
    ui.wait(lambda: rows(ui) == 125, "table never rendered")
    btn = ui.el("#measures-table tbody tr:nth-child(16) button.measure-show")
    label = btn.get_attribute("aria-label")
    ui.js("arguments[0].scrollIntoView({block: 'center', inline: 'center', behavior: 'instant'});", btn)
    btn.click()
    ui.wait(lambda: ui.els(".modal.show #measure-modal-title"), "the detail view did not open")
    title = ui.text("#measure-modal-title")
    assert title.startswith("K2025-1.16") and "K2025-1.16" in label
    assert "Kilde:" in ui.text("#measure-modal-body") and "Merknad om kilden" in ui.text("#measure-modal-body")
    ui.wait(lambda: ui.query().get("tiltak") == "K2025-1.16", "URL did not get tiltak=")

    # a fresh page load with that URL opens the same detail view
    url = ui.d.current_url
    ui.d.get(url)
    ui.wait(lambda: ui.els(".modal.show #measure-modal-title"), "the URL did not restore the detail view")
    assert ui.text("#measure-modal-title") == title
    ui.el("#measure-modal-close").click()
    ui.wait(lambda: not ui.els(".modal.show"), "the detail view did not close")
    ui.wait(lambda: "tiltak" not in ui.query(), "closing did not clear tiltak= from the URL")
    assert not ui.app_error_shown()


def test_grants_by_area(ui):
    ui.open("/tiltak")
    ui.wait(lambda: ui.els("#grant-graph .main-svg"), "grant chart never rendered")
    ticks = ui.js("return Array.from(document.querySelectorAll('#grant-graph .ytick text')).map(t => t.textContent);")
    assert "Oslo og Viken (4 fylker i 2024)" in ticks and len(ticks) == 10
    assert "«Oslo og Viken» dekker" in ui.text(".area-note")
    assert "Oslo og Viken" in ui.text_content("#grant-table-table")
    assert "bydeler i Oslo" in ui.text_content("table[id^=area-]")
