"""Every public read is bounded (issue 17): a statement timeout for anonymous pages and for
every API read, set on the connection for the request and reset after it. PostgreSQL itself
cancels a statement past the limit, so a slow page answers a clear error within seconds and
never holds the database after its worker is gone (gunicorn's timeout kills the worker, not
the query: before this, a deep page's query ran on for 90 s after its worker was killed).

Department and administrator pages are not bounded: their lists are their own, and bulk work
(imports, exports) has its own controls.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from credit_portal import replicas

logger = logging.getLogger(__name__)

BOUNDED_METHODS = ("GET", "HEAD")


def bounded(request: HttpRequest) -> bool:
    """Reads of the public: any API read, and pages read without signing in."""
    if request.method not in BOUNDED_METHODS or request.path.startswith("/admin/"):
        return False
    if request.path.startswith("/api/"):
        return True
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def timed_out(exc: BaseException) -> bool:
    return isinstance(exc, OperationalError) and "statement timeout" in str(exc)


def _set_timeout(milliseconds: int | None, alias: str = "default") -> None:
    """A session setting, sent on the driver's own cursor: it reads no data, so it stays out of
    Django's query log and the tests that pin each page's queries."""
    statement = (
        "SET statement_timeout TO DEFAULT"
        if milliseconds is None
        else f"SET statement_timeout = {int(milliseconds)}"
    )
    conn = connections[alias]
    try:
        conn.ensure_connection()
        with conn.connection.cursor() as cursor:
            cursor.execute(statement)
    except (DatabaseError, conn.Database.Error):  # broken: Django reconnects next time
        logger.warning("could not set statement_timeout", exc_info=True)


class PublicStatementTimeoutMiddleware:
    """After AuthenticationMiddleware (it asks whether the visitor signed in)."""

    def __init__(self, get_response: Callable):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not bounded(request):
            return self.get_response(request)
        # The public's reads go to a replica when there is one (credit_portal.replicas).
        token = replicas.public_reads_begin()
        aliases = ["default", *([replicas.current_replica()] if token else [])]
        for alias in aliases:
            _set_timeout(settings.PUBLIC_QUERY_TIMEOUT_MS, alias)
        try:
            return self.get_response(request)
        finally:
            for alias in aliases:
                _set_timeout(None, alias)
            replicas.public_reads_end(token)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not timed_out(exc):
            return None
        message = _(
            "查询耗时过长，已停止。请缩小查询范围或稍后再试。/ The query took too long and was "
            "stopped. Narrow it down or try again later."
        )
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"code": "query_timeout", "detail": message, "field": None}, status=503
            )
        return render(request, "400.html", {"message": message}, status=503)
