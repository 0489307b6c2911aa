"""Server time of the «Min kommune» callbacks (and «Fylkesbildet») for the largest county, the old way and the
new way in the same run (issue 13).

    python tests/benchmarks/bench_profile.py [--county 46] [--repeat 2] [--limit 20]

* ``gammel`` (old): the same callbacks with the store's view functions replaced by the per-request computation
  they replaced (tests/reference_comparison.py: statistics from store.snapshot, pandas rank/quantile, neighbour
  medians from store.series). «kald» clears its per-(indicator, year) statistics cache before every call;
  «varm» keeps it (the old code's steady state).
* ``ny`` (new): store.profile_view / profile_trend_view / county_view over the pipeline's precomputed tables.
  «kald» clears the views' memo before every call (the look-up index over data/ stays built: its one-off cost
  per process is printed separately); «varm» is a memo hit.

Calls the callback functions directly, outside a Flask app context, so flask-caching is bypassed: the figures
are a cache miss's server time (network and rendering excluded). Wall time (p50/p95) and CPU time
(time.process_time, less noisy on a shared machine) per call.

Two lines go through the app (Flask test client, response cache and flask-caching off, so every request is a
miss; Dash's dispatch, the JSON and the gzip of the answer included): «ruter /kommune?knr=» is the page
router's request when a user opens «Min kommune» in the app (the whole page: header, spine chart, tables, the
first trend), «profile-trend (appen)» the trend callback's request for another indicator. The indicator
cycles through the profile's indicators. Run the script on an older checkout for before/after figures of the
builders (the «gammel» way only swaps the store's views).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

# this file was once named like the stdlib module «profile» (imported by IPython via dash): drop its folder
_HERE = str(Path(__file__).resolve().parent)
sys.path[:] = [p for p in sys.path if p and str(Path(p).resolve()) != _HERE]
sys.modules.pop("profile", None)
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import os  # noqa: E402
import warnings  # noqa: E402

os.environ["OMSORGSATLAS_RESPONSE_CACHE"] = "0"  # through the app: every request a miss
os.environ["CACHE_TYPE"] = "NullCache"
warnings.filterwarnings("ignore", message=".*NullCache.*")

import store  # noqa: E402
from store import views as sv  # noqa: E402


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(p / 100 * (len(xs) - 1))))]


NEW = {"profile_view": sv.profile_view, "profile_trend_view": sv.profile_trend_view, "county_view": sv.county_view}


def use(way: str) -> None:
    from tests import reference_comparison as old
    src = NEW if way == "ny" else {k: getattr(old, k) for k in NEW}
    for name, fn in src.items():
        setattr(store, name, fn)


def clear_memo(way: str) -> None:
    if way == "ny":
        for memo in (sv._profile_view, sv._profile_trend_view, sv._county_view):
            memo.cache_clear()
    else:
        from tests import reference_comparison as old
        old.clear()


def app_calls():
    """(router, profile-trend): a municipality code -> one POST of that callback through the app (a miss)."""
    import app as the_app
    from pages.profile import _indicator_options
    from tests.security.fuzzlib import split_output
    client = the_app.server.test_client()
    deps = client.get("/_dash-dependencies").get_json()

    def body(output: str, values: dict) -> dict:
        dep = next(d for d in deps if not d.get("clientside_function") and output in d["output"])
        outs = [{"id": i, "property": p} for i, p in split_output(dep["output"])]
        entry = lambda d: {"id": d["id"], "property": d["property"],  # noqa: E731
                           "value": values.get((d["id"], d["property"]))}
        return {"output": dep["output"], "outputs": outs if dep["output"].startswith("..") else outs[0],
                "inputs": [entry(d) for d in dep["inputs"]], "state": [entry(d) for d in dep.get("state", [])],
                "changedPropIds": [f"{dep['inputs'][0]['id']}.{dep['inputs'][0]['property']}"]}

    indicators = [o["value"] for o in _indicator_options("nb", store.version())]
    turn = iter(range(10 ** 9))

    def post(payload: dict) -> None:
        resp = client.post("/_dash-update-component", json=payload, headers={"Accept-Encoding": "gzip"})
        assert resp.status_code == 200, resp.status_code

    def router(code: str) -> None:
        post(body("_pages_content.children", {("_pages_location", "pathname"): "/kommune",
                                              ("_pages_location", "search"): f"?knr={code}"}))

    def trend(code: str) -> None:
        post(body("profile-trend.figure", {("profile-muni", "value"): code,
                                           ("profile-indicator", "value"): indicators[next(turn) % len(indicators)]}))
    return router, trend


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--county", default=None, help="county code (default: the one with most municipalities)")
    ap.add_argument("--repeat", type=int, default=2, help="rounds per way and memo state")
    ap.add_argument("--limit", type=int, default=0, help="only the first N municipalities of the county")
    args = ap.parse_args()
    store.init()
    from callbacks.county import update_rug
    from callbacks.profile import update_profile, update_profile_trend

    munis = store.municipalities()
    county = args.county or munis["county_code"].value_counts().sort_index().idxmax()
    codes = list(store.municipalities(county)["region_code"])
    if args.limit:
        codes = codes[:args.limit]
    print(f"fylke {county} {store.region(county)['name']}: {len(codes)} kommuner, {args.repeat} runder per måte")

    t0, c0 = time.perf_counter(), time.process_time()
    (getattr(sv, "warm", None) or (lambda: sv._index(store.version())))()
    print(f"ny: oppslagsindeksen over data/ (og verditabellene) bygges én gang per prosess: "
          f"{1000 * (time.perf_counter() - t0):.0f} ms (CPU {1000 * (time.process_time() - c0):.0f} ms)")
    router, trend_cb = app_calls()

    calls = [("update_profile (befolkning)", lambda c: update_profile(c, "befolkning")),
             ("update_profile (alle områder)", lambda c: update_profile(c, "alle")),
             ("update_profile_trend", lambda c: update_profile_trend(c, "share_80plus")),
             ("update_rug (fylket)", lambda c: update_rug(county, "befolkning", "share_80plus", ["desc"], [])),
             ("ruter /kommune?knr= (appen)", router),
             ("profile-trend (appen)", trend_cb)]
    results = []
    for way in ("gammel", "ny"):
        use(way)
        for memo in ("kald", "varm"):
            for name, fn in calls:
                targets = codes  # the matrix: the same county once per municipality, for as many samples
                wall, cpu = [], []
                if memo == "varm":
                    for c in targets:  # fill the memo first
                        fn(c)
                for _ in range(args.repeat):
                    for c in targets:
                        if memo == "kald":
                            clear_memo(way)
                        t, ct = time.perf_counter(), time.process_time()
                        fn(c)
                        wall.append(1000 * (time.perf_counter() - t))
                        cpu.append(1000 * (time.process_time() - ct))
                results.append((name, way, memo, wall, cpu))
    use("ny")
    print(f"{'callback':31s} {'måte':7s} {'memo':5s} {'n':>4s} {'p50 ms':>8s} {'p95 ms':>8s} {'CPU p50':>8s} "
          f"{'CPU snitt':>9s}")
    for name, way, memo, wall, cpu in sorted(results, key=lambda r: (r[0], r[2], r[1])):
        print(f"{name:31s} {way:7s} {memo:5s} {len(wall):4d} {statistics.median(wall):8.1f} {pct(wall, 95):8.1f} "
              f"{statistics.median(cpu):8.1f} {statistics.fmean(cpu):9.1f}")


if __name__ == "__main__":
    main()
