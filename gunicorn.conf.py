"""gunicorn settings for omsorgsatlas (read automatically from the working directory; the Procfile, the
browser tests and the load tests all run with it).

Threads: callbacks are CPU-bound (one thread at a time per worker), but a worker thread that waits – on
Redis, the file cache, or a server-side image render (kaleido, seconds) – must not hold up other users.
keepalive: longer than a user's pause between clicks, so connections are reused rather than raced
against the server closing them. Override any of these on the command line or with GUNICORN_CMD_ARGS.
"""
import os

workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
keepalive = 30
timeout = 120  # a cold image render starts Chromium (several seconds on a busy 2-core machine)
graceful_timeout = 20
# The app (data, the store's view index, Dash's callback map) is loaded once in the master and shared by the
# forked workers copy-on-write: no per-worker warm-up under load, less memory. app.py's _prepare() does the
# work the first requests would otherwise race through. Code changes need a full restart of gunicorn (HUP
# re-forks workers from the master, which still holds the old code).
preload_app = True
