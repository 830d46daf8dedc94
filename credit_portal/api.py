"""API plumbing shared by every app (layer 1: it imports no app): domain errors become 4xx
answers with their code, bad input gets the same ``{"code", "detail", "field"}`` shape, and the
schema documents it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from credit_portal.errors import DomainError, NotFound


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        body = {"code": exc.code, "detail": str(exc.message)}
        if exc.field:
            body["field"] = exc.field
        return Response(body, status=exc.status)
    if isinstance(exc, DjangoValidationError):
        return Response(
            {"code": "invalid", "detail": exc.messages}, status=status.HTTP_400_BAD_REQUEST
        )
    # DRF converts these itself; convert first so the answer carries the DRF code.
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "code" not in response.data:
        default_code = getattr(exc, "default_code", None)
        if default_code:
            response.data = {"code": default_code, **response.data}
    return response


# --- bad input: the same {"code", "detail", "field"} shape as domain errors ------------------
def _first_error(errors: Any, field: str | None = None) -> tuple[str | None, Any]:
    """The first (field, message) of DRF-style nested errors; ``message`` may carry a code."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            inner = None if key in ("non_field_errors", "__all__") else key
            return _first_error(value, field if inner is None else inner)
    if isinstance(errors, list | tuple) and errors:
        return _first_error(errors[0], field)
    return field, errors


def invalid(errors: Any) -> DomainError:
    """The DomainError for a serializer's or filterset's errors: its first field and code."""
    field, message = _first_error(errors)
    code = getattr(message, "code", None) or "invalid"
    return DomainError(str(message), code=code, field=field)


def validated(serializer_class: type, request: Request) -> dict[str, Any]:
    """The request body checked by an input serializer; bad input raises ``invalid(...)``."""
    serializer = serializer_class(data=request.data)
    if not serializer.is_valid():
        raise invalid(serializer.errors)
    return dict(serializer.validated_data)


class FilterBackend(DjangoFilterBackend):
    """django-filter, with a bad query parameter answered like any other bad input."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise invalid(filterset.errors.as_data())
        return filterset.qs


MAX_ID = 2**63 - 1  # bigint: a larger id would be a database error, not a 404


def visible_or_404(queryset, pk: Any, not_found: NotFound):
    """The row ``pk`` of the caller's visible ``queryset``; a malformed, out-of-range, unknown
    or invisible id is the same 404, so the answer never reveals that a hidden row exists."""
    try:
        row_id = int(pk)
    except (TypeError, ValueError):
        row_id = 0
    row = queryset.filter(pk=row_id).first() if 0 < row_id <= MAX_ID else None
    if row is None:
        raise not_found
    return row


# --- the schema -----------------------------------------------------------------------------
# Documentation only: ``exception_handler`` writes these. (No docstring: the schema would
# show it as the component's description.)
class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="stable error code, e.g. uscc_checksum")
    detail = serializers.CharField(help_text="bilingual message (zh / en)")
    field = serializers.CharField(required=False, help_text="the input field at fault")


ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="bad input (code and field)"),
    401: OpenApiResponse(ErrorSerializer, description="not signed in / bad token"),
    403: OpenApiResponse(ErrorSerializer, description="refused"),
    404: OpenApiResponse(ErrorSerializer, description="not found"),
    409: OpenApiResponse(ErrorSerializer, description="conflicts with the current state"),
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """The documented error answers, e.g. ``responses={200: ..., **error_responses(400, 404)}``."""
    return {code: ERRORS[code] for code in codes}


PURPOSE = OpenApiParameter(
    "purpose",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    required=False,
    description="查询用途 / purpose of the query, logged with every read of non-public records",
)
