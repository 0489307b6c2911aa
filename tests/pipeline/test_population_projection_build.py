"""The projection as build output (pipeline/projected.py): table, schema, projected indicators, manifest."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from pipeline import national as na
from pipeline import projected as prj
from pipeline.errors import PipelineError
from pipeline.schemas import validate


@pytest.fixture(scope="module")
def inputs(data_dir):
    return pd.read_parquet(data_dir / "population.parquet"), pd.read_parquet(data_dir / "regions.parquet")


@pytest.fixture(scope="module")
def vintages(raw_dir):
    return na.read_vintages(raw_dir / na.FILE)


@pytest.fixture(scope="module")
def proj(inputs, vintages):
    return prj.build_projection(*inputs, vintages)


def test_projection_table_shape_schema_and_sums(proj, inputs):
    _, regions = inputs
    assert list(proj.columns) == ["variant", "level", "region_code", "year", "age", "population"]
    assert set(proj["variant"]) == {"kalibrert_mmmm", "kalibrert_llml", "kalibrert_hhmh", "omsorgsatlas"}
    assert sorted(proj["year"].unique()) == list(range(2027, 2041))
    assert len(proj) == 4 * len(regions) * 14 * 106
    validate("projection", proj)
    assert prj.check_projection(proj, regions) == []
    for variant, sub in proj.groupby("variant"):
        c = sub[sub.level == "county"].groupby(["year", "age"])["population"].sum()
        n = sub[sub.level == "country"].set_index(["year", "age"])["population"]
        assert np.allclose(c.sort_index(), n.sort_index(), rtol=1e-12), variant


def test_committed_projection_is_what_the_build_writes(proj, data_dir):
    committed = pd.read_parquet(data_dir / "projection.parquet")
    pd.testing.assert_frame_equal(committed, proj, check_dtype=False)


@pytest.mark.parametrize("col,value", [("year", 2026), ("population", -1.0), ("population", np.nan),
                                       ("variant", "ssb"), ("region_code", "4601x")])
def test_schema_rejects_bad_rows(proj, col, value):
    bad = proj.head(200).copy()
    bad[col] = pd.Series([value] * len(bad), dtype=bad[col].dtype) if col != "year" else np.int16(value)
    with pytest.raises(PipelineError, match="projection"):
        validate("projection", bad)


def test_check_projection_finds_broken_sums(proj, inputs, vintages):
    assert prj.check_projection(proj, inputs[1], vintages) == []
    bad = proj.copy()
    bad.loc[bad.index[0], "population"] += 10    # the country row of the first variant
    assert any("summerer ikke" in p for p in prj.check_projection(bad, inputs[1]))
    bad = proj.copy()
    i = bad.index[(bad.variant == "kalibrert_llml") & (bad.region_code == "4601") & (bad.year == 2030)][0]
    bad.loc[i, "population"] += 1                # one municipality: its county and the country no longer agree
    problems = prj.check_projection(bad, inputs[1], vintages)
    assert any("kalibrert_llml: kommunene summerer ikke til fylkene" in p for p in problems)


def test_national_sums_equal_ssb_per_alternative_year_and_age_group(proj, vintages):
    """Every year 2027–2040 and every age group of table 14746, for MMMM, LLML and HHMH."""
    nat = proj[proj.level == "country"]
    for alt, variant in (("MMMM", "kalibrert_mmmm"), ("LLML", "kalibrert_llml"), ("HHMH", "kalibrert_hhmh")):
        t = na.targets(vintages, 2026, alt)
        t = t[t.year.between(2027, 2040)]
        assert len(t) == 14 * 10
        sub = nat[nat.variant == variant]
        for r in t.itertuples():
            got = sub[(sub.year == r.year) & sub.age.between(r.age_lo, r.age_hi)]["population"].sum()
            assert got == pytest.approx(r.population, abs=0.01), (variant, r.year, r.age_lo)
    # the figures the issue quotes: SSB 2040 main alternative 6.02 M; low < main < high
    tot = nat[nat.year == 2040].groupby("variant")["population"].sum()
    assert tot["kalibrert_mmmm"] == pytest.approx(6_020_359, abs=1)
    assert tot["kalibrert_llml"] < tot["kalibrert_mmmm"] < tot["kalibrert_hhmh"]
    # the unconstrained comparison variant is not aligned
    assert abs(tot["omsorgsatlas"] - tot["kalibrert_mmmm"]) > 10_000


def test_municipalities_sum_exactly_to_counties_and_country(proj, inputs):
    regions = inputs[1].set_index("region_code")
    for variant in ("kalibrert_mmmm", "kalibrert_hhmh"):
        sub = proj[(proj.variant == variant) & (proj.year == 2040)]
        m = sub[sub.level == "municipality"]
        by_county = m.groupby(m.region_code.map(regions["county_code"]))["population"].sum()
        county = sub[sub.level == "county"].groupby("region_code")["population"].sum()
        pd.testing.assert_series_equal(by_county.sort_index(), county.sort_index(), check_names=False, rtol=1e-12)
        assert county.sum() == pytest.approx(sub[sub.level == "country"]["population"].sum(), rel=1e-13)


def test_calibration_keeps_each_municipality_share_of_an_age_group(proj):
    """Raking changes the national level, not where people live: 4601's share of 80+ in 2040 is the same in
    the unconstrained and the calibrated run up to the ratio of the 80-89/90+ factors."""
    sub = proj[(proj.year == 2040) & (proj.age.between(80, 89))]
    share = {v: g[g.region_code == "4601"]["population"].sum() / g[g.level == "country"]["population"].sum()
             for v, g in sub.groupby("variant")}
    assert share["kalibrert_mmmm"] == pytest.approx(share["omsorgsatlas"], rel=1e-9)
    assert share["kalibrert_llml"] == pytest.approx(share["omsorgsatlas"], rel=1e-9)


def test_projected_indicators_are_separate_labelled_and_consistent(proj):
    ind = prj.projected_indicators(proj)
    assert set(ind["indicator_id"]) == {"count_80plus_projected", "share_80plus_projected", "care_ratio_projected"}
    assert ind["year"].min() == 2027 and ind["year"].max() == 2040
    b = ind[(ind.indicator_id == "count_80plus_projected") & (ind.region_code == "4601") & (ind.year == 2040)]
    want = proj[(proj.variant == "kalibrert_mmmm") & (proj.region_code == "4601") & (proj.year == 2040)
                & (proj.age >= 80)]["population"].sum()
    assert float(b["value"].iloc[0]) == pytest.approx(want)
    cat = prj.projected_catalog(ind, 500)
    assert all("framskrevet" in n for n in cat["name_nb"])
    assert all("avstemt mot SSBs nasjonale framskriving 2026" in s for s in cat["source"])
    # the catalogue names the variant behind every projected indicator
    for r in cat.itertuples():
        assert "kalibrert_mmmm" in r.definition_nb and "kalibrert_mmmm" in r.definition_en, r.id
        assert "Variant: kalibrert_mmmm" in r.notes and "uten nett" in r.notes, r.id
    merged = prj.append_indicators(ind.assign(ci_low=np.nan, ci_high=np.nan).head(0), ind)
    assert merged["ci_low"].isna().all() and merged["ci_low"].dtype == "float64"


def test_manifest_has_backtest_of_both_windows_and_baseline(data_dir):
    m = json.loads((data_dir / "manifest.json").read_text(encoding="utf-8"))
    p = m["projection"]
    assert p["base_year"] == 2026 and p["end_year"] == 2040
    assert [v["id"] for v in p["variants"]] == ["kalibrert_mmmm", "kalibrert_llml", "kalibrert_hhmh", "omsorgsatlas"]
    assert p["default_variant"] == "kalibrert_mmmm" and [v["id"] for v in p["variants"] if v["default"]] == [
        "kalibrert_mmmm"]
    assert p["national_frame"]["table"] == "14746" and p["params"]["base_years"] == 10
    assert p["variants_missing"][0]["id"] == "ssb_mmm"
    for who in ("method", "calibrated", "base_5", "baseline"):
        assert set(p["backtest"][who]["windows"]) == {"2010-2020", "2014-2024", "2016-2026"}
    n40 = p["national_2040"]
    assert n40["kalibrert_mmmm"]["total"] == pytest.approx(6_020_359, abs=1)
    assert n40["kalibrert_llml"]["80+"] < n40["kalibrert_mmmm"]["80+"] < n40["kalibrert_hhmh"]["80+"]
    for w in ("2010-2020", "2014-2024"):
        ours = p["backtest"]["method"]["windows"][w]["groups"]["80+"]["median_ape"]
        base = p["backtest"]["baseline"]["windows"][w]["groups"]["80+"]["median_ape"]
        assert ours < base and ours <= 6.0
    text = json.dumps(p).lower()
    assert not any(w in text for w in ("seconds", "elapsed", "duration", "timestamp"))  # byte-identical builds


# ------------------------------------------------------------------------------------------ SSB's vintages
def test_vintages_are_parsed_with_every_wording(vintages):
    assert sorted(vintages["vintage"].unique()) == [2005, 2008, 2009, 2010, 2011, 2012, 2014, 2016, 2018, 2020,
                                                    2022, 2024, 2026]
    assert set(vintages["alternative"]) == {"MMMM", "LLML", "HHMH"}
    assert vintages.loc[vintages.vintage == 2026, "table"].unique().tolist() == ["14746"]
    # 20-66 up to 2012, 20-44 + 45-66 from 2014
    assert "20-66" in set(vintages.loc[vintages.vintage == 2012, "age_group"])
    assert {"20-44", "45-66"} <= set(vintages.loc[vintages.vintage == 2014, "age_group"])
    v = vintages[(vintages.vintage == 2026) & (vintages.alternative == "MMMM") & (vintages.year == 2040)]
    assert v["population"].sum() == 6_020_359


@pytest.mark.parametrize("label,code", [
    ("Hovedalternativet (MMMM)", "MMMM"), ("Middels nasjonal vekst (Alternativ MMMM)", "MMMM"),
    ("Lav nasjonal vekst (Alternativ LLML)", "LLML"), ("Høy nasjonal vekst (HHMH)", "HHMH"),
    ("Lav nasjonal vekst (HHMH)", None), ("Hovedalternativet (MMM)", None), ("Høy innvandring (HHMH)", None)])
def test_alternative_labels_are_parsed_deliberately(label, code):
    assert na.parse_alternative(label) == code


def test_an_unknown_wording_or_age_stops_the_build_with_the_line(tmp_path):
    """Fixture (hand-made, real format): one vintage, two age groups."""
    head = "region,statistikkvariabel,år,alder,value,Framskriving,Tabell,source_file\n"
    rows = [f"Hele landet,{alt},2026,{age},{v},2026,14746,Framskrevet_folkemengde_2026-2050.csv\n"
            for alt in ("Hovedalternativet (MMMM)", "Lav nasjonal vekst (LLML)", "Høy nasjonal vekst (HHMH)")
            for age, v in (("0-66 år", 100), ("67 år eller eldre", 20))]
    good = tmp_path / "good.csv"
    good.write_text(head + "".join(rows), encoding="utf-8")
    assert len(na.read_vintages(good)) == 6
    bad = tmp_path / "bad.csv"
    bad.write_text(head + "".join(rows).replace("Lav nasjonal vekst (LLML)", "Lav vekst (LLML)"), encoding="utf-8")
    with pytest.raises(PipelineError, match=r"bad.csv, linje 4: ukjent alternativ.*«Lav vekst \(LLML\)»"):
        na.read_vintages(bad)
    bad.write_text(head + "".join(rows).replace("67 år eller eldre", "67+"), encoding="utf-8")
    with pytest.raises(PipelineError, match="ukjent aldersgruppe «67\\+»"):
        na.read_vintages(bad)
    bad.write_text(head + "".join(rows).replace("0-66 år", "0-60 år"), encoding="utf-8")
    with pytest.raises(PipelineError, match="dekker ikke 0–105"):
        na.read_vintages(bad)


def test_track_record_uses_observed_years_and_ours_only_data_up_to_the_base(data_dir, inputs, vintages):
    track = pd.read_parquet(data_dir / "projection_track.parquet")
    validate("projection_track", track)
    assert set(track.loc[track.source == "ssb", "vintage"]) == {2005, 2008, 2009, 2010, 2011, 2012, 2014, 2016,
                                                                2018, 2020, 2022}
    assert track["year"].max() == 2026 and (track["horizon"] >= 1).all()
    # ours from every vintage's base year but 2005 (no earlier year to take ratios from)
    assert set(track.loc[track.source == "omsorgsatlas", "vintage"]) == {2008, 2009, 2010, 2011, 2012, 2014, 2016,
                                                                         2018, 2020, 2022}
    # SSB 2014 main alternative against the observed 2024, by hand from the raw rows
    r = track[(track.source == "ssb") & (track.vintage == 2014) & (track.alternative == "MMMM")
              & (track.year == 2024) & (track.age_group == "80+")].iloc[0]
    raw = vintages[(vintages.vintage == 2014) & (vintages.alternative == "MMMM") & (vintages.year == 2024)
                   & (vintages.age_lo >= 80)]["population"].sum()
    pop = inputs[0]
    obs = pop[(pop.level == "country") & (pop.year == 2024) & (pop.age >= 80)]["population"].sum()
    assert r["projected"] == raw and r["observed"] == obs
    assert r["error_pct"] == pytest.approx(100 * (raw / obs - 1))


def test_track_record_cut_off_our_backtest_sees_no_data_after_its_base_year(inputs, vintages):
    """Our rows from base 2014 are the same whether or not later years are in the input."""
    pop, regions = inputs
    calls = []

    def spy(hist, reg, base, end):
        calls.append((base, int(hist["year"].max())))
        from pipeline import projection as pr
        return pr.project(hist, reg, base, end)

    v = vintages[vintages.vintage.isin([2014, 2016])]
    full = na.track_record(v, pop, regions, spy)
    assert calls == [(2014, 2014), (2016, 2016)]  # each run saw data up to its base year only
    cut = na.track_record(v, pop[pop.year <= 2026], regions, spy)
    pd.testing.assert_frame_equal(full, cut)
    # and the observed side reaches 2026: horizons 1..12 from 2014
    ours = full[(full.source == "omsorgsatlas") & (full.vintage == 2014)]
    assert sorted(ours["horizon"].unique()) == list(range(1, 13))


def test_calibrated_backtest_uses_only_the_vintage_published_in_its_start_year(inputs, vintages):
    """The calibrated backtest from 2014 is raked to SSB's 2014 vintage: later vintages (which saw the
    observed years) are never used, and without the start year's vintage it refuses rather than guess."""
    pop, regions = inputs
    only_2014 = vintages[vintages.vintage == 2014]
    method = prj.calibrated_method(only_2014)
    out = method(pop[pop.year <= 2014], regions, 2014, 2016)
    nat = out[(out.level == "country") & (out.year == 2016)]["population"].sum()
    want = only_2014[(only_2014.alternative == "MMMM") & (only_2014.year == 2016)]["population"].sum()
    assert nat == pytest.approx(want, abs=0.01)
    with pytest.raises(PipelineError, match="2016"):
        method(pop[pop.year <= 2016], regions, 2016, 2018)


def test_committed_catalogue_names_the_variant_of_every_projected_indicator(data_dir):
    cat = pd.read_parquet(data_dir / "catalog.parquet")
    proj = cat[cat["id"].str.endswith("_projected")]
    assert len(proj) == 3
    for r in proj.itertuples():
        assert "kalibrert_mmmm" in r.definition_nb and "kalibrert_mmmm" in r.notes, r.id
        assert "avstemt mot SSBs nasjonale framskriving 2026" in r.source, r.id
