"""«Tiltak og tilskudd» – the Kompetanseløft 2025/2020 measures and the grant money by area. Layout only
(callbacks/measures.py wires the table and the detail view).

URL: /tiltak?tiltak=K2025-1.16 opens that measure's detail view; ?sok=psykolog pre-fills the search.
Unknown values fall back to the default view with a visible note.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

import store
from components import measures as mc
from components import personnel as pc
from components.share import PLOTLY_SHARE_BUTTONS, share_toolbar
from components.urlstate import _single, shown
from store import personnel as sp
from components.i18n import N_, _, lazy, page_title, pick

dash.register_page(
    __name__,
    path="/tiltak",
    name=N_("Tiltak og tilskudd"),
    title=page_title(N_("Tiltak og tilskudd")),
    description=lazy(N_("Tiltakene i Kompetanseløft 2025 og 2020, og tilskuddsmidler etter statsforvalterområde og "
                        "fylke.")),
    order=6,
)

GRAPH_CONFIG = {
    "displaylogo": False, "scrollZoom": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "zoom2d", "pan2d", "zoomIn2d", "zoomOut2d",
                               *PLOTLY_SHARE_BUTTONS],
    "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "omsorgsatlas-tilskudd"},
}
MAX_QUERY = 100


def parse_measures_query(params) -> tuple[str | None, str, list[str]]:
    """(measure id or None, search text, notes). Never raises."""
    notes: list[str] = []
    params = params if isinstance(params, dict) else {}
    mid = None
    raw = _single(params, mc.P_MEASURE, notes)
    if raw is not None:
        if sp.measure(raw) is not None:
            mid = raw
        elif sp.measure(raw.upper()) is not None:
            mid = raw.upper()
        else:
            notes.append(_("Ukjent tiltak «{value}» – viser listen.").format(value=shown(raw)))
    q = _single(params, mc.P_QUERY, notes) or ""
    q = q[:MAX_QUERY]
    return mid, q, notes


def _label(text: str, html_for: str) -> html.Label:
    return html.Label(text, htmlFor=html_for, className="form-label fw-semibold mb-1", id=f"{html_for}-label")


def strategy_options() -> list[dict]:
    return [{"label": f"{r.plan} {r.code}: {r.name}", "value": r.code} for r in sp.strategy_areas().itertuples()]


def _filters(query: str) -> html.Div:
    return dbc.Row([
        dbc.Col([
            _label(_("Søk i tiltakene"), "measures-search"),
            dcc.Input(id="measures-search", type="search", value=query, debounce=0.4, maxLength=MAX_QUERY,
                      placeholder=_("F.eks. psykolog, demens, 0761.68"), className="form-control",
                      autoComplete="off"),
        ], md=6, lg=3, className="mb-2"),
        dbc.Col([
            html.Fieldset([
                html.Legend(_("Plan"), className="form-label fw-semibold mb-1 fs-6", id="measures-plan-label"),
                dbc.Checklist(id="measures-plan", options=[{"label": n, "value": p} for p, n in mc.PLAN_NB.items()],
                              value=list(mc.PLAN_NB), inline=True),
            ]),
        ], md=6, lg=3, className="mb-2"),
        dbc.Col([
            _label(_("Strategiområde"), "measures-strategy"),
            dcc.Dropdown(id="measures-strategy", options=strategy_options(), value=[], multi=True,
                         placeholder=_("Alle strategiområder"), optionHeight=50),
        ], md=6, lg=3, className="mb-2"),
        dbc.Col([
            _label(_("Budsjettkapittel"), "measures-chapter"),
            dcc.Dropdown(id="measures-chapter", options=[{"label": _("Kap. {chapter}").format(chapter=c), "value": c}
                                                         for c in sp.budget_chapters()],
                         value=[], multi=True, placeholder=_("Alle kapitler")),
            dbc.Checklist(id="measures-result", options=[{"label": _("Bare tiltak med rapportert resultat"),
                                                          "value": "ja"}], value=[], className="mt-1"),
        ], md=6, lg=3, className="mb-2"),
    ], className="measures-filters oa-controls")


# ------------------------------------------------------------------------------------------ grants
def _split_area_series(kind: str) -> list[tuple[str, list[str], str | None]]:
    """(series, part ids, total id) for the area indicators of one kind, grouped by catalogue series."""
    ids = sp.area_indicators(kind)
    out: dict[str, tuple[list[str], str | None]] = {}
    for i in ids:
        ind = store.indicator(i) or {}
        series = ind.get("series") or i
        parts, total = out.setdefault(series, ([], None))
        if ind.get("total_id") == i or i == series:
            out[series] = (parts, i)
        else:
            parts.append(i)
    return [(s, parts, total) for s, (parts, total) in out.items()]


def grant_section() -> html.Section:
    blocks = []
    for series, parts, total in _split_area_series("statsforvalter_2021"):
        if not parts and not total:
            continue
        ids = parts + ([total] if total else [])
        frame = sp.area_table(ids)
        if frame.empty:
            continue
        cat = {i: store.indicator(i) for i in ids}
        part_cols = [(i, _part_label(cat[i])) for i in parts] or [(total, pick(cat[total], "name"))]
        first = cat[ids[0]]
        year = int(frame["year"].max())
        title = _("{name}, utbetalt {year}, etter statsforvalterområde").format(
            name=pick(first, "series_name") or pick(first, "name"), year=year)
        fig = mc.grant_figure(frame, part_cols, title=title)
        multi = [r for r in frame.itertuples() if not r.county_2024 and len(r.counties_2024_names) > 1]
        area_note = html.P([
            _("Statsforvalterområdene i {year} fulgte fylkene fra 2020–2023, ikke dagens fylker.").format(year=year),
            " ",
            *[html.Span(_("«{area}» dekker {counties}.").format(area=r.area_name,
                                                               counties=", ".join(r.counties_2024_names)) + " ")
              for r in multi],
            _("Tallene vises derfor per område, ikke som verdier for 2024-fylkene."),
        ], className="small area-note")
        columns = [(i, _part_label(cat[i]), "nok", 0, "kr") for i in parts]
        if total:
            columns.append((total, _("Sum"), "nok", 0, "kr"))
        table = pc.area_rows_table(frame, columns, caption=f"{title} (kr)", table_id="grant-table-table",
                                   area_header=_("Statsforvalterområde"))
        total_nat = sp.latest_value(total, year) if total else None
        nat = (" · " + _("Hele landet: {value}").format(value=pc.fmt(total_nat[1], 'nok', 0, 'kr'))
               if total_nat else "")
        blocks.append(html.Div([
            html.P(pc.source_block(pc.source_lines(sp.source_groups(ids)), sp.licences(ids),
                                   _("statsforvalterområder ({year})").format(year=year)) + [nat],
                   className="source-line small mb-1", id="grant-source"),
            area_note,
            html.Div(dcc.Graph(id="grant-graph", figure=fig, config=GRAPH_CONFIG), role="figure",
                     id="grant-figure", **{"aria-label": _grant_summary(frame, total or parts[0], title)}),
            html.Details([html.Summary(_("Vis tabell")),
                          html.Div(table, className="table-scroll", tabIndex="0", role="region",
                                   **{"aria-label": _("Tabell: tilskudd etter statsforvalterområde")})],
                         className="mt-1", open=True),
            pc.notes_block(sp.notes_for(ids[:1])),
            share_toolbar("tiltak-tilskudd"),
        ], className="mb-4"))
    if not blocks:
        blocks = [html.P(_("Ingen tilskuddstall per område i dataene."), className="no-data")]
    return html.Section([html.H2(_("Kompetanse- og innovasjonstilskuddet etter statsforvalterområde"), className="h5",
                                 id="grant-heading"), *blocks], **{"aria-labelledby": "grant-heading"},
                        className="mb-4")


def _part_label(ind: dict) -> str:
    for key in ("field", "occupation", "education", "target_group"):
        if ind.get(key):
            v = str(ind[key])
            return v[:1].upper() + v[1:]
    return pick(ind, "name")


def _grant_summary(frame, col: str, title: str) -> str:
    if col not in frame.columns:
        return _("Søylediagram: {title}.").format(title=title)
    top = frame.sort_values(col, ascending=False)
    parts = [f"{r.area_name}: {pc.fmt(getattr(r, col), 'nok', 0, 'kr')}" for r in top.itertuples()]
    return (_("Søylediagram: {title}.").format(title=title) + " " + "; ".join(parts) + ". "
            + _("Se tabellen for alle verdier."))


def psychologist_section() -> html.Section:
    blocks = []
    for series, parts, total in _split_area_series("county_2016"):
        ids = [i for i in parts + ([total] if total else [])]
        inds = {i: store.indicator(i) for i in ids}
        if len(ids) < 2:
            continue  # a single figure per area (e.g. sick leave in three counties) is on the Personell page
        frame = sp.area_table(ids)
        if frame.empty:
            continue
        order = sorted(ids, key=lambda i: {"count": 0, "percent": 1}.get(inds[i]["unit"], 2))
        columns = [(i, pick(inds[i], "name"), inds[i]["unit"], int(inds[i]["decimals"]), pick(inds[i], "unit"))
                   for i in order]
        name = pick(inds[ids[0]], "series_name") or pick(inds[ids[0]], "name")
        year = int(frame["year"].max())
        national = []
        for i in order:
            got = sp.latest_value(i, year)
            if got:
                national.append(f"{pick(inds[i], 'name')}: "
                                f"{pc.fmt(got[1], inds[i]['unit'], int(inds[i]['decimals']), pick(inds[i], 'unit'))}")
        blocks.append(html.Div([
            html.H3(_("{name} – etter fylke ({year}-inndeling)").format(name=name, year=year), className="h6",
                    id=f"area-{series}-heading"),
            html.P(pc.source_block(pc.source_lines(sp.source_groups(ids)), sp.licences(ids), _("fylker ({year}-inndeling)").format(year=year)),
                   className="source-line small mb-1"),
            html.P(_("Fylkene i {year} er ikke dagens fylker: kolonnen «Fylker i 2024» viser hvilke av dagens "
                     "fylker hvert område helt eller delvis ligger i.").format(year=year), className="small area-note"),
            html.Div(pc.area_rows_table(frame, columns,
                                        caption=_("{name}, {year}, etter fylke ({year})").format(name=name, year=year),
                                        table_id=f"area-{series}-table",
                                        area_header=_("Fylke ({year})").format(year=year)),
                     className="table-scroll", tabIndex="0", role="region",
                     **{"aria-labelledby": f"area-{series}-heading"}),
            html.P(_("Hele landet") + " – " + "; ".join(national), className="small") if national else None,
            pc.notes_block(sp.notes_for(ids)),
        ], className="mb-4"))
    return html.Section([html.H2(_("Tilskudd etter fylke"), className="h5", id="area-grants-heading"), *blocks],
                        **{"aria-labelledby": "area-grants-heading"}, className="mb-4")


def layout(**query):
    mid, q, notes = parse_measures_query(query)
    m = sp.measure(mid) if mid else None
    url_note = dbc.Alert([html.Strong(_("Merk:") + " "), *[html.Span([n, " "]) for n in notes]], id="measures-url-note",
                         color="warning", is_open=bool(notes), dismissable=True, className="mt-3")
    modal = dbc.Modal([
        dbc.ModalHeader(dbc.ModalTitle(f"{m['measure_id']}: {pick(m, 'title')}" if m else _("Tiltak"),
                                       id="measure-modal-title"), close_button=True),
        dbc.ModalBody(mc.detail_body(m) if m else None, id="measure-modal-body"),
        dbc.ModalFooter(html.Button(_("Lukk"), id="measure-modal-close", n_clicks=0, type="button",
                                    className="btn btn-secondary")),
    ], id="measure-modal", is_open=m is not None, size="lg",
        # not scrollable=True: a scrolling .modal-body with nothing focusable in it cannot be scrolled by
        # keyboard (axe: scrollable-region-focusable); the whole dialog scrolls instead (.modal has tabindex=-1)
        labelledby="measure-modal-title")
    return dbc.Container([
        html.H1(_("Tiltak og tilskudd"), className="h3 mt-3 mb-1"),
        html.P(_("Alle tiltakene i Kompetanseløft 2025 (73, resultater for 2021) og Kompetanseløft 2020 (52), "
                 "og hvordan tilskuddsmidlene fordelte seg geografisk."), className="lead-text mb-2"),
        url_note,
        html.Section([
            html.H2(_("Tiltakene"), className="h5", id="measures-heading"),
            _filters(q),
            html.P(id="measures-count", className="small fw-semibold mb-1", role="status",
                   **{"aria-live": "polite"}),
            html.Div(id="measures-table", className="table-scroll measures-scroll", tabIndex="0", role="region",
                     # not the section's name again (axe: landmark-unique)
                     **{"aria-label": _("Tabell: {title}").format(title=_("Tiltakene"))}),
            html.P(_("Kilde: Helsedirektoratet, Kompetanseløft 2025 – vedlegg om tiltak (2022); Regjeringen, "
                     "Kompetanseløft 2020 (2017), kap. 5. KL2020 oppgir ikke budsjettpost eller resultat; "
                     "K2025-vedlegget er delvis gjengitt på engelsk i kildegrunnlaget."),
                   className="source-line small mt-1"),
        ], className="mb-4", **{"aria-labelledby": "measures-heading"}),
        grant_section(),
        psychologist_section(),
        modal,
        dcc.Store(id="measure-selected", data=mid),
        dcc.Store(id="measures-url-sync", data=None),
    ], fluid=True, className="page-measures")
