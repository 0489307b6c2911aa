"""The whole online build (`python -m pipeline build --online`) against a local HTTP server on 127.0.0.1 that
answers like SSB's PxWebApi v2 for EVERY table declared in pipeline/ssb_tables.toml.

FIXTURES: every number served here is invented. The server's metadata and data are generated in this module
from a small hand-made spec (`SPECS`, `fixture_value`): the dimension ids, value codes and the JSON-stat2 layout
(`id`, `size`, `dimension.<id>.category.index/label`, `extension.elimination`, `value` with nulls, `status`) are
those of the declared tables; the labels of codes that SSB-API-FACTS.md does not record are invented fixture
labels (marked «(fixture)» or chosen to exercise the declarations' label patterns). Region codes are the real
municipality codes of each year (codes/redistricting_to_b2024.csv), historic codes included, plus KOSTRA
aggregate codes (EAK, EAKUO, EKG17, EKA03). Builds go to temporary folders only: nothing reaches data/.

The exception: for 12005 and 12209 the server answers with exactly the values of the raw files the offline build
reads (../shared/data/raw/kostra/, real SSB figures as copied by FemtiGram/kart and Alksalt/omsorgsradar), read
here independently of pipeline/kostra.py, so that the online and the offline build can be compared cell by cell.
"""
from __future__ import annotations

import http.server
import itertools
import json
import re
import threading
import time
import urllib.parse
from pathlib import Path

import pandas as pd
import pytest

from pipeline import build as B
from pipeline import online as onl
from pipeline import ssb_api as api
from pipeline.sources import read_redistricting
from tests.jsonstat_fixture import closed_port, jsonstat_dataset, send_json

REPO = Path(__file__).resolve().parents[2]
RAW = REPO.parent / "shared" / "data" / "raw"
YEARS = list(range(2015, 2026))
AGGREGATES = {"EAK": "Landet (fixture)", "EAKUO": "Landet uten Oslo (fixture)", "EKG17": "KOSTRA-gruppe 17 (fixture)",
              "EKA03": "Oslo fylke (fixture)"}


# ------------------------------------------------------------------------------------------ region codes
def codes_by_year() -> dict[int, list[str]]:
    """Municipality codes that existed in each year. The code list also lists, for 2023, the codes of 2024
    (new county numbers, Ålesund/Haram): SSB has no figures for those in 2023, so 2023 = the codes of 2022."""
    m = read_redistricting(RAW / "codes" / "redistricting_to_b2024.csv")
    out = {int(y): sorted(set(g["code_original"])) for y, g in m.groupby("year") if 2009 <= int(y) <= 2040}
    out[2023] = out[2022]
    return out


CODES = codes_by_year()
ALL_CODES = sorted(set().union(*(CODES[y] for y in YEARS)))           # 838 codes of 2015–2025


# ------------------------------------------------------------------------------------------ fixture spec
# Per table: the dimensions in SSB's order, each (id, label, {code: label}, elimination). `None` as the code
# dict means "the declared codes of ssb_tables.toml, labelled (fixture)" (used for tables whose blocks may be
# rewritten elsewhere, e.g. 12005/12209). Codes beyond the declared ones are distractors for label patterns.
def _labels(codes, suffix=" (fixture)"):
    return {c: f"{c}{suffix}" for c in codes}


KOK_REGION = ("KOKkommuneregion0000", "region", "KOKREGION", True)
TID = ("Tid", "år", {str(y): str(y) for y in YEARS}, False)
YRKER = {"TOT": "I alt", "01": "Ledere (fixture)", "02": "Helsefagarbeidere (fixture)", "03": "Sykepleiere (fixture)",
         "04": "Spesialsykepleiere (fixture)", "05": "Vernepleiere (fixture)", "06": "Leger (fixture)",
         "07a": "Fysioterapeuter (fixture)", "07b": "Ergoterapeuter (fixture)", "07c": "Sosionomer (fixture)",
         "07d": "Barnevernspedagoger (fixture)", "07e": "Andre med høyskole (fixture)",
         "08": "Assistenter (fixture)", "09": "Annet personell (fixture)", "99": "Uoppgitt (fixture)"}
UTDANNING = {"00": "Alle utdanninger (fixture)", "01": "Sykepleiere i alt (fixture)",
             "02": "Helsefagarbeidere, hjelpepleiere og omsorgsarbeidere (fixture)",
             "03": "Annen helse- og sosialfaglig utdanning (fixture)",
             "04": "Uten helse- og sosialfaglig utdanning (fixture)"}
KYRK2 = {"KF00": "Alle utdanninger (fixture)", "KF01": "Sykepleiere (fixture)", "KF02": "Spesialsykepleiere (fixture)",
         "KF03": "Sykepleiere med videreutdanning (fixture)", "KF04": "Sykepleiere, annet (fixture)",
         "KF05": "Helsefagarbeidere (fixture)"}
AGE_GROUPS = {"000": "0 år", "001-005": "1-5 år", "006-012": "6-12 år", "013-015": "13-15 år", "016-019": "16-19 år",
              "020-044": "20-44 år", "045-066": "45-66 år", "067-079": "67-79 år", "080-089": "80-89 år",
              "090+": "90 år eller eldre"}
ALTERNATIVES = {"MMMM": "Hovedalternativet (MMMM)", "LLML": "Lav nasjonal vekst (LLML)",
                "HHMH": "Høy nasjonal vekst (HHMH)", "MHMM": "Høy fruktbarhet (MHMM) (fixture)"}

SPECS = {
    "11875": [KOK_REGION, ("ContentsCode", "statistikkvariabel", {
        "KOSinstdispplass0000": "Plasser i alt (fixture)", "KOSsykehjdisppla0000": "Sykehjemsplasser (fixture)",
        "KOSinstdemenspla0000": "Plasser for personer med demens (fixture)"}, False), TID],
    "12292": [KOK_REGION, ("ContentsCode", "statistikkvariabel", _labels([
        "KOSbeboersykehje0000", "KOSkjernetotalt0000", "KOSkjerne80aarov0000", "KOSaarsverkbruke0000",
        "KOSkjerne066aar0000"]), False), TID],
    "12293": [KOK_REGION, ("ContentsCode", "statistikkvariabel", _labels(["KOSbeleggomsorgs0000"]), False), TID],
    "11996": [KOK_REGION, ("KOKavtaleform0000", "avtaleform", {"sum": "Sum (fixture)", "1": "Fast lønn (fixture)"}, True),
              ("KOKfunksjon0000", "funksjon", _labels(["FGK10", "120", "232", "233", "241", "253", "256"]), True),
              ("ContentsCode", "statistikkvariabel", _labels(["KOSlegeaarsverk0000"]), False), TID],
    "14533": [KOK_REGION, ("KOKyrker0000", "yrke", YRKER, True),
              ("ContentsCode", "statistikkvariabel", _labels(["KOSARBAARSVERKST0000"]), False), TID],
    "14534": [KOK_REGION, ("KOKstillingkode0000", "stilling", {"TOT": "Alle stillinger (fixture)", "10": "Leder (fixture)"}, True),
              ("KOKutdanningoms0000", "utdanning", UTDANNING, True),
              ("ContentsCode", "statistikkvariabel", _labels(["KOSARBAARSVERKST0000"]), False), TID],
    "11924": [KOK_REGION, ("KOKkyrk200000", "utdanning", KYRK2, True),
              ("ContentsCode", "statistikkvariabel", _labels(["KOSARBAARSVERKST0000"]), False),
              ("Tid", "år", {str(y): str(y) for y in range(2015, 2024)}, False)],
    "11645": [("Region", "region", "REGION", True),
              ("TenesteType", "tjeneste", {"21": "Langtidsopphold i institusjon (fixture)", "22": "Korttid (fixture)"}, True),
              ("Alder", "alder", {"Ialt": "I alt", "00-49": "0-49 år", "50-66": "50-66 år", "67-79": "67-79 år",
                                  "80-89": "80-89 år", "90+": "90 år eller eldre"}, True),
              ("ContentsCode", "statistikkvariabel", _labels(["Brukere1"]), False),
              ("Tid", "år", {str(y): str(y) for y in range(2009, 2026)}, False)],
    "14746": [("Region", "region", "REGION2024", False), ("Kjonn", "kjønn", {"1": "Menn", "2": "Kvinner"}, True),
              ("Alder", "alder", AGE_GROUPS, False), ("Framskriv", "framskrivingsalternativ", ALTERNATIVES, False),
              ("ContentsCode", "statistikkvariabel", {"Personer1": "Personer"}, False),
              ("Tid", "år", {str(y): str(y) for y in range(2026, 2051)}, False)],
}
SUPPRESSED = {("12292", "KOSkjerne80aarov0000", "3101", "2024"): ":",   # Halden 2024: suppressed
              ("12292", "KOSkjerne80aarov0000", "3002", "2022"): ".."}  # Moss (3002 until 2023): missing
NULL_YEARS = {"11645": range(2009, 2015)}                                 # served as nulls with '..'


def region_codes(kind: str) -> dict[str, str]:
    if kind == "KOKREGION":
        return {**{c: f"{c} (fixture)" for c in ALL_CODES}, **AGGREGATES}
    if kind == "REGION":
        codes = sorted(set().union(*(CODES[y] for y in range(2009, 2026))))
        return {"0": "Hele landet (fixture)", **{c: f"{c} (fixture)" for c in codes}}
    return {"0": "Hele landet (fixture)", **{c: f"{c} (fixture)" for c in CODES[2024]}}


def table_dims(table: str, cfg: dict) -> list[tuple[str, str, dict, bool]]:
    """Dimensions of a served table: the hand-made spec, or (12005/12209) the declaration's own codes."""
    if table in SPECS:
        dims = SPECS[table]
    else:
        t = next(t for t in cfg["table"] if t["id"] == table)
        dims = [KOK_REGION if t["region_variable"] == "KOKkommuneregion0000" else (t["region_variable"], "region", "REGION", True)]
        dims += [(v, v, _labels(codes), False) for v, codes in t["select"].items()
                 if v not in (t["region_variable"], t["time_variable"])]
        dims.append(("Tid", "år", {y: y for y in t["select"]["Tid"]}, False))
    return [(i, lab, region_codes(codes) if isinstance(codes, str) else codes, el) for i, lab, codes, el in dims]


def fixture_value(table: str, cell: dict[str, str]) -> tuple[float | None, str]:
    """The invented number of one cell (and its status symbol): a small deterministic function of the codes.
    Null (no status) where the municipality code did not exist that year; aggregates get a number that is NOT
    the sum of the municipalities (so using them would show)."""
    year = int(cell["Tid"])
    region = cell.get("KOKkommuneregion0000", cell.get("Region", ""))
    region = region[2:] if region.startswith("K-") else region
    if table in NULL_YEARS and year in NULL_YEARS[table]:
        return None, ".."
    if region in AGGREGATES or region == "0":
        return 999999.0, ""
    existing = CODES[2024] if table == "14746" else CODES.get(year, [])
    if region not in existing:
        return None, ""
    key = (table, cell.get("ContentsCode"), region, cell["Tid"])
    if key in SUPPRESSED:
        return None, SUPPRESSED[key]
    salt = sum(ord(ch) for k, v in sorted(cell.items()) if k not in ("Tid", "KOKkommuneregion0000", "Region")
               for ch in v)
    base = (int(region) * 7 + year * 3 + salt) % 97 + 5
    if cell.get("ContentsCode") == "KOSkjerne80aarov0000":     # recipients 80+ < all recipients
        base = base // 3 + 1
    return float(base), ""


# ------------------------------------------------------------------------------------------ 12005/12209 = raw files
def raw_kostra_cells() -> dict[tuple[str, str, str, str], float]:
    """(table, ContentsCode, code, year) -> value, straight from the raw files (missing cells stay absent)."""
    cells = {}
    doc = json.loads((RAW / "kostra" / "ssb12005-fastlege-2015-2025.json").read_text(encoding="utf-8"))
    latest = str(doc["latestYear"])
    for code, k in doc["kommuner"].items():
        for cc, v in (k.get("latest") or {}).items():
            cells[("12005", cc, code, latest)] = float(v)
        for cc, pts in (k.get("trend") or {}).items():
            for pt in pts:
                cells.setdefault(("12005", cc, code, str(pt["year"])), float(pt["value"]))
    csv = pd.read_csv(RAW / "kostra" / "ssb12209-80pluss-hjemmetjenester-institusjon-2025.csv", dtype={"knr": str})
    for col, cc in (("coverage_rate_hjemmetj80_pct", "KOShjtj80aarover0001"), ("inst_80_pct", "KOSsykhjand80aar0000")):
        for code, v, y in zip(csv["knr"], csv[col], csv["latest_kostra_year"]):
            if pd.notna(v):
                cells[("12209", cc, code, str(int(y)))] = float(v)
    return cells


RAW_CELLS = raw_kostra_cells()


def served_value(table: str, cell: dict[str, str]) -> tuple[float | None, str]:
    """12005 and 12209: the raw files' value, null (no status) where the file has none; else the fixture."""
    if table not in ("12005", "12209"):
        return fixture_value(table, cell)
    region = cell["KOKkommuneregion0000"]
    if region in AGGREGATES:
        return 999999.0, ""
    v = RAW_CELLS.get((table, cell["ContentsCode"], region, cell["Tid"]))
    return (v, "") if v is not None else (None, "")


# ------------------------------------------------------------------------------------------ the server
def jsonstat(table: str, dims, selection: dict | None, value_fn) -> dict:
    """A JSON-stat2 dataset in SSB's layout; metadata when selection is None (no value/status)."""
    chosen = [(i, lab, list(codes) if selection is None else selection[i], codes, el)
              for i, lab, codes, el in dims if selection is None or i in selection]
    shape = [(i, lab, {c: codes[c] for c in sel}, el) for i, lab, sel, codes, el in chosen]
    kw = {"source": "Statistisk sentralbyrå (FIXTURE)", "updated": "2026-06-15T06:00:00Z", "decimals": 0}
    if selection is None:
        return jsonstat_dataset(table, shape, **kw)
    values, status = [], {}
    eliminated = [(i, list(codes)) for i, _, codes, _ in dims if i not in selection]
    for n, combo in enumerate(itertools.product(*[c[2] for c in chosen])):
        cell = dict(zip([c[0] for c in chosen], combo))
        total, st = 0.0, ""
        for extra in itertools.product(*[c for _, c in eliminated]):   # eliminated = summed, as SSB does
            v, s = value_fn(table, {**cell, **dict(zip([i for i, _ in eliminated], extra))})
            if v is None:
                total, st = None, s
                break
            total += v
        values.append(total)
        if st:
            status[str(n)] = st
    return jsonstat_dataset(table, shape, values, status, **kw)


class FixtureSSB:
    """http.server on 127.0.0.1 (free port) answering /api/pxwebapi/v2/tables/<id>/{metadata,data}."""

    def __init__(self, cfg: dict, value_fn=served_value):
        self.cfg, self.value_fn = cfg, value_fn
        self.requests: list[str] = []
        self.drop: dict[str, str] = {}     # table -> a code to leave out of its metadata (error test)
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                owner.requests.append(self.path)
                send_json(self, *owner.answer(self.path))

            def log_message(self, *a):
                pass

        self.srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.srv.serve_forever, daemon=True)
        self.base_url = f"http://127.0.0.1:{self.srv.server_address[1]}/api/pxwebapi/v2"

    def answer(self, path: str) -> tuple[int, bytes]:
        route, _, query = path.partition("?")
        m = re.fullmatch(r"/api/pxwebapi/v2/tables/([^/]+)/(metadata|data)", route)
        ids = [t["id"] for t in self.cfg["table"]]
        if not m or m.group(1) not in ids:
            return 404, b'{"type":"Parameter error","title":"Non-existent table","status":404}'
        table, kind = m.groups()
        dims = table_dims(table, self.cfg)
        if table in self.drop:
            dims = [(i, lab, {c: v for c, v in codes.items() if c != self.drop[table]}, el) for i, lab, codes, el in dims]
        if kind == "metadata":
            return 200, json.dumps(jsonstat(table, dims, None, None), ensure_ascii=False).encode("utf-8")
        sel = {}
        for k, v in urllib.parse.parse_qsl(query):
            mm = re.fullmatch(r"valueCodes\[(.+)\]", k)
            if mm:
                sel[mm.group(1)] = v.split(",")
        known = {i: codes for i, _, codes, _ in dims}
        for var, vals in sel.items():
            bad = [v for v in vals if var not in known or v not in known[var]]
            if bad:
                return 400, b'{"type":"Parameter error","title":"Non-existent value","status":400}'
        for i, _, _, el in dims:
            if i not in sel and not el:
                return 400, b'{"type":"Parameter error","title":"Missing selection for mandatory variable","status":400}'
        return 200, json.dumps(jsonstat(table, dims, sel, self.value_fn), ensure_ascii=False).encode("utf-8")

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.srv.shutdown()
        self.srv.server_close()


def server_config(tmp: Path, base_url: str, source: Path = onl.DEFAULT_CONFIG) -> Path:
    """The real declarations with the API pointed at the fixture server (and no 30-per-minute pause)."""
    text = source.read_text(encoding="utf-8")
    text = text.replace('base_url = "https://data.ssb.no/api/pxwebapi/v2"', f'base_url = "{base_url}"', 1)
    text = re.sub(r"(?m)^requests_per_minute = \d+", "requests_per_minute = 100000", text, count=1)
    assert base_url in text
    p = tmp / "ssb_tables.toml"
    p.write_text(text, encoding="utf-8")
    return p


# ------------------------------------------------------------------------------------------ one build, shared
@pytest.fixture(scope="module")
def online(tmp_path_factory):
    """First build (network: the fixture server) into an out dir that already holds an old build, then a
    second build served from the cache only."""
    tmp = tmp_path_factory.mktemp("online")
    cfg = onl.load_config(onl.DEFAULT_CONFIG)
    with FixtureSSB(cfg) as srv:
        conf = server_config(tmp, srv.base_url)
        out = tmp / "data"
        out.mkdir()
        (out / "OLD_BUILD_MARKER").write_text("old\n")
        opts = onl.OnlineOptions(config=conf, cache_dir=tmp / "cache")
        manifest = B.build(RAW, out, log=lambda m: None, online=opts)
        first = list(srv.requests)
        first_bytes = (out / "indicators.parquet").read_bytes()
        srv.requests.clear()
        manifest2 = B.build(RAW, out, log=lambda m: None,
                            online=onl.OnlineOptions(config=conf, cache_dir=tmp / "cache"))
        second = list(srv.requests)
    return {"tmp": tmp, "out": out, "manifest": manifest, "manifest2": manifest2, "first": first,
            "second": second, "first_bytes": first_bytes, "cfg": cfg,
            "ind": pd.read_parquet(out / "indicators.parquet"), "cat": pd.read_parquet(out / "catalog.parquet")}


def series(online, iid: str) -> pd.DataFrame:
    ind = online["ind"]
    return ind[ind["indicator_id"] == iid].set_index(["level", "region_code", "year"])


def test_every_declared_table_and_indicator_is_built(online):
    ids = [t["id"] for t in online["cfg"]["table"]]
    assert [t["id"] for t in online["manifest"]["online"]["tables"]] == ids or \
        sorted(t["id"] for t in online["manifest"]["online"]["tables"]) == sorted(ids)
    declared = {i["id"] for t in online["cfg"]["table"] for i in t.get("indicator", [])}
    assert declared <= set(online["cat"]["id"])
    assert declared <= set(online["ind"]["indicator_id"])
    assert not (online["out"] / "OLD_BUILD_MARKER").exists()        # data/ swapped as a whole
    assert sorted(p.name for p in online["tmp"].iterdir() if p.name.startswith(".")) == []  # no temp folders


def test_several_batches_and_a_second_run_from_the_cache(online):
    data_calls = [u for u in online["first"] if "/data?" in u]
    per_table = pd.Series([re.search(r"/tables/([^/]+)/", u).group(1) for u in data_calls]).value_counts()
    assert per_table["12292"] >= 2 and per_table["14746"] >= 2      # 891 region codes > one URL of 2 000 chars
    assert all(len(u) < 2000 + 100 for u in online["first"])
    assert online["second"] == []                                     # zero new requests
    assert online["manifest2"]["online"]["requests_made"] == 0
    assert online["manifest2"]["online"]["cache_hits"] == online["manifest"]["online"]["requests_made"]
    assert (online["out"] / "indicators.parquet").read_bytes() == online["first_bytes"]


def test_merged_codes_are_summed_and_split_codes_apportioned(online):
    s = series(online, "kostra_institution_residents_per1000_80plus")
    v = lambda code, y: fixture_value("12292", {"KOKkommuneregion0000": code, "ContentsCode": "KOSbeboersykehje0000",
                                                "Tid": str(y)})[0]
    # Moss 3103 (2024) = 0104 Moss + 0136 Rygge in 2019
    assert s.loc[("municipality", "3103", 2019), "numerator"] == pytest.approx(v("0104", 2019) + v("0136", 2019))
    # Ålesund 1507 (2023) split into 1508 Ålesund and 1580 Haram: apportioned, not duplicated
    a, b = s.loc[("municipality", "1508", 2023), "numerator"], s.loc[("municipality", "1580", 2023), "numerator"]
    assert a > 0 and b > 0 and a + b == pytest.approx(v("1507", 2023))
    # Snillfjord 5012 (2019) split three ways; the country is the sum of every existing 2019 code, once
    assert s.loc[("country", "NO", 2019), "numerator"] == pytest.approx(sum(v(c, 2019) for c in CODES[2019]))
    # rates are recomputed from harmonised numerator and denominator
    r = s.loc[("municipality", "3103", 2019)]
    assert r["value"] == pytest.approx(r["numerator"] / r["denominator"] * 1000)
    pop = pd.read_parquet(online["out"] / "population.parquet")   # KOSTRA's 31.12 = 1 January of the next year
    p80 = pop[(pop["region_code"] == "3103") & (pop["year"] == 2020) & (pop["age"] >= 80)]["population"].sum()
    assert r["denominator"] == pytest.approx(p80)


def test_nulls_stay_gaps_and_aggregates_are_ignored(online):
    s = series(online, "kostra_home_recipients_80plus_per1000_80plus")
    assert ("municipality", "3101", 2024) not in s.index             # ':' suppressed -> gap, never 0
    assert ("municipality", "3103", 2022) not in s.index             # '..' missing -> gap
    assert ("municipality", "3101", 2023) in s.index and ("county", "31", 2025) in s.index
    # aggregate = "reported": county and country are sums over the municipalities that have a value
    v24 = lambda c: fixture_value("12292", {"KOKkommuneregion0000": c, "ContentsCode": "KOSkjerne80aarov0000",
                                            "Tid": "2024"})[0]
    assert s.loc[("country", "NO", 2024), "numerator"] == pytest.approx(sum(v24(c) for c in CODES[2024] if c != "3101"))
    gaps = pd.read_parquet(online["out"] / "gap_notes.parquet")
    g = gaps[(gaps["indicator_id"] == "kostra_home_recipients_80plus_per1000_80plus") & (gaps["year"] == 2024)]
    assert g["region_code"].tolist() == ["3101"]
    assert (online["ind"]["value"].dropna() != 999999.0).all()       # the aggregate codes' number never appears
    nat = s.loc[("country", "NO", 2025), "numerator"]
    v = lambda c: fixture_value("12292", {"KOKkommuneregion0000": c, "ContentsCode": "KOSkjerne80aarov0000", "Tid": "2025"})[0]
    assert nat == pytest.approx(sum(v(c) for c in CODES[2025]))
    assert set(online["ind"]["region_code"]) - {"NO"} <= set(CODES[2024]) | {f"{i:02d}" for i in range(1, 60)}
    # 11645: 2009–2014 served as nulls -> no rows for those years
    lt = series(online, "ssb_longterm_institution_80plus_per1000_80plus")
    assert sorted(set(lt.index.get_level_values("year"))) == YEARS


def test_summed_code_lists_label_patterns_and_joins(online):
    # 11924: KF01–KF04 summed over the total found by its label
    s = series(online, "kostra_fte_share_nurses_11924")
    v = lambda k, c="3001", y=2021: fixture_value("11924", {"KOKkommuneregion0000": c, "KOKkyrk200000": k,
                                                            "ContentsCode": "KOSARBAARSVERKST0000", "Tid": str(y)})[0]
    r = s.loc[("municipality", "3101", 2021)]
    assert r["numerator"] == pytest.approx(sum(v(k) for k in ("KF01", "KF02", "KF03", "KF04")))
    assert r["denominator"] == pytest.approx(v("KF00"))
    assert max(s.index.get_level_values("year")) == 2023              # the discontinued table stops in 2023
    rep = {t["id"]: t for t in online["manifest"]["online"]["tables"]}
    assert rep["14533"]["resolved_from_labels"]["KOKyrker0000"] == {
        "label:~^\\S+ sykepleiere?\\b": {"03": "Sykepleiere (fixture)"},
        "label:~helsefagarbeider": {"02": "Helsefagarbeidere (fixture)"}}
    assert set(rep["14534"]["resolved_from_labels"]["KOKutdanningoms0000"]) == {
        "label:~^\\S+ (i alt|alle utdanninger|totalt)\\b", "label:~helsefagarbeider", "label:~uten .*(helse|fag)"}
    # 11996 function 253 per 100 nursing-home residents of 12292 (join)
    d = series(online, "kostra_doctor_fte_institution_per100_residents").loc[("municipality", "3101", 2024)]
    num = fixture_value("11996", {"KOKkommuneregion0000": "3101", "KOKavtaleform0000": "sum", "KOKfunksjon0000": "253",
                                  "ContentsCode": "KOSlegeaarsverk0000", "Tid": "2024"})[0]
    den = fixture_value("12292", {"KOKkommuneregion0000": "3101", "ContentsCode": "KOSbeboersykehje0000", "Tid": "2024"})[0]
    assert (d["numerator"], d["denominator"]) == (num, den) and d["value"] == pytest.approx(100 * num / den)
    # occupancy: SSB's own ratio, unchanged codes only, no aggregates
    occ = series(online, "kostra_institution_occupancy")
    assert set(occ.index.get_level_values("level")) == {"municipality"}
    assert ("municipality", "3103", 2019) not in occ.index and ("municipality", "3101", 2024) in occ.index


def test_projection_age_groups_and_alternatives(online):
    s = series(online, "ssb_projected_80plus_mmmm")
    cell = lambda a, k: fixture_value("14746", {"Region": "3101", "Kjonn": k, "Alder": a, "Framskriv": "MMMM",
                                                "ContentsCode": "Personer1", "Tid": "2030"})[0]
    want = sum(cell(a, k) for a in ("080-089", "090+") for k in ("1", "2"))  # Kjonn eliminated = summed by SSB
    assert s.loc[("municipality", "3101", 2030), "value"] == pytest.approx(want)
    assert sorted(set(s.index.get_level_values("year"))) == list(range(2026, 2041))
    low = series(online, "ssb_projected_80plus_llml").loc[("country", "NO", 2040), "value"]
    assert low != s.loc[("country", "NO", 2040), "value"]
    cat = online["cat"].set_index("id")
    assert cat.loc["ssb_projected_80plus_mmmm", "origin"] == "projection"


def test_manifest_keeps_evidence_apart_from_the_live_metadata_check(online):
    rep = {t["id"]: t for t in online["manifest"]["online"]["tables"]}
    assert online["manifest"]["online"]["live_api"] is False
    for tid, t in rep.items():
        assert t["metadata_check_live"] is False and t["confirmed_by_live_metadata"] == {}
        assert t["metadata_checked_at"].startswith("http://127.0.0.1:")
        assert "ikke sjekket mot SSBs live-metadata" in t["status"]
    assert rep["11875"]["evidence"] == ["K"] and rep["11875"]["evidence_kind"] == "corroborated_by_public_use"
    assert rep["11875"]["only_corroborated_by_public_use"]["codes"]["ContentsCode"] == [
        "KOSinstdispplass0000", "KOSinstdemenspla0000"]
    assert rep["11875"]["checked_against_live_metadata"] is False
    # codes found by label are not listed as declarations with evidence
    assert "KOKyrker0000" in rep["14533"]["only_corroborated_by_public_use"]["codes"]
    assert rep["14533"]["only_corroborated_by_public_use"]["codes"]["KOKyrker0000"] == ["TOT"]
    cat = online["cat"].set_index("id")
    notes = cat.loc["kostra_institution_places_per1000_80plus", "notes"]
    assert "CC BY 4.0" in notes and "NLOD 2.0" in notes and "offentlig bruk" in notes
    assert "tabell 11875" in cat.loc["kostra_institution_places_per1000_80plus", "source"]
    assert "2015–2023" in cat.loc["kostra_fte_share_nurses_11924", "notes"]


def test_the_same_report_says_confirmed_when_the_host_is_live():
    """The live/test distinction is the host name (api.live_hosts), not anything the server says."""
    cfg = {"api": {"live_hosts": ["data.ssb.no"]}}
    assert onl.is_live("https://data.ssb.no/api/pxwebapi/v2", cfg)
    assert not onl.is_live("http://127.0.0.1:8080/api/pxwebapi/v2", cfg)
    t = {"id": "11875", "select": {"KOKkommuneregion0000": ["*"], "ContentsCode": ["KOSinstdispplass0000"],
                                   "Tid": ["2025"]}, "evidence": ["K"], "evidence_kind": "corroborated_by_public_use"}
    ft = onl.FetchedTable(t, {}, pd.DataFrame(), 1, [], selection={"ContentsCode": ["KOSinstdispplass0000"]},
                          api_url="https://data.ssb.no/api/pxwebapi/v2", live=True)
    r = onl.evidence_report(ft)
    assert r["confirmed_by_live_metadata"]["codes"] == {"ContentsCode": ["KOSinstdispplass0000"], "Tid": ["2025"]}
    assert r["only_corroborated_by_public_use"] == {} and r["status"].startswith("bekreftet av SSBs metadata")


# ------------------------------------------------------------------------------------------ failures


def _snapshot(out: Path) -> dict:
    return {p.name: p.read_bytes() for p in out.iterdir()}


def test_missing_declared_code_is_a_clear_error_and_out_is_untouched(tmp_path, capsys):
    cfg = onl.load_config(onl.DEFAULT_CONFIG)
    out = tmp_path / "data"
    out.mkdir()
    (out / "manifest.json").write_text('{"old": true}\n')
    before = _snapshot(out)
    with FixtureSSB(cfg) as srv:
        srv.drop["12293"] = "KOSbeleggomsorgs0000"
        conf = server_config(tmp_path, srv.base_url)
        with pytest.raises(api.SSBError, match=r"tabell 12293: verdikoden\(e\) \['KOSbeleggomsorgs0000'\] finnes "
                                               r"ikke i variabelen «ContentsCode»"):
            B.build(RAW, out, log=lambda m: None, online=onl.OnlineOptions(config=conf, cache_dir=tmp_path / "c"))
        assert not any("/12293/data" in u for u in srv.requests)       # stopped before fetching its data
        from pipeline.__main__ import main
        rc = main(["build", "--raw", str(RAW), "--out", str(out), "--online", "--ssb-config", str(conf),
                   "--cache-dir", str(tmp_path / "c")])
    err = capsys.readouterr().err
    assert rc == 1 and "tabell 12293" in err and "KOSbeleggomsorgs0000" in err and "Traceback" not in err
    assert _snapshot(out) == before


def test_label_pattern_without_a_match_names_table_variable_and_pattern(tmp_path):
    cfg = onl.load_config(onl.DEFAULT_CONFIG)
    with FixtureSSB(cfg) as srv:
        srv.drop["14533"] = "03"      # no «Sykepleiere» code left
        conf = server_config(tmp_path, srv.base_url)
        with pytest.raises(api.SSBError, match=r"tabell 14533: etikettmønsteret .*sykepleiere.* for «KOKyrker0000» "
                                               r"traff 0 koder"):
            onl.fetch_all(onl.OnlineOptions(config=conf, cache_dir=tmp_path / "c"), log=lambda m: None)


def test_no_network_fails_fast_and_leaves_out_untouched(tmp_path):
    out = tmp_path / "data"
    out.mkdir()
    (out / "manifest.json").write_text('{"old": true}\n')
    before = _snapshot(out)
    conf = server_config(tmp_path, f"http://127.0.0.1:{closed_port()}/api/pxwebapi/v2")
    t0 = time.monotonic()
    with pytest.raises(api.NoNetwork, match="Får ikke kontakt med SSB"):
        B.build(RAW, out, log=lambda m: None, online=onl.OnlineOptions(config=conf, cache_dir=tmp_path / "c"))
    assert time.monotonic() - t0 < 10
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "ssb_tables.toml"]   # no cache, no temp folder


# ------------------------------------------------------------------------------------------ online = offline
KOSTRA_OFFLINE = ("12005", "12209")


def test_online_12005_12209_rows_equal_the_offline_build(online, data_dir):
    """The server answered 12005/12209 with exactly the raw files' cells; the online build must then give the
    same indicator rows (municipality, county, country; value, numerator, denominator) as the offline build
    that reads those files (pipeline/kostra.py) - for 2025 and for the 2015–2024 history the file holds."""
    ids = [i["id"] for t in online["cfg"]["table"] if t["id"] in KOSTRA_OFFLINE for i in t.get("indicator", [])]
    assert len(ids) >= 10
    cols = ["indicator_id", "level", "region_code", "year", "value", "numerator", "denominator"]
    key = ["indicator_id", "level", "region_code", "year"]
    on = online["ind"][online["ind"]["indicator_id"].isin(ids)][cols].sort_values(key).reset_index(drop=True)
    off = pd.read_parquet(data_dir / "indicators.parquet")
    off = off[off["indicator_id"].isin(ids)][cols].sort_values(key).reset_index(drop=True)
    assert len(off) and set(off["year"]) >= {2025}
    on25, off25 = on[on["year"] == 2025].reset_index(drop=True), off[off["year"] == 2025].reset_index(drop=True)
    pd.testing.assert_frame_equal(on25, off25, check_exact=False, rtol=1e-12, atol=1e-9)
    pd.testing.assert_frame_equal(on, off, check_exact=False, rtol=1e-12, atol=1e-9)
    # a handful of municipalities, by hand (the spot values and the national check)
    r = on25.set_index(["indicator_id", "level", "region_code"])
    assert round(r.loc[("kostra_gp_share_no_gp", "municipality", "1101"), "value"], 1) == 11.5
    assert round(r.loc[("kostra_hjemmetj_80plus", "municipality", "3214"), "value"], 1) == 16.6
    nat = r.loc[("kostra_gp_share_no_gp", "country", "NO")]
    assert (nat["numerator"], nat["denominator"]) == (117_899, 5_622_286) and round(nat["value"], 1) == 2.1
    for code in ("0301", "1101", "3214", "4601", "5001"):
        assert r.loc[("kostra_gp_share_no_gp", "municipality", code), "numerator"] == \
            RAW_CELLS[("12005", "KOSantallpasient0001", code, "2025")]
    # the gaps of the hosted municipalities are the same, with the same reasons
    g_on = pd.read_parquet(online["out"] / "gap_notes.parquet")
    g_off = pd.read_parquet(data_dir / "gap_notes.parquet")
    sel = lambda g: g[g["indicator_id"].isin(ids)].sort_values(["indicator_id", "region_code", "year"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(sel(g_on), sel(g_off))
    # and the catalogue says where each came from: the API here, the raw copy there
    cat = online["cat"].set_index("id")
    assert "PxWebApi v2" in cat.loc["kostra_gp_share_no_gp", "source"]
    off_cat = pd.read_parquet(data_dir / "catalog.parquet").set_index("id")
    assert "FemtiGram/kart" in off_cat.loc["kostra_gp_share_no_gp", "source"]
