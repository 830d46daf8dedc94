"""The discipline settings (each change adds a row, so the history stays)."""

from __future__ import annotations

from django.db import transaction

from credit_portal.audit.services import audit_event_record
from registry.models import Department
from registry.services import platform_admin_required

from ..models import DisciplineConfig
from ._common import _days


def discipline_config() -> DisciplineConfig:
    """The settings in force: the newest row (each change adds one, so the history stays)."""
    return DisciplineConfig.objects.order_by("-pk").first() or DisciplineConfig()


@transaction.atomic
def discipline_config_set(
    *,
    actor,
    feedback_days: int,
    interview_days: int,
    red_clean_years: int,
    audit_office: Department | None = None,
) -> DisciplineConfig:
    """Change the settings (platform administrators)."""
    platform_admin_required(actor)
    before = discipline_config()
    config = DisciplineConfig.objects.create(
        feedback_days=_days(feedback_days, "feedback_days", 1, 60),
        interview_days=_days(interview_days, "interview_days", 1, 60),
        red_clean_years=_days(red_clean_years, "red_clean_years", 1, 10),
        audit_office=audit_office,
    )
    audit_event_record(
        actor=actor,
        action="discipline_config.set",
        target=config,
        before={"feedback_days": before.feedback_days, "interview_days": before.interview_days},
        after={
            "feedback_days": config.feedback_days,
            "interview_days": config.interview_days,
            "red_clean_years": config.red_clean_years,
            "audit_office": audit_office.code if audit_office else "",
        },
    )
    return config
