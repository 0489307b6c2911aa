"""Export figures (issue 6): image render time cold/warm, bytes per format, JSON-stat size and time.

    python tests/benchmarks/exports.py [--n 10]

Goes through the Flask routes with the test client and the flask-caching cache switched off (every image is
really rendered by kaleido + the system Chromium). Prints figures; times nothing as a test.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("CACHE_TYPE", "NullCache")

import app  # noqa: E402


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(q / 100 * (len(xs) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10)
    n = ap.parse_args().n
    c = app.server.test_client()

    def get(url, **q):
        t = time.perf_counter()
        r = c.get(url, query_string=q)
        dt = time.perf_counter() - t
        assert r.status_code == 200, (url, r.status_code, r.data[:200])
        return dt, len(r.data)

    view = {"indikator": "share_80plus", "niva": "kommune"}
    cold, size = get("/eksport/kart.png", **view)
    print(f"cold start + first PNG (kart, 2×): {cold:.2f} s, {size / 1024:.0f} KiB")
    print(f"{'chart/format':34} {'p50 s':>7} {'p95 s':>7} {'KiB':>8}")
    cases = [("kart", "png", {"skala": "2"}), ("kart", "png", {"skala": "4"}), ("kart", "svg", {}),
             ("utvikling", "png", {"skala": "2", "kommune": "4601"}), ("utvikling", "svg", {"kommune": "4601"}),
             ("fylke", "png", {"fnr": "46", "skala": "2"}), ("personell-yrke", "png", {"skala": "2"}),
             ("kart", "csv", {}), ("kart", "xlsx", {}), ("kart", "json", {})]
    for chart, fmt, extra in cases:
        times, sizes = [], []
        years = ["2024", "2023", "2022", "2021", "2020", "2019", "2018", "2017", "2016", "2015", "2014", "2013"]
        for i in range(n):
            q = {**view, **extra}
            if chart == "kart":
                q["ar"] = years[i % len(years)]  # a new view each time (no cache anyway)
            dt, b = get(f"/eksport/{chart}.{fmt}", **q)
            times.append(dt)
            sizes.append(b)
        label = f"{chart}.{fmt} {' '.join(f'{k}={v}' for k, v in extra.items() if k in ('skala',))}"
        print(f"{label:34} {statistics.median(times):7.2f} {pct(times, 95):7.2f} {statistics.mean(sizes) / 1024:8.0f}")
    for ind, niva in (("share_80plus", "kommune"), ("share_80plus", "fylke"), ("population", "kommune")):
        times, b = [], 0
        for _ in range(max(3, n // 2)):
            dt, b = get(f"/eksport/indikator/{ind}.json", niva=niva)
            times.append(dt)
        print(f"JSON-stat {ind} niva={niva}: {b / 1024:.0f} KiB, p50 {statistics.median(times) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
