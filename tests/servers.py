"""Real servers for tests and benchmarks: the app under gunicorn (as in production, see Procfile) and, for
the load tests, Debian's redis-server. Each runs in its own session/process group on a free loopback port
and is always stopped (SIGTERM, then SIGKILL of its group)."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

REPO = Path(__file__).resolve().parents[1]
SERVER_START_TIMEOUT = 120  # s; import + data validation on a busy 2-core CI box


class ServerError(RuntimeError):
    """A server did not start; the message carries the end of its log."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM to the process (gunicorn's arbiter stops its workers), then SIGKILL to its own process group
    (it runs in a new session, so the group is exactly the server and its children)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if proc.poll() is None:
        proc.kill()
        proc.wait(timeout=10)


def _wait(proc: subprocess.Popen, ready, log_path: Path, what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if proc.poll() is not None:
            raise ServerError(f"{what} exited with {proc.returncode} before answering:\n"
                              + log_path.read_text(errors="replace")[-4000:])
        if time.monotonic() > deadline:
            raise ServerError(f"{what} did not answer within {timeout:.0f} s:\n"
                              + log_path.read_text(errors="replace")[-4000:])
        time.sleep(0.3)


@contextmanager
def gunicorn(tmp: Path, workers: int = 2, env: dict | None = None, extra_args: list[str] | None = None,
             timeout: float = SERVER_START_TIMEOUT) -> Iterator[tuple[str, subprocess.Popen]]:
    """(base URL without trailing slash, process). Own CACHE_DIR under ``tmp``; no debug, no REDIS_URL
    unless ``env`` sets it."""
    tmp.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log_path = tmp / "gunicorn.log"
    full_env = {**os.environ, "CACHE_DIR": str(tmp / "cache"), "PYTHONUNBUFFERED": "1"}
    for key in ("OMSORGSATLAS_DEBUG", "OMSORGSATLAS_DATA", "REDIS_URL", "CACHE_TYPE"):
        full_env.pop(key, None)
    full_env.update(env or {})
    cmd = [sys.executable, "-m", "gunicorn", "app:server", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
           # gunicorn 27 opens a control socket at a fixed path in $HOME by default; a test server must not
           # take it over from a developer's server
           "--no-control-socket", *(extra_args or [])]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=REPO, env=full_env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(proc, lambda: answers(base + "/"), log_path, "gunicorn", timeout)
        yield base, proc
    finally:
        stop(proc)


REDIS_SERVER = "/usr/bin/redis-server"


@contextmanager
def redis_server(tmp: Path) -> Iterator[str]:
    """Debian's redis-server on a free loopback port, no persistence; yields its URL."""
    exe = shutil.which("redis-server") or REDIS_SERVER
    if not os.access(exe, os.X_OK):
        raise ServerError("redis-server is missing (Debian: apt-get install redis-server)")
    tmp.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log_path = tmp / "redis.log"
    cmd = [exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
           "--dir", str(tmp), "--protected-mode", "yes"]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def ready() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    try:
        _wait(proc, ready, log_path, "redis-server", 30)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop(proc)
