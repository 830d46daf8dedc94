"""The Celery app. Tasks are enqueued after commit and carry the request id (middleware).
Beat's schedule is gathered from the installed apps (``installed_beat_schedule``)."""

from __future__ import annotations

import os
from typing import Any

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "credit_portal.settings.dev")

app = Celery("credit_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_configure.connect
def _make_filesystem_broker_folders(sender, **kwargs) -> None:
    """kombu's filesystem transport needs its folders to exist before anyone publishes. Read
    from Django's settings: ``sender.conf`` is not loaded yet here, and asking it recurses."""
    from pathlib import Path

    from django.conf import settings

    if str(getattr(settings, "CELERY_BROKER_URL", "")).startswith("filesystem"):
        options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            folder = options.get(key)
            if folder:
                Path(folder).mkdir(parents=True, exist_ok=True)


app.autodiscover_tasks(["credit_portal.calendar", "credit_portal.audit", "credit_portal.outbox"])


def installed_beat_schedule() -> dict[str, dict[str, Any]]:
    """Every installed app's periodic tasks, in ``INSTALLED_APPS`` order: the ``beat_schedule``
    mapping on its AppConfig (entry name -> Celery's entry fields: task, schedule, args...), so
    that adding an app touches only that app. Two apps may not use one entry name: beat would
    keep one of them silently."""
    from django.apps import apps
    from django.core.exceptions import ImproperlyConfigured

    schedule: dict[str, dict[str, Any]] = {}
    owners: dict[str, str] = {}
    for config in apps.get_app_configs():
        for name, entry in getattr(config, "beat_schedule", {}).items():
            if name in schedule:
                raise ImproperlyConfigured(
                    f"beat entry {name!r} is declared by both {owners[name]} and {config.name}"
                )
            schedule[name] = entry
            owners[name] = config.name
    return schedule


@signals.import_modules.connect(sender=app)
def _gather_beat_schedule(sender: Celery, **kwargs: Any) -> None:
    """Fill ``beat_schedule`` when beat (or a worker with -B) loads the task modules. Django's
    apps are ready then: Celery's Django fix-up connected to this signal first, when the app
    was made, and runs ``django.setup()``. django-celery-beat's DatabaseScheduler reads
    ``app.conf.beat_schedule`` once, at start-up, and writes each entry to its PeriodicTask
    table (an entry it cannot load is logged and skipped, so the tests load them all)."""
    sender.conf.beat_schedule = installed_beat_schedule()


# Carry the request id from the web request into the task (credit_portal.middleware).
from credit_portal import middleware as _middleware  # noqa: E402

_middleware.connect_celery_signals()
