"""Breaches: the negative credit record, and the nightly deadline job."""

from __future__ import annotations

import datetime

from django.db import connection, transaction
from django.utils import timezone

from credit_portal.audit.services import audit_event_record

from ._common import _record_breaches

# --- breaches: the negative credit record, and the nightly deadline job ------------------------
DEADLINE_LOCK = "commitments.deadlines_check"


def commitment_deadlines_check(*, today: datetime.date | None = None) -> int:
    """Nightly: a commitment with a missing material still unsupplied after its deadline is
    breached, and gets its negative credit record. Set-based and safe to run twice (the
    advisory lock serialises two beats; a breached commitment is not found again)."""
    today = today or timezone.localdate()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [DEADLINE_LOCK])
        cursor.execute(
            """
            UPDATE commitments_commitment c SET status = 'breached', breached_at = now()
            WHERE c.status IN ('in_force', 'partial') AND EXISTS (
                SELECT 1 FROM commitments_missingmaterial m
                WHERE m.commitment_id = c.id AND m.supplied_at IS NULL AND m.deadline < %s
            )
            RETURNING c.id
            """,
            [today],
        )
        breached = [row[0] for row in cursor.fetchall()]
        if breached:
            _record_breaches(breached, action="commitment.deadline_breaches")
            audit_event_record(
                actor=None,
                action="commitment.deadlines_check",
                target_type="commitments.commitment",
                target_id="*",
                after={"breached": len(breached), "today": today.isoformat()},
            )
    return len(breached)
