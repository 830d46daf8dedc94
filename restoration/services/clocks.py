"""The hourly clock job (docs/architecture.md §6): each clock that ran out escalates exactly
once (the unique constraint of ``RestorationEscalation``), approvals whose after-commit work
was lost are completed, and a broken restoration commitment shows the restored records again
for the maximum period, once (docs/architecture.md §5)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from commitments.models import Commitment
from credit_portal.audit.services import audit_event_record
from credit_portal.outbox.services import event_publish
from registry.services import record_republish

from ..models import RestorationApplication, RestorationEscalation
from .handling import restoration_effects_apply

_C = RestorationEscalation.Clock
_S = RestorationApplication.Status


def restoration_clock(*, today: datetime.date | None = None) -> dict[str, int]:
    """A day counts as run out once it has passed (due Friday: escalated from Saturday)."""
    today = today or timezone.localdate()
    completed = sum(
        restoration_effects_apply(pk)
        for pk in RestorationApplication.objects.filter(
            status=_S.APPROVED, effective_at=None
        ).values_list("pk", flat=True)
    )
    overdue = {
        _C.ACCEPT: RestorationApplication.objects.filter(status=_S.SUBMITTED, accept_due__lt=today),
        _C.DECIDE: RestorationApplication.objects.filter(
            status__in=[_S.ACCEPTED, _S.PROPOSED], decide_due__lt=today
        ),
        _C.EFFECT: RestorationApplication.objects.filter(
            status=_S.APPROVED, effective_at=None, effect_due__lt=today
        ),
    }
    due_field = {_C.ACCEPT: "accept_due", _C.DECIDE: "decide_due", _C.EFFECT: "effect_due"}
    escalated = 0
    for clock, cases in overdue.items():
        for application in cases.exclude(escalations__clock=clock).select_related("department"):
            escalated += _escalate(application, clock, getattr(application, due_field[clock]))
    return {
        "completed": completed,
        "escalated": escalated,
        "republished": restorations_republish(),
    }


def _escalate(application: RestorationApplication, clock: str, due: datetime.date) -> int:
    with transaction.atomic():
        escalation, created = RestorationEscalation.objects.get_or_create(
            application=application, clock=clock, defaults={"due": due}
        )
        if not created:
            return 0
        event_publish(
            kind="restoration.escalated",
            subject_uscc=application.entity_id,
            payload={
                "number": application.number,
                "clock": clock,
                "due": due.isoformat(),
                "department": application.department.code,
            },
            idempotency_key=f"restoration:{application.number}:escalated:{clock}",
        )
        audit_event_record(
            actor=None,
            action="restoration.escalate",
            target=escalation,
            after={"clock": clock, "due": due.isoformat()},
        )
    return 1


def restorations_republish() -> int:
    """Restored applications whose restoration commitment was since recorded broken: their
    records are shown again for the maximum period (``registry.services.record_republish``),
    once per application."""
    broken = RestorationApplication.objects.filter(
        status=_S.APPROVED,
        republished_at=None,
        commitment__status=Commitment.Status.BREACHED,
    ).values_list("pk", flat=True)
    done = 0
    for pk in broken:
        with transaction.atomic():
            application = (
                RestorationApplication.objects.select_for_update()
                .filter(pk=pk, republished_at=None)
                .first()
            )
            if application is None:
                continue
            records = list(
                application.items.filter(record__isnull=False).values_list("record_id", flat=True)
            )
            reason = f"restoration commitment {application.commitment_id} broken"
            shown = [r for r in records if record_republish(actor=None, record_id=r, reason=reason)]
            application.republished_at = timezone.now()
            application.save(update_fields=["republished_at"])
            event_publish(
                kind="restoration.republished",
                subject_uscc=application.entity_id,
                payload={"number": application.number, "records": shown},
                idempotency_key=f"restoration:{application.number}:republished",
            )
            audit_event_record(
                actor=None,
                action="restoration.republish",
                target=application,
                after={"records": shown},
            )
            done += 1
    return done
