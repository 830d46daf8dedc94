"""Public display of records ended by restoration, and shown again when a restoration
commitment is broken (2019 No. 35, art. 13; docs/architecture.md §5). The restoration app
decides; these services change the publicity windows, audited. The ledger never changes:
display stops, the record and its history stay for internal users."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from credit_portal.audit.services import audit_event_record

from ..models import CreditRecord, PublicityRule, PublicityWindow
from .decisions import add_months

_STOP = PublicityWindow.StopReason


@transaction.atomic
def records_display_stop(*, actor, record_ids: Iterable[int], reason: str = "") -> list[int]:
    """Stop the public display of these records as restored. A record with no window (one
    written directly, a commitment breach) gets one, stopped at once, so that every public
    read (``selectors.shown_now``) leaves it out. Returns the ids newly stopped; a record
    already stopped is left as it is (running it twice changes nothing)."""
    now = timezone.now()
    ids = sorted({int(i) for i in record_ids})
    records = CreditRecord.objects.select_for_update().filter(pk__in=ids)
    windows = {
        w.record_id: w
        for w in PublicityWindow.objects.select_for_update().filter(record_id__in=ids)
    }
    stopped = []
    for record in records:
        window = windows.get(record.pk)
        if window is None:
            PublicityWindow.objects.create(
                record=record,
                shown_from=record.published_at or record.created_at,
                stopped_at=now,
                stop_reason=_STOP.RESTORED,
            )
        elif window.stopped_at is None:
            window.stopped_at, window.stop_reason = now, _STOP.RESTORED
            window.save(update_fields=["stopped_at", "stop_reason"])
        else:
            continue
        stopped.append(record.pk)
    if stopped:
        audit_event_record(
            actor=actor,
            action="record.display_restored",
            target_type="registry.creditrecord",
            target_id=",".join(str(i) for i in stopped)[:200],
            after={"records": stopped},
            reason=reason,
        )
    return stopped


@transaction.atomic
def record_republish(*, actor, record_id: int, reason: str) -> bool:
    """A restoration commitment was broken: show the restored record again for the maximum
    period of its severity, counted from today (no maximum: until stopped otherwise), once.
    A record not stopped by restoration, or republished before, is left alone (False)."""
    window = (
        PublicityWindow.objects.select_for_update()
        .select_related("record")
        .filter(record_id=record_id)
        .first()
    )
    if window is None or window.stop_reason != _STOP.RESTORED or window.republished_at:
        return False
    rule = PublicityRule.objects.filter(severity=window.record.severity).first()
    today = timezone.localdate()
    window.stopped_at, window.stop_reason = None, ""
    window.republished_at = timezone.now()
    # Not restorable early a second time: the maximum runs its course.
    window.restoration_from, window.restoration_open = None, False
    window.shown_until = add_months(today, rule.max_months) if rule and rule.max_months else None
    window.save(
        update_fields=[
            "stopped_at",
            "stop_reason",
            "republished_at",
            "restoration_from",
            "restoration_open",
            "shown_until",
        ]
    )
    audit_event_record(
        actor=actor,
        action="record.republish",
        target=window.record,
        after={"shown_until": window.shown_until.isoformat() if window.shown_until else None},
        reason=reason,
    )
    return True
