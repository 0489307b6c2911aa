"""Figures and tables of «Befolkning og behov». Pure builders (plain dict figures, Dash html tables).

The data have no sex dimension, so the "population pyramid" is a single-sided age profile: one horizontal
bar per age (or five-year group), both sexes together, and the title says so. Projected years are marked
three ways, never by colour alone: another colour *and* a hatch pattern on the bars, the word
«framskrevet» in the title and in a label on the chart; in the time charts the projected part is dashed,
lies in a shaded band labelled «Framskrevet», and every hover text says it.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import pandas as pd

from components.format import plotly_separators, format_number, format_percent
from components.mapfig import FONT, empty_figure
from components.tables import html_table, no_data
from components.linestyle import AGE_GROUP_STYLES, line_props, region_style
from components.i18n import _

MAX_AGE = 105
OBSERVED_COLOR = "#0072B2"     # Okabe–Ito blue
PROJECTED_COLOR = "#D55E00"    # Okabe–Ito vermillion (+ hatch pattern)
REFERENCE_COLOR = "#1a1a1a"
BAND_COLOR = "rgba(213, 94, 0, 0.08)"
PROFILE_HEIGHT = 620
# «Eldre over tid»: its legend (six entries) takes two rows above the plot in a half-width column; the top
# margin holds them under the title (at 80 px they ran over it)
GROUPS_HEIGHT, GROUPS_TOP = 440, 120


# ------------------------------------------------------------------------------------------ helpers
def age_groups(width: int) -> list[tuple[str, int, int]]:
    """(label, lo, hi): single ages 0..105 ("105+" last) or five-year groups 0–4 .. 95–99, 100+."""
    if width <= 1:
        return [(f"{a}+" if a == MAX_AGE else str(a), a, a) for a in range(MAX_AGE + 1)]
    out = [(f"{lo}–{lo + width - 1}", lo, lo + width - 1) for lo in range(0, 100, width)]
    return out + [("100+", 100, MAX_AGE)]


def grouped(values: np.ndarray, width: int) -> np.ndarray:
    """(..., 106) single ages -> (..., n_groups) sums; NaN treated as 0 unless the whole row is NaN."""
    vals = np.asarray(values, dtype=float)
    allnan = np.isnan(vals).all(axis=-1)
    v = np.nan_to_num(vals)
    out = np.stack([v[..., lo:hi + 1].sum(axis=-1) for _, lo, hi in age_groups(width)], axis=-1)
    return np.where(allnan[..., None], np.nan, out)


def _num(v) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _base_layout(title: str, height: int) -> dict:
    return {
        "title": {"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 15}},
        "separators": plotly_separators(),
        "font": {"family": FONT, "color": "#1a1a1a"},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
        "modebar": {"orientation": "v"},
        "margin": {"l": 70, "r": 20, "t": 80, "b": 50},
        "height": height,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
    }


# ------------------------------------------------------------------------------------------ age profile
def profile_title(region_name: str, year: int, projected: bool) -> str:
    what = _("framskrevet") if projected else _("registrert")
    return _("Aldersprofil, {region}, 1. januar {year} ({status}) – begge kjønn samlet").format(
        region=region_name, year=year, status=what)


def profile_arrays(values: np.ndarray, year: int, projected: bool, width: int, variant_label: str) -> dict:
    """What changes with the year: bar values, hover text, colours/pattern, trace name."""
    g = grouped(values, width)
    labels = [lab for lab, _, _ in age_groups(width)]
    status = _("framskrevet ({variant})").format(variant=variant_label) if projected else _("registrert")
    text = [_("{age} år: {n} personer ({year}, {status})").format(age=lab, n=format_number(v), year=year, status=status)
            for lab, v in zip(labels, g)]
    return {
        "x": [_num(v) for v in g],
        "text": text,
        "name": f"{year} – " + (_("framskrevet") if projected else _("registrert")),
        "marker": {"color": PROJECTED_COLOR if projected else OBSERVED_COLOR,
                   "line": {"color": PROJECTED_COLOR if projected else OBSERVED_COLOR, "width": 0.5},
                   "pattern": {"shape": "/" if projected else "", "fillmode": "overlay", "fgcolor": "#ffffff",
                               "size": 7, "solidity": 0.35}},
    }


def profile_annotation(projected: bool) -> list[dict]:
    if not projected:
        return [{"text": _("Registrert"), "xref": "paper", "yref": "paper", "x": 0.99, "y": 0.99, "xanchor": "right",
                 "yanchor": "top", "showarrow": False, "font": {"size": 13, "color": "#1a1a1a"},
                 "bgcolor": "#ffffff", "bordercolor": OBSERVED_COLOR, "borderwidth": 2, "borderpad": 4}]
    return [{"text": _("FRAMSKREVET"), "xref": "paper", "yref": "paper", "x": 0.99, "y": 0.99, "xanchor": "right",
             "yanchor": "top", "showarrow": False, "font": {"size": 13, "color": "#1a1a1a"},
             "bgcolor": "#fde8dc", "bordercolor": PROJECTED_COLOR, "borderwidth": 2, "borderpad": 4}]


def age_profile_figure(values: np.ndarray | None, reference: np.ndarray | None, *, region_name: str, year: int,
                       reference_year: int, projected: bool, width: int, x_max: float,
                       variant_label: str) -> dict:
    """Horizontal bars by age (one side: the data have no sex) + the reference year as an outline.

    Trace 0: bars of ``year``; trace 1: outline of ``reference_year`` (hidden when year == reference_year).
    The structure never changes with the year, so a year change is a Patch of trace 0/1 and the title."""
    if values is None:
        return empty_figure(_("Ingen befolkningstall for {year}").format(year=year), height=PROFILE_HEIGHT)
    labels = [lab for lab, _, _ in age_groups(width)]
    arr = profile_arrays(values, year, projected, width, variant_label)
    ref = grouped(reference, width) if reference is not None else np.full(len(labels), np.nan)
    bars = {"type": "bar", "orientation": "h", "y": labels, "x": arr["x"], "name": arr["name"],
            "text": arr["text"], "textposition": "none", "hovertemplate": "%{text}<extra></extra>",
            "marker": arr["marker"]}
    outline = {"type": "scatter", "mode": "lines", "y": labels, "x": [_num(v) for v in ref],
               "name": _("{year} (siste registrerte år)").format(year=reference_year), "line": {"color": REFERENCE_COLOR, "width": 1.5,
                                                                            "shape": "vh", "dash": "dot"},
               "hovertemplate": _("%{{y}} år: %{{x:,.0f}} personer ({year}, registrert)").format(year=reference_year)
               + "<extra></extra>",
               "visible": year != reference_year}
    layout = _base_layout(profile_title(region_name, year, projected), PROFILE_HEIGHT)
    layout.update({
        "bargap": 0.08 if width > 1 else 0.0,
        "xaxis": {"title": {"text": _("Personer")}, "range": [0, x_max * 1.05 if x_max > 0 else 1],
                  "separatethousands": True, "tickformat": ",d", "gridcolor": "#e5e5e5", "zeroline": True, "zerolinecolor": "#767676",
                  "fixedrange": True},
        "yaxis": {"title": {"text": _("Alder")}, "type": "category", "categoryorder": "array",
                  "categoryarray": labels, "fixedrange": True, "tickson": "boundaries",
                  **({"dtick": 5} if width <= 1 else {})},
        "annotations": profile_annotation(projected),
        "hovermode": "y unified" if width > 1 else "closest",
    })
    return {"data": [bars, outline], "layout": layout}


def profile_patch_paths(values: np.ndarray, *, region_name: str, year: int, reference_year: int, projected: bool,
                        width: int, variant_label: str) -> dict[tuple, object]:
    """path -> value for a dash.Patch when only the year changed (same region and grouping)."""
    arr = profile_arrays(values, year, projected, width, variant_label)
    return {
        ("data", 0, "x"): arr["x"], ("data", 0, "text"): arr["text"], ("data", 0, "name"): arr["name"],
        ("data", 0, "marker"): arr["marker"], ("data", 1, "visible"): year != reference_year,
        ("layout", "title", "text"): profile_title(region_name, year, projected),
        ("layout", "annotations"): profile_annotation(projected),
    }


def profile_summary(values: np.ndarray | None, *, region_name: str, year: int, projected: bool) -> str:
    if values is None:
        return _("Aldersprofil: ingen befolkningstall for {region} i {year}.").format(region=region_name, year=year)
    v = np.nan_to_num(values)
    total = v.sum()
    share80 = 100 * v[80:].sum() / total if total > 0 else float("nan")
    mode_age = int(np.argmax(v))
    return _("Stolpediagram: aldersprofil for {region} 1. januar {year} ({status}), begge kjønn samlet. "
             "{total} innbyggere, {share} er 80 år eller eldre; flest personer har alderen {age} år.").format(
        region=region_name, year=year, status=_("framskrevet") if projected else _("registrert"),
        total=format_number(total), share=format_percent(share80), age=mode_age)


def profile_table(values: np.ndarray | None, reference: np.ndarray | None, *, year: int, reference_year: int,
                  projected: bool, width: int):
    if values is None:
        return no_data()
    labels = [lab for lab, _, _ in age_groups(width)]
    g = grouped(values, width)
    r = grouped(reference, width) if reference is not None else np.full(len(labels), np.nan)
    status = _("framskrevet") if projected else _("registrert")
    headers = [_("Alder"), f"{year} ({status})"] + (
        [f"{reference_year} ({_('registrert')})"] if year != reference_year else [])
    rows = []
    for lab, a, b in zip(labels, g, r):
        rows.append([lab] + [format_number(a)] + ([format_number(b)] if year != reference_year else []))
    rows.append([_("I alt"), format_number(np.nansum(g))] + (
        [format_number(np.nansum(r))] if year != reference_year else []))
    return html_table(headers, rows, caption=_("Innbyggere etter alder, {year} ({status})").format(year=year, status=status),
                      numeric=range(1, len(headers)), table_id="profile-table-table")


# ------------------------------------------------------------------------------------------ time charts
def _band(first_projected: int, last: int) -> tuple[dict, dict]:
    shape = {"type": "rect", "xref": "x", "yref": "paper", "x0": first_projected - 0.5, "x1": last + 0.5,
             "y0": 0, "y1": 1, "fillcolor": BAND_COLOR, "line": {"width": 0}, "layer": "below"}
    label = {"text": _("Framskrevet →"), "xref": "x", "yref": "paper", "x": first_projected - 0.3, "y": 1.0,
             "xanchor": "left", "yanchor": "bottom", "showarrow": False, "font": {"size": 12, "color": "#1a1a1a"}}
    return shape, label


def _split_traces(name: str, years: Sequence[int], values: Sequence[float], projected: Sequence[bool], *,
                  style: dict, text_fmt) -> list[dict]:
    """Two traces (registered: the style's line; projected: dashed with open markers, components/linestyle.py)
    sharing a legend entry; the projected one starts at the last observed point so the line is continuous."""
    years = [int(y) for y in years]
    vals = [_num(v) for v in values]
    proj = list(projected)
    obs_idx = [i for i, p in enumerate(proj) if not p]
    pro_idx = [i for i, p in enumerate(proj) if p]
    if obs_idx and pro_idx:
        pro_idx = [obs_idx[-1]] + pro_idx
    traces = []
    for idx, is_proj in ((obs_idx, False), (pro_idx, True)):
        if not idx:
            continue
        label = [(_("framskrevet") if proj[i] else _("registrert")) for i in idx]
        traces.append({
            "type": "scatter", "mode": "lines+markers", "name": name, "legendgroup": name,
            "showlegend": not is_proj or not obs_idx,
            "x": [years[i] for i in idx], "y": [vals[i] for i in idx],
            "text": [f"{text_fmt(vals[i])} ({lab})" for i, lab in zip(idx, label)],
            "hovertemplate": f"<b>{name}</b><br>%{{x}}: %{{text}}<extra></extra>",
            "connectgaps": False,
            **line_props(style, projected=is_proj, marker_size=6),
        })
    return traces


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    return f"rgba({int(h[0:2], 16)}, {int(h[2:4], 16)}, {int(h[4:6], 16)}, {alpha})"


def band_traces(name: str, years: Sequence[int], low: Sequence[float], high: Sequence[float], *, color: str,
                text_fmt, legend: bool = True) -> list[dict]:
    """Two traces drawing the low–high band of SSB's alternatives as a shaded area (fill between them). The
    band is also in the hover text and in the table behind the chart, never in colour alone."""
    pts = [(int(y), _num(lo), _num(hi)) for y, lo, hi in zip(years, low, high) if _num(lo) is not None
           and _num(hi) is not None]
    if not pts:
        return []
    xs, los, his = [p[0] for p in pts], [p[1] for p in pts], [p[2] for p in pts]
    label = _("{name}: spenn lav–høy").format(name=name)
    text = [_("lav–høy: {low}–{high}").format(low=text_fmt(lo), high=text_fmt(hi)) for lo, hi in zip(los, his)]
    # mode "none": the area only (no line, no markers), so the band is never a line told apart by colour alone
    common = {"type": "scatter", "mode": "none", "x": xs, "legendgroup": f"band-{name}", "connectgaps": False,
              "line": {"width": 0, "color": color}}
    return [
        {**common, "y": los, "name": label, "showlegend": False, "hoverinfo": "skip"},
        {**common, "y": his, "name": label, "showlegend": legend, "fill": "tonexty",
         "fillcolor": _rgba(color, 0.16), "text": text,
         "hovertemplate": f"<b>{label}</b><br>%{{x}}: %{{text}}<extra></extra>"},
    ]


def has_band(series: pd.DataFrame, measure: str = "80+") -> bool:
    return f"{measure}_low" in series.columns and series[f"{measure}_low"].notna().any()


def groups_figure(series: pd.DataFrame, *, region_name: str, mode: str = "count", base_year: int = 2026) -> dict:
    """67+, 80+ and 90+ over time (series = store.demography.group_series), as counts or as an index
    (base_year = 100)."""
    s = series.dropna(subset=["80+"])
    if s.empty:
        return empty_figure(height=GROUPS_HEIGHT)
    traces = []
    base = s[s["year"] == base_year]
    for g, st in AGE_GROUP_STYLES.items():
        vals = s[g].astype(float)
        scale = 1.0
        if mode == "index":
            b = float(base[g].iloc[0]) if len(base) else float("nan")
            scale = 100 / b if b > 0 else float("nan")
            vals = vals * scale
            fmt = lambda v: format_number(v, 0)  # noqa: E731
        else:
            fmt = lambda v: _("{n} personer").format(n=format_number(v))  # noqa: E731
        if has_band(s, g):
            traces += band_traces(g, s["year"], s[f"{g}_low"] * scale, s[f"{g}_high"] * scale, color=st["color"],
                                  text_fmt=lambda v: format_number(v, 0))
        traces += _split_traces(g, s["year"], vals, s["projected"], style=st, text_fmt=fmt)
    title = (_("Antall eldre, {region}").format(region=region_name) if mode != "index"
             else _("Antall eldre, {region} (indeks, {year} = 100)").format(region=region_name, year=base_year))
    layout = _base_layout(title, GROUPS_HEIGHT)
    layout["margin"] = {**layout["margin"], "t": GROUPS_TOP}
    layout["title"] = {**layout["title"], "y": 0.985, "yanchor": "top"}
    years = [int(y) for y in s["year"]]
    layout.update({
        "xaxis": {"title": {"text": _("År (1. januar)")}, "tickformat": "d", "dtick": 5, "showgrid": False,
                  "linecolor": "#767676", "range": [min(years) - 0.5, max(years) + 0.5]},
        "yaxis": {"title": {"text": _("Indeks") if mode == "index" else _("Personer")}, "gridcolor": "#e5e5e5",
                  "separatethousands": True, "tickformat": ",d", "rangemode": "tozero", "zeroline": False},
        "hovermode": "x unified",
    })
    if s["projected"].any():
        shape, label = _band(int(s.loc[s["projected"], "year"].min()), max(years))
        layout["shapes"], layout["annotations"] = [shape], [label]
    return {"data": traces, "layout": layout}


def care_figure(series_by_region: list[tuple[str, str, pd.DataFrame]]) -> dict:
    """Care ratio (20–66 per 80+) for the region, its county and the country: (name, level, group_series)."""
    traces, years, first_proj = [], [], None
    for k, (name, level, s) in enumerate(series_by_region):
        s = s.dropna(subset=["care_ratio"])
        if s.empty:
            continue
        st = region_style(level)
        if k == 0 and has_band(s, "care_ratio"):  # the band for the chosen region only (one band stays readable)
            traces += band_traces(name, s["year"], s["care_ratio_low"], s["care_ratio_high"], color=st["color"],
                                  text_fmt=lambda v: format_number(v, 1))
        traces += _split_traces(name, s["year"], s["care_ratio"], s["projected"], style=st,
                                text_fmt=lambda v: _("{n} per person 80+").format(n=format_number(v, 1)))
        years += [int(y) for y in s["year"]]
        if s["projected"].any():
            fp = int(s.loc[s["projected"], "year"].min())
            first_proj = fp if first_proj is None else min(first_proj, fp)
    if not traces:
        return empty_figure(height=400)
    layout = _base_layout(_("Omsorgsressurs: personer 20–66 år per person 80 år og over"), 400)
    layout.update({
        "xaxis": {"title": {"text": _("År (1. januar)")}, "tickformat": "d", "dtick": 5, "showgrid": False,
                  "linecolor": "#767676", "range": [min(years) - 0.5, max(years) + 0.5]},
        "yaxis": {"title": {"text": _("Personer 20–66 per person 80+")}, "gridcolor": "#e5e5e5",
                  "rangemode": "tozero", "zeroline": False},
        "hovermode": "x unified",
    })
    if first_proj is not None:
        shape, label = _band(first_proj, max(years))
        layout["shapes"], layout["annotations"] = [shape], [label]
    return {"data": traces, "layout": layout}


def groups_table(series: pd.DataFrame, *, region_name: str):
    s = series.dropna(subset=["80+"])
    if s.empty:
        return no_data()
    band = has_band(s)
    headers = [_("År"), _("67 år og over"), _("80 år og over"), _("90 år og over"), _("Personer 20–66 per person 80+")]
    if band:
        headers = [_("År"), _("67 år og over"), _("67+ lav–høy"), _("80 år og over"), _("80+ lav–høy"),
                   _("90 år og over"), _("90+ lav–høy"), _("Personer 20–66 per person 80+"), _("Omsorgsressurs lav–høy")]
    rows = []
    for _i, r in s.iterrows():
        year = f"{int(r['year'])} ({_('framskrevet')})" if r["projected"] else str(int(r["year"]))
        if not band:
            rows.append([year, format_number(r["67+"]), format_number(r["80+"]), format_number(r["90+"]),
                         format_number(r["care_ratio"], 1)])
            continue
        row = [year]
        for m, dec in (("67+", 0), ("80+", 0), ("90+", 0), ("care_ratio", 1)):
            row += [format_number(r[m], dec), band_text(r[f"{m}_low"], r[f"{m}_high"], dec) if r["projected"] else "–"]
        rows.append(row)
    caption = _("Antall eldre og omsorgsressurs, {region}").format(region=region_name)
    if band:
        caption += " " + _("(framskrevet: hovedalternativet; lav–høy = SSBs lav og høy nasjonale vekst)")
    return html_table(headers, rows, caption=caption, numeric=range(1, len(headers)), table_id="groups-table-table")


def band_text(low, high, decimals: int = 0) -> str:
    """«1 234–1 456» (an en dash between the ends), «–» when either end is missing."""
    lo, hi = _num(low), _num(high)
    if lo is None or hi is None:
        return "–"
    return f"{format_number(lo, decimals)}–{format_number(hi, decimals)}"


def care_table(series_by_region: list[tuple[str, str, pd.DataFrame]]):
    if not series_by_region:
        return no_data()
    years = sorted({int(y) for _, _, s in series_by_region for y in s["year"]})
    proj = {int(y) for _, _, s in series_by_region for y in s.loc[s["projected"], "year"]}
    headers = [_("År")] + [name for name, _n, _l in series_by_region]
    lookup = [dict(zip(s["year"].astype(int), s["care_ratio"])) for _, _, s in series_by_region]
    first = series_by_region[0][2]
    band = has_band(first, "care_ratio")
    if band:
        headers.insert(2, _("{name}: lav–høy").format(name=series_by_region[0][0]))
        lows = dict(zip(first["year"].astype(int), first["care_ratio_low"]))
        highs = dict(zip(first["year"].astype(int), first["care_ratio_high"]))
    rows = []
    for y in years:
        row = [f"{y} ({_('framskrevet')})" if y in proj else str(y)] + [format_number(m.get(y), 1) for m in lookup]
        if band:
            row.insert(2, band_text(lows.get(y), highs.get(y), 1) if y in proj else "–")
        rows.append(row)
    return html_table(headers, rows, caption=_("Personer 20–66 år per person 80 år og over"),
                      numeric=range(1, len(headers)), table_id="care-table-table")


def growth_text(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    text = format_percent(value, 1)
    return ("+" + text) if value > 0 else text.replace("-", "\u2212")
