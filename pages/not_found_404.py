"""Norwegian 404 page (Dash Pages uses a module named not_found_404)."""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html
from components.i18n import N_, _, page_title

dash.register_page(__name__, path="/404", name=N_("Fant ikke siden"), title=page_title(N_("Fant ikke siden")))


def layout(**_query):
    return dbc.Container([
        html.H1(_("Fant ikke siden"), className="h3 mt-3"),
        html.P([_("Siden finnes ikke. Gå til") + " ", dcc.Link(_("Kart og trender"), href="/"), "."]),
    ], className="page-404")
