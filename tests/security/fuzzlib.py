"""Property-based fuzzing of every server-side Dash callback through the real ``/_dash-update-component``.

Shared by tests/security/test_fuzz_callbacks.py (CI: a moderate number of cases) and
tests/benchmarks/fuzz.py (≥ 10 000 cases, prints counts).

The callback map is read from the app's own ``/_dash-dependencies`` (so a new callback is fuzzed without
touching this file); realistic starting values come from the page layouts (every component's current
props and, for dropdowns/radios/checklists, its option values). Each case builds a request the way
dash-renderer does and then, with hypothesis, replaces values with hostile ones (wrong types, unknown
codes, huge lists, unicode, script strings, NaN/inf, deep nesting), drops keys, or breaks the structure.

Invariant per case: no HTTP 5xx and no traceback text in the body. Afterwards the app must still serve.
"""
from __future__ import annotations

import json
import logging
import math
from collections import Counter
from typing import Any

import dash
from dash.development.base_component import Component
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ENDPOINT = "/_dash-update-component"
WILDCARDS = ('["MATCH"]', '["ALL"]', '["ALLSMALLER"]')
TRACEBACK_MARKERS = ("Traceback", 'File "')

# ------------------------------------------------------------------------------------------ hostile values
SCRIPTS = ["<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "javascript:alert(1)",
           "'; DROP TABLE indicators; --", "../../../../etc/passwd", "{{7*7}}", "${jndi:ldap://x/a}",
           "%00", "\x00", "__proto__", "constructor", "NaN", "Infinity", "-1", "1e309", "0x10", " 2024 ",
           "2024.5", "true", "null", "[]", "{}"]
UNKNOWN_CODES = ["9999", "0000", "0301", "46", "99", "00", "NO", "EU", "4601 ", "４６０１", "03", "3",
                 "__gruppe__", "__gruppe__pleie", "share_80plus_x", "alle", "", " "]
HUGE_LIST = [str(i) for i in range(20_000)]
HUGE_TEXT = "Å" * 200_000

scalars = st.one_of(
    st.none(), st.booleans(),
    st.integers(min_value=-(2 ** 70), max_value=2 ** 70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),                                              # any unicode (incl. lone surrogates)
    st.sampled_from(SCRIPTS), st.sampled_from(UNKNOWN_CODES),
    st.integers(min_value=1990, max_value=2050),                        # near-valid years
)
hostile = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=6),
                            st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12,
) | st.sampled_from([HUGE_LIST, HUGE_TEXT, [HUGE_LIST], {"a": HUGE_LIST}, [[[[[[[[[[[]]]]]]]]]]]])


# ------------------------------------------------------------------------------------- layouts and callbacks
def _walk(node, out: dict) -> None:
    if isinstance(node, (list, tuple)):
        for x in node:
            _walk(x, out)
    elif isinstance(node, Component):
        cid = getattr(node, "id", None)
        props = {k: getattr(node, k) for k in node._prop_names if getattr(node, k, None) is not None}
        if cid is not None:
            key = json.dumps(cid, sort_keys=True) if isinstance(cid, dict) else cid
            entry = out.setdefault(key, {"id": cid, "values": {}})
            for k, v in props.items():
                if not isinstance(v, Component):
                    entry["values"].setdefault(k, []).append(v)
            opts = props.get("options")
            if isinstance(opts, list):
                vals = [o.get("value") for o in opts if isinstance(o, dict) and "value" in o]
                entry["values"].setdefault("value", []).extend(vals)
                entry["values"].setdefault("value", []).extend([[v] for v in vals[:5]])  # checklists
        for k in node._prop_names:
            v = getattr(node, k, None)
            if isinstance(v, (Component, list, tuple)):
                _walk(v, out)


def layout_components() -> dict[str, dict]:
    """id (str, or JSON of a dict id) -> {"id": id, "values": {prop: [plausible values]}} over all pages."""
    out: dict[str, dict] = {}
    for page in dash.page_registry.values():
        lay = page["layout"]
        _walk(lay() if callable(lay) else lay, out)
    _walk(dash.get_app().layout, out)
    return out


def split_output(output: str) -> list[tuple[Any, str]]:
    """'..a.b...c.d..' / 'a.b' / '{"type":...}.figure' -> [(id, property), ...] (id parsed if JSON)."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    out = []
    for part in parts:
        cid, prop = part.rsplit(".", 1) if not part.startswith("{") else (part[:part.rindex("}") + 1],
                                                                           part[part.rindex("}") + 2:])
        out.append((json.loads(cid) if cid.startswith("{") else cid, prop))
    return out


def server_callbacks(client) -> list[dict]:
    deps = client.get("/_dash-dependencies").get_json()
    return [d for d in deps if not d.get("clientside_function")]


# -------------------------------------------------------------------------------------------- request body
def _parse_id(raw):
    return json.loads(raw) if isinstance(raw, str) and raw.startswith("{") else raw


def _is_wild(cid) -> bool:
    return isinstance(cid, dict) and any(isinstance(v, list) for v in cid.values())


def _concrete_ids(pattern: dict, comps: dict) -> list[dict]:
    fixed = {k: v for k, v in pattern.items() if not isinstance(v, list)}
    return [c["id"] for c in comps.values()
            if isinstance(c["id"], dict) and set(c["id"]) == set(pattern)
            and all(c["id"][k] == v for k, v in fixed.items())]


@st.composite
def request_bodies(draw, cb: dict, comps: dict):
    """One request body for callback ``cb`` (an entry of /_dash-dependencies)."""
    outputs = split_output(cb["output"])
    # one value per wildcard key for MATCH (same in outputs and inputs), e.g. panel="tjenesteomrade"
    wild_keys = {k for cid, _ in outputs if _is_wild(cid) for k, v in cid.items() if isinstance(v, list)}
    deps = [(d, "inputs") for d in cb["inputs"]] + [(d, "state") for d in cb["state"]]
    for d, _ in deps:
        cid = _parse_id(d["id"])
        if _is_wild(cid):
            wild_keys |= {k for k, v in cid.items() if isinstance(v, list)}
    match = {}
    for k in sorted(wild_keys):
        seen = sorted({str(c["id"][k]) for c in comps.values() if isinstance(c["id"], dict) and k in c["id"]})
        match[k] = draw(st.sampled_from(seen) if seen and draw(st.integers(0, 4)) else hostile)

    def concrete(pattern):
        return {k: (match.get(k) if isinstance(v, list) else v) for k, v in pattern.items()}

    def value_for(cid, prop):
        key = json.dumps(cid, sort_keys=True) if isinstance(cid, dict) else cid
        plausible = comps.get(key, {}).get("values", {}).get(prop, [])
        mode = draw(st.integers(0, 9))
        if plausible and mode < 4:
            return draw(st.sampled_from(plausible))
        return draw(hostile)

    def dep_entry(d):
        cid, prop = _parse_id(d["id"]), d["property"]
        if _is_wild(cid) and any(v == ["ALL"] or v == ["ALLSMALLER"] for v in cid.values()):
            ids = _concrete_ids(cid, comps) or [concrete(cid)]
            n = draw(st.integers(0, min(len(ids), 4)))
            return [{"id": i, "property": prop, "value": value_for(i, prop)} for i in ids[:n]]
        real = concrete(cid) if _is_wild(cid) else cid
        entry = {"id": real, "property": prop, "value": value_for(real if not isinstance(real, dict) else cid, prop)}
        if draw(st.integers(0, 19)) == 0:
            entry.pop("value")  # a missing value key
        return entry

    inputs = [dep_entry(d) for d, kind in deps if kind == "inputs"]
    state = [dep_entry(d) for d, kind in deps if kind == "state"]
    outs = [{"id": concrete(cid) if _is_wild(cid) else cid, "property": prop} for cid, prop in outputs]
    changed = [f"{json.dumps(i['id'], separators=(',', ':')) if isinstance(i['id'], dict) else i['id']}.{i['property']}"
               for i in inputs if isinstance(i, dict)]
    body = {"output": cb["output"], "outputs": outs if cb["output"].startswith("..") else outs[0],
            "inputs": inputs, "state": state,
            "changedPropIds": draw(st.sampled_from([changed, changed[:1], [], ["nope.value"]]))}
    # structural damage now and then: the app must answer 4xx (or ignore), never 500
    damage = draw(st.integers(0, 24))
    if damage == 0:
        body.pop(draw(st.sampled_from(sorted(body))))
    elif damage == 1:
        body[draw(st.sampled_from(sorted(body)))] = draw(hostile)
    elif damage == 2:
        body["output"] = draw(st.sampled_from(["nope.children", "..a.b...c.d..", "", cb["output"] + "x"]))
    elif damage == 3:
        body["outputs"] = draw(hostile)
    elif damage == 4 and inputs:
        body["inputs"] = inputs * draw(st.integers(2, 50))  # too many inputs
    return body


# ------------------------------------------------------------------------------------------------ running
class Stats:
    def __init__(self):
        self.cases = 0
        self.status = Counter()
        self.per_callback = Counter()
        self.callback_errors = Counter()  # exceptions caught by app.on_callback_error (no 500, but a bug)
        self.failures: list[str] = []


class _ErrorCounter(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def _json(body) -> str:
    return json.dumps(body, allow_nan=True)  # NaN / Infinity as a browser-side bug could send them


def check_response(resp, label: str, stats: Stats) -> None:
    text = resp.get_data(as_text=True)
    stats.status[resp.status_code] += 1
    problems = []
    if resp.status_code >= 500:
        problems.append(f"HTTP {resp.status_code}")
    if any(m in text for m in TRACEBACK_MARKERS):
        problems.append("traceback text in the body")
    if problems:
        stats.failures.append(f"{label}: {', '.join(problems)}: {text[:300]!r}")
    assert not problems, stats.failures[-1]


def fuzz_callback(client, cb: dict, comps: dict, n: int, stats: Stats, seed: int | None = None) -> None:
    """Run ``n`` hypothesis cases against one callback; raise on the first violation (shrunk)."""
    handler = _ErrorCounter()
    logger = logging.getLogger("omsorgsatlas")
    logger.addHandler(handler)

    @settings(max_examples=n, deadline=None, database=None, derandomize=seed is not None,
              suppress_health_check=list(HealthCheck), print_blob=False)
    @given(body=request_bodies(cb, comps))
    def case(body):
        before = len(handler.records)
        resp = client.post(ENDPOINT, data=_json(body), content_type="application/json")
        stats.cases += 1
        stats.per_callback[cb["output"]] += 1
        check_response(resp, cb["output"][:80], stats)
        for rec in handler.records[before:]:
            if rec.getMessage().startswith(("Feil i callback", "Uventet feil")):
                stats.callback_errors[f"{cb['output'][:60]}: {rec.getMessage()[:160]}"] += 1

    try:
        case()
    finally:
        logger.removeHandler(handler)


def still_serving(client) -> None:
    """After the storm: pages and a real callback still answer normally."""
    for path in ("/", "/om-dataene", "/_dash-layout", "/_dash-dependencies"):
        assert client.get(path).status_code == 200, path
    body = {"output": "..catalog-table.children...catalog-count.children..",
            "outputs": [{"id": "catalog-table", "property": "children"},
                        {"id": "catalog-count", "property": "children"}],
            "inputs": [{"id": "catalog-search", "property": "value", "value": "80"}],
            "changedPropIds": ["catalog-search.value"], "state": []}
    resp = client.post(ENDPOINT, json=body)
    assert resp.status_code == 200 and "indikator" in resp.get_data(as_text=True)


def budget(default_total: int, n_callbacks: int, env_value: str | None) -> int:
    """Cases per callback: OMSORGSATLAS_FUZZ_EXAMPLES (total over all callbacks) or the CI default."""
    total = int(env_value) if env_value else default_total
    return max(1, math.ceil(total / max(1, n_callbacks)))
