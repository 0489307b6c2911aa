"""Bulk downloads of data/ («Last ned data» on «Om dataene»). Pure: frames, texts and dicts in; bytes,
dicts and components out. The routes and the per-data-version file cache are in callbacks/downloads.py.

What is offered, under the stable prefix ``/data/v1/`` (the zip holds the same paths):

    <table>.csv                 every table of data/ (one per parquet file), machine-readable CSV
    <table>.schema.json         its data dictionary (below)
    geo/<name>.geojson          the map geometry exactly as it is in data/
    geo/<name>.schema.json      the dictionary of its feature properties
    indikator/<id>.json         JSON-stat 2.0 per indicator: a collection with one dataset per level that has
                                data, each made by the exporter of /eksport/indikator/<id>.json
    README.txt, LICENSE.txt     what the files are; sources, licences and the credit to give
    SHA256SUMS                  sha256 of every file (``sha256sum -c SHA256SUMS`` in the unpacked zip)
    omsorgsatlas-data.zip       all of the above in one file
    index.json                  every file with URL, size, sha256, media type, licences (not in the zip)

CSV convention: these files are for programs, so they use the international machine form: comma-separated,
``.`` as the decimal point, UTF-8 without BOM, a header row, ``\\n`` line ends, RFC 4180 quoting, a missing
value is an empty field, lists are JSON arrays (``["0301","3201"]``), numbers in their shortest exact form
(what the parquet holds, unrounded). The chart downloads (/eksport/<chart>.csv) keep the Norwegian
spreadsheet form (``;``, decimal comma, BOM) for people opening them in Excel.

Data dictionary: a Frictionless Data «Table Schema» inside a data resource description (name, path,
format, dialect, licences, sources, schema.fields with name, type, description), generated from two things
in data/ only: the column types of the parquet file itself and the column tables of data/README.md (the
documentation written by the pipeline), so the download and the documentation cannot drift apart.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import io
import json
import re
import zipfile
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
from dash import html

from components.format import format_number
from components.i18n import N_, _
from components.shell import CC_BY_URL, NLOD_URL

API_VERSION = "v1"
PREFIX = f"/data/{API_VERSION}"
ZIP_NAME = "omsorgsatlas-data.zip"
SUMS_NAME = "SHA256SUMS"
INDEX_NAME = "index.json"
CREDIT = "Omsorgsatlas"

# text/* types get "; charset=utf-8" from Flask when sent
MEDIA_TYPES = {".csv": "text/csv", ".json": "application/json", ".geojson": "application/geo+json",
               ".txt": "text/plain", ".zip": "application/zip", ".md": "text/markdown", "": "text/plain"}
CSV_DIALECT = {"delimiter": ",", "decimalChar": ".", "quoteChar": '"', "doubleQuote": True, "lineTerminator": "\n",
               "header": True, "encoding": "utf-8"}

# Which sources each table is made from (credit and licence follow the source). A table not listed here
# (a new one) credits every source, which is never wrong, until it is listed.
TABLE_SOURCES: dict[str, tuple[str, ...]] = {
    "regions": ("ssb",), "population": ("ssb",), "population_groups": ("ssb",), "projection": ("ssb",),
    "indicators": ("ssb", "documents"), "catalog": ("ssb", "documents"), "service_areas": (),
    "neighbours": ("kartverket",), "statistical_neighbours": ("ssb", "kartverket"),
    "comparison_features": ("ssb", "kartverket"), "seed_areas": ("documents",), "measures": ("documents",),
    "geo/municipalities": ("kartverket",), "geo/counties": ("kartverket",),
}
LICENCE_URLS = {"NLOD 2.0": NLOD_URL, "CC BY 4.0": CC_BY_URL.replace("/deed.no", "/")}


# -------------------------------------------------------------------------------------------------- CSV
def _json_list(v) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    return json.dumps([x.item() if isinstance(x, np.generic) else x for x in list(v)], ensure_ascii=False,
                      separators=(",", ":"))


def csv_bytes(df: pd.DataFrame) -> bytes:
    """The machine CSV of one table (see the module docstring)."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object and out[col].map(lambda v: isinstance(v, (list, tuple, np.ndarray))).any():
            out[col] = out[col].map(_json_list)
    return out.to_csv(index=False, lineterminator="\n", na_rep="").encode("utf-8")


# ------------------------------------------------------------------------------------- data dictionary
_HEADING = re.compile(r"^##\s+(.+?)\s*$")
_FILE_HEADING = re.compile(r"^`?([\w*]+(?:/[\w*]+)?\.(?:parquet|geojson))`?")


def parse_readme(text: str) -> dict[str, dict]:
    """The column tables of data/README.md, by file (``regions.parquet``, ``geo/*.geojson``).

    Returns {file: {"title", "description", "columns": {name: {"type", "description"}}, "patterns":
    [(regex, type, description)]}}. A table cell naming several columns (``name_nb, name_en``) documents
    each; a name with ``<…>`` (``share_<feature>``) documents every column it matches.
    """
    sections: dict[str, dict] = {}
    current = None
    for line in text.splitlines():
        m = _HEADING.match(line)
        if m:
            f = _FILE_HEADING.match(m.group(1))
            current = None
            if f:
                current = sections.setdefault(f.group(1), {"title": m.group(1), "description": [], "columns": {},
                                                           "patterns": []})
            continue
        if current is None:
            continue
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) < 3 or cells[0] in ("column", "property") or set(cells[0]) <= {"-", ":"}:
                continue
            typ, meaning = cells[1], " | ".join(cells[2:])
            for name in (n.strip().strip("`") for n in cells[0].split(",")):
                if "<" in name:
                    current["patterns"].append(("^" + re.sub(r"<[^>]+>", ".+", re.escape(name).replace(r"\<", "<")
                                                              .replace(r"\>", ">")) + "$", typ, meaning))
                elif name:
                    current["columns"][name] = {"type": typ, "description": meaning}
        elif line.strip() and not current["columns"]:
            current["description"].append(line.strip())  # the prose before the table
    for s in sections.values():
        s["description"] = " ".join(s["description"])
    return sections


_OVERVIEW_ROW = re.compile(r"^\|\s*(`[^|]+`)\s*\|\s*(.+?)\s*\|\s*$")


def file_titles(text: str) -> dict[str, str]:
    """One line per file from the overview table at the top of data/README.md (``| `file` | what |``)."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        m = _OVERVIEW_ROW.match(line)
        if m:
            for name in re.findall(r"`([^`]+)`", m.group(1)):
                out.setdefault(name, m.group(2))
    return out


def documented(readme: Mapping[str, dict], file: str, column: str) -> dict | None:
    """The README entry of one column of one file (exact name first, then a ``<…>`` pattern)."""
    entry = readme.get(file) or (readme.get("geo/*.geojson") if file.startswith("geo/") else None)
    if not entry:
        return None
    if column in entry["columns"]:
        return entry["columns"][column]
    for pattern, typ, meaning in entry["patterns"]:
        if re.match(pattern, column):
            return {"type": typ, "description": meaning}
    return None


def field_type(arrow_type: str) -> str:
    """Frictionless field type of a parquet (Arrow) column type."""
    t = arrow_type.lower()
    if t.startswith(("list", "large_list", "fixed_size_list")):
        return "array"
    if t.startswith(("int", "uint")):
        return "integer"
    if t.startswith(("float", "double", "decimal")):
        return "number"
    if t.startswith("bool"):
        return "boolean"
    if t.startswith(("date32", "date64")):
        return "date"
    return "string"


def provenance(key: str, manifest: Mapping) -> dict:
    """Sources and licences of one file (``key``: table name or ``geo/<name>``), from manifest.json."""
    groups = TABLE_SOURCES.get(key, ("ssb", "kartverket", "documents"))
    sources, licences = [], []
    for s in manifest.get("sources") or []:
        if not isinstance(s, dict):
            continue
        group = "kartverket" if "Kartverket" in str(s.get("publisher", "")) else "ssb"
        if group in groups:
            entry = {"title": f"{s.get('publisher')}: {s.get('name')}"}
            if s.get("url"):
                entry["path"] = s["url"]
            sources.append(entry)
            lic = {"name": s.get("licence"), "title": s.get("licence")}
            if s.get("licence") in LICENCE_URLS:
                lic["path"] = LICENCE_URLS[s["licence"]]
            lic["credit"] = s.get("credit") or str(s.get("publisher"))
            if lic not in licences:
                licences.append(lic)
    if "documents" in groups:
        for d in (manifest.get("seeds") or {}).get("documents") or []:
            sources.append({"title": d.get("title")})
            lic = {"name": "public-document", "title": d.get("licence"), "credit": d.get("publisher")}
            if lic not in licences:
                licences.append(lic)
    return {"sources": sources, "licenses": licences}


def table_dictionary(name: str, arrow_schema: Sequence[tuple[str, str]], readme: Mapping[str, dict],
                     manifest: Mapping, *, rows: int, path: str) -> dict:
    """The data dictionary of one table (a Frictionless data resource with its Table Schema).

    ``arrow_schema``: (column, parquet type) pairs of the parquet file. Every column gets its type from the
    file and its meaning from data/README.md (``description`` empty only if the README lacks it).
    """
    entry = readme.get(f"{name}.parquet") or {}
    fields = []
    for col, arrow in arrow_schema:
        doc = documented(readme, f"{name}.parquet", col) or {}
        f = {"name": col, "type": field_type(arrow), "description": doc.get("description", ""),
             "parquetType": arrow}
        if doc.get("type"):
            f["documentedType"] = doc["type"]
        if f["type"] == "array":
            f["format"] = "JSON array in the CSV cell"
        fields.append(f)
    return {"profile": "tabular-data-resource", "name": name, "title": entry.get("title", f"{name}.parquet"),
            "description": entry.get("description", ""), "path": path, "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", "dialect": CSV_DIALECT, "rows": int(rows),
            "schema": {"fields": fields, "missingValues": [""]}, **provenance(name, manifest),
            "credit": CREDIT, "documentation": f"{PREFIX}/README.md"}


def geo_dictionary(name: str, properties: Sequence[str], readme: Mapping[str, dict], manifest: Mapping, *,
                   features: int, path: str) -> dict:
    """The dictionary of one GeoJSON file's feature properties."""
    entry = readme.get("geo/*.geojson") or {}
    fields = [{"name": p, "type": "string", "description": (documented(readme, f"geo/{name}.geojson", p) or {})
               .get("description", "")} for p in properties]
    return {"profile": "data-resource", "name": f"geo/{name}", "title": f"geo/{name}.geojson",
            "description": entry.get("description", ""), "path": path, "format": "geojson",
            "mediatype": "application/geo+json", "encoding": "utf-8", "features": int(features),
            "crs": "EPSG:4326 (WGS84 lon/lat)",
            "winding": "exterior rings clockwise (d3-geo / plotly), the opposite of RFC 7946",
            "schema": {"fields": fields}, **provenance(f"geo/{name}", manifest), "credit": CREDIT,
            "documentation": f"{PREFIX}/README.md"}


# -------------------------------------------------------------------------------------------- JSON-stat
def indicator_collection(indicator_id: str, label: str, datasets: Sequence[dict], updated: _dt.date) -> dict:
    """JSON-stat 2.0 collection of one indicator's datasets (one per level), embedded."""
    sources = list(dict.fromkeys(d.get("source", "") for d in datasets if d.get("source")))
    return {"version": "2.0", "class": "collection", "label": label, "updated": updated.isoformat(),
            "source": "; ".join(sources),
            "link": {"item": list(datasets)},
            "extension": {"indicator": indicator_id, "url": f"{PREFIX}/indikator/{indicator_id}.json",
                          "levels": [d["extension"]["level"] for d in datasets], "credit": CREDIT}}


def json_bytes(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def pretty_json_bytes(obj) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=1, allow_nan=False) + "\n").encode("utf-8")


# ----------------------------------------------------------------------------------- texts and checksums
def licence_text(manifest: Mapping) -> str:
    """LICENSE.txt: every source, its licence and the credit to give."""
    lines = ["Omsorgsatlas data downloads - licences", "=" * 40, "",
             "The figures keep the licences of their sources. Credit the source(s) of the files you use,",
             "as below, and name Omsorgsatlas as the compiler. Each <name>.schema.json lists the sources",
             "and licences of that file.", ""]
    for s in manifest.get("sources") or []:
        if isinstance(s, dict):
            lic = s.get("licence", "")
            lines += [f"* {s.get('publisher')}: {s.get('name')}",
                      f"  Licence: {lic}" + (f" ({LICENCE_URLS[lic]})" if lic in LICENCE_URLS else ""),
                      f"  Credit: {s.get('credit') or s.get('publisher')}"
                      + (f", {s['url']}" if s.get("url") else ""),
                      f"  Used for: {', '.join(s.get('used_for') or [])}", ""]
    docs = (manifest.get("seeds") or {}).get("documents") or []
    if docs:
        lines += ["* Figures from public policy documents (indicators with origin 'document'/'derived',",
                  "  seed_areas, measures): published documents, figures reproduced with a source reference;",
                  "  no other licence is stated by the publishers.", ""]
        lines += [f"  - {d.get('title')} - {d.get('licence')}" for d in docs] + [""]
    lines += ["* Map geometry (geo/*.geojson) and neighbours: based on Kartverket, Administrative enheter",
              "  (kommuner og fylker 2024), CC BY 4.0, credit '(c) Kartverket'.", ""]
    return "\n".join(lines)


def readme_text(files: Mapping[str, int], *, data_version: str, date: _dt.date, base_url: str = PREFIX) -> str:
    """README.txt of the bulk download: what each file is, the CSV convention, checksums, stable URLs."""
    lines = ["Omsorgsatlas - data downloads", "=" * 29, "",
             f"Data version {data_version}, written {date.isoformat()}. All figures on the 2024 borders",
             "(15 counties, 357 municipalities). Codes are strings: country 'NO', counties '03', municipalities",
             "'0301'. A missing row or an empty cell is a gap in the source, never an estimate.", "",
             f"Stable URLs: {base_url}/<file> for every file below (the zip holds the same paths).", "",
             "Files", "-----",
             "<table>.csv          one table of the app's data (see <table>.schema.json and README.md)",
             "<table>.schema.json  data dictionary: columns, types, meaning, sources, licences",
             "geo/<name>.geojson   map geometry (WGS84; exterior rings clockwise for d3-geo/plotly)",
             "indikator/<id>.json  JSON-stat 2.0 collection per indicator, one dataset per level",
             "README.md            the full schema documentation of the data folder",
             "manifest.json        the build report (sources, row counts, harmonisation, geometry checks)",
             "LICENSE.txt          sources, licences and the credit to give",
             "SHA256SUMS           sha256 of every file; check with: sha256sum -c SHA256SUMS", "",
             "CSV: comma-separated, '.' decimal point, UTF-8 without BOM, header row, LF line ends,",
             "RFC 4180 quoting, empty field = missing, lists as JSON arrays, numbers unrounded.",
             "(The chart downloads in the app use the Norwegian spreadsheet form: ';', decimal comma, BOM.)", "",
             f"{len(files)} files, {sum(files.values()):,} bytes before zipping.", ""]
    return "\n".join(lines)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256sums(files: Mapping[str, bytes]) -> bytes:
    """``sha256sum`` format (two spaces, text mode), sorted by path."""
    return "".join(f"{sha256(files[p])}  {p}\n" for p in sorted(files)).encode("utf-8")


def zip_bytes(files: Mapping[str, bytes], date: _dt.date) -> bytes:
    """A deterministic zip (sorted members, fixed timestamps, deflate): same data, same bytes, same sha256."""
    buf = io.BytesIO()
    stamp = (max(date.year, 1980), date.month, date.day, 0, 0, 0)
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for path in sorted(files):
            info = zipfile.ZipInfo(path, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, files[path], compresslevel=6)
    return buf.getvalue()


def media_type(path: str) -> str:
    if path == SUMS_NAME:
        return MEDIA_TYPES[""]
    for ext in (".geojson", ".csv", ".json", ".txt", ".zip", ".md"):
        if path.endswith(ext):
            return MEDIA_TYPES[ext]
    return "application/octet-stream"


# ------------------------------------------------------------------------------------------------ page
def format_size(n: int) -> str:
    """Bytes as «12,3 MB» / «850 kB» (decimal units, Norwegian or English separators via format_number)."""
    if n >= 1_000_000:
        return f"{format_number(n / 1_000_000, 1)} MB"
    if n >= 1000:
        return f"{format_number(n / 1000, 0)} kB"
    return f"{format_number(n, 0)} B"


def _link(path: str, text: str | None = None):
    return html.A(text or path, href=f"{PREFIX}/{path}", download=path.rsplit("/", 1)[-1])


KIND_TEXT = {"csv": "CSV", "schema": N_("JSON (dataordbok)"), "geojson": "GeoJSON", "jsonstat": "JSON-stat 2.0",
             "zip": "ZIP", "text": N_("Tekst"), "json": "JSON"}


def _kind(kind: str) -> str:
    text = KIND_TEXT[kind]
    return _(text)


def section(entries: Sequence[Mapping], *, titles: Mapping[str, str] | None = None,
            table_id: str = "downloads-table") -> list:
    """The «Last ned data» table and the JSON-stat list from the download index (``entries``: dicts with
    path, kind, bytes, rows, title, schema; ``titles``: path -> title in the page's language, e.g. the
    indicator names). Accessible: a captioned table with column and row headers."""
    titles = titles or {}
    entries = [{**e, "title": titles.get(e["path"], e.get("title"))} for e in entries]
    by_path = {e["path"]: e for e in entries}
    zip_entry = by_path.get(ZIP_NAME)
    tables = [e for e in entries if e["kind"] in ("csv", "geojson")]
    rows = []
    if zip_entry:
        rows.append([html.Th(_link(ZIP_NAME), scope="row"), _("Alle filene under i én fil"), "ZIP",
                     format_size(zip_entry["bytes"]), ""])
    for e in tables:
        schema = by_path.get(e["schema"]) if e.get("schema") else None
        rows.append([html.Th(_link(e["path"]), scope="row"),
                     html.Span(e.get("title") or "", lang="en"),  # from data/README.md, which is in English
                     _kind(e["kind"]), format_size(e["bytes"]),
                     _link(schema["path"], _("dataordbok")) if schema else ""])
    for path, text in ((SUMS_NAME, _("Sjekksummer (sha256) for alle filene")),
                       ("LICENSE.txt", _("Kilder, lisenser og kreditering")),
                       ("README.txt", _("Hva filene er, og CSV-formatet")),
                       (INDEX_NAME, _("Maskinlesbar liste over alle filene med størrelse og sjekksum"))):
        e = by_path.get(path)
        if e:
            rows.append([html.Th(_link(path), scope="row"), text, _kind(e["kind"]), format_size(e["bytes"]), ""])
    headers = [_("Fil"), _("Innhold"), _("Filformat"), _("Størrelse"), _("Dataordbok")]
    body = []
    for r in rows:
        body.append(html.Tr([r[0]] + [html.Td(c, className="num") if i == 2 else html.Td(c)
                                      for i, c in enumerate(r[1:], start=1)]))
    caption = _("Filer til nedlasting (stabile adresser under {prefix}/)").format(prefix=PREFIX)
    table = html.Table([html.Caption(caption),
                        html.Thead(html.Tr([html.Th(h, scope="col", **({"className": "num"} if i == 3 else {}))
                                            for i, h in enumerate(headers)])),
                        html.Tbody(body)], className="table table-sm data-table", id=table_id)
    indicators = [e for e in entries if e["kind"] == "jsonstat"]
    children: list[Any] = [html.Div(table, className="table-scroll wide", tabIndex="0", role="region",
                                    **{"aria-labelledby": "downloads-heading"})]
    if indicators:
        total = sum(e["bytes"] for e in indicators)
        children.append(html.Details([
            html.Summary(_("JSON-stat 2.0 for hver av de {n} indikatorene ({size} i alt)").format(
                n=len(indicators), size=format_size(total))),
            html.Ul([html.Li([_link(e["path"]), f" – {e.get('title') or ''} ({format_size(e['bytes'])})"])
                     for e in indicators], className="small downloads-indicators", id="downloads-indicators"),
        ]))
    return children


def intro() -> list:
    """The text above the table: formats, licences, stable addresses."""
    return [
        html.P(_("Alle tabellene appen bygger på kan lastes ned, slik SSB og Kolada tilbyr: én CSV-fil per tabell, "
                 "kartgeometrien som GeoJSON, JSON-stat 2.0 per indikator og alt samlet i én zip-fil. Hver fil har "
                 "en dataordbok (kolonner, typer og betydning), lisens og sjekksum, og en fast adresse.")),
        html.P(_("CSV-filene er laget for programmer: komma som skilletegn, punktum som desimaltegn, UTF-8 uten "
                 "BOM, tomt felt for manglende verdi og lister som JSON. Vil du åpne tall i Excel, bruk "
                 "nedlastingen under hver figur (semikolon og desimalkomma)."), className="small"),
        html.P(_("Kilder og lisenser: befolkningstallene er fra Statistisk sentralbyrå (SSB), NLOD 2.0; "
                 "kartgeometrien og nabotabellen bygger på Kartverket, CC BY 4.0 (© Kartverket); tall fra "
                 "offentlige dokumenter er gjengitt med kildehenvisning. Oppgi kilden når du bruker tallene."),
               className="small"),
    ]


def placeholder() -> html.P:
    return html.P(_("Lager fillisten …"), className="small text-muted", role="status")


def unavailable() -> html.P:
    return html.P(_("Fillisten kunne ikke lages akkurat nå. Prøv igjen senere."), role="status")
