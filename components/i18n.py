"""Languages: bokmål (default) and English, with Babel's gettext catalogues. No Dash imports.

Every user-visible string in pages/, components/ and callbacks/ is written in bokmål and wrapped:

    from components.i18n import _, N_
    html.H1(_("Kart og trender"))
    CHARTS = {"kart": N_("Kart")}          # marked for extraction; translated where shown: _(CHARTS[k])

The English texts live in ``components/locale/en/LC_MESSAGES/messages.po`` (msgid = the bokmål text).
The catalogue is read with Babel and compiled in memory at first use (no binary .mo in the repo).
``pybabel extract -F babel.cfg -o messages.pot .`` lists every marked string; tests/unit/test_i18n.py
checks that each has an English translation.

Which language: ``current_lang()``
1. an explicit ``use_lang(...)`` block (tests, server-side image/data exports),
2. the URL flag ``?lang=en`` / ``?lang=nb`` of the current request,
3. for callback requests (POST), the ``lang`` flag of the page that sent them (the Referer header: the URL
   sync scripts keep ``lang`` in the address bar), so two tabs in different languages each stay in theirs,
4. the cookie ``oa_lang`` (app.py sets it whenever a page is loaded with the URL flag, so the callbacks
   that follow – POSTs without the flag – answer in the same language),
5. bokmål.
"""

from __future__ import annotations

import contextlib
import contextvars
import io
import threading
from pathlib import Path
from typing import Iterator

try:
    from flask import g as _g, has_request_context as _has_request_context, request as _request
except ImportError:  # pragma: no cover - the pipeline's environment without Flask
    _g = _request = None

    def _has_request_context() -> bool:
        return False
try:  # Flask 3.1's request context, read in one ContextVar look-up (flask.request/g are proxies: ~1.5 µs a use)
    from flask.globals import _cv_request
except ImportError:  # pragma: no cover - another Flask: the proxies
    _cv_request = None

LANGS = ("nb", "en")
DEFAULT_LANG = "nb"
URL_PARAM = "lang"
COOKIE = "oa_lang"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
# Babel locale per UI language (number and date formats)
BABEL_LOCALE = {"nb": "nb_NO", "en": "en_GB"}
LANG_NAMES = {"nb": "Norsk (bokmål)", "en": "English"}

_override: contextvars.ContextVar[str | None] = contextvars.ContextVar("oa_lang_override", default=None)
_catalogs: dict[str, object] = {}
_lock = threading.Lock()


def valid_lang(value) -> str | None:
    """'en' / 'nb' (case-insensitive, a list takes its first item) -> the code; anything else -> None."""
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    if not isinstance(value, str):
        return None
    value = value.strip().lower()[:8]
    if value in ("no", "nob", "nb-no", "nb_no", "norsk"):
        return "nb"
    if value in ("en-gb", "en_gb", "en-us", "eng", "english"):
        return "en"
    return value if value in LANGS else None


def current_lang() -> str:
    forced = _override.get()
    if forced:
        return forced
    # once per request, kept on the request context: formatting a map or a profile asks thousands of times
    if _cv_request is not None:
        ctx = _cv_request.get(None)
        if ctx is None:
            return DEFAULT_LANG
        lang = getattr(ctx, "_oa_lang", None)
        if lang is None:
            lang = ctx._oa_lang = _request_lang()
        return lang
    if not _has_request_context():
        return DEFAULT_LANG
    lang = _g.get("_oa_lang")
    if lang is None:
        lang = _g._oa_lang = _request_lang()
    return lang


def _request_lang() -> str:
    try:
        return (valid_lang(_request.args.get(URL_PARAM)) or _referer_lang(_request)
                or valid_lang(_request.cookies.get(COOKIE)) or DEFAULT_LANG)
    except Exception:  # a malformed query string or cookie never breaks a page
        return DEFAULT_LANG


def _referer_lang(request) -> str | None:
    """?lang= of the page a callback (POST) comes from, when its Referer is this site."""
    if request.method != "POST":
        return None
    ref = request.headers.get("Referer") or ""
    if "lang=" not in ref or len(ref) > 4000:
        return None
    from urllib.parse import parse_qs, urlsplit
    parts = urlsplit(ref)
    if parts.netloc and parts.netloc != request.host:
        return None
    return valid_lang(parse_qs(parts.query).get(URL_PARAM))


def babel_locale(lang: str | None = None) -> str:
    return BABEL_LOCALE[lang or current_lang()]


@contextlib.contextmanager
def use_lang(lang: str | None) -> Iterator[str]:
    """Render in ``lang`` inside the block (falls back to bokmål for unknown codes)."""
    code = valid_lang(lang) or DEFAULT_LANG
    token = _override.set(code)
    try:
        yield code
    finally:
        _override.reset(token)


def _translations(lang: str):
    """babel.support.Translations for ``lang`` (compiled from the .po in memory), or None for bokmål."""
    if lang == DEFAULT_LANG:
        return None
    cat = _catalogs.get(lang)
    if cat is None:
        with _lock:
            cat = _catalogs.get(lang)
            if cat is None:
                from babel.messages.mofile import write_mo
                from babel.messages.pofile import read_po
                from babel.support import Translations

                po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
                if po.exists():
                    with po.open("rb") as fh:
                        catalog = read_po(fh, locale=lang, domain=DOMAIN)
                    buf = io.BytesIO()
                    write_mo(buf, catalog, use_fuzzy=False)
                    buf.seek(0)
                    cat = Translations(buf, domain=DOMAIN)
                else:
                    from babel.support import NullTranslations
                    cat = NullTranslations()
                _catalogs[lang] = cat
    return cat


def reload_catalogs() -> None:
    """Forget the compiled catalogues (tests that edit the .po)."""
    with _lock:
        _catalogs.clear()


def gettext(message: str) -> str:
    tr = _translations(current_lang())
    return message if tr is None else tr.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    tr = _translations(current_lang())
    if tr is None:
        return singular if n == 1 else plural
    return tr.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """Same bokmål text, different English depending on context (e.g. "Fylke" as a column vs a level)."""
    tr = _translations(current_lang())
    return message if tr is None else tr.pgettext(context, message)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now (module-level constants)."""
    return message


def lazy(message: str):
    """A callable that translates ``message`` when called: dash.register_page(description=lazy(N_("…")))
    (register_page runs at import time; Dash calls title/description per request)."""
    def text(**_kwargs) -> str:
        return gettext(message)
    return text


def page_title(name: str):
    """register_page(title=page_title(N_("Min kommune"))) -> "My municipality – Omsorgsatlas" per request."""
    def title(**_kwargs) -> str:
        return f"{gettext(name)} – Omsorgsatlas"
    return title


_ = gettext


def picked_lang(row, field: str) -> str:
    """The language ``pick(row, field)`` returns: "en" when the English field is used, else "nb"."""
    lang = current_lang()
    if lang == DEFAULT_LANG:
        return DEFAULT_LANG
    get = row.get if hasattr(row, "get") else (lambda k, d=None: getattr(row, k, d))
    val = get(f"{field}_{lang}", None)
    return lang if isinstance(val, str) and val.strip() else DEFAULT_LANG


def pick(row, field: str) -> str:
    """The language's version of a catalogue field: ``pick(ind, "name")`` -> ind["name_en"] in English
    when it is there and not empty, else ind["name_nb"]."""
    lang = current_lang()
    get = row.get if hasattr(row, "get") else (lambda k, d=None: getattr(row, k, d))
    if lang != DEFAULT_LANG:
        val = get(f"{field}_{lang}", None)
        if isinstance(val, str) and val.strip():
            return val
    val = get(f"{field}_nb", None)
    return val if isinstance(val, str) else ""
