"""Server time of the «Min kommune» callbacks (and «Fylkesbildet») for the largest county.

    python tests/benchmarks/profile.py [--county 34] [--repeat 3]

Calls the callback functions directly, outside a Flask app context, so flask-caching is bypassed: the
figures are the cost of a cache miss (what a first visitor waits for, minus network and rendering).
The per-(indicator, year) statistics are cached in-process (lru_cache) after their first use; the first
call is reported separately as «kald».
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

# this file is named like the stdlib module «profile» (imported by IPython via dash): drop its folder
_HERE = str(Path(__file__).resolve().parent)
sys.path[:] = [p for p in sys.path if p and str(Path(p).resolve()) != _HERE]
sys.modules.pop("profile", None)
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import store  # noqa: E402


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(p / 100 * (len(xs) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--county", default=None, help="county code (default: the one with most municipalities)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    store.init()
    from callbacks.county import update_rug
    from callbacks.profile import update_profile, update_profile_trend

    munis = store.municipalities()
    county = args.county or munis["county_code"].value_counts().sort_index().idxmax()
    codes = list(store.municipalities(county)["region_code"])
    print(f"fylke {county} {store.region(county)['name']}: {len(codes)} kommuner, {args.repeat} runder")

    t0 = time.perf_counter()
    update_profile(codes[0], "befolkning")
    print(f"kald første profil: {1000 * (time.perf_counter() - t0):.0f} ms")

    timings: dict[str, list[float]] = {"update_profile (befolkning)": [], "update_profile (alle områder)": [],
                                       "update_profile_trend": [], "update_rug (fylket)": []}
    for _ in range(args.repeat):
        for code in codes:
            for name, fn in (("update_profile (befolkning)", lambda: update_profile(code, "befolkning")),
                             ("update_profile (alle områder)", lambda: update_profile(code, "alle")),
                             ("update_profile_trend", lambda: update_profile_trend(code, "share_80plus"))):
                t = time.perf_counter()
                fn()
                timings[name].append(1000 * (time.perf_counter() - t))
        t = time.perf_counter()
        update_rug(county, "befolkning", "share_80plus", ["desc"], [])
        timings["update_rug (fylket)"].append(1000 * (time.perf_counter() - t))
    print(f"{'callback':32s} {'n':>4s} {'p50 ms':>8s} {'p95 ms':>8s} {'max ms':>8s}")
    for name, xs in timings.items():
        print(f"{name:32s} {len(xs):4d} {statistics.median(xs):8.1f} {pct(xs, 95):8.1f} {max(xs):8.1f}")


if __name__ == "__main__":
    main()
