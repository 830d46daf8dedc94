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

from credit_portal.errors import NotFound, PermissionDenied
from registry import selectors as registry_selectors
from registry.api.views import _errors, visible_or_404
from registry.roles import Role, viewer_for

from .. import selectors
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

    @extend_schema(responses={200: s.RatingSerializer, **_errors(400, 403, 404)})
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

    @extend_schema(responses={200: s.RatingRunSerializer(many=True), **_errors(401, 403)})
    def list(self, request: Request) -> Response:
        _regulator(request)
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.RatingRunSerializer(page, many=True).data)

    @extend_schema(responses={200: s.RatingRunSerializer, **_errors(401, 403, 404)})
    def retrieve(self, request: Request, pk: str) -> Response:
        _regulator(request)
        run = visible_or_404(self.get_queryset(), pk, NotFound(_NO_RUN, code="run_not_found"))
        return Response(s.RatingRunSerializer(run).data)

    @extend_schema(
        summary="The grades a run changed",
        responses={200: s.GradeChangeSerializer(many=True), **_errors(401, 403, 404)},
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
