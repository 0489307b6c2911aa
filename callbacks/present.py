"""Presentation mode toggle (navbar, components/shell.py) – browser side only.

The work is done by ``window.dash_clientside.oa.togglePresent`` in assets/70-present.js (no inline script,
so nothing to add to the CSP): a click on «Presentasjon» (or Escape while the mode is on) switches
<html class="oa-present"> and the URL flag ``presentasjon=1`` with history.replaceState (the other query
parameters, i.e. the page's selection, stay as they are; no reload), and the button's aria-pressed / title
and a status message follow. On the first call and after in-app navigation it only reads the mode (set by
app.py from the URL for the first paint) and keeps the flag in the address bar.
``present-mode`` (a store) is the mode for callbacks that need it (callbacks/county.py: large type).
"""
from __future__ import annotations

from dash import ClientsideFunction, Input, Output, clientside_callback

clientside_callback(
    ClientsideFunction(namespace="oa", function_name="togglePresent"),
    Output("present-mode", "data"),
    Output("present-toggle", "aria-pressed"),
    Output("present-toggle", "title"),
    Output("present-status", "children"),
    Input("present-toggle", "n_clicks"),
    Input("_pages_location", "pathname"),
)
