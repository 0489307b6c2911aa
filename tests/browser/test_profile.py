"""«Min kommune» (/kommune) and «Fylkesbildet» (/fylke) in headless Chromium against gunicorn."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from selenium.webdriver.common.keys import Keys

pytestmark = pytest.mark.browser


def _query(ui) -> dict:
    return dict(parse_qsl(urlsplit(ui.d.current_url).query))


def _profile_name(ui) -> str:
    return ui.text("#profile-name").strip()


def test_search_by_number_and_by_name(ui):
    ui.open("/kommune")
    ui.wait(lambda: ui.els("#profile-muni"), "no search box")
    ui.choose("profile-muni", "Bergen (4601)", search="4601")
    ui.wait(lambda: _profile_name(ui) == "Bergen", "Bergen's profile did not load")
    ui.wait(lambda: _query(ui).get("knr") == "4601", "URL did not get knr=4601")
    ui.wait(lambda: ui.reveal("#profile-spine-container") and ui.els("#profile-spine .main-svg"),
            "the spine chart was never drawn")  # mounted when its box is seen (components/deferred.py)
    assert ui.els("#profile-table-table tbody tr")
    ui.choose("profile-muni", "Utsira (1151)", search="Utsir")
    ui.wait(lambda: _profile_name(ui) == "Utsira", "Utsira's profile did not load")
    geo = ui.text_content("#geo-neighbours-table")
    assert "Nærmeste over sjø" in geo
    assert len(ui.els("#stat-neighbours-table tbody tr")) == 11  # the selected municipality + its 10 neighbours
    assert not ui.app_error_shown() and not ui.severe_console()


def test_url_state_is_restored(ui):
    ui.open("/kommune?knr=0301&omrade=institusjon&indikator=care_ratio")
    ui.wait(lambda: _profile_name(ui).startswith("Oslo"), "Oslo's profile did not load")
    # the profile's text is plain markup and shows at once; the dropdown's code arrives a little later
    ui.wait(lambda: "Institusjon" in ui.dropdown_value("profile-area"), "the service area was not restored")
    ui.wait(lambda: ui.reveal("#profile-trend-container")
            and "Omsorgsressurs" in ui.text_content("#profile-trend .gtitle"), "trend title")
    q = _query(ui)
    assert q == {"knr": "0301", "omrade": "institusjon", "indikator": "care_ratio"}
    # Oslo–Bærum share a border
    assert "Bærum" in ui.text_content("#geo-neighbours-table")


def test_matrix_cell_opens_the_profile(ui):
    ui.open("/fylke?fnr=46&omrade=befolkning")
    ui.wait(lambda: len(ui.els("#rug-table tbody tr")) == 45, "matrix for Vestland (43 + county + country)")
    rows = ui.els("#rug-table tbody tr th[scope=row]")
    assert rows[0].text == "Norge" and rows[1].text == "Vestland"
    cell = ui.wait(lambda: next((a for a in ui.els("#rug-table a.rug-link")
                                 if "knr=4601" in (a.get_attribute("href") or "")), None), "Bergen cell")
    ui.js("window.oaSamePage = true;")  # gone after a full page load
    cell.click()
    ui.wait(lambda: urlsplit(ui.d.current_url).path == "/kommune", "did not navigate to the profile")
    ui.wait(lambda: _profile_name(ui) == "Bergen", "Bergen's profile did not load")
    assert _query(ui).get("omrade") == "befolkning"
    # the matrix is pre-rendered HTML (components/htmlblock.py), yet its links navigate within the app as
    # dcc.Link does, without reloading the page; Back returns to the matrix
    assert ui.js("return window.oaSamePage === true;")
    ui.d.back()
    ui.wait(lambda: len(ui.els("#rug-table tbody tr")) == 45, "Back did not bring the matrix again")
    assert ui.js("return window.oaSamePage === true;") and not ui.app_error_shown()


def test_matrix_sorts_by_a_column_header(ui):
    ui.open("/fylke?fnr=46&omrade=befolkning")
    ui.wait(lambda: len(ui.els("#rug-table tbody tr")) == 45, "matrix")
    link = next(a for a in ui.els("#rug-table thead a.rug-sort") if "sorter=share_80plus" in a.get_attribute("href"))
    # keyboard: the sort links are real links in the tab order (Enter follows them)
    ui.js("arguments[0].focus();", link)
    assert ui.js("return document.activeElement === arguments[0];", link)
    link.send_keys(Keys.ENTER)
    ui.wait(lambda: _query(ui).get("sorter") == "share_80plus", "URL did not get sorter")
    ui.wait(lambda: ui.els("#rug-table thead th[aria-sort=descending]"), "no aria-sort")
    col = [th.text for th in ui.els("#rug-table thead th")].index(
        next(th.text for th in ui.els("#rug-table thead th") if th.text.startswith("Andel 80")))

    def values():
        out = []
        for tr in ui.els("#rug-table tbody tr")[2:]:
            txt = tr.find_elements("css selector", "th, td")[col].text.split("\n")[0]
            out.append(float(txt.strip("▲▼●○ \u00a0%").replace("\u00a0", "").replace(",", ".")))
        return out
    vals = ui.wait(values, "values")
    assert vals == sorted(vals, reverse=True)


def test_large_type_mode_fits_a_wall_screen(ui):
    # the viewport itself (set_window_size would include the browser's own chrome)
    ui.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                         {"width": 1920, "height": 1080, "deviceScaleFactor": 1, "mobile": False})
    ui.open("/fylke?fnr=34&storskjerm=1")
    ui.wait(lambda: len(ui.els("#rug-table tbody tr")) == 48, "matrix for Innlandet (46 + 2)")
    # presentation mode (storskjerm=1 is its alias): controls and menu hidden, only the toggle to leave
    assert not ui.el(".county-controls").is_displayed() and not ui.el("#main-nav").is_displayed()
    assert ui.el("#present-toggle").is_displayed()
    bottom, inner = ui.js("return [document.querySelector('#rug-table').getBoundingClientRect().bottom, "
                          "window.innerHeight];")
    assert inner == 1080 and bottom <= inner, f"matrix ends at {bottom}px, viewport {inner}px"
