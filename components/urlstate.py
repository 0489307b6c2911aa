"""URL query-string state of the overview page ("Kart og trender"). Pure: no Dash, no store.

The query string holds the view:

    /?indikator=share_80plus&niva=kommune&fylke=46&kommune=4601&ar=2024

``parse_query`` validates raw query parameters (as Dash Pages passes them to ``layout(**kwargs)``:
a str, or a list of str when a parameter is repeated; tests may pass ints) against a ``Domain``
(what exists in the data) and returns the view to show plus user-facing notes (bokmål) for every
parameter it had to ignore. It never raises on user input.

``to_query`` is the inverse; the clientside URL-sync callback (callbacks/overview.py) builds the same
string in the browser, in the same parameter order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping
from urllib.parse import urlencode
from components.i18n import N_, _

# URL level names <-> data level names
URL_LEVELS = {"fylke": "county", "kommune": "municipality"}
DATA_LEVELS = {v: k for k, v in URL_LEVELS.items()}
LEVEL_NAMES_NB = {"fylke": N_("fylkesnivå"), "kommune": N_("kommunenivå")}  # translated where shown

P_INDICATOR = "indikator"
P_LEVEL = "niva"
P_COUNTY = "fylke"
P_MUNICIPALITY = "kommune"
P_YEAR = "ar"
PARAMS = (P_INDICATOR, P_LEVEL, P_COUNTY, P_MUNICIPALITY, P_YEAR)

DEFAULT_LEVEL = "kommune"
_MAX_SHOWN = 40
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")



def first_value(v) -> str | None:
    """A query parameter as one string: the first of a repeated parameter, an int as text, else None."""
    if isinstance(v, (list, tuple)):
        v = v[0] if v else None
    return v if isinstance(v, str) else (str(v) if isinstance(v, int) else None)

@dataclass(frozen=True)
class IndicatorInfo:
    """What the URL parser needs to know about one indicator."""

    name: str
    # URL level ("fylke"/"kommune") -> sorted years with data at that level
    years: Mapping[str, tuple[int, ...]]


@dataclass(frozen=True)
class Domain:
    """What exists: indicators (in display order), counties, municipalities."""

    indicators: Mapping[str, IndicatorInfo]
    counties: Mapping[str, str]  # county code -> name
    municipalities: Mapping[str, tuple[str, str]]  # municipality code -> (name, county code)
    default_indicator: str


@dataclass(frozen=True)
class ViewState:
    indicator: str
    level: str  # "fylke" | "kommune"
    county: str | None  # 2-digit county code, None = hele landet
    municipality: str | None  # 4-digit municipality code, None = none selected
    year: int


@dataclass
class ParseResult:
    state: ViewState
    notes: list[str] = field(default_factory=list)


def shown(value: Any) -> str:
    """A user-supplied value, safe and short enough to echo in a note."""
    text = _CONTROL.sub("", str(value)).strip()
    if len(text) > _MAX_SHOWN:
        text = text[: _MAX_SHOWN - 1] + "…"
    return text


def _single(params: Mapping[str, Any], key: str, notes: list[str]) -> str | None:
    """The parameter's value as a stripped str; None when absent/blank. Repeats: first value + note."""
    if key not in params:
        return None
    raw = params[key]
    if isinstance(raw, (list, tuple)):
        values = [v for v in raw if v is not None and str(v).strip() != ""]
        if len(values) > 1:
            notes.append(_("Parameteren «{key}» er oppgitt flere ganger – bruker den første verdien.").format(key=key))
        raw = values[0] if values else None
    if raw is None or isinstance(raw, (dict, set)):
        return None
    if isinstance(raw, bool):
        return None
    text = str(raw).strip()
    return text or None


def normalise_code(text: str | None, width: int) -> str | None:
    """'3' -> '03' (width 2), '301' -> '0301' (width 4). Non-digits or too long -> None."""
    if text is None:
        return None
    text = str(text).strip()
    if not text.isdigit() or not text.isascii() or len(text) > width:
        return None
    return text.zfill(width)


def parse_year(text: str | None) -> int | None:
    """'2024' -> 2024; anything that is not a plain 4-digit year -> None."""
    if text is None:
        return None
    text = str(text).strip()
    if text.startswith("+"):
        text = text[1:]
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        return None
    return int(text)


def _levels_with_data(info: IndicatorInfo) -> list[str]:
    return [lvl for lvl in ("kommune", "fylke") if info.years.get(lvl)]


def default_state(domain: Domain) -> ViewState:
    return parse_query({}, domain).state


def parse_query(params: Mapping[str, Any] | None, domain: Domain) -> ParseResult:
    """Validate query parameters; fall back to defaults (with a note) for anything unusable."""
    notes: list[str] = []
    params = params if isinstance(params, Mapping) else {}

    # indicator
    raw_ind = _single(params, P_INDICATOR, notes)
    indicator = None
    if raw_ind is not None:
        if raw_ind in domain.indicators:
            indicator = raw_ind
        elif raw_ind.lower() in domain.indicators:
            indicator = raw_ind.lower()
        else:
            notes.append(_("Ukjent indikator «{value}» – viser standardvisning.").format(value=shown(raw_ind)))
    if indicator is None:
        indicator = domain.default_indicator
    if indicator not in domain.indicators and domain.indicators:
        indicator = next(iter(domain.indicators))
    info = domain.indicators.get(indicator, IndicatorInfo(indicator, {}))

    # level
    raw_level = _single(params, P_LEVEL, notes)
    level = None
    if raw_level is not None:
        candidate = raw_level.lower()
        candidate = DATA_LEVELS.get(candidate, candidate)  # accept county/municipality too
        if candidate in URL_LEVELS:
            level = candidate
        else:
            notes.append(_("Ukjent nivå «{value}» – viser {level}.").format(value=shown(raw_level),
                                                                          level=_(LEVEL_NAMES_NB[DEFAULT_LEVEL])))
    available = _levels_with_data(info)
    if level is None:
        level = DEFAULT_LEVEL if (DEFAULT_LEVEL in available or not available) else available[0]
    elif available and level not in available:
        notes.append(
            _("«{indicator}» har ikke data på {level} – viser {other}.").format(
                indicator=info.name, level=_(LEVEL_NAMES_NB[level]), other=_(LEVEL_NAMES_NB[available[0]]))
        )
        level = available[0]

    # county
    raw_county = _single(params, P_COUNTY, notes)
    county = None
    if raw_county is not None:
        code = normalise_code(raw_county, 2)
        if code is not None and code in domain.counties:
            county = code
        else:
            notes.append(_("Ukjent fylke «{value}» – viser hele landet.").format(value=shown(raw_county)))

    # municipality
    raw_muni = _single(params, P_MUNICIPALITY, notes)
    municipality = None
    if raw_muni is not None:
        code = normalise_code(raw_muni, 4)
        if code is None or code not in domain.municipalities:
            notes.append(_("Ukjent kommune «{value}» – ingen kommune er valgt.").format(value=shown(raw_muni)))
        else:
            name, muni_county = domain.municipalities[code]
            if county is not None and muni_county != county:
                notes.append(
                    _("{name} ({code}) ligger ikke i {county} – ingen kommune er valgt.").format(
                        name=name, code=code, county=domain.counties[county])
                )
            else:
                municipality = code

    # year
    years = tuple(info.years.get(level, ()))
    default_year = years[-1] if years else 0
    raw_year = _single(params, P_YEAR, notes)
    year = default_year
    if raw_year is not None:
        parsed = parse_year(raw_year)
        if parsed is None:
            notes.append(_("Ugyldig år «{value}» – viser {year}.").format(value=shown(raw_year), year=default_year))
        elif parsed not in years:
            notes.append(_("«{indicator}» har ikke data for {year} – viser {default}.").format(
                indicator=info.name, year=parsed, default=default_year))
        else:
            year = parsed

    return ParseResult(ViewState(indicator, level, county, municipality, year), notes)


def to_query(state: ViewState) -> str:
    """ViewState -> '?indikator=…&niva=…[&fylke=…][&kommune=…]&ar=…' (same order as the JS side)."""
    pairs = [(P_INDICATOR, state.indicator), (P_LEVEL, state.level)]
    if state.county:
        pairs.append((P_COUNTY, state.county))
    if state.municipality:
        pairs.append((P_MUNICIPALITY, state.municipality))
    if state.year:
        pairs.append((P_YEAR, str(state.year)))
    return "?" + urlencode(pairs)
