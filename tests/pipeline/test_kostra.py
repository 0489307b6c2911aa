"""KOSTRA care-service indicators (SSB 12005 GP lists, SSB 12209 80+ coverage): parsers, harmonisation, the
national check and spot values against the committed data/, gap reasons and the catalogue rows.

The small JSON/CSV files written below are FIXTURES in the raw files' layout (hand-made, not SSB data); they
only feed the parser tests and never reach data/."""
from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from pipeline import kostra
from pipeline import online as onl
from pipeline.errors import PipelineError

CONTENTS_12005 = ["KOSantallpasient0000", "KOSantallpasient0001", "KOSandelpasiente0000", "KOSgjsnlisteleng0000"]
CONTENTS_12209 = ["KOShjtj80aarover0001", "KOSsykhjand80aar0000"]


@pytest.fixture(scope="module")
def ind(data_dir):
    return pd.read_parquet(data_dir / "indicators.parquet")


@pytest.fixture(scope="module")
def cat(data_dir):
    return pd.read_parquet(data_dir / "catalog.parquet").set_index("id")


def _v(ind, iid, code, year):
    r = ind[(ind["indicator_id"] == iid) & (ind["region_code"] == code) & (ind["year"] == year)]
    assert len(r) == 1, (iid, code, year, len(r))
    return r.iloc[0]


# ------------------------------------------------------------------------------------------- data/ figures
def test_national_share_without_gp_2025_from_patient_counts(ind):
    r = _v(ind, "kostra_gp_share_no_gp", "NO", 2025)
    assert r["numerator"] == 117_899
    assert r["denominator"] == 5_622_286
    assert round(r["value"], 1) == 2.1
    assert r["ci_low"] < r["value"] < r["ci_high"]  # counts on both sides: a 95 % interval follows


def test_spot_values(ind):
    assert round(_v(ind, "kostra_gp_share_no_gp", "1101", 2025)["value"], 1) == 11.5   # Eigersund
    assert round(_v(ind, "kostra_hjemmetj_80plus", "3214", 2025)["value"], 1) == 16.6  # Frogn
    assert round(_v(ind, "kostra_institusjon_80plus", "3214", 2025)["value"], 1) == 7.3
    assert _v(ind, "kostra_gp_list_length", "1101", 2025)["value"] == pytest.approx(13761 / 11)
    assert round(_v(ind, "kostra_gp_share_women", "1103", 2025)["value"], 1) == 49.3


def test_county_and_country_are_sums_of_municipalities(ind, data_dir):
    regions = pd.read_parquet(data_dir / "regions.parquet")
    county_of = regions.dropna(subset=["county_code"]).set_index("region_code")["county_code"]
    k = ind[(ind["indicator_id"] == "kostra_gp_share_no_gp") & (ind["year"] == 2025)]
    m = k[k["level"] == "municipality"]
    sums = m.groupby(m["region_code"].map(county_of))[["numerator", "denominator"]].sum()
    c = k[k["level"] == "county"].set_index("region_code")
    assert len(c) == 15
    pd.testing.assert_series_equal(c["numerator"].sort_index(), sums["numerator"].sort_index(), check_names=False)
    assert (c["value"] - 100 * c["numerator"] / c["denominator"]).abs().max() < 1e-9


def test_reconstructed_80plus_numerator_is_share_times_population(ind):
    r = _v(ind, "kostra_hjemmetj_80plus", "3214", 2025)
    assert r["numerator"] == pytest.approx(0.166 * r["denominator"])
    assert 900 < r["denominator"] < 1200  # Frogn's 80+ on 1.1.2026 (the raw file says 1 062 for ages 80–104)


def test_history_only_for_unchanged_codes_and_without_aggregates(ind):
    assert _v(ind, "kostra_gp_share_no_gp", "1101", 2015)["value"] == 5.6  # SSB's published share, as printed
    assert math.isnan(_v(ind, "kostra_gp_share_no_gp", "1101", 2015)["numerator"])
    earlier = ind[(ind["indicator_id"] == "kostra_gp_share_no_gp") & (ind["year"] < 2025)]
    assert set(earlier["level"]) == {"municipality"}
    # Frogn got code 3214 in 2024: nothing before that can be carried over from a ratio alone
    assert set(earlier.loc[earlier["region_code"] == "3214", "year"]) == {2024}


def test_hosted_municipalities_are_gaps_with_the_reason(ind, data_dir):
    gaps = pd.read_parquet(data_dir / "gap_notes.parquet")
    hosted = {"1853", "3336", "4220", "5514", "5518", "5528"}
    m = ind[(ind["indicator_id"] == "kostra_gp_share_no_gp") & (ind["year"] == 2025) & (ind["level"] == "municipality")]
    assert len(m) == 351 and not hosted & set(m["region_code"])
    g = gaps[(gaps["indicator_id"] == "kostra_gp_share_no_gp") & (gaps["year"] == 2025)]
    assert set(g["region_code"]) == hosted
    assert g["reason_nb"].str.contains("vertskommunen").all()
    assert g["reason_en"].str.contains("host municipality").all()
    g = gaps[(gaps["indicator_id"] == "kostra_hjemmetj_80plus") & (gaps["year"] == 2025)]
    assert set(g["region_code"]) == {"1151", "1835", "4629"}


def test_hosted_rate_uses_whole_population_for_aggregates(ind, data_dir):
    pop = pd.read_parquet(data_dir / "population.parquet")
    total_2026 = pop[(pop["level"] == "country") & (pop["year"] == 2026)]["population"].sum()
    r = _v(ind, "kostra_gp_no_gp_per1000", "NO", 2025)
    assert r["denominator"] == pytest.approx(total_2026)
    assert r["value"] == pytest.approx(1000 * 117_899 / total_2026)


def test_catalogue_rows(cat):
    ids = [i for i in cat.index if i.startswith("kostra_")]
    assert {"kostra_gp_share_no_gp", "kostra_gp_no_gp_per1000", "kostra_gp_list_length", "kostra_gp_list_length_adj",
            "kostra_gp_reserve_capacity", "kostra_gp_agreements_per10000", "kostra_gp_lists_without_gp",
            "kostra_gp_open_lists", "kostra_gp_share_women", "kostra_hjemmetj_80plus",
            "kostra_institusjon_80plus"} <= set(ids)
    r = cat.loc["kostra_gp_share_no_gp"]
    assert "12005" in r["source"] and "FemtiGram/kart" in r["source"]
    assert r["licence"] == "NLOD 2.0" and "CC BY 4.0" in r["notes"]
    assert list(r["service_areas"]) == ["legetjeneste"] and r["direction"] == "lower_better"
    assert "0 avviker" in r["notes"]  # every municipality's computed share agrees with SSB's published one
    assert list(cat.loc["kostra_hjemmetj_80plus", "service_areas"]) == ["hjemmetjenester"]
    assert "rekonstruert" in cat.loc["kostra_institusjon_80plus", "definition_nb"]
    for i in ids:
        assert cat.loc[i, "name_en"] and cat.loc[i, "definition_en"]


def test_no_interval_for_list_length(ind):
    r = _v(ind, "kostra_gp_list_length", "NO", 2025)
    assert math.isnan(r["ci_low"]) and math.isnan(r["ci_high"])


def test_manifest_records_provenance_and_checks(data_dir):
    man = json.loads((data_dir / "manifest.json").read_text(encoding="utf-8"))
    tabs = {t["id"]: t for t in man["kostra"]["tables"]}
    assert tabs["12005"]["offline"]["commit"].startswith("7bfdad6")
    assert tabs["12005"]["checks"]["kostra_gp_share_no_gp"]["published"]["differing"] == 0
    assert "80–104" in tabs["12209"]["offline"]["population_check"]
    assert any(k.startswith("kostra/ssb12005") for k in man["inputs"])


# ------------------------------------------------------------------------------------------------ parsers
def _json(tmp_path, doc) -> str:
    p = tmp_path / "fastlege.json"  # fixture in the FemtiGram layout
    p.write_text(json.dumps(doc), encoding="utf-8")
    return p


def test_12005_parser_reads_latest_and_trend(tmp_path):
    p = _json(tmp_path, {"latestYear": "2025", "kommuner": {"1101": {
        "latest": {"KOSantallpasient0000": 100, "KOSandelpasiente0000": 1.5},
        "trend": {"KOSandelpasiente0000": [{"year": "2024", "value": 2.0}, {"year": "2025", "value": 1.5}]}}}})
    df = kostra.read_femtigram_12005(p, CONTENTS_12005)
    assert list(df.columns) == kostra.COLUMNS
    s = df.set_index(["ContentsCode", "Tid"])["value"]
    assert s[("KOSandelpasiente0000", "2024")] == 2.0 and len(df) == 3


@pytest.mark.parametrize("doc,expect", [
    ({"latestYear": "2025", "kommuner": {"101": {"latest": {}}}}, "kommuner.101: ikke et firesifret"),
    ({"latestYear": "2025", "kommuner": {"1101": {"latest": {"KOSnope0000": 1}}}}, "kommuner.1101.latest.KOSnope0000"),
    ({"latestYear": "2025", "kommuner": {"1101": {"latest": {"KOSantallpasient0000": "12"}}}}, "ventet et tall"),
    ({"latestYear": "2025", "kommuner": {"1101": {"trend": {"KOSandelpasiente0000": [{"year": "1999",
                                                                                     "value": 1}]}}}}, "utenfor"),
    ({"latestYear": "2025", "kommuner": {"1101": {"latest": {"KOSandelpasiente0000": 1.5},
                                                  "trend": {"KOSandelpasiente0000": [{"year": "2025",
                                                                                     "value": 9}]}}}},
     "«latest» sier"),
    ({"kommuner": {}}, "latestYear"),
])
def test_12005_parser_names_the_bad_key(tmp_path, doc, expect):
    with pytest.raises(PipelineError, match=expect):
        kostra.read_femtigram_12005(_json(tmp_path, doc), CONTENTS_12005)


def test_12005_parser_corrupt_file(tmp_path):
    p = tmp_path / "broken.json"
    p.write_bytes(b'{"latestYear": "2025", "kommu')
    with pytest.raises(PipelineError, match="kan ikke lese"):
        kostra.read_femtigram_12005(p, CONTENTS_12005)


HEADER = "rank,knr,navn,pop_80plus_latest,coverage_rate_hjemmetj80_pct,inst_80_pct,latest_kostra_year\n"


@pytest.mark.parametrize("rows,expect", [
    ("1,3214,Frogn,1062,16.6,7.3,2025\n1,3214,Frogn,1062,16.6,7.3,2025\n", "linje 3: kommunenummer 3214 står to"),
    ("1,32x4,Frogn,1062,16.6,7.3,2025\n", "linje 2"),
    ("1,3214,Frogn,1062,sytten,7.3,2025\n", "coverage_rate_hjemmetj80_pct: «sytten»"),
    ("1,3214,Frogn,1062,160.6,7.3,2025\n", "ikke en prosentandel"),
])
def test_12209_parser_names_the_bad_row(tmp_path, rows, expect):
    p = tmp_path / "12209.csv"  # fixture in the omsorgsradar layout
    p.write_text(HEADER + rows, encoding="utf-8")
    with pytest.raises(PipelineError, match=expect):
        kostra.read_omsorgsradar_12209(p, CONTENTS_12209)


def test_12209_parser_keeps_empty_cells_missing(tmp_path):
    p = tmp_path / "12209.csv"
    p.write_text(HEADER + "1,1816,Vevelstad,90,30.0,,2025\n", encoding="utf-8")
    df, pop = kostra.read_omsorgsradar_12209(p, CONTENTS_12209)
    assert list(df["ContentsCode"]) == ["KOShjtj80aarover0001"]  # no row for the empty institution share
    assert pop["1816"] == 90


def test_12209_population_column_must_match_ours(tmp_path, raw_dir):
    cfg = onl.load_config(onl.DEFAULT_CONFIG)
    (tmp_path / "kostra").mkdir()
    src = raw_dir / "kostra" / "ssb12209-80pluss-hjemmetjenester-institusjon-2025.csv"
    (tmp_path / "kostra" / src.name).write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "kostra" / "ssb12005-fastlege-2015-2025.json").write_text(
        '{"latestYear": "2025", "kommuner": {"1101": {"latest": {"KOSantallpasient0000": 1}}}}', encoding="utf-8")
    pop = pd.read_csv(src, dtype={"knr": str}).set_index("knr")["pop_80plus_latest"].astype(float)
    tabs = kostra.offline_tables(tmp_path, cfg, lambda year: pop)
    assert {t.cfg["id"] for t in tabs} == {"12005", "12209"}
    wrong = pop.copy()
    wrong["3214"] += 5
    with pytest.raises(PipelineError, match="pop_80plus_latest for 3214"):
        kostra.offline_tables(tmp_path, cfg, lambda year: wrong)


def test_summed_contents_are_missing_when_one_part_is(tmp_path):
    df = pd.DataFrame({"code": ["1101", "1101", "1103"], "year": [2025, 2025, 2025],
                       "ContentsCode": ["A", "B", "A"], "value": [1.0, 2.0, 5.0], "status": ["", "", ""]})
    out = onl._select(df, {"contents": ["A", "B"]}, "t", "i").set_index("code")
    assert out.loc["1101", "value"] == 3.0
    assert math.isnan(out.loc["1103", "value"])  # never a partial sum
