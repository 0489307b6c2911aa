"""«Befolkning og behov»: coverage validation, need arithmetic, CSV export, URL parsing, age grouping. Pure."""
from __future__ import annotations

import csv
import io

import numpy as np
import pytest

from components import need as N
from components import popstate as PS
from components import pyramid as PY


# ------------------------------------------------------------------------------------------ validation
@pytest.mark.parametrize("text,unit,expected", [
    ("350", "per1000", 350.0), ("12,5", "per1000", 12.5), ("12.5", "per100", 12.5), (" 1\u00a0234,5 ", "per1000", 1234.5),
    (350, "per1000", 350.0), (0.5, "per1000", 0.5), ("2000", "per1000", 2000.0), ("200", "per100", 200.0),
    ("+7", "per100", 7.0), (",5", "per1000", 0.5),
])
def test_valid_coverage(text, unit, expected):
    cov, err = N.validate_coverage(text, unit)
    assert err is None and cov == N.Coverage(expected, unit)


@pytest.mark.parametrize("text,unit,fragment", [
    ("", "per1000", "Skriv inn"), ("   ", "per1000", "Skriv inn"), (None, "per1000", "Skriv inn"),
    ("abc", "per1000", "må være et tall"), ("12,5,3", "per1000", "må være et tall"), ("1e3", "per1000", "må være et tall"),
    ("nan", "per1000", "må være et tall"), ("inf", "per1000", "må være et tall"), (float("nan"), "per1000", "må være et tall"),
    (True, "per1000", "må være et tall"), ([1], "per1000", "må være et tall"), ("12 %", "per1000", "må være et tall"),
    ("-5", "per1000", "negativ"), (-0.1, "per100", "negativ"),
    ("0", "per1000", "større enn null"), ("0,0", "per100", "større enn null"),
    ("2000,1", "per1000", "ikke en rimelig"), ("201", "per100", "ikke en rimelig"), ("1e9", "per1000", "må være et tall"),
    ("99999999999", "per1000", "ikke en rimelig"), ("5", "per10", "enhet"), ("5", None, "enhet"),
])
def test_invalid_coverage_gives_norwegian_message(text, unit, fragment):
    cov, err = N.validate_coverage(text, unit)
    assert cov is None and fragment in err


def test_absurd_message_names_the_limit_in_norwegian_format():
    _, err = N.validate_coverage("2500", "per1000")
    assert "2\u00a0500" in err and "2\u00a0000" in err and "per 1 000 innbyggere" in err


# ------------------------------------------------------------------------------------------ arithmetic
def test_need_rows_scale_with_population_and_growth_from_base():
    cov = N.Coverage(250.0, "per1000")
    pop = {2026: 1000.0, 2030: 1200.0, 2035: 1500.0, 2040: 2000.0, 2031: 5.0}
    rows = N.need_rows(cov, pop, 2026)
    assert [r["year"] for r in rows] == [2026, 2030, 2035, 2040]
    assert [r["need"] for r in rows] == [250.0, 300.0, 375.0, 500.0]
    assert [r["change"] for r in rows] == [0.0, 50.0, 125.0, 250.0]
    assert rows[-1]["change_pct"] == pytest.approx(100.0)
    assert [r["projected"] for r in rows] == [False, True, True, True]
    per100 = N.need_rows(N.Coverage(25.0, "per100"), pop, 2026)
    assert [r["need"] for r in per100] == [250.0, 300.0, 375.0, 500.0]


def test_need_rows_without_base_population_is_empty_and_missing_years_skipped():
    assert N.need_rows(N.Coverage(1, "per1000"), {2030: 5.0}, 2026) == []
    rows = N.need_rows(N.Coverage(1, "per1000"), {2026: 10.0, 2035: float("nan")}, 2026)
    assert [r["year"] for r in rows] == [2026]


def test_table_cells_use_norwegian_formats_and_mark_projection():
    rows = N.need_rows(N.Coverage(350, "per1000"), {2026: 10000.0, 2030: 12500.0}, 2026)
    headers, cells = N.table_cells(rows, "arsverk", "80+")
    assert headers[1] == "Innbyggere 80+" and "Årsverk" in headers[2]
    assert cells[0] == ["2026 (i dag)", "10\u00a0000", "3\u00a0500", "–", "–"]
    assert cells[1][0] == "2030 (framskr.)" and cells[1][3] == "+875" and cells[1][4] == "+25,0\u00a0%"


def test_csv_has_table_assumptions_and_source_rows():
    cov = N.Coverage(12.5, "per100")
    rows = N.need_rows(cov, {2026: 1000.0, 2030: 1100.0, 2035: 1200.0, 2040: 1300.0}, 2026)
    ass = N.assumptions(coverage=cov, what="mottakere", age_base="80+", basis_text="egen verdi", base_year=2026,
                        variant_label="Omsorgsatlas' egen framskriving")
    text = N.to_csv(rows, region_name="Bergen", what="mottakere", age_base="80+", assumptions=ass,
                    source="SSB 07459; Omsorgsatlas' egen framskriving")
    assert text.startswith("\ufeff")
    parsed = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert parsed[0] == ["Hva kreves: Bergen"]
    assert parsed[1][:4] == ["År", "Framskrevet", "Innbyggere 80+", "Behov (mottakere)"]
    assert parsed[2] == ["2026", "nei", "1000,0", "125,0", "", ""]
    assert parsed[3] == ["2030", "ja", "1100,0", "137,5", "12,5", "10,0"]
    flat = [c for row in parsed for c in row]
    assert "Forutsetninger" in flat and any("12,5 mottakere per 100 innbyggere 80 år og over" in c for c in flat)
    assert any("uendret" in c for c in flat) and any("årene etter er Omsorgsatlas' egen framskriving" in c for c in flat)
    assert parsed[-1] == ["Kilde", "SSB 07459; Omsorgsatlas' egen framskriving"]


# ------------------------------------------------------------------------------------------ URL state
COUNTIES = {"46": "Vestland", "03": "Oslo"}
MUNIS = {"4601": ("Bergen", "46"), "0301": ("Oslo", "03")}
YEARS = tuple(range(2005, 2041))


def parse(q):
    return PS.parse_population_query(q, counties=COUNTIES, municipalities=MUNIS, years=YEARS, default_year=2026)


@pytest.mark.parametrize("query,region,year,width,n_notes", [
    ({}, "NO", 2026, 1, 0),
    ({"kommune": "4601", "ar": "2035", "aldersgrupper": "5"}, "4601", 2035, 5, 0),
    ({"fylke": "46"}, "46", 2026, 1, 0),
    ({"fylke": "3"}, "03", 2026, 1, 0),
    ({"kommune": "301"}, "0301", 2026, 1, 0),
    ({"kommune": "4601", "fylke": "46"}, "4601", 2026, 1, 0),
    ({"kommune": "4601", "fylke": "03"}, "4601", 2026, 1, 1),
    ({"kommune": "9999"}, "NO", 2026, 1, 1),
    ({"kommune": "9999", "fylke": "46"}, "46", 2026, 1, 1),
    ({"fylke": "<script>"}, "NO", 2026, 1, 1),
    ({"ar": "2041"}, "NO", 2026, 1, 1),
    ({"ar": "20x5"}, "NO", 2026, 1, 1),
    ({"ar": ["2030", "2031"]}, "NO", 2030, 1, 1),
    ({"aldersgrupper": "3"}, "NO", 2026, 1, 1),
])
def test_parse_population_query(query, region, year, width, n_notes):
    r = parse(query)
    assert (r.state.region, r.state.year, r.state.width) == (region, year, width)
    assert len(r.notes) == n_notes


def test_to_query_round_trips():
    for st in (PS.PopState("4601", 2035, 5), PS.PopState("46", 2026, 1), PS.PopState("NO", 2040, 1)):
        q = PS.to_query(st)
        from urllib.parse import parse_qsl
        assert parse(dict(parse_qsl(q[1:]))).state == st


# ------------------------------------------------------------------------------------------ age groups
def test_age_groups_cover_every_age_once():
    for width in (1, 5):
        covered = [a for _, lo, hi in PY.age_groups(width) for a in range(lo, hi + 1)]
        assert covered == list(range(106))
    assert PY.age_groups(5)[-1] == ("100+", 100, 105) and PY.age_groups(1)[-1][0] == "105+"


def test_grouped_sums_and_keeps_missing_rows_missing():
    v = np.arange(106, dtype=float)
    g = PY.grouped(v, 5)
    assert g.sum() == v.sum() and g[0] == 0 + 1 + 2 + 3 + 4
    assert np.isnan(PY.grouped(np.full(106, np.nan), 5)).all()


def test_profile_marks_projection_without_colour_alone():
    v = np.ones(106)
    fig = PY.age_profile_figure(v, v, region_name="Bergen", year=2035, reference_year=2026, projected=True,
                                width=5, x_max=5.0, variant_label="Omsorgsatlas' egen framskriving")
    assert "framskrevet" in fig["layout"]["title"]["text"]
    assert fig["data"][0]["marker"]["pattern"]["shape"] == "/"
    assert fig["layout"]["annotations"][0]["text"] == "FRAMSKREVET"
    assert "begge kjønn" in fig["layout"]["title"]["text"]
    obs = PY.age_profile_figure(v, v, region_name="Bergen", year=2026, reference_year=2026, projected=False,
                                width=1, x_max=1.0, variant_label="x")
    assert obs["data"][0]["marker"]["pattern"]["shape"] == "" and obs["data"][1]["visible"] is False
    paths = PY.profile_patch_paths(v, region_name="Bergen", year=2030, reference_year=2026, projected=True, width=5,
                                   variant_label="x")
    assert ("data", 0, "x") in paths and ("layout", "title", "text") in paths
    assert not any(p[:2] == ("layout", "yaxis") for p in paths)  # structure unchanged: a Patch suffices


def test_need_rows_carry_the_low_high_band_into_table_and_csv():
    cov = N.Coverage(10.0, "per100")
    rows = N.need_rows(cov, {2026: 1000.0, 2030: 1100.0, 2040: 1300.0}, 2026,
                       band=({2030: 1050.0, 2040: 1200.0}, {2030: 1150.0, 2040: 1400.0}))
    assert "need_low" not in rows[0]                       # the observed year has no band
    assert rows[2]["need_low"] == pytest.approx(120.0) and rows[2]["need_high"] == pytest.approx(140.0)
    headers, cells = N.table_cells(rows, "plasser")
    assert headers[-1] == "Lav–høy alternativ" and cells[0][-1] == "–" and cells[2][-1] == "120–140"
    ass = N.assumptions(coverage=cov, what="plasser", age_base="80+", basis_text="x", base_year=2026,
                        variant_label="Omsorgsatlas' framskriving", band_text="Hovedtallene bruker hovedalternativet.")
    text = N.to_csv(rows, region_name="Bergen", what="plasser", age_base="80+", assumptions=ass, source="s")
    parsed = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert parsed[1][-2:] == ["Behov, lavt alternativ", "Behov, høyt alternativ"]
    assert parsed[4][-2:] == ["120,0", "140,0"] and parsed[2][-2:] == ["", ""]
    assert ass[-1] == "Hovedtallene bruker hovedalternativet."
    # without a band nothing changes
    plain = N.need_rows(cov, {2026: 1000.0, 2040: 1300.0}, 2026)
    assert len(N.table_cells(plain, "plasser")[0]) == 5
