from celery.schedules import crontab
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObjectionsConfig(AppConfig):
    name = "objections"
    verbose_name = _("异议与举报 / Objections")
    # Periodic tasks: credit_portal.celery gathers every installed app's into beat's schedule.
    beat_schedule = {
        "objection-clocks": {
            "task": "objections.tasks.objections_clock",
            "schedule": crontab(minute=10),
        },
    }
