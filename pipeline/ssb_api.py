"""Client for SSB's PxWebApi v2 (https://data.ssb.no/api/pxwebapi/v2): metadata check, batched GET queries,
rate limiting with backoff, an on-disk cache of the raw JSON-stat2 responses, and parsing with pyjstat.

Query syntax (GET): /tables/{id}/data?lang=no&outputFormat=json-stat2&valueCodes[Var]=a,b,...
Metadata:           /tables/{id}/metadata?lang=no&outputFormat=json-stat2
Limits (see pipeline/ssb_tables.toml for the sources): 800 000 cells per query, 30 queries per 60 s, GET URLs
under ~2 100 characters (longer ones get 404), no duplicated value codes (HTTP 500). Errors come as
{"type": "Parameter error", "title": "...", "status": 400}.

Failure without a network is fast: before the first real request the client opens one TCP connection to the
host with a short timeout (DNS failure, refused or unreachable fail at once); connection errors are never
retried. Only HTTP 429 and 503 are retried, a bounded number of times.

Cache: <cache_dir>/<table>/<kind>-<sha256(url)[:16]>.json holds the raw response body exactly as received;
the sidecar .meta.json records the table, URL, kind and the fetch date. A cached response is reused by the
next build (zero requests when everything is cached) unless refresh=True.
"""
from __future__ import annotations

import hashlib
import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from math import prod
from pathlib import Path
from typing import Callable

import pandas as pd

from .errors import PipelineError

DEFAULT_BASE = "https://data.ssb.no/api/pxwebapi/v2"
DEFAULT_CACHE = Path(__file__).resolve().parents[1] / ".cache" / "ssb"
USER_AGENT = "omsorgsatlas-pipeline (+https://www.ssb.no/statbank; PxWebApi v2 client)"


class SSBError(PipelineError):
    """The API answered with an error, an unusable body, or the declared table does not match its metadata."""


class NoNetwork(SSBError):
    """data.ssb.no cannot be reached (DNS, refused, unreachable, timeout)."""

    def __init__(self, reason: str, host: str = "data.ssb.no"):
        super().__init__(f"Får ikke kontakt med SSB ({host}): {reason}")


@dataclass
class Limits:
    max_cells: int = 800_000
    max_url_length: int = 2000
    requests_per_minute: int = 30
    connect_timeout: float = 5.0
    read_timeout: float = 120.0
    max_retries: int = 4
    backoff_seconds: float = 2.0
    max_backoff: float = 60.0

    @classmethod
    def from_config(cls, api: dict) -> "Limits":
        names = cls.__dataclass_fields__
        return cls(**{k: v for k, v in api.items() if k in names})


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes


def urllib_transport(url: str, timeout: float) -> Response:
    """One GET. HTTP errors are returned as a Response; network errors raise (URLError/OSError)."""
    req = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return Response(r.status, {k.lower(): v for k, v in r.headers.items()}, r.read())
    except urllib.error.HTTPError as e:
        body = e.read() if e.fp is not None else b""
        return Response(e.code, {k.lower(): v for k, v in (e.headers or {}).items()}, body)


def tcp_preflight(host: str, port: int, timeout: float) -> None:
    """Open and close one TCP connection: fails at once on DNS errors/refusal, after `timeout` if unreachable."""
    with socket.create_connection((host, port), timeout=timeout):
        pass


def dedupe(values) -> list[str]:
    return list(dict.fromkeys(str(v) for v in values))


@dataclass
class SSBClient:
    base_url: str = DEFAULT_BASE
    lang: str = "no"
    cache_dir: Path = DEFAULT_CACHE
    limits: Limits = field(default_factory=Limits)
    cache_only: bool = False
    refresh: bool = False
    transport: Callable[[str, float], Response] = urllib_transport
    preflight: Callable[[str, int, float], None] | None = tcp_preflight
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    today: Callable[[], str] = lambda: datetime.now(timezone.utc).date().isoformat()
    requests_made: int = 0
    cache_hits: int = 0
    fetched: dict = field(default_factory=dict)     # cache file name -> fetch date, for the manifest
    _window: deque = field(default_factory=deque)
    _checked_host: bool = False

    # ------------------------------------------------------------------------------------------ URLs
    @property
    def host(self) -> str:
        return urllib.parse.urlsplit(self.base_url).hostname or self.base_url

    def metadata_url(self, table: str) -> str:
        return f"{self.base_url}/tables/{table}/metadata?lang={self.lang}&outputFormat=json-stat2"

    def data_url(self, table: str, selection: dict[str, list[str]]) -> str:
        parts = [f"lang={self.lang}", "outputFormat=json-stat2"]
        for var, vals in selection.items():
            q = urllib.parse.quote(",".join(dedupe(vals)), safe=",*?()[]")
            parts.append(f"valueCodes[{var}]={q}")
        return f"{self.base_url}/tables/{table}/data?" + "&".join(parts)

    # ------------------------------------------------------------------------------------------ public
    def metadata(self, table: str) -> dict:
        return self._cached(table, "metadata", self.metadata_url(table))

    def check_selection(self, table: str, meta: dict, selection: dict[str, list[str]]) -> dict[str, list[str]]:
        """Check declared codes against the table's metadata; return the selection with '*' expanded."""
        dims = meta.get("dimension") or {}
        if not dims:
            raise SSBError(f"tabell {table}: metadata uten dimensjoner (ikke JSON-stat2?)")
        out = {}
        for var, vals in selection.items():
            if var not in dims:
                raise SSBError(f"tabell {table}: variabelen «{var}» finnes ikke i metadata "
                               f"(har: {', '.join(dims)})")
            idx = (dims[var].get("category") or {}).get("index") or []
            index = sorted(idx, key=idx.get) if isinstance(idx, dict) else list(idx)
            vals = dedupe(vals)
            if vals == ["*"]:
                out[var] = index
                continue
            missing = [v for v in vals if v not in set(index)]
            if missing:
                raise SSBError(f"tabell {table}: verdikoden(e) {missing[:5]} finnes ikke i variabelen «{var}» "
                               f"i metadata")
            out[var] = vals
        for var, d in dims.items():
            elim = (d.get("extension") or {}).get("elimination", True)
            if var not in out and elim is False:
                raise SSBError(f"tabell {table}: variabelen «{var}» kan ikke utelates (elimination=false), "
                               "men er ikke valgt i konfigurasjonen")
        return out

    def batches(self, table: str, selection: dict[str, list[str]]) -> list[dict[str, list[str]]]:
        """Split the selection (halving the dimension with most values) until each query respects both the
        cell limit and the URL length limit."""
        def fits(sel):
            return (prod(len(v) for v in sel.values()) <= self.limits.max_cells
                    and len(self.data_url(table, sel)) <= self.limits.max_url_length)

        def split(sel):
            if fits(sel):
                return [sel]
            var = max(sel, key=lambda k: len(sel[k]))
            vals = sel[var]
            if len(vals) < 2:
                raise SSBError(f"tabell {table}: spørringen kan ikke deles slik at den holder seg innenfor "
                               f"{self.limits.max_cells} celler og {self.limits.max_url_length} tegn")
            h = (len(vals) + 1) // 2
            return split({**sel, var: vals[:h]}) + split({**sel, var: vals[h:]})

        return split({k: dedupe(v) for k, v in selection.items()})

    def data(self, table: str, selection: dict[str, list[str]]) -> list[dict]:
        """All batches for an (already checked) selection, each a parsed JSON-stat2 dict."""
        return [self._cached(table, "data", self.data_url(table, sel)) for sel in self.batches(table, selection)]

    def fetch_table(self, table: str, selection: dict[str, list[str]]) -> tuple[dict, list[dict]]:
        """Metadata check, then the data. Raises SSBError naming the table and code on a mismatch."""
        meta = self.metadata(table)
        checked = self.check_selection(table, meta, selection)
        return meta, self.data(table, checked)

    # ------------------------------------------------------------------------------------------ cache
    def cache_paths(self, table: str, kind: str, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]
        d = Path(self.cache_dir) / table
        return d / f"{kind}-{key}.json", d / f"{kind}-{key}.meta.json"

    def _cached(self, table: str, kind: str, url: str) -> dict:
        body_path, meta_path = self.cache_paths(table, kind, url)
        if body_path.is_file() and meta_path.is_file() and not self.refresh:
            self.cache_hits += 1
            side = json.loads(meta_path.read_text(encoding="utf-8"))
            self.fetched[body_path.name] = side.get("fetched", "")
            return self._parse_body(table, body_path.read_bytes(), str(body_path))
        if self.cache_only:
            raise SSBError(f"tabell {table}: --cache-only, men svaret er ikke mellomlagret ({kind}, {url}); "
                           "kjør med --online og nett først")
        body = self._get(table, url)
        doc = self._parse_body(table, body, url)
        body_path.parent.mkdir(parents=True, exist_ok=True)
        fetched = self.today()
        tmp = body_path.with_suffix(".part")
        tmp.write_bytes(body)
        tmp.replace(body_path)
        meta_path.write_text(json.dumps({"table": table, "kind": kind, "url": url, "fetched": fetched,
                                         "bytes": len(body)}, ensure_ascii=False, indent=1) + "\n",
                             encoding="utf-8")
        self.fetched[body_path.name] = fetched
        return doc

    @staticmethod
    def _parse_body(table: str, body: bytes, where: str) -> dict:
        try:
            doc = json.loads(body.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SSBError(f"tabell {table}: svaret er ikke gyldig JSON ({exc}) [{where}]") from exc
        if not isinstance(doc, dict) or doc.get("class") != "dataset":
            raise SSBError(f"tabell {table}: svaret er ikke et JSON-stat2-datasett [{where}]")
        return doc

    # ------------------------------------------------------------------------------------------ HTTP
    def _throttle(self) -> None:
        now = self.clock()
        while self._window and now - self._window[0] >= 60.0:
            self._window.popleft()
        if len(self._window) >= self.limits.requests_per_minute:
            wait = 60.0 - (now - self._window[0])
            if wait > 0:
                self.sleep(wait)
            self._window.popleft()
        self._window.append(self.clock())

    def _check_host(self) -> None:
        if self._checked_host or self.preflight is None:
            return
        parts = urllib.parse.urlsplit(self.base_url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            self.preflight(parts.hostname, port, self.limits.connect_timeout)
        except OSError as exc:  # socket.gaierror, ConnectionRefusedError, TimeoutError are all OSError
            raise NoNetwork(_reason(exc), self.host) from exc
        self._checked_host = True

    def _get(self, table: str, url: str) -> bytes:
        self._check_host()
        for attempt in range(self.limits.max_retries + 1):
            self._throttle()
            try:
                r = self.transport(url, self.limits.read_timeout)
            except (urllib.error.URLError, OSError) as exc:  # no retries on network errors
                raise NoNetwork(_reason(exc), self.host) from exc
            self.requests_made += 1
            if r.status == 200:
                return r.body
            if r.status in (429, 503) and attempt < self.limits.max_retries:
                self.sleep(self._backoff(attempt, r.headers))
                continue
            raise SSBError(f"tabell {table}: SSB svarte HTTP {r.status}{_problem(r.body)} [{url}]"
                           + (f" etter {attempt + 1} forsøk" if r.status in (429, 503) else ""))
        raise AssertionError("unreachable")

    def _backoff(self, attempt: int, headers: dict) -> float:
        ra = headers.get("retry-after")
        if ra is not None:
            try:
                return min(float(ra), self.limits.max_backoff)
            except ValueError:
                pass
        return min(self.limits.backoff_seconds * 2 ** attempt, self.limits.max_backoff)


def _reason(exc: BaseException) -> str:
    r = getattr(exc, "reason", None)
    return f"{type(r or exc).__name__}: {r or exc}"


def _problem(body: bytes) -> str:
    """SSB's error body ({"type", "title", "status", "detail"}) as text, if there is one."""
    try:
        p = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, AttributeError):
        return f": {body[:200]!r}" if body else " (tomt svar)"
    if isinstance(p, dict):
        title, detail = p.get("title"), p.get("detail")
        text = " – ".join(str(x) for x in (title, detail if detail != title else None) if x)
        return f": {text}" if text else f": {json.dumps(p, ensure_ascii=False)[:200]}"
    return f": {str(p)[:200]}"


# ---------------------------------------------------------------------------------------------- parsing
def parse_jsonstat(doc: dict) -> pd.DataFrame:
    """A JSON-stat2 dataset -> long frame: one column per dimension id (codes, as str), `value` (float, NaN
    where missing) and `status` (SSB's symbol such as '..' or ':' where given, else '')."""
    from pyjstat import pyjstat as pj  # third-party, maintained JSON-stat reader (requirements: pyjstat)

    try:
        ds = pj.Dataset.read(json.dumps(doc))
        with warnings.catch_warnings():  # Dataset.write calls pyjstat's own deprecated helper internally
            warnings.simplefilter("ignore", DeprecationWarning)
            df = ds.write("dataframe", naming="id")
    except Exception as exc:  # pyjstat raises assorted errors on malformed input
        raise SSBError(f"kunne ikke lese JSON-stat2 ({type(exc).__name__}: {exc})") from exc
    ids = list(doc["id"])
    if list(df.columns) != ids + ["value"] or len(df) != prod(doc["size"]):
        raise SSBError(f"uventet JSON-stat2-struktur: kolonner {list(df.columns)}, {len(df)} rader")
    df = df.astype({c: str for c in ids})
    df["value"] = pd.to_numeric(df["value"], errors="coerce").astype("float64")
    status = doc.get("status")
    st = [""] * len(df)
    if isinstance(status, dict):
        for k, v in status.items():
            st[int(k)] = str(v)
    elif isinstance(status, list):
        st = ["" if v is None else str(v) for v in status]
    elif isinstance(status, str):
        st = [status] * len(df)
    df["status"] = st
    return df
