"""Benchmarks for omsorgsatlas (a script; pytest does not collect tests/benchmarks, see pytest.ini).

    python tests/benchmarks/run.py                   # everything (a few minutes on 2 cores)
    python tests/benchmarks/run.py --runs 3          # pipeline build 3 times
    python tests/benchmarks/run.py --calls 50 --skip-build --no-browser

Prints, clearly labelled:
  1. pipeline build time: `python -m pipeline build --out <tmp>` wall time (--runs N, default 1);
  2. server time per callback (map, ranked table, trend) for a year change, an indicator change and a
     county filter: HTTP round trip of POST /_dash-update-component against the real app under gunicorn
     (2 workers, loopback, fresh CACHE_DIR), p50/p95 over --calls requests each, plus the pure Python
     function time of the same callbacks for comparison. Payloads are built from /_dash-dependencies and
     the page layout the server returns for "/";
  3. bytes per year change: the map callback's response with a dash.Patch vs the full figure for the same
     state (and vs an indicator change), raw and gzip;
  4. first page load: HTML + every JS/CSS/JSON request headless Chromium makes for "/" + the callback
     responses (incl. the map with its geometry), raw and gzip. Sizes are refetched from the server with
     Accept-Encoding: identity and gzip-compressed here (level 6); whether the server compresses by itself
     is reported too. Without Chromium (--no-browser) only what the HTML references is counted.

Everything runs on 127.0.0.1; all loops are bounded; the server is always stopped.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
from tests import servers  # noqa: E402  (the same start/stop helpers as the browser and load tests)
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

MAP = "map.figure"
RANK = "rank-table.children"
TREND = "trend.figure"
CALLBACKS = {MAP: "map", RANK: "ranked table", TREND: "trend"}


# ----------------------------------------------------------------------------------------------- utilities
def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    xs = sorted(values)
    if not xs:
        return float("nan")
    k = max(0, min(len(xs) - 1, int(round(p / 100 * len(xs) + 0.5)) - 1))
    return xs[k]


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def kb(n: float) -> str:
    return f"{n / 1024:,.1f} KiB".replace(",", " ")


def heading(text: str) -> None:
    print()
    print("=" * 100)
    print(text)
    print("=" * 100, flush=True)



def http(url: str, body: dict | bytes | None = None, *, gzip_ok: bool = False, timeout: float = 120):
    """(status, headers, body bytes, seconds). POST when body is given."""
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    headers = {"Accept-Encoding": "gzip" if gzip_ok else "identity"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=data, headers=headers, method="POST" if data is not None else "GET")
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            payload = resp.read()
            return resp.status, dict(resp.headers), payload, time.perf_counter() - t0
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read(), time.perf_counter() - t0


@contextmanager
def server(kind: str, workdir: Path):
    """The real app on a free loopback port; always stopped (SIGTERM, then SIGKILL of its own group)."""
    port = servers.free_port()
    env = {**os.environ, "CACHE_DIR": str(workdir / "cache"), "PORT": str(port), "HOST": "127.0.0.1",
           "PYTHONUNBUFFERED": "1"}
    env.pop("OMSORGSATLAS_DEBUG", None)
    if kind == "gunicorn":
        cmd = [sys.executable, "-m", "gunicorn", "app:server", "--workers", "2", "--bind", f"127.0.0.1:{port}",
               "--no-control-socket"]
    else:
        cmd = [sys.executable, "app.py"]
    log_path = workdir / f"{kind}.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"{kind} exited with {proc.returncode}:\n{log_path.read_text(errors='replace')[-3000:]}")
            try:
                if http(base + "/", timeout=5)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"{kind} did not answer within 120 s")
            time.sleep(0.5)
        yield base
    finally:
        servers.stop(proc)


# ----------------------------------------------------------------------------------------------- 1. build
def bench_build(runs: int) -> None:
    heading(f"1. PIPELINE BUILD  (python -m pipeline build --out <tmp>; wall time, {runs} run(s))")
    times = []
    for i in range(runs):
        with tempfile.TemporaryDirectory(prefix="omsorgsatlas-build-") as tmp:
            t0 = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "pipeline", "build", "--out", str(Path(tmp) / "data")],
                                  cwd=REPO, capture_output=True, text=True)
            dt = time.perf_counter() - t0
            if proc.returncode != 0:
                print(f"  run {i + 1}: FAILED (exit {proc.returncode})\n{proc.stderr[-2000:]}")
                return
            times.append(dt)
            print(f"  run {i + 1}: {dt:6.1f} s", flush=True)
    print(f"  pipeline build: median {statistics.median(times):.1f} s, min {min(times):.1f} s, max {max(times):.1f} s")


# ----------------------------------------------------------------------------------------------- 2./3. callbacks
def parse_outputs(output: str):
    """Dash's output string -> the request's ``outputs`` (a list for multi-output callbacks)."""
    def one(s):
        cid, prop = s.rsplit(".", 1)
        return {"id": cid, "property": prop}
    if output.startswith(".."):
        return [one(s) for s in output[2:-2].split("...")]
    return one(output)


def find_props(layout, wanted: set[str]) -> dict[str, dict]:
    """id -> props of the components with those ids in a layout (JSON)."""
    found = {}

    def visit(node):
        if isinstance(node, list):
            for x in node:
                visit(x)
        elif isinstance(node, dict):
            props = node.get("props")
            if isinstance(props, dict):
                if props.get("id") in wanted:
                    found[props["id"]] = props
                for v in props.values():
                    visit(v)
    visit(layout)
    return found


class App:
    """Builds /_dash-update-component payloads the way dash-renderer does."""

    def __init__(self, base: str):
        self.base = base
        self.deps = json.loads(http(base + "/_dash-dependencies")[2])
        self.by_output = {}
        for dep in self.deps:
            outs = parse_outputs(dep["output"])
            names = {f"{o['id']}.{o['property']}" for o in (outs if isinstance(outs, list) else [outs])
                     if isinstance(o.get("id"), str)}
            for key in (MAP, RANK, TREND, "_pages_content.children"):
                if key in names:  # exact component id + property (not e.g. "profile-trend.figure")
                    self.by_output[key] = dep
        missing = {MAP, RANK, TREND, "_pages_content.children"} - set(self.by_output)
        if missing:
            raise SystemExit(f"callbacks not found in /_dash-dependencies: {missing}")

    def body(self, key: str, values: dict[tuple[str, str], object], changed: list[str]) -> dict:
        dep = self.by_output[key]
        def fill(items):
            return [{"id": i["id"], "property": i["property"], "value": values.get((i["id"], i["property"]))}
                    for i in items]
        body = {"output": dep["output"], "outputs": parse_outputs(dep["output"]), "inputs": fill(dep["inputs"]),
                "changedPropIds": changed}
        if dep.get("state"):
            body["state"] = fill(dep["state"])
        return body

    def call(self, key: str, values, changed) -> tuple[float, bytes, dict]:
        status, _, payload, dt = http(self.base + "/_dash-update-component", self.body(key, values, changed))
        if status != 200:
            raise SystemExit(f"{key}: HTTP {status}: {payload[:300]!r}")
        return dt, payload, json.loads(payload)

    def page_layout(self, path: str = "/", search: str = ""):
        values = {("_pages_location", "pathname"): path, ("_pages_location", "search"): search}
        _, _, resp = self.call("_pages_content.children", values, ["_pages_location.pathname"])
        return resp["response"]["_pages_content"]["children"]


def initial_state(app: App) -> dict:
    layout = app.page_layout("/")
    ids = {"indicator-dropdown", "level-radio", "county-dropdown", "region-dropdown", "selected-year", "year-slider",
           "map-geokey"}
    props = find_props(layout, ids)
    values = {
        ("indicator-dropdown", "value"): props["indicator-dropdown"].get("value"),
        ("level-radio", "value"): props["level-radio"].get("value"),
        ("county-dropdown", "value"): props["county-dropdown"].get("value"),
        ("region-dropdown", "value"): props["region-dropdown"].get("value"),
        ("selected-year", "data"): props["selected-year"].get("data"),
        ("map-geokey", "data"): props["map-geokey"].get("data"),
    }
    options = [o["value"] for o in props["indicator-dropdown"].get("options", [])
               if isinstance(o, dict) and not o.get("disabled")]
    # "indicator change" = another indicator for the same municipality map and year (the store tells which
    # have municipality data for that year; county-only indicators would switch the map's level too)
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    import store
    year = props["selected-year"].get("data")
    indicators = [i for i in options if year in store.years(i, "municipality")]
    counties = [o["value"] for o in props["county-dropdown"].get("options", []) if isinstance(o, dict)]
    years = sorted(int(float(y)) for y in (props["year-slider"].get("marks") or {}))
    return {"values": values, "indicators": indicators, "counties": counties, "years": years}


def geokey_of(resp: dict):
    return resp["response"].get("map-geokey", {}).get("data")


def scenarios(app: App, st: dict, calls: int):
    """(name, trigger prop, [(values, changed)] * calls, cold_n): bounded request sequences like a user makes."""
    base = dict(st["values"])
    _, _, first = app.call(MAP, base, [])
    base[("map-geokey", "data")] = geokey_of(first)
    years = [y for y in st["years"] if y != base[("selected-year", "data")]] or st["years"]
    year_seq = []
    for i in range(calls):
        v = dict(base)
        v[("selected-year", "data")] = years[i % len(years)]
        year_seq.append((v, ["selected-year.data"]))

    # indicator change: cycle through up to 10 indicators. The map-geokey state is the previous view's key
    # (any key other than the new one: the server then builds/sends a full figure, as after a real change)
    inds = st["indicators"][:10]
    assert len(inds) >= 2, "need at least two indicators with municipality data"
    ind_seq = []
    for i in range(calls):
        v = dict(base)
        v[("indicator-dropdown", "value")] = inds[i % len(inds)]
        v[("map-geokey", "data")] = f"previous:{inds[(i - 1) % len(inds)]}"
        ind_seq.append((v, ["indicator-dropdown.value"]))

    counties = st["counties"]
    county_seq = []
    for i in range(calls):
        v = dict(base)
        v[("county-dropdown", "value")] = counties[i % len(counties)]
        v[("map-geokey", "data")] = f"previous:{counties[(i - 1) % len(counties)]}"
        county_seq.append((v, ["county-dropdown.value"]))
    return [("year change", year_seq, 0), ("indicator change", ind_seq, len(inds)),
            ("county filter", county_seq, len(counties))]


def kwargs_for(func, values: dict) -> dict:
    import inspect
    names = {"indicator": ("indicator-dropdown", "value"), "level": ("level-radio", "value"),
             "county": ("county-dropdown", "value"), "year": ("selected-year", "data"),
             "selected": ("region-dropdown", "value"), "geokey": ("map-geokey", "data")}
    return {p: values.get(names[p]) for p in inspect.signature(func).parameters if p in names}


def bench_callbacks(base: str, calls: int) -> dict:
    heading(f"2. SERVER TIME PER CALLBACK  (POST /_dash-update-component, gunicorn 2 workers, loopback, "
            f"{calls} calls each; fresh CACHE_DIR)")
    app = App(base)
    st = initial_state(app)
    v0 = st["values"]
    print(f"  start view: indikator={v0[('indicator-dropdown', 'value')]} niva={v0[('level-radio', 'value')]} "
          f"fylke={v0[('county-dropdown', 'value')]} ar={v0[('selected-year', 'data')]}; indicator change cycles "
          f"{min(10, len(st['indicators']))} indicators with municipality data for that year "
          f"({', '.join(st['indicators'][:10])}); county filter cycles {len(st['counties'])} choices; "
          f"year change cycles {len(st['years'])} years")
    print("  HTTP round trip incl. JSON encoding; 'cold' = median of the first pass over the keys (empty figure cache)")
    print(f"  {'interaction':18} {'callback':13} {'p50 ms':>8} {'p95 ms':>8} {'cold ms':>8} {'max ms':>8} "
          f"{'resp (median)':>14}  kind")
    seqs = scenarios(app, st, calls)
    results = {}
    for name, seq, cold_n in seqs:
        for key in (MAP, RANK, TREND):
            times, sizes, kinds = [], [], set()
            for values, changed in seq:
                dt, payload, resp = app.call(key, values, changed)
                times.append(dt * 1000)
                sizes.append(len(payload))
                if key == MAP:
                    fig = resp["response"]["map"]["figure"]
                    kinds.add("Patch" if "__dash_patch_update" in fig else "full figure")
            warm = times[cold_n:] or times
            cold = f"{statistics.median(times[:cold_n]):8.1f}" if cold_n else f"{'-':>8}"
            print(f"  {name:18} {CALLBACKS[key]:13} {pct(warm, 50):8.1f} {pct(warm, 95):8.1f} {cold} "
                  f"{max(times):8.1f} {kb(statistics.median(sizes)):>14}  {'/'.join(sorted(kinds))}", flush=True)
            results[(name, key)] = times

    # pure functions, same inputs, no Flask app context (callbacks._cache.memoize -> direct call, no cache)
    print()
    print(f"  pure function time (same inputs, called in-process, no cache), {calls} calls each:")
    print(f"  {'interaction':18} {'callback':13} {'p50 ms':>8} {'p95 ms':>8}")
    sys.path.insert(0, str(REPO))
    os.chdir(REPO)
    from callbacks import overview as ov  # noqa: E402  (registers callbacks; harmless here)
    funcs = {MAP: ov.update_map, RANK: ov.update_rank_table, TREND: ov.update_trend}
    for name, seq, _ in seqs:
        for key in (MAP, RANK, TREND):
            func = funcs[key]
            func(**kwargs_for(func, seq[0][0]))  # warm imports / store
            times = []
            for values, _ in seq:
                kw = kwargs_for(func, values)
                t0 = time.perf_counter()
                func(**kw)
                times.append((time.perf_counter() - t0) * 1000)
            print(f"  {name:18} {CALLBACKS[key]:13} {pct(times, 50):8.1f} {pct(times, 95):8.1f}", flush=True)
    return {"app": app, "state": st, "scenarios": seqs}


def bench_bytes(ctx: dict) -> None:
    heading("3. BYTES PER YEAR CHANGE  (map callback response body; gzip = gzip -6 of that body)")
    app, st = ctx["app"], ctx["state"]
    import plotly.io as pio
    from callbacks import overview as ov

    rows = []
    for label, county in (("hele landet (357 kommuner)", st["values"][("county-dropdown", "value")]),
                          ("Vestland (43 kommuner)", "46")):
        v = dict(st["values"])
        v[("county-dropdown", "value")] = county
        v[("map-geokey", "data")] = None
        years = st["years"]
        v[("selected-year", "data")] = years[-1]
        _, full_body, resp = app.call(MAP, v, [])
        v[("map-geokey", "data")] = geokey_of(resp)
        v[("selected-year", "data")] = years[-2]
        _, patch_body, presp = app.call(MAP, v, ["selected-year.data"])
        assert "__dash_patch_update" in presp["response"]["map"]["figure"], "year change did not answer a Patch"
        v2 = dict(v)
        v2[("map-geokey", "data")] = None  # same state, but as if the figure had to be resent
        _, same_full, _ = app.call(MAP, v2, ["selected-year.data"])
        v3 = dict(v)
        v3[("indicator-dropdown", "value")] = next(i for i in st["indicators"]
                                                   if i != v[("indicator-dropdown", "value")])
        _, ind_body, _ = app.call(MAP, v3, ["indicator-dropdown.value"])
        fig = ov.update_map(**kwargs_for(ov.update_map, v2))["figure"]
        fig_json = pio.to_json(fig, validate=False, engine="json").encode()
        rows.append((label, patch_body, same_full, ind_body, fig_json))
    print(f"  {'view':28} {'what':52} {'raw':>12} {'gzip':>12}")
    for label, patch_body, same_full, ind_body, fig_json in rows:
        for what, body in (("year change, response with dash.Patch", patch_body),
                           ("same year change if the full figure were sent", same_full),
                           ("indicator change (full figure, new geometry)", ind_body),
                           ("plotly.io.to_json(full figure) for the same state", fig_json)):
            print(f"  {label:28} {what:52} {kb(len(body)):>12} {kb(gz(body)):>12}")
        print(f"  {label:28} {'=> Patch / full figure':52} {len(patch_body) / len(same_full):12.1%} "
              f"{gz(patch_body) / gz(same_full):12.1%}")


# ----------------------------------------------------------------------------------------------- 4. first load
class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.urls.append(a["src"])
        if tag == "link" and a.get("href") and "stylesheet" in (a.get("rel") or "") + "icon":
            self.urls.append(a["href"])


def browser_requests(base: str, workdir: Path) -> tuple[list[dict], dict]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--window-size=1400,1000", f"--user-data-dir={workdir / 'chrome'}"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    drv = webdriver.Chrome(options=opts, service=Service(CHROMEDRIVER))
    try:
        drv.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": (
            "window.__lt=[];try{new PerformanceObserver(function(l){l.getEntries().forEach(function(e){"
            "window.__lt.push(e.duration);});}).observe({type:'longtask',buffered:true});}catch(e){}")})
        t0 = time.perf_counter()
        drv.get(base + "/")
        WebDriverWait(drv, 180, 0.25).until(
            lambda d: len(d.find_elements(By.CSS_SELECTOR, "#map path.choroplethlocation")) >= 357)
        drawn = time.perf_counter() - t0
        time.sleep(3)  # let late requests (topojson) finish; bounded
        long_tasks = drv.execute_script("return window.__lt || []")
        reqs, done = {}, {}
        for entry in drv.get_log("performance"):
            msg = json.loads(entry["message"])["message"]
            p = msg.get("params", {})
            if msg["method"] == "Network.requestWillBeSent":
                r = p["request"]
                if r["url"].startswith(base):
                    reqs[p["requestId"]] = {"url": r["url"], "method": r["method"], "post": r.get("postData")}
            elif msg["method"] == "Network.loadingFinished":
                done[p["requestId"]] = p.get("encodedDataLength", 0)
        out = [dict(r, wire=done.get(k, 0)) for k, r in reqs.items()]
        return out, {"map drawn after": drawn, "long tasks": long_tasks}
    finally:
        drv.quit()


def category(req: dict) -> str:
    path = urlsplit(req["url"]).path
    if req["method"] == "POST" and path.endswith("_dash-update-component"):
        out = json.loads(req["post"] or "{}").get("output", "")
        return "callback: map (geometry)" if out.startswith(".." + MAP + "...") or out == MAP else "callback: other"
    if path.endswith(".js"):
        return "JS"
    if path.endswith(".css"):
        return "CSS"
    if path in ("/", "") or path.endswith(".html"):
        return "HTML"
    if path.startswith("/_dash-"):
        return "JSON (layout, dependencies)"
    return "other (topojson, favicon, ...)"


def bench_first_load(base: str, workdir: Path, use_browser: bool) -> None:
    heading("4. FIRST PAGE LOAD OF /  (raw = bytes the server sends; gzip = gzip -6 of each body, done here)")
    status, headers, html_body, _ = http(base + "/", gzip_ok=True)
    server_gz = headers.get("Content-Encoding")
    _, h2, js_probe, _ = http(base + "/_dash-dependencies", gzip_ok=True)
    print(f"  server compression when asked (Accept-Encoding: gzip): HTML -> "
          f"{server_gz or 'none'}, JSON -> {h2.get('Content-Encoding') or 'none'}")
    extra = {}
    if use_browser and os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK):
        reqs, extra = browser_requests(base, workdir)
        source = "every request headless Chromium made until the map was drawn (+3 s)"
    else:
        parser = _Refs()
        parser.feed(html_body.decode("utf-8", "replace"))
        reqs = [{"url": base + "/", "method": "GET", "post": None}]
        reqs += [{"url": urljoin(base + "/", u), "method": "GET", "post": None} for u in parser.urls]
        app = App(base)
        st = initial_state(app)
        reqs += [{"url": base + "/_dash-layout", "method": "GET", "post": None},
                 {"url": base + "/_dash-dependencies", "method": "GET", "post": None},
                 {"url": base + "/_dash-update-component", "method": "POST",
                  "post": json.dumps(app.body(MAP, st["values"], []))}]
        source = "APPROXIMATE: only what the HTML references + layout/deps + the map callback (no browser)"
    print(f"  requests: {source}")
    totals: dict[str, list[int]] = {}
    rows = []
    for r in reqs:
        body = r["post"].encode() if r["post"] else None
        st_code, _, payload, _ = http(r["url"], body) if body is not None else http(r["url"])
        if st_code != 200:
            continue
        cat = category(r)
        t = totals.setdefault(cat, [0, 0, 0])
        t[0] += 1
        t[1] += len(payload)
        t[2] += gz(payload)
        what = r["url"].replace(base, "")
        if r["post"]:
            what = "POST " + urlsplit(r["url"]).path + " -> " + json.loads(r["post"]).get("output", "?")
        rows.append((len(payload), gz(payload), cat, what))
    order = ["HTML", "JS", "CSS", "JSON (layout, dependencies)", "callback: map (geometry)", "callback: other",
             "other (topojson, favicon, ...)"]
    print(f"  {'part':34} {'n':>3} {'raw':>12} {'gzip':>12}")
    for cat in order:
        if cat in totals:
            n, raw, g = totals[cat]
            print(f"  {cat:34} {n:3d} {kb(raw):>12} {kb(g):>12}")
    n_all = sum(t[0] for t in totals.values())
    raw_all = sum(t[1] for t in totals.values())
    gz_all = sum(t[2] for t in totals.values())
    print(f"  {'TOTAL':34} {n_all:3d} {kb(raw_all):>12} {kb(gz_all):>12}")
    print("  largest:")
    for raw, g, _cat, what in sorted(rows, reverse=True)[:6]:
        print(f"    {kb(raw):>12} raw {kb(g):>12} gzip  {what[:95]}")
    if extra:
        lt = extra["long tasks"]
        print(f"  browser: map drawn {extra['map drawn after']:.1f} s after navigation; main-thread long tasks "
              f"(>50 ms): {len(lt)}, total {sum(lt) / 1000:.1f} s, longest {max(lt or [0]) / 1000:.1f} s")


# ----------------------------------------------------------------------------------------------- main
def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=1, help="pipeline builds (default 1)")
    ap.add_argument("--calls", type=int, default=200, help="requests per callback and interaction (default 200)")
    ap.add_argument("--server", choices=("gunicorn", "werkzeug"), default="gunicorn")
    ap.add_argument("--skip-build", action="store_true")
    ap.add_argument("--no-browser", action="store_true", help="first-load size without Chromium (approximate)")
    args = ap.parse_args(argv)
    if args.runs < 1 or args.calls < 1 or args.calls > 10_000:
        ap.error("--runs >= 1 and 1 <= --calls <= 10000")
    t_all = time.perf_counter()
    print(f"omsorgsatlas benchmarks  (python {sys.version.split()[0]}, {os.cpu_count()} CPUs, repo {REPO})")
    if not args.skip_build:
        bench_build(args.runs)
    with tempfile.TemporaryDirectory(prefix="omsorgsatlas-bench-") as tmp:
        work = Path(tmp)
        with server(args.server, work) as base:
            print(f"\n(app under {args.server} at {base}, CACHE_DIR={work / 'cache'})")
            ctx = bench_callbacks(base, args.calls)
            bench_bytes(ctx)
            bench_first_load(base, work, not args.no_browser)
    print(f"\n(total benchmark time {time.perf_counter() - t_all:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
