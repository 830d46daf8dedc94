"""API v1: commitments and their templates (35/1). Thin: services and selectors decide;
errors answer {"code", "detail", "field"} like the rest of the API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from credit_portal.errors import NotFound
from registry.api.views import FilterBackend, _errors, _validated
from registry.roles import viewer_for

from .. import selectors, services
from ..filtersets import CommitmentFilterSet
from . import serializers as s

_MAX_ID = 2**63 - 1
_NO_COMMITMENT = gettext_lazy("承诺不存在。/ No such commitment.")


@extend_schema(tags=["commitments"])
class TemplateViewSet(viewsets.ReadOnlyModelViewSet):
    """Published commitment templates, every version (public)."""

    serializer_class = s.TemplateSerializer

    def get_queryset(self):
        return selectors.published_templates()


@extend_schema(tags=["commitments"])
class CommitmentViewSet(viewsets.GenericViewSet):
    """Credit commitments. Anyone sees voluntary public ones; a department also those made to
    it; an entity user also its own. One the caller may not see answers 404."""

    serializer_class = s.CommitmentSerializer
    filter_backends = [FilterBackend]
    filterset_class = CommitmentFilterSet
    permission_classes = [IsAuthenticatedOrReadOnly]

    def get_queryset(self):
        return (
            selectors.commitments_visible(viewer_for(self.request.user))
            .prefetch_related("materials")
            .order_by("-made_at", "-id")
        )

    def _visible(self, pk) -> object:
        try:
            commitment_id = int(pk)
        except (TypeError, ValueError):
            commitment_id = 0
        found = None
        if 0 < commitment_id <= _MAX_ID:
            found = self.get_queryset().filter(pk=commitment_id).first()
        if found is None:
            raise NotFound(_NO_COMMITMENT, code="commitment_not_found")
        return found

    @extend_schema(responses={200: s.CommitmentSerializer(many=True), **_errors(400)})
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(s.CommitmentSerializer(page, many=True).data)

    @extend_schema(responses={200: s.CommitmentSerializer, **_errors(404)})
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(s.CommitmentSerializer(self._visible(pk)).data)

    @extend_schema(
        summary="Make (entity user) or record (department) a commitment",
        request=s.CommitmentCreateInputSerializer,
        responses={201: s.CommitmentSerializer, **_errors(400, 401, 403, 404)},
    )
    def create(self, request: Request) -> Response:
        data = _validated(s.CommitmentCreateInputSerializer, request)
        commitment = services.commitment_make(
            actor=request.user,
            uscc=data["uscc"],
            kind=data["kind"],
            template_id=data["template"],
            item_code=data["item"],
            department_code=data["department"],
            materials=[(m["name"], m["deadline"]) for m in data["materials"]],
        )
        return Response(
            s.CommitmentSerializer(self._visible(commitment.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Record how a commitment was kept (the accepting department)",
        request=s.FulfilmentInputSerializer,
        responses={200: s.CommitmentSerializer, **_errors(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def fulfilment(self, request: Request, pk: str) -> Response:
        data = _validated(s.FulfilmentInputSerializer, request)
        commitment = self._visible(pk)
        services.commitment_fulfilment_record(
            actor=request.user,
            commitment_id=commitment.pk,
            fulfilment=data["fulfilment"],
            note=data["note"],
        )
        return Response(s.CommitmentSerializer(self._visible(commitment.pk)).data)
