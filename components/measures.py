"""Tables, detail view and grant charts of «Tiltak og tilskudd». Pure builders (no store, no callbacks)."""

from __future__ import annotations

import re
from typing import Sequence

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from components.format import MISSING, plotly_separators, format_number
from components.mapfig import FONT, empty_figure
from components.personnel import OKABE_ITO, PATTERNS, fmt
from components.tables import html_table, no_data
from components.i18n import N_, _, current_lang, pick

PLAN_NB = {"K2025": "Kompetanseløft 2025", "KL2020": "Kompetanseløft 2020"}
# values as the documents write them (K2025's appendix digest is partly in English) -> bokmål for display
TEXT_NB = {"not given": "ikke oppgitt", "not rated": "ikke vurdert", "no budget post": "ingen budsjettpost",
           "delivered": "levert", "n/a": "ikke relevant", "in line with goals": "i tråd med målene"}
SHOW_TYPE = "measure-show"
MAX_CELL = 160

P_MEASURE = "tiltak"
P_QUERY = "sok"


def nb(text: str | None) -> str:
    """The documents' own English words in bokmål for the bokmål UI (kept as they are in English)."""
    t = str(text or "").strip()
    return t if current_lang() == "en" else TEXT_NB.get(t, t)


def _short(text: str, n: int = MAX_CELL) -> str:
    t = nb(text)
    return t if len(t) <= n else t[: n - 1].rstrip() + "…"


def amount_text(row) -> str:
    """«11 800 000 kr (2021)» where the document gives a number, else its own words, else «–»."""
    amount = row.get("amount_nok")
    try:
        has = amount is not None and float(amount) == float(amount)
    except (TypeError, ValueError):
        has = False
    if has:
        year = row.get("amount_year")
        y = f" ({int(year)})" if year is not None and str(year) not in ("<NA>", "nan", "") else ""
        return f"{format_number(amount)}\u00a0kr{y}"
    return nb(row.get("amount_text")) or MISSING


def strategy_label(codes: Sequence[str], names: Sequence[str]) -> str:
    return "; ".join(f"{c} {n}" for c, n in zip(codes, names)) or MISSING


def _nb(text: str):
    """A cell of the documents' own (bokmål) text, marked lang="nb" when the page is in English (WCAG 3.1.2)."""
    if current_lang() == "nb" or not text or text == MISSING or text in TEXT_NB or re.fullmatch(r"[\d\s.,\u00a0kr()–-]+", text):
        return text
    return html.Span(text, lang="nb")


def measures_table(frame: pd.DataFrame, *, selected: str | None = None, table_id: str = "measures-table-table"):
    """All matching measures, one row each, with a «Vis» button that opens the detail view."""
    if frame is None or frame.empty:
        return no_data(_("Ingen tiltak passer søket og filtrene."))
    headers = [_("Plan"), _("Nr."), _("Tiltak"), _("Strategiområde"), _("Kap./post"), _("Målgruppe"), _("Beløp"),
               _("Resultat rapportert"), _("Måloppnåelse"), _("Detaljer")]
    rows, classes = [], []
    for _i, r in frame.iterrows():
        mid = str(r["measure_id"])
        title = pick(r, "title")
        rows.append([
            r["plan"],
            r["number"],
            html.Th(title, scope="row"),
            _nb(strategy_label(r["strategy_areas"], r["strategy_area_names"])),
            r["budget_chapter_post"] or MISSING,
            _nb(_short(r["target_group"]) or MISSING),
            _nb(amount_text(r)),
            _nb(_short(r["result_reported"]) or MISSING),
            _nb(nb(r["goal_attainment"]) or MISSING),
            html.Button(_("Vis"), id={"type": SHOW_TYPE, "id": mid}, n_clicks=0, type="button",
                        className="btn btn-sm btn-outline-primary measure-show",
                        **{"aria-label": _("Vis detaljer: {measure}").format(measure=f"{mid} {title}"),
                           "aria-haspopup": "dialog"}),
        ])
        classes.append("is-selected" if mid == selected else "")
    return html_table(headers, rows, caption=_("Tiltak i Kompetanseløft 2025 og Kompetanseløft 2020"),
                      table_id=table_id, row_classes=classes, class_name="table table-sm data-table measures")


FIELDS = (
    ("plan", N_("Plan")), ("number", N_("Nummer i dokumentet")),
    ("ordningsnr", N_("Ordningsnummer (Helsedirektoratet)")), ("title_en", N_("Engelsk tittel")),
    ("strategy", N_("Strategiområde")), ("budget_chapter_post", N_("Budsjettkapittel/-post")),
    ("target_group", N_("Målgruppe")), ("purpose", N_("Formål / mål")), ("responsible", N_("Ansvarlig")),
    ("measure_type", N_("Type tiltak")), ("amount", N_("Beløp")), ("amount_text", N_("Beløp slik dokumentet oppgir det")),
    ("result_reported", N_("Resultat rapportert")), ("goal_attainment", N_("Måloppnåelse")),
    ("also_listed_as", N_("Også oppført som")), ("related_measure", N_("Tilsvarende tiltak")),
    ("status_note", N_("Status")),
)  # labels translated where shown


def detail_body(m: dict) -> list:
    """Every field of a measure, its source and the documents' disagreements."""
    values = dict(m)
    values["plan"] = PLAN_NB.get(str(m.get("plan")), str(m.get("plan") or ""))
    values["strategy"] = strategy_label(m.get("strategy_areas") or [], m.get("strategy_area_names") or [])
    values["amount"] = amount_text(m)
    items = []
    en = current_lang() == "en"
    for key, label in FIELDS:
        if en and key == "title_en":  # the title above is already the English one
            key, label = "title_nb", N_("Norsk tittel")
        v = values.get(key)
        text = nb(v) if isinstance(v, str) else ("" if v is None else str(v))
        if key == "amount_text" and text == values["amount"]:
            continue
        lang = {} if not en or not text or key in ("plan", "number", "ordningsnr", "amount") or text in TEXT_NB \
            else {"lang": "nb"}
        items += [html.Dt(_(label), className="col-sm-4"), html.Dd(text or MISSING, className="col-sm-8", **lang)]
    body: list = [html.Dl(items, className="row measure-fields mb-2")]
    if m.get("notes"):
        body.append(dbc.Alert([html.Strong(_("Merknad om kilden:") + " "), str(m["notes"])], color="warning",
                              className="py-2 small"))
    src = str(m.get("source") or "")
    table = str(m.get("source_table") or "")
    lines = str(m.get("source_lines") or "")
    body.append(html.P([html.Strong(_("Kilde:") + " "), src, f", {table}" if table else "",
                        " " + _("(linje {lines} i kildeteksten)").format(lines=lines) if lines else ""],
                       className="source-line small mb-0"))
    return body


# ------------------------------------------------------------------------------------------ grants
def area_label(name: str, county_names: Sequence[str], county_2024: str | None) -> str:
    """«Oslo og Viken (4 fylker i 2024)» for areas that are not one unchanged 2024 county."""
    if county_2024 or len(county_names) <= 1:
        return str(name)
    return _("{name} ({n} fylker i 2024)").format(name=name, n=len(county_names))


def grant_figure(frame: pd.DataFrame, parts: Sequence[tuple[str, str]], *, title: str, height: int = 460) -> dict:
    """Stacked horizontal bars: one bar per area, one segment per purpose (``parts``: (column, label)).
    Segments carry a fill pattern each (not colour alone)."""
    if frame is None or frame.empty:
        return empty_figure(height=300)
    order = frame.assign(_t=frame[[c for c, _ in parts]].sum(axis=1)).sort_values("_t")
    labels = [area_label(r.area_name, r.counties_2024_names, r.county_2024) for r in order.itertuples()]
    traces = []
    for i, (col, label) in enumerate(parts):
        vals = [float(v) if v == v else None for v in order[col]]
        traces.append({"type": "bar", "orientation": "h", "name": label, "y": labels, "x": vals,
                       "text": [fmt(v, "nok", 0, "kr") for v in vals], "textposition": "none",
                       "hovertemplate": "%{y}<br>" + label + ": %{text}<extra></extra>",
                       "marker": {"color": OKABE_ITO[i % len(OKABE_ITO)],
                                  "line": {"color": "#ffffff", "width": 0.5},
                                  "pattern": {"shape": PATTERNS[i % len(PATTERNS)], "fgcolor": "#ffffff",
                                              "size": 6, "solidity": 0.3, "fillmode": "overlay"}}})
    return {"data": traces, "layout": {
        "title": {"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 15}},
        "barmode": "stack", "separators": plotly_separators(), "font": {"family": FONT, "color": "#1a1a1a"},
        "xaxis": {"title": {"text": "kr"}, "gridcolor": "#e5e5e5", "separatethousands": True,
                  "tickformat": ",.0f"},
        "yaxis": {"automargin": True},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.15, "xanchor": "left", "x": 0},
        "hovermode": "y unified", "modebar": {"orientation": "v"},
        "margin": {"l": 10, "r": 20, "t": 50, "b": 60}, "height": height,
        "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
    }}
