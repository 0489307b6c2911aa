"""Callbacks of «Min kommune» (pages/profile.py). Plain module-level functions; tests call them directly,
e.g. ``update_profile("4601", "befolkning")`` or ``update_profile_trend("4601", "share_80plus")``.
Works for every catalogue indicator: nothing here names an indicator."""
from __future__ import annotations

from dash import Input, Output, callback, clientside_callback, dcc, html
from dash.exceptions import PreventUpdate

import store
from callbacks import comparison as cmp
from callbacks._cache import CODE_VERSION, memoize
from callbacks.overview import plain
from components import compare, controls, mapfig, tables
from components.htmlblock import static_html
from components.markup import Html, element
from components.deferred import Deferred, figure_height
from components.share import PLOTLY_SHARE_BUTTONS, share_toolbar
from components import trend as trendfig
from components.format import format_number, format_value
from components.i18n import _, current_lang, pick



def _fact(label: str, value: str) -> Html:
    return element("div", [element("dt", label, className="small text-body-secondary"),
                           element("dd", value, className="fs-5 fw-semibold mb-0")], className="fact")


def header(view) -> Html:
    """Name and key facts of the municipality, from its ProfileView (store.profile_view)."""
    knr = view.knr
    year = view.reference_year
    facts = [_fact(_("Fylke"), f"{view.county_name} ({view.county_code})"),
             _fact(_("Kommunenummer"), knr)]
    labels = {"population": _("Folkemengde"), "share_80plus": _("Andel 80+"), "median_age": _("Medianalder")}
    for ind_id, v in view.facts:
        ind = view.fact_units[ind_id]
        facts.append(_fact(f"{labels[ind_id]} {year}", format_value(v, ind["unit"], int(ind["decimals"]),
                                                                    pick(ind, "unit"))))
    feats = view.features
    if "growth_10y" in feats:
        facts.append(_fact(_("Vekst siste 10 år"), format_value(feats["growth_10y"], "percent", 1)))
    if "log_density" in feats:
        facts.append(_fact(_("Innbyggere per km²"), format_number(feats["log_density"], 1)))
    return element("section", [
        element("h2", view.name, className="h4 mb-2", id="profile-name"),
        element("dl", facts, className="facts"),
    ], className="profile-header", **{"aria-labelledby": "profile-name"})


@memoize()
def _profile_body(knr: str, area: str | None, version: str, code_version: str = CODE_VERSION):
    view = store.profile_view(knr, area)  # the one store call: everything below only shapes this view
    county_name = view.county_name
    rows = [cmp.localise_row(r) for r in view.rows]
    en = current_lang() == "en"
    area_name = ((view.area_name_en if en else view.area_name_nb) or view.area_name_nb) if view.area else \
        _("Alle tjenesteområder")
    title = _("{municipality}: {area} mot landet og {county}").format(municipality=view.name, area=area_name.lower(),
                                                                     county=county_name)
    n_county = view.n_county_munis
    fig = compare.spine_figure(rows, muni_name=view.name, county_name=county_name, title=title)
    sources = sorted({r["source"] for r in rows})
    licences = sorted({r["licence"] for r in rows})
    summary = "; ".join(f"{r['name']}: {compare.value_with_ci(r)}, "
                        + compare.bench_phrase(r["bench_country"], _("landet"))
                        for r in rows)
    geo = cmp.geo_neighbours(knr, view)
    stat = cmp.stat_neighbours(knr, view)
    # the neighbours' care services beside population and share 80+
    vals = cmp.neighbour_values_of(view)
    services = (cmp.neighbour_headers(view.headline), vals)
    self_row = (view.name, vals[knr])
    why = cmp.why_features(knr, view)
    comparison = view.comparison
    method = comparison.get("method_en" if current_lang() == "en" else "method") or comparison.get("method", "")
    intervals = comparison.get("intervals_en" if current_lang() == "en" else "intervals") or comparison.get(
        "intervals", "")
    # the build writes these two texts in bokmål only: marked lang="nb" inside an English page (WCAG 3.1.2)
    nb_only = {"lang": "nb"} if current_lang() != "nb" and not comparison.get("method_en") else {}
    # everything but the chart and its share toolbar is static: sent as pre-rendered markup (components.htmlblock),
    # one component each instead of ~150
    body = html.Div([
        static_html(header(view)),
        html.Section([
            static_html([
            element("h2", _("Profil: {area}").format(area=area_name), className="h5 mt-3", id="spine-heading"),
            element("p", controls.source_line("; ".join(sources), ", ".join(licences), None,
                                              extra=_("Siste år med data (til og med {year})").format(
                                                  year=view.reference_year)),
                    className="source-line small"),
            compare.legend_markup()]),
            share_toolbar("kommune-profil"),
            # the figure's own height reserved before plotly.js has drawn it (no layout shift)
            html.Div(Deferred(dcc.Graph(id="profile-spine", figure=fig, style={"minHeight": f"{fig['layout']['height']}px"},
                                        config={"displaylogo": False, "modeBarButtonsToRemove": PLOTLY_SHARE_BUTTONS,
                                                "toImageButtonOptions": {"format": "png", "scale": 2,
                                                                         "filename": f"omsorgsatlas-profil-{knr}"}}),
                              height=figure_height(fig)),
                     role="figure", id="profile-spine-container", style={"--oa-graph-h": f"{fig['layout']['height']}px"},
                     **{"aria-label": _("Ryggradsdiagram for {municipality}. {summary}. Se tabellen under.").format(
                         municipality=view.name, summary=summary)}),
            static_html([element("p", _("Grå søyle: spennet blant alle kommunene (mørk: den midterste halvdelen). Strek: landet. "
                     "◆: fylket. Kommunen vises med ▲ (over landet), ▼ (under) eller ● (ingen sikker forskjell), "
                     "og med ■ der tallet ikke har intervall (fargen viser da femtedelen blant kommunene)."),
                   className="small"),
            element("div", compare.profile_table(rows, county_name=county_name, n_munis=view.n_munis,
                                                 n_county=n_county),
                    className="table-scroll wide", tabIndex="0", role="region",
                    **{"aria-label": _("Tabell: profilen")}),
            element("p", intervals, className="small mt-1", **nb_only)]),
        ], **{"aria-labelledby": "spine-heading"}),
        static_html(element("section", [
            element("h2", _("Naboer og kommuner som ligner"), className="h5 mt-4", id="neighbours-heading"),
            element("div", [  # a dbc.Row of two dbc.Col(lg=6), as plain markup
                element("div", element("div", compare.geo_neighbour_table(geo, area, services, self_row),
                                       className="table-scroll wide", tabIndex="0", role="region",
                                       **{"aria-label": _("Geografiske naboer")}), className="col-lg-6"),
                element("div", element("div", compare.stat_neighbour_table(stat, area, services, self_row),
                                       className="table-scroll wide", tabIndex="0", role="region",
                                       **{"aria-label": _("Statistiske naboer")}), className="col-lg-6"),
            ], className="row"),
            element("h3", _("Hvorfor ligner de?"), className="h6 mt-3"),
            element("p", method, className="small", **nb_only),
            element("div", compare.why_table(why, view.name), className="table-scroll wide", tabIndex="0",
                    role="region", **{"aria-label": _("Trekk bak de statistiske naboene")}),
        ], **{"aria-labelledby": "neighbours-heading"})),
    ])
    return plain(body)


@callback(
    output=dict(body=Output("profile-body", "children"), trend_hidden=Output("profile-trend-section", "hidden")),
    inputs=dict(knr=Input("profile-muni", "value"), area=Input("profile-area", "value")),
    prevent_initial_call=True,  # pages/profile.py puts the first answer in the layout
)
def update_profile(knr, area=None):
    """Header, spine chart + table, neighbour tables for the selected municipality and service area."""
    code = cmp.valid_knr(knr)
    if code is None:
        return {"body": html.P(_("Velg en kommune for å se profilen."), className="lead mt-3"), "trend_hidden": True}
    return {"body": _profile_body(code, cmp.valid_area(area), store.version(), CODE_VERSION), "trend_hidden": False}


@memoize()
def _trend(knr: str, indicator_id: str, version: str, code_version: str = CODE_VERSION) -> dict:
    view = store.profile_trend_view(knr, indicator_id)  # the one store call (medians precomputed)
    ind = view.indicator
    series = cmp.trend_series(view)
    codes = list(dict.fromkeys(series["region_code"]))
    unit, label, dec = ind["unit"], pick(ind, "unit"), int(ind["decimals"])
    title = _("{indicator}: {municipality} mot {county}, landet og naboene").format(
        indicator=pick(ind, "name"), municipality=view.name, county=view.county_name)
    # the neighbour medians (codes GEO/STAT) get their style from components/linestyle.py like the places
    fig = trendfig.trend_figure(series, title=title, unit=unit, unit_label=label, decimals=dec, order=codes, height=420)
    table = tables.trend_table(series, unit=unit, unit_label=label, decimals=dec, indicator_name=pick(ind, "name"),
                               order=codes, table_id="profile-trend-table-table")
    return plain({"figure": fig, "table": table,
                  "source": controls.source_line(ind["source"], ind["licence"], ind["source_url"],
                                                 extra=_("Nabogruppene vises som median av kommunene")),
                  "label": trendfig.trend_summary(series, indicator_name=pick(ind, "name"), unit=unit, unit_label=label,
                                                  decimals=dec, order=codes)})


@callback(
    output=dict(figure=Output("profile-trend", "figure"), table=Output("profile-trend-table", "children"),
                source=Output("profile-trend-source", "children"),
                label=Output("profile-trend-container", "aria-label")),
    inputs=dict(knr=Input("profile-muni", "value"), indicator=Input("profile-indicator", "value")),
    prevent_initial_call=True,  # pages/profile.py puts the first answer in the layout
)
def update_profile_trend(knr, indicator):
    """Trend of one indicator: municipality, county, country, median of geographic and statistical neighbours."""
    code = cmp.valid_knr(knr)
    ind = store.indicator(indicator) if isinstance(indicator, str) else None
    if code is None or ind is None:
        if code is None:
            raise PreventUpdate
        return {"figure": mapfig.empty_figure(_("Ingen data"), height=420), "table": tables.no_data(), "source": "",
                "label": _("Linjediagram: ingen data")}
    return _trend(code, ind["id"], store.version(), CODE_VERSION)


clientside_callback(
    """
    function(knr, area, indicator) {
        if (!knr) { return window.dash_clientside.no_update; }
        var p = new URLSearchParams();
        p.set('knr', String(knr));
        if (area) { p.set('omrade', String(area)); }
        if (indicator) { p.set('indikator', String(indicator)); }
        return window.oaUrl.write(p, '/kommune');  // ?lang= kept, ?presentasjon=1, address bar (assets/70-present.js)
    }
    """,
    Output("profile-url-sync", "data"),
    Input("profile-muni", "value"),
    Input("profile-area", "value"),
    Input("profile-indicator", "value"),
)
