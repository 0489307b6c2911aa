"""Callbacks, one module per page. Importing this package registers them (app.py does)."""

from callbacks import about, overview  # noqa: F401
