"""«Kart og trender» – choropleth, trend and ranked table. Layout only (callbacks/overview.py wires it).

The URL query string (?indikator=…&niva=…&fylke=…&kommune=…&ar=…) is validated here by
components.urlstate; anything unusable falls back to the default view with a visible note.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

import store
from callbacks.overview import initial_view
from components import controls
from components.deferred import Deferred, figure_height
from components.share import PLOTLY_SHARE_BUTTONS, share_toolbar
from components.controls import ALL_AREAS, WHOLE_COUNTRY
from components.urlstate import URL_LEVELS, Domain, IndicatorInfo, parse_query
from components.i18n import N_, _, current_lang, lazy, page_title, pick

dash.register_page(
    __name__,
    path="/",
    name=N_("Kart og trender"),
    title=page_title(N_("Kart og trender")),
    description=lazy(N_("Kart, utvikling og rangering for kommuner og fylker.")),
    order=0,
)

GRAPH_CONFIG = {
    "displaylogo": False,
    "scrollZoom": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", *PLOTLY_SHARE_BUTTONS],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}

_DOMAIN: dict[tuple[str, str], Domain] = {}  # (data version, language): indicator names are translated


def url_domain() -> Domain:
    """What the URL may refer to (built from the store, once per data version)."""
    version = (store.version(), current_lang())
    dom = _DOMAIN.get(version)
    if dom is None:
        cat = store.indicators_for(map_levels=True)
        indicators = {
            str(r.id): IndicatorInfo(
                name=pick(r, "name"),
                years={lvl: tuple(store.years(str(r.id), data_lvl)) for lvl, data_lvl in URL_LEVELS.items()},
            )
            for r in cat.itertuples()
        }
        counties = {str(r.region_code): str(r.name) for r in store.counties().itertuples()}
        munis = {str(r.region_code): (str(r.name), str(r.county_code)) for r in store.municipalities().itertuples()}
        dom = Domain(indicators=indicators, counties=counties, municipalities=munis,
                     default_indicator=store.default_indicator() or "")
        _DOMAIN.clear()
        _DOMAIN[version] = dom
    return dom


def _label(text: str, html_for: str, id_: str | None = None) -> html.Label:
    return html.Label(text, htmlFor=html_for, className="form-label fw-semibold mb-1",
                      id=id_ or f"{html_for}-label")


def _controls(state, domain: Domain, definition=None) -> html.Section:
    areas = store.service_areas()
    area_names = {r["id"]: pick(r, "name") for r in areas.to_dict("records")}
    cat = store.indicators_for(map_levels=True)
    years = list(domain.indicators[state.indicator].years.get(state.level, ())) if state.indicator else []
    available = [lvl for lvl in ("fylke", "kommune") if state.indicator and
                 domain.indicators[state.indicator].years.get(lvl)]
    region_first, region_all = controls.lazy_options(
        "region-dropdown", controls.municipality_options(store.municipalities(state.county)), state.municipality)
    return html.Section(
        [
            html.H2(_("Valg"), className="h5 visually-hidden", id="controls-heading"),
            html.Div([
                _label(_("Tjenesteområde"), "service-area-dropdown"),
                dcc.Dropdown(id="service-area-dropdown", options=controls.service_area_options(store.service_areas("map")),
                             value=ALL_AREAS, clearable=False, searchable=False),
            ], className="mb-3"),
            html.Div([
                _label(_("Indikator"), "indicator-dropdown"),
                dcc.Dropdown(id="indicator-dropdown", options=controls.indicator_options(cat, area_names),
                             value=state.indicator, clearable=False, optionHeight=44, maxHeight=420,
                             placeholder=_("Velg indikator")),
            ], className="mb-3"),
            html.Fieldset([
                html.Legend(_("Nivå"), className="form-label fw-semibold mb-1 fs-6", id="level-radio-label"),
                dbc.RadioItems(id="level-radio", options=controls.level_options(available), value=state.level,
                               inline=True, name="level-radio", class_name="level-radio"),
            ], className="mb-3"),
            html.Div([
                _label(_("Fylke"), "county-dropdown"),
                dcc.Dropdown(id="county-dropdown", options=controls.county_options(store.counties()),
                             value=state.county or WHOLE_COUNTRY, clearable=False, placeholder=_("Hele landet")),
            ], className="mb-3"),
            html.Div([
                _label(_("Kommune (vises i utviklingen)"), "region-dropdown"),
                dcc.Dropdown(id="region-dropdown", options=region_first, value=state.municipality, clearable=True,
                             placeholder=_("Ingen kommune valgt")),
                region_all,  # the whole list, put in on first use (callbacks/lazy_options.py)
                html.P(_("Du kan også klikke på kartet."), className="form-text mb-0"),
            ], className="mb-3"),
            html.Div([
                _label(_("År"), "year-slider"),
                dcc.Slider(id="year-slider", min=years[0] if years else 0, max=years[-1] if years else 0,
                           step=controls.year_step(years), marks=controls.year_marks(years),
                           value=state.year or None,
                           included=False, disabled=len(years) < 2, updatemode="mouseup",
                           allow_direct_input=False,
                           tooltip={"placement": "bottom", "always_visible": False}, className="year-slider"),
            ], className="mb-3"),
            html.Div(definition, id="indicator-definition", className="indicator-definition small",
                     **{"aria-live": "polite"}),
        ],
        className="controls",
        **{"aria-labelledby": "controls-heading"},
    )


def graph_config(filename: str) -> dict:
    """dcc.Graph config; plotly's geo base topology is served from assets/ (offline, no CDN)."""
    return {**GRAPH_CONFIG, "topojsonURL": dash.get_asset_url("topojson/"),
            "toImageButtonOptions": {**GRAPH_CONFIG["toImageButtonOptions"], "filename": filename}}


def layout(**query):
    domain = url_domain()
    result = parse_query(query, domain)
    state = result.state
    url_note = dbc.Alert(
        [html.Strong(_("Merk:") + " "), *[html.Span([n, " "]) for n in result.notes]],
        id="url-note", color="warning", is_open=bool(result.notes), dismissable=True, className="mt-3",
    )
    # the first view is part of the layout (callbacks/overview.py initial_view): the start-up callbacks
    # skip their initial call, so the page shows its content without further round trips
    first = initial_view(state.indicator, state.level, state.county or WHOLE_COUNTRY, state.year or None,
                            state.municipality)
    return dbc.Container(
        [
            html.H1(_("Kart og trender"), className="h3 mt-3 mb-2"),
            url_note,
            dbc.Row([
                dbc.Col(_controls(state, domain, first["definition"]), lg=3, className="mb-3 oa-controls"),
                dbc.Col(html.Section([
                    html.H2(first["rank_heading"], id="map-heading", className="h5"),
                    html.P(first["rank_source"], id="map-source", className="source-line small"),
                    html.Div(first["map_note"], id="map-note", role="status", **{"aria-live": "polite"}),
                    html.Div(
                        Deferred(dcc.Graph(id="map", figure=first["map_figure"], config=graph_config("omsorgsatlas-kart"),
                                           clear_on_unhover=True, className="map-graph"),
                                 height=figure_height(first["map_figure"], 640)),
                        id="map-container", role="figure",
                        # the ranked table (next column) has every value: the map's long description
                        **{"aria-label": first["map_label"], "aria-details": "rank-table"},
                    ),
                    html.P(_("Grå: ingen data. Klikk på en kommune for å se utviklingen."), className="small mt-1"),
                    share_toolbar("kart"),
                ], **{"aria-labelledby": "map-heading"}), lg=5, className="mb-3"),
                dbc.Col(html.Section([
                    html.H2(_("Rangering"), className="h5", id="rank-heading"),
                    html.Div(first["rank_table"], id="rank-table", className="table-scroll", tabIndex="0", role="region",
                             **{"aria-labelledby": "rank-heading"}),
                ]), lg=4, className="mb-3"),
            ]),
            dbc.Row(dbc.Col(html.Section([
                html.H2(first["trend_heading"], id="trend-heading", className="h5"),
                html.P(first["trend_source"], id="trend-source", className="source-line small"),
                html.Div(first["trend_note"], id="trend-note", role="status", **{"aria-live": "polite"}),
                html.Div(Deferred(dcc.Graph(id="trend", figure=first["trend_figure"],
                                            config=graph_config("omsorgsatlas-utvikling")),
                                  height=figure_height(first["trend_figure"], 380)), id="trend-container", role="figure",
                         **{"aria-label": first["trend_label"], "aria-details": "trend-table"}),
                html.Details([
                    html.Summary(_("Vis tabell")),
                    html.Div(first["trend_table"], id="trend-table", className="table-scroll", tabIndex="0", role="region",
                             **{"aria-label": _("Tabell: utvikling over tid")}),
                ], className="mt-2", id="trend-details"),
                share_toolbar("utvikling"),
            ], **{"aria-labelledby": "trend-heading"}), className="mb-4")),
            dcc.Store(id="selected-year", data=state.year or None),
            dcc.Store(id="map-geokey", data=first["map_geokey"]),
            dcc.Store(id="url-sync", data=None),
        ],
        fluid=True,
        className="page-overview",
    )
