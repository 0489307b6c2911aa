"""Export routes (issue 6): images and data of any registered chart, JSON-stat of any indicator.

    /eksport/<chart>.png?<page params>&skala=1|2|4&mal=16x9|4x3|1x1   PNG (default 1200×675 at 2× = 2400×1350)
    /eksport/<chart>.svg?<page params>&mal=…                          SVG
    /eksport/<chart>.csv?<page params>                                 CSV (components.export.to_csv)
    /eksport/<chart>.xlsx?<page params>                                Excel (units row, «Kilde» sheet)
    /eksport/<chart>.json?<page params>                                JSON-stat 2.0 of the chart's indicators
    /eksport/indikator/<id>.json?niva=kommune|fylke|land               JSON-stat 2.0 of one indicator

<chart> is an id of callbacks.charts.REGISTRY; the page parameters are those of the page the chart lives on
(the share toolbar copies them from the address bar). Every file credits its source: the image has the title,
«Kilde: … · Omsorgsatlas» and the date drawn into it (components.imagefig.decorate) and PNG text chunks;
CSV/xlsx carry the source block/sheet; JSON-stat has ``source``, ``note`` and ``extension``.

Images are rendered server-side by kaleido driving the system Chromium: one persistent browser per worker
process (kaleido.start_sync_server, started at the first image request), one render at a time per process
(``_SLOTS``), a bounded wait for a free slot and a render timeout, both answered with 503 and a short
message. Finished files are cached (flask-caching, key = chart + canonical view + format + data/code
version + language + date). Unknown charts -> 404; unusable skala/mal/niva -> 400; never a traceback.
"""

from __future__ import annotations

import datetime as _dt
import logging
import threading
import time
from pathlib import Path

from flask import Response, request

import store
from callbacks import charts
from callbacks import overview as ov
from callbacks._cache import CODE_VERSION, _active, cache
from components import export, imagefig, jsonstat, mapfig
from components.format import format_date
from components.i18n import _, current_lang, pick
from components.urlstate import shown

log = logging.getLogger("omsorgsatlas.export")
for _noisy in ("kaleido", "choreographer"):  # one INFO line per browser step otherwise
    logging.getLogger(_noisy).setLevel(logging.WARNING)

PREFIX = "/eksport"
IMAGE_FORMATS = ("png", "svg")
DATA_FORMATS = ("csv", "xlsx", "json")
MIME = {"png": "image/png", "svg": "image/svg+xml", "csv": export.CSV_MIME + "; charset=utf-8",
        "xlsx": export.XLSX_MIME, "json": "application/json; charset=utf-8"}
LEVELS = {"kommune": "municipality", "fylke": "county", "land": "country"}
LEVEL_LABELS = {"municipality": "Kommune", "county": "Fylke", "country": "Land"}
QUEUE_WAIT = 30.0       # s to wait for a free render slot
RENDER_TIMEOUT = 60.0   # s for one render (a cold Chromium start is ~1–6 s)
CACHE_TIMEOUT = 24 * 3600
TOPOJSON_URL = (Path(__file__).resolve().parent.parent / "assets" / "topojson").as_uri() + "/"

_SLOTS = threading.BoundedSemaphore(1)   # kaleido's sync server runs one job at a time
_START_LOCK = threading.Lock()
_started = False


class ExportError(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message, self.status = message, status


# ------------------------------------------------------------------------------------------------ rendering
def _ensure_browser() -> None:
    global _started
    if _started:
        return
    with _START_LOCK:
        if not _started:
            import kaleido
            kaleido.start_sync_server(n=1, timeout=RENDER_TIMEOUT, mathjax=False, silence_warnings=True)
            _started = True


def render(figure: dict, fmt: str, width: int, height: int, scale: float) -> bytes:
    """Image bytes from kaleido (persistent Chromium). Raises ExportError(503) when busy or too slow."""
    if not _SLOTS.acquire(timeout=QUEUE_WAIT):
        raise ExportError(_("Bildeeksporten er opptatt akkurat nå. Prøv igjen om litt."), 503)
    box: dict = {}
    done = threading.Event()

    def work():
        try:
            import kaleido
            _ensure_browser()
            box["bytes"] = kaleido.calc_fig_sync(
                figure, opts={"format": fmt, "width": int(width), "height": int(height), "scale": scale},
                topojson=TOPOJSON_URL)
        except BaseException as exc:  # noqa: BLE001 - reported to the waiting request below
            box["error"] = exc
        finally:
            _SLOTS.release()
            done.set()

    threading.Thread(target=work, name="oa-render", daemon=True).start()
    if not done.wait(RENDER_TIMEOUT + 5):
        log.error("Bildeeksport: tidsavbrudd etter %s s", RENDER_TIMEOUT)
        raise ExportError(_("Bildet tok for lang tid å lage. Prøv igjen om litt."), 503)
    if "error" in box:
        exc = box["error"]
        log.error("Bildeeksport feilet: %s", exc, exc_info=(type(exc), exc, exc.__traceback__))
        raise ExportError(_("Bildeeksporten er ikke tilgjengelig akkurat nå. Prøv igjen senere."), 503)
    return box["bytes"]


def _int_param(name: str, allowed, default):
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value not in allowed:
        raise ExportError(_("Ugyldig verdi for «{name}»: «{value}». Bruk {allowed}.").format(
            name=name, value=shown(raw), allowed=" / ".join(str(a) for a in allowed)))
    return value


def image_options() -> tuple[int, int, int, str]:
    """(width, height, scale, preset) from ?skala=&mal=; ExportError(400) for anything else."""
    scale = _int_param("skala", imagefig.SCALES, imagefig.DEFAULT_SCALE)
    preset = request.args.get("mal") or imagefig.DEFAULT_PRESET
    if preset not in imagefig.PRESETS:
        raise ExportError(_("Ugyldig mal «{value}». Bruk {allowed}.").format(
            value=shown(preset), allowed=" / ".join(imagefig.PRESETS)))
    width, height = imagefig.PRESETS[preset]
    return width, height, scale, preset


def image_bytes(result: charts.ChartResult, fmt: str, width: int, height: int, scale: int) -> bytes:
    date_text = format_date(result.date)
    figure = mapfig.inline_geometry(result.figure, ov.geometry_for_url)  # kaleido can't fetch /geo/…
    fig = imagefig.decorate(figure, title=result.title, source=result.source, date_text=date_text,
                            width=width, height=height)
    data = render(fig, fmt, width, height, scale)
    if fmt == "png":
        data = imagefig.png_text(data, {"Title": result.title, "Source": result.source,
                                        "Creation Time": result.date.isoformat(),
                                        "Software": "Omsorgsatlas (plotly, kaleido)",
                                        "Comment": result.table.permalink if result.table else ""})
    return data


# ------------------------------------------------------------------------------------------------ JSON-stat
def indicator_dataset(ids, level: str, label: str | None = None) -> dict:
    """JSON-stat 2.0 of catalogue indicators × all regions of ``level`` × the years with data there."""
    inds = [store.indicator(i) for i in ids]
    inds = [i for i in inds if i and store.years(i["id"], level)]
    if not inds:
        raise ExportError(_("Ingen tall på dette nivået."), 404)
    years = sorted({y for i in inds for y in store.years(i["id"], level)})
    regions = store.regions(level).reset_index(drop=True)[["region_code", "name"]]
    frames = [store.indicator_values(i["id"], level).assign(indicator_id=i["id"]) for i in inds]  # all years at once
    import pandas as pd
    values = pd.concat(frames, ignore_index=True) if frames else None
    meta = [{"id": i["id"], "name": pick(i, "name"), "unit_label": pick(i, "unit") or i.get("unit") or "",
             "decimals": int(i.get("decimals") or 0), "source": i.get("source"), "licence": i.get("licence")}
            for i in inds]
    notes = [f"{pick(i, 'name')}: {i['notes']}" for i in inds if i.get("notes")]
    href = str(inds[0].get("source_url") or "") if len(inds) == 1 else ""
    lvl_label = _(LEVEL_LABELS[level])
    return jsonstat.dataset(
        meta, values, regions, years, label=label or (meta[0]["name"] if len(meta) == 1 else "Omsorgsatlas"),
        level_label=lvl_label, time_label=_("År"), metric_label=_("Indikator"),
        missing_label=_("«..»: tallet mangler i kilden (vises som hull, ikke som et anslag)."),
        updated=export.today_oslo(), href=href, notes=notes,
        extension={"level": level, "definitions": {i["id"]: pick(i, "definition") for i in inds},
                   "units": {i["id"]: i.get("unit") for i in inds}, "data_version": store.version(),
                   "credit": "Omsorgsatlas", "language": current_lang()})


# ------------------------------------------------------------------------------------------------ responses
def _message(text: str, status: int) -> Response:
    resp = Response(text + "\n", status=status, mimetype="text/plain")
    resp.headers["Cache-Control"] = "no-store"
    return resp


def _file(data: bytes, fmt: str, filename: str) -> Response:
    resp = Response(data, status=200, content_type=MIME[fmt])
    resp.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    resp.headers["Cache-Control"] = "private, max-age=600"
    return resp


def _cache_key(kind: str, *parts) -> str:
    return "oa-export:" + "|".join(str(p) for p in (kind, CODE_VERSION, store.version(), current_lang(),
                                                    export.today_oslo().isoformat(), *parts))


def _cached(key: str, make):
    if _active():
        hit = cache.get(key)
        if hit is not None:
            return hit
    data = make()
    if _active():
        try:
            cache.set(key, data, timeout=CACHE_TIMEOUT)
        except Exception as exc:  # a full/broken cache never breaks an export
            log.warning("Eksport-cache: %s", exc)
    return data


def chart_file(name: str) -> Response:
    chart_id, dot, fmt = name.rpartition(".")
    if not dot or fmt not in IMAGE_FORMATS + DATA_FORMATS:
        raise ExportError(_("Ukjent format. Bruk .png, .svg, .csv, .xlsx eller .json."), 404)
    charts.spec(chart_id)  # UnknownChart -> 404 before any work
    params = request.args.to_dict(flat=False)
    for k in ("skala", "mal", "lang"):
        params.pop(k, None)
    if fmt in IMAGE_FORMATS:
        width, height, scale, preset = image_options()
    result = charts.build(chart_id, params)
    if fmt in IMAGE_FORMATS and not request.args.get("mal") and result.min_height > height:
        height = result.min_height  # a long table keeps every row legible (ask for mal=16x9 to force the slide)
        preset = f"{preset}-{height}"
    view = sorted((k, str(v)) for k, v in result.page_query.items())
    base = export.filename(chart_id, *[v for v in result.page_query.values() if v not in (None, "")][:4], ext=fmt)
    if fmt in IMAGE_FORMATS:
        key = _cache_key("img", chart_id, view, fmt, scale if fmt == "png" else 1, preset)
        data = _cached(key, lambda: image_bytes(result, fmt, width, height, scale if fmt == "png" else 1))
        if fmt == "png" and scale != imagefig.DEFAULT_SCALE:
            base = base[:-4] + f"-{scale}x.png"
        return _file(data, fmt, base)
    if fmt == "json":
        if not result.indicators:
            raise ExportError(_("Denne figuren bygger ikke på indikatorer i katalogen; bruk CSV eller Excel."), 404)
        key = _cache_key("chart-json", chart_id, view)
        data = _cached(key, lambda: _json_bytes(indicator_dataset(result.indicators, result.level, result.title)))
        return _file(data, fmt, base)
    if result.table is None:
        raise ExportError(_("Ingen data for dette valget."), 404)
    data = export.to_xlsx(result.table) if fmt == "xlsx" else export.to_csv(result.table)
    return _file(data, fmt, base)


def _json_bytes(ds: dict) -> bytes:
    import json
    return json.dumps(ds, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def indicator_file(name: str) -> Response:
    ind_id, dot, fmt = name.rpartition(".")
    if not dot or fmt != "json":
        raise ExportError(_("Ukjent format. Indikatorer lastes ned som .json (JSON-stat 2.0)."), 404)
    ind = store.indicator(ind_id) if ind_id else None
    if ind is None:
        raise ExportError(_("Ukjent indikator «{value}».").format(value=shown(ind_id)), 404)
    raw = request.args.get("niva") or "kommune"
    level = LEVELS.get(raw)
    if level is None:
        raise ExportError(_("Ugyldig nivå «{value}». Bruk kommune, fylke eller land.").format(value=shown(raw)))
    if not store.years(ind_id, level):
        raise ExportError(_("«{name}» har ingen tall på nivået «{level}».").format(name=pick(ind, "name"), level=raw),
                          404)
    key = _cache_key("ind-json", ind_id, level)
    data = _cached(key, lambda: _json_bytes(indicator_dataset([ind_id], level)))
    return _file(data, "json", export.filename("indikator", ind_id, raw, ext="json"))


def _guard(fn, *args) -> Response:
    t0 = time.monotonic()
    try:
        resp = fn(*args)
        log.info("eksport %s %.2fs", request.path, time.monotonic() - t0)
        return resp
    except ExportError as exc:
        return _message(exc.message, exc.status)
    except charts.ChartError as exc:
        return _message(str(exc), exc.status)
    except Exception as exc:  # noqa: BLE001 - bad input must never become a 500 with a traceback
        log.error("Eksport feilet (%s): %s", request.full_path, exc, exc_info=(type(exc), exc, exc.__traceback__))
        return _message(_("Kunne ikke lage filen for dette valget."), 400)


def register(server) -> None:
    """Add the export routes to the Flask server (app.py calls this once)."""
    if "oa_export_chart" in server.view_functions:
        return
    server.add_url_rule(PREFIX + "/indikator/<name>", "oa_export_indicator",
                        lambda name: _guard(indicator_file, name), methods=["GET"])
    server.add_url_rule(PREFIX + "/<name>", "oa_export_chart", lambda name: _guard(chart_file, name),
                        methods=["GET"])


def export_href(chart_id: str, fmt: str, **extra) -> str:
    """Relative href of an export (without the page parameters, which the share toolbar's script adds)."""
    from urllib.parse import urlencode
    q = urlencode({k: v for k, v in extra.items() if v is not None})
    return f"{PREFIX}/{chart_id}.{fmt}" + (f"?{q}" if q else "")


def today_text(date: _dt.date | None = None) -> str:
    return format_date(date or export.today_oslo())
