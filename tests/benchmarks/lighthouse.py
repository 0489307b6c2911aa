"""Lighthouse over the main pages, desktop and mobile presets (a script; pytest does not collect it).

    python tests/benchmarks/lighthouse.py                      # six pages x desktop + mobile
    python tests/benchmarks/lighthouse.py --presets desktop --pages / /kommune?knr=4601
    python tests/benchmarks/lighthouse.py --base-url http://127.0.0.1:8050   # a server you started
    python tests/benchmarks/lighthouse.py --json-out /tmp/lh.json          # the figures as JSON too
    python tests/benchmarks/lighthouse.py --also-full-plotly               # + the same with the full plotly.js
    python tests/benchmarks/lighthouse.py --reports-dir /tmp/lh            # keep each full Lighthouse JSON report
    python tests/benchmarks/lighthouse.py --runs 5                         # five runs per page and preset

Installs the pinned Lighthouse from npm into .cache/lighthouse (tests/benchmarks/install_lighthouse.sh), starts
the app under gunicorn (tests/servers.py: 2 workers, a fresh file cache, loopback) unless --base-url is given,
and runs Lighthouse once per page and preset with Debian's Chromium (CHROME_PATH=/usr/bin/chromium, headless,
no sandbox, no GPU, no background networking). Lighthouse clears the browser cache before each run, so every
figure is a first visit.

Prints per page and preset: the performance and accessibility scores, total blocking time (TBT), largest
contentful paint (LCP), cumulative layout shift (CLS), bytes transferred in all and for scripts alone, and
the accessibility audits that failed. Timing figures (performance score, TBT, LCP) depend on how busy the
machine is: Lighthouse's mobile preset simulates a slow CPU and network from what it observes, the desktop
preset measures what it sees. Bytes transferred and CLS do not depend on load.

Lighthouse's own advice on variability is to run several times and take the median run: with --runs N (default
3) each page and preset runs N times in turn (page after page, so a busy spell of the machine spreads over pages
rather than hitting every run of one page), and the table shows the median run (by performance score) with the
range of the scores beside it.

Everything runs on 127.0.0.1; the server is always stopped.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
from tests import servers  # noqa: E402  (the same start/stop helpers as the browser and load tests)

CHROME_PATH = "/usr/bin/chromium"
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking"
INSTALL = REPO / "tests" / "benchmarks" / "install_lighthouse.sh"
LIGHTHOUSE = REPO / ".cache" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
PAGES = ["/", "/kommune?knr=4601", "/fylke?fnr=46", "/befolkning", "/personell", "/om-dataene"]
PRESETS = ["desktop", "mobile"]
RUN_TIMEOUT = 300  # s per Lighthouse run on a busy 2-core machine
ATTEMPTS = 2  # a run on a busy machine may hit Lighthouse's DevTools protocol timeout: once more, then "failed"


def install() -> None:
    subprocess.run(["bash", str(INSTALL)], check=True)


def run_lighthouse(url: str, preset: str) -> dict:
    """One Lighthouse run -> its JSON report (performance + accessibility categories)."""
    cmd = [str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
           f"--chrome-flags={CHROME_FLAGS}", "--only-categories=performance,accessibility",
           "--max-wait-for-load=60000"]
    if preset == "desktop":
        cmd.append("--preset=desktop")  # mobile is Lighthouse's default form factor and throttling
    env = {**os.environ, "CHROME_PATH": CHROME_PATH}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=RUN_TIMEOUT)
    if proc.returncode != 0:
        raise RuntimeError(f"lighthouse failed ({proc.returncode}) on {url} [{preset}]:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout)


def figures(report: dict) -> dict:
    """The figures this benchmark prints, from one Lighthouse JSON report."""
    cats, audits = report["categories"], report["audits"]

    def num(audit_id: str) -> float | None:
        a = audits.get(audit_id) or {}
        return a.get("numericValue")

    requests = (audits.get("network-requests", {}).get("details") or {}).get("items") or []
    script_bytes = sum(r.get("transferSize") or 0 for r in requests if r.get("resourceType") == "Script")
    failed_a11y = sorted(ref["id"] for ref in cats["accessibility"]["auditRefs"]
                         if ref.get("weight") and (audits.get(ref["id"], {}).get("score") is not None)
                         and audits[ref["id"]]["score"] < 1)
    score = lambda c: None if cats[c]["score"] is None else round(cats[c]["score"] * 100)  # noqa: E731

    def nodes(audit_id: str, limit: int = 8) -> list[str]:
        """Selectors of the elements an audit names (failing a11y items, layout-shift culprits)."""
        items = ((audits.get(audit_id) or {}).get("details") or {}).get("items") or []
        out = []
        for it in items:
            node = it.get("node") or {}
            if node.get("selector"):
                out.append(node["selector"] + (f" ({it['score']:.3f})" if isinstance(it.get("score"), float) else ""))
        return out[:limit]
    return {
        "performance": score("performance"),
        "accessibility": score("accessibility"),
        "tbt_ms": num("total-blocking-time"),
        "lcp_ms": num("largest-contentful-paint"),
        "cls": num("cumulative-layout-shift"),
        "bytes": num("total-byte-weight"),
        "script_bytes": script_bytes,
        "requests": len(requests),
        "runtime_error": (report.get("runtimeError") or {}).get("code"),
        "failed_a11y": failed_a11y,
        "failed_a11y_nodes": {a: nodes(a) for a in failed_a11y},
        "layout_shifts": nodes("layout-shifts"),
    }


def kib(n: float | None) -> str:
    return "–" if n is None else f"{n / 1024:,.0f} KiB".replace(",", " ")


def ms(n: float | None) -> str:
    return "–" if n is None else f"{n:,.0f} ms".replace(",", " ")


def print_table(rows: list[dict]) -> None:
    head = (f"{'preset':8} {'page':20} {'perf':>4} {'(runs)':>14} {'a11y':>4} {'TBT':>9} {'LCP':>9} {'CLS':>6} "
            f"{'transferred':>12} {'of it JS':>10} {'req':>4}  failed a11y audits")
    print(head)
    print("-" * len(head))
    for r in rows:
        f = r["figures"]
        if f is None:
            print(f"{r['preset']:8} {r['page']:20} (Lighthouse failed on every run)")
            continue
        cls = "–" if f["cls"] is None else f"{f['cls']:.3f}"
        spread = ",".join("–" if p is None else str(p) for p in f.get("runs_performance", []))
        print(f"{r['preset']:8} {r['page']:20} {f['performance'] if f['performance'] is not None else '–':>4} "
              f"{'(' + spread + ')':>14} {f['accessibility'] if f['accessibility'] is not None else '–':>4} {ms(f['tbt_ms']):>9} "
              f"{ms(f['lcp_ms']):>9} {cls:>6} {kib(f['bytes']):>12} {kib(f['script_bytes']):>10} "
              f"{f['requests']:>4}  {', '.join(f['failed_a11y']) or '–'}"
              + (f"  [{f['runtime_error']}]" if f["runtime_error"] else ""))
    details = [(r, f) for r in rows if (f := r["figures"]) and (f["layout_shifts"] or f["failed_a11y_nodes"])]
    if details:
        print("\nWhere (selectors Lighthouse names):")
    for r, f in details:
        for audit, sel in f["failed_a11y_nodes"].items():
            print(f"  {r['preset']:8} {r['page']:20} {audit}: {'; '.join(sel) or '?'}")
        if f["layout_shifts"]:
            print(f"  {r['preset']:8} {r['page']:20} layout shifts: {'; '.join(f['layout_shifts'])}")
    for preset in sorted({r["preset"] for r in rows}):
        sel = [r["figures"] for r in rows if r["preset"] == preset and r["figures"]
               and r["figures"]["performance"] is not None]
        if sel:
            print(f"{preset}: median performance {statistics.median(f['performance'] for f in sel):.0f}, "
                  f"median TBT {ms(statistics.median(f['tbt_ms'] for f in sel))}, "
                  f"median transferred {kib(statistics.median(f['bytes'] for f in sel))}")


def warm(base: str, pages: list[str]) -> None:
    """One plain GET per page, so the first Lighthouse run does not pay for the server's first compression of
    the static bundles (kept per process afterwards)."""
    for page in pages:
        try:
            with urllib.request.urlopen(base + page, timeout=60) as resp:
                resp.read()
        except OSError:
            pass


def save_report(report: dict, reports_dir: Path | None, preset: str, page: str) -> None:
    """The full Lighthouse JSON (every audit: bootup-time, long-tasks, critical-request-chains …) for a closer look."""
    if reports_dir is None:
        return
    reports_dir.mkdir(parents=True, exist_ok=True)
    slug = "".join(c if c.isalnum() else "_" for c in page.strip("/")) or "root"
    n = len(list(reports_dir.glob(f"{preset}-{slug}-*.json"))) + 1
    (reports_dir / f"{preset}-{slug}-{n}.json").write_text(json.dumps(report))


def lighthouse_once(url: str, preset: str, page: str) -> dict | None:
    """One Lighthouse run, once more when it fails; None when both fail."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return run_lighthouse(url, preset)
        except (RuntimeError, subprocess.TimeoutExpired, json.JSONDecodeError) as exc:
            lines = str(exc).splitlines()
            why = next((ln for ln in lines if "Runtime error" in ln or "LighthouseError" in ln), lines[-1])
            print(f"  {preset:8} {page:20} attempt {attempt} failed: {why.strip()}", flush=True)
    return None


def median_run(runs: list[dict]) -> dict:
    """The run with the median performance score (the lower middle one for an even count), with every run's
    score and TBT attached."""
    scored = sorted((f for f in runs if f["performance"] is not None), key=lambda f: f["performance"])
    pick = dict(scored[(len(scored) - 1) // 2] if scored else runs[0])
    pick["runs_performance"] = [f["performance"] for f in runs]
    pick["runs_tbt_ms"] = [f["tbt_ms"] for f in runs]
    return pick


def bench(base: str, pages: list[str], presets: list[str], reports_dir: Path | None = None,
          runs: int = 1) -> list[dict]:
    warm(base, pages)
    rows = []
    for preset in presets:
        done: dict[str, list[dict]] = {page: [] for page in pages}
        for n in range(1, runs + 1):
            for page in pages:
                report = lighthouse_once(base + page, preset, page)
                if report is None:
                    continue
                save_report(report, reports_dir, preset, page)
                f = figures(report)
                done[page].append(f)
                print(f"  {preset:8} {page:20} run {n}/{runs}: performance {f['performance']}, "
                      f"accessibility {f['accessibility']}, TBT {ms(f['tbt_ms'])}, transferred {kib(f['bytes'])}",
                      flush=True)
        for page in pages:
            rows.append({"page": page, "preset": preset, "figures": median_run(done[page]) if done[page] else None})
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", nargs="+", default=PAGES)
    ap.add_argument("--presets", nargs="+", default=PRESETS, choices=PRESETS)
    ap.add_argument("--base-url", help="benchmark a running server instead of starting gunicorn")
    ap.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page and preset; the median run "
                                                             "is shown (default 3)")
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    ap.add_argument("--json-out", type=Path, help="also write the figures as JSON")
    ap.add_argument("--reports-dir", type=Path, help="also keep each full Lighthouse JSON report in this folder")
    ap.add_argument("--also-full-plotly", action="store_true",
                    help="run the same pages a second time on a server with OMSORGSATLAS_PLOTLY=full (Dash's full "
                         "plotly.js), and print both")
    args = ap.parse_args()
    install()
    print(f"Lighthouse {subprocess.run([str(LIGHTHOUSE), '--version'], capture_output=True, text=True).stdout.strip()}"
          f", Chromium at {CHROME_PATH}, flags: {CHROME_FLAGS}", flush=True)
    print("Timing figures (performance, TBT, LCP) are noisy on a busy machine; bytes and CLS are not.", flush=True)
    variants = [("partial plotly.js (if built)", {})]
    if args.also_full_plotly and not args.base_url:
        variants.append(("full plotly.js (OMSORGSATLAS_PLOTLY=full)", {"OMSORGSATLAS_PLOTLY": "full"}))
    results = {}
    for name, env in variants:
        print(f"\n== {name}", flush=True)
        if args.base_url:
            results[name] = bench(args.base_url.rstrip("/"), args.pages, args.presets, args.reports_dir, max(1, args.runs))
            continue
        with tempfile.TemporaryDirectory(prefix="omsorgsatlas-lighthouse-") as tmp:
            with servers.gunicorn(Path(tmp), workers=args.workers, env=env) as (base, _proc):
                results[name] = bench(base, args.pages, args.presets, args.reports_dir, max(1, args.runs))
    for name, rows in results.items():
        print(f"\n== {name}")
        print_table(rows)
    if args.json_out:
        out = results if len(results) > 1 else next(iter(results.values()))
        args.json_out.write_text(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
