"""Fixtures shared by the callback tests: the real store on the committed data/, and its regions."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import store

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module", autouse=True)
def real_store():
    store.init(DATA, reload=True)
    yield


@pytest.fixture(scope="module")
def regions() -> pd.DataFrame:
    return pd.read_parquet(DATA / "regions.parquet")
