"""Presentation mode (wall screens, advisory meetings): the URL flag. No Dash imports.

``?presentasjon=1`` (alias ``?storskjerm=1``, the older flag of «Fylkesbildet») opens any page in
presentation mode: app.py puts ``class="oa-present"`` on <html> for the first paint, the «Presentasjon»
toggle in the navbar (components/shell.py, callbacks/present.py, assets/70-present.js) switches it without
a reload, and assets/70-present.css hides the controls, enlarges the type and lets the charts use the width.
"""
from __future__ import annotations

from typing import Any, Mapping

PARAM = "presentasjon"
ALIASES = ("storskjerm",)
CSS_CLASS = "oa-present"
_TRUE = ("1", "ja", "true", "on", "yes")


def is_on(value: Any) -> bool:
    """A query value ('1', 'ja', 'true', …; a list takes its first item) -> whether the flag is set."""
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value == 1
    return isinstance(value, str) and value.strip().lower()[:8] in _TRUE


def requested(args: Mapping[str, Any] | None) -> bool:
    """Whether a query string (a dict or werkzeug's MultiDict) asks for presentation mode."""
    if not args:
        return False
    try:
        return any(is_on(args.get(k)) for k in (PARAM, *ALIASES))
    except Exception:  # a malformed query string never breaks a page
        return False
