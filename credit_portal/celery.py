"""The Celery app. Tasks are enqueued after commit and carry the request id (middleware)."""

from __future__ import annotations

import os

from celery import Celery

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

# Carry the request id from the web request into the task (credit_portal.middleware).
from credit_portal import middleware as _middleware  # noqa: E402

_middleware.connect_celery_signals()
