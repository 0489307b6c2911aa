"""Full load benchmark (issue 7): 32 simulated users for 60 s against gunicorn with several workers on
loopback, once with the filesystem cache and once with a real redis-server (started and stopped by the
harness) as the flask-caching backend. Prints callbacks/s, p50/p95/p99 latency and errors, overall and per
callback, and – with --profile – where the workers spend their time (py-spy, sampled during the run).

    python tests/benchmarks/load.py                    # both backends, 4 workers, 32 users, 60 s
    python tests/benchmarks/load.py --workers 3 --backend redis --profile

Goal (issue 13): >= 200 callbacks/s at p95 <= 250 ms and p99 <= 500 ms with zero errors on 2 cores, for both
backends. Since the first view of a page arrives with /_dash-layout (no start-up callbacks), part of what
were callbacks are now layout requests: the figures are printed for callbacks and for all requests. Locust runs on the same 2 cores (one process), so it takes part of the CPU the server would otherwise
have. Each backend runs twice in the same invocation: as deployed, and without the response cache
(OMSORGSATLAS_RESPONSE_CACHE=0, the way before it) – ``--no-compare`` skips the second run.
"""
from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.load import harness  # noqa: E402

OWN = ("(callbacks/", "(components/", "(store/", "(pages/", "(app.py:")


def top_frames(raw: Path, n: int = 15) -> list[str]:
    """py-spy raw output (collapsed stacks) -> the hottest own functions (inclusive) and leaves (self)."""
    inclusive: collections.Counter = collections.Counter()
    leaf: collections.Counter = collections.Counter()
    total = 0
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        c = int(count)
        total += c
        frames = stack.split(";")
        if frames:
            leaf[frames[-1].split(" (")[0] + " (" + frames[-1].split(" (")[-1]] += c
        for f in set(frames):
            if any(o in f for o in OWN):
                inclusive[f] += c
    out = [f"  samples: {total}", "  own code, inclusive share of samples:"]
    out += [f"    {100 * c / total:5.1f} %  {f}" for f, c in inclusive.most_common(n)]
    out += ["  leaf functions (self time):"]
    out += [f"    {100 * c / total:5.1f} %  {f}" for f, c in leaf.most_common(n)]
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="omsorgsatlas load benchmark")
    ap.add_argument("--backend", choices=harness.BACKENDS + ("both",), default="both")
    ap.add_argument("--users", type=int, default=32)
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--think", default="0.2,1.0", help="seconds between a user's steps: min,max")
    ap.add_argument("--profile", action="store_true", help="sample the workers with py-spy")
    ap.add_argument("--json", help="write the figures to this file too")
    ap.add_argument("--no-compare", action="store_true", help="skip the run without the response cache")
    args = ap.parse_args(argv)
    results = []
    variants = [("response cache on", {})]
    if not args.no_compare:
        variants.append(("response cache off", {"OMSORGSATLAS_RESPONSE_CACHE": "0"}))
    for backend in (harness.BACKENDS if args.backend == "both" else (args.backend,)):
        for label, env in variants:
            prof = Path(tempfile.mkdtemp(prefix="oa-prof-")) / f"{backend}.txt" if args.profile else None
            fig = harness.run(backend, args.users, args.seconds, args.workers, think=args.think, profile_to=prof,
                              extra_env=env)
            print(f"[{label}]")
            print("\n".join(fig.lines()), flush=True)
            goal = fig.callbacks_per_s >= 200 and fig.p95_ms <= 250 and fig.p99_ms <= 500 and fig.errors == 0
            print(f"  goal (>=200 callbacks/s, p95 <= 250 ms, p99 <= 500 ms, 0 errors): {'met' if goal else 'NOT met'}")
            goal_all = fig.requests_per_s >= 200 and fig.all_p95_ms <= 250 and fig.all_p99_ms <= 500 and fig.errors == 0
            print(f"  the same over all requests (page, layout with the first view, dependencies, callbacks): "
                  f"{'met' if goal_all else 'NOT met'}")
            if prof is not None and prof.exists():
                print("\n".join(top_frames(prof)))
                print(f"  raw profile: {prof}")
            results.append({"variant": label, **asdict(fig)})
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
