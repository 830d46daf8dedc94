"""Reads of the restoration app, with who may see what: the applicant entity sees its own
applications; the handling department's officials and API clients see theirs; platform
administrators see all; the public sees statistics only."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from credit_portal.api import visible_or_404
from credit_portal.errors import NotFound
from registry.labels import department_label
from registry.models import Department, MarketEntity
from registry.roles import Role, Viewer

from . import eligibility
from .models import RestorationApplication, RestorationEscalation, RestorationEvidence

S = RestorationApplication.Status


def candidates_for(viewer: Viewer, entity: MarketEntity, *, today: datetime.date | None = None):
    """What the signed-in entity may ask to restore, each with its eligibility today."""
    if viewer.role != Role.ENTITY_USER or viewer.entity_uscc != entity.uscc:
        return []
    return eligibility.candidates(entity, today=today)


def applications_for(viewer: Viewer, *, status: str = "", q: str = "") -> QuerySet:
    """The applications this viewer may see (see the module's docstring)."""
    qs = RestorationApplication.objects.select_related("entity", "department").prefetch_related(
        "escalations"
    )
    if viewer.role == Role.PLATFORM_ADMIN:
        pass
    elif viewer.is_regulator:
        qs = qs.filter(department=viewer.department)
    elif viewer.role == Role.ENTITY_USER:
        qs = qs.filter(entity_id=viewer.entity_uscc)
    else:
        return RestorationApplication.objects.none()
    if status == "open":
        qs = qs.filter(status__in=RestorationApplication.OPEN)
    elif status == "done":
        qs = qs.filter(status__in=RestorationApplication.DONE)
    elif status in S.values:
        qs = qs.filter(status=status)
    q = (q or "").strip()
    if q:
        qs = qs.filter(
            Q(number__iexact=q) | Q(entity__uscc=q.upper()) | Q(entity__name__icontains=q)
        )
    return qs.order_by(F("decide_due").asc(nulls_first=True), "accept_due", "submitted_at", "id")


def application_get(viewer: Viewer, application_id) -> RestorationApplication:
    return visible_or_404(
        applications_for(viewer),
        application_id,
        NotFound(
            _("信用修复申请不存在。/ No such restoration application."),
            code="application_not_found",
        ),
    )


def application_by_number(viewer: Viewer, number: str) -> RestorationApplication:
    found = applications_for(viewer).filter(number=(number or "").strip().upper()).first()
    if found is None:
        raise NotFound(
            _("信用修复申请不存在。/ No such restoration application."),
            code="application_not_found",
        )
    return found


def evidence_get(viewer: Viewer, evidence_id) -> RestorationEvidence:
    """A file of an application the viewer may see (entity: its own; officials: theirs)."""
    return visible_or_404(
        RestorationEvidence.objects.filter(application__in=applications_for(viewer)),
        evidence_id,
        NotFound(_("附件不存在。/ No such file."), code="evidence_not_found"),
    )


def escalations_for(viewer: Viewer) -> QuerySet[RestorationEscalation]:
    """Escalations a department head and the platform administrators are told of."""
    qs = RestorationEscalation.objects.select_related("application", "application__department")
    if viewer.role == Role.PLATFORM_ADMIN:
        return qs
    if viewer.role == Role.DEPARTMENT_HEAD:
        return qs.filter(application__department=viewer.department)
    return RestorationEscalation.objects.none()


@dataclass
class StatisticsRow:
    label: str
    applications: int
    decided: int
    approved: int
    open: int
    median_days: float | None

    @property
    def approval_rate(self) -> float | None:
        return round(100 * self.approved / self.decided, 1) if self.decided else None


def restoration_statistics() -> list[StatisticsRow]:
    """By department: applications, decided (refused, restored, not restored), restored,
    still open, and the median days from submission to decision. One query."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT department_id, count(*),
                   count(*) FILTER (WHERE status IN ('refused', 'approved', 'rejected')),
                   count(*) FILTER (WHERE status = 'approved'),
                   count(*) FILTER (WHERE status IN ('submitted', 'accepted', 'proposed')),
                   percentile_cont(0.5) WITHIN GROUP (
                       ORDER BY extract(epoch FROM decided_at - submitted_at) / 86400
                   ) FILTER (WHERE decided_at IS NOT NULL)
            FROM restoration_restorationapplication
            GROUP BY department_id ORDER BY 2 DESC, 1
            """
        )
        rows = cursor.fetchall()
    names = {d.pk: department_label(d) for d in Department.objects.filter(
        pk__in=[r[0] for r in rows]
    )}  # fmt: skip
    return [
        StatisticsRow(
            label=names.get(dept, str(dept)),
            applications=total,
            decided=decided,
            approved=approved,
            open=open_,
            median_days=round(median, 1) if median is not None else None,
        )
        for dept, total, decided, approved, open_, median in rows
    ]
