"""Full backtest of the population projection (a script, not collected by pytest).

    python tests/benchmarks/backtest.py              # backtest table + SSB vintage track record
    python tests/benchmarks/backtest.py --tune       # also the shrinkage grids on the first window (how k was chosen)
    python tests/benchmarks/backtest.py --json out.json

Projects from 2010 to 2020, 2014 to 2024 and 2016 to 2026 using only data up to the start year, and reports
the median and 90th-percentile absolute % error over the 357 municipalities by age group, and the national
% error (signed), for `pipeline.projection.project` (ten-year migration base, unconstrained), the same
calibrated to SSB's national projection of the start year, the earlier five-year base, and
`baseline_project`. Then the track record: SSB's national projections 2005–2022 (main alternative) and our
method from the same base years against the observed national population, mean absolute % error by horizon,
and the 2040 figures per alternative of the production projection.
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

from pipeline import national as na  # noqa: E402
from pipeline import projected as prj  # noqa: E402
from pipeline import projection as pr  # noqa: E402

RAW = REPO.parent / "shared" / "data" / "raw"

INFO_GROUPS = (("0-17", 0, 17), ("18-66", 18, 66), ("total", 0, 105))
K_GRID = (50, 100, 200, 300, 400, 500, 600, 800, 1600)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=REPO / "data")
    ap.add_argument("--json", type=Path, help="write both results as JSON here")
    ap.add_argument("--tune", action="store_true", help="print the shrinkage-k grids on the 2010-2020 window")
    ap.add_argument("--raw", type=Path, default=RAW, help="the raw mirror (SSB's national projections)")
    a = ap.parse_args(argv)

    t = time.perf_counter()
    pop = pd.read_parquet(a.data / "population.parquet")
    regions = pd.read_parquet(a.data / "regions.parquet")
    print(f"read data: {time.perf_counter() - t:.2f} s")

    t = time.perf_counter()
    pr.project(pop, regions, 2026, 2040)
    print(f"full projection 2026 -> 2040 (357 municipalities x 106 ages x 14 years, all levels): "
          f"{time.perf_counter() - t:.2f} s")

    vintages = na.read_vintages(a.raw / na.FILE)
    t = time.perf_counter()
    ours = pr.backtest(pop, regions)
    t_ours = time.perf_counter() - t
    t = time.perf_counter()
    cal = pr.backtest(pop, regions, method=prj.calibrated_method(vintages))
    t_cal = time.perf_counter() - t
    base5 = pr.backtest(pop, regions, params=replace(pr.Params(), base_years=5))
    t = time.perf_counter()
    base = pr.backtest(pop, regions, method=pr.baseline_project)
    t_base = time.perf_counter() - t
    print(f"backtest, three windows: method {t_ours:.2f} s, calibrated {t_cal:.2f} s, baseline {t_base:.2f} s\n")
    print("Absolute % error over municipalities (median, 90th percentile) and national % error (signed).")
    print("method = ten-year migration base, unconstrained; calibr = the same raked to SSB's national projection")
    print("of the start year (MMMM); base5 = five-year base (the earlier choice); baseline = plain CCRs.\n")
    print(pr.format_backtest(ours, ("calibr", cal), ("base5", base5), ("baseline", base)))

    info_o = pr.backtest(pop, regions, groups=INFO_GROUPS)
    info_b = pr.backtest(pop, regions, method=pr.baseline_project, groups=INFO_GROUPS)
    print("\nFor information (younger ages: births and migration, not what the method is tuned for):\n")
    print(pr.format_backtest(info_o, ("baseline", info_b)))

    print("\nTrack record: national % error against the observed population (mean absolute over the vintages")
    print("that reach the horizon; SSB = main alternative MMMM; 'same' = SSB over the vintages ours has).\n")
    t = time.perf_counter()
    track = na.track_record(vintages, pop, regions, pr.project)
    print(f"track record (11 SSB vintages, 10 runs of ours): {time.perf_counter() - t:.2f} s\n")
    print(track_table(track))
    print("\nPer vintage, ten years ahead (or the longest observed), main alternative, % error (signed):\n")
    print(vintage_table(track))

    proj = prj.build_projection(pop, regions, vintages)
    print("\n2040, whole country, per variant (persons; care ratio = 20-66 per 80+):\n")
    print(f"{'variant':<16} {'total':>10} {'67+':>10} {'80+':>10} {'90+':>9} {'20-66':>10} {'care':>6}")
    for v, r in prj.summary_2040(proj).items():
        print(f"{v:<16} {r['total']:>10,.0f} {r['67+']:>10,.0f} {r['80+']:>10,.0f} {r['90+']:>9,.0f} "
              f"{r['20-66']:>10,.0f} {r['care_ratio']:>6.2f}")

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
    print(f"\n80+: beats the baseline and median APE <= 6 % in every window: {'yes' if ok else 'NO'}")
    if a.json:
        a.json.write_text(json.dumps({"method": ours, "calibrated": cal, "base_5": base5, "baseline": base},
                                     indent=1) + "\n", encoding="utf-8")
        print(f"wrote {a.json}")
    return 0 if ok else 1


def track_table(track: pd.DataFrame, groups=("total", "20-66", "67+", "80+", "90+")) -> str:
    s = na.track_summary(track)
    ours_v = set(track.loc[track["source"] == "omsorgsatlas", "vintage"])
    same = track[(track["source"] == "ssb") & (track["alternative"] == "MMMM") & track["vintage"].isin(ours_v)]
    lines = [f"{'group':<6} {'h':>3} | {'SSB MAE %':>9} {'n':>3} | {'same':>6} | {'ours MAE %':>10} {'n':>3}"]
    lines.append("-" * len(lines[0]))
    for g in groups:
        for h in (1, 2, 5, 10, 15, 20):
            r = s[(s["age_group"] == g) & (s["horizon"] == h)]
            rs, ro = r[r["source"] == "ssb"], r[r["source"] == "omsorgsatlas"]
            if rs.empty:
                continue
            sm = same[(same["age_group"] == g) & (same["horizon"] == h)]["error_pct"].abs().mean()
            o = f"{ro['mean_abs_error_pct'].iloc[0]:>10.2f} {int(ro['n'].iloc[0]):>3}" if len(ro) else f"{'-':>10} {0:>3}"
            sm_text = f"{sm:>6.2f}" if sm == sm else f"{'-':>6}"
            lines.append(f"{g:<6} {h:>3} | {rs['mean_abs_error_pct'].iloc[0]:>9.2f} {int(rs['n'].iloc[0]):>3} | "
                         f"{sm_text} | {o}")
    return "\n".join(lines)


def vintage_table(track: pd.DataFrame, groups=("total", "20-66", "80+", "90+")) -> str:
    lines = [f"{'vintage':<8} {'year':>5} {'h':>3} | " + " ".join(f"{'SSB ' + g:>11} {'ours':>6}" for g in groups)]
    lines.append("-" * len(lines[0]))
    ssb = track[(track["source"] == "ssb") & (track["alternative"] == "MMMM")]
    ours = track[track["source"] == "omsorgsatlas"]
    for v in sorted(ssb["vintage"].unique()):
        sv = ssb[ssb["vintage"] == v]
        h = 10 if (sv["horizon"] == 10).any() else int(sv["horizon"].max())
        row = f"{int(v):<8} {int(v) + h:>5} {h:>3} | "
        cells = []
        for g in groups:
            e = sv[(sv["horizon"] == h) & (sv["age_group"] == g)]["error_pct"]
            o = ours[(ours["vintage"] == v) & (ours["horizon"] == h) & (ours["age_group"] == g)]["error_pct"]
            cells.append(f"{e.iloc[0]:>+11.2f} " + (f"{o.iloc[0]:>+6.2f}" if len(o) else f"{'-':>6}"))
        lines.append(row + " ".join(cells))
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
