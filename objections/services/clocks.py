"""The hourly clock job (docs/architecture.md §6): items not yet marked are marked, and each
clock that ran out escalates exactly once, to the holder department's head and the platform
administrators (the unique constraints of ``Escalation`` make a second run add nothing)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from credit_portal.audit.services import audit_event_record
from credit_portal.outbox.services import event_publish

from ..models import Escalation, Objection, Target, TipOff
from .filing import objection_mark

C = Escalation.Clock
OS = Objection.Status
T = TipOff.Status


def objections_clock(*, today: datetime.date | None = None) -> dict[str, int]:
    """Mark what is due to be marked, then escalate every clock past its day. A day counts as
    run out once it has passed (a case due on Friday escalates from Saturday's first run)."""
    today = today or timezone.localdate()
    marked = 0
    pending = Objection.objects.filter(
        status__in=[OS.REVIEWING, OS.PROPOSED], marked_at=None
    ).exclude(target_kind=Target.OTHER)
    for pk in pending.values_list("pk", flat=True):
        with transaction.atomic():
            objection = Objection.objects.select_for_update().get(pk=pk)
            if objection.marked_at is None:
                objection_mark(objection)
                marked += 1
    overdue = {
        C.MARK: Objection.objects.filter(
            marked_at=None, mark_due__lt=today, status__in=Objection.OPEN
        ).exclude(target_kind=Target.OTHER),
        C.FORWARD: Objection.objects.filter(status=OS.FORWARDING, forward_due__lt=today),
        C.DECIDE: Objection.objects.filter(
            status__in=[OS.REVIEWING, OS.PROPOSED], decide_due__lt=today
        ),
    }
    made = 0
    for clock, cases in overdue.items():
        made += _escalate(clock, cases, "objection", today)
    tipoffs = {
        C.FORWARD: TipOff.objects.filter(status=T.FORWARDING, forward_due__lt=today),
        C.TIPOFF: TipOff.objects.filter(status__in=[T.OPEN, T.HANDLING], due__lt=today),
    }
    for clock, cases in tipoffs.items():
        made += _escalate(clock, cases, "tipoff", today)
    return {"marked": marked, "escalated": made}


def _escalate(clock: str, cases, case: str, today: datetime.date) -> int:
    """One escalation per case and clock; the ones this run made are published to the outbox
    (a rerun finds them existing and publishes nothing)."""
    due_field = {C.MARK: "mark_due", C.FORWARD: "forward_due"}.get(
        clock, "decide_due" if case == "objection" else "due"
    )
    rows = list(
        cases.exclude(escalations__clock=clock)
        .filter(~Q(**{due_field: None}))
        .values("pk", "department_id", "entity_id", "tracking_number", due_day=F(due_field))
    )
    made = 0
    for row in rows:
        with transaction.atomic():
            escalation, created = Escalation.objects.get_or_create(
                clock=clock,
                **{f"{case}_id": row["pk"]},
                defaults={"department_id": row["department_id"], "due": row["due_day"]},
            )
            if not created:
                continue
            made += 1
            event_publish(
                kind=f"{case}.escalated",
                subject_uscc=row["entity_id"],
                payload={
                    "tracking_number": row["tracking_number"],
                    "clock": clock,
                    "due": row["due_day"].isoformat(),
                    "department": escalation.department.code if escalation.department else "",
                },
                idempotency_key=f"{case}:{row['pk']}:escalated:{clock}",
            )
            audit_event_record(
                actor=None,
                action=f"{case}.escalate",
                target=escalation,
                after={"clock": clock, "due": row["due_day"].isoformat()},
            )
    return made
