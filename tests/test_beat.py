"""Beat's schedule comes from the apps (``beat_schedule`` on each AppConfig), gathered by the
Celery app when it loads the task modules, as ``celery beat`` does at start-up; the settings
name no app's tasks. django-celery-beat's DatabaseScheduler then writes every entry to its
PeriodicTask table, and skips (with only a log line) any it cannot load, so the test starts
it against the test database and counts the rows."""

from __future__ import annotations

import pytest
from celery.schedules import crontab
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from credit_portal.celery import app, installed_beat_schedule

# The entries as CELERY_BEAT_SCHEDULE in the settings had them before the apps declared them.
EXPECTED = {
    "calendar-coverage": {
        "task": "credit_portal.calendar.tasks.calendar_check_coverage",
        "schedule": 24 * 3600,
    },
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
    "commitment-deadlines": {
        "task": "commitments.tasks.commitment_deadlines_check",
        "schedule": crontab(hour=0, minute=45),
    },
    "listings-expire": {
        "task": "discipline.tasks.listings_expire",
        "schedule": crontab(hour=1, minute=0),
    },
    "rectification-deadlines": {
        "task": "discipline.tasks.rectifications_escalate",
        "schedule": crontab(hour=1, minute=15),
    },
    "liability-warnings": {
        "task": "discipline.tasks.liability_warnings_scan",
        "schedule": crontab(minute="*/5"),
    },
    "objection-clocks": {
        "task": "objections.tasks.objections_clock",
        "schedule": crontab(minute=10),
    },
    "restoration-clocks": {
        "task": "restoration.tasks.restoration_clock",
        "schedule": crontab(minute=20),
    },
    "rating-run": {
        "task": "ratings.tasks.rating_run_nightly",
        "schedule": crontab(hour=2, minute=0),
    },
    "rating-resume": {
        "task": "ratings.tasks.rating_runs_resume",
        "schedule": crontab(minute="*/10"),
    },
}
# The outbox (layer 1) replaced ratings' own relay (rating-deliveries) with one for every event.
EXPECTED["outbox-relay"] = {"task": "credit_portal.outbox.tasks.outbox_relay", "schedule": 60}


@pytest.fixture
def fresh_schedule(monkeypatch):
    """The Celery app's schedule as before beat loads the task modules (restored after)."""
    monkeypatch.setenv("CELERY_SKIP_CHECKS", "1")  # the fix-up's system checks: not the point
    monkeypatch.setitem(app.conf, "beat_schedule", {})


def test_the_apps_declare_the_same_entries_as_the_settings_did():
    assert installed_beat_schedule() == EXPECTED
    assert not hasattr(settings, "CELERY_BEAT_SCHEDULE")


def test_every_scheduled_task_is_registered(fresh_schedule):
    app.loader.import_default_modules()
    assert {entry["task"] for entry in installed_beat_schedule().values()} <= set(app.tasks)


def test_two_apps_may_not_declare_one_entry(monkeypatch):
    ratings = apps.get_app_config("ratings")
    monkeypatch.setattr(
        ratings, "beat_schedule", {"calendar-coverage": EXPECTED["calendar-coverage"]}
    )
    with pytest.raises(ImproperlyConfigured, match="calendar-coverage"):
        installed_beat_schedule()


def test_loading_the_task_modules_gathers_the_schedule(fresh_schedule):
    """Given the Celery app as ``celery beat`` starts it, when it loads the task modules (the
    loader's import_modules signal, after Django's fix-up has set Django up), then its
    ``beat_schedule`` is every app's entries."""
    assert app.conf.beat_schedule == {}
    app.loader.import_default_modules()
    assert app.conf.beat_schedule == EXPECTED


@pytest.mark.django_db
def test_the_database_scheduler_writes_every_entry(fresh_schedule, monkeypatch):
    """Given beat's DatabaseScheduler started from the Celery app against an empty table, then
    it writes one PeriodicTask row per entry, with the entry's task and schedule (plus
    Celery's own result clean-up)."""
    from django_celery_beat import schedulers
    from django_celery_beat.models import PeriodicTask
    from django_celery_beat.schedulers import DatabaseScheduler

    # Beat drops stale connections between ticks; inside the test's transaction that would
    # close the test's own connection.
    monkeypatch.setattr(schedulers, "close_old_connections", lambda: None)

    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"
    assert not PeriodicTask.objects.exists()
    app.loader.import_default_modules()
    DatabaseScheduler(app=app)  # its __init__ runs setup_schedule(), as beat's start-up does

    rows = {row.name: row for row in PeriodicTask.objects.all()}
    assert set(rows) == set(EXPECTED) | {"celery.backend_cleanup"}
    for name, entry in EXPECTED.items():
        row = rows[name]
        assert row.task == entry["task"]
        assert row.enabled
        if isinstance(entry["schedule"], crontab):
            cron = row.crontab
            assert (cron.minute, cron.hour, cron.day_of_week) == (
                str(entry["schedule"]._orig_minute),
                str(entry["schedule"]._orig_hour),
                str(entry["schedule"]._orig_day_of_week),
            )
        else:
            assert (row.interval.every, row.interval.period) == (entry["schedule"], "seconds")


@pytest.mark.django_db
def test_an_upgraded_database_forgets_ratings_old_relay_entry():
    """The scheduler never deletes a row: migration ratings 0008 removes the entry the outbox's
    relay replaced, so beat does not send a task that no longer exists."""
    import importlib

    from django.apps import apps as installed
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    every_minute = IntervalSchedule.objects.create(every=60, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(
        name="rating-deliveries",
        task="ratings.tasks.rating_deliveries_relay",
        interval=every_minute,
    )
    kept = PeriodicTask.objects.create(
        name="outbox-relay", task="credit_portal.outbox.tasks.outbox_relay", interval=every_minute
    )
    migration = importlib.import_module(
        "ratings.migrations.0008_forget_the_rating_deliveries_beat_entry"
    )
    migration.forget_old_entry(installed, None)
    assert not PeriodicTask.objects.filter(name="rating-deliveries").exists()
    assert PeriodicTask.objects.filter(pk=kept.pk).exists()
