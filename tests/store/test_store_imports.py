"""The store is the read side below the UI: nothing in store/ imports from components/, callbacks/, pages/ or
dash (UI labels live on the UI side: components/popstate.py, components/personnel.py). Checked on the
source (every import statement, also those inside functions) and by importing the store in a fresh
interpreter."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

STORE = Path(__file__).resolve().parents[2] / "store"
FORBIDDEN = ("components", "callbacks", "pages", "dash", "dash_bootstrap_components", "flask", "app")


def _imports(path: Path) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.append(node.module)
    return out


def test_store_sources_import_nothing_from_the_ui():
    files = sorted(STORE.glob("*.py"))
    assert len(files) >= 5
    bad = [(p.name, m) for p in files for m in _imports(p) if m.split(".")[0] in FORBIDDEN]
    assert bad == []


def test_importing_the_store_loads_no_ui_module():
    code = ("import sys, store, store.views, store.demography, store.personnel, store.benchmark; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in %r))" % (FORBIDDEN,))
    out = subprocess.run([sys.executable, "-c", code], cwd=STORE.parent, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout
