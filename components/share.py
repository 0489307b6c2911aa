"""Share toolbar next to every chart (issue 6): «Kopier lenke», «Bygg inn» and «Last ned».

    share_toolbar("kart")            # chart id of components/chartmeta.CHARTS (= callbacks.charts.REGISTRY)

No callbacks, and ONE Dash component: the toolbar is an html.Div whose content is static markup, escaped here
and carried in its ``data-oa-html`` attribute; assets/65-markup.js writes it into the div as soon as the div is
in the document (a MutationObserver, before the next paint), and assets/75-share.js fills it from the address bar when it is used
(every page keeps its view in the URL), so the link, the iframe snippet and the export links always match what
is on screen. (As ~23 Dash components per toolbar, a page's toolbars were a third of its components, and
Dash's renderer cost grows steeply with their number: issue 13.)

* «Kopier lenke» – a <button> (``data-oa-copy``) copying the page URL + ``#<anchor>`` of the chart (the
  script writes it into a visually hidden span just before the copy) and saying «Kopiert ✓» for a moment;
* «Bygg inn» (``#share-<chart>-embed-open``) – a disclosure (<details>) with the ``<iframe src=".../embed/<chart>?…">`` snippet and a copy button;
* «Last ned» (``#share-<chart>-download``) – a disclosure with plain ``<a download>`` links to /eksport/<chart>.<format> (PNG 2×/4×, SVG,
  CSV, Excel, JSON-stat); the script adds the page parameters to the href on pointer/keyboard use, and
  the href works without them (the chart's default view).

This toolbar is the only share/download control of a chart; the page-level «Kopier lenke» is in the menu bar
(components/shell.py). Escape in an open panel closes it and puts the focus back on its summary.
"""

from __future__ import annotations

import dash
from dash import html
from markupsafe import escape

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


def _tag(tag: str, attrs: dict, content: str = "") -> str:
    """One element as escaped HTML: attribute values and ``content`` (already markup) as given."""
    parts = "".join(f' {k}="{escape(v)}"' if v is not True else f" {k}" for k, v in attrs.items()
                    if v is not None and v is not False)
    return f"<{tag}{parts}>{content}</{tag}>"


def _copy_button(target_id: str, text: str, copied: str, title: str, cls: str) -> str:
    """A copy button (assets/75-share.js). Its accessible name must contain the visible text (WCAG 2.5.3): the
    title is the name only when it starts with that text («Kopier lenke» -> «Kopier lenke til figuren: …»),
    otherwise it stays the description («Kopier kode» / «Kopier koden: …»)."""
    t, v = title.lower(), text.lower()
    named = t.startswith(v) and (len(t) == len(v) or not t[len(v)].isalnum())
    return _tag("button", {"type": "button", "class": cls, "title": title, "aria-label": title if named else None,
                           "data-oa-copy": target_id, "data-oa-copied": copied}, str(escape(text)))


def toolbar_markup(chart_id: str, *, name: str | None = None, jsonstat: bool | None = None) -> str:
    """The toolbar's content as escaped HTML (what assets/65-markup.js writes into the toolbar's div)."""
    spec = CHARTS[chart_id]
    title = name or _(spec.name)
    if jsonstat is None:
        jsonstat = not chart_id.startswith("befolkning-")
    base = _base()
    link_id = f"share-{chart_id}-link"
    embed_id = f"share-{chart_id}-embed"
    btn = "btn btn-outline-primary btn-sm"
    links = []
    for label, fmt, extra in DOWNLOADS:
        if fmt == "json" and not jsonstat:
            continue
        path = f"{chart_id}.{fmt}" + (f"?{extra}" if extra else "")
        links.append(_tag("li", {}, _tag("a", {
            "href": f"{base}eksport/{path}", "download": True, "class": "oa-share-download",
            "title": _("Last ned {fmt}: {title}").format(fmt=label, title=title), "data-oa-export": path},
            str(escape(label)))))
    embed_panel = "".join([
        _tag("label", {"for": embed_id, "class": "form-label small fw-semibold mb-1"},
             str(escape(_("Kode for innbygging: {title}").format(title=title)))),
        _tag("textarea", {"id": embed_id, "readonly": True, "rows": "3", "spellcheck": "false",
                          "class": "form-control font-monospace small mb-1 oa-share-embed"}),
        _copy_button(embed_id, _("Kopier kode"), _("Kopiert ✓"), _("Kopier koden: {title}").format(title=title),
                     f"{btn} oa-share-copy"),
        _tag("p", {"class": "form-text mb-0"},
             str(escape(_("Figuren viser tittel, tegnforklaring, kilde og dato og tilpasser seg rammen.")))),
    ])
    return "".join([
        _tag("span", {"id": link_id, "class": "visually-hidden oa-share-link"},
             str(escape(f"{base.rstrip('/')}{spec.page}#{spec.anchor}"))),
        _copy_button(link_id, _("Kopier lenke"), _("Kopiert ✓"),
                     _("Kopier lenke til figuren: {title}").format(title=title), f"{btn} oa-share-copy"),
        _tag("details", {"class": "oa-share-details"}, "".join([
            _tag("summary", {"class": btn, "id": f"share-{chart_id}-embed-open",
                             "title": _("Kode for å vise figuren på en annen nettside")}, str(escape(_("Bygg inn")))),
            _tag("div", {"class": "oa-share-panel"}, embed_panel)])),
        _tag("details", {"class": "oa-share-details"}, "".join([
            _tag("summary", {"class": btn, "id": f"share-{chart_id}-download",
                             "title": _("Last ned figuren eller dataene bak den")}, str(escape(_("Last ned")))),
            _tag("ul", {"class": "oa-share-panel list-unstyled mb-0"}, "".join(links))])),
    ])


def share_toolbar(chart_id: str, *, name: str | None = None, jsonstat: bool | None = None) -> html.Div:
    """The toolbar for one registered chart: one html.Div (its content in ``data-oa-html``, see the module
    docstring). ``jsonstat`` defaults to «the chart has catalogue indicators» as far as the registry knows it
    statically (population charts and the like have none)."""
    spec = CHARTS[chart_id]
    title = name or _(spec.name)
    base = _base()
    return html.Div(
        className="oa-share oa-html d-flex flex-wrap align-items-start gap-2 my-2",
        role="group",
        **{"aria-label": _("Del og last ned: {title}").format(title=title), "data-oa-chart": chart_id,
           "data-oa-anchor": spec.anchor, "data-oa-params": ",".join(spec.params), "data-oa-base": base,
           "data-oa-title": title, "data-oa-height": str(spec.height),
           "data-oa-html": toolbar_markup(chart_id, name=name, jsonstat=jsonstat)},
    )
