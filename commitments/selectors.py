"""Reads of the commitments app with rules: what the public sees, and what the apps above
(discipline: breaches; ratings: how commitments were kept) read."""

from __future__ import annotations

import datetime

from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from credit_portal.errors import PermissionDenied
from registry.models import MarketEntity
from registry.roles import Role, Viewer

from .models import (
    Commitment,
    CommitmentTemplate,
    EducationAttendance,
    EducationSession,
    LicensingItem,
    VoluntaryDisclosure,
)


def public_commitments(entity: MarketEntity) -> QuerySet[Commitment]:
    """An entity's voluntary public commitments, newest first (its public page)."""
    return (
        Commitment.objects.filter(entity=entity, public=True)
        .select_related("template", "department")
        .order_by("-made_at", "-id")
    )


def published_templates() -> QuerySet[CommitmentTemplate]:
    """Every published version of every template (the public site lists them, 35/1)."""
    return (
        CommitmentTemplate.objects.filter(published_at__isnull=False)
        .select_related("item")
        .order_by("kind", "item__code", "-version")
    )


def breaches(*, since: datetime.datetime | None = None) -> QuerySet[Commitment]:
    """Breached commitments with their credit record, oldest first: for discipline, which
    may start from a breach (35/1)."""
    qs = Commitment.objects.filter(status=Commitment.Status.BREACHED).select_related(
        "entity", "department", "breach_record"
    )
    if since is not None:
        qs = qs.filter(breached_at__gte=since)
    return qs.order_by("breached_at", "id")


def fulfilment_history(entity: MarketEntity) -> QuerySet[Commitment]:
    """How the entity's commitments were kept, newest first: for ratings (35/6)."""
    return Commitment.objects.filter(entity=entity).order_by("-made_at", "-id")


def verified_disclosures(entity: MarketEntity) -> QuerySet[VoluntaryDisclosure]:
    """What an entity registered itself and a department verified: the only voluntary
    information shown publicly or counted in evaluation and reports (35/5)."""
    return VoluntaryDisclosure.objects.filter(
        entity=entity, status=VoluntaryDisclosure.Status.VERIFIED
    ).order_by("-decided_at", "-id")


def commitments_visible(viewer: Viewer) -> QuerySet[Commitment]:
    """Commitments this viewer may see: public (voluntary) ones for everyone; a department
    also every one made to it; an entity user also its own entity's; the platform all."""
    qs = Commitment.objects.select_related("template", "department", "item")
    if viewer.role == Role.PLATFORM_ADMIN:
        return qs
    public = Q(public=True)
    if viewer.is_regulator:
        return qs.filter(public | Q(department=viewer.department))
    if viewer.role == Role.ENTITY_USER:
        return qs.filter(public | Q(entity_id=viewer.entity_uscc))
    return qs.filter(public)


# --- the department's workbench queues -------------------------------------------------------
QUEUES = ("materials", "record", "breached")
BREACH_NEW_DAYS = 7  # the home page counts breaches found in the last week


def department_queue(viewer: Viewer, queue: str) -> QuerySet[Commitment]:
    """A department's commitments to act on: ``materials``, those with materials still to be
    supplied (soonest deadline first); ``record``, those in force with nothing outstanding,
    whose fulfilment is to be recorded; ``breached``, breaches (newest first), which is how
    the department learns of a breach the nightly job found."""
    if not viewer.is_regulator:
        return Commitment.objects.none()
    qs = Commitment.objects.filter(department=viewer.department).select_related("entity")
    open_status = (Commitment.Status.IN_FORCE, Commitment.Status.PARTIAL)
    outstanding = Q(materials__supplied_at__isnull=True)
    if queue == "materials":
        return (
            qs.filter(status__in=open_status)
            .annotate(next_deadline=Min("materials__deadline", filter=outstanding))
            .filter(next_deadline__isnull=False)
            .order_by("next_deadline", "id")
        )
    if queue == "record":
        return (
            qs.filter(status__in=open_status)
            .annotate(outstanding=Count("materials", filter=outstanding))
            .filter(outstanding=0)
            .order_by("made_at", "id")
        )
    return qs.filter(status=Commitment.Status.BREACHED).order_by("-breached_at", "-id")


def department_registrations(viewer: Viewer) -> QuerySet[VoluntaryDisclosure]:
    """Voluntary registrations waiting for the viewer's department to verify, oldest first."""
    if not viewer.is_regulator:
        return VoluntaryDisclosure.objects.none()
    return (
        VoluntaryDisclosure.objects.filter(
            department=viewer.department, status=VoluntaryDisclosure.Status.PENDING
        )
        .select_related("entity")
        .order_by("submitted_at", "id")
    )


def disclosures_visible(viewer: Viewer) -> QuerySet[VoluntaryDisclosure]:
    """Voluntary registrations this viewer may see: verified ones for everyone; the
    department they were registered with, and the entity itself, every one of theirs."""
    qs = VoluntaryDisclosure.objects.select_related("department")
    if viewer.role == Role.PLATFORM_ADMIN:
        return qs
    verified = Q(status=VoluntaryDisclosure.Status.VERIFIED)
    if viewer.is_regulator:
        return qs.filter(verified | Q(department=viewer.department))
    if viewer.role == Role.ENTITY_USER:
        return qs.filter(verified | Q(entity_id=viewer.entity_uscc))
    return qs.filter(verified)


def licensing_items_public() -> QuerySet[LicensingItem]:
    """The catalogue of licensing items and whether commitment applies (public, 35/1)."""
    return LicensingItem.objects.filter(active=True).select_related("department").order_by("code")


def entity_disclosures(viewer: Viewer) -> QuerySet[VoluntaryDisclosure]:
    """Everything the signed-in entity registered, whatever its status, newest first (so it
    sees what is pending and why one was rejected)."""
    if viewer.role != Role.ENTITY_USER or not viewer.entity_uscc:
        return VoluntaryDisclosure.objects.none()
    return (
        VoluntaryDisclosure.objects.filter(entity_id=viewer.entity_uscc)
        .select_related("department")
        .order_by("-submitted_at", "-id")
    )


# --- integrity education (35/2) --------------------------------------------------------------
def education_sessions_public(
    *, since: datetime.datetime | None = None
) -> QuerySet[EducationSession]:
    """Sessions on offer to anyone, free: those starting from ``since`` (all when None),
    soonest first. Attendance is not public."""
    qs = EducationSession.objects.select_related("department")
    if since is not None:
        qs = qs.filter(starts_at__gte=since)
    return qs.order_by("starts_at", "id")


def department_education_sessions(viewer: Viewer) -> QuerySet[EducationSession]:
    """The sessions the viewer's department holds, newest first, with their attendance."""
    if not viewer.is_regulator:
        return EducationSession.objects.none()
    return (
        EducationSession.objects.filter(department=viewer.department)
        .annotate(attendance_count=Count("attendances"))
        .order_by("-starts_at", "-id")
    )


def session_attendances(session: EducationSession) -> QuerySet[EducationAttendance]:
    return (
        EducationAttendance.objects.filter(session=session)
        .select_related("entity")
        .order_by("-recorded_at", "-id")
    )


def session_attendances_for(
    viewer: Viewer, session: EducationSession
) -> QuerySet[EducationAttendance]:
    """Who attended, for the holding department (and the platform) only: attendance is not
    public, and no other department needs it (nothing may depend on it, 35/2)."""
    holder = viewer.is_regulator and viewer.department.pk == session.department_id
    if not holder and viewer.role != Role.PLATFORM_ADMIN:
        raise PermissionDenied(
            _("参加记录只对举办部门开放。/ Only the holding department sees who attended.")
        )
    return session_attendances(session)


def entity_education(entity: MarketEntity) -> QuerySet[EducationAttendance]:
    """The sessions an entity attended (for ratings and restoration, which may credit it; never
    a condition of anything)."""
    return (
        EducationAttendance.objects.filter(entity=entity)
        .select_related("session")
        .order_by("-session__starts_at", "-id")
    )


def department_task_counts(viewer: Viewer) -> dict[str, int]:
    """How many commitments wait for the department in each queue, and registrations to
    verify (the workbench home shows them, so a breach found overnight is seen)."""
    if not viewer.is_regulator:
        return {}
    counts = {name: department_queue(viewer, name).count() for name in ("materials", "record")}
    counts["breached_new"] = Commitment.objects.filter(
        department=viewer.department,
        status=Commitment.Status.BREACHED,
        breached_at__gte=timezone.now() - datetime.timedelta(days=BREACH_NEW_DAYS),
    ).count()
    counts["registrations"] = department_registrations(viewer).count()
    return counts


# --- set-based reads for the nightly rating (ratings, 35/6) ----------------------------------
def fulfilment_counts_sql(entity_filter: str) -> str:
    """SQL: per entity, how many commitments made by ``%(as_at)s`` were fulfilled, partly kept
    and breached (``entity_filter`` is a condition on ``c.entity_id``)."""
    return f"""
        SELECT c.entity_id,
               count(*) FILTER (WHERE c.status = 'fulfilled') AS fulfilled,
               count(*) FILTER (WHERE c.status = 'partial') AS partial,
               count(*) FILTER (WHERE c.status = 'breached') AS breached
        FROM commitments_commitment c
        WHERE ({entity_filter}) AND c.made_at <= %(as_at)s
        GROUP BY c.entity_id
    """


def verified_disclosure_counts_sql(entity_filter: str) -> str:
    """SQL: per entity, how many voluntary registrations were verified by ``%(as_at)s`` (only
    verified information counts in evaluation, 35/5; ``entity_filter`` is on ``d.entity_id``)."""
    return f"""
        SELECT d.entity_id, count(*) AS verified
        FROM commitments_voluntarydisclosure d
        WHERE ({entity_filter}) AND d.status = 'verified' AND d.decided_at <= %(as_at)s
        GROUP BY d.entity_id
    """
