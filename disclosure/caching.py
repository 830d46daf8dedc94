"""The public pages' cache (docs/architecture.md §6: "cache public pages").

Two levels. The main content of a page, rendered without the request, serves every visitor
(signed-in ones get it inside a shell rendered for them). The entity page is also cached whole
for anonymous visitors (``shared_page``): the shell differs between them only by the CSRF token
of the language switch, which is cached as a placeholder and filled in per visitor, so a hit
renders no template. Keys carry the language and only the parsed, normalised inputs (so stray
query parameters do not multiply entries). A cache that is down costs speed, not the page.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation

logger = logging.getLogger(__name__)
T = TypeVar("T")
PREFIX = "disclosure:v1:"

# Seconds. The entity page's and the publicity board's keys hold a version PostgreSQL keeps
# (registry.page_versions), so they are exact and the timeout only bounds what the version
# does not see (a department or an entity renamed on the board). Search and statistics
# expire instead: they show no decision that a withdrawal would take away.
ENTITY_TTL = 3600
BOARD_TTL = 3600  # keyed on the publication version (registry.selectors.publication_version)
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


# What a whole page holds where the visitor's CSRF token goes (never a real token's shape).
CSRF_PLACEHOLDER = "shared-page-csrf-token"


def shareable(request: HttpRequest, inputs: dict[str, str]) -> bool:
    """Whether this request may get a whole page shared with other visitors: an anonymous
    read with no message waiting for it, whose query holds only ``inputs`` (parameter: its
    normalised value), so that the address the shell repeats (the language switch's "next")
    is one of a few per page, and nothing else of the request is in the page."""
    if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
        return False
    if CookieStorage.cookie_name in request.COOKIES:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES and SessionStorage.session_key in (
        request.session
    ):
        return False
    return all(key in inputs and request.GET.getlist(key) == [inputs[key]] for key in request.GET)


def shared_page(
    request: HttpRequest, parts: Iterable[object], build: Callable[[], HttpResponse], timeout: int
) -> HttpResponse:
    """The whole response, from the cache under ``parts`` and the address; ``build()`` renders
    it with ``csrf_token=CSRF_PLACEHOLDER``, which is replaced by this visitor's token (which
    also sets the CSRF cookie, as rendering the tag would)."""

    def render() -> dict[str, object]:
        response = build()
        return {"status": response.status_code, "content": response.content.decode()}

    page = cached(("whole", request.get_full_path(), *parts), render, timeout)
    content = str(page["content"]).replace(CSRF_PLACEHOLDER, get_token(request))
    return HttpResponse(content, status=int(page["status"]))  # type: ignore[arg-type]
