"""Bulk downloads (/data/v1/…, issue 14): every table downloads as CSV equal to its parquet file, every file
has a dictionary, licence and a checksum that verifies, the zip holds everything, JSON-stat validates with the
third-party ``jsonstat-validator``, unknown names are clean 404s, and the cache headers are right."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import math
import zipfile

import numpy as np
import pandas as pd
import pytest
from jsonstat_validator import validate_jsonstat

import app  # noqa: F401
import store
from callbacks import downloads as routes
from components import downloads as dl

P = dl.PREFIX


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("OMSORGSATLAS_DOWNLOADS_DIR", str(tmp_path_factory.mktemp("downloads")))
    routes._BUNDLES.clear()
    yield app.server.test_client()
    routes._BUNDLES.clear()
    mp.undo()


@pytest.fixture(scope="module")
def index(client) -> dict:
    resp = client.get(f"{P}/index.json")
    assert resp.status_code == 200 and resp.headers["Content-Type"].startswith("application/json")
    return json.loads(resp.data)


@pytest.fixture(scope="module")
def files(client, index) -> dict[str, bytes]:
    out = {}
    for e in index["files"]:
        resp = client.get(e["url"])
        assert resp.status_code == 200, (e["url"], resp.data[:200])
        out[e["path"]] = resp.data
    return out


def _tables() -> list[str]:
    return [rel[:-len(".parquet")] for rel in store.data_files() if rel.endswith(".parquet")]


# --------------------------------------------------------------------------------------------- the set
def test_index_lists_every_table_geometry_and_indicator(index):
    paths = {e["path"] for e in index["files"]}
    tables = _tables()
    assert len(tables) >= 12
    for t in tables:
        assert {f"{t}.csv", f"{t}.schema.json"} <= paths, t
    assert {"geo/municipalities.geojson", "geo/counties.geojson", "geo/municipalities.schema.json",
            "geo/counties.schema.json", "README.md", "manifest.json", "README.txt", "LICENSE.txt", "SHA256SUMS",
            dl.ZIP_NAME} <= paths
    with_data = [i for i in store.catalog().index
                 if any(store.years(i, lvl) for lvl in ("country", "county", "municipality"))]
    assert {f"indikator/{i}.json" for i in with_data} == {p for p in paths if p.startswith("indikator/")}
    assert index["data_version"] == store.version() and index["base"] == P
    assert paths == routes.expected_paths() - {dl.INDEX_NAME}  # the cheap 404 check knows the same set


def test_every_file_matches_its_size_and_checksum(index, files):
    for e in index["files"]:
        data = files[e["path"]]
        assert len(data) == e["bytes"], e["path"]
        assert hashlib.sha256(data).hexdigest() == e["sha256"], e["path"]


def test_sha256sums_lists_every_file_and_verifies(files):
    lines = files["SHA256SUMS"].decode().splitlines()
    listed = dict(reversed(line.split("  ", 1)) for line in lines)
    assert set(listed) == set(files) - {"SHA256SUMS"}
    for path, digest in listed.items():
        assert hashlib.sha256(files[path]).hexdigest() == digest, path


def test_zip_holds_every_file_and_its_checksums_verify(files):
    zf = zipfile.ZipFile(io.BytesIO(files[dl.ZIP_NAME]))
    assert zf.testzip() is None
    names = set(zf.namelist())
    assert names == set(files) - {dl.ZIP_NAME}
    inner = zf.read("SHA256SUMS").decode()
    for line in inner.splitlines():
        digest, path = line.split("  ", 1)
        assert hashlib.sha256(zf.read(path)).hexdigest() == digest, path
    assert set(line.split("  ", 1)[1] for line in inner.splitlines()) == names - {"SHA256SUMS"}
    for path in names - {"SHA256SUMS"}:
        assert zf.read(path) == files[path], path   # the zip holds exactly the files served one by one
    # the served SHA256SUMS is the zip's plus the zip's own line
    served = files["SHA256SUMS"].decode()
    assert served == inner + f"{hashlib.sha256(files[dl.ZIP_NAME]).hexdigest()}  {dl.ZIP_NAME}\n"
    readme = zf.read("README.txt").decode()
    licence = zf.read("LICENSE.txt").decode()
    assert "NLOD 2.0" in licence and "CC BY 4.0" in licence and "Kartverket" in licence and "SSB" in licence
    assert "comma-separated" in readme and "sha256sum -c SHA256SUMS" in readme and P in readme


# ----------------------------------------------------------------------------------------------- CSV
@pytest.mark.parametrize("table", _tables())
def test_every_table_downloads_as_csv_equal_to_parquet(files, table):
    data = files[f"{table}.csv"]
    assert not data.startswith(b"\xef\xbb\xbf"), "machine CSV: no BOM"
    assert b";" not in data.split(b"\n", 1)[0], "comma-separated header"
    pq = pd.read_parquet(store.data_dir() / f"{table}.parquet")
    csv = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    assert list(csv.columns) == list(pq.columns)
    assert len(csv) == len(pq)
    for col in pq.columns:
        s = pq[col]
        if pd.api.types.is_float_dtype(s.dtype):
            back = pd.to_numeric(csv[col].replace("", np.nan))
            assert np.array_equal(back.to_numpy(), s.to_numpy(dtype="float64"), equal_nan=True), col  # exact
        elif pd.api.types.is_integer_dtype(s.dtype):
            assert [int(v) if v != "" else None for v in csv[col]] == [None if pd.isna(v) else int(v) for v in s], col
        elif s.dtype == object and s.map(lambda v: isinstance(v, (list, np.ndarray))).any():
            assert [json.loads(v) if v else None for v in csv[col]] == [
                None if v is None else [x.item() if hasattr(x, "item") else x for x in v] for v in s], col
        else:  # strings: codes keep their leading zeros, missing is an empty field
            assert csv[col].tolist() == ["" if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))
                                         else str(v) for v in s], col


def test_codes_stay_strings_with_leading_zeros(files):
    regions = pd.read_csv(io.BytesIO(files["regions.csv"]), dtype=str, keep_default_na=False)
    assert "0301" in set(regions["region_code"]) and "03" in set(regions["region_code"])


# --------------------------------------------------------------------------------------- dictionaries
@pytest.mark.parametrize("table", _tables())
def test_every_table_has_a_complete_dictionary(files, table):
    d = json.loads(files[f"{table}.schema.json"])
    pq = pd.read_parquet(store.data_dir() / f"{table}.parquet")
    fields = d["schema"]["fields"]
    assert [f["name"] for f in fields] == list(pq.columns)
    missing = [f["name"] for f in fields if not f["description"]]
    assert not missing, f"{table}: columns without a meaning in data/README.md: {missing}"
    assert d["rows"] == len(pq) and d["path"] == f"{P}/{table}.csv" and d["dialect"]["delimiter"] == ","
    for f in fields:
        kind = pq[f["name"]].dtype
        if pd.api.types.is_float_dtype(kind):
            assert f["type"] == "number", f
        elif pd.api.types.is_integer_dtype(kind):
            assert f["type"] == "integer", f
    assert d["credit"] == "Omsorgsatlas"


def test_dictionaries_name_the_right_licences(files):
    def licences(path):
        return {lic.get("name") for lic in json.loads(files[path])["licenses"]}
    assert "NLOD 2.0" in licences("population.schema.json")
    assert "CC BY 4.0" in licences("neighbours.schema.json")
    assert "CC BY 4.0" in licences("geo/municipalities.schema.json")
    assert {"NLOD 2.0", "public-document"} <= licences("indicators.schema.json")
    assert licences("measures.schema.json") == {"public-document"}
    geo = json.loads(files["geo/municipalities.schema.json"])
    assert [f["name"] for f in geo["schema"]["fields"]] == ["code", "name", "county_code"]
    assert all(f["description"] for f in geo["schema"]["fields"])


def test_geometry_is_served_as_it_is_in_data(files):
    for name in ("municipalities", "counties"):
        assert files[f"geo/{name}.geojson"] == (store.data_dir() / "geo" / f"{name}.geojson").read_bytes()
    assert files["README.md"] == (store.data_dir() / "README.md").read_bytes()


# ------------------------------------------------------------------------------------------ JSON-stat
def test_every_indicator_json_stat_validates(files):
    paths = [p for p in files if p.startswith("indikator/")]
    assert len(paths) > 200
    for p in paths:
        doc = json.loads(files[p])
        assert validate_jsonstat(doc) is True, p
        assert doc["class"] == "collection" and doc["version"] == "2.0"
        for ds in doc["link"]["item"]:
            assert validate_jsonstat(ds) is True, p
            assert ds["updated"] == store.data_date().isoformat()


def test_json_stat_values_round_trip(files):
    doc = json.loads(files["indikator/share_80plus.json"])
    by_level = {ds["extension"]["level"]: ds for ds in doc["link"]["item"]}
    assert set(by_level) == {"country", "county", "municipality"}
    ds = by_level["municipality"]
    years = ds["dimension"]["tid"]["category"]["index"]
    regions = ds["dimension"]["region"]["category"]["index"]
    y = years[-1]
    want = store.values("share_80plus", "municipality", int(y)).set_index("region_code")["value"]
    for code in ("0301", "4601", "1151"):
        i = regions.index(code) * len(years) + years.index(y)
        assert ds["value"][i] == pytest.approx(float(want[code]))
    assert "NLOD 2.0" in ds["source"]


# ------------------------------------------------------------------------------------- headers, 404s
def test_headers_cache_etag_and_licence_link(client):
    resp = client.get(f"{P}/regions.csv")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert resp.headers["Cache-Control"] == "public, max-age=86400"
    etag = resp.headers["ETag"].strip('"')
    assert etag.startswith(store.version())
    assert resp.headers["Content-Disposition"].startswith("attachment") and "regions.csv" in resp.headers[
        "Content-Disposition"]
    assert f'<{P}/LICENSE.txt>; rel="license"' in resp.headers["Link"]
    assert f'<{P}/regions.schema.json>; rel="describedby"' in resp.headers["Link"]
    again = client.get(f"{P}/regions.csv", headers={"If-None-Match": resp.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    part = client.get(f"{P}/regions.csv", headers={"Range": "bytes=0-10"})
    assert part.status_code == 206 and part.data == resp.data[:11]
    assert client.get(f"{P}/{dl.ZIP_NAME}").headers["Content-Type"] == "application/zip"
    assert client.get(f"{P}/").data == client.get(f"{P}/index.json").data


@pytest.mark.parametrize("path", ["finnes_ikke.csv", "regions.xlsx", "regions.parquet", "indikator/finnes_ikke.json",
                                  "../app.py", "..%2Fapp.py", "geo/../../app.py", "indikator/", "x" * 3000,
                                  "regions.csv/extra", "%00.csv", "geo/municipalities.json"])
def test_unknown_names_are_clean_404s(client, path):
    resp = client.get(f"{P}/{path}")
    assert resp.status_code == 404
    assert b"Traceback" not in resp.data and b"File \"" not in resp.data
    assert resp.headers["Cache-Control"] == "no-store"
    if path.endswith(".json"):
        body = json.loads(resp.data)
        assert body["index"] == f"{P}/index.json" and "error" in body
    else:
        assert "index.json" in resp.data.decode()


def test_a_failed_build_is_a_503_without_traceback(client, monkeypatch):
    monkeypatch.setattr(routes, "bundle", lambda: (_ for _ in ()).throw(RuntimeError("boom")))
    resp = client.get(f"{P}/regions.csv")
    assert resp.status_code == 503 and b"boom" not in resp.data and b"Traceback" not in resp.data


# ------------------------------------------------------------------------------------------- pure parts
def test_csv_bytes_convention():
    df = pd.DataFrame({"code": ["0301", None], "x": [1.5, np.nan], "n": pd.array([1, None], dtype="Int16"),
                       "l": [np.array(["03", "31"]), None], "t": ['a,"b"', "æø"]})
    assert dl.csv_bytes(df).decode() == ('code,x,n,l,t\n0301,1.5,1,"[""03"",""31""]","a,""b"""\n,,,,æø\n')


def test_zip_is_deterministic():
    files = {"b.csv": b"1\n", "a/x.json": b"{}"}
    day = dt.date(2026, 1, 2)
    assert dl.zip_bytes(files, day) == dl.zip_bytes(dict(reversed(list(files.items()))), day)
    assert zipfile.ZipFile(io.BytesIO(dl.zip_bytes(files, day))).namelist() == ["a/x.json", "b.csv"]


def test_readme_parser_reads_tables_lists_and_patterns():
    text = ("# x\n| file | what |\n|---|---|\n| `a.parquet` | table a |\n\n## a.parquet\nIntro text.\n\n"
            "| column | type | meaning |\n|---|---|---|\n| id, name | string | the id |\n"
            "| share_<feature> | float64 | a share |\n\n## Other\n| c | d | e |\n")
    r = dl.parse_readme(text)
    assert set(r) == {"a.parquet"} and r["a.parquet"]["description"] == "Intro text."
    assert dl.documented(r, "a.parquet", "name") == {"type": "string", "description": "the id"}
    assert dl.documented(r, "a.parquet", "share_age")["description"] == "a share"
    assert dl.documented(r, "a.parquet", "other") is None
    assert dl.file_titles(text) == {"a.parquet": "table a"}


def test_a_removed_cache_folder_is_rebuilt(client, index):
    import shutil
    root = routes.bundle().root
    shutil.rmtree(root)
    resp = client.get(f"{P}/service_areas.csv")
    assert resp.status_code == 200 and resp.data.startswith(b"id,name_nb,name_en,sort_order\n")
    assert (routes.bundle().root / "service_areas.csv").is_file()
