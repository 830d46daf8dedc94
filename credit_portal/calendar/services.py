"""Writes to the official calendar."""

from __future__ import annotations

import datetime

from django.db import connection, transaction

from .models import CalendarYear, OfficialDay


def calendar_gap_record(*, years: tuple[int, ...]) -> None:
    """Count a provisional answer against each year with no notice (one upsert per year)."""
    with connection.cursor() as cursor:
        for year in years:
            cursor.execute(
                """
                INSERT INTO calendar_calendargap (year, first_seen, last_seen, occurrences)
                VALUES (%s, now(), now(), 1)
                ON CONFLICT (year) DO UPDATE
                SET last_seen = now(), occurrences = calendar_calendargap.occurrences + 1
                """,
                [year],
            )


@transaction.atomic
def calendar_load_library() -> list[int]:
    """Load every year ``chinesecalendar`` knows; years entered by administrators are kept."""
    import chinese_calendar

    days: dict[datetime.date, tuple[bool, str]] = {}
    for day, name in chinese_calendar.holidays.items():
        days[day] = (False, str(name))
    for day, name in chinese_calendar.workdays.items():
        if day.weekday() >= 5:  # a make-up working weekend day
            days[day] = (True, f"{name} 调休上班")
    years = sorted({d.year for d in days})
    admin_years = set(
        CalendarYear.objects.filter(source=CalendarYear.Source.ADMIN).values_list("year", flat=True)
    )
    years = [y for y in years if y not in admin_years]
    OfficialDay.objects.filter(date__year__in=years).delete()
    OfficialDay.objects.bulk_create(
        OfficialDay(date=d, is_working_day=w, name=n, source=CalendarYear.Source.LIBRARY)
        for d, (w, n) in days.items()
        if d.year in years
    )
    for year in years:
        CalendarYear.objects.update_or_create(
            year=year,
            defaults={"published": True, "source": CalendarYear.Source.LIBRARY},
        )
    return years
