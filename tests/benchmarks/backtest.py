"""Full backtest of the population projection (a script, not collected by pytest).

    python tests/benchmarks/backtest.py              # table: our method next to the plain-CCR baseline
    python tests/benchmarks/backtest.py --tune       # also the shrinkage grids on the first window (how k was chosen)
    python tests/benchmarks/backtest.py --json out.json

Projects from 2010 to 2020 and from 2014 to 2024 using only data up to the start year, and reports the
median and 90th-percentile absolute % error over the 357 municipalities by age group, and the national
% error (signed), for `pipeline.projection.project` and `baseline_project`.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from pipeline import projection as pr  # noqa: E402

INFO_GROUPS = (("0-17", 0, 17), ("18-66", 18, 66), ("total", 0, 105))
K_GRID = (50, 100, 200, 300, 400, 500, 600, 800, 1600)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=REPO / "data")
    ap.add_argument("--json", type=Path, help="write both results as JSON here")
    ap.add_argument("--tune", action="store_true", help="print the shrinkage-k grids on the 2010-2020 window")
    a = ap.parse_args(argv)

    t = time.perf_counter()
    pop = pd.read_parquet(a.data / "population.parquet")
    regions = pd.read_parquet(a.data / "regions.parquet")
    print(f"read data: {time.perf_counter() - t:.2f} s")

    t = time.perf_counter()
    pr.project(pop, regions, 2026, 2040)
    print(f"full projection 2026 -> 2040 (357 municipalities x 106 ages x 14 years, all levels): "
          f"{time.perf_counter() - t:.2f} s")

    t = time.perf_counter()
    ours = pr.backtest(pop, regions)
    t_ours = time.perf_counter() - t
    t = time.perf_counter()
    base = pr.backtest(pop, regions, method=pr.baseline_project)
    t_base = time.perf_counter() - t
    print(f"backtest, both windows: method {t_ours:.2f} s, baseline {t_base:.2f} s\n")
    print("Absolute % error over municipalities (median, 90th percentile) and national % error (signed);")
    print("'base' = plain cohort-change ratios of the last five years, no adjustment.\n")
    print(pr.format_backtest(ours, base))

    info_o = pr.backtest(pop, regions, groups=INFO_GROUPS)
    info_b = pr.backtest(pop, regions, method=pr.baseline_project, groups=INFO_GROUPS)
    print("\nFor information (younger ages: births and migration, not what the method is tuned for):\n")
    print(pr.format_backtest(info_o, info_b))

    if a.tune:
        print("\nShrinkage k (person-years), chosen on the 2010-2020 window only (80+ median APE):")
        for k in K_GRID:
            r = pr.backtest(pop, regions, windows=(pr.BACKTEST_WINDOWS[0],), params=replace(pr.Params(), shrink_k=k))
            g = r["windows"]["2010-2020"]["groups"]
            mark = "  <- default" if k == pr.Params().shrink_k else ""
            print(f"  k={k:>5}: 80+ {g['80+']['median_ape']:.2f} / {g['80+']['p90_ape']:.2f}   "
                  f"67-79 {g['67-79']['median_ape']:.2f}   90+ {g['90+']['median_ape']:.2f}{mark}")
        print("Shrinkage k below age 50, same window (18-66 and total median APE):")
        for k in K_GRID:
            r = pr.backtest(pop, regions, windows=(pr.BACKTEST_WINDOWS[0],), groups=INFO_GROUPS,
                            params=replace(pr.Params(), shrink_k_young=k))
            g = r["windows"]["2010-2020"]["groups"]
            mark = "  <- default" if k == pr.Params().shrink_k_young else ""
            print(f"  k={k:>5}: 18-66 {g['18-66']['median_ape']:.2f}   total {g['total']['median_ape']:.2f}{mark}")

    ok = all(ours["windows"][w]["groups"]["80+"]["median_ape"] < base["windows"][w]["groups"]["80+"]["median_ape"]
             and ours["windows"][w]["groups"]["80+"]["median_ape"] <= 6.0 for w in ours["windows"])
    print(f"\n80+: beats the baseline and median APE <= 6 % in both windows: {'yes' if ok else 'NO'}")
    if a.json:
        a.json.write_text(json.dumps({"method": ours, "baseline": base}, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {a.json}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
