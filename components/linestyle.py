"""One visual language for every line chart over time (issue 14). Pure data and small helpers, no Dash.

Used by every trend builder: components/trend.py (Kart og trender, Min kommune, the embeds and image exports),
components/pyramid.py (Befolkning og behov: eldre over tid, omsorgsressurs) and components/personnel.py.

The rules, the same in every chart:

* **Which place** – colour *and* marker symbol *and* line width, never colour alone, and always named in the
  legend. The selected municipality is the thickest line; the county has a diamond, as on the profile's spine
  chart (◆ = fylket); the country is black.
* **What kind of number** – the line's dash. Solid: registered values. Dashed, with open markers, inside the
  shaded «Framskrevet» band: Omsorgsatlas' projection. Dotted: a median of a group of municipalities (the
  neighbour groups on «Min kommune»). So a dotted or dashed line never stands for the country or a county
  (before, the country was a dotted line with diamonds here and a solid one there).
* **Colours** – Okabe–Ito (distinguishable with the common colour-vision deficiencies), each at least 3:1
  against the white plot background (WCAG 1.4.11): blue 5.2, vermillion 3.9, black 21, bluish green 3.4,
  reddish purple 3.1.
* Lines that are categories rather than places (age groups, occupations) cycle through ``CATEGORY_COLOURS``
  and ``CATEGORY_SYMBOLS`` (periods 8 and 9, so 72 lines stay distinct), solid unless projected. The colours
  are those of the personnel bars, so a group keeps its colour when a panel switches between bars and lines;
  the lighter ones (orange, sky blue, yellow) are below 3:1 and rely on their marker and the table.
"""

from __future__ import annotations

BLUE, VERMILLION, BLACK, GREEN, PURPLE = "#0072B2", "#D55E00", "#000000", "#009E73", "#CC79A7"

# kind of number -> dash
REGISTERED, PROJECTED, MEDIAN = "solid", "dash", "dot"

# place -> colour, marker, width (and the dash of its kind of number)
REGION_STYLES: dict[str, dict] = {
    "municipality": {"color": BLUE, "symbol": "circle", "width": 3.0, "dash": REGISTERED},
    "county": {"color": VERMILLION, "symbol": "diamond", "width": 2.5, "dash": REGISTERED},
    "country": {"color": BLACK, "symbol": "square", "width": 2.5, "dash": REGISTERED},
    # medians of the neighbour groups (callbacks/comparison.neighbour_trend_series: codes GEO / STAT)
    "GEO": {"color": GREEN, "symbol": "triangle-up", "width": 2.0, "dash": MEDIAN},
    "STAT": {"color": PURPLE, "symbol": "triangle-down", "width": 2.0, "dash": MEDIAN},
}

# categories (not places): Okabe–Ito in its usual order, black last (the bars of a panel use the same colours)
CATEGORY_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
CATEGORY_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star", "triangle-down", "cross",
                    "hexagon")
MARKER_SIZE = 7

# the age groups of «Befolkning og behov» (named categories, same in every chart that shows them)
AGE_GROUP_STYLES: dict[str, dict] = {
    "67+": {"color": GREEN, "symbol": "circle", "width": 2.5, "dash": REGISTERED},
    "80+": {"color": BLUE, "symbol": "square", "width": 2.5, "dash": REGISTERED},
    "90+": {"color": PURPLE, "symbol": "diamond", "width": 2.5, "dash": REGISTERED},
}


def region_style(level: str, code: str | None = None) -> dict:
    """Style of a place's line: by its code for the neighbour groups (GEO/STAT), else by its level
    (municipality, county, country; anything else is drawn like the country)."""
    if code in REGION_STYLES:
        return REGION_STYLES[code]
    return REGION_STYLES.get(level, REGION_STYLES["country"])


def category_style(i: int) -> dict:
    """Style of the i-th category line (age group, occupation …)."""
    return {"color": CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)], "symbol": CATEGORY_SYMBOLS[i % len(CATEGORY_SYMBOLS)],
            "width": 2.5, "dash": REGISTERED}


def line_props(style: dict, *, projected: bool = False, marker_size: int = MARKER_SIZE) -> dict:
    """The ``line`` and ``marker`` of a plotly scatter trace in this style; projected values are dashed with
    open markers."""
    return {
        "line": {"color": style["color"], "dash": PROJECTED if projected else style["dash"], "width": style["width"]},
        "marker": {"symbol": f"{style['symbol']}-open" if projected else style["symbol"], "size": marker_size,
                   "color": style["color"]},
    }
