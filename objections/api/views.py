"""API v1: objections and tip-offs for departments (their queues and decisions), and the
public statistics. Thin: selectors decide what the caller sees, services every write; errors
answer ``{"code", "detail", "field"}``. A case never carries its filer or its reporter, and the
outcome is proposed and approved by people: API clients read their department's queues but
do not propose or approve (four eyes are two named officials)."""

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
from ..models import Objection, TipOff
from . import serializers as s

_NO_OBJECTION = gettext_lazy("异议不存在。/ No such objection.")
_NO_TIPOFF = gettext_lazy("举报不存在。/ No such tip-off.")


def _regulator(request: Request) -> Viewer:
    if not request.user.is_authenticated:
        raise NotAuthenticated()
    viewer = viewer_for(request.user)
    if not viewer.is_regulator:
        raise PermissionDenied(
            gettext_lazy("只有部门和数据共享用户可以使用。/ For departments and data users only.")
        )
    return viewer


def _person(request: Request) -> Viewer:
    viewer = _regulator(request)
    if viewer.role == Role.API_CLIENT:
        raise PermissionDenied(
            gettext_lazy(
                "处理意见须由部门工作人员提出、负责人审核。/ Outcomes are proposed and approved "
                "by department officials, not API clients."
            ),
            code="person_required",
        )
    return viewer


def _page(view: viewsets.GenericViewSet, queryset, serializer_class) -> Response:
    page = view.paginate_queryset(queryset)
    return view.get_paginated_response(serializer_class(page, many=True).data)


@extend_schema(tags=["objections"])
class ObjectionViewSet(viewsets.GenericViewSet):
    """The department's objections (35/17): queue with the clocks, detail, and the outcome
    proposed by staff and approved by the head."""

    serializer_class = s.ObjectionSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return Objection.objects.none()
        viewer = _regulator(self.request)
        status = self.request.query_params.get("status", "")
        uscc = self.request.query_params.get("uscc", "")
        return selectors.objections_for(viewer, status=status[:20], q=uscc[:40])

    def _visible(self, pk: Any):
        return visible_or_404(
            self.get_queryset(), pk, NotFound(_NO_OBJECTION, code="objection_not_found")
        )

    @extend_schema(responses={200: s.ObjectionSerializer(many=True), **error_responses(401, 403)})
    def list(self, request: Request) -> Response:
        return _page(self, self.get_queryset(), s.ObjectionSerializer)

    @extend_schema(responses={200: s.ObjectionSerializer, **error_responses(401, 403, 404)})
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(s.ObjectionSerializer(self._visible(pk)).data)

    @extend_schema(
        request=s.ObjectionProposeSerializer,
        responses={200: s.ObjectionSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def propose(self, request: Request, pk: str) -> Response:
        _person(request)
        found = self._visible(pk)
        data = validated(s.ObjectionProposeSerializer, request)
        services.objection_propose(
            actor=request.user,
            objection_id=found.pk,
            outcome=data["outcome"],
            reasons=data["reasons"],
            correction=data.get("correction"),
        )
        return Response(s.ObjectionSerializer(self._visible(pk)).data)

    @extend_schema(
        request=None,
        responses={200: s.ObjectionSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        _person(request)
        found = self._visible(pk)
        services.objection_approve(actor=request.user, objection_id=found.pk)
        return Response(s.ObjectionSerializer(self._visible(pk)).data)

    @extend_schema(
        request=s.ObjectionNoteSerializer,
        responses={200: s.ObjectionSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="return")
    def send_back(self, request: Request, pk: str) -> Response:
        _person(request)
        found = self._visible(pk)
        data = validated(s.ObjectionNoteSerializer, request)
        services.objection_return(actor=request.user, objection_id=found.pk, note=data["note"])
        return Response(s.ObjectionSerializer(self._visible(pk)).data)


@extend_schema(tags=["objections"])
class TipOffViewSet(viewsets.GenericViewSet):
    """The department's tip-offs (33/13), never with the reporter."""

    serializer_class = s.TipOffSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return TipOff.objects.none()
        viewer = _regulator(self.request)
        return selectors.tipoffs_for(viewer, status=self.request.query_params.get("status", ""))

    def _visible(self, pk: Any):
        return visible_or_404(
            self.get_queryset(), pk, NotFound(_NO_TIPOFF, code="tipoff_not_found")
        )

    @extend_schema(responses={200: s.TipOffSerializer(many=True), **error_responses(401, 403)})
    def list(self, request: Request) -> Response:
        return _page(self, self.get_queryset(), s.TipOffSerializer)

    @extend_schema(responses={200: s.TipOffSerializer, **error_responses(401, 403, 404)})
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(s.TipOffSerializer(self._visible(pk)).data)

    @extend_schema(
        request=None, responses={200: s.TipOffSerializer, **error_responses(401, 403, 404)}
    )
    @action(detail=True, methods=["post"])
    def claim(self, request: Request, pk: str) -> Response:
        _person(request)
        found = self._visible(pk)
        services.tipoff_claim(actor=request.user, tipoff_id=found.pk)
        return Response(s.TipOffSerializer(self._visible(pk)).data)

    @extend_schema(
        request=s.TipOffCloseSerializer,
        responses={200: s.TipOffSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        _person(request)
        found = self._visible(pk)
        data = validated(s.TipOffCloseSerializer, request)
        services.tipoff_close(actor=request.user, tipoff_id=found.pk, **data)
        return Response(s.TipOffSerializer(self._visible(pk)).data)


@extend_schema(tags=["objections"])
class StatisticsViewSet(viewsets.GenericViewSet):
    """Public: objections by department and by kind of item, tip-offs by department."""

    permission_classes = [AllowAny]
    serializer_class = s.ObjectionStatisticsSerializer
    queryset = Objection.objects.none()  # a report, not rows: named for the schema only

    @extend_schema(responses={200: s.ObjectionStatisticsSerializer})
    def list(self, request: Request) -> Response:
        data = {
            "objections_by_department": selectors.objection_statistics("department"),
            "objections_by_kind": selectors.objection_statistics("kind"),
            "tipoffs_by_department": selectors.tipoff_statistics(),
        }
        return Response(s.ObjectionStatisticsSerializer(data).data)
