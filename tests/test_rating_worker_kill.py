"""Fault test: a real Celery worker is SIGKILLed in the middle of a re-rating run, with a chunk
half written in its open transaction; a new worker and the resume sweep finish the run, and
every entity is rated exactly once (docs/architecture.md §6: set-based, idempotent per (entity,
run), resumable after a crash)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest
from django.db import connection

from ratings import services, tasks
from ratings.models import Rating, RatingConfig, RatingRun
from registry.tests import factories

BASE_DIR = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]


def _test_database_url() -> str:
    """DATABASE_URL with the test database's name: the worker must see what the test wrote."""
    parts = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/x"))
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


def _start_worker() -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "DJANGO_SETTINGS_MODULE": "credit_portal.settings.test",
    }
    return subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "credit_portal", "worker",
            "--pool", "prefork", "--concurrency", "1", "--loglevel", "WARNING",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
            "-Q", "celery,long,outbox",
        ],
        cwd=BASE_DIR,
        env=env,
        start_new_session=True,  # its own process group: killed with its pool child
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _wait(condition, timeout: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _run(run_id: int) -> RatingRun:
    return RatingRun.objects.get(pk=run_id)


def _backend_waiting_on_lock() -> int | None:
    """The database backend of the worker's chunk, if it waits on the held lock (asked on the
    test's own connection: one in a transaction would see a frozen statistics snapshot)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query LIKE '%ratings_ratingrun%FOR UPDATE%'"
        )
        row = cursor.fetchone()
        return row[0] if row else None


def _backend_gone(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0] == 0


@pytest.fixture(autouse=True)
def rating_defaults(transactional_db):
    """Transactional tests flush the database, data migrations included: put the default
    public model back (it inserts only what is missing)."""
    from django.utils import timezone

    from ratings.defaults import load_defaults
    from ratings.models import EvaluationModel, Indicator, SupervisionTier

    load_defaults(EvaluationModel, Indicator, SupervisionTier, timezone.now())


def test_killing_a_worker_mid_run_loses_nothing_and_rates_nobody_twice(samr_staff):
    RatingConfig.objects.create(chunk_size=4)
    entities = [factories.entity(by=samr_staff) for _ in range(30)]
    run, chunk_ids = services.run_start()
    assert len(chunk_ids) == 8
    worker = _start_worker()
    blocker = psycopg2.connect(_test_database_url().replace("postgres://", "postgresql://", 1))
    try:
        for chunk_id in chunk_ids[:2]:  # part of the run is done before the crash
            services.chunk_rate(chunk_id)
        # Hold the run's row: the worker's first chunk writes its ratings and grades and marks
        # itself done, then waits here for the run's counters with its transaction open.
        # That is when it dies.
        with blocker.cursor() as cursor:
            cursor.execute("SELECT id FROM ratings_ratingrun WHERE id = %s FOR UPDATE", [run.pk])
        tasks.enqueue(chunk_ids)  # the two done ones too: delivered again, they do nothing
        _wait(_backend_waiting_on_lock, what="the worker to block mid-chunk")
        backend = _backend_waiting_on_lock()
        assert _run(run.pk).chunks_done < 8
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)
        blocker.rollback()  # the dead worker's transaction can only roll back now
        _wait(lambda: _backend_gone(backend), what="the dead worker's backend to end")
        assert _run(run.pk).status == RatingRun.Status.RUNNING
        assert Rating.objects.filter(run=run).count() == _run(run.pk).rated  # nothing half-kept

        worker = _start_worker()
        tasks.rating_runs_resume.delay()  # the sweep beat runs every ten minutes
        _wait(
            lambda: _run(run.pk).status == RatingRun.Status.FINISHED,
            timeout=90,
            what="the restarted worker to finish the run",
        )
    finally:
        blocker.close()
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)
    finished = _run(run.pk)
    assert (finished.chunks_done, finished.rated) == (8, 30)
    rated = list(Rating.objects.filter(run=run).values_list("entity_id", flat=True))
    assert sorted(rated) == sorted(e.uscc for e in entities)  # each exactly once
