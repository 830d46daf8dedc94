"""Access bans, personal liability warnings and the authority notices."""

from __future__ import annotations

import datetime

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credit_portal.audit.services import audit_event_record
from credit_portal.errors import DomainError, PermissionDenied
from registry.models import EntityRole
from registry.selectors import entity_get
from registry.services import regulator_required

from ..models import AccessBan, AccessBanPerson, AuthorityNotice, BanField, Listing
from ._common import _get, _recognising, _required_text


# --- access bans and personal liability ---------------------------------------------------------
@transaction.atomic
def access_ban_impose(
    *,
    actor,
    uscc: str,
    field: str,
    starts: datetime.date,
    ends: datetime.date | None,
    reason: str,
    legal_basis: str,
    listing_id: int | None = None,
) -> AccessBan:
    """A market and industry access ban in a key field (35/10), time-limited or lifelong
    (``ends`` None), binding the entity and its current legal representative, principal and
    actual controller."""
    viewer = regulator_required(actor)
    entity = entity_get(uscc)
    if field not in BanField.values:
        raise DomainError(_("禁入领域无效。/ Unknown access-ban field."), field="field")
    _required_text({"reason": reason, "legal_basis": legal_basis}, ("reason", "legal_basis"))
    if not isinstance(starts, datetime.date):
        raise DomainError(_("请填写起始日期。/ Give the start date."), field="starts")
    if ends is not None and ends < starts:
        raise DomainError(
            _("截止日期不能早于起始日期。/ The end cannot be before the start."), field="ends"
        )
    listing = None
    if listing_id:
        listing = _get(Listing.objects.all(), listing_id, _("名单记录不存在。/ No such listing."))
        _recognising(viewer, listing)
        if listing.entity_id != entity.uscc:
            raise DomainError(_("名单不属于该主体。/ That listing is another entity's."))
    ban = AccessBan.objects.create(
        entity=entity,
        field=field,
        department=viewer.department,
        listing=listing,
        starts=starts,
        ends=ends,
        reason=reason.strip(),
        legal_basis=legal_basis.strip(),
    )
    roles = EntityRole.objects.filter(entity=entity, until__isnull=True)
    AccessBanPerson.objects.bulk_create(
        [AccessBanPerson(ban=ban, person_id=r.person_id, role=r.kind) for r in roles],
        ignore_conflicts=True,
    )
    audit_event_record(
        actor=actor,
        action="access_ban.impose",
        target=ban,
        department_code=viewer.department_code,
        after={
            "uscc": entity.uscc,
            "field": field,
            "ends": ends.isoformat() if ends else "lifelong",
            "persons": len(roles),
        },
    )
    return ban


def _ban_for_update(actor, ban_id) -> tuple[AccessBan, str]:
    """The ban, for its imposing department or for the objection service (actor None: it
    acts for the system after its own checks, 33/22)."""
    ban = _get(AccessBan.objects.select_for_update(), ban_id, _("禁入记录不存在。/ No such ban."))
    if actor is None:
        return ban, ""
    viewer = regulator_required(actor)
    if ban.department_id != viewer.department.pk:
        raise PermissionDenied(_("该禁入由其他部门作出。/ Another department's ban."))
    return ban, viewer.department_code


@transaction.atomic
def access_ban_suspend(*, actor, ban_id: int, reason: str) -> AccessBan:
    """An objection against the ban: it stops binding while the objection is checked (33/22)
    and is shown as under objection."""
    ban, department_code = _ban_for_update(actor, ban_id)
    if ban.suspended_at is not None or ban.lifted_at is not None:
        return ban
    if not (reason or "").strip():
        raise DomainError(_("请说明理由。/ Give the reason."), field="reason")
    ban.suspended_at, ban.suspend_reason = timezone.now(), reason.strip()
    ban.save(update_fields=["suspended_at", "suspend_reason"])
    audit_event_record(
        actor=actor,
        action="access_ban.suspend",
        target=ban,
        department_code=department_code,
        reason=ban.suspend_reason,
    )
    return ban


@transaction.atomic
def access_ban_resume(*, actor, ban_id: int, note: str) -> AccessBan:
    """The objection failed: the ban binds again."""
    ban, department_code = _ban_for_update(actor, ban_id)
    if ban.suspended_at is None:
        return ban
    ban.suspended_at, ban.suspend_reason = None, ""
    ban.save(update_fields=["suspended_at", "suspend_reason"])
    audit_event_record(
        actor=actor,
        action="access_ban.resume",
        target=ban,
        department_code=department_code,
        reason=note,
    )
    return ban


@transaction.atomic
def access_ban_lift(*, actor, ban_id: int, reason: str) -> AccessBan:
    """Lift a ban: by its department, or by an upheld objection (actor None)."""
    ban, department_code = _ban_for_update(actor, ban_id)
    if ban.lifted_at is not None:
        return ban
    if not (reason or "").strip():
        raise DomainError(_("请说明理由。/ Give the reason."), field="reason")
    ban.lifted_at, ban.lift_reason = timezone.now(), reason.strip()
    ban.save(update_fields=["lifted_at", "lift_reason"])
    audit_event_record(
        actor=actor,
        action="access_ban.lift",
        target=ban,
        department_code=department_code,
        reason=ban.lift_reason,
    )
    return ban


def liability_warnings_scan(*, today: datetime.date | None = None) -> int:
    """Set-based, every few minutes: a person bound by an access ban in force, or marked by a
    punishment listing in force, who holds a role in another entity raises one warning for
    that entity's registration authority (33/13). Scanning the roles table (not hooking the
    role service) catches roles however they were recorded; running it twice adds nothing."""
    today = today or timezone.localdate()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO discipline_liabilitywarning
                (role_id, person_id, entity_id, department_id, ban_id, mark_id, created_at, note)
            SELECT r.id, r.person_id, r.entity_id, e.registration_authority_id, b.id, NULL,
                   now(), ''
            FROM registry_entityrole r
            JOIN registry_marketentity e ON e.uscc = r.entity_id
            JOIN discipline_accessbanperson bp ON bp.person_id = r.person_id
            JOIN discipline_accessban b ON b.id = bp.ban_id
            WHERE r.until IS NULL AND b.entity_id <> r.entity_id AND b.lifted_at IS NULL
              AND b.starts <= %(today)s AND (b.ends IS NULL OR b.ends >= %(today)s)
              AND e.registration_authority_id IS NOT NULL
            ON CONFLICT (role_id, ban_id) WHERE ban_id IS NOT NULL DO NOTHING
            """,
            {"today": today},
        )
        made = cursor.rowcount
        cursor.execute(
            """
            INSERT INTO discipline_liabilitywarning
                (role_id, person_id, entity_id, department_id, ban_id, mark_id, created_at, note)
            SELECT r.id, r.person_id, r.entity_id, e.registration_authority_id, NULL, m.id,
                   now(), ''
            FROM registry_entityrole r
            JOIN registry_marketentity e ON e.uscc = r.entity_id
            JOIN discipline_personmark m ON m.person_id = r.person_id AND m.lifted_at IS NULL
            JOIN discipline_listing l ON l.id = m.listing_id
            WHERE r.until IS NULL AND l.entity_id <> r.entity_id AND l.status = 'listed'
              AND e.registration_authority_id IS NOT NULL
            ON CONFLICT (role_id, mark_id) WHERE mark_id IS NOT NULL DO NOTHING
            """
        )
        made += cursor.rowcount
        if made:
            audit_event_record(
                actor=None,
                action="liability_warning.raise",
                target_type="discipline.liabilitywarning",
                target_id="*",
                after={"warnings": made},
            )
    return made


@transaction.atomic
def liability_warning_resolve(*, actor, warning_id: int, note: str):
    from ..models import LiabilityWarning

    viewer = regulator_required(actor)
    warning = _get(
        LiabilityWarning.objects.select_for_update(),
        warning_id,
        _("预警不存在。/ No such warning."),
    )
    if warning.department_id != viewer.department.pk:
        raise PermissionDenied(_("该预警属于其他部门。/ Another department's warning."))
    if warning.resolved_at is not None:
        return warning
    if not (note or "").strip():
        raise DomainError(_("请填写处理说明。/ Say how it was handled."), field="note")
    warning.resolved_at, warning.resolved_by, warning.note = timezone.now(), actor, note.strip()
    warning.save(update_fields=["resolved_at", "resolved_by", "note"])
    audit_event_record(
        actor=actor,
        action="liability_warning.resolve",
        target=warning,
        department_code=viewer.department_code,
        reason=warning.note,
    )
    return warning


@transaction.atomic
def authority_notice_read(*, actor, notice_id: int) -> AuthorityNotice:
    """The higher authority or audit office notes that it has read a notice of a listed
    public body it oversees or audits (33/13)."""
    viewer = regulator_required(actor)
    notice = _get(
        AuthorityNotice.objects.select_for_update(), notice_id, _("通报不存在。/ No such notice.")
    )
    if notice.department_id != viewer.department.pk:
        raise PermissionDenied(_("该通报发给其他部门。/ Another department's notice."))
    if notice.read_at is not None:
        return notice
    notice.read_at = timezone.now()
    notice.save(update_fields=["read_at"])
    audit_event_record(
        actor=actor,
        action="authority_notice.read",
        target=notice,
        department_code=viewer.department_code,
    )
    return notice
