"""The commitments settings (each change adds a row, so the history stays)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from credit_portal.audit.services import audit_event_record
from credit_portal.errors import DomainError, PermissionDenied
from registry.models import EntityStanding
from registry.roles import Role, viewer_for

from ..models import CommitmentConfig


def commitment_config() -> CommitmentConfig:
    """The settings in force: the newest row (each change adds one, so the history stays)."""
    return CommitmentConfig.objects.order_by("-pk").first() or CommitmentConfig()


MAX_MATERIAL_DAYS_LIMIT = 365


@transaction.atomic
def commitment_config_set(
    *, actor, min_grade_missing_materials: str, max_material_days: int
) -> CommitmentConfig:
    """Change the settings (platform administrators): the lowest grade still accepted with
    missing materials (blank: grades are not checked) and the longest material deadline."""
    if viewer_for(actor).role != Role.PLATFORM_ADMIN:
        raise PermissionDenied(
            _("只有平台管理员可以修改信用承诺设置。/ Only platform administrators may do this.")
        )
    grade = (min_grade_missing_materials or "").strip().upper()
    if grade not in ("", *EntityStanding.Grade.values):
        raise DomainError(
            _("信用等级只能是 A、B、C、D 或留空。/ The grade is A, B, C, D or blank."),
            code="invalid_grade",
            field="min_grade_missing_materials",
        )
    try:
        days = int(max_material_days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_MATERIAL_DAYS_LIMIT:
        raise DomainError(
            _("补正期限最长天数须在 1 至 %(max)d 之间。/ Between 1 and %(max)d days.")
            % {"max": MAX_MATERIAL_DAYS_LIMIT},
            code="invalid_days",
            field="max_material_days",
        )
    before = commitment_config()
    config = CommitmentConfig.objects.create(
        min_grade_missing_materials=grade, max_material_days=days
    )
    audit_event_record(
        actor=actor,
        action="commitment_config.set",
        target=config,
        before={
            "min_grade_missing_materials": before.min_grade_missing_materials,
            "max_material_days": before.max_material_days,
        },
        after={"min_grade_missing_materials": grade, "max_material_days": days},
    )
    return config
