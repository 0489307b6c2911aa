"""«Hvor godt traff framskrivingene?»: SSB's national projections 2005–2022 and our own method against the
observed population. Pure builders: frames in (store.demography.track_view / track_by_horizon), plain
dict figures and Dash tables out.

The error is 100 · (projected / observed − 1): positive = the projection was too high. The x axis is the
horizon (years after the projection's base year, 1 January). Every vintage is its own line, in a colour
running from the oldest (dark blue) to the newest (vermillion), with its own marker symbol, *and* named in
the legend and every hover text; our method is dashed with the same symbol open in the vintage's colour, so
no two lines are told apart by colour alone.
"""

from __future__ import annotations

import math

import pandas as pd

from components.format import format_number, plotly_separators
from components.i18n import N_, _
from components.mapfig import FONT, empty_figure
from components.tables import html_table, no_data

AGE_GROUPS = {  # value -> bokmål label (msgid); the groups every vintage adds up to
    "total": N_("Hele befolkningen"), "0-19": N_("0–19 år"), "20-66": N_("20–66 år"), "67-79": N_("67–79 år"),
    "80-89": N_("80–89 år"), "90+": N_("90 år og over"), "67+": N_("67 år og over"), "80+": N_("80 år og over"),
}
DEFAULT_AGE = "80+"
ALL = "alle"
HORIZONS = (1, 2, 5, 10, 15, 20)
_FROM, _TO = (11, 60, 93), (213, 94, 0)   # dark blue -> vermillion (both ≥ 4.5:1 on white)
BAND_FILL = "rgba(120, 120, 120, 0.18)"
# one marker symbol per vintage, so no two lines differ by colour alone (ours: the same symbol, open, dashed)
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "triangle-down", "star", "hexagon", "pentagon", "cross",
           "x", "star-diamond", "hourglass", "bowtie", "triangle-left", "triangle-right")


def vintage_color(i: int, n: int) -> str:
    t = i / (n - 1) if n > 1 else 0.0
    r, g, b = (round(a + (z - a) * t) for a, z in zip(_FROM, _TO))
    return f"#{r:02x}{g:02x}{b:02x}"


def _num(v):
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _signed(v, decimals: int = 1) -> str:
    f = _num(v)
    if f is None:
        return "–"
    text = format_number(f, decimals)
    return ("+" + text) if f > 0 else text.replace("-", "\u2212")


def age_label(age_group: str) -> str:
    return _(AGE_GROUPS.get(age_group, age_group))


def _error_trace(g: pd.DataFrame, prefix: str, name: str, group: str, *, line: dict, marker: dict) -> dict:
    """One line of error % by horizon from the ``<prefix>_error``/``<prefix>_projected`` columns (SSB's or ours)."""
    return {
        "type": "scatter", "mode": "lines+markers", "name": name, "legendgroup": group,
        "x": list(g["horizon"]), "y": [_num(x) for x in g[f"{prefix}_error"]],
        "text": [_("{year}: framskrevet {p}, registrert {o} ({e} %)").format(
            year=int(y), p=format_number(p), o=format_number(o), e=_signed(e))
            for y, p, o, e in zip(g["year"], g[f"{prefix}_projected"], g["observed"], g[f"{prefix}_error"])],
        "hovertemplate": f"<b>{name}</b><br>" + _("{h} år fram").format(h="%{x}") + ": %{text}<extra></extra>",
        "line": line, "marker": marker,
    }


def figure(view: pd.DataFrame, *, age_group: str, vintage: str = ALL, height: int = 460) -> dict:
    """Error % by horizon: one line per SSB vintage (main alternative), ours dashed. With one vintage chosen
    also SSB's low–high alternatives as a grey band."""
    if view.empty:
        return empty_figure(height=height)
    vintages = sorted(int(v) for v in view["vintage"].unique())
    if vintage != ALL:
        view = view[view["vintage"] == int(vintage)]
    traces = []
    for i, v in enumerate(vintages):
        g = view[view["vintage"] == v].sort_values("horizon")
        if g.empty:
            continue
        color = vintage_color(i, len(vintages))
        symbol = SYMBOLS[i % len(SYMBOLS)]
        ssb_name = _("SSBs framskriving {year}").format(year=v)
        if vintage != ALL:
            lo, hi = g["ssb_error_low"], g["ssb_error_high"]
            lows = [min(a, b) for a, b in zip(lo, hi)]
            highs = [max(a, b) for a, b in zip(lo, hi)]
            band_name = _("SSB {year}: lav og høy nasjonal vekst").format(year=v)
            text = [_("lav–høy: {low} til {high} %").format(low=_signed(a), high=_signed(b)) for a, b in zip(lows, highs)]
            traces += [
                {"type": "scatter", "mode": "none", "x": list(g["horizon"]), "y": lows, "line": {"width": 0},
                 "showlegend": False, "hoverinfo": "skip", "name": band_name, "legendgroup": "band"},
                {"type": "scatter", "mode": "none", "x": list(g["horizon"]), "y": highs, "line": {"width": 0},
                 "fill": "tonexty", "fillcolor": BAND_FILL, "name": band_name, "legendgroup": "band", "text": text,
                 "hovertemplate": f"<b>{band_name}</b><br>" + _("{h} år fram").format(h="%{x}")
                 + ": %{text}<extra></extra>"},
            ]
        traces.append(_error_trace(g, "ssb", ssb_name, str(v), line={"color": color, "width": 2},
                                   marker={"color": color, "size": 7, "symbol": symbol}))
        ours = g.dropna(subset=["ours_error"])
        if not ours.empty:
            traces.append(_error_trace(ours, "ours", _("Omsorgsatlas fra {year}").format(year=v), str(v),
                                       line={"color": color, "width": 1.5, "dash": "dash"},
                                       marker={"color": color, "size": 7, "symbol": f"{symbol}-open"}))
    title = _("Avvik fra registrert befolkning, {age}, etter antall år fram").format(age=age_label(age_group).lower())
    if vintage != ALL:
        title += " " + _("(framskrivingen fra {year})").format(year=vintage)
    layout = {
        "title": {"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 15}},
        "separators": plotly_separators(), "font": {"family": FONT, "color": "#1a1a1a"},
        "legend": {"orientation": "v", "x": 1.01, "y": 1, "font": {"size": 11}},
        "margin": {"l": 70, "r": 20, "t": 60, "b": 50}, "height": height,
        "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
        "xaxis": {"title": {"text": _("År etter framskrivingens startår")}, "dtick": 2, "showgrid": False,
                  "linecolor": "#767676", "rangemode": "tozero"},
        "yaxis": {"title": {"text": _("Avvik i % (framskrevet mot registrert)")}, "gridcolor": "#e5e5e5",
                  "zeroline": True, "zerolinecolor": "#1a1a1a", "zerolinewidth": 1.5, "ticksuffix": " %"},
        "hovermode": "closest",
    }
    return {"data": traces, "layout": layout}


def detail_table(view: pd.DataFrame, *, age_group: str, vintage: str = ALL):
    """Every vintage and observed year: the table behind the chart."""
    if vintage != ALL:
        view = view[view["vintage"] == int(vintage)]
    if view.empty:
        return no_data()
    headers = [_("Framskriving"), _("År"), _("År fram"), _("Registrert"), _("SSB hovedalternativ"), _("SSB avvik %"),
               _("SSB lav / høy avvik %"), _("Omsorgsatlas' metode"), _("Omsorgsatlas avvik %")]
    rows = []
    for r in view.sort_values(["vintage", "year"]).itertuples(index=False):
        rows.append([str(r.vintage), str(r.year), str(r.horizon), format_number(r.observed),
                     format_number(r.ssb_projected), _signed(r.ssb_error),
                     f"{_signed(r.ssb_error_low)} / {_signed(r.ssb_error_high)}",
                     format_number(r.ours_projected) if _num(r.ours_projected) is not None else "–",
                     _signed(r.ours_error)])
    return html_table(headers, rows, numeric=range(1, len(headers)), table_id="track-table-table",
                      caption=_("Framskrevet mot registrert befolkning 1. januar, {age}, hele landet").format(
                          age=age_label(age_group).lower()))


def horizon_table(summary: pd.DataFrame, *, age_group: str):
    """Mean absolute error by horizon: SSB over every vintage, SSB over the vintages ours has, and ours."""
    if summary.empty:
        return no_data()
    headers = [_("År fram"), _("SSB, alle årganger"), _("Antall"), _("SSB, samme årganger som vår"),
               _("Omsorgsatlas' metode"), _("Antall")]
    rows = [[str(int(r.horizon)),
             format_number(r.ssb_mae, 1), str(int(r.ssb_n)), format_number(r.ssb_mae_same, 1),
             format_number(r.ours_mae, 1), str(int(r.ours_n))] for r in summary.itertuples(index=False)]
    return html_table(headers, rows, numeric=range(1, len(headers)), table_id="track-horizon-table",
                      caption=_("Gjennomsnittlig absolutt avvik i % etter antall år fram, {age}, hele landet "
                                "(SSB: hovedalternativet)").format(age=age_label(age_group).lower()))


def summary_text(summary: pd.DataFrame, *, age_group: str) -> str:
    """One sentence for the chart's aria-label and the lead: the ten-year errors."""
    r = summary[summary["horizon"] == 10]
    if r.empty:
        return ""
    r = r.iloc[0]
    return _("Ti år fram bommet SSBs hovedalternativ for {age} i snitt med {ssb} % ({n} framskrivinger); "
             "Omsorgsatlas' metode fra de samme startårene med {ours} % (SSB for de samme årene: {same} %).").format(
        age=age_label(age_group).lower(), ssb=format_number(r["ssb_mae"], 1), n=int(r["ssb_n"]),
        ours=format_number(r["ours_mae"], 1), same=format_number(r["ssb_mae_same"], 1))
