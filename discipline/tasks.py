"""Thin Celery wrappers (docs/architecture.md §6): each calls one service and is safe to run twice
(the services find their work by scanning database state, never by ETA tasks)."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task
def listings_expire() -> int:
    """Nightly: listings whose punishment period has ended exit on expiry (35/12)."""
    return services.listings_expire()


@shared_task
def rectifications_escalate() -> dict[str, int]:
    """Nightly: missed rectification deadlines give the recognising department a reminder
    interview to hold, then a warning one (35/11)."""
    return services.rectifications_escalate()


@shared_task
def liability_warnings_scan() -> int:
    """Every few minutes: a banned or marked person recorded in a role of another entity
    raises a warning for its regulators (33/13)."""
    return services.liability_warnings_scan()
