"""`python -m pipeline build`: raw sources -> data/, atomically.

Everything is built into a temporary folder beside the target, every table is validated against its
declared schema (and re-read from disk), and only then is the folder swapped in. A failure at any point
leaves the previous data/ untouched. Output is deterministic: two builds from the same input are
byte-identical (no timestamps; fixed sort orders; fixed float formatting in GeoJSON).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from . import catalog as cat
from . import indicators as ind
from . import national as nat
from . import projected as prj
from .errors import PipelineError
from .harmonise import Harmoniser, cross_check
from .schemas import validate
from .sources import read_07459, read_b2024, read_municipalities, read_redistricting

REPO = Path(__file__).resolve().parents[1]
DEFAULT_RAW = REPO.parent / "shared" / "data" / "raw"
DEFAULT_OUT = REPO / "data"
RAW_YEARS = range(2005, 2022)      # from the 07459 exports, codes of each year
B2024_YEARS = range(2022, 2027)    # from the file already on 2024 borders
POP_FILES = ["ssb07459-Personer2005-2009.csv", "ssb07459-Personer2010-2014.csv",
             "ssb07459-Personer2015-2018.csv", "ssb07459-Personer2019.csv",
             "ssb07459-Personer2020.csv", "ssb07459-Personer2021.csv"]
B2024_FILE = "population_by_age_b2024_2005-2026.csv.gz"
TABLES = ["regions", "population", "population_groups", "indicators", "catalog", "service_areas", "neighbours",
          "statistical_neighbours", "comparison_features"]
TABLES.append("projection")  # population projection 2027–2040 (pipeline/projected.py)
TABLES.append("projection_track")  # SSB's national vintages and ours against the observed (pipeline/national.py)
TABLES += ["seed_areas", "measures"]  # policy-document tables (pipeline/seeds.py)
TABLES.append("gap_notes")  # why a municipality has no value (KOSTRA tables; pipeline/online.py)
TABLES += ["view_ranks", "view_spread", "view_neighbour_medians"]  # precomputed views (pipeline/views.py)


class Progress:
    def __init__(self, stream=sys.stderr):
        self.t0 = time.perf_counter()
        self.stream = stream

    def __call__(self, msg: str) -> None:
        print(f"[{time.perf_counter() - self.t0:6.1f} s] {msg}", file=self.stream, flush=True)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def build_regions(munis: pd.DataFrame) -> pd.DataFrame:
    counties = (munis[["county_code", "county_name"]].drop_duplicates().sort_values("county_code"))
    if counties["county_code"].duplicated().any() or len(counties) != 15:
        raise PipelineError(f"ventet 15 fylker med ett navn hver, fant {len(counties)}")
    rows = [{"region_code": "NO", "level": "country", "name": "Norge", "county_code": None, "county_name": None}]
    rows += [{"region_code": r.county_code, "level": "county", "name": r.county_name,
              "county_code": r.county_code, "county_name": r.county_name} for r in counties.itertuples()]
    m = munis.sort_values("municipality_code")
    rows += [{"region_code": r.municipality_code, "level": "municipality", "name": r.municipality_name,
              "county_code": r.county_code, "county_name": r.county_name} for r in m.itertuples()]
    df = pd.DataFrame(rows)
    df["sort_order"] = range(len(df))
    return df.astype({"region_code": str, "level": str, "name": str, "sort_order": "int32"})


def _write_parquet(df: pd.DataFrame, path: Path) -> None:
    df.to_parquet(path, index=False, engine="pyarrow", compression="zstd")


def build(raw: Path = DEFAULT_RAW, out: Path = DEFAULT_OUT, log=None, online=None) -> dict:
    """Build data/ from raw; returns the manifest. Raises PipelineError; never leaves a half-written out."""
    log = log or Progress()
    raw, out = Path(raw), Path(out)
    if not raw.is_dir():
        raise PipelineError("mappen med rådata finnes ikke", raw)
    fetched = None
    if online is not None:  # --online/--cache-only: SSB first, so no network fails fast and writes nothing
        from . import online as onl
        fetched = onl.fetch_all(online, log)
    tmp = out.parent / f".{out.name}.building-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    (tmp / "geo").mkdir(parents=True)
    try:
        manifest = _build_into(raw, tmp, log, fetched)
        _swap(tmp, out)
        log(f"ferdig: {out}")
        return manifest
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _swap(tmp: Path, out: Path) -> None:
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        out.rename(old)
    try:
        tmp.rename(out)
    except BaseException:
        if old.exists() and not out.exists():
            old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _build_into(raw: Path, tmp: Path, log, fetched=None) -> dict:
    inputs = []
    exports = []
    for name in POP_FILES:
        p = raw / "population" / name
        log(f"leser {p.name}")
        e = read_07459(p)
        exports.append(e)
        inputs.append(p)
    raw_pop = pd.concat([e.data for e in exports], ignore_index=True)
    dup = raw_pop.duplicated(["code", "year", "age"])
    if dup.any():
        r = raw_pop[dup].iloc[0]
        raise PipelineError(f"året {r['year']} finnes i flere eksportfiler")
    missing_years = sorted(set(RAW_YEARS) - set(int(y) for y in raw_pop["year"].unique()))
    if missing_years:
        raise PipelineError(f"eksportfilene mangler årene {missing_years}", raw / "population")
    b_path = raw / "population" / B2024_FILE
    log(f"leser {b_path.name}")
    b2024 = read_b2024(b_path)
    codes_path = raw / "codes" / "redistricting_to_b2024.csv"
    munis_path = raw / "codes" / "municipalities_b2024.csv"
    log("leser kodelister")
    mapping = read_redistricting(codes_path)
    munis = read_municipalities(munis_path)
    inputs += [b_path, codes_path, munis_path]

    log("harmoniserer 2005–2026 til 2024-grenser")
    h = Harmoniser(raw=raw_pop, b2024=b2024, mapping=mapping, municipalities=list(munis["municipality_code"]))
    years = list(RAW_YEARS) + list(B2024_YEARS)
    muni_pop = h.all_years(years)
    log("kryssjekker mot befolkningen på 2024-grenser")
    check = cross_check(muni_pop, b2024, years)
    log(f"  {check['municipality_years_differing']} av {check['municipality_years_compared']} kommune-år avviker "
        f"(kommuner: {', '.join(check['codes_differing']) or 'ingen'})")

    regions = build_regions(munis)
    log("beregner fylke, land, aldersgrupper og indikatorer")
    pop = ind.aggregate_population(muni_pop, regions)
    groups = ind.population_groups(pop)
    indicators = ind.compute(pop)
    catalog = cat.build_catalog(indicators, h.report, dict(zip(regions["region_code"], regions["name"])))
    areas = cat.build_service_areas()
    vintages_path = raw / nat.FILE
    log(f"leser SSBs nasjonale framskrivinger ({vintages_path.name})")
    vintages = nat.read_vintages(vintages_path)
    inputs.append(vintages_path)
    log(f"framskriver befolkningen {prj.BASE_YEAR}–{prj.END_YEAR} (avstemt mot SSB {prj.NATIONAL_VINTAGE}, tre "
        "alternativer) og kjører tilbaketesten")
    projection = prj.build_projection(pop, regions, vintages)
    projection_report = prj.manifest_section(pop, regions, vintages, projection)
    log("sammenligner SSBs framskrivinger 2005–2022 og vår metode med registrert befolkning")
    track = nat.track_record(vintages, pop, regions, prj.pr.project)
    proj_ind = prj.projected_indicators(projection)
    catalog = pd.concat([catalog, prj.projected_catalog(proj_ind, 500)], ignore_index=True)

    log("lager kartgeometri og nabotabell")
    from .geo import build_geo  # shapely/pyproj: only needed by the build
    geo_report = build_geo(raw, tmp, log=log)
    inputs += [raw / "geo" / f for f in geo_report.get("inputs", [])]
    neighbours = pd.read_parquet(tmp / "neighbours.parquet")

    tables = {"regions": regions, "population": pop, "population_groups": groups, "indicators": indicators,
              "catalog": catalog, "service_areas": areas, "neighbours": neighbours}
    tables["projection"] = projection
    tables["projection_track"] = track
    kostra_out, kostra_inputs = _add_kostra(tables, raw, h, muni_pop, fetched, log)
    inputs += kostra_inputs
    comparison_report = _add_comparison(tables, tmp, log, kostra_out["no_interval"])
    tables["indicators"] = prj.append_indicators(tables["indicators"], proj_ind)  # no intervals on projections
    seed = _add_seeds(tables, raw, set(proj_ind["indicator_id"]), log)  # document figures: no intervals either
    inputs += seed.inputs
    from .views import build_views
    log("beregner visningene: rangeringer, spredning og nabomedianer (pipeline/views.py)")
    tables.update(build_views(tables))  # after the last change to indicators: the views are of the final values
    log("validerer tabellene mot skjemaene")
    for name, df in tables.items():
        tables[name] = validate(name, df)
    _cross_table_checks(tables, vintages)
    for name, df in tables.items():
        _write_parquet(df, tmp / f"{name}.parquet")
    for name in TABLES:  # read back what is on disk: what the app will load
        validate(name, pd.read_parquet(tmp / f"{name}.parquet"))

    manifest = {
        "product": "omsorgsatlas",
        "borders": 2024,
        "tables": {n: {"file": f"{n}.parquet", "rows": int(len(tables[n]))} for n in TABLES},
        "sources": [
            {"name": cat.SSB_07459, "url": cat.SSB_07459_URL, "licence": "NLOD 2.0",
             "publisher": "Statistisk sentralbyrå (SSB)", "used_for": ["population", "population_groups",
                                                                     "indicators"]},
            {"name": "Nasjonale befolkningsframskrivinger 2005–2026 (tabell 05904 … 14746)",
             "url": prj.SSB_14746_URL, "licence": "NLOD 2.0", "publisher": "Statistisk sentralbyrå (SSB)",
             "via": "github.com/evensrii/Telemark (commit 2f2c2110de64611a0bab80a5f8f109183475bc50)",
             "used_for": ["projection", "projection_track"]},
            {"name": "Administrative enheter (kommuner og fylker 2024)", "publisher": "Kartverket",
             "licence": "CC BY 4.0", "credit": "© Kartverket", "used_for": ["geo", "neighbours"]},
        ],
        "inputs": {str(p.relative_to(raw)): _sha256(p) for p in inputs},
        "exports": [{"file": e.path.name, "layout": e.layout, "encoding": e.encoding,
                     "years": sorted(int(y) for y in e.data["year"].unique()),
                     "rest_categories": {f"{r.label} {r.year}": int(r.population) for r in e.rest.itertuples()}}
                    for e in exports],
        "harmonisation": {**h.report, "cross_check_b2024": check},
        "geo": geo_report,
        "comparison": comparison_report,
    }
    manifest["projection"] = projection_report
    manifest["seeds"] = seed.manifest_section()
    if fetched is not None:
        from . import online as onl
        onl.amend_manifest(manifest, kostra_out)
    else:
        manifest["kostra"] = kostra_out["report"]
        manifest["sources"].append({**kostra_out["source"], "name": "SSB KOSTRA (kopier av SSBs API-svar i råspeilet)",
                                    "used_for": ["indicators", "gap_notes"]})
    (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                       encoding="utf-8")
    shutil.copyfile(Path(__file__).with_name("data_readme.md"), tmp / "README.md")
    return manifest


def _add_kostra(tables: dict, raw: Path, h: Harmoniser, muni_pop: pd.DataFrame, fetched, log) -> tuple[dict, list]:
    """KOSTRA care-service indicators (pipeline/ssb_tables.toml): the tables the raw mirror holds (pipeline/kostra.py)
    and, in an online build, every declared table fetched from SSB (which supersedes the raw copy of the same
    table). One engine for both (pipeline/online.py); adds indicators, catalogue rows and gap_notes to `tables`."""
    from . import kostra
    from . import online as onl
    cfg = fetched.config if fetched is not None else onl.load_config(onl.DEFAULT_CONFIG)

    def pop80(year: int) -> pd.Series:  # ages 80–104: see pipeline/kostra.py on the 12209 file's population column
        p = muni_pop[(muni_pop["year"] == year) & muni_pop["age"].between(80, 104)]
        return p.groupby("code")["population"].sum()
    log("leser KOSTRA-tallene i råspeilet (kostra/)")
    offline = kostra.offline_tables(raw, cfg, pop80)
    online_ids = {ft.cfg["id"] for ft in fetched.tables} if fetched is not None else set()
    tabs = [ft for ft in offline if ft.cfg["id"] not in online_ids] + (list(fetched.tables) if fetched else [])
    combined = onl.Fetched(cfg, tabs, fetched.requests_made if fetched else 0, fetched.cache_hits if fetched else 0,
                           fetched.base_url if fetched else cfg.get("api", {}).get("base_url", ""))
    before = set(tables["catalog"]["id"])
    out = onl.apply(tables, combined, h, muni_pop, log)
    tables["gap_notes"] = out["gap_notes"]
    # every page leads with the care services: their indicators come first in the catalogue's order
    cat = tables["catalog"]
    new = ~cat["id"].isin(before)
    order = pd.concat([cat[new], cat[~new]])
    order["sort_order"] = range(len(order))
    tables["catalog"] = order.astype({"sort_order": cat["sort_order"].dtype}).reset_index(drop=True)
    return out, [raw / ft.provenance["file"] for ft in offline if ft.cfg["id"] not in online_ids]


def _add_comparison(tables: dict, tmp: Path, log, no_interval=frozenset()) -> dict:
    """95 % intervals on the indicators (ci_low, ci_high) and the statistical neighbours (pipeline/comparison.py).
    Indicators declared with ``interval = "none"`` (ratios of two counts that are not a rate of events, such as
    persons per GP) get none."""
    from . import comparison
    log("beregner 95 %-intervaller og statistiske naboer")
    units = dict(zip(tables["catalog"]["id"], tables["catalog"]["unit"]))
    tables["indicators"] = comparison.add_intervals(tables["indicators"], units)
    if no_interval:
        sel = tables["indicators"]["indicator_id"].isin(list(no_interval))
        tables["indicators"].loc[sel, ["ci_low", "ci_high"]] = np.nan
    nb, feats, report = comparison.build_comparison(tables["indicators"], tmp / "geo" / "municipalities.geojson")
    tables["statistical_neighbours"], tables["comparison_features"] = nb, feats
    return report


def _add_seeds(tables: dict, raw: Path, projected_ids: set, log):
    """National/county tables from the policy documents, seed areas and measures (pipeline/seeds.py)."""
    from . import seeds
    log("leser tabellene fra policydokumentene (seeds/)")
    out = seeds.build_seeds(raw, tables["indicators"])
    tables["indicators"] = seeds.append_indicators(tables["indicators"], out.indicators)
    tables["catalog"] = seeds.extend_catalog(tables["catalog"], out.catalog, projected_ids)
    tables["seed_areas"], tables["measures"] = out.areas, out.measures
    return out


def _cross_table_checks(t: dict, vintages: pd.DataFrame | None = None) -> None:
    codes = set(t["regions"]["region_code"])
    for problem in prj.check_projection(t["projection"], t["regions"], vintages) if "projection" in t else []:
        raise PipelineError(f"tabellen «projection»: {problem}")
    for name in ("population", "indicators"):
        unknown = set(t[name]["region_code"]) - codes
        if unknown:
            raise PipelineError(f"tabellen «{name}» har ukjente regionkoder {sorted(unknown)[:5]}")
    ids = set(t["catalog"]["id"])
    if set(t["indicators"]["indicator_id"]) != ids:
        raise PipelineError("indikatorer og katalog stemmer ikke overens")
    areas = set(t["service_areas"]["id"])
    for row in t["catalog"].itertuples():
        if not set(row.service_areas) <= areas:
            raise PipelineError(f"indikatoren {row.id} har ukjent tjenesteområde")
    munis = set(t["regions"].loc[t["regions"]["level"] == "municipality", "region_code"])
    nb = t["neighbours"]
    if not (set(nb["region_code"]) | set(nb["neighbour_code"])) <= munis:
        raise PipelineError("nabotabellen har ukjente kommunenummer")
    if set(nb["region_code"]) != munis:
        raise PipelineError(f"kommuner uten naboer: {sorted(munis - set(nb['region_code']))[:5]}")
