"""API v1: restoration applications for the departments that handle them (their queue, the
detail, and the handling steps), and the public statistics. Thin: selectors decide what the
caller sees, services every write; errors answer ``{"code", "detail", "field"}``. API clients
read their department's queue; the steps are taken by named officials (four eyes), so the
services refuse an API client's step with ``person_required``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from credit_portal.api import error_responses, validated, visible_or_404
from credit_portal.errors import NotFound, PermissionDenied
from registry.roles import Role, Viewer, viewer_for

from .. import selectors, services
from ..models import RestorationApplication
from . import serializers as s

_NONE = gettext_lazy("信用修复申请不存在。/ No such restoration application.")


def _regulator(request: Request) -> Viewer:
    if not request.user.is_authenticated:
        raise NotAuthenticated()
    viewer = viewer_for(request.user)
    if not viewer.is_regulator and viewer.role != Role.PLATFORM_ADMIN:
        raise PermissionDenied(
            gettext_lazy("只有部门和数据共享用户可以使用。/ For departments and data users only.")
        )
    return viewer


@extend_schema(tags=["restoration"])
class ApplicationViewSet(viewsets.GenericViewSet):
    """The department's restoration applications (35/13) with their clocks, and the steps:
    accept or refuse, propose (staff), approve or return (a head, never the proposer)."""

    serializer_class = s.ApplicationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return RestorationApplication.objects.none()
        viewer = _regulator(self.request)
        params = self.request.query_params
        return selectors.applications_for(
            viewer, status=params.get("status", "")[:20], q=params.get("q", "")[:60]
        ).prefetch_related("items")

    def _visible(self, pk: Any) -> RestorationApplication:
        return visible_or_404(
            self.get_queryset(), pk, NotFound(_NONE, code="application_not_found")
        )

    def _answer(self, pk: Any) -> Response:
        return Response(s.ApplicationSerializer(self._visible(pk)).data)

    @extend_schema(responses={200: s.ApplicationSerializer(many=True), **error_responses(401, 403)})
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.ApplicationSerializer(page, many=True).data)

    @extend_schema(responses={200: s.ApplicationSerializer, **error_responses(401, 403, 404)})
    def retrieve(self, request: Request, pk: str) -> Response:
        return self._answer(pk)

    @extend_schema(
        request=None,
        responses={200: s.ApplicationSerializer, **error_responses(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        found = self._visible(pk)
        services.restoration_accept(actor=request.user, application_id=found.pk)
        return self._answer(pk)

    @extend_schema(
        request=s.ReasonsSerializer,
        responses={200: s.ApplicationSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def refuse(self, request: Request, pk: str) -> Response:
        found = self._visible(pk)
        data = validated(s.ReasonsSerializer, request)
        services.restoration_refuse(
            actor=request.user, application_id=found.pk, reasons=data["reasons"]
        )
        return self._answer(pk)

    @extend_schema(
        request=s.ProposeSerializer,
        responses={200: s.ApplicationSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def propose(self, request: Request, pk: str) -> Response:
        found = self._visible(pk)
        data = validated(s.ProposeSerializer, request)
        services.restoration_propose(actor=request.user, application_id=found.pk, **data)
        return self._answer(pk)

    @extend_schema(
        request=None,
        responses={200: s.ApplicationSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        found = self._visible(pk)
        services.restoration_approve(actor=request.user, application_id=found.pk)
        return self._answer(pk)

    @extend_schema(
        request=s.NoteSerializer,
        responses={200: s.ApplicationSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="return")
    def send_back(self, request: Request, pk: str) -> Response:
        found = self._visible(pk)
        data = validated(s.NoteSerializer, request)
        services.restoration_return(actor=request.user, application_id=found.pk, note=data["note"])
        return self._answer(pk)


@extend_schema(tags=["restoration"])
class StatisticsViewSet(viewsets.GenericViewSet):
    """Public: applications, decided, restored, open, approval rate and median days to a
    decision, by department."""

    permission_classes = [AllowAny]
    serializer_class = s.StatisticsRowSerializer
    queryset = RestorationApplication.objects.none()  # a report, not rows: for the schema

    @extend_schema(responses={200: s.StatisticsRowSerializer(many=True)})
    def list(self, request: Request) -> Response:
        rows = selectors.restoration_statistics()
        return Response(s.StatisticsRowSerializer(rows, many=True).data)
