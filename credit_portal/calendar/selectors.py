"""Working-day arithmetic. Every answer says whether it is provisional."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from .models import CalendarYear, OfficialDay

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkingDayResult:
    """``value`` is a date, a bool or a count; ``provisional`` when a year had no notice."""

    value: object
    provisional: bool
    unknown_years: tuple[int, ...] = ()


class WorkingCalendar:
    """The calendar for a date range, loaded once (two queries) and answered in memory."""

    def __init__(self, first: datetime.date, last: datetime.date):
        self.first, self.last = first, last
        self.exceptions = dict(
            OfficialDay.objects.filter(date__range=(first, last)).values_list(
                "date", "is_working_day"
            )
        )
        self.published = set(
            CalendarYear.objects.filter(
                year__range=(first.year, last.year), published=True
            ).values_list("year", flat=True)
        )

    def is_working(self, day: datetime.date) -> bool:
        if day in self.exceptions:
            return self.exceptions[day]
        return day.weekday() < 5

    def unknown_years(self, first: datetime.date, last: datetime.date) -> tuple[int, ...]:
        return tuple(y for y in range(first.year, last.year + 1) if y not in self.published)


def _warn(unknown: tuple[int, ...]) -> None:
    if unknown:
        from .services import calendar_gap_record

        logger.warning("working days computed from weekends only for years %s", unknown)
        calendar_gap_record(years=unknown)


def add_working_days(start: datetime.date, days: int) -> WorkingDayResult:
    """The ``days``-th working day after ``start`` (``start`` itself never counts).

    ``days`` = 0 gives ``start`` itself; negative counts go backwards.
    """
    step = 1 if days >= 0 else -1
    # Enough room for the longest holiday run (Spring Festival, 9 days) per week of work.
    span = abs(days) * 2 + 30
    lo, hi = sorted((start, start + datetime.timedelta(days=step * span)))
    cal = WorkingCalendar(lo, hi)
    day, remaining = start, abs(days)
    while remaining:
        day += datetime.timedelta(days=step)
        if day < cal.first or day > cal.last:  # pathological: extend the window
            cal = WorkingCalendar(min(day, cal.first), max(day + datetime.timedelta(60), cal.last))
        if cal.is_working(day):
            remaining -= 1
    unknown = cal.unknown_years(*sorted((start, day)))
    _warn(unknown)
    return WorkingDayResult(day, bool(unknown), unknown)


def is_working_day(day: datetime.date) -> WorkingDayResult:
    cal = WorkingCalendar(day, day)
    unknown = cal.unknown_years(day, day)
    _warn(unknown)
    return WorkingDayResult(cal.is_working(day), bool(unknown), unknown)


def working_days_between(start: datetime.date, end: datetime.date) -> WorkingDayResult:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` <= ``start``)."""
    if end <= start:
        return WorkingDayResult(0, False)
    cal = WorkingCalendar(start, end)
    count = sum(
        1
        for offset in range(1, (end - start).days + 1)
        if cal.is_working(start + datetime.timedelta(days=offset))
    )
    unknown = cal.unknown_years(start, end)
    _warn(unknown)
    return WorkingDayResult(count, bool(unknown), unknown)


def years_missing(years: range) -> list[int]:
    published = set(
        CalendarYear.objects.filter(year__in=list(years), published=True).values_list(
            "year", flat=True
        )
    )
    return [y for y in years if y not in published]
