"""Norwegian 404 page (Dash Pages uses a module named not_found_404)."""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

dash.register_page(__name__, path="/404", name="Fant ikke siden", title="Fant ikke siden – Omsorgsatlas")


def layout(**_query):
    return dbc.Container([
        html.H1("Fant ikke siden", className="h3 mt-3"),
        html.P(["Siden finnes ikke. Gå til ", dcc.Link("Kart og trender", href="/"), "."]),
    ], className="page-404")
