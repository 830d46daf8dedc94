"""Voluntarily registered information (35/5)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credit_portal.audit.services import audit_event_record
from credit_portal.errors import DomainError, NotFound, PermissionDenied
from registry import selectors as registry_selectors
from registry.models import Department
from registry.roles import Role, viewer_for
from registry.services import COMMITMENT_PERM, department_owns, regulator_required

from .. import transitions
from ..models import VoluntaryDisclosure


# --- voluntarily registered information (35/5) ---------------------------------------------------
@transaction.atomic
def disclosure_submit(
    *,
    actor,
    uscc: str,
    department_code: str,
    kind: str,
    title: str,
    content: str,
    authenticity_committed: bool,
    sharing_consented: bool,
) -> VoluntaryDisclosure:
    """An entity registers credit information about itself for a department to verify; it
    vouches for its truth and consents to its sharing (both required)."""
    viewer = viewer_for(actor)
    entity = registry_selectors.entity_get(uscc)
    if viewer.role != Role.ENTITY_USER or viewer.entity_uscc != entity.uscc:
        raise PermissionDenied(
            _(
                "只有该市场主体的账号可以注册其信用信息。/ Only the entity's own account may "
                "register its credit information."
            )
        )
    if kind not in VoluntaryDisclosure.Kind.values:
        raise DomainError(_("信息类别无效。/ Unknown kind."), code="invalid_kind", field="kind")
    if not (title or "").strip() or not (content or "").strip():
        raise DomainError(
            _("请填写标题和内容。/ Enter the title and the content."), field="content"
        )
    if not authenticity_committed:
        raise DomainError(
            _("须承诺所注册信息真实。/ You must vouch that the information is true."),
            code="authenticity_required",
            field="authenticity_committed",
        )
    if not sharing_consented:
        raise DomainError(
            _("须同意信息共享。/ You must consent to the information being shared."),
            code="consent_required",
            field="sharing_consented",
        )
    try:
        department = Department.objects.get(code=(department_code or "").strip(), active=True)
    except Department.DoesNotExist:
        raise DomainError(
            _("请选择核实部门。/ Choose the department that verifies it."),
            code="department_required",
            field="department",
        ) from None
    disclosure = VoluntaryDisclosure.objects.create(
        entity=entity,
        department=department,
        kind=kind,
        title=title.strip(),
        content=content,
        authenticity_committed=True,
        sharing_consented=True,
        submitted_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_event_record(
        actor=actor,
        action="disclosure.submit",
        target=disclosure,
        after={"uscc": entity.uscc, "kind": kind, "department": department.code},
    )
    return disclosure


@transaction.atomic
def disclosure_decide(
    *, actor, disclosure_id: int, status: str, reason: str = ""
) -> VoluntaryDisclosure:
    """Verify, reject (with the reason) or later revoke (with the reason) a registration, by
    the department it was registered with (guardian permission on that department)."""
    viewer = regulator_required(actor)
    if status not in VoluntaryDisclosure.Status.values:
        raise DomainError(_("状态无效。/ Unknown status."), code="invalid_status", field="status")
    try:
        disclosure = (
            VoluntaryDisclosure.objects.select_for_update(of=("self",))
            .select_related("department")
            .get(pk=int(disclosure_id))
        )
    except (VoluntaryDisclosure.DoesNotExist, TypeError, ValueError):
        raise NotFound(
            _("自愿注册信息不存在。/ No such registration."), code="disclosure_not_found"
        ) from None
    if not department_owns(viewer.department, COMMITMENT_PERM, disclosure.department):
        raise PermissionDenied(
            _("该信息由其他部门核实。/ Another department verifies this registration.")
        )
    if disclosure.status == status:
        return disclosure
    refusal = transitions.disclosure_refusal(disclosure.status, status, reason=reason)
    if refusal:
        raise DomainError(refusal, code="transition_refused", field="status")
    before = disclosure.status
    disclosure.status = status
    disclosure.reason = reason.strip()
    disclosure.decided_at = timezone.now()
    disclosure.save(update_fields=["status", "reason", "decided_at"])
    audit_event_record(
        actor=actor,
        action="disclosure.decide",
        target=disclosure,
        department_code=viewer.department_code,
        before={"status": before},
        after={"status": status},
        reason=reason,
    )
    return disclosure
