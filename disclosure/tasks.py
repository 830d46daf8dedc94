"""The publicity clock (docs/architecture.md §6): thin tasks that call one registry service each.
Deadlines are found by scanning database state, so running a task twice is harmless."""

from __future__ import annotations

from celery import shared_task

from registry import services


@shared_task
def publicity_flag_overdue() -> int:
    """Hourly: decisions past their 7-working-day due date alert their department."""
    return services.publicity_flag_overdue()


@shared_task
def publicity_windows_close() -> dict[str, int]:
    """Nightly: stop display at the maximum period; open restoration at the minimum."""
    return services.publicity_windows_close()
