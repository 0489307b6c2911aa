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
    provenance: dict | None = None   # offline copies (pipeline/kostra.py): repository, commit, file, fetched


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
    """code, year, value, status of one ContentsCode (with filters). ``contents`` may be a list: the sum of
    those codes per municipality and year, missing where any of them is missing (never a partial sum)."""
    if isinstance(spec["contents"], list):
        parts = [_select(df, dict(spec, contents=c), table, ind_id).set_index(["code", "year"])
                 for c in spec["contents"]]
        idx = parts[0].index
        for p in parts[1:]:
            idx = idx.union(p.index)
        vals = pd.concat([p["value"].reindex(idx) for p in parts], axis=1)
        stat = pd.concat([p["status"].reindex(idx).fillna("..") for p in parts], axis=1)
        total = vals.sum(axis=1, min_count=len(parts)).where(vals.notna().all(axis=1))
        status = stat.apply(lambda r: next((x for x in r if x), ""), axis=1) if len(stat) else pd.Series(dtype=str)
        out = pd.DataFrame({"value": total, "status": status.where(total.isna(), "")}).reset_index()
        return out[["code", "year", "value", "status"]]
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
    gap_notes: pd.DataFrame = None          # indicator_id, region_code, year, reason_nb, reason_en
    no_interval: set = field(default_factory=set)   # indicators declared with interval = "none"


def build_indicators(fetched: Fetched, h: Harmoniser, muni_pop: pd.DataFrame, regions: pd.DataFrame,
                     catalog_columns: list[str], first_sort_order: int, log=print) -> OnlineResult:
    munis = set(regions.loc[regions["level"] == "municipality", "region_code"])
    county_of = regions.loc[regions["level"] == "municipality"].set_index("region_code")["county_code"]
    mapper = _Mapper(h, munis)
    pop_years = set(int(y) for y in muni_pop["year"].unique())
    rows, cat_rows, report_tables, projection, notes = [], [], [], None, []
    licence = fetched.config.get("api", {}).get("licence", "NLOD 2.0")
    publisher = fetched.config.get("api", {}).get("publisher", "Statistisk sentralbyrå (SSB)")
    area_population = _area_population(muni_pop, county_of)
    for ft in fetched.tables:
        t = ft.cfg
        df = _frame_for(ft)
        gaps: dict[str, list[int]] = {}
        checks_t: dict[str, dict] = {}
        if t.get("target") == "projection":
            projection = _projection(ft, df, regions)
            report_tables.append(_table_report(ft, gaps))
            continue
        for ind in t.get("indicator", []):
            checks: dict = {}
            part = _indicator(ind, t, df, h, mapper, muni_pop, pop_years, munis, gaps, checks)
            if part.empty:
                log(f"  {ind['id']}: ingen verdier")
                continue
            if ind.get("harmonise", "sum") == "sum":
                part = _aggregate(part, county_of, ind,
                                  lambda lv, code, y, _t=t: area_population(lv, code, _pop_year(_t, y)))
            part.insert(0, "indicator_id", ind["id"])
            rows.append(part)
            notes.append(_gap_notes(ind, t, df, part, mapper, munis, checks))
            row = {c: "" for c in catalog_columns}
            row.update(_catalog_row(ind, t, ft, part, licence, publisher, first_sort_order + len(cat_rows),
                                    checks, munis))
            cat_rows.append(row)
            if checks:
                checks_t[ind["id"]] = checks
                pub = checks.get("published")
                if pub:
                    log(f"  {ind['id']}: {pub['compared']} kommuneverdier sjekket mot SSBs publiserte "
                        f"{pub['published_code']}, {pub['differing']} avviker")
        report_tables.append(_table_report(ft, gaps, checks_t))
    cols = ["indicator_id", "level", "region_code", "year", "value", "numerator", "denominator"]
    ind_df = (pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=cols))[cols]
    ind_df = ind_df.astype({"year": "int16", "value": "float64", "numerator": "float64", "denominator": "float64"})
    cat = pd.DataFrame(cat_rows, columns=catalog_columns)
    if len(cat):
        types = {"decimals": "int8", "year_min": "int16", "year_max": "int16", "sort_order": "int16",
                 "publication_year": "Int16"}
        cat = cat.astype({k: v for k, v in types.items() if k in cat.columns})
    dates = sorted({d for ft in fetched.tables for d in ft.fetched})
    online_tables = [ft for ft in fetched.tables if ft.provenance is None]
    report = {"api": fetched.base_url, "requests_made": fetched.requests_made, "cache_hits": fetched.cache_hits,
              "tables": report_tables, "note": "verified=false: tabell-id og koder er bare kontrollert maskinelt "
              "mot metadata ved henting, ikke lest og godkjent av et menneske (se pipeline/ssb_tables.toml)."}
    # fetch dates of the cached responses are data provenance, not build time: the build stays deterministic
    # for a given cache
    source = {"name": "SSB Statistikkbanken (PxWebApi v2)", "url": fetched.base_url, "licence": licence,
              "publisher": publisher, "used_for": ["indicators"] + (["projection"] if projection is not None else []),
              "tables": [ft.cfg["id"] for ft in online_tables], "fetched": dates}
    gap_df = pd.concat(notes, ignore_index=True) if notes else pd.DataFrame(columns=GAP_COLUMNS)
    gap_df = gap_df.astype({"indicator_id": "str", "region_code": "str", "year": "int16", "reason_nb": "str",
                            "reason_en": "str"})
    return OnlineResult(ind_df, cat, projection, report, source, gap_df,
                        {i["id"] for ft in fetched.tables for i in ft.cfg.get("indicator", [])
                         if i.get("interval") == "none"})


GAP_COLUMNS = ["indicator_id", "region_code", "year", "reason_nb", "reason_en"]
REASON_CHANGED = ("Kommunenummeret ble endret etter dette året, og SSB publiserer bare forholdstallet (uten teller og "
                  "nevner), så det kan ikke føres over til 2024-grensene.",
                  "The municipality code changed after this year and SSB publishes only the ratio (no numerator "
                  "and denominator), so it cannot be carried over to the 2024 borders.")
REASON_NO_VALUE = ("SSB har ikke tall for kommunen dette året (mangler eller er skjult).",
                   "SSB has no figure for the municipality this year (missing or suppressed).")


def _gap_notes(ind, t, df, part, mapper: _Mapper, munis: set[str], checks: dict) -> pd.DataFrame:
    """Why each municipality without a value for a year of the indicator has none: the table's declared reason
    when the municipality is not in the table at all that year; a code change for published ratios of earlier
    years; otherwise SSB's own missing/suppressed cell."""
    m = part[part["level"] == "municipality"]
    present_codes = df[df["value"].notna()].groupby("year")["code"].agg(set)
    table_reason = (t.get("missing_reason_nb"), t.get("missing_reason_en"))
    history = set(checks.get("history_years", []))
    ratio_only = ind.get("harmonise") == "unchanged_only"
    rows = []
    for year, g in m.groupby("year"):
        year = int(year)
        mp = mapper.h._map(year)
        sources = mp.groupby("code_current")["code_original"].agg(set)
        have_any = present_codes.get(year, set())
        unchanged = mapper.unchanged(year) if (year in history or ratio_only) else None
        for code in sorted(munis - set(g["region_code"])):
            srcs = sources.get(code, set())
            if unchanged is not None and code not in unchanged:
                reason = REASON_CHANGED
            elif table_reason[0] and srcs and not (srcs & have_any):
                reason = table_reason
            else:
                reason = REASON_NO_VALUE
            rows.append((ind["id"], code, year, reason[0], reason[1]))
    return pd.DataFrame(rows, columns=GAP_COLUMNS)


def _area_population(muni_pop: pd.DataFrame, county_of: pd.Series):
    """(level, code, year) -> population of every municipality of the area (for ``aggregate = hosted``)."""
    tot = muni_pop.groupby(["code", "year"])["population"].sum()
    cache: dict = {}

    def area(level: str, code: str, year: int) -> float:
        key = (level, code, year)
        if key not in cache:
            t = tot.xs(year, level="year") if year in tot.index.get_level_values("year") else pd.Series(dtype=float)
            members = county_of.index if level == "country" else county_of.index[county_of == code]
            vals = t.reindex(members)
            cache[key] = float(vals.sum()) if vals.notna().all() and len(vals) else np.nan
        return cache[key]
    return area


def _pop_year(t: dict, year: int) -> int:
    """The population year behind a table's figures for `year`: KOSTRA counts status at 31 December, i.e. the
    population of 1 January of the following year (``population_year = "next"``)."""
    return year + 1 if t.get("population_year") == "next" else year


def code_population(h: Harmoniser, t: dict, year: int, lo: int, hi: int) -> tuple[pd.Series, list[str]]:
    """Population aged lo–hi on the codes OF `year`, at the table's population date. With
    ``population_year = "next"``, a code takes the next year's population where the code covers the same 2024
    municipalities in both years (its area is unchanged); other codes (those changed at the turn of the year)
    fall back to 1 January of `year`. Returns (code -> persons, codes that fell back)."""
    this = year_code_population(h, year, lo, hi)
    py = _pop_year(t, year)
    if py == year:
        return this, []
    nxt = year_code_population(h, py, lo, hi) if py in set(h.raw_years) | set(h.b2024_years) else pd.Series(
        dtype=float)
    same = []
    if len(nxt) and year in h.mapping_years and py in h.mapping_years:
        a = h._map(year).groupby("code_original")["code_current"].agg(frozenset)
        b = h._map(py).groupby("code_original")["code_current"].agg(frozenset)
        tb = h._map(py).groupby("code_current")["code_original"].agg(frozenset)
        same = [c for c in this.index if c in b.index and a.get(c) == b[c] and all(tb[x] == {c} for x in b[c])
                and c in nxt.index]
    out = this.copy()
    out[same] = nxt[same]
    return out, sorted(set(this.index) - set(same))


def _unchanged_values(spec: dict, t: dict, ind: dict, df: pd.DataFrame, mapper: _Mapper, munis: set[str],
                      skip_years: set[int] = frozenset()) -> pd.DataFrame:
    """A published ratio without numerator/denominator: kept for municipalities whose code maps one-to-one onto
    the same 2024 code that year; no aggregates (a ratio is never averaged)."""
    v = _select(df, spec, t["id"], ind["id"])
    out = []
    for year, g in v.groupby("year"):
        if year in skip_years or year not in mapper.h.mapping_years:
            continue
        keep = mapper.unchanged(int(year)) & munis
        g = g[g["code"].isin(keep)].dropna(subset=["value"])
        out.append(pd.DataFrame({"level": "municipality", "region_code": g["code"], "year": int(year),
                                 "value": g["value"], "numerator": np.nan, "denominator": np.nan}))
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame()


def _indicator(ind, t, df, h, mapper, muni_pop, pop_years, munis, gaps, checks=None) -> pd.DataFrame:
    mode = ind.get("harmonise", "sum")
    ages = tuple(ind.get("split_ages", [0, 105]))
    scale = float(ind.get("scale", 1))
    checks = {} if checks is None else checks
    if mode == "unchanged_only":
        return _unchanged_values(ind["value"], t, ind, df, mapper, munis)
    out = []
    num_spec, den_spec = ind["numerator"], ind.get("denominator")
    num_raw = _select(df, num_spec, t["id"], ind["id"])
    den_raw = _select(df, den_spec, t["id"], ind["id"]) if den_spec and "contents" in den_spec else None
    for year, g in num_raw.groupby("year"):
        year = int(year)
        if year not in mapper.h.mapping_years:
            gaps.setdefault(ind["id"], []).append(year)
            continue
        if g["value"].isna().all():  # the count is not in the table this year (e.g. history years)
            continue
        vals = g.set_index("code")["value"]
        st = g.set_index("code")["status"]
        if "rate_scale" in num_spec:
            lo, hi = num_spec["population"]
            p, fell_back = code_population(h, t, year, lo, hi)
            if fell_back and t.get("population_year") == "next":
                checks.setdefault("population_fallback", {})[str(year)] = len(set(fell_back) & set(vals.index))
            rate = vals
            vals = rate / float(num_spec["rate_scale"]) * p.reindex(rate.index)
            st = st.mask(vals.isna() & rate.notna(), "..")  # no population for the code: missing, not absent
        num = mapper.to_2024(vals, year, ages, st)
        if den_spec is None:
            den = None
        elif "population" in den_spec:
            py = _pop_year(t, year)
            if py not in pop_years:
                gaps.setdefault(ind["id"], []).append(year)
                continue
            lo, hi = den_spec["population"]
            mp = muni_pop[(muni_pop["year"] == py) & muni_pop["age"].between(lo, hi)]
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
    res = pd.concat(out, ignore_index=True) if out else pd.DataFrame(
        columns=["level", "region_code", "year", "numerator", "denominator"])
    if den_spec is not None and len(res):
        res = res[res["denominator"] > 0]
    res = res.assign(value=_value(res, den_spec, scale))[["level", "region_code", "year", "value", "numerator",
                                                          "denominator"]]
    if ind.get("published") and len(res):
        checks["published"] = _check_published(res, ind, t, df, mapper, munis)
    if ind.get("history"):
        hist = _unchanged_values(ind["history"], t, ind, df, mapper, munis, set(int(y) for y in res["year"]))
        if len(hist):
            checks["history_years"] = sorted(int(y) for y in hist["year"].unique())
            res = pd.concat([res, hist[res.columns]], ignore_index=True) if len(res) else hist
    return res if len(res) else pd.DataFrame()


def _check_published(res: pd.DataFrame, ind: dict, t: dict, df: pd.DataFrame, mapper: _Mapper,
                     munis: set[str]) -> dict:
    """Our value from the counts against SSB's published ratio, for municipalities with unchanged codes: they
    must agree to the published rounding (half a unit of the published figure's last decimal)."""
    pub = _select(df, {"contents": ind["published"]}, t["id"], ind["id"]).dropna(subset=["value"])
    compared, differing = 0, []
    for year, g in res.groupby("year"):
        keep = mapper.unchanged(int(year)) & munis
        p = pub[(pub["year"] == year) & pub["code"].isin(keep)].set_index("code")["value"]
        ours = g.set_index("region_code")["value"].reindex(p.index).dropna()
        p = p.reindex(ours.index)
        tol = 0.5 * 10.0 ** -int(ind["decimals"]) + 1e-9  # the catalogue shows SSB's own number of decimals
        bad = ours[(ours - p).abs() > tol]
        compared += len(ours)
        differing += [f"{c} {int(year)}: {ours[c]:.3f} mot {p[c]:g}" for c in bad.index]
    return {"published_code": ind["published"], "compared": compared, "differing": len(differing),
            "examples": differing[:10]}


def _value(df: pd.DataFrame, den_spec, scale: float) -> pd.Series:
    if den_spec is None:
        return df["numerator"].astype(float)
    return df["numerator"] / df["denominator"] * scale


def _aggregate(muni: pd.DataFrame, county_of: pd.Series, ind: dict, area_population=None) -> pd.DataFrame:
    """County and country rows = sums of municipality numerators and denominators.

    ``aggregate`` (declaration): ``complete`` (default) only for areas where every municipality has a value;
    ``reported``: sums over the municipalities that have one (the catalogue note says how many);
    ``hosted``: as reported, but a population denominator covers every municipality of the area, because the
    municipalities without figures are served by a host municipality whose counts include them.
    Rows without a numerator (published ratios of earlier years) are never aggregated."""
    den_spec, scale = ind.get("denominator"), float(ind.get("scale", 1))
    how = ind.get("aggregate", "complete")
    counted = muni[muni["numerator"].notna()]
    m = counted.assign(county=counted["region_code"].map(county_of))
    need = county_of.value_counts()
    parts = []
    for year, g in m.groupby("year"):
        have = g.groupby("county").size()
        full = [c for c, n in have.items() if n == need.get(c)] if how == "complete" else list(have.index)
        if full:
            s = g[g["county"].isin(full)].groupby("county")[["numerator", "denominator"]].sum(min_count=1)
            parts.append(pd.DataFrame({"level": "county", "region_code": s.index, "year": year,
                                       "numerator": s["numerator"].to_numpy(),
                                       "denominator": s["denominator"].to_numpy()}))
        if how != "complete" or len(g) == len(county_of):
            s = g[["numerator", "denominator"]].sum(min_count=1)
            parts.append(pd.DataFrame({"level": ["country"], "region_code": ["NO"], "year": [year],
                                       "numerator": [s["numerator"]], "denominator": [s["denominator"]]}))
    agg = pd.concat(parts, ignore_index=True) if parts else None
    if agg is not None and how == "hosted" and den_spec is not None and "population" in den_spec:
        if area_population is None:
            raise PipelineError(f"indikator {ind['id']}: aggregate = hosted trenger befolkningen")
        agg["denominator"] = [area_population(lv, code, int(y)) for lv, code, y in
                              zip(agg["level"], agg["region_code"], agg["year"])]
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


def _catalog_row(ind, t, ft, part, licence, publisher, sort_order, checks=None, munis=None) -> dict:
    checks = checks or {}
    years = sorted(int(y) for y in part["year"].unique())
    levels = [lv for lv in ("country", "county", "municipality") if (part["level"] == lv).any()]
    prov = ft.provenance
    if prov:  # an offline copy of the API's figures (pipeline/kostra.py)
        how = (f"hentet fra SSBs API av {prov['repository']} (commit {prov['commit'][:7]}, fil {prov['path']}, "
               f"{prov['fetched']})")
        notes = [f"Tallene er SSBs, {how}; lest fra råkopien {prov['file']}."]
    else:
        fetched = ", ".join(ft.fetched) or "ukjent dato"
        how = f"PxWebApi v2, hentet {fetched}"
        notes = [f"Hentet fra SSBs PxWebApi v2 {fetched}."]
    notes.append("Lisens: SSB, NLOD 2.0 (SSBs API-veiledning oppgir CC BY 4.0; begge krever kreditering av "
                 "Statistisk sentralbyrå).")
    if not t.get("verified"):
        notes.append("Tabell-id og variabelkoder er bekreftet av offentlig bruk av SSBs API (se "
                     "pipeline/ssb_tables.toml), men ennå ikke kontrollert mot tabellens metadata av dette prosjektet."
                     if prov else
                     "Tabell-id og variabelkoder er kontrollert maskinelt mot tabellens metadata ved henting, men "
                     "ikke gjennomgått manuelt.")
    if ind.get("harmonise", "sum") == "sum":
        how_agg = {"complete": "bare for år der alle kommunene i området har tall",
                   "reported": "summert over kommunene som har tall",
                   "hosted": "summert over kommunene som har tall, med hele områdets befolkning som nevner "
                             "(kommuner uten egne tall betjenes av en vertskommune)"}[ind.get("aggregate", "complete")]
        notes.append("Tellere og nevnere er harmonisert til 2024-grenser (sammenslåtte kommuner summert, delte "
                     f"kommuner fordelt etter befolkningen); fylke og land er summer av kommunene, {how_agg}. "
                     + NOTE_HARMONISATION.split(":")[0] + ".")
        m = part[(part["level"] == "municipality") & part["numerator"].notna()]
        if munis and ind.get("aggregate", "complete") != "complete" and len(m):
            last = int(m["year"].max())
            n = int((m["year"] == last).sum())
            if n < len(munis):
                notes.append(f"{last}: {n} av {len(munis)} kommuner har tall.")
    else:
        notes.append("Vises bare for kommuner med samme kommunenummer i året som i 2024; ingen fylkes- eller "
                     "landstall (et forholdstall gjennomsnittes aldri).")
    if checks.get("history_years"):
        hy = checks["history_years"]
        notes.append(f"{hy[0]}–{hy[-1]}: SSBs publiserte forholdstall ({ind['history']['contents']}), bare for "
                     "kommuner med uendret kommunenummer og uten fylkes- og landstall, fordi kilden ikke har teller "
                     "og nevner for disse årene. Siste år er beregnet fra tellere og nevnere.")
    pub = checks.get("published")
    if pub:
        notes.append(f"Kontroll: {pub['compared']} kommuneverdier beregnet fra tellere og nevnere er sammenlignet "
                     f"med SSBs publiserte tall ({pub['published_code']}); {pub['differing']} avviker mer enn "
                     "avrundingen.")
    if ind.get("note_nb"):
        notes.append(ind["note_nb"])
    row = {
        "id": ind["id"], "name_nb": ind["name_nb"], "name_en": ind["name_en"],
        "definition_nb": ind["definition_nb"], "definition_en": ind["definition_en"], "unit": ind["unit"],
        "unit_nb": ind["unit_nb"], "unit_en": ind["unit_en"], "decimals": int(ind["decimals"]),
        "service_areas": list(ind["service_areas"]), "direction": ind["direction"], "levels": levels,
        "years": years, "year_min": min(years), "year_max": max(years),
        "source": f"SSB, tabell {t['id']} {t['title']} ({how})",
        "source_url": STATBANK_URL.format(id=t["id"]), "licence": licence, "notes": " ".join(notes),
        "sort_order": sort_order, "origin": "ssb", "publisher": publisher, "publication_year": None,
        "table_ref": f"Tabell {t['id']}",
    }
    return row


def _table_report(ft: FetchedTable, gaps: dict, checks: dict | None = None) -> dict:
    t = ft.cfg
    rep = {"id": t["id"], "title": t["title"], "verified": bool(t["verified"]),
           "metadata_check": ("ikke aktuelt: lest fra råkopi" if ft.provenance else
                              "bestått (alle deklarerte variabel- og verdikoder finnes)"),
           "batches": ft.batches, "cells": int(len(ft.frame)), "fetched": ft.fetched,
           "indicators": [i["id"] for i in t.get("indicator", [])],
           "gaps": {k: v for k, v in sorted(gaps.items())}}
    if ft.provenance:
        rep["offline"] = {k: ft.provenance[k] for k in ("file", "repository", "commit", "path", "fetched",
                                                        "population_check") if k in ft.provenance}
    if checks:
        rep["checks"] = checks
    return rep


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
    return {"report": res.report, "source": res.source, "projection": res.projection is not None,
            "gap_notes": res.gap_notes, "no_interval": res.no_interval}


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
