"""Load test harness: gunicorn with several workers on loopback, the flask-caching backend chosen per run
(a fresh FileSystemCache folder, or a real Debian redis-server started and stopped here, via REDIS_URL),
and locust (tests/load/locustfile.py) in headless mode as a separate process.

    python -m tests.load.harness --backend filesystem --users 32 --seconds 60 --workers 4

Used by tests/benchmarks/load.py (the full run, prints the figures) and tests/load/test_load_short.py
(the short CI variant). ``summarise`` turns locust's per-request records into the figures the issue asks
for: callbacks/s, p50/p95/p99 latency, errors – over all callbacks and per callback.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tests import servers

HERE = Path(__file__).resolve().parent
LOCUSTFILE = HERE / "locustfile.py"
BACKENDS = ("filesystem", "redis")


@dataclass
class Figures:
    backend: str
    workers: int
    users: int
    seconds: float
    callbacks: int = 0
    callbacks_per_s: float = 0.0
    requests: int = 0
    requests_per_s: float = 0.0
    errors: int = 0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    all_p50_ms: float = 0.0
    all_p95_ms: float = 0.0
    all_p99_ms: float = 0.0
    per_callback: dict = field(default_factory=dict)
    error_examples: list = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"backend={self.backend} workers={self.workers} users={self.users} duration={self.seconds:.0f}s",
               f"  callbacks: {self.callbacks} ({self.callbacks_per_s:.1f}/s), all requests: {self.requests} "
               f"({self.requests_per_s:.1f}/s), errors: {self.errors}",
               f"  callback latency ms: p50 {self.p50_ms:.1f}  p95 {self.p95_ms:.1f}  p99 {self.p99_ms:.1f}",
               f"  all requests latency ms: p50 {self.all_p50_ms:.1f}  p95 {self.all_p95_ms:.1f}  "
               f"p99 {self.all_p99_ms:.1f}"]
        for name, f in sorted(self.per_callback.items(), key=lambda kv: -kv[1]["p95_ms"]):
            out.append(f"    {name:<22} n={f['n']:>6}  p50 {f['p50_ms']:>7.1f}  p95 {f['p95_ms']:>7.1f}  "
                       f"p99 {f['p99_ms']:>7.1f}  errors {f['errors']}")
        for e in self.error_examples:
            out.append(f"  error: {e}")
        return out


def _pct(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    if len(sorted_values) == 1:
        return sorted_values[0]
    return statistics.quantiles(sorted_values, n=1000, method="inclusive")[int(q * 1000) - 1]


def summarise(records: list, seconds: float, backend: str, workers: int, users: int,
              failures: list | None = None) -> Figures:
    fig = Figures(backend=backend, workers=workers, users=users, seconds=seconds)
    cb = [(n, ms, ok) for n, ms, ok in records if n.startswith("cb ")]
    fig.requests = len(records)
    fig.requests_per_s = len(records) / seconds if seconds else 0.0
    fig.callbacks = len(cb)
    fig.callbacks_per_s = len(cb) / seconds if seconds else 0.0
    fig.errors = sum(1 for _n, _ms, ok in records if not ok)
    lat = sorted(ms for _n, ms, _ok in cb)
    fig.p50_ms, fig.p95_ms, fig.p99_ms = (_pct(lat, q) for q in (0.50, 0.95, 0.99))
    lat_all = sorted(ms for _n, ms, _ok in records)
    fig.all_p50_ms, fig.all_p95_ms, fig.all_p99_ms = (_pct(lat_all, q) for q in (0.50, 0.95, 0.99))
    by: dict[str, list] = {}
    for n, ms, ok in records:  # callbacks by their short name, the GETs as "GET <path>"
        by.setdefault(n[3:] if n.startswith("cb ") else n, []).append((ms, ok))
    for name, rows in by.items():
        vals = sorted(ms for ms, _ok in rows)
        fig.per_callback[name] = {"n": len(rows), "errors": sum(1 for _ms, ok in rows if not ok),
                                  "p50_ms": _pct(vals, 0.5), "p95_ms": _pct(vals, 0.95), "p99_ms": _pct(vals, 0.99)}
    fig.error_examples = list(failures or [])[:5]
    return fig


def run(backend: str = "filesystem", users: int = 32, seconds: int = 60, workers: int = 4,
        spawn_rate: float | None = None, think: str = "0.2,1.0", tmp: Path | None = None,
        warmup: bool = True, profile_to: Path | None = None, extra_env: dict | None = None) -> Figures:
    """Start the servers, run locust for ``seconds`` with ``users``, stop everything, return the figures.
    ``profile_to``: also sample the gunicorn workers with py-spy during the run (raw collapsed stacks)."""
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}")
    tmp = Path(tmp or tempfile.mkdtemp(prefix=f"oa-load-{backend}-"))
    with ExitStack() as stack:
        env = dict(extra_env or {})
        if backend == "redis":
            env["REDIS_URL"] = stack.enter_context(servers.redis_server(tmp / "redis"))
        base, _proc = stack.enter_context(
            servers.gunicorn(tmp / "gunicorn", workers=workers, env=env))  # threads, keep-alive: gunicorn.conf.py
        if warmup:  # every worker has imported the app; the first requests don't measure imports
            for _ in range(workers * 2):
                servers.answers(base + "/")
        results = tmp / "records.json"
        csv_prefix = tmp / "locust"
        cmd = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--host", base,
               "-u", str(users), "-r", str(spawn_rate or users), "-t", f"{seconds}s", "--stop-timeout", "10",
               "--only-summary", "--csv", str(csv_prefix), "--exit-code-on-error", "0", "--loglevel", "WARNING"]
        env_l = {**os.environ, "LOAD_RESULTS": str(results), "LOAD_THINK": think,
                 "PYTHONPATH": str(servers.REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        spy = None
        if profile_to is not None:
            spy = subprocess.Popen(["py-spy", "record", "--pid", str(_proc.pid), "--subprocesses", "--nonblocking",
                                    "--duration", str(seconds), "--rate", "50", "--format", "raw",
                                    "-o", str(profile_to)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        started = time.monotonic()
        proc = subprocess.run(cmd, cwd=servers.REPO, env=env_l, capture_output=True, text=True,
                              timeout=seconds + 120)
        elapsed = time.monotonic() - started
        if spy is not None:
            try:
                spy.wait(timeout=60)
            except subprocess.TimeoutExpired:
                spy.kill()
        if not results.exists():
            raise RuntimeError(f"locust wrote no results (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
        records = json.loads(results.read_text())["records"]
        failures = []
        fail_csv = Path(f"{csv_prefix}_failures.csv")
        if fail_csv.exists():
            failures = [line for line in fail_csv.read_text().splitlines()[1:] if line.strip()]
        return summarise(records, min(float(seconds), elapsed), backend, workers, users, failures)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--backend", choices=BACKENDS + ("both",), default="both")
    ap.add_argument("--users", type=int, default=32)
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--think", default="0.2,1.0")
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args(argv)
    out = []
    for backend in (BACKENDS if args.backend == "both" else (args.backend,)):
        fig = run(backend, args.users, args.seconds, args.workers, think=args.think)
        print("\n".join(fig.lines()), flush=True)
        out.append(asdict(fig))
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
