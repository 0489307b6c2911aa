"""A plotly.js bundle with only the trace types omsorgsatlas draws, built at install time from npm.

    python plotly_bundle.py            # build it (README set-up; without npm: a note, exit 0)
    python plotly_bundle.py --strict   # CI (.ci/run): fail when it cannot be built
    python plotly_bundle.py --check    # say which bundle the app would serve, build nothing

Why: Dash's dcc.Graph loads plotly's full plotly.min.js (4.8 MB, ~1.4 MB compressed, 48 trace types) on
every page with a chart; parsing and running it is most of the pages' total blocking time. The app draws
four trace types: scatter (always in plotly.js's core), bar, choropleth (the map) and table (the county
matrix as an embedded chart). No published partial bundle has all four (plotly.js-geo-dist has no bar,
plotly.js-cartesian-dist no choropleth), so this builds one: plotly.js's own modules (``lib/core`` +
``lib/<trace>``, as plotly.js's CUSTOM_BUNDLE.md describes) bundled with esbuild, with the settings of
plotly.js's own esbuild-config.js (IIFE, global ``Plotly``, ``global`` = window, regl alias; the
maplibre CSS that only the "map" traces import is left out). Result: 1.45 MB, ~0.5 MB compressed.

Versions: plotly.js is the version the installed Python plotly ships (``get_plotlyjs_version()``; plotly is
pinned in requirements.txt, so this follows it), esbuild is pinned here. Both come from the npm registry
into ``.cache/plotly-build`` (not tracked); the bundle and a small manifest go to ``.cache/plotly``.

The app (app.py) serves the bundle at ``/vendor/plotly-<sha256 prefix>.min.js`` (cached for a year, immutable)
and points dcc.Graph's loader at it. It falls back to Dash's full bundle, as before, whenever ``load()``
finds no usable build: not built, built for another plotly.js version or other trace types, or the file
does not match its manifest; or when OMSORGSATLAS_PLOTLY=full is set. Server-side image export
(kaleido) does not use this bundle: it draws with plotly's own full plotly.js.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent
BUILD_DIR = REPO / ".cache" / "plotly-build"
OUT_DIR = REPO / ".cache" / "plotly"
BUNDLE = OUT_DIR / "plotly-omsorgsatlas.min.js"
MANIFEST = OUT_DIR / "plotly-omsorgsatlas.json"
# trace types beside scatter (plotly.js's core always has scatter); tests/unit/test_plotly_bundle.py checks
# that every chart of the app uses only these
TRACES = ("bar", "choropleth", "table")
ESBUILD_VERSION = "0.28.2"
ENV_FULL = "OMSORGSATLAS_PLOTLY"  # =full: serve Dash's full bundle even when the partial one is built


@dataclass(frozen=True)
class Bundle:
    data: bytes
    sha256: str
    version: str

    @property
    def filename(self) -> str:
        return f"plotly-{self.version}-{self.sha256[:12]}.min.js"


def plotlyjs_version() -> str:
    """The plotly.js version the installed Python plotly ships (and Dash's full bundle is)."""
    from plotly.offline import get_plotlyjs_version
    return get_plotlyjs_version()


def all_traces() -> tuple[str, ...]:
    return ("scatter", *TRACES)


def load() -> tuple[Bundle | None, str]:
    """(the built bundle, "") when it can be served; (None, why not) otherwise."""
    if os.environ.get(ENV_FULL, "").strip().lower() == "full":
        return None, f"{ENV_FULL}=full"
    if not (BUNDLE.is_file() and MANIFEST.is_file()):
        return None, "not built (python plotly_bundle.py)"
    try:
        meta = json.loads(MANIFEST.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, f"unreadable {MANIFEST.name}"
    want = plotlyjs_version()
    if meta.get("plotly_js") != want:
        return None, f"built for plotly.js {meta.get('plotly_js')}, the installed plotly ships {want}"
    if tuple(meta.get("traces") or ()) != all_traces():
        return None, f"built with traces {meta.get('traces')}, the app needs {list(all_traces())}"
    data = BUNDLE.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    if sha != meta.get("sha256"):
        return None, f"{BUNDLE.name} does not match its manifest"
    return Bundle(data, sha, want), ""


ENTRY = """'use strict';
// written by plotly_bundle.py: plotly.js core (with scatter) and the app's other trace types
var Plotly = require('plotly.js/lib/core');
Plotly.register([{modules}]);
module.exports = Plotly;
"""


def _run(cmd: list[str], **kw) -> None:
    print("$ " + " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, **kw)


def build() -> Path:
    """Install plotly.js (the installed plotly's version) and esbuild from npm, bundle, write the manifest."""
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not installed (Debian: apt-get install npm)")
    version = plotlyjs_version()
    BUILD_DIR.mkdir(parents=True, exist_ok=True)
    pkg = BUILD_DIR / "node_modules" / "plotly.js" / "package.json"
    have = json.loads(pkg.read_text())["version"] if pkg.is_file() else None
    esb_pkg = BUILD_DIR / "node_modules" / "esbuild" / "package.json"
    have_esb = json.loads(esb_pkg.read_text())["version"] if esb_pkg.is_file() else None
    if have != version or have_esb != ESBUILD_VERSION:
        _run([npm, "install", "--no-save", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error",
              "--prefix", str(BUILD_DIR), f"plotly.js@{version}", f"esbuild@{ESBUILD_VERSION}"])
    entry = BUILD_DIR / "entry.js"
    entry.write_text(ENTRY.format(modules=", ".join(f"require('plotly.js/lib/{t}')" for t in TRACES)))
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    tmp = BUNDLE.with_suffix(".tmp.js")
    banner = (f"/*! plotly.js v{version} (MIT, Copyright Plotly, Inc.), partial bundle for omsorgsatlas: "
              f"{', '.join(all_traces())} */")
    esbuild = BUILD_DIR / "node_modules" / ".bin" / "esbuild"
    _run([str(esbuild), str(entry), "--bundle", "--minify", "--format=iife", "--global-name=Plotly",
          "--target=es2016", "--define:global=window", "--define:define.amd=false",
          "--define:process.env.NODE_DEBUG=false", "--alias:regl=@plotly/regl", "--loader:.css=empty",
          "--legal-comments=eof",  # the licence comments of plotly.js and its dependencies, at the end
          f"--banner:js={banner}", "--log-level=warning", f"--outfile={tmp}"],
         cwd=BUILD_DIR)
    data = tmp.read_bytes()
    if b"Plotly" not in data[:4096] or len(data) < 100_000:
        raise RuntimeError(f"esbuild wrote an unexpected file ({len(data)} bytes)")
    meta = {"plotly_js": version, "traces": list(all_traces()), "esbuild": ESBUILD_VERSION,
            "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    # bundle first, manifest last: a half-finished build never has a manifest that matches it
    MANIFEST.unlink(missing_ok=True)
    tmp.replace(BUNDLE)
    MANIFEST.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return BUNDLE


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--strict", action="store_true", help="exit non-zero when the bundle cannot be built")
    ap.add_argument("--check", action="store_true", help="only report which bundle the app would serve")
    args = ap.parse_args(argv)
    if not args.check:
        try:
            build()
        except (RuntimeError, OSError, subprocess.CalledProcessError) as exc:
            print(f"plotly_bundle: could not build the partial plotly.js ({exc}); "
                  "the app will serve Dash's full plotly.js", file=sys.stderr)
            return 1 if args.strict else 0
    bundle, why = load()
    if bundle is None:
        print(f"plotly_bundle: the app will serve Dash's full plotly.js ({why})")
        return 1 if args.strict else 0
    print(f"plotly_bundle: the app will serve {bundle.filename} ({len(bundle.data) / 1e6:.2f} MB, "
          f"traces: {', '.join(all_traces())}) instead of the full plotly.js")
    return 0


if __name__ == "__main__":
    sys.exit(main())
