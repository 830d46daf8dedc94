"""Measure tasks: the departments' feedback on the measures they apply, and lifting them."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credit_portal.audit.services import audit_event_record
from credit_portal.errors import DomainError, PermissionDenied
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
