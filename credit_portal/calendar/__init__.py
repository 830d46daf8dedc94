"""Working days on the official calendar (holidays and make-up working days).

``add_working_days(start, n)`` and ``is_working_day(day)`` answer from the ``OfficialDay`` table,
which is loaded from ``chinesecalendar`` and extended by administrators when the State Council
publishes a new year's holiday notice. For a year with no published notice the answer is
computed from weekends only and marked provisional, and administrators are warned: never guess,
never crash.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime

    from .selectors import WorkingDayResult


def add_working_days(start: datetime.date, days: int) -> WorkingDayResult:
    from .selectors import add_working_days as _add

    return _add(start, days)


def is_working_day(day: datetime.date) -> WorkingDayResult:
    from .selectors import is_working_day as _is

    return _is(day)


def working_days_between(start: datetime.date, end: datetime.date) -> WorkingDayResult:
    from .selectors import working_days_between as _between

    return _between(start, end)
