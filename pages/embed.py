"""Embeddable charts: ``/embed/kart`` and ``/embed/utvikling`` serve one chart with its title, legend,
source line and date and nothing else, sized to the iframe.

    /embed/kart?indikator=share_80plus&niva=kommune&fylke=46&ar=2024
    /embed/utvikling?indikator=share_80plus&kommune=4601

The query string goes through the overview page's validation (components.urlstate.parse_query):
anything unusable falls back to the default with a small note. The figures come from the overview's
own builders (callbacks.overview.update_map / update_trend, called as plain functions), so an embedded
chart looks exactly like the one on «Kart og trender».

The app shell (skip link, navbar, footer) is hidden for every path under /embed: app.py marks the
page's <html> with the class ``oa-embed`` when it serves the index for such a path, and
assets/50-embed.css hides the shell (a ``:has(.embed-page)`` rule covers in-app navigation). Only
/embed pages may be framed by other sites (app.py: frame-ancestors), so the route must stay under /embed.
"""

from __future__ import annotations

import copy

import dash
from dash import dcc, html

import store
from callbacks import overview as ov
from components import controls
from components.export import today_oslo
from components.format import format_date
from components.urlstate import URL_LEVELS, ViewState, parse_query, shown, to_query
from pages.overview import graph_config, url_domain
from components.i18n import N_, _, current_lang, lazy, page_title, pick

CHARTS = {"kart": N_("Kart"), "utvikling": N_("Utvikling over tid")}  # translated where shown
DEFAULT_CHART = "kart"


def _title(chart: str | None = None) -> str:
    if chart not in CHARTS and _registry_spec(chart) is not None:  # issue 6: any chart of the registry
        return f"{_(_registry_spec(chart).name)} – Omsorgsatlas"
    return f"{_(CHARTS.get(chart or '', CHARTS[DEFAULT_CHART]))} – Omsorgsatlas"


def _registry_spec(chart):
    from callbacks.charts import REGISTRY
    return REGISTRY.get(chart) if isinstance(chart, str) else None


dash.register_page(
    __name__,
    path_template="/embed/<chart>",
    name=N_("Innebygd figur"),
    title=_title,
    description=lazy(N_("Én figur fra Omsorgsatlas til innbygging på andre nettsider.")),
    order=900,
    in_menu=False,  # app.py leaves pages with in_menu=False out of the navbar
)


def _fit(figure: dict, top: int) -> dict:
    """The figure without its own title and fixed height, so it fills the iframe (the title is the <h1>)."""
    fig = copy.deepcopy(figure)
    layout = fig.setdefault("layout", {})
    layout.pop("height", None)
    layout.pop("title", None)
    layout["autosize"] = True
    margin = dict(layout.get("margin") or {})
    margin["t"] = top
    layout["margin"] = margin
    return fig


def _map(state: ViewState) -> dict:
    ind = store.indicator(state.indicator)
    lvl = ov.level_for(ind, state.level)
    data_level = URL_LEVELS[lvl]
    out = ov.update_map(state.indicator, lvl, state.county, state.year, None, state.municipality)
    years = store.years(ind["id"], data_level)
    year = ov.valid_year(state.year, years) or (years[-1] if years else state.year)
    return {"title": ov._heading(ind, lvl, state.county, year), "figure": _fit(out["figure"], top=8),
            "label": out["label"], "ind": ind, "note": out["note"],
            "view": ViewState(state.indicator, lvl, state.county, state.municipality, year)}


def _trend(state: ViewState, year: int | None) -> dict:
    ind = store.indicator(state.indicator)
    out = ov.update_trend(state.indicator, state.county, state.municipality, year)
    return {"title": out["heading"], "figure": _fit(out["figure"], top=40), "label": out["label"], "ind": ind,
            "note": out["note"], "view": state}


def _notes(notes: list[str]):
    if not notes:
        return None
    return html.P([html.Strong(_("Merk:") + " "), " ".join(notes)], className="embed-note", role="status")


def layout(chart: str | None = None, **query):
    if chart not in CHARTS and _registry_spec(chart) is not None:  # issue 6: every other registered chart
        return _registry_chart(chart, query)
    domain = url_domain()
    result = parse_query(query, domain)
    notes = list(result.notes)
    key = chart if chart in CHARTS else DEFAULT_CHART
    if chart is not None and chart not in CHARTS:
        notes.append(_("Ukjent figur «{value}» – viser kartet.").format(value=shown(chart)))
    state = result.state
    if not state.indicator or store.indicator(state.indicator) is None:
        return html.Div(html.P(_("Ingen data for dette valget."), className="embed-note", role="status"),
                        className="embed-page", lang=current_lang())
    if key == "kart":
        part = _map(state)
    else:
        part = _trend(state, state.year if "ar" in query else None)
    ind = part["ind"]
    permalink = dash.get_relative_path("/") + to_query(part["view"])
    if current_lang() != "nb":
        permalink += f"&lang={current_lang()}"
    graph_id = "embed-map" if key == "kart" else "embed-trend"
    return html.Div(
        [
            html.H1(part["title"], className="embed-title", id="embed-title"),
            _notes(notes),
            part["note"],
            html.Div(
                dcc.Graph(id=graph_id, figure=part["figure"], responsive=True, className="embed-graph",
                          config={**graph_config(f"omsorgsatlas-{key}"), "displaylogo": False}),
                className="embed-chart", role="figure", **{"aria-label": part["label"]},
            ),
            html.P(
                [*controls.source_line(ind["source"], ind["licence"], ind["source_url"],
                                       extra=(_("Kartgrunnlag © Kartverket, CC BY 4.0") if key == "kart" else None)),
                 " · " + _("Hentet {date}").format(date=format_date(today_oslo())) + " · ",
                 html.A("Omsorgsatlas", href=permalink, target="_blank", rel="noopener noreferrer")],
                className="embed-source source-line small",
            ),
        ],
        className=f"embed-page embed-{key}",
        lang=current_lang(),
    )


def _registry_chart(chart: str, query: dict):
    """Any chart of callbacks.charts.REGISTRY (issue 6), from the parameters of the page it lives on."""
    from callbacks import charts as registry

    try:
        res = registry.build(chart, query)
    except registry.ChartError as exc:
        return html.Div(html.P(str(exc), className="embed-note", role="status"), className="embed-page",
                        lang=current_lang())
    sp_ = registry.spec(chart)
    permalink = dash.get_relative_path(registry.page_path(sp_, res.page_query))
    source = res.source[:-len(" · Omsorgsatlas")] if res.source.endswith(" · Omsorgsatlas") else res.source
    top = 8 if (res.figure.get("layout", {}).get("legend", {}) or {}).get("y", 0) != 1.02 else 40
    return html.Div(
        [
            html.H1(res.title, className="embed-title", id="embed-title"),
            _notes(res.notes),
            html.Div(
                dcc.Graph(id="embed-graph", figure=_fit(res.figure, top=top), responsive=True, className="embed-graph",
                          config={**graph_config(f"omsorgsatlas-{chart}"), "displaylogo": False}),
                className="embed-chart", role="figure", **{"aria-label": res.label or res.title},
            ),
            html.P([source, " · " + _("Hentet {date}").format(date=format_date(res.date)) + " · ",
                    html.A("Omsorgsatlas", href=permalink, target="_blank", rel="noopener noreferrer")],
                   className="embed-source source-line small"),
        ],
        className=f"embed-page embed-{chart}",
        lang=current_lang(),
    )
