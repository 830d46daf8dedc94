"""Thin Celery wrappers (docs/architecture.md §6): each calls one service and is safe to run
twice. A run's chunks are separate tasks, so they fan out over the workers; a chunk lost with a
killed worker is redelivered (acks_late + reject_on_worker_lost) or re-queued by the resume
sweep, and a chunk done already is skipped."""

from __future__ import annotations

from celery import shared_task

from credit_portal.errors import Conflict

from . import services


def enqueue(chunk_ids: list[int]) -> None:
    for chunk_id in chunk_ids:
        rating_chunk.delay(chunk_id)


@shared_task
def rating_run_nightly() -> int:
    """Nightly: re-rate every entity (a run already in progress is left to finish)."""
    try:
        _run, chunk_ids = services.run_start(kind="full")
    except Conflict:
        return 0
    enqueue(chunk_ids)
    return len(chunk_ids)


@shared_task
def rating_chunk(chunk_id: int) -> int:
    return services.chunk_rate(chunk_id)


@shared_task
def rating_runs_resume() -> int:
    """Every few minutes: hand the pending chunks of running runs to workers again (after a
    crash; a chunk in progress is skipped by its row lock, a done one by its flag)."""
    chunk_ids = services.pending_chunks()
    enqueue(chunk_ids)
    return len(chunk_ids)
