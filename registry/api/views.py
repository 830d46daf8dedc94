"""API v1: market entities, credit records, decisions, the catalogue and departments.

Thin views (docs/adding-an-app.md §5): an input serializer checks shape, a service or selector
does the work and applies the rules, an output serializer renders. Domain errors reach
``credit_portal.api.exception_handler`` and become 4xx answers ``{"code", "detail", "field"}``.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from credit_portal.api import (
    PURPOSE,
    FilterBackend,
    error_responses,
    validated,
    visible_or_404,
)
from credit_portal.errors import NotFound
from registry import selectors, services
from registry.filtersets import DecisionFilterSet, EntityFilterSet, RecordFilterSet
from registry.models import CatalogueItem, CreditRecord, Decision, Department, MarketEntity
from registry.roles import viewer_for

from . import serializers as s

USCC_PATH = OpenApiParameter(
    "uscc",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="统一社会信用代码 / unified social credit code (18 characters; lower case, spaces "
    "and full-width forms are accepted)",
)
RECORD_PATH = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="credit record id"
)


# --- market entities ----------------------------------------------------------------------------
@extend_schema(tags=["entities"])
class EntityViewSet(viewsets.GenericViewSet):
    """Market entities under their USCC: public reads; registration authorities write."""

    queryset = MarketEntity.objects.select_related("registration_authority")
    serializer_class = s.EntitySerializer
    filter_backends = [FilterBackend]
    filterset_class = EntityFilterSet
    permission_classes = [IsAuthenticatedOrReadOnly]
    lookup_field = "uscc"
    lookup_value_regex = "[^/]+"
    keyset = ("uscc",)  # past the counted pages, on by code (the primary key's order)

    @extend_schema(
        summary="Search and list market entities",
        responses={200: s.EntitySerializer(many=True), **error_responses(400)},
    )
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(s.EntitySerializer(page, many=True).data)

    @extend_schema(
        summary="One market entity by USCC",
        parameters=[USCC_PATH],
        responses={200: s.EntityDetailSerializer, **error_responses(400, 404)},
    )
    def retrieve(self, request: Request, uscc: str) -> Response:
        entity = selectors.entity_get(uscc)
        return Response(s.EntityDetailSerializer(entity).data)

    @extend_schema(
        summary="Register a market entity (registration authorities)",
        request=s.EntityRegisterInputSerializer,
        responses={201: s.EntityDetailSerializer, **error_responses(400, 401, 403, 409)},
    )
    def create(self, request: Request) -> Response:
        data = validated(s.EntityRegisterInputSerializer, request)
        entity = services.entity_register(actor=request.user, **data)
        return Response(s.EntityDetailSerializer(entity).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change registration facts (the registering department)",
        parameters=[USCC_PATH],
        request=s.EntityUpdateInputSerializer,
        responses={200: s.EntityDetailSerializer, **error_responses(400, 401, 403, 404)},
    )
    def partial_update(self, request: Request, uscc: str) -> Response:
        data = validated(s.EntityUpdateInputSerializer, request)
        reason = data.pop("reason", "")
        entity = services.entity_update(actor=request.user, uscc=uscc, reason=reason, **data)
        return Response(s.EntityDetailSerializer(entity).data)


# --- credit records -----------------------------------------------------------------------------
@extend_schema(tags=["records"])
class RecordViewSet(viewsets.GenericViewSet):
    """Credit records in force that the caller may see (public scope for anonymous callers).

    Reads of shared or authorised records by regulators and API clients are logged with their
    purpose. A record the caller may not see answers 404, whether or not it exists.
    """

    queryset = CreditRecord.objects.none()  # per caller: get_queryset
    serializer_class = s.RecordSerializer
    filter_backends = [FilterBackend]
    filterset_class = RecordFilterSet
    permission_classes = [IsAuthenticatedOrReadOnly]
    lookup_value_regex = "[^/]+"
    keyset = ("-created_at", "-id")

    def get_queryset(self):
        viewer = viewer_for(self.request.user)
        return (
            selectors.records_visible(viewer)
            .select_related("entity")
            .order_by("-created_at", "-id")
        )

    def _purpose(self) -> str:
        return self.request.query_params.get("purpose", "")[:200]

    @extend_schema(
        summary="List credit records",
        parameters=[PURPOSE],
        responses={200: s.RecordSerializer(many=True), **error_responses(400)},
    )
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        selectors.log_restricted_reads(viewer_for(request.user), page, purpose=self._purpose())
        return self.get_paginated_response(s.RecordSerializer(page, many=True).data)

    @extend_schema(
        summary="One credit record",
        parameters=[RECORD_PATH, PURPOSE],
        responses={200: s.RecordSerializer, **error_responses(404)},
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        viewer = viewer_for(request.user)
        record = selectors.record_get(viewer, pk)
        selectors.log_restricted_read(viewer, record.entity_id, [record], purpose=self._purpose())
        return Response(s.RecordSerializer(record).data)

    @extend_schema(
        summary="Add a credit record for the caller's department",
        request=s.RecordCreateInputSerializer,
        responses={201: s.RecordSerializer, **error_responses(400, 401, 403, 404)},
    )
    def create(self, request: Request) -> Response:
        data = validated(s.RecordCreateInputSerializer, request)
        record = services.credit_record_create(
            actor=request.user, catalogue_code=data.pop("catalogue_item"), **data
        )
        return Response(s.RecordSerializer(record).data, status=status.HTTP_201_CREATED)

    def _supersede(self, request: Request, pk: str, action: str, data: dict) -> Response:
        # Look the record up as the caller first: an invisible one is 404, not 403.
        record = selectors.record_get(viewer_for(request.user), pk, own_history=True)
        reason = data.pop("reason")
        new = services.credit_record_supersede(
            actor=request.user, record_id=record.pk, action=action, reason=reason, **data
        )
        new = CreditRecord.objects.select_related(
            "entity", "catalogue_item", "source_department"
        ).get(pk=new.pk)
        return Response(s.RecordSerializer(new).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Correct a record (the owning department): appends a correction",
        parameters=[RECORD_PATH],
        request=s.RecordCorrectInputSerializer,
        responses={201: s.RecordSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def correct(self, request: Request, pk: str) -> Response:
        data = validated(s.RecordCorrectInputSerializer, request)
        return self._supersede(request, pk, CreditRecord.Action.CORRECTION, data)

    @extend_schema(
        summary="Revoke a record (the owning department): appends a revocation",
        parameters=[RECORD_PATH],
        request=s.RecordRevokeInputSerializer,
        responses={201: s.RecordSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str) -> Response:
        data = validated(s.RecordRevokeInputSerializer, request)
        return self._supersede(request, pk, CreditRecord.Action.REVOCATION, data)


# --- decisions ----------------------------------------------------------------------------------
DECISION_PATH = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="decision id"
)
_NO_DECISION = gettext_lazy("行政决定不存在。/ No such decision.")


@extend_schema(tags=["decisions"])
class DecisionViewSet(viewsets.GenericViewSet):
    """Administrative decisions of the ten publicity kinds (35/15) with their publicity clock.

    Anyone sees published decisions whose record is public and on display; a department also
    sees every decision of its own (recorded, withdrawn). A decision the caller may not see
    answers 404, whether or not it exists.
    """

    queryset = Decision.objects.none()  # per caller: get_queryset
    serializer_class = s.DecisionSerializer
    filter_backends = [FilterBackend]
    filterset_class = DecisionFilterSet
    permission_classes = [IsAuthenticatedOrReadOnly]
    lookup_value_regex = "[^/]+"
    # Past the capped page numbers, pages go on by key (credit_portal.pagination).
    keyset = ("-decision_date", "-id")

    def get_queryset(self):
        return (
            selectors.decisions_visible(viewer_for(self.request.user))
            .select_related("record__window")
            .order_by("-decision_date", "-id")
        )

    def _visible(self, pk: str) -> Decision:
        return visible_or_404(
            self.get_queryset(), pk, NotFound(_NO_DECISION, code="decision_not_found")
        )

    @extend_schema(
        summary="List decisions, newest decision first",
        responses={200: s.DecisionSerializer(many=True), **error_responses(400)},
    )
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(s.DecisionSerializer(page, many=True).data)

    @extend_schema(
        summary="One decision",
        parameters=[DECISION_PATH],
        responses={200: s.DecisionSerializer, **error_responses(404)},
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(s.DecisionSerializer(self._visible(pk)).data)

    @extend_schema(
        summary="Record a decision for the caller's department (its publicity clock starts)",
        request=s.DecisionCreateInputSerializer,
        responses={201: s.DecisionSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def create(self, request: Request) -> Response:
        data = validated(s.DecisionCreateInputSerializer, request)
        # The department is always the caller's own: the service takes it from the actor.
        decision = services.decision_record(actor=request.user, **data)
        return Response(
            s.DecisionSerializer(self._visible(decision.pk)).data, status=status.HTTP_201_CREATED
        )

    # Publish and withdraw look the decision up as the caller first: another department's
    # unpublished decision is invisible to it, so it is a 404 that does not reveal it exists;
    # a published one is visible to all, and the service refuses the change with a 403.
    @extend_schema(
        summary="Publish a decision (the deciding department): writes its credit record and "
        "publicity window",
        parameters=[DECISION_PATH],
        request=None,
        responses={200: s.DecisionSerializer, **error_responses(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        decision = self._visible(pk)
        services.decision_publish(actor=request.user, decision_id=decision.pk)
        return Response(s.DecisionSerializer(self._visible(decision.pk)).data)

    @extend_schema(
        summary="Withdraw a changed, revoked or annulled decision (the deciding department)",
        parameters=[DECISION_PATH],
        request=s.DecisionWithdrawInputSerializer,
        responses={200: s.DecisionSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        data = validated(s.DecisionWithdrawInputSerializer, request)
        decision = self._visible(pk)
        services.decision_change(
            actor=request.user,
            decision_id=decision.pk,
            change=data["change"],
            reason=data["reason"],
            change_date=data["change_date"],
        )
        return Response(s.DecisionSerializer(self._visible(decision.pk)).data)


# --- reference data -----------------------------------------------------------------------------
class _ByCode:
    """Look up by code; an unknown one is a 404 with a code like every other error."""

    def get_object(self):
        try:
            return self.get_queryset().get(code=self.kwargs["code"])
        except ObjectDoesNotExist:
            raise NotFound(code="not_found") from None


@extend_schema(tags=["reference"])
class CatalogueItemViewSet(
    _ByCode, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The credit information catalogue: what may be collected and who may see it."""

    queryset = CatalogueItem.objects.filter(active=True).order_by("code")
    serializer_class = s.CatalogueItemSerializer
    filter_backends: list = []
    lookup_field = "code"
    lookup_value_regex = "[^/]+"


@extend_schema(tags=["reference"])
class DepartmentViewSet(
    _ByCode, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Departments (regulators) by code."""

    queryset = Department.objects.filter(active=True).order_by("code")
    serializer_class = s.DepartmentSerializer
    filter_backends: list = []
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
