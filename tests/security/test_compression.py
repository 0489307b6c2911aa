"""Responses are compressed when the client accepts it (app.py, flask-compress), and decompress to exactly
the uncompressed bytes; clients that don't ask get identity. The security headers survive compression."""
from __future__ import annotations

import gzip
import re

import brotli
import pytest

import app as app_module


@pytest.fixture(scope="module")
def client():
    return app_module.server.test_client()


def _bundles(client) -> list[str]:
    html = client.get("/").get_data(as_text=True)
    return [s for s in re.findall(r'src="([^"]+)"', html) if "_dash-component-suites" in s]


@pytest.mark.parametrize("encoding,decode", [("br", brotli.decompress), ("gzip", gzip.decompress)])
def test_bundles_and_css_are_compressed(client, encoding, decode):
    paths = _bundles(client) + ["/vendor/bootstrap.min.css"]
    assert len(paths) >= 3
    for path in paths:
        plain = client.get(path)
        packed = client.get(path, headers={"Accept-Encoding": encoding})
        assert plain.status_code == packed.status_code == 200
        assert "Content-Encoding" not in plain.headers
        assert packed.headers["Content-Encoding"] == encoding, path
        assert "Accept-Encoding" in packed.headers.get("Vary", "")
        assert decode(packed.data) == plain.data, path
        if len(plain.data) > 100_000:
            assert len(packed.data) < len(plain.data) * 0.5, path
        # served twice from the compressed-static cache: same bytes
        assert client.get(path, headers={"Accept-Encoding": encoding}).data == packed.data


def test_pages_compressed_with_security_headers(client):
    resp = client.get("/kommune?knr=4601", headers={"Accept-Encoding": "br"})
    assert resp.headers.get("Content-Encoding") == "br"
    assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert b"<html" in brotli.decompress(resp.data)


def test_callback_answer_compressed(client):
    deps = client.get("/_dash-dependencies").get_json()
    out = next(d["output"] for d in deps if "_pages_content.children" in d["output"])
    body = {"output": out,
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/"},
                       {"id": "_pages_location", "property": "search", "value": ""}],
            "changedPropIds": ["_pages_location.pathname"], "state": []}
    plain = client.post("/_dash-update-component", json=body)
    packed = client.post("/_dash-update-component", json=body, headers={"Accept-Encoding": "gzip"})
    assert plain.status_code == packed.status_code == 200
    assert packed.headers.get("Content-Encoding") == "gzip"
    assert gzip.decompress(packed.data) == plain.data
