"""Rectification orders, their escalation, and interviews."""

from __future__ import annotations

import datetime

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credit_portal.audit.services import audit_event_record
from credit_portal.calendar import add_working_days
from credit_portal.errors import DomainError, PermissionDenied
from registry.roles import Viewer
from registry.selectors import entity_get
from registry.services import RecordRow, credit_records_append, regulator_required

from .. import transitions
from ..models import Interview, Listing, Rectification
from ._common import _get, _recognising, _refuse
from .configuration import discipline_config


# --- rectification and interviews ---------------------------------------------------------------
@transaction.atomic
def rectification_order(
    *,
    actor,
    uscc: str,
    requirement: str,
    deadline: datetime.date,
    listing_id: int | None = None,
) -> Rectification:
    """Order rectification by a deadline (35/11). The ordering department is the recognising
    one: it holds the interviews if the deadline is missed."""
    viewer = regulator_required(actor)
    entity = entity_get(uscc)
    if not (requirement or "").strip():
        raise DomainError(_("请写明整改要求。/ State what must be rectified."), field="requirement")
    if not isinstance(deadline, datetime.date) or deadline <= timezone.localdate():
        raise DomainError(
            _("整改期限须晚于今天。/ The deadline must be after today."),
            code="invalid_deadline",
            field="deadline",
        )
    listing = None
    if listing_id:
        listing = _get(Listing.objects.all(), listing_id, _("名单记录不存在。/ No such listing."))
        _recognising(viewer, listing)
        if listing.entity_id != entity.uscc:
            raise DomainError(_("名单不属于该主体。/ That listing is another entity's."))
    order = Rectification.objects.create(
        entity=entity,
        department=viewer.department,
        listing=listing,
        requirement=requirement.strip(),
        deadline=deadline,
        ordered_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_event_record(
        actor=actor,
        action="rectification.order",
        target=order,
        department_code=viewer.department_code,
        after={"uscc": entity.uscc, "deadline": deadline.isoformat()},
    )
    return order


def _order_for_update(viewer: Viewer, pk) -> Rectification:
    order = _get(
        Rectification.objects.select_for_update(),
        pk,
        _("整改通知不存在。/ No such rectification order."),
    )
    if order.department_id != viewer.department.pk:
        raise PermissionDenied(
            _("该整改由其他部门认定。/ Another department ordered this rectification."),
            code="not_recognising",
        )
    return order


@transaction.atomic
def rectification_complete(*, actor, rectification_id: int, note: str = "") -> Rectification:
    """The department records that the entity has rectified; interviews not yet held are
    cancelled."""
    viewer = regulator_required(actor)
    order = _order_for_update(viewer, rectification_id)
    RS = Rectification.Status
    if order.status == RS.RECTIFIED:
        return order
    _refuse(transitions.rectification_refusal(order.status, RS.RECTIFIED))
    order.status, order.rectified_at, order.note = RS.RECTIFIED, timezone.now(), note.strip()
    order.save(update_fields=["status", "rectified_at", "note"])
    cancelled = order.interviews.filter(status=Interview.Status.DUE).update(
        status=Interview.Status.CANCELLED
    )
    audit_event_record(
        actor=actor,
        action="rectification.complete",
        target=order,
        department_code=viewer.department_code,
        after={"interviews_cancelled": cancelled},
    )
    return order


def rectifications_escalate(*, today: datetime.date | None = None) -> dict[str, int]:
    """Nightly, set-based: an order whose deadline passed becomes overdue and a reminder
    interview is due; a reminded one whose new deadline passed is escalated and a warning
    interview is due (35/11). Running twice changes nothing more."""
    today = today or timezone.localdate()
    hold_by = add_working_days(today, discipline_config().interview_days).value
    RS = Rectification.Status
    counts = {}
    with transaction.atomic(), connection.cursor() as cursor:
        for source, target, kind in (
            (RS.ORDERED, RS.OVERDUE, Interview.Kind.REMINDER),
            (RS.REMINDED, RS.ESCALATED, Interview.Kind.WARNING),
        ):
            cursor.execute(
                """
                WITH moved AS (
                    UPDATE discipline_rectification SET status = %(target)s
                    WHERE status = %(source)s AND deadline < %(today)s
                    RETURNING id, department_id
                )
                INSERT INTO discipline_interview
                    (rectification_id, kind, department_id, status, due_by, created_at,
                     attendees, summary)
                SELECT id, %(kind)s, department_id, 'due', %(hold_by)s, now(), '', ''
                FROM moved
                ON CONFLICT (rectification_id, kind) DO NOTHING
                """,
                {"source": source, "target": target, "today": today, "kind": kind,
                 "hold_by": hold_by},
            )  # fmt: skip
            counts[kind] = cursor.rowcount
        if any(counts.values()):
            audit_event_record(
                actor=None,
                action="rectification.escalate",
                target_type="discipline.rectification",
                target_id="*",
                after=counts,
            )
    return counts


@transaction.atomic
def interview_hold(
    *,
    actor,
    interview_id: int,
    held_on: datetime.date,
    summary: str,
    attendees: str = "",
    new_deadline: datetime.date | None = None,
) -> Interview:
    """The recognising department records the interview it held ("who recognises,
    interviews", 35/11); the record enters the entity's credit record (item YT). A reminder
    interview sets the new rectification deadline."""
    viewer = regulator_required(actor)
    interview = _get(
        Interview.objects.select_for_update(of=("self",)).select_related("rectification"),
        interview_id,
        _("约谈不存在。/ No such interview."),
    )
    if interview.department_id != viewer.department.pk:
        raise PermissionDenied(
            _("约谈由认定部门进行。/ The recognising department holds the interview."),
            code="not_recognising",
        )
    IS = Interview.Status
    if interview.status == IS.HELD:
        return interview
    today = timezone.localdate()
    _refuse(
        transitions.interview_refusal(
            interview.status, IS.HELD, today=today, held_on=held_on, summary=summary
        )
    )
    order = Rectification.objects.select_for_update().get(pk=interview.rectification_id)
    RS = Rectification.Status
    target = RS.REMINDED if interview.kind == Interview.Kind.REMINDER else RS.WARNED
    _refuse(
        transitions.rectification_refusal(
            order.status, target, today=today, new_deadline=new_deadline
        )
    )
    (record,) = credit_records_append(
        catalogue_code="YT",
        rows=[
            RecordRow(
                uscc=order.entity_id,
                department_id=interview.department_id,
                title=str(interview.Kind(interview.kind).label).partition("/")[0].strip()
                + "："
                + order.requirement[:200],
                content=summary.strip(),
                conduct_date=held_on,
            )
        ],
        action="interview.record",
    )
    interview.status, interview.held_on = IS.HELD, held_on
    interview.summary, interview.attendees, interview.record = summary.strip(), attendees, record
    interview.save(update_fields=["status", "held_on", "summary", "attendees", "record"])
    order.status = target
    fields = ["status"]
    if new_deadline is not None and target == RS.REMINDED:
        order.deadline = new_deadline
        fields.append("deadline")
    order.save(update_fields=fields)
    audit_event_record(
        actor=actor,
        action="interview.hold",
        target=interview,
        department_code=viewer.department_code,
        after={"kind": interview.kind, "record": record.pk, "rectification": target},
    )
    return interview
