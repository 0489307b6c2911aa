"""Callback answers served from a cache (issue 13): the same request gets the same bytes without Dash.

Every callback here is a pure function of what the request carries (the inputs and states in the JSON body) and
of a few things around it that are part of the key: the UI language, the host (permalinks), today's date in
Norway (export texts carry it), the data version and the code version. So an answer can be kept and sent again
to whoever sends the same body: everybody who opens the front page asks the same first questions, a profile
opened once is opened again. A hit costs a hash and a look-up instead of Dash's dispatch, the builders and JSON
serialisation, and it sends the already compressed bytes.

Two levels: a small per-process LRU (no I/O at all for the hottest answers), then the app's flask-caching backend
(FileSystemCache or Redis, shared by all workers). Only complete answers are kept: HTTP 200 or 204 (nothing to
update), not when a callback raised (``mark_error``; the app's generic error note), not above ``MAX_BYTES``.

Dash's GET answers that are built per request are kept the same way (app.py names them): the index page of every
page path, /_dash-layout (the app shell, in the request's language) and /_dash-dependencies; the key is then the
URL with its query and the Referer (a layout may depend on the page that asks) instead of the body.

The answer is stored after compression (the store hook runs after flask-compress's), keyed by the request's
Accept-Encoding, so a hit also skips the compression. Env: OMSORGSATLAS_RESPONSE_CACHE=0 switches it off.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import logging
import os
import threading
from collections import OrderedDict
from typing import Callable, NamedTuple
from zoneinfo import ZoneInfo

from flask import Flask, Response, g, request

from callbacks._cache import CODE_VERSION, cache
from components.i18n import current_lang

log = logging.getLogger("omsorgsatlas.response_cache")

ENDPOINT = "/_dash-update-component"
MAX_BYTES = 2 * 1024 * 1024           # an answer larger than this (compressed) is not kept
LOCAL_ENTRIES = 512                   # per-process LRU: entries …
LOCAL_BYTES = 48 * 1024 * 1024        # … and bytes
TIMEOUT = 6 * 3600                    # seconds in the shared backend (the key changes with data and code anyway)
HEADER = "X-Omsorgsatlas-Cache"       # hit / miss: tests and benchmarks can tell
INFLIGHT_WAIT = 30.0                  # s a request waits for another thread computing the same answer
_OSLO = ZoneInfo("Europe/Oslo")


class Answer(NamedTuple):
    status: int
    mimetype: str
    encoding: str | None
    body: bytes


def mark_error() -> None:
    """Called by the app's callback error handler: this request's answer is not kept."""
    g._oa_no_store = True


class _LRU:
    def __init__(self, entries: int, max_bytes: int) -> None:
        self.entries, self.max_bytes = entries, max_bytes
        self._data: OrderedDict[str, Answer] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> Answer | None:
        with self._lock:
            hit = self._data.get(key)
            if hit is not None:
                self._data.move_to_end(key)
            return hit

    def put(self, key: str, answer: Answer) -> None:
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._data[key] = answer
            self._bytes += len(answer.body)
            while self._data and (len(self._data) > self.entries or self._bytes > self.max_bytes):
                _k, dropped = self._data.popitem(last=False)
                self._bytes -= len(dropped.body)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._data)


class ResponseCache:
    def __init__(self, version: Callable[[], str]) -> None:
        self.version = version
        self.local = _LRU(LOCAL_ENTRIES, LOCAL_BYTES)
        self.enabled = os.environ.get("OMSORGSATLAS_RESPONSE_CACHE", "1") != "0"
        self._get_endpoints: frozenset[str] = frozenset()
        self._inflight: dict[str, threading.Event] = {}  # key -> set when the thread computing it is done
        self._inflight_lock = threading.Lock()

    # ------------------------------------------------------------------------------------------ wiring
    def register_store(self, server: Flask) -> None:
        """Register before flask-compress: Flask runs after_request hooks in reverse order, so this one sees
        the compressed answer."""
        server.after_request(self._store)

    def register_lookup(self, server: Flask, get_endpoints: frozenset[str] = frozenset()) -> None:
        """Register after the request checks (malformed bodies are answered 400 before any look-up).
        ``get_endpoints``: Flask endpoints whose GET answers are kept too (Dash's index page, /_dash-layout,
        /_dash-dependencies): they depend on the URL, and /_dash-layout also on the page that asks (Referer)."""
        self._get_endpoints = frozenset(get_endpoints)
        server.before_request(self._lookup)
        server.teardown_request(self._done)

    # ------------------------------------------------------------------------------------------ key
    def key(self) -> str | None:
        """The cache key of this request, or None when it is not a cacheable request."""
        if not self.enabled:
            return None
        if request.method == "GET" and request.endpoint in self._get_endpoints:
            body = b"GET\x00" + request.full_path.encode("utf-8", "replace") + b"\x00" + \
                request.headers.get("Referer", "").encode("utf-8", "replace")
        elif request.method == "POST" and request.path.endswith(ENDPOINT):
            body = request.get_data(cache=True)
            parsed = request.get_json(silent=True)
            if not isinstance(parsed, dict):
                return None
        else:
            return None
        h = hashlib.sha256()
        for part in (CODE_VERSION, self.version(), current_lang(), request.host_url,
                     _dt.datetime.now(_OSLO).date().isoformat(),
                     request.headers.get("Accept-Encoding", "").replace(" ", "").lower()):
            h.update(part.encode("utf-8", "replace"))
            h.update(b"\x00")
        h.update(body)
        return "resp:" + h.hexdigest()

    # ------------------------------------------------------------------------------------------ hooks
    def _lookup(self):
        key = self.key()
        if key is None:
            return None
        g._oa_response_key = key
        answer = self._find(key)
        if answer is None:
            # one computation per key in this process: the same question asked by several threads at once (a
            # crowd opening the front page after a restart) waits for the first thread's answer instead of
            # computing it again on the same cores
            with self._inflight_lock:
                running = self._inflight.get(key)
                if running is None:
                    self._inflight[key] = threading.Event()
                    g._oa_inflight = key
            if running is None:
                return None
            running.wait(INFLIGHT_WAIT)
            answer = self.local.get(key)
            if answer is None:  # the first one failed (or took too long): compute it here
                return None
        g._oa_no_store = True  # already there
        resp = Response(answer.body, status=answer.status, mimetype=answer.mimetype)
        if answer.encoding:
            resp.headers["Content-Encoding"] = answer.encoding
        resp.headers["Vary"] = "Accept-Encoding"
        resp.headers[HEADER] = "hit"
        return resp

    def _find(self, key: str) -> Answer | None:
        answer = self.local.get(key)
        if answer is not None:
            return answer
        try:
            found = cache.get(key)
        except Exception as exc:  # a broken backend never breaks an answer: compute it
            log.warning("svarbuffer utilgjengelig: %s", exc)
            return None
        if isinstance(found, tuple) and len(found) == 4:
            answer = Answer(*found)
            self.local.put(key, answer)
            return answer
        return None

    def _done(self, _exc=None) -> None:
        """After every request (also one that failed): the threads waiting for this key go on."""
        key = g.pop("_oa_inflight", None)
        if key is None:
            return
        with self._inflight_lock:
            running = self._inflight.pop(key, None)
        if running is not None:
            running.set()

    def _store(self, resp: Response) -> Response:
        key = g.get("_oa_response_key")
        if key is None:
            return resp
        if g.get("_oa_no_store") or resp.status_code not in (200, 204) or resp.is_streamed:
            return resp
        body = resp.get_data()
        if len(body) > MAX_BYTES:
            return resp
        answer = Answer(resp.status_code, resp.mimetype or "application/json",
                        resp.headers.get("Content-Encoding"), body)
        self.local.put(key, answer)
        try:
            cache.set(key, tuple(answer), timeout=TIMEOUT)
        except Exception as exc:
            log.warning("svarbuffer utilgjengelig: %s", exc)
        resp.headers[HEADER] = "miss"
        return resp

    def clear_local(self) -> None:
        self.local.clear()
