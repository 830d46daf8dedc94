"""State tables of listings, rectification orders, interviews and measure tasks, with pure
guard functions (STYLE). A (from, to) pair not in a table is forbidden; a guard returns why a
listed pair is refused now, or None.

Listing (35/9-10, 33/22): proposed -> listed once the statement period is over (or the entity
has stated its case), or -> rejected; listed -> suspended while an objection is checked (its
measures are suspended), back to listed when the objection fails, exited when it is upheld;
listed -> exited on expiry (not before ``listed_until``), restoration or revocation of the basis.

Rectification (35/11): a missed deadline makes the order overdue (a reminder interview is due);
holding it sets a new deadline; missing that escalates (a warning interview is due).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.utils.translation import gettext as _

from .models import Interview, Listing, MeasureTask, MeasureTaskItem, Rectification

Guard = Callable[..., str | None]


def _always(**ctx) -> str | None:
    return None


def refusal(table: dict[tuple[str, str], Guard], labels, current: str, target: str, **ctx):
    """Why ``current`` -> ``target`` is not allowed now (None: it is)."""
    guard = table.get((current, target))
    if guard is None:
        zh_from, en_from = _label(labels, current)
        zh_to, en_to = _label(labels, target)
        return _(
            "当前状态为“%(current)s”，不能改为“%(target)s”。/ It is %(current_en)s and cannot "
            "become %(target_en)s."
        ) % {"current": zh_from, "target": zh_to, "current_en": en_from, "target_en": en_to}
    return guard(**ctx)


def _label(labels, value: str) -> tuple[str, str]:
    if value not in labels.values:  # a service naming a state the action cannot start from
        return ACTION_STATES.get(value, (value, value))
    zh, _sep, en = str(labels(value).label).partition("/")
    return zh.strip(), en.strip() or value


ACTION_STATES = {
    "decided": ("异议核查中（已作出列入决定）", "suspended (already decided)"),
    "not suspended": ("未暂停", "not suspended"),
}


# --- listings -----------------------------------------------------------------------------------
L = Listing.Status
R = Listing.ExitReason


def _statement_heard(*, today: datetime.date, statement_due: datetime.date, stated: bool, **_c):
    if stated or today > statement_due:
        return None
    return _(
        "陈述申辩期至%(due)s届满，当事人尚未陈述，暂不能作出列入决定。/ The entity may state "
        "its case until %(due)s: the listing cannot be decided before then."
    ) % {"due": statement_due.isoformat()}


def _note_given(*, note: str = "", **_c):
    if not (note or "").strip():
        return _("请说明理由。/ Give the reason.")
    return None


def _exit_allowed(
    *,
    reason: str,
    today: datetime.date,
    listed_until: datetime.date | None = None,
    **_c,
) -> str | None:
    if reason not in R.values:
        return _("移出原因无效。/ Unknown exit reason.")
    if reason == R.OBJECTION:
        return _(
            "异议须先受理核查（暂停惩戒）后才能认定成立。/ An objection is upheld only after "
            "it has been taken up and the listing suspended."
        )
    if reason == R.EXPIRY and (listed_until is None or today < listed_until):
        return _(
            "惩戒期限未满，不能期满移出。/ The listing period has not ended: it cannot exit on "
            "expiry."
        )
    return None


def _objection_upheld(*, reason: str, **_c) -> str | None:
    if reason != R.OBJECTION:
        return _(
            "异议核查中的名单只能因异议成立而移出。/ A suspended listing exits only on an "
            "upheld objection."
        )
    return None


LISTING: dict[tuple[str, str], Guard] = {
    (L.PROPOSED, L.LISTED): _statement_heard,
    (L.PROPOSED, L.REJECTED): _note_given,
    (L.LISTED, L.SUSPENDED): _always,
    (L.SUSPENDED, L.LISTED): _note_given,
    (L.SUSPENDED, L.EXITED): _objection_upheld,
    (L.LISTED, L.EXITED): _exit_allowed,
}


def listing_refusal(current: str, target: str, **ctx) -> str | None:
    return refusal(LISTING, L, current, target, **ctx)


# --- rectification ------------------------------------------------------------------------------
RS = Rectification.Status


def _deadline_passed(*, today: datetime.date, deadline: datetime.date, **_c) -> str | None:
    if today > deadline:
        return None
    return _("整改期限%(d)s尚未届满。/ The deadline %(d)s has not passed.") % {
        "d": deadline.isoformat()
    }


def _new_deadline(
    *, today: datetime.date, new_deadline: datetime.date | None = None, **_c
) -> str | None:
    if new_deadline is None or new_deadline <= today:
        return _(
            "提示约谈须确定新的整改期限（晚于今天）。/ A reminder interview sets a new deadline "
            "after today."
        )
    return None


RECTIFICATION: dict[tuple[str, str], Guard] = {
    (RS.ORDERED, RS.RECTIFIED): _always,
    (RS.ORDERED, RS.OVERDUE): _deadline_passed,
    (RS.OVERDUE, RS.REMINDED): _new_deadline,
    (RS.OVERDUE, RS.RECTIFIED): _always,
    (RS.REMINDED, RS.RECTIFIED): _always,
    (RS.REMINDED, RS.ESCALATED): _deadline_passed,
    (RS.ESCALATED, RS.WARNED): _always,
    (RS.ESCALATED, RS.RECTIFIED): _always,
    (RS.WARNED, RS.RECTIFIED): _always,
}


def rectification_refusal(current: str, target: str, **ctx) -> str | None:
    return refusal(RECTIFICATION, RS, current, target, **ctx)


# --- interviews ---------------------------------------------------------------------------------
IS = Interview.Status


def _interview_recorded(
    *, today: datetime.date, held_on: datetime.date | None = None, summary: str = "", **_c
) -> str | None:
    if held_on is None or held_on > today:
        return _("请填写约谈日期（不晚于今天）。/ Give the date it was held (not after today).")
    if not (summary or "").strip():
        return _("请填写约谈记录。/ Write the record of the interview.")
    return None


INTERVIEW: dict[tuple[str, str], Guard] = {
    (IS.DUE, IS.HELD): _interview_recorded,
    (IS.DUE, IS.CANCELLED): _always,
}


def interview_refusal(current: str, target: str, **ctx) -> str | None:
    return refusal(INTERVIEW, IS, current, target, **ctx)


# --- measure tasks ------------------------------------------------------------------------------
TS = MeasureTask.Status
O = MeasureTaskItem.Outcome  # noqa: E741


def _feedback_complete(*, items: list[tuple[bool, str, str]] = (), **_c) -> str | None:
    """``items``: (mandatory, outcome, reason) of every measure of the task."""
    for mandatory, outcome, reason in items:
        if outcome == O.PENDING:
            return _("每项措施都须反馈实施情况。/ Give the outcome of every measure.")
        if outcome == O.NOT_APPLIED and mandatory:
            return _("强制性措施必须实施，不能反馈为未实施。/ A mandatory measure must be applied.")
        if outcome == O.NOT_APPLIED and not (reason or "").strip():
            return _(
                "推荐性措施未实施的，须说明理由。/ Give the reason a recommended measure was "
                "not applied."
            )
    return None


TASK: dict[tuple[str, str], Guard] = {
    (TS.OPEN, TS.FED_BACK): _feedback_complete,
    (TS.OPEN, TS.CANCELLED): _always,
    (TS.FED_BACK, TS.LIFTING): _always,
    (TS.LIFTING, TS.LIFTED): _always,
    # An objection suspends a task being applied (33/22); a failed objection returns it to
    # where it was; an upheld one, or its listing's exit, ends it as it would have ended.
    (TS.OPEN, TS.SUSPENDED): _always,
    (TS.FED_BACK, TS.SUSPENDED): _always,
    (TS.SUSPENDED, TS.OPEN): _always,
    (TS.SUSPENDED, TS.FED_BACK): _always,
    (TS.SUSPENDED, TS.CANCELLED): _always,
    (TS.SUSPENDED, TS.LIFTING): _always,
}


def task_refusal(current: str, target: str, **ctx) -> str | None:
    return refusal(TASK, TS, current, target, **ctx)
