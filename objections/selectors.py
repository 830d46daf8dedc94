"""Every read of the objections app with its rules: the filer sees their own case by tracking
number and code and nothing about others; the holder department's staff see its objections
and the filer's contact (logged); a tip-off's reporter is seen by its handler alone (logged);
the public sees which items are under objection and the statistics."""

from __future__ import annotations

import hmac
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
)
from django.utils.translation import gettext as _

from credit_portal.api import visible_or_404
from credit_portal.audit.services import access_log_record
from credit_portal.errors import NotFound, PermissionDenied
from credit_portal.tokens import token_hash
from registry.labels import department_label
from registry.models import Department
from registry.roles import Role, Viewer

from .models import Escalation, Evidence, Objection, ObjectionEffect, Target, TipOff
from .sealing import unseal


def _case_by_code(queryset, tracking_number: str, code: str):
    """The case with this number whose code matches; a wrong number and a wrong code get the
    same answer, and the comparison takes the same time either way."""
    number = (tracking_number or "").strip().upper()[:20]
    case = queryset.filter(tracking_number=number).first() if number else None
    given = token_hash((code or "").strip().upper())
    expected = case.code_hash if case is not None else token_hash("-")
    if case is None or not hmac.compare_digest(given, expected):
        raise NotFound(
            _("受理编号或查询码不正确。/ The tracking number or the code is wrong."),
            code="case_not_found",
        )
    return case


def objection_status(tracking_number: str, code: str) -> Objection:
    """The filer's view of their objection (status page)."""
    return _case_by_code(
        Objection.objects.select_related("entity", "department"), tracking_number, code
    )


def tipoff_status(tracking_number: str, code: str) -> TipOff:
    """The reporter's view of their tip-off (status page)."""
    return _case_by_code(
        TipOff.objects.select_related("entity", "department"), tracking_number, code
    )


# --- the workbench ----------------------------------------------------------------------------
def objections_for(viewer: Viewer, *, status: str = "", q: str = "") -> QuerySet[Objection]:
    """A department's objections (holder); the platform administrators see those to forward
    and every other one (they are told of escalations)."""
    qs = Objection.objects.select_related("entity", "department").prefetch_related("escalations")
    if viewer.role == Role.PLATFORM_ADMIN:
        pass
    elif viewer.is_regulator:
        qs = qs.filter(department=viewer.department)
    else:
        return Objection.objects.none()
    if status == "open":
        qs = qs.filter(status__in=Objection.OPEN)
    elif status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(tracking_number__iexact=q.strip()) | Q(entity__uscc=q.strip().upper()))
    return qs.order_by(F("decide_due").asc(nulls_first=True), "filed_at")


def objection_get(viewer: Viewer, objection_id) -> Objection:
    return visible_or_404(
        objections_for(viewer),
        objection_id,
        NotFound(_("异议不存在。/ No such objection."), code="objection_not_found"),
    )


@dataclass
class Party:
    name: str
    contact: str


def objection_filer(viewer: Viewer, objection: Objection) -> Party:
    """The filer's name and contact, for the holder department (to reach the filer); the read
    is logged."""
    # A person of the holder department: an API client (a machine) never reads the filer.
    holder = viewer.is_regulator and viewer.department.pk == objection.department_id
    if not holder or viewer.role == Role.API_CLIENT:
        raise PermissionDenied()
    data = unseal(objection.filer_sealed)
    access_log_record(
        actor=viewer.user,
        uscc=objection.entity_id,
        department_code=viewer.department_code,
        what=f"objection {objection.tracking_number}: filer",
        purpose="objection handling",
    )
    return Party(data.get("name", ""), data.get("contact", ""))


def tipoffs_for(viewer: Viewer, *, status: str = "") -> QuerySet[TipOff]:
    """A department's tip-offs; the platform administrators see those to forward. No API
    client sees tip-offs (the API never serves them)."""
    qs = TipOff.objects.select_related("entity", "department", "handler")
    if viewer.role == Role.PLATFORM_ADMIN:
        pass
    elif viewer.is_regulator and viewer.role != Role.API_CLIENT:
        qs = qs.filter(department=viewer.department)
    else:
        return TipOff.objects.none()
    if status == "open":
        qs = qs.filter(status__in=TipOff.OPEN)
    elif status:
        qs = qs.filter(status=status)
    return qs.order_by(F("due").asc(nulls_first=True), "filed_at")


def tipoff_get(viewer: Viewer, tipoff_id) -> TipOff:
    return visible_or_404(
        tipoffs_for(viewer),
        tipoff_id,
        NotFound(_("举报不存在。/ No such tip-off."), code="tipoff_not_found"),
    )


def may_see_reporter(viewer: Viewer, tipoff: TipOff) -> bool:
    """33/13: the staff member handling the tip-off, and nobody else."""
    return (
        viewer.role in (Role.DEPARTMENT_STAFF, Role.DEPARTMENT_HEAD)
        and tipoff.status in (TipOff.Status.HANDLING, TipOff.Status.CLOSED)
        and tipoff.handler_id is not None
        and tipoff.handler_id == getattr(viewer.user, "pk", None)
    )


def tipoff_reporter(viewer: Viewer, tipoff: TipOff) -> Party:
    """The reporter's identity, for the handler only; the read is logged."""
    if not may_see_reporter(viewer, tipoff):
        raise PermissionDenied(
            _("举报人信息仅承办人可见。/ Only the handler sees the reporter."),
            code="reporter_confidential",
        )
    data = unseal(tipoff.reporter_sealed)
    access_log_record(
        actor=viewer.user,
        uscc=tipoff.entity_id,
        department_code=viewer.department_code,
        what=f"tip-off {tipoff.tracking_number}: reporter",
        purpose="tip-off handling",
    )
    return Party(data.get("name", ""), data.get("contact", ""))


def evidence_get(viewer: Viewer, evidence_id) -> Evidence:
    """A file, for the case's handlers only: the objection's holder department, the
    tip-off's handler; every download is logged."""
    not_found = NotFound(_("文件不存在。/ No such file."), code="evidence_not_found")
    evidence = visible_or_404(
        Evidence.objects.select_related("objection", "tipoff"), evidence_id, not_found
    )
    if evidence.objection is not None:
        allowed = (
            viewer.is_regulator
            and viewer.role != Role.API_CLIENT
            and (viewer.department.pk == evidence.objection.department_id)
        )
    else:
        allowed = may_see_reporter(viewer, evidence.tipoff)
    if not allowed:
        raise not_found
    case = evidence.objection or evidence.tipoff
    access_log_record(
        actor=viewer.user,
        uscc=case.entity_id,
        department_code=viewer.department_code,
        what=f"evidence {evidence.pk} of {case.tracking_number}",
        purpose="case handling",
    )
    return evidence


def escalations_for(viewer: Viewer) -> QuerySet[Escalation]:
    """Escalations a department head (of the holder department) and the platform
    administrators are told of."""
    qs = Escalation.objects.select_related("objection", "tipoff", "department")
    if viewer.role == Role.PLATFORM_ADMIN:
        return qs
    if viewer.role == Role.DEPARTMENT_HEAD:
        return qs.filter(department=viewer.department)
    return Escalation.objects.none()


# --- public -------------------------------------------------------------------------------------
@dataclass
class UnderObjection:
    """What of an entity is under objection now, by kind, for the public pages' marks."""

    records: set[int] = field(default_factory=set)
    decisions: set[int] = field(default_factory=set)
    listings: set[int] = field(default_factory=set)
    bans: set[int] = field(default_factory=set)
    rating_runs: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return any((self.records, self.decisions, self.listings, self.bans, self.rating_runs))


def under_objection(uscc: str) -> UnderObjection:
    """The items of the entity marked "异议处理中" (open objections' effects)."""
    found = UnderObjection()
    rows = ObjectionEffect.objects.filter(
        objection__entity_id=uscc, objection__status__in=Objection.OPEN, ended_at=None
    ).values_list("kind", "object_id")
    by_kind = defaultdict(set)
    for kind, pk in rows:
        by_kind[kind].add(pk)
    K = ObjectionEffect.Kind
    found.records = by_kind[K.RECORD]
    found.decisions = by_kind[K.DECISION]
    found.listings = by_kind[K.LISTING]
    found.bans = by_kind[K.BAN]
    found.rating_runs = by_kind[K.RATING]
    return found


def held_items(kind: str, ids: list[int]) -> set[int]:
    """``credit_portal.holds`` provider: which of these records, decisions or listings an open
    objection holds (restoration does not decide them meanwhile)."""
    if kind not in ObjectionEffect.Kind.values:
        return set()
    return set(
        ObjectionEffect.objects.filter(
            kind=kind,
            object_id__in=ids,
            objection__status__in=Objection.OPEN,
            ended_at=None,
        ).values_list("object_id", flat=True)
    )


@dataclass
class StatisticsRow:
    label: str
    filed: int
    decided: int
    upheld: int
    open: int
    mean_days: float | None

    @property
    def upheld_rate(self) -> float | None:
        return round(100 * self.upheld / self.decided, 1) if self.decided else None


def objection_statistics(by: str = "department") -> list[StatisticsRow]:
    """Objections by holder department or by kind of item: filed, decided, upheld (fully or
    partly), still open and the mean days from filing to decision."""
    key = "department" if by == "department" else "target_kind"
    elapsed = ExpressionWrapper(F("decided_at") - F("filed_at"), output_field=DurationField())
    rows = (
        Objection.objects.values(key)
        .annotate(
            filed=Count("pk"),
            decided=Count("pk", filter=Q(status=Objection.Status.DECIDED)),
            upheld=Count("pk", filter=Q(outcome__in=["upheld", "partly"])),
            open=Count("pk", filter=Q(status__in=Objection.OPEN)),
            mean=Avg(elapsed, filter=Q(status=Objection.Status.DECIDED)),
        )
        .order_by("-filed", key)
    )
    labels = dict(Target.choices)
    names = _department_names()
    out = []
    for row in rows:
        if by == "department":
            label = names.get(row[key]) or _("待转办 / to be forwarded")
        else:
            label = str(labels.get(row[key], row[key]))
        mean = row["mean"]
        out.append(
            StatisticsRow(
                label=label,
                filed=row["filed"],
                decided=row["decided"],
                upheld=row["upheld"],
                open=row["open"],
                mean_days=round(mean.total_seconds() / 86400, 1) if mean is not None else None,
            )
        )
    return out


def _department_names() -> dict[int, str]:
    """Department names in the active language (a short table: every department)."""
    return {d.pk: department_label(d) for d in Department.objects.all()}


def tipoff_statistics() -> list[StatisticsRow]:
    """Tip-offs by department: filed, closed, substantiated, open, mean days to close."""
    elapsed = ExpressionWrapper(F("closed_at") - F("filed_at"), output_field=DurationField())
    rows = (
        TipOff.objects.values("department")
        .annotate(
            filed=Count("pk"),
            decided=Count("pk", filter=Q(status=TipOff.Status.CLOSED)),
            upheld=Count("pk", filter=Q(outcome=TipOff.Outcome.SUBSTANTIATED)),
            open=Count("pk", filter=Q(status__in=TipOff.OPEN)),
            mean=Avg(elapsed, filter=Q(status=TipOff.Status.CLOSED)),
        )
        .order_by("-filed", "department")
    )
    names = _department_names()
    return [
        StatisticsRow(
            label=names.get(row["department"]) or _("待转办 / to be forwarded"),
            filed=row["filed"],
            decided=row["decided"],
            upheld=row["upheld"],
            open=row["open"],
            mean_days=round(row["mean"].total_seconds() / 86400, 1) if row["mean"] else None,
        )
        for row in rows
    ]
