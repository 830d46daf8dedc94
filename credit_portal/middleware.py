"""Request ids: one per web request, carried into log lines, audit events and Celery tasks."""

from __future__ import annotations

import contextvars
import logging
import re
import uuid
from collections.abc import Callable

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
_source: contextvars.ContextVar[str] = contextvars.ContextVar("audit_source", default="cli")
_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
HEADER = "X-Request-ID"
TASK_HEADER = "request_id"


def get_request_id() -> str:
    return _request_id.get()


def get_source() -> str:
    """Where the current work came from: web, api, task or cli (AuditEvent.source)."""
    return _source.get()


def set_context(request_id: str, source: str) -> list[contextvars.Token]:
    return [_request_id.set(request_id), _source.set(source)]


def reset_context(tokens: list[contextvars.Token]) -> None:
    _request_id.reset(tokens[0])
    _source.reset(tokens[1])


def new_request_id() -> str:
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Accept a well-formed incoming X-Request-ID (from a proxy) or make one; echo it back."""

    def __init__(self, get_response: Callable):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(HEADER, "")
        request_id = incoming if _VALID.match(incoming) else new_request_id()
        source = "api" if request.path.startswith("/api/") else "web"
        request.request_id = request_id
        tokens = set_context(request_id, source)
        try:
            response = self.get_response(request)
        finally:
            reset_context(tokens)
        response[HEADER] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = get_request_id() or "-"
        return True


def connect_celery_signals() -> None:
    """Publish the current request id with every task; restore it inside the worker."""
    from celery.signals import before_task_publish, task_postrun, task_prerun

    @before_task_publish.connect(weak=False)
    def _add_request_id(headers=None, **kwargs):
        if headers is not None and TASK_HEADER not in headers:
            headers[TASK_HEADER] = get_request_id() or new_request_id()

    tokens_by_task: dict[str, list[contextvars.Token]] = {}

    @task_prerun.connect(weak=False)
    def _restore_request_id(task_id=None, task=None, **kwargs):
        request_id = getattr(task.request, TASK_HEADER, None) or new_request_id()
        tokens_by_task[task_id] = set_context(request_id, "task")

    @task_postrun.connect(weak=False)
    def _clear_request_id(task_id=None, **kwargs):
        tokens = tokens_by_task.pop(task_id, None)
        if tokens:
            reset_context(tokens)


class ChineseFirstLocaleMiddleware:
    """Chinese unless the visitor chose English with the language switch (its cookie).

    A government site answers in Chinese by default: a browser's Accept-Language does not
    switch it. Sits before Django's LocaleMiddleware, which then sees only the explicit choice.
    """

    def __init__(self, get_response: Callable):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
