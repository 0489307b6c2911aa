"""components.deferred.Deferred (a chart mounted when it comes into view) and the year slider's marks."""
from __future__ import annotations

import json

from dash import dcc
from plotly.io.json import to_json_plotly

from components import controls
from components.deferred import Deferred, figure_height
from components.firstpaint import first_paint


def test_deferred_serialises_its_graph_as_a_child():
    graph = dcc.Graph(id="trend", figure={"data": [], "layout": {"height": 380}})
    box = json.loads(to_json_plotly(Deferred(graph, height=380)))
    assert box["namespace"] == "omsorgsatlas" and box["type"] == "Deferred"
    assert box["props"]["height"] == 380
    assert box["props"]["children"]["props"]["id"] == "trend"  # the graph stays in Dash's layout


def test_figure_height_from_dict_figure_or_default():
    assert figure_height({"layout": {"height": 512}}) == 512
    assert figure_height({"layout": {}}, 300) == 300
    assert figure_height(None, 640) == 640


def test_first_paint_keeps_the_graph_box_inside_a_deferred():
    layout = json.loads(to_json_plotly(Deferred(dcc.Graph(id="map", figure={"layout": {"height": 640}}), height=640)))
    out = first_paint(layout)
    assert "min-height:640px" in out.replace(" ", "")


def test_year_marks_thin_labels_that_would_not_fit():
    marks = controls.year_marks(range(2015, 2026))
    assert set(marks) == set(range(2015, 2026))  # every year stays selectable
    assert [y for y, label in marks.items() if label] == [2015, 2020, 2025]
    few = controls.year_marks([2019, 2020, 2021])
    assert all(few.values())


def test_trend_lines_one_pass_keeps_order_gaps_and_first_row():
    """components.trend.lines: the chart, its text alternative and the trend table all read the series through it."""
    import math

    import pandas as pd

    from components.trend import lines
    frame = pd.DataFrame({"region_code": ["NO", "4601", "NO", "4601", "4601"],
                          "name": ["Norge", "Bergen", "Norge", "Bergen", "Bergen"],
                          "level": ["country", "municipality", "country", "municipality", "municipality"],
                          "year": [2021, 2021, 2020, 2020, 2020], "value": [2.0, math.nan, 1.0, 5.0, 6.0]})
    got = lines(frame)
    assert [g["code"] for g in got] == ["NO", "4601"]  # as they come
    assert got[0]["years"] == [2020, 2021] and got[0]["values"] == [1.0, 2.0]  # sorted by year
    assert got[1]["years"] == [2020, 2020, 2021] and got[1]["values"] == [5.0, 6.0, None]  # gap -> None, first row first
    assert [g["code"] for g in lines(frame, ["4601", "XX", "NO"])] == ["4601", "NO"]  # order; unknown codes skipped
