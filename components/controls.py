"""Option lists and small UI pieces for the controls. Pure: DataFrames in, options / components out."""

from __future__ import annotations

from typing import Iterable, Sequence

import pandas as pd
from dash import dcc, html
from components.i18n import _, pick

ALL_AREAS = "alle"  # service-area dropdown value meaning "all service areas"
WHOLE_COUNTRY = "NO"  # county dropdown value meaning "Hele landet"
GROUP_PREFIX = "__gruppe__"  # values of the (disabled) group-header options in the indicator dropdown


def is_group_value(value) -> bool:
    return isinstance(value, str) and value.startswith(GROUP_PREFIX)


def indicator_options(cat: pd.DataFrame, area_names: dict[str, str], *, grouped: bool = True) -> list[dict]:
    """Indicator dropdown options. Dash 4's dcc.Dropdown has no option groups, so each group gets a
    disabled header option ("Hjemmetjenester") and its indicators follow. An indicator is listed once,
    under its first (primary) service area, in the catalogue's sort order.
    """
    if cat is None or cat.empty:
        return []
    if not grouped:
        return [{"label": pick(r, "name"), "value": str(r.id)} for r in cat.itertuples()]
    groups: dict[str, list] = {}
    for r in cat.itertuples():
        area = (r.service_areas or ["_annet"])[0]
        groups.setdefault(area, []).append(r)
    order = [a for a in area_names if a in groups] + [a for a in groups if a not in area_names]
    options = []
    for area in order:
        options.append({"label": area_names.get(area, _("Annet")), "value": GROUP_PREFIX + area, "disabled": True})
        options += [{"label": f"\u2003{pick(r, 'name')}", "value": str(r.id)} for r in groups[area]]
    return options


def area_name(areas: pd.DataFrame, area: str) -> str:
    """The service area's name in the UI language (areas = store.service_areas()); the id if unknown."""
    hit = [r for r in areas.to_dict("records") if r["id"] == area]
    return pick(hit[0], "name") if hit else area


def service_area_options(areas: pd.DataFrame) -> list[dict]:
    return [{"label": _("Alle tjenesteområder"), "value": ALL_AREAS}] + [
        {"label": pick(r, "name"), "value": str(r.id)} for r in areas.itertuples()
    ]


def county_options(counties: pd.DataFrame) -> list[dict]:
    return [{"label": _("Hele landet"), "value": WHOLE_COUNTRY}] + [
        {"label": f"{r.name} ({r.region_code})", "value": str(r.region_code)} for r in counties.itertuples()
    ]


LAZY_SUFFIX = "-options"


def lazy_options(dropdown_id: str, options: list[dict], value) -> tuple[list[dict], dcc.Store]:
    """(the dropdown's first options: the chosen one only, the store with them all): a long list is put into
    the dropdown on first use (callbacks/lazy_options.py, which names the dropdowns)."""
    chosen = [o for o in options if value is not None and o.get("value") == value]
    return chosen, dcc.Store(id=dropdown_id + LAZY_SUFFIX, data=options)


def municipality_options(munis: pd.DataFrame) -> list[dict]:
    return [{"label": f"{r.name} ({r.region_code})", "value": str(r.region_code)} for r in munis.itertuples()]


def level_options(available: Iterable[str]) -> list[dict]:
    """Radio options; a level without data for the indicator is disabled."""
    available = set(available)
    return [
        {"label": _("Fylke"), "value": "fylke", "disabled": "fylke" not in available},
        {"label": _("Kommune"), "value": "kommune", "disabled": "kommune" not in available},
    ]


def year_marks(years: Sequence[int]) -> dict:
    """Slider marks: one per year with data (the snap callback treats the mark keys as the selectable
    years); labels are thinned to first, last and every fifth year when there are more than fit beside each
    other in the controls column (~7 four-digit labels in 290 px)."""
    ys = sorted({int(y) for y in years})
    if not ys:
        return {}
    many = len(ys) > 7
    marks = {}
    for y in ys:
        label = str(y) if (not many or y in (ys[0], ys[-1]) or (y % 5 == 0 and ys[-1] - y >= 2 and y - ys[0] >= 2)) else ""
        marks[y] = label
    return marks


def year_step(years: Sequence[int]) -> int | None:
    """1 when the years are contiguous (keyboard moves one year); None when there are gaps (the slider
    then snaps to the marks, and the clientside snap in callbacks/overview.py handles the keyboard)."""
    ys = sorted({int(y) for y in years})
    return 1 if all(b - a == 1 for a, b in zip(ys, ys[1:])) else None


def source_line(source: str | None, licence: str | None, url: str | None = None, extra: str | None = None):
    """'Kilde: SSB, tabell 07459 (Befolkning) · Lisens: NLOD 2.0' as a <p>."""
    parts: list = [_("Kilde:") + " "]
    src = source or _("ukjent")
    if url and str(url).startswith(("http://", "https://")):
        parts.append(html.A(src, href=url, target="_blank", rel="noopener noreferrer"))
    else:
        parts.append(src)
    if licence:
        parts.append(" · " + _("Lisens: {licence}").format(licence=licence))
    if extra:
        parts.append(f" · {extra}")
    return parts
