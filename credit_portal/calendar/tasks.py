from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task
def calendar_check_coverage() -> list[int]:
    """Daily: warn administrators when this or next year's holiday notice is missing."""
    from .selectors import years_missing
    from .services import calendar_gap_record

    year = timezone.localdate().year
    missing = years_missing(range(year, year + 2))
    if missing:
        logger.warning("official calendar missing years %s", missing)
        calendar_gap_record(years=tuple(missing))
    return missing
