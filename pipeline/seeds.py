"""National and county tables from the policy documents (raw/seeds/) -> indicators, catalogue, areas, measures.

Every value keeps its provenance: the document, the table number, the raw file and the line it came from.
Numbers are parsed deliberately (`parse_number`): thousands separated by spaces ("13 316 900"), decimal
comma or point ("74,2" / "74.2"), a trailing percent sign ("-19 %"), footnote stars ("Sum bachelor*" labels),
and the documented missing markers (NA, "–", "-", "..", ":", empty). Any other cell is an error naming the
file and line, unless the table's spec overrides that one cell with a value and a note ("73 (derived:
122-49)").

County tables use the counties of their year. A value is put on a 2024 county code only when the area is
unchanged between the table's year and 2024 (same municipalities, from codes/redistricting_to_b2024.csv);
every area value (changed or not) goes to `seed_areas`, with the 2024 counties the area covers.

Where one document states the same figure in two tables, one indicator is kept and a mismatch is noted;
where two documents (or two tables with different breakdowns) give figures for the same thing, each keeps
its own figure and both carry a note (`CROSS_CHECKS`).
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import PipelineError

# ---------------------------------------------------------------------------------------------------------
# Documents (publisher, year, title) — SOURCES.md: "cite it as the source (publisher: Helsedirektoratet /
# Regjeringen)". No licence beyond that is stated, so none is invented.

DOCS = {
    "IS-2684": dict(
        prefix="kl", publisher="Helsedirektoratet", year=2017,
        title="Helsedirektoratet: Kompetanse og personell i helse- og omsorgstjenesten i kommunene. "
              "Status 2016 for Kompetanseløft 2020 (IS-2684, 2017)",
        digest="kompetanseloft2020-status-2016.md"),
    "K2025": dict(
        prefix="k25", publisher="Helsedirektoratet", year=2022,
        title="Helsedirektoratet: Vedlegg, tiltak i Kompetanseløft 2025 (juni 2022)",
        digest="kompetanseloft2025-tiltak-og-kompetanseloft2020-plan.md"),
    "KL2020": dict(
        prefix="kl20", publisher="Regjeringen (Helse- og omsorgsdepartementet) / Helsedirektoratet", year=2017,
        title="Regjeringen: Kompetanseløft 2020. Regjeringa sin plan for rekruttering, kompetanse- og "
              "fagutvikling i den kommunale helse- og omsorgstenesta (2017)",
        digest="kompetanseloft2025-tiltak-og-kompetanseloft2020-plan.md"),
    "MeldSt26": dict(
        prefix="ms26", publisher="Regjeringen (Helse- og omsorgsdepartementet)", year=2015,
        title="Meld. St. 26 (2014–2015) Fremtidens primærhelsetjeneste – nærhet og helhet",
        digest="meld-st-26-primaerhelsetjenesten.md"),
    "O2020-2019": dict(
        prefix="o20", publisher="Helsedirektoratet og Husbanken", year=2020,
        title="Helsedirektoratet og Husbanken: Omsorg 2020, årsrapport 2019 (2020)",
        digest="omsorg2020-arsrapport-2019.md"),
}


def licence(doc: str) -> str:
    pub = DOCS[doc]["publisher"].split(" (")[0].split(" /")[0].replace(" og ", "/")
    return f"Offentlig dokument ({pub}); tall gjengitt med kildehenvisning"


DERIVED_LICENCE = "Beregnet av omsorgsatlas fra kildene som er nevnt (NLOD 2.0 for SSB-befolkningen)"

UNIT_LABELS = {
    "fte": ("årsverk", "FTEs"), "count": ("antall", "number"), "percent": ("%", "%"), "nok": ("kr", "NOK"),
    "per1000": ("per 1 000", "per 1,000"), "ratio": ("forhold", "ratio"), "persons": ("personer", "persons"),
}
DIMENSIONS = ["occupation", "field", "contract", "target_group", "age_group", "need_level", "education"]
PROVENANCE_COLUMNS = ["origin", "document", "document_title", "publisher", "publication_year", "table_ref",
                      "series", "series_name_nb", "series_name_en", "total_id", *DIMENSIONS, "area_kind"]

CARE = ["hjemmetjenester", "institusjon"]

# ---------------------------------------------------------------------------------------------------------
# Number parsing

MISSING_MARKERS = {"", "NA", "–", "—", "-", "..", ":", "."}
_THOUSANDS = re.compile(r"^-?\d{1,3}( \d{3})+([.,]\d+)?$")
_PLAIN = re.compile(r"^-?\d+([.,]\d+)?$")


def parse_number(raw: str, path, line: int | None) -> float | None:
    """Parse one cell as printed in a seed table. None for a documented missing marker; error otherwise."""
    s = (raw or "").strip()
    for sp in ("\u00a0", "\u2009", "\u202f"):
        s = s.replace(sp, " ")
    s = s.replace("\u2212", "-")
    if s in MISSING_MARKERS:
        return None
    s = re.sub(r"\s*%$", "", s)
    s = s.rstrip("*").strip()  # footnote marks
    if s.startswith("+"):
        s = s[1:]
    if _THOUSANDS.match(s):
        s = s.replace(" ", "")
    if _PLAIN.match(s):
        return float(s.replace(",", "."))
    raise PipelineError(f"kan ikke tolke tallet «{raw}» (ikke et tall og ikke et dokumentert manglende-merke)",
                        path, line)


def clean_label(s: str) -> str:
    return s.strip().rstrip("*").strip()


_TR = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e", "ü": "u"})


def slug(s: str, maxlen: int = 40) -> str:
    s = clean_label(s).lower().translate(_TR)
    s = re.sub(r"[^a-z0-9]+", "_", s).strip("_")
    return s[:maxlen].rstrip("_")


# ---------------------------------------------------------------------------------------------------------
# Reading a seed CSV


@dataclass
class SeedTable:
    path: Path
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (line number in the file, cells)

    def by_label(self, col: int = 0) -> dict[str, tuple[int, dict[str, str]]]:
        out = {}
        for line, cells in self.rows:
            out[clean_label(cells[col])] = (line, dict(zip(self.header, cells)))
        return out

    def row(self, label: str, col: int = 0) -> tuple[int, dict[str, str]]:
        rows = self.by_label(col)
        if clean_label(label) not in rows:
            raise PipelineError(f"raden «{label}» mangler", self.path)
        return rows[clean_label(label)]

    def number(self, label: str, column: str, overrides: dict | None = None) -> tuple[float | None, int, str]:
        line, r = self.row(label)
        if column not in r:
            raise PipelineError(f"kolonnen «{column}» mangler", self.path)
        key = (clean_label(label), column)
        if overrides and key in overrides:
            v, note = overrides[key]
            return v, line, note
        return parse_number(r[column], self.path, line), line, ""


def read_table(path: Path) -> SeedTable:
    if not path.is_file():
        raise PipelineError("filen mangler", path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise PipelineError(f"ikke UTF-8 ({exc})", path) from None
    reader = csv.reader(text.splitlines())
    rows = []
    header = None
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if header is None:
            header = [c.strip() for c in cells]
            continue
        if len(cells) != len(header):
            raise PipelineError(f"{len(cells)} felt, ventet {len(header)}", path, line)
        rows.append((line, cells))
    if header is None:
        raise PipelineError("tom tabell", path)
    return SeedTable(path, header, rows)


# ---------------------------------------------------------------------------------------------------------
# Collecting indicators


@dataclass
class Value:
    indicator_id: str
    year: int
    value: float
    where: str  # "file:line"
    table_ref: str
    level: str = "country"
    region_code: str = "NO"
    numerator: float = np.nan
    denominator: float = np.nan


@dataclass
class Collector:
    meta: dict[str, dict] = field(default_factory=dict)
    values: list[Value] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)
    areas: list[dict] = field(default_factory=list)
    disagreements: list[dict] = field(default_factory=list)
    files: set = field(default_factory=set)
    _amap: "AreaMap | None" = None

    def define(self, iid: str, *, doc: str, table_ref: str, heading: str, name_nb: str, name_en: str,
               definition_nb: str, definition_en: str, unit: str, decimals: int, areas: list[str],
               direction: str = "neutral", origin: str = "document", series: str = "", series_name_nb: str = "",
               series_name_en: str = "", total_id: str = "", dims: dict | None = None, note: str = "",
               source: str | None = None, lic: str | None = None) -> None:
        if not re.fullmatch(r"[a-z0-9_]+", iid):
            raise PipelineError(f"ugyldig indikator-id «{iid}»")
        if iid in self.meta:  # the same figure stated in another table of the same document
            m = self.meta[iid]
            if series and not m["series"] and total_id:  # a standalone figure that is also part of a breakdown
                m.update(series=series, series_name_nb=series_name_nb, series_name_en=series_name_en,
                         total_id=total_id, **{k: v for k, v in (dims or {}).items() if k in DIMENSIONS})
            if table_ref not in m["table_ref"].split("; "):
                m["table_ref"] += f"; {table_ref}"
                m["source"] += f"; også {table_ref}"
            if note:
                self.note(iid, note)
            return
        d = DOCS.get(doc, {})
        unb, uen = UNIT_LABELS[unit]
        row = {
            "id": iid, "name_nb": name_nb, "name_en": name_en, "definition_nb": definition_nb,
            "definition_en": definition_en, "unit": unit, "unit_nb": unb, "unit_en": uen, "decimals": decimals,
            "service_areas": sorted(set(areas), key=_AREA_ORDER.index), "direction": direction,
            "source": source or f"{d['title']}, {table_ref} {heading}".strip(), "source_url": "",
            "licence": lic or licence(doc),
            "origin": origin, "document": doc if origin == "document" else "",
            "document_title": d.get("title", "") if origin == "document" else "",
            "publisher": d.get("publisher", "") if origin == "document" else "",
            "publication_year": d.get("year") if origin == "document" else None,
            "table_ref": table_ref, "series": series, "series_name_nb": series_name_nb,
            "series_name_en": series_name_en, "total_id": total_id, "area_kind": "",
        }
        for k in DIMENSIONS:
            row[k] = (dims or {}).get(k, "")
        self.meta[iid] = row
        if note:
            self.note(iid, note)

    def note(self, iid: str, text: str) -> None:
        lst = self.notes.setdefault(iid, [])
        if text not in lst:
            lst.append(text)

    def add(self, iid: str, year: int, value: float | None, where: str, table_ref: str, **kw) -> None:
        if value is None:
            return
        if iid not in self.meta:
            raise PipelineError(f"indikatoren {iid} er ikke definert")
        self.values.append(Value(iid, int(year), float(value), where, table_ref, **kw))


_AREA_ORDER = ["hjemmetjenester", "institusjon", "helsestasjon", "legetjeneste", "rehabilitering",
               "psykisk_helse_rus", "tannhelse", "befolkning"]


def fmt(v: float) -> str:
    """Norwegian number format for notes: 4 316, 74,2."""
    if float(v).is_integer():
        return f"{int(v):,}".replace(",", " ")
    return f"{v:,.1f}".replace(",", " ").replace(".", ",")


# ---------------------------------------------------------------------------------------------------------
# Generic wide tables: one indicator per row, years in columns


@dataclass
class R:
    """One row of a wide table -> one indicator."""
    label: str
    id: str | None = None           # default: series + "_" + slug(label)
    dim: str | None = None          # dimension value (default: the label)
    total: bool = False             # the row is the series' total
    areas: list[str] | None = None  # extra service areas for this row
    note: str = ""
    name_nb: str | None = None
    name_en: str | None = None
    definition_nb: str | None = None
    definition_en: str | None = None
    unit: str | None = None
    decimals: int | None = None
    direction: str | None = None


def wide(c: Collector, raw: Path, file: str, *, doc: str, table_ref: str, heading: str, series: str,
         name_nb: str, name_en: str, definition_nb: str, definition_en: str, unit: str, decimals: int,
         areas: list[str], cols: dict[str, int], rows: list[R], dim: str | None = None, direction="neutral",
         note: str = "", overrides: dict | None = None, change: tuple[str, str, str] | None = None,
         label_col: int = 0) -> None:
    t = read_table(raw / file)
    c.files.add(file)
    total_id = next((r.id or f"{series}_{slug(r.label)}" for r in rows if r.total), "")
    labels = set(t.by_label(label_col))
    declared = {clean_label(r.label) for r in rows}
    if labels - declared:
        raise PipelineError(f"rader uten spesifikasjon: {sorted(labels - declared)}", t.path)
    for r in rows:
        iid = r.id or f"{series}_{slug(r.label)}"
        dv = r.dim if r.dim is not None else clean_label(r.label)
        dims = {dim: dv} if dim and not r.total else {}
        nm_nb = r.name_nb or (f"{name_nb}: {dv}" if dim and not r.total else name_nb)
        nm_en = r.name_en or (f"{name_en}: {dv}" if dim and not r.total else name_en)
        dnb = r.definition_nb or (definition_nb + (f" Gruppe: {dv}." if dim and not r.total else ""))
        den = r.definition_en or (definition_en + (f" Group: {dv}." if dim and not r.total else ""))
        c.define(iid, doc=doc, table_ref=table_ref, heading=heading, name_nb=nm_nb, name_en=nm_en,
                 definition_nb=dnb, definition_en=den, unit=r.unit or unit,
                 decimals=r.decimals if r.decimals is not None else decimals,
                 areas=list(areas) + list(r.areas or []), direction=r.direction or direction,
                 series=series if dim and not r.total else "", series_name_nb=name_nb if dim and not r.total else "",
                 series_name_en=name_en if dim and not r.total else "", total_id="" if r.total else total_id, dims=dims,
                 note=" ".join(x for x in (note, r.note) if x))
        for col, year in cols.items():
            v, line, onote = t.number(r.label, col, overrides)
            if onote:
                c.note(iid, onote)
            c.add(iid, year, v, f"{file}:{line}", table_ref)
        if change:
            ccol, a, b = change
            printed, line, _ = t.number(r.label, ccol, overrides)
            va, _, _ = t.number(r.label, a, overrides)
            vb, _, _ = t.number(r.label, b, overrides)
            cell = t.row(r.label)[1][ccol]
            dec = len(re.sub(r"[^0-9,.]", "", cell).replace(",", ".").partition(".")[2])
            if printed is not None and va and vb is not None:
                computed = 100 * (vb / va - 1)
                if abs(computed - printed) > 0.5 * 10 ** -dec + 1e-9:
                    c.note(iid, f"{table_ref} oppgir endringen som {fmt(printed)} %, men tallene i tabellen gir "
                                f"{fmt(round(computed, 1))} %.")


# ---------------------------------------------------------------------------------------------------------
# The tables

IS = "IS-2684"
ARSVERK_DEF_NB = ("Årsverk = avtalte heltidsstillinger der deltidsstillinger er omregnet til heltid; fravær og "
                  "vikarbruk er ikke trukket fra (IS-2684).")
ARSVERK_DEF_EN = ("FTE = contracted full-time positions, part-time converted to full-time; absence and temps "
                  "not deducted.")
Y = lambda *ys: {str(y): y for y in ys}  # noqa: E731


def load_is2684(c: Collector, raw: Path) -> None:
    f = {n: _file(raw, IS, n) for n in range(1, 34)}
    # Tabell 15: personnel in care services 2011-2016 (primary for årsverk omsorg and sick leave)
    wide(c, raw, f[15], doc=IS, table_ref="Tabell 15", heading="Personellutviklingen i omsorgstjenesten",
         series="kl_omsorg", name_nb="", name_en="", definition_nb="", definition_en="", unit="fte", decimals=0,
         areas=CARE, cols=Y(*range(2011, 2017)), rows=[
             R("Årsverk i alt", id="kl_arsverk_omsorg", total=True, name_nb="Årsverk i omsorgstjenestene",
               name_en="FTEs in care services",
               definition_nb="Årsverk i de kommunale omsorgstjenestene (hjemmebaserte tjenester og institusjon), "
                             "kilde SSB. " + ARSVERK_DEF_NB,
               definition_en="FTEs in municipal care services (home-based and institutional), source SSB. "
                             + ARSVERK_DEF_EN),
             R("Årsverk av leger i institusjon", id="kl_arsverk_lege_institusjon", total=True,
               areas=["legetjeneste"], name_nb="Legeårsverk i institusjon", name_en="Doctor FTEs in institutions",
               definition_nb="Legeårsverk i institusjoner for eldre og funksjonshemmede (sykehjem o.l.). "
                             + ARSVERK_DEF_NB,
               definition_en="Doctor FTEs in institutions for older and disabled people. " + ARSVERK_DEF_EN),
             R("Årsverk av fysioterapeuter i institusjon", id="kl_arsverk_fysio_institusjon", total=True,
               areas=["rehabilitering"], name_nb="Fysioterapeutårsverk i institusjon",
               name_en="Physiotherapist FTEs in institutions",
               definition_nb="Fysioterapeutårsverk i institusjoner for eldre og funksjonshemmede. " + ARSVERK_DEF_NB,
               definition_en="Physiotherapist FTEs in institutions for older and disabled people. "
                             + ARSVERK_DEF_EN),
             R("Andel legemeldt sykefravær av årsverk totalt (%)", id="kl_sykefravaer_omsorg", total=True,
               unit="percent", decimals=1, direction="lower_better",
               name_nb="Legemeldt sykefravær i omsorgstjenestene", name_en="Certified sick leave in care services",
               definition_nb="Legemeldt sykefravær (årsverk) i prosent av alle årsverk i omsorgstjenestene.",
               definition_en="Doctor-certified sick leave (FTEs) as a percentage of all care-service FTEs."),
         ])
    # Tabell 14: årsverk by service area 2015-2016
    wide(c, raw, f[14], doc=IS, table_ref="Tabell 14",
         heading="Årsverk i de kommunale helse- og omsorgstjenestene", series="kl_arsverk_tjenesteomrade",
         name_nb="Årsverk i de kommunale helse- og omsorgstjenestene etter tjenesteområde",
         name_en="FTEs in municipal health and care services by service area",
         definition_nb="Årsverk etter tjenesteområde, kilde SSB (register for omsorg og helsestasjon, skjema for "
                       "leger og fysioterapeuter). " + ARSVERK_DEF_NB,
         definition_en="FTEs by service area, source SSB. " + ARSVERK_DEF_EN,
         unit="fte", decimals=0, areas=[], dim="field", cols=Y(2015, 2016),
         change=("endring_2015_16_pct", "2015", "2016"), rows=[
             R("Årsverk i omsorgstjenestene", id="kl_arsverk_omsorg", areas=CARE),
             R("Årsverk i helsestasjonstjenesten og skolehelsetjenesten (ekskl. leger og fysioterapeuter)",
               id="kl_arsverk_helsestasjon_ekskl_lege_fysio", areas=["helsestasjon"],
               dim="Helsestasjon og skolehelsetjeneste (ekskl. leger og fysioterapeuter)"),
             R("Legeårsverk i kommunehelsetjenesten", id="kl_arsverk_lege", areas=["legetjeneste"],
               name_nb="Legeårsverk i kommunehelsetjenesten", name_en="Doctor FTEs in municipal health services",
               definition_nb="Legeårsverk i de kommunale helse- og omsorgstjenestene, alle virkeområder "
                             "(fastleger beregnet fra listelengde). " + ARSVERK_DEF_NB,
               definition_en="Doctor FTEs in municipal health and care services, all fields. " + ARSVERK_DEF_EN),
             R("Fysioterapeutårsverk i kommunehelsetjenesten", id="kl_arsverk_fysio", areas=["rehabilitering"],
               name_nb="Fysioterapeutårsverk i kommunehelsetjenesten",
               name_en="Physiotherapist FTEs in municipal health services",
               definition_nb="Fysioterapeutårsverk i kommunehelsetjenesten (med driftsavtale, fast lønn og "
                             "turnuskandidater). " + ARSVERK_DEF_NB,
               definition_en="Physiotherapist FTEs in municipal health services (contract, salaried, interns). "
                             + ARSVERK_DEF_EN),
             R("Sum", id="kl_arsverk_helse_omsorg", total=True, areas=CARE + ["helsestasjon", "legetjeneste",
                                                                              "rehabilitering"],
               name_nb="Årsverk i de kommunale helse- og omsorgstjenestene (sum)",
               name_en="FTEs in municipal health and care services (total)"),
         ])
    # Tabell 16: care-service årsverk by occupation
    wide(c, raw, f[16], doc=IS, table_ref="Tabell 16", heading="Årsverk fordelt på yrkesgrupper i omsorgstjenestene",
         series="kl_arsverk_omsorg_yrke", name_nb="Årsverk i omsorgstjenestene etter yrkesgruppe",
         name_en="Care-service FTEs by occupation",
         definition_nb="Årsverk i de kommunale omsorgstjenestene etter yrkesgruppe, kilde SSB. " + ARSVERK_DEF_NB,
         definition_en="Care-service FTEs by occupational group, source SSB. " + ARSVERK_DEF_EN,
         unit="fte", decimals=0, areas=CARE, dim="occupation", cols=Y(2015, 2016),
         change=("endring_pct", "2015", "2016"), rows=[
             R("Sykepleier med spesialutdanning/videreutdanning"),
             R("Sykepleier uten spesialutdanning/videreutdanning"),
             R("Vernepleier"),
             R("Helsefagarbeider*", note="Helsefagarbeider omfatter hjelpepleiere og omsorgsarbeidere."),
             R("Ergoterapeut", areas=["rehabilitering"]), R("Sosionom"), R("Barnevernspedagog"),
             R("Miljøterapeut"), R("Aktivitør"), R("Barne- og ungdomsarbeider"),
             R("Pleieassistent/hjemmehjelp m/helseutdanning"), R("Pleieassistent/hjemmehjelp uten helseutdanning"),
             R("Servicepersonell", note="Økningen på 69,8 % skyldes trolig omklassifisering fra «uspesifisert, "
                                        "annet», ikke reell vekst (fotnote 6 i IS-2684)."),
             R("Administrativt personell"), R("Uspesifisert annet"),
             R("Totalt", id="kl_arsverk_omsorg", total=True,
               note="Yrkesgruppene i Tabell 16 summerer til 135 435 / 137 951 (avrunding)."),
         ])
    # Tabell 18: health station and school health årsverk by occupation
    wide(c, raw, f[18], doc=IS, table_ref="Tabell 18", heading="Årsverk helsestasjon- og skolehelsetjenesten",
         series="kl_arsverk_helsestasjon_yrke",
         name_nb="Årsverk i helsestasjons- og skolehelsetjenesten etter yrkesgruppe",
         name_en="Health-station and school health FTEs by occupation",
         definition_nb="Årsverk i helsestasjons- og skolehelsetjenesten etter yrkesgruppe, inkl. leger og "
                       "fysioterapeuter (Tabell 14 holder dem utenfor). " + ARSVERK_DEF_NB,
         definition_en="Health-station and school health FTEs by occupation, incl. doctors and physiotherapists. "
                       + ARSVERK_DEF_EN,
         unit="fte", decimals=1, areas=["helsestasjon"], dim="occupation", cols=Y(2015, 2016),
         change=("endring_pct", "2015", "2016"), rows=[
             R("Legeårsverk", dim="Lege", areas=["legetjeneste"]), R("Fysioterapeut", areas=["rehabilitering"]),
             R("Jordmødre", dim="Jordmor"), R("Helsesøstre", dim="Helsesøster"), R("Andre sykepleiere"),
             R("Annen fagutdanning"), R("Uten fagutdanning"),
             R("Sum", id="kl_arsverk_helsestasjon", total=True,
               name_nb="Årsverk i helsestasjons- og skolehelsetjenesten (inkl. leger og fysioterapeuter)",
               name_en="Health-station and school health FTEs (incl. doctors and physiotherapists)"),
         ])
    # Tabell 19 / 22: doctor and physio årsverk by field of activity
    fields = ["Diagnose behandling og rehabilitering", "Skole/helsestasjon", "Annet forebyggende arbeid",
              "Institusjoner for eldre og funksjonshemmede", "Administrasjon"]
    extra = {"Skole/helsestasjon": ["helsestasjon"], "Institusjoner for eldre og funksjonshemmede": ["institusjon"]}
    for tno, fno, who, who_en, area, total_id, total_label in (
            ("Tabell 19", 19, "Legeårsverk", "Doctor FTEs", "legetjeneste", "kl_arsverk_lege", "Totalt"),
            ("Tabell 22", 22, "Fysioterapeutårsverk", "Physiotherapist FTEs", "rehabilitering", "kl_arsverk_fysio",
             "Totalt")):
        ser = "kl_arsverk_lege_virkeomrade" if fno == 19 else "kl_arsverk_fysio_virkeomrade"
        wide(c, raw, f[fno], doc=IS, table_ref=tno,
             heading=f"{who} i de kommunale helse- og omsorgstjenestene etter virkeområde", series=ser,
             name_nb=f"{who} etter virkeområde", name_en=f"{who_en} by field of activity",
             definition_nb=f"{who} i kommunehelsetjenesten etter virkeområde, kilde SSB. «Annet forebyggende "
                           "arbeid» omfatter miljørettet helsevern. " + ARSVERK_DEF_NB,
             definition_en=f"{who_en} in municipal health services by field of activity, source SSB. "
                           + ARSVERK_DEF_EN,
             unit="fte", decimals=0, areas=[area], dim="field", cols=Y(2013, 2014, 2015, 2016),
             rows=[R(x, areas=extra.get(x)) for x in fields] + [R(total_label, id=total_id, total=True)])
    # Tabell 20: fastleger (headcount)
    wide(c, raw, f[20], doc=IS, table_ref="Tabell 20", heading="Antall fastleger og prosentvis økning fra året før",
         series="", name_nb="Antall fastleger", name_en="Number of regular GPs (fastleger)",
         definition_nb="Antall fastleger (personer, ikke årsverk), kilde Fastlegeregisteret.",
         definition_en="Number of regular GPs (headcount, not FTEs), source: the GP register.",
         unit="count", decimals=0, areas=["legetjeneste"], cols=Y(2013, 2014, 2015, 2016, 2017), rows=[
             R("Fastleger", id="kl_fastleger", total=True),
             R("Prosentvis økning", id="kl_fastleger_vekst", total=True, unit="percent", decimals=1,
               name_nb="Vekst i antall fastleger fra året før", name_en="Growth in number of GPs from previous year",
               definition_nb="Prosentvis økning i antall fastleger fra året før, som trykt i Tabell 20.",
               definition_en="Percentage growth in the number of GPs from the year before, as printed."),
         ])
    # Tabell 21: physio årsverk by contract
    wide(c, raw, f[21], doc=IS, table_ref="Tabell 21", heading="Årsverk fysioterapeuter etter avtaleform 2013-2016",
         series="kl_arsverk_fysio_avtaleform", name_nb="Fysioterapeutårsverk etter avtaleform",
         name_en="Physiotherapist FTEs by contract type",
         definition_nb="Fysioterapeutårsverk i kommunehelsetjenesten etter avtaleform, kilde SSB. " + ARSVERK_DEF_NB,
         definition_en="Physiotherapist FTEs by contract type, source SSB. " + ARSVERK_DEF_EN,
         unit="fte", decimals=0, areas=["rehabilitering"], dim="contract", cols=Y(2013, 2014, 2015, 2016),
         rows=[R("Med driftsavtale"), R("Med fast lønn"), R("Turnuskandidater"),
               R("I alt", id="kl_arsverk_fysio", total=True,
                 note="Avtaleformene i Tabell 21 summerer til 4 597 (2014) og 4 807 (2016): avrunding.")])
    # Tabell 23 (file 23): mental health and substance use årsverk by category and target group
    t23 = {"voksne": ("Voksne", "Adults"), "barn_unge": ("Barn og unge", "Children and young people"),
           "totalt": ("Alle", "All")}
    for key, (tg_nb, tg_en) in t23.items():
        cats = ["Psykisk helse og rus", "Psykisk helse", "Rus"]
        wide(c, raw, f[23], doc=IS, table_ref="Tabell 23",
             heading="Antall årsverk i de kommunale psykisk helse- og rustjenestene, 2015-2016",
             series=f"kl_arsverk_phr_{key}",
             name_nb=f"Årsverk i kommunalt psykisk helse- og rusarbeid, {tg_nb.lower()}, etter tjeneste",
             name_en=f"FTEs in municipal mental health and substance use services, {tg_en.lower()}, by service",
             definition_nb="Årsverk i kommunalt psykisk helse- og rusarbeid (SINTEFs kartlegging IS-24/8 for "
                           "Helsedirektoratet), etter om tjenesten gjelder psykisk helse og rus samlet, bare "
                           f"psykisk helse eller bare rus. Målgruppe: {tg_nb.lower()}.",
             definition_en="FTEs in municipal mental health and substance use work (SINTEF survey IS-24/8), by "
                           f"service category. Target group: {tg_en.lower()}.",
             unit="fte", decimals=0, areas=["psykisk_helse_rus"], dim="field",
             cols={f"{key}_2015": 2015, f"{key}_2016": 2016},
             note="Forskyvningen mellom radene skyldes at kommunene fra 2015 rapporterer mer i den samlede "
                  "kategorien. Summene stemmer innen ±1 (avrunding).",
             rows=[R(x, id=f"kl_arsverk_phr_{key}_{slug(x)}") for x in cats] +
                  [R("Totalt", id=f"kl_arsverk_phr_{key}", total=True,
                     name_nb=f"Årsverk i kommunalt psykisk helse- og rusarbeid, {tg_nb.lower()}",
                     name_en=f"FTEs in municipal mental health and substance use work, {tg_en.lower()}")])
        for x in cats + ["Totalt"]:
            iid = f"kl_arsverk_phr_{key}" + ("" if x == "Totalt" else f"_{slug(x)}")
            if key != "totalt":
                c.meta[iid]["target_group"] = tg_nb
    # Tabell 23 (file 24): education level and psychologists, by target group
    t = read_table(raw / f[24])
    c.files.add(f[24])
    ov24 = {("Voksne|psykologårsverk (med og uten spesialisering)", "2015"): (
        73.0, "2015-tallet for psykologårsverk for voksne står ikke i tabellen; teksten sier 122 i 2016, 49 flere "
              "enn året før (IS-2684 L5554-5564), altså 73.")}
    for line, cells in t.rows:
        r = dict(zip(t.header, cells))
        tg, ind = r["malgruppe"], r["indikator"]
        what = {"årsverk helse-/sosialfag videregående nivå": ("vgs", "Årsverk med helse-/sosialfag på videregående "
                                                                 "nivå", "FTEs with upper-secondary health/social education", "Videregående nivå"),
                "årsverk helse-/sosialfag universitet/høgskole": ("uh", "Årsverk med helse-/sosialfag fra universitet/"
                                                                   "høgskole", "FTEs with university/college health/social education", "Universitet/høgskole"),
                "psykologårsverk (med og uten spesialisering)": ("psykolog", "Psykologårsverk", "Psychologist FTEs", "Psykolog"),
                "psykologårsverk": ("psykolog", "Psykologårsverk", "Psychologist FTEs", "Psykolog")}.get(ind)
        if what is None:
            raise PipelineError(f"ukjent indikator «{ind}»", t.path, line)
        key = {"Voksne": "voksne", "Barn og unge": "barn_unge"}[tg]
        iid = f"kl_arsverk_phr_{key}_{what[0]}"
        c.define(iid, doc=IS, table_ref="Tabell 23 (kompetanse)",
                 heading="Kompetanse i kommunalt psykisk helse- og rusarbeid (løpende tekst til Tabell 23)",
                 name_nb=f"{what[1]} i psykisk helse- og rusarbeid, {tg.lower()}",
                 name_en=f"{what[2]} in mental health and substance use work, "
                         f"{'adults' if key == 'voksne' else 'children and young people'}",
                 definition_nb=f"{what[1]} i kommunalt psykisk helse- og rusarbeid, målgruppe {tg.lower()} "
                               "(SINTEF, IS-24/8).",
                 definition_en=f"{what[2]} in municipal mental health and substance use work (SINTEF, IS-24/8).",
                 unit="fte", decimals=0, areas=["psykisk_helse_rus"], series="kl_arsverk_phr_kompetanse",
                 series_name_nb="Årsverk i psykisk helse- og rusarbeid etter utdanning",
                 series_name_en="Mental health and substance use FTEs by education",
                 total_id=f"kl_arsverk_phr_{key}", dims={"target_group": tg, "education": what[3]})
        for y in ("2015", "2016"):
            k = (f"{tg}|{ind}", y)
            if k in ov24:
                v, n = ov24[k]
                c.note(iid, n)
            else:
                v = parse_number(r[y], t.path, line)
            c.add(iid, int(y), v, f"{f[24]}:{line}", "Tabell 23 (kompetanse)")
    # Tabell 24 / 26 (files 25, 27): share of men / immigrants by occupation
    for fno, tno, ser, nnb, nen, dnb, den, tot in (
            (25, "Tabell 24", "kl_andel_menn_yrke", "Andel menn etter yrkesgruppe", "Share of men by occupation",
             "Prosentandel menn blant sysselsatte i de kommunale helse- og omsorgstjenestene, etter yrkesgruppe "
             "(SSB).", "Share of men among employees in municipal health and care services, by occupation (SSB).",
             "kl_andel_menn"),
            (27, "Tabell 26", "kl_andel_innvandrere_yrke", "Andel innvandrere etter yrkesgruppe",
             "Share of immigrants by occupation",
             "Sysselsatte innvandrere i prosent av alle sysselsatte i de kommunale helse- og omsorgstjenestene, "
             "etter yrkesgruppe (SSB). Inkluderer sysselsatte som ikke er bosatt i Norge; psykologer er ikke med.",
             "Employed immigrants as a percentage of all employees in municipal health and care services, by "
             "occupation (SSB). Includes non-residents; psychologists excluded.", "kl_andel_innvandrere")):
        t = read_table(raw / f[fno])
        area_of = {"Lege": ["legetjeneste"], "Fysioterapeut": ["rehabilitering"], "Ergoterapeut": ["rehabilitering"],
                   "Helsesøster": ["helsestasjon"], "Psykisk miljøarbeid": ["psykisk_helse_rus"]}
        rows = [R(lbl, areas=area_of.get(lbl)) for lbl in t.by_label() if lbl != "Totalt"]
        rows.append(R("Totalt", id=tot, total=True, name_nb=nnb.split(" etter")[0] + " i helse- og omsorgstjenestene",
                      name_en=nen.split(" by")[0] + " in health and care services"))
        wide(c, raw, f[fno], doc=IS, table_ref=tno, heading=nnb, series=ser, name_nb=nnb, name_en=nen,
             definition_nb=dnb, definition_en=den, unit="percent", decimals=1, areas=CARE, dim="occupation",
             cols={"2015_pct": 2015, "2016_pct": 2016}, rows=rows)
    c.note("kl_andel_menn", "Teksten oppgir at helsefagarbeidere har hatt om lag 12 % menn siden 2009 (L5614), "
                            "mens Tabell 24 viser 6,4–6,9 % for helsefagarbeidergruppen.")
    # Tabell 25 (file 26): absence in care services
    ab = dict(doc=IS, table_ref="Tabell 25", heading="Årsverk og fravær i de kommunale omsorgstjenestene 2012-2016")
    wide(c, raw, f[26], **ab, series="kl_fravaer_omsorg", name_nb="Fravær i omsorgstjenestene",
         name_en="Absence in care services", definition_nb="", definition_en="", unit="fte", decimals=0,
         areas=CARE, cols=Y(*range(2012, 2017)), rows=[
             R("Årsverk", id="kl_arsverk_omsorg", total=True),
             R("Totalt fravær (årsverk)", id="kl_fravaer_omsorg_arsverk", total=True, direction="lower_better",
               name_nb="Fravær i omsorgstjenestene (årsverk)", name_en="Absence in care services (FTEs)",
               definition_nb="Totalt fravær (legemeldt sykefravær + fødselspermisjon) i årsverk, omsorgstjenestene.",
               definition_en="Total absence (certified sick leave + maternity leave) in FTEs, care services."),
             R("Legemeldt sykefravær (årsverk)", id="kl_sykefravaer_omsorg_arsverk", total=True,
               direction="lower_better", name_nb="Legemeldt sykefravær i omsorgstjenestene (årsverk)",
               name_en="Certified sick leave in care services (FTEs)",
               definition_nb="Legemeldt sykefravær i årsverk, omsorgstjenestene.",
               definition_en="Doctor-certified sick leave in FTEs, care services."),
             R("Fødselspermisjon (årsverk)", id="kl_fodselspermisjon_omsorg_arsverk", total=True,
               name_nb="Fødselspermisjon i omsorgstjenestene (årsverk)", name_en="Maternity leave in care services (FTEs)",
               definition_nb="Fødselspermisjon i årsverk, omsorgstjenestene.",
               definition_en="Maternity leave in FTEs, care services."),
             R("Andel totalt fravær (%)", id="kl_fravaer_omsorg", total=True, unit="percent", decimals=1,
               direction="lower_better", name_nb="Fravær i omsorgstjenestene (andel)",
               name_en="Absence in care services (share)",
               definition_nb="Totalt fravær (legemeldt sykefravær + fødselspermisjon) i prosent av årsverk.",
               definition_en="Total absence as a percentage of FTEs."),
             R("Andel legemeldt sykefravær (%)", id="kl_sykefravaer_omsorg", total=True, unit="percent", decimals=1),
         ])
    # Tabell 17: recipients by age and need
    _load_recipients(c, raw, f[17])
    # Education pipeline: Tabell 27-30
    ed = ["hjemmetjenester", "institusjon"]
    wide(c, raw, f[28], doc=IS, table_ref="Tabell 27",
         heading="Fagprøvekandidater og avgangselever helse- og sosialfag videregående opplæring",
         series="kl_fagprovekandidater", name_nb="Fagprøvekandidater og avgangselever, helse- og sosialfag",
         name_en="Trade-certificate candidates and graduates, health and social programmes",
         definition_nb="Fagprøvekandidater og avgangselever i videregående opplæring etter programområde (SSB).",
         definition_en="Trade-certificate candidates and graduates in upper-secondary health and social "
                       "programmes, by programme (SSB).",
         unit="count", decimals=0, areas=ed, dim="education", cols=Y(*range(2006, 2017)),
         note="Tabellen er rekonstruert i digesten: helsefagarbeider-raden hadde 10 tall for 11 år; 1 389 er "
              "plassert i 2009 (programmet startet 2009). Kontroller mot SSB om årstallene er viktige.",
         rows=[R("Hjelpepleier"), R("Omsorgsarbeider"), R("Helsefagarbeider")])
    t = read_table(raw / f[29])
    c.files.add(f[29])
    for kind, knb, ken in (("sokere", "Søkere", "Applicants"), ("tilbud", "Tilbud om plass", "Offers of places")):
        wide(c, raw, f[29], doc=IS, table_ref="Tabell 28",
             heading="Søkere og tilbud i helse- og oppvekstfag Vg1 og helsearbeiderfaget Vg2 og Vg3",
             series=f"kl_vgs_{kind}", name_nb=f"{knb}, helse- og oppvekstfag / helsearbeiderfag",
             name_en=f"{ken}, health and youth programmes / health-worker programme",
             definition_nb=f"{knb} i videregående opplæring (per 15. juli), etter programområde "
                           "(Utdanningsdirektoratet).",
             definition_en=f"{ken} in upper-secondary education (as of 15 July), by programme area "
                           "(Directorate for Education).",
             unit="count", decimals=0, areas=ed, dim="education",
             cols={f"{kind}_{y}": y for y in (2015, 2016, 2017)},
             note="Teksten oppgir at søkerne til Vg1 økte med «361 elever … fire prosent» (L5994-5996), som ikke "
                  "stemmer med noen av endringene i tabellen." if kind == "sokere" else "",
             rows=[R(x, id=f"kl_vgs_{kind}_{slug(x)}") for x in t.by_label()])
    t = read_table(raw / f[30])
    c.files.add(f[30])
    for line, cells in t.rows:
        r = dict(zip(t.header, cells))
        kt = clean_label(r["kandidattype"])
        for col, rnb, ren in (("bestatt", "bestått", "passed"), ("ikke_bestatt", "ikke bestått", "failed"),
                              ("totalt", "i alt", "total")):
            iid = "kl_fagprover_helsearbeider" + ("" if kt == "Totalt" else f"_{slug(kt)}") + \
                  ("" if col == "totalt" else f"_{col}")
            c.define(iid, doc=IS, table_ref="Tabell 29",
                     heading="Avlagte fagprøver i helsearbeiderfaget mellom 1. oktober 2015 og 30. september 2016",
                     name_nb=f"Avlagte fagprøver i helsearbeiderfaget, {rnb}" + ("" if kt == "Totalt" else f" ({kt})"),
                     name_en=f"Trade exams in health-care work, {ren}" + ("" if kt == "Totalt" else f" ({kt})"),
                     definition_nb="Avlagte fagprøver i helsearbeiderfaget 1. oktober 2015–30. september 2016 "
                                   "(vist som 2016), etter kandidattype og resultat (Utdanningsdirektoratet).",
                     definition_en="Trade exams in health-care work, 1 Oct 2015–30 Sep 2016 (shown as 2016), by "
                                   "candidate type and result.",
                     unit="count", decimals=0, areas=ed, series="kl_fagprover_helsearbeider",
                     series_name_nb="Avlagte fagprøver i helsearbeiderfaget",
                     series_name_en="Trade exams in health-care work",
                     total_id="" if (kt == "Totalt" and col == "totalt") else "kl_fagprover_helsearbeider",
                     dims={"education": kt if kt != "Totalt" else "", "field": rnb if col != "totalt" else ""})
            c.add(iid, 2016, parse_number(r[col], t.path, line), f"{f[30]}:{line}", "Tabell 29")
    area30 = {"Ergoterapeut": ["rehabilitering"], "Fysioterapeut (innenlands)": ["rehabilitering"],
              "Leger (innenlands)": ["legetjeneste"]}
    t = read_table(raw / f[31])
    wide(c, raw, f[31], doc=IS, table_ref="Tabell 30", heading="Opptak til utvalgte helse- og sosialutdanninger",
         series="kl_opptak_utdanning", name_nb="Opptak til helse- og sosialutdanninger",
         name_en="Admissions to health and social-care education",
         definition_nb="Opptak til utvalgte helse- og sosialfaglige utdanninger i høyere utdanning (SSB).",
         definition_en="Admissions to selected higher-education health and social-care programmes (SSB).",
         unit="count", decimals=0, areas=ed, dim="education", cols=Y(2001, *range(2010, 2017)),
         rows=[R(x, areas=area30.get(x)) for x in t.by_label()])
    # Tabell 3 / 4: employees completing / in education (municipal reporting on the competence grant)
    lev = ["Sum videregående utdanning/yrkesopplæring", "Sum fagskoler", "Sum bachelor", "Sum videreutdanning/master"]
    levdim = {"Sum videregående utdanning/yrkesopplæring": "Videregående/yrkesopplæring", "Sum fagskoler": "Fagskole",
              "Sum bachelor": "Bachelor", "Sum videreutdanning/master": "Videreutdanning/master"}
    wide(c, raw, f[3], doc=IS, table_ref="Tabell 3",
         heading="Kommunenes rapportering over antall ansatte som fullførte utdanning på ulike nivå, 2008 til 2016",
         series="kl_ansatte_fullfort_utdanning", name_nb="Ansatte som fullførte utdanning (kompetansetilskuddet)",
         name_en="Employees who completed education (competence grant)",
         definition_nb="Antall ansatte i omsorgstjenestene som fullførte utdanning med kommunalt kompetanse- og "
                       "innovasjonstilskudd, etter nivå (kommunenes rapportering).",
         definition_en="Care-service employees who completed education funded by the municipal competence "
                       "grant, by level (municipal reporting).",
         unit="count", decimals=0, areas=CARE, dim="education", cols=Y(2008, 2013, 2014, 2015, 2016),
         note="Fallet fra 2014 til 2015 forklares med endret rapporteringspraksis. 2008–2014 het "
              "bachelor-kategorien «desentralisert høyere utdanning».",
         rows=[R(x, dim=levdim[x], note=("Tabell 7 oppgir 441 fullførte fagskoleutdanninger i 2015; Tabell 3 "
                                           "oppgir 456." if x == "Sum fagskoler" else "")) for x in lev] +
              [R("Sum fullførte", id="kl_ansatte_fullfort_utdanning", total=True)])
    wide(c, raw, f[4], doc=IS, table_ref="Tabell 4",
         heading="Kommunenes rapportering over antall ansatte som var under utdanning (eks. fullførte), 2013-2016",
         series="kl_ansatte_under_utdanning", name_nb="Ansatte under utdanning (kompetansetilskuddet)",
         name_en="Employees in education (competence grant)",
         definition_nb="Antall ansatte i omsorgstjenestene som var under utdanning (ekskl. fullførte) med "
                       "kompetanse- og innovasjonstilskudd, etter nivå (kommunenes rapportering).",
         definition_en="Care-service employees in education (excl. completed), by level (municipal reporting).",
         unit="count", decimals=0, areas=CARE, dim="education", cols=Y(2013, 2014, 2015, 2016),
         rows=[R(x, dim=levdim[x], note=("Tallet for 2015 (1 158) stemmer ikke med Tabell 5 (2 490 − 955 = 1 535) "
                                           "og er likt fullført-tallet for 2016; mulig kopieringsfeil i kilden."
                                           if x.startswith("Sum videregående") else "")) for x in lev] +
              [R("Sum under utdanning (eks. fullførte)", id="kl_ansatte_under_utdanning", total=True)])
    # Tabell 12: innovation projects applied for / granted, by theme
    t = read_table(raw / f[12])
    for kind, knb, ken in (("soknader", "Søknader", "Applications"), ("innvilget", "Innvilgede søknader",
                                                                      "Granted applications")):
        wide(c, raw, f[12], doc=IS, table_ref="Tabell 12",
             heading="Oversikt over antall søknader og innvilgede søknader (innovasjonsprosjekter)",
             series=f"kl_innovasjon_{kind}", name_nb=f"{knb} om innovasjonsprosjekter etter tema",
             name_en=f"{ken} for innovation projects by theme",
             definition_nb=f"{knb} om innovasjonsmidler i kompetanse- og innovasjonstilskuddet, etter tema.",
             definition_en=f"{ken} for innovation funding in the competence and innovation grant, by theme.",
             unit="count", decimals=0, areas=CARE, dim="field", cols={f"{kind}_2015": 2015, f"{kind}_2016": 2016},
             rows=[R(x, id=f"kl_innovasjon_{kind}_{slug(x, 30)}") for x in t.by_label() if x != "Totalt"] +
                  [R("Totalt", id=f"kl_innovasjon_{kind}", total=True)])
    # Figures with numbers only in the text (file 32): unskilled FTEs home vs institution 2016 (exact values)
    t = read_table(raw / f[32])
    c.files.add(f[32])
    line, r = t.row("Ufaglærte")
    for col, where_nb, where_en, area in (("hjemmebasert_2016", "hjemmebaserte tjenester", "home-based services",
                                           "hjemmetjenester"),
                                          ("institusjon_2016", "institusjon", "institutions", "institusjon")):
        iid = f"kl_arsverk_ufaglaerte_{slug(where_nb.split()[0])}"
        c.define(iid, doc=IS, table_ref="Figur 5 (tall fra teksten)",
                 heading="Ufaglærte i hjemmebaserte tjenester og institusjon",
                 name_nb=f"Ufaglærte årsverk i {where_nb}", name_en=f"Unskilled FTEs in {where_en}",
                 definition_nb="Brukerrettede årsverk utført av ansatte uten helse- eller sosialfaglig utdanning "
                               f"i {where_nb} (tall fra teksten til Figur 5, L5234-5246).",
                 definition_en=f"Client-facing FTEs by staff without health or social education in {where_en}.",
                 unit="fte", decimals=0, areas=[area], series="kl_arsverk_ufaglaerte",
                 series_name_nb="Ufaglærte årsverk etter tjenestested", series_name_en="Unskilled FTEs by setting",
                 dims={"field": where_nb})
        c.add(iid, 2016, parse_number(r[col], t.path, line), f"{f[32]}:{line}", "Figur 5")
    # Running text: share of client-facing FTEs with health/social education, 74.2 % in 2016 (L388-390)
    c.define("kl_andel_arsverk_fagutdanning", doc=IS, table_ref="Sammendrag (L388-390)",
             heading="Andel årsverk i brukerrettede tjenester med fagutdanning",
             name_nb="Andel årsverk i brukerrettede tjenester med fagutdanning",
             name_en="Share of client-facing FTEs with health/social education",
             definition_nb="Andel årsverk i brukerrettet omsorgstjeneste utført av personell med helse- og "
                           "sosialfaglig utdanning (KOSTRA-nøkkeltall; Kompetanseløftets styringsindikator).",
             definition_en="Share of client-facing care FTEs done by staff with health or social-care education "
                           "(KOSTRA key figure; the indicator the Kompetanseløft plans are steered by).",
             unit="percent", decimals=1, areas=CARE, direction="higher_better",
             note="Tallet står i dokumentets løpende tekst (L388-390), ikke i en tabell. Kommunetall finnes i "
                  "KOSTRA (bygges med --online).")
    c.add("kl_andel_arsverk_fagutdanning", 2016, TEXT_FIGURES["kl_andel_arsverk_fagutdanning"][0],
          f"{DOCS[IS]['digest']}:L57", "Sammendrag")
    # County tables of 2016: psychologist recruitment grant (Tabell 1), sick leave by county (Figur 7)
    _load_psych_grant(c, raw, f[1])
    _load_sickleave_counties(c, raw, f[33])


# Figures from the documents' running text (not in a seed CSV), with the exact snippet in the digest that
# states them; a test checks that the snippet is there.
TEXT_FIGURES = {
    "kl_andel_arsverk_fagutdanning": (74.2, "kompetanseloft2020-status-2016.md", "74.2 % in 2016 (L388-390)"),
}


def _file(raw: Path, doc: str, n: int) -> str:
    hits = sorted(p.name for p in raw.glob(f"{doc}__{n:02d}__*.csv"))
    if len(hits) != 1:
        raise PipelineError(f"ventet én fil {doc}__{n:02d}__*.csv, fant {len(hits)}", raw)
    return hits[0]


NEEDS = [("noe_avgrenset_bistandsbehov_pct", "noe_avgrenset", "Noe/avgrenset bistandsbehov", "Some/limited need"),
         ("middels_til_stor_bistandsbehov_pct", "middels_stor", "Middels til stort bistandsbehov",
          "Medium to large need"),
         ("omfattende_bistandsbehov_pct", "omfattende", "Omfattende bistandsbehov", "Extensive need"),
         ("uoppgitt_bistandsbehov_pct", "uoppgitt", "Uoppgitt bistandsbehov", "Need not stated")]
AGES17 = {"alle": "", "Under 18 år": "0-17", "18-49 år": "18-49", "50-66 år": "50-66", "67-79 år": "67-79",
          "80-89 år": "80-89", "90 år og eldre": "90+"}


def _load_recipients(c: Collector, raw: Path, file: str) -> None:
    t = read_table(raw / file)
    c.files.add(file)
    ref, heading = "Tabell 17", "Mottakere av helse- og omsorgstjenester per 31.12. Alder og bistandsbehov"
    for line, cells in t.rows:
        r = dict(zip(t.header, cells))
        m = re.fullmatch(r"(\d{4}) \(?(.+?)\)?", r["gruppe"].strip())
        if not m or m.group(2) not in AGES17:
            raise PipelineError(f"ukjent gruppe «{r['gruppe']}»", t.path, line)
        year, ag = int(m.group(1)), AGES17[m.group(2)]
        sfx = "" if not ag else "_" + ag.replace("-", "_").replace("+", "pluss")
        iid = "kl_mottakere" + sfx
        c.define(iid, doc=IS, table_ref=ref, heading=heading,
                 name_nb="Mottakere av omsorgstjenester" + (f", {ag} år" if ag else ""),
                 name_en="Recipients of care services" + (f", aged {ag}" if ag else ""),
                 definition_nb="Mottakere av kommunale helse- og omsorgstjenester per 31.12. (IPLOS)"
                               + (f", alder {ag} år." if ag else "."),
                 definition_en="Recipients of municipal health and care services at 31 December (IPLOS)"
                               + (f", aged {ag}." if ag else "."),
                 unit="count", decimals=0, areas=CARE, series="kl_mottakere_alder" if ag else "",
                 series_name_nb="Mottakere etter alder" if ag else "",
                 series_name_en="Recipients by age" if ag else "", total_id="kl_mottakere" if ag else "",
                 dims={"age_group": ag}, note="Aldersgruppene summerer til 278 160 (1 mindre enn totalen)."
                 if ag else "")
        c.add(iid, year, parse_number(r["antall_mottakere_31_12"], t.path, line), f"{file}:{line}", ref)
        for col, key, nb, en in NEEDS:
            nid = f"kl_mottakere_behov_{key}{sfx}"
            c.define(nid, doc=IS, table_ref=ref, heading=heading,
                     name_nb=f"Andel mottakere med {nb.lower()}" + (f", {ag} år" if ag else ""),
                     name_en=f"Share of recipients with {en.lower()}" + (f", aged {ag}" if ag else ""),
                     definition_nb=f"Andel av mottakerne per 31.12. med {nb.lower()} (IPLOS), i prosent"
                                   + (f", alder {ag} år." if ag else "."),
                     definition_en=f"Share of recipients at 31 December with {en.lower()} (IPLOS), percent"
                                   + (f", aged {ag}." if ag else "."),
                     unit="percent", decimals=0, areas=CARE, series="kl_mottakere_behov" + sfx,
                     series_name_nb="Mottakere etter bistandsbehov" + (f", {ag} år" if ag else ""),
                     series_name_en="Recipients by level of need" + (f", aged {ag}" if ag else ""),
                     dims={"age_group": ag, "need_level": nb})
            c.add(nid, year, parse_number(r[col], t.path, line), f"{file}:{line}", ref)


# ---------------------------------------------------------------------------------------------------------
# County areas of a past year

COUNTIES_2016 = {"Østfold": "01", "Akershus": "02", "Oslo": "03", "Hedmark": "04", "Oppland": "05",
                 "Buskerud": "06", "Vestfold": "07", "Telemark": "08", "Aust-Agder": "09", "Vest-Agder": "10",
                 "Rogaland": "11", "Hordaland": "12", "Sogn og Fjordane": "14", "Møre og Romsdal": "15",
                 "Sør-Trøndelag": "16", "Nord-Trøndelag": "17", "Nordland": "18", "Troms": "19", "Finnmark": "20",
                 "Aust- og Vest-Agder": "09+10"}
STATSFORVALTER_2021 = {"Agder": "42", "Innlandet": "34", "Møre og Romsdal": "15", "Nordland": "18",
                       "Oslo og Viken": "03+30", "Rogaland": "11", "Troms og Finnmark": "54", "Trøndelag": "50",
                       "Vestfold og Telemark": "38", "Vestland": "46"}


@dataclass
class AreaMap:
    """Which 2024 counties an area of a past year covers, and whether it is unchanged in 2024."""
    mapping: pd.DataFrame  # level, year, code_original, code_current

    @classmethod
    def read(cls, path: Path) -> "AreaMap":
        if not path.is_file():
            raise PipelineError("filen mangler", path)
        df = pd.read_csv(path, dtype=str)
        need = {"level", "year", "code_original", "code_current"}
        if not need <= set(df.columns):
            raise PipelineError(f"mangler kolonnene {sorted(need - set(df.columns))}", path)
        return cls(df[df["level"] == "county"])

    def covers(self, area_code: str, year: int) -> tuple[list[str], str]:
        """(2024 counties the area covers, the 2024 code if the area is exactly one unchanged county)."""
        m = self.mapping[self.mapping["year"] == str(year)]
        if m.empty:
            raise PipelineError(f"kodelisten har ikke fylker for {year}")
        orig = area_code.split("+")
        mine = m[m["code_original"].isin(orig)]
        if set(mine["code_original"]) != set(orig):
            raise PipelineError(f"ukjent fylkesnummer {area_code} for {year}")
        current = sorted(mine["code_current"].unique())
        if len(current) == 1:
            sources = set(m.loc[m["code_current"] == current[0], "code_original"])
            if sources <= set(orig):
                return current, current[0]
        return current, ""


def _add_area(c: Collector, amap: AreaMap, *, kind: str, code: str, name: str, year: int, iid: str, value,
              where: str, table_ref: str, num=np.nan, den=np.nan, note: str = "") -> None:
    if value is None:
        return
    covers, same = amap.covers(code, year)
    c.areas.append({"area_kind": kind, "area_code": code, "area_name": name, "year": year, "indicator_id": iid,
                    "value": float(value), "numerator": float(num), "denominator": float(den),
                    "counties_2024": covers, "county_2024": same, "table_ref": table_ref, "source_line": where,
                    "note": note})
    c.meta[iid]["area_kind"] = kind
    if same:
        c.add(iid, year, value, where, table_ref, level="county", region_code=same, numerator=num, denominator=den)


def _load_psych_grant(c: Collector, raw: Path, file: str) -> None:
    t = read_table(raw / file)
    c.files.add(file)
    ref, heading = "Tabell 1", "Kommuner som har mottatt rekrutteringstilskudd for psykolog (2016)"
    common = dict(doc=IS, table_ref=ref, heading=heading, areas=["psykisk_helse_rus"],
                  series="kl_psykolog_tilskudd", series_name_nb="Rekrutteringstilskudd for psykolog 2016",
                  series_name_en="Psychologist recruitment grant 2016")
    oslo = ("Oslo-raden teller bydeler (14 av 15 bydeler), ikke kommuner.")
    c.define("kl_psykolog_tilskudd_kommuner", **common, name_nb="Kommuner med rekrutteringstilskudd for psykolog",
             name_en="Municipalities with a psychologist recruitment grant",
             definition_nb="Antall kommuner (i Oslo: bydeler) som hadde mottatt rekrutteringstilskudd for psykolog "
                           "i 2016, etter fylke (fylkene i 2016).",
             definition_en="Number of municipalities (Oslo: city districts) that had received the psychologist "
                           "recruitment grant in 2016, by county (counties of 2016).",
             unit="count", decimals=0, note=oslo)
    c.define("kl_psykolog_tilskudd_antall_kommuner", **common, name_nb="Antall kommuner (nevner i Tabell 1)",
             name_en="Number of municipalities (denominator of Table 1)",
             definition_nb="Antall kommuner i fylket i 2016 (i Oslo: bydeler), som trykt i Tabell 1.",
             definition_en="Number of municipalities in the county in 2016 (Oslo: city districts), as printed.",
             unit="count", decimals=0,
             note=oslo + " Landstallet er dokumentets totalrad (428, Oslo som én kommune); fylkesradene summerer "
                         "til 442 (428 − 1 + 15 bydeler).")
    c.define("kl_psykolog_tilskudd_andel", **common, name_nb="Andel kommuner med rekrutteringstilskudd for psykolog",
             name_en="Share of municipalities with a psychologist recruitment grant",
             definition_nb="Kommuner (i Oslo: bydeler) med rekrutteringstilskudd for psykolog i prosent av alle "
                           "kommuner (bydeler) i fylket, 2016. Beregnet av omsorgsatlas fra Tabell 1.",
             definition_en="Municipalities (Oslo: city districts) with the grant as a percentage of all, 2016. "
                           "Computed by omsorgsatlas from Table 1.",
             unit="percent", decimals=1, direction="higher_better",
             note=oslo + " Landstallet er 243 av 442 kommuner og bydeler (summen av fylkesradene); dokumentets "
                         "totalrad 428 teller Oslo som én kommune og ville blandet enhetene (243/428 = 56,8 %).")
    amap = c._amap
    sum_n = 0.0
    for line, cells in t.rows:
        r = dict(zip(t.header, cells))
        name = r["fylke"].strip()
        n = parse_number(r["kommuner_med_psykolog_tilskudd_2016"], t.path, line)
        d = parse_number(r["antall_kommuner_2016"], t.path, line)
        where = f"{file}:{line}"
        if name == "Total":
            c.add("kl_psykolog_tilskudd_kommuner", 2016, n, where, ref)
            c.add("kl_psykolog_tilskudd_antall_kommuner", 2016, d, where, ref)
            total_n = n
            continue
        if name not in COUNTIES_2016:
            raise PipelineError(f"ukjent fylke «{name}»", t.path, line)
        code = COUNTIES_2016[name]
        sum_n += d
        kw = dict(kind="county_2016", code=code, name=name, year=2016, where=where, table_ref=ref)
        _add_area(c, amap, iid="kl_psykolog_tilskudd_kommuner", value=n, **kw)
        _add_area(c, amap, iid="kl_psykolog_tilskudd_antall_kommuner", value=d, **kw)
        _add_area(c, amap, iid="kl_psykolog_tilskudd_andel", value=100 * n / d, num=n, den=d,
                  note="bydeler i Oslo" if code == "03" else "", **kw)
    c.add("kl_psykolog_tilskudd_andel", 2016, 100 * total_n / sum_n, f"{file} (sum av fylkesradene)", ref,
          numerator=total_n, denominator=sum_n)
    c.meta["kl_psykolog_tilskudd_andel"]["origin"] = "derived"


def _load_sickleave_counties(c: Collector, raw: Path, file: str) -> None:
    t = read_table(raw / file)
    c.files.add(file)
    for line, cells in t.rows:
        r = dict(zip(t.header, cells))
        name = r["fylke"].strip()
        v = parse_number(r["legemeldt_sykefravaer_omsorg_2016_pct"], t.path, line)
        where = f"{file}:{line}"
        if name == "Norge":
            c.add("kl_sykefravaer_omsorg", 2016, v, where, "Figur 7")
            continue
        _add_area(c, c._amap, kind="county_2016", code=COUNTIES_2016[name], name=name, year=2016,
                  iid="kl_sykefravaer_omsorg", value=v, where=where, table_ref="Figur 7 (tall fra teksten)",
                  note=r["note"])
    c.note("kl_sykefravaer_omsorg", "Fylkestall for 2016 finnes bare for Sogn og Fjordane (8,0), Rogaland (8,1) og "
                                     "Oppland (9,8) (teksten til Figur 7); de vises som områder (fylkene i 2016).")


# ---------------------------------------------------------------------------------------------------------
# K2025 (Helsedirektoratet 2022) and the other documents

K = "K2025"


def load_k2025(c: Collector, raw: Path) -> None:
    f = {n: _file(raw, "K2025-KL2020", n) for n in (3, 4, 5)}
    # Tabell 2: KKI paid out by purpose and statsforvalter area, 2021
    t = read_table(raw / f[3])
    c.files.add(f[3])
    ref, heading = "Tabell 2", "Fordelingen av utbetalte midler til de ulike formålene"
    purposes = {"Kompetansetiltak": ("kompetansetiltak", "Competence measures", CARE),
                "BPA": ("bpa", "User-controlled personal assistance (BPA)", ["hjemmetjenester"]),
                "Innovasjonsprosjekter": ("innovasjon", "Innovation projects", CARE),
                "Velferdsteknologi": ("velferdsteknologi", "Welfare technology", CARE),
                "Sum": ("", "Total", CARE)}
    for col, (key, en, areas) in purposes.items():
        iid = "k25_kki_utbetalt" + (f"_{key}" if key else "")
        c.define(iid, doc=K, table_ref=ref, heading=heading,
                 name_nb="Kompetanse- og innovasjonstilskudd utbetalt" + (f": {col.lower()}" if key else ""),
                 name_en="Competence and innovation grant paid out" + (f": {en.lower()}" if key else ""),
                 definition_nb="Kommunalt kompetanse- og innovasjonstilskudd (kap. 761 post 68) utbetalt i 2021, "
                               "kroner, etter statsforvalterområde" + (f", formål {col.lower()}." if key else "."),
                 definition_en="Municipal competence and innovation grant (ch. 761 item 68) paid out in 2021, NOK, "
                               "by county governor area" + (f", purpose: {en.lower()}." if key else "."),
                 unit="nok", decimals=0, areas=areas, series="k25_kki_utbetalt",
                 series_name_nb="Kompetanse- og innovasjonstilskudd etter formål",
                 series_name_en="Competence and innovation grant by purpose",
                 total_id="" if not key else "k25_kki_utbetalt", dims={"field": col if key else ""},
                 note="Statsforvalterområdene i 2021 fulgte fylkene 2020–2023; «Oslo og Viken» dekker fire fylker "
                      "i 2024. Bevilget (tilsagnsramme) 2021 var 372,4 mill. kr (387,9 mill. kr i 2020); "
                      "tabellen viser utbetalt, 360,8 mill. kr.")
    col_sums = {k: 0.0 for k in purposes}
    for line, cells in t.rows:
        r = dict(zip(t.header, cells))
        name = r["Fylke"].strip()
        vals = {k: parse_number(r[k], t.path, line) for k in purposes}
        where = f"{f[3]}:{line}"
        if abs(sum(v for k, v in vals.items() if k != "Sum") - vals["Sum"]) > 0.5:
            raise PipelineError(f"radsummen stemmer ikke for «{name}»", t.path, line)
        if name == "Sum":
            for k, v in vals.items():
                if abs(col_sums[k] - v) > 0.5:
                    raise PipelineError(f"kolonnesummen for {k} stemmer ikke", t.path, line)
                c.add("k25_kki_utbetalt" + (f"_{purposes[k][0]}" if purposes[k][0] else ""), 2021, v, where, ref)
            continue
        if name not in STATSFORVALTER_2021:
            raise PipelineError(f"ukjent statsforvalterområde «{name}»", t.path, line)
        for k, v in vals.items():
            col_sums[k] += v
            _add_area(c, c._amap, kind="statsforvalter_2021", code=STATSFORVALTER_2021[name], name=name, year=2021,
                      iid="k25_kki_utbetalt" + (f"_{purposes[k][0]}" if purposes[k][0] else ""), value=v,
                      where=where, table_ref=ref)
    # Tabell 3: education activity 2019-2021
    levdim = {"Sum videregående utdanning/fagbrev": "Videregående/fagbrev", "Sum fagskoleutdanning": "Fagskole",
              "Sum bachelorutdanning": "Bachelor", "Sum videreutdanning/master": "Videreutdanning/master"}
    wide(c, raw, f[4], doc=K, table_ref="Tabell 3", heading="Samlet utdanningsaktivitet",
         series="k25_utdanningsaktivitet", name_nb="Ansatte i utdanning med kompetansetilskuddet (inkl. fullførte)",
         name_en="Employees in education funded by the competence grant (incl. completed)",
         definition_nb="Antall ansatte under utdanning inkludert fullførte, finansiert med kommunalt kompetanse- og "
                       "innovasjonstilskudd, etter nivå (statsforvalternes rapportering). Ikke samme definisjon som "
                       "IS-2684 Tabell 4 (eksklusive fullførte).",
         definition_en="Employees in education incl. completed, funded by the grant, by level. Not the same "
                       "definition as IS-2684 Table 4 (excl. completed).",
         unit="count", decimals=0, areas=CARE, dim="education", cols=Y(2019, 2020, 2021),
         change=("Endring 2020/2021", "2020", "2021"),
         rows=[R(x, dim=d, note="Raden er forvansket i kilden («1 8851 485»); 2019 = 1 485 følger av "
                                "kolonnesummene." if d == "Fagskole" else "") for x, d in levdim.items()] +
              [R("Totalt", id="k25_utdanningsaktivitet", total=True)])
    t = read_table(raw / f[5])
    themes = [x for x in t.by_label() if x != "Totalt"]
    wide(c, raw, f[5], doc=K, table_ref="Tabell 4", heading="Type prosjekter som får tilskudd",
         series="k25_innovasjonsprosjekter", name_nb="Innovasjonsprosjekter med tilskudd etter tema",
         name_en="Innovation projects receiving grants by theme",
         definition_nb="Antall prosjekter som får kompetanse- og innovasjonstilskudd, etter tema.",
         definition_en="Number of projects receiving the competence and innovation grant, by theme.",
         unit="count", decimals=0, areas=CARE, dim="field", cols=Y(2019, 2020, 2021),
         rows=[R(x, id=f"k25_innovasjonsprosjekter_{slug(re.sub(r'^Antall prosjekter med tema ', '', x), 30)}",
                 dim=re.sub(r"^Antall prosjekter med tema ", "", x)) for x in themes] +
              [R("Totalt", id="k25_innovasjonsprosjekter", total=True)])


MS = "MeldSt26"


def load_meldst26(c: Collector, raw: Path) -> None:
    f = {n: _file(raw, MS, n) for n in (1, 2, 5, 6)}
    wide(c, raw, f[1], doc=MS, table_ref="Tabell 21.1", heading="Plasser avsatt til rehabilitering og tidsbegrenset "
         "opphold i institusjon", series="ms26_plasser_institusjon",
         name_nb="Plasser i institusjon etter formål", name_en="Institution places by purpose",
         definition_nb="Plasser i institusjon avsatt til rehabilitering eller tidsbegrenset opphold.",
         definition_en="Institution places set aside for rehabilitation or short-term stays.",
         unit="count", decimals=0, areas=["institusjon"], dim="field", cols=Y(*range(2009, 2014)), rows=[
             R("Plasser avsatt til rehabilitering i institusjon", id="ms26_plasser_rehabilitering",
               dim="Rehabilitering", areas=["rehabilitering"]),
             R("Plasser avsatt til tidsbegrenset opphold i institusjon", id="ms26_plasser_tidsbegrenset",
               dim="Tidsbegrenset opphold")])
    wide(c, raw, f[2], doc=MS, table_ref="Tabell 22.1", heading="Årsverk i kommunalt psykisk helsearbeid og rusarbeid",
         series="ms26_arsverk_psykisk_helse", name_nb="Årsverk i kommunalt psykisk helsearbeid etter målgruppe",
         name_en="FTEs in municipal mental health work by target group",
         definition_nb="Årsverk i kommunalt psykisk helsearbeid (kommunenes rapportering), etter målgruppe.",
         definition_en="FTEs in municipal mental health work (municipal reporting), by target group.",
         unit="fte", decimals=0, areas=["psykisk_helse_rus"], dim="target_group", cols=Y(*range(2007, 2014)),
         note="Ikke samme kartlegging som IS-2684 Tabell 23 (2015–2016).",
         rows=[R("Årsverk, målgruppe voksne", id="ms26_arsverk_psykisk_helse_voksne", dim="Voksne"),
               R("Årsverk, målgruppe barn og unge", id="ms26_arsverk_psykisk_helse_barn_unge", dim="Barn og unge"),
               R("Årsverk psykisk helsearbeid", id="ms26_arsverk_psykisk_helse", total=True,
                 note="Summen avviker med 1 fra målgruppene i 2007, 2008 og 2013 (avrunding)."),
               R("Årsverk rusarbeid", id="ms26_arsverk_rus", total=True, name_nb="Årsverk i kommunalt rusarbeid",
                 name_en="FTEs in municipal substance use work",
                 definition_nb="Årsverk i kommunalt rusarbeid (kommunenes rapportering).",
                 definition_en="FTEs in municipal substance use work (municipal reporting).")])
    c.meta["ms26_arsverk_rus"]["series"] = ""
    t = read_table(raw / f[5])
    rows = [R(x) for x in t.by_label() if x not in ("Totalt omsorgstjenestene",)]
    rows.append(R("Totalt omsorgstjenestene", id="ms26_arsverk_omsorg", total=True,
                  name_nb="Årsverk i omsorgstjenestene", name_en="FTEs in care services"))
    wide(c, raw, f[5], doc=MS, table_ref="Kap. 8 (tall fra teksten)", heading="Årsverk i omsorgstjenestene etter "
         "personellgruppe 2013", series="ms26_arsverk_omsorg_yrke",
         name_nb="Årsverk i omsorgstjenestene etter personellgruppe (avrundet)",
         name_en="Care-service FTEs by personnel group (rounded)",
         definition_nb="Årsverk i omsorgstjenestene i 2013 etter personellgruppe, avrundet i meldingens tekst "
                       "(«om lag»).", definition_en="Care-service FTEs in 2013 by personnel group, rounded in "
                                                   "the white paper's text.",
         unit="fte", decimals=0, areas=CARE, dim="occupation", cols={"aarsverk_2013": 2013},
         note="Tallene er avrundet i teksten og er ikke en tabell i meldingen; grupperingen er en annen enn i "
              "IS-2684 Tabell 16.", rows=rows)
    t = read_table(raw / f[6])
    c.files.add(f[6])
    picks = [  # (label, year cell, id, name_nb, name_en, unit, areas, note)
        ("Fastleger", "ms26_fastleger", "Antall fastleger", "Number of regular GPs", "count", ["legetjeneste"],
         "Antall personer ved utgangen av året."),
        ("Årsverk helsestasjons- og skolehelsetjeneste", "ms26_arsverk_helsestasjon",
         "Årsverk i helsestasjons- og skolehelsetjenesten", "Health-station and school health FTEs", "fte",
         ["helsestasjon"], "Meldingen sier «i overkant av» 4 217."),
        ("Årsverk fysioterapeuter (SSB)", "ms26_arsverk_fysio", "Fysioterapeutårsverk",
         "Physiotherapist FTEs", "fte", ["rehabilitering"],
         "Herav 2 642 avtalefysioterapeuter. Meldingen sier andre steder «om lag 4 500» (L2886)."),
        ("Årsverk psykologer i kommunene", "ms26_arsverk_psykolog", "Psykologårsverk i kommunene",
         "Psychologist FTEs in municipalities", "fte", ["psykisk_helse_rus"],
         "Meldingen nevner andre steder «om lag 300 psykologer» ansatt med tilskudd (L9907)."),
        ("Årsverk ergoterapeuter", "ms26_arsverk_ergo", "Ergoterapeutårsverk", "Occupational therapist FTEs",
         "fte", ["rehabilitering"], "2013-tallet står som «over 1 700» og er ikke tatt med."),
    ]
    for label, iid, nnb, nen, unit, areas, note in picks:
        c.define(iid, doc=MS, table_ref="Kap. 5 (tall fra teksten)", heading="Personell i primærhelsetjenesten",
                 name_nb=nnb, name_en=nen, definition_nb=f"{nnb}, som oppgitt i meldingens tekst.",
                 definition_en=f"{nen}, as stated in the white paper's text.", unit=unit,
                 decimals=1 if iid == "ms26_arsverk_psykolog" else 0, areas=areas, note=note)
        for line, cells in t.rows:
            r = dict(zip(t.header, cells))
            if r["indikator"].strip() != label:
                continue
            m = re.match(r"^(\d{4})", r["aar"].strip())
            if not m or "implied" in r["aar"] or r["merknad"].strip() == "over":
                continue  # year only implied by the context, or a lower bound: not a figure to show
            c.add(iid, int(m.group(1)), parse_number(r["verdi"], t.path, line), f"{f[6]}:{line}", "Kap. 5")


O20 = "O2020-2019"


def load_o2020(c: Collector, raw: Path) -> None:
    file = _file(raw, O20, 12)
    t = read_table(raw / file)
    c.files.add(file)
    picks = {"legeaarsverk": ("o20_arsverk_lege", "Legeårsverk i kommunehelsetjenesten", "Doctor FTEs in "
                              "municipal health services", "fte", ["legetjeneste"]),
             "fysioterapeutaarsverk": ("o20_arsverk_fysio", "Fysioterapeutårsverk i kommunehelsetjenesten",
                                       "Physiotherapist FTEs in municipal health services", "fte", ["rehabilitering"]),
             "psykologstillinger_med_tilskudd": ("o20_psykologstillinger_tilskudd", "Psykologstillinger med "
                                                 "rekrutteringstilskudd", "Psychologist posts with the recruitment "
                                                 "grant", "count", ["psykisk_helse_rus"])}
    for line, cells in t.rows:
        r = dict(zip(t.header, cells))
        key = r["indikator"].strip()
        if key not in picks:
            continue
        iid, nnb, nen, unit, areas = picks[key]
        c.define(iid, doc=O20, table_ref="Kap. 4 (tall fra teksten)", heading="Personell",
                 name_nb=nnb, name_en=nen, definition_nb=f"{nnb}, som oppgitt i årsrapportens tekst "
                                                        f"({r['linje']}).",
                 definition_en=f"{nen}, as stated in the annual report's text.", unit=unit, decimals=0, areas=areas)
        c.add(iid, int(r["periode_eller_aar"]), parse_number(r["verdi"], t.path, line), f"{file}:{line}", "Kap. 4")


# Pairs that measure the same thing in two tables or documents: each keeps its own figure, both get a note.
CROSS_CHECKS = [
    ("ms26_fastleger", "kl_fastleger"),
    ("ms26_arsverk_fysio", "kl_arsverk_fysio"),
    ("ms26_arsverk_omsorg", "kl_arsverk_omsorg"),
    ("kl_arsverk_lege_institusjon", "kl_arsverk_lege_virkeomrade_" + slug("Institusjoner for eldre og funksjonshemmede")),
    ("kl_arsverk_fysio_institusjon", "kl_arsverk_fysio_virkeomrade_" + slug("Institusjoner for eldre og funksjonshemmede")),
    ("o20_arsverk_lege", "kl_arsverk_lege"),
    ("o20_arsverk_fysio", "kl_arsverk_fysio"),
]


def _merge_values(c: Collector) -> pd.DataFrame:
    """One row per indicator/level/region/year; a mismatch between tables of one document becomes a note."""
    rows = []
    df = pd.DataFrame([v.__dict__ for v in c.values])
    for key, g in df.groupby(["indicator_id", "level", "region_code", "year"], sort=False):
        first = g.iloc[0]
        others = g[(g["value"] - first["value"]).abs() > 1e-9]
        if len(others):
            parts = "; ".join(f"{o.table_ref}: {fmt(o.value)}" for o in others.itertuples())
            c.note(key[0], f"Avvik i dokumentet for {key[3]}: {first['table_ref']} oppgir {fmt(first['value'])}, "
                           f"{parts}. Viser {first['table_ref']}.")
            c.disagreements.append({"indicator_id": key[0], "year": int(key[3]), "shown": f"{first['table_ref']}: "
                                    f"{fmt(first['value'])}", "other": parts})
        rows.append(first)
    return pd.DataFrame(rows).reset_index(drop=True)


def _cross_check(c: Collector, vals: pd.DataFrame) -> None:
    nat = vals[vals["level"] == "country"].set_index(["indicator_id", "year"])["value"]
    for a, b in CROSS_CHECKS:
        if b is None or a not in c.meta or b not in c.meta:
            continue
        ya = {y for (i, y) in nat.index if i == a}
        yb = {y for (i, y) in nat.index if i == b}
        for y in sorted(ya & yb):
            va, vb = nat[(a, y)], nat[(b, y)]
            ma, mb = c.meta[a], c.meta[b]
            da = f"{ma['document'] or 'omsorgsatlas'} {ma['table_ref'].split(';')[0]}"
            db = f"{mb['document'] or 'omsorgsatlas'} {mb['table_ref'].split(';')[0]}"
            if abs(va - vb) > 1e-9:
                c.note(a, f"{db} oppgir {fmt(vb)} for {y} (her: {fmt(va)}); begge kildenes tall er beholdt.")
                c.note(b, f"{da} oppgir {fmt(va)} for {y} (her: {fmt(vb)}); begge kildenes tall er beholdt.")
                c.disagreements.append({"indicator_id": a, "year": int(y), "shown": f"{da}: {fmt(va)}",
                                        "other": f"{b} ({db}): {fmt(vb)}"})
            else:
                c.note(a, f"Samme tall for {y} som {db} ({b}).")


# ---------------------------------------------------------------------------------------------------------
# Derived indicators (computed by omsorgsatlas)


def _derived(c: Collector, vals: pd.DataFrame, pop_indicators: pd.DataFrame) -> pd.DataFrame:
    nat = vals[vals["level"] == "country"].set_index(["indicator_id", "year"])["value"]
    p80 = pop_indicators[(pop_indicators["indicator_id"] == "count_80plus") & (pop_indicators["level"] == "country")]
    p80 = p80.set_index("year")["value"]
    out = []
    iid = "drv_arsverk_omsorg_per1000_80pluss"
    c.define(iid, doc=IS, table_ref="Tabell 15 + SSB 07459", heading="", origin="derived",
             name_nb="Årsverk i omsorgstjenestene per 1 000 innbyggere 80 år og over (beregnet)",
             name_en="Care-service FTEs per 1,000 residents aged 80+ (computed)",
             definition_nb="Beregnet av omsorgsatlas: årsverk i omsorgstjenestene (IS-2684 Tabell 15) delt på "
                           "antall innbyggere 80 år og over 1. januar året etter (= 31.12., SSB 07459, 2024-grenser) "
                           "× 1 000. Omsorgstjenestene betjener alle aldre; målet viser ressursene mot det viktigste "
                           "behovsgrunnlaget, ikke årsverk brukt på de eldste.",
             definition_en="Computed by omsorgsatlas: care-service FTEs (IS-2684 Table 15) divided by residents "
                           "aged 80+ on 1 January of the following year (= 31 Dec, SSB 07459) × 1,000.",
             unit="per1000", decimals=1, areas=CARE + ["befolkning"],
             source="Beregnet av omsorgsatlas fra " + DOCS[IS]["title"] + ", Tabell 15, og SSB tabell 07459",
             lic=DERIVED_LICENCE)
    for y in range(2011, 2017):
        if ("kl_arsverk_omsorg", y) in nat.index and (y + 1) in p80.index:
            num, den = nat[("kl_arsverk_omsorg", y)], p80[y + 1]
            out.append(Value(iid, y, 1000 * num / den, "derived", "Tabell 15", numerator=num, denominator=den))
    iid = "drv_arsverk_omsorg_per_mottaker"
    c.define(iid, doc=IS, table_ref="Tabell 15 og 17", heading="", origin="derived",
             name_nb="Årsverk i omsorgstjenestene per mottaker (beregnet)",
             name_en="Care-service FTEs per recipient (computed)",
             definition_nb="Beregnet av omsorgsatlas: årsverk i omsorgstjenestene (IS-2684 Tabell 15) delt på "
                           "mottakere av helse- og omsorgstjenester per 31.12. (IS-2684 Tabell 17, IPLOS). Bare år "
                           "der begge finnes i samme dokument (2016; 2009 mangler årsverk).",
             definition_en="Computed by omsorgsatlas: care-service FTEs (IS-2684 Table 15) divided by recipients at "
                           "31 December (IS-2684 Table 17, IPLOS). Only years with both in the same document.",
             unit="ratio", decimals=2, areas=CARE,
             source="Beregnet av omsorgsatlas fra " + DOCS[IS]["title"] + ", Tabell 15 og Tabell 17",
             lic=licence(IS) + "; beregnet av omsorgsatlas")
    for y in sorted({y for (i, y) in nat.index if i == "kl_mottakere"}):
        if ("kl_arsverk_omsorg", y) in nat.index:
            num, den = nat[("kl_arsverk_omsorg", y)], nat[("kl_mottakere", y)]
            out.append(Value(iid, y, num / den, "derived", "Tabell 15/17", numerator=num, denominator=den))
    for iid in ("drv_arsverk_omsorg_per1000_80pluss", "drv_arsverk_omsorg_per_mottaker"):
        c.meta[iid].update(document="", document_title="", publisher="omsorgsatlas", publication_year=None)
    return pd.DataFrame([v.__dict__ for v in out])


# ---------------------------------------------------------------------------------------------------------
# Measures (Tiltak og tilskudd)

K25_STRATEGIES = {"SO1": "Rekruttere, beholde og utvikle personell",
                  "SO2": "Brukermedvirkning, tjenesteutvikling og tverrfaglig samarbeid",
                  "SO3": "Kommunal sektor som forskningsaktør, fagutviklings- og opplæringsarena",
                  "SO4": "Ledelse, samhandling og planlegging"}
MEASURE_NOTES = {  # disagreements the digest found inside the documents, keyed by (plan, number)
    ("K2025", "1.4"): "Dokumentet oppgir startåret som 2011 ett sted (002:255) og 2012 et annet (002:262).",
    ("K2025", "1.16"): "Bevilget 372,4 mill. kr i 2021; utbetalt 360 844 120 kr (Tabell 2, fordelt på "
                       "statsforvalterområder).",
    ("K2025", "4.4"): "Tabell 7 sier «Høgskolen i Hedmark», teksten «Høgskolen i Innlandet» (002:2904 / 002:3079).",
    ("K2025", "4.5"): "Teksten sier «9 virksomheter», men bare 8 mottakere er listet (002:3135-3149).",
    ("K2025", "3.9"): "Teksten kaller teamene både «ACT ung» og «FACT ung» (002:2658).",
}


def build_measures(raw: Path) -> tuple[pd.DataFrame, list[str]]:
    f1 = _file(raw, "K2025-KL2020", 1)
    f21 = _file(raw, "K2025-KL2020", 21)
    f23 = _file(raw, "K2025-KL2020", 23)
    files = [f1, f21, f23]
    # the budget tables list every K2025 measure with its chapter/post: check the list against them
    budget = {}
    for n in (6, 7, 8, 9, 10):
        fn = _file(raw, "K2025-KL2020", n)
        files.append(fn)
        t = read_table(raw / fn)
        tref = re.search(r"tabell-(\d+)", fn).group(1)
        for line, cells in t.rows:
            r = dict(zip(t.header, cells))
            budget[(r["Ordningsnr"], r["Ordningsnavn"] if r["Ordningsnr"] == "N/A" else "")] = (
                r["Kapittel/post"].strip(), f"Tabell {tref}", r["Ordningsnavn"], f"{fn}:{line}")
    rows = []
    t = read_table(raw / f1)
    for line, cells in t.rows:
        r = dict(zip(t.header, cells))
        nr = r["ordningsnr"].strip()
        key = (nr, "" if nr != "N/A" else r["name_no"])
        notes = []
        b = budget.pop(key, None)
        if b is None and nr == "N/A":
            b = next((budget.pop(k) for k in list(budget) if k[0] == "N/A" and k[1] and
                      (k[1] in r["name_no"] or r["name_no"] in k[1])), None)
        if b is None:
            notes.append("Finnes ikke i budsjettabellene 1 og 5–8.")
        else:
            if b[0] != r["kap_post"].strip():
                notes.append(f"{b[1]} oppgir kap./post {b[0]}, tiltakslisten {r['kap_post']}.")
            if b[1] != r["source_table"].strip():
                notes.append(f"Står i {b[1]}, tiltakslisten sier {r['source_table']}.")
        n = MEASURE_NOTES.get(("K2025", r["section"].strip()))
        if n:
            notes.append(n)
        amount = parse_number(r["amount_nok_numeric"], t.path, line)
        so = [s.strip() for s in r["strategiomrade"].split(",") if s.strip()]
        bad = [s for s in so if s not in K25_STRATEGIES]
        if bad:
            raise PipelineError(f"ukjent strategiområde {bad}", t.path, line)
        kp = r["kap_post"].strip()
        rows.append({
            "plan": "K2025", "measure_id": f"K2025-{r['section'].strip()}", "number": r["section"].strip(),
            "ordningsnr": "" if nr == "N/A" else nr, "title_nb": r["name_no"].strip(),
            "title_en": r["name_en"].strip(), "strategy_areas": so,
            "strategy_area_names": [K25_STRATEGIES[s] for s in so],
            "budget_chapter_post": "" if kp in ("-", "") else kp,
            "budget_chapters": sorted({p.split(".")[0] for p in re.split(r",\s*", kp) if "." in p}),
            "target_group": r["target_group"].strip(), "purpose": r["what_it_funds"].strip(),
            "responsible": "", "measure_type": "",
            "amount_text": r["amount_text_as_in_source"].strip(), "amount_nok": amount,
            "amount_year": np.int16(2021) if amount is not None else None,
            "result_reported": r["results_reported_2021"].strip(), "goal_attainment": r["attainment_2021"].strip(),
            "also_listed_as": "", "related_measure": "", "status_note": "",
            "document": "K2025", "source": DOCS["K2025"]["title"], "source_table": r["source_table"].strip(),
            "source_lines": r["lines"].strip(), "notes": " ".join(notes),
        })
    if budget:
        raise PipelineError(f"tiltak i budsjettabellene som mangler i tiltakslisten: {sorted(budget)[:5]}", raw / f1)
    # KL2020: 58 entries, 52 unique measures (6 listed under two strategies)
    t23 = read_table(raw / f23)
    strat = {dict(zip(t23.header, cs))["strategy"].strip(): dict(zip(t23.header, cs))["text_nn"].strip()
             for _, cs in t23.rows}
    t = read_table(raw / f21)
    entries = [(line, dict(zip(t.header, cells))) for line, cells in t.rows]
    seen = {}
    for line, r in entries:
        nr = r["nr"].strip()
        also = r["also_listed_as"].strip()
        if also and also in seen:
            m = seen[also]
            s = nr.split(".")[0]
            m["strategy_areas"].append(f"S{s}")
            m["strategy_area_names"].append(strat[s])
            m["also_listed_as"] = nr
            if r["name_nn"].strip() != m["title_nb"]:
                m["notes"] = (m["notes"] + f" Som {nr} heter tiltaket «{r['name_nn'].strip()}».").strip()
            continue
        s = nr.split(".")[0]
        if s not in strat:
            raise PipelineError(f"ukjent strategi {s}", t.path, line)
        m = {
            "plan": "KL2020", "measure_id": f"KL2020-{nr}", "number": nr, "ordningsnr": "",
            "title_nb": r["name_nn"].strip(), "title_en": r["name_en"].strip(), "strategy_areas": [f"S{s}"],
            "strategy_area_names": [strat[s]], "budget_chapter_post": "", "budget_chapters": [],
            "target_group": "", "purpose": r["goal"].strip(), "responsible": r["ansvarleg"].strip(),
            "measure_type": r["type_tiltak"].strip(), "amount_text": "", "amount_nok": None, "amount_year": None,
            "result_reported": "", "goal_attainment": "", "also_listed_as": also,
            "related_measure": r["k2025_match"].strip(), "status_note": r["status_note"].strip(),
            "document": "KL2020", "source": DOCS["KL2020"]["title"], "source_table": "Kap. 5 Oversikt over alle tiltak",
            "source_lines": r["lines_003"].strip(),
            "notes": "",
        }
        seen[nr] = m
        rows.append(m)
    df = pd.DataFrame(rows)
    n_k, n_kl = (df["plan"] == "K2025").sum(), (df["plan"] == "KL2020").sum()
    if n_k != 73 or n_kl != 52:
        raise PipelineError(f"ventet 73 K2025-tiltak og 52 KL2020-tiltak, fant {n_k} og {n_kl}", raw / f1)
    df["amount_nok"] = df["amount_nok"].astype("float64")
    df["amount_year"] = df["amount_year"].astype("Int16")
    df["sort_order"] = np.arange(len(df), dtype="int16")
    return df, files


# ---------------------------------------------------------------------------------------------------------
# Entry point for the build


@dataclass
class SeedOutput:
    indicators: pd.DataFrame
    catalog: pd.DataFrame
    areas: pd.DataFrame
    measures: pd.DataFrame
    inputs: list[Path]
    disagreements: list[dict]

    def manifest_section(self) -> dict:
        docs = sorted(set(self.catalog["document"]) - {""})
        return {
            "documents": [{"id": d, "title": DOCS[d]["title"], "publisher": DOCS[d]["publisher"],
                           "year": DOCS[d]["year"], "licence": licence(d)} for d in docs],
            "indicators": int(len(self.catalog)),
            "indicators_by_family": {k: int(v) for k, v in
                                     sorted(self.catalog["id"].str.split("_").str[0].value_counts().items())},
            "seed_areas": int(len(self.areas)), "measures": {k: int(v) for k, v in
                                                             sorted(self.measures["plan"].value_counts().items())},
            "disagreements": self.disagreements,
        }


def build_seeds(raw: Path, pop_indicators: pd.DataFrame, sort_start: int = 100) -> SeedOutput:
    """raw: the raw mirror (raw/seeds, raw/codes). pop_indicators: the population indicators (for 80+)."""
    seeds = Path(raw) / "seeds"
    if not seeds.is_dir():
        raise PipelineError("mappen finnes ikke", seeds)
    c = Collector()
    c._amap = AreaMap.read(Path(raw) / "codes" / "redistricting_to_b2024.csv")
    load_is2684(c, seeds)
    load_k2025(c, seeds)
    load_meldst26(c, seeds)
    load_o2020(c, seeds)
    vals = _merge_values(c)
    _cross_check(c, vals)
    der = _derived(c, vals, pop_indicators)
    vals = pd.concat([vals, der], ignore_index=True)
    order = {k: i for i, k in enumerate(c.meta)}
    ind = vals[["indicator_id", "level", "region_code", "year", "value", "numerator", "denominator"]].copy()
    ind = ind.astype({"year": "int16", "value": "float64", "numerator": "float64", "denominator": "float64"})
    lvl = {"country": 0, "county": 1, "municipality": 2}
    ind = (ind.assign(_i=ind["indicator_id"].map(order), _l=ind["level"].map(lvl))
           .sort_values(["_i", "_l", "region_code", "year"]).drop(columns=["_i", "_l"]).reset_index(drop=True))
    cat_rows = []
    for i, (iid, m) in enumerate(c.meta.items()):
        sub = ind[ind["indicator_id"] == iid]
        if sub.empty:
            raise PipelineError(f"indikatoren {iid} fikk ingen verdier")
        years = sorted(int(y) for y in sub["year"].unique())
        row = dict(m)
        row.update(levels=[lv for lv in ("country", "county", "municipality") if (sub["level"] == lv).any()],
                   years=years, year_min=min(years), year_max=max(years), notes=" ".join(c.notes.get(iid, [])),
                   sort_order=sort_start + i)
        cat_rows.append(row)
    catalog = pd.DataFrame(cat_rows)
    areas = pd.DataFrame(c.areas)
    areas["unit"] = areas["indicator_id"].map(lambda i: c.meta[i]["unit"])
    areas = areas[["area_kind", "area_code", "area_name", "year", "indicator_id", "value", "unit", "numerator",
                   "denominator", "counties_2024", "county_2024", "table_ref", "source_line", "note"]]
    areas = areas.astype({"year": "int16"}).sort_values(["area_kind", "indicator_id", "area_code", "year"],
                                                        kind="stable").reset_index(drop=True)
    unknown = set(areas["indicator_id"]) - set(c.meta)
    if unknown:
        raise PipelineError(f"seed_areas har ukjente indikatorer {sorted(unknown)[:5]}")
    measures, mfiles = build_measures(seeds)
    files = sorted(c.files | set(mfiles))
    return SeedOutput(ind, catalog, areas, measures, [seeds / f for f in files], c.disagreements)


def append_indicators(indicators: pd.DataFrame, seed: pd.DataFrame) -> pd.DataFrame:
    """indicators + the seed rows; columns the seed rows lack (ci_low, ci_high) are NaN: a figure quoted from a
    document has no sampling interval."""
    extra = seed.reindex(columns=indicators.columns)
    for col in indicators.columns:
        if col not in seed.columns and indicators[col].dtype.kind == "f":
            extra[col] = extra[col].astype(indicators[col].dtype)
    dup = set(seed["indicator_id"]) & set(indicators["indicator_id"])
    if dup:
        raise PipelineError(f"indikator-id-er finnes fra før: {sorted(dup)[:5]}")
    return pd.concat([indicators, extra], ignore_index=True)


def extend_catalog(pop_catalog: pd.DataFrame, seed_catalog: pd.DataFrame,
                   projected_ids: set | None = None) -> pd.DataFrame:
    """The population catalogue with the provenance columns (SSB defaults) followed by the seed catalogue."""
    pop = pop_catalog.copy()
    # rows that already carry their provenance (the KOSTRA/online rows of pipeline/online.py: origin, table_ref
    # «Tabell 12005» ...) keep it; the population rows get the SSB 07459 defaults
    own = pop["origin"].fillna("").astype(str).ne("") if "origin" in pop.columns else pd.Series(False, index=pop.index)
    for col in PROVENANCE_COLUMNS:
        if col not in pop.columns:
            pop[col] = None if col == "publication_year" else ""
        pop[col] = pop[col].astype(object)
        pop.loc[~own, col] = None if col == "publication_year" else ""
    pop.loc[~own, "origin"] = "ssb"
    if projected_ids:
        pop.loc[pop["id"].isin(projected_ids) & ~own, "origin"] = "projection"
    pop.loc[~own, "publisher"] = "Statistisk sentralbyrå (SSB)"
    pop.loc[~own, "table_ref"] = "Tabell 07459"
    pop.loc[~own, "publication_year"] = None
    out = pd.concat([pop, seed_catalog[pop.columns]], ignore_index=True)
    return out.astype({"decimals": "int8", "year_min": "int16", "year_max": "int16", "sort_order": "int16",
                       "publication_year": "Int16"})
