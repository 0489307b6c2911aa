"""«Personell og kompetanse» – årsverk, kompetanse, rekruttering. Layout only (callbacks/personnel.py wires it).

URL: /personell?tjenesteomrade=hjemmetjenester&ar=2016 (validated here; unusable values fall back to the
defaults with a visible note). The figures are national: the county/municipality choices are shown disabled
with the reason, since municipality data need the online build from SSB.
"""

from __future__ import annotations


import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

import store
from callbacks.personnel import cached_first_view
from components import personnel as pc
from components.firstview import fill, id_key
from components.deferred import Deferred, figure_height
from components.share import PLOTLY_SHARE_BUTTONS, share_toolbar
from store import personnel as sp
from components.i18n import N_, _, lazy, page_title, pick

dash.register_page(
    __name__,
    path="/personell",
    name=N_("Personell og kompetanse"),
    title=page_title(N_("Personell og kompetanse")),
    description=lazy(N_("Årsverk, kompetanse, sykefravær og utdanningsløpet i de kommunale helse- og "
                        "omsorgstjenestene.")),
    order=5,
)

GRAPH_CONFIG = {
    "displaylogo": False,
    "scrollZoom": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "zoom2d", "pan2d", "zoomIn2d", "zoomOut2d",
                               *PLOTLY_SHARE_BUTTONS],
    "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "omsorgsatlas-personell"},
}


def page_years() -> list[int]:
    """Years with national values in any panel or key figure."""
    ids: list[str] = list(pc.KEY_FIGURES)
    for p in pc.PANELS:
        if p["kind"] == "ind":
            ids += p["indicators"]
        else:
            try:
                ids += list(sp.series_parts(p["series"])["id"])
            except store.QueryError:
                pass
    return sorted({y for i in ids for y in store.years(i, "country")})


def default_year(years: list[int]) -> int | None:
    ys = store.years("kl_arsverk_omsorg", "country")
    if ys:
        return ys[-1]
    return years[-1] if years else None


def _label(text: str, html_for: str) -> html.Label:
    return html.Label(text, htmlFor=html_for, className="form-label fw-semibold mb-1", id=f"{html_for}-label")


def _controls(area: str | None, year: int | None, years: list[int], has_municipal: bool) -> html.Section:
    areas = store.service_areas()
    area_options = [{"label": _("Alle tjenesteområder"), "value": pc.ALL_AREAS}] + [
        {"label": pick(r, "name"), "value": str(r.id)} for r in areas.itertuples()]
    level_options = [{"label": _("Nasjonalt"), "value": "country"},
                     {"label": _("Fylke"), "value": "county", "disabled": not has_municipal},
                     {"label": _("Kommune"), "value": "municipality", "disabled": not has_municipal}]
    return html.Section([
        html.H2(_("Valg"), className="h5 visually-hidden", id="pers-controls-heading"),
        html.Div([
            _label(_("Tjenesteområde"), "pers-area"),
            dcc.Dropdown(id="pers-area", options=area_options, value=area or pc.ALL_AREAS, clearable=False,
                         searchable=False),
        ], className="mb-3"),
        html.Div([
            _label(_("År"), "pers-year"),
            dcc.Dropdown(id="pers-year", options=[{"label": str(y), "value": y} for y in years], value=year,
                         clearable=False, searchable=False),
            html.P(_("Året gjelder nøkkeltall og søylene per yrkesgruppe; utviklingsdiagrammene markerer det."),
                   className="form-text mb-0"),
        ], className="mb-3"),
        html.Fieldset([
            html.Legend(_("Nivå"), className="form-label fw-semibold mb-1 fs-6", id="pers-level-label"),
            dbc.RadioItems(id="pers-level", options=level_options, value="country", inline=True,
                           name="pers-level"),
        ], className="mb-2"),
        html.Div([
            _label(_("Fylke"), "pers-county"),
            dcc.Dropdown(id="pers-county", options=[], value=None, disabled=True, placeholder=_("Hele landet")),
        ], className="mb-2"),
        html.Div([
            _label(_("Kommune"), "pers-municipality"),
            dcc.Dropdown(id="pers-municipality", options=[], value=None, disabled=True,
                         placeholder=_("Ingen kommune")),
        ], className="mb-2"),
        dbc.Alert(_(pc.MUNICIPALITY_NOTE), id="pers-level-note", color="info", className="small py-2",
                  is_open=not has_municipal),
    ], className="controls", **{"aria-labelledby": "pers-controls-heading"})


def _panel(p: dict, figure: dict | None = None) -> html.Section:
    """One panel; ``figure``: its first chart (first_view), else an empty one until a callback answers."""
    kind, pid = p["kind"], p["id"]
    figure = figure or {"data": [], "layout": {"height": 360}}

    def pid_(t: str) -> dict:
        return {"type": t, "kind": kind, "panel": pid}

    title = pc.panel_title(p)
    head = [html.H2(title, className="h5", id=f"pers-{pid}-heading")]
    tools = []
    if p.get("chooser"):
        tools.append(html.Div([
            _label(_("Fordeling"), "pers-explorer-series"),
            dcc.Dropdown(id="pers-explorer-series", options=[], value=p["series"], clearable=False,
                         optionHeight=44, maxHeight=420),
        ], className="mb-2 explorer-chooser oa-controls"))
    if kind == "time":
        tools.append(html.Fieldset([
            html.Legend(_("Visning"), className="visually-hidden"),
            dbc.RadioItems(id=pid_("pers-mode"), options=pc.mode_options(), value=p.get("mode", "stack"),
                           inline=True, name=f"pers-mode-{pid}"),
        ], className="mb-1 oa-controls"))
    store_data = p.get("indicators") if kind == "ind" else p.get("series")
    return html.Section([
        *head,
        *tools,
        html.P(id=pid_("pers-source"), className="source-line small mb-1"),
        html.Div(id=pid_("pers-note"), role="status", **{"aria-live": "polite"}),
        # mounted when it comes into view (components/deferred.py): charts below the fold cost nothing on load
        html.Div(Deferred(dcc.Graph(id=pid_("pers-graph"), config=GRAPH_CONFIG, figure=figure),
                          height=figure_height(figure, 360)),
                 id=pid_("pers-figure"), role="figure", **{"aria-label": title}),
        html.Details([
            html.Summary(_("Vis tabell")),
            html.Div(id=pid_("pers-table"), className="table-scroll", tabIndex="0", role="region",
                     **{"aria-label": _("Tabell: {title}").format(title=title)}),
        ], className="mt-1"),
        html.Div(id=pid_("pers-notes"), className="mt-2"),
        share_toolbar(f"personell-{pid}"),
        dcc.Store(id=pid_("pers-spec"), data=store_data),
    ], id=pid_("pers-panel"), className="pers-panel mb-4", **{"aria-labelledby": f"pers-{pid}-heading"})


def _from_query(p: dict, query: dict) -> dict:
    """The panel's view from the URL (issue 6): visning-<panel>=linjer|stablet, fordeling=<series> (explorer)."""
    out = dict(p)
    mode = {"linjer": "line", "stablet": "stack"}.get(str(query.get(f"visning-{p['id']}") or ""))
    if p["kind"] == "time" and mode:
        out["mode"] = mode
    series = query.get("fordeling")
    if p.get("chooser") and isinstance(series, str) and series:
        from callbacks.personnel import valid_series
        if valid_series(series):
            out["series"] = series
    return out


def layout(**query):
    years = page_years()
    areas = list(store.service_areas()["id"])
    area, year, notes = pc.parse_personnel_query(query, areas=areas, years=years, default_year=default_year(years))
    has_municipal = sp.has_municipality_data()
    panels = [_from_query(p, query) for p in pc.PANELS]
    # the callbacks' answers for this view, written into the layout (first_view): the page arrives complete,
    # without a round of callbacks (and a re-render of the page per answer) on load
    view = cached_first_view(area, year, panels)
    url_note = dbc.Alert([html.Strong(_("Merk:") + " "), *[html.Span([n, " "]) for n in notes]], id="pers-url-note",
                         color="warning", is_open=bool(notes), dismissable=True, className="mt-3")
    page = dbc.Container([
        html.H1(_("Personell og kompetanse"), className="h3 mt-3 mb-1"),
        html.P(_("Årsverk, kompetanse, sykefravær og utdanningsløpet i de kommunale helse- og omsorgstjenestene, "
                 "slik Helsedirektoratet og regjeringen har publisert dem. Hvert diagram oppgir nivå og kilde."),
               className="lead-text mb-2"),
        url_note,
        dbc.Row([
            dbc.Col(_controls(area, year, years, has_municipal), lg=3, className="mb-3 oa-controls"),
            dbc.Col([
                html.Section([
                    html.H2(_("Nøkkeltall"), className="h5", id="pers-keys-heading"),
                    dbc.Row(id="pers-keys"),
                ], className="mb-3", **{"aria-labelledby": "pers-keys-heading"}),
                html.P(id="pers-area-status", className="small", role="status", **{"aria-live": "polite"}),
                *[_panel(p, view.get((_key(p, "pers-graph"), "figure"))) for p in panels],
            ], lg=9),
        ]),
        dcc.Store(id="pers-url-sync", data=None),
    ], fluid=True, className="page-personnel")
    fill(page, view)
    return page


def _key(p: dict, component_type: str) -> str:
    """The key of a panel component's id in first_view's answer (a pattern-matching id as sorted JSON)."""
    return id_key({"type": component_type, "kind": p["kind"], "panel": p["id"]})
