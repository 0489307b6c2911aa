"""The page shell: skip link, navbar, footer. Pure builders."""

from __future__ import annotations

from typing import Iterable

import dash_bootstrap_components as dbc
from dash import dcc, html
from components.i18n import URL_PARAM, _, current_lang

APP_NAME = "Omsorgsatlas"
SSB_URL = "https://www.ssb.no/"
NLOD_URL = "https://data.norge.no/nlod/no/2.0"
KARTVERKET_URL = "https://www.kartverket.no/"
CC_BY_URL = "https://creativecommons.org/licenses/by/4.0/deed.no"
# the switch is labelled in the language it switches to (not translated)
LANG_SWITCH_TEXT = {"en": "English", "nb": "Norsk"}


def skip_link() -> html.A:
    return html.A(_("Hopp til hovedinnhold"), href="#main", className="skip-link")


def language_switch() -> html.A:
    """«English» / «Norsk»: reloads the current page with ?lang=en|nb (assets/25-language.js keeps the rest of
    the query string; without JavaScript the plain href still switches on the start page of the path).
    The link text is in the language it switches to (lang + hreflang say so)."""
    target = "nb" if current_lang() == "en" else "en"
    return html.A(LANG_SWITCH_TEXT[target], href=f"?{URL_PARAM}={target}", id="lang-switch",
                  className="nav-link lang-switch", lang=target, hrefLang=target,
                  **{"data-lang": target})


def navbar(pages: Iterable[tuple[str, str]]) -> dbc.Navbar:
    """pages: (name, path) in menu order."""
    # plain markup (in-app links, assets/05-htmlblock.js marks the current page's link active with
    # aria-current="page"), so the whole menu is one HtmlBlock (components.htmlblock.compact) instead of ~16
    # components
    links = [html.Li(dcc.Link(_(name), href=path, className="nav-link"), className="nav-item") for name, path in pages]
    links.append(html.Li(language_switch(), className="nav-item lang-item"))
    return dbc.Navbar(
        dbc.Container([
            dbc.NavbarBrand(APP_NAME, href="/", className="brand"),
            html.Ul(links, className="ms-auto navbar-nav oa-main-nav", id="main-nav"),
            page_tools(),
        ], fluid=True),
        color="primary",
        dark=True,
        className="app-navbar",
        id="navbar",
    )


def footer() -> html.Footer:
    return html.Footer(
        dbc.Container([html.P([
            _("Kilder:") + " ",
            html.A(_("Statistisk sentralbyrå (SSB)"), href=SSB_URL, target="_blank", rel="noopener noreferrer"),
            ", ",
            html.A("NLOD 2.0", href=NLOD_URL, target="_blank", rel="noopener noreferrer"),
            " · " + _("Kartgrunnlag ©") + " ",
            html.A("Kartverket", href=KARTVERKET_URL, target="_blank", rel="noopener noreferrer"),
            ", ",
            html.A("CC BY 4.0", href=CC_BY_URL, target="_blank", rel="noopener noreferrer"),
        ], className="mb-0"), print_meta()], fluid=True),
        className="app-footer",
        id="footer",
    )


def page_tools() -> html.Div:
    """«Kopier lenke» (the page's full URL, query included) and the «Presentasjon» toggle (wall screens).
    assets/70-present.js does the work; its texts come from the data- attributes (translated here).
    The toggle's state (aria-pressed, <html class="oa-present">, ?presentasjon=1) is kept by the clientside
    callback in callbacks/present.py; app.py sets the class from the URL flag for the first paint."""
    return html.Div([
        html.Button(_("Kopier lenke"), id="copy-page-link", type="button",
                    className="btn btn-sm btn-outline-light oa-copy-link",
                    title=_("Kopier lenken til denne visningen (med alle valg)"),
                    **{"data-done": _("Lenke kopiert"),
                       "data-failed": _("Kunne ikke kopiere. Kopier adressen fra adressefeltet.")}),
        html.Span(id="copy-page-link-status", className="oa-copy-status small", role="status",
                  **{"aria-live": "polite"}),
        html.Button(_("Presentasjon"), id="present-toggle", type="button", n_clicks=0,
                    className="btn btn-sm btn-outline-light oa-present-toggle",
                    title=_("Presentasjonsmodus for storskjerm: skjuler valgene og gjør teksten større"),
                    **{"aria-pressed": "false",
                       "data-title-on": _("Avslutt presentasjonsmodus (Esc)"),
                       "data-title-off": _("Presentasjonsmodus for storskjerm: skjuler valgene og gjør teksten større"),
                       "data-status-on": _("Presentasjonsmodus er på. Trykk Escape for å avslutte."),
                       "data-status-off": _("Presentasjonsmodus er av.")}),
        html.Span(id="present-status", className="visually-hidden", role="status", **{"aria-live": "polite"}),
        dcc.Store(id="present-mode", data=None),
    ], className="oa-page-tools d-flex flex-wrap align-items-center gap-2 ms-lg-3",
        # «Utvalg: …» (the page's current choices; shown in print and presentation mode, built by the script)
        **{"data-selection-label": _("Utvalg:")})


def print_meta() -> html.P:
    """Printed only (assets/80-print.css): the page's address and the print date, filled in by
    assets/70-present.js just before printing."""
    return html.P([
        html.Span(id="print-url", **{"data-label": _("Lenke:")}),
        html.Span(id="print-date", **{"data-label": _("Skrevet ut:")}),
    ], className="oa-print-only oa-print-meta mb-0")
