"""Figures, tables and blocks of «Personell og kompetanse». Pure builders (dict figures, html components).

Colour is never the only cue: stacked bars carry a fill pattern per group, lines a marker symbol per group
(components/linestyle.py, the style every line chart shares: solid for registered values), and every chart
has a table behind it. Palette: Okabe–Ito (colour-blind safe), the same for a group's bar and line.
"""

from __future__ import annotations

import math
from typing import Sequence

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from components.format import MISSING, plotly_separators, format_value, unit_suffix
from components.mapfig import FONT, empty_figure
from components.tables import html_table, no_data
from components.i18n import N_, _, current_lang
from components.linestyle import CATEGORY_COLOURS, category_style, line_props

OKABE_ITO = list(CATEGORY_COLOURS)
PATTERNS = ["", "/", ".", "x", "\\", "+", "-", "|"]
LEVEL_NB = {"country": N_("nasjonalt"), "county": N_("fylke"), "municipality": N_("kommune")}  # _() where shown
MUNICIPALITY_NOTE = N_("Årsverk og kompetanse per kommune krever nettbasert bygging fra SSB (KOSTRA-tabellene "
                       "11996, 14533 og 14534) – ikke tilgjengelig i denne versjonen av dataene. Fastlegetallene "
                       "per fylke og kommune (SSB 12005) finnes: se «Fastlegelistene i fylkene» nedenfor og kartet.")
# store.personnel.DIMENSION_NB values (the store has no translations), shown as dimension_name()
DIMENSION_NAMES = {
    "occupation": N_("yrkesgruppe"), "field": N_("område"), "contract": N_("avtaleform"),
    "target_group": N_("målgruppe"), "age_group": N_("aldersgruppe"), "need_level": N_("bistandsbehov"),
    "education": N_("utdanning"),
}


def level_name(level: str) -> str:
    return _(LEVEL_NB[level]) if level in LEVEL_NB else level


def dimension_name(dimension: str) -> str:
    """"occupation+field" -> "yrkesgruppe og område" (in the UI language)."""
    parts = [_(DIMENSION_NAMES[d]) if d in DIMENSION_NAMES else d for d in str(dimension or "").split("+") if d]
    return (" " + _("og") + " ").join(parts) or _("gruppe")
COUNT_UNITS = ("count",)


def label_for(unit: str, unit_label: str | None) -> str | None:
    """Unit label to print after a number ("årsverk", "kr"); none for plain counts ("antall")."""
    return None if unit in COUNT_UNITS else unit_label


def fmt(value, unit: str, decimals: int, unit_label: str | None = None) -> str:
    return format_value(value, unit, decimals, label_for(unit, unit_label), missing=MISSING)


def _num(v):
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _style(i: int) -> dict:
    # colour and pattern cycle with different periods (8 and 7), so 56 groups stay distinct
    return {**category_style(i), "pattern": PATTERNS[i % (len(PATTERNS) - 1)]}


def _layout(title: str, unit: str, unit_label: str | None, height: int, years: Sequence[int],
            legend_rows: int = 1) -> dict:
    span = (max(years) - min(years)) if years else 0
    return {
        "title": {"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 15}},
        "separators": plotly_separators(),
        "font": {"family": FONT, "color": "#1a1a1a"},
        "xaxis": {"title": {"text": _("År")}, "tickformat": "d", "dtick": 1 if span <= 12 else 2, "showgrid": False,
                  "linecolor": "#767676", "tickvals": list(years) if len(years) <= 12 else None},
        "yaxis": {"title": {"text": unit_suffix(unit, label_for(unit, unit_label) or "")},
                  "gridcolor": "#e5e5e5", "zeroline": False, "separatethousands": True, "rangemode": "tozero"},
        "legend": {"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0, "xanchor": "left",
                   "x": 0, "font": {"size": 12}},
        "hovermode": "x unified",
        "modebar": {"orientation": "v"},
        "margin": {"l": 70, "r": 20, "t": 50, "b": 70 + 21 * legend_rows},
        "height": height,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
    }


def _legend_rows(n_groups: int) -> int:
    return (n_groups + 1) // 2


def _height(n_groups: int, base: int = 340) -> int:
    return base + 21 * _legend_rows(n_groups)


def time_figure(values: pd.DataFrame, *, title: str, mode: str, unit: str, unit_label: str | None,
                decimals: int, label_col: str = "group", year: int | None = None) -> dict:
    """One trace per group over the years. ``mode`` "stack" = stacked bars (fill patterns), else lines.
    ``values``: long frame with ``label_col``, year, value (store.personnel.breakdown_values /
    indicator_values)."""
    if values is None or values.empty or values["value"].notna().sum() == 0:
        return empty_figure(height=360)
    groups = list(dict.fromkeys(values[label_col]))
    years = sorted({int(y) for y in values["year"]})
    traces = []
    for i, g in enumerate(groups):
        s = values[values[label_col] == g].set_index("year")["value"]
        ys = [_num(s.get(y)) for y in years]
        st = _style(i)
        text = [fmt(v, unit, decimals, unit_label) for v in ys]
        hover = "%{fullData.name}: %{text}<extra></extra>"
        if mode == "stack":
            traces.append({"type": "bar", "name": str(g), "x": years, "y": ys, "text": text,
                           "textposition": "none", "hovertemplate": hover,
                           "marker": {"color": st["color"], "line": {"color": "#ffffff", "width": 0.5},
                                      "pattern": {"shape": st["pattern"], "fgcolor": "#ffffff", "size": 6,
                                                  "solidity": 0.3, "fillmode": "overlay"}}})
        else:
            traces.append({"type": "scatter", "mode": "lines+markers", "name": str(g), "x": years, "y": ys,
                           "text": text, "hovertemplate": hover, "connectgaps": False,
                           **line_props(st, marker_size=8)})
    layout = _layout(title, unit, unit_label, _height(len(groups)), years, _legend_rows(len(groups)))
    if mode == "stack":
        layout["barmode"] = "stack"
        layout["bargap"] = 0.35
    if year is not None and years and years[0] <= year <= years[-1] and len(years) > 1:
        layout["shapes"] = [{"type": "line", "xref": "x", "yref": "paper", "x0": year, "x1": year, "y0": 0,
                             "y1": 1, "line": {"color": "#767676", "width": 1}}]  # the chosen year
    return {"data": traces, "layout": layout}


def bar_figure(values: pd.DataFrame, *, title: str, unit: str, unit_label: str | None, decimals: int,
               label_col: str = "group") -> dict:
    """Horizontal bars, one per group, for one year (largest at the top), values printed on the bars."""
    if values is None or values.empty or values["value"].notna().sum() == 0:
        return empty_figure(height=360)
    v = values[values["value"].notna()].sort_values("value", ascending=True)
    text = [fmt(x, unit, decimals, unit_label) for x in v["value"]]
    n = len(v)
    trace = {"type": "bar", "orientation": "h", "y": [str(g) for g in v[label_col]],
             "x": [float(x) for x in v["value"]], "text": text, "textposition": "outside", "cliponaxis": False,
             "hovertemplate": "%{y}: %{text}<extra></extra>", "marker": {"color": OKABE_ITO[0]}, "name": title}
    xmax = float(v["value"].max())
    return {"data": [trace], "layout": {
        "title": {"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 15}},
        "separators": plotly_separators(),
        "font": {"family": FONT, "color": "#1a1a1a"},
        "xaxis": {"title": {"text": unit_suffix(unit, label_for(unit, unit_label) or "")}, "gridcolor": "#e5e5e5",
                  "separatethousands": True, "range": [0, xmax * 1.18 if xmax > 0 else 1], "zeroline": True},
        "yaxis": {"automargin": True, "tickfont": {"size": 12}},
        "showlegend": False,
        "modebar": {"orientation": "v"},
        "margin": {"l": 10, "r": 30, "t": 50, "b": 50},
        "height": max(260, 70 + 26 * n),
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
    }}


def wide_table(values: pd.DataFrame, *, caption: str, unit: str, unit_label: str | None, decimals: int,
               label_col: str = "group", label_header: str | None = None, table_id: str | None = None):
    """Groups as rows, years as columns (the text alternative of a chart)."""
    if values is None or values.empty or values["value"].notna().sum() == 0:
        return no_data()
    groups = list(dict.fromkeys(values[label_col]))
    years = sorted({int(y) for y in values["year"]})
    rows = []
    for g in groups:
        s = values[values[label_col] == g].set_index("year")["value"]
        rows.append([html.Th(str(g), scope="row")] + [fmt(s.get(y), unit, decimals, unit_label) for y in years])
    headers = [label_header or _("Gruppe")] + [str(y) for y in years]
    return html_table(headers, rows, caption=caption, numeric=range(1, len(headers)), table_id=table_id)


def summary(values: pd.DataFrame, *, name: str, level: str, unit: str, unit_label: str | None, decimals: int,
            label_col: str = "group", kind: str | None = None) -> str:
    """aria-label for a chart: what it shows, level and the last year's values (first six)."""
    kind = kind or _("Diagram")
    if values is None or values.empty or values["value"].notna().sum() == 0:
        return f"{kind}: {name}. " + _("Ingen data for dette valget.")
    last = int(values["year"].max())
    v = values[(values["year"] == last) & values["value"].notna()]
    parts = [f"{g}: {fmt(x, unit, decimals, unit_label)}" for g, x in zip(v[label_col], v["value"])]
    more = " " + _("og {n} til").format(n=len(parts) - 6) if len(parts) > 6 else ""
    years = sorted({int(y) for y in values["year"]})
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    return (f"{kind}: {name}, {level_name(level)}, {span}. {last}: " + "; ".join(parts[:6]) + more
            + ". " + _("Se tabellen for alle verdier."))


def source_block(sources: Sequence[str], licences: Sequence[str], level: str, extra: str | None = None) -> list:
    """«Nivå: nasjonalt · Kilde: … · Lisens: …» (children of a <p class=source-line>)."""
    out: list = [html.Strong(_("Nivå: {level}").format(level=level_name(level))), " · " + _("Kilde:") + " "]
    out.append("; ".join(sources) if sources else _("ukjent"))
    if licences:
        out.append(" · " + "; ".join(licences))
    if extra:
        out.append(f" · {extra}")
    return out


def notes_block(notes: Sequence[tuple[str, str]]):
    """The catalogue's notes (disagreements between tables/documents, method), visibly under the chart."""
    if not notes:
        return None
    items = [html.Li([html.Span(f"{name}: ", className="fw-semibold"), note]) for name, note in notes]
    lang = {"lang": "nb"} if current_lang() != "nb" else {}  # the catalogue's notes exist in bokmål only
    return html.Div([html.P(_("Merknader fra kilden"), className="fw-semibold mb-1"),
                     html.Ul(items, className="mb-0", **lang)], className="source-notes small", role="note")


def key_card(*, title: str, value: str, year: int | None, level: str, source: str, note: str | None = None,
             card_id: str | None = None) -> dbc.Col:
    body = [
        html.H3(title, className="h6 key-title"),
        html.P(value, className="key-value mb-1"),
        html.P(f"{year} · {level_name(level)}" if year else level_name(level),
               className="small mb-1 key-meta"),
        html.P(_("Kilde:") + f" {source}", className="small mb-0 source-line"),
    ]
    if note:
        body.append(html.P(note, className="small mb-0 mt-1 key-note"))
    kwargs = {"id": card_id} if card_id else {}
    return dbc.Col(html.Div(body, className="key-card h-100", **kwargs), xs=12, sm=6, xl=4, className="mb-3")


def area_rows_table(frame: pd.DataFrame, columns: Sequence[tuple[str, str, str, int, str | None]], *,
                    caption: str, table_id: str | None = None, area_header: str | None = None):
    """Areas of their own year (store.personnel.area_table) as a table: area, 2024 counties it covers,
    the value columns (id, header, unit, decimals, unit_label) and the note."""
    if frame is None or frame.empty:
        return no_data()
    headers = ([area_header or _("Område"), _("Fylker i 2024 (helt eller delvis)")] + [c[1] for c in columns]
               + [_("Merknad")])
    rows = []
    for _i, r in frame.iterrows():
        names = list(r.get("counties_2024_names") or [])
        rows.append([html.Th(str(r["area_name"]), scope="row"), ", ".join(names)]
                    + [fmt(r.get(cid), unit, dec, ulabel) for cid, _h, unit, dec, ulabel in columns]
                    + [str(r.get("note") or "")])
    return html_table(headers, rows, caption=caption, numeric=range(2, 2 + len(columns)), table_id=table_id)


# ------------------------------------------------------------------------------------------ page config
# The panels of the page: which breakdown (catalogue series) or indicators each one starts with. What a
# panel shows (its groups, years, units, sources, notes) comes from the catalogue; the last panel lets the
# user pick any breakdown in the data, so a new series needs no code.
PANELS = (
    {"id": "tjenesteomrade", "kind": "time", "title": N_("Årsverk etter tjenesteområde"),
     "series": "kl_arsverk_tjenesteomrade", "mode": "stack"},
    {"id": "yrke", "kind": "time", "title": N_("Årsverk i omsorgstjenestene etter yrkesgruppe"),
     "series": "kl_arsverk_omsorg_yrke", "mode": "stack"},
    {"id": "menn", "kind": "bar", "title": N_("Andel menn etter yrkesgruppe"), "series": "kl_andel_menn_yrke"},
    {"id": "innvandrere", "kind": "bar", "title": N_("Andel innvandrere etter yrkesgruppe"),
     "series": "kl_andel_innvandrere_yrke"},
    {"id": "sykefravaer", "kind": "ind", "title": N_("Sykefravær og fravær i omsorgstjenestene"),
     "indicators": ["kl_sykefravaer_omsorg", "kl_fravaer_omsorg"]},
    {"id": "leger", "kind": "time", "title": N_("Legeårsverk etter virkeområde"), "series": "kl_arsverk_lege_virkeomrade",
     "mode": "stack"},
    {"id": "fysio", "kind": "time", "title": N_("Fysioterapeutårsverk etter virkeområde"),
     "series": "kl_arsverk_fysio_virkeomrade", "mode": "stack"},
    {"id": "fastleger", "kind": "ind", "title": N_("Fastleger: dokumentene og SSB"),
     "indicators": ["kl_fastleger", "ms26_fastleger", "kostra_gp_agreements"]},
    {"id": "fastlegelister", "kind": "ind", "title": N_("Fastlegelistene i fylkene (SSB KOSTRA)"),
     "indicators": ["kostra_gp_share_no_gp", "kostra_gp_agreements_per10000", "kostra_gp_list_length",
                    "kostra_gp_reserve_capacity", "kostra_gp_lists_without_gp"]},
    {"id": "utdanning", "kind": "time", "title": N_("Utdanningsløpet: opptak til helse- og sosialutdanninger"),
     "series": "kl_opptak_utdanning", "mode": "line"},
    {"id": "fagprover", "kind": "time", "title": N_("Utdanningsløpet: fagprøvekandidater og avgangselever"),
     "series": "kl_fagprovekandidater", "mode": "line"},
    {"id": "utforsk", "kind": "time", "title": N_("Alle fordelinger i dataene"), "series": "kl_arsverk_helsestasjon_yrke",
     "mode": "stack", "chooser": True},
)
KEY_FIGURES = ("kl_andel_arsverk_fagutdanning", "kl_arsverk_omsorg", "drv_arsverk_omsorg_per1000_80pluss",
               "kl_andel_menn", "kl_andel_innvandrere", "kl_sykefravaer_omsorg")
MODE_OPTIONS = [{"label": N_("Stablede søyler"), "value": "stack"}, {"label": N_("Linjer"), "value": "line"}]


def mode_options() -> list[dict]:
    return [{"label": _(label), "value": value} for label, value in ((o["label"], o["value"]) for o in MODE_OPTIONS)]


def panel_title(panel_spec: dict) -> str:
    """A panel's title (a bokmål msgid in PANELS) in the UI language."""
    title = panel_spec.get("title") or ""
    return _(title) if title else ""
ALL_AREAS = "alle"

P_AREA = "tjenesteomrade"
P_YEAR = "ar"


def panel(panel_id: str) -> dict | None:
    return next((p for p in PANELS if p["id"] == panel_id), None)


def parse_personnel_query(params, *, areas: Sequence[str], years: Sequence[int], default_year: int | None):
    """(area or None, year, notes) from the URL query (?tjenesteomrade=…&ar=…). Never raises."""
    from components.urlstate import _single, parse_year, shown

    notes: list[str] = []
    params = params if isinstance(params, dict) else {}
    area = None
    raw = _single(params, P_AREA, notes)
    if raw is not None and raw != ALL_AREAS:
        if raw in areas:
            area = raw
        else:
            notes.append(_("Ukjent tjenesteområde «{value}» – viser alle.").format(value=shown(raw)))
    year = default_year
    raw_year = _single(params, P_YEAR, notes)
    if raw_year is not None:
        y = parse_year(raw_year)
        if y is None or y not in years:
            notes.append(_("Ugyldig år «{value}» – viser {year}.").format(value=shown(raw_year), year=default_year))
        else:
            year = y
    return area, year, notes


def source_lines(groups) -> list[str]:
    """The source lines of store.personnel.source_groups in the UI language: «Beregnet av Omsorgsatlas: tables»
    for derived figures, «publisher, document (year), tables» for the policy documents."""
    out = []
    for kind, text, tabs in groups:
        if kind == "derived":
            out.append(_("Beregnet av Omsorgsatlas") + (f": {tabs}" if tabs else ""))
        else:
            out.append(text + (f", {tabs}" if tabs else ""))
    return out
