"""«Om dataene» – the indicator catalogue (searchable), a note on sources and harmonisation, and «Last ned
data» (bulk downloads of every table, callbacks/downloads.py)."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

import store
from components import about as about_components
from components import downloads as download_components
from components import tables
from components.i18n import N_, _, lazy, page_title, pick

dash.register_page(
    __name__,
    path="/om-dataene",
    name=N_("Om dataene"),
    title=page_title(N_("Om dataene")),
    description=lazy(N_("Definisjoner, kilder, lisenser og harmonisering for alle indikatorer.")),
    order=90,
)


def region_names() -> dict[str, str]:
    regs = store.municipalities()
    return dict(zip(regs["region_code"], regs["name"]))


def layout(**_query):
    cat = store.catalog()
    areas = store.service_areas()
    names = {r["id"]: pick(r, "name") for r in areas.to_dict("records")}
    return dbc.Container(
        [
            html.H1(_("Om dataene"), className="h3 mt-3"),
            html.Section(about_components.sources_section(store.manifest(), cat, region_names()), className="mb-4",
                         **{"aria-labelledby": "sources-heading"}),
            html.Section([
                html.H2(_("Indikatorer"), className="h5", id="catalog-heading"),
                html.Label(_("Søk i indikatorene"), htmlFor="catalog-search", className="form-label fw-semibold oa-controls"),
                dcc.Input(id="catalog-search", type="search", value="", debounce=0.3, className="form-control mb-2 oa-controls",
                          placeholder=_("Søk på navn, definisjon eller kilde"), autoComplete="off"),
                html.P(_("{n} indikatorer").format(n=len(cat)), id="catalog-count", className="small", role="status",
                       **{"aria-live": "polite"}),
                html.Div(tables.catalog_table(cat, names), id="catalog-table", className="table-scroll",
                         tabIndex="0", role="region", **{"aria-labelledby": "catalog-heading"}),
            ], className="mb-4"),
            html.Section([
                html.H2(_("Last ned data"), className="h5", id="downloads-heading"),
                *download_components.intro(),
                html.Div(download_components.placeholder(), id="downloads-list", **{"aria-live": "polite"}),
            ], className="mb-4", id="downloads", **{"aria-labelledby": "downloads-heading"}),
        ],
        fluid=True,
        className="page-about",
    )
