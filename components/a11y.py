"""Texts for the accessibility patches of third-party widgets (assets/20-a11y.js). Pure builder.

dcc.Dropdown (Dash 4) has English defaults for its search box placeholder, its clear buttons, the multi
select's «Select All»/«Deselect All» and «No options found». Instead of passing ``labels=`` to every
dropdown, the shell carries the translated texts once, in data- attributes of a hidden element, and the
script applies them to every dropdown (WCAG 3.1.2 language of parts, 2.4.6 labels).
"""
from __future__ import annotations

from dash import html

from components.i18n import _

WIDGET_TEXTS_ID = "oa-widget-texts"


def widget_texts() -> html.Div:
    return html.Div(id=WIDGET_TEXTS_ID, hidden=True, **{
        "aria-hidden": "true",
        "data-search": _("Søk"),
        "data-clear-search": _("Tøm søket"),
        "data-clear-selection": _("Fjern valget"),
        "data-select-all": _("Velg alle"),
        "data-deselect-all": _("Fjern alle"),
        "data-no-options": _("Ingen treff"),
    })
