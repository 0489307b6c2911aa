"""Choropleth map figure (plotly go.Choropleth on d3-geo: SVG, no tiles, works offline).

Two traces with fixed ``locations`` for a given geometry key (indicator+level+county):
  data[0]  every region on screen; z is null where there is no value (plotly then does not draw it)
  data[1]  the grey "Ingen data" layer over the regions that lack a value in at least one year
           (store.incomplete_regions; usually few, so its geometry is small); z = 0 where the value is
           missing this year, null elsewhere
Because locations never change for a geometry key, a change of year (or of the selected region) only
needs new z / text / hover / border arrays: ``map_arrays`` returns them, and the overview callback puts
them in a ``dash.Patch`` (see ``patch_paths``) instead of resending the geometry.

The figure is a plain dict (valid plotly JSON) so it can be cached and patched cheaply.
"""

from __future__ import annotations

import math
from typing import Any, Iterable

import pandas as pd

from components.format import plotly_separators, format_value, unit_suffix
from components.i18n import _

COLORSCALE = "Viridis"  # colour-blind-safe sequential; reversed so that higher = darker
REVERSE_SCALE = True
MISSING_COLOR = "#d4d4d4"
BORDER_COLOR = "#ffffff"
SELECTED_BORDER_COLOR = "#000000"
BORDER_WIDTH = {"county": 0.8, "municipality": 0.4}
SELECTED_BORDER_WIDTH = 2.5
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"


def _num(v) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) or math.isinf(f) else f


def color_range(values) -> tuple[float, float] | None:
    """(min, max) of the finite values, widened a little when all equal; None when there are none."""
    nums = [x for x in (_num(v) for v in values) if x is not None]
    if not nums:
        return None
    lo, hi = min(nums), max(nums)
    if lo == hi:
        pad = abs(lo) * 0.05 or 1.0
        lo, hi = lo - pad, hi + pad
    return lo, hi


def map_arrays(frame: pd.DataFrame, *, year: int, unit: str, unit_label: str, decimals: int,
               selected: str | None = None, level: str = "municipality",
               gap_codes: Iterable[str] | None = None, gap_reasons: dict[str, str] | None = None) -> dict[str, Any]:
    """Per-year arrays for the map, in ``frame`` order (frame = store.values(...)).

    ``gap_codes``: the regions the grey layer covers (store.incomplete_regions: missing in at least one
    year). Fixed per geometry key, so only z changes with the year. None = every region in the frame.
    ``gap_reasons``: code -> why the region has no value this year (store.gap_reasons, in the UI language),
    shown after «Ingen data» in the hover and the text.
    """
    codes = [str(c) for c in frame["region_code"]]
    names = [str(n) for n in frame["name"]]
    vals = [_num(v) for v in frame["value"]]
    no_data = _("Ingen data")
    reasons = gap_reasons or {}
    text = [format_value(v, unit, decimals, unit_label) if v is not None else
            (f"{no_data} – {reasons[c]}" if c in reasons else no_data) for v, c in zip(vals, codes)]
    width = BORDER_WIDTH.get(level, 0.5)

    def widths(cs):
        return [SELECTED_BORDER_WIDTH if c == selected else width for c in cs]

    def colors(cs):
        return [SELECTED_BORDER_COLOR if c == selected else BORDER_COLOR for c in cs]

    gap_set = set(codes) if gap_codes is None else set(gap_codes)
    gap_idx = [i for i, c in enumerate(codes) if c in gap_set]
    gap_locations = [codes[i] for i in gap_idx]
    return {
        "locations": codes,
        "names": names,
        "z": vals,
        "text": text,
        "hover": f"<b>%{{customdata}}</b><br>{year}: %{{text}}<extra></extra>",
        "line_width": widths(codes),
        "line_color": colors(codes),
        "gap_locations": gap_locations,
        "gap_names": [names[i] for i in gap_idx],
        "gap_z": [0 if vals[i] is None else None for i in gap_idx],
        "gap_text": [text[i] for i in gap_idx],
        "gap_hover": f"<b>%{{customdata}}</b><br>{year}: %{{text}}<extra></extra>",
        "gap_line_width": widths(gap_locations),
        "gap_line_color": colors(gap_locations),
        "n_values": sum(v is not None for v in vals),
        "n_missing": sum(v is None for v in vals),
    }


def figure_title(indicator_name: str, year: int, place: str | None = None) -> str:
    """Two lines (long indicator names must not run under the colour bar or off the figure)."""
    return f"{indicator_name}<br>{place + ', ' if place else ''}{year}"


def choropleth_figure(geojson: dict | str, arrays: dict[str, Any], *, title: str, unit: str, unit_label: str,
                      crange: tuple[float, float] | None, uirevision: str, height: int = 640) -> dict:
    """Full figure dict: values trace, gaps trace, invisible base map fitted to the locations.

    ``geojson``: a FeatureCollection, or the URL of one (the app passes /geo/<level>.json: plotly.js
    fetches it once and the browser caches it, so a figure carries only codes and values – ~20 KB instead of
    ~600 KB). Server-side image export puts the shapes back in with ``inline_geometry``."""
    lo, hi = crange if crange else (0.0, 1.0)
    legend_title = unit_suffix(unit, unit_label)
    values_trace = {
        "type": "choropleth",
        "name": _("Verdi"),
        "geojson": geojson,
        "featureidkey": "properties.code",
        "locations": arrays["locations"],
        "z": arrays["z"],
        "text": arrays["text"],
        "customdata": arrays["names"],
        "hovertemplate": arrays["hover"],
        "coloraxis": "coloraxis",
        "marker": {"line": {"color": arrays["line_color"], "width": arrays["line_width"]}},
        "showlegend": False,
    }
    if isinstance(geojson, str):  # a URL: the browser fetches (and caches) it once; locations pick the shapes
        gap_geojson = geojson
    else:
        gap_set = set(arrays["gap_locations"])
        gap_geojson = {"type": "FeatureCollection",
                       "features": [f for f in geojson["features"] if f["properties"]["code"] in gap_set]}
    missing_trace = {
        "type": "choropleth",
        "name": _("Ingen data"),
        "geojson": gap_geojson,
        "featureidkey": "properties.code",
        "locations": arrays["gap_locations"],
        "z": arrays["gap_z"],
        "text": arrays["gap_text"],
        "customdata": arrays["gap_names"],
        "hovertemplate": arrays["gap_hover"],
        "colorscale": [[0, MISSING_COLOR], [1, MISSING_COLOR]],
        "showscale": False,
        "zmin": 0,
        "zmax": 1,
        "marker": {"line": {"color": arrays["gap_line_color"], "width": arrays["gap_line_width"]}},
        "showlegend": False,
    }
    return {
        "data": [values_trace, missing_trace],
        "layout": {
            "title": {"text": title, "x": 0.01, "xanchor": "left", "y": 0.98, "yanchor": "top",
                      "font": {"size": 14}},
            "separators": plotly_separators(),
            "font": {"family": FONT, "color": "#1a1a1a"},
            "geo": {
                "visible": False,
                "scope": "world",  # plotly fetches <topojsonURL>world_110m.json even when hidden: an empty one is in assets/topojson
                "fitbounds": "locations",
                "projection": {"type": "mercator"},  # transverse mercator breaks fitbounds in plotly.js 4.1
                "bgcolor": "rgba(0,0,0,0)",
            },
            "coloraxis": {
                "colorscale": COLORSCALE,
                "reversescale": REVERSE_SCALE,
                "cmin": lo,
                "cmax": hi,
                "colorbar": {
                    "title": {"text": legend_title, "side": "top"},
                    "thickness": 14,
                    "len": 0.6,
                    "x": 1.0,
                    "xanchor": "left",
                    "separatethousands": True,
                },
            },
            "margin": {"l": 0, "r": 64, "t": 56, "b": 0},
            "height": height,
            "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff",
            "dragmode": "pan",
            "modebar": {"orientation": "v"},  # keeps the (left-aligned) title clear of the tool buttons
            "uirevision": uirevision,
            "hoverlabel": {"bgcolor": "#ffffff", "font": {"color": "#1a1a1a"}},
        },
    }


def patch_paths(arrays: dict[str, Any], *, title: str, crange: tuple[float, float] | None) -> dict[tuple, Any]:
    """The (path -> value) pairs a year/selection change needs; the callback copies them into a Patch."""
    lo, hi = crange if crange else (0.0, 1.0)
    return {
        ("data", 0, "z"): arrays["z"],
        ("data", 0, "text"): arrays["text"],
        ("data", 0, "hovertemplate"): arrays["hover"],
        ("data", 0, "marker", "line", "width"): arrays["line_width"],
        ("data", 0, "marker", "line", "color"): arrays["line_color"],
        ("data", 1, "z"): arrays["gap_z"],
        ("data", 1, "text"): arrays["gap_text"],
        ("data", 1, "hovertemplate"): arrays["gap_hover"],
        ("data", 1, "marker", "line", "width"): arrays["gap_line_width"],
        ("data", 1, "marker", "line", "color"): arrays["gap_line_color"],
        ("layout", "coloraxis", "cmin"): lo,
        ("layout", "coloraxis", "cmax"): hi,
        ("layout", "title", "text"): title,
    }


def empty_figure(message: str | None = None, height: int = 640) -> dict:
    """A blank figure with a centred message (used when nothing can be drawn)."""
    return {
        "data": [],
        "layout": {
            "xaxis": {"visible": False},
            "yaxis": {"visible": False},
            "annotations": [{"text": message or _("Ingen data for dette valget"), "showarrow": False, "font": {"size": 16, "color": "#333"},
                             "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5}],
            "height": height,
            "margin": {"l": 0, "r": 0, "t": 10, "b": 0},
            "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff",
        },
    }


def map_summary(indicator_name: str, year: int, place: str, arrays: dict[str, Any], unit: str,
                unit_label: str, decimals: int) -> str:
    """Text alternative for the map (aria-label): what is shown, range and extremes."""
    pairs = [(v, n) for v, n in zip(arrays["z"], arrays["names"]) if v is not None]
    base = _("Kart: {indicator}, {place}, {year}.").format(indicator=indicator_name, place=place, year=year)
    if not pairs:
        return base + " " + _("Ingen data for dette valget.")
    lo = min(pairs, key=lambda p: p[0])
    hi = max(pairs, key=lambda p: p[0])
    fmt = lambda v: format_value(v, unit, decimals, unit_label)  # noqa: E731
    text = base + " " + _("{n} regioner med data. Høyest: {high} ({high_value}). Lavest: {low} ({low_value}).").format(
        n=len(pairs), high=hi[1], high_value=fmt(hi[0]), low=lo[1], low_value=fmt(lo[0]))
    if arrays["n_missing"]:
        text += " " + _("{n} uten data (grå).").format(n=arrays["n_missing"]) + " "
    return text.strip() + " " + _("Se tabellen for alle verdier.")


def inline_geometry(figure: dict, resolve) -> dict:
    """A copy of ``figure`` whose choropleth traces carry their GeoJSON instead of a URL (for renderers
    that cannot fetch from the app, e.g. kaleido). ``resolve(url)`` -> FeatureCollection or None."""
    data = []
    for trace in figure.get("data") or []:
        if isinstance(trace, dict) and trace.get("type") == "choropleth" and isinstance(trace.get("geojson"), str):
            geo = resolve(trace["geojson"])
            if geo is not None:
                trace = {**trace, "geojson": geo}
        data.append(trace)
    return {**figure, "data": data}
