"""Benchmark classes: is a value above / similar to / below a reference (the country, the county)?

One pure function, ``classify``, for every indicator in the catalogue (it only needs the catalogue's
``direction``):

* **Significance** when the value has a 95 % interval (ci_low, ci_high): above if ci_low > reference,
  below if ci_high < reference, else similar (as FHI folkehelseprofiler and Fingertips: the area's interval
  against the benchmark's point value).
* **Quintile** otherwise (counts, median age, ...): the value and the reference are placed in the quintiles
  of ``distribution`` (normally all 357 municipalities that year; for a county, the 15 counties); a higher
  quintile is above, a lower one below, the same quintile similar. A reference outside the distribution's
  range (an additive count: the country's total is not a municipality-sized number) counts as the middle
  quintile (3), so the class then says whether the value is in the top or bottom 40 %.
* Without a reference, or without both interval and distribution: ``none``.

``direction`` turns above/below into better/worse (``higher_better``, ``lower_better``) or, for
``neutral`` indicators, into higher/lower: a high share of 80+ is neither good nor bad.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable

import numpy as np

KEYS = ("better", "similar", "worse", "higher", "lower", "none")
LABELS_NB = {"better": "Bedre", "worse": "Dårligere", "similar": "Ingen forskjell", "higher": "Høyere",
             "lower": "Lavere", "none": "Ikke vurdert"}
# position symbol: shown next to every coloured mark so the class never depends on colour alone
SYMBOLS = {"above": "▲", "below": "▼", "similar": "●", "none": "○"}


@dataclass(frozen=True)
class Benchmark:
    key: str            # better / worse / similar / higher / lower / none
    position: str       # above / below / similar / none
    method: str | None  # "significance" / "quintile" / None
    quintile: int | None = None  # the value's quintile in the distribution (1 = lowest), if known

    @property
    def label_nb(self) -> str:
        return LABELS_NB[self.key]

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.position]


def _num(x) -> float | None:
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) or math.isinf(f) else f


def quintile_edges(distribution: Iterable) -> np.ndarray | None:
    """[min, q20, q40, q60, q80, max] of the finite values; None for fewer than 5 values."""
    vals = np.array([v for v in (_num(x) for x in distribution) if v is not None], dtype=float)
    if len(vals) < 5:
        return None
    return np.quantile(vals, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0])


def quintile_of(value, edges) -> int | None:
    """1..5 (1 = lowest fifth); values on an edge go to the lower quintile."""
    v = _num(value)
    if v is None or edges is None:
        return None
    return int(np.searchsorted(edges[1:5], v, side="left")) + 1


def _key(position: str, direction: str) -> str:
    if position in ("similar", "none"):
        return position
    if direction == "higher_better":
        return "better" if position == "above" else "worse"
    if direction == "lower_better":
        return "worse" if position == "above" else "better"
    return "higher" if position == "above" else "lower"


def classify(value, ci_low=None, ci_high=None, *, reference, direction: str = "neutral",
             distribution: Iterable | None = None, edges=None) -> Benchmark:
    """Compare ``value`` with ``reference`` (see the module docstring). ``edges`` (from quintile_edges)
    may be passed instead of ``distribution`` to classify many values against one distribution."""
    v, ref = _num(value), _num(reference)
    lo, hi = _num(ci_low), _num(ci_high)
    if edges is None and distribution is not None:
        edges = quintile_edges(distribution)
    q = quintile_of(v, edges)
    if v is None or ref is None:
        return Benchmark("none", "none", None, q)
    if lo is not None and hi is not None:
        position = "above" if lo > ref else "below" if hi < ref else "similar"
        return Benchmark(_key(position, direction), position, "significance", q)
    if edges is not None:
        qr = quintile_of(ref, edges) if edges[0] <= ref <= edges[-1] else 3
        position = "above" if q > qr else "below" if q < qr else "similar"
        return Benchmark(_key(position, direction), position, "quintile", q)
    return Benchmark("none", "none", None, q)
