"""Benchmark classes: is a value above / similar to / below a reference (the country, the county)?

One pure function, ``classify``, for every indicator in the catalogue (it only needs the catalogue's
``direction``):

* **Significance** when the value has a 95 % interval (ci_low, ci_high) and there is a reference: above if
  ci_low > reference, below if ci_high < reference, else similar (as FHI folkehelseprofiler and Fingertips:
  the area's interval against the benchmark's point value).
* **Quintile** otherwise (counts, median age, ...): without an interval there is no test, so the class
  never says "no difference". It says where the value lies among ``distribution`` (normally all 357
  municipalities that year; for a county, the 15 counties): lowest fifth ``q1`` … highest fifth ``q5``, as
  Fingertips shows the indicators it cannot test. The reference plays no part: Bergen's median age (38.6
  against the country's 41.1, ranked 344 of 357) is in the lowest fifth, whatever the country's value.
* Without a value, or without both interval and distribution: ``none``.

``direction`` turns above/below into better/worse (``higher_better``, ``lower_better``) or, for
``neutral`` indicators, into higher/lower: a high share of 80+ is neither good nor bad. Quintiles are
positions, not judgements: they ignore the direction.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable

import numpy as np

QUINTILE_KEYS = ("q1", "q2", "q3", "q4", "q5")
KEYS = ("better", "similar", "worse", "higher", "lower", *QUINTILE_KEYS, "none")
LABELS_NB = {"better": "Bedre", "worse": "Dårligere", "similar": "Ingen forskjell", "higher": "Høyere",
             "lower": "Lavere", "q1": "Laveste femtedel", "q2": "Nest laveste femtedel", "q3": "Midterste femtedel",
             "q4": "Nest høyeste femtedel", "q5": "Høyeste femtedel", "none": "Ikke vurdert"}
# position symbol: shown next to every coloured mark so the class never depends on colour alone (quintiles:
# a bar rising with the fifth)
SYMBOLS = {"above": "▲", "below": "▼", "similar": "●", "none": "○",
           "q1": "▁", "q2": "▂", "q3": "▄", "q4": "▆", "q5": "█"}


@dataclass(frozen=True)
class Benchmark:
    key: str            # better / worse / similar / higher / lower / q1 … q5 / none
    position: str       # above / below / similar / q1 … q5 / none
    method: str | None  # "significance" / "quintile" / None
    quintile: int | None = None  # the value's quintile in the distribution (1 = lowest), if known

    @property
    def label_nb(self) -> str:
        return LABELS_NB[self.key]

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.position]

    @property
    def is_quintile(self) -> bool:
        return self.method == "quintile"


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
    if v is None:
        return Benchmark("none", "none", None, q)
    if lo is not None and hi is not None and ref is not None:
        position = "above" if lo > ref else "below" if hi < ref else "similar"
        return Benchmark(_key(position, direction), position, "significance", q)
    if q is not None:  # no test possible: the value's fifth among all, never "no difference"
        return Benchmark(f"q{q}", f"q{q}", "quintile", q)
    return Benchmark("none", "none", None, q)
