"""The «Kart og trender» callbacks called as plain functions with the real data/.

Expected values are read from data/*.parquet directly (not through store/), so these tests check the
callbacks against the data contract. No Flask app context: callbacks._cache.memoize falls back to a
direct call, so every call really computes.
"""
from __future__ import annotations

import inspect
import json
import math
from pathlib import Path

import dash
import pandas as pd
import plotly.io.json as pio_json
import pytest
from dash.exceptions import PreventUpdate

import store
from components import mapfig

from callbacks import overview as ov

DATA = Path(__file__).resolve().parents[2] / "data"



@pytest.fixture(scope="module")
def indicators() -> pd.DataFrame:
    return pd.read_parquet(DATA / "indicators.parquet")


def codes(regions, level: str, county: str | None = None) -> set[str]:
    r = regions[regions["level"] == level]
    if county:
        r = r[r["county_code"] == county]
    return set(r["region_code"])


def expected_values(indicators, indicator: str, level: str, year: int) -> dict[str, float]:
    rows = indicators[(indicators["indicator_id"] == indicator) & (indicators["level"] == level)
                      & (indicators["year"] == year)]
    return {c: v for c, v in zip(rows["region_code"], rows["value"]) if v == v}


def same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def operations(patch: dash.Patch) -> list[dict]:
    return patch.to_plotly_json()["operations"]


def walk(obj):
    """Every nested value of a JSON-like structure."""
    yield obj
    if isinstance(obj, dict):
        for v in obj.values():
            yield from walk(v)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from walk(v)


def size(obj) -> int:
    return len(pio_json.to_json_plotly(obj))


def first_map(indicator="share_80plus", level="kommune", county="NO", year=2024, selected=None):
    out = ov.update_map(indicator=indicator, level=level, county=county, year=year, geokey=None, selected=selected)
    assert isinstance(out["figure"], dict) and out["geokey"], "a first call must return a full figure + its key"
    return out


# ------------------------------------------------------------------------------------------ year change
def test_year_change_returns_patch_without_geometry(regions, indicators):
    full = first_map(year=2024)
    fig = full["figure"]
    locations = fig["data"][0]["locations"]
    assert set(locations) == codes(regions, "municipality")

    out = ov.update_map(indicator="share_80plus", level="kommune", county="NO", year=2023, geokey=full["geokey"])
    patch = out["figure"]
    assert isinstance(patch, dash.Patch), f"year change must send a Patch, got {type(patch).__name__}"
    assert out["geokey"] is dash.no_update

    ops = operations(patch)
    paths = [tuple(op["location"]) for op in ops]
    assert ("data", 0, "z") in paths
    for path in paths:
        assert not {"geojson", "locations", "featureidkey", "geo", "customdata"} & {str(p) for p in path}, path
        assert path[0] in ("data", "layout"), path
    for value in walk([op["params"] for op in ops]):
        assert not (isinstance(value, dict) and (value.get("type") == "FeatureCollection" or "geometry" in value)), \
            "geometry inside the Patch"
    # the shapes never travel (geometry by URL); the Patch also leaves out locations, names and layout
    assert size(patch) < size(fig) * 0.8, "a year change must cost less than the full figure"

    # the new z is 2023's data, in the figure's location order
    z = next(op["params"]["value"] for op in ops if tuple(op["location"]) == ("data", 0, "z"))
    want = expected_values(indicators, "share_80plus", "municipality", 2023)
    assert len(z) == len(locations)
    assert all(same(v, want.get(c)) for c, v in zip(locations, z))
    old = expected_values(indicators, "share_80plus", "municipality", 2024)
    assert sum(not same(old[c], want[c]) for c in locations) > len(locations) // 2  # the data really differ
    title = next(op["params"]["value"] for op in ops if tuple(op["location"]) == ("layout", "title", "text"))
    assert "2023" in title


def test_selection_change_is_also_a_patch():
    full = first_map(county="46", selected=None)
    out = ov.update_map(indicator="share_80plus", level="kommune", county="46", year=2024, geokey=full["geokey"],
                        selected="4601")
    assert isinstance(out["figure"], dash.Patch)
    ops = {tuple(op["location"]): op["params"]["value"] for op in operations(out["figure"])}
    widths = ops[("data", 0, "marker", "line", "width")]
    locs = full["figure"]["data"][0]["locations"]
    assert widths[locs.index("4601")] > max(w for c, w in zip(locs, widths) if c != "4601")


def test_county_level_year_change_is_a_patch(regions):
    full = first_map(level="fylke", year=2024)
    assert set(full["figure"]["data"][0]["locations"]) == codes(regions, "county")
    out = ov.update_map(indicator="share_80plus", level="fylke", county="NO", year=2010, geokey=full["geokey"])
    assert isinstance(out["figure"], dash.Patch)


# ------------------------------------------------------------------------------------------ indicator change
def test_indicator_change_returns_full_figure_with_geometry(regions, indicators):
    before = first_map(indicator="share_80plus", year=2024)
    out = ov.update_map(indicator="care_ratio", level="kommune", county="NO", year=2024, geokey=before["geokey"])
    fig = out["figure"]
    assert isinstance(fig, dict) and not isinstance(fig, dash.Patch)
    assert out["geokey"] not in (before["geokey"], dash.no_update, None)
    trace = fig["data"][0]
    assert trace["geojson"] == ov.geometry_url("municipality")  # the browser fetches the shapes once
    feature_codes = {f["properties"]["code"] for f in ov.geometry_for_url(trace["geojson"])["features"]}
    assert feature_codes == codes(regions, "municipality") == set(trace["locations"])
    want = expected_values(indicators, "care_ratio", "municipality", 2024)
    assert all(same(v, want.get(c)) for c, v in zip(trace["locations"], trace["z"]))
    json.loads(pio_json.to_json_plotly(fig))  # serialisable as Dash will send it


# ------------------------------------------------------------------------------------------ county filter
@pytest.mark.parametrize("county,n", [("46", 43), ("03", 1), ("18", None)])
def test_county_filter_returns_exactly_that_countys_municipalities(regions, county, n):
    whole = first_map()
    out = ov.update_map(indicator="share_80plus", level="kommune", county=county, year=2024, geokey=whole["geokey"])
    fig = out["figure"]
    assert isinstance(fig, dict), "a new county is a new geometry: full figure"
    want = codes(regions, "municipality", county)
    if n is not None:
        assert len(want) == n
    trace = fig["data"][0]
    assert set(trace["locations"]) == want and len(trace["locations"]) == len(want)
    shapes = {f["properties"]["code"] for f in ov.geometry_for_url(trace["geojson"])["features"]}
    assert want <= shapes, "every municipality on the map has a shape in the file the browser fetches"
    for extra in fig["data"][1:]:  # e.g. the «Ingen data» layer: only inside the county too
        assert set(extra.get("locations") or []) <= want
    assert out["note"] is None

    table = ov.update_rank_table(indicator="share_80plus", level="kommune", county=county, year=2024)["table"]
    names = dict(zip(regions["region_code"], regions["name"]))
    assert sorted(row_names(table)) == sorted(names[c] for c in want)


def as_json(component):
    """A Dash component tree (objects or their JSON form) as plain JSON, the way Dash sends it."""
    return json.loads(pio_json.to_json_plotly(component))


def row_names(component) -> list[str]:
    """Row-header texts of the <tbody> rows of a Dash html table (visually hidden spans left out)."""
    out = []

    def kind(c):
        return c.get("type") if isinstance(c, dict) and "props" in c else None

    def text(c) -> str:
        if c is None:
            return ""
        if isinstance(c, (str, int, float)):
            return str(c)
        if isinstance(c, list):
            return "".join(text(x) for x in c)
        if kind(c) == "Span" and "visually-hidden" in (c["props"].get("className") or ""):
            return ""
        return text(c.get("props", {}).get("children")) if isinstance(c, dict) else ""

    def visit(c, in_body=False):
        if isinstance(c, list):
            for x in c:
                visit(x, in_body)
            return
        if kind(c) is None:
            return
        in_body = in_body or kind(c) == "Tbody"
        children = c["props"].get("children")
        if in_body and kind(c) == "Tr":
            ths = [x for x in (children if isinstance(children, list) else [children]) if kind(x) == "Th"]
            if ths:
                out.append(text(ths[0]).strip())
            return
        visit(children, in_body)

    data = as_json(component)
    if kind(data) == "HtmlBlock":  # long tables are sent pre-rendered as one HTML string
        return static_row_names(data["props"]["data"])
    visit(data)
    return out


def static_row_names(markup: str) -> list[str]:
    """Row-header texts of the <tbody> rows of a pre-rendered HTML table (visually hidden spans left out)."""
    from html.parser import HTMLParser

    class P(HTMLParser):
        def __init__(self):
            super().__init__()
            self.out, self.body, self.first_th, self.depth_hidden, self.buf = [], False, False, 0, None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "tbody":
                self.body = True
            elif tag == "tr" and self.body:
                self.first_th = True
            elif tag == "th" and self.body and self.first_th:
                self.buf = ""
            elif tag == "span" and "visually-hidden" in (a.get("class") or ""):
                self.depth_hidden += 1

        def handle_endtag(self, tag):
            if tag == "th" and self.buf is not None:
                self.out.append(self.buf.strip())
                self.buf, self.first_th = None, False
            elif tag == "span" and self.depth_hidden:
                self.depth_hidden -= 1

        def handle_data(self, data):
            if self.buf is not None and not self.depth_hidden:
                self.buf += data

    parser = P()
    parser.feed(markup)
    return parser.out


# ------------------------------------------------------------------------------------------ malformed input
HUGE = "x" * 200_000
BAD = [None, 0, 46, 4601, -1, 10 ** 30, 2024.5, float("nan"), True, "", " ", "nope", "99", "9999",
       "0301", "NO", "__gruppe__befolkning", ["share_80plus"], ["46", "03"], {"id": "46"}, (2024,), HUGE,
       "'; DROP TABLE x; --", "\x00\n<script>", "２０２４"]
VALID = {"indicator": "share_80plus", "level": "kommune", "county": "46", "year": 2024, "selected": "4601",
         "region": "4601", "service_area": "alle", "geokey": None,
         "click_data": {"points": [{"location": "4601"}]}}
CALLBACKS = ["update_indicator_options", "update_level_options", "update_year_slider", "update_region_options",
             "describe_indicator", "select_from_map", "update_map", "update_rank_table", "update_trend"]


def call_or_prevent(func, kwargs):
    try:
        return func(**kwargs)
    except PreventUpdate:
        return PreventUpdate


def check_output(name, out):
    if out is PreventUpdate:
        return
    assert isinstance(out, dict), f"{name} returned {type(out).__name__}"
    pio_json.to_json_plotly(out)  # must serialise like Dash's response does


@pytest.mark.parametrize("name", CALLBACKS)
def test_malformed_inputs_never_raise(name):
    func = getattr(ov, name)
    params = list(inspect.signature(func).parameters)
    assert all(p in VALID for p in params), f"{name}: unknown parameter in {params}"
    baseline = {p: VALID[p] for p in params}
    check_output(name, call_or_prevent(func, baseline))
    for param in params:
        for bad in BAD:
            kwargs = {**baseline, param: bad}
            try:
                out = call_or_prevent(func, kwargs)
            except Exception as exc:  # noqa: BLE001 - the point of the test
                pytest.fail(f"{name}({param}={str(bad)[:40]!r}) raised {type(exc).__name__}: {exc}")
            check_output(name, out)


def test_infinite_year_never_raises():
    failures = []
    for name in ("update_year_slider", "update_map", "update_rank_table", "update_trend"):
        func = getattr(ov, name)
        params = list(inspect.signature(func).parameters)
        for bad in (float("inf"), float("-inf"), "1e999", "Infinity"):
            kwargs = {**{p: VALID[p] for p in params}, "year": bad}
            try:
                check_output(name, call_or_prevent(func, kwargs))
            except Exception as exc:  # noqa: BLE001
                failures.append(f"{name}(year={bad!r}): {type(exc).__name__}: {exc}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("click_data", [None, {}, [], "4601", {"points": []}, {"points": [None]}, {"points": "x"},
                                        {"points": [{}]}, {"points": [{"location": 4601}]},
                                        {"points": [{"location": "9999"}]}, {"points": [{"location": ["4601"]}]},
                                        {"points": [{"location": "NO"}]}, {"points": [{"location": HUGE}]}])
def test_malformed_map_clicks_prevent_update(click_data):
    with pytest.raises(PreventUpdate):
        ov.select_from_map(click_data, level="kommune", county="NO")


def test_map_click_selects_municipality_and_moves_county():
    out = ov.select_from_map({"points": [{"location": "4601"}]}, level="kommune", county="03")
    assert out["county"] == "46" and out["region"] == "4601"
    # the county's list comes with the value (the dropdown may hold the chosen option only until first use)
    values = [o["value"] for o in out["options"]]
    assert "4601" in values and all(v.startswith("46") for v in values) and len(values) > 40
    out = ov.select_from_map({"points": [{"location": "4601"}]}, level="kommune", county="46")
    assert out["region"] == "4601" and out["county"] is dash.no_update
    out = ov.select_from_map({"points": [{"location": "4601"}]}, level="kommune", county="NO")
    assert len(out["options"]) == 357 and out["county"] is dash.no_update
    out = ov.select_from_map({"points": [{"location": "46"}]}, level="fylke", county="NO")
    assert out["county"] == "46" and out["options"] is dash.no_update


def note_text(note) -> str:
    return json.dumps(as_json(note), ensure_ascii=False) if note else ""


@pytest.mark.parametrize("kwargs,expect", [
    ({"indicator": "nope"}, "Ingen data"),
    ({"indicator": None}, "Ingen data"),
    ({"indicator": ["share_80plus"]}, "Ingen data"),
    ({"county": "99"}, "Ukjent fylke"),
    ({"county": 46}, "Ukjent fylke"),
    ({"county": HUGE}, "Ukjent fylke"),
    ({"year": "abc"}, "viser"),
    ({"year": 1900}, "viser"),
    ({"year": [2024]}, "viser"),
])
def test_map_falls_back_with_a_visible_note(kwargs, expect):
    args = {"indicator": "share_80plus", "level": "kommune", "county": "NO", "year": 2024, "geokey": None,
            "selected": None, **kwargs}
    out = ov.update_map(**args)
    assert isinstance(out["figure"], dict)
    assert expect in note_text(out["note"]), out["note"]
    assert HUGE not in note_text(out["note"]), "user input must not be echoed unbounded"


# ------------------------------------------------------------------------------------------ geometry by URL
def test_map_figure_is_small_and_carries_no_shapes():
    fig = first_map()["figure"]
    size = len(pio_json.to_json_plotly(fig))
    assert all(isinstance(t.get("geojson"), str) for t in fig["data"] if t.get("type") == "choropleth")
    assert size < 60_000, f"map figure is {size} bytes: shapes must not travel with every figure"


def test_geometry_route_serves_versioned_cacheable_shapes(regions):
    import app as app_module
    client = app_module.server.test_client()
    for level, name in store.GEOMETRY_FILES.items():
        resp = client.get(f"/geo/{name}.json?v={store.version()}")
        assert resp.status_code == 200 and resp.mimetype == "application/json"
        fc = json.loads(resp.data)
        assert {f["properties"]["code"] for f in fc["features"]} == codes(regions, level)
        assert "max-age" in resp.headers["Cache-Control"]
        again = client.get(f"/geo/{name}.json", headers={"If-None-Match": resp.headers["ETag"]})
        assert again.status_code == 304
    odd = client.get("/geo/..%2F..%2Fetc%2Fpasswd.json")  # not our route: Dash answers with the app page
    assert odd.mimetype == "text/html" and b"root:" not in odd.data
    assert client.get("/geo/verden.json").status_code == 404


def test_inline_geometry_puts_the_shapes_back_for_image_export():
    fig = first_map()["figure"]
    inlined = mapfig.inline_geometry(fig, ov.geometry_for_url)
    assert inlined["data"][0]["geojson"]["type"] == "FeatureCollection"
    assert isinstance(fig["data"][0]["geojson"], str), "the original figure is not changed"
