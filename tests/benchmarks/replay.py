"""Server CPU per callback, in one process, for the load test's user sessions (issue 13).

    python tests/benchmarks/replay.py                    # 150 sessions with and without the response cache
    python tests/benchmarks/replay.py --sessions 300 --ways cache

Replays the sessions of tests/load/locustfile.py (the same AtlasUser.session code: front page, year slider,
another indicator, a county, a municipality's profile) through Flask's test client, one after another, without
pauses, and measures the server's CPU time (time.process_time) per callback: a figure that does not depend on
how busy the machine is, unlike the latencies of the load test (tests/benchmarks/load.py), and that tells how
many callbacks per second two cores can answer at most. Each way runs in a fresh process with a fresh
FileSystemCache folder, so the figures are a cold start's:

* ``cache``: as deployed: the response cache (callbacks/response_cache.py) in front of Dash;
* ``nocache``: OMSORGSATLAS_RESPONSE_CACHE=0 — every callback through Dash (the builders' memo still works).

Prints per way: callbacks, hit ratio, CPU ms per callback (mean, p50, p95 over the callbacks), CPU seconds of
the process start (import + data validation + the look-up index), and per callback name the mean CPU ms.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
WAYS = ("cache", "nocache")


class _Resp:
    def __init__(self, r):
        self.status_code = r.status_code
        self.text = "" if r.headers.get("Content-Encoding") else r.get_data(as_text=True)
        self.headers = r.headers
        self.error = None

    def json(self):
        return json.loads(self.text)

    def success(self):
        pass

    def failure(self, msg):
        self.error = msg


class _Client:
    """The part of locust's client AtlasUser uses, on Flask's test client; records (name, cpu ms, hit, ok)."""

    def __init__(self, flask_client, records):
        self.c, self.records = flask_client, records

    def get(self, path, name=None):
        return _Resp(self.c.get(path))

    @contextlib.contextmanager
    def post(self, path, json=None, name=None, catch_response=False):
        t = time.process_time()
        r = self.c.post(path, json=json, headers={"Accept-Encoding": "gzip, deflate, br"})
        cpu = (time.process_time() - t) * 1000
        resp = _Resp(r)
        if r.status_code == 200 and r.headers.get("Content-Encoding"):
            import brotli
            import gzip
            raw = r.get_data()
            resp.text = (brotli.decompress(raw) if r.headers["Content-Encoding"] == "br"
                         else gzip.decompress(raw)).decode()
        yield resp
        self.records.append((name, cpu, r.headers.get("X-Omsorgsatlas-Cache") == "hit", resp.error is None))


def child(sessions: int, seed: int) -> dict:
    t0 = time.process_time()
    sys.path.insert(0, str(REPO))
    os.environ["LOAD_SEED"] = str(seed)
    from tests.load import locustfile as lf  # first: locust's gevent patches ssl, before anything imports it
    import app as appmod
    start_cpu = time.process_time() - t0
    records: list = []
    flask_client = appmod.server.test_client()
    user = lf.AtlasUser.__new__(lf.AtlasUser)
    user.client = _Client(flask_client, records)
    user.think = lambda: None
    user.deps = flask_client.get("/_dash-dependencies").get_json()
    user.values, user.comps = {}, {}
    for _ in range(sessions):
        user.session()
    return {"start_cpu_s": start_cpu, "records": records}


def summary(way: str, out: dict) -> list[str]:
    recs = out["records"]
    cpu = sorted(r[1] for r in recs)
    q = statistics.quantiles(cpu, n=100) if len(cpu) > 1 else [cpu[0]] * 99
    hits = sum(1 for r in recs if r[2])
    errors = sum(1 for r in recs if not r[3])
    mean = statistics.fmean(cpu)
    lines = [f"{way:<8} callbacks {len(recs):>5}  hits {100 * hits / len(recs):5.1f} %  errors {errors}  "
             f"CPU ms/callback mean {mean:6.2f}  p50 {q[49]:6.2f}  p95 {q[94]:7.2f}  "
             f"(at most {2000 / mean:5.0f} callbacks/s on 2 cores)  start {out['start_cpu_s']:.1f} s CPU"]
    by: dict = {}
    for name, ms, hit, _ok in recs:
        by.setdefault(name, []).append((ms, hit))
    for name, rows in sorted(by.items(), key=lambda kv: -statistics.fmean(m for m, _h in kv[1])):
        lines.append(f"    {name:<22} n={len(rows):>5}  mean {statistics.fmean(m for m, _h in rows):7.2f} ms  "
                     f"hits {100 * sum(h for _m, h in rows) / len(rows):5.1f} %")
    return lines


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=150)
    ap.add_argument("--seed", type=int, default=20261122)
    ap.add_argument("--ways", nargs="+", choices=WAYS, default=list(WAYS))
    ap.add_argument("--child", choices=WAYS, help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        Path(args.out).write_text(json.dumps(child(args.sessions, args.seed)))
        return 0
    print(f"{args.sessions} sessions of tests/load/locustfile.py, in process, no pauses; CPU time per callback")
    for way in args.ways:
        with tempfile.TemporaryDirectory(prefix="oa-replay-") as tmp:
            env = {**os.environ, "CACHE_DIR": str(Path(tmp) / "cache"), "CACHE_TYPE": "FileSystemCache",
                   "OMSORGSATLAS_RESPONSE_CACHE": "1" if way == "cache" else "0"}
            env.pop("REDIS_URL", None)
            out = Path(tmp) / "out.json"
            subprocess.run([sys.executable, __file__, "--child", way, "--out", str(out),
                            "--sessions", str(args.sessions), "--seed", str(args.seed)],
                           check=True, env=env, cwd=REPO, stdout=subprocess.DEVNULL)
            print("\n".join(summary(way, json.loads(out.read_text()))), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
