"""The modules of the app import one way (issue 13): components/ never imports callbacks/, pages/ or app, and
there is no import circle among app.py, store/, callbacks/, components/ and pages/ (imports inside functions
count too: they are circles that only happen later). The old circle was callbacks/charts.py → callbacks/profile.py
→ components/share.py → callbacks/charts.py; the chart metadata now lives in components/chartmeta.py."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _graph() -> dict[str, set[str]]:
    files = [p for d in ("store", "callbacks", "components", "pages") for p in (ROOT / d).glob("*.py")]
    mods = {}
    for p in files + [ROOT / "app.py"]:
        name = ".".join(p.relative_to(ROOT).with_suffix("").parts)
        name = name[:-len(".__init__")] if name.endswith(".__init__") else name
        deps = set()
        for n in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(n, ast.Import):
                deps |= {a.name for a in n.names}
            elif isinstance(n, ast.ImportFrom) and n.module and n.level == 0:
                deps |= {n.module} | {f"{n.module}.{a.name}" for a in n.names}
        mods[name] = deps
    # a package's own submodules are not an edge back to it
    return {m: {d for d in ds if d in mods and d != m and not m.startswith(d + ".")} for m, ds in mods.items()}


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_the_graph_is_read():
    g = _graph()
    assert "components.share" in g and "components.chartmeta" in g["components.share"]
    assert "components.chartmeta" in g["callbacks.charts"]


def test_components_import_nothing_above_them():
    bad = [(m, d) for m, ds in _graph().items() if m.startswith("components")
           for d in ds if d.split(".")[0] in ("callbacks", "pages", "app")]
    assert bad == []


def test_no_import_circles():
    assert _cycles(_graph()) == []
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": set()}) == [["a", "b"]]  # the check itself finds a circle
