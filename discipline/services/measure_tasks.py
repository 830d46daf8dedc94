"""Measure tasks: the departments' feedback on the measures they apply, and lifting them."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credit_portal.audit.services import audit_event_record
from credit_portal.errors import DomainError, PermissionDenied
from credit_portal.outbox.services import event_publish
from registry.roles import Viewer
from registry.services import regulator_required

from .. import transitions
from ..models import MeasureTask, MeasureTaskItem
from ._common import _get, _refuse


# --- measure tasks ------------------------------------------------------------------------------
def _task_for_update(viewer: Viewer, task_id) -> MeasureTask:
    task = _get(
        MeasureTask.objects.select_for_update(of=("self",)).select_related("listing"),
        task_id,
        _("任务不存在。/ No such task."),
    )
    if task.department_id != viewer.department.pk:
        raise PermissionDenied(
            _("该任务属于其他实施部门。/ This task is another implementing department's."),
            code="not_implementing",
        )
    return task


@transaction.atomic
def task_feedback(*, actor, task_id: int, outcomes: dict[int, tuple[str, str]]) -> MeasureTask:
    """The implementing department feeds back (33/18): every measure applied, or, for a
    recommended one, not applied with the reason. ``outcomes``: measure id -> (outcome,
    reason). All or nothing: an incomplete feedback is refused and nothing is kept."""
    viewer = regulator_required(actor)
    task = _task_for_update(viewer, task_id)
    T = MeasureTask.Status
    if task.status == T.FED_BACK:
        return task
    items = list(task.items.select_related("measure").select_for_update(of=("self",)))
    proposed = []
    for item in items:
        outcome, reason = outcomes.get(item.measure_id, (MeasureTaskItem.Outcome.PENDING, ""))
        if outcome not in MeasureTaskItem.Outcome.values:
            raise DomainError(_("实施情况无效。/ Unknown outcome."), field="outcomes")
        proposed.append((item, outcome, (reason or "").strip()))
    _refuse(
        transitions.task_refusal(
            task.status,
            T.FED_BACK,
            items=[(i.measure.mandatory, o, r) for i, o, r in proposed],
        )
    )
    now = timezone.now()
    for item, outcome, reason in proposed:
        item.outcome, item.reason, item.recorded_at = outcome, reason, now
    MeasureTaskItem.objects.bulk_update(
        [i for i, _o, _r in proposed], ["outcome", "reason", "recorded_at"]
    )
    task.status, task.fed_back_at = T.FED_BACK, now
    task.save(update_fields=["status", "fed_back_at"])
    audit_event_record(
        actor=actor,
        action="measure_task.feedback",
        target=task,
        department_code=viewer.department_code,
        after={str(i.measure.code): o for i, o, _r in proposed},
    )
    return task


@transaction.atomic
def task_lift(*, actor, task_id: int) -> MeasureTask:
    """The implementing department confirms it has lifted the measures of an exited
    listing (35/13: restoration ends joint punishment everywhere)."""
    viewer = regulator_required(actor)
    task = _task_for_update(viewer, task_id)
    T = MeasureTask.Status
    if task.status == T.LIFTED:
        return task
    _refuse(transitions.task_refusal(task.status, T.LIFTED))
    task.status, task.lifted_at = T.LIFTED, timezone.now()
    task.save(update_fields=["status", "lifted_at"])
    audit_event_record(
        actor=actor, action="measure_task.lift", target=task, department_code=viewer.department_code
    )
    return task


# --- suspension while an objection is checked (33/22) ------------------------------------------
_SUSPENDABLE = (MeasureTask.Status.OPEN, MeasureTask.Status.FED_BACK)


def _notify(task: MeasureTask, kind: str, reason: str, at) -> None:
    """The implementing department is told (33/22: its measures are suspended or back): an
    outbox event to its subscribers, and the task's status in its workbench queue."""
    event_publish(
        kind=f"measure_task.{kind}",
        subject_uscc=task.listing.entity_id,
        payload={
            "task": task.pk,
            "listing": task.listing_id,
            "department": task.department.code,
            "status": task.status,
            "reason": reason,
            "at": at.isoformat(),
        },
        idempotency_key=f"measure_task:{task.pk}:{kind}:{at.isoformat()}",
    )


def _suspend(task: MeasureTask, reason: str, now) -> bool:
    if task.status not in _SUSPENDABLE:
        return False
    _refuse(transitions.task_refusal(task.status, MeasureTask.Status.SUSPENDED))
    task.suspended_from, task.status = task.status, MeasureTask.Status.SUSPENDED
    task.suspended_at, task.suspend_reason = now, reason
    task.save(update_fields=["suspended_from", "status", "suspended_at", "suspend_reason"])
    _notify(task, "suspended", reason, now)
    return True


def _resume(task: MeasureTask, note: str, now) -> bool:
    if task.status != MeasureTask.Status.SUSPENDED:
        return False
    target = task.suspended_from or MeasureTask.Status.OPEN
    _refuse(transitions.task_refusal(task.status, target))
    task.status, task.suspended_from = target, ""
    task.suspended_at, task.suspend_reason = None, ""
    task.save(update_fields=["status", "suspended_from", "suspended_at", "suspend_reason"])
    _notify(task, "resumed", note, now)
    return True


def _tasks_suspend(listing_id: int, reason: str) -> int:
    """Suspend the tasks of a listing being suspended (in the caller's transaction)."""
    now = timezone.now()
    tasks = MeasureTask.objects.select_for_update(of=("self",)).select_related(
        "listing", "department"
    )
    return sum(_suspend(t, reason, now) for t in tasks.filter(listing_id=listing_id))


def _tasks_resume(listing_id: int, note: str) -> int:
    """Return the tasks of a resumed listing to where they were (in the caller's transaction)."""
    now = timezone.now()
    tasks = MeasureTask.objects.select_for_update(of=("self",)).select_related(
        "listing", "department"
    )
    return sum(_resume(t, note, now) for t in tasks.filter(listing_id=listing_id))


def _tasks_notify_exit(listing_id: int, reason: str, now) -> int:
    """Tell each implementing department of an exited listing's tasks that its measures end
    (35/13: restoration ends joint punishment everywhere; the task to lift is in its queue)."""
    tasks = MeasureTask.objects.filter(
        listing_id=listing_id,
        status__in=(MeasureTask.Status.LIFTING, MeasureTask.Status.CANCELLED),
        created_at__lte=now,
    ).select_related("listing", "department")
    count = 0
    for task in tasks:
        _notify(task, "ended", reason, now)
        count += 1
    return count


def _objection_task(actor, task_id) -> tuple[MeasureTask, str]:
    """An objection against one task is handled by the objection service (actor None, after
    its own checks) or by the listing's recognising department."""
    task = _get(
        MeasureTask.objects.select_for_update(of=("self",)).select_related("listing", "department"),
        task_id,
        _("任务不存在。/ No such task."),
    )
    if actor is None:
        return task, ""
    viewer = regulator_required(actor)
    if task.listing.department_id != viewer.department.pk:
        raise PermissionDenied(
            _("只有认定部门可以处理该任务的异议。/ Only the recognising department may."),
            code="not_recognising",
        )
    return task, viewer.department_code


@transaction.atomic
def task_suspend(*, actor, task_id: int, reason: str) -> MeasureTask:
    """An objection against the measure applied: the task is suspended and its department
    told (33/22). Suspending a suspended task changes nothing."""
    task, department_code = _objection_task(actor, task_id)
    if task.status == MeasureTask.Status.SUSPENDED:
        return task
    if task.status not in _SUSPENDABLE:
        _refuse(transitions.task_refusal(task.status, MeasureTask.Status.SUSPENDED))
    if not (reason or "").strip():
        raise DomainError(_("请说明理由。/ Give the reason."), field="reason")
    _suspend(task, reason.strip(), timezone.now())
    audit_event_record(
        actor=actor,
        action="measure_task.suspend",
        target=task,
        department_code=department_code,
        reason=reason,
    )
    return task


@transaction.atomic
def task_resume(*, actor, task_id: int, note: str) -> MeasureTask:
    """The objection failed: the task is back where it was, its department told. A task
    whose listing is itself suspended stays suspended (it resumes with the listing)."""
    task, department_code = _objection_task(actor, task_id)
    if task.status != MeasureTask.Status.SUSPENDED:
        return task
    if task.listing.status == task.listing.Status.SUSPENDED:
        return task
    _resume(task, note, timezone.now())
    audit_event_record(
        actor=actor,
        action="measure_task.resume",
        target=task,
        department_code=department_code,
        reason=note,
    )
    return task


@transaction.atomic
def task_end(*, actor, task_id: int, reason: str) -> MeasureTask:
    """An objection against the task was upheld: a task not yet applied is cancelled, an
    applied one is to be lifted (its department confirms with ``task_lift``)."""
    task, department_code = _objection_task(actor, task_id)
    T = MeasureTask.Status
    state = task.suspended_from if task.status == T.SUSPENDED else task.status
    if state == T.OPEN:
        target = T.CANCELLED
    elif state == T.FED_BACK:
        target = T.LIFTING
    else:
        return task  # lifting, lifted or cancelled already
    _refuse(transitions.task_refusal(task.status, target))
    task.status, task.suspended_from = target, ""
    if target == T.CANCELLED:
        task.lifted_at = timezone.now()
    task.save(update_fields=["status", "suspended_from", "lifted_at"])
    _notify(task, "ended", reason, timezone.now())
    audit_event_record(
        actor=actor,
        action="measure_task.end",
        target=task,
        department_code=department_code,
        after={"status": target},
        reason=reason,
    )
    return task
