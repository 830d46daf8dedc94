"""Credit records appended in bulk by the jobs of higher apps."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from credit_portal.audit.services import audit_event_record

from ..models import CreditRecord, CreditRecordGroupObjectPermission, Department, Severity
from ._common import _catalogue_item, _check_record_fields
from .access import RECORD_PERM


# --- records appended by the jobs of higher apps ---------------------------------------------
@dataclass(frozen=True)
class RecordRow:
    """One record for ``credit_records_append``: the entity, the department the record is
    from (it owns it), and what happened."""

    uscc: str
    department_id: int
    title: str
    content: str = ""
    document_number: str = ""
    conduct_date: datetime.date | None = None
    severity: str = Severity.NONE


@transaction.atomic
def credit_records_append(
    *, catalogue_code: str, rows: Sequence[RecordRow], action: str
) -> list[CreditRecord]:
    """Append original records found by a higher app's job (e.g. commitment breaches by the
    nightly deadline job): one INSERT for the records and one for their ownership, each owned
    by its source department, and one job-level audit event (``action``) with the count. The
    catalogue item's rules apply to every row as in ``credit_record_create``."""
    if not rows:
        return []
    item = _catalogue_item(catalogue_code)
    groups = dict(
        Department.objects.filter(pk__in={r.department_id for r in rows}).values_list(
            "pk", "group_id"
        )
    )
    now = timezone.now()
    records = [
        CreditRecord(
            entity_id=row.uscc,
            catalogue_item=item,
            source_department_id=row.department_id,
            action=CreditRecord.Action.ORIGINAL,
            scope=_check_record_fields(item, row.severity, None, row.title, row.conduct_date, None),
            severity=row.severity,
            title=row.title.strip(),
            content=row.content,
            document_number=row.document_number,
            conduct_date=row.conduct_date,
            published_at=now,
        )
        for row in rows
    ]
    CreditRecord.objects.bulk_create(records)
    permission = Permission.objects.get(codename=RECORD_PERM, content_type__app_label="registry")
    CreditRecordGroupObjectPermission.objects.bulk_create(
        CreditRecordGroupObjectPermission(
            group_id=groups[record.source_department_id],
            permission=permission,
            content_object=record,
        )
        for record in records
    )
    audit_event_record(
        actor=None,
        action=action,
        target_type="registry.creditrecord",
        target_id="*",
        after={"catalogue": catalogue_code, "records": len(records)},
    )
    return records
