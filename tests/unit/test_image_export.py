"""Image export (issue 6): PNG/SVG rendered server-side by kaleido driving the system Chromium, with the
title, the source line and the date drawn into the image. Few renders on purpose (each one is real
browser work); the first starts Chromium, so the timeout is generous."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

import app  # noqa: F401
from components import imagefig
from components.export import today_oslo
from components.format import format_date



VIEW = {"indikator": "share_80plus", "kommune": "4601"}


@pytest.fixture(scope="module")
def client():
    return app.server.test_client()


def _ok(resp, mime, ext):
    assert resp.status_code == 200, resp.data[:300]
    assert resp.headers["Content-Type"].startswith(mime)
    cd = resp.headers["Content-Disposition"]
    assert cd.startswith('attachment; filename="omsorgsatlas-') and cd.endswith(f'.{ext}"')
    return resp.data


def test_png_2x_is_2400x1350_with_metadata(client):
    png = _ok(client.get("/eksport/utvikling.png", query_string=VIEW), "image/png", "png")
    assert png.startswith(imagefig.PNG_SIGNATURE)
    assert imagefig.png_size(png) == (2400, 1350)
    meta = imagefig.png_texts(png)
    assert meta["Title"].startswith("Andel 80 år og over: Bergen")
    assert meta["Source"].startswith("Kilde: SSB") and meta["Source"].endswith("Omsorgsatlas")
    assert meta["Creation Time"] == today_oslo().isoformat()


def test_png_4x_slide_is_4800x2700(client):
    png = _ok(client.get("/eksport/personell-yrke.png", query_string={"skala": "4", "mal": "16x9"}),
              "image/png", "png")
    assert imagefig.png_size(png) == (4800, 2700)


def test_svg_parses_and_has_title_source_and_date(client):
    svg = _ok(client.get("/eksport/kart.svg", query_string={"indikator": "share_80plus", "fylke": "46"}),
              "image/svg+xml", "svg")
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert (root.get("width"), root.get("height")) == ("1200", "675")
    text = " ".join("".join(t.itertext()) for t in root.iter() if t.tag.endswith("text"))
    assert "Andel 80 år og over – kommuner i Vestland" in text
    assert "Kilde: SSB" in text and "Kartverket" in text
    assert format_date(today_oslo()) in text


@pytest.mark.parametrize("query,status", [({"skala": "3"}, 400), ({"skala": "abc"}, 400), ({"mal": "a0"}, 400),
                                          ({"skala": ["2", "9"]}, 200)])
def test_bad_image_options_are_400_without_rendering(client, query, status, monkeypatch):
    from callbacks import exports
    monkeypatch.setattr(exports, "render", lambda *a, **k: imagefig.PNG_SIGNATURE + b"x" * 40)
    resp = client.get("/eksport/utvikling.png", query_string={**VIEW, **query})
    assert resp.status_code == status
    assert b"Traceback" not in resp.data


def test_busy_renderer_answers_503(client, monkeypatch):
    from callbacks import exports
    monkeypatch.setattr(exports, "QUEUE_WAIT", 0.05)
    assert exports._SLOTS.acquire(timeout=5)
    try:
        resp = client.get("/eksport/utvikling.svg", query_string={**VIEW, "ar": "2019"})
    finally:
        exports._SLOTS.release()
    assert resp.status_code == 503 and "opptatt" in resp.data.decode()


def test_decorate_is_pure_and_sizes_the_figure():
    fig = {"data": [], "layout": {"title": {"text": "x"}, "height": 380, "margin": {"t": 70, "b": 50}}}
    out = imagefig.decorate(fig, title="Tittel", source="Kilde: SSB, NLOD 2.0 · Omsorgsatlas",
                            date_text="01.02.2026", width=1200, height=675)
    assert fig["layout"]["height"] == 380  # unchanged
    assert out["layout"]["width"] == 1200 and out["layout"]["height"] == 675
    credit = [a for a in out["layout"]["annotations"] if a.get("name") == "oa-credit"][0]
    assert credit["text"] == "Kilde: SSB, NLOD 2.0 · Omsorgsatlas · 01.02.2026"
    assert out["layout"]["margin"]["b"] > 50
