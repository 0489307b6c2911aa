"""Full robustness fuzz: ≥ 10 000 hostile callback requests through the real /_dash-update-component.

    python tests/benchmarks/fuzz.py              # 10 000 cases over every server-side callback
    python tests/benchmarks/fuzz.py --cases 50000

Same generator and invariants as tests/security/test_fuzz_callbacks.py (no 5xx, no traceback text in any
body, the app keeps serving). Prints cases per callback, the HTTP status counts, exceptions that the app's
last line of defence (on_callback_error) caught, and the time. Exit code 1 on any violation.
"""
from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=10_000, help="total cases over all callbacks (default 10000)")
    ap.add_argument("--seed", type=int, default=None, help="derandomize (same cases every run)")
    args = ap.parse_args()

    logging.getLogger("omsorgsatlas").propagate = False  # counted below instead of printed
    import app as app_module
    from tests.security import fuzzlib

    client = app_module.server.test_client()
    with app_module.server.test_request_context("/"):
        comps = fuzzlib.layout_components()
    cbs = fuzzlib.server_callbacks(client)
    per = fuzzlib.budget(args.cases, len(cbs), str(args.cases))
    stats = fuzzlib.Stats()
    t0 = time.perf_counter()
    failed = []
    for cb in cbs:
        t = time.perf_counter()
        try:
            fuzzlib.fuzz_callback(client, cb, comps, per, stats, seed=args.seed)
        except AssertionError as exc:
            failed.append(f"{cb['output'][:70]}: {str(exc)[:300]}")
        print(f"{stats.per_callback[cb['output']]:6d} cases {time.perf_counter() - t:6.1f} s  {cb['output'][:90]}",
              flush=True)
    fuzzlib.still_serving(client)
    took = time.perf_counter() - t0
    print(f"\ncallbacks: {len(cbs)}  cases: {stats.cases}  time: {took:.0f} s ({stats.cases / took:.0f}/s)")
    print("HTTP status:", dict(sorted(stats.status.items())))
    print(f"5xx: {sum(v for k, v in stats.status.items() if k >= 500)}  traceback bodies: "
          f"{sum('traceback' in f for f in stats.failures)}  app still serving: yes")
    print(f"exceptions caught by on_callback_error: {sum(stats.callback_errors.values())}")
    for msg, n in stats.callback_errors.most_common(15):
        print(f"  {n:5d}  {msg}")
    for f in failed:
        print("FAILED", f)
    return 1 if failed or stats.failures else 0


if __name__ == "__main__":
    sys.exit(main())
