"""Trend line chart: a region against its county and the country (and, on «Min kommune», the medians of its
neighbour groups), styled by components/linestyle.py. Pure builder (dict figure)."""

from __future__ import annotations

import math
from typing import Sequence

import pandas as pd

from components.format import plotly_separators, format_value, unit_suffix
from components.mapfig import FONT, empty_figure
from components.i18n import _
from components.linestyle import line_props, region_style



def lines(series: pd.DataFrame, order: Sequence[str] | None = None) -> list[dict]:
    """One entry per region (series = store.series), in ``order`` (else as they come): code, level, name, years
    (ints, ascending) and values (floats, None for a gap). One pass over the columns instead of a filter and a
    sort per region (the chart, its text alternative and the profile's trend each walked the frame)."""
    rows: dict[str, dict] = {}
    # tolist(): element-wise iteration of the Arrow-backed text columns is ~10x slower
    for code, level, name, year, value in zip(series["region_code"].tolist(), series["level"].tolist(),
                                              series["name"].tolist(), series["year"].tolist(),
                                              series["value"].tolist()):
        line = rows.get(code)
        if line is None:
            line = rows[code] = {"code": str(code), "level": str(level), "name": str(name), "points": []}
        v = None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)
        line["points"].append((int(year), v))
    codes = list(order) if order else list(rows)
    out = []
    for code in codes:
        line = rows.get(code)
        if line is None:
            continue
        points = sorted(line.pop("points"), key=lambda p: p[0])  # stable: the first row of a year stays first
        out.append({**line, "years": [y for y, _v in points], "values": [v for _y, v in points]})
    return out


def trend_figure(series: pd.DataFrame, *, title: str, unit: str, unit_label: str, decimals: int,
                 order: Sequence[str] | None = None, year: int | None = None, height: int = 380) -> dict:
    """One line per region (series = store.series); gaps stay gaps (connectgaps False)."""
    if series is None or series.empty or series["value"].notna().sum() == 0:
        return empty_figure(height=height)
    traces = []
    for line in lines(series, order):
        style = region_style(line["level"], line["code"])  # components/linestyle.py: one language
        vals = line["values"]
        traces.append({
            "type": "scatter",
            "mode": "lines+markers",
            "name": line["name"],
            "x": line["years"],
            "y": vals,
            "text": [format_value(v, unit, decimals, unit_label) for v in vals],
            "hovertemplate": "<b>%{fullData.name}</b><br>%{x}: %{text}<extra></extra>",
            "connectgaps": False,
            **line_props(style),
        })
    years = [int(y) for y in series["year"]]
    span = (max(years) - min(years)) if years else 0
    layout = {
        "title": {"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 15}},
        "separators": plotly_separators(),
        "font": {"family": FONT, "color": "#1a1a1a"},
        "xaxis": {"title": {"text": _("År")}, "tickformat": "d", "dtick": 1 if span <= 12 else 2,
                  "showgrid": False, "linecolor": "#767676"},
        "yaxis": {"title": {"text": unit_suffix(unit, unit_label)}, "gridcolor": "#e5e5e5", "zeroline": False,
                  "separatethousands": True, "rangemode": "tozero" if unit in ("persons", "percent") else "normal"},
        # always a legend, also for one line (the country alone): every line is named with its style
        "showlegend": True,
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
        "hovermode": "x unified",
        "modebar": {"orientation": "v"},  # keeps the (left-aligned) title clear of the tool buttons
        "margin": {"l": 60, "r": 20, "t": 70, "b": 50},
        "height": height,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
    }
    if year is not None:
        # the chosen year: a thin plain line (no dash: in these charts a dash means a kind of number)
        layout["shapes"] = [{"type": "line", "xref": "x", "yref": "paper", "x0": year, "x1": year, "y0": 0,
                             "y1": 1, "line": {"color": "#767676", "width": 1}}]
    return {"data": traces, "layout": layout}


def trend_summary(series: pd.DataFrame, *, indicator_name: str, unit: str, unit_label: str, decimals: int,
                  order: Sequence[str] | None = None) -> str:
    """Text alternative: first and last value per line."""
    if series is None or series.empty or series["value"].notna().sum() == 0:
        return _("Linjediagram: {indicator}. Ingen data for dette valget.").format(indicator=indicator_name)
    parts = []
    for line in lines(series, order):
        known = [(y, v) for y, v in zip(line["years"], line["values"]) if v is not None]
        if not known:
            continue
        (first_year, first), (last_year, last) = known[0], known[-1]
        parts.append(_("{name}: {first} i {first_year}, {last} i {last_year}").format(
            name=line["name"], first=format_value(first, unit, decimals, unit_label), first_year=first_year,
            last=format_value(last, unit, decimals, unit_label), last_year=last_year))
    return (_("Linjediagram: {indicator} over tid.").format(indicator=indicator_name) + " " + "; ".join(parts) + ". "
            + _("Se tabellen for alle verdier."))
