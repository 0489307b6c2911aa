"""«Om dataene» – the indicator catalogue (searchable) and a note on sources and harmonisation."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

import store
from components import about as about_components
from components import tables

dash.register_page(
    __name__,
    path="/om-dataene",
    name="Om dataene",
    title="Om dataene – Omsorgsatlas",
    description="Definisjoner, kilder, lisenser og harmonisering for alle indikatorer.",
    order=90,
)


def region_names() -> dict[str, str]:
    regs = store.municipalities()
    return dict(zip(regs["region_code"], regs["name"]))


def layout(**_query):
    cat = store.catalog()
    areas = store.service_areas()
    names = dict(zip(areas["id"], areas["name_nb"]))
    return dbc.Container(
        [
            html.H1("Om dataene", className="h3 mt-3"),
            html.Section(about_components.sources_section(store.manifest(), cat, region_names()), className="mb-4",
                         **{"aria-labelledby": "sources-heading"}),
            html.Section([
                html.H2("Indikatorer", className="h5", id="catalog-heading"),
                html.Label("Søk i indikatorene", htmlFor="catalog-search", className="form-label fw-semibold"),
                dcc.Input(id="catalog-search", type="search", value="", debounce=0.3, className="form-control mb-2",
                          placeholder="Søk på navn, definisjon eller kilde", autoComplete="off"),
                html.P(f"{len(cat)} indikatorer", id="catalog-count", className="small", role="status",
                       **{"aria-live": "polite"}),
                html.Div(tables.catalog_table(cat, names), id="catalog-table", className="table-scroll wide",
                         tabIndex="0", role="region", **{"aria-labelledby": "catalog-heading"}),
            ], className="mb-4"),
        ],
        fluid=True,
        className="page-about",
    )
