"""API plumbing shared by every app: domain errors become 4xx answers with their code."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from credit_portal.errors import DomainError


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
