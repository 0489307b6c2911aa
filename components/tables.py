"""Accessible HTML tables (the text alternative behind every chart). Pure builders."""

from __future__ import annotations

import math
from typing import Iterable, Sequence

import pandas as pd
from dash import dcc, html
from dash.development.base_component import Component

from components.format import MISSING, format_value, format_year_range
from components.htmlblock import HtmlBlock
from components.markup import Html, element, to_html
from components.trend import lines
from components.i18n import N_, _, current_lang, pick, picked_lang

LEVEL_NB = {"country": N_("land"), "county": N_("fylke"), "municipality": N_("kommune")}  # _() where shown


def html_table(headers: Sequence[str], rows: Iterable[Sequence], *, caption: str | None = None,
               numeric: Sequence[int] = (), table_id: str | None = None, row_classes: Sequence[str] | None = None,
               class_name: str = "table table-sm data-table", static: bool = False,
               wrap: Sequence[int] = ()) -> html.Table | Component:
    """A plain <table> with <caption>, <th scope=col> headers; ``numeric`` = right-aligned column indexes
    (kept on one line), ``wrap`` = numeric columns whose cells may wrap (a value with its interval), so the
    table fits its card.

    The first cell of each row is a row header (<th scope=row>) when ``row_headers`` style is wanted:
    callers pass it as an html.Th themselves if they need it (in a static table also element("th", ...)).

    ``static=True`` (for long tables without callbacks inside, e.g. 357 ranked municipalities) sends the
    same table as one pre-rendered, escaped HTML string (components.htmlblock.HtmlBlock): the browser then
    renders one component instead of thousands, which otherwise stalls Dash's renderer for seconds on every
    update. The markup is then built directly as a string (components.markup.element), the same string the
    html components would give: a table of a few hundred cells costs a few ms instead of tens.
    """
    numeric, wrap = set(numeric), set(wrap)

    def cls(i):  # only pass className when set: None props would still be serialised
        names = (["num"] if i in numeric else []) + (["num-wrap"] if i in wrap else [])
        return {"className": " ".join(names)} if names else {}

    if static:
        return HtmlBlock(data=_table_markup(headers, rows, cls, caption=caption, table_id=table_id,
                                            row_classes=row_classes, class_name=class_name),
                         className="static-table")
    head = html.Thead(html.Tr([html.Th(h, scope="col", **cls(i)) for i, h in enumerate(headers)]))
    body_rows = []
    for r, row in enumerate(rows):
        cells = []
        for i, cell in enumerate(row):
            if isinstance(cell, (html.Th, html.Td)):
                cells.append(cell)
            else:
                cells.append(html.Td(cell, **cls(i)))
        row_cls = row_classes[r] if row_classes is not None and r < len(row_classes) else None
        body_rows.append(html.Tr(cells, **({"className": row_cls} if row_cls else {})))
    children = []
    if caption:
        children.append(html.Caption(caption))
    children += [head, html.Tbody(body_rows)]
    kwargs = {"id": table_id} if table_id else {}
    return html.Table(children, className=class_name, **kwargs)


_CELL_TAGS = ("<th ", "<th>", "<td ", "<td>")


def _table_markup(headers, rows, cls, *, caption, table_id, row_classes, class_name) -> Html:
    """The table of html_table as markup, built directly (components.markup.element): the same string as
    the components it stands for. A cell that is an html.Th/html.Td or Html starting with <th>/<td> is the
    cell itself; anything else goes inside a <td> with the column's class."""
    opens: dict[int, str] = {}

    def td_open(i):
        if i not in opens:
            opens[i] = element("td", **cls(i))[:-len("</td>")]
        return opens[i]

    body = []
    for r, row in enumerate(rows):
        cells = []
        for i, cell in enumerate(row):
            if isinstance(cell, (html.Th, html.Td)) or (type(cell) is Html and cell.startswith(_CELL_TAGS)):
                cells.append(to_html(cell))
            else:
                cells.append(f"{td_open(i)}{to_html(cell)}</td>")
        row_cls = row_classes[r] if row_classes is not None and r < len(row_classes) else None
        body.append(element("tr", Html("".join(cells)), **({"className": row_cls} if row_cls else {})))
    head = element("thead", element("tr", [element("th", h, scope="col", **cls(i)) for i, h in enumerate(headers)]))
    return element("table", [element("caption", caption) if caption else None, head,
                             element("tbody", Html("".join(body)))],
                   className=class_name, **({"id": table_id} if table_id else {}))


def no_data(message: str | None = None) -> html.P:
    return html.P(message or _("Ingen data for dette valget"), className="no-data", role="status")


def rank_rows(frame: pd.DataFrame, *, descending: bool = True) -> pd.DataFrame:
    """Add ``rank`` (1 = highest value; ties share a rank; missing values last, rank NaN)."""
    out = frame.copy()
    out["rank"] = out["value"].rank(method="min", ascending=not descending)
    out = out.sort_values(["rank", "name"], na_position="last", kind="stable")
    return out


def rank_table(frame: pd.DataFrame, *, unit: str, unit_label: str, decimals: int, level: str, year: int,
               indicator_name: str, selected: str | None = None, show_county: bool = False,
               table_id: str = "rank-table-table") -> html.Table | html.P:
    """Ranked table (Rang, Region, [Fylke], Verdi) of the regions on screen (frame = store.values)."""
    if frame is None or frame.empty or frame["value"].notna().sum() == 0:
        return no_data()
    ranked = rank_rows(frame)
    region_header = _("Fylke") if level == "county" else _("Kommune")
    headers = [_("Rang"), region_header] + ([_("Fylke")] if show_county else []) + [_("Verdi")]
    rows, classes = [], []
    for r in ranked.itertuples():
        rank = "" if r.rank is None or (isinstance(r.rank, float) and math.isnan(r.rank)) else str(int(r.rank))
        name_cell = element(
            "th",
            [r.name, element("span", " " + _("(valgt)"), className="visually-hidden")] if r.region_code == selected
            else r.name,
            scope="row",
        )
        value = format_value(r.value, unit, decimals, unit_label, missing=_("Ingen data"))
        row = [rank, name_cell] + ([r.county_name or ""] if show_county else []) + [value]
        rows.append(row)
        classes.append("is-selected" if r.region_code == selected else "")
    numeric = [0, len(headers) - 1]
    caption = _("{indicator}, {year}: rangert fra høyest til lavest").format(indicator=indicator_name, year=year)
    return html_table(headers, rows, caption=caption, numeric=numeric, table_id=table_id, row_classes=classes,
                      static=True)


def trend_table(series: pd.DataFrame, *, unit: str, unit_label: str, decimals: int, indicator_name: str,
                order: Sequence[str] | None = None, table_id: str = "trend-table-table") -> html.Table | html.P:
    """Years as rows, one column per region (series = store.series)."""
    if series is None or series.empty or series["value"].notna().sum() == 0:
        return no_data()
    per_region = lines(series, order)  # components/trend.py: one pass over the columns
    codes = [line["code"] for line in per_region]
    names = {line["code"]: line["name"] for line in per_region}
    lookup: dict[tuple[str, int], float | None] = {}
    for line in per_region:
        for year, value in zip(line["years"], line["values"]):
            lookup.setdefault((line["code"], year), value)  # the first row per region and year
    years = sorted({int(y) for y in series["year"]})
    rows = []
    for y in years:
        rows.append([html.Th(str(y), scope="row")] + [
            format_value(lookup.get((c, y)), unit, decimals, unit_label, missing=MISSING) for c in codes
        ])
    headers = [_("År")] + [names.get(c, c) for c in codes]
    return html_table(headers, rows, caption=_("{indicator} over tid").format(indicator=indicator_name), numeric=range(1, len(headers)),
                      table_id=table_id, static=True)


def _fallback(text: str, lang: str):
    """Catalogue text that only exists in bokmål, inside an English page: marked lang="nb" (WCAG 3.1.2)."""
    if not text or lang == current_lang():
        return text
    return html.Span(text, lang=lang)


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and math.isnan(v):
        return ""
    return str(v)


def catalog_table(cat: pd.DataFrame, service_area_names: dict[str, str], *,
                  table_id: str = "catalog-table-table") -> html.Table | html.P:
    """The indicator catalogue: name, definition, unit, service areas, source, licence, years, levels, notes."""
    if cat is None or cat.empty:
        return no_data(_("Ingen indikatorer passer søket"))
    headers = [_("Indikator"), _("Definisjon"), _("Enhet"), _("Tjenesteområder"), _("Kilde"), _("Lisens"), _("År"),
               _("Nivåer"), _("Merknader")]
    rows = []
    for r in cat.itertuples():
        source = _text(r.source)
        url = _text(r.source_url)
        source_cell = html.A(source, href=url, target="_blank", rel="noopener noreferrer") if url.startswith(
            ("http://", "https://")) else source
        rows.append([
            html.Th(pick(r, "name"), scope="row"),
            _fallback(pick(r, "definition"), picked_lang(r, "definition")),
            pick(r, "unit") or _text(r.unit),
            ", ".join(service_area_names.get(s, s) for s in (r.service_areas or [])),
            _fallback(source_cell, "nb"),  # the sources' own (Norwegian) titles
            _text(r.licence),
            format_year_range(r.years),
            ", ".join(_(LEVEL_NB.get(lv, lv)) for lv in (r.levels or [])),
            _fallback(_text(r.notes), "nb"),
        ])
    return html_table(headers, rows, caption=_("Indikatorkatalog"), table_id=table_id,
                      class_name="table table-sm data-table catalog", static=True)
