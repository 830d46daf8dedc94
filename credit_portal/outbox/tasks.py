"""Thin Celery wrapper (docs/architecture.md §6): safe to run twice, and two at once (SKIP
LOCKED)."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task
def outbox_relay() -> int:
    """Every minute (beat ``outbox-relay``): send the due deliveries to subscribers."""
    return services.deliveries_relay()
