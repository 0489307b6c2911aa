"""Short CI variant of the load test (the full one is tests/benchmarks/load.py): gunicorn with several
workers, 8 simulated users for 12 s, once with the filesystem cache and once with a real redis-server as
the flask-caching backend. Asserts correctness under concurrency – every callback answered without an
error, each step of the user session ran – not speed (figures are printed, never asserted)."""
from __future__ import annotations

import pytest

from tests.load import harness

EXPECTED = {"router", "map", "rank-table", "trend", "level", "year-slider", "region-options", "definition",
            "profile-trend", "GET /", "GET /_dash-layout", "GET /_dash-dependencies"}


@pytest.mark.parametrize("backend", harness.BACKENDS)
def test_short_load_has_no_errors(backend, tmp_path):
    fig = harness.run(backend, users=8, seconds=12, workers=2, tmp=tmp_path)
    print("\n".join(fig.lines()))
    assert fig.errors == 0, "\n".join(fig.lines())
    assert fig.callbacks >= 40, f"too few callbacks ran: {fig.callbacks}"
    missing = EXPECTED - set(fig.per_callback)
    assert not missing, f"steps of the user session never ran: {sorted(missing)}"
