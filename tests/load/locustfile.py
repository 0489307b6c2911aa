"""Locust users that behave like the browser on omsorgsatlas (tests/load/harness.py runs this file).

Each simulated user repeats a realistic session, with the requests the Dash renderer makes (checked against
headless Chromium's network log):
  open «Kart og trender» (GET /, /_dash-layout with the page's first view in it, /_dash-dependencies; no callbacks)
  -> change the year a few times (map as a Patch, ranked table, trend)
  -> pick another indicator (level, year slider, definition, map, table, trend)
  -> filter on a county (municipality list, map, table, trend)
  -> open a municipality's profile in the app (the router's answer carries it) and pick another trend indicator.
Values come from what the server answered (the page layout's dropdown options, the slider's years, the
map's geometry key for the Patch path), so the load follows the real data and the real callback graph
(read from /_dash-dependencies; callbacks are found by their output ids, not by position).

Every callback answer is checked: HTTP 200 (204 = nothing to update is fine), JSON, and not the app's
generic error note (``app-error``) – a callback that raised counts as an error, not as a success.

Environment: LOAD_RESULTS (path; every request's name, latency and outcome are written there as JSON
when locust stops, so the harness computes exact percentiles over all callbacks), LOAD_THINK ("min,max"
seconds between a user's steps, default "0.2,1.0"), LOAD_SEED.
"""
from __future__ import annotations

import json
import os
import random
import threading
import time

from locust import FastHttpUser, between, events, task

from tests.security.fuzzlib import split_output

CALLBACK = "/_dash-update-component"
ROUTER = "_pages_content.children"
_think = [float(x) for x in os.environ.get("LOAD_THINK", "0.2,1.0").split(",")]
_records: list[tuple[str, float, bool]] = []
_lock = threading.Lock()
_rng = random.Random(int(os.environ.get("LOAD_SEED", "20261122")))


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **_kw):
    with _lock:
        _records.append((name, float(response_time), exception is None))


@events.quitting.add_listener
def _dump(environment, **_kw):
    path = os.environ.get("LOAD_RESULTS")
    if path:
        with open(path, "w", encoding="utf-8") as fh:
            json.dump({"records": _records, "stopped_at": time.time()}, fh)


def _walk(node, out: dict) -> None:
    """Component props by id from a layout JSON (as the router sends it)."""
    if isinstance(node, list):
        for x in node:
            _walk(x, out)
    elif isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict):
            if "id" in props and isinstance(props["id"], str):
                out[props["id"]] = props
            _walk(props.get("children"), out)
            for v in props.values():
                if isinstance(v, dict) and "props" in v:
                    _walk(v, out)


def _values(options) -> list:
    out = []
    for o in options or []:
        if isinstance(o, dict) and not o.get("disabled") and o.get("value") not in (None, ""):
            out.append(o["value"])
    return out


class AtlasUser(FastHttpUser):
    wait_time = between(*_think)

    def on_start(self):
        self.deps = self.client.get("/_dash-dependencies", name="GET /_dash-dependencies").json()
        self.values: dict[tuple[str, str], object] = {}
        self.comps: dict[str, dict] = {}

    # ------------------------------------------------------------------ the renderer's request
    def _dep(self, output_key: str) -> dict:
        for d in self.deps:
            if not d.get("clientside_function") and output_key in d["output"]:
                return d
        raise LookupError(f"no callback with output {output_key}")

    def callback(self, output_key: str, name: str, changed: list[str]):
        dep = self._dep(output_key)
        outs = split_output(dep["output"])
        outputs = [{"id": i, "property": p} for i, p in outs]

        def entry(d):
            return {"id": d["id"], "property": d["property"], "value": self.values.get((d["id"], d["property"]))}

        body = {"output": dep["output"], "outputs": outputs if dep["output"].startswith("..") else outputs[0],
                "inputs": [entry(d) for d in dep["inputs"]], "state": [entry(d) for d in dep.get("state", [])],
                "changedPropIds": changed}
        with self.client.post(CALLBACK, json=body, name=f"cb {name}", catch_response=True) as resp:
            if resp.status_code == 204:
                resp.success()
                return {}
            if resp.status_code != 200:
                resp.failure(f"HTTP {resp.status_code} {getattr(resp, 'error', '') or ''}".strip())
                return {}
            try:
                data = json.loads(resp.text)
            except ValueError:
                resp.failure("not JSON")
                return {}
            if "app-error" in resp.text:
                resp.failure("callback raised (app-error note)")
                return {}
            answer = data.get("response") or {}
            for cid, props in answer.items():
                if isinstance(props, dict):
                    for prop, value in props.items():
                        if not (isinstance(value, dict) and "__dash_patch_update" in value):
                            self.values[(cid, prop)] = value
            return answer

    def page(self, path: str, search: str = "", *, full: bool = True) -> None:
        """Open a page. ``full``: as typed in the address bar: the index page, then what the renderer fetches,
        /_dash-layout (the page the browser is on arrives in it, chosen by the Referer, with its first view) and
        /_dash-dependencies; the router callback only when the layout came without the page. Otherwise an in-app
        navigation (a menu link, dcc.Link): the router callback answers with the page's layout."""
        self.comps = {}
        self.values[("_pages_location", "pathname")] = path
        self.values[("_pages_location", "search")] = search
        content = None
        if full:
            self.client.get(path + search, name=f"GET {path}")
            referer = {"Referer": self.host.rstrip("/") + path + search}
            with self.client.get("/_dash-layout", name="GET /_dash-layout", headers=referer,
                                 catch_response=True) as resp:
                try:
                    layout = json.loads(resp.text)
                except ValueError:
                    resp.failure("layout not JSON")
                    return
                resp.success()
            self.client.get("/_dash-dependencies", name="GET /_dash-dependencies")
            found: dict = {}
            _walk(layout, found)
            content = found.get("_pages_content", {}).get("children")
            if content:
                self.comps = found
        if not content:
            answer = self.callback(ROUTER, "router", ["_pages_location.pathname"])
            _walk(answer.get("_pages_content", {}).get("children"), self.comps)
        for cid, props in self.comps.items():
            for prop, value in props.items():
                if prop != "children":
                    self.values[(cid, prop)] = value

    def think(self):
        time.sleep(_rng.uniform(*_think) / 2)

    # ------------------------------------------------------------------ one user session
    def overview_charts(self, changed: str):
        self.callback("map.figure", "map", [changed])
        self.callback("rank-table.children", "rank-table", [changed])
        self.callback("trend.figure", "trend", [changed])

    @task
    def session(self):
        self.page("/")  # the first view (map, table, trend, definition) comes with the layout: no callbacks
        if "indicator-dropdown" not in self.comps:
            return

        years = self._years()
        for _ in range(3):  # the year slider
            self.think()
            if years:
                self.values[("selected-year", "data")] = _rng.choice(years)
            self.overview_charts("selected-year.data")

        self.think()  # another indicator
        indicators = _values(self.values.get(("indicator-dropdown", "options")))
        if indicators:
            self.values[("indicator-dropdown", "value")] = _rng.choice(indicators)
            self.callback("level-radio.options", "level", ["indicator-dropdown.value"])
            self.callback("year-slider.min", "year-slider", ["indicator-dropdown.value"])
            self.callback("indicator-definition.children", "definition", ["indicator-dropdown.value"])
            self.values[("selected-year", "data")] = self.values.get(("year-slider", "value"))
            self.overview_charts("indicator-dropdown.value")

        self.think()  # a county
        counties = _values(self.comps.get("county-dropdown", {}).get("options"))
        if counties:
            self.values[("county-dropdown", "value")] = _rng.choice(counties)
            self.callback("region-dropdown-options.data", "region-options", ["county-dropdown.value"])
            self.overview_charts("county-dropdown.value")
            years = self._years()
            if years:
                self.think()
                self.values[("selected-year", "data")] = _rng.choice(years)
                self.overview_charts("selected-year.data")

        self.think()  # a municipality's profile
        munis = _values(self.values.get(("region-dropdown-options", "data")))
        knr = _rng.choice(munis) if munis else "0301"
        self.page("/kommune", f"?knr={knr}", full=False)  # in-app: the router's layout carries the profile
        if "profile-muni" in self.comps:
            self.think()  # another indicator in the profile's trend chart
            options = _values(self.values.get(("profile-indicator", "options")))
            if options:
                self.values[("profile-indicator", "value")] = _rng.choice(options)
                self.callback("profile-trend.figure", "profile-trend", ["profile-indicator.value"])

    def _years(self) -> list[int]:
        lo, hi = self.values.get(("year-slider", "min")), self.values.get(("year-slider", "max"))
        if isinstance(lo, int) and isinstance(hi, int) and lo <= hi:
            return list(range(lo, hi + 1))
        return []
