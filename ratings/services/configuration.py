"""Writes of the ratings settings (platform administrators): whether grades are public and
how many entities a chunk of a run holds; and the check every ratings service starts with."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from credit_portal.audit.services import audit_event_record
from credit_portal.errors import DomainError, PermissionDenied
from registry.roles import Role, viewer_for

from ..models import RatingConfig


@transaction.atomic
def rating_config_set(*, actor, public_grades: bool, chunk_size: Any) -> RatingConfig:
    """Change the settings (platform administrators): whether grades are public, and how many
    entities a chunk of a run holds."""
    platform_admin_required(actor)
    try:
        size = int(chunk_size)
    except (TypeError, ValueError):
        size = 0
    if not 1_000 <= size <= 1_000_000:
        raise DomainError(
            _("每批主体数须在 1,000 至 1,000,000 之间。/ Between 1,000 and 1,000,000."),
            code="invalid_chunk_size",
            field="chunk_size",
        )
    config = RatingConfig.objects.create(public_grades=bool(public_grades), chunk_size=size)
    audit_event_record(
        actor=actor,
        action="rating_config.set",
        target=config,
        after={"public_grades": config.public_grades, "chunk_size": size},
    )
    return config


def platform_admin_required(actor) -> None:
    if actor is not None and viewer_for(actor).role != Role.PLATFORM_ADMIN:
        raise PermissionDenied(
            _("只有平台管理员可以维护信用评价。/ Only platform administrators may do this.")
        )
