"""Languages (components/i18n.py): the English catalogue is complete, the language is chosen safely, numbers
and dates follow the language, and caches keep the languages apart."""

from __future__ import annotations

import datetime as dt
import re
from configparser import ConfigParser
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from components import i18n
from components.format import (NBSP, format_date, format_number, format_percent, format_value, plotly_separators)
from components.i18n import _, current_lang, ngettext, pick, use_lang, valid_lang

REPO = Path(__file__).resolve().parents[2]
PO = REPO / "components" / "locale" / "en" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {"_": None, "gettext": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}


def _method_map() -> list[tuple[str, str]]:
    """The [python: …] sections of babel.cfg (the same files ``pybabel extract -F babel.cfg`` reads)."""
    text = (REPO / "babel.cfg").read_text(encoding="utf-8")
    cfg = ConfigParser()
    cfg.read_string(text)
    out = []
    for section in cfg.sections():
        method, _sep, pattern = section.partition(":")
        out.append((pattern.strip(), method.strip()))
    assert out, "babel.cfg lists no files"
    return out


@pytest.fixture(scope="module")
def extracted() -> dict:
    msgs = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
            str(REPO), method_map=_method_map(), keywords=KEYWORDS):
        msgs[(message, context)] = f"{filename}:{lineno}"
    return msgs


@pytest.fixture(scope="module")
def catalog():
    with PO.open("rb") as fh:
        return read_po(fh, locale="en")


def test_every_extracted_message_has_an_english_translation(extracted, catalog):
    assert len(extracted) > 300  # the whole UI is marked
    missing = []
    for (msgid, ctx), where in extracted.items():
        m = catalog.get(msgid, ctx)
        if m is None or not m.string or (isinstance(m.string, tuple) and not all(m.string)) or m.fuzzy:
            missing.append(f"{where}: {msgid!r}")
    assert not missing, "untranslated messages (run the extraction and translate):\n" + "\n".join(missing)


def test_po_has_no_obsolete_or_fuzzy_entries(extracted, catalog):
    assert not catalog.obsolete
    ids = {(m.id, m.context) for m in catalog if m.id}
    obsolete = ids - set(extracted)
    assert not obsolete, f"entries no longer in the code: {sorted(map(str, obsolete))[:20]}"
    assert not [m.id for m in catalog if m.id and m.fuzzy]
    assert "#, fuzzy" not in PO.read_text(encoding="utf-8")


def test_placeholders_match(catalog):
    """{name} placeholders of the bokmål text are all in the English text (str.format would raise)."""
    bad = []
    for m in catalog:
        if not m.id or isinstance(m.id, tuple):
            continue
        want = set(re.findall(r"(?<!\{)\{(\w+)\}(?!\})", m.id))
        got = set(re.findall(r"(?<!\{)\{(\w+)\}(?!\})", m.string))
        if want != got:
            bad.append((m.id, m.string))
    assert not bad


def test_translations_are_english_not_copies(catalog):
    """Texts that differ in English are translated (proper names and codes may stay the same)."""
    same = [m.id for m in catalog if m.id and not isinstance(m.id, tuple) and m.string == m.id]
    allowed = {"Data", "Region", "Plan", "Status", "Kartgrunnlag © Kartverket, CC BY 4.0"}
    assert not [s for s in same if s not in allowed and re.search(r"[a-zæøå]{4}", s)], same


@pytest.mark.parametrize("value, expected", [
    ("en", "en"), ("EN", "en"), (" nb ", "nb"), ("nb-NO", "nb"), ("en-GB", "en"), ("english", "en"),
    (["en", "nb"], "en"), (("nb",), "nb"), ([], None), (None, None), ("xx", None), ("", None),
    ("e" * 10_000, None), ("en" + "x" * 5000, None), (42, None), ({"lang": "en"}, None), ([None], None),
    (["xx", "en"], None),
])
def test_valid_lang_on_odd_values(value, expected):
    assert valid_lang(value) == expected


def test_use_lang_nests_and_restores():
    assert current_lang() == "nb"
    with use_lang("en"):
        assert current_lang() == "en"
        assert _("Kart og trender") == "Maps and trends"
        with use_lang("nb"):
            assert _("Kart og trender") == "Kart og trender"
        assert current_lang() == "en"
    assert current_lang() == "nb"
    with use_lang("xx"):  # unknown -> bokmål
        assert current_lang() == "nb"
    with use_lang(None):
        assert current_lang() == "nb"


def test_unknown_message_and_plural():
    with use_lang("en"):
        assert _("finnes ikke i katalogen") == "finnes ikke i katalogen"
        assert ngettext("{n} gruppe", "{n} grupper", 1).format(n=1) == "1 group"
        assert ngettext("{n} gruppe", "{n} grupper", 3).format(n=3) == "3 groups"
    assert ngettext("{n} gruppe", "{n} grupper", 3).format(n=3) == "3 grupper"


def test_pick_falls_back_to_bokmal():
    row = {"name_nb": "Folkemengde", "name_en": "Population", "unit_nb": "personer", "unit_en": "  ",
           "definition_nb": "Antall", "definition_en": float("nan")}
    assert pick(row, "name") == "Folkemengde"
    with use_lang("en"):
        assert pick(row, "name") == "Population"
        assert pick(row, "unit") == "personer"  # blank English -> bokmål
        assert pick(row, "definition") == "Antall"  # missing English -> bokmål
        assert i18n.picked_lang(row, "definition") == "nb"
        assert i18n.picked_lang(row, "name") == "en"
        assert pick({}, "name") == ""


def test_request_language_from_flag_referer_and_cookie():
    from flask import Flask
    app = Flask(__name__)
    with app.test_request_context("/?lang=en"):
        assert current_lang() == "en"
    with app.test_request_context("/?lang=xx", headers={"Cookie": f"{i18n.COOKIE}=en"}):
        assert current_lang() == "en"  # a bad flag falls through to the cookie
    with app.test_request_context("/?lang=nb", headers={"Cookie": f"{i18n.COOKIE}=en"}):
        assert current_lang() == "nb"
    with app.test_request_context("/_dash-update-component", method="POST",
                                  headers={"Referer": "http://localhost/kommune?knr=4601&lang=en",
                                           "Cookie": f"{i18n.COOKIE}=nb"}):
        assert current_lang() == "en"  # the page the callback comes from wins over the cookie
    with app.test_request_context("/_dash-update-component", method="POST",
                                  headers={"Referer": "http://evil.example/?lang=en"}):
        assert current_lang() == "nb"  # another site's referer is ignored
    with app.test_request_context("/", headers={"Cookie": f"{i18n.COOKIE}={'x' * 5000}"}):
        assert current_lang() == "nb"


@pytest.mark.parametrize("value, decimals, nb, en", [
    (1234.5, 1, f"1{NBSP}234,5", "1,234.5"),
    (1234567.891, 2, f"1{NBSP}234{NBSP}567,89", "1,234,567.89"),
    (2.675, 2, "2,68", "2.68"),
    (0.05, 1, "0,1", "0.1"),
    (-1234.5, 1, f"-1{NBSP}234,5", "-1,234.5"),
    (-0.04, 1, "0,0", "0.0"),
    (7, 0, "7", "7"),
    (None, 1, "–", "–"),
    (float("nan"), 1, "–", "–"),
])
def test_numbers_in_both_languages(value, decimals, nb, en):
    assert format_number(value, decimals) == nb
    with use_lang("en"):
        assert format_number(value, decimals) == en


def test_percent_value_date_and_plotly_separators_in_both_languages():
    assert format_percent(12.345) == f"12,3{NBSP}%"
    assert format_value(3, "years", 0) == f"3{NBSP}år"
    assert format_date(dt.date(2024, 1, 5)) == "05.01.2024"
    assert plotly_separators() == "," + NBSP
    with use_lang("en"):
        assert format_percent(12.345) == "12.3%"
        assert format_percent(-0.04, 1) == "0.0%"
        assert format_value(1234, "persons", 0, "people") == f"1,234{NBSP}people"
        assert format_value(3, "years", 0) == f"3{NBSP}years"
        assert format_date(dt.date(2024, 1, 5)) == "05/01/2024"
        assert format_date("2025-03-09T12:30:00Z") == "09/03/2025"
        assert format_date("not a date") == "–"
        assert plotly_separators() == ".,"


def test_memoized_cache_key_differs_per_language(tmp_path):
    from flask import Flask

    from callbacks._cache import cache, memoize

    app = Flask(__name__)
    cache.init_app(app, config={"CACHE_TYPE": "SimpleCache"})
    calls = []

    @memoize()
    def heading(x):
        calls.append(current_lang())
        return _("Kart og trender") + f" {x}"

    with app.test_request_context("/?lang=en"):
        assert heading(1) == "Maps and trends 1"
        assert heading(1) == "Maps and trends 1"
    with app.test_request_context("/?lang=nb"):
        assert heading(1) == "Kart og trender 1"
    with app.test_request_context("/", headers={"Cookie": f"{i18n.COOKIE}=en"}):
        assert heading(1) == "Maps and trends 1"
    assert calls == ["en", "nb"]  # one computation per language, then hits


def test_map_geometry_key_and_domain_cache_follow_the_language():
    """The overview's in-process caches (full map figure per geometry key, URL domain) carry the language."""
    import app  # noqa: F401  (pages register themselves with the app)
    from callbacks import overview as ov
    from pages.overview import url_domain

    ind = "share_80plus"
    with use_lang("nb"):
        nb_key, nb_dom = ov.geo_key(ind, "municipality", None), url_domain()
    with use_lang("en"):
        en_key, en_dom = ov.geo_key(ind, "municipality", None), url_domain()
    assert nb_key != en_key
    assert nb_dom.indicators[ind].name == "Andel 80 år og over"
    assert en_dom.indicators[ind].name == "Share aged 80+"


def test_callbacks_answer_in_english():
    from callbacks import overview as ov
    with use_lang("en"):
        out = ov.update_map("share_80plus", "kommune", "NO", 2024, None)
        assert out["figure"]["layout"]["separators"] == ".,"
        assert out["figure"]["layout"]["title"]["text"].startswith("Share aged 80+")
        assert out["label"].startswith("Map: Share aged 80+")
        rank = ov.update_rank_table("share_80plus", "kommune", "NO", 2024, None)
        assert rank["heading"].startswith("Share aged 80+ – municipalities")
        assert ov.describe_indicator("share_80plus")["children"][0].children == "Share aged 80+"
    out = ov.update_map("share_80plus", "kommune", "NO", 2024, None)
    assert out["label"].startswith("Kart: Andel 80 år og over")


def test_exports_in_english():
    import io
    import openpyxl
    from callbacks import overview as share
    from components import export
    with use_lang("en"):
        table = share.map_export("share_80plus", "kommune", "46", 2024)
        names = [c.name for c in table.columns]
        assert names[:3] == ["Rank", "Municipality number", "Municipality"]
        assert "Share aged 80+" in names
        csv_text = export.to_csv(table).decode("utf-8-sig")
        assert csv_text.startswith("Title,")
        wb = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(table)))
        assert wb.sheetnames == ["Data", "Source"]
    table = share.map_export("share_80plus", "kommune", "46", 2024)
    assert [c.name for c in table.columns][:3] == ["Rang", "Kommunenummer", "Kommune"]
    assert export.to_csv(table).decode("utf-8-sig").startswith("Tittel;")
