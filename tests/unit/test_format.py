"""Norwegian number/date formatting (components/format.py)."""

import datetime as dt
import math

import pytest

from components.format import (
    MISSING,
    NBSP,
    format_date,
    format_number,
    format_percent,
    format_value,
    format_year_range,
)


@pytest.mark.parametrize(
    "value, decimals, expected",
    [
        (0, 0, "0"),
        (5, 0, "5"),
        (999, 0, "999"),
        (1000, 0, f"1{NBSP}000"),
        (1234.5, 1, f"1{NBSP}234,5"),
        (1234567.891, 2, f"1{NBSP}234{NBSP}567,89"),
        (12.345, 1, "12,3"),
        (0.05, 1, "0,1"),  # half away from zero
        (2.675, 2, "2,68"),  # decimal, not binary, rounding
        (-1234.5, 1, f"-1{NBSP}234,5"),
        (-0.04, 1, "0,0"),  # no negative zero
        (1234.0, 0, f"1{NBSP}234"),
        (7, 2, "7,00"),
    ],
)
def test_format_number(value, decimals, expected):
    assert format_number(value, decimals) == expected


@pytest.mark.parametrize("value", [None, float("nan"), math.inf, "abc"])
def test_missing_values(value):
    assert format_number(value, 1) == MISSING
    assert format_percent(value) == MISSING
    assert format_value(value, "percent", 1) == MISSING
    assert format_value(value, "persons", 0, missing="Ingen data") == "Ingen data"


def test_percent_has_nbsp_before_sign():
    assert format_percent(12.345, 1) == f"12,3{NBSP}%"
    assert format_percent(74.2) == f"74,2{NBSP}%"
    assert format_value(5, "percent", 0, "%") == f"5{NBSP}%"


def test_value_units():
    assert format_value(1234, "persons", 0, "personer") == f"1{NBSP}234{NBSP}personer"
    assert format_value(3.456, "ratio", 2) == "3,46"
    assert format_value(3.456, "ratio", 2, "") == "3,46"
    assert format_value(12.34, "per100", 1, "per 100") == f"12,3{NBSP}per 100"


def test_no_ascii_space_used_as_thousands_separator():
    assert " " not in format_number(123456789, 0)


def test_numeric_strings_and_numpy_types():
    np = pytest.importorskip("numpy")
    assert format_number(np.float64(1234.5), 1) == f"1{NBSP}234,5"
    assert format_number(np.int64(1500), 0) == f"1{NBSP}500"
    assert format_number("1500", 0) == f"1{NBSP}500"
    assert format_number(np.nan, 0) == MISSING


@pytest.mark.parametrize(
    "value, expected",
    [
        (dt.date(2024, 1, 1), "01.01.2024"),
        (dt.datetime(2026, 11, 22, 5, 44), "22.11.2026"),
        ("2025-03-09", "09.03.2025"),
        ("2025-03-09T12:30:00Z", "09.03.2025"),
        ("not a date", MISSING),
        ("", MISSING),
        (None, MISSING),
    ],
)
def test_format_date(value, expected):
    assert format_date(value) == expected


def test_format_date_pandas_timestamp():
    pd = pytest.importorskip("pandas")
    assert format_date(pd.Timestamp("2024-12-31")) == "31.12.2024"


@pytest.mark.parametrize(
    "years, expected",
    [
        (range(2005, 2027), "2005–2026"),
        ([2016], "2016"),
        ([2011, 2012, 2013, 2014, 2015, 2016, 2020], "2011–2016, 2020"),
        ([2020, 2013, 2014], "2013–2014, 2020"),
        ([], MISSING),
        (None, MISSING),
    ],
)
def test_format_year_range(years, expected):
    assert format_year_range(years) == expected


# ------------------------------------------------------------------ fast path == Babel's format_decimal
@pytest.mark.parametrize("lang", ["nb", "en"])
def test_format_number_agrees_with_babel_format_decimal(lang):
    import random

    from components.format import format_number, format_number_babel
    from components.i18n import use_lang

    rng = random.Random(7)
    values = [0, -0.0, 0.04, -0.04, 1, 999.5, 1000, 1234.5, -1234.5, 2.675, 1e6, 12345678.9, 0.05, -0.05]
    values += [rng.uniform(-1e7, 1e7) for _ in range(300)] + [rng.uniform(-2, 2) for _ in range(100)]
    with use_lang(lang):
        for v in values:
            for d in (0, 1, 2, 3):
                assert format_number(v, d) == format_number_babel(v, d), (v, d)
