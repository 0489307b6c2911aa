"""A page's first view written into its layout: the props the start-up callbacks would answer, set on the
components of the layout tree before it is sent (pages/population.py, pages/personnel.py). Pure."""
from __future__ import annotations

import json


def id_key(component_id) -> str | None:
    """A component id as the first-view answers key it: a string as is, a pattern-matching (dict) id as sorted
    JSON; None for anything else."""
    if isinstance(component_id, dict):
        return json.dumps(component_id, sort_keys=True)
    return component_id if isinstance(component_id, str) else None


def fill(node, values: dict) -> None:
    """Set the props of ``values`` ({(id key, prop): value}, see ``id_key``) on the components of the tree with
    those ids (children are walked, also inside Deferred)."""
    by_id: dict[str, list] = {}
    for (vid, prop), value in values.items():
        by_id.setdefault(vid, []).append((prop, value))
    _fill(node, by_id)


def _fill(node, by_id: dict[str, list]) -> None:
    for prop, value in by_id.get(id_key(getattr(node, "id", None)), ()):
        setattr(node, prop, value)
    children = getattr(node, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and hasattr(child, "to_plotly_json"):
            _fill(child, by_id)
