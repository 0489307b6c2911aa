"""Read side of «Personell og kompetanse» and «Tiltak og tilskudd». No Dash imports.

Everything the two pages show comes from the catalogue's data, never from id patterns:

* a **breakdown** is a catalogue ``series`` (e.g. ``kl_arsverk_omsorg_yrke``); its **parts** are the
  indicators of the series other than its ``total_id``; a part's **group label** is built from the
  catalogue's dimension columns (occupation, field, contract, target group, age group, need level,
  education) that vary between the parts. A new indicator row with a new occupation in an existing series
  therefore shows up as a new group, and a new series shows up as a new breakdown, without code changes.
* **levels**: the figures from the policy documents are national (``country``); where the store holds
  county or municipality values (after an online build) ``levels_with_data`` says so.
* ``seed_areas.parquet`` (areas of their own year: counties 2016, statsforvalter areas 2021) and
  ``measures.parquet`` are read lazily and cached per data version, like store/demography.py.
"""

from __future__ import annotations

import math
import threading
from typing import Iterable

import pandas as pd

import store
from store.errors import QueryError, StoreError
from store._memo import OncePerKey

DIMENSIONS = ("occupation", "field", "contract", "target_group", "age_group", "need_level", "education")
DIMENSION_NB = {
    "occupation": "yrkesgruppe", "field": "område", "contract": "avtaleform", "target_group": "målgruppe",
    "age_group": "aldersgruppe", "need_level": "bistandsbehov", "education": "utdanning",
}
DOCUMENT_ORIGINS = ("document", "derived")
LEVEL_NB = {"country": "nasjonalt", "county": "fylke", "municipality": "kommune"}
SEED_AREAS_FILE = "seed_areas.parquet"
MEASURES_FILE = "measures.parquet"
AREA_KIND_NB = {"county_2016": "fylker i 2016", "statsforvalter_2021": "statsforvalterområder i 2021"}

_CACHE: OncePerKey[pd.DataFrame] = OncePerKey()
_LOCK = threading.Lock()


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and math.isnan(v):
        return ""
    try:
        if pd.isna(v):
            return ""
    except (TypeError, ValueError):
        pass
    return str(v)


# ------------------------------------------------------------------------------------------ catalogue
_MEMO: dict[tuple, object] = {}


def _memo(key: tuple, fn):
    """Per-data-version memo of pure catalogue computations (returns copies of DataFrames)."""
    k = (store.version(), *key)
    got = _MEMO.get(k)
    if got is None:
        got = fn()
        if len(_MEMO) > 256:
            _MEMO.clear()
        _MEMO[k] = got
    return got.copy() if isinstance(got, pd.DataFrame) else got


def document_catalog(service_area: str | None = None) -> pd.DataFrame:
    """Catalogue rows of the policy-document figures (origin document/derived), in display order."""
    return _memo(("document_catalog", service_area), lambda: _document_catalog(service_area))


def _document_catalog(service_area: str | None) -> pd.DataFrame:
    cat = store.catalog()
    cat = cat[cat["origin"].isin(DOCUMENT_ORIGINS)] if "origin" in cat.columns else cat.iloc[0:0]
    if service_area:
        cat = cat[cat["service_areas"].map(lambda xs: service_area in xs)]
    for col in DIMENSIONS + ("series", "series_name_nb", "total_id", "document", "publisher", "table_ref",
                             "area_kind"):
        if col not in cat.columns:
            cat[col] = ""
        cat[col] = cat[col].map(_text)
    return cat


def series_parts(series: str) -> pd.DataFrame:
    """The parts of a breakdown (catalogue rows of the series, without its total), with ``group``:
    the label built from the dimension columns that vary between the parts (else the name).
    Raises QueryError for an unknown series."""
    if not isinstance(series, str):
        raise QueryError(f"ukjent fordeling: {series!r}")
    got = _memo(("series_parts", series), lambda: _series_parts(series))
    if isinstance(got, QueryError):
        raise got
    return got


def _series_parts(series: str):
    cat = document_catalog()
    rows = cat[cat["series"] == series]
    if rows.empty:
        return QueryError(f"ukjent fordeling: {series!r}")
    total = _text(rows["total_id"].iloc[0])
    parts = rows[rows["id"] != total].copy() if total else rows.copy()
    if parts.empty:
        parts = rows.copy()
    varying = [d for d in DIMENSIONS if parts[d].nunique() > 1]
    if not varying:
        varying = [d for d in DIMENSIONS if (parts[d] != "").any()]

    def label(r) -> str:
        vals = [r[d] for d in varying if r[d]]
        if vals:
            text = " – ".join(vals)
            return text[:1].upper() + text[1:]
        name = str(r["name_nb"])
        prefix = _text(r.get("series_name_nb"))
        if prefix and name.startswith(prefix + ": "):
            name = name[len(prefix) + 2:]
        return name

    # sub-totals printed among the parts (e.g. «bestått» over all candidate kinds) have fewer of the varying
    # dimensions filled in than the finest parts: leave them out so the parts add up
    depth = parts[varying].ne("").sum(axis=1) if varying else pd.Series(0, index=parts.index)
    if len(parts) and depth.max() > 0:
        parts = parts[depth == depth.max()].copy()
    parts["group"] = [label(r) for _, r in parts.iterrows()]
    parts["dimensions"] = [varying] * len(parts)
    return parts


def breakdowns(service_area: str | None = None) -> pd.DataFrame:
    """One row per breakdown (series) whose parts share one unit. Columns: series, name, dimension (the
    varying dimension columns, joined by ``+``), dimension_nb, unit, unit_nb, decimals, n_groups, years,
    total_id, service_areas. ``service_area`` keeps breakdowns with at least one part in that area."""
    return _memo(("breakdowns", service_area), lambda: _breakdowns(service_area))


def _breakdowns(service_area: str | None) -> pd.DataFrame:
    cat = document_catalog()
    out = []
    for series, rows in cat[cat["series"] != ""].groupby("series", sort=False):
        parts = series_parts(series)
        if parts["unit"].nunique() != 1:
            continue  # mixed units (e.g. a count and a share): shown as separate indicators, not as parts
        areas = sorted({a for xs in parts["service_areas"] for a in xs})
        if service_area and service_area not in areas:
            continue
        dims = list(parts["dimensions"].iloc[0])
        years = sorted({int(y) for ys in parts["years"] for y in ys})
        out.append({
            "series": series, "name": _text(rows["series_name_nb"].iloc[0]) or series,
            "dimension": "+".join(dims), "dimension_nb": " og ".join(DIMENSION_NB[d] for d in dims),
            "unit": str(parts["unit"].iloc[0]), "unit_nb": _text(parts["unit_nb"].iloc[0]),
            "decimals": int(parts["decimals"].max()), "n_groups": int(parts["group"].nunique()),
            "years": years, "total_id": _text(rows["total_id"].iloc[0]), "service_areas": areas,
            "sort_order": int(rows["sort_order"].min()),
        })
    cols = ["series", "name", "dimension", "dimension_nb", "unit", "unit_nb", "decimals", "n_groups", "years",
            "total_id", "service_areas", "sort_order"]
    frame = pd.DataFrame(out, columns=cols)
    return frame.sort_values("sort_order", kind="stable").reset_index(drop=True)


def levels_with_data(indicator_ids: Iterable[str]) -> list[str]:
    """Levels (country/county/municipality) where at least one of the indicators has values."""
    ids = [i for i in indicator_ids if store.indicator(i)]
    return [lvl for lvl in store.LEVELS if any(store.years(i, lvl) for i in ids)]


def has_municipality_data(service_area: str | None = None) -> bool:
    """Whether any personnel/competence indicator (of the area) has municipality values (online build)."""
    cat = store.indicators_for(service_area)
    cat = cat[~cat["origin"].isin(("ssb", "projection"))] if "origin" in cat.columns else cat
    return any(store.years(str(i), "municipality") for i in cat.index)


# ------------------------------------------------------------------------------------------ values
def _national(indicator_id: str) -> pd.DataFrame:
    s = store.series(indicator_id, ["NO"])
    return s[s["value"].notna()][["year", "value"]]


def breakdown_values(series: str, year: int | None = None) -> pd.DataFrame:
    """National values of a breakdown's parts (long form, display order of the catalogue).

    Columns: indicator_id, group, year, value, unit, decimals. ``year`` keeps one year."""
    parts = series_parts(series)
    frames = []
    for r in parts.itertuples():
        v = _national(r.id)
        if year is not None:
            v = v[v["year"] == int(year)]
        if v.empty:
            continue
        v = v.assign(indicator_id=r.id, group=r.group, unit=r.unit, decimals=int(r.decimals))
        frames.append(v)
    cols = ["indicator_id", "group", "year", "value", "unit", "decimals"]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c == "value" else "object") for c in cols})
    out = pd.concat(frames, ignore_index=True)[cols]
    out["year"] = out["year"].astype(int)
    return out


def indicator_values(indicator_ids: Iterable[str]) -> pd.DataFrame:
    """National values of several indicators (long: indicator_id, name, year, value). Unknown ids skipped."""
    frames = []
    for i in indicator_ids:
        ind = store.indicator(i)
        if not ind:
            continue
        v = _national(i)
        if v.empty:
            continue
        frames.append(v.assign(indicator_id=i, name=ind["name_nb"]))
    if not frames:
        return pd.DataFrame({"indicator_id": pd.Series(dtype="object"), "name": pd.Series(dtype="object"),
                             "year": pd.Series(dtype="int64"), "value": pd.Series(dtype="float64")})
    out = pd.concat(frames, ignore_index=True)[["indicator_id", "name", "year", "value"]]
    out["year"] = out["year"].astype(int)
    return out


def latest_value(indicator_id: str, year: int | None = None) -> tuple[int, float] | None:
    """(year, value) nationally: the given year if it has a value, else the latest year up to it, else the
    latest year at all. None when there is no value."""
    v = _national(indicator_id) if store.indicator(indicator_id) else pd.DataFrame()
    if v.empty:
        return None
    if year is not None:
        upto = v[v["year"] <= int(year)]
        if not upto.empty:
            r = upto.iloc[-1]
            return int(r["year"]), float(r["value"])
    r = v.iloc[-1]
    return int(r["year"]), float(r["value"])


# ------------------------------------------------------------------------------------------ provenance
def source_groups(indicator_ids: Iterable[str], *, short: bool = False) -> list[tuple[str, str, str]]:
    """The sources of the indicators, one per document, in order: (kind, text, tables) with kind ``derived``
    (computed by Omsorgsatlas: text empty, the UI names it), ``doc`` («publisher, document (year)»; ``short``
    names the document by its code only) or ``other`` (the publisher); tables of the same document joined
    by «, ». components/personnel.source_lines turns these into the UI's source lines."""
    order: list[tuple] = []
    tables: dict[tuple, list[str]] = {}
    for i in indicator_ids:
        ind = store.indicator(i)
        if not ind:
            continue
        doc = _text(ind.get("document"))
        table = _text(ind.get("table_ref")).split(";")[0].strip()
        if ind.get("origin") == "derived":
            key = ("derived", "", "", "")
        elif doc:
            key = ("doc", _text(ind.get("publisher")), doc, _text(ind.get("publication_year")))
        else:
            key = ("other", _text(ind.get("source")), "", "")
        if key not in tables:
            order.append(key)
            tables[key] = []
        if table and table not in tables[key]:
            tables[key].append(table)
    out = []
    for key in order:
        kind, publisher, doc, pyear = key
        tabs = ", ".join(tables[key])
        if kind == "derived":
            out.append(("derived", "", tabs))
        elif kind == "doc":
            name = (DOCUMENT_SHORT if short else DOCUMENT_NB).get(doc, doc)
            out.append(("doc", ", ".join(x for x in (publisher, name) if x)
                        + (f" ({pyear})" if pyear and pyear not in name else ""), tabs))
        elif publisher:
            out.append(("other", publisher, ""))
    return out


DOCUMENT_SHORT = {"IS-2684": "IS-2684", "K2025": "Kompetanseløft 2025", "MeldSt26": "Meld. St. 26 (2014–2015)",
                  "O2020-2019": "Omsorg 2020 årsrapport 2019"}
DOCUMENT_NB = {
    "IS-2684": "IS-2684 Kompetanse og personell i helse- og omsorgstjenesten i kommunene",
    "K2025": "Kompetanseløft 2025, vedlegg om tiltak",
    "MeldSt26": "Meld. St. 26 (2014–2015)",
    "O2020-2019": "Omsorg 2020, årsrapport 2019",
}


def notes_for(indicator_ids: Iterable[str]) -> list[tuple[str, str]]:
    """(indicator name, note) for the indicators that have catalogue notes; identical notes once."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for i in indicator_ids:
        ind = store.indicator(i)
        note = _text(ind.get("notes")) if ind else ""
        if note and note not in seen:
            seen.add(note)
            out.append((str(ind["name_nb"]), note))
    return out


def licences(indicator_ids: Iterable[str]) -> list[str]:
    out: list[str] = []
    for i in indicator_ids:
        ind = store.indicator(i)
        lic = _text(ind.get("licence")) if ind else ""
        if lic and lic not in out:
            out.append(lic)
    return out


# ------------------------------------------------------------------------------------------ lazy files
def _read(name: str) -> pd.DataFrame:
    data = store.init()
    return _CACHE.get((data.version, name), lambda: _read_parquet(data.data_dir / name))


def _read_parquet(path) -> pd.DataFrame:
    if not path.is_file():
        raise StoreError("filen mangler (kjør `python -m pipeline build`)", path)
    try:
        return pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises many kinds
        raise StoreError(f"kan ikke leses som parquet ({type(exc).__name__}: {exc})", path) from None


def reset() -> None:
    _CACHE.clear()
    with _LOCK:
        _MEMO.clear()


def _as_list(v) -> list[str]:
    if v is None:
        return []
    if isinstance(v, float) and math.isnan(v):
        return []
    try:
        return [str(x) for x in list(v)]
    except TypeError:
        return [str(v)]


# ------------------------------------------------------------------------------------------ seed areas
def area_values(indicator_id: str, year: int | None = None) -> pd.DataFrame:
    """Values of an indicator on the areas of their own year (seed_areas.parquet), in the document's order.

    Columns: area_kind, area_code, area_name, year, value, unit, numerator, denominator, counties_2024 (list
    of codes), counties_2024_names (list of 2024 county names), county_2024, table_ref, note."""
    sa = _read(SEED_AREAS_FILE)
    out = sa[sa["indicator_id"] == indicator_id]
    if year is not None:
        out = out[out["year"] == int(year)]
    out = out.copy()
    out["counties_2024"] = out["counties_2024"].map(_as_list)
    out["counties_2024_names"] = out["counties_2024"].map(
        lambda cs: [(store.region(c) or {}).get("name", c) for c in cs])
    for col in ("county_2024", "note", "table_ref", "area_name", "area_code"):
        out[col] = out[col].map(_text)
    return out.drop(columns=[c for c in ("source_line",) if c in out.columns]).reset_index(drop=True)


def area_indicators(area_kind: str | None = None) -> list[str]:
    """Indicator ids that have area values (optionally of one kind), in catalogue order."""
    sa = _read(SEED_AREAS_FILE)
    if area_kind:
        sa = sa[sa["area_kind"] == area_kind]
    present = set(sa["indicator_id"])
    cat = store.catalog()
    return [i for i in cat.index if i in present]


def area_table(indicator_ids: Iterable[str], year: int | None = None) -> pd.DataFrame:
    """Several area indicators side by side: one row per area (document order), one column per indicator
    id (values), plus area_name, area_code, counties_2024_names, note (joined notes)."""
    ids = list(indicator_ids)
    base = None
    for i in ids:
        v = area_values(i, year)
        if v.empty:
            continue
        v = v.rename(columns={"value": i})
        if base is None:
            base = v[["area_kind", "area_code", "area_name", "year", "counties_2024", "counties_2024_names",
                      "county_2024", "note", i]].copy()
        else:
            base = base.merge(v[["area_code", "year", i, "note"]].rename(columns={"note": "_n"}),
                              on=["area_code", "year"], how="outer")
            base["note"] = [a if a else b for a, b in zip(base["note"].map(_text), base.pop("_n").map(_text))]
    if base is None:
        return pd.DataFrame(columns=["area_kind", "area_code", "area_name", "year", "counties_2024",
                                     "counties_2024_names", "county_2024", "note", *ids])
    for i in ids:
        if i not in base.columns:
            base[i] = float("nan")
    return base.reset_index(drop=True)


# ------------------------------------------------------------------------------------------ measures
MEASURE_TEXT_COLUMNS = ("measure_id", "number", "ordningsnr", "title_nb", "title_en", "budget_chapter_post",
                        "target_group", "purpose", "responsible", "measure_type", "amount_text",
                        "result_reported", "goal_attainment", "also_listed_as", "related_measure",
                        "status_note", "document", "source", "source_table", "source_lines", "notes")
PLAN_NB = {"K2025": "Kompetanseløft 2025", "KL2020": "Kompetanseløft 2020"}


def measures() -> pd.DataFrame:
    """All measures in sort order (list columns as Python lists, text columns without nulls)."""
    m = _read(MEASURES_FILE).copy()
    for col in ("strategy_areas", "strategy_area_names", "budget_chapters"):
        if col in m.columns:
            m[col] = m[col].map(_as_list)
    for col in MEASURE_TEXT_COLUMNS + ("plan",):
        if col in m.columns:
            m[col] = m[col].map(_text)
    return m.sort_values("sort_order", kind="stable").reset_index(drop=True)


def measure(measure_id) -> dict | None:
    """One measure as a dict, or None for unknown ids (any type)."""
    if not isinstance(measure_id, str) or not measure_id:
        return None
    m = measures()
    hit = m[m["measure_id"] == measure_id]
    return None if hit.empty else hit.iloc[0].to_dict()


def strategy_areas() -> pd.DataFrame:
    """The strategy areas: code, name, plan (K2025 SO1–SO4, KL2020 S1–S6), in plan then code order."""
    rows = {}
    for r in measures().itertuples():
        for code, name in zip(r.strategy_areas, r.strategy_area_names):
            rows.setdefault((r.plan, code), name)
    out = pd.DataFrame([{"plan": p, "code": c, "name": n} for (p, c), n in rows.items()],
                       columns=["plan", "code", "name"])
    order = {p: i for i, p in enumerate(PLAN_NB)}
    out["_o"] = out["plan"].map(lambda p: order.get(p, 99))
    return out.sort_values(["_o", "code"]).drop(columns="_o").reset_index(drop=True)


def budget_chapters() -> list[str]:
    return sorted({c for cs in measures()["budget_chapters"] for c in cs})


def goal_attainment_values() -> list[str]:
    return sorted({v for v in measures()["goal_attainment"] if v})


_SEARCH_COLUMNS = ("measure_id", "number", "ordningsnr", "title_nb", "title_en", "target_group", "purpose",
                   "responsible", "measure_type", "amount_text", "result_reported", "goal_attainment",
                   "budget_chapter_post", "notes", "related_measure", "also_listed_as")


def filter_measures(query: str | None = None, plans: Iterable[str] | None = None,
                    strategies: Iterable[str] | None = None, chapters: Iterable[str] | None = None,
                    with_result: bool | None = None) -> pd.DataFrame:
    """Measures matching all filters. ``query``: every whitespace-separated word must occur
    (case-insensitive) in the measure's text fields or strategy names. ``plans``/``strategies``/``chapters``:
    any of (None or empty = no filter). ``with_result``: True = only measures with a reported result."""
    m = measures()
    if plans:
        m = m[m["plan"].isin(list(plans))]
    if strategies:
        wanted = set(strategies)
        m = m[m["strategy_areas"].map(lambda xs: bool(wanted & set(xs)))]
    if chapters:
        wanted_c = set(chapters)
        m = m[m["budget_chapters"].map(lambda xs: bool(wanted_c & set(xs)))]
    if with_result:
        m = m[m["result_reported"] != ""]
    words = [w.casefold() for w in str(query or "").split() if w.strip()][:20]
    if words:
        hay = m.apply(lambda r: " ".join([*(r[c] for c in _SEARCH_COLUMNS if c in r),
                                          *r["strategy_area_names"], *r["strategy_areas"]]).casefold(), axis=1)
        mask = pd.Series(True, index=m.index)
        for w in words:
            mask &= hay.str.contains(w, regex=False)
        m = m[mask]
    return m.reset_index(drop=True)
