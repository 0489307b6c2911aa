"""Accessibility tests in real headless Chromium: they reuse the browser fixtures of tests/browser
(``app_url`` = gunicorn on a free port, ``driver``, ``ui``) and get the same ``browser`` marker.

axe-core (npm, pinned in tests/a11y/axe.py) is installed on first use into <repo>/.cache/node by
tests/a11y/install_axe.sh; when it cannot be installed the tests fail (they never skip).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import (  # noqa: F401  (fixtures and the report hook, re-exported for this folder)
    UI, app_url, driver, pytest_runtest_makereport, ui,
)
from tests.a11y.axe import REPORT, axe_source

A11Y_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if A11Y_DIR in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def axe_js() -> str:
    REPORT.unlink(missing_ok=True)  # moderate/minor findings of this run only
    return axe_source()
