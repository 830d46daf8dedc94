"""API v1: discipline after the fact (2019 No. 35, arts. 8-12; 2016 No. 33, arts. 9-22).

Public: the published list rules and measures list, punishment and red listings in force,
access bans in force and the measure-task statistics. Departments and their API clients: their
listings (propose, decide, suspend, resume, exit), the measure tasks they implement or set,
rectification orders and interviews, appointment warnings and authority notices, and the
"may receive" check. Entity users: their own listings and statements.

Thin (docs/adding-an-app.md §5): an input serializer checks shape, a selector decides what the
caller sees and a service does every write; errors answer ``{"code", "detail", "field"}`` like the
rest of the API. A row the caller may not see answers 404 whether or not it exists; a visible row
the caller may not change answers the service's 403.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from credit_portal.api import (
    PURPOSE,
    FilterBackend,
    error_responses,
    invalid,
    validated,
    visible_or_404,
)
from credit_portal.errors import NotFound, PermissionDenied
from registry.roles import Viewer, viewer_for

from .. import selectors, services
from ..filtersets import (
    AccessBanFilterSet,
    InterviewFilterSet,
    LiabilityWarningFilterSet,
    ListingFilterSet,
    ListRuleFilterSet,
    MeasureFilterSet,
    MeasureTaskFilterSet,
    RectificationFilterSet,
)
from ..models import Listing, MeasureTask
from . import serializers as s


def _regulator(request: Request) -> Viewer:
    """Department staff and API clients only: anonymous callers 401, anyone else 403."""
    if not request.user.is_authenticated:
        raise NotAuthenticated()
    viewer = viewer_for(request.user)
    if not viewer.is_regulator:
        raise PermissionDenied(
            gettext_lazy("只有部门和数据共享用户可以使用。/ For departments and data users only.")
        )
    return viewer


def _page(view: viewsets.GenericViewSet, queryset, serializer_class) -> Response:
    page = view.paginate_queryset(view.filter_queryset(queryset))
    return view.get_paginated_response(serializer_class(page, many=True).data)


# --- the published rules ----------------------------------------------------------------------
_NO_RULE = gettext_lazy("名单认定规则不存在或未发布。/ No such published list rule.")
_NO_MEASURE = gettext_lazy("措施不存在或未发布。/ No such published measure.")


@extend_schema(tags=["discipline"])
class ListRuleViewSet(viewsets.GenericViewSet):
    """The published rules of each list (35/9): standards, procedure, objection route, exit
    conditions and the punishment period; the current versions unless ``current=false``."""

    serializer_class = s.ListRuleSerializer
    filter_backends = [FilterBackend]
    filterset_class = ListRuleFilterSet

    def get_queryset(self):
        return selectors.rules_published().order_by("kind", "code", "-version")

    @extend_schema(responses={200: s.ListRuleSerializer(many=True), **error_responses(400)})
    def list(self, request: Request) -> Response:
        return _page(self, self.get_queryset(), s.ListRuleSerializer)

    @extend_schema(
        summary="One published version (old ones stay readable: listings keep theirs)",
        responses={200: s.ListRuleSerializer, **error_responses(404)},
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        rule = visible_or_404(self.get_queryset(), pk, NotFound(_NO_RULE, code="rule_not_found"))
        return Response(s.ListRuleSerializer(rule).data)


@extend_schema(tags=["discipline"])
class MeasureViewSet(viewsets.GenericViewSet):
    """The measures list (33/9-15): category, mandatory or recommended, legal basis,
    implementing department and list kinds; the current versions unless ``current=false``."""

    serializer_class = s.MeasureSerializer
    filter_backends = [FilterBackend]
    filterset_class = MeasureFilterSet

    def get_queryset(self):
        return selectors.measures_published(current_only=False)

    @extend_schema(responses={200: s.MeasureSerializer(many=True), **error_responses(400)})
    def list(self, request: Request) -> Response:
        return _page(self, self.get_queryset(), s.MeasureSerializer)

    @extend_schema(
        summary="One published version (tasks keep the version they were set under)",
        responses={200: s.MeasureSerializer, **error_responses(404)},
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        measure = visible_or_404(
            self.get_queryset(), pk, NotFound(_NO_MEASURE, code="measure_not_found")
        )
        return Response(s.MeasureSerializer(measure).data)


# --- listings ---------------------------------------------------------------------------------
_NO_LISTING = gettext_lazy("名单记录不存在。/ No such listing.")


@extend_schema(tags=["discipline"])
class ListingViewSet(viewsets.GenericViewSet):
    """Listings. Anyone sees punishment and red listings in force (a suspended one is marked
    "under objection"); an entity user also its own, proposals included, and states its case
    on them; a department sees its own and every decided listing of others, and its staff and
    API clients propose, decide, suspend, resume and remove the listings it recognised. The
    case file (statement, notes) is shown to departments and the entity only."""

    serializer_class = s.ListingDetailSerializer
    filter_backends = [FilterBackend]
    filterset_class = ListingFilterSet
    permission_classes = [IsAuthenticatedOrReadOnly]

    def get_queryset(self):
        return selectors.listings_visible(viewer_for(self.request.user)).prefetch_related("bases")

    def _visible(self, pk: Any) -> Listing:
        return visible_or_404(
            self.get_queryset(), pk, NotFound(_NO_LISTING, code="listing_not_found")
        )

    def _data(self, listing: Listing) -> dict:
        # The case file goes to departments and the entity itself; anyone else reads the
        # public part (an entity user's list holds its own listings and public ones).
        viewer = viewer_for(self.request.user)
        party = viewer.is_regulator or listing.entity_id == viewer.entity_uscc
        serializer = s.ListingDetailSerializer if party else s.ListingSerializer
        return serializer(listing).data

    def _purpose(self) -> str:
        return self.request.query_params.get("purpose", "")[:200]

    def _render(self, listing: Listing, **kwargs) -> Response:
        return Response(self._data(listing), **kwargs)

    def _act(self, pk: str, service, **kwargs) -> Response:
        # Look the listing up as the caller first: one it may not see is a 404 (not a 403
        # that would reveal it exists); the service then decides whether it may act.
        listing = self._visible(pk)
        service(actor=self.request.user, listing_id=listing.pk, **kwargs)
        return self._render(self._visible(listing.pk))

    @extend_schema(
        summary="List the listings the caller may see (reads of non-public ones are logged)",
        parameters=[PURPOSE],
        responses={200: s.ListingDetailSerializer(many=True), **error_responses(400)},
    )
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        selectors.log_listing_reads(viewer_for(request.user), page, purpose=self._purpose())
        return self.get_paginated_response([self._data(listing) for listing in page])

    @extend_schema(
        summary="One listing (the public part, or the case file for departments and the entity)",
        parameters=[PURPOSE],
        responses={200: s.ListingDetailSerializer, **error_responses(404)},
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        listing = self._visible(pk)
        selectors.log_listing_reads(viewer_for(request.user), [listing], purpose=self._purpose())
        return self._render(listing)

    @extend_schema(
        summary="Propose a listing on its basis documents (a department with authority under "
        "the rule); the entity may state its case within the statement period",
        request=s.ListingProposeInputSerializer,
        responses={201: s.ListingDetailSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def create(self, request: Request) -> Response:
        data = validated(s.ListingProposeInputSerializer, request)
        listing = services.listing_propose(
            actor=request.user,
            uscc=data["uscc"],
            rule_code=data["rule"],
            facts=data["facts"],
            bases=[dict(b) for b in data["bases"]],
        )
        return self._render(self._visible(listing.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="State the entity's case on a proposal (the entity's own account, or the "
        "recognising department recording one received in writing)",
        request=s.StatementInputSerializer,
        responses={200: s.ListingDetailSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def statement(self, request: Request, pk: str) -> Response:
        data = validated(s.StatementInputSerializer, request)
        return self._act(pk, services.listing_statement_record, statement=data["statement"])

    @extend_schema(
        summary="Decide after the statement period: list (its measure tasks are set) or not",
        request=s.DecideInputSerializer,
        responses={200: s.ListingDetailSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        data = validated(s.DecideInputSerializer, request)
        return self._act(
            pk, services.listing_decide, list_entity=data["list_entity"], note=data["note"]
        )

    @extend_schema(
        summary="Suspend while an objection is checked: its measures stop (33/22)",
        request=s.SuspendInputSerializer,
        responses={200: s.ListingDetailSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def suspend(self, request: Request, pk: str) -> Response:
        data = validated(s.SuspendInputSerializer, request)
        return self._act(pk, services.listing_suspend, reason=data["reason"])

    @extend_schema(
        summary="Resume a suspended listing: the objection was not upheld",
        request=s.ResumeInputSerializer,
        responses={200: s.ListingDetailSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: str) -> Response:
        data = validated(s.ResumeInputSerializer, request)
        return self._act(pk, services.listing_resume, note=data["note"])

    @extend_schema(
        summary="Remove a listing (restoration, revoked basis, upheld objection, expiry): its "
        "tasks are cancelled or set to be lifted and personal marks lifted",
        request=s.ExitInputSerializer,
        responses={200: s.ListingDetailSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def exit(self, request: Request, pk: str) -> Response:
        data = validated(s.ExitInputSerializer, request)
        return self._act(pk, services.listing_exit, reason=data["reason"], note=data["note"])


# --- measure tasks ----------------------------------------------------------------------------
_NO_TASK = gettext_lazy("任务不存在。/ No such task.")


@extend_schema(tags=["discipline"])
class MeasureTaskViewSet(viewsets.GenericViewSet):
    """Measure tasks (33/18): those the caller's department implements (it feeds back and,
    after an exit, confirms the lifting) and those its listings set (it follows coverage and
    delays). Departments and their API clients only."""

    serializer_class = s.MeasureTaskSerializer
    filter_backends = [FilterBackend]
    filterset_class = MeasureTaskFilterSet

    def get_queryset(self):
        return selectors.tasks_visible(viewer_for(self.request.user)).order_by("feedback_due", "id")

    def _visible(self, pk: Any):
        return visible_or_404(self.get_queryset(), pk, NotFound(_NO_TASK, code="task_not_found"))

    @extend_schema(
        responses={200: s.MeasureTaskSerializer(many=True), **error_responses(400, 401, 403)}
    )
    def list(self, request: Request) -> Response:
        _regulator(request)
        return _page(self, self.get_queryset(), s.MeasureTaskSerializer)

    @extend_schema(responses={200: s.MeasureTaskSerializer, **error_responses(401, 403, 404)})
    def retrieve(self, request: Request, pk: str) -> Response:
        _regulator(request)
        return Response(s.MeasureTaskSerializer(self._visible(pk)).data)

    @extend_schema(
        summary="Feed back (the implementing department): every measure applied, or a "
        "recommended one not applied with the reason; all or nothing",
        request=s.FeedbackInputSerializer,
        responses={200: s.MeasureTaskSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def feedback(self, request: Request, pk: str) -> Response:
        _regulator(request)
        data = validated(s.FeedbackInputSerializer, request)
        task = self._visible(pk)
        services.task_feedback(
            actor=request.user,
            task_id=task.pk,
            outcomes={row["measure"]: (row["outcome"], row["reason"]) for row in data["outcomes"]},
        )
        return Response(s.MeasureTaskSerializer(self._visible(task.pk)).data)

    @extend_schema(
        summary="Confirm the measures of a removed listing are lifted (the implementing "
        "department)",
        request=None,
        responses={200: s.MeasureTaskSerializer, **error_responses(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def lift(self, request: Request, pk: str) -> Response:
        _regulator(request)
        task = self._visible(pk)
        services.task_lift(actor=request.user, task_id=task.pk)
        return Response(s.MeasureTaskSerializer(self._visible(task.pk)).data)


@extend_schema(tags=["discipline"])
class TaskStatisticsViewSet(viewsets.GenericViewSet):
    """Per implementing department: tasks, fed back, open past their date and fed back late
    (public, 35/14). ``initiated=true``: only the tasks the caller's department set."""

    serializer_class = s.TaskStatisticsSerializer
    queryset = MeasureTask.objects.none()  # rows come from selectors.task_statistics

    @extend_schema(
        parameters=[s.StatisticsParamsSerializer],
        responses={200: s.TaskStatisticsSerializer(many=True), **error_responses(400, 401, 403)},
    )
    def list(self, request: Request) -> Response:
        params = s.StatisticsParamsSerializer(data=request.query_params)
        if not params.is_valid():
            raise invalid(params.errors)
        initiated = params.validated_data["initiated"]
        initiating = _regulator(request).department if initiated else None
        rows = selectors.task_statistics(initiating=initiating)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.TaskStatisticsSerializer(page, many=True).data)


# --- rectification and interviews -------------------------------------------------------------
_NO_ORDER = gettext_lazy("整改通知不存在。/ No such rectification order.")
_NO_INTERVIEW = gettext_lazy("约谈不存在。/ No such interview.")


@extend_schema(tags=["discipline"])
class RectificationViewSet(viewsets.GenericViewSet):
    """The rectification orders a department made (35/11), with their interviews; a missed
    deadline gives it a reminder interview to hold, a missed second one a warning interview.
    An entity user reads the orders addressed to its entity."""

    serializer_class = s.RectificationSerializer
    filter_backends = [FilterBackend]
    filterset_class = RectificationFilterSet

    def get_queryset(self):
        return (
            selectors.rectifications_for(viewer_for(self.request.user))
            .prefetch_related("interviews")
            .order_by("deadline", "id")
        )

    def _visible(self, pk: Any):
        return visible_or_404(
            self.get_queryset(), pk, NotFound(_NO_ORDER, code="rectification_not_found")
        )

    @extend_schema(
        responses={200: s.RectificationSerializer(many=True), **error_responses(400, 401)}
    )
    def list(self, request: Request) -> Response:
        # A department reads its own orders, an entity user those addressed to its entity.
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        return _page(self, self.get_queryset(), s.RectificationSerializer)

    @extend_schema(responses={200: s.RectificationSerializer, **error_responses(401, 404)})
    def retrieve(self, request: Request, pk: str) -> Response:
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        return Response(s.RectificationSerializer(self._visible(pk)).data)

    @extend_schema(
        summary="Order rectification by a deadline (the ordering department holds the "
        "interviews if it is missed)",
        request=s.RectificationOrderInputSerializer,
        responses={201: s.RectificationSerializer, **error_responses(400, 401, 403, 404)},
    )
    def create(self, request: Request) -> Response:
        _regulator(request)
        data = validated(s.RectificationOrderInputSerializer, request)
        order = services.rectification_order(
            actor=request.user,
            uscc=data["uscc"],
            requirement=data["requirement"],
            deadline=data["deadline"],
            listing_id=data["listing"],
        )
        return Response(
            s.RectificationSerializer(self._visible(order.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Record that the entity rectified (interviews not yet held are cancelled)",
        request=s.RectificationCompleteInputSerializer,
        responses={200: s.RectificationSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        _regulator(request)
        data = validated(s.RectificationCompleteInputSerializer, request)
        order = self._visible(pk)
        services.rectification_complete(
            actor=request.user, rectification_id=order.pk, note=data["note"]
        )
        return Response(s.RectificationSerializer(self._visible(order.pk)).data)


@extend_schema(tags=["discipline"])
class InterviewViewSet(viewsets.GenericViewSet):
    """The interviews a department holds ("who recognises, interviews", 35/11); the record of
    one held enters the entity's credit record."""

    serializer_class = s.InterviewSerializer
    filter_backends = [FilterBackend]
    filterset_class = InterviewFilterSet

    def get_queryset(self):
        return selectors.interviews_for(viewer_for(self.request.user)).order_by("due_by", "id")

    def _visible(self, pk: Any):
        return visible_or_404(
            self.get_queryset(), pk, NotFound(_NO_INTERVIEW, code="interview_not_found")
        )

    @extend_schema(
        responses={200: s.InterviewSerializer(many=True), **error_responses(400, 401, 403)}
    )
    def list(self, request: Request) -> Response:
        _regulator(request)
        return _page(self, self.get_queryset(), s.InterviewSerializer)

    @extend_schema(responses={200: s.InterviewSerializer, **error_responses(401, 403, 404)})
    def retrieve(self, request: Request, pk: str) -> Response:
        _regulator(request)
        return Response(s.InterviewSerializer(self._visible(pk)).data)

    @extend_schema(
        summary="Record the interview held (a reminder interview sets the new deadline)",
        request=s.InterviewHoldInputSerializer,
        responses={200: s.InterviewSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def hold(self, request: Request, pk: str) -> Response:
        _regulator(request)
        data = validated(s.InterviewHoldInputSerializer, request)
        interview = self._visible(pk)
        services.interview_hold(actor=request.user, interview_id=interview.pk, **data)
        return Response(s.InterviewSerializer(self._visible(interview.pk)).data)


# --- access bans and personal liability -------------------------------------------------------
_NO_BAN = gettext_lazy("禁入记录不存在。/ No such ban.")
_NO_WARNING = gettext_lazy("预警不存在。/ No such warning.")


@extend_schema(tags=["discipline"])
class AccessBanViewSet(viewsets.GenericViewSet):
    """Market and industry access bans (35/10). Anyone sees those in force, with the persons
    they bind (masked); a department also its own, lifted or not yet begun, and imposes and
    lifts them."""

    serializer_class = s.AccessBanSerializer
    filter_backends = [FilterBackend]
    filterset_class = AccessBanFilterSet
    permission_classes = [IsAuthenticatedOrReadOnly]

    def get_queryset(self):
        return selectors.bans_for(viewer_for(self.request.user)).order_by("-starts", "-id")

    def _visible(self, pk: Any):
        return visible_or_404(self.get_queryset(), pk, NotFound(_NO_BAN, code="ban_not_found"))

    @extend_schema(responses={200: s.AccessBanSerializer(many=True), **error_responses(400)})
    def list(self, request: Request) -> Response:
        return _page(self, self.get_queryset(), s.AccessBanSerializer)

    @extend_schema(responses={200: s.AccessBanSerializer, **error_responses(404)})
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(s.AccessBanSerializer(self._visible(pk)).data)

    @extend_schema(
        summary="Impose a ban in a key field, time-limited or lifelong; it binds the entity's "
        "current legal representative, principal and actual controller",
        request=s.AccessBanInputSerializer,
        responses={201: s.AccessBanSerializer, **error_responses(400, 401, 403, 404)},
    )
    def create(self, request: Request) -> Response:
        data = validated(s.AccessBanInputSerializer, request)
        ban = services.access_ban_impose(
            actor=request.user,
            uscc=data["uscc"],
            field=data["field"],
            starts=data["starts"],
            ends=data["ends"],
            reason=data["reason"],
            legal_basis=data["legal_basis"],
            listing_id=data["listing"],
        )
        return Response(
            s.AccessBanSerializer(self._visible(ban.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Lift a ban (the deciding department)",
        request=s.ReasonInputSerializer,
        responses={200: s.AccessBanSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def lift(self, request: Request, pk: str) -> Response:
        data = validated(s.ReasonInputSerializer, request)
        ban = self._visible(pk)
        services.access_ban_lift(actor=request.user, ban_id=ban.pk, reason=data["reason"])
        return Response(s.AccessBanSerializer(self._visible(ban.pk)).data)


@extend_schema(tags=["discipline"])
class LiabilityWarningViewSet(viewsets.GenericViewSet):
    """Appointment warnings (33/13): a banned or marked person recorded in a role of an entity
    the caller's department registers. Departments only."""

    serializer_class = s.LiabilityWarningSerializer
    filter_backends = [FilterBackend]
    filterset_class = LiabilityWarningFilterSet

    def get_queryset(self):
        return (
            selectors.warnings_for(viewer_for(self.request.user), open_only=False)
            .select_related("role")
            .order_by("-created_at", "-id")
        )

    def _visible(self, pk: Any):
        return visible_or_404(
            self.get_queryset(), pk, NotFound(_NO_WARNING, code="warning_not_found")
        )

    @extend_schema(
        responses={200: s.LiabilityWarningSerializer(many=True), **error_responses(400, 401, 403)}
    )
    def list(self, request: Request) -> Response:
        _regulator(request)
        return _page(self, self.get_queryset(), s.LiabilityWarningSerializer)

    @extend_schema(responses={200: s.LiabilityWarningSerializer, **error_responses(401, 403, 404)})
    def retrieve(self, request: Request, pk: str) -> Response:
        _regulator(request)
        return Response(s.LiabilityWarningSerializer(self._visible(pk)).data)

    @extend_schema(
        summary="Record how the warning was handled",
        request=s.NoteInputSerializer,
        responses={200: s.LiabilityWarningSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str) -> Response:
        _regulator(request)
        data = validated(s.NoteInputSerializer, request)
        warning = self._visible(pk)
        services.liability_warning_resolve(
            actor=request.user, warning_id=warning.pk, note=data["note"]
        )
        return Response(s.LiabilityWarningSerializer(self._visible(warning.pk)).data)


_NO_NOTICE = gettext_lazy("通报不存在。/ No such notice.")


@extend_schema(tags=["discipline"])
class AuthorityNoticeViewSet(viewsets.GenericViewSet):
    """Notices to the caller's department of a listed state organ, public institution or
    state-owned enterprise it oversees, or audits (33/13). Departments only."""

    serializer_class = s.AuthorityNoticeSerializer

    def get_queryset(self):
        return selectors.notices_for(viewer_for(self.request.user)).order_by("-created_at", "-id")

    @extend_schema(
        responses={200: s.AuthorityNoticeSerializer(many=True), **error_responses(401, 403)}
    )
    def list(self, request: Request) -> Response:
        _regulator(request)
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.AuthorityNoticeSerializer(page, many=True).data)

    @extend_schema(
        summary="Note that the notice was read (its recipient department)",
        request=None,
        responses={200: s.AuthorityNoticeSerializer, **error_responses(401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        _regulator(request)
        notice = visible_or_404(
            self.get_queryset(), pk, NotFound(_NO_NOTICE, code="notice_not_found")
        )
        services.authority_notice_read(actor=request.user, notice_id=notice.pk)
        return Response(s.AuthorityNoticeSerializer(self.get_queryset().get(pk=notice.pk)).data)


# --- "may receive" (33/18) --------------------------------------------------------------------
@extend_schema(tags=["discipline"])
class MayReceiveViewSet(viewsets.GenericViewSet):
    """May this entity (or person) receive what the measure governs? One answer for the
    department about to grant it, with the listings, bans and marks behind it. Departments
    and API clients only; every answer is access-logged with its purpose. A POST, so that ID
    numbers never travel in a URL."""

    serializer_class = s.MayReceiveSerializer

    @extend_schema(
        summary="Check an entity (USCC) or a person (ID number) against a measure",
        request=s.MayReceiveInputSerializer,
        responses={200: s.MayReceiveSerializer, **error_responses(400, 401, 403, 404)},
    )
    def create(self, request: Request) -> Response:
        viewer = _regulator(request)
        data = validated(s.MayReceiveInputSerializer, request)
        answer = selectors.may_receive(
            viewer,
            measure_code=data["measure"],
            uscc=data["uscc"],
            id_number=data["id_number"],
            purpose=data["purpose"],
        )
        return Response(s.MayReceiveSerializer(answer).data)
