"""«Befolkning og behov» – age structure, ageing, care ratio, projection to 2040 and «Hva kreves».
Layout only (callbacks/population.py wires it). The tables arrive as pre-rendered HTML blocks
(components/htmlblock.py): as Dash components they were ~1 000 of the page's ~1 400 and cost seconds.

URL: /befolkning?kommune=4601 | ?fylke=46 (default: the whole country), &ar=2035, &aldersgrupper=1|5;
validated by components.popstate; anything unusable falls back to the default with a visible note.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

import store
from components import need as needc
from components import track as trackc
from components.format import format_number
from components.firstview import fill
from components.deferred import Deferred
from components.htmlblock import html_block
from components.popstate import parse_population_query
from components.tables import html_table
from components.share import PLOTLY_SHARE_BUTTONS, share_toolbar
from components import controls, popstate
from components import pyramid as pyr
from store import demography as dem
from components.i18n import N_, _, lazy, page_title, pick

dash.register_page(
    __name__,
    path="/befolkning",
    name=N_("Befolkning og behov"),
    title=page_title(N_("Befolkning og behov")),
    description=lazy(N_("Aldersprofil, eldrebølgen og framskriving til 2040 for kommuner og fylker, og hva som "
                        "kreves av årsverk og plasser hvis dagens dekning holder.")),
    order=3,
)

GRAPH_CONFIG = {
    "displaylogo": False,
    "scrollZoom": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "zoom2d", "pan2d", "zoomIn2d", "zoomOut2d",
                               *PLOTLY_SHARE_BUTTONS],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}
OWN_BASIS = "egen"


def graph_config(filename: str) -> dict:
    return {**GRAPH_CONFIG, "toImageButtonOptions": {**GRAPH_CONFIG["toImageButtonOptions"], "filename": filename}}


def region_options() -> list[dict]:
    opts = [{"label": _("Hele landet"), "value": "NO"}]
    opts += [{"label": _("{name} (fylke)").format(name=r.name), "value": str(r.region_code)}
             for r in store.counties().itertuples()]
    opts += [{"label": f"{r.name} ({r.region_code}, {r.county_name})", "value": str(r.region_code)}
             for r in store.municipalities().itertuples()]
    return opts


def year_marks(first: int, last_observed: int, last: int) -> dict:
    marks = {}
    for y in range(first, last + 1):
        if y in (first, last_observed, last) or (y % 5 == 0 and abs(y - last_observed) > 2 and y - first > 2):
            proj = y > last_observed
            marks[y] = {"label": str(y), "style": {"color": "#a33d00" if proj else "#1a1a1a",
                                                   "fontWeight": 700 if y == last_observed else 400}}
        else:
            marks[y] = ""
    return marks


def coverage_indicators() -> list[dict]:
    """Catalogue indicators that express coverage of inhabitants aged 80+: per 1 000 (unit 'per1000' and 80+ in
    the name, definition or notes), then the KOSTRA shares of residents 80+ (components.need.KOSTRA_COVERAGE)
    that the catalogue holds."""
    cat = store.catalog()
    out = []
    for r in cat.itertuples():
        if str(r.unit) != "per1000" or str(r.id).endswith("_projected"):
            continue
        text = " ".join(str(x or "") for x in (r.name_nb, r.definition_nb, r.notes))
        if "80+" in text or "80 år" in text:
            out.append({"id": str(r.id), "name": pick(r, "name")})
    ids = set(cat.index) if cat.index.name == "id" else set(cat["id"])
    for iid, _label, _lower in needc.KOSTRA_COVERAGE:
        if iid in ids:
            out.append({"id": iid, "name": pick(store.indicator(iid), "name")})
    return out


def backtest_table(manifest: dict):
    """The backtest (every window) from manifest.json, as a table: our method as used (ten-year base,
    unconstrained), calibrated to SSB's vintage of the start year, with the earlier five-year base, and the
    plain cohort-change-ratio baseline."""
    bt = (manifest.get("projection") or {}).get("backtest") or {}
    ours = bt.get("method") or {}
    others = [bt.get(k) or {} for k in ("calibrated", "base_5", "baseline")]
    rows = []
    for key, w in (ours.get("windows") or {}).items():
        ow = [(o.get("windows") or {}).get(key, {}).get("groups", {}) for o in others]
        for g in BACKTEST_GROUP_ORDER:
            r = w.get("groups", {}).get(g)
            if r is None:
                continue
            row = [key.replace("-", "→"), g, format_number(r.get("median_ape"), 1)]
            row += [format_number(o.get(g, {}).get("median_ape"), 1) for o in ow]
            row += [format_number(r.get("national_pe"), 1)]
            row += [format_number(o.get(g, {}).get("national_pe"), 1) for o in ow]
            rows.append(row)
    if not rows:
        return html.P(_("Tilbaketesten finnes ikke i denne databyggingen."))
    headers = [_("Periode"), _("Alder"), _("Median avvik %: metoden"), _("avstemt mot SSB"), _("5 års grunnlag"),
               _("Grunnmodell"), _("Landet avvik %: metoden"), _("avstemt mot SSB"), _("5 års grunnlag"),
               _("Grunnmodell")]
    return html_table(headers, rows, numeric=range(2, len(headers)), table_id="backtest-table",
                      caption=_("Tilbaketest med bare data fram til startåret: absolutt avvik per kommune (median) og "
                                "landets avvik. Metoden: ti års flyttegrunnlag, uten avstemming; avstemt mot SSB: "
                                "samme, avstemt mot SSBs nasjonale framskriving fra startåret (hovedalternativet); "
                                "5 års grunnlag: den tidligere flytteperioden; grunnmodell: rene kohortendringsrater"))


BACKTEST_GROUP_ORDER = ("total", "20-66", "67-79", "80-89", "90+", "80+")


def _label(text, html_for):
    return html.Label(text, htmlFor=html_for, className="form-label fw-semibold mb-1", id=f"{html_for}-label")


def _figure_block(prefix: str, heading: str, aria: str, table_label: str, height: int = 400):
    return [
        # the chart is drawn when it comes into view (components/deferred.py), an empty box of the chart's height
        # holding its place meanwhile; the callbacks write Output("{prefix}-graph", "figure") as usual (a figure
        # changed while the chart waits is the one drawn). No chart in view: plotly.js is not even loaded.
        html.Div(Deferred(dcc.Graph(id=f"{prefix}-graph", config=graph_config(f"omsorgsatlas-{prefix}")),
                          height=height),
                 # min-height: the place stays while plotly.js loads and draws
                 id=f"{prefix}-container", role="figure", style={"minHeight": f"{height}px"},
                 **{"aria-label": aria}),
        html.Details([html.Summary(_("Vis tabell")),
                      *html_block(f"{prefix}-table", className="table-scroll", tabIndex="0", role="region",
                                  **{"aria-label": table_label})], className="mt-2"),
        share_toolbar(SHARE_CHARTS[prefix]),
    ]


SHARE_CHARTS = {"profile": "befolkning-aldersprofil", "groups": "befolkning-eldre", "care": "befolkning-omsorgsressurs",
                "track": "befolkning-treffsikkerhet"}


def track_section(age: str, vintage: str, vintages: list[int]):
    """«Hvor godt traff framskrivingene?»: SSB's national projections 2005–2022 and ours against the observed."""
    age_opts = [{"label": _(v), "value": k} for k, v in trackc.AGE_GROUPS.items()]
    vint_opts = [{"label": _("Alle årganger"), "value": trackc.ALL}] + [
        {"label": str(v), "value": str(v)} for v in vintages]
    return html.Section([
        html.H2(_("Hvor godt traff framskrivingene?"), className="h4", id="track-heading"),
        html.P(_("SSBs nasjonale befolkningsframskrivinger fra 2005 til 2022 (hovedalternativet) sammenlignet med "
                 "den registrerte befolkningen 1. januar i årene etter, og Omsorgsatlas' metode kjørt fra de samme "
                 "startårene med bare data fram til startåret. Positivt avvik betyr at framskrivingen var for høy. "
                 "Framskrivingene fra 2024 og 2026 har for få år å sammenligne med."), className="mb-2"),
        dbc.Row([
            dbc.Col([_label(_("Aldersgruppe"), "track-age"),
                     dcc.Dropdown(id="track-age", options=age_opts, value=age, clearable=False, searchable=False)],
                    md=4),
            dbc.Col([_label(_("Framskriving (startår)"), "track-vintage"),
                     dcc.Dropdown(id="track-vintage", options=vint_opts, value=vintage, clearable=False,
                                  searchable=True)], md=4),
        ], className="mb-2 oa-controls"),
        html.P(id="track-summary", className="mb-2", role="status", **{"aria-live": "polite"}),
        *_figure_block("track", _("Treffsikkerhet"), _("Linjediagram: avvik fra registrert befolkning"),
                       _("Tabell: framskrevet mot registrert befolkning"), height=460),
        html.H3(_("Gjennomsnittlig avvik etter antall år fram"), className="h6 mt-3"),
        *html_block("track-horizon", className="table-scroll", tabIndex="0", role="region",
                    **{"aria-label": _("Tabell: gjennomsnittlig avvik etter antall år fram")}),
        html.P(_("Kilde: SSB, nasjonale befolkningsframskrivinger 2005–2022 (tabell 05904 til 13600) og "
                 "befolkning 1. januar (tabell 07459), NLOD 2.0. Beregning: Omsorgsatlas."),
               className="source-line small mt-1"),
    ], className="mb-4", id="track-section", **{"aria-labelledby": "track-heading"})


def _need_section(indicators: list[dict]):
    basis_options = [{"label": _("Egen verdi (skriv inn)"), "value": OWN_BASIS}] + [
        {"label": _("Fra katalogen: {name}").format(name=i["name"]), "value": i["id"]} for i in indicators]
    catalogue_note = (
        _("Katalogen har ennå ingen indikator for dekningsgrad per 1 000 innbyggere 80 år og over, så bare egen "
          "verdi kan velges.") if not indicators else
        _("Verdien fra katalogen er siste tilgjengelige tall for regionen, ellers for fylket (KOSTRA-andelene) "
          "eller landet.")
    )
    kostra = html.Div([
        html.H3(_("Med dagens dekning fra KOSTRA"), className="h5", id="need-kostra-heading"),
        html.P(_("Hvor mange innbyggere 80 år og over vil motta hjemmetjenester eller bo i institusjon i 2030, 2035 og "
                 "2040 hvis kommunens dekning fra 2025 holder? Dekningen er SSBs KOSTRA-tall (andel av innbyggerne "
                 "80 år og over); fylkets og landets dekning kan velges til sammenligning."), className="mb-2"),
        dbc.Row([
            dbc.Col(html.Fieldset([
                html.Legend(_("Dekning"), className="form-label fw-semibold mb-1 fs-6"),
                dbc.RadioItems(id="need-kostra-basis", value="egen", name="need-kostra-basis",
                               options=[{"label": _(v), "value": k} for k, v in needc.COVERAGE_BASES.items()]),
            ]), md=12, lg=3, className="oa-controls"),
            dbc.Col([
                html.Div(id="need-kostra-message", role="status", **{"aria-live": "polite"}),
                *html_block("need-kostra-table", className="table-scroll mb-2", tabIndex="0", role="region",
                            **{"aria-label": _("Tabell: mottakere og beboere 80+ med dagens dekning")}),
                html.H4(_("Metode og forutsetninger"), className="h6 mt-2"),
                html.Ul(id="need-kostra-assumptions", className="small"),
                html.P(id="need-kostra-source", className="source-line small"),
            ], md=12, lg=9),
        ]),
    ], className="mb-4", id="need-kostra")
    return html.Section([
        html.H2(_("Hva kreves?"), className="h4", id="need-heading"),
        kostra,
        html.H3(_("Med en dekningsgrad du velger"), className="h5", id="need-own-heading"),
        html.P(_("Hvor mange årsverk, mottakere eller plasser trengs i 2030, 2035 og 2040 hvis dagens dekning "
                 "per innbygger i aldersgruppen holder? Velg grunnlag og skriv inn en dekningsgrad."), className="mb-2"),
        dbc.Row([
            dbc.Col([
                html.Fieldset([
                    html.Legend(_("Grunnlag for dekningsgraden"), className="form-label fw-semibold mb-1 fs-6"),
                    dbc.RadioItems(id="need-basis", options=basis_options, value=indicators[0]["id"] if indicators
                                   else OWN_BASIS, name="need-basis"),
                    html.P(catalogue_note, className="form-text mb-2", id="need-basis-note"),
                ], className="mb-2"),
                html.Div([
                    _label(_("Dekningsgrad"), "need-value"),
                    dcc.Input(id="need-value", type="text", inputMode="decimal", value="", debounce=0.5,
                              className="form-control", placeholder=_("f.eks. 350 eller 12,5"), autoComplete="off"),
                ], className="mb-2"),
            ], md=6, lg=4, className="oa-controls"),
            dbc.Col([
                html.Div([_label(_("Enhet"), "need-unit"),
                          dcc.Dropdown(id="need-unit", clearable=False, searchable=False, value="per1000",
                                       options=[{"label": _(v), "value": k} for k, v in needc.UNIT_LABELS.items()])],
                         className="mb-2"),
                html.Div([_label(_("Hva telles"), "need-what"),
                          dcc.Dropdown(id="need-what", clearable=False, searchable=False, value="arsverk",
                                       options=[{"label": _(v[1]), "value": k} for k, v in needc.WHAT.items()])],
                         className="mb-2"),
                html.Div([_label(_("Aldersgruppe"), "need-age"),
                          dcc.Dropdown(id="need-age", clearable=False, searchable=False, value="80+",
                                       options=[{"label": _(v), "value": k} for k, v in needc.AGE_BASES.items()])],
                         className="mb-2"),
            ], md=6, lg=3, className="oa-controls"),
            dbc.Col([
                html.Div(id="need-message", role="alert", **{"aria-live": "assertive"}),
                *html_block("need-table", className="table-scroll mb-2", tabIndex="0", role="region",
                            **{"aria-label": _("Tabell: framskrevet behov")}),
                html.H3(_("Forutsetninger"), className="h6 mt-2"),
                html.Ul(id="need-assumptions", className="small"),
                html.P(id="need-source", className="source-line small"),
                dbc.Button(_("Last ned tabellen (CSV)"), id="need-download-button", color="primary", outline=True,
                           size="sm", disabled=True),
                dcc.Download(id="need-download"),
            ], md=12, lg=5),
        ]),
    ], className="mb-4 need-section", **{"aria-labelledby": "need-heading"})


def layout(**query):
    try:
        d = dem.load()
    except store.StoreError as exc:
        return dbc.Container([html.H1(_("Befolkning og behov"), className="h3 mt-3"),
                              dbc.Alert([_("Framskrivingen kan ikke vises:") + " ", str(exc).split(": ", 1)[-1]],
                                        color="danger")], fluid=True)
    years = tuple(int(y) for y in d.years)
    counties = {str(r.region_code): str(r.name) for r in store.counties().itertuples()}
    munis = {str(r.region_code): (str(r.name), str(r.county_code)) for r in store.municipalities().itertuples()}
    parsed = parse_population_query(query, counties=counties, municipalities=munis, years=years,
                                    default_year=d.last_observed)
    st = parsed.state
    # the picker starts with the chosen region's option only: indexing ~370 options for its search took ~0.4 s
    # of main thread on every load; all of them are put in on first use (callbacks/lazy_options.py)
    regions = region_options()
    chosen, regions_all = controls.lazy_options("pop-region", regions, st.region)
    chosen = chosen or regions[:1]
    url_note = dbc.Alert([html.Strong(_("Merk:") + " "), *[html.Span([n, " "]) for n in parsed.notes]], id="pop-url-note",
                         color="warning", is_open=bool(parsed.notes), dismissable=True, className="mt-3")
    manifest = store.manifest()
    proj_info = manifest.get("projection") or {}
    missing = proj_info.get("variants_missing") or []
    headline = d.variants[0] if d.variants else None
    variant_names = popstate.variant_label(headline) if headline else _("ingen")
    others = [v for v in d.variants[1:]]
    track_age = query.get("aldersgruppe") if query.get("aldersgruppe") in trackc.AGE_GROUPS else trackc.DEFAULT_AGE
    try:
        vintages = sorted(int(v) for v in dem.track()["vintage"].unique())
    except store.StoreError:
        vintages = []
    track_vintage = str(query.get("argang")) if str(query.get("argang")) in {str(v) for v in vintages} else trackc.ALL
    groups_mode = "index" if query.get("visning") == "indeks" else "count"
    indicators = coverage_indicators()
    page = dbc.Container([
        html.H1(_("Befolkning og behov"), className="h3 mt-3 mb-1"),
        html.P([_("Aldersprofil, eldrebølgen og omsorgsressurs 2005–2040. Tall til og med") + " ",
                html.Strong(str(d.last_observed)), " " + _("er registrert (SSB, 1. januar);") + " ",
                html.Strong("2027–2040"),
                " " + _("er framskrevet:") + " ", html.Span(variant_names, className="proj-badge", id="pop-variant"),
                "."] + ([" " + _("Hovedtallene bruker {main}; spennet lav–høy viser SSBs alternativ {low} og {high}.")
                         .format(main=popstate.alternative_name(dem.DEFAULT_VARIANT),
                                 low=popstate.alternative_name(dem.LOW_VARIANT),
                                 high=popstate.alternative_name(dem.HIGH_VARIANT))] if d.has_band else []),
               className="mb-2"),
        url_note,
        dbc.Row([
            dbc.Col([_label(_("Kommune, fylke eller hele landet"), "pop-region"),
                     dcc.Dropdown(id="pop-region", options=chosen, value=st.region, clearable=False,
                                  placeholder=_("Skriv for å søke"), optionHeight=40, maxHeight=420),
                     regions_all], lg=5, md=7),
        ], className="mb-3 oa-controls"),
        html.Details([
            html.Summary(_("Om framskrivingen og tilbaketesten")),
            html.P(pick(proj_info, "method"), className="small mt-2"),
            *([html.P(_("Til sammenligning finnes også: {names}.").format(
                names="; ".join(popstate.variant_label(v) for v in others)), className="small")] if others else []),
            *[html.P(pick(m, "reason"), className="small") for m in missing],
            *html_block("pop-backtest", backtest_table(manifest), className="table-scroll", tabIndex="0",
                        role="region", **{"aria-label": _("Tabell: tilbaketest av framskrivingen")}),
        ], className="mb-3", id="pop-method"),

        html.Section([
            html.H2(id="pop-heading", className="h4"),
            # the key figures as markup (callbacks/population.py: _summary; written by assets/65-markup.js)
            html.Div(id="pop-cards", className="oa-html"),
            html.P(id="pop-rank", className="mt-2 mb-0"),
        ], className="mb-4", **{"aria-labelledby": "pop-heading"}),

        dbc.Row([
            dbc.Col(html.Section([
                html.H2(_("Aldersprofil"), className="h5", id="profile-heading"),
                dbc.Row([
                    dbc.Col([_label(_("År"), "pop-year"),
                             dcc.Slider(id="pop-year", min=years[0], max=years[-1], step=1, value=st.year,
                                        marks=year_marks(years[0], d.last_observed, years[-1]), included=False,
                                        updatemode="mouseup", allow_direct_input=False,
                                        tooltip={"placement": "bottom", "always_visible": False},
                                        className="year-slider pop-year-slider"),
                             html.P([html.Span("■ ", className="key-observed", **{"aria-hidden": "true"}),
                                     f"{years[0]}–{d.last_observed}: " + _("registrert") + " · ",
                                     html.Span("▨ ", className="key-projected", **{"aria-hidden": "true"}),
                                     f"{d.last_observed + 1}–{years[-1]}: " + _("framskrevet")],
                                    className="small mb-1 slider-key"),
                             html.P(id="pop-year-status", className="fw-semibold mb-1", role="status",
                                    **{"aria-live": "polite"})], md=8),
                    dbc.Col(html.Fieldset([
                        html.Legend(_("Alder"), className="form-label fw-semibold mb-1 fs-6"),
                        dbc.RadioItems(id="pop-width", options=[{"label": _("Ettårig"), "value": 1},
                                                                {"label": _("Femårige grupper"), "value": 5}],
                                       value=st.width, name="pop-width"),
                    ]), md=4),
                ], className="oa-controls"),
                html.P(_("Dataene er ikke fordelt på kjønn, så figuren viser begge kjønn samlet (ikke en "
                         "tosidig befolkningspyramide). Prikket linje: siste registrerte år."), className="small mb-1"),
                *_figure_block("profile", _("Aldersprofil"), _("Stolpediagram: aldersprofil"),
                               _("Tabell: innbyggere etter alder"), height=620),
                html.P(id="profile-source", className="source-line small mt-1"),
            ], **{"aria-labelledby": "profile-heading"}), lg=6, className="mb-4"),
            dbc.Col([
                html.Section([
                    html.H2(_("Eldre over tid"), className="h5", id="groups-heading"),
                    dbc.RadioItems(id="pop-groups-mode", options=[{"label": _("Antall"), "value": "count"},
                                                                  {"label": _("Indeks (2026 = 100)"), "value": "index"}],
                                   value=groups_mode, inline=True,
                                   name="pop-groups-mode", className="mb-1 oa-controls"),
                    *_figure_block("groups", _("Eldre over tid"), _("Linjediagram: antall eldre"),
                                   _("Tabell: antall eldre og omsorgsressurs"), height=pyr.GROUPS_HEIGHT),
                ], className="mb-4", **{"aria-labelledby": "groups-heading"}),
                html.Section([
                    html.H2(_("Omsorgsressurs"), className="h5", id="care-heading"),
                    html.P(_("Personer i alderen 20–66 år per person 80 år og over (potensielle omsorgsytere per "
                             "eldre), sammenlignet med fylket og landet."), className="small mb-1"),
                    *_figure_block("care", _("Omsorgsressurs"), _("Linjediagram: omsorgsressurs"),
                                   _("Tabell: omsorgsressurs over tid")),
                ], **{"aria-labelledby": "care-heading"}),
            ], lg=6, className="mb-4"),
        ]),
        html.Section([
            html.H2(_("Sammenligning med fylket og landet"), className="h5", id="compare-heading"),
            *html_block("pop-compare", className="table-scroll", tabIndex="0", role="region",
                        # not the section's name again (axe: landmark-unique)
                        **{"aria-label": _("Tabell: {title}").format(title=_("Sammenligning med fylket og landet"))}),
            html.P(id="pop-source", className="source-line small mt-1"),
        ], className="mb-4", **{"aria-labelledby": "compare-heading"}),
        _need_section(indicators),
        track_section(track_age, track_vintage, vintages),
        dcc.Store(id="profile-key", data=None),
        dcc.Store(id="pop-url-sync", data=None),
    ], fluid=True, className="page-population")
    # the first view as the callbacks would answer it, written into the layout (callbacks/population.py:
    # first_view): the page arrives complete, without a round of callbacks on load
    from callbacks import population as callbacks  # the page's own wiring; it imports nothing from pages/
    fill(page, callbacks.first_view(st.region, st.year, st.width, groups_mode,
                                     indicators[0]["id"] if indicators else OWN_BASIS, track_age, track_vintage))
    return page
