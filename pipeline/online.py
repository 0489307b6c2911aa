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

import dataclasses
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
    selection: dict = field(default_factory=dict)     # the checked selection (codes, '*' expanded)
    resolved: dict = field(default_factory=dict)      # var -> {pattern: {code: label}} (label patterns)
    api_url: str = ""                                 # where the metadata check ran
    live: bool = False                                # ... and whether that is the live API (api.live_hosts)


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
    declared = {t.get("id") for t in tables}
    for t in tables:
        for key in ("id", "title", "region_variable", "time_variable", "select"):
            if key not in t:
                raise PipelineError(f"tabell {t.get('id', '?')}: mangler «{key}»", path)
        if t["region_variable"] not in t["select"] or t["time_variable"] not in t["select"]:
            raise PipelineError(f"tabell {t['id']}: region- og tidsvariabelen må være valgt", path)
        for j in t.get("join", []):
            if j.get("table") not in declared or not j.get("contents"):
                raise PipelineError(f"tabell {t['id']}: «join» viser til tabell {j.get('table')!r}, som ikke er "
                                    "deklarert (eller mangler «contents»)", path)
        if not isinstance(t.get("evidence", []), list):
            raise PipelineError(f"tabell {t['id']}: «evidence» skal være en liste", path)
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
    live = is_live(client.base_url, cfg)
    out = []
    for t in cfg["table"]:
        checked = t.get("checked_against_live_metadata") or False
        state = (f"metadata lest av en person {checked}" if checked else
                 f"belegg: {', '.join(t.get('evidence', [])) or 'ingen'} ({t.get('evidence_kind', 'ukjent')}); "
                 "sjekkes mot metadata nå")
        log(f"SSB tabell {t['id']} ({state})")
        before = set(client.fetched)
        meta = client.metadata(t["id"])
        t, resolved = resolve_labels(t, meta)
        selection = client.check_selection(t["id"], meta, {k: list(v) for k, v in t["select"].items()})
        docs = client.data(t["id"], selection)
        frames = []
        for doc in docs:
            try:
                frames.append(api.parse_jsonstat(doc))
            except api.SSBError as exc:
                raise api.SSBError(f"tabell {t['id']}: {exc}") from exc
        frame = pd.concat(frames, ignore_index=True)
        names = set(client.fetched) - before
        dates = sorted({client.fetched[n] for n in names if client.fetched.get(n)})
        out.append(FetchedTable(t, meta, frame, len(docs), dates, selection=selection, resolved=resolved,
                                api_url=client.base_url, live=live))
    _apply_joins(out)
    log(f"SSB: {client.requests_made} forespørsler, {client.cache_hits} svar fra mellomlageret")
    return Fetched(cfg, out, client.requests_made, client.cache_hits, client.base_url)


def is_live(base_url: str, cfg: dict) -> bool:
    """True when the API the build talked to is the live SSB service (api.live_hosts), not a test server."""
    import urllib.parse
    host = urllib.parse.urlsplit(base_url).hostname or ""
    return host in set(cfg.get("api", {}).get("live_hosts", ["data.ssb.no"]))


LABEL_ONE, LABEL_MANY = "label:~", "labels:~"


def _is_pattern(v) -> bool:
    return isinstance(v, str) and (v.startswith(LABEL_ONE) or v.startswith(LABEL_MANY))


def resolve_labels(t: dict, meta: dict) -> tuple[dict, dict]:
    """Replace the label patterns of a declaration ("label:~REGEX": exactly one code; "labels:~REGEX": one or
    more) by the codes whose "<code> <label>" in the metadata matches (case-insensitive), in `select`, in the
    indicator filters and in `alternative`. Returns (resolved copy, {var: {pattern: {code: label}}})."""
    import copy
    dims = meta.get("dimension") or {}
    found: dict[str, dict[str, dict[str, str]]] = {}

    def codes_for(var: str, pattern: str) -> list[str]:
        if var in found and pattern in found[var]:
            return list(found[var][pattern])
        if var not in dims:
            raise api.SSBError(f"tabell {t['id']}: variabelen «{var}» finnes ikke i metadata "
                               f"(har: {', '.join(dims)})")
        cat = dims[var].get("category") or {}
        idx = cat.get("index") or []
        index = sorted(idx, key=idx.get) if isinstance(idx, dict) else list(idx)
        labels = cat.get("label") or {}
        many = pattern.startswith(LABEL_MANY)
        regex = pattern[len(LABEL_MANY if many else LABEL_ONE):]
        try:
            rx = re.compile(regex, re.IGNORECASE)
        except re.error as exc:
            raise PipelineError(f"tabell {t['id']}: ugyldig etikettmønster {pattern!r} for «{var}» ({exc})") from exc
        hits = {c: str(labels.get(c, "")) for c in index if rx.search(f"{c} {labels.get(c, '')}")}
        if not hits or (len(hits) > 1 and not many):
            shown = "; ".join(f"{c} «{lab}»" for c, lab in list(hits.items())[:6])
            raise api.SSBError(f"tabell {t['id']}: etikettmønsteret {pattern!r} for «{var}» traff "
                               f"{len(hits)} koder i metadata (ventet {'minst én' if many else 'nøyaktig én'})"
                               + (f": {shown}" if shown else ""))
        found.setdefault(var, {})[pattern] = hits
        return list(hits)

    def resolve_list(var: str, vals) -> list[str] | str:
        if isinstance(vals, list):
            out = []
            for v in vals:
                out += codes_for(var, v) if _is_pattern(v) else [str(v)]
            return out
        if _is_pattern(vals):
            c = codes_for(var, vals)
            return c[0] if len(c) == 1 and vals.startswith(LABEL_ONE) else c
        return vals

    t = copy.deepcopy(t)
    t["select"] = {var: resolve_list(var, vals) for var, vals in t["select"].items()}
    for ind in t.get("indicator", []):
        for role in ("numerator", "denominator", "value"):
            spec = ind.get(role)
            if isinstance(spec, dict) and spec.get("filter"):
                spec["filter"] = {var: resolve_list(var, v) for var, v in spec["filter"].items()}
        if "alternative" in ind and t.get("alternative_variable"):
            ind["alternative"] = resolve_list(t["alternative_variable"], ind["alternative"])
    return t, found


def _apply_joins(tables: list[FetchedTable]) -> None:
    """`join = [{table, contents}]`: rows of another declared table appended to this table's frame (for a
    denominator from that table), e.g. nursing-home residents of 12292 beside the doctor FTEs of 11996."""
    by_id = {ft.cfg["id"]: ft for ft in tables}
    for ft in tables:
        for j in ft.cfg.get("join", []):
            other = by_id[j["table"]]
            for key in ("region_variable", "time_variable"):
                if other.cfg[key] != ft.cfg[key]:
                    raise PipelineError(f"tabell {ft.cfg['id']}: kan ikke hente {j['table']} inn (ulik {key})")
            rows = other.frame[other.frame["ContentsCode"].isin(j["contents"])]
            missing = sorted(set(j["contents"]) - set(rows["ContentsCode"]))
            if missing:
                raise PipelineError(f"tabell {ft.cfg['id']}: {j['table']} har ikke {missing} (join)")
            clash = set(rows["ContentsCode"]) & set(ft.frame["ContentsCode"])
            if clash:
                raise PipelineError(f"tabell {ft.cfg['id']}: ContentsCode {sorted(clash)} finnes i begge tabellene")
            keep = [ft.cfg["region_variable"], "ContentsCode", ft.cfg["time_variable"], "value", "status"]
            ft.frame = pd.concat([ft.frame, rows[keep]], ignore_index=True)


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


def _as_list(v) -> list[str]:
    return [str(x) for x in v] if isinstance(v, list) else [str(v)]


def _select(df: pd.DataFrame, spec: dict, table: str, ind_id: str) -> pd.DataFrame:
    """The rows of one numerator/denominator/value spec: code, year, value, status. A list of ContentsCodes or of
    filter codes is summed per code and year; the sum is missing unless every part has a value (never a partial
    sum), and keeps the first status symbol of its parts (so ':' still blocks a merged municipality); a part
    without a row at all (offline copies leave missing cells out) makes the sum missing too."""
    parts = 1
    if "ContentsCode" in df.columns:
        contents = _as_list(spec["contents"])
        sub = df[df["ContentsCode"].isin(contents)]
        parts *= len(contents)
    else:
        sub = df
    for var, val in (spec.get("filter") or {}).items():
        vals = _as_list(val)
        sub = sub[sub[var].isin(vals)]
        parts *= len(vals)
    if parts > 1:
        sub = sub.assign(_n=sub["value"].notna())
        g = sub.groupby(["code", "year"], sort=False)
        out = g.agg(value=("value", "sum"), n=("_n", "sum"), rows=("value", "size"),
                    status=("status", lambda s: next((x for x in s if x), ""))).reset_index()
        if (out["rows"] > parts).any():
            raise PipelineError(f"tabell {table}, indikator {ind_id}: flere verdier per kommune og år – deklarer "
                                "et filter for de andre variablene")
        out.loc[(out["n"] < parts) | (out["rows"] != parts), "value"] = np.nan
        out.loc[out["value"].isna() & (out["n"] > 0) & (out["status"] == ""), "status"] = ".."
        out.loc[out["value"].notna(), "status"] = ""
        return out[["code", "year", "value", "status"]]
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
    rep = {"id": t["id"], "title": t["title"], "verified": bool(t.get("verified")),
           "metadata_check": ("ikke aktuelt: lest fra råkopi" if ft.provenance else
                              "bestått (alle deklarerte variabel- og verdikoder finnes)"),
           **evidence_report(ft),
           "batches": ft.batches, "cells": int(len(ft.frame)), "fetched": ft.fetched,
           "indicators": [i["id"] for i in t.get("indicator", [])],
           "gaps": {k: v for k, v in sorted(gaps.items())}}
    if ft.provenance:
        rep["offline"] = {k: ft.provenance[k] for k in ("file", "repository", "commit", "path", "fetched",
                                                        "population_check") if k in ft.provenance}
    if checks:
        rep["checks"] = checks
    return rep


def evidence_report(ft: FetchedTable) -> dict:
    """Per table: the declared evidence (as in ssb_tables.toml) kept apart from what this build's automatic
    metadata check confirmed. Declared codes count as confirmed by the live API only when the check ran against
    a live host (api.live_hosts); against a test server or a cache filled elsewhere they stay "only corroborated
    by public use". Codes read from labels are listed with the label they matched."""
    t = ft.cfg
    declared = {var: [c for c in _as_list(vals) if c != "*"] for var, vals in t["select"].items()}
    for var, pats in ft.resolved.items():  # codes from label patterns are not declarations with evidence
        from_labels = {c for hits in pats.values() for c in hits}
        declared[var] = [c for c in declared.get(var, []) if c not in from_labels]
    declared = {var: codes for var, codes in declared.items() if codes}
    variables = sorted(ft.selection or t["select"])
    checked = t.get("checked_against_live_metadata") or False
    if ft.provenance:  # the offline build's raw copies: no metadata check at all
        return {"evidence": list(t.get("evidence", [])), "evidence_kind": t.get("evidence_kind", "undeclared"),
                "checked_against_live_metadata": checked, "metadata_checked_at": "", "metadata_check_live": False,
                "confirmed_by_live_metadata": {}, "only_corroborated_by_public_use": {}, "resolved_from_labels": {},
                "status": "ikke aktuelt: lest fra en råkopi (se «offline»), ikke fra API-et"}
    return {
        "evidence": list(t.get("evidence", [])),
        "evidence_kind": t.get("evidence_kind", "undeclared"),
        "checked_against_live_metadata": checked,
        "metadata_checked_at": ft.api_url, "metadata_check_live": bool(ft.live),
        "confirmed_by_live_metadata": ({"variables": variables, "codes": declared} if ft.live else {}),
        "only_corroborated_by_public_use": ({} if ft.live else {"variables": variables, "codes": declared}),
        "resolved_from_labels": {var: {pat: hits for pat, hits in pats.items()} for var, pats in ft.resolved.items()},
        "status": (f"bekreftet av SSBs metadata ({ft.api_url}) ved denne kjøringen; betydningen lest av en person: "
                   f"{checked or 'nei'}" if ft.live else
                   "bare støttet av offentlig bruk (se «evidence»); ikke sjekket mot SSBs live-metadata ved denne "
                   f"kjøringen (metadata fra {ft.api_url or 'ukjent'})"),
    }


def apply(tables: dict, fetched: Fetched, h: Harmoniser, muni_pop: pd.DataFrame, log=print) -> dict:
    """Build hook: add the online indicators/catalogue rows (and the ssb_mmm projection) to `tables`.
    Returns {"report": manifest section, "source": manifest source entry}."""
    log("lager indikatorer fra SSB-tabellene (nett/mellomlager) på 2024-grenser")
    from .seeds import PROVENANCE_COLUMNS
    cat = tables["catalog"]
    # the rows made here carry their own provenance (origin, publisher, table_ref «Tabell 12005» ...): keep those
    # columns, so that seeds.extend_catalog fills the SSB 07459 defaults only into the population rows
    columns = list(cat.columns) + [c for c in PROVENANCE_COLUMNS if c not in cat.columns]
    groups = [ft for ft in fetched.tables if ft.cfg.get("target") == "projection_groups"]
    regular = dataclasses.replace(fetched, tables=[ft for ft in fetched.tables if ft not in groups])
    first = int(cat["sort_order"].max()) + 1 if len(cat) else 0
    res = build_indicators(regular, h, muni_pop, tables["regions"], columns, first, log)
    if groups:
        res = _add_projection_groups(res, groups, fetched, tables["regions"], columns)
    res.catalog = annotate_catalog(res.catalog, fetched)
    live = [ft.cfg["id"] for ft in fetched.tables if ft.live]
    res.report["live_api"] = bool(live)
    res.report["note"] = (
        "Per tabell: «evidence»/«evidence_kind» er belegget i pipeline/ssb_tables.toml (offentlig bruk av SSBs API), "
        "«confirmed_by_live_metadata» er det denne kjøringens automatiske metadatasjekk bekreftet mot SSBs live-API, "
        "«only_corroborated_by_public_use» det som ikke ble sjekket mot live-API-et ved denne kjøringen, og "
        "«checked_against_live_metadata» datoen en person leste etikettene (false = ikke gjort). Sjekken bekrefter "
        "at kodene finnes, ikke hva de betyr.")
    dup = set(res.indicators["indicator_id"]) & set(tables["indicators"]["indicator_id"])
    if dup:
        raise PipelineError(f"indikator-id-er fra SSB-tabellene finnes fra før: {sorted(dup)[:5]}")
    extra = res.indicators.reindex(columns=tables["indicators"].columns)
    for col in ("ci_low", "ci_high"):
        if col in extra.columns:
            extra[col] = extra[col].astype("float64")
    tables["indicators"] = pd.concat([tables["indicators"], extra], ignore_index=True)
    new_cat = res.catalog
    merged = pd.concat([cat, new_cat[columns]], ignore_index=True).astype(cat.dtypes.to_dict())
    for c in columns:
        if c not in cat.columns and c != "publication_year":
            merged[c] = merged[c].where(merged[c].notna(), "")
    tables["catalog"] = merged
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


# ------------------------------------------------------------------------------------------ catalogue notes
def annotate_catalog(cat: pd.DataFrame, fetched: Fetched) -> pd.DataFrame:
    """Append to each API indicator's notes (which already carry the licence and the per-indicator note, see
    _catalog_row) the evidence status of its table: confirmed against the live metadata in this build, or only
    corroborated by public use of the API (SSB-API-FACTS.md), and whether codes were read from labels."""
    if cat.empty:
        return cat
    by_ind = {ind["id"]: ft for ft in fetched.tables for ind in ft.cfg.get("indicator", [])}
    cat = cat.copy()
    notes = []
    for iid, note in zip(cat["id"], cat["notes"]):
        ft = by_ind[iid]
        ev = ", ".join(ft.cfg.get("evidence", []))
        extra = []
        if ft.live:
            extra.append(f"Kodene er bekreftet mot SSBs metadata ({ft.api_url}) ved denne kjøringen.")
        elif ev and not ft.provenance:
            extra.append(f"Tabell- og variabelkodene er belagt ved offentlig bruk av SSBs API ({ev}, se "
                         "pipeline/ssb_tables.toml), ikke sjekket mot SSBs live-metadata ved denne kjøringen.")
        if ft.resolved:
            extra.append("Noen koder er lest fra tabellens etiketter ved henting (se manifest.online).")
        notes.append(" ".join(x for x in [note, *extra] if x))
    cat["notes"] = notes
    return cat


# ------------------------------------------------------------------------------------------ projection groups
AGE_RANGE = re.compile(r"(\d+)\s*[-–]\s*(\d+)")
AGE_OPEN = re.compile(r"(\d+)\s*(?:år)?\s*(?:eller eldre|og over|\+)", re.IGNORECASE)
AGE_ONE = re.compile(r"^\s*(\d+)\s*år\s*$", re.IGNORECASE)


def age_bounds(code: str, label: str, top: int = 105) -> tuple[int, int] | None:
    """(lo, hi) of an age category from its label (or code): '80-89 år' -> (80, 89), '90 år eller eldre' /
    '90+' -> (90, top), '0 år' -> (0, 0); None for a total or anything else."""
    for text in (label or "", code or ""):
        m = AGE_RANGE.search(text)
        if m:
            return int(m.group(1)), int(m.group(2))
        m = AGE_OPEN.search(text)
        if m:
            return int(m.group(1)), top
        m = AGE_ONE.match(text)
        if m:
            return int(m.group(1)), int(m.group(1))
    return None


def _age_codes(ft: FetchedTable, lo: int, hi: int) -> list[str]:
    """The age categories that exactly tile [lo, hi] (else a clear error): from the metadata labels."""
    var = ft.cfg.get("age_variable", "Alder")
    cat = (ft.meta.get("dimension", {}).get(var) or {}).get("category") or {}
    labels = cat.get("label") or {}
    codes = ft.selection.get(var) or list(cat.get("index") or [])
    inside = []
    for c in codes:
        b = age_bounds(c, labels.get(c, ""))
        if b and lo <= b[0] and b[1] <= hi:
            inside.append((b, c))
    inside.sort()
    covered = []
    for (a, b), _ in inside:
        covered += list(range(a, b + 1))
    if covered != list(range(lo, hi + 1)):
        got = ", ".join(f"{c} «{labels.get(c, '')}»" for _, c in inside) or "ingen"
        raise PipelineError(f"tabell {ft.cfg['id']}: aldersgruppene dekker ikke {lo}–{hi} nøyaktig én gang "
                            f"(fant {got})")
    return [c for _, c in inside]


def projection_group_rows(ft: FetchedTable, regions: pd.DataFrame) -> pd.DataFrame:
    """SSB's municipal projection in age groups (already on 2024 codes) -> indicator rows: per declared
    indicator, persons in `ages` for its alternative, municipality + county + country (sums), every declared
    year. All 357 municipalities must be there with a value for every year (a projection has no gaps)."""
    t = ft.cfg
    df = _frame_for(ft)
    munis = regions.loc[regions["level"] == "municipality", "region_code"]
    county_of = regions.loc[regions["level"] == "municipality"].set_index("region_code")["county_code"]
    alt_var = t.get("alternative_variable", "Framskriv")
    out = []
    for ind in t.get("indicator", []):
        lo, hi = ind["ages"]
        ages = _age_codes(ft, lo, hi)
        alt = _as_list(ind["alternative"])
        if len(alt) != 1:
            raise PipelineError(f"tabell {t['id']}, indikator {ind['id']}: ett framskrivingsalternativ, fikk {alt}")
        sub = df[df[t.get("age_variable", "Alder")].isin(ages) & (df[alt_var] == alt[0])]
        sub = sub[sub["code"].isin(set(munis))]
        if sub.duplicated(["code", "year", t.get("age_variable", "Alder")]).any():
            raise PipelineError(f"tabell {t['id']}, indikator {ind['id']}: flere verdier per kommune, år og alder")
        g = sub.groupby(["code", "year"])["value"].agg(["sum", "count"])
        g = g[g["count"] == len(ages)]["sum"]
        years = sorted(int(y) for y in df["year"].unique())
        missing = sorted(set(munis) - {c for c, _ in g.index})
        if missing or len(g) != len(munis) * len(years):
            raise PipelineError(f"tabell {t['id']}, indikator {ind['id']}: framskrivingen mangler tall for "
                                f"{len(munis) * len(years) - len(g)} kommune-år (f.eks. {missing[:5]})")
        m = g.rename("value").reset_index().rename(columns={"code": "region_code"})
        c = m.assign(region_code=m["region_code"].map(county_of)).groupby(["region_code", "year"],
                                                                          as_index=False)["value"].sum()
        n = m.groupby("year", as_index=False)["value"].sum().assign(region_code="NO")
        part = pd.concat([n.assign(level="country"), c.assign(level="county"), m.assign(level="municipality")],
                         ignore_index=True)
        part = part.assign(indicator_id=ind["id"], numerator=part["value"], denominator=np.nan)
        out.append(sort_levels(part, ["year"])[["indicator_id", "level", "region_code", "year", "value",
                                                "numerator", "denominator"]])
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame()


def _add_projection_groups(res: OnlineResult, groups: list[FetchedTable], fetched: Fetched,
                           regions: pd.DataFrame, catalog_columns: list[str]) -> OnlineResult:
    licence = fetched.config.get("api", {}).get("licence", "NLOD 2.0")
    publisher = fetched.config.get("api", {}).get("publisher", "Statistisk sentralbyrå (SSB)")
    rows, cats = [res.indicators], [res.catalog]
    order = int(res.catalog["sort_order"].max()) + 1 if len(res.catalog) else 0
    for ft in groups:
        part = projection_group_rows(ft, regions)
        rows.append(part.astype({"year": "int16"}))
        for ind in ft.cfg.get("indicator", []):
            sub = part[part["indicator_id"] == ind["id"]]
            row = {c: "" for c in catalog_columns}
            row.update(_catalog_row(ind, ft.cfg, ft, sub, licence, publisher, order))
            row["origin"] = "projection"
            row["notes"] = " ".join(x for x in [
                "Framskrevne tall fra SSB, ikke observerte. Kommunene er allerede på 2024-grenser; fylke og land er "
                "summer av kommunene. Aldersgruppene og alternativet er lest fra tabellens etiketter ved henting.",
                fetched.config.get("api", {}).get("licence_note_nb", ""), ind.get("note_nb", "")] if x)
            order += 1
            cats.append(pd.DataFrame([row], columns=catalog_columns))
        res.report["tables"].append(_table_report(ft, {}))
    ind_df = pd.concat([r for r in rows if len(r)], ignore_index=True)
    cat = pd.concat([c for c in cats if len(c)], ignore_index=True).astype(res.catalog.dtypes.to_dict())
    res.source["tables"] = [ft.cfg["id"] for ft in fetched.tables if ft.provenance is None]
    return dataclasses.replace(res, indicators=ind_df, catalog=cat)
