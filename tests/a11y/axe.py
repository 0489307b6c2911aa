"""axe-core (npm, pinned) for the browser tests: install once outside git, inject, run, report.

The package is installed by tests/a11y/install_axe.sh into <repo>/.cache/node (git-ignored). If it is
missing and cannot be installed, the tests FAIL with the installer's output – they never skip.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
AXE_VERSION = "4.14.1"
INSTALLER = Path(__file__).resolve().parent / "install_axe.sh"
AXE_JS = REPO / ".cache" / "node" / "node_modules" / "axe-core" / "axe.min.js"

REPORT = REPO / ".cache" / "a11y" / "axe-report.txt"  # moderate/minor findings (they do not fail the tests)
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = ("serious", "critical")

RUN_JS = """
var done = arguments[arguments.length - 1], tags = arguments[0];
axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
  .then(function (r) {
    done({version: axe.version, url: location.href, violations: r.violations.map(function (v) {
      return {id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
              nodes: v.nodes.map(function (n) { return {target: n.target, impact: n.impact,
                                                        summary: (n.failureSummary || '').slice(0, 400),
                                                        html: (n.html || '').slice(0, 200)}; })};
    })});
  })
  .catch(function (e) { done({error: String(e && e.stack || e)}); });
"""


def axe_source() -> str:
    """The pinned axe.min.js; installs it first if needed. Fails the test (never skips) if impossible."""
    pkg = AXE_JS.parent / "package.json"
    if not (AXE_JS.is_file() and pkg.is_file() and f'"version": "{AXE_VERSION}"' in pkg.read_text()):
        proc = subprocess.run(["bash", str(INSTALLER)], cwd=REPO, capture_output=True, text=True,
                              env={**os.environ, "AXE_VERSION": AXE_VERSION})
        if proc.returncode != 0 or not AXE_JS.is_file():
            pytest.fail(f"axe-core {AXE_VERSION} is not installed and could not be installed with "
                        f"{INSTALLER.relative_to(REPO)} (needs npm and the npm registry):\n"
                        f"{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}", pytrace=False)
    return AXE_JS.read_text(encoding="utf-8")


def run_axe(driver, source: str, context: str = "") -> dict:
    """Inject axe (if the page does not have it yet) and run the WCAG 2.1 A/AA + best-practice rules."""
    if not driver.execute_script("return typeof window.axe === 'object' && !!window.axe.run;"):
        driver.execute_script(source)
    res = driver.execute_async_script(RUN_JS, TAGS)
    assert res and "error" not in res, f"axe.run failed on {context}: {res}"
    assert res["version"] == AXE_VERSION, res["version"]
    return res


def blocking(res: dict) -> list[dict]:
    return [v for v in res["violations"] if v["impact"] in BLOCKING]


def report(violations: list[dict], context: str) -> str:
    lines = [f"axe: {len(violations)} serious/critical violation(s) on {context}:"]
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for n in v["nodes"][:8]:
            lines.append(f"    {' > '.join(map(str, n['target']))}  {n['summary'].splitlines()[-1] if n['summary'] else ''}")
        if len(v["nodes"]) > 8:
            lines.append(f"    … and {len(v['nodes']) - 8} more nodes")
    return "\n".join(lines)
