"""Number and date formatting in the UI language (bokmål by default, English), with Babel. Pure, no Dash.

Bokmål conventions (Språkrådet / SSB style; Babel's nb_NO):
- thousands separator: U+00A0 no-break space  -> "1 234 567"
- decimal separator: comma                    -> "1 234,5"
- percent: no-break space before the sign     -> "12,3 %"
- dates: dd.mm.yyyy                           -> "01.01.2024"
- missing values: an en dash "–" (or a caller-chosen text)

English (Babel's en_GB): "1,234.5", "12.3%", dates dd/mm/yyyy. The language is
components.i18n.current_lang() (``use_lang`` blocks, ?lang=, cookie).

Rounding is half away from zero on the decimal representation the user would
read (2.675 -> "2,68"), not on the binary float.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Iterable

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal as _babel_decimal

from components.i18n import N_, _, babel_locale, current_lang

NBSP = "\u00a0"
MISSING = "–"  # en dash

# unit id (catalog.unit) -> suffix used after the number when no unit_nb is given
_UNIT_SUFFIX = {
    "percent": f"{NBSP}%",
    "persons": "",
    "ratio": "",
    "per100": "",
    "years": N_("år"),  # translated where used: NBSP + _(...)
}


def _is_missing(value) -> bool:
    if value is None:
        return True
    try:
        f = float(value)
    except (TypeError, ValueError):
        return True
    return math.isnan(f) or math.isinf(f)


def format_number(value, decimals: int = 0, missing: str = MISSING) -> str:
    """1234.5 -> "1 234,5" (NBSP thousands, comma decimals). None/NaN -> missing."""
    if _is_missing(value):
        return missing
    try:
        decimals = max(0, int(decimals))
    except (TypeError, ValueError):
        decimals = 0
    out = _formatted(float(value), decimals, babel_locale())
    return missing if out is None else out


@functools.lru_cache(maxsize=32768)
def _formatted(fvalue: float, decimals: int, locale: str) -> str | None:
    """format_number's text of a (finite) float: the same numbers come again and again (a county's and the
    country's values in every profile of the county), so kept (~1 µs a hit instead of ~6 µs). None: no text."""
    try:
        dec = Decimal(repr(fvalue)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # pragma: no cover - absurdly large values
        return None
    sign = "-" if dec < 0 and dec != 0 else ""  # "-0,0" -> "0,0" (the rounded value is zero)
    group, decimal = _number_symbols(locale)
    # the pattern "#,##0.0…" of Babel's format_decimal, applied with the locale's CLDR symbols from Babel
    # (same output, ~20× faster: a map formats ~360 numbers per answer; tests/unit/test_format.py checks
    # the two agree)
    out = f"{abs(dec):,.{decimals}f}".translate({ord(","): group, ord("."): decimal})
    return sign + out


@functools.lru_cache(maxsize=8)
def _number_symbols(locale: str) -> tuple[str, str]:
    """(group separator, decimal sign) of ``locale`` in Latin digits (CLDR via Babel): nb "\u00a0" ",",
    en "," "."."""
    symbols = Locale.parse(locale).number_symbols["latn"]
    return symbols["group"], symbols["decimal"]


def format_number_babel(value, decimals: int = 0) -> str:
    """Reference implementation with Babel's format_decimal (the tests compare format_number with it)."""
    dec = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    sign = "-" if dec < 0 and dec != 0 else ""
    return sign + _babel_decimal(abs(dec), format=pattern, locale=babel_locale(), decimal_quantization=False)


@functools.lru_cache(maxsize=8)
def _percent_suffix(locale: str) -> str:
    """What follows the number in the locale's percent pattern: nb "\u00a0%", en "%"."""
    pattern = Locale.parse(locale).percent_formats[None].pattern
    return pattern.split(";")[0].rsplit("0", 1)[-1] or "%"


def format_percent(value, decimals: int = 1, missing: str = MISSING) -> str:
    """12.34 (already 0–100) -> "12,3 %" (nb) / "12.3%" (en)."""
    if _is_missing(value):
        return missing
    return f"{format_number(value, decimals)}{_percent_suffix(babel_locale())}"


def format_value(value, unit: str | None = None, decimals: int = 0, unit_label: str | None = None,
                 missing: str = MISSING) -> str:
    """Format a value in the catalogue's unit.

    percent -> "12,3 %"; other units -> the number, with ``unit_label`` appended after a
    no-break space when given (e.g. "1 234 personer"). ``unit_label`` "%" is treated as percent.
    """
    if _is_missing(value):
        return missing
    if unit == "percent" or unit_label == "%":
        return format_percent(value, decimals)
    text = format_number(value, decimals)
    if unit_label:
        return f"{text}{NBSP}{unit_label}"
    if unit == "years":
        return f"{text}{NBSP}{_(_UNIT_SUFFIX['years'])}"
    return text + _UNIT_SUFFIX.get(unit or "", "")


def format_date(value, missing: str = MISSING) -> str:
    """date/datetime/ISO string -> "dd.mm.yyyy" (nb) / "dd/mm/yyyy" (en, Babel's short en_GB date)."""
    if value is None:
        return missing
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return missing
        try:
            value = _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return missing
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        try:
            value = value.to_pydatetime()
        except (TypeError, ValueError):
            return missing
    if isinstance(value, (_dt.date, _dt.datetime)):
        day = value.date() if isinstance(value, _dt.datetime) else value
        return _babel_date(day, format="dd.MM.yyyy" if current_lang() == "nb" else "short",
                           locale=babel_locale())
    return missing


def format_year_range(years: Iterable[int] | None, missing: str = MISSING) -> str:
    """[2005, ..., 2026] -> "2005–2026"; gaps are listed: [2011..2016, 2020] -> "2011–2016, 2020"."""
    try:
        ys = sorted({int(y) for y in (years or [])})
    except (TypeError, ValueError):
        return missing
    if not ys:
        return missing
    parts = []
    start = prev = ys[0]
    for y in ys[1:]:
        if y == prev + 1:
            prev = y
            continue
        parts.append(str(start) if start == prev else f"{start}–{prev}")
        start = prev = y
    parts.append(str(start) if start == prev else f"{start}–{prev}")
    return ", ".join(parts)


def unit_suffix(unit: str | None, unit_label: str | None = None) -> str:
    """Text for axis/legend titles: "%" for percent, else the unit label (e.g. "personer")."""
    if unit == "percent":
        return "%"
    return unit_label or ""


# Plotly's layout.separators: first char decimal separator, second thousands separator.
PLOTLY_SEPARATORS = "," + NBSP  # bokmål; figures use plotly_separators() (follows the UI language)


def plotly_separators(lang: str | None = None) -> str:
    """layout.separators for the UI language: ",\u00a0" (nb), ".," (en)."""
    return ".," if (lang or current_lang()) == "en" else PLOTLY_SEPARATORS
