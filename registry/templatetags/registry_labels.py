"""Display filters for the registry's concepts: departments and the regions of USCCs.

Registered as a builtin in ``TEMPLATES``, so no template needs ``{% load %}``.
"""

from __future__ import annotations

from django import template

from registry import labels

register = template.Library()


@register.filter
def department(value) -> str:
    """A department's name in the active language; empty for None."""
    return labels.department_label(value)


@register.filter
def departments(values) -> list[str]:
    """Departments' names, for ``join``: ``{{ rule.recognising_departments.all|departments }}``."""
    return [labels.department_label(value) for value in values]


@register.filter
def region(code6: str) -> str:
    """ "广东省深圳市" for a six-digit region code (no queries: stdnum's table)."""
    return labels.region_label(code6)


# --- a decision's publicity clock (registry.labels); empty for a missing decision -----------
@register.filter
def days_overdue(decision) -> int:
    """``{% if decision|days_overdue %}``: still unpublished after its due date."""
    return labels.days_overdue(decision) if decision is not None else 0


@register.filter
def published_on_time(decision) -> bool | None:
    return labels.published_on_time(decision) if decision is not None else None


@register.filter
def withdrawn_late(decision) -> bool:
    return labels.withdrawn_late(decision) if decision is not None else False
