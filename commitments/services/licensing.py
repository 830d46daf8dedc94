"""Licensing items (the matters a commitment may replace materials for)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from credit_portal.audit.services import audit_event_record
from credit_portal.errors import DomainError, PermissionDenied
from registry.models import Department
from registry.roles import Role, viewer_for

from ..models import LicensingItem


# --- licensing items ----------------------------------------------------------------------------
@transaction.atomic
def licensing_item_create(
    *,
    actor,
    code: str,
    name: str,
    department: Department,
    name_en: str = "",
    commitment_applies: bool = False,
    missing_materials_allowed: bool = False,
) -> LicensingItem:
    """Add a licensing item to the catalogue (platform administrators, 35/1)."""
    if viewer_for(actor).role != Role.PLATFORM_ADMIN:
        raise PermissionDenied(
            _("只有平台管理员可以维护行政许可事项。/ Only platform administrators may do this.")
        )
    code, name = (code or "").strip(), (name or "").strip()
    if not code or not name:
        raise DomainError(_("请填写事项编码和名称。/ Enter the code and the name."), field="code")
    if LicensingItem.objects.filter(code=code).exists():
        raise DomainError(
            _("事项编码已存在。/ This item code exists already."),
            code="item_exists",
            field="code",
        )
    item = LicensingItem.objects.create(
        code=code,
        name=name,
        name_en=name_en.strip(),
        department=department,
        commitment_applies=commitment_applies,
        missing_materials_allowed=missing_materials_allowed,
    )
    audit_event_record(
        actor=actor,
        action="licensing_item.create",
        target=item,
        after={
            "code": code,
            "department": department.code,
            "commitment_applies": commitment_applies,
            "missing_materials_allowed": missing_materials_allowed,
        },
    )
    return item
