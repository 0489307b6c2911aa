"""Callbacks of «Tiltak og tilskudd» (pages/measures.py): the filtered measures table and the detail view.
Plain module-level functions, so tests call them directly, e.g. ``update_measures_table("psykolog", ["K2025"],
[], [], [])`` or ``show_measure(...)``. Inputs are never trusted; nothing here raises to the user.
"""

from __future__ import annotations

from typing import Any

from dash import ALL, Input, Output, State, callback, clientside_callback, ctx, no_update
from dash.exceptions import PreventUpdate

from components import measures as mc
from store import personnel as sp
from components.i18n import _, pick

MAX_QUERY = 100


def _strings(value: Any, allowed: set[str] | None = None) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return []
    out = [v for v in value if isinstance(v, str)]
    return [v for v in out if allowed is None or v in allowed]


def valid_query(value: Any) -> str:
    return value[:MAX_QUERY] if isinstance(value, str) else ""


def valid_measure(value: Any) -> str | None:
    return value if isinstance(value, str) and sp.measure(value) is not None else None


@callback(
    output=dict(table=Output("measures-table", "children"), count=Output("measures-count", "children")),
    inputs=dict(query=Input("measures-search", "value"), plans=Input("measures-plan", "value"),
                strategies=Input("measures-strategy", "value"), chapters=Input("measures-chapter", "value"),
                result=Input("measures-result", "value")),
    state=dict(selected=State("measure-selected", "data")),
)
def update_measures_table(query, plans, strategies, chapters, result, selected=None):
    """Search + filters -> table and a count («12 av 125 tiltak»)."""
    plans_ok = _strings(plans, set(mc.PLAN_NB))
    all_m = sp.measures()
    if isinstance(plans, (list, tuple)) and not plans_ok:
        frame = all_m.iloc[0:0]
    else:
        frame = sp.filter_measures(valid_query(query), plans=plans_ok or None,
                                   strategies=_strings(strategies, set(sp.strategy_areas()["code"])) or None,
                                   chapters=_strings(chapters, set(sp.budget_chapters())) or None,
                                   with_result="ja" in _strings(result))
    n, total = len(frame), len(all_m)
    by_plan = ", ".join(_("{n} fra {plan}").format(n=(frame['plan'] == p).sum(), plan=name)
                        for p, name in mc.PLAN_NB.items()) if n else ""
    count = _("Viser {n} av {total} tiltak").format(n=n, total=total) + (f" ({by_plan})" if by_plan else "") + "."
    return {"table": mc.measures_table(frame, selected=valid_measure(selected)), "count": count}


def detail(measure_id: str | None) -> dict:
    """Modal contents for a measure id (or closed for None/unknown)."""
    m = sp.measure(measure_id) if measure_id else None
    if m is None:
        return {"is_open": False, "title": _("Tiltak"), "body": None, "selected": None}
    return {"is_open": True, "title": f"{m['measure_id']}: {pick(m, 'title')}", "body": mc.detail_body(m),
            "selected": m["measure_id"]}


@callback(
    output=dict(is_open=Output("measure-modal", "is_open"), title=Output("measure-modal-title", "children"),
                body=Output("measure-modal-body", "children"), selected=Output("measure-selected", "data")),
    inputs=dict(clicks=Input({"type": mc.SHOW_TYPE, "id": ALL}, "n_clicks"),
                close=Input("measure-modal-close", "n_clicks"), open_=Input("measure-modal", "is_open")),
    prevent_initial_call=True,
)
def show_measure(clicks, close, open_):
    """A «Vis» button opens its measure; «Lukk» or the dialog's own close (is_open False) clears it."""
    triggered = ctx.triggered[0] if ctx.triggered else {}
    return measure_action(ctx.triggered_id, triggered.get("value"), open_)


def measure_action(trigger_id, value, is_open) -> dict:
    """What the detail view does for a trigger (plain function: the callback's logic, testable).

    ``trigger_id``: a «Vis» button id ({"type": "measure-show", "id": …}), "measure-modal-close" or
    "measure-modal"; ``value``: the trigger's new value (n_clicks / is_open)."""
    if isinstance(trigger_id, dict) and trigger_id.get("type") == mc.SHOW_TYPE:
        if not value:  # buttons re-created by a new table render report n_clicks 0: not a click
            raise PreventUpdate
        out = detail(trigger_id.get("id"))
        if not out["is_open"]:
            raise PreventUpdate
        return out
    if trigger_id == "measure-modal-close" or (trigger_id == "measure-modal" and is_open is False):
        return {"is_open": False, "title": no_update, "body": no_update, "selected": None}
    raise PreventUpdate


URL_SYNC_JS = """
function(selected, query) {
    var p = new URLSearchParams();
    if (selected) { p.set('tiltak', String(selected)); }
    if (query) { p.set('sok', String(query)); }
    return window.oaUrl.write(p);  // ?lang= kept, ?presentasjon=1, address bar (assets/70-present.js)
}
"""

clientside_callback(URL_SYNC_JS, Output("measures-url-sync", "data"), Input("measure-selected", "data"),
                    Input("measures-search", "value"))
