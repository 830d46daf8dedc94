"""Writes of the public face: the statistics snapshots (``models.TimelinessSnapshot``)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from . import selectors
from .models import TimelinessSnapshot


def timeliness_snapshots_refresh(*, today: datetime.date | None = None) -> list[int]:
    """Compute the timeliness statistics of this year and last year again (decisions of both
    still fall due or get published), and of any offered year that has no snapshot yet.
    Returns the years written. Hourly (disclosure.tasks); running it twice is harmless."""
    today = today or timezone.localdate()
    have = set(TimelinessSnapshot.objects.values_list("year", flat=True))
    years = [
        year
        for year in selectors.decision_years(today)
        if year >= today.year - 1 or year not in have
    ]
    for year in years:
        rows = selectors.timeliness_rows(year=year, today=today)
        TimelinessSnapshot.objects.update_or_create(
            year=year, defaults={"as_of": today, "rows": rows}
        )
    return years
