"""The response cache (callbacks/response_cache.py) and the pruning file cache (callbacks/_cache.FileCache).

A small Flask app stands in for Dash where the behaviour is the cache's own (what is kept, what is keyed); the real
app's page router checks that the wiring in app.py serves the same bytes on a repeat.
"""
from __future__ import annotations

import gzip
import json
import os
import threading
import time
import uuid

import pytest
from flask import Flask, jsonify, request

from callbacks import response_cache as rc
from callbacks._cache import FILE_CACHE, FileCache, cache, cache_config

ENDPOINT = "/_dash-update-component"


@pytest.fixture()
def mini(tmp_path):
    """Flask app with the cache's hooks around a fake callback endpoint that counts its calls."""
    app = Flask("mini")
    cache.init_app(app, config={"CACHE_TYPE": FILE_CACHE, "CACHE_DIR": str(tmp_path / "c"),
                                "CACHE_THRESHOLD": 100})
    calls = {"n": 0}
    rcache = rc.ResponseCache(lambda: "data-v1")
    rcache.register_store(app)

    @app.before_request
    def reject():
        body = request.get_json(silent=True)
        if request.method == "POST" and not isinstance(body, dict):
            return jsonify({"error": "bad"}), 400
        return None

    rcache.register_lookup(app)

    @app.post(ENDPOINT)
    def update():
        calls["n"] += 1
        body = request.get_json()
        if body.get("fail"):
            rc.mark_error()
        if body.get("status"):
            return "", body["status"]
        return jsonify({"response": {"x": {"children": body.get("v")}}, "n": calls["n"]})

    yield app, rcache, calls
    cache.clear()


def _post(client, body, **headers):
    return client.post(ENDPOINT, data=json.dumps(body), content_type="application/json", headers=headers)


def test_repeat_is_a_hit_with_the_same_bytes(mini):
    app, _rc, calls = mini
    c = app.test_client()
    first = _post(c, {"output": "x.children", "v": 1})
    second = _post(c, {"output": "x.children", "v": 1})
    assert first.headers[rc.HEADER] == "miss" and second.headers[rc.HEADER] == "hit"
    assert second.data == first.data and calls["n"] == 1


def test_shared_backend_serves_another_process(mini):
    """A second worker has an empty LRU: the answer comes from the flask-caching backend."""
    app, rcache, calls = mini
    c = app.test_client()
    _post(c, {"output": "x.children", "v": 2})
    rcache.clear_local()
    again = _post(c, {"output": "x.children", "v": 2})
    assert again.headers[rc.HEADER] == "hit" and calls["n"] == 1


@pytest.mark.parametrize("other", [
    {"body": {"output": "x.children", "v": 4}},
    {"headers": {"Accept-Encoding": "gzip"}},
    {"query": "?lang=en"},
])
def test_key_varies_with_body_encoding_and_language(mini, other):
    app, _rc, calls = mini
    c = app.test_client()
    _post(c, {"output": "x.children", "v": 3})
    body = other.get("body", {"output": "x.children", "v": 3})
    r = c.post(ENDPOINT + other.get("query", ""), data=json.dumps(body), content_type="application/json",
               headers=other.get("headers", {}))
    assert r.headers[rc.HEADER] == "miss" and calls["n"] == 2


def test_data_version_is_part_of_the_key(mini):
    app, rcache, calls = mini
    c = app.test_client()
    _post(c, {"output": "x.children", "v": 5})
    rcache.version = lambda: "data-v2"
    assert _post(c, {"output": "x.children", "v": 5}).headers[rc.HEADER] == "miss"
    assert calls["n"] == 2


def test_errors_and_failures_are_not_kept(mini):
    app, _rc, calls = mini
    c = app.test_client()
    for body in ({"output": "x.children", "fail": True}, {"output": "x.children", "status": 500}):
        _post(c, body)
        r = _post(c, body)
        assert rc.HEADER not in r.headers or r.headers[rc.HEADER] != "hit"
    assert calls["n"] == 4
    bad = c.post(ENDPOINT, data="not json", content_type="application/json")
    assert bad.status_code == 400 and rc.HEADER not in bad.headers


def test_no_content_answers_are_kept(mini):
    app, _rc, calls = mini
    c = app.test_client()
    _post(c, {"output": "x.children", "status": 204})
    r = _post(c, {"output": "x.children", "status": 204})
    assert r.status_code == 204 and r.headers[rc.HEADER] == "hit" and calls["n"] == 1


def test_switched_off(mini, monkeypatch):
    app, rcache, calls = mini
    rcache.enabled = False
    c = app.test_client()
    _post(c, {"output": "x.children", "v": 6})
    r = _post(c, {"output": "x.children", "v": 6})
    assert rc.HEADER not in r.headers and calls["n"] == 2


def test_lru_bounds_entries_and_bytes():
    lru = rc._LRU(entries=3, max_bytes=10)
    for i in range(5):
        lru.put(str(i), rc.Answer(200, "application/json", None, b"ab"))
    assert len(lru) == 3 and lru.get("0") is None and lru.get("4") is not None
    lru.put("big", rc.Answer(200, "application/json", None, b"x" * 9))
    assert len(lru) == 1 and lru.get("big") is not None


def test_real_app_router_answer_is_served_again():
    from app import server
    c = server.test_client()
    body = {"output": ".._pages_content.children..._pages_store.data..",
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/om-dataene"},
                       {"id": "_pages_location", "property": "search", "value": f"?x={uuid.uuid4().hex}"}],
            "state": [], "changedPropIds": ["_pages_location.pathname"]}
    first = _post(c, body, **{"Accept-Encoding": "gzip"})
    second = _post(c, body, **{"Accept-Encoding": "gzip"})
    assert first.status_code == 200 and second.status_code == 200
    assert second.headers[rc.HEADER] == "hit" and second.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(second.data) == gzip.decompress(first.data)
    assert b"_pages_content" in gzip.decompress(second.data)


# ------------------------------------------------------------------------------------------- FileCache
def test_default_backend_is_the_pruning_file_cache(tmp_path):
    cfg = cache_config({"CACHE_DIR": str(tmp_path)})
    assert cfg["CACHE_TYPE"] == FILE_CACHE and cfg["CACHE_DIR"] == str(tmp_path)
    assert cache_config({"REDIS_URL": "redis://127.0.0.1:1/0"})["CACHE_TYPE"] == "RedisCache"


def _files(path) -> int:
    """Cache entries on disk (not the count file)."""
    probe = FileCache(str(path))
    return sum(1 for f in os.listdir(path) if not probe._is_mgmt(f))


def test_file_cache_prunes_a_quarter_at_once(tmp_path, monkeypatch):
    monkeypatch.setattr(FileCache, "CHECK_EVERY", 1)
    fc = FileCache(str(tmp_path), threshold=40, default_timeout=300)
    for i in range(41):
        fc.set(f"k{i}", i)
    assert _files(tmp_path) == 41  # prune runs before a write, once over the threshold
    fc.set("k41", 41)
    assert _files(tmp_path) == 31  # 30 kept (three quarters) + the new one
    for i in range(42, 51):
        fc.set(f"k{i}", i)
    assert _files(tmp_path) == 40  # no prune until the threshold is passed again
    assert fc.get("k50") == 50
    assert not any(f.endswith(fc._fs_transaction_suffix) for f in os.listdir(tmp_path))


def test_file_cache_counts_only_every_few_writes(tmp_path, monkeypatch):
    monkeypatch.setattr(FileCache, "CHECK_EVERY", 8)
    fc = FileCache(str(tmp_path), threshold=4, default_timeout=300)
    for i in range(7):
        fc.set(f"k{i}", i)
    assert _files(tmp_path) == 7  # not checked yet
    fc.set("k7", 7)  # 8th write: 7 > 4, keep 3, + this one
    assert _files(tmp_path) == 4


def test_file_cache_removes_every_expired_entry(tmp_path, monkeypatch):
    monkeypatch.setattr(FileCache, "CHECK_EVERY", 1)
    fc = FileCache(str(tmp_path), threshold=10, default_timeout=300)
    for i in range(5):
        fc.set(f"short{i}", i, timeout=1)
    for i in range(6):
        fc.set(f"long{i}", i)
    time.sleep(1.1)
    fc.set("new", "n")
    # over the threshold (11 > 10): a quarter free would remove 4, but all 5 expired ones go
    assert _files(tmp_path) == 7
    assert all(fc.get(f"short{i}") is None for i in range(5))
    assert all(fc.get(f"long{i}") == i for i in range(6)) and fc.get("new") == "n"


# ------------------------------------------------------------------------------------------- GET answers
def test_real_app_pages_layout_and_dependencies_are_kept():
    from app import server
    c = server.test_client()
    for url in ("/kommune?knr=4601&x=test-response-cache", "/_dash-layout", "/_dash-dependencies"):
        first = c.get(url, headers={"Referer": "http://localhost/kommune?knr=4601"})
        second = c.get(url, headers={"Referer": "http://localhost/kommune?knr=4601"})
        assert first.status_code == 200 and second.headers.get(rc.HEADER) == "hit", url
        assert second.data == first.data
        # security headers are added to a cached answer as to a fresh one
        assert second.headers.get("Content-Security-Policy") == first.headers.get("Content-Security-Policy")
    fresh = uuid.uuid4().hex  # the app's file cache outlives this process: a URL never asked before
    other_page = c.get("/_dash-layout", headers={"Referer": f"http://localhost/fylke?fnr=46&x={fresh}"})
    assert other_page.headers.get(rc.HEADER) == "miss"  # the Referer is part of the key
    english = c.get(f"/kommune?knr=4601&x={fresh}&lang=en")
    assert english.headers.get(rc.HEADER) == "miss" and b'lang="en"' in english.data


def test_static_files_and_downloads_are_not_in_the_response_cache():
    from app import server
    c = server.test_client()
    for url in ("/assets/favicon.svg", "/geo/county.json", "/data/v1/"):
        c.get(url)
        assert rc.HEADER not in c.get(url).headers, url


def _crowd(tmp_path, name: str):
    """(Flask app with the cache's hooks, its ResponseCache, a call counter, a gate the endpoint can wait on)."""
    app = Flask(name)
    cache.init_app(app, config={"CACHE_TYPE": FILE_CACHE, "CACHE_DIR": str(tmp_path / "c"), "CACHE_THRESHOLD": 100})
    rcache = rc.ResponseCache(lambda: "data-v1")
    rcache.register_store(app)
    rcache.register_lookup(app)
    return app, rcache, {"n": 0}, threading.Event()


def test_the_same_question_at_once_is_computed_once(tmp_path):
    """Threads asking the same uncached question together: one computes, the others get its answer (a hit)."""
    app, rcache, calls, gate = _crowd(tmp_path, "crowd")

    @app.post(ENDPOINT)
    def slow():
        calls["n"] += 1
        gate.wait(5)  # the others arrive while this one is computing
        return jsonify({"response": {"x": {"children": request.get_json()["v"]}}})

    body = {"v": uuid.uuid4().hex}
    results = []

    def ask():
        with app.test_client() as c:
            r = _post(c, body)
            results.append((r.status_code, r.headers.get(rc.HEADER), r.get_json()))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    gate.set()
    for t in threads:
        t.join(10)
    assert calls["n"] == 1
    assert sorted(h for _s, h, _j in results) == ["hit", "hit", "hit", "miss"]
    assert all(s == 200 and j["response"]["x"]["children"] == body["v"] for s, _h, j in results)
    assert not rcache._inflight  # nothing left waiting


def test_a_failed_computation_lets_the_waiting_ones_compute(tmp_path):
    app, _rcache, calls, gate = _crowd(tmp_path, "crowd-fail")

    @app.post(ENDPOINT)
    def flaky():
        calls["n"] += 1
        first = calls["n"] == 1
        if first:
            gate.wait(5)
            return jsonify({"error": "boom"}), 500  # not kept
        return jsonify({"response": {"x": {"children": "ok"}}})

    body = {"v": uuid.uuid4().hex}
    codes = []

    def ask():
        with app.test_client() as c:
            codes.append(_post(c, body).status_code)

    first = threading.Thread(target=ask)
    first.start()
    time.sleep(0.3)
    second = threading.Thread(target=ask)
    second.start()
    time.sleep(0.3)
    gate.set()
    first.join(10)
    second.join(10)
    assert sorted(codes) == [200, 500] and calls["n"] == 2
