"""The credit record: creation and supersession."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from credit_portal.audit.services import audit_event_record
from credit_portal.errors import Conflict, DomainError, NotFound

from ..models import CreditRecord, Severity
from ..roles import PLATFORM_ADMIN_GROUP
from ._common import _catalogue_item, _check_record_fields, _entity, _require_owner
from .access import RECORD_PERM, regulator_required


# --- the credit record --------------------------------------------------------------------------
def _record_snapshot(record: CreditRecord) -> dict[str, Any]:
    return {
        "uscc": record.entity_id,
        "catalogue_item": record.catalogue_item.code,
        "action": record.action,
        "scope": record.scope,
        "severity": record.severity,
        "title": record.title,
        "document_number": record.document_number,
        "supersedes": record.supersedes_id,
    }


@transaction.atomic
def credit_record_create(
    *,
    actor,
    uscc: str,
    catalogue_code: str,
    title: str,
    severity: str = Severity.NONE,
    content: str = "",
    document_number: str = "",
    legal_basis: str = "",
    conduct_date: datetime.date | None = None,
    decision_date: datetime.date | None = None,
    scope: str | None = None,
) -> CreditRecord:
    """Add a record to an entity's credit record for the actor's department (35/4)."""
    viewer = regulator_required(actor)
    entity = _entity(uscc)
    item = _catalogue_item(catalogue_code)
    effective_scope = _check_record_fields(
        item, severity, scope, title, conduct_date, decision_date
    )
    record = CreditRecord.objects.create(
        entity=entity,
        catalogue_item=item,
        source_department=viewer.department,
        action=CreditRecord.Action.ORIGINAL,
        scope=effective_scope,
        severity=severity,
        title=title.strip(),
        content=content,
        document_number=document_number.strip(),
        legal_basis=legal_basis,
        conduct_date=conduct_date,
        decision_date=decision_date,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    assign_perm(RECORD_PERM, viewer.department.group, record)
    audit_event_record(
        actor=actor,
        action="record.create",
        target=record,
        department_code=viewer.department_code,
        after=_record_snapshot(record),
    )
    return record


@transaction.atomic
def credit_record_supersede(
    *,
    actor,
    record_id: int,
    action: str,
    reason: str,
    **changes: Any,
) -> CreditRecord:
    """Correct or revoke a record by appending a new one that supersedes it (35/17).

    Only the department that owns the record may; a record is superseded at most once.
    """
    viewer = regulator_required(actor)
    if action not in (CreditRecord.Action.CORRECTION, CreditRecord.Action.REVOCATION):
        raise DomainError(
            _("操作只能是更正或撤销。/ The action must be correction or revocation."),
            field="action",
        )
    if not (reason or "").strip():
        raise DomainError(_("请说明更正或撤销的理由。/ Give the reason."), field="reason")
    try:
        old = (
            CreditRecord.objects.select_for_update()
            .select_related("catalogue_item")
            .get(pk=record_id)
        )
    except (CreditRecord.DoesNotExist, ValueError, TypeError):
        raise NotFound(
            _("信用记录不存在。/ No such credit record."), code="record_not_found"
        ) from None
    _require_owner(viewer, RECORD_PERM, old, "信用记录")
    if old.action == CreditRecord.Action.REVOCATION:
        raise Conflict(_("撤销记录不能再更正或撤销。/ A revocation cannot be superseded."))
    if CreditRecord.objects.filter(supersedes=old).exists():
        raise Conflict(
            _(
                "该记录已被更正或撤销，请处理最新记录。/ This record has been "
                "superseded already; act on the latest one."
            ),
            code="already_superseded",
        )
    allowed = {
        "title",
        "content",
        "severity",
        "document_number",
        "legal_basis",
        "conduct_date",
        "decision_date",
        "scope",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(
            _("不能修改这些字段：%(f)s / These fields cannot be changed: %(f)s")
            % {"f": ", ".join(sorted(unknown))}
        )
    fields = {f: getattr(old, f) for f in allowed}
    fields.update({k: v for k, v in changes.items() if v is not None})
    fields["scope"] = _check_record_fields(
        old.catalogue_item,
        fields["severity"],
        changes.get("scope") or old.scope,
        fields["title"],
        fields["conduct_date"],
        fields["decision_date"],
    )
    try:
        with transaction.atomic():
            new = CreditRecord.objects.create(
                entity_id=old.entity_id,
                catalogue_item=old.catalogue_item,
                source_department=old.source_department,
                action=action,
                supersedes=old,
                reason=reason.strip(),
                recorded_by=actor if getattr(actor, "pk", None) else None,
                **fields,
            )
    except IntegrityError:  # a concurrent supersede won the one-successor constraint
        raise Conflict(
            _("该记录已被更正或撤销。/ This record has been superseded already."),
            code="already_superseded",
        ) from None
    assign_perm(RECORD_PERM, viewer.department.group, new)
    audit_event_record(
        actor=actor,
        action=f"record.{action}",
        target=new,
        department_code=viewer.department_code,
        before=_record_snapshot(old),
        after=_record_snapshot(new),
        reason=reason,
    )
    return new


def platform_admin_group() -> Group:
    group, _created = Group.objects.get_or_create(name=PLATFORM_ADMIN_GROUP)
    return group
