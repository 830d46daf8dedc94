"""Working days on the official calendar: holidays, make-up working days, year ends, and
years with no published notice (provisional, never an exception)."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command

from credit_portal import calendar
from credit_portal.calendar.checks import calendar_coverage_check
from credit_portal.calendar.models import CalendarGap, CalendarYear, OfficialDay
from credit_portal.calendar.tasks import calendar_check_coverage

pytestmark = pytest.mark.django_db
D = datetime.date.fromisoformat


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # 2026 National Day: Oct 1-7 off; Saturday Oct 10 is a make-up working day.
        ("2026-09-30", 7, "2026-10-15"),
        # 2025 National Day and Mid-Autumn: Oct 1-8 off; Saturday Oct 11 works.
        ("2025-09-30", 7, "2025-10-16"),
        # 2026 Spring Festival: Feb 15-23 off; Saturdays Feb 14 and 28 work.
        ("2026-02-13", 1, "2026-02-14"),
        ("2026-02-13", 2, "2026-02-24"),
        ("2026-02-13", 6, "2026-02-28"),
        ("2026-02-13", 7, "2026-03-02"),
        # Year end: Jan 1-3 2026 off, Sunday Jan 4 works.
        ("2025-12-31", 1, "2026-01-04"),
        ("2025-12-31", 7, "2026-01-12"),
        # An ordinary week: weekends are not counted.
        ("2026-06-05", 1, "2026-06-08"),
        ("2026-06-08", 0, "2026-06-08"),
        # Backwards.
        ("2026-10-15", -7, "2026-09-30"),
    ],
)
def test_add_working_days_on_the_official_calendar(start, days, due):
    result = calendar.add_working_days(D(start), days)
    assert result.value == D(due)
    assert result.provisional is False


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-10-10", True),
        ("2026-10-05", False),
        ("2026-02-14", True),
        ("2026-10-11", False),
        ("2025-05-01", False),
        ("2026-05-06", True),
    ],
)
def test_is_working_day(day, working):
    assert calendar.is_working_day(D(day)).value is working


def test_working_days_between():
    assert calendar.working_days_between(D("2026-09-30"), D("2026-10-15")).value == 7


def test_unknown_year_is_provisional_with_a_warning_never_an_error(caplog):
    result = calendar.add_working_days(D("2027-03-01"), 7)  # Monday
    assert result.value == D("2027-03-10")  # weekends only
    assert result.provisional is True and result.unknown_years == (2027,)
    assert CalendarGap.objects.get(year=2027).occurrences == 1
    assert "weekends only" in caplog.text
    calendar.is_working_day(D("2027-10-01"))
    assert CalendarGap.objects.get(year=2027).occurrences == 2


def test_due_date_crossing_into_an_unknown_year_is_provisional():
    result = calendar.add_working_days(D("2026-12-28"), 7)
    assert result.value == D("2027-01-06")
    assert result.provisional


def test_an_administrator_extends_the_calendar_with_a_new_year():
    CalendarYear.objects.create(year=2027, published=True, notice="国办发明电〔2026〕X号")
    OfficialDay.objects.create(date=D("2027-01-01"), is_working_day=False, name="元旦")
    result = calendar.add_working_days(D("2026-12-31"), 1)
    assert result.value == D("2027-01-04")
    assert not result.provisional
    assert not CalendarGap.objects.exists()


def test_system_check_and_daily_task_warn_about_missing_years(settings):
    warnings = calendar_coverage_check(databases=["default"])
    assert [w.id for w in warnings] == ["calendar.W001"]  # 2027 is not published yet
    assert calendar_check_coverage() == [2027]
    assert CalendarGap.objects.filter(year=2027).exists()


def test_reloading_the_library_keeps_administrator_years():
    CalendarYear.objects.create(year=2027, published=True, source="admin")
    OfficialDay.objects.create(date=D("2027-02-10"), is_working_day=False, name="春节")
    call_command("calendar_load")
    assert OfficialDay.objects.filter(date=D("2027-02-10")).exists()
    assert OfficialDay.objects.filter(date=D("2026-10-01"), is_working_day=False).exists()
