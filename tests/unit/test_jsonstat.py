"""JSON-stat 2.0 downloads (/eksport/indikator/<id>.json, /eksport/<chart>.json), validated with the
third-party ``jsonstat-validator`` and checked value by value against the store (issue 6)."""
from __future__ import annotations

import json
import math

import pytest
from jsonstat_validator import JSONStatValidationError, validate_jsonstat

import app  # noqa: F401
import store


@pytest.fixture(scope="module")
def client():
    return app.server.test_client()


def _get(client, url, **query):
    resp = client.get(url, query_string=query)
    assert resp.status_code == 200, resp.data[:300]
    assert resp.headers["Content-Type"].startswith("application/json")
    assert resp.headers["Content-Disposition"].startswith('attachment; filename="omsorgsatlas-')
    return json.loads(resp.data)


def _cell(ds, metric, geo, time):
    dims = [ds["dimension"][d]["category"]["index"] for d in ds["id"]]
    pos = [dims[0].index(metric), dims[1].index(geo), dims[2].index(str(time))]
    i = (pos[0] * ds["size"][1] + pos[1]) * ds["size"][2] + pos[2]
    return i, ds["value"][i]


@pytest.mark.parametrize("ind_id,niva,level", [("share_80plus", "kommune", "municipality"),
                                               ("share_80plus", "fylke", "county"),
                                               ("population", "land", "country")])
def test_indicator_dataset_validates_and_round_trips(client, ind_id, niva, level):
    ds = _get(client, f"/eksport/indikator/{ind_id}.json", niva=niva)
    assert validate_jsonstat(ds) is True
    assert ds["version"] == "2.0" and ds["class"] == "dataset"
    assert ds["role"] == {"metric": ["indikator"], "geo": ["region"], "time": ["tid"]}
    ind = store.indicator(ind_id)
    unit = ds["dimension"]["indikator"]["category"]["unit"][ind_id]
    assert unit["decimals"] == int(ind["decimals"]) and unit["label"] == ind["unit_nb"]
    assert ind["licence"] in ds["source"] and ds["updated"] and ds["extension"]["credit"] == "Omsorgsatlas"
    years = store.years(ind_id, level)
    regions = list(store.regions(level)["region_code"])
    assert ds["size"] == [1, len(regions), len(years)]
    assert len(ds["value"]) == len(regions) * len(years)
    for y in years:
        frame = store.values(ind_id, level, y).set_index("region_code")["value"]
        for code in regions:
            i, v = _cell(ds, ind_id, code, y)
            want = frame.get(code)
            if want is None or (isinstance(want, float) and math.isnan(want)):
                assert v is None and ds["status"][str(i)] == ".."   # a gap, never a made-up number
            else:
                assert v == pytest.approx(float(want))


def test_gaps_are_null_with_status_and_a_note(client):
    ds = _get(client, "/eksport/indikator/share_80plus.json", niva="kommune")
    nulls = [i for i, v in enumerate(ds["value"]) if v is None]
    assert nulls, "the data has known gaps (2005: Vindafjord, Aure)"
    assert all(ds["status"][str(i)] == ".." for i in nulls)
    assert any(".." in n for n in ds["note"])


def test_chart_dataset_has_all_the_charts_indicators(client):
    ds = _get(client, "/eksport/kommune-profil.json", knr="4601", omrade="befolkning")
    assert validate_jsonstat(ds) is True
    assert len(ds["dimension"]["indikator"]["category"]["index"]) >= 3
    assert ds["label"].startswith("Bergen")


def test_the_validator_catches_a_broken_dataset(client):
    ds = _get(client, "/eksport/indikator/share_80plus.json", niva="fylke")
    ds["size"] = [1, 2, 3]
    with pytest.raises(JSONStatValidationError):
        validate_jsonstat(ds)


@pytest.mark.parametrize("url,status", [("/eksport/indikator/finnes_ikke.json", 404),
                                        ("/eksport/indikator/share_80plus.csv", 404),
                                        ("/eksport/indikator/share_80plus.json?niva=bydel", 400)])
def test_bad_indicator_requests(client, url, status):
    resp = client.get(url)
    assert resp.status_code == status and b"Traceback" not in resp.data
