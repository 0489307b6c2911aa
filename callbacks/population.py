"""Callbacks of «Befolkning og behov» (pages/population.py). Thin wiring: validate inputs, query
store.demography, build with components.pyramid / components.need. Every function is a plain module-level
function, so tests call them directly, e.g. ``update_profile("4601", 2035, 5, None)``.

Inputs are never trusted: unknown regions fall back to the whole country, bad years to the last observed
year, bad widths to single ages; coverage inputs are validated by components.need.validate_coverage and
answered with a message in bokmål. Nothing here raises to the user.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

import dash_bootstrap_components as dbc
from dash import Input, Output, Patch, State, callback, clientside_callback, html, no_update
from dash.exceptions import PreventUpdate
from plotly.io.json import to_json_plotly

import store
from components.validate import as_year
from callbacks._cache import CODE_VERSION, memoize
from components import controls
from components import need as needc
from components import pyramid as pyr
from components import track as trackc
from components.format import format_number, format_percent
from components.htmlblock import markup, store_id
from components.mapfig import empty_figure
from components.popstate import COUNTRY
from components.tables import html_table, no_data
from components import popstate
from store import demography as dem
from components.i18n import N_, _, pick

TARGET_YEAR = 2040
OWN_BASIS = "egen"
SSB_SOURCE = N_("SSB, tabell 07459 (befolkning 1. januar)")  # translated where shown


# --------------------------------------------------------------------------- input validation
def valid_region(value: Any) -> str:
    """A region code that exists ("NO", county or municipality), else "NO"."""
    if isinstance(value, str) and (value == COUNTRY or store.region(value) is not None):
        return value
    return COUNTRY


def valid_width(value: Any) -> int:
    try:
        return 5 if int(value) == 5 else 1
    except (TypeError, ValueError):
        return 1


def valid_year(value: Any, d: dem.Demography) -> int:
    """An int year within the page's years, else the last observed year."""
    y = as_year(value, lo=int(d.years[0]), hi=int(d.years[-1]))
    return d.last_observed if y is None else y


def region_name(code: str) -> str:
    if code == COUNTRY:
        return _("hele landet")
    reg = store.region(code)
    return reg["name"] if reg else code


def _title_name(code: str) -> str:
    return _("Hele landet") if code == COUNTRY else region_name(code)


def comparison_codes(code: str) -> list[str]:
    """The region, its county (for a municipality), and the country."""
    reg = store.region(code) if code != COUNTRY else None
    codes = [code]
    if reg and reg["level"] == "municipality":
        codes.append(reg["county_code"])
    if code != COUNTRY:
        codes.append(COUNTRY)
    return codes


def plain(component) -> Any:
    return json.loads(to_json_plotly(component))


def source_line(code: str):
    d = dem.load()
    variant = popstate.variant_label(d.variant.get(code))
    return controls.source_line(_(SSB_SOURCE), "NLOD 2.0", "https://www.ssb.no/statbank/table/07459",
                                extra=_("Registrert {first}–{last}; {next}–{end}: {variant}").format(
                                    first=int(d.years[0]), last=d.last_observed, next=d.last_observed + 1,
                                    end=int(d.years[-1]), variant=variant))


# --------------------------------------------------------------------------- summary (region only)
def _card(title: str, now: float, then: float, base_year: int, decimals: int = 0, growth: bool = True,
          band: tuple[float, float] | None = None):
    change = pyr.growth_text(100 * (then / now - 1)) if growth and now and now > 0 else None
    body = [
        html.H3(title, className="h6 mb-1"),
        html.P([html.Span(format_number(now, decimals), className="fs-4 fw-bold"),
                " " + _("i {year}").format(year=base_year)], className="mb-0"),
        html.P([html.Span(format_number(then, decimals), className="fw-semibold"),
                " " + _("i {year}").format(year=TARGET_YEAR) + " ",
                html.Span(_("(framskrevet)"), className="proj-label")], className="mb-0"),
    ]
    if change:
        body.append(html.P(_("Endring: {change}").format(change=change), className="mb-0"))
    if band is not None:
        body.append(html.P(_("Lav–høy alternativ: {band}").format(band=pyr.band_text(band[0], band[1], decimals)),
                           className="mb-0 small band-line"))
    # Bootstrap's grid and card as plain html (the same markup dbc.Col/Card/CardBody give): the cards travel as
    # markup in #pop-cards' data-oa-html (assets/65-markup.js writes it before the next paint), ~45 Dash
    # components fewer on the page
    return html.Div(html.Div(html.Div(body, className="card-body"), className="h-100 key-card card"),
                    className="mb-2 col-6 col-md-3")


def headline_note(code: str):
    """Which alternative the headline figures use, and what the band is."""
    d = dem.load()
    v = d.variant.get(code)
    if v == dem.DEFAULT_VARIANT and d.has_band:
        text = _("Tallene for {target} er framskrevet med {variant}. Hovedtallet bruker {main}; «lav–høy» er "
                 "spennet mellom SSBs alternativ {low} og {high} (for omsorgsressursen: minste og største verdi av "
                 "de tre).").format(target=TARGET_YEAR, variant=popstate.variant_label(v),
                                    main=popstate.alternative_name(dem.DEFAULT_VARIANT),
                                    low=popstate.alternative_name(dem.LOW_VARIANT),
                                    high=popstate.alternative_name(dem.HIGH_VARIANT))
    else:
        text = _("Tallene for {target} er framskrevet: {variant}. Denne framskrivingen har ikke SSBs lav- og "
                 "høyalternativ, så spennet vises ikke.").format(target=TARGET_YEAR, variant=popstate.variant_label(v))
    return html.P(text, className="small mb-0 mt-1", id="pop-headline-note")


def rank_text(code: str, base_year: int) -> str:
    try:
        r = dem.growth_rank(code, base_year, TARGET_YEAR)
    except store.QueryError:
        return ""
    g = pyr.growth_text(r["growth_pct"])
    if r["level"] == "country":
        return _("Antall 80 år og over i hele landet endres med {growth} fra {base} til {target} (framskrevet). "
                 "Velg en kommune for å se hvor den ligger blant de 357.").format(growth=g, base=base_year,
                                                                                 target=TARGET_YEAR)
    if r["level"] == "county":
        return _("Veksten i antall 80 år og over fra {base} til {target} ({growth}) er nr. {rank} av {n} fylker "
                 "(1 = raskest vekst).").format(base=base_year, target=TARGET_YEAR, growth=g, rank=r["rank"], n=r["n"])
    county = region_name(store.region(code)["county_code"])
    return _("Veksten i antall 80 år og over fra {base} til {target} ({growth}) er nr. {rank} av {n} kommuner i "
             "landet og nr. {rank_county} av {n_county} i {county} (1 = raskest vekst).").format(
        base=base_year, target=TARGET_YEAR, growth=g, rank=r["rank"], n=r["n"], rank_county=r["rank_county"],
        n_county=r["n_county"], county=county)


def comparison_table(codes: list[str], base_year: int):
    headers = [_("Region"), _("80+ i {year}").format(year=base_year),
               _("80+ i {year} (framskr.)").format(year=TARGET_YEAR), _("80+ i {year}, lav–høy").format(year=TARGET_YEAR),
               _("Vekst 80+"), _("Vekst 90+"),
               _("Andel 80+ i {year}").format(year=TARGET_YEAR), _("Omsorgsressurs {year}").format(year=base_year),
               _("Omsorgsressurs {year}").format(year=TARGET_YEAR)]
    rows = []
    for c in codes:
        s = dem.group_series(c).set_index("year")
        if base_year not in s.index or TARGET_YEAR not in s.index:
            continue
        a, b = s.loc[base_year], s.loc[TARGET_YEAR]
        rows.append([html.Th(_title_name(c), scope="row"), format_number(a["80+"]), format_number(b["80+"]),
                     pyr.band_text(b.get("80+_low"), b.get("80+_high")),
                     pyr.growth_text(100 * (b["80+"] / a["80+"] - 1)) if a["80+"] > 0 else "–",
                     pyr.growth_text(100 * (b["90+"] / a["90+"] - 1)) if a["90+"] > 0 else "–",
                     format_percent(b["share_80"], 1),
                     format_number(a["care_ratio"], 1), format_number(b["care_ratio"], 1)])
    if not rows:
        return no_data()
    return html_table(headers, rows, numeric=range(1, len(headers)), table_id="pop-compare-table",
                      caption=_("80 år og over og omsorgsressurs (personer 20–66 per person 80+), {base} "
                                "(registrert) og {target} (framskrevet)").format(base=base_year, target=TARGET_YEAR))


@memoize()
def _summary(code: str, version: str, code_version: str = CODE_VERSION) -> dict:
    d = dem.load()
    base = d.last_observed
    s = dem.group_series(code).set_index("year")
    cards = []
    band = pyr.has_band(s.reset_index())
    if base in s.index and TARGET_YEAR in s.index:
        a, b = s.loc[base], s.loc[TARGET_YEAR]

        def bd(m):
            return (b[f"{m}_low"], b[f"{m}_high"]) if band else None
        cards = [_card(_("67 år og over"), a["67+"], b["67+"], base, band=bd("67+")),
                 _card(_("80 år og over"), a["80+"], b["80+"], base, band=bd("80+")),
                 _card(_("90 år og over"), a["90+"], b["90+"], base, band=bd("90+")),
                 _card(_("Personer 20–66 per person 80+"), a["care_ratio"], b["care_ratio"], base, 1,
                       band=bd("care_ratio"))]
    codes = comparison_codes(code)
    series = [(_title_name(c), (store.region(c) or {}).get("level", "country"), dem.group_series(c)) for c in codes]
    care_fig = pyr.care_figure(series)
    last = {name: s_.dropna(subset=["care_ratio"]) for name, _, s_ in series}
    label = _("Linjediagram: personer 20–66 år per person 80+") + ", " + "; ".join(
        _("{region}: {first} i {base}, {last} i {target} (framskrevet)").format(
            region=name, first=format_number(v.loc[v['year'] == base, 'care_ratio'].iloc[0], 1), base=base,
            last=format_number(v.loc[v['year'] == TARGET_YEAR, 'care_ratio'].iloc[0], 1), target=TARGET_YEAR)
        for name, v in last.items() if (v["year"] == base).any() and (v["year"] == TARGET_YEAR).any())
    return plain({
        "heading": _("{region}: eldre i {base} og {target}").format(region=_title_name(code), base=base,
                                                                     target=TARGET_YEAR),
        "cards": markup(html.Div([html.Div(cards, className="row"), headline_note(code)]) if cards else no_data()),
        "rank": rank_text(code, base),
        "compare": markup(comparison_table(codes, base)),
        "care_figure": care_fig, "care_table": markup(pyr.care_table(series)), "care_label": label,
        "source": source_line(code),
    })


SUMMARY_OUT = dict(heading=Output("pop-heading", "children"), cards=Output("pop-cards", "data-oa-html"),
                   rank=Output("pop-rank", "children"), compare=Output(store_id("pop-compare"), "data"),
                   care_figure=Output("care-graph", "figure"), care_table=Output(store_id("care-table"), "data"),
                   care_label=Output("care-container", "aria-label"), source=Output("pop-source", "children"))


@callback(output=SUMMARY_OUT, inputs=dict(region=Input("pop-region", "value")), prevent_initial_call=True)
def update_summary(region):
    """Key figures, rank of 80+ growth, comparison table and the care-ratio chart for the region."""
    code = valid_region(region)
    return _summary(code, store.version(), CODE_VERSION)


GROUPS_OUT = dict(figure=Output("groups-graph", "figure"), table=Output(store_id("groups-table"), "data"),
                  label=Output("groups-container", "aria-label"))


@callback(output=GROUPS_OUT, inputs=dict(region=Input("pop-region", "value"), mode=Input("pop-groups-mode", "value")),
          prevent_initial_call=True)
def update_groups(region, mode="count"):
    """67+, 80+ and 90+ over 2005–2040, as counts or as an index (last observed year = 100)."""
    code = valid_region(region)
    mode = "index" if mode == "index" else "count"
    d = dem.load()
    s = dem.group_series(code)
    name = _title_name(code)
    fig = pyr.groups_figure(s, region_name=name, mode=mode, base_year=d.last_observed)
    parts = []
    for g in ("67+", "80+", "90+"):
        v = s.set_index("year")[g]
        if d.last_observed in v.index and TARGET_YEAR in v.index:
            parts.append(_("{region}: {first} i {base}, {last} i {target} (framskrevet)").format(
                region=g, first=format_number(v[d.last_observed]), base=d.last_observed,
                last=format_number(v[TARGET_YEAR]), target=TARGET_YEAR))
    label = _("Linjediagram: antall eldre, {region}.").format(region=name) + " " + "; ".join(parts)
    return {"figure": fig, "table": markup(pyr.groups_table(s, region_name=name)), "label": label}


# --------------------------------------------------------------------------- age profile (Patch on year change)
def profile_key(code: str, width: int) -> str:
    return f"{code}|{width}|{store.version()}"


PROFILE_OUT = dict(figure=Output("profile-graph", "figure"), key=Output("profile-key", "data"),
                   table=Output(store_id("profile-table"), "data"), label=Output("profile-container", "aria-label"),
                   status=Output("pop-year-status", "children"), source=Output("profile-source", "children"))


@callback(
    output=PROFILE_OUT,
    inputs=dict(region=Input("pop-region", "value"), year=Input("pop-year", "value"),
                width=Input("pop-width", "value")),
    state=dict(key=State("profile-key", "data")),
    prevent_initial_call=True,
)
def update_profile(region, year, width, key=None):
    """Age profile for the year. Full figure when the region or grouping changed; a dash.Patch (bars, title,
    label) when only the year moved."""
    d = dem.load()
    code, w, y = valid_region(region), valid_width(width), valid_year(year, d)
    projected = d.is_projected(y)
    name = _title_name(code)
    values = dem.age_profile(code, y)
    reference = dem.age_profile(code, d.last_observed)
    variant = popstate.variant_label(d.variant.get(code))
    status = (f"{y}: " + _("framskrevet ({variant})").format(variant=variant) if projected
              else f"{y}: " + _("registrert"))
    table = markup(pyr.profile_table(values, reference, year=y, reference_year=d.last_observed,
                                     projected=projected, width=w))
    label = pyr.profile_summary(values, region_name=name, year=y, projected=projected)
    if values is None:
        msg = _("Ingen befolkningstall for {region} i {year}").format(region=name, year=y)
        if code == COUNTRY or len(code) == 2:
            msg += " " + _("(to kommuner mangler i kildene dette året)")
        return {"figure": empty_figure(msg, height=pyr.PROFILE_HEIGHT), "key": None, "table": table, "label": label,
                "status": status, "source": source_line(code)}
    new_key = profile_key(code, w)
    if key == new_key:
        patch = Patch()
        for path, value in pyr.profile_patch_paths(values, region_name=name, year=y, reference_year=d.last_observed,
                                                   projected=projected, width=w, variant_label=variant).items():
            target = patch
            for k in path[:-1]:
                target = target[k]
            target[path[-1]] = value
        return {"figure": patch, "key": no_update, "table": table, "label": label, "status": status,
                "source": no_update}
    grouped_all = pyr.grouped(d.row(code), w)
    x_max = float(np.nanmax(grouped_all)) if np.isfinite(grouped_all).any() else 0.0
    fig = pyr.age_profile_figure(values, reference, region_name=name, year=y, reference_year=d.last_observed,
                                 projected=projected, width=w, x_max=x_max, variant_label=variant)
    return {"figure": fig, "key": new_key, "table": table, "label": label, "status": status,
            "source": source_line(code)}


# --------------------------------------------------------------------------- Hva kreves
def catalogue_coverage(indicator_id: str, code: str) -> tuple[float, str, str] | None:
    """(value, unit, description) from a catalogue coverage indicator: the region's latest value, else its
    county's (for a municipality), else the country's. Unit "per1000" for «per 1 000 aged 80+» indicators,
    "per100" for the KOSTRA shares of residents 80+ (percent). None when the indicator has no usable value."""
    ind = store.indicator(indicator_id)
    if not ind or ind.get("unit") not in ("per1000", "percent"):
        return None
    unit = "per1000" if ind.get("unit") == "per1000" else "per100"
    reg0 = store.region(code) if code != COUNTRY else None
    chain = [code] if code != COUNTRY else []
    if reg0 and reg0["level"] == "municipality" and unit == "per100":
        chain.append(reg0["county_code"])
    for c in chain + [COUNTRY]:
        reg = store.region(c)
        if not reg:
            continue
        years = store.years(indicator_id, reg["level"])
        if not years:
            continue
        frame = store.values(indicator_id, reg["level"], years[-1])
        v = frame.loc[frame["region_code"] == c, "value"]
        if len(v) and v.notna().iloc[0] and float(v.iloc[0]) > 0:
            where = _("landet") if c == COUNTRY else _title_name(c)
            text = _("«{indicator}», {where} {year}; kilde: {source}").format(
                indicator=pick(ind, "name"), where=where, year=years[-1], source=ind["source"])
            if c != code:
                text += "; " + (_("landstallet brukt for {region}, egen dekning kan avvike") if c == COUNTRY else
                                _("fylkets tall brukt for {region}, som mangler eget tall")).format(
                    region=_title_name(code))
            return float(v.iloc[0]), unit, text
    return None


def band_by_year(series, measure: str) -> tuple[dict[int, float], dict[int, float]] | None:
    """(low, high) population by projected year from a group_series frame indexed by year, or None."""
    if f"{measure}_low" not in series.columns:
        return None
    lo, hi = series[f"{measure}_low"], series[f"{measure}_high"]
    proj = series["projected"]
    return ({int(y): float(v) for y, v in lo[proj].items() if v == v},
            {int(y): float(v) for y, v in hi[proj].items() if v == v})


def need_band_text() -> str:
    return _("Hovedtallene bruker {main} av SSBs nasjonale framskriving 2026; kolonnen «lav–høy» bruker "
             "{low} og {high}, med samme dekningsgrad.").format(main=popstate.alternative_name(dem.DEFAULT_VARIANT),
                                                               low=popstate.alternative_name(dem.LOW_VARIANT),
                                                               high=popstate.alternative_name(dem.HIGH_VARIANT))


def compute_need(region, basis, value, unit, what, age) -> dict:
    """Everything «Hva kreves» shows and exports. Keys: error (str|None), info (str|None), rows, assumptions,
    source, region_name, what, age."""
    d = dem.load()
    code = valid_region(region)
    what = what if isinstance(what, str) and what in needc.WHAT else "arsverk"  # lists/dicts are unhashable
    age = age if isinstance(age, str) and age in needc.AGE_BASES else "80+"
    out = {"error": None, "info": None, "rows": [], "assumptions": [], "region_name": _title_name(code),
           "what": what, "age": age, "source": ""}
    if isinstance(basis, str) and basis != OWN_BASIS:
        got = catalogue_coverage(basis, code)
        if got is None:
            out["error"] = _("Indikatoren i katalogen har ingen verdi som kan brukes. Velg «Egen verdi».")
            return out
        coverage, basis_text = needc.Coverage(got[0], got[1]), got[2]
        age = out["age"] = "80+"
        if got[1] == "per100":   # a KOSTRA share of residents 80+: people receiving the service
            what = out["what"] = "mottakere"
        elif "rsverk" in str((store.indicator(basis) or {}).get("name_nb", "")):
            what = out["what"] = "arsverk"
    else:
        if value is None or (isinstance(value, str) and not value.strip()):
            out["info"] = _("Skriv inn en dekningsgrad for å se behovet i 2030, 2035 og 2040.")
            return out
        coverage, err = needc.validate_coverage(value, unit)
        if err:
            out["error"] = err
            return out
        basis_text = _("egen verdi skrevet inn av brukeren")
    series = dem.group_series(code).set_index("year")
    s = series[age]  # AGE_BASES are all in dem.GROUPS
    pop = {int(y): float(v) for y, v in s.items() if v == v}
    band = band_by_year(series, age)
    rows = needc.need_rows(coverage, pop, d.last_observed, band=band)
    variant = popstate.variant_label(d.variant.get(code))
    out["rows"] = rows
    out["assumptions"] = needc.assumptions(coverage=coverage, what=what, age_base=age, basis_text=basis_text,
                                           base_year=d.last_observed, variant_label=variant,
                                           band_text=need_band_text() if band else None)
    out["source"] = _("Befolkning: {source}, NLOD 2.0 (registrert til og med {last}); {next}–{end}: {variant}. "
                      "Beregning: Omsorgsatlas.").format(source=_(SSB_SOURCE), last=d.last_observed,
                                                        next=d.last_observed + 1, end=int(d.years[-1]),
                                                        variant=variant)
    return out


NEED_OUT = dict(message=Output("need-message", "children"), table=Output(store_id("need-table"), "data"),
                assumptions=Output("need-assumptions", "children"), source=Output("need-source", "children"),
                button=Output("need-download-button", "disabled"), unit_disabled=Output("need-unit", "disabled"),
                age_disabled=Output("need-age", "disabled"), value_disabled=Output("need-value", "disabled"),
                what_disabled=Output("need-what", "disabled"))


@callback(
    output=NEED_OUT,
    inputs=dict(region=Input("pop-region", "value"), basis=Input("need-basis", "value"),
                value=Input("need-value", "value"), unit=Input("need-unit", "value"),
                what=Input("need-what", "value"), age=Input("need-age", "value")),
    prevent_initial_call=True,
)
def update_need(region, basis, value, unit="per1000", what="arsverk", age="80+"):
    """Projected need in 2030/2035/2040 for the chosen coverage, or a message saying what is wrong."""
    own = not (isinstance(basis, str) and basis != OWN_BASIS)
    r = compute_need(region, basis, value, unit, what, age)
    flags = {"unit_disabled": not own, "age_disabled": not own, "value_disabled": not own, "what_disabled": not own}
    if r["error"] or r["info"]:
        msg = dbc.Alert(r["error"] or r["info"], color="danger" if r["error"] else "info", className="py-2 mb-2")
        return {"message": msg, "table": "", "assumptions": None, "source": "", "button": True, **flags}
    headers, cells = needc.table_cells(r["rows"], r["what"], r["age"])
    table = html_table(headers, [[html.Th(c[0], scope="row")] + c[1:] for c in cells], numeric=range(1, len(headers)),
                       table_id="need-table-table",
                       caption=_("Behov for {what} hvis dagens dekning holder, {region} (framskr. = framskrevet)").format(
                           what=needc.what_noun(r["what"]), region=r["region_name"]))
    return {"message": None, "table": markup(table), "assumptions": [html.Li(a) for a in r["assumptions"]],
            "source": r["source"], "button": False, **flags}


@callback(
    Output("need-download", "data"),
    Input("need-download-button", "n_clicks"),
    State("pop-region", "value"), State("need-basis", "value"), State("need-value", "value"),
    State("need-unit", "value"), State("need-what", "value"), State("need-age", "value"),
    prevent_initial_call=True,
)
def download_need(n_clicks, region, basis, value, unit, what, age):
    """CSV of the need table with the assumptions and the source line as rows."""
    if not n_clicks:
        raise PreventUpdate
    r = compute_need(region, basis, value, unit, what, age)
    if r["error"] or r["info"] or not r["rows"]:
        raise PreventUpdate
    csv_text = needc.to_csv(r["rows"], region_name=r["region_name"], what=r["what"], age_base=r["age"],
                            assumptions=r["assumptions"], source=r["source"])
    code = valid_region(region)
    return {"content": csv_text, "filename": f"omsorgsatlas-hva-kreves-{code}.csv", "type": "text/csv"}


# --------------------------------------------------------------------------- Hva kreves: dagens dekning (KOSTRA)
def _share(indicator_id: str, code: str) -> tuple[float | None, int | None]:
    """The region's latest value of a catalogue share (%), or (None, None) when it has none."""
    reg = store.region(code)
    if not reg:
        return None, None
    years = store.years(indicator_id, reg["level"])
    if not years:
        return None, None
    frame = store.values(indicator_id, reg["level"], years[-1])
    v = frame.loc[frame["region_code"] == code, "value"]
    if len(v) and v.notna().iloc[0] and np.isfinite(float(v.iloc[0])):
        return float(v.iloc[0]), int(years[-1])
    return None, int(years[-1])


def valid_coverage_basis(basis: Any, code: str) -> str:
    """egen / fylke / land, restricted to what the region has: a county has no «fylke» (its own is the
    county's), the country only «land»."""
    basis = basis if isinstance(basis, str) and basis in needc.COVERAGE_BASES else "egen"
    if code == COUNTRY:
        return "land"
    if len(code) == 2 and basis == "fylke":
        return "egen"
    return basis


def kostra_services(code: str, basis: str) -> list[needc.ServiceCoverage]:
    """The coverage per KOSTRA service for the basis. A municipality without its own figure gets its county's
    (then the country's), with a note naming the reason; nothing is ever made up."""
    reg = store.region(code) if code != COUNTRY else None
    county = reg["county_code"] if reg and reg["level"] == "municipality" else None
    chain = {"egen": [code] + ([county] if county else []) + ([COUNTRY] if code != COUNTRY else []),
             "fylke": ([county] if county else [code]) + [COUNTRY], "land": [COUNTRY]}[basis]
    out = []
    for iid, _label, _lower in needc.KOSTRA_COVERAGE:
        if not store.indicator(iid):
            out.append(needc.ServiceCoverage(iid, None, "", basis, None,
                                             _("indikatoren finnes ikke i denne databyggingen")))
            continue
        note = ""
        for i, c in enumerate(chain):
            share, year = _share(iid, c)
            if share is not None:
                used = "land" if c == COUNTRY else ("fylke" if len(c) == 2 and c != code else basis)
                if i > 0:
                    reasons = store.gap_reasons(iid, year or 0) if len(chain[0]) == 4 else {}
                    why = pick({"reason_nb": reasons[chain[0]][0], "reason_en": reasons[chain[0]][1]}, "reason") \
                        if chain[0] in reasons else _("tallet mangler")
                    why = why.rstrip(".")
                    note = _("{region} har ikke eget tall for «{indicator}» i {year} ({why}); {fallback} dekning er "
                             "brukt i stedet.").format(region=_title_name(chain[0]), indicator=pick(store.indicator(iid), "name"),
                                                       year=year, why=why[:1].lower() + why[1:],
                                                       fallback=_("fylkets") if used == "fylke" else _("landets"))
                where = _("landet") if c == COUNTRY else _title_name(c)
                out.append(needc.ServiceCoverage(iid, share, where, used, year, note))
                break
        else:
            out.append(needc.ServiceCoverage(iid, None, "", basis, None, _("ingen tall for regionen, fylket eller landet")))
    return out


def compute_kostra_need(region, basis) -> dict:
    """Everything the KOSTRA block shows: basis (validated), services, rows, headers, cells, notes,
    assumptions, source, options (the basis radio for this region)."""
    d = dem.load()
    code = valid_region(region)
    basis = valid_coverage_basis(basis, code)
    services = kostra_services(code, basis)
    series = dem.group_series(code).set_index("year")
    pop = {int(y): float(v) for y, v in series["80+"].items() if v == v}
    band = band_by_year(series, "80+")
    rows = needc.coverage_need_rows(services, pop, d.last_observed, band=band)
    labels = {iid: label for iid, label, _lower in needc.KOSTRA_COVERAGE}
    lower = {iid: low for iid, _label, low in needc.KOSTRA_COVERAGE}
    headers, cells = needc.coverage_table_cells(rows, services, labels)
    reg = store.region(code) if code != COUNTRY else None
    options = []
    if code != COUNTRY:
        options.append({"label": _("{region}: egen dekning").format(region=_title_name(code)), "value": "egen"})
    if reg and reg["level"] == "municipality":
        options.append({"label": _("Med fylkets dekning ({county})").format(county=_title_name(reg["county_code"])),
                        "value": "fylke"})
    options.append({"label": _("Med landets dekning"), "value": "land"})
    notes = [s.note for s in services if s.note]
    variant = popstate.variant_label(d.variant.get(code))
    return {
        "region_name": _title_name(code), "basis": basis, "services": services, "rows": rows, "headers": headers,
        "cells": cells, "notes": notes, "options": options,
        "assumptions": needc.coverage_assumptions(services, lower, base_year=d.last_observed, variant_label=variant,
                                                  band_text=need_band_text() if band else None),
        "source": _("Dekning: SSB, KOSTRA tabell 12209 (Pleie og omsorg – nøkkeltall), 2025, NLOD 2.0. Befolkning: "
                    "{source} (registrert til og med {last}); {next}–{end}: {variant}. Beregning: Omsorgsatlas.").format(
            source=_(SSB_SOURCE), last=d.last_observed, next=d.last_observed + 1, end=int(d.years[-1]),
            variant=variant),
    }


KOSTRA_OUT = dict(options=Output("need-kostra-basis", "options"), value=Output("need-kostra-basis", "value"),
                  message=Output("need-kostra-message", "children"),
                  table=Output(store_id("need-kostra-table"), "data"),
                  assumptions=Output("need-kostra-assumptions", "children"),
                  source=Output("need-kostra-source", "children"))


@callback(output=KOSTRA_OUT,
          inputs=dict(region=Input("pop-region", "value"), basis=Input("need-kostra-basis", "value")),
          prevent_initial_call=True)
def update_kostra_need(region, basis):
    """Residents and recipients 80+ needed in 2030/2035/2040 with today's coverage (own, county's or country's)."""
    r = compute_kostra_need(region, basis)
    if not any(s.share_pct is not None for s in r["services"]):
        msg = dbc.Alert(_("Ingen dekningsgrad fra KOSTRA kan brukes for {region}.").format(region=r["region_name"]),
                        color="info", className="py-2 mb-2")
        return {"options": r["options"], "value": r["basis"], "message": msg, "table": "",
                "assumptions": [html.Li(a) for a in r["assumptions"]], "source": r["source"]}
    msg = dbc.Alert([html.Strong(_("Merk:") + " "), " ".join(r["notes"])], color="warning",
                    className="py-2 mb-2") if r["notes"] else None
    table = html_table(r["headers"], [[html.Th(c[0], scope="row")] + c[1:] for c in r["cells"]],
                       numeric=range(1, len(r["headers"])), table_id="need-kostra-table-table",
                       caption=_("Mottakere og beboere 80 år og over som trengs med dagens dekning, {region} "
                                 "(framskr. = framskrevet)").format(region=r["region_name"]))
    return {"options": r["options"], "value": r["basis"], "message": msg, "table": markup(table),
            "assumptions": [html.Li(a) for a in r["assumptions"]], "source": r["source"]}


# --------------------------------------------------------------------------- the first view
def first_view(region, year, width, mode, need_basis, track_age, track_vintage) -> dict[tuple[str, str], Any]:
    """{(component id, prop): value}: what the callbacks above answer for the page's first view, which
    pages/population.py writes into the layout itself, so the page arrives complete: no callback round trip
    and no re-rendering of the page per answer on load (those callbacks are prevent_initial_call), and no
    layout shift when the key figures arrive. The same functions, so the first view is what they would answer."""
    answers = ((SUMMARY_OUT, update_summary(region)), (GROUPS_OUT, update_groups(region, mode)),
               (PROFILE_OUT, update_profile(region, year, width, None)),
               (KOSTRA_OUT, update_kostra_need(region, "egen")),
               (NEED_OUT, update_need(region, need_basis, "", "per1000", "arsverk", "80+")),
               (TRACK_OUT, update_track(track_age, track_vintage)))
    return {(o.component_id, o.component_property): answer[key]
            for outputs, answer in answers for key, o in outputs.items()}


# --------------------------------------------------------------------------- Hvor godt traff framskrivingene?
def valid_track(age: Any, vintage: Any) -> tuple[str, str]:
    """A known age group (else 80+) and a vintage present in the track record or «alle»."""
    age = age if isinstance(age, str) and age in trackc.AGE_GROUPS else trackc.DEFAULT_AGE
    try:
        known = {str(v) for v in dem.track()["vintage"].unique()}
    except store.StoreError:
        known = set()
    vintage = str(vintage) if isinstance(vintage, (str, int)) and not isinstance(vintage, bool) and str(vintage) in known \
        else trackc.ALL
    return age, vintage


TRACK_OUT = dict(figure=Output("track-graph", "figure"), table=Output(store_id("track-table"), "data"),
                 horizon=Output(store_id("track-horizon"), "data"), summary=Output("track-summary", "children"),
                 label=Output("track-container", "aria-label"))


@memoize()
def _track(age: str, vintage: str, version: str, code_version: str = CODE_VERSION) -> dict:
    try:
        view = dem.track_view(age)
    except store.StoreError as exc:
        msg = _("Sammenligningen kan ikke vises:") + " " + str(exc).split(": ", 1)[-1]
        return {"figure": empty_figure(msg, height=460), "table": markup(no_data()), "horizon": markup(no_data()),
                "summary": msg, "label": msg}
    summary = dem.track_by_horizon(age)
    text = trackc.summary_text(summary, age_group=age)
    label = _("Linjediagram: avvik fra registrert befolkning etter antall år fram, {age}.").format(
        age=trackc.age_label(age).lower()) + " " + text
    return plain({"figure": trackc.figure(view, age_group=age, vintage=vintage),
                  "table": markup(trackc.detail_table(view, age_group=age, vintage=vintage)),
                  "horizon": markup(trackc.horizon_table(summary, age_group=age)), "summary": text, "label": label})


@callback(output=TRACK_OUT, inputs=dict(age=Input("track-age", "value"), vintage=Input("track-vintage", "value")),
          prevent_initial_call=True)
def update_track(age, vintage):
    """Projected against observed: SSB's vintages 2005–2022 and ours, for one age group (and one vintage)."""
    age, vintage = valid_track(age, vintage)
    return _track(age, vintage, store.version(), CODE_VERSION)


# --------------------------------------------------------------------------- URL sync (browser side)
URL_SYNC_JS = """
function(region, year, width, mode, trackAge, trackVintage) {
    var p = new URLSearchParams();
    if (region && typeof region === 'string' && region !== 'NO') {
        p.set(region.length === 4 ? 'kommune' : 'fylke', region);
    }
    if (year !== null && year !== undefined && year !== '') { p.set('ar', String(year)); }
    p.set('aldersgrupper', String(width === 5 ? 5 : 1));
    if (mode === 'index') { p.set('visning', 'indeks'); }  // «Eldre over tid» as an index (issue 6)
    if (trackAge && trackAge !== '80+') { p.set('aldersgruppe', String(trackAge)); }  // «Hvor godt traff …»
    if (trackVintage && trackVintage !== 'alle') { p.set('argang', String(trackVintage)); }
    return window.oaUrl.write(p, '/befolkning');  // ?lang= kept, ?presentasjon=1, address bar (assets/70-present.js)
}
"""

clientside_callback(
    URL_SYNC_JS,
    Output("pop-url-sync", "data"),
    Input("pop-region", "value"),
    Input("pop-year", "value"),
    Input("pop-width", "value"),
    Input("pop-groups-mode", "value"),
    Input("track-age", "value"),
    Input("track-vintage", "value"),
)


# The region picker's ~370 options are put in on first use: callbacks/lazy_options.py.

