"""The public pages' cache (docs/architecture.md §6: "cache public pages").

What is cached is the main content of a page, rendered without the request, never the whole
response: the page shell carries the CSRF token of the language switch and who is signed in,
which differ per visitor. Keys carry the language and only the parsed, normalised inputs (so
stray query parameters do not multiply entries). A cache that is down costs speed, not the page.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import cache
from django.utils import translation

logger = logging.getLogger(__name__)
T = TypeVar("T")
PREFIX = "disclosure:v1:"

# Seconds. The entity page's key holds a version read from the data, so it is exact and the
# timeout only bounds what the version does not see (a department renamed). Listings, search
# and statistics aggregate over many entities; a global version would need a scan, so they
# expire instead: a withdrawal leaves a listing within minutes, well inside the 3 working days.
ENTITY_TTL = 3600
LISTING_TTL = 300
SEARCH_TTL = 300
STATISTICS_TTL = 600
HOME_TTL = 3600


def page_key(raw: str | None) -> str:
    """The page number as the paginator will read it: anything not an integer is page 1."""
    try:
        return str(int(raw or "1"))
    except ValueError:
        return "1"


def cache_key(parts: Iterable[object]) -> str:
    text = "|".join([translation.get_language() or "", *(str(p) for p in parts)])
    return PREFIX + hashlib.sha256(text.encode()).hexdigest()


def cached(parts: Iterable[object], build: Callable[[], T], timeout: int) -> T:
    """``build()``'s value, from the cache under ``parts`` (plus the language) when present."""
    key = cache_key(parts)
    try:
        value = cache.get(key)
    except Exception:  # the cache server is down: serve uncached
        logger.warning("page cache unavailable", exc_info=True)
        return build()
    if value is None:
        value = build()
        try:
            cache.set(key, value, timeout)
        except Exception:
            logger.warning("page cache unavailable", exc_info=True)
    return value
