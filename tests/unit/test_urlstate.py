"""URL query-string parsing/validation (components/urlstate.py). Pure: no store, no Dash."""

import pytest

from components.urlstate import (
    Domain,
    IndicatorInfo,
    ViewState,
    normalise_code,
    parse_query,
    parse_year,
    to_query,
)

YEARS = tuple(range(2005, 2027))
DOMAIN = Domain(
    indicators={
        "share_80plus": IndicatorInfo("Andel 80 år og eldre", {"kommune": YEARS, "fylke": YEARS}),
        "county_only": IndicatorInfo("Bare fylke", {"fylke": (2015, 2016), "kommune": ()}),
        "gappy": IndicatorInfo("Med hull", {"kommune": (2011, 2012, 2016), "fylke": (2011, 2012, 2016)}),
    },
    counties={"03": "Oslo", "46": "Vestland", "15": "Møre og Romsdal"},
    municipalities={"0301": ("Oslo", "03"), "4601": ("Bergen", "46"), "1580": ("Haram", "15")},
    default_indicator="share_80plus",
)
DEFAULT = ViewState("share_80plus", "kommune", None, None, 2026)


def parse(params):
    return parse_query(params, DOMAIN)


def test_empty_gives_default_without_notes():
    r = parse({})
    assert r.state == DEFAULT
    assert r.notes == []
    assert parse(None).state == DEFAULT


def test_full_valid_query():
    r = parse({"indikator": "share_80plus", "niva": "kommune", "fylke": "46", "kommune": "4601", "ar": "2024"})
    assert r.state == ViewState("share_80plus", "kommune", "46", "4601", 2024)
    assert r.notes == []


def test_unknown_indicator_falls_back_with_note():
    r = parse({"indikator": "xyz", "ar": "2020"})
    assert r.state.indicator == "share_80plus"
    assert r.state.year == 2020
    assert any("Ukjent indikator «xyz» – viser standardvisning" in n for n in r.notes)


def test_indicator_case_insensitive():
    assert parse({"indikator": "SHARE_80PLUS"}).state.indicator == "share_80plus"


@pytest.mark.parametrize("year", ["20x4", "2024.5", "", "  ", "99999", "-2024", "2024abc", "1e3"])
def test_malformed_year(year):
    r = parse({"ar": year})
    assert r.state.year == 2026
    if year.strip():
        assert any("Ugyldig år" in n for n in r.notes)


def test_year_not_available():
    r = parse({"indikator": "gappy", "ar": "2014"})
    assert r.state.year == 2016
    assert any("har ikke data for 2014" in n for n in r.notes)


def test_year_as_int_and_padded():
    assert parse({"ar": 2010}).state.year == 2010
    assert parse({"ar": " 2010 "}).state.year == 2010


def test_level_validation_and_fallback():
    assert parse({"niva": "fylke"}).state.level == "fylke"
    assert parse({"niva": "FYLKE"}).state.level == "fylke"
    assert parse({"niva": "county"}).state.level == "fylke"
    r = parse({"niva": "bydel"})
    assert r.state.level == "kommune" and any("Ukjent nivå «bydel»" in n for n in r.notes)
    r = parse({"indikator": "county_only", "niva": "kommune"})
    assert r.state.level == "fylke" and r.state.year == 2016
    assert any("har ikke data på kommunenivå" in n for n in r.notes)
    assert parse({"indikator": "county_only"}).state.level == "fylke"  # default adapts silently
    assert parse({"indikator": "county_only"}).notes == []


def test_county_codes_int_like_and_unknown():
    assert parse({"fylke": "3"}).state.county == "03"
    assert parse({"fylke": 3}).state.county == "03"
    r = parse({"fylke": "99"})
    assert r.state.county is None and any("Ukjent fylke «99»" in n for n in r.notes)
    assert parse({"fylke": "O3"}).state.county is None


def test_municipality_codes():
    assert parse({"kommune": "301"}).state.municipality == "0301"
    assert parse({"kommune": 4601}).state.municipality == "4601"
    r = parse({"kommune": "9999"})
    assert r.state.municipality is None and any("Ukjent kommune «9999»" in n for n in r.notes)
    r = parse({"fylke": "46", "kommune": "0301"})
    assert r.state.county == "46" and r.state.municipality is None
    assert any("ligger ikke i Vestland" in n for n in r.notes)


def test_repeated_params_use_first_with_note():
    r = parse({"ar": ["2010", "2012"], "fylke": ["46", "03"]})
    assert r.state.year == 2010 and r.state.county == "46"
    assert sum("flere ganger" in n for n in r.notes) == 2


def test_garbage_never_raises_and_is_truncated():
    junk = "<script>alert(1)</script>" * 10 + "\x00\n"
    r = parse({"indikator": junk, "niva": junk, "fylke": junk, "kommune": junk, "ar": junk,
               "unrelated": "x", "": "y"})
    assert r.state == DEFAULT
    assert len(r.notes) == 5
    assert all(len(n) < 140 for n in r.notes)
    assert all("\x00" not in n for n in r.notes)
    for weird in ({"ar": None}, {"ar": {"a": 1}}, {"fylke": True}, {"kommune": []}, "not a mapping"):
        assert parse(weird).state == DEFAULT


def test_helpers():
    assert normalise_code("3", 2) == "03"
    assert normalise_code("123", 2) is None
    assert normalise_code("٣", 2) is None  # non-ASCII digit
    assert parse_year("2024") == 2024
    assert parse_year("+2024") == 2024
    assert parse_year("202") is None


def test_to_query_roundtrip():
    state = ViewState("share_80plus", "kommune", "46", "4601", 2024)
    qs = to_query(state)
    assert qs == "?indikator=share_80plus&niva=kommune&fylke=46&kommune=4601&ar=2024"
    from urllib.parse import parse_qs

    params = {k: v[0] for k, v in parse_qs(qs[1:]).items()}
    assert parse(params).state == state
    assert to_query(ViewState("share_80plus", "fylke", None, None, 2020)) == "?indikator=share_80plus&niva=fylke&ar=2020"
