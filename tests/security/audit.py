"""Dependency audit: pip-audit over the pinned requirements, with an honest fallback.

    python tests/security/audit.py            # prints a table, exits 1 when a known vulnerability is found

1. ``pip-audit -r requirements.txt -r requirements-dev.txt --no-deps`` (PyPI's advisory data). Where that service
   answers, its result is final.
2. Where it cannot (this build machine's PyPI mirror has no per-release JSON, so pip-audit reports every
   package as "not found on PyPI"), the script reads PyPI's project JSON instead: its ``vulnerabilities``
   field holds the advisories for the newest release. For a package pinned at the newest release that list
   is the answer for our version; a package pinned at an older release is reported as NOT AUDITED (never
   as clean).

Known findings we accept are listed in ACCEPTED with the reason; anything else fails.
"""
from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
REQUIREMENTS = [REPO / "requirements.txt", REPO / "requirements-dev.txt"]
PYPI_JSON = "https://pypi.org/pypi/{name}/json"
ACCEPTED: dict[str, str] = {}  # advisory id -> why it does not apply to omsorgsatlas


@dataclass
class Result:
    name: str
    version: str
    status: str  # "clean", "vulnerable", "not audited"
    detail: str = ""


def pinned() -> list[tuple[str, str]]:
    """The pinned packages of both requirement files and everything they pull in (installed versions)."""
    seen: dict[str, str] = {}
    todo = []
    for req in REQUIREMENTS:
        for line in req.read_text().splitlines():
            line = line.split("#", 1)[0].strip()
            if line and not line.startswith("-") and "==" in line:
                todo.append(line.split("==", 1)[0].strip())
    while todo:
        name = todo.pop()
        key = name.lower().replace("_", "-")
        if key in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        seen[key] = dist.version
        for r in dist.requires or []:
            if "extra ==" in r:
                continue
            dep = r.split(";")[0].strip()
            for sep in ("[", "<", ">", "=", "!", "~", " ", "("):
                dep = dep.split(sep, 1)[0]
            if dep:
                todo.append(dep)
    return sorted(seen.items())


def run_pip_audit() -> tuple[bool, str]:
    """(pip-audit could audit everything, its output)."""
    # --no-deps --disable-pip: audit the pins as written, without building a virtualenv (minutes); the
    # packages they pull in are covered by the fallback below
    cmd = [sys.executable, "-m", "pip_audit", "--progress-spinner", "off", "--desc", "off", "--no-deps",
           "--disable-pip"]
    for req in REQUIREMENTS:
        cmd += ["-r", str(req)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    except (subprocess.TimeoutExpired, OSError) as exc:
        return False, f"pip-audit did not run: {exc}"
    out = proc.stdout + proc.stderr
    complete = proc.returncode == 0 and "could not be audited" not in out
    return complete, out


def project_json(name: str) -> dict | None:
    try:
        with urllib.request.urlopen(PYPI_JSON.format(name=name), timeout=20) as resp:
            return json.load(resp)
    except (urllib.error.URLError, OSError, ValueError):
        return None


def fallback(packages: list[tuple[str, str]]) -> list[Result]:
    out = []
    for name, version in packages:
        data = project_json(name)
        if data is None:
            out.append(Result(name, version, "not audited", "PyPI JSON unreachable"))
            continue
        latest = data.get("info", {}).get("version")
        if latest != version:
            out.append(Result(name, version, "not audited", f"newest is {latest}; advisories only for the newest"))
            continue
        vulns = [v for v in data.get("vulnerabilities") or [] if v.get("id") not in ACCEPTED]
        if vulns:
            out.append(Result(name, version, "vulnerable", ", ".join(v.get("id", "?") for v in vulns)))
        else:
            out.append(Result(name, version, "clean"))
    return out


def main() -> int:
    complete, output = run_pip_audit()
    if complete:
        print(output)
        print("pip-audit: audited every pinned package; no known vulnerabilities")
        return 0
    if "Found" in output and "known vulnerabilit" in output and "could not be audited" not in output:
        print(output)
        return 1
    print("pip-audit could not audit the packages here (" + (output.strip().splitlines() or ["no output"])[-1][:160]
          + "); falling back to PyPI's project JSON")
    results = fallback(pinned())
    for r in results:
        print(f"  {r.name:<28} {r.version:<12} {r.status:<12} {r.detail}")
    counts = {s: sum(1 for r in results if r.status == s) for s in ("clean", "vulnerable", "not audited")}
    print(f"packages: {len(results)}; clean: {counts['clean']}; vulnerable: {counts['vulnerable']}; "
          f"not audited: {counts['not audited']}")
    return 1 if counts["vulnerable"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
