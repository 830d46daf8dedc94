"""Write audit rows. Call inside the service's own transaction so both commit or neither does."""

from __future__ import annotations

from typing import Any

from django.db import models

from credit_portal.middleware import get_request_id, get_source

from .models import AccessLog, AuditEvent


def _actor_fields(actor) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_repr": "" if actor is None else "anonymous"}
    return {"actor": actor if actor.pk else None, "actor_repr": actor.get_username()[:150]}


def audit_event_record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str = "",
    department_code: str = "",
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEvent:
    if target is not None:
        target_type = target._meta.label_lower
        target_id = str(target.pk)
    return AuditEvent.objects.create(
        **_actor_fields(actor),
        department_code=department_code,
        source=get_source(),
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_repr=str(target)[:300] if target is not None else "",
        before=before,
        after=after,
        reason=reason,
        request_id=get_request_id(),
    )


def access_log_record(
    *, actor, uscc: str, what: str, purpose: str = "", department_code: str = ""
) -> AccessLog:
    return AccessLog.objects.create(
        **_actor_fields(actor),
        department_code=department_code,
        source=get_source(),
        uscc=uscc,
        what=what[:200],
        purpose=purpose[:200],
        request_id=get_request_id(),
    )
