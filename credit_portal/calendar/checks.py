"""System check: warn administrators before the calendar runs out."""

from __future__ import annotations

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError
from django.utils import timezone


@register(Tags.database)
def calendar_coverage_check(app_configs=None, databases=None, **kwargs):
    if not databases:
        return []
    from .selectors import years_missing

    this_year = timezone.localdate().year
    try:
        missing = years_missing(range(this_year, this_year + 2))
    except DatabaseError:
        return []  # not migrated yet
    if not missing:
        return []
    return [
        Warning(
            f"官方工作日历缺少年份 {missing}：工作日计算仅按周末推算并标记为临时结果。"
            f" / The official calendar has no holiday notice for {missing}: working days are "
            "computed from weekends only and marked provisional. Enter the State Council notice "
            "in the admin (Official calendar).",
            id="calendar.W001",
        )
    ]
