"""Bulk downloads (issue 14): time to derive every file from data/ (cold, in a fresh folder), size of the
zip and of the largest files, and the time to serve the zip once built.

    python tests/benchmarks/downloads.py

Goes through the Flask routes with the test client. Prints figures; times nothing as a test.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ["OMSORGSATLAS_DOWNLOADS_DIR"] = tempfile.mkdtemp(prefix="oa-downloads-bench-")

import app  # noqa: E402
from components import downloads as dl  # noqa: E402


def main() -> None:
    c = app.server.test_client()
    t = time.perf_counter()
    cpu = time.process_time()
    r = c.get(f"{dl.PREFIX}/index.json")
    build_s, build_cpu = time.perf_counter() - t, time.process_time() - cpu
    assert r.status_code == 200, r.data[:200]
    files = json.loads(r.data)["files"]
    t = time.perf_counter()
    z = c.get(f"{dl.PREFIX}/{dl.ZIP_NAME}")
    serve_ms = (time.perf_counter() - t) * 1000
    assert z.status_code == 200
    total = sum(f["bytes"] for f in files if f["path"] != dl.ZIP_NAME)
    by_kind: dict[str, list] = {}
    for f in files:
        by_kind.setdefault(f["kind"], []).append(f["bytes"])
    print(f"first build (all {len(files)} files, cold): {build_s:.1f} s wall, {build_cpu:.1f} s CPU")
    print(f"zip: {len(z.data) / 1e6:.1f} MB ({len(z.data):,} bytes), files inside {total / 1e6:.1f} MB; "
          f"served from disk in {serve_ms:.0f} ms")
    for kind, sizes in sorted(by_kind.items()):
        print(f"  {kind:9s} {len(sizes):4d} files {sum(sizes) / 1e6:8.2f} MB")
    for f in sorted(files, key=lambda f: -f["bytes"])[:5]:
        print(f"  {f['path']:32s} {f['bytes'] / 1e6:8.2f} MB")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(os.environ["OMSORGSATLAS_DOWNLOADS_DIR"], ignore_errors=True)
