"""Shared test fixtures: paths to the repo, the raw mirror and the committed data/."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
RAW = REPO.parent / "shared" / "data" / "raw"
DATA = REPO / "data"

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    assert RAW.is_dir(), f"the raw mirror is missing: {RAW}"
    return RAW


@pytest.fixture(scope="session")
def data_dir() -> Path:
    assert (DATA / "catalog.parquet").is_file(), "data/ is not built: run python -m pipeline build"
    return DATA
