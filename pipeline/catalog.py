"""The indicator catalogue and the service areas: definitions as data, years/levels from the values."""
from __future__ import annotations

import pandas as pd

from .harmonise import NOTE_HARMONISATION

SSB_07459 = "SSB, tabell 07459 Befolkning, etter region, kjønn, alder og år (1. januar)"
SSB_07459_URL = "https://www.ssb.no/statbank/table/07459"
NLOD = "NLOD 2.0"

SERVICE_AREAS = [
    ("hjemmetjenester", "Hjemmetjenester", "Home-based services"),
    ("institusjon", "Institusjon/sykehjem", "Nursing homes and institutions"),
    ("helsestasjon", "Helsestasjon og skolehelsetjeneste", "Health stations and school health service"),
    ("legetjeneste", "Legetjeneste", "GP and emergency services"),
    ("rehabilitering", "Fysio- og ergoterapi / rehabilitering", "Physiotherapy, occupational therapy, rehabilitation"),
    ("psykisk_helse_rus", "Psykisk helse og rus", "Mental health and substance use"),
    ("tannhelse", "Tannhelse", "Dental health"),
    ("befolkning", "Befolkning/demografi", "Population/demography"),
]

DEMAND = ["befolkning", "hjemmetjenester", "institusjon"]

# id, name_nb, name_en, definition_nb, definition_en, unit, unit_nb, unit_en, decimals, areas, direction, note
INDICATORS = [
    ("population", "Folkemengde", "Population",
     "Antall innbyggere 1. januar.", "Number of residents on 1 January.",
     "persons", "personer", "persons", 0, ["befolkning"], "neutral", ""),
    ("share_67plus", "Andel 67 år og over", "Share aged 67+",
     "Innbyggere 67 år og over som prosent av alle innbyggere, 1. januar.",
     "Residents aged 67 or older as a percentage of all residents, 1 January.",
     "percent", "%", "%", 1, DEMAND, "neutral", ""),
    ("share_80plus", "Andel 80 år og over", "Share aged 80+",
     "Innbyggere 80 år og over som prosent av alle innbyggere, 1. januar. Den viktigste enkeltfaktoren for "
     "behovet for hjemmetjenester og sykehjemsplasser.",
     "Residents aged 80 or older as a percentage of all residents, 1 January.",
     "percent", "%", "%", 1, DEMAND, "neutral", ""),
    ("share_90plus", "Andel 90 år og over", "Share aged 90+",
     "Innbyggere 90 år og over som prosent av alle innbyggere, 1. januar.",
     "Residents aged 90 or older as a percentage of all residents, 1 January.",
     "percent", "%", "%", 2, DEMAND, "neutral", ""),
    ("count_80plus", "Antall 80 år og over", "Number aged 80+",
     "Antall innbyggere 80 år og over, 1. januar.", "Number of residents aged 80 or older, 1 January.",
     "persons", "personer", "persons", 0, DEMAND, "neutral", ""),
    ("growth_80plus_2010", "Vekst i antall 80+ siden 2010", "Growth in number aged 80+ since 2010",
     "Endring i antall innbyggere 80 år og over fra 1. januar 2010, i prosent "
     "(teller: antall 80+ i året; nevner: antall 80+ i 2010).",
     "Change in the number of residents aged 80+ since 1 January 2010, in percent "
     "(numerator: number 80+ in the year; denominator: number 80+ in 2010).",
     "percent", "%", "%", 1, DEMAND, "neutral", ""),
    ("care_ratio", "Omsorgsressurs: personer 20–66 år per person 80+", "Care ratio: people 20–66 per person 80+",
     "Antall innbyggere 20–66 år delt på antall innbyggere 80 år og over (potensielle omsorgsytere per eldre). "
     "Jo lavere tall, jo færre i yrkesaktiv alder per eldre.",
     "Residents aged 20–66 divided by residents aged 80+ (potential carers per older person).",
     "ratio", "per person 80+", "per person 80+", 1, DEMAND, "higher_better",
     "Høyere er bedre i den forstand at flere i yrkesaktiv alder kan dele på omsorgen."),
    ("old_age_dependency", "Eldrebyrde: 67+ per 100 i alderen 20–66", "Old-age dependency: 67+ per 100 aged 20–66",
     "Antall innbyggere 67 år og over per 100 innbyggere 20–66 år.",
     "Residents aged 67+ per 100 residents aged 20–66.",
     "per100", "per 100", "per 100", 1, ["befolkning"], "lower_better",
     "Lavere er bedre i den forstand at færre eldre står bak hver person i yrkesaktiv alder."),
    ("median_age", "Medianalder", "Median age",
     "Alderen som deler befolkningen i to like store halvdeler, beregnet fra ettårige aldersgrupper "
     "med lineær interpolasjon innen alderstrinnet (alder a dekker [a, a+1)).",
     "The age that divides the population into two halves, from single years of age with linear "
     "interpolation within the year of age.",
     "years", "år", "years", 1, ["befolkning"], "neutral", ""),
]


def _years_text(years: list[int]) -> str:
    years = sorted(years)
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])


def data_notes(report: dict, names: dict[str, str]) -> str:
    """Notes on gaps and on figures taken from the 2024-border file, from the harmonisation report."""
    notes = []
    gaps = report.get("gaps", {})
    if gaps:
        parts = [f"{y}: " + ", ".join(f"{names.get(c, c)} ({c})" for c in cs) for y, cs in sorted(gaps.items())]
        notes.append("Mangler i alle kilder og vises som hull (fylke og land publiseres ikke for år der en "
                     "kommune mangler): " + "; ".join(parts) + ".")
    filled = report.get("filled_from_b2024", {})
    if filled:
        by_code: dict[str, list[int]] = {}
        for y, f in filled.items():
            for c in f["municipalities_2024"]:
                by_code.setdefault(c, []).append(int(y))
        parts = [f"{names.get(c, c)} ({c}) {_years_text(ys)}" for c, ys in sorted(by_code.items())]
        notes.append("Råeksportene fra tabell 07459 mangler de gamle kommunenumrene for " + "; ".join(parts) +
                     "; disse tallene er hentet fra SSB-befolkningen på 2024-grenser.")
    return " ".join(notes)


def build_catalog(indicators: pd.DataFrame, report: dict, names: dict[str, str]) -> pd.DataFrame:
    rows = []
    gap_note = " " + data_notes(report, names) if report else ""
    for i, (iid, nnb, nen, dnb, den, unit, unb, uen, dec, areas, direction, note) in enumerate(INDICATORS):
        sub = indicators[indicators["indicator_id"] == iid]
        if sub.empty:
            continue
        years = sorted(int(y) for y in sub["year"].unique())
        levels = [lv for lv in ("country", "county", "municipality") if (sub["level"] == lv).any()]
        notes = " ".join(x for x in (note, (NOTE_HARMONISATION + gap_note).strip()) if x)
        rows.append({
            "id": iid, "name_nb": nnb, "name_en": nen, "definition_nb": dnb, "definition_en": den,
            "unit": unit, "unit_nb": unb, "unit_en": uen, "decimals": dec, "service_areas": list(areas),
            "direction": direction, "levels": levels, "years": years, "year_min": min(years),
            "year_max": max(years), "source": SSB_07459, "source_url": SSB_07459_URL, "licence": NLOD,
            "notes": notes, "sort_order": i,
        })
    df = pd.DataFrame(rows)
    return df.astype({"decimals": "int8", "year_min": "int16", "year_max": "int16", "sort_order": "int16"})


def build_service_areas() -> pd.DataFrame:
    df = pd.DataFrame(SERVICE_AREAS, columns=["id", "name_nb", "name_en"])
    df["sort_order"] = range(len(df))
    return df.astype({"sort_order": "int16"})
