from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarConfig(AppConfig):
    name = "credit_portal.calendar"
    label = "calendar"
    verbose_name = _("工作日历 / Official calendar")
    # Periodic tasks: credit_portal.celery gathers every installed app's into beat's schedule.
    beat_schedule = {
        "calendar-coverage": {
            "task": "credit_portal.calendar.tasks.calendar_check_coverage",
            "schedule": 24 * 3600,
        },
    }

    def ready(self) -> None:
        from . import checks  # noqa: F401
