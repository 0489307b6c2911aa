"""«Fylkesbildet» – every municipality of a county × indicators (Fingertips' "tartan rug").

URL: /fylke?fnr=46&omrade=befolkning&sorter=share_80plus&rekkefolge=synkende&storskjerm=1
Layout only; callbacks/county.py fills it.
"""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

import store
from callbacks.comparison import ALL, valid_area, valid_fnr
from components import controls
from components.urlstate import shown

dash.register_page(
    __name__,
    path="/fylke",
    name="Fylkesbildet",
    title="Fylkesbildet – Omsorgsatlas",
    description="Alle kommunene i et fylke på én skjerm, med fylket og landet som referanse.",
    order=2,
)

DEFAULT_AREA = "befolkning"


def _first(v):
    if isinstance(v, (list, tuple)):
        v = v[0] if v else None
    return v if isinstance(v, str) else (str(v) if isinstance(v, int) else None)


def layout(fnr=None, omrade=None, sorter=None, rekkefolge=None, storskjerm=None, **_):
    notes = []
    raw_fnr, raw_area = _first(fnr), _first(omrade)
    code = valid_fnr(raw_fnr) if raw_fnr else None
    if raw_fnr and not code:
        notes.append(f"Ukjent fylke «{shown(raw_fnr)}».")
    area = valid_area(raw_area) if raw_area and raw_area != ALL else None
    if raw_area and raw_area != ALL and area is None:
        notes.append(f"Ukjent tjenesteområde «{shown(raw_area)}» – viser {DEFAULT_AREA}.")
    if raw_area is None or (raw_area != ALL and area is None):
        area = DEFAULT_AREA if valid_area(DEFAULT_AREA) else None
    sort = _first(sorter) or "knr"
    desc = _first(rekkefolge) == "synkende"
    large = _first(storskjerm) in ("1", "ja", "true")
    counties = store.counties()
    return html.Div(dbc.Container([
        html.H1(id="county-title", children="Fylkesbildet", className="h3 mt-3 mb-2"),
        dbc.Alert([html.Strong("Merk: "), " ".join(notes)], id="county-url-note", color="warning",
                  is_open=bool(notes), dismissable=True),
        dbc.Row([
            dbc.Col([
                html.Label("Fylke", htmlFor="county-select", className="form-label fw-semibold mb-1"),
                dcc.Dropdown(id="county-select", options=[{"label": f"{r.name} ({r.region_code})",
                                                           "value": str(r.region_code)} for r in counties.itertuples()],
                             value=code, clearable=False, placeholder="Velg fylke (navn eller nummer)"),
            ], md=3, className="mb-2"),
            dbc.Col([
                html.Label("Tjenesteområde", htmlFor="county-area", className="form-label fw-semibold mb-1"),
                dcc.Dropdown(id="county-area", options=controls.service_area_options(store.service_areas()),
                             value=area or ALL, clearable=False, searchable=False),
            ], md=3, className="mb-2"),
            dbc.Col([
                html.Label("Sorter etter", htmlFor="county-sort", className="form-label fw-semibold mb-1"),
                dcc.Dropdown(id="county-sort", value=sort, clearable=False, searchable=False,
                             options=[{"label": "Kommunenummer", "value": "knr"},
                                      {"label": "Kommunenavn", "value": "navn"}] +
                             [{"label": str(r.name_nb), "value": str(r.id)} for r in store.catalog().itertuples()
                              if store.profile_year(str(r.id))]),
            ], md=3, className="mb-2"),
            dbc.Col([
                dbc.Checklist(id="county-desc", options=[{"label": "Synkende", "value": "desc"}],
                              value=["desc"] if desc else [], switch=True, className="mt-md-4"),
                dbc.Checklist(id="county-large", options=[{"label": "Storskjerm (1920×1080)", "value": "large"}],
                              value=["large"] if large else [], switch=True),
            ], md=3, className="mb-2"),
        ], className="county-controls"),
        html.Div(id="county-legend"),
        html.Div(id="county-rug", className="rug-wrap", **{"aria-live": "polite"},
                 children=html.P("Velg et fylke.", className="lead mt-3") if not code else None),
        html.P(id="county-source", className="source-line small mt-1"),
        dcc.Store(id="county-url-sync"),
    ], fluid=True), id="county-page", className="page-county" + (" wall-mode" if large else ""))
