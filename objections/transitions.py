"""The objection's and the tip-off's state tables, with pure guards (no database)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import Objection, TipOff

OS = Objection.Status
T = TipOff.Status

OBJECTION_MOVES: dict[str, set[str]] = {
    OS.FORWARDING: {OS.REVIEWING},
    OS.REVIEWING: {OS.PROPOSED},
    OS.PROPOSED: {OS.REVIEWING, OS.DECIDED},  # returned for another look, or approved
    OS.DECIDED: set(),
}

TIPOFF_MOVES: dict[str, set[str]] = {
    T.FORWARDING: {T.OPEN},
    T.OPEN: {T.HANDLING},
    T.HANDLING: {T.OPEN, T.CLOSED},  # released to the department again, or closed
    T.CLOSED: set(),
}


def objection_refusal(source: str, target: str) -> str | None:
    """Why the objection cannot move from ``source`` to ``target`` (None: it can)."""
    if target in OBJECTION_MOVES.get(source, set()):
        return None
    if source == OS.DECIDED:
        return _("该异议已办结。/ This objection has been decided.")
    if source == OS.FORWARDING:
        return _("该异议尚未转办到核查部门。/ This objection has not been forwarded yet.")
    if target == OS.DECIDED:
        return _("请先提出处理意见。/ Propose an outcome first.")
    if source == OS.PROPOSED:
        return _("处理意见已提出，等待审核。/ An outcome is proposed and awaits approval.")
    return _("当前状态不允许此操作。/ Not possible in the current state.")


def tipoff_refusal(source: str, target: str) -> str | None:
    if target in TIPOFF_MOVES.get(source, set()):
        return None
    if source == T.CLOSED:
        return _("该举报已办结。/ This tip-off has been closed.")
    if source == T.FORWARDING:
        return _("该举报尚未转办到承办部门。/ This tip-off has not been forwarded yet.")
    if target == T.CLOSED:
        return _("请先认领该举报。/ Take the tip-off first.")
    if source == T.HANDLING and target == T.HANDLING:
        return _("该举报已由他人承办。/ Someone else is handling this tip-off.")
    return _("当前状态不允许此操作。/ Not possible in the current state.")
