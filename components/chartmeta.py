"""What is known about every shareable chart without building it (issue 13): its id, the page and element it
lives on, its name, the page parameters it reads and a suggested embed height.

Both the share toolbar (components/share.py, used by the pages) and the chart registry (callbacks/charts.py,
which adds a builder per id) read this table, so the toolbar no longer imports the registry upwards (the old
circle callbacks/charts.py → callbacks/profile.py → components/share.py → callbacks/charts.py).
"""
from __future__ import annotations

from dataclasses import dataclass

from components import personnel as pc
from components.i18n import N_

POP_MODE_PARAM = "visning"        # eldre over tid: antall (default) | indeks
PERS_MODE_PREFIX = "visning-"     # visning-<panel>=linjer|stablet (per time panel)
PERS_SERIES_PARAM = "fordeling"   # the explorer panel's breakdown
MAP_PARAMS = ("indikator", "niva", "fylke", "kommune", "ar")


@dataclass(frozen=True)
class ChartMeta:
    id: str
    page: str            # path of the page the chart lives on
    name: str            # short name (N_ marked; translate where shown)
    anchor: str          # element id on the page (permalink fragment)
    params: tuple[str, ...] = ()   # the page parameters the chart reads (embed snippets keep these)
    height: int = 520    # suggested iframe height


def _personnel() -> list[ChartMeta]:
    out = []
    for p in pc.PANELS:
        params = [pc.P_AREA, pc.P_YEAR]
        if p["kind"] == "time":
            params.append(PERS_MODE_PREFIX + p["id"])
        if p.get("chooser"):
            params.append(PERS_SERIES_PARAM)
        out.append(ChartMeta(f"personell-{p['id']}", "/personell", p["title"], f"pers-{p['id']}-heading",
                             tuple(params), height=560))
    return out


CHARTS: dict[str, ChartMeta] = {m.id: m for m in [
    ChartMeta("kart", "/", N_("Kart"), "map-heading", MAP_PARAMS, height=600),
    ChartMeta("utvikling", "/", N_("Utvikling over tid"), "trend-heading", MAP_PARAMS),
    ChartMeta("kommune-profil", "/kommune", N_("Kommuneprofil"), "spine-heading", ("knr", "omrade"), height=640),
    ChartMeta("kommune-utvikling", "/kommune", N_("Utvikling mot fylket, landet og naboene"), "profile-trend-heading",
              ("knr", "omrade", "indikator"), height=560),
    ChartMeta("fylke", "/fylke", N_("Fylkesbildet"), "county-title", ("fnr", "omrade", "sorter", "rekkefolge"),
              height=720),
    ChartMeta("befolkning-aldersprofil", "/befolkning", N_("Aldersprofil"), "profile-heading",
              ("kommune", "fylke", "ar", "aldersgrupper"), height=680),
    ChartMeta("befolkning-eldre", "/befolkning", N_("Eldre over tid"), "groups-heading",
              ("kommune", "fylke", POP_MODE_PARAM)),
    ChartMeta("befolkning-omsorgsressurs", "/befolkning", N_("Omsorgsressurs"), "care-heading", ("kommune", "fylke")),
    ChartMeta("befolkning-treffsikkerhet", "/befolkning", N_("Hvor godt traff framskrivingene?"), "track-heading",
              ("aldersgruppe", "argang"), height=560),
    *_personnel(),
    ChartMeta("tiltak-tilskudd", "/tiltak", N_("Tilskudd etter statsforvalterområde"), "grant-heading", (),
              height=600),
]}
