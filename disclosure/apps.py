from celery.schedules import crontab
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = _("信息公示 / Disclosure")
    # Periodic tasks: credit_portal.celery gathers every installed app's into beat's schedule.
    beat_schedule = {
        "publicity-overdue": {
            "task": "disclosure.tasks.publicity_flag_overdue",
            "schedule": crontab(minute=5),
        },
        "publicity-windows": {
            "task": "disclosure.tasks.publicity_windows_close",
            "schedule": crontab(hour=0, minute=30),
        },
        "timeliness-snapshots": {
            "task": "disclosure.tasks.timeliness_snapshots_refresh",
            "schedule": crontab(minute=40),
        },
    }
