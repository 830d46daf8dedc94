"""The rectification, interview and measure-task state machines through their services and
the nightly job: every reachable state against every action. An allowed action moves the
row (and is audited); repeating the action that led to a state changes nothing; anything else
is refused and leaves no trace but its message (the pure tables are walked pair by pair in
test_transitions.py)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from credit_portal.errors import DomainError
from discipline import services
from discipline.models import Interview, MeasureTask, Rectification

from . import factories
from .test_services import trace

RS = Rectification.Status
SAME = "same"


# --- rectification orders and their interviews ---------------------------------------------------
def _escalate(staff, order: Rectification) -> None:
    """The nightly job, run on the day after the order's current deadline."""
    order.refresh_from_db()
    services.rectifications_escalate(today=order.deadline + datetime.timedelta(days=1))


def _hold(kind: str):
    def hold(staff, order: Rectification) -> None:
        interview = Interview.objects.get(rectification=order, kind=kind)
        today = timezone.localdate()
        services.interview_hold(
            actor=staff,
            interview_id=interview.pk,
            held_on=today,
            summary="约谈记录：告知整改要求和法律后果",
            new_deadline=today + datetime.timedelta(days=10) if kind == "reminder" else None,
        )

    return hold


ORDER_ACTIONS = {
    "complete": lambda staff, order: services.rectification_complete(
        actor=staff, rectification_id=order.pk, note="已整改"
    ),
    "escalate": _escalate,
    "hold_reminder": _hold("reminder"),
    "hold_warning": _hold("warning"),
}
# key -> (how it is reached, the order's status, the interviews it has: kind -> status)
ORDER_STATES = {
    "ordered": ([], RS.ORDERED, {}),
    "overdue": (["escalate"], RS.OVERDUE, {"reminder": "due"}),
    "reminded": (["escalate", "hold_reminder"], RS.REMINDED, {"reminder": "held"}),
    "escalated": (
        ["escalate", "hold_reminder", "escalate"],
        RS.ESCALATED,
        {"reminder": "held", "warning": "due"},
    ),
    "warned": (
        ["escalate", "hold_reminder", "escalate", "hold_warning"],
        RS.WARNED,
        {"reminder": "held", "warning": "held"},
    ),
    "rectified": (["complete"], RS.RECTIFIED, {}),
    "rectified_before_reminder": (
        ["escalate", "complete"],
        RS.RECTIFIED,
        {"reminder": "cancelled"},
    ),
    "rectified_before_warning": (
        ["escalate", "hold_reminder", "escalate", "complete"],
        RS.RECTIFIED,
        {"reminder": "held", "warning": "cancelled"},
    ),
}
# (state, action) -> the order's status after it, SAME, or absent: refused.
ORDER_EXPECTED = {
    **{(s, "complete"): RS.RECTIFIED for s in ORDER_STATES if not s.startswith("rectified")},
    **{(s, "complete"): SAME for s in ORDER_STATES if s.startswith("rectified")},
    **{(s, "escalate"): SAME for s in ORDER_STATES},
    ("ordered", "escalate"): RS.OVERDUE,
    ("reminded", "escalate"): RS.ESCALATED,
    ("overdue", "hold_reminder"): RS.REMINDED,
    ("reminded", "hold_reminder"): SAME,
    ("escalated", "hold_reminder"): SAME,
    ("warned", "hold_reminder"): SAME,
    ("rectified_before_warning", "hold_reminder"): SAME,
    ("escalated", "hold_warning"): RS.WARNED,
    ("warned", "hold_warning"): SAME,
}


def _order_cases():
    """Every state with every action that has something to act on (no interview of a kind
    that was never due)."""
    for state, (_path, _status, interviews) in ORDER_STATES.items():
        for action in ORDER_ACTIONS:
            kind = action.removeprefix("hold_")
            if action.startswith("hold_") and kind not in interviews:
                continue
            yield state, action


@pytest.mark.parametrize(("state", "action"), list(_order_cases()))
def test_order_walk(state, action, samr_staff, entity):
    order = services.rectification_order(
        actor=samr_staff,
        uscc=entity.uscc,
        requirement="停止违法行为并提交整改报告",
        deadline=timezone.localdate() + datetime.timedelta(days=1),
    )
    path, status, interviews = ORDER_STATES[state]
    for step in path:
        ORDER_ACTIONS[step](samr_staff, order)
    order.refresh_from_db()
    assert order.status == status
    assert dict(order.interviews.values_list("kind", "status")) == interviews
    expected = ORDER_EXPECTED.get((state, action))
    before = trace()
    if expected is None:
        with pytest.raises(DomainError) as info:
            ORDER_ACTIONS[action](samr_staff, order)
        assert "/" in str(info.value.message)
        assert trace() == before
    elif expected == SAME:
        ORDER_ACTIONS[action](samr_staff, order)
        assert trace() == before
    else:
        ORDER_ACTIONS[action](samr_staff, order)
        order.refresh_from_db()
        assert order.status == expected
        assert trace()[0] > before[0]  # audited


def test_a_held_interview_enters_the_credit_record_once(samr_staff, entity):
    order = services.rectification_order(
        actor=samr_staff,
        uscc=entity.uscc,
        requirement="整改",
        deadline=timezone.localdate() + datetime.timedelta(days=1),
    )
    _escalate(samr_staff, order)
    _hold("reminder")(samr_staff, order)
    _hold("reminder")(samr_staff, order)
    (interview,) = Interview.objects.filter(rectification=order)
    assert interview.record is not None
    assert interview.record.catalogue_item.code == "YT"
    assert interview.record.entity_id == entity.uscc


# --- measure tasks ---------------------------------------------------------------------------
T = MeasureTask.Status


def _feedback(staff, task: MeasureTask) -> None:
    services.task_feedback(
        actor=staff,
        task_id=task.pk,
        outcomes={item.measure_id: ("applied", "") for item in task.items.all()},
    )


# Each action gets (recognising staff, implementing staff, task).
TASK_ACTIONS = {
    "feedback": lambda owner, staff, task: _feedback(staff, task),
    "lift": lambda owner, staff, task: services.task_lift(actor=staff, task_id=task.pk),
    "exit": lambda owner, staff, task: services.listing_exit(
        actor=owner, listing_id=task.listing_id, reason="revoked"
    ),
}
TASK_PATHS = {
    T.OPEN: [],
    T.FED_BACK: ["feedback"],
    T.LIFTING: ["feedback", "exit"],
    T.LIFTED: ["feedback", "exit", "lift"],
    T.CANCELLED: ["exit"],
}
TASK_EXPECTED = {
    (T.OPEN, "feedback"): T.FED_BACK,
    (T.FED_BACK, "feedback"): SAME,
    (T.LIFTING, "lift"): T.LIFTED,
    (T.LIFTED, "lift"): SAME,
}


@pytest.mark.parametrize("action", ["feedback", "lift"])
@pytest.mark.parametrize("state", list(TASK_PATHS))
def test_task_walk(state, action, samr, samr_staff, tax, tax_staff, entity):
    factories.measure(tax, code="TAX-WALK")
    rule = factories.rule(samr)
    listing = factories.listed(by=samr_staff, entity=entity, rule=rule)
    task = MeasureTask.objects.get(listing=listing, department=tax)
    for step in TASK_PATHS[state]:
        TASK_ACTIONS[step](samr_staff, tax_staff, task)
    task.refresh_from_db()
    assert task.status == state
    expected = TASK_EXPECTED.get((state, action))
    before = trace()
    if expected is None:
        with pytest.raises(DomainError) as info:
            TASK_ACTIONS[action](samr_staff, tax_staff, task)
        assert "/" in str(info.value.message)
        assert trace() == before
    elif expected == SAME:
        TASK_ACTIONS[action](samr_staff, tax_staff, task)
        assert trace() == before
    else:
        TASK_ACTIONS[action](samr_staff, tax_staff, task)
        task.refresh_from_db()
        assert task.status == expected
        assert trace()[0] > before[0]
