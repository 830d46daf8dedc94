"""Writes of the outbox: publishing an event (with its deliveries), managing subscribers,
and the relay that sends due deliveries. The API for publishing apps is in the package
docstring."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import re
import secrets
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from credit_portal.audit.services import audit_event_record
from credit_portal.errors import DomainError, NotFound, PermissionDenied

from .models import Delivery, DeliveryAttempt, Event, Subscriber

TIMEOUT = 10  # seconds for one POST
MAX_ATTEMPTS = 8  # then the delivery is given up (failed)
RETRY_MINUTES = (1, 5, 15, 60, 240, 720, 1440)  # pause after the 1st, 2nd, ... failure
SECRET_MIN_LENGTH = 16
# The body's own keys: a payload may not shadow them.
RESERVED_KEYS = frozenset({"event", "delivery", "subject"})
TOPIC = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")  # e.g. rating_run.finished
MAX_TOPICS = 20


# --- who manages subscribers -------------------------------------------------------------------
def _is_manager(user) -> bool:
    """The project's rule (``settings.OUTBOX_MANAGER_CHECK``, a dotted path to
    ``check(user) -> bool``): the roles live in an app, which this layer may not import.
    Without the setting, superusers only."""
    path = getattr(settings, "OUTBOX_MANAGER_CHECK", "")
    if path:
        return bool(import_string(path)(user))
    return bool(getattr(user, "is_superuser", False))


def manager_required(actor) -> None:
    """Refuse anyone but a platform administrator (``actor=None``: the system itself)."""
    if actor is not None and not _is_manager(actor):
        raise PermissionDenied(
            _("只有平台管理员可以管理订阅方。/ Only platform administrators may do this.")
        )


# --- publishing --------------------------------------------------------------------------------
def event_publish(
    *, kind: str, subject_uscc: str = "", payload: dict[str, Any], idempotency_key: str
) -> Event:
    """Write an event and one pending, due delivery per active subscriber of ``kind``, in the
    caller's transaction (call it inside the change's ``transaction.atomic``). Once per
    ``idempotency_key``: a second call writes nothing and returns the first event.

    Fan-out happens here rather than in the relay: the subscribers are those active when the
    change commits (a subscriber added later is not sent old news, one deactivated before is
    not sent it), the deliveries roll back with the change, and the relay's claim stays one
    indexed query over deliveries with nothing to expand first."""
    if not TOPIC.match(kind or ""):
        raise ValueError(f"event kind {kind!r} is not a topic such as 'rating_run.finished'")
    if not idempotency_key:
        raise ValueError("an event needs an idempotency key")
    if RESERVED_KEYS & set(payload):
        raise ValueError(f"payload keys {sorted(RESERVED_KEYS & set(payload))} are reserved")
    json.dumps(payload)  # JSON primitives only: fail here, in the publisher's code path
    with transaction.atomic():
        # get_or_create: a concurrent publish of the same key waits on the unique index,
        # then finds the committed event (its savepoint absorbs the IntegrityError).
        event, created = Event.objects.get_or_create(
            idempotency_key=idempotency_key,
            defaults={"kind": kind, "subject_uscc": subject_uscc or "", "payload": payload},
        )
        if created:
            now = timezone.now()
            Delivery.objects.bulk_create(
                Delivery(subscriber=subscriber, event=event, next_attempt_at=now)
                for subscriber in Subscriber.objects.filter(active=True, topics__contains=[kind])
            )
    return event


# --- subscribers -------------------------------------------------------------------------------
def _clean_topics(topics: Iterable[str] | str) -> list[str]:
    if isinstance(topics, str):
        topics = topics.split(",")
    cleaned = sorted({(t or "").strip() for t in topics or ()} - {""})
    if not cleaned or len(cleaned) > MAX_TOPICS or not all(TOPIC.match(t) for t in cleaned):
        raise DomainError(
            _(
                "请填写订阅的事件类型，如 rating_run.finished（至多20个）。/ Enter the topics, "
                "e.g. rating_run.finished (at most 20)."
            ),
            code="invalid_topics",
            field="topics",
        )
    return cleaned


@transaction.atomic
def subscriber_create(
    *,
    actor,
    name: str,
    kind: str,
    url: str,
    topics: Iterable[str] | str,
    secret: str = "",
) -> Subscriber:
    """Register a subscriber to the events of ``topics`` (platform administrators). A blank
    secret is generated; the caller shows it this once (the audit row never holds it)."""
    manager_required(actor)
    name, url, secret = (name or "").strip(), (url or "").strip(), (secret or "").strip()
    if not name:
        raise DomainError(_("请填写订阅方名称。/ Enter the subscriber's name."), field="name")
    if kind not in Subscriber.Kind.values:
        raise DomainError(
            _("订阅方类别无效。/ Unknown subscriber kind."), code="invalid_kind", field="kind"
        )
    try:
        if len(url) > 500:
            raise ValidationError("too long")
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise DomainError(
            _(
                "推送地址须为 http 或 https 网址（至多500个字符）。/ The URL must be an http or "
                "https address (at most 500 characters)."
            ),
            code="invalid_url",
            field="url",
        ) from None
    if secret and not SECRET_MIN_LENGTH <= len(secret) <= 64:
        raise DomainError(
            _("签名密钥须为16至64个字符。/ The signing secret has 16 to 64 characters."),
            code="invalid_secret",
            field="secret",
        )
    topics = _clean_topics(topics)
    subscriber = Subscriber.objects.create(
        name=name, kind=kind, url=url, topics=topics, secret=secret or secrets.token_hex(32)
    )
    audit_event_record(
        actor=actor,
        action="subscriber.create",
        target=subscriber,
        after={"name": name, "kind": kind, "url": url, "topics": topics},
    )
    return subscriber


@transaction.atomic
def subscriber_deactivate(*, actor, subscriber_id: int) -> Subscriber:
    """Stop pushing to a subscriber (platform administrators): its pending deliveries are
    given up, and it gets none for later events."""
    manager_required(actor)
    try:
        subscriber = Subscriber.objects.select_for_update().get(pk=int(subscriber_id))
    except (Subscriber.DoesNotExist, TypeError, ValueError):
        raise NotFound(
            _("订阅方不存在。/ No such subscriber."), code="subscriber_not_found"
        ) from None
    if not subscriber.active:
        return subscriber
    subscriber.active = False
    subscriber.save(update_fields=["active"])
    dropped = Delivery.objects.filter(subscriber=subscriber, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.FAILED, last_error="subscriber deactivated"
    )
    audit_event_record(
        actor=actor,
        action="subscriber.deactivate",
        target=subscriber,
        before={"active": True},
        after={"active": False, "pending_dropped": dropped},
    )
    return subscriber


# --- the relay ---------------------------------------------------------------------------------
def delivery_body(delivery: Delivery) -> dict[str, Any]:
    """What the subscriber receives: the event's kind, this delivery's id, the subject when
    there is one, and the publisher's payload."""
    event = delivery.event
    body: dict[str, Any] = {"event": event.kind, "delivery": delivery.pk}
    if event.subject_uscc:
        body["subject"] = event.subject_uscc
    body.update(event.payload)
    return body


def delivery_signature(secret: str, body: bytes) -> str:
    """The ``X-Credit-Signature`` header: HMAC-SHA256 of the raw body with the subscriber's
    secret, as the subscriber recomputes it."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a 2xx: never follow it (the signed body would go
    elsewhere)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _post(delivery: Delivery) -> tuple[int | None, str]:
    """POST the notice; returns the status code (None when there was no answer) and ""
    on a 2xx answer, else what went wrong."""
    body = json.dumps(delivery_body(delivery), separators=(",", ":")).encode()
    request = urllib.request.Request(
        delivery.subscriber.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "credit-portal",
            "X-Credit-Delivery": str(delivery.pk),
            "X-Credit-Event": delivery.event.kind,
            "X-Credit-Signature": delivery_signature(delivery.subscriber.secret, body),
        },
    )
    try:
        with _opener.open(request, timeout=TIMEOUT) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code} {exc.reason}"[:1000]
    except Exception as exc:  # refused, timed out, bad answer ...: this delivery's failure
        return None, f"{type(exc).__name__}: {exc}"[:1000]
    return status, "" if 200 <= status < 300 else f"HTTP {status}"


def deliveries_relay(limit: int = 50) -> int:
    """Send up to ``limit`` due deliveries, each claimed in its own transaction with
    ``SELECT ... FOR UPDATE SKIP LOCKED`` (two relays at once never send one twice; the row
    stays locked while it is sent). A 2xx answer marks it delivered; anything else counts an
    attempt and retries after 1, 5, 15, 60, 240 ... minutes, giving up after
    ``MAX_ATTEMPTS``. Each attempt is logged. At least once: a subscriber may see a notice
    again (after a crash mid-send) and recognises it by ``X-Credit-Delivery``. Returns the
    deliveries made."""
    delivered = 0
    for _n in range(limit):
        with transaction.atomic():
            delivery = (
                Delivery.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("subscriber", "event")
                .filter(
                    status=Delivery.Status.PENDING,
                    next_attempt_at__lte=timezone.now(),
                    subscriber__active=True,
                )
                .order_by("next_attempt_at", "pk")
                .first()
            )
            if delivery is None:
                break
            attempted_at, started = timezone.now(), time.monotonic()
            status_code, error = _post(delivery)
            DeliveryAttempt.objects.create(
                delivery=delivery,
                attempted_at=attempted_at,
                status_code=status_code,
                error=error,
                duration_ms=round((time.monotonic() - started) * 1000),
            )
            now = timezone.now()
            delivery.attempts += 1
            if not error:
                delivery.status, delivery.delivered_at, delivery.last_error = (
                    Delivery.Status.DELIVERED,
                    now,
                    "",
                )
                delivered += 1
            else:
                delivery.last_error = error
                if delivery.attempts >= MAX_ATTEMPTS:
                    delivery.status = Delivery.Status.FAILED
                else:
                    pause = RETRY_MINUTES[min(delivery.attempts, len(RETRY_MINUTES)) - 1]
                    delivery.next_attempt_at = now + datetime.timedelta(minutes=pause)
            delivery.save(
                update_fields=[
                    "status",
                    "attempts",
                    "next_attempt_at",
                    "last_error",
                    "delivered_at",
                ]
            )
    return delivered
