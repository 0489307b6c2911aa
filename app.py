"""omsorgsatlas – Helse- og omsorgsatlas for kommunene (Dash).

    python app.py                      # development server on $PORT (default 8050)
    gunicorn app:server                # production (see Procfile)

Environment: OMSORGSATLAS_DATA (data folder, default ./data), PORT, HOST (python app.py only, default
127.0.0.1), OMSORGSATLAS_DEBUG=1 (debug mode; never in production), CACHE_TYPE / CACHE_DIR /
CACHE_DEFAULT_TIMEOUT / REDIS_URL (flask-caching).

Start-up loads and validates data/ once; a missing or corrupt file stops the app with one line naming
the file (exit code 4, which gunicorn treats as "App failed to load" and does not retry).
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import dash
from dash import html, set_props
import flask_bootstrap
from flask import jsonify, request, send_from_directory
from werkzeug.exceptions import HTTPException

import store
from components import i18n
from callbacks._cache import cache, cache_config
from components.shell import footer, navbar, skip_link
from store import StoreError

log = logging.getLogger("omsorgsatlas")
if not logging.getLogger().handlers:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

EXIT_DATA_ERROR = 4  # gunicorn's APP_LOAD_ERROR: the arbiter halts instead of respawning workers


def _load_data_or_exit() -> None:
    try:
        store.init()
    except StoreError as exc:
        print(f"omsorgsatlas: kan ikke starte – {exc}", file=sys.stderr, flush=True)
        raise SystemExit(EXIT_DATA_ERROR) from None


_load_data_or_exit()

DEBUG = os.environ.get("OMSORGSATLAS_DEBUG") == "1"
ERROR_TEXT = "Noe gikk galt da visningen skulle oppdateres. Prøv et annet valg, eller last inn siden på nytt."


def on_callback_error(err: Exception):
    """Last line of defence: log, show a note, leave the outputs unchanged (no 500, no traceback)."""
    log.error("Feil i callback: %s", err, exc_info=(type(err), err, err.__traceback__))
    set_props("app-error", {"is_open": True, "children": ERROR_TEXT})
    return None


INDEX_STRING = """<!DOCTYPE html>
<html lang="nb">
    <head>
        {%metas%}
        <title>{%title%}</title>
        <link rel="icon" type="image/svg+xml" href="/assets/favicon.svg">
        {%css%}
    </head>
    <body>
        <noscript>Omsorgsatlas krever JavaScript.</noscript>
        {%app_entry%}
        <div class="dash-scripts">
            {%config%}
            {%scripts%}
            {%renderer%}
        </div>
    </body>
</html>"""

# Bootstrap's CSS comes from a package on the index (Bootstrap-Flask ships Bootstrap 5.3.8, MIT), served by
# this app, so the page needs no CDN and works offline.
BOOTSTRAP_DIR = Path(flask_bootstrap.__file__).resolve().parent / "static" / "bootstrap5" / "css"
BOOTSTRAP_URL = "/vendor/bootstrap.min.css"

app = dash.Dash(
    __name__,
    use_pages=True,
    external_stylesheets=[BOOTSTRAP_URL],
    title="Omsorgsatlas",
    update_title=None,
    suppress_callback_exceptions=True,
    on_error=on_callback_error,
    meta_tags=[
        {"name": "viewport", "content": "width=device-width, initial-scale=1"},
        {"name": "description", "content": "Helse- og omsorgsatlas for kommunene: kart, utvikling og "
                                            "sammenligning for kommuner og fylker."},
    ],
)
app.index_string = INDEX_STRING
_dash_interpolate_index = app.interpolate_index


def _interpolate_index(**kwargs):
    """Pages under /embed (pages/embed.py) get <html class="oa-embed">: assets/50-embed.css then hides the
    app shell from the first paint (no navbar/footer flashing inside another site's iframe)."""
    page = _dash_interpolate_index(**kwargs)
    lang = i18n.current_lang()
    classes = []
    if is_embed_path(request.path[len(app.config.requests_pathname_prefix) - 1:]):
        classes.append("oa-embed")
    attrs = f'lang="{lang}"' + (f' class="{" ".join(classes)}"' if classes else "")
    return page.replace('<html lang="nb">', f"<html {attrs}>", 1)


app.interpolate_index = _interpolate_index
server = app.server

cache.init_app(server, config=cache_config())


@server.route(BOOTSTRAP_URL)
def _bootstrap_css():
    return send_from_directory(BOOTSTRAP_DIR, "bootstrap.min.css", max_age=86400)


@server.before_request
def _reject_malformed_callback_requests():
    """Dash answers a structurally broken callback request with a 500 and a traceback in the log; answer
    400 instead (the callbacks themselves validate the values inside well-formed requests)."""
    if request.method != "POST" or not request.path.endswith("/_dash-update-component"):
        return None
    body = request.get_json(silent=True)

    def dep_ok(i) -> bool:  # one input/state, or a list of them (pattern-matching ALL / ALLSMALLER)
        if isinstance(i, list):
            return all(isinstance(j, dict) and "id" in j and "property" in j for j in i)
        return isinstance(i, dict) and "id" in i and "property" in i

    ok = (isinstance(body, dict) and isinstance(body.get("output"), str) and isinstance(body.get("inputs"), list)
          and all(dep_ok(i) for i in body["inputs"])
          and isinstance(body.get("state", []), list)
          and all(dep_ok(i) for i in body.get("state", [])))
    if not ok:
        return jsonify({"error": "Ugyldig forespørsel."}), 400
    _sanitise_router_inputs(body)
    return None


_ROUTER_ID = "_pages_location"  # Dash's page router reads dcc.Location's pathname/search/hash as strings


def _sanitise_router_inputs(body: dict) -> None:
    """A browser always sends the router's location as strings, the path under this app's prefix; a
    hostile client may send anything, which would crash Dash's own routing callback. A non-string search
    or hash becomes "", a pathname that isn't a string under the prefix becomes an unknown page (the
    router shows «Fant ikke siden»). The parsed JSON is cached by the request, so Dash sees these values."""
    prefix = app.config.requests_pathname_prefix
    for dep in [*body["inputs"], *body.get("state", [])]:
        for d in dep if isinstance(dep, list) else [dep]:
            if d.get("id") != _ROUTER_ID:
                continue
            value, prop = d.get("value"), d.get("property")
            if prop == "pathname" and not (isinstance(value, str) and value.startswith(prefix)):
                d["value"] = prefix + "ugyldig-adresse"
            elif prop in ("search", "hash", "href") and not isinstance(value, str):
                d["value"] = ""


@server.errorhandler(Exception)
def _unexpected_error(exc):
    """No tracebacks to the browser: log it, answer a short Norwegian message."""
    if isinstance(exc, HTTPException):
        return exc
    log.error("Uventet feil: %s", exc, exc_info=(type(exc), exc, exc.__traceback__))
    if request.path.endswith("/_dash-update-component"):
        return jsonify({"error": "Ugyldig forespørsel."}), 400
    return "Noe gikk galt. Prøv igjen senere.", 500


# ------------------------------------------------------------------------------------- security headers
# Content-Security-Policy that Dash 4 + plotly.js work with (checked in headless Chromium on every page,
# tests/security/test_browser_csp.py): scripts only from this origin plus the hashes of Dash's inline
# scripts (the renderer bootstrap and the clientside callbacks, app.csp_hashes()); no 'unsafe-eval', no
# 'unsafe-inline' for scripts. Styles need 'unsafe-inline' (plotly.js injects <style> elements and React
# sets style attributes). Everything is same-origin (Bootstrap, topojson and fonts are served by the app).
EMBED_PREFIX = "/embed"  # pages under /embed may be framed by any site; every other page by none
_CSP_BASE = {
    "default-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: blob:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "worker-src": "'self' blob:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}
_script_hashes: list[str] = []


def is_embed_path(path: str) -> bool:
    return path == EMBED_PREFIX or path.startswith(EMBED_PREFIX + "/")


def content_security_policy(path: str) -> str:
    if not _script_hashes:  # computed once, after every clientside callback is registered
        _script_hashes.extend(app.csp_hashes())
    directives = {**_CSP_BASE, "script-src": " ".join(["'self'", *_script_hashes]),
                  "frame-ancestors": "*" if is_embed_path(path) else "'none'"}
    return "; ".join(f"{k} {v}" for k, v in directives.items())


@server.after_request
def _security_headers(resp):
    """On every response (pages, assets, callbacks, errors)."""
    h = resp.headers
    h.setdefault("Content-Security-Policy", content_security_policy(request.path))
    h.setdefault("X-Content-Type-Options", "nosniff")
    h.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if not is_embed_path(request.path):
        h.setdefault("X-Frame-Options", "DENY")
    _remember_language(resp)
    return resp


def _remember_language(resp) -> None:
    """A page loaded with ?lang=en|nb stores the choice in a cookie, so the callbacks that follow (POSTs
    without the flag) and later visits answer in that language (components/i18n.py)."""
    if request.method != "GET":
        return
    lang = i18n.valid_lang(request.args.get(i18n.URL_PARAM))
    if lang and request.cookies.get(i18n.COOKIE) != lang:
        resp.set_cookie(i18n.COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                        secure=request.is_secure)

import callbacks  # noqa: E402,F401  (registers the callbacks)
import dash_bootstrap_components as dbc  # noqa: E402

_MENU = [(p["name"], p["relative_path"]) for p in sorted(dash.page_registry.values(), key=lambda p: p.get("order") or 0)
         if not p["module"].endswith("not_found_404") and p.get("in_menu", True)]

app.layout = html.Div(
    [
        skip_link(),
        navbar(_MENU),
        dbc.Container(dbc.Alert(id="app-error", color="danger", is_open=False, dismissable=True, className="mt-2"),
                      fluid=True),
        html.Main(dash.page_container, id="main", tabIndex="-1"),
        footer(),
    ],
    className="app-shell",
)


if __name__ == "__main__":
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", "8050")), debug=DEBUG)
