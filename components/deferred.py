"""Deferred: a chart mounted when it comes into view (the browser side is assets/05-htmlblock.js,
window.omsorgsatlas.Deferred).

    Deferred(dcc.Graph(id="trend", figure=fig, ...), height=380)

Until the box comes into view (or within ``margin`` px of it; default 0) or printing starts, the browser
shows an empty box of ``height`` px in its place; then it mounts the children. The children are part of
Dash's layout from the start, so callbacks name and update them as usual (Output("trend", "figure") while the
chart waits is kept and drawn when it mounts). Printing (``beforeprint``) mounts every waiting chart at once and
synchronously, so it is in the print when plotly.js is already loaded (a chart higher up has been drawn); where
no chart has been seen yet (a phone at the top of the page) plotly.js must load first and the first print
shows the empty box. What it saves: a chart below the fold costs no plotly.js download, evaluation or drawing
while the page loads (on a phone, where most charts start out of view, no plotly.js at all).
"""
from __future__ import annotations

from dash.development.base_component import Component

from components.htmlblock import NAMESPACE, set_props
from components.i18n import N_, _

PRINT_NOTE = N_("Figuren er ikke tegnet ennå: bla ned til den på skjermen og skriv ut på nytt.")


class Deferred(Component):
    """``children``: the component(s) to mount when seen; ``height``: px of the box until then (the chart's own
    height: no layout shift); ``margin``: px beyond the viewport at which mounting starts (default 0: a chart
    just below the fold is not drawn while the page loads; plotly draws one in ~0.1 s when it scrolls in)."""

    _children_props: list = []
    _base_nodes = ["children"]
    _namespace = NAMESPACE
    _type = "Deferred"
    _prop_names = ["children", "id", "className", "style", "height", "margin", "note"]
    _valid_wildcard_attributes: list = []
    available_properties = _prop_names
    available_wildcard_properties: list = []

    def __init__(self, children=None, **kwargs):
        # printed in the chart's place while plotly.js has not drawn it (assets/80-print.css): a phone that has
        # not scrolled to any chart has not loaded plotly.js, and printing cannot wait for it
        kwargs.setdefault("note", _(PRINT_NOTE))
        set_props(self, {"children": children, **{k: v for k, v in kwargs.items() if v is not None}})


def figure_height(figure, default: int = 450) -> int:
    """The height a figure (dict or go.Figure) asks for, for the box that waits in its place."""
    if figure is None:
        return default
    layout = figure.get("layout") if isinstance(figure, dict) else getattr(figure, "layout", None)
    height = layout.get("height") if isinstance(layout, dict) else getattr(layout, "height", None)
    return int(height) if height else default
