"""«Fylkesbildet» – every municipality of a county × indicators (Fingertips' "tartan rug").

URL: /fylke?fnr=46&omrade=befolkning&sorter=share_80plus&rekkefolge=synkende&presentasjon=1
(large type for a wall screen = the app-wide presentation mode; ?storskjerm=1 is an alias)
Layout only; callbacks/county.py fills it.
"""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

import store
from callbacks.comparison import ALL, valid_area, valid_fnr
from callbacks.county import rug_min_height
from components import compare, controls, present
from components.htmlblock import html_block
from components.share import share_toolbar
from components.urlstate import first_value, shown
from components.i18n import N_, _, lazy, page_title, pick

dash.register_page(
    __name__,
    path="/fylke",
    name=N_("Fylkesbildet"),
    title=page_title(N_("Fylkesbildet")),
    description=lazy(N_("Alle kommunene i et fylke på én skjerm, med fylket og landet som referanse.")),
    order=2,
)

DEFAULT_AREA = "legetjeneste"  # lead with a care service, not with demography


def layout(fnr=None, omrade=None, sorter=None, rekkefolge=None, storskjerm=None, presentasjon=None, **_query):
    notes = []
    raw_fnr, raw_area = first_value(fnr), first_value(omrade)
    code = valid_fnr(raw_fnr) if raw_fnr else None
    if raw_fnr and not code:
        notes.append(_("Ukjent fylke «{value}».").format(value=shown(raw_fnr)))
    area = valid_area(raw_area) if raw_area and raw_area != ALL else None
    if raw_area and raw_area != ALL and area is None:
        notes.append(_("Ukjent tjenesteområde «{value}» – viser {area}.").format(
            value=shown(raw_area), area=controls.area_name(store.service_areas(), DEFAULT_AREA)))
    if raw_area is None or (raw_area != ALL and area is None):
        area = DEFAULT_AREA if valid_area(DEFAULT_AREA) else None
    sort = first_value(sorter) or "knr"
    desc = first_value(rekkefolge) == "synkende"
    # large type = the app-wide presentation mode (?presentasjon=1, alias ?storskjerm=1; components/present.py)
    large = present.requested({"presentasjon": first_value(presentasjon), "storskjerm": first_value(storskjerm)})
    counties = store.counties()
    return html.Div(dbc.Container([
        html.H1(id="county-title", children=_("Fylkesbildet"), className="h3 mt-3 mb-2"),
        dbc.Alert([html.Strong(_("Merk:") + " "), " ".join(notes)], id="county-url-note", color="warning",
                  is_open=bool(notes), dismissable=True),
        dbc.Row([
            dbc.Col([
                html.Label(_("Fylke"), htmlFor="county-select", className="form-label fw-semibold mb-1"),
                dcc.Dropdown(id="county-select", options=[{"label": f"{r.name} ({r.region_code})",
                                                           "value": str(r.region_code)} for r in counties.itertuples()],
                             value=code, clearable=False, placeholder=_("Velg fylke (navn eller nummer)")),
            ], md=3, className="mb-2"),
            dbc.Col([
                html.Label(_("Tjenesteområde"), htmlFor="county-area", className="form-label fw-semibold mb-1"),
                dcc.Dropdown(id="county-area", options=controls.service_area_options(store.service_areas("municipality")),
                             value=area or ALL, clearable=False, searchable=False),
            ], md=3, className="mb-2"),
            dbc.Col([
                html.Label(_("Sorter etter"), htmlFor="county-sort", className="form-label fw-semibold mb-1"),
                dcc.Dropdown(id="county-sort", value=sort, clearable=False, searchable=False,
                             options=[{"label": _("Kommunenummer"), "value": "knr"},
                                      {"label": _("Kommunenavn"), "value": "navn"}] +
                             [{"label": pick(r._asdict(), "name"), "value": str(r.id)}
                              for r in store.catalog().itertuples()
                              if store.profile_year(str(r.id))]),
            ], md=3, className="mb-2"),
            dbc.Col([
                dbc.Checklist(id="county-desc", options=[{"label": _("Synkende"), "value": "desc"}],
                              value=["desc"] if desc else [], switch=True, className="mt-md-4"),
            ], md=3, className="mb-2"),
        ], className="county-controls oa-controls"),
        html.Div(id="county-legend", children=compare.legend() if code else None),  # in place at once: no shift
        # a wide matrix scrolls inside this focusable, labelled region (first column stays in view)
        # the matrix itself arrives as one pre-rendered HTML block (components/htmlblock.py, ~2 000 cells)
        html.Div(id="county-rug", className="rug-wrap", tabIndex="0", role="region",
                 style=rug_min_height(2 + len(store.municipalities(code)), large) if code else {},
                 **{"aria-live": "polite", "aria-label": _("Tabell: kommuner × indikatorer")},
                 children=html_block("county-rug-table", html.P(_("Velg et fylke."), className="lead mt-3")
                                     if not code else None, className="rug-inner")),
        html.P(id="county-source", className="source-line small mt-1"),
        share_toolbar("fylke"),
        dcc.Store(id="county-url-sync"),
        dcc.Store(id="county-large", data=["large"] if large else []),  # follows present-mode (callbacks/county.py)
    ], fluid=True), id="county-page", className="page-county" + (" wall-mode" if large else ""))
