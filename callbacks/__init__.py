"""Callbacks, one module per page. Importing this package registers them (app.py does)."""

from callbacks import about, county, overview, profile  # noqa: F401
from callbacks import population  # noqa: F401,E402  (Befolkning og behov)
from callbacks import measures, personnel  # noqa: F401,E402  (Tiltak og tilskudd; Personell og kompetanse)
from callbacks import present  # noqa: F401,E402  (presentation mode toggle in the navbar)
from callbacks import downloads  # noqa: F401,E402  (bulk downloads: routes and the «Last ned data» list)
from callbacks import lazy_options  # noqa: F401,E402  (long dropdown lists put in on first use)
