"""The public pages are cached (disclosure.caching) in the process-wide local-memory cache of
the test settings: every test starts with an empty one."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_page_cache():
    cache.clear()
    yield
    cache.clear()
