"""Callbacks of «Min kommune» (pages/profile.py). Plain module-level functions; tests call them directly,
e.g. ``update_profile("4601", "befolkning")`` or ``update_profile_trend("4601", "share_80plus")``.
Works for every catalogue indicator: nothing here names an indicator."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, callback, clientside_callback, dcc, html
from dash.exceptions import PreventUpdate

import store
from callbacks import comparison as cmp
from callbacks._cache import CODE_VERSION, memoize
from callbacks.overview import plain
from components import compare, controls, mapfig, tables
from components.share import PLOTLY_SHARE_BUTTONS, share_toolbar
from components import trend as trendfig
from components.format import format_number, format_value
from components.i18n import _, current_lang, pick



def _fact(label: str, value: str) -> html.Div:
    return html.Div([html.Dt(label, className="small text-body-secondary"), html.Dd(value, className="fs-5 fw-semibold mb-0")],
                    className="fact")


def header(knr: str) -> html.Section:
    reg = store.region(knr)
    feats = {f["feature"]: f["value"] for f in store.comparison_features([knr]).to_dict("records")}
    year = store.reference_year()
    facts = [_fact(_("Fylke"), f"{reg['county_name']} ({reg['county_code']})"),
             _fact(_("Kommunenummer"), knr)]
    for ind_id, label in (("population", _("Folkemengde")), ("share_80plus", _("Andel 80+")),
                          ("median_age", _("Medianalder"))):
        if store.indicator(ind_id) and year:
            ind = store.indicator(ind_id)
            v = cmp.stats(ind_id, year)["snap"].at[knr, "value"]
            facts.append(_fact(f"{label} {year}", format_value(v, ind["unit"], int(ind["decimals"]), pick(ind, "unit"))))
    if "growth_10y" in feats:
        facts.append(_fact(_("Vekst siste 10 år"), format_value(feats["growth_10y"], "percent", 1)))
    if "log_density" in feats:
        facts.append(_fact(_("Innbyggere per km²"), format_number(feats["log_density"], 1)))
    return html.Section([
        html.H2(reg["name"], className="h4 mb-2", id="profile-name"),
        html.Dl(facts, className="facts"),
    ], className="profile-header", **{"aria-labelledby": "profile-name"})


@memoize()
def _profile_body(knr: str, area: str | None, version: str, code_version: str = CODE_VERSION):
    reg = store.region(knr)
    county_name = reg["county_name"]
    rows = cmp.profile_rows(knr, area)
    areas = {r["id"]: pick(r, "name") for r in store.service_areas().to_dict("records")}
    area_name = areas.get(area, _("Alle tjenesteområder"))
    title = _("{municipality}: {area} mot landet og {county}").format(municipality=reg["name"], area=area_name.lower(),
                                                                     county=county_name)
    n_county = len(store.municipalities(reg["county_code"]))
    fig = compare.spine_figure(rows, muni_name=reg["name"], county_name=county_name, title=title)
    sources = sorted({r["source"] for r in rows})
    licences = sorted({str(store.indicator(r["id"])["licence"]) for r in rows})
    summary = "; ".join(f"{r['name']}: {compare.value_with_ci(r)}, "
                        + compare.bench_phrase(r["bench_country"], _("landet"))
                        for r in rows)
    geo = cmp.geo_neighbours(knr)
    stat = cmp.stat_neighbours(knr)
    heads = cmp.headline_indicators(area)  # the neighbours' care services beside population and share 80+
    vals = cmp.neighbour_values([knr] + [r["code"] for r in geo] + [r["code"] for r in stat], heads)
    services = (cmp.neighbour_headers(heads), vals)
    self_row = (reg["name"], vals[knr])
    why = cmp.why_features(knr)
    comparison = store.manifest().get("comparison", {})
    method = comparison.get("method_en" if current_lang() == "en" else "method") or comparison.get("method", "")
    intervals = comparison.get("intervals_en" if current_lang() == "en" else "intervals") or comparison.get(
        "intervals", "")
    # the build writes these two texts in bokmål only: marked lang="nb" inside an English page (WCAG 3.1.2)
    nb_only = {"lang": "nb"} if current_lang() != "nb" and not comparison.get("method_en") else {}
    body = html.Div([
        header(knr),
        html.Section([
            html.H2(_("Profil: {area}").format(area=area_name), className="h5 mt-3", id="spine-heading"),
            html.P(controls.source_line("; ".join(sources), ", ".join(licences), None,
                                        extra=_("Siste år med data (til og med {year})").format(
                                            year=store.reference_year())),
                   className="source-line small"),
            compare.legend(),
            share_toolbar("kommune-profil"),
            # the figure's own height reserved before plotly.js has drawn it (no layout shift)
            html.Div(dcc.Graph(id="profile-spine", figure=fig, style={"minHeight": f"{fig['layout']['height']}px"},
                               config={"displaylogo": False, "modeBarButtonsToRemove": PLOTLY_SHARE_BUTTONS,
                                       "toImageButtonOptions": {"format": "png", "scale": 2,
                                                                "filename": f"omsorgsatlas-profil-{knr}"}}),
                     role="figure", id="profile-spine-container",
                     **{"aria-label": _("Ryggradsdiagram for {municipality}. {summary}. Se tabellen under.").format(
                         municipality=reg["name"], summary=summary)}),
            html.P(_("Grå søyle: spennet blant alle kommunene (mørk: den midterste halvdelen). Strek: landet. "
                     "◆: fylket. Kommunen vises med ▲ (over landet), ▼ (under) eller ● (ingen sikker forskjell), "
                     "og med ■ der tallet ikke har intervall (fargen viser da femtedelen blant kommunene)."),
                   className="small"),
            html.Div(compare.profile_table(rows, county_name=county_name, n_munis=len(store.municipalities()),
                                           n_county=n_county),
                     className="table-scroll wide", tabIndex="0", role="region",
                     **{"aria-label": _("Tabell: profilen")}),
            html.P(intervals, className="small mt-1", **nb_only),
        ], **{"aria-labelledby": "spine-heading"}),
        html.Section([
            html.H2(_("Naboer og kommuner som ligner"), className="h5 mt-4", id="neighbours-heading"),
            dbc.Row([
                dbc.Col(html.Div(compare.geo_neighbour_table(geo, area, services, self_row), className="table-scroll wide", tabIndex="0",
                                 role="region", **{"aria-label": _("Geografiske naboer")}), lg=6),
                dbc.Col(html.Div(compare.stat_neighbour_table(stat, area, services, self_row), className="table-scroll wide", tabIndex="0",
                                 role="region", **{"aria-label": _("Statistiske naboer")}), lg=6),
            ]),
            html.H3(_("Hvorfor ligner de?"), className="h6 mt-3"),
            html.P(method, className="small", **nb_only),
            html.Div(compare.why_table(why, reg["name"]), className="table-scroll wide", tabIndex="0", role="region",
                     **{"aria-label": _("Trekk bak de statistiske naboene")}),
        ], **{"aria-labelledby": "neighbours-heading"}),
    ])
    return plain(body)


@callback(
    output=dict(body=Output("profile-body", "children"), trend_hidden=Output("profile-trend-section", "hidden")),
    inputs=dict(knr=Input("profile-muni", "value"), area=Input("profile-area", "value")),
)
def update_profile(knr, area=None):
    """Header, spine chart + table, neighbour tables for the selected municipality and service area."""
    code = cmp.valid_knr(knr)
    if code is None:
        return {"body": html.P(_("Velg en kommune for å se profilen."), className="lead mt-3"), "trend_hidden": True}
    return {"body": _profile_body(code, cmp.valid_area(area), store.version(), CODE_VERSION), "trend_hidden": False}


@memoize()
def _trend(knr: str, indicator_id: str, version: str, code_version: str = CODE_VERSION) -> dict:
    ind = store.indicator(indicator_id)
    reg = store.region(knr)
    series = cmp.neighbour_trend_series(indicator_id, knr)
    ref = store.reference_year()
    series = series[series["year"] <= ref] if ref else series
    codes = list(dict.fromkeys(series["region_code"]))
    unit, label, dec = ind["unit"], pick(ind, "unit"), int(ind["decimals"])
    title = _("{indicator}: {municipality} mot {county}, landet og naboene").format(
        indicator=pick(ind, "name"), municipality=reg["name"], county=reg["county_name"])
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
        if (window.oaUrl) { window.oaUrl.keep(p); }  // keeps ?lang=, writes ?presentasjon=1 (assets/70-present.js)
        var qs = '?' + p.toString();
        if (window.location.pathname === '/kommune' && window.location.search !== qs) {
            window.history.replaceState(window.history.state, '', window.location.pathname + qs + window.location.hash);
        }
        return qs;
    }
    """,
    Output("profile-url-sync", "data"),
    Input("profile-muni", "value"),
    Input("profile-area", "value"),
    Input("profile-indicator", "value"),
)
