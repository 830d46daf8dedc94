"""Reads of the outbox (for publishers' tests and pages: what an event became)."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Delivery, DeliveryAttempt, Event


def event_by_key(idempotency_key: str) -> Event | None:
    """The event published under this key, if any."""
    return Event.objects.filter(idempotency_key=idempotency_key).first()


def event_deliveries(idempotency_key: str) -> QuerySet[Delivery]:
    """The deliveries of the event published under this key (none if there is none)."""
    return Delivery.objects.filter(event__idempotency_key=idempotency_key).select_related(
        "subscriber", "event"
    )


def delivery_log(delivery_id: int) -> QuerySet[DeliveryAttempt]:
    """Every attempt to send a delivery, oldest first."""
    return DeliveryAttempt.objects.filter(delivery_id=delivery_id).order_by("attempted_at", "pk")
