"""Administrative decisions and their publicity (2019 No. 35, art. 15; 2016 No. 33, art. 17)."""

from __future__ import annotations

import datetime

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from credit_portal.audit.services import audit_event_record
from credit_portal.calendar import add_working_days
from credit_portal.errors import Conflict, DomainError, NotFound, PermissionDenied

from ..models import (
    CreditRecord,
    Decision,
    Department,
    DepartmentAlert,
    PublicityConfig,
    PublicityRule,
    PublicityScope,
    PublicityWindow,
    Severity,
)
from ..roles import Viewer
from ._common import _catalogue_item, _check_record_fields, _entity
from .access import RECORD_PERM, department_manages_decision, regulator_required

# --- decisions and publicity (35/15, 33/17) ----------------------------------------------------
DECISION_CATALOGUE = {
    "licence": "XK",
    "penalty": "CF",
    "compulsion": "QZ",
    "confirmation": "QR",
    "expropriation": "ZS",
    "payment": "JF",
    "ruling": "CJ",
    "compensation": "BC",
    "reward": "JL",
    "inspection": "JC",
}


FLAG_LOCK = "registry.publicity_flag_overdue"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Same day ``months`` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    import calendar as _calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, _calendar.monthrange(year, month)[1])
    )


def publicity_config() -> PublicityConfig:
    return PublicityConfig.objects.order_by("pk").first() or PublicityConfig()


def publicity_due_for(decision_date: datetime.date) -> tuple[datetime.date, bool]:
    """Decision date + N working days on the official calendar (N = 7 by default)."""
    result = add_working_days(decision_date, publicity_config().publish_within)
    return result.value, result.provisional


def decision_check(
    *,
    kind: str,
    severity: str,
    decision_date: datetime.date | None,
    document_number: str,
    title: str,
    penalty_type: str,
    penalty_amount,
) -> None:
    """Refuse a decision's fields that the rules do not allow (kind, document number, title, a
    decision date not in the future, a severity its catalogue item has, a penalty's type and
    amount); the demo generator's tests hold generated decisions to the same check."""
    if kind not in Decision.Kind.values:
        raise DomainError(
            _("决定类别无效。/ Unknown decision kind."), code="invalid_kind", field="kind"
        )
    if not (document_number or "").strip():
        raise DomainError(
            _("请填写决定文书号。/ Enter the document number."), field="document_number"
        )
    if not (title or "").strip():
        raise DomainError(_("请填写标题。/ Enter a title."), field="title")
    if decision_date is None:
        raise DomainError(_("请填写决定日期。/ Enter the decision date."), field="decision_date")
    if decision_date > timezone.localdate():
        raise DomainError(
            _("决定日期不能晚于今天。/ The decision date cannot be in the future."),
            code="date_in_future",
            field="decision_date",
        )
    item = _catalogue_item(DECISION_CATALOGUE[kind])
    allowed = item.severities or [Severity.NONE]
    if severity not in allowed:
        raise DomainError(
            _("%(kind)s的严重程度只能是：%(allowed)s。/ Severity must be one of: %(allowed)s.")
            % {"kind": item.name, "allowed": ", ".join(allowed)},
            code="invalid_severity",
            field="severity",
        )
    if kind != Decision.Kind.PENALTY and (penalty_type or penalty_amount is not None):
        raise DomainError(
            _("只有行政处罚可填写处罚种类和金额。/ Only penalties have a penalty type and amount."),
            field="penalty_type",
        )
    if kind == Decision.Kind.PENALTY and penalty_type not in Decision.PenaltyType.values:
        raise DomainError(_("请选择处罚种类。/ Choose the penalty type."), field="penalty_type")
    if penalty_amount is not None and penalty_amount < 0:
        raise DomainError(
            _("金额不能为负。/ The amount cannot be negative."), field="penalty_amount"
        )


@transaction.atomic
def decision_record(
    *,
    actor,
    uscc: str,
    kind: str,
    document_number: str,
    decision_date: datetime.date,
    title: str,
    content: str = "",
    legal_basis: str = "",
    severity: str = Severity.NONE,
    penalty_type: str = "",
    penalty_amount=None,
) -> Decision:
    """Record a decision for the actor's department; its publicity clock starts (35/15)."""
    viewer = regulator_required(actor)
    entity = _entity(uscc)
    decision_check(
        kind=kind,
        severity=severity,
        decision_date=decision_date,
        document_number=document_number,
        title=title,
        penalty_type=penalty_type,
        penalty_amount=penalty_amount,
    )
    document_number = document_number.strip()
    decisions_lock(viewer.department)
    if Decision.objects.filter(
        department=viewer.department, kind=kind, document_number=document_number
    ).exists():
        raise Conflict(
            _(
                "本部门已录入该文书号的决定。/ Your department has recorded this "
                "document number already."
            ),
            code="decision_exists",
            field="document_number",
        )
    due, provisional = publicity_due_for(decision_date)
    decision = Decision.objects.create(
        kind=kind,
        department=viewer.department,
        entity=entity,
        document_number=document_number,
        decision_date=decision_date,
        title=title.strip(),
        content=content,
        legal_basis=legal_basis,
        severity=severity,
        penalty_type=penalty_type or "",
        penalty_amount=penalty_amount,
        publicity_due=due,
        publicity_due_provisional=provisional,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_event_record(
        actor=actor,
        action="decision.record",
        target=decision,
        department_code=viewer.department_code,
        after={
            "uscc": entity.uscc,
            "kind": kind,
            "document_number": document_number,
            "publicity_due": due.isoformat(),
        },
    )
    return decision


def decisions_lock(department: Department) -> None:
    """Hold the department's decision-recording lock until the transaction ends.

    Recording one decision and importing a file take it, so the check "this document number is
    not recorded yet" stays true until the insert: the import can then insert with a plain
    anti-join (INSERT ... ON CONFLICT cost it five times more per row), and two imports of the
    same file by one department wait for each other instead of deadlocking."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
            [f"registry.decisions:{department.pk}"],
        )


def _owned_decision(viewer: Viewer, decision_id) -> Decision:
    try:
        decision = (
            Decision.objects.select_for_update(of=("self",))
            .select_related("department")
            .get(pk=int(decision_id))
        )
    except (Decision.DoesNotExist, ValueError, TypeError):
        raise NotFound(
            _("行政决定不存在。/ No such decision."), code="decision_not_found"
        ) from None
    if not department_manages_decision(viewer.department, decision):
        raise PermissionDenied(
            _(
                "该决定属于其他部门，本部门无权公示或撤下。/ This decision "
                "belongs to another department; yours may not publish or "
                "withdraw it."
            )
        )
    return decision


@transaction.atomic
def decision_publish(*, actor, decision_id: int) -> Decision:
    """Publish a decision: write its credit record and publicity window (35/15).

    A warning is recorded but not shown publicly (docs/architecture.md §5); the window's minimum
    opens restoration, its maximum stops display."""
    viewer = regulator_required(actor)
    decision = _owned_decision(viewer, decision_id)
    if decision.status == Decision.Status.PUBLISHED:
        return decision
    if decision.status != Decision.Status.RECORDED:
        raise Conflict(
            _("已撤下的决定不能公示。/ A withdrawn decision cannot be published."),
            code="decision_withdrawn",
        )
    now = timezone.now()
    item = _catalogue_item(DECISION_CATALOGUE[decision.kind])
    rule = PublicityRule.objects.filter(severity=decision.severity).first()
    scope = item.publicity_scope
    if rule is not None and not rule.published and scope == PublicityScope.PUBLIC:
        scope = PublicityScope.SHARED
    scope = _check_record_fields(
        item, decision.severity, scope, decision.title, None, decision.decision_date
    )
    record = CreditRecord.objects.create(
        entity_id=decision.entity_id,
        catalogue_item=item,
        source_department=decision.department,
        action=CreditRecord.Action.ORIGINAL,
        scope=scope,
        severity=decision.severity,
        title=decision.title,
        content=decision.content,
        document_number=decision.document_number,
        legal_basis=decision.legal_basis,
        decision_date=decision.decision_date,
        published_at=now,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    assign_perm(RECORD_PERM, decision.department.group, record)
    if scope == PublicityScope.PUBLIC:
        today = timezone.localdate()
        PublicityWindow.objects.create(
            record=record,
            shown_from=now,
            restoration_from=add_months(today, rule.min_months)
            if rule and rule.min_months
            else None,
            shown_until=add_months(today, rule.max_months) if rule and rule.max_months else None,
        )
    decision.status = Decision.Status.PUBLISHED
    decision.published_at = now
    decision.record = record
    decision.save(update_fields=["status", "published_at", "record"])
    DepartmentAlert.objects.filter(decision=decision, resolved_at__isnull=True).update(
        resolved_at=now
    )
    audit_event_record(
        actor=actor,
        action="decision.publish",
        target=decision,
        department_code=viewer.department_code,
        after={
            "record": record.pk,
            "scope": scope,
            "on_time": timezone.localdate() <= decision.publicity_due,
        },
    )
    return decision


@transaction.atomic
def decision_change(
    *,
    actor,
    decision_id: int,
    change: str,
    reason: str,
    change_date: datetime.date | None = None,
) -> Decision:
    """A decision was changed, revoked or annulled on ``change_date`` (default today): withdraw
    it from public display at once and append a revocation to the ledger (35/15). Withdrawal
    is due ``withdraw_within`` working days (3 by default) after the change; recording it
    later still withdraws it, and the lateness stays on the decision and in the audit."""
    viewer = regulator_required(actor)
    today = timezone.localdate()
    change_date = change_date or today
    if change not in Decision.Change.values:
        raise DomainError(
            _(
                "变更情况只能是变更、撤销或确认无效。/ The change must be changed, "
                "revoked or annulled."
            ),
            field="change",
        )
    if not (reason or "").strip():
        raise DomainError(_("请说明理由。/ Give the reason."), field="reason")
    if change_date > today:
        raise DomainError(
            _("变更日期不能晚于今天。/ The date of the change cannot be in the future."),
            code="date_in_future",
            field="change_date",
        )
    decision = _owned_decision(viewer, decision_id)
    if decision.status == Decision.Status.WITHDRAWN:
        return decision
    if change_date < decision.decision_date:
        raise DomainError(
            _(
                "变更日期不能早于决定日期。/ The date of the change cannot be before the "
                "decision date."
            ),
            code="change_before_decision",
            field="change_date",
        )
    now = timezone.now()
    decision.change, decision.change_reason, decision.changed_at = change, reason.strip(), now
    decision.change_date = change_date
    decision.withdrawal_due = add_working_days(
        change_date, publicity_config().withdraw_within
    ).value
    if decision.record_id:
        PublicityWindow.objects.filter(
            record_id=decision.record_id, stopped_at__isnull=True
        ).update(stopped_at=now, stop_reason=PublicityWindow.StopReason.WITHDRAWN)
        if not CreditRecord.objects.filter(supersedes_id=decision.record_id).exists():
            old = decision.record
            revocation = CreditRecord.objects.create(
                entity_id=old.entity_id,
                catalogue_item_id=old.catalogue_item_id,
                source_department_id=old.source_department_id,
                action=CreditRecord.Action.REVOCATION,
                supersedes=old,
                scope=old.scope,
                severity=old.severity,
                title=old.title,
                document_number=old.document_number,
                decision_date=old.decision_date,
                reason=reason.strip(),
                recorded_by=actor if getattr(actor, "pk", None) else None,
            )
            assign_perm(RECORD_PERM, decision.department.group, revocation)
    decision.status = Decision.Status.WITHDRAWN
    decision.withdrawn_at = now
    decision.save(
        update_fields=[
            "change",
            "change_reason",
            "change_date",
            "changed_at",
            "withdrawal_due",
            "status",
            "withdrawn_at",
        ]
    )
    DepartmentAlert.objects.filter(decision=decision, resolved_at__isnull=True).update(
        resolved_at=now
    )
    audit_event_record(
        actor=actor,
        action="decision.withdraw",
        target=decision,
        department_code=viewer.department_code,
        after={
            "change": change,
            "change_date": change_date.isoformat(),
            "withdrawal_due": decision.withdrawal_due.isoformat(),
            "on_time": today <= decision.withdrawal_due,
        },
        reason=reason,
    )
    return decision


def publicity_flag_overdue(*, today: datetime.date | None = None) -> int:
    """Hourly: flag each decision past its due date with one alert in the owning department's
    queue (the alert is the flag: its ``created_at`` is when the job found it overdue).
    Set-based and idempotent (docs/architecture.md §6: no per-row loops in deadline code).

    It only inserts narrow alert rows: updating a flag column on the wide, indexed decision
    rows took 78 s for a million overdue decisions, this takes about 15 s
    (bench/deadline_job_bench.py). The advisory lock makes a second run (two beats by mistake)
    wait and then find nothing to do, so the anti-join needs no ON CONFLICT."""
    today = today or timezone.localdate()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [FLAG_LOCK])
        # The anti-join reads the table the statement inserts into. Planned while that table
        # is (nearly) empty, a nested loop rescans it for every decision, rows just inserted
        # included: a million took over ten minutes. A hash anti-join reads it once.
        cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute(
            """
            INSERT INTO registry_departmentalert (department_id, kind, decision_id, created_at)
            SELECT d.department_id, 'publicity_overdue', d.id, now()
            FROM registry_decision d
            WHERE d.status = 'recorded' AND d.publicity_due < %s
              AND NOT EXISTS (
                  SELECT 1 FROM registry_departmentalert a
                  WHERE a.kind = 'publicity_overdue' AND a.decision_id = d.id
              )
            """,
            [today],
        )
        count = cursor.rowcount
        cursor.execute("RESET enable_nestloop")
        if count:
            audit_event_record(
                actor=None,
                action="publicity.flag_overdue",
                target_type="registry.decision",
                target_id="*",
                after={"flagged": count, "today": today.isoformat()},
            )
    return count


def publicity_windows_close(*, today: datetime.date | None = None) -> dict[str, int]:
    """Nightly: stop display at the maximum period and open restoration at the minimum.
    Display stops; the record stays in the ledger."""
    today = today or timezone.localdate()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE registry_publicitywindow SET stopped_at = now(), stop_reason = 'expired'
            WHERE stopped_at IS NULL AND shown_until < %s
            """,
            [today],
        )
        expired = cursor.rowcount
        cursor.execute(
            """
            UPDATE registry_publicitywindow SET restoration_open = true
            WHERE NOT restoration_open AND stopped_at IS NULL AND restoration_from <= %s
            """,
            [today],
        )
        opened = cursor.rowcount
        if expired or opened:
            audit_event_record(
                actor=None,
                action="publicity.close_windows",
                target_type="registry.publicitywindow",
                target_id="*",
                after={"expired": expired, "restoration_open": opened, "today": today.isoformat()},
            )
    return {"expired": expired, "restoration_open": opened}


@transaction.atomic
def decision_fulfilment_record(
    *, actor, decision_id: int, fulfilled_on: datetime.date | None = None, note: str = ""
) -> Decision:
    """The deciding department records that the entity did what a decision required (the fine
    paid, the order carried out): restoration then counts the correction without asking the
    entity for proof (35/13). Recording it again changes nothing."""
    viewer = regulator_required(actor)
    today = timezone.localdate()
    fulfilled_on = fulfilled_on or today
    decision = _owned_decision(viewer, decision_id)
    if decision.fulfilled_on is not None:
        return decision
    if decision.status != Decision.Status.PUBLISHED:
        raise Conflict(
            _(
                "只能登记已公示决定的履行情况。/ Only a published decision's fulfilment "
                "is recorded."
            ),
            code="decision_not_published",
        )
    if fulfilled_on > today or fulfilled_on < decision.decision_date:
        raise DomainError(
            _(
                "履行日期应在决定日期与今天之间。/ The date of fulfilment must be between the "
                "decision date and today."
            ),
            code="fulfilled_on_invalid",
            field="fulfilled_on",
        )
    decision.fulfilled_on, decision.fulfilment_note = fulfilled_on, (note or "").strip()
    decision.save(update_fields=["fulfilled_on", "fulfilment_note"])
    audit_event_record(
        actor=actor,
        action="decision.fulfilled",
        target=decision,
        department_code=viewer.department_code,
        after={"fulfilled_on": fulfilled_on.isoformat()},
        reason=decision.fulfilment_note,
    )
    return decision
