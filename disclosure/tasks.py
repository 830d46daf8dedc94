"""The publicity clock (docs/architecture.md §6): thin tasks that call one service each.
Deadlines are found by scanning database state, so running a task twice is harmless."""

from __future__ import annotations

from celery import shared_task

from registry import services

from . import services as disclosure_services


@shared_task
def publicity_flag_overdue() -> int:
    """Hourly: decisions past their 7-working-day due date alert their department."""
    return services.publicity_flag_overdue()


@shared_task
def publicity_windows_close() -> dict[str, int]:
    """Nightly: stop display at the maximum period; open restoration at the minimum."""
    return services.publicity_windows_close()


@shared_task
def timeliness_snapshots_refresh() -> list[int]:
    """Hourly: the public timeliness statistics, computed ahead of the visitors."""
    return disclosure_services.timeliness_snapshots_refresh()
