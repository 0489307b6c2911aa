"""Share toolbar next to every chart (issue 6): «Kopier lenke», «Bygg inn» and «Last ned».

    share_toolbar("kart")            # chart id of components/chartmeta.CHARTS (= callbacks.charts.REGISTRY)

No callbacks: the toolbar is static markup that assets/75-share.js fills from the address bar when it is
used (every page keeps its view in the URL), so the link, the iframe snippet and the export links always
match what is on screen:

* «Kopier lenke» – a dcc.Clipboard (styled like the other .oa-clipboard buttons) copying the page URL +
  ``#<anchor>`` of the chart (the script writes it into a visually hidden span just before the copy);
* «Bygg inn» (``#share-<chart>-embed-open``) – a disclosure (<details>) with the ``<iframe src=".../embed/<chart>?…">`` snippet and a copy button;
* «Last ned» (``#share-<chart>-download``) – a disclosure with plain ``<a download>`` links to /eksport/<chart>.<format> (PNG 2×/4×, SVG,
  CSV, Excel, JSON-stat); the script adds the page parameters to the href on pointer/keyboard use, and
  the href works without them (the chart's default view).

This toolbar is the only share/download control of a chart; the page-level «Kopier lenke» is in the menu bar
(components/shell.py). Escape in an open panel closes it and puts the focus back on its summary.
"""

from __future__ import annotations

import dash
from dash import dcc, html

from components.i18n import _
from components.chartmeta import CHARTS

# plotly.js' own «Share chart…» modebar button (it uploads the chart to Plotly Cloud) would be a second,
# external share control next to this toolbar: every dcc.Graph removes it (config modeBarButtonsToRemove)
PLOTLY_SHARE_BUTTONS = ["sendChartToCloud"]

# (label, path suffix, extra query) of the download links
DOWNLOADS = (
    ("PNG (2×)", "png", "skala=2"),
    ("PNG (4×, lysbilde)", "png", "skala=4"),
    ("SVG", "svg", ""),
    ("CSV", "csv", ""),
    ("Excel (.xlsx)", "xlsx", ""),
    ("JSON-stat", "json", ""),
)


def _base() -> str:
    try:
        return dash.get_relative_path("/")
    except Exception:  # no app (unit tests of the builder)
        return "/"


def share_toolbar(chart_id: str, *, name: str | None = None, jsonstat: bool | None = None) -> html.Div:
    """The toolbar for one registered chart. ``jsonstat`` defaults to «the chart has catalogue indicators»
    as far as the registry knows it statically (population charts and the like have none)."""
    spec = CHARTS[chart_id]
    title = name or _(spec.name)
    if jsonstat is None:
        jsonstat = not chart_id.startswith("befolkning-")
    base = _base()
    link_id = f"share-{chart_id}-link"
    embed_id = f"share-{chart_id}-embed"
    links = []
    for label, fmt, extra in DOWNLOADS:
        if fmt == "json" and not jsonstat:
            continue
        path = f"{chart_id}.{fmt}" + (f"?{extra}" if extra else "")
        links.append(html.Li(html.A(
            label, href=f"{base}eksport/{path}", download="", className="oa-share-download",
            title=_("Last ned {fmt}: {title}").format(fmt=label, title=title),
            **{"data-oa-export": path})))
    return html.Div(
        [
            html.Span(f"{base.rstrip('/')}{spec.page}#{spec.anchor}", id=link_id, className="visually-hidden oa-share-link"),
            dcc.Clipboard(target_id=link_id, title=_("Kopier lenke til figuren: {title}").format(title=title),
                          children=_("Kopier lenke"), copied_children=_("Kopiert ✓"),
                          className="btn btn-outline-primary btn-sm oa-clipboard oa-share-copy"),
            html.Details([
                html.Summary(_("Bygg inn"), className="btn btn-outline-primary btn-sm",
                             id=f"share-{chart_id}-embed-open",
                             title=_("Kode for å vise figuren på en annen nettside")),
                html.Div([
                    html.Label(_("Kode for innbygging: {title}").format(title=title), htmlFor=embed_id,
                               className="form-label small fw-semibold mb-1"),
                    html.Textarea(id=embed_id, readOnly=True, rows=3, spellCheck="false",
                                  className="form-control font-monospace small mb-1 oa-share-embed"),
                    dcc.Clipboard(target_id=embed_id, title=_("Kopier koden: {title}").format(title=title),
                                  children=_("Kopier kode"), copied_children=_("Kopiert ✓"),
                                  className="btn btn-outline-primary btn-sm oa-clipboard"),
                    html.P(_("Figuren viser tittel, tegnforklaring, kilde og dato og tilpasser seg rammen."),
                           className="form-text mb-0"),
                ], className="oa-share-panel"),
            ], className="oa-share-details"),
            html.Details([
                html.Summary(_("Last ned"), className="btn btn-outline-primary btn-sm",
                             id=f"share-{chart_id}-download", title=_("Last ned figuren eller dataene bak den")),
                html.Ul(links, className="oa-share-panel list-unstyled mb-0"),
            ], className="oa-share-details"),
        ],
        className="oa-share d-flex flex-wrap align-items-start gap-2 my-2",
        role="group",
        **{"aria-label": _("Del og last ned: {title}").format(title=title), "data-oa-chart": chart_id,
           "data-oa-anchor": spec.anchor, "data-oa-params": ",".join(spec.params), "data-oa-base": base,
           "data-oa-title": title, "data-oa-height": str(spec.height)},
    )
