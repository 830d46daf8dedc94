from django.db import migrations


def load(apps, schema_editor):
    import chinese_calendar

    OfficialDay = apps.get_model("calendar", "OfficialDay")
    CalendarYear = apps.get_model("calendar", "CalendarYear")
    days = {day: (False, str(name)) for day, name in chinese_calendar.holidays.items()}
    for day, name in chinese_calendar.workdays.items():
        if day.weekday() >= 5:
            days[day] = (True, f"{name} 调休上班")
    OfficialDay.objects.bulk_create(
        OfficialDay(date=d, is_working_day=w, name=n, source="library") for d, (w, n) in days.items()
    )
    CalendarYear.objects.bulk_create(
        CalendarYear(year=y, published=True, source="library") for y in sorted({d.year for d in days})
    )


class Migration(migrations.Migration):
    dependencies = [("calendar", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
