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

import json
import logging
import os
import sys
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

import dash
from dash import html, set_props
import flask_bootstrap
from flask_compress import Compress
from flask import Response, abort, jsonify, request, send_from_directory
from werkzeug.exceptions import HTTPException
from dash.fingerprint import check_fingerprint

import plotly_bundle
from asset_bundle import AssetBundles
import store
from components import i18n, present
from callbacks._cache import cache, cache_config
from callbacks.response_cache import ResponseCache, mark_error as _mark_uncacheable
from components.i18n import N_, _
from components.a11y import widget_texts
from components.firstpaint import first_paint
from components.htmlblock import compact
from components.shell import footer, navbar, skip_link
from markupsafe import escape
from plotly.io.json import to_json_plotly
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
ERROR_TEXT = N_("Noe gikk galt da visningen skulle oppdateres. Prøv et annet valg, eller last inn siden på nytt.")
NOSCRIPT_TEXT = N_("Omsorgsatlas krever JavaScript.")
APP_DESCRIPTION = N_("Helse- og omsorgsatlas for kommunene: kart, utvikling og sammenligning for kommuner og fylker.")


def on_callback_error(err: Exception):
    """Last line of defence: log, show a note, leave the outputs unchanged (no 500, no traceback)."""
    log.error("Feil i callback: %s", err, exc_info=(type(err), err, err.__traceback__))
    _mark_uncacheable()
    set_props("app-error", {"is_open": True, "children": _(ERROR_TEXT)})
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
BOOTSTRAP_VERSION = metadata.version("Bootstrap-Flask")  # in the page's URL (?v=): a new version, a new URL
IMMUTABLE = "public, max-age=31536000, immutable"  # versioned static files («cache lifetimes» below)

app = dash.Dash(
    __name__,
    use_pages=True,
    external_stylesheets=[f"{BOOTSTRAP_URL}?v={BOOTSTRAP_VERSION}"],
    title="Omsorgsatlas",
    update_title=None,
    suppress_callback_exceptions=True,
    on_error=on_callback_error,
    meta_tags=[
        {"name": "viewport", "content": "width=device-width, initial-scale=1"},
        {"name": "description", "content": APP_DESCRIPTION},
    ],
)
app.index_string = INDEX_STRING
_dash_interpolate_index = app.interpolate_index


def _interpolate_index(**kwargs):
    """Pages under /embed (pages/embed.py) get <html class="oa-embed">: assets/50-embed.css then hides the
    app shell from the first paint (no navbar/footer flashing inside another site's iframe). The renderer's
    config names the partial plotly.js bundle when it is built (see «plotly.js» below)."""
    if PLOTLY_URL:
        kwargs["config"] = _config_with_plotly_url(kwargs.get("config", ""))
    kwargs["scripts"] = _without_unused_scripts(kwargs.get("scripts", ""))
    if ASSET_BUNDLES is not None:  # the app's own CSS and JS as one file each (asset_bundle.py)
        kwargs["css"], kwargs["scripts"] = ASSET_BUNDLES.rewrite(kwargs.get("css", ""), kwargs["scripts"])
    embed = is_embed_path(request.path[len(app.config.requests_pathname_prefix) - 1:])
    if not embed and FIRST_PAINT:
        kwargs["app_entry"] = _first_paint() + kwargs.get("app_entry", "")
    page = _dash_interpolate_index(**kwargs)
    lang = i18n.current_lang()
    classes = []
    if embed:
        classes.append("oa-embed")
    elif present.requested(request.args):  # ?presentasjon=1 / ?storskjerm=1: right from the first paint
        classes.append(present.CSS_CLASS)
    attrs = f'lang="{lang}"' + (f' class="{" ".join(classes)}"' if classes else "")
    page = page.replace(f"<noscript>{NOSCRIPT_TEXT}</noscript>", f"<noscript>{escape(_(NOSCRIPT_TEXT))}</noscript>", 1)
    page = page.replace(f'content="{APP_DESCRIPTION}"', f'content="{escape(_(APP_DESCRIPTION))}"', 1)
    return page.replace('<html lang="nb">', f"<html {attrs}>", 1)


FIRST_PAINT = os.environ.get("OMSORGSATLAS_FIRST_PAINT", "1") != "0"  # 0: Dash's own empty page («Loading...»)
BUNDLE_PREFIX = "/bundle/"
# 0: Dash's own tags, one per asset file
ASSET_BUNDLES = AssetBundles(Path(app.config.assets_folder), BUNDLE_PREFIX) \
    if os.environ.get("OMSORGSATLAS_ASSET_BUNDLE", "1") != "0" else None


def _first_paint() -> str:
    """The page's layout as plain HTML (components/firstpaint.py), shown until the renderer has drawn it; empty
    when it cannot be built (the page then starts as Dash's does)."""
    try:
        return ('<div id="oa-first" class="oa-first">'
                + first_paint(json.loads(to_json_plotly(serve_layout(url=request.url)))) + "</div>")
    except Exception:  # noqa: BLE001  (the first paint is an extra: never a reason for an error page)
        log.exception("Første visning kunne ikke lages for %s", request.path)
        return ""


# Script delivery. Dash's scripts already sit at the end of <body> (nothing blocks the first paint). Dash also
# lists the DataTable bundle, a component this app never uses: left out. (Preloading /_dash-layout and
# /_dash-dependencies with <link rel="preload" as="fetch"> was tried: the requests start with the page, but
# Lighthouse's mobile runs then mostly ended in NO_FCP, so it is not done.)
_UNUSED_SCRIPTS = ("/dash/dash_table/bundle.",)


def _without_unused_scripts(scripts: str) -> str:
    return "\n".join(line for line in scripts.split("\n") if not any(u in line for u in _UNUSED_SCRIPTS))


app.interpolate_index = _interpolate_index
server = app.server


# ------------------------------------------------------------------------------------------- plotly.js
# dcc.Graph loads plotly.js when the first chart mounts, from the URL the renderer sets from its config: with
# serve_locally Dash's full bundle (4.8 MB, unversioned URL), otherwise config["plotlyjs_url"] (the renderer
# reads serve_locally for nothing else). When plotly_bundle.py has built the partial bundle (scatter, bar,
# choropleth, table: 1.4 MB) the config names it instead, at a versioned URL cached for a year; every
# other script is still served locally. Without a build (or with OMSORGSATLAS_PLOTLY=full) nothing
# changes: the full bundle, as Dash serves it. Same origin, so the CSP needs nothing new.
PLOTLY_BUNDLE, _plotly_fallback = plotly_bundle.load()
PLOTLY_URL = f"/vendor/{PLOTLY_BUNDLE.filename}" if PLOTLY_BUNDLE else None
if PLOTLY_BUNDLE is None:
    log.info("plotly.js: Dash's full bundle (%s)", _plotly_fallback)
_CONFIG_OPEN = '<script id="_dash-config" type="application/json">'


def _config_with_plotly_url(config_html: str) -> str:
    """Dash's config <script> with serve_locally off and plotlyjs_url on the partial bundle (a JSON data
    block, not executed: no CSP hash involved)."""
    if not (config_html.startswith(_CONFIG_OPEN) and config_html.endswith("</script>")):
        return config_html
    config = json.loads(config_html[len(_CONFIG_OPEN):-len("</script>")])
    config["serve_locally"] = False
    config["plotlyjs_url"] = app.config.requests_pathname_prefix.rstrip("/") + PLOTLY_URL
    return _CONFIG_OPEN + to_json_plotly(config) + "</script>"


if PLOTLY_BUNDLE is not None:
    @server.route(PLOTLY_URL)
    def _plotly_js():
        resp = Response(PLOTLY_BUNDLE.data, mimetype="text/javascript")
        resp.headers["Cache-Control"] = IMMUTABLE
        resp.set_etag(PLOTLY_BUNDLE.sha256)
        return resp.make_conditional(request)

cache.init_app(server, config=cache_config())


# ------------------------------------------------------------------------------------------ compression
# Responses are compressed (brotli or gzip by Accept-Encoding; flask-compress): the first load shrinks from
# ~7.3 MiB to ~2 MiB, a full map figure from ~580 KiB to ~160 KiB. The static bundles (Dash's versioned
# component suites, assets, Bootstrap) are compressed once per process and kept; callback answers are
# compressed per response (a few ms). Streamed file responses (the small files in assets/) are left as they
# are: flask-compress's streaming mode does not survive werkzeug's test client and brings little here.
class _StaticCompressedCache:
    """flask-compress cache backend that only keeps compressed static files (keyed by algorithm + path)."""

    _STATIC = ("/_dash-component-suites/", "/assets/", "/vendor/", "/geo/", BUNDLE_PREFIX)

    def __init__(self) -> None:
        self._data: dict[str, bytes] = {}

    def _static(self, key: str) -> bool:
        path = key.split(";", 1)[-1]
        return path.startswith(tuple(app.config.requests_pathname_prefix.rstrip("/") + s for s in self._STATIC))

    def get(self, key: str):
        return self._data.get(key) if self._static(key) else None

    def set(self, key: str, value: bytes) -> None:
        if self._static(key) and len(self._data) < 256:
            self._data[key] = value


# Callback answers from the cache (callbacks/response_cache.py): its store hook goes in before flask-compress's
# (after_request hooks run in reverse order, so it keeps the compressed bytes), its look-up after the request
# checks below (a malformed body gets its 400, never a cached answer).
response_cache = ResponseCache(store.version)
response_cache.register_store(server)

server.config.update(COMPRESS_ALGORITHM=["br", "gzip"], COMPRESS_BR_LEVEL=4, COMPRESS_LEVEL=6,
                     COMPRESS_MIN_SIZE=1024, COMPRESS_STREAMS=False,
                     COMPRESS_CACHE_BACKEND=_StaticCompressedCache,
                     COMPRESS_CACHE_KEY=lambda req: req.full_path)
Compress(server)


@server.route(BOOTSTRAP_URL)
def _bootstrap_css():
    resp = send_from_directory(BOOTSTRAP_DIR, "bootstrap.min.css", max_age=86400)
    resp.direct_passthrough = False  # read into memory (230 KB) so the compression above applies
    resp.make_sequence()
    if request.args.get("v") == BOOTSTRAP_VERSION:
        resp.headers["Cache-Control"] = IMMUTABLE
    return resp


@server.route(BUNDLE_PREFIX + "<name>")
def _asset_bundle(name: str):
    """The app's CSS or JS as one file (asset_bundle.py), named by its content's hash: cached for a year. A
    worker that has not written an index page since the files changed builds the bundles first."""
    found = ASSET_BUNDLES.get(name) if ASSET_BUNDLES is not None else None
    if found is None and ASSET_BUNDLES is not None:
        with server.test_request_context("/"):
            app.index()
        found = ASSET_BUNDLES.get(name)
    if found is None:
        abort(404)
    data, mimetype = found
    resp = Response(data, mimetype=mimetype)
    resp.headers["Cache-Control"] = IMMUTABLE
    resp.set_etag(name)
    return resp.make_conditional(request)


@server.route("/geo/<name>.json")
def _geometry(name: str):
    """The map shapes (2024 borders, simplified; Kartverket CC BY 4.0), fetched by plotly.js once per
    level and cached by the browser: the map figures only carry codes and values (callbacks/overview.py
    geometry_url). ETag = data version."""
    data = store.geometry_json(name)
    if data is None:
        return "Ukjent geometri.", 404
    resp = Response(data, mimetype="application/json")
    resp.set_etag(store.version())
    # the maps ask for ?v=<data version> (callbacks/overview.py geometry_url): that URL never changes content
    resp.headers["Cache-Control"] = IMMUTABLE if request.args.get("v") == store.version() else "public, max-age=86400"
    return resp.make_conditional(request)


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
        return jsonify({"error": _("Ugyldig forespørsel.")}), 400
    _sanitise_router_inputs(body)
    return None


_ROUTES = app.config.routes_pathname_prefix
response_cache.register_lookup(  # Dash's index page (every page path), the layout and the dependencies too
    server, get_endpoints=frozenset(_ROUTES + e for e in ("", "<path:path>", "_dash-layout", "_dash-dependencies")))

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
        return jsonify({"error": _("Ugyldig forespørsel.")}), 400
    return _("Noe gikk galt. Prøv igjen senere."), 500


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


# ------------------------------------------------------------------------------------------ cache lifetimes
# Versioned static files are cached for a year and never revalidated (a new version has a new URL): Dash's
# fingerprinted component suites and their async chunks (…/dash_renderer.v4_4_1m<mtime>.min.js; Dash
# sends max-age only), files under /assets at Dash's ?m=<mtime> when that is the file's current mtime,
# Bootstrap at ?v=<version>, the partial plotly.js and the map shapes at ?v=<data version> (their routes
# above). Pages, the layout and the callback list are revalidated on every load (no-cache: each page
# carries a fresh signed token and the language); callback answers are not stored (no-store). Routes that
# set their own lifetime (exports) keep it.
_ASSETS_ROOT = Path(app.config.assets_folder).resolve()


def _versioned_asset(path: str) -> bool:
    """/assets/<file>?m=<mtime> where mtime is the file's current one (a stale page's old ?m= is not)."""
    stamp = request.args.get("m")
    if not stamp:
        return False
    target = (_ASSETS_ROOT / path[len("/assets/"):]).resolve()
    try:
        return target.is_relative_to(_ASSETS_ROOT) and stamp == str(target.stat().st_mtime)
    except OSError:
        return False


def cache_policy(path: str, method: str, resp) -> str | None:
    """The Cache-Control this response should get, or None to leave it as it is."""
    if method == "POST":
        return "no-store" if path.endswith("/_dash-update-component") else None
    if method not in ("GET", "HEAD") or resp.status_code not in (200, 304):
        return None
    prefix = app.config.requests_pathname_prefix.rstrip("/")
    local = path[len(prefix):] if prefix and path.startswith(prefix) else path
    if local.startswith("/_dash-component-suites/"):
        return IMMUTABLE if check_fingerprint(local)[1] else None
    if local.startswith("/assets/"):
        return IMMUTABLE if _versioned_asset(local) else None
    if local in ("/_dash-layout", "/_dash-dependencies") or resp.mimetype == "text/html":
        return "no-cache"
    return None


@server.after_request
def _cache_lifetimes(resp):
    policy = cache_policy(request.path, request.method, resp)
    if policy:
        resp.headers["Cache-Control"] = policy
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
from callbacks import exports as _exports  # noqa: E402  (issue 6: /eksport/… image, data and JSON-stat routes)

_exports.register(server)
from callbacks import downloads as _downloads  # noqa: E402  (issue 14: /data/v1/… bulk downloads)

_downloads.register(server)
import dash_bootstrap_components as dbc  # noqa: E402
from dash import dcc  # noqa: E402
from dash._pages import _parse_query_string, _path_to_page  # noqa: E402  (what Dash's own router uses)
from dash.dash import _ID_CONTENT as _PAGES_CONTENT, _ID_DUMMY as _PAGES_DUMMY  # noqa: E402
from dash.dash import _ID_LOCATION as _PAGES_LOCATION, _ID_STORE as _PAGES_STORE  # noqa: E402

_MENU = [(p["name"], p["relative_path"]) for p in sorted(dash.page_registry.values(), key=lambda p: p.get("order") or 0)
         if not p["module"].endswith("not_found_404") and p.get("in_menu", True)]


# ------------------------------------------------------------------------------------- the first page
# Dash's pages router fills the page only after start-up: dcc.Location reports the browser's path, the
# router callback answers with the page's layout (one more round trip, then the page's own callbacks).
# The renderer fetches /_dash-layout from the page itself, so its Referer names the page (same origin:
# the Referrer-Policy above sends the full URL). The shell below then carries that page's layout already,
# with the Location's pathname and search set to exactly what the browser has, so the router has nothing
# to do at start (dcc.Location only reports values that differ). Without a usable Referer (stripped by a
# privacy tool, another host, an unknown path) the page container is Dash's own and the router works as
# before. Client-side navigation afterwards is unchanged: the router answers every later change.
_LAYOUT_PATH = "_dash-layout"


def first_page(url: str | None = None) -> tuple[str, str, object, str] | None:
    """(pathname, search, page layout, title) of the page whose renderer asks for /_dash-layout (or of the
    page at ``url``, for the first paint below), or None."""
    prefix = app.config.requests_pathname_prefix
    if url is None:
        url = request.headers.get("Referer")
        if request.path != prefix + _LAYOUT_PATH or not url:
            return None
    url = urlsplit(url)
    if url.netloc != request.host or not url.path.startswith(prefix):
        return None
    search = f"?{url.query}" if url.query else ""
    page, variables = _path_to_page(app.strip_relative_path(url.path))
    if not page:
        return None  # «Fant ikke siden»: the router shows it, as before
    layout, title = page.get("layout", ""), page["title"]
    if callable(layout):
        layout = layout(**{**(variables or {}), **_parse_query_string(search)})
    if callable(title):
        title = title(**(variables or {}))
    return url.path, search, layout, title


def page_container(url: str | None = None):
    """dash.page_container, with the first page in it when first_page() knows it (same ids as Dash's)."""
    first = first_page(url)
    if first is None:
        return dash.page_container
    pathname, search, layout, title = first
    return html.Div([
        dcc.Location(id=_PAGES_LOCATION, refresh="callback-nav", pathname=pathname, search=search),
        html.Div(layout, id=_PAGES_CONTENT, disable_n_clicks=True),
        dcc.Store(id=_PAGES_STORE, data={"title": title}),  # Dash's clientside callback sets document.title
        html.Div(id=_PAGES_DUMMY, disable_n_clicks=True),
    ])


_KEEP: dict[int, frozenset] = {}


def callback_ids() -> frozenset:
    """Every component id a callback names (output, input or state): those stay Dash components in compact().
    Dash moves the registered callbacks into its list on its first request (_prepare below does that request
    at import), so the set is built from the list as it is, once per length."""
    from dash._callback import GLOBAL_CALLBACK_LIST
    callbacks = [*app._callback_list, *GLOBAL_CALLBACK_LIST]
    if len(callbacks) not in _KEEP:
        ids = set()
        for cb in callbacks:
            outs = cb["output"].strip(".").split("...") if cb["output"].startswith("..") else [cb["output"]]
            ids.update(o.split("@")[0].rsplit(".", 1)[0] for o in outs)
            ids.update(str(d["id"]) for d in [*cb.get("inputs", []), *cb.get("state", [])])
        _KEEP.clear()
        _KEEP[len(callbacks)] = frozenset(ids)
    return _KEEP[len(callbacks)]


def serve_layout(url: str | None = None):
    """The shell, built per request (Dash calls a function layout on every page load), so the navbar, the
    footer and the skip link are in the request's language (the page names in _MENU are bokmål msgids,
    translated by components.shell.navbar), with the requested page inside (page_container; ``url``: the
    page's address when it is not the Referer of a /_dash-layout request)."""
    # static parts (footer, share toolbars' menus, labels, ...) as one HtmlBlock each (components/htmlblock.py)
    return compact(html.Div(
        [
            skip_link(),
            navbar(_MENU),
            dbc.Container(dbc.Alert(id="app-error", color="danger", is_open=False, dismissable=True,
                                    className="mt-2"), fluid=True),
            html.Main(page_container(url), id="main", tabIndex="-1"),
            footer(),
            widget_texts(),  # translated texts for dcc.Dropdown's own buttons (assets/20-a11y.js)
        ],
        className="app-shell",
    ), callback_ids())


app.layout = serve_layout


def _prepare() -> None:
    """Work Dash and the store would otherwise do on the first requests, done once here. Dash sets itself up
    in before_request hooks guarded by plain flags (``_setup_server``, the pages router): two threads of a
    fresh worker race through them (one iterates the callback map while the other fills it: «dictionary
    changed size during iteration», HTTP 500 on the first /_dash-dependencies or bundle). Run at import, they
    are done before any thread serves. The store's look-up index for the views is built too, so with gunicorn's
    preload_app (gunicorn.conf.py) the workers share it copy-on-write instead of each building it."""
    with server.test_request_context("/"):
        # the before_request hooks: Dash's _setup_server and the pages router's registration (same race: it adds
        # the router callback to the map); ours do nothing for a GET of "/"
        server.preprocess_request()
    content_security_policy("/")  # after every clientside callback (the router's title callback) is registered
    if ASSET_BUNDLES is not None:  # the bundles exist before any page names them
        with server.test_request_context("/"):
            app.index()
    from store import views
    views.warm()


_prepare()


if __name__ == "__main__":
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", "8050")), debug=DEBUG)
