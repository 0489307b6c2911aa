"""«Om dataene» and the page shell (footer credits, language) in real headless Chromium."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

pytestmark = pytest.mark.browser

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def catalog() -> pd.DataFrame:
    return pd.read_parquet(DATA / "catalog.parquet").sort_values(["sort_order", "id"])


def catalog_rows(ui) -> list[str]:
    return ui.js("return Array.from(document.querySelectorAll('#catalog-table tbody th[scope=row]'))"
                 ".map(function (th) { return th.textContent.trim(); });")


def retype(box, text: str) -> None:
    """Replace an input's text with real key presses (WebElement.clear() bypasses React's onChange)."""
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.BACKSPACE)
    if text:
        box.send_keys(text)


def matching(catalog: pd.DataFrame, term: str) -> list[str]:
    """Documented search: every word in name, definition, source or id (case-insensitive)."""
    hay = (catalog["name_nb"] + " " + catalog["definition_nb"] + " " + catalog["source"] + " "
           + catalog["id"]).str.casefold()
    words = term.casefold().split()
    return list(catalog.loc[hay.map(lambda t: all(w in t for w in words)), "name_nb"])


# ------------------------------------------------------------------------------------------ 7. catalogue
def test_about_lists_every_indicator_and_search_filters(ui, catalog):
    ui.open("/om-dataene")
    all_names = list(catalog["name_nb"])
    ui.wait(lambda: catalog_rows(ui) == all_names, "catalogue table never listed every indicator in order")
    assert ui.text("#catalog-count") == f"{len(all_names)} indikatorer"
    _assert_shell(ui)  # footer credits and lang="nb" on a direct load of this page
    texts = ui.js("return Array.from(document.querySelectorAll('#catalog-table tbody tr'))"
                  ".map(function (tr) { return tr.textContent; });")
    assert len(texts) == len(catalog)
    for text, (_, ind) in zip(texts, catalog.iterrows()):
        assert ind["licence"] in text and ind["source"] in text, text[:200]

    box = ui.el("#catalog-search")
    for term in ("medianalder", "80 andel"):
        expected = matching(catalog, term)
        assert 0 < len(expected) < len(all_names), f"search term {term!r} must narrow the list"
        retype(box, term)
        ui.wait(lambda: catalog_rows(ui) == expected, f"search {term!r} never showed {expected}")
        assert ui.text("#catalog-count") == f"{len(expected)} av {len(all_names)} indikatorer"

    retype(box, "xyzzy-finnes-ikke")
    ui.wait(lambda: catalog_rows(ui) == [] and "Ingen indikatorer" in ui.text("#catalog-table"),
            "a search without hits never showed the empty message")
    assert ui.text("#catalog-count") == f"0 av {len(all_names)} indikatorer"

    retype(box, "")
    ui.wait(lambda: catalog_rows(ui) == all_names, "clearing the search never restored the full list")
    assert not ui.app_error_shown()


# ------------------------------------------------------------------------------------------ 8. shell
def _assert_shell(ui):
    assert ui.js("return document.documentElement.lang") == "nb"
    footer = ui.el("footer")
    text = footer.text
    assert "Statistisk sentralbyrå (SSB)" in text and "NLOD 2.0" in text
    assert "© Kartverket" in text and "CC BY 4.0" in text
    links = {a.text.strip(): a.get_attribute("href") for a in footer.find_elements(By.TAG_NAME, "a")}
    assert "ssb.no" in links["Statistisk sentralbyrå (SSB)"]
    assert "nlod" in links["NLOD 2.0"].lower()
    assert "kartverket.no" in links["Kartverket"]
    assert "creativecommons.org/licenses/by/4.0" in links["CC BY 4.0"]
    assert footer.is_displayed()


def test_footer_credits_and_language_on_both_pages(ui):
    ui.open("/?fylke=03")
    # the server's first paint (components/firstpaint.py) has the same h1 and footer: wait for the live page
    ui.wait(lambda: ui.text("h1") == "Kart og trender" and ui.js("return !document.getElementById('oa-first');"),
            "overview page never rendered")
    _assert_shell(ui)

    # client-side navigation through the menu keeps the shell
    link = next(a for a in ui.els("#navbar a") if a.text.strip() == "Om dataene")
    link.click()
    ui.wait(lambda: ui.text("h1") == "Om dataene", "menu link never opened «Om dataene»")
    assert ui.d.current_url.endswith("/om-dataene")
    _assert_shell(ui)  # (a direct load of /om-dataene is checked in the catalogue test above)
    assert not ui.app_error_shown()


# ------------------------------------------------------------------------------------------ 9. downloads
def test_download_section_lists_every_table_and_its_links_work(ui):
    """«Last ned data»: a captioned table with a link per table (the first build of the files may take a
    while, so the list arrives by callback); the links answer with the file, its size as listed."""
    ui.open("/om-dataene")
    ui.wait(lambda: ui.js("return document.querySelectorAll('#downloads-table tbody tr').length") > 0,
            "the download list never appeared", timeout=180)
    assert ui.text("#downloads-heading") == "Last ned data"
    assert "Filer til nedlasting" in ui.text("#downloads-table caption")
    assert ui.js("return Array.from(document.querySelectorAll('#downloads-table thead th'))"
                 ".every(function (th) { return th.getAttribute('scope') === 'col'; })")
    links = ui.js("return Array.from(document.querySelectorAll('#downloads-table tbody th[scope=row] a'))"
                  ".map(function (a) { return a.getAttribute('href'); });")
    tables = sorted(p.stem for p in DATA.glob("*.parquet"))
    for t in tables:
        assert f"/data/v1/{t}.csv" in links, t
    assert "/data/v1/omsorgsatlas-data.zip" in links and "/data/v1/SHA256SUMS" in links
    assert "/data/v1/geo/municipalities.geojson" in links
    # the links work: fetch a few from the page itself (same origin) and compare with the listed sizes
    results = ui.d.execute_async_script("""
        var done = arguments[arguments.length - 1];
        var urls = ['/data/v1/regions.csv', '/data/v1/regions.schema.json', '/data/v1/SHA256SUMS',
                    '/data/v1/indikator/share_80plus.json', '/data/v1/index.json', '/data/v1/finnes-ikke.csv'];
        Promise.all(urls.map(function (u) {
            return fetch(u).then(function (r) { return r.text().then(function (t) {
                return [u, r.status, t.length, t.slice(0, 60)]; }); });
        })).then(done, function (e) { done(String(e)); });
    """)
    status = {u: s for u, s, _n, _head in results}
    assert status["/data/v1/finnes-ikke.csv"] == 404
    assert all(s == 200 for u, s in status.items() if "finnes-ikke" not in u), status
    head = {u: h for u, _s, _n, h in results}
    assert head["/data/v1/regions.csv"].startswith("region_code,level,name")
    row = ui.js("var a = document.querySelector('#downloads-table a[href=\"/data/v1/regions.csv\"]');"
                "return a.closest('tr').textContent;")
    assert "kB" in row or " B" in row
    summary = ui.el("#downloads details summary")
    assert "JSON-stat 2.0" in summary.text
    assert not ui.app_error_shown()
