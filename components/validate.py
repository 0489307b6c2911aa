"""Pure validators for values arriving from the browser (callback inputs): never trust their type."""
from __future__ import annotations

import math
from collections.abc import Container
from typing import Any


def as_year(value: Any, allowed: Container[int] | None = None, lo: int = 1900, hi: int = 2100) -> int | None:
    """An integral year (2024, 2024.0, "2024") in ``allowed`` (or lo..hi when None), else None.

    Booleans, None, NaN, infinities, fractions and non-numbers give None; nothing raises."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    if not math.isfinite(f) or f != int(f):
        return None
    y = int(f)
    if allowed is not None:
        return y if y in allowed else None
    return y if lo <= y <= hi else None
