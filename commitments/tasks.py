"""Thin Celery wrappers (docs/architecture.md §6): each calls one service and is safe to run
twice."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task
def commitment_deadlines_check() -> int:
    """Nightly: missing materials past their deadline breach their commitment."""
    return services.commitment_deadlines_check()
