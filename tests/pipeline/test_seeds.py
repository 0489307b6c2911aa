"""Seed tables from the policy documents: number parsing, provenance, areas, derived figures, measures."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline import seeds as S
from pipeline.errors import PipelineError
from pipeline.schemas import validate

SEEDS_MD = Path(__file__).resolve().parents[3] / "shared" / "seeds"


@pytest.mark.parametrize("raw,expected", [
    ("13 316 900", 13316900.0), ("1477000", 1477000.0), ("74,2", 74.2), ("74.2", 74.2), ("-19 %", -19.0),
    ("-0.1", -0.1), ("4498.3", 4498.3), (" 12 ", 12.0), ("1\u00a0234", 1234.0), ("\u22122,5", -2.5), ("6 %", 6.0),
    ("NA", None), ("–", None), ("-", None), ("", None), ("..", None), (":", None),
])
def test_parse_number_formats(raw, expected):
    assert S.parse_number(raw, "f.csv", 3) == expected


@pytest.mark.parametrize("raw", ["270 (2 klasser)", "ca 14000", "Avsluttes våren 2017", "1 8851 485", "12 34",
                                 "73 (derived: 122-49)", "x"])
def test_unparseable_cell_names_file_and_line(raw):
    with pytest.raises(PipelineError) as exc:
        S.parse_number(raw, "seeds/T.csv", 7)
    assert "seeds/T.csv, linje 7" in str(exc.value) and raw in str(exc.value)


def test_read_table_reports_ragged_row(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("a,b\n1,2\n3\n", encoding="utf-8")
    with pytest.raises(PipelineError, match="linje 3"):
        S.read_table(p)


def test_slug_and_label():
    assert S.slug("Sum bachelor*") == "sum_bachelor"
    assert S.slug("Miljøterapeut") == "miljoterapeut"
    assert S.clean_label(" Helsefagarbeider* ") == "Helsefagarbeider"


@pytest.fixture(scope="module")
def out(raw_dir):
    pop = pd.read_parquet(Path(__file__).resolve().parents[2] / "data" / "indicators.parquet")
    return S.build_seeds(raw_dir, pop)


def _val(out, iid, year, level="country", code="NO"):
    d = out.indicators
    r = d[(d.indicator_id == iid) & (d.year == year) & (d.level == level) & (d.region_code == code)]
    assert len(r) == 1, (iid, year, level, code)
    return float(r["value"].iloc[0])


def test_required_indicators_present(out):
    ids = set(out.catalog["id"])
    for iid in ["kl_arsverk_omsorg", "kl_arsverk_lege", "kl_arsverk_fysio", "kl_fastleger", "kl_arsverk_helsestasjon",
                "kl_arsverk_phr_voksne", "kl_arsverk_phr_barn_unge", "kl_andel_menn", "kl_andel_innvandrere",
                "kl_sykefravaer_omsorg", "kl_mottakere", "kl_opptak_utdanning_sykepleiere",
                "kl_andel_arsverk_fagutdanning", "drv_arsverk_omsorg_per1000_80pluss",
                "drv_arsverk_omsorg_per_mottaker", "k25_kki_utbetalt", "kl_psykolog_tilskudd_andel"]:
        assert iid in ids, iid
    assert set(out.catalog["id"].str.split("_").str[0]) <= {"kl", "k25", "ms26", "o20", "drv"}
    assert out.catalog["id"].str.fullmatch(r"[a-z0-9_]+").all()


def test_values_as_printed(out):
    assert [_val(out, "kl_arsverk_omsorg", y) for y in (2011, 2016)] == [128902, 137950]
    assert _val(out, "kl_andel_arsverk_fagutdanning", 2016) == 74.2
    assert _val(out, "k25_kki_utbetalt_kompetansetiltak", 2021) == 13316900 + 24881128 + 16019754 + 11898034 + \
        71960573 + 19789826 + 14585789 + 14286272 + 21687875 + 30654096
    assert _val(out, "k25_kki_utbetalt", 2021) == 360844120
    assert _val(out, "kl_arsverk_helsestasjon_yrke_jordmodre", 2016) == 361.5
    # NA cells are gaps, not zeros
    d = out.indicators
    assert d[(d.indicator_id == "kl_fagprovekandidater_hjelpepleier") & (d.year == 2014)].empty
    assert _val(out, "kl_fagprovekandidater_helsefagarbeider", 2009) == 1389


def test_catalogue_complete_with_provenance(out):
    cat = out.catalog
    for col in ("name_nb", "name_en", "definition_nb", "definition_en", "unit", "source", "licence", "table_ref"):
        assert (cat[col].str.len() > 0).all(), col
    assert cat["service_areas"].map(len).min() > 0
    docs = cat[cat.origin == "document"]
    assert (docs["document"].str.len() > 0).all() and docs["publication_year"].notna().all()
    assert (docs["publisher"].str.len() > 0).all()
    assert cat.loc[cat.id == "kl_arsverk_omsorg", "table_ref"].item().startswith("Tabell 15")
    der = cat[cat.origin == "derived"]
    assert {"drv_arsverk_omsorg_per1000_80pluss", "drv_arsverk_omsorg_per_mottaker"} <= set(der["id"])
    assert der["definition_nb"].str.contains("Beregnet av omsorgsatlas").all()
    assert set(cat["unit"]) <= {"fte", "count", "percent", "nok", "per1000", "ratio"}


def test_dimensions_are_data(out):
    cat = out.catalog.set_index("id")
    parts = cat[cat["series"] == "kl_arsverk_omsorg_yrke"]
    assert len(parts) == 15 and (parts["occupation"] != "").all() and (parts["total_id"] == "kl_arsverk_omsorg").all()
    assert set(cat.loc[cat["series"] == "kl_arsverk_fysio_avtaleform", "contract"]) == {
        "Med driftsavtale", "Med fast lønn", "Turnuskandidater"}
    assert cat.loc["kl_arsverk_lege_virkeomrade_skole_helsestasjon", "field"] == "Skole/helsestasjon"
    assert "helsestasjon" in cat.loc["kl_arsverk_lege_virkeomrade_skole_helsestasjon", "service_areas"]
    assert cat.loc["kl_arsverk_phr_voksne_psykolog", "target_group"] == "Voksne"
    assert cat.loc["kl_mottakere_80_89", "age_group"] == "80-89"
    # the parts of a breakdown add up to its total (within the documents' rounding)
    d = out.indicators.set_index(["indicator_id", "year"])["value"]
    s = sum(d[(i, 2016)] for i in parts.index)
    assert abs(s - d[("kl_arsverk_omsorg", 2016)]) <= 2


def test_derived_use_our_population(out, data_dir):
    pop = pd.read_parquet(data_dir / "indicators.parquet")
    p80 = pop[(pop.indicator_id == "count_80plus") & (pop.level == "country")].set_index("year")["value"]
    v = _val(out, "drv_arsverk_omsorg_per1000_80pluss", 2016)
    assert v == pytest.approx(1000 * 137950 / p80[2017])
    assert sorted(out.indicators.loc[out.indicators.indicator_id == "drv_arsverk_omsorg_per1000_80pluss", "year"]) \
        == list(range(2011, 2017))
    assert _val(out, "drv_arsverk_omsorg_per_mottaker", 2016) == pytest.approx(137950 / 278161)


def test_county_values_only_for_unchanged_areas(out):
    a = out.areas
    kki = a[a.indicator_id == "k25_kki_utbetalt"].set_index("area_name")
    assert len(kki) == 10
    assert kki.loc["Oslo og Viken", "county_2024"] == "" and list(kki.loc["Oslo og Viken", "counties_2024"]) == [
        "03", "31", "32", "33"]
    assert kki.loc["Troms og Finnmark", "county_2024"] == "" and kki.loc["Rogaland", "county_2024"] == "11"
    ps = a[a.indicator_id == "kl_psykolog_tilskudd_andel"].set_index("area_name")
    assert len(ps) == 18
    assert ps.loc["Aust- og Vest-Agder", "county_2024"] == "42"
    assert ps.loc["Hordaland", "county_2024"] == "" and ps.loc["Østfold", "county_2024"] == ""  # Rømskog moved
    assert ps.loc["Finnmark", "county_2024"] == "56"
    # every county row in indicators comes from an unchanged area, and carries that area's value
    cty = out.indicators[out.indicators.level == "county"]
    same = a[a.county_2024 != ""]
    merged = cty.merge(same, left_on=["indicator_id", "region_code", "year"],
                       right_on=["indicator_id", "county_2024", "year"], how="left", suffixes=("", "_a"))
    assert merged["value_a"].notna().all() and (merged["value"] == merged["value_a"]).all()
    assert not set(cty["region_code"]) & {"31", "32", "33", "39", "55"}


def test_psych_share_national_uses_the_rows(out):
    r = out.indicators[(out.indicators.indicator_id == "kl_psykolog_tilskudd_andel") & (out.indicators.level ==
                                                                                          "country")]
    assert r["numerator"].item() == 243 and r["denominator"].item() == 442
    assert _val(out, "kl_psykolog_tilskudd_antall_kommuner", 2016) == 428  # the document's own total row


def test_disagreements_are_kept_with_notes(out):
    cat = out.catalog.set_index("id")
    assert _val(out, "kl_fastleger", 2013) == 4316 and _val(out, "ms26_fastleger", 2013) == 4387
    assert "4 387" in cat.loc["kl_fastleger", "notes"] and "4 316" in cat.loc["ms26_fastleger", "notes"]
    assert _val(out, "kl_arsverk_fysio", 2015) == 4690 and "4 689" in cat.loc["kl_arsverk_fysio", "notes"]
    assert "-0,1 %" in cat.loc["kl_arsverk_omsorg_yrke_pleieassistent_hjemmehjelp_uten_helseutd", "notes"]
    assert "-12 %" in cat.loc["k25_utdanningsaktivitet", "notes"]
    assert len(out.disagreements) >= 5


def test_text_figures_are_in_the_digest():
    for iid, (value, digest, snippet) in S.TEXT_FIGURES.items():
        assert snippet in (SEEDS_MD / digest).read_text(encoding="utf-8"), iid


def test_measures(out):
    m = out.measures
    assert (m.plan == "K2025").sum() == 73 and (m.plan == "KL2020").sum() == 52
    kki = m.set_index("measure_id").loc["K2025-1.16"]
    assert kki["budget_chapter_post"] == "0761.68" and kki["amount_nok"] == 372400000
    assert "360 844 120" in kki["notes"]
    double = m.set_index("measure_id").loc["KL2020-3.14"]
    assert list(double["strategy_areas"]) == ["S3", "S4"] and double["also_listed_as"] == "4.4"
    assert m["measure_id"].is_unique


def test_outputs_pass_schemas(out):
    validate("seed_areas", out.areas)
    validate("measures", out.measures)


def test_bad_cell_in_seed_stops_with_file_and_line(tmp_path, raw_dir):
    raw = tmp_path / "raw"
    for sub in ("seeds", "codes"):
        (raw / sub).mkdir(parents=True)
        for f in (raw_dir / sub).iterdir():
            (raw / sub / f.name).symlink_to(f)
    victim = next((raw / "seeds").glob("IS-2684__20__*.csv"))
    text = victim.read_text(encoding="utf-8").replace("4563", "45x3")
    victim.unlink()
    victim.write_text(text, encoding="utf-8")
    with pytest.raises(PipelineError) as exc:
        S.build_seeds(raw, pd.DataFrame(columns=["indicator_id", "level", "year", "value"]))
    assert victim.name in str(exc.value) and "linje 2" in str(exc.value) and "45x3" in str(exc.value)
