"""«Min kommune» – one municipality against its county, the country and its neighbours.

URL: /kommune?knr=4601&omrade=befolkning&indikator=share_80plus (every parameter optional; unusable
values fall back with a visible note). Layout only; callbacks/profile.py fills it.
"""
from __future__ import annotations

import functools

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

import store
from callbacks.comparison import ALL, valid_area, valid_knr
from callbacks.profile import update_profile, update_profile_trend
from components import controls, mapfig
from components.deferred import Deferred, figure_height
from components.share import PLOTLY_SHARE_BUTTONS, share_toolbar
from components.urlstate import first_value, shown
from components.i18n import N_, _, current_lang, lazy, page_title, pick

dash.register_page(
    __name__,
    path="/kommune",
    name=N_("Min kommune"),
    title=page_title(N_("Min kommune")),
    description=lazy(N_("Kommuneprofil: sammenlign en kommune med fylket, landet, nabokommuner og kommuner som "
                        "ligner.")),
    order=1,
)

@functools.lru_cache(maxsize=8)
def _indicator_options(_lang: str, _version: str) -> tuple:
    """The trend chart's indicators (those with a profile year), labelled in the UI language: once per language and
    data version (walking the catalogue's rows cost ~10 ms per page view)."""
    return tuple({"label": pick(r._asdict(), "name"), "value": str(r.id)} for r in store.catalog().itertuples()
                 if store.profile_year(str(r.id)))


@functools.lru_cache(maxsize=8)
def _municipality_options(_version: str) -> tuple:
    """Every municipality as a dropdown option (the same in both languages): once per data version."""
    return tuple(controls.municipality_options(store.municipalities()))


@functools.lru_cache(maxsize=8)
def _area_options(_lang: str, _version: str) -> tuple:
    return tuple(controls.service_area_options(store.service_areas("municipality")))


DEFAULT_AREA = "alle"  # every indicator, care services first (catalogue order)


def layout(knr=None, omrade=None, indikator=None, **_query):
    notes = []
    raw_knr, raw_area, raw_ind = first_value(knr), first_value(omrade), first_value(indikator)
    code = valid_knr(raw_knr) if raw_knr else None
    if raw_knr and not code:
        notes.append(_("Ukjent kommune «{value}» – velg en kommune i søkefeltet.").format(value=shown(raw_knr)))
    area = valid_area(raw_area) if raw_area and raw_area != ALL else None
    if raw_area and raw_area != ALL and area is None:
        notes.append(_("Ukjent tjenesteområde «{value}» – viser {area}.").format(
            value=shown(raw_area), area=_("alle tjenesteområder")))
    if raw_area is None or (raw_area != ALL and area is None):
        area = DEFAULT_AREA if valid_area(DEFAULT_AREA) else None
    area_value = area or ALL
    ind = raw_ind if (raw_ind and store.indicator(raw_ind) and store.profile_year(raw_ind)) else None
    if raw_ind and ind is None:
        notes.append(_("Ukjent indikator «{value}» – viser standard.").format(value=shown(raw_ind)))
    ind = ind or store.default_indicator()
    ind_options = [dict(o) for o in _indicator_options(current_lang(), store.version())]
    # the first view is part of the layout: callbacks/profile.py's two callbacks skip their initial call, so
    # the profile shows without further round trips (and each chart is drawn once)
    first = update_profile(code, area_value)
    trend = update_profile_trend(code, ind) if code else {}
    muni_first, muni_all = controls.lazy_options("profile-muni",
                                                 [dict(o) for o in _municipality_options(store.version())], code)
    trend_figure = trend.get("figure") or mapfig.empty_figure(_("Velg en kommune"), height=380)
    return dbc.Container([
        html.H1(_("Min kommune"), className="h3 mt-3 mb-2"),
        dbc.Alert([html.Strong(_("Merk:") + " "), " ".join(notes)], id="profile-url-note", color="warning",
                  is_open=bool(notes), dismissable=True),
        dbc.Row([
            dbc.Col([
                html.Label(_("Søk etter kommune (navn eller kommunenummer)"), htmlFor="profile-muni",
                           className="form-label fw-semibold mb-1", id="profile-muni-label"),
                dcc.Dropdown(id="profile-muni", options=muni_first,
                             value=code, searchable=True, clearable=False, placeholder=_("Skriv for eksempel «Bergen» eller «4601»")),
                muni_all,  # the whole list, put in on first use (callbacks/lazy_options.py)
            ], md=5, className="mb-2"),
            dbc.Col([
                html.Label(_("Tjenesteområde"), htmlFor="profile-area", className="form-label fw-semibold mb-1",
                           id="profile-area-label"),
                dcc.Dropdown(id="profile-area", options=[dict(o) for o in _area_options(current_lang(), store.version())],
                             value=area_value, clearable=False, searchable=False),
            ], md=4, className="mb-2"),
        ], className="profile-controls oa-controls"),
        html.Div(id="profile-body", children=first["body"], **{"aria-live": "polite"}),
        html.Section([
            html.H2(_("Utvikling mot fylket, landet og naboene"), className="h5 mt-4", id="profile-trend-heading"),
            html.Div([
                html.Label(_("Indikator"), htmlFor="profile-indicator", className="form-label fw-semibold mb-1"),
                dcc.Dropdown(id="profile-indicator", options=ind_options, value=ind, clearable=False),
            ], className="mb-2 oa-controls", style={"maxWidth": "34rem"}),
            html.P(trend.get("source"), id="profile-trend-source", className="source-line small"),
            html.Div(Deferred(dcc.Graph(id="profile-trend", figure=trend_figure,
                                        config={"displaylogo": False, "modeBarButtonsToRemove": PLOTLY_SHARE_BUTTONS,
                                                "toImageButtonOptions": {"format": "png", "scale": 2,
                                                                         "filename": "omsorgsatlas-kommune-utvikling"}}),
                              height=figure_height(trend_figure, 420)),
                     id="profile-trend-container", role="figure",
                     **{"aria-label": trend.get("label") or _("Linjediagram")}),
            html.Details([html.Summary(_("Vis tabell")),
                          html.Div(trend.get("table"), id="profile-trend-table", className="table-scroll", tabIndex="0",
                                   role="region",
                                   **{"aria-label": _("Tabell: utvikling")})], className="mt-2"),
            share_toolbar("kommune-utvikling"),
        ], id="profile-trend-section", hidden=first["trend_hidden"], **{"aria-labelledby": "profile-trend-heading"}),
        dcc.Store(id="profile-url-sync"),
    ], fluid=True, className="page-profile")
