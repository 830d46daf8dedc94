"""Public statistics API: publication timeliness per department and kind (2019 No. 35,
art. 15). Anyone may read it; it carries figures only, never a decision's details."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from credit_portal.api import ErrorSerializer
from credit_portal.errors import DomainError
from disclosure import caching, selectors
from registry.models import Department

from . import serializers as s


class TimelinessView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]

    @extend_schema(
        tags=["statistics"],
        summary="Publication timeliness per department and kind (public)",
        description=(
            "Decisions taken in the year, counted once published or past their publicity due "
            "date: on time (published on or before `publicity_due`), late, or overdue "
            "(unpublished and past due). The median delay is in calendar days from the "
            "decision date to publication, or to `as_of` for overdue decisions."
        ),
        parameters=[s.TimelinessQuerySerializer],
        responses={
            200: s.TimelinessReportSerializer,
            400: OpenApiResponse(ErrorSerializer, description="bad year or department"),
        },
    )
    def get(self, request: Request) -> Response:
        query = s.TimelinessQuerySerializer(data=request.query_params)
        if not query.is_valid():
            field, errors = next(iter(query.errors.items()))
            raise DomainError(str(errors[0]), code=errors[0].code, field=field)
        today = timezone.localdate()
        year = query.validated_data.get("year", today.year)
        if year > today.year:
            raise DomainError(
                _("年份不能晚于今年。/ The year cannot be in the future."), field="year"
            )
        code = query.validated_data.get("department", "")
        department = None
        if code:
            department = Department.objects.filter(code=code).first()
            if department is None:
                raise DomainError(
                    _("没有这个部门。/ No such department."),
                    code="department_not_found",
                    field="department",
                )

        def build() -> dict:
            report = selectors.timeliness_public(year=year, department=department)
            return s.TimelinessReportSerializer(report).data

        data = caching.cached(("api-timeliness", year, code, today), build, caching.STATISTICS_TTL)
        return Response(data)
