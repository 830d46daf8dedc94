"""Display labels for the registry's concepts (departments, regions, entities, records).

Public (not presentation), for every app's pages; templates reach them through the
``registry_labels`` filters, so views hand selectors' results to templates undecorated.
"""

from __future__ import annotations

from django.utils import timezone

from credit_portal.web import english

from . import uscc as uscc_codes
from .models import Decision


def region_label(code6: str) -> str:
    region = uscc_codes.region(code6)
    if region.name and region.name != region.province:
        return f"{region.province}{region.name}"
    return region.province or code6


def department_label(department) -> str:
    if department is None:
        return ""
    return department.name_en if english() and department.name_en else department.name


# --- the publicity clock of a decision (35/15), for its status badges (no queries) ----------
def days_overdue(decision: Decision) -> int:
    """Days a decision is still unpublished after its due date (the hourly job alerts the same
    ones); 0 when it is not overdue."""
    today = timezone.localdate()
    if decision.status == Decision.Status.RECORDED and decision.publicity_due < today:
        return (today - decision.publicity_due).days
    return 0


def published_on_time(decision: Decision) -> bool | None:
    """Published by its due date; None while unpublished."""
    if decision.published_at is None:
        return None
    return timezone.localtime(decision.published_at).date() <= decision.publicity_due


def withdrawn_late(decision: Decision) -> bool:
    return (
        decision.withdrawn_at is not None
        and decision.withdrawal_due is not None
        and timezone.localtime(decision.withdrawn_at).date() > decision.withdrawal_due
    )
