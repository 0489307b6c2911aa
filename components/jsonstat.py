"""JSON-stat 2.0 datasets (https://json-stat.org/format/) of catalogue indicators. Pure: frames in, dict out.

One dataset per request: the indicators (role ``metric``) × every region of one level (role ``geo``) ×
every year with data at that level (role ``time``). Values are in row-major order (the last dimension,
time, varies fastest). A missing value is ``null`` in ``value`` with the status ``..`` («mangler i
kilden») – never a made-up number. Units and decimals are in the metric categories' ``unit``; source,
licence and notes in ``source``, ``note`` and ``extension``.
"""

from __future__ import annotations

import datetime as _dt
import math
from typing import Mapping, Sequence

import pandas as pd

MISSING_STATUS = ".."
DIM_METRIC, DIM_GEO, DIM_TIME = "indikator", "region", "tid"


def _num(v) -> float | int | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    if math.isnan(f) or math.isinf(f):
        return None
    return int(f) if f.is_integer() and abs(f) < 2 ** 53 else f


def dataset(indicators: Sequence[Mapping], values: pd.DataFrame, regions: pd.DataFrame, years: Sequence[int], *,
            label: str, level_label: str, time_label: str, metric_label: str, missing_label: str,
            updated: _dt.date, href: str = "", extension: Mapping | None = None,
            notes: Sequence[str] = ()) -> dict:
    """The JSON-stat 2.0 dataset.

    ``indicators``: dicts with id, name, unit_label, decimals, source, licence (display order).
    ``values``: long frame indicator_id, region_code, year, value (rows may be missing: they become gaps).
    ``regions``: frame region_code, name (display order). ``years``: the time categories.
    """
    ids = [str(i["id"]) for i in indicators]
    codes = [str(c) for c in regions["region_code"]]
    names = dict(zip(codes, (str(n) for n in regions["name"])))
    ys = [int(y) for y in years]
    lookup: dict[tuple[str, str, int], float | None] = {}
    if values is not None and not values.empty:
        for ind, code, year, value in zip(values["indicator_id"].tolist(), values["region_code"].tolist(),
                                          values["year"].tolist(), values["value"].tolist()):
            lookup[(str(ind), str(code), int(year))] = _num(value)
    flat: list = []
    status: dict[str, str] = {}
    for i in ids:
        for c in codes:
            for y in ys:
                v = lookup.get((i, c, y))
                if v is None:
                    status[str(len(flat))] = MISSING_STATUS
                flat.append(v)
    sources = list(dict.fromkeys(str(i.get("source") or "") for i in indicators if i.get("source")))
    licences = list(dict.fromkeys(str(i.get("licence") or "") for i in indicators if i.get("licence")))
    source = "; ".join(sources) + (f" ({', '.join(licences)})" if licences else "")
    out: dict = {
        "version": "2.0",
        "class": "dataset",
        "label": label,
        "source": source or "Omsorgsatlas",
        "updated": updated.isoformat(),
        "id": [DIM_METRIC, DIM_GEO, DIM_TIME],
        "size": [len(ids), len(codes), len(ys)],
        "role": {"metric": [DIM_METRIC], "geo": [DIM_GEO], "time": [DIM_TIME]},
        "dimension": {
            DIM_METRIC: {"label": metric_label, "category": {
                "index": ids,
                "label": {str(i["id"]): str(i["name"]) for i in indicators},
                "unit": {str(i["id"]): {"label": str(i.get("unit_label") or ""), "decimals": int(i.get("decimals") or 0)}
                         for i in indicators},
            }},
            DIM_GEO: {"label": level_label, "category": {"index": codes, "label": {c: names[c] for c in codes}}},
            DIM_TIME: {"label": time_label, "category": {"index": [str(y) for y in ys]}},
        },
        "value": flat,
    }
    if status:
        out["status"] = status
    note = [n for n in notes if n]
    if status:
        note.append(missing_label)
    if note:
        out["note"] = note
    if href:
        out["href"] = href
    ext = dict(extension or {})
    ext.setdefault("licence", ", ".join(licences))
    ext.setdefault("status", {MISSING_STATUS: missing_label})
    out["extension"] = ext
    return out
