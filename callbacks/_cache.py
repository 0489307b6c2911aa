"""flask-caching: one Cache object, configured from the environment by app.py.

Env: CACHE_TYPE (default FileSystemCache), CACHE_DIR (default <tmp>/omsorgsatlas-cache),
CACHE_DEFAULT_TIMEOUT (seconds, default 3600); REDIS_URL set -> RedisCache on that URL.

``memoize`` keys on the UI language too (components.i18n.current_lang) and falls back to a plain call outside a Flask app context (e.g. tests calling callback
functions directly), so cached functions stay ordinary functions.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import struct
import tempfile
import time
from pathlib import Path

from flask import current_app, has_app_context
from flask_caching import Cache
from flask_caching.backends.filesystemcache import FileSystemCache

from components.i18n import current_lang

log = logging.getLogger("omsorgsatlas.cache")

cache = Cache()

FILE_CACHE = "callbacks._cache.FileCache"


class FileCache(FileSystemCache):
    """flask-caching's FileSystemCache, pruned in batches and without the shared count file.

    cachelib keeps the number of entries in a count file that every set rewrites (a second temp file, replace and
    chmod per write) and, once the folder is over the threshold, prunes only down to it, so *every* later set
    reads every file's header (measured: the load test's p95 tripled against Redis). Here the folder is counted
    (one listdir) every ``CHECK_EVERY`` writes of a process; when over the threshold one pass removes the expired
    entries, then the ones closest to expiry until a quarter of the threshold is free. Several workers share
    the folder; each counts it itself, so nothing shared can drift."""

    FREE = 0.25
    CHECK_EVERY = 32

    def __init__(self, *args, **kwargs) -> None:
        self._writes = 0
        super().__init__(*args, **kwargs)

    def _update_count(self, delta: int | None = None, value: int | None = None) -> None:
        return None  # no count file (see the class note)

    @property
    def _file_count(self) -> int:
        return sum(1 for _ in self._list_dir())

    def _over_threshold(self) -> bool:
        return self._threshold != 0 and self._file_count > self._threshold

    def _prune(self) -> None:
        self._writes += 1
        if self._writes % self.CHECK_EVERY or not self._over_threshold():
            return
        now = time.time()
        entries = []
        for fname in self._list_dir():
            try:
                with open(fname, "rb") as f:
                    expires = struct.unpack("I", f.read(4))[0]
            except (OSError, struct.error):
                continue
            entries.append((expires or float("inf"), fname))
        entries.sort()
        keep = int(self._threshold * (1 - self.FREE))
        n_remove = max(len(entries) - keep, sum(1 for e, _ in entries if e < now))
        for _expires, fname in entries[:n_remove]:
            try:
                os.remove(fname)
            except OSError:
                pass


def _code_version() -> str:
    """Hash of the code that builds cached values, so a deploy never serves figures built by old code."""
    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha1()
    for folder in ("components", "callbacks", "store", "pages"):  # pages: the router's answers are cached too
        for path in sorted((root / folder).glob("*.py")):
            h.update(path.name.encode())
            h.update(path.read_bytes())
    h.update((root / "app.py").read_bytes())
    for path in sorted((root / "components" / "locale").glob("*/LC_MESSAGES/*.po")):  # cached texts are translated
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


CODE_VERSION = _code_version()


def cache_config(env=None) -> dict:
    env = os.environ if env is None else env
    try:
        timeout = int(env.get("CACHE_DEFAULT_TIMEOUT", "3600"))
    except ValueError:
        timeout = 3600
    redis_url = env.get("REDIS_URL")
    if redis_url:
        try:
            import redis  # noqa: F401
        except ImportError:
            log.warning("REDIS_URL er satt, men pakken «redis» er ikke installert – bruker FileSystemCache")
        else:
            return {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": redis_url, "CACHE_DEFAULT_TIMEOUT": timeout,
                    "CACHE_KEY_PREFIX": "omsorgsatlas:"}
    ctype = env.get("CACHE_TYPE", "FileSystemCache")
    if ctype in ("FileSystemCache", "filesystem", "flask_caching.backends.FileSystemCache"):
        ctype = FILE_CACHE
    cfg = {"CACHE_TYPE": ctype, "CACHE_DEFAULT_TIMEOUT": timeout}
    if ctype == FILE_CACHE:
        cfg["CACHE_DIR"] = env.get("CACHE_DIR", str(Path(tempfile.gettempdir()) / "omsorgsatlas-cache"))
        cfg["CACHE_THRESHOLD"] = 2000
    return cfg


def _active() -> bool:
    if not has_app_context():
        return False
    return cache in current_app.extensions.get("cache", {})


def memoize(timeout: int | None = None):
    """flask-caching memoize that degrades to a direct call when no app/cache is active."""

    def decorator(func):
        def keyed(lang, *args, **kwargs):  # the UI language is part of the cache key
            return func(*args, **kwargs)

        keyed.__module__, keyed.__qualname__, keyed.__name__ = func.__module__, func.__qualname__, func.__name__
        cached = cache.memoize(timeout=timeout)(keyed)

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            if _active():
                return cached(current_lang(), *args, **kwargs)
            return func(*args, **kwargs)

        wrapper.uncached = func
        wrapper.cached = cached
        return wrapper

    return decorator
