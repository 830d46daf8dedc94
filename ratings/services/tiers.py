"""Writes of the supervision tiers (35/7): the spot-check ratio of each grade."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from credit_portal.audit.services import audit_event_record
from credit_portal.errors import DomainError

from .. import defaults
from ..models import GRADES, SupervisionTier
from .configuration import platform_admin_required

DEFAULT_TIERS = defaults.TIERS


@transaction.atomic
def tier_set(*, actor, grade: str, ratio: Any, name: str = "") -> SupervisionTier:
    """Set a grade's spot-check ratio (platform administrators); A's may not exceed B's, nor
    B's C's, nor C's D's (fewer checks for good credit, 35/7)."""
    platform_admin_required(actor)
    if grade not in GRADES:
        raise DomainError(_("信用等级无效。/ Unknown grade."), code="invalid_grade", field="grade")
    try:
        value = Decimal(str(ratio)).quantize(Decimal("0.0001"))
    except (InvalidOperation, TypeError, ValueError):
        value = Decimal(-1)
    if not Decimal(0) <= value <= Decimal(1):
        raise DomainError(
            _("抽查比例须在 0 至 1 之间。/ The ratio lies between 0 and 1."),
            code="invalid_ratio",
            field="ratio",
        )
    ratios = tier_ratios()
    ratios[grade] = value
    ordered = [ratios[g] for g in GRADES]
    if ordered != sorted(ordered):
        raise DomainError(
            _(
                "抽查比例须随等级降低而不减（A ≤ B ≤ C ≤ D）。/ Ratios must not fall as grades "
                "fall (A ≤ B ≤ C ≤ D)."
            ),
            code="ratios_out_of_order",
            field="ratio",
        )
    default_name = dict((g, n) for g, n, _r in DEFAULT_TIERS)[grade]
    tier, _created = SupervisionTier.objects.update_or_create(
        grade=grade, defaults={"ratio": value, "name": (name or "").strip() or default_name}
    )
    audit_event_record(
        actor=actor, action="supervision_tier.set", target=tier, after={"ratio": str(value)}
    )
    return tier


def tier_ratios() -> dict[str, Decimal]:
    ratios = {g: r for g, _n, r in DEFAULT_TIERS}
    ratios.update(SupervisionTier.objects.values_list("grade", "ratio"))
    return ratios
