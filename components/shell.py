"""The page shell: skip link, navbar, footer. Pure builders."""

from __future__ import annotations

from typing import Iterable

import dash_bootstrap_components as dbc
from dash import html

APP_NAME = "Omsorgsatlas"
SSB_URL = "https://www.ssb.no/"
NLOD_URL = "https://data.norge.no/nlod/no/2.0"
KARTVERKET_URL = "https://www.kartverket.no/"
CC_BY_URL = "https://creativecommons.org/licenses/by/4.0/deed.no"


def skip_link() -> html.A:
    return html.A("Hopp til hovedinnhold", href="#main", className="skip-link")


def navbar(pages: Iterable[tuple[str, str]]) -> dbc.Navbar:
    """pages: (name, path) in menu order."""
    links = [dbc.NavItem(dbc.NavLink(name, href=path, active="exact")) for name, path in pages]
    return dbc.Navbar(
        dbc.Container([
            dbc.NavbarBrand(APP_NAME, href="/", className="brand"),
            dbc.Nav(links, navbar=True, className="ms-auto", id="main-nav"),
        ], fluid=True),
        color="primary",
        dark=True,
        className="app-navbar",
        id="navbar",
    )


def footer() -> html.Footer:
    return html.Footer(
        dbc.Container(html.P([
            "Kilder: ",
            html.A("Statistisk sentralbyrå (SSB)", href=SSB_URL, target="_blank", rel="noopener noreferrer"),
            ", ",
            html.A("NLOD 2.0", href=NLOD_URL, target="_blank", rel="noopener noreferrer"),
            " · Kartgrunnlag © ",
            html.A("Kartverket", href=KARTVERKET_URL, target="_blank", rel="noopener noreferrer"),
            ", ",
            html.A("CC BY 4.0", href=CC_BY_URL, target="_blank", rel="noopener noreferrer"),
        ], className="mb-0"), fluid=True),
        className="app-footer",
        id="footer",
    )
