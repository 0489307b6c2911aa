"""«Min kommune»'s answers byte for byte, before and after a change of how they are built (issue 13).

    PYTHONHASHSEED=0 python tests/benchmarks/profile_answers.py --save /tmp/before.json.gz   # on the old code
    PYTHONHASHSEED=0 python tests/benchmarks/profile_answers.py --compare /tmp/before.json.gz  # on the new code

Posts, through the app (Flask test client, response cache and flask-caching off), the page router's request for
/kommune?knr=X (the whole page: header, spine chart, tables, texts, the first trend) and the profile-trend
callback for several indicators, for a sample of municipalities (--n, spread over the counties; plus the
special cases: no neighbours, gaps), every service area for some of them, in bokmål and English; saves the
uncompressed answer bodies, or compares them with a saved run and prints the first difference of each answer
that differs. Exit code 1 when any differs.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
from pathlib import Path

os.environ["OMSORGSATLAS_RESPONSE_CACHE"] = "0"
os.environ["CACHE_TYPE"] = "NullCache"
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import warnings  # noqa: E402

warnings.filterwarnings("ignore", message=".*NullCache.*")


def _body(dep: dict, values: dict) -> dict:
    from tests.security.fuzzlib import split_output
    outs = [{"id": i, "property": p} for i, p in split_output(dep["output"])]

    def entry(d):
        return {"id": d["id"], "property": d["property"], "value": values.get((d["id"], d["property"]))}
    return {"output": dep["output"], "outputs": outs if dep["output"].startswith("..") else outs[0],
            "inputs": [entry(d) for d in dep["inputs"]], "state": [entry(d) for d in dep.get("state", [])],
            "changedPropIds": [f"{dep['inputs'][0]['id']}.{dep['inputs'][0]['property']}"]}


def dependency(client, output: str) -> dict:
    deps = client.get("/_dash-dependencies").get_json()
    return next(d for d in deps if not d.get("clientside_function") and output in d["output"])


def sample(n: int) -> list[str]:
    """``n`` municipalities spread over the counties (every k-th in code order), and the first one of each
    kind that is special: without geographic or without statistical neighbours."""
    import store
    codes = list(store.municipalities()["region_code"])
    step = max(1, len(codes) // n)
    out = codes[::step][:n]
    for c in codes:
        if store.neighbours(c).empty or store.statistical_neighbours(c).empty:
            out.append(c)
            break
    return list(dict.fromkeys(out))


def answers(n: int) -> dict[str, str]:
    import app as A
    import store
    from pages.profile import _indicator_options
    client = A.server.test_client()
    router, trend = dependency(client, "_pages_content.children"), dependency(client, "profile-trend.figure")
    inds = [o["value"] for o in _indicator_options("nb", store.version())]
    areas = ["alle", *store.service_areas("municipality")["id"]]
    out = {}
    for lang in ("nb", "en"):
        client.set_cookie("oa_lang", lang)
        for k, knr in enumerate(sample(n)):
            for area in (areas if k % 5 == 0 else areas[:1]):
                search = f"?knr={knr}" + (f"&omrade={area}" if area != "alle" else "")
                resp = client.post("/_dash-update-component", json=_body(router, {
                    ("_pages_location", "pathname"): "/kommune", ("_pages_location", "search"): search}))
                out[f"{lang} router /kommune{search}"] = f"{resp.status_code} {resp.get_data(as_text=True)}"
            for ind in inds[k % 3::max(1, len(inds) // 4)]:
                resp = client.post("/_dash-update-component", json=_body(trend, {
                    ("profile-muni", "value"): knr, ("profile-indicator", "value"): ind}))
                out[f"{lang} profile-trend {knr} {ind}"] = f"{resp.status_code} {resp.get_data(as_text=True)}"
    return out


def first_difference(a: str, b: str) -> str:
    i = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return f"at {i}: …{a[max(0, i - 120):i + 120]}…\n   now …{b[max(0, i - 120):i + 120]}…"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--save", type=Path)
    ap.add_argument("--compare", type=Path)
    ap.add_argument("--n", type=int, default=30, help="municipalities in the sample")
    args = ap.parse_args()
    if not (args.save or args.compare):
        ap.error("--save or --compare")
    got = answers(args.n)
    if args.save:
        args.save.write_bytes(gzip.compress(json.dumps(got).encode()))
        print(f"{len(got)} answers saved to {args.save}")
        return
    before = json.loads(gzip.decompress(args.compare.read_bytes()))
    differ = [k for k in before if got.get(k) != before[k]]
    missing = [k for k in got if k not in before]
    for k in differ:
        print(f"DIFFERS {k}\n   was " + first_difference(before[k], got.get(k, "")))
    print(f"{len(before)} answers compared: {len(before) - len(differ)} identical, {len(differ)} differ"
          + (f"; {len(missing)} not in the saved run" if missing else ""))
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
