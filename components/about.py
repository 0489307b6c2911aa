"""Builders for «Om dataene»: the sources & harmonisation section from manifest.json. Pure."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import html

from components.format import format_date, format_number
from components.i18n import N_, _, current_lang

HARMONISATION_TEXT = N_(
    "Alle tall vises på kommune- og fylkesgrensene fra 2024 (15 fylker, 357 kommuner). Eldre tall er "
    "harmonisert til disse grensene: sammenslåtte kommuner summeres, og kommuner som er delt, fordeles etter "
    "folketallet det første året etter delingen (per alder der det er mulig). Andeler og rater beregnes på nytt "
    "fra de harmoniserte tellerne og nevnerne – de er aldri gjennomsnitt av andeler. Fylkes- og landstall er "
    "summert fra kommunene. Metoden for hver indikator står i merknadene i tabellen under."
)


def _first(d: dict, *keys, default=None):
    for k in keys:
        if isinstance(d, dict) and d.get(k) not in (None, ""):
            return d[k]
    return default


def _link(text: str, url) -> Any:
    if isinstance(url, str) and url.startswith(("http://", "https://")):
        return html.A(text, href=url, target="_blank", rel="noopener noreferrer")
    return text


def _source_items(manifest: dict, cat: pd.DataFrame) -> list:
    """One <li> per source: from manifest['sources'] when present, else the catalogue's distinct sources."""
    items = []
    sources = manifest.get("sources") if isinstance(manifest, dict) else None
    if isinstance(sources, dict):
        sources = [{"id": k, **v} if isinstance(v, dict) else {"id": k, "name": str(v)} for k, v in sources.items()]
    if isinstance(sources, list) and sources:
        for s in sources:
            if not isinstance(s, dict):
                items.append(html.Li(str(s)))
                continue
            name = str(_first(s, "name_en" if current_lang() == "en" else "name_nb", "name_nb", "name", "title",
                              "table", "id", default=_("Ukjent kilde")))
            parts: list[Any] = [_link(name, _first(s, "url", "source_url", "href"))]
            publisher = _first(s, "publisher")
            if publisher and str(publisher) not in name:
                parts.append(f", {publisher}")
            licence = _first(s, "licence", "license")
            if licence:
                parts.append(" – " + _("lisens: {licence}").format(licence=licence))
            credit = _first(s, "credit")
            if credit:
                parts.append(f" ({credit})")
            items.append(html.Li(parts))
        return items
    if cat is not None and not cat.empty:
        seen = cat[["source", "source_url", "licence"]].drop_duplicates()
        for r in seen.itertuples():
            items.append(html.Li([_link(str(r.source), r.source_url),
                                  " – " + _("lisens: {licence}").format(licence=r.licence) if r.licence else ""]))
    return items


def _names(codes, names: dict[str, str]) -> str:
    out = [names.get(str(c), str(c)) for c in codes]
    return ", ".join(out[:-1]) + " " + _("og") + " " + out[-1] if len(out) > 1 else (out[0] if out else "")


def _harmonisation_items(harm: dict, names: dict[str, str]) -> list:
    """Plain-language facts from manifest['harmonisation'] (splits, cross-check, gaps)."""
    items = []
    splits = harm.get("splits")
    if isinstance(splits, dict) and splits:
        parts = []
        for key, info in splits.items():
            codes = str(key).split("+")
            year = info.get("weights_year") if isinstance(info, dict) else None
            parts.append(f"{_names(codes, names)}" + (" " + _("(folketall {year})").format(year=year) if year else ""))
        items.append(html.Li(_("Delte kommuner er fordelt etter folketall:") + " " + "; ".join(parts) + "."))
    check = harm.get("cross_check_b2024")
    if isinstance(check, dict) and check.get("municipality_years_compared"):
        text = _("Kontroll mot SSBs tall publisert på 2024-grenser: {compared} kommune-år sammenlignet, "
                 "{differing} avviker").format(compared=format_number(check['municipality_years_compared']),
                                               differing=format_number(check.get('municipality_years_differing', 0)))
        differing = check.get("codes_differing")
        if isinstance(differing, dict) and differing:
            text += " " + _("(gjelder {names})").format(names=_names(list(differing), names))
        if check.get("national_total_diff_max") is not None:
            text += "; " + _("største avvik i landstotalen: {value} personer").format(
                value=format_number(check['national_total_diff_max']))
        items.append(html.Li(text + "."))
    gaps = harm.get("gaps")
    if isinstance(gaps, dict) and gaps:
        parts = [f"{year}: {_names(codes, names)}" for year, codes in gaps.items() if codes]
        if parts:
            items.append(html.Li(_("Mangler tall (vises som hull, ikke fylt inn):") + " " + "; ".join(parts) + "."))
    return items


def sources_section(manifest: dict, cat: pd.DataFrame, region_names: dict[str, str] | None = None) -> list:
    manifest = manifest if isinstance(manifest, dict) else {}
    names = region_names or {}
    children: list = [html.H2(_("Kilder og harmonisering"), className="h5", id="sources-heading"),
                      html.P(_(HARMONISATION_TEXT))]
    built = _first(manifest, "built_at", "generated_at", "created", "build_time")
    if built:
        children.append(html.P(_("Dataene ble sist bygget {date}.").format(date=format_date(built)), className="small"))
    items = _source_items(manifest, cat)
    if items:
        children += [html.H3(_("Kilder"), className="h6"), html.Ul(items)]
    harm = manifest.get("harmonisation")
    if isinstance(harm, dict):
        h_items = _harmonisation_items(harm, names)
        if h_items:
            children += [html.H3(_("Harmonisering"), className="h6"), html.Ul(h_items)]
    tables = manifest.get("tables")
    rows = []
    if isinstance(tables, dict):
        for key, info in tables.items():
            if isinstance(info, dict) and isinstance(info.get("rows"), (int, float)):
                rows.append(html.Li(_("{file}: {n} rader").format(file=info.get('file', key), n=format_number(info['rows']))))
    if rows:
        children.append(html.Details([html.Summary(_("Antall rader per fil")), html.Ul(rows, className="small")]))
    return children
