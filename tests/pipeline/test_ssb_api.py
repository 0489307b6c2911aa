"""SSB PxWebApi v2 adapter (pipeline/ssb_api.py, pipeline/online.py) without a network.

FIXTURES: every JSON-stat2 document below is a test fixture in the API's response shape, NOT real SSB data,
except the real, unmodified 2022 sample of table 07459 in ../shared/data/raw/ssb-api-samples/ (and the small
fixture sliced from it by `small_07459`, whose values are the real 2022 values of those regions). The
KOSTRA-shaped tables and their metadata are invented: table ids, variable and value codes and numbers are
made up for the tests. The HTTP layer is a fake transport, or a local http.server on 127.0.0.1.
"""
from __future__ import annotations

import copy
import http.server
import json
import re
import socket
import threading
import time
import urllib.parse
from pathlib import Path

import pandas as pd
import pytest

import pyjstat  # noqa: F401,E402  (a hard requirement: requirements.txt pins it)

from pipeline import build as B  # noqa: E402
from pipeline import online as onl  # noqa: E402
from pipeline import ssb_api as api  # noqa: E402
from pipeline.harmonise import Harmoniser  # noqa: E402
from tests.jsonstat_fixture import closed_port, jsonstat_dataset, send_json  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO.parent / "shared" / "data" / "raw" / "ssb-api-samples" / "ssb07459-jsonstat2-response-2022.json"


# ------------------------------------------------------------------------------------------ fixtures
def load_sample() -> dict:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def small_07459(codes=("K-3001", "K-0301", "K-4601", "K-5001", "K-Rest")) -> dict:
    """FIXTURE: the real 2022 response cut down to a few regions, keeping its exact structure."""
    doc = load_sample()
    reg = doc["dimension"]["Region"]["category"]
    pos = [reg["index"][c] for c in codes]
    out = copy.deepcopy(doc)
    out["dimension"]["Region"]["category"] = {"index": {c: i for i, c in enumerate(codes)},
                                             "label": {c: reg["label"][c] for c in codes}}
    out["size"] = [len(codes), 1, 1]
    out["value"] = [doc["value"][p] for p in pos]
    return out


def dataset(table: str, dims: list[tuple[str, str, list[str]]], values, status=None, meta=False) -> dict:
    """FIXTURE builder: a JSON-stat2 dataset in the shape SSB returns (see the real 07459 sample)."""
    return jsonstat_dataset(table, [(k, lab, {c: f"{c} (fixture)" for c in codes}, False) for k, lab, codes in dims],
                            None if meta else values, status, source="Statistisk sentralbyrå",
                            updated="2025-06-15T06:00:00Z", decimals=1)


class FakeSSB:
    """Fake HTTP layer: serves metadata and data for declared cubes; records every URL; can be scripted."""

    def __init__(self, cubes: dict, script=None):
        self.cubes = cubes            # table -> {"dims": [(id, label, codes)], "f": f(cell dict) -> value}
        self.calls: list[str] = []
        self.script = list(script or [])  # responses returned (in order) before the normal ones

    def __call__(self, url: str, timeout: float) -> api.Response:
        self.calls.append(url)
        if self.script:
            r = self.script.pop(0)
            if isinstance(r, BaseException):
                raise r
            return r
        path, _, query = url.partition("?")
        table = re.search(r"/tables/([^/]+)/", path).group(1)
        cube = self.cubes.get(table)
        if cube is None:
            return api.Response(404, {}, b'{"type":"Parameter error","title":"Non-existent table","status":404}')
        if path.endswith("/metadata"):
            return api.Response(200, {}, json.dumps(dataset(table, cube["dims"], None, meta=True)).encode())
        sel = {}
        for k, v in urllib.parse.parse_qsl(query):
            m = re.fullmatch(r"valueCodes\[(.+)\]", k)
            if m:
                sel[m.group(1)] = v.split(",")
        dims = [(k, lab, sel.get(k, codes)) for k, lab, codes in cube["dims"]]
        import itertools
        vals = [cube["f"](dict(zip([k for k, _, _ in dims], combo)))
                for combo in itertools.product(*[c for _, _, c in dims])]
        return api.Response(200, {}, json.dumps(dataset(table, dims, vals)).encode())


def client(tmp_path, fake, **kw) -> api.SSBClient:
    limits = kw.pop("limits", api.Limits())
    return api.SSBClient(base_url="https://data.ssb.no/api/pxwebapi/v2", cache_dir=tmp_path / "cache",
                         limits=limits, transport=fake, preflight=lambda h, p, t: None,
                         sleep=kw.pop("sleep", lambda s: None), today=lambda: "2025-06-20", **kw)


REGIONS = [f"{i:04d}" for i in range(3001, 3011)]
CUBE = {"99901": {"dims": [("KOKkommuneregion0000", "region", REGIONS),
                           ("ContentsCode", "statistikkvariabel", ["KOSa0000", "KOSb0000"]),
                           ("Tid", "år", ["2022", "2023"])],
                  "f": lambda c: float(int(c["KOKkommuneregion0000"]) % 97 + int(c["Tid"]) - 2000)}}
SELECTION = {"KOKkommuneregion0000": ["*"], "ContentsCode": ["KOSa0000"], "Tid": ["2022", "2023"]}


# ------------------------------------------------------------------------------------------ parsing
def test_parse_real_2022_sample_population_total():
    df = api.parse_jsonstat(load_sample())
    assert len(df) == 359 and list(df.columns) == ["Region", "ContentsCode", "Tid", "value", "status"]
    assert df["value"].sum() == 5_425_270  # national total 1 January 2022
    munis = df[df["Region"].str.fullmatch(r"K-\d{4}")]
    assert len(munis) == 356  # the municipalities of 2022 (plus Svalbard, sokkelen, rest)
    assert df.set_index("Region").loc["K-0301", "value"] == 699_827


def test_small_fixture_keeps_the_response_shape():
    doc = small_07459()
    assert set(doc) == set(load_sample())
    df = api.parse_jsonstat(doc)
    assert df["Region"].tolist() == ["K-3001", "K-0301", "K-4601", "K-5001", "K-Rest"]
    assert df.set_index("Region").loc["K-3001", "value"] == 31_444


def test_missing_values_and_status_symbols():
    doc = dataset("99901", [("KOKkommuneregion0000", "region", ["3001", "3002", "3003"]),
                            ("ContentsCode", "x", ["KOSa0000"]), ("Tid", "år", ["2023"])],
                  [12.5, None, None], status={"1": ":", "2": ".."})
    df = api.parse_jsonstat(doc)
    assert df["value"].isna().tolist() == [False, True, True]
    assert df["status"].tolist() == ["", ":", ".."]


# ------------------------------------------------------------------------------------------ batching
def test_cells_limit_splits_into_several_requests(tmp_path):
    fake = FakeSSB(CUBE)
    c = client(tmp_path, fake, limits=api.Limits(max_cells=4))
    meta, docs = c.fetch_table("99901", SELECTION)
    batches = c.batches("99901", c.check_selection("99901", meta, SELECTION))
    assert len(batches) > 1 and all(len(b["KOKkommuneregion0000"]) * 2 <= 4 for b in batches)
    assert c.requests_made == 1 + len(batches) == len(fake.calls)
    df = pd.concat([api.parse_jsonstat(d) for d in docs])
    assert len(df) == 20 and not df.duplicated(["KOKkommuneregion0000", "Tid"]).any()
    assert set(df["KOKkommuneregion0000"]) == set(REGIONS)


def test_url_length_limit_splits_long_code_lists(tmp_path):
    fake = FakeSSB(CUBE)
    c = client(tmp_path, fake, limits=api.Limits(max_url_length=200))
    _, docs = c.fetch_table("99901", SELECTION)
    assert len(docs) > 1 and all(len(u) <= 200 for u in fake.calls[1:])
    assert sum(len(api.parse_jsonstat(d)) for d in docs) == 20


def test_duplicate_codes_are_removed():
    c = api.SSBClient()
    url = c.data_url("99901", {"Tid": ["2022", "2022", "2023"]})
    assert url.endswith("valueCodes[Tid]=2022,2023")


def test_rate_limit_waits_for_the_window(tmp_path):
    now = [0.0]
    slept = []

    def sleep(s):
        slept.append(s)
        now[0] += s
    fake = FakeSSB(CUBE)
    c = client(tmp_path, fake, limits=api.Limits(max_cells=4, requests_per_minute=3), sleep=sleep,
               clock=lambda: now[0])
    c.fetch_table("99901", SELECTION)
    assert c.requests_made > 3 and slept and slept[0] == pytest.approx(60.0)


# ------------------------------------------------------------------------------------------ errors/backoff
def test_429_backs_off_then_succeeds(tmp_path):
    slept = []
    fake = FakeSSB(CUBE, script=[api.Response(429, {"retry-after": "7"}, b""), api.Response(429, {}, b"")])
    c = client(tmp_path, fake, sleep=slept.append)
    c.metadata("99901")
    assert slept == [7.0, 4.0] and c.requests_made == 3


def test_429_gives_up_after_bounded_retries(tmp_path):
    slept = []
    fake = FakeSSB(CUBE, script=[api.Response(429, {}, b"")] * 10)
    c = client(tmp_path, fake, sleep=slept.append, limits=api.Limits(max_retries=3, max_backoff=5))
    with pytest.raises(api.SSBError, match=r"99901.*HTTP 429.*4 forsøk"):
        c.metadata("99901")
    assert slept == [2.0, 4.0, 5.0] and len(fake.calls) == 4


def test_503_is_retried(tmp_path):
    fake = FakeSSB(CUBE, script=[api.Response(503, {}, b"")])
    c = client(tmp_path, fake)
    assert c.metadata("99901")["class"] == "dataset" and c.requests_made == 2


def test_malformed_json_is_an_error_and_not_cached(tmp_path):
    fake = FakeSSB(CUBE, script=[api.Response(200, {}, b'{"class": "dataset", "value": [1,')])
    c = client(tmp_path, fake)
    with pytest.raises(api.SSBError, match="99901.*ikke gyldig JSON"):
        c.metadata("99901")
    assert not list((tmp_path / "cache").rglob("*.json"))


@pytest.mark.parametrize("selection, expect", [
    ({"Region": ["*"], "ContentsCode": ["KOSa0000"], "Tid": ["2022"]}, "variabelen «Region» finnes ikke"),
    ({"KOKkommuneregion0000": ["*"], "ContentsCode": ["KOSzz0000"], "Tid": ["2022"]}, r"KOSzz0000"),
    ({"KOKkommuneregion0000": ["*"], "ContentsCode": ["KOSa0000"]}, "«Tid» kan ikke utelates"),
])
def test_metadata_check_names_table_and_code_before_any_data(tmp_path, selection, expect):
    fake = FakeSSB(CUBE)
    c = client(tmp_path, fake)
    with pytest.raises(api.SSBError, match=f"tabell 99901: .*{expect}"):
        c.fetch_table("99901", selection)
    assert len(fake.calls) == 1 and fake.calls[0].endswith("/metadata?lang=no&outputFormat=json-stat2")


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        if "/metadata" in self.path:
            body, code = json.dumps(dataset("99901", CUBE["99901"]["dims"], None, meta=True)).encode(), 200
        else:  # SSB's error body for an unknown value code
            body, code = b'{"type":"Parameter error","title":"Non-existent value","status":400}', 400
        send_json(self, code, body)

    def log_message(self, *a):
        pass


@pytest.fixture
def local_server():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/api/pxwebapi/v2"
    srv.shutdown()
    srv.server_close()


def test_http_400_with_ssb_error_body_over_real_http(tmp_path, local_server):
    c = api.SSBClient(base_url=local_server, cache_dir=tmp_path / "c", sleep=lambda s: None)
    assert c.metadata("99901")["class"] == "dataset"   # real urllib transport + TCP preflight
    with pytest.raises(api.SSBError, match=r"tabell 99901: SSB svarte HTTP 400: Non-existent value"):
        c.data("99901", {"KOKkommuneregion0000": ["3001"], "ContentsCode": ["KOSa0000"], "Tid": ["2022"]})


# ------------------------------------------------------------------------------------------ cache
def _config(tmp_path, base_url="https://data.ssb.no/api/pxwebapi/v2", table="99901") -> Path:
    p = tmp_path / "ssb_tables.toml"
    p.write_text(f'''
[api]
base_url = "{base_url}"
connect_timeout = 2
[[table]]
id = "{table}"
title = "FIXTURE-tabell"
verified = false
region_variable = "KOKkommuneregion0000"
time_variable = "Tid"
[table.select]
KOKkommuneregion0000 = ["*"]
ContentsCode = ["KOSa0000"]
Tid = ["2022", "2023"]
[[table.indicator]]
id = "fixture_count"
name_nb = "Fixture"
name_en = "Fixture"
definition_nb = "Fixture"
definition_en = "Fixture"
unit = "count"
unit_nb = "antall"
unit_en = "count"
decimals = 0
service_areas = ["institusjon"]
direction = "neutral"
numerator = {{ contents = "KOSa0000" }}
''', encoding="utf-8")
    return p


def test_cache_is_reused_with_zero_requests_and_records_fetch_date(tmp_path):
    cfg = _config(tmp_path)
    first = client(tmp_path, FakeSSB(CUBE))
    f1 = onl.fetch_all(onl.OnlineOptions(config=cfg, client=first), log=lambda m: None)
    assert first.requests_made == 2 and f1.tables[0].fetched == ["2025-06-20"]
    sidecars = list((tmp_path / "cache" / "99901").glob("*.meta.json"))
    assert len(sidecars) == 2 and all(json.loads(s.read_text())["fetched"] == "2025-06-20" for s in sidecars)

    def no_http(url, timeout):
        raise AssertionError(f"unexpected request {url}")
    second = client(tmp_path, no_http)
    f2 = onl.fetch_all(onl.OnlineOptions(config=cfg, client=second), log=lambda m: None)
    assert second.requests_made == 0 and second.cache_hits == 2
    pd.testing.assert_frame_equal(f1.tables[0].frame, f2.tables[0].frame)
    assert f2.tables[0].fetched == ["2025-06-20"]
    only = client(tmp_path, no_http, cache_only=True)
    assert onl.fetch_all(onl.OnlineOptions(config=cfg, client=only), log=lambda m: None).requests_made == 0


def test_cache_only_without_cache_fails_clearly(tmp_path):
    c = client(tmp_path, FakeSSB(CUBE), cache_only=True)
    with pytest.raises(api.SSBError, match="--cache-only.*99901"):
        c.metadata("99901")


# ------------------------------------------------------------------------------------------ no network


def test_dns_failure_is_not_retried(tmp_path):
    fake = FakeSSB(CUBE)

    def dns_fails(host, port, timeout):
        raise socket.gaierror(-2, "Name or service not known")
    c = api.SSBClient(cache_dir=tmp_path, transport=fake, preflight=dns_fails, sleep=pytest.fail)
    with pytest.raises(api.NoNetwork, match=r"Får ikke kontakt med SSB \(data.ssb.no\): gaierror"):
        c.metadata("99901")
    assert fake.calls == [] and c.requests_made == 0


def test_connection_error_mid_build_is_not_retried(tmp_path):
    fake = FakeSSB(CUBE, script=[ConnectionResetError("reset")])
    c = client(tmp_path, fake, sleep=pytest.fail)
    with pytest.raises(api.NoNetwork, match="ConnectionResetError"):
        c.metadata("99901")
    assert len(fake.calls) == 1


def test_no_network_fails_fast_and_leaves_data_untouched(tmp_path, raw_dir, capsys):
    out = tmp_path / "data"
    out.mkdir()
    (out / "manifest.json").write_text('{"old": true}\n')
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    cfg = _config(tmp_path, base_url=f"http://127.0.0.1:{closed_port()}/api/pxwebapi/v2")
    t0 = time.monotonic()
    with pytest.raises(api.NoNetwork, match="Får ikke kontakt med SSB"):
        B.build(raw_dir, out, log=lambda m: None,
                online=onl.OnlineOptions(config=cfg, cache_dir=tmp_path / "cache"))
    assert time.monotonic() - t0 < 10
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "ssb_tables.toml"]  # no temp folders/cache

    from pipeline.__main__ import main
    rc = main(["build", "--raw", str(raw_dir), "--out", str(out), "--online", "--ssb-config", str(cfg),
               "--cache-dir", str(tmp_path / "cache")])
    err = capsys.readouterr().err
    assert rc == 1 and "Får ikke kontakt med SSB" in err and "data/ er ikke endret" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


# ------------------------------------------------------------------------------------------ harmonisation
def _pop(year, data):
    return pd.DataFrame([(c, year, a, v) for c, ages in data.items() for a, v in enumerate(ages)],
                        columns=["code", "year", "age", "population"])


@pytest.fixture
def toy():
    """FIXTURE: 2018 codes 0001+0002 merge into 0100 in 2019; 0003 splits into 0200 and 0300 in 2019.
    Ages 0 and 1 only; `population = [0, 1]` plays the role of 80+ (age 1)."""
    mapping = pd.DataFrame([
        (2018, "0001", "0100"), (2018, "0002", "0100"), (2018, "0003", "0200"), (2018, "0003", "0300"),
        (2019, "0100", "0100"), (2019, "0200", "0200"), (2019, "0300", "0300"),
        (2020, "0100", "0100"), (2020, "0200", "0200"), (2020, "0300", "0300"),
    ], columns=["year", "code_original", "code_current"]).astype({"year": "int16"})
    raw = pd.concat([_pop(2018, {"0001": [10, 20], "0002": [1, 5], "0003": [100, 40]}),
                     _pop(2019, {"0100": [12, 22], "0200": [30, 10], "0300": [90, 30]})])
    b2024 = pd.DataFrame([("municipality", c, 2020, a, 5) for c in ("0100", "0200", "0300") for a in range(2)],
                         columns=["level", "region_code", "year", "age", "population"])
    h = Harmoniser(raw=raw, b2024=b2024, mapping=mapping, municipalities=["0100", "0200", "0300"])
    regions = pd.DataFrame({"region_code": ["NO", "01", "02", "0100", "0200", "0300"],
                            "level": ["country", "county", "county"] + ["municipality"] * 3,
                            "county_code": [None, "01", "02", "01", "02", "02"]})
    muni_pop = h.all_years([2018, 2019])
    return h, regions, muni_pop


def _fetched(frame: pd.DataFrame, indicators: list[dict]) -> onl.Fetched:
    cfg = {"id": "99902", "title": "FIXTURE", "verified": False, "region_variable": "KOKkommuneregion0000",
           "time_variable": "Tid", "select": {}, "indicator": indicators}
    ft = onl.FetchedTable(cfg, {}, frame, 1, ["2025-06-20"])
    return onl.Fetched({"api": {"licence": "NLOD 2.0"}, "table": [cfg]}, [ft], 1, 0, "https://x")


def _frame(rows):
    return pd.DataFrame(rows, columns=["KOKkommuneregion0000", "ContentsCode", "Tid", "value"]).assign(status="")


IND = dict(name_nb="n", name_en="n", definition_nb="d", definition_en="d", unit_nb="%", unit_en="%", decimals=1,
           service_areas=["hjemmetjenester"], direction="neutral")


def test_rates_are_recomputed_from_harmonised_numerators_and_denominators(toy):
    h, regions, muni_pop = toy
    # 2018 rates on the 2018 codes, in percent of the age-1 population; 2019 on 2019 codes
    frame = _frame([("0001", "KOSr", "2018", 50.0), ("0002", "KOSr", "2018", 20.0), ("0003", "KOSr", "2018", 25.0),
                    ("0100", "KOSr", "2019", 10.0), ("0200", "KOSr", "2019", 30.0), ("0300", "KOSr", "2019", None),
                    ("EAK", "KOSr", "2018", 99.0)])
    ind = dict(IND, id="share_x", unit="percent", scale=100, split_ages=[1, 1],
               numerator={"contents": "KOSr", "rate_scale": 100, "population": [1, 1]},
               denominator={"population": [1, 1]})
    res = onl.build_indicators(_fetched(frame, [ind]), h, muni_pop, regions,
                               ["id", "name_nb", "licence", "notes", "source", "publication_year", "origin"],
                               10, log=lambda m: None)
    r = res.indicators.set_index(["level", "region_code", "year"])
    # merge: (0.5*20 + 0.2*5) / (20+5) -- a sum of counts, not the mean of 50 % and 20 %
    assert r.loc[("municipality", "0100", 2018), "value"] == pytest.approx(100 * 11 / 25)
    assert r.loc[("municipality", "0100", 2018), "numerator"] == pytest.approx(11)
    # split: 0.25*40 = 10 recipients apportioned 10:30 by the age-1 population of 2019 (first year after)
    assert r.loc[("municipality", "0200", 2018), "numerator"] == pytest.approx(10 * 10 / 40)
    assert r.loc[("municipality", "0300", 2018), "numerator"] == pytest.approx(10 * 30 / 40)
    assert r.loc[("municipality", "0200", 2018), "denominator"] == pytest.approx(40 * 10 / 40)
    # county/country: sums of numerators and denominators; 2019 has a suppressed value in county 02
    assert r.loc[("county", "02", 2018), "value"] == pytest.approx(100 * 10 / 40)
    assert r.loc[("country", "NO", 2018), "value"] == pytest.approx(100 * 21 / 65)
    assert ("county", "02", 2019) not in r.index and ("country", "NO", 2019) not in r.index
    assert r.loc[("county", "01", 2019), "value"] == pytest.approx(10.0)
    assert set(r.index.get_level_values("region_code")) <= {"NO", "01", "02", "0100", "0200", "0300"}
    cat = res.catalog.set_index("id").loc["share_x"]
    assert cat["licence"] == "NLOD 2.0" and "2025-06-20" in cat["source"] and cat["origin"] == "ssb"
    assert "ikke gjennomgått manuelt" in cat["notes"]


def test_counts_and_unchanged_only_ratios(toy):
    h, regions, muni_pop = toy
    frame = _frame([("0001", "KOSc", "2018", 3.0), ("0002", "KOSc", "2018", 4.0), ("0003", "KOSc", "2018", 8.0),
                    ("0001", "KOSq", "2018", 1.5), ("0003", "KOSq", "2018", 2.5),
                    ("0100", "KOSq", "2019", 0.7), ("0200", "KOSq", "2019", 0.9)])
    count = dict(IND, id="places", unit="count", numerator={"contents": "KOSc"}, split_ages=[1, 1])
    ratio = dict(IND, id="fte_per_user", unit="ratio", value={"contents": "KOSq"}, harmonise="unchanged_only")
    res = onl.build_indicators(_fetched(frame, [count, ratio]), h, muni_pop, regions, ["id"], 0,
                               log=lambda m: None)
    r = res.indicators.set_index(["indicator_id", "level", "region_code", "year"])["value"]
    assert r[("places", "municipality", "0100", 2018)] == 7.0
    assert r[("places", "municipality", "0200", 2018)] == pytest.approx(8 * 10 / 40)
    assert r[("places", "country", "NO", 2018)] == pytest.approx(15.0)
    q = res.indicators[res.indicators["indicator_id"] == "fte_per_user"]
    # 2018: every code changed (merge/split) -> nothing; 2019: unchanged codes only, no aggregates
    assert sorted(zip(q["region_code"], q["year"])) == [("0100", 2019), ("0200", 2019)]
    assert set(q["level"]) == {"municipality"}


def test_declared_config_parses_and_records_evidence_apart_from_live_checks():
    cfg = onl.load_config(onl.DEFAULT_CONFIG)
    ids = [t["id"] for t in cfg["table"]]
    assert {"11875", "12292", "12293", "11996", "14533", "14534", "11924", "11645", "14746"} <= set(ids)
    facts = {"K", "F", "O", "T", "R"}   # the evidence letters of ../shared/data/SSB-API-FACTS.md
    for t in cfg["table"]:
        if t["id"] in ("12005", "12209"):   # the offline build's blocks (pipeline/kostra.py)
            assert t.get("verified") is False and (t.get("checked_against_live_metadata") or False) is False
            continue
        assert t["evidence"] and set(t["evidence"]) <= facts, t["id"]
        assert t["evidence_kind"] == "corroborated_by_public_use"
        assert t["checked_against_live_metadata"] is False      # nobody here has seen the live metadata
        assert t["evidence_note"].strip()
        if t["region_variable"] == "KOKkommuneregion0000":
            assert t["select"]["KOKkommuneregion0000"] == ["*"]
            assert t["select"]["Tid"][0] == "2015" and t["select"]["Tid"][-1] in ("2023", "2025")
    assert cfg["api"]["max_cells"] == 800_000 and cfg["api"]["requests_per_minute"] <= 30
    assert "CC BY 4.0" in cfg["api"]["licence_note_nb"] and "NLOD 2.0" in cfg["api"]["licence_note_nb"]
    assert "NOTHING IN THIS FILE HAS BEEN VERIFIED" not in onl.DEFAULT_CONFIG.read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------------ end to end
def test_online_build_end_to_end_with_fixture_table(tmp_path, raw_dir):
    """A full build with --online semantics against the fake API: a KOSTRA-shaped FIXTURE table (invented
    numbers) on the codes of 2023 (Ålesund 1507 before the 2024 split) and 2024; the result validates, the
    counts are harmonised and summed, and a second build from the cache makes no request."""
    import pyarrow.parquet as pq

    from pipeline.sources import read_municipalities, read_redistricting
    munis = sorted(read_municipalities(raw_dir / "codes" / "municipalities_b2024.csv")["municipality_code"])
    mapping = read_redistricting(raw_dir / "codes" / "redistricting_to_b2024.csv")
    codes_of = {y: set(mapping.loc[mapping["year"] == y, "code_original"]) for y in (2023, 2024)}
    assert "1507" in codes_of[2023] and "1507" not in codes_of[2024]
    codes_of[2023] -= {"1508", "1580"}  # listed for 2023 in the code list too, but Ålesund was 1507 until 2024
    codes = sorted(codes_of[2023] | codes_of[2024]) + ["EAK"]
    cube = {"99901": {"dims": [("KOKkommuneregion0000", "region", codes),
                               ("ContentsCode", "statistikkvariabel", ["KOSa0000"]),
                               ("Tid", "år", ["2023", "2024"])],
                      "f": lambda c: 10.0 if c["KOKkommuneregion0000"] in codes_of[int(c["Tid"])] else None}}
    cfg = _config(tmp_path)
    text = cfg.read_text().replace('Tid = ["2022", "2023"]', 'Tid = ["2023", "2024"]')
    cfg.write_text(text)
    fake = FakeSSB(cube)
    out = tmp_path / "data"
    manifest = B.build(raw_dir, out, log=lambda m: None,
                       online=onl.OnlineOptions(config=cfg, client=client(tmp_path, fake)))
    ind = pd.read_parquet(out / "indicators.parquet")
    x = ind[ind["indicator_id"] == "fixture_count"].set_index(["level", "region_code", "year"])["value"]
    assert x[("municipality", "0301", 2024)] == 10.0
    assert x[("country", "NO", 2023)] == pytest.approx(10.0 * len(codes_of[2023]))   # merges summed
    assert x[("municipality", "1508", 2023)] + x[("municipality", "1580", 2023)] == pytest.approx(10.0)
    assert x[("country", "NO", 2024)] == pytest.approx(10.0 * len(munis))
    cat = pd.read_parquet(out / "catalog.parquet").set_index("id").loc["fixture_count"]
    assert cat["licence"] == "NLOD 2.0" and "hentet 2025-06-20" in cat["source"]
    assert manifest["online"]["tables"][0]["verified"] is False
    assert any(s.get("name", "").startswith("SSB Statistikkbanken") for s in manifest["sources"])
    assert pq.read_metadata(out / "indicators.parquet").num_rows == len(ind)

    def no_http(url, timeout):
        raise AssertionError(url)
    again = client(tmp_path, no_http, cache_only=True)
    B.build(raw_dir, tmp_path / "data2", log=lambda m: None, online=onl.OnlineOptions(config=cfg, client=again))
    assert again.requests_made == 0
    assert (tmp_path / "data2" / "indicators.parquet").read_bytes() == (out / "indicators.parquet").read_bytes()


def test_suppressed_source_blocks_a_merged_municipality(toy):
    h, regions, muni_pop = toy
    frame = _frame([("0001", "KOSc", "2018", 3.0), ("0002", "KOSc", "2018", None), ("0003", "KOSc", "2018", 8.0)])
    frame.loc[1, "status"] = ":"   # suppressed: 0100 = 0001 + 0002 cannot be published
    count = dict(IND, id="places", unit="count", numerator={"contents": "KOSc"}, split_ages=[1, 1])
    res = onl.build_indicators(_fetched(frame, [count]), h, muni_pop, regions, ["id"], 0, log=lambda m: None)
    got = set(zip(res.indicators["level"], res.indicators["region_code"]))
    assert ("municipality", "0100") not in got and ("country", "NO") not in got
    assert {("municipality", "0200"), ("municipality", "0300"), ("county", "02")} <= got


def test_projection_table_becomes_the_ssb_mmm_variant(data_dir):
    """FIXTURE numbers (1 person per municipality, sex, age and year) in the shape of the declared 14746."""
    from pipeline.projected import check_projection
    regions = pd.read_parquet(data_dir / "regions.parquet")
    munis = regions.loc[regions["level"] == "municipality", "region_code"].tolist()
    idx = pd.MultiIndex.from_product([munis, ["1", "2"], [f"{a:03d}" for a in range(106)], ["MMM"], ["Personer"],
                                      [str(y) for y in range(2027, 2041)]],
                                     names=["Region", "Kjonn", "Alder", "Framskriv", "ContentsCode", "Tid"])
    frame = idx.to_frame(index=False).assign(value=1.0, status="")
    cfg = {"id": "14746", "title": "FIXTURE", "verified": False, "region_variable": "Region",
           "time_variable": "Tid", "select": {}, "target": "projection", "age_variable": "Alder"}
    ft = onl.FetchedTable(cfg, {}, frame, 1, ["2025-06-20"])
    proj = onl._projection(ft, onl._frame_for(ft), regions)
    assert set(proj["variant"]) == {"ssb_mmm"} and check_projection(proj, regions) == []
    nat = proj[(proj["level"] == "country") & (proj["year"] == 2030) & (proj["age"] == 80)]["population"]
    assert nat.item() == 2 * len(munis)
