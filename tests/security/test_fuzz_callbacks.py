"""Robustness: hypothesis fuzzing of every server-side callback through the real /_dash-update-component
(Flask test client, the real app and data). Zero 5xx, zero tracebacks in responses, and the app keeps
serving. CI runs a moderate number of cases (FUZZ_TOTAL_CI over all callbacks, about a minute on 2 cores);
OMSORGSATLAS_FUZZ_EXAMPLES=10000 (or tests/benchmarks/fuzz.py) runs the full set.
"""
from __future__ import annotations

import os

import pytest

import app as app_module
from tests.security import fuzzlib

FUZZ_TOTAL_CI = 600  # cases over all callbacks


@pytest.fixture(scope="module")
def client():
    return app_module.server.test_client()


@pytest.fixture(scope="module")
def comps():
    with app_module.server.test_request_context("/"):
        return fuzzlib.layout_components()


@pytest.fixture(scope="module")
def stats():
    return fuzzlib.Stats()


def _callbacks():
    with app_module.server.test_client() as c:
        return fuzzlib.server_callbacks(c)


CALLBACKS = _callbacks()


def test_every_callback_is_fuzzed():
    assert len(CALLBACKS) >= 20  # every page's callbacks, read from /_dash-dependencies


@pytest.mark.parametrize("cb", CALLBACKS, ids=[c["output"].strip(".")[:50] for c in CALLBACKS])
def test_callback_survives_hostile_payloads(client, comps, stats, cb):
    n = fuzzlib.budget(FUZZ_TOTAL_CI, len(CALLBACKS), os.environ.get("OMSORGSATLAS_FUZZ_EXAMPLES"))
    fuzzlib.fuzz_callback(client, cb, comps, n, stats, seed=0)


def test_app_keeps_serving_afterwards(client, stats):
    fuzzlib.still_serving(client)
    assert not stats.failures
