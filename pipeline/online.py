"""The online build: SSB tables declared in pipeline/ssb_tables.toml -> indicator rows on 2024 borders,
catalogue rows and (for the projection table) the ``ssb_mmm`` projection variant.

Two steps, so that a build without a network fails before anything is built or written:
1. ``fetch_all`` (called by build() before the temporary folder is made): for every declared table, the
   metadata check and the data, batched, from the cache or the API (pipeline/ssb_api.py).
2. ``apply`` (called inside the build, after the population is harmonised): numerators and denominators are
   taken to 2024 borders with the population harmoniser's own code mapping and split rule
   (pipeline/harmonise.py): merges are sums; a split municipality's count is apportioned by the population in
   ``split_ages`` of the receiving 2024 municipalities in the first year after the split. Rates are always
   recomputed from the harmonised numerator and denominator, never averaged. County and country are sums of
   municipality numerators and denominators, only for years in which every municipality of the area has one.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import ssb_api as api
from .errors import PipelineError
from .harmonise import NOTE_HARMONISATION, Harmoniser
from .indicators import sort_levels

DEFAULT_CONFIG = Path(__file__).with_name("ssb_tables.toml")
MUNI_RE = re.compile(r"^(?:K-)?(\d{4})$")
STATBANK_URL = "https://www.ssb.no/statbank/table/{id}"


@dataclass
class OnlineOptions:
    config: Path = DEFAULT_CONFIG
    cache_dir: Path = api.DEFAULT_CACHE
    cache_only: bool = False
    refresh: bool = False
    client: api.SSBClient | None = None   # tests inject one with a fake transport


@dataclass
class FetchedTable:
    cfg: dict
    meta: dict
    frame: pd.DataFrame
    batches: int
    fetched: list[str]


@dataclass
class Fetched:
    config: dict
    tables: list[FetchedTable]
    requests_made: int
    cache_hits: int
    base_url: str


def load_config(path: Path) -> dict:
    try:
        cfg = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PipelineError(f"kan ikke lese SSB-konfigurasjonen ({exc})", path) from exc
    tables = cfg.get("table") or []
    if not tables:
        raise PipelineError("ingen tabeller deklarert", path)
    ids = set()
    for t in tables:
        for key in ("id", "title", "verified", "region_variable", "time_variable", "select"):
            if key not in t:
                raise PipelineError(f"tabell {t.get('id', '?')}: mangler «{key}»", path)
        if t["region_variable"] not in t["select"] or t["time_variable"] not in t["select"]:
            raise PipelineError(f"tabell {t['id']}: region- og tidsvariabelen må være valgt", path)
        for ind in t.get("indicator", []):
            if ind["id"] in ids:
                raise PipelineError(f"indikator-id {ind['id']} er deklarert to ganger", path)
            ids.add(ind["id"])
    return cfg


def make_client(opts: OnlineOptions, cfg: dict) -> api.SSBClient:
    if opts.client is not None:
        return opts.client
    a = cfg.get("api", {})
    return api.SSBClient(base_url=a.get("base_url", api.DEFAULT_BASE), lang=a.get("lang", "no"),
                         cache_dir=Path(opts.cache_dir), limits=api.Limits.from_config(a),
                         cache_only=opts.cache_only, refresh=opts.refresh)


def fetch_all(opts: OnlineOptions, log=print) -> Fetched:
    """Metadata check + data for every declared table. Raises NoNetwork/SSBError before anything is built."""
    cfg = load_config(opts.config)
    client = make_client(opts, cfg)
    out = []
    for t in cfg["table"]:
        state = "verifisert" if t["verified"] else "IKKE verifisert manuelt; sjekkes mot metadata nå"
        log(f"SSB tabell {t['id']} ({state})")
        before = set(client.fetched)
        meta, docs = client.fetch_table(t["id"], {k: list(v) for k, v in t["select"].items()})
        frames = []
        for doc in docs:
            try:
                frames.append(api.parse_jsonstat(doc))
            except api.SSBError as exc:
                raise api.SSBError(f"tabell {t['id']}: {exc}") from exc
        frame = pd.concat(frames, ignore_index=True)
        names = set(client.fetched) - before
        dates = sorted({client.fetched[n] for n in names if client.fetched.get(n)})
        out.append(FetchedTable(t, meta, frame, len(docs), dates))
    log(f"SSB: {client.requests_made} forespørsler, {client.cache_hits} svar fra mellomlageret")
    return Fetched(cfg, out, client.requests_made, client.cache_hits, client.base_url)


# ------------------------------------------------------------------------------------------ harmonisation
def year_code_population(h: Harmoniser, year: int, lo: int, hi: int) -> pd.Series:
    """Population aged lo–hi on the municipality codes OF `year` (code -> persons)."""
    if year in h.raw_years:
        r = h.raw[(h.raw["year"] == year) & h.raw["age"].between(lo, hi)]
        return r.groupby("code")["population"].sum().astype(float)
    if year in h.b2024_years:
        b = h.b2024
        b = b[(b["level"] == "municipality") & (b["year"] == year) & b["age"].between(lo, hi)]
        pop = b.groupby("region_code")["population"].sum().astype(float)
        m = h._map(year)
        sources = m.groupby("code_current")["code_original"].agg(set)
        out = {}
        for old, g in m.groupby("code_original"):
            targets = set(g["code_current"])
            # the year's code is a whole number of 2024 municipalities (identity, or a later split)
            if all(sources.get(t) == {old} for t in targets) and targets <= set(pop.index):
                out[old] = float(sum(pop[t] for t in targets))
        return pd.Series(out, dtype=float)
    return pd.Series(dtype=float)


@dataclass
class _Mapper:
    h: Harmoniser
    munis: set[str]
    _w: dict = field(default_factory=dict)

    def split_weight(self, year: int, targets: tuple[str, ...], target: str, ages: tuple[int, int]) -> float:
        key = (year, targets, ages)
        if key not in self._w:
            ys = self.h.split_year(year, targets)
            p = self.h.municipality(ys)
            p = p[p["code"].isin(targets) & p["age"].between(*ages)].groupby("code")["population"].sum()
            p = p.reindex(list(targets)).fillna(0.0)
            if p.sum() <= 0:
                p = pd.Series(1.0, index=list(targets))
            self._w[key] = (p / p.sum()).to_dict()
        return self._w[key][target]

    def to_2024(self, values: pd.Series, year: int, ages: tuple[int, int],
                status: pd.Series | None = None) -> pd.Series:
        """Counts on the year's codes -> 2024 municipalities. A 2024 municipality is only given a value when
        none of its source codes of that year is missing (no partial sums). The code list of a year can hold
        codes that did not exist that year (e.g. 1508/1580 beside 1507 in 2023): a code that is in the table
        with no value and SSB's status '.' ("not possible") or no status is taken as not existing; a code
        with ':' (suppressed), '..'/'...' (missing) or absent from the table blocks the municipality."""
        m = self.h._map(year)
        splits = self.h.split_groups(year)
        present = values.dropna()
        st = status if status is not None else pd.Series("", index=values.index)
        nonexistent = {c for c in values.index[values.isna()] if st.get(c, "") in ("", ".")}
        out = {}
        for target, g in m.groupby("code_current"):
            srcs = sorted(set(g["code_original"]) - nonexistent)
            if not srcs or not set(srcs) <= set(present.index):
                continue
            total = 0.0
            for s in srcs:
                w = self.split_weight(year, splits[s], target, ages) if s in splits else 1.0
                total += float(present[s]) * w
            out[target] = total
        return pd.Series(out, dtype=float)

    def unchanged(self, year: int) -> set[str]:
        m = self.h._map(year)
        n_src = m.groupby("code_current")["code_original"].nunique()
        n_tgt = m.groupby("code_original")["code_current"].nunique()
        one = m[(m["code_original"] == m["code_current"])]
        return {c for c in one["code_original"] if n_src.get(c) == 1 and n_tgt.get(c) == 1}


def _frame_for(ft: FetchedTable) -> pd.DataFrame:
    t = ft.cfg
    df = ft.frame.copy()
    reg = _on_unique(df[t["region_variable"]], lambda u: u.str.extract(MUNI_RE)[0])
    year = _on_unique(df[t["time_variable"]], lambda u: pd.to_numeric(u, errors="coerce"))
    df = df.assign(code=reg, year=year)
    return df[df["code"].notna() & df["year"].notna()].astype({"year": int})


def _on_unique(col: pd.Series, fn) -> pd.Series:
    """Apply a vectorised function to the distinct values of a column only (large tables repeat codes)."""
    u = pd.Series(col.unique())
    return col.map(dict(zip(u, fn(u))))


def _select(df: pd.DataFrame, spec: dict, table: str, ind_id: str) -> pd.DataFrame:
    sub = df[df["ContentsCode"] == spec["contents"]] if "ContentsCode" in df.columns else df
    for var, val in (spec.get("filter") or {}).items():
        sub = sub[sub[var] == str(val)]
    if sub.duplicated(["code", "year"]).any():
        raise PipelineError(f"tabell {table}, indikator {ind_id}: flere verdier per kommune og år – deklarer "
                            "et filter for de andre variablene")
    return sub[["code", "year", "value", "status"]]


@dataclass
class OnlineResult:
    indicators: pd.DataFrame
    catalog: pd.DataFrame
    projection: pd.DataFrame | None
    report: dict
    source: dict


def build_indicators(fetched: Fetched, h: Harmoniser, muni_pop: pd.DataFrame, regions: pd.DataFrame,
                     catalog_columns: list[str], first_sort_order: int, log=print) -> OnlineResult:
    munis = set(regions.loc[regions["level"] == "municipality", "region_code"])
    county_of = regions.loc[regions["level"] == "municipality"].set_index("region_code")["county_code"]
    mapper = _Mapper(h, munis)
    pop_years = set(int(y) for y in muni_pop["year"].unique())
    rows, cat_rows, report_tables, projection = [], [], [], None
    licence = fetched.config.get("api", {}).get("licence", "NLOD 2.0")
    publisher = fetched.config.get("api", {}).get("publisher", "Statistisk sentralbyrå (SSB)")
    for ft in fetched.tables:
        t = ft.cfg
        df = _frame_for(ft)
        gaps: dict[str, list[int]] = {}
        if t.get("target") == "projection":
            projection = _projection(ft, df, regions)
            report_tables.append(_table_report(ft, gaps))
            continue
        for ind in t.get("indicator", []):
            part = _indicator(ind, t, df, h, mapper, muni_pop, pop_years, munis, gaps)
            if part.empty:
                log(f"  {ind['id']}: ingen verdier")
                continue
            part = _aggregate(part, county_of, ind) if ind.get("harmonise", "sum") == "sum" else part
            part.insert(0, "indicator_id", ind["id"])
            rows.append(part)
            row = {c: "" for c in catalog_columns}
            row.update(_catalog_row(ind, t, ft, part, licence, publisher, first_sort_order + len(cat_rows)))
            cat_rows.append(row)
        report_tables.append(_table_report(ft, gaps))
    cols = ["indicator_id", "level", "region_code", "year", "value", "numerator", "denominator"]
    ind_df = (pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=cols))[cols]
    ind_df = ind_df.astype({"year": "int16", "value": "float64", "numerator": "float64", "denominator": "float64"})
    cat = pd.DataFrame(cat_rows, columns=catalog_columns)
    if len(cat):
        types = {"decimals": "int8", "year_min": "int16", "year_max": "int16", "sort_order": "int16",
                 "publication_year": "Int16"}
        cat = cat.astype({k: v for k, v in types.items() if k in cat.columns})
    dates = sorted({d for ft in fetched.tables for d in ft.fetched})
    report = {"api": fetched.base_url, "requests_made": fetched.requests_made, "cache_hits": fetched.cache_hits,
              "tables": report_tables, "note": "verified=false: tabell-id og koder er bare kontrollert maskinelt "
              "mot metadata ved henting, ikke lest og godkjent av et menneske (se pipeline/ssb_tables.toml)."}
    # fetch dates of the cached responses are data provenance, not build time: the build stays deterministic
    # for a given cache
    source = {"name": "SSB Statistikkbanken (PxWebApi v2)", "url": fetched.base_url, "licence": licence,
              "publisher": publisher, "used_for": ["indicators"] + (["projection"] if projection is not None else []),
              "tables": [ft.cfg["id"] for ft in fetched.tables], "fetched": dates}
    return OnlineResult(ind_df, cat, projection, report, source)


def _indicator(ind, t, df, h, mapper, muni_pop, pop_years, munis, gaps) -> pd.DataFrame:
    mode = ind.get("harmonise", "sum")
    ages = tuple(ind.get("split_ages", [0, 105]))
    scale = float(ind.get("scale", 1))
    out = []
    if mode == "unchanged_only":
        v = _select(df, ind["value"], t["id"], ind["id"])
        for year, g in v.groupby("year"):
            if year not in mapper.h.mapping_years:
                continue
            keep = mapper.unchanged(int(year)) & munis
            g = g[g["code"].isin(keep)].dropna(subset=["value"])
            out.append(pd.DataFrame({"level": "municipality", "region_code": g["code"], "year": int(year),
                                     "value": g["value"], "numerator": np.nan, "denominator": np.nan}))
        return pd.concat(out, ignore_index=True) if out else pd.DataFrame()
    num_spec, den_spec = ind["numerator"], ind.get("denominator")
    num_raw = _select(df, num_spec, t["id"], ind["id"])
    den_raw = _select(df, den_spec, t["id"], ind["id"]) if den_spec and "contents" in den_spec else None
    for year, g in num_raw.groupby("year"):
        year = int(year)
        if year not in mapper.h.mapping_years:
            gaps.setdefault(ind["id"], []).append(year)
            continue
        vals = g.set_index("code")["value"]
        st = g.set_index("code")["status"]
        if "rate_scale" in num_spec:
            lo, hi = num_spec["population"]
            p = year_code_population(h, year, lo, hi)
            rate = vals
            vals = rate / float(num_spec["rate_scale"]) * p.reindex(rate.index)
            st = st.mask(vals.isna() & rate.notna(), "..")  # no population for the code: missing, not absent
        num = mapper.to_2024(vals, year, ages, st)
        if den_spec is None:
            den = None
        elif "population" in den_spec:
            if year not in pop_years:
                gaps.setdefault(ind["id"], []).append(year)
                continue
            lo, hi = den_spec["population"]
            mp = muni_pop[(muni_pop["year"] == year) & muni_pop["age"].between(lo, hi)]
            den = mp.groupby("code")["population"].sum().astype(float)
        else:
            d = den_raw[den_raw["year"] == year].set_index("code")
            den = mapper.to_2024(d["value"], year, ages, d["status"])
        codes = sorted(set(num.index) & munis if den is None else set(num.index) & set(den.index) & munis)
        if len(codes) < len(munis):
            gaps.setdefault(f"{ind['id']}:{year}", []).append(len(munis) - len(codes))
        n = num.reindex(codes)
        dd = den.reindex(codes) if den is not None else pd.Series(np.nan, index=codes)
        part = pd.DataFrame({"level": "municipality", "region_code": codes, "year": year,
                             "numerator": n.to_numpy(), "denominator": dd.to_numpy()})
        out.append(part)
    if not out:
        return pd.DataFrame()
    res = pd.concat(out, ignore_index=True)
    if den_spec is not None:
        res = res[res["denominator"] > 0]
    res = res.assign(value=_value(res, den_spec, scale))
    return res[["level", "region_code", "year", "value", "numerator", "denominator"]]


def _value(df: pd.DataFrame, den_spec, scale: float) -> pd.Series:
    if den_spec is None:
        return df["numerator"].astype(float)
    return df["numerator"] / df["denominator"] * scale


def _aggregate(muni: pd.DataFrame, county_of: pd.Series, ind: dict) -> pd.DataFrame:
    """County and country rows = sums of municipality numerators and denominators, complete areas only."""
    den_spec, scale = ind.get("denominator"), float(ind.get("scale", 1))
    m = muni.assign(county=muni["region_code"].map(county_of))
    need = county_of.value_counts()
    parts = [muni]
    for year, g in m.groupby("year"):
        have = g.groupby("county").size()
        full = [c for c, n in have.items() if n == need.get(c)]
        if full:
            s = g[g["county"].isin(full)].groupby("county")[["numerator", "denominator"]].sum(min_count=1)
            parts.append(pd.DataFrame({"level": "county", "region_code": s.index, "year": year,
                                       "numerator": s["numerator"].to_numpy(),
                                       "denominator": s["denominator"].to_numpy()}))
        if len(g) == len(county_of):
            s = g[["numerator", "denominator"]].sum(min_count=1)
            parts.append(pd.DataFrame({"level": ["country"], "region_code": ["NO"], "year": [year],
                                       "numerator": [s["numerator"]], "denominator": [s["denominator"]]}))
    agg = pd.concat(parts[1:], ignore_index=True) if len(parts) > 1 else None
    if agg is not None:
        agg["value"] = _value(agg, den_spec, scale)
        out = pd.concat([muni, agg[muni.columns]], ignore_index=True)
    else:
        out = muni
    return sort_levels(out, ["year"])


def _projection(ft: FetchedTable, df: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """SSB's projection (already on 2024 codes) -> projection.parquet rows of variant ssb_mmm, all levels."""
    from .projected import BASE_YEAR, END_YEAR, VARIANT_SSB
    t = ft.cfg
    age = _on_unique(df[t.get("age_variable", "Alder")],
                     lambda u: pd.to_numeric(u.str.extract(r"(\d+)")[0], errors="coerce"))
    df = df.assign(age=age.clip(upper=105))
    df = df[df["year"].between(BASE_YEAR + 1, END_YEAR)]
    munis = regions.loc[regions["level"] == "municipality", "region_code"]
    g = df.groupby(["code", "year", "age"], as_index=False)["value"].sum(min_count=1)
    g = g[g["code"].isin(set(munis))]
    missing = sorted(set(munis) - set(g["code"]))
    grid = (END_YEAR - BASE_YEAR) * 106 * len(munis)
    if missing or len(g) != grid or g["value"].isna().any():
        raise PipelineError(f"tabell {t['id']}: framskrivingen dekker ikke alle 357 kommuner × "
                            f"{BASE_YEAR + 1}–{END_YEAR} × alder 0–105 (mangler kommuner {missing[:5]}, "
                            f"{len(g)} av {grid} celler)")
    county_of = regions.loc[regions["level"] == "municipality"].set_index("region_code")["county_code"]
    m = g.rename(columns={"code": "region_code", "value": "population"})
    c = m.assign(region_code=m["region_code"].map(county_of)).groupby(["region_code", "year", "age"],
                                                                      as_index=False)["population"].sum()
    n = m.groupby(["year", "age"], as_index=False)["population"].sum().assign(region_code="NO")
    out = pd.concat([n.assign(level="country"), c.assign(level="county"), m.assign(level="municipality")],
                    ignore_index=True)[["level", "region_code", "year", "age", "population"]]
    out = sort_levels(out, ["year", "age"])
    out.insert(0, "variant", pd.array([VARIANT_SSB] * len(out), dtype="str"))
    return out.astype({"year": "int16", "age": "int16", "population": "float64"})


def _catalog_row(ind, t, ft, part, licence, publisher, sort_order) -> dict:
    years = sorted(int(y) for y in part["year"].unique())
    levels = [lv for lv in ("country", "county", "municipality") if (part["level"] == lv).any()]
    fetched = ", ".join(ft.fetched) or "ukjent dato"
    notes = [f"Hentet fra SSBs PxWebApi v2 {fetched}."]
    if not t.get("verified"):
        notes.append("Tabell-id og variabelkoder er kontrollert maskinelt mot tabellens metadata ved henting, men "
                     "ikke gjennomgått manuelt.")
    if ind.get("harmonise", "sum") == "sum":
        notes.append("Tellere og nevnere er harmonisert til 2024-grenser (sammenslåtte kommuner summert, delte "
                     "kommuner fordelt etter befolkningen); fylke og land er summer av kommunene, bare for år "
                     "der alle kommunene i området har tall. " + NOTE_HARMONISATION.split(":")[0] + ".")
    else:
        notes.append("Vises bare for kommuner med samme kommunenummer i året som i 2024; ingen fylkes- eller "
                     "landstall (et forholdstall gjennomsnittes aldri).")
    row = {
        "id": ind["id"], "name_nb": ind["name_nb"], "name_en": ind["name_en"],
        "definition_nb": ind["definition_nb"], "definition_en": ind["definition_en"], "unit": ind["unit"],
        "unit_nb": ind["unit_nb"], "unit_en": ind["unit_en"], "decimals": int(ind["decimals"]),
        "service_areas": list(ind["service_areas"]), "direction": ind["direction"], "levels": levels,
        "years": years, "year_min": min(years), "year_max": max(years),
        "source": f"SSB, tabell {t['id']} {t['title']} (PxWebApi v2, hentet {fetched})",
        "source_url": STATBANK_URL.format(id=t["id"]), "licence": licence, "notes": " ".join(notes),
        "sort_order": sort_order, "origin": "ssb", "publisher": publisher, "publication_year": None,
        "table_ref": f"Tabell {t['id']}",
    }
    return row


def _table_report(ft: FetchedTable, gaps: dict) -> dict:
    t = ft.cfg
    return {"id": t["id"], "title": t["title"], "verified": bool(t["verified"]),
            "metadata_check": "bestått (alle deklarerte variabel- og verdikoder finnes)",
            "batches": ft.batches, "cells": int(len(ft.frame)), "fetched": ft.fetched,
            "indicators": [i["id"] for i in t.get("indicator", [])],
            "gaps": {k: v for k, v in sorted(gaps.items())}}


def apply(tables: dict, fetched: Fetched, h: Harmoniser, muni_pop: pd.DataFrame, log=print) -> dict:
    """Build hook: add the online indicators/catalogue rows (and the ssb_mmm projection) to `tables`.
    Returns {"report": manifest section, "source": manifest source entry}."""
    log("lager indikatorer fra SSB-tabellene (nett/mellomlager) på 2024-grenser")
    cat = tables["catalog"]
    res = build_indicators(fetched, h, muni_pop, tables["regions"], list(cat.columns),
                           int(cat["sort_order"].max()) + 1 if len(cat) else 0, log)
    dup = set(res.indicators["indicator_id"]) & set(tables["indicators"]["indicator_id"])
    if dup:
        raise PipelineError(f"indikator-id-er fra SSB-tabellene finnes fra før: {sorted(dup)[:5]}")
    extra = res.indicators.reindex(columns=tables["indicators"].columns)
    for col in ("ci_low", "ci_high"):
        if col in extra.columns:
            extra[col] = extra[col].astype("float64")
    tables["indicators"] = pd.concat([tables["indicators"], extra], ignore_index=True)
    new_cat = res.catalog
    tables["catalog"] = pd.concat([cat, new_cat[cat.columns]], ignore_index=True).astype(cat.dtypes.to_dict())
    if res.projection is not None and "projection" in tables:
        p = tables["projection"]
        tables["projection"] = pd.concat([p[p["variant"] != res.projection["variant"].iloc[0]], res.projection],
                                         ignore_index=True)
    return {"report": res.report, "source": res.source, "projection": res.projection is not None}


def amend_manifest(manifest: dict, online_out: dict) -> None:
    """manifest["online"], the SSB API source entry, and the ssb_mmm variant moved from missing to present."""
    from .projected import VARIANT_SSB, VARIANTS
    manifest["online"] = online_out["report"]
    manifest.setdefault("sources", []).append(online_out["source"])
    proj = manifest.get("projection")
    if online_out.get("projection") and isinstance(proj, dict):
        proj["variants_missing"] = [v for v in proj.get("variants_missing", []) if v.get("id") != VARIANT_SSB]
        proj.setdefault("variants", []).append({
            "id": VARIANT_SSB, "name_nb": VARIANTS[VARIANT_SSB][0], "name_en": VARIANTS[VARIANT_SSB][1],
            "source": "SSB, PxWebApi v2 (se manifest.online)"})
