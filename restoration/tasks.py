"""Thin Celery wrappers (docs/architecture.md §6)."""

from celery import shared_task

from . import services


@shared_task
def restoration_effects(application_id: int) -> bool:
    """After an approval commits: confirm its effects and mark it effective (safe twice)."""
    return services.restoration_effects_apply(application_id)


@shared_task
def restoration_clock() -> dict[str, int]:
    """Hourly: escalate each clock that ran out, once; complete lost effects; republish."""
    return services.restoration_clock()
