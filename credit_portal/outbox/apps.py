from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "credit_portal.outbox"
    label = "outbox"
    verbose_name = _("推送 / Outbox")
    # Periodic tasks: credit_portal.celery gathers every installed app's into beat's schedule.
    beat_schedule = {
        # Every event's notices to its subscribers (at least once, signed, retried).
        "outbox-relay": {
            "task": "credit_portal.outbox.tasks.outbox_relay",
            "schedule": 60,
        },
    }
