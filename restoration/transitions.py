"""The restoration application's state table, with pure guards (no database)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import RestorationApplication

S = RestorationApplication.Status

MOVES: dict[str, set[str]] = {
    S.SUBMITTED: {S.ACCEPTED, S.REFUSED},
    S.ACCEPTED: {S.PROPOSED},
    S.PROPOSED: {S.ACCEPTED, S.APPROVED, S.REJECTED},  # returned, or decided as proposed
    S.REFUSED: set(),
    S.APPROVED: set(),
    S.REJECTED: set(),
}


def refusal(source: str, target: str) -> str | None:
    """Why the application cannot move from ``source`` to ``target`` (None: it can)."""
    if target in MOVES.get(source, set()):
        return None
    if source in RestorationApplication.DONE:
        return _("该申请已办结。/ This application has been decided.")
    if source == S.SUBMITTED:
        return _("请先受理该申请。/ Accept the application first.")
    if source == S.PROPOSED:
        return _("审查意见已提出，等待审核。/ A decision is proposed and awaits approval.")
    if target in (S.APPROVED, S.REJECTED):
        return _("请先提出审查意见。/ Propose a decision first.")
    return _("当前状态不允许此操作。/ Not possible in the current state.")
