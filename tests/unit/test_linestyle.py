"""One visual language for the line charts (components/linestyle.py, issue 14): every trend builder draws a
place, a neighbour median, a projection and a category line the same way, never by colour alone, in
colour-blind-safe colours with enough contrast. Small hand-made frames in the store's format (fixtures)."""
from __future__ import annotations

import pandas as pd

from components import linestyle as ls
from components import personnel as pc
from components import pyramid, trend

FIXTURE_SERIES = pd.DataFrame({  # fixture: store.series format (+ the profile's neighbour medians)
    "region_code": ["4601"] * 3 + ["46"] * 3 + ["NO"] * 3 + ["GEO"] * 3 + ["STAT"] * 3,
    "name": ["Bergen"] * 3 + ["Vestland"] * 3 + ["Norge"] * 3 + ["Geo (median)"] * 3 + ["Stat (median)"] * 3,
    "level": ["municipality"] * 3 + ["county"] * 3 + ["country"] * 3 + ["group"] * 6,
    "year": [2022, 2023, 2024] * 5,
    "value": [4.1, 4.3, 4.5, 5.0, 5.1, 5.2, 4.6, 4.7, 4.9, 4.2, 4.4, 4.6, 4.0, None, 4.3],
})


def _contrast(hex_colour: str) -> float:
    """WCAG contrast ratio against white."""
    def lin(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(int(hex_colour[i:i + 2], 16) / 255) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def test_places_differ_by_more_than_colour_and_have_contrast():
    styles = list(ls.REGION_STYLES.values())
    assert len({s["symbol"] for s in styles}) == len(styles), "two places share a marker"
    assert len({s["color"] for s in styles}) == len(styles)
    for s in styles:
        assert _contrast(s["color"]) >= 3.0, s
    # registered values of a place are solid; the country is neither dotted nor dashed; medians are dotted
    for level in ("municipality", "county", "country"):
        assert ls.region_style(level)["dash"] == ls.REGISTERED == "solid"
    assert ls.region_style("group", "GEO")["dash"] == ls.region_style("group", "STAT")["dash"] == ls.MEDIAN
    assert ls.region_style("municipality")["width"] > ls.region_style("country")["width"]
    # the county is a diamond, as on the profile's spine chart
    assert ls.region_style("county")["symbol"] == "diamond"


def test_projected_values_are_dashed_with_open_markers():
    p = ls.line_props(ls.region_style("county"), projected=True)
    assert p["line"]["dash"] == ls.PROJECTED and p["marker"]["symbol"] == "diamond-open"
    assert p["line"]["color"] == p["marker"]["color"] == ls.VERMILLION
    assert ls.PROJECTED not in {ls.REGISTERED, ls.MEDIAN}


def test_trend_figure_uses_the_shared_styles_for_places_and_neighbour_medians():
    fig = trend.trend_figure(FIXTURE_SERIES, title="T", unit="percent", unit_label="%", decimals=1)
    by_name = {t["name"]: t for t in fig["data"]}
    for name, key, level in (("Bergen", None, "municipality"), ("Vestland", None, "county"),
                             ("Norge", None, "country"), ("Geo (median)", "GEO", "group"),
                             ("Stat (median)", "STAT", "group")):
        want = ls.line_props(ls.region_style(level, key))
        assert by_name[name]["line"] == want["line"] and by_name[name]["marker"] == want["marker"], name
    # every line is named in the legend, also the country alone (plotly hides a one-line legend by default)
    alone = trend.trend_figure(FIXTURE_SERIES[FIXTURE_SERIES["region_code"] == "NO"], title="T", unit="percent",
                               unit_label="%", decimals=1)
    assert len(alone["data"]) == 1 and alone["layout"]["showlegend"] is True
    assert alone["data"][0]["line"]["dash"] == "solid" and alone["data"][0]["marker"]["symbol"] == "square"
    assert by_name["Stat (median)"]["y"][1] is None and by_name["Stat (median)"]["connectgaps"] is False


def test_care_figure_draws_places_like_the_trend_and_projections_dashed():
    def frame(v):
        return pd.DataFrame({"year": [2025, 2026, 2027, 2028], "care_ratio": [v, v - 0.1, v - 0.2, v - 0.3],
                             "projected": [False, False, True, True]})
    fig = pyramid.care_figure([("Bergen", "municipality", frame(13.0)), ("Vestland", "county", frame(11.5)),
                               ("Hele landet", "country", frame(12.0))])
    for t in fig["data"]:
        level = {"Bergen": "municipality", "Vestland": "county", "Hele landet": "country"}[t["name"]]
        projected = t["marker"]["symbol"].endswith("-open")
        assert t["line"] == ls.line_props(ls.region_style(level), projected=projected)["line"], t["name"]
        assert t["line"]["dash"] == ("dash" if projected else "solid")


def test_age_groups_and_personnel_lines_use_the_shared_category_styles():
    s = pd.DataFrame({"year": [2025, 2026, 2027], "67+": [10.0, 11, 12], "80+": [5.0, 6, 7], "90+": [1.0, 1, 2],
                      "projected": [False, False, True]})
    fig = pyramid.groups_figure(s, region_name="X")
    for t in fig["data"]:
        st = ls.AGE_GROUP_STYLES[t["name"]]
        assert t["line"]["color"] == st["color"] and t["marker"]["symbol"].replace("-open", "") == st["symbol"]
    values = pd.DataFrame({"group": ["A", "A", "B", "B"], "year": [2015, 2016, 2015, 2016],
                           "value": [1.0, 2.0, 3.0, 4.0]})
    fig = pc.time_figure(values, label_col="group", title="T", unit="persons", unit_label="årsverk", decimals=0,
                         mode="line")
    assert len(fig["data"]) == 2
    for i, t in enumerate(fig["data"]):
        assert t["line"] == ls.line_props(ls.category_style(i))["line"]
        assert t["marker"]["symbol"] == ls.category_style(i)["symbol"]


def test_category_styles_stay_distinct_for_many_lines():
    combos = {(ls.category_style(i)["color"], ls.category_style(i)["symbol"]) for i in range(72)}
    assert len(combos) == 72
    assert {ls.category_style(i)["dash"] for i in range(72)} == {"solid"}
