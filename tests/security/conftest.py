"""tests/security: header tests (Flask test client) and a real-browser CSP check.

The browser test reuses the gunicorn + headless Chromium fixtures of tests/browser/conftest.py (imported,
not copied) and gets the ``browser`` marker, so ``pytest -m "not browser"`` skips it here too.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import UI, app_url, driver  # noqa: F401  (fixtures re-exported for this folder)

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(str(item.fspath)).resolve().name == "test_browser_csp.py":
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def ui(driver, app_url) -> UI:  # noqa: F811
    return UI(driver, app_url)
