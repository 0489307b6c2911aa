"""Declared schemas of every output table; validated before the new data/ is swapped in."""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors

from .errors import PipelineError

LEVELS = ["country", "county", "municipality"]
CODE = r"^(NO|\d{2}|\d{4})$"
MUNI = r"^\d{4}$"

_level = pa.Column(str, pa.Check.isin(LEVELS))
_code = pa.Column(str, pa.Check.str_matches(CODE))
_year = pa.Column("int16", pa.Check.in_range(1990, 2100))


def _code_matches_level(df: pd.DataFrame) -> pd.Series:
    n = df["region_code"].str.len()
    return ((df["level"] == "country") & (df["region_code"] == "NO")) | \
        ((df["level"] == "county") & (n == 2)) | ((df["level"] == "municipality") & (n == 4))


SCHEMAS = {
    "regions": pa.DataFrameSchema({
        "region_code": pa.Column(str, pa.Check.str_matches(CODE), unique=True),
        "level": _level,
        "name": pa.Column(str, pa.Check.str_length(min_value=1)),
        "county_code": pa.Column(str, pa.Check.str_matches(r"^\d{2}$"), nullable=True),
        "county_name": pa.Column(str, nullable=True),
        "sort_order": pa.Column("int32", unique=True),
    }, checks=[
        pa.Check(_code_matches_level, error="code does not match level"),
        pa.Check(lambda d: (d["level"] == "municipality").sum() == 357, error="357 municipalities"),
        pa.Check(lambda d: (d["level"] == "county").sum() == 15, error="15 counties"),
        pa.Check(lambda d: (d["level"] == "country").sum() == 1, error="one country"),
    ], strict=True, ordered=True),
    "population": pa.DataFrameSchema({
        "level": _level, "region_code": _code, "year": _year,
        "age": pa.Column("int16", pa.Check.in_range(0, 105)),
        "population": pa.Column("float64", pa.Check.ge(0)),
    }, checks=[pa.Check(_code_matches_level, error="code does not match level")],
        unique=["level", "region_code", "year", "age"], strict=True, ordered=True),
    "population_groups": pa.DataFrameSchema({
        "level": _level, "region_code": _code, "year": _year,
        "age_group": pa.Column(str, pa.Check.isin(["0-17", "18-49", "50-66", "67-79", "80-89", "90+", "total"])),
        "population": pa.Column("float64", pa.Check.ge(0)),
    }, unique=["level", "region_code", "year", "age_group"], strict=True, ordered=True),
    "indicators": pa.DataFrameSchema({
        "indicator_id": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9_]+$")),
        "level": _level, "region_code": _code, "year": _year,
        "value": pa.Column("float64", pa.Check(lambda s: pd.Series(s).map(lambda x: x == x and abs(x) < 1e12))),
        "numerator": pa.Column("float64", nullable=True),
        "denominator": pa.Column("float64", pa.Check.gt(0), nullable=True),
        # 95 % interval in the value's unit (pipeline/comparison.py: Wilson for shares, Byar otherwise)
        "ci_low": pa.Column("float64", nullable=True),
        "ci_high": pa.Column("float64", nullable=True),
    }, checks=[pa.Check(_code_matches_level, error="code does not match level"),
               pa.Check(lambda d: ~(d["ci_low"] > d["value"] + 1e-9) & ~(d["ci_high"] < d["value"] - 1e-9),
                        error="interval does not contain the value")],
        unique=["indicator_id", "level", "region_code", "year"], strict=True, ordered=True),
    "catalog": pa.DataFrameSchema({
        "id": pa.Column(str, unique=True),
        "name_nb": pa.Column(str, pa.Check.str_length(min_value=1)),
        "name_en": pa.Column(str, pa.Check.str_length(min_value=1)),
        "definition_nb": pa.Column(str, pa.Check.str_length(min_value=1)),
        "definition_en": pa.Column(str, pa.Check.str_length(min_value=1)),
        "unit": pa.Column(str, pa.Check.isin(["persons", "percent", "ratio", "per100", "years", "fte", "per1000",
                                               "per10000", "nok", "count"])),
        "unit_nb": pa.Column(str), "unit_en": pa.Column(str),
        "decimals": pa.Column("int8", pa.Check.in_range(0, 4)),
        "service_areas": pa.Column(object, pa.Check(lambda s: s.map(lambda v: len(v) > 0))),
        "direction": pa.Column(str, pa.Check.isin(["higher_better", "lower_better", "neutral"])),
        "levels": pa.Column(object, pa.Check(lambda s: s.map(lambda v: len(v) > 0 and set(v) <= set(LEVELS)))),
        "years": pa.Column(object, pa.Check(lambda s: s.map(lambda v: len(v) > 0))),
        "year_min": _year, "year_max": _year,
        "source": pa.Column(str, pa.Check.str_length(min_value=1)),
        "source_url": pa.Column(str), "licence": pa.Column(str, pa.Check.str_length(min_value=1)),
        "notes": pa.Column(str), "sort_order": pa.Column("int16"),
        # provenance and dimensions (pipeline/seeds.py); empty strings for the SSB population indicators
        "origin": pa.Column(str, pa.Check.isin(["ssb", "projection", "document", "derived"])),
        "document": pa.Column(str), "document_title": pa.Column(str), "publisher": pa.Column(str),
        "publication_year": pa.Column("Int16", nullable=True), "table_ref": pa.Column(str),
        "series": pa.Column(str), "series_name_nb": pa.Column(str), "series_name_en": pa.Column(str),
        "total_id": pa.Column(str), "occupation": pa.Column(str), "field": pa.Column(str),
        "contract": pa.Column(str), "target_group": pa.Column(str), "age_group": pa.Column(str),
        "need_level": pa.Column(str), "education": pa.Column(str),
        "area_kind": pa.Column(str, pa.Check.isin(["", "county_2016", "statsforvalter_2021"])),
    }, strict=True, ordered=True),
    "projection": pa.DataFrameSchema({
        "variant": pa.Column(str, pa.Check.isin(["kalibrert_mmmm", "kalibrert_llml", "kalibrert_hhmh", "omsorgsatlas",
                                                 "ssb_mmm"])),
        "level": _level, "region_code": _code,
        "year": pa.Column("int16", pa.Check.in_range(2027, 2040)),
        "age": pa.Column("int16", pa.Check.in_range(0, 105)),
        "population": pa.Column("float64", pa.Check.ge(0)),  # not nullable: NaN fails
    }, checks=[pa.Check(_code_matches_level, error="code does not match level")],
        unique=["variant", "level", "region_code", "year", "age"], strict=True, ordered=True),
    "projection_track": pa.DataFrameSchema({
        "source": pa.Column(str, pa.Check.isin(["ssb", "omsorgsatlas"])),
        "vintage": pa.Column("int16", pa.Check.in_range(2005, 2100)),
        "alternative": pa.Column(str, pa.Check.isin(["MMMM", "LLML", "HHMH", ""])),
        "year": pa.Column("int16", pa.Check.in_range(2006, 2100)),
        "horizon": pa.Column("int16", pa.Check.ge(1)),
        "age_group": pa.Column(str, pa.Check.isin(["total", "0-19", "20-66", "67-79", "80-89", "90+", "67+", "80+"])),
        "projected": pa.Column("float64", pa.Check.ge(0)),
        "observed": pa.Column("float64", pa.Check.gt(0)),
        "error_pct": pa.Column("float64"),
    }, checks=[pa.Check(lambda d: d["year"] - d["vintage"] == d["horizon"], error="horizon != year - vintage"),
               pa.Check(lambda d: (d["source"] == "ssb") != (d["alternative"] == ""), error="alternative")],
        unique=["source", "vintage", "alternative", "year", "age_group"], strict=True, ordered=True),
    "service_areas": pa.DataFrameSchema({
        "id": pa.Column(str, unique=True), "name_nb": pa.Column(str), "name_en": pa.Column(str),
        "sort_order": pa.Column("int16"),
    }, strict=True, ordered=True),
    "statistical_neighbours": pa.DataFrameSchema({
        "region_code": pa.Column(str, pa.Check.str_matches(MUNI)),
        "neighbour_code": pa.Column(str, pa.Check.str_matches(MUNI)),
        "rank": pa.Column("int16", pa.Check.in_range(1, 50)),
        "distance": pa.Column("float64", pa.Check.ge(0)),
    }, checks=[pa.Check(lambda d: d["region_code"] != d["neighbour_code"], error="self-neighbour")],
        unique=["region_code", "neighbour_code"], strict=False, ordered=False),  # + share_<feature> columns
    "comparison_features": pa.DataFrameSchema({
        "region_code": pa.Column(str, pa.Check.str_matches(MUNI)),
        "feature": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9_]+$")),
        "value": pa.Column("float64"),
        "z": pa.Column("float64"),
    }, unique=["region_code", "feature"], strict=True, ordered=True),
    "neighbours": pa.DataFrameSchema({
        "region_code": pa.Column(str, pa.Check.str_matches(MUNI)),
        "neighbour_code": pa.Column(str, pa.Check.str_matches(MUNI)),
        "relation": pa.Column(str, pa.Check.isin(["border", "nearest"])),
        "shared_border_km": pa.Column("float64", pa.Check.ge(0)),
        "distance_km": pa.Column("float64", pa.Check.ge(0)),
    }, checks=[pa.Check(lambda d: d["region_code"] != d["neighbour_code"], error="self-neighbour")],
        unique=["region_code", "neighbour_code"], strict=True, ordered=True),
}

# Tables from the policy documents (pipeline/seeds.py)
SCHEMAS["seed_areas"] = pa.DataFrameSchema({
    "area_kind": pa.Column(str, pa.Check.isin(["county_2016", "statsforvalter_2021"])),
    "area_code": pa.Column(str, pa.Check.str_matches(r"^\d{2}(\+\d{2})*$")),
    "area_name": pa.Column(str, pa.Check.str_length(min_value=1)),
    "year": _year,
    "indicator_id": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9_]+$")),
    "value": pa.Column("float64"), "unit": pa.Column(str),
    "numerator": pa.Column("float64", nullable=True), "denominator": pa.Column("float64", nullable=True),
    "counties_2024": pa.Column(object, pa.Check(lambda s: s.map(lambda v: len(v) > 0))),
    "county_2024": pa.Column(str, pa.Check.str_matches(r"^(\d{2})?$")),
    "table_ref": pa.Column(str), "source_line": pa.Column(str), "note": pa.Column(str),
}, unique=["area_kind", "area_code", "indicator_id", "year"], strict=True, ordered=True)
SCHEMAS["measures"] = pa.DataFrameSchema({
    "plan": pa.Column(str, pa.Check.isin(["K2025", "KL2020"])),
    "measure_id": pa.Column(str, unique=True), "number": pa.Column(str), "ordningsnr": pa.Column(str),
    "title_nb": pa.Column(str, pa.Check.str_length(min_value=1)), "title_en": pa.Column(str),
    "strategy_areas": pa.Column(object, pa.Check(lambda s: s.map(lambda v: len(v) > 0))),
    "strategy_area_names": pa.Column(object),
    "budget_chapter_post": pa.Column(str), "budget_chapters": pa.Column(object),
    "target_group": pa.Column(str), "purpose": pa.Column(str), "responsible": pa.Column(str),
    "measure_type": pa.Column(str), "amount_text": pa.Column(str),
    "amount_nok": pa.Column("float64", pa.Check.ge(0), nullable=True),
    "amount_year": pa.Column("Int16", nullable=True),
    "result_reported": pa.Column(str), "goal_attainment": pa.Column(str), "also_listed_as": pa.Column(str),
    "related_measure": pa.Column(str), "status_note": pa.Column(str), "document": pa.Column(str),
    "source": pa.Column(str), "source_table": pa.Column(str), "source_lines": pa.Column(str),
    "notes": pa.Column(str), "sort_order": pa.Column("int16", unique=True),
}, strict=True, ordered=True)

# Why a municipality has no value for an indicator and year (pipeline/online.py: KOSTRA tables)
SCHEMAS["gap_notes"] = pa.DataFrameSchema({
    "indicator_id": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9_]+$")),
    "region_code": pa.Column(str, pa.Check.str_matches(MUNI)),
    "year": _year,
    "reason_nb": pa.Column(str, pa.Check.str_length(min_value=1)),
    "reason_en": pa.Column(str, pa.Check.str_length(min_value=1)),
}, unique=["indicator_id", "region_code", "year"], strict=True, ordered=True)

# Precomputed views (pipeline/views.py, issue 13): ranks, spreads and neighbour medians
_rank_levels = pa.Column(str, pa.Check.isin(["county", "municipality"]))
_ind = pa.Column(str, pa.Check.str_matches(r"^[a-z0-9_]+$"))
SCHEMAS["view_ranks"] = pa.DataFrameSchema({
    "indicator_id": _ind, "level": _rank_levels, "region_code": pa.Column(str, pa.Check.str_matches(r"^(\d{2}|\d{4})$")),
    "year": _year,
    "rank_all": pa.Column("int16", pa.Check.ge(1)), "n_all": pa.Column("int16", pa.Check.ge(1)),
    "rank_county": pa.Column("Int16", pa.Check.ge(1), nullable=True),
    "n_county": pa.Column("Int16", pa.Check.ge(1), nullable=True),
    "quintile": pa.Column("Int8", pa.Check.in_range(1, 5), nullable=True),
}, checks=[pa.Check(_code_matches_level, error="code does not match level"),
           pa.Check(lambda d: d["rank_all"] <= d["n_all"], error="rank_all > n_all"),
           pa.Check(lambda d: (d["level"] == "municipality") == d["rank_county"].notna(), error="rank_county level"),
           pa.Check(lambda d: ~(d["rank_county"] > d["n_county"]).fillna(False), error="rank_county > n_county")],
    unique=["indicator_id", "level", "region_code", "year"], strict=True, ordered=True)
_f = lambda: pa.Column("float64", nullable=True)  # noqa: E731
SCHEMAS["view_spread"] = pa.DataFrameSchema({
    "indicator_id": _ind, "level": _rank_levels, "year": _year,
    "county_code": pa.Column(str, pa.Check.str_matches(r"^\d{2}$"), nullable=True),
    "n": pa.Column("int16", pa.Check.ge(1)),
    "min": pa.Column("float64"), "p25": pa.Column("float64"), "median": pa.Column("float64"),
    "p75": pa.Column("float64"), "max": pa.Column("float64"),
    "q20": _f(), "q40": _f(), "q60": _f(), "q80": _f(),
}, checks=[pa.Check(lambda d: (d["min"] <= d["p25"]) & (d["p25"] <= d["median"]) & (d["median"] <= d["p75"])
                    & (d["p75"] <= d["max"]), error="spread not ordered"),
           pa.Check(lambda d: (d["n"] >= 5) == d["q20"].notna(), error="quintile edges need 5 values"),
           pa.Check(lambda d: d["county_code"].isna() | (d["level"] == "municipality"), error="county spread level")],
    unique=["indicator_id", "level", "year", "county_code"], strict=True, ordered=True)
SCHEMAS["view_neighbour_medians"] = pa.DataFrameSchema({
    "region_code": pa.Column(str, pa.Check.str_matches(MUNI)), "indicator_id": _ind, "year": _year,
    "geo_median": _f(), "geo_n": pa.Column("int16", pa.Check.ge(0)),
    "stat_median": _f(), "stat_n": pa.Column("int16", pa.Check.ge(0)),
}, checks=[pa.Check(lambda d: (d["geo_n"] > 0) == d["geo_median"].notna(), error="geo_median without values"),
           pa.Check(lambda d: (d["stat_n"] > 0) == d["stat_median"].notna(), error="stat_median without values")],
    unique=["region_code", "indicator_id", "year"], strict=True, ordered=True)


def validate(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Validate one output table; raise PipelineError naming the table and the first failures."""
    try:
        return SCHEMAS[name].validate(df, lazy=True)
    except (SchemaErrors, SchemaError) as exc:
        cases = getattr(exc, "failure_cases", None)
        detail = cases.head(5).to_string() if cases is not None and hasattr(cases, "head") else str(exc)
        raise PipelineError(f"tabellen «{name}» bryter skjemaet:\n{detail}") from exc
