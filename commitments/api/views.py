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

from credit_portal.api import FilterBackend, error_responses, validated, visible_or_404
from credit_portal.errors import NotFound
from registry.roles import viewer_for

from .. import selectors, services
from ..filtersets import (
    CommitmentFilterSet,
    DisclosureFilterSet,
    EducationSessionFilterSet,
    LicensingItemFilterSet,
    TemplateFilterSet,
)
from . import serializers as s

_NO_COMMITMENT = gettext_lazy("承诺不存在。/ No such commitment.")


@extend_schema(tags=["commitments"])
class TemplateViewSet(viewsets.ReadOnlyModelViewSet):
    """Published commitment templates, every version (public)."""

    serializer_class = s.TemplateSerializer
    filter_backends = [FilterBackend]
    filterset_class = TemplateFilterSet

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

    def _visible(self, pk):
        return visible_or_404(
            self.get_queryset(), pk, NotFound(_NO_COMMITMENT, code="commitment_not_found")
        )

    @extend_schema(responses={200: s.CommitmentSerializer(many=True), **error_responses(400)})
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(s.CommitmentSerializer(page, many=True).data)

    @extend_schema(responses={200: s.CommitmentSerializer, **error_responses(404)})
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(s.CommitmentSerializer(self._visible(pk)).data)

    @extend_schema(
        summary="Make (entity user) or record (department) a commitment",
        request=s.CommitmentCreateInputSerializer,
        responses={201: s.CommitmentSerializer, **error_responses(400, 401, 403, 404)},
    )
    def create(self, request: Request) -> Response:
        data = validated(s.CommitmentCreateInputSerializer, request)
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
        responses={200: s.CommitmentSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def fulfilment(self, request: Request, pk: str) -> Response:
        data = validated(s.FulfilmentInputSerializer, request)
        commitment = self._visible(pk)
        services.commitment_fulfilment_record(
            actor=request.user,
            commitment_id=commitment.pk,
            fulfilment=data["fulfilment"],
            note=data["note"],
        )
        return Response(s.CommitmentSerializer(self._visible(commitment.pk)).data)

    @extend_schema(
        summary="Record that a missing material was supplied (the accepting department)",
        request=s.SupplyInputSerializer,
        responses={200: s.CommitmentSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def supply(self, request: Request, pk: str) -> Response:
        data = validated(s.SupplyInputSerializer, request)
        commitment = self._visible(pk)
        if not commitment.materials.filter(pk=data["material"]).exists():
            raise NotFound(
                gettext_lazy("该承诺没有这项材料。/ The commitment has no such material."),
                code="material_not_found",
                field="material",
            )
        services.material_supply(actor=request.user, material_id=data["material"])
        return Response(s.CommitmentSerializer(self._visible(commitment.pk)).data)


@extend_schema(tags=["commitments"])
class LicensingItemViewSet(viewsets.ReadOnlyModelViewSet):
    """Licensing items and whether credit commitment applies (public)."""

    serializer_class = s.LicensingItemSerializer
    filter_backends = [FilterBackend]
    filterset_class = LicensingItemFilterSet
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return selectors.licensing_items_public()


_NO_DISCLOSURE = gettext_lazy("自愿注册信息不存在。/ No such registration.")


@extend_schema(tags=["commitments"])
class DisclosureViewSet(viewsets.GenericViewSet):
    """Voluntarily registered credit information (35/5). Anyone sees verified items; the
    entity and the verifying department see all of theirs."""

    serializer_class = s.DisclosureSerializer
    filter_backends = [FilterBackend]
    filterset_class = DisclosureFilterSet
    permission_classes = [IsAuthenticatedOrReadOnly]

    def get_queryset(self):
        return selectors.disclosures_visible(viewer_for(self.request.user)).order_by(
            "-submitted_at", "-id"
        )

    def _visible(self, pk):
        return visible_or_404(
            self.get_queryset(), pk, NotFound(_NO_DISCLOSURE, code="disclosure_not_found")
        )

    @extend_schema(responses={200: s.DisclosureSerializer(many=True), **error_responses(400)})
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(s.DisclosureSerializer(page, many=True).data)

    @extend_schema(responses={200: s.DisclosureSerializer, **error_responses(404)})
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(s.DisclosureSerializer(self._visible(pk)).data)

    @extend_schema(
        summary="Register credit information (the entity's own account)",
        request=s.DisclosureSubmitInputSerializer,
        responses={201: s.DisclosureSerializer, **error_responses(400, 401, 403, 404)},
    )
    def create(self, request: Request) -> Response:
        data = validated(s.DisclosureSubmitInputSerializer, request)
        disclosure = services.disclosure_submit(
            actor=request.user,
            uscc=data["uscc"],
            department_code=data["department"],
            kind=data["kind"],
            title=data["title"],
            content=data["content"],
            authenticity_committed=data["authenticity_committed"],
            sharing_consented=data["sharing_consented"],
        )
        return Response(
            s.DisclosureSerializer(self._visible(disclosure.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Verify, reject or revoke (the verifying department)",
        request=s.DisclosureDecideInputSerializer,
        responses={200: s.DisclosureSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        data = validated(s.DisclosureDecideInputSerializer, request)
        disclosure = self._visible(pk)
        services.disclosure_decide(
            actor=request.user,
            disclosure_id=disclosure.pk,
            status=data["status"],
            reason=data["reason"],
        )
        return Response(s.DisclosureSerializer(self._visible(disclosure.pk)).data)


_NO_SESSION = gettext_lazy("诚信教育场次不存在。/ No such session.")


@extend_schema(tags=["commitments"])
class EducationSessionViewSet(viewsets.GenericViewSet):
    """Integrity education sessions (35/2): public, free (``fee`` is always 0), and a
    condition of nothing. A department holds sessions and records who attended; attendance
    is seen only by the holding department."""

    serializer_class = s.EducationSessionSerializer
    filter_backends = [FilterBackend]
    filterset_class = EducationSessionFilterSet
    permission_classes = [IsAuthenticatedOrReadOnly]

    def get_queryset(self):
        return selectors.education_sessions_public()

    def _visible(self, pk):
        return visible_or_404(
            self.get_queryset(), pk, NotFound(_NO_SESSION, code="session_not_found")
        )

    @extend_schema(responses={200: s.EducationSessionSerializer(many=True), **error_responses(400)})
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(s.EducationSessionSerializer(page, many=True).data)

    @extend_schema(responses={200: s.EducationSessionSerializer, **error_responses(404)})
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(s.EducationSessionSerializer(self._visible(pk)).data)

    @extend_schema(
        summary="Hold a session (department staff)",
        request=s.EducationSessionInputSerializer,
        responses={201: s.EducationSessionSerializer, **error_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        data = validated(s.EducationSessionInputSerializer, request)
        session = services.education_session_create(actor=request.user, **data)
        return Response(
            s.EducationSessionSerializer(self._visible(session.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        methods=["GET"],
        summary="Who attended (the holding department)",
        responses={200: s.AttendanceSerializer(many=True), **error_responses(401, 403, 404)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Record an entity's attendance (the holding department; once per entity)",
        request=s.AttendanceInputSerializer,
        responses={201: s.AttendanceSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["get", "post"])
    def attendances(self, request: Request, pk: str) -> Response:
        session = self._visible(pk)
        if request.method == "POST":
            data = validated(s.AttendanceInputSerializer, request)
            attendance = services.education_attendance_record(
                actor=request.user,
                session_id=session.pk,
                uscc=data["uscc"],
                attendee=data["attendee"],
            )
            return Response(s.AttendanceSerializer(attendance).data, status=201)
        rows = selectors.session_attendances_for(viewer_for(request.user), session)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.AttendanceSerializer(page, many=True).data)
