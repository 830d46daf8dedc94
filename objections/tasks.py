"""Thin Celery wrappers (docs/architecture.md §6)."""

from celery import shared_task

from . import services


@shared_task
def objections_clock() -> dict[str, int]:
    """Hourly: mark what is due, escalate each clock that ran out, once."""
    return services.objections_clock()
