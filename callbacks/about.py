"""Callbacks of «Om dataene» (pages/about.py)."""

from __future__ import annotations

from dash import Input, Output, callback

import store
from components import tables
from components.i18n import _, pick


def search_catalog(query) -> "tuple":
    """Catalogue rows whose name, definition, source (or id) contain every word of ``query``."""
    cat = store.catalog()
    words = str(query).casefold().split() if isinstance(query, str) else []
    if words:
        hay = (cat["name_nb"].fillna("") + " " + cat["definition_nb"].fillna("") + " " + cat["source"].fillna("")
               + " " + cat["id"].fillna("") + " " + cat["name_en"].fillna("") + " "
               + cat["definition_en"].fillna("")).str.casefold()
        mask = hay.map(lambda text: all(w in text for w in words))
        cat = cat[mask]
    return cat


@callback(
    output=dict(table=Output("catalog-table", "children"), count=Output("catalog-count", "children")),
    inputs=dict(query=Input("catalog-search", "value")),
    prevent_initial_call=True,  # the page's layout has the whole catalogue already
)
def filter_catalog(query):
    """Search box -> filtered catalogue table and a count ('12 av 40 indikatorer')."""
    total = len(store.catalog())
    cat = search_catalog(query)
    names = {r["id"]: pick(r, "name") for r in store.service_areas().to_dict("records")}
    n = len(cat)
    count = (_("{n} av {total} indikatorer").format(n=n, total=total) if n != total
             else _("{n} indikatorer").format(n=total))
    return {"table": tables.catalog_table(cat, names), "count": count}
