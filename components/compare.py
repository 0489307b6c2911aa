"""Comparison views: benchmark badges, spine chart, tartan rug, neighbour tables. Pure builders.

Palette (colour-blind safe, blue/orange + purple for neutral indicators, as Fingertips' accessible
palette; a single-hue teal scale for the fifths of values without an interval): the class is always also
written as text and a position symbol (▲ above, ▼ below, ● similar, ▁▂▄▆█ lowest … highest fifth).
"""
from __future__ import annotations

import functools
import math
from typing import Sequence
from urllib.parse import urlencode

from dash import dcc, html

from components.format import NBSP, plotly_separators, format_number, format_value
from components.mapfig import FONT
from components.markup import Html, element, link, to_html
from components.tables import html_table, no_data
from store.benchmark import LABELS_NB, QUINTILE_KEYS, SYMBOLS, Benchmark
from components.i18n import N_, _, current_lang

# key -> (background, text colour); text contrast >= 4.5:1 on every background
COLOURS = {
    "better": ("#1f5f99", "#ffffff"),
    "worse": ("#a84b00", "#ffffff"),
    "similar": ("#fde49c", "#1a1a1a"),
    "higher": ("#4b2a80", "#ffffff"),
    "lower": ("#c9c1e3", "#1a1a1a"),
    # the value's fifth among all municipalities (no interval, so no test): light to dark
    "q1": ("#e4f2ef", "#1a1a1a"),
    "q2": ("#a9d8cf", "#1a1a1a"),
    "q3": ("#5fada1", "#1a1a1a"),
    "q4": ("#2f7d72", "#ffffff"),
    "q5": ("#0e4d45", "#ffffff"),
    "none": ("#ffffff", "#1a1a1a"),
}
MARKER_SYMBOL = {"above": "triangle-up", "below": "triangle-down", "similar": "circle", "none": "circle-open",
                 **{q: "square" for q in QUINTILE_KEYS}}
METHOD_NB = {"significance": N_("95 %-intervall"), "quintile": N_("ikke testet, uten intervall"),
             None: N_("ikke vurdert")}
# store.benchmark.LABELS_NB, marked for extraction here (the store has no translations): shown as _(b.label_nb)
_BENCH_LABELS = (N_("Bedre"), N_("Dårligere"), N_("Ingen forskjell"), N_("Høyere"), N_("Lavere"), N_("Ikke vurdert"),
                 N_("Laveste femtedel"), N_("Nest laveste femtedel"), N_("Midterste femtedel"),
                 N_("Nest høyeste femtedel"), N_("Høyeste femtedel"))

FEATURE_NAMES = {
    "log_population": (N_("Folkemengde"), "persons", 0),
    "log_density": (N_("Innbyggere per km²"), "per_km2", 1),
    "growth_10y": (N_("Befolkningsvekst siste 10 år"), "percent", 1),
    "share_80plus": (N_("Andel 80 år og over"), "percent", 1),
    "share_67plus": (N_("Andel 67 år og over"), "percent", 1),
    "median_age": (N_("Medianalder"), "years", 1),
    "care_ratio": (N_("Personer 20–66 per person 80+"), "ratio", 1),
}  # names translated where shown: feature_name()


def feature_name(feature: str) -> str:
    return _(FEATURE_NAMES[feature][0]) if feature in FEATURE_NAMES else feature


def bench_label(b: Benchmark) -> str:
    return _(b.label_nb)


def bench_phrase(b: Benchmark, reference: str | None = None, among: str = "municipality") -> str:
    """The class as a phrase for hover texts and screen readers: «lavere enn landet» for a tested class,
    «laveste femtedel blant kommunene» for a fifth (``among``: "municipality" or "county", the
    distribution the fifth was taken in), «ikke vurdert» without a class."""
    label = bench_label(b)
    if b.is_quintile:
        return (_("{label} blant fylkene") if among == "county" else _("{label} blant kommunene")).format(
            label=label.lower())
    if b.key == "none" or not reference:
        return label.lower()
    if b.key == "similar":
        return _("ingen sikker forskjell fra {reference}").format(reference=reference)
    return _("{label} enn {reference}").format(label=label.lower(), reference=reference)


def fmt_feature(feature: str, value) -> str:
    name, unit, dec = FEATURE_NAMES.get(feature, (feature, "", 1))
    if unit == "percent":
        return format_value(value, "percent", dec)
    if unit == "years":
        return format_value(value, "years", dec)
    return format_number(value, dec)


def profile_href(knr: str, area: str | None = None) -> str:
    q = {"knr": knr}
    if area:
        q["omrade"] = area
    return "/kommune?" + urlencode(q)


def badge(b: Benchmark, ref_name: str | None = None) -> Html:
    """Coloured badge with symbol and text (e.g. '▲ Høyere'), as markup (inside the profile's static table)."""
    bg, fg = COLOURS[b.key]
    label = bench_label(b)
    if b.is_quintile:
        label = _("{label} blant kommunene").format(label=label)
    elif ref_name and b.key not in ("similar", "none"):
        label = _("{label} enn {reference}").format(label=label, reference=ref_name)
    title = f"{label} ({_(METHOD_NB[b.method])})"
    return element("span", [element("span", b.symbol, **{"aria-hidden": "true"}), f"{NBSP}{bench_label(b)}"],
                   className=f"bm bm-{b.key}", title=title, style={"background": bg, "color": fg})


def legend(neutral_too: bool = True, among: str = "municipality") -> html.Div:
    """The classes with their colours and symbols: the tested ones (95 % interval against the reference),
    then the fifths used where no interval exists, with a line saying what a fifth means."""
    pos = {"better": "above", "worse": "below", "higher": "above", "lower": "below", "similar": "similar",
           "none": "none", **{q: q for q in QUINTILE_KEYS}}

    def items(keys):
        out = []
        for k in keys:
            bg, fg = COLOURS[k]
            out.append(html.Li([html.Span(SYMBOLS[pos[k]], className=f"bm bm-{k}", style={"background": bg, "color": fg},
                                          **{"aria-hidden": "true"}), f" {_(LABELS_NB[k])}"]))
        return out

    tested = ["better", "similar", "worse"] + (["higher", "lower"] if neutral_too else []) + ["none"]
    among_text = _("fylkene") if among == "county" else _("kommunene")
    return html.Div([
        html.Ul([html.Li(_("Testet med 95 %-intervall:"), className="bm-legend-head")] + items(tested),
                className="bm-legend list-inline small mb-1"),
        html.Ul([html.Li(_("Uten intervall:"), className="bm-legend-head")] + items(QUINTILE_KEYS),
                className="bm-legend list-inline small mb-1"),
        html.P(_("Tall uten 95 %-intervall (som folkemengde og medianalder) kan ikke testes mot landet. For dem "
                 "viser fargen hvilken femtedel av {among} verdien ligger i, fra laveste til høyeste femtedel "
                 "(som Fingertips gjør), ikke om forskjellen er sikker.").format(among=among_text),
               className="bm-legend-note small mb-1"),
    ], className="bm-legend-block")


def legend_markup(neutral_too: bool = True, among: str = "municipality") -> Html:
    """legend() as markup: built once per language (it depends on nothing else)."""
    return _legend_markup(current_lang(), neutral_too, among)


@functools.lru_cache(maxsize=16)
def _legend_markup(_lang: str, neutral_too: bool, among: str) -> Html:
    return Html(to_html(legend(neutral_too, among)))


def value_with_ci(r: dict) -> str:
    if r.get("value") is None and r.get("gap_reason"):
        return _("Ingen data") + " – " + r["gap_reason"]
    txt = format_value(r["value"], r["unit"], r["decimals"], r["unit_nb"])
    if _ok(r.get("ci_low")) and _ok(r.get("ci_high")):
        lo = format_number(r["ci_low"], r["decimals"])
        hi = format_number(r["ci_high"], r["decimals"])
        txt += f" ({lo}–{hi})"
    return txt


def _decimals_of(x) -> int:
    """Decimals needed to show a weight as written (1 -> 0, 0.5 -> 1, 0.25 -> 2)."""
    text = f"{float(x):g}"
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


def _ok(x) -> bool:
    try:
        return x is not None and not math.isnan(float(x))
    except (TypeError, ValueError):
        return False


# ------------------------------------------------------------------------------------------ spine chart
def spine_position(x, centre, lo, hi, flip: bool) -> float | None:
    """Fingertips' scaling: [min, centre] -> [-1, 0] and [centre, max] -> [0, 1], each side on its own."""
    if not _ok(x) or not _ok(centre):
        return None
    x, c = float(x), float(centre)
    span = (c - lo) if x < c else (hi - c)
    p = (x - c) / span if span > 0 else 0.0
    return -p if flip else p


def spine_figure(rows: Sequence[dict], *, muni_name: str, county_name: str, title: str) -> dict:
    """Fingertips-style spine chart: per indicator the range of all municipalities (light: min–max, dark:
    25–75 percentile), the country at the centre line, the county (◆) and the municipality (▲▼●,
    coloured by its class against the country). Indicators with direction lower_better are flipped so
    that "better" is always to the right; neutral indicators show higher to the right."""
    rows = [r for r in rows if _ok(r.get("country")) and _ok(r.get("min"))]
    if not rows:
        return {"data": [], "layout": {"height": 160, "annotations": [{"text": _("Ingen data"), "showarrow": False}],
                                       "xaxis": {"visible": False}, "yaxis": {"visible": False}}}
    names, rng_base, rng_len, iq_base, iq_len = [], [], [], [], []
    mx, my, msym, mcol, mtext = [], [], [], [], []
    cx, cy, ctext = [], [], []
    for r in rows:
        lo_, hi_ = float(r["min"]), float(r["max"])
        c = float(r["country"])
        total = not (lo_ <= c <= hi_)  # an additive count: the country's total is off the municipal scale
        centre = float(r["median"]) if total else c
        half = (lo_, hi_)
        flip = r["direction"] == "lower_better"
        name = (r["name"] + (" " + _("(snudd: lavere er bedre)") if flip else "")
                + (" " + _("(midt: median kommune)") if total else ""))
        names.append(name)
        a, b = sorted([spine_position(r["min"], centre, *half, flip), spine_position(r["max"], centre, *half, flip)])
        rng_base.append(a)
        rng_len.append(b - a)
        a, b = sorted([spine_position(r["p25"], centre, *half, flip), spine_position(r["p75"], centre, *half, flip)])
        iq_base.append(a)
        iq_len.append(b - a)
        fmt = lambda v: format_value(v, r["unit"], r["decimals"], r["unit_nb"])  # noqa: E731
        if _ok(r.get("value")):
            b_ = r["bench_country"]
            mx.append(spine_position(r["value"], centre, *half, flip))
            my.append(name)
            msym.append(MARKER_SYMBOL[b_.position])
            mcol.append(COLOURS[b_.key][0] if b_.key != "none" else "#1a1a1a")
            mtext.append(f"{muni_name}: {value_with_ci(r)}<br>{b_.symbol} "
                         + bench_phrase(b_, _("landet")) + f" ({_(METHOD_NB[b_.method])})<br>"
                         + _("Landet: {value} · spenn {low}–{high}").format(value=fmt(c), low=fmt(r['min']),
                                                                            high=fmt(r['max'])))
        if _ok(r.get("county")):
            cx.append(None if total else spine_position(r["county"], centre, *half, flip))
            cy.append(name)
            ctext.append(f"{county_name}: {fmt(r['county'])}")
    data = [
        {"type": "bar", "orientation": "h", "y": names, "x": rng_len, "base": rng_base, "name": _("Alle kommuner (min–maks)"),
         "marker": {"color": "#dcdcdc"}, "hoverinfo": "skip", "width": 0.6},
        {"type": "bar", "orientation": "h", "y": names, "x": iq_len, "base": iq_base, "name": _("Midterste halvdel (25–75 %)"),
         "marker": {"color": "#9a9a9a"}, "hoverinfo": "skip", "width": 0.6},
        {"type": "scatter", "mode": "markers", "x": cx, "y": cy, "name": county_name, "text": ctext,
         "hovertemplate": "%{text}<extra></extra>",
         "marker": {"symbol": "diamond", "size": 12, "color": "#ffffff", "line": {"color": "#1a1a1a", "width": 2}}},
        {"type": "scatter", "mode": "markers", "x": mx, "y": my, "name": muni_name, "text": mtext,
         "hovertemplate": "%{text}<extra></extra>",
         "marker": {"symbol": msym, "size": 16, "color": mcol, "line": {"color": "#1a1a1a", "width": 1.5}}},
    ]
    height = 110 + 44 * len(rows)
    layout = {
        "title": {"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 15}},
        "barmode": "overlay", "separators": plotly_separators(), "font": {"family": FONT, "color": "#1a1a1a"},
        "xaxis": {"range": [-1.08, 1.08], "showticklabels": False, "zeroline": False, "showgrid": False,
                  "fixedrange": True, "title": {"text": _("◀ lavere / dårligere  ·  landet  ·  høyere / bedre ▶")}},
        "yaxis": {"autorange": "reversed", "automargin": True, "fixedrange": True, "ticksuffix": "  "},
        "shapes": [{"type": "line", "xref": "x", "yref": "paper", "x0": 0, "x1": 0, "y0": 0, "y1": 1,
                    "line": {"color": "#1a1a1a", "width": 2}}],
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0},
        "margin": {"l": 10, "r": 20, "t": 80, "b": 50}, "height": height, "hovermode": "closest",
        "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
    }
    return {"data": data, "layout": layout}


def profile_table(rows: Sequence[dict], *, county_name: str, n_munis: int, n_county: int,
                  table_id: str = "profile-table-table") -> html.Table | html.P:
    """The data table behind the spine chart (one row per indicator)."""
    if not rows:
        return no_data()
    headers = [_("Indikator"), _("År"), _("Verdi (95 % KI)"), county_name, _("Landet"),
               _("Rang av {n}").format(n=n_munis), _("Rang i fylket (av {n})").format(n=n_county), _("Mot landet"),
               _("Mot fylket"), _("Endring siste 5 år")]
    out = []
    for r in rows:
        fmt = lambda v: format_value(v, r["unit"], r["decimals"], r["unit_nb"])  # noqa: E731
        ch = r.get("change_5y")
        change = "–" if not _ok(ch) else (("+" if ch > 0 else "") + format_number(ch, r["decimals"]) +
                                         (" " + _("%-poeng") if r["unit"] == "percent" else ""))
        out.append([
            element("th", r["name"], scope="row"), str(r["year"]) if r.get("year") else "–", value_with_ci(r),
            fmt(r.get("county")), fmt(r.get("country")),
            str(r["rank_all"]) if r.get("rank_all") else "–",
            str(r["rank_county"]) if r.get("rank_county") else "–",
            element("td", badge(r["bench_country"], _("landet"))), element("td", badge(r["bench_county"], county_name)),
            change,
        ])
    return html_table(headers, out, numeric=[2, 3, 4, 5, 6, 9], wrap=[2],
                      caption=_("Indikatorene i tjenesteområdet. Rang 1 = høyest verdi. KI = konfidensintervall. "
                                "Uten intervall: femtedelen blant kommunene (ingen test)."),
                      table_id=table_id, static=True)


# ------------------------------------------------------------------------------------------ neighbours
NeighbourValues = tuple[Sequence[str], dict[str, Sequence[str]]]  # (headers, code -> formatted values)


def _self_row(self_row, n_before: int, n_after: int) -> list:
    """The selected municipality as the first row, so its services read against each neighbour's."""
    name, values = self_row
    return [element("th", [name, element("span", " " + _("(valgt)"), className="small")], scope="row")] + \
        [""] * n_before + list(values) + [""] * n_after


def geo_neighbour_table(nb: Sequence[dict], area: str | None, services: NeighbourValues | None = None,
                        self_row: tuple[str, Sequence[str]] | None = None) -> html.Table | html.P:
    """Bordering neighbours with population, share 80+ and ``services`` (headers, values per code)."""
    if not nb:
        return no_data(_("Ingen naboer funnet"))
    heads, vals = services or ((), {})
    rows = [_self_row(self_row, 2, 2)] if self_row and heads else []
    for r in nb:
        rel = (_("Felles grense ({km} km)").format(km=format_number(r['shared_border_km'], 1)) if r["relation"] == "border"
               else _("Nærmeste over sjø ({km} km)").format(km=format_number(r['distance_km'], 1)))
        rows.append([element("th", link(r["name"], href=profile_href(r["code"], area)), scope="row"), r["county_name"],
                     rel, *vals.get(r["code"], ["–"] * len(heads)), format_number(r.get("population"), 0),
                     format_value(r.get("share_80plus"), "percent", 1)])
    n = len(heads)
    return html_table([_("Kommune"), _("Fylke"), _("Naboskap"), *heads, _("Folkemengde"), _("Andel 80+")], rows,
                      numeric=[*range(3, 3 + n), 3 + n, 4 + n],
                      caption=_("Geografiske naboer (felles grense; øykommuner: nærmeste i fylket)"),
                      table_id="geo-neighbours-table", static=True)


def stat_neighbour_table(nb: Sequence[dict], area: str | None, services: NeighbourValues | None = None,
                         self_row: tuple[str, Sequence[str]] | None = None) -> html.Table | html.P:
    if not nb:
        return no_data(_("Statistiske naboer er ikke beregnet i disse dataene"))
    heads, vals = services or ((), {})
    rows = []
    if self_row and heads:
        name, values = self_row
        rows.append(["", element("th", [name, element("span", " " + _("(valgt)"), className="small")], scope="row"), "",
                     *values, "", ""])
    for r in nb:
        rows.append([str(r["rank"]), element("th", link(r["name"], href=profile_href(r["code"], area)), scope="row"),
                     r["county_name"], *vals.get(r["code"], ["–"] * len(heads)), format_number(r["distance"], 2),
                     r["differs"]])
    n = len(heads)
    return html_table([_("Nr."), _("Kommune"), _("Fylke"), *heads, _("Avstand"), _("Skiller seg mest på")], rows,
                      numeric=[0, *range(3, 3 + n), 3 + n],
                      caption=_("Statistiske naboer: de 10 mest like kommunene (0 = lik)"),
                      table_id="stat-neighbours-table", static=True)


def why_table(features: Sequence[dict], muni_name: str) -> html.Table | html.P:
    """Feature values: the municipality, the median of its statistical neighbours, all municipalities."""
    if not features:
        return no_data(_("Ingen trekk beregnet"))
    rows = [[element("th", feature_name(f["feature"]), scope="row"),
             fmt_feature(f["feature"], f["value"]), fmt_feature(f["feature"], f["nb_median"]),
             fmt_feature(f["feature"], f["all_median"]), format_number(f["weight"], _decimals_of(f["weight"]))]
            for f in features]
    return html_table([_("Trekk"), muni_name, _("Statistiske naboer (median)"), _("Alle kommuner (median)"), _("Vekt")],
                      rows, numeric=[1, 2, 3, 4], caption=_("Hvorfor ligner de? Trekkene avstanden beregnes fra"),
                      table_id="why-table", static=True)


# ------------------------------------------------------------------------------------------ tartan rug
def rug_table(columns: Sequence[dict], rows: Sequence[dict], *, area: str | None, sort: str | None,
              descending: bool, base_query: dict, table_id: str = "rug-table") -> html.Table | html.P:
    """The county matrix: rows (country, county, municipalities) × indicators, each cell coloured by its class
    against the country, with the value and the class symbol as text; the municipality cells link to the
    profile. Column headers are links that sort by that column (aria-sort on the sorted one).

    Up to ~2 000 cells, links and spans: the page sends it pre-rendered (components.htmlblock), not as Dash
    components."""
    if not columns or not rows:
        return no_data()

    def sort_link(key: str, label):
        desc = not (sort == key and descending) if key not in ("navn", "knr") else (sort == key and not descending)
        q = {**base_query, "sorter": key, "rekkefolge": "synkende" if desc else "stigende"}
        return dcc.Link(label, href="/fylke?" + urlencode(q), className="rug-sort")

    def aria(key):
        if sort != key:
            return {}
        return {"aria-sort": "descending" if descending else "ascending"}

    head = [html.Th(sort_link("navn", _("Kommune")), scope="col", **aria("navn"))]
    for c in columns:
        unit = "" if c["unit"] == "percent" else f", {c['unit_nb']}"
        head.append(html.Th(sort_link(c["id"], [c["name"], html.Br(),
                                                html.Span(f"{c['year']}{unit}", className="rug-year")]),
                            scope="col", className="num", title=c["name"], **aria(c["id"])))
    body = []
    for r in rows:
        cells = []
        label = r["name"]
        if r["level"] == "municipality":
            label = dcc.Link(r["name"], href=profile_href(r["code"], area))
        cells.append(html.Th(label, scope="row"))
        for c in columns:
            cell = r["cells"].get(c["id"])
            if cell is None:
                cells.append(html.Td("–", className="num rug-cell bm-none"))
                continue
            b: Benchmark = cell["bench"]
            bg, fg = COLOURS[b.key] if r["level"] != "country" else ("#eef1f5", "#1a1a1a")
            sym = "" if r["level"] == "country" else b.symbol + NBSP
            text = [html.Span(sym, **{"aria-hidden": "true"}), cell["text"]]
            sr = "" if r["level"] == "country" else " (" + bench_phrase(
                b, _("landet"), among="county" if r["level"] == "county" else "municipality") + ")"
            if r["level"] == "municipality":
                content = dcc.Link(text + [html.Span(sr, className="visually-hidden")],
                                   href=profile_href(r["code"], area), className="rug-link")
            else:
                content = text + [html.Span(sr, className="visually-hidden")]
            cells.append(html.Td(content, className=f"num rug-cell bm-{b.key}", style={"background": bg, "color": fg},
                                 title=f"{r['name']} – {c['name']}: {cell['text']}{sr}"))
        body.append(html.Tr(cells, className=f"rug-{r['level']}"))
    return html.Table([
        html.Caption(_("Alle kommuner i fylket × indikatorer. Fargen og symbolet viser forskjellen fra landet, "
                       "testet med 95 %-intervall; uten intervall viser de femtedelen blant alle kommunene "
                       "(fylkesraden: blant fylkene). Klikk på en celle for kommuneprofilen.")),
        html.Thead(html.Tr(head)), html.Tbody(body)], className="table table-sm data-table rug", id=table_id)
