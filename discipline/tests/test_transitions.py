"""Every (from, to) pair of every state table: allowed pairs pass their guard when its
condition holds and are refused when it does not; every other pair is refused with a message."""

from __future__ import annotations

import datetime
import itertools

import pytest

from discipline import transitions
from discipline.models import Interview, Listing, MeasureTask, Rectification

TODAY = datetime.date(2026, 6, 15)
L, R = Listing.Status, Listing.ExitReason
RS, IS, TS = Rectification.Status, Interview.Status, MeasureTask.Status

# A context under which each allowed pair's guard passes, and one under which it fails
# (None: the pair has no condition).
OK = {
    "today": TODAY,
    "statement_due": TODAY,
    "stated": True,
    "note": "理由",
    "reason": R.RESTORATION,
    "listed_until": TODAY,
    "deadline": TODAY - datetime.timedelta(days=1),
    "new_deadline": TODAY + datetime.timedelta(days=10),
    "held_on": TODAY,
    "summary": "约谈记录",
    "items": [(True, "applied", ""), (False, "not_applied", "不适用")],
}
FAILS: dict[tuple[str, str], dict | None] = {
    (L.PROPOSED, L.LISTED): {"stated": False, "statement_due": TODAY},
    (L.PROPOSED, L.REJECTED): {"note": " "},
    (L.LISTED, L.SUSPENDED): None,
    (L.SUSPENDED, L.LISTED): {"note": ""},
    (L.SUSPENDED, L.EXITED): {"reason": R.RESTORATION},
    (L.LISTED, L.EXITED): {"reason": R.OBJECTION},
    (RS.ORDERED, RS.RECTIFIED): None,
    (RS.ORDERED, RS.OVERDUE): {"deadline": TODAY},
    (RS.OVERDUE, RS.REMINDED): {"new_deadline": TODAY},
    (RS.OVERDUE, RS.RECTIFIED): None,
    (RS.REMINDED, RS.RECTIFIED): None,
    (RS.REMINDED, RS.ESCALATED): {"deadline": TODAY},
    (RS.ESCALATED, RS.WARNED): None,
    (RS.ESCALATED, RS.RECTIFIED): None,
    (RS.WARNED, RS.RECTIFIED): None,
    (IS.DUE, IS.HELD): {"summary": ""},
    (IS.DUE, IS.CANCELLED): None,
    (TS.OPEN, TS.FED_BACK): {"items": [(True, "not_applied", "理由")]},
    (TS.OPEN, TS.CANCELLED): None,
    (TS.FED_BACK, TS.LIFTING): None,
    (TS.LIFTING, TS.LIFTED): None,
    (TS.OPEN, TS.SUSPENDED): None,
    (TS.FED_BACK, TS.SUSPENDED): None,
    (TS.SUSPENDED, TS.OPEN): None,
    (TS.SUSPENDED, TS.FED_BACK): None,
    (TS.SUSPENDED, TS.CANCELLED): None,
    (TS.SUSPENDED, TS.LIFTING): None,
}
OK_FOR = {(L.SUSPENDED, L.EXITED): {"reason": R.OBJECTION}}

TABLES = [
    (transitions.listing_refusal, L, transitions.LISTING),
    (transitions.rectification_refusal, RS, transitions.RECTIFICATION),
    (transitions.interview_refusal, IS, transitions.INTERVIEW),
    (transitions.task_refusal, TS, transitions.TASK),
]
PAIRS = [
    pytest.param(check, a, b, (a, b) in table, id=f"{labels.__name__}:{a}->{b}")
    for check, labels, table in TABLES
    for a, b in itertools.product(labels.values, repeat=2)
]


def test_every_allowed_pair_has_a_failing_case_listed():
    allowed = {pair for _c, _l, table in TABLES for pair in table}
    assert allowed == set(FAILS)


@pytest.mark.parametrize(("check", "current", "target", "allowed"), PAIRS)
def test_pair(check, current, target, allowed):
    ctx = {**OK, **OK_FOR.get((current, target), {})}
    if not allowed:
        message = check(current, target, **ctx)
        assert message and "/ " in message
        return
    assert check(current, target, **ctx) is None
    failing = FAILS[(current, target)]
    if failing is not None:
        message = check(current, target, **{**ctx, **failing})
        assert message and "/ " in message


def test_listing_cannot_exit_on_expiry_before_its_period_ends():
    ctx = {"today": TODAY, "reason": R.EXPIRY}
    assert transitions.listing_refusal(
        L.LISTED, L.EXITED, **ctx, listed_until=TODAY + datetime.timedelta(days=1)
    )
    assert transitions.listing_refusal(L.LISTED, L.EXITED, **ctx, listed_until=None)
    assert transitions.listing_refusal(L.LISTED, L.EXITED, **ctx, listed_until=TODAY) is None


def test_decision_waits_for_the_statement_period_unless_the_entity_has_spoken():
    ctx = {"today": TODAY, "statement_due": TODAY + datetime.timedelta(days=3)}
    assert transitions.listing_refusal(L.PROPOSED, L.LISTED, **ctx, stated=False)
    assert transitions.listing_refusal(L.PROPOSED, L.LISTED, **ctx, stated=True) is None
    late = {"today": TODAY, "statement_due": TODAY - datetime.timedelta(days=1)}
    assert transitions.listing_refusal(L.PROPOSED, L.LISTED, **late, stated=False) is None


@pytest.mark.parametrize(
    ("items", "ok"),
    [
        ([(True, "applied", "")], True),
        ([(False, "applied", "")], True),
        ([(False, "not_applied", "与本事项无关")], True),
        ([(False, "not_applied", "  ")], False),
        ([(True, "not_applied", "理由")], False),
        ([(True, "applied", ""), (False, "pending", "")], False),
    ],
)
def test_feedback_rules(items, ok):
    assert (transitions.task_refusal(TS.OPEN, TS.FED_BACK, items=items) is None) is ok
