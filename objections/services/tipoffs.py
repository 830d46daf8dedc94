"""Tip-offs about dishonest conduct (33/13): filed by anyone, routed to the competent
department, taken by one staff member who alone sees the reporter, closed with a reply."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credit_portal.api import visible_or_404
from credit_portal.audit.services import audit_event_record
from credit_portal.casework import number_save, text_clean
from credit_portal.errors import DomainError, NotFound, PermissionDenied
from credit_portal.outbox.services import event_publish
from credit_portal.uploads import files_check, files_store
from registry.models import Department, Severity
from registry.selectors import entity_get
from registry.services import credit_record_create, official_required, platform_admin_required

from .. import transitions
from ..models import Evidence, TipOff
from ..sealing import seal
from ._common import (
    _new_code,
    _working_day,
    objection_config,
)
from .filing import Filed

T = TipOff.Status
# The catalogue item of complaint and tip-off records (registry/catalogue.py): its scope is
# "authorised", and its masking rule keeps the reporter out of the record.
COMPLAINT_ITEM = "TS"


@transaction.atomic
def tipoff_file(
    *,
    actor,
    uscc: str,
    conduct: str,
    department_code: str = "",
    conduct_date: datetime.date | None = None,
    reporter_name: str = "",
    reporter_contact: str = "",
    anonymous: bool = False,
    files: Sequence[UploadedFile] = (),
) -> Filed:
    """File a tip-off. It goes to the department the reporter chose, else to the entity's
    registration authority; with neither, the platform forwards it. The reporter's name and
    contact are sealed at once; an anonymous reporter gives none (and can still follow the
    case with the tracking number and code)."""
    entity = entity_get(uscc)
    conduct = text_clean(conduct, "conduct", _("举报事项"))
    if conduct_date is not None and conduct_date > timezone.localdate():
        raise DomainError(
            _("发生日期不能晚于今天。/ The date cannot be in the future."), field="conduct_date"
        )
    department = None
    if department_code:
        department = Department.objects.filter(code=department_code).first()
        if department is None:
            raise DomainError(_("所选部门不存在。/ No such department."), field="department")
    department = department or entity.registration_authority
    if anonymous:
        name = contact = ""
    else:
        name = text_clean(reporter_name, "reporter_name", _("举报人姓名"), limit=100)
        contact = text_clean(reporter_contact, "reporter_contact", _("联系方式"), limit=100)
    config = objection_config()
    checked = files_check(
        files, max_bytes=config.upload_max_bytes, max_files=config.upload_max_files
    )
    today = timezone.localdate()
    code, code_hash = _new_code()
    tipoff = TipOff(
        code_hash=code_hash,
        entity=entity,
        conduct=conduct,
        conduct_date=conduct_date,
        anonymous=anonymous,
        reporter_sealed=seal({"name": name, "contact": contact}),
        department=department,
    )
    if department is None:
        tipoff.status = T.FORWARDING
        tipoff.forward_due = _working_day(today, config.forward_days)
    else:
        tipoff.status = T.OPEN
        tipoff.due = _working_day(today, config.tipoff_days)
    number_save(tipoff, "JB")
    files_store(Evidence, checked, tipoff=tipoff)
    # The audit event names the case, never the reporter.
    audit_event_record(
        actor=None,
        action="tipoff.file",
        target=tipoff,
        department_code=department.code if department else "",
        after={"files": len(checked), "anonymous": anonymous},
    )
    return Filed(tipoff, tipoff.tracking_number, code)


def _tipoff_for_update(tipoff_id) -> TipOff:
    return visible_or_404(
        TipOff.objects.select_for_update(of=("self",)).select_related("department"),
        tipoff_id,
        NotFound(_("举报不存在。/ No such tip-off."), code="tipoff_not_found"),
    )


def _move(tipoff: TipOff, target: str) -> None:
    refusal = transitions.tipoff_refusal(tipoff.status, target)
    if refusal:
        raise DomainError(refusal, code="bad_state")


def _of_department(viewer, tipoff: TipOff) -> None:
    if viewer.department is None or tipoff.department_id != viewer.department.pk:
        raise PermissionDenied(
            _("该举报由其他部门办理。/ Another department handles this tip-off."),
            code="not_handler",
        )


@transaction.atomic
def tipoff_forward(*, actor, tipoff_id: int, department_code: str) -> TipOff:
    """The platform names the competent department of a tip-off it could not route."""
    platform_admin_required(actor)
    tipoff = _tipoff_for_update(tipoff_id)
    _move(tipoff, T.OPEN)
    department = Department.objects.filter(code=department_code).first()
    if department is None:
        raise DomainError(_("请选择承办部门。/ Choose the department."), field="department")
    tipoff.department = department
    tipoff.status = T.OPEN
    tipoff.forwarded_at = timezone.now()
    tipoff.due = _working_day(timezone.localdate(), objection_config().tipoff_days)
    tipoff.save()
    audit_event_record(
        actor=actor, action="tipoff.forward", target=tipoff, department_code=department.code
    )
    return tipoff


@transaction.atomic
def tipoff_claim(*, actor, tipoff_id: int) -> TipOff:
    """A staff member of the department takes the tip-off; from now on only they see the
    reporter (33/13)."""
    viewer = official_required(actor)
    tipoff = _tipoff_for_update(tipoff_id)
    _of_department(viewer, tipoff)
    if tipoff.status == T.HANDLING and tipoff.handler_id == actor.pk:
        return tipoff
    _move(tipoff, T.HANDLING)
    tipoff.status = T.HANDLING
    tipoff.handler = actor
    tipoff.claimed_at = timezone.now()
    tipoff.save()
    audit_event_record(
        actor=actor, action="tipoff.claim", target=tipoff, department_code=viewer.department_code
    )
    return tipoff


@transaction.atomic
def tipoff_close(
    *,
    actor,
    tipoff_id: int,
    outcome: str,
    reply: str,
    record_title: str = "",
    record_content: str = "",
) -> TipOff:
    """The handler closes the tip-off with a reply the reporter reads. A substantiated one may
    add a complaint record (catalogue TS, authorised scope) about the conduct: its text is the
    handler's, so the reporter is never in it."""
    viewer = official_required(actor)
    tipoff = _tipoff_for_update(tipoff_id)
    _of_department(viewer, tipoff)
    _move(tipoff, T.CLOSED)
    if tipoff.handler_id != actor.pk:
        raise PermissionDenied(
            _("只有承办人可以办结该举报。/ Only the handler closes this tip-off."),
            code="not_handler",
        )
    if outcome not in TipOff.Outcome.values:
        raise DomainError(_("请选择处理结果。/ Choose the outcome."), field="outcome")
    tipoff.reply = text_clean(reply, "reply", _("答复"))
    title = (record_title or "").strip()
    if title:
        if outcome != TipOff.Outcome.SUBSTANTIATED:
            raise DomainError(
                _("只有举报属实时才能记入信用记录。/ Only a substantiated tip-off is recorded."),
                field="record_title",
            )
        tipoff.record = credit_record_create(
            actor=actor,
            uscc=tipoff.entity_id,
            catalogue_code=COMPLAINT_ITEM,
            title=text_clean(title, "record_title", _("记录标题"), limit=300),
            severity=Severity.NONE,
            content=text_clean(record_content, "record_content", _("记录内容"), required=False),
            conduct_date=tipoff.conduct_date,
        )
    tipoff.outcome = outcome
    tipoff.status = T.CLOSED
    tipoff.closed_at = timezone.now()
    tipoff.save()
    event_publish(
        kind="tipoff.closed",
        subject_uscc=tipoff.entity_id,
        payload={
            "tracking_number": tipoff.tracking_number,
            "uscc": tipoff.entity_id,
            "department": viewer.department_code,
            "outcome": outcome,
            "record": tipoff.record_id,
        },
        idempotency_key=f"tipoff:{tipoff.pk}:closed",
    )
    audit_event_record(
        actor=actor,
        action="tipoff.close",
        target=tipoff,
        department_code=viewer.department_code,
        after={"outcome": outcome, "record": tipoff.record_id},
    )
    return tipoff
