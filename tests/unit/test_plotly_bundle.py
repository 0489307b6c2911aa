"""The partial plotly.js bundle (plotly_bundle.py): it covers every trace type the app draws, and the app
falls back to Dash's full plotly.js whenever the partial one cannot be served."""
from __future__ import annotations

import json

import pytest

import app
import plotly_bundle
from callbacks import charts
from components import mapfig
from tests.unit.test_chart_registry import VIEWS


def _types(figure) -> set[str]:
    return {t.get("type", "scatter") for t in (figure.get("data") or [])}


@pytest.mark.parametrize("chart_id", sorted(charts.REGISTRY))
def test_every_chart_uses_only_trace_types_in_the_bundle(chart_id):
    used = _types(charts.build(chart_id, VIEWS.get(chart_id, {})).figure)
    assert used, "no traces to check"
    assert used <= set(plotly_bundle.all_traces()), f"{chart_id}: add {used - set(plotly_bundle.all_traces())} " \
                                                     "to plotly_bundle.TRACES"


def test_placeholder_figures_need_no_other_trace_type():
    assert _types(mapfig.empty_figure("x")) <= set(plotly_bundle.all_traces())


def _fake_build(tmp_path, monkeypatch, *, version=None, traces=None, data=b"/*! x */ var Plotly=" + b"1;" * 60_000):
    import hashlib
    bundle, manifest = tmp_path / "p.min.js", tmp_path / "p.json"
    bundle.write_bytes(data)
    manifest.write_text(json.dumps({"plotly_js": version or plotly_bundle.plotlyjs_version(),
                                    "traces": list(traces or plotly_bundle.all_traces()),
                                    "sha256": hashlib.sha256(data).hexdigest()}))
    monkeypatch.setattr(plotly_bundle, "BUNDLE", bundle)
    monkeypatch.setattr(plotly_bundle, "MANIFEST", manifest)
    monkeypatch.delenv(plotly_bundle.ENV_FULL, raising=False)
    return bundle, manifest


def test_load_accepts_a_matching_build(tmp_path, monkeypatch):
    _fake_build(tmp_path, monkeypatch)
    bundle, why = plotly_bundle.load()
    assert bundle is not None and why == ""
    assert bundle.filename.startswith(f"plotly-{plotly_bundle.plotlyjs_version()}-") and bundle.filename.endswith(".min.js")


def test_load_falls_back_to_the_full_bundle(tmp_path, monkeypatch):
    monkeypatch.setattr(plotly_bundle, "BUNDLE", tmp_path / "missing.js")
    monkeypatch.setattr(plotly_bundle, "MANIFEST", tmp_path / "missing.json")
    monkeypatch.delenv(plotly_bundle.ENV_FULL, raising=False)
    assert plotly_bundle.load() == (None, "not built (python plotly_bundle.py)")
    _fake_build(tmp_path, monkeypatch, version="0.0.1")
    assert "built for plotly.js 0.0.1" in plotly_bundle.load()[1]
    _fake_build(tmp_path, monkeypatch, traces=["scatter", "bar"])
    assert "built with traces" in plotly_bundle.load()[1]
    bundle, _m = _fake_build(tmp_path, monkeypatch)
    bundle.write_bytes(b"tampered")
    assert "does not match" in plotly_bundle.load()[1]
    _fake_build(tmp_path, monkeypatch)
    monkeypatch.setenv(plotly_bundle.ENV_FULL, "full")
    assert plotly_bundle.load() == (None, f"{plotly_bundle.ENV_FULL}=full")


def test_renderer_config_names_the_partial_bundle_or_nothing():
    page = app.server.test_client().get("/").get_data(as_text=True)
    start = page.index(app._CONFIG_OPEN) + len(app._CONFIG_OPEN)
    config = json.loads(page[start:page.index("</script>", start)])
    if app.PLOTLY_URL is None:  # not built: Dash's own config, the full bundle served locally
        assert config["serve_locally"] is True and "plotlyjs_url" not in config
    else:
        assert config["serve_locally"] is False and config["plotlyjs_url"] == app.PLOTLY_URL
    # every script the page names is still served by the app itself (offline, no CDN)
    assert "cdn.plot.ly" not in page and "unpkg.com" not in page


def test_bundle_route_when_built():
    if app.PLOTLY_BUNDLE is None:
        pytest.skip("partial plotly.js not built (python plotly_bundle.py); the app serves the full bundle")
    client = app.server.test_client()
    resp = client.get(app.PLOTLY_URL)
    assert resp.status_code == 200 and resp.mimetype == "text/javascript"
    assert resp.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert resp.data == app.PLOTLY_BUNDLE.data and b"plotly.js v" + plotly_bundle.plotlyjs_version().encode() in resp.data[:300]
    assert client.get(app.PLOTLY_URL, headers={"If-None-Match": resp.headers["ETag"]}).status_code == 304
