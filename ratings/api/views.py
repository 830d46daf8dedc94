"""API v1: evaluation models and supervision tiers (public), an entity's rating (the entity
and regulators; the grade alone to others where configuration makes grades public), rating
runs and their grade changes for subscribers (departments, banks and associations hold API
tokens), as JSON pages or one CSV export."""

from __future__ import annotations

import csv

from django.http import StreamingHttpResponse
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from credit_portal.api import error_responses, validated, visible_or_404
from credit_portal.errors import NotFound, PermissionDenied
from registry import selectors as registry_selectors
from registry.roles import Role, viewer_for

from .. import selectors, services
from . import serializers as s


def _regulator(request: Request):
    viewer = viewer_for(request.user)
    if not request.user.is_authenticated:
        raise NotAuthenticated()
    if not (viewer.is_regulator or viewer.role == Role.PLATFORM_ADMIN):
        raise PermissionDenied(
            gettext_lazy("只有部门和数据共享用户可以查看。/ For departments and data users only.")
        )
    return viewer


@extend_schema(tags=["ratings"])
class EvaluationModelViewSet(viewsets.ReadOnlyModelViewSet):
    """Published evaluation models, every version, with their indicators (public: how the
    evaluation is made is itself published)."""

    serializer_class = s.EvaluationModelSerializer

    def get_queryset(self):
        return selectors.published_models()


@extend_schema(tags=["ratings"])
class TierViewSet(viewsets.ReadOnlyModelViewSet):
    """Supervision tiers: each grade's spot-check ratio (public, 35/7)."""

    serializer_class = s.TierSerializer
    pagination_class = None
    lookup_field = "grade"

    def get_queryset(self):
        return selectors.tiers()


@extend_schema(tags=["ratings"])
class RatingViewSet(viewsets.ViewSet):
    """An entity's latest rating. The entity itself and regulators get the score, the model
    version and the points per indicator (the read is logged); anyone else gets the grade
    only, and only where configuration makes grades public."""

    lookup_field = "uscc"
    lookup_value_regex = "[^/]+"

    @extend_schema(responses={200: s.RatingSerializer, **error_responses(400, 403, 404)})
    def retrieve(self, request: Request, uscc: str) -> Response:
        viewer = viewer_for(request.user)
        entity = registry_selectors.entity_get(uscc)
        full = selectors.may_see_rating(viewer, entity)
        if not full and not selectors.grade_is_public():
            raise PermissionDenied(
                gettext_lazy("信用等级不向社会公开。/ Grades are not published.")
            )
        rating = (
            selectors.rating_read(viewer, entity, purpose="api")
            if full
            else selectors.latest_rating(entity)
        )
        if rating is None:
            raise NotFound(
                gettext_lazy("该主体尚未评价。/ The entity has not been rated yet."),
                code="rating_not_found",
            )
        data = {
            "uscc": entity.uscc,
            "run": rating.run_id,
            "rated_at": rating.run.as_at,
            "grade": rating.grade,
        }
        if full:
            explained = selectors.explain(rating)
            data.update(
                score=rating.score,
                model=rating.model_id,
                model_version=rating.model.version,
                explanation=[
                    {"code": ind.code, "name": ind.name, "count": n, "points": points}
                    for ind, n, points in explained.lines
                ],
            )
        return Response(s.RatingSerializer(data).data)


_NO_RUN = gettext_lazy("评价批次不存在。/ No such rating run.")


@extend_schema(tags=["ratings"])
class RatingRunViewSet(viewsets.GenericViewSet):
    """Rating runs with their progress, and the grades each changed (departments and data
    users). Subscribers poll the newest finished run and read its changes."""

    serializer_class = s.RatingRunSerializer

    def get_queryset(self):
        return selectors.runs()

    @extend_schema(responses={200: s.RatingRunSerializer(many=True), **error_responses(401, 403)})
    def list(self, request: Request) -> Response:
        _regulator(request)
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.RatingRunSerializer(page, many=True).data)

    @extend_schema(responses={200: s.RatingRunSerializer, **error_responses(401, 403, 404)})
    def retrieve(self, request: Request, pk: str) -> Response:
        _regulator(request)
        run = visible_or_404(self.get_queryset(), pk, NotFound(_NO_RUN, code="run_not_found"))
        return Response(s.RatingRunSerializer(run).data)

    @extend_schema(
        summary="The grades a run changed",
        responses={200: s.GradeChangeSerializer(many=True), **error_responses(401, 403, 404)},
    )
    @action(detail=True, methods=["get"])
    def changes(self, request: Request, pk: str) -> Response:
        _regulator(request)
        run = visible_or_404(self.get_queryset(), pk, NotFound(_NO_RUN, code="run_not_found"))
        page = self.paginate_queryset(selectors.grade_changes(run))
        return self.get_paginated_response(s.GradeChangeSerializer(page, many=True).data)

    @extend_schema(
        summary="The grades a run changed, as one CSV file",
        responses={200: OpenApiResponse(OpenApiTypes.STR, description="text/csv")},
    )
    @action(detail=True, methods=["get"])
    def export(self, request: Request, pk: str) -> StreamingHttpResponse:
        viewer = _regulator(request)
        run = visible_or_404(self.get_queryset(), pk, NotFound(_NO_RUN, code="run_not_found"))
        rows = selectors.grade_changes_export(viewer, run)

        class Echo:
            def write(self, value: str) -> str:
                return value

        writer = csv.writer(Echo())
        lines = (
            writer.writerow(row)
            for row in [("uscc", "previous_grade", "grade", "score", "run"), *rows]
        )
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="grade-changes-{run.pk}.csv"'
        return response


_NO_PLAN = gettext_lazy("抽查计划不存在。/ No such plan.")
_NO_CHECK = gettext_lazy("抽查任务不存在。/ No such check.")


@extend_schema(tags=["spot checks"])
class SpotCheckPlanViewSet(viewsets.GenericViewSet):
    """A department's double-random plans (35/7): create, draw (once), replay the draw."""

    serializer_class = s.SpotCheckPlanSerializer

    def get_queryset(self):
        return selectors.plans_visible(viewer_for(self.request.user))

    def _visible(self, pk):
        return visible_or_404(self.get_queryset(), pk, NotFound(_NO_PLAN, code="plan_not_found"))

    @extend_schema(
        responses={200: s.SpotCheckPlanSerializer(many=True), **error_responses(401, 403)}
    )
    def list(self, request: Request) -> Response:
        _regulator(request)
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.SpotCheckPlanSerializer(page, many=True).data)

    @extend_schema(responses={200: s.SpotCheckPlanSerializer, **error_responses(401, 403, 404)})
    def retrieve(self, request: Request, pk: str) -> Response:
        _regulator(request)
        return Response(s.SpotCheckPlanSerializer(self._visible(pk)).data)

    @extend_schema(
        request=s.SpotCheckPlanInputSerializer,
        responses={201: s.SpotCheckPlanSerializer, **error_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        _regulator(request)
        data = validated(s.SpotCheckPlanInputSerializer, request)
        plan = services.plan_create(
            actor=request.user,
            title=data["title"],
            items=data["items"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            inspector_ids=data["inspectors"],
            region_prefix=data["region_prefix"],
            industry_prefix=data["industry_prefix"],
            per_check=data["per_check"],
            conflict_days=data["conflict_days"],
        )
        return Response(s.SpotCheckPlanSerializer(plan).data, status=201)

    @extend_schema(
        summary="Draw targets and inspectors (once; the seed is stored)",
        request=None,
        responses={200: s.SpotCheckPlanSerializer, **error_responses(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def draw(self, request: Request, pk: str) -> Response:
        _regulator(request)
        plan = services.plan_draw(actor=request.user, plan_id=self._visible(pk).pk)
        return Response(s.SpotCheckPlanSerializer(plan).data)

    @extend_schema(
        summary="The drawn checks, and whether replaying the seed gives the same draw",
        responses={200: OpenApiTypes.OBJECT, **error_responses(401, 403, 404)},
    )
    @action(detail=True, methods=["get"])
    def checks(self, request: Request, pk: str) -> Response:
        _regulator(request)
        plan = self._visible(pk)
        checks = list(selectors.plan_checks(plan))
        return Response(
            {
                "seed": plan.seed,
                "replay_matches": selectors.draw_replay_matches(plan, checks),
                "checks": s.SpotCheckSerializer(checks, many=True).data,
            }
        )


@extend_schema(tags=["spot checks"])
class SpotCheckViewSet(viewsets.GenericViewSet):
    """Checks assigned to the signed-in inspector (or of the caller's department's plans);
    the inspector records the result, which is published as an inspection decision."""

    serializer_class = s.SpotCheckSerializer

    def get_queryset(self):
        return selectors.checks_visible(viewer_for(self.request.user))

    @extend_schema(responses={200: s.SpotCheckSerializer(many=True), **error_responses(401, 403)})
    def list(self, request: Request) -> Response:
        _regulator(request)
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.SpotCheckSerializer(page, many=True).data)

    @extend_schema(
        request=s.SpotCheckResultInputSerializer,
        responses={200: s.SpotCheckSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def result(self, request: Request, pk: str) -> Response:
        _regulator(request)
        data = validated(s.SpotCheckResultInputSerializer, request)
        check = visible_or_404(self.get_queryset(), pk, NotFound(_NO_CHECK, code="check_not_found"))
        check = services.check_result_record(
            actor=request.user, check_id=check.pk, result=data["result"], note=data["note"]
        )
        return Response(s.SpotCheckSerializer(check).data)
