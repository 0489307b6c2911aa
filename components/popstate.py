"""URL state of «Befolkning og behov» (/befolkning). Pure: no Dash, no store.

    /befolkning?kommune=4601&ar=2035&aldersgrupper=5
    /befolkning?fylke=46
    /befolkning                      (the whole country, last observed year, single ages)

``parse_population_query`` validates what Dash Pages passes to ``layout(**query)`` and never raises; every
ignored parameter yields a note in the UI language. ``kommune`` wins over ``fylke`` when both are given and agree;
when they disagree the municipality is shown (with a note). The clientside URL sync in
callbacks/population.py writes the same parameters in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from components.urlstate import _single, normalise_code, parse_year, shown
from components.i18n import N_, _

P_MUNICIPALITY = "kommune"
P_COUNTY = "fylke"
P_YEAR = "ar"
P_WIDTH = "aldersgrupper"
COUNTRY = "NO"
WIDTHS = {"1": 1, "5": 5}


@dataclass(frozen=True)
class PopState:
    region: str      # "NO", a county code or a municipality code
    year: int
    width: int       # 1 = single ages, 5 = five-year groups


@dataclass
class PopParse:
    state: PopState
    notes: list[str] = field(default_factory=list)


def parse_population_query(params: Mapping[str, Any] | None, *, counties: Mapping[str, str],
                           municipalities: Mapping[str, tuple[str, str]], years: tuple[int, ...],
                           default_year: int) -> PopParse:
    notes: list[str] = []
    params = params if isinstance(params, Mapping) else {}
    region = COUNTRY

    raw_county = _single(params, P_COUNTY, notes)
    county = None
    if raw_county is not None:
        code = normalise_code(raw_county, 2)
        if code in counties:
            county = code
        else:
            notes.append(_("Ukjent fylke «{value}» – viser hele landet.").format(value=shown(raw_county)))
    raw_muni = _single(params, P_MUNICIPALITY, notes)
    muni = None
    if raw_muni is not None:
        code = normalise_code(raw_muni, 4)
        if code in municipalities:
            muni = code
            name, muni_county = municipalities[code]
            if county is not None and county != muni_county:
                notes.append(_("{name} ({code}) ligger ikke i {county} – viser {name}.").format(
                    name=name, code=code, county=counties[county]))
        else:
            notes.append(_("Ukjent kommune «{value}» – viser {region}.").format(
                value=shown(raw_muni), region=counties[county] if county else _("hele landet")))
    region = muni or county or COUNTRY

    year = default_year
    raw_year = _single(params, P_YEAR, notes)
    if raw_year is not None:
        y = parse_year(raw_year)
        if y is None or y not in years:
            notes.append(_("Ugyldig år «{value}» – velg et år fra {first} til {last}; viser {year}.").format(
                value=shown(raw_year), first=years[0], last=years[-1], year=default_year))
        else:
            year = y

    width = 1
    raw_width = _single(params, P_WIDTH, notes)
    if raw_width is not None:
        if raw_width in WIDTHS:
            width = WIDTHS[raw_width]
        else:
            notes.append(_("Ukjent aldersgruppering «{value}» – bruk 1 (ettårig) eller 5 (femårig); "
                           "viser ettårig alder.").format(value=shown(raw_width)))
    return PopParse(PopState(region, year, width), notes)


def region_query(region: str) -> list[tuple[str, str]]:
    if region and len(region) == 4:
        return [(P_MUNICIPALITY, region)]
    if region and len(region) == 2:
        return [(P_COUNTY, region)]
    return []


def to_query(state: PopState) -> str:
    from urllib.parse import urlencode
    pairs = region_query(state.region) + [(P_YEAR, str(state.year)), (P_WIDTH, str(state.width))]
    return "?" + urlencode(pairs)


# UI names of the projection variants of store/demography.py (VARIANTS); the store knows only the codes
VARIANT_LABELS = {  # bokmål msgids; variant_label() returns them in the UI language
    "kalibrert_mmmm": N_("Omsorgsatlas' framskriving, avstemt mot SSBs nasjonale framskriving 2026 "
                         "(hovedalternativet, MMMM)"),
    "kalibrert_llml": N_("Omsorgsatlas' framskriving, avstemt mot SSBs nasjonale framskriving 2026 "
                         "(lav nasjonal vekst, LLML)"),
    "kalibrert_hhmh": N_("Omsorgsatlas' framskriving, avstemt mot SSBs nasjonale framskriving 2026 "
                         "(høy nasjonal vekst, HHMH)"),
    "ssb_mmm": N_("SSBs befolkningsframskriving (hovedalternativet, MMM)"),
    "omsorgsatlas": N_("Omsorgsatlas' egen framskriving uten avstemming mot SSB"),
}
ALTERNATIVE_NAMES = {  # short names of SSB's alternatives, as the page says them
    "kalibrert_mmmm": N_("hovedalternativet (MMMM)"),
    "kalibrert_llml": N_("lav nasjonal vekst (LLML)"),
    "kalibrert_hhmh": N_("høy nasjonal vekst (HHMH)"),
}


def variant_label(variant: str | None) -> str:
    return _(VARIANT_LABELS.get(variant or "", N_("Framskriving")))


def alternative_name(variant: str | None) -> str:
    """«hovedalternativet (MMMM)» etc. for a calibrated variant, else the full variant label."""
    if variant in ALTERNATIVE_NAMES:
        return _(ALTERNATIVE_NAMES[variant])
    return variant_label(variant)
