"""The commitment state table and its guards (STYLE: tables with pure guard functions).

A commitment is in force until the department records how it was kept: fully (fulfilled),
partly (a partly fulfilled commitment may still be completed or breached later), or not at all
(breached). A commitment with missing materials is fulfilled only when every material has been
supplied. Fulfilled and breached are final.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from .models import Commitment, VoluntaryDisclosure

S = Commitment.Status
F = Commitment.Fulfilment


def _always(*, unsupplied: int) -> str | None:
    return None


def _all_supplied(*, unsupplied: int) -> str | None:
    if unsupplied:
        return _(
            "还有%(n)d项容缺材料未补正，不能记为全部履行。/ %(n)d missing materials have not "
            "been supplied: the commitment cannot be recorded as fully kept."
        ) % {"n": unsupplied}
    return None


# (from, to) -> guard; a pair not in the table is forbidden.
TRANSITIONS: dict[tuple[str, str], Callable[..., str | None]] = {
    (S.IN_FORCE, S.FULFILLED): _all_supplied,
    (S.IN_FORCE, S.PARTIAL): _always,
    (S.IN_FORCE, S.BREACHED): _always,
    (S.PARTIAL, S.FULFILLED): _all_supplied,
    (S.PARTIAL, S.BREACHED): _always,
}

# What each recorded fulfilment moves the commitment to.
FULFILMENT_STATUS = {F.FULL: S.FULFILLED, F.PARTIAL: S.PARTIAL, F.NONE: S.BREACHED}


def refusal(current: str, target: str, *, unsupplied: int = 0) -> str | None:
    """Why ``current`` -> ``target`` is not allowed now (None: it is)."""
    guard = TRANSITIONS.get((current, target))
    if guard is None:
        return _(
            "承诺状态为“%(current)s”，不能改为“%(target)s”。/ A commitment that is "
            "%(current_en)s cannot become %(target_en)s."
        ) % {
            "current": _zh(current),
            "target": _zh(target),
            "current_en": current,
            "target_en": target,
        }
    return guard(unsupplied=unsupplied)


def _zh(status: str) -> str:
    return str(S(status).label).partition(" / ")[0]


# --- voluntarily registered information ----------------------------------------------------------
def _reason_given(*, reason: str) -> str | None:
    if not (reason or "").strip():
        return _("请说明理由。/ Give the reason.")
    return None


def _no_reason_needed(*, reason: str) -> str | None:
    return None


V = VoluntaryDisclosure.Status
DISCLOSURE_TRANSITIONS: dict[tuple[str, str], Callable[..., str | None]] = {
    (V.PENDING, V.VERIFIED): _no_reason_needed,
    (V.PENDING, V.REJECTED): _reason_given,
    (V.VERIFIED, V.REVOKED): _reason_given,
}


def disclosure_refusal(current: str, target: str, *, reason: str = "") -> str | None:
    """Why a voluntary registration may not go from ``current`` to ``target`` now."""
    guard = DISCLOSURE_TRANSITIONS.get((current, target))
    if guard is None:
        return _(
            "该信息状态为“%(current)s”，不能改为“%(target)s”。/ Information that is "
            "%(current_en)s cannot become %(target_en)s."
        ) % {
            "current": str(V(current).label).partition(" / ")[0],
            "target": str(V(target).label).partition(" / ")[0],
            "current_en": current,
            "target_en": target,
        }
    return guard(reason=reason)
