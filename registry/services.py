"""Every write to the registry (STYLE.md: services take an actor, run in one transaction, lock
what they read-then-write, write the AuditEvent, and return early when nothing changes)."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import assign_perm

from credit_portal.audit.services import audit_event_record
from credit_portal.calendar import add_working_days
from credit_portal.errors import Conflict, DomainError, NotFound, PermissionDenied
from credit_portal.tokens import token_hash

from . import names, personal
from . import uscc as uscc_codes
from .models import (
    ApiClient,
    CatalogueItem,
    CreditRecord,
    CreditRecordGroupObjectPermission,
    Decision,
    Department,
    DepartmentAlert,
    DepartmentMembership,
    EntityAccount,
    EntityRole,
    EntityStanding,
    MarketEntity,
    Person,
    PublicityConfig,
    PublicityRule,
    PublicityScope,
    PublicityWindow,
    Severity,
)
from .roles import PLATFORM_ADMIN_GROUP, Role, Viewer, viewer_for
from .selectors import entity_not_found

# Most open first: a record may narrow its catalogue item's scope, never widen it.
SCOPE_ORDER = [PublicityScope.PUBLIC, PublicityScope.SHARED, PublicityScope.AUTHORISED]
ENTITY_PERM = "change_marketentity"
RECORD_PERM = "supersede_creditrecord"


# --- who may act --------------------------------------------------------------------------
def regulator_required(actor) -> Viewer:
    """The actor's viewer if it acts for a department; otherwise refused (every app's
    department-only services call this)."""
    viewer = viewer_for(actor)
    if not viewer.is_regulator:
        raise PermissionDenied(
            _("只有部门工作人员可以执行此操作。/ Only department staff may do this.")
        )
    return viewer


def platform_admin_required(actor) -> None:
    if viewer_for(actor).role != Role.PLATFORM_ADMIN:
        raise PermissionDenied(
            _("只有平台管理员可以执行此操作。/ Only platform administrators may do this.")
        )


def department_owns(department: Department, perm: str, obj) -> bool:
    """Ownership is a django-guardian object permission held by the department's group."""
    return ObjectPermissionChecker(department.group).has_perm(perm, obj)


def department_manages_decision(department: Department, decision: Decision) -> bool:
    """May this department publish and withdraw the decision? (guardian, on its department)"""
    return department_owns(department, DECISION_PERM, decision.department)


def _require_owner(viewer: Viewer, perm: str, obj, what: str) -> None:
    if not department_owns(viewer.department, perm, obj):
        raise PermissionDenied(
            _(
                "%(what)s属于其他部门，本部门无权修改。/ This %(what_en)s belongs to another "
                "department; yours may not change it."
            )
            % {"what": what, "what_en": _EN.get(what, what)}
        )


_EN = {"市场主体": "market entity", "信用记录": "credit record"}


# --- departments and accounts ---------------------------------------------------------------
@transaction.atomic
def department_create(
    *,
    actor,
    code: str,
    name: str,
    name_en: str = "",
    region: str = "",
    registers_entities: bool = False,
    parent: Department | None = None,
) -> Department:
    platform_admin_required(actor)
    code = code.strip()
    if Department.objects.filter(code=code).exists():
        raise Conflict(_("部门代码已存在。/ This department code exists already."), field="code")
    group = Group.objects.create(name=f"dept:{code}")
    department = Department.objects.create(
        code=code,
        name=name,
        name_en=name_en,
        region=region,
        parent=parent,
        registers_entities=registers_entities,
        group=group,
    )
    for perm in DEPARTMENT_PERMS:
        assign_perm(perm, group, department)
    audit_event_record(
        actor=actor,
        action="department.create",
        target=department,
        after={"code": code, "name": name},
    )
    return department


@transaction.atomic
def membership_set(*, actor, user, department: Department, role: str = "staff") -> None:
    """Put a user in one department (staff or head); the user joins its guardian group."""
    platform_admin_required(actor)
    old = DepartmentMembership.objects.select_for_update().filter(user=user).first()
    if old is not None and old.department_id == department.id and old.role == role:
        return
    if old is not None:
        user.groups.remove(old.department.group)
        old.delete()
    DepartmentMembership.objects.create(user=user, department=department, role=role)
    user.groups.add(department.group)
    audit_event_record(
        actor=actor,
        action="membership.set",
        target=user,
        department_code=department.code,
        after={"role": role},
    )


@transaction.atomic
def entity_account_grant(*, actor, user, uscc: str) -> EntityAccount:
    """Record that a sign-in has proven control of a USCC (verified by an administrator)."""
    platform_admin_required(actor)
    entity = _entity(uscc)
    account, _created = EntityAccount.objects.update_or_create(
        user=user, defaults={"entity": entity, "verified_at": timezone.now()}
    )
    audit_event_record(
        actor=actor, action="entity_account.grant", target=account, after={"uscc": entity.uscc}
    )
    return account


@transaction.atomic
def api_client_create(*, actor, name: str, department: Department) -> tuple[ApiClient, str]:
    """Create an API client for a department; returns the token, shown only this once."""
    platform_admin_required(actor)
    User = get_user_model()
    token = secrets.token_urlsafe(32)
    username = f"api-{department.code}-{secrets.token_hex(4)}"
    user = User.objects.create_user(username=username, password=None)
    DepartmentMembership.objects.create(user=user, department=department)
    user.groups.add(department.group)
    client = ApiClient.objects.create(
        name=name, user=user, token_prefix=token[:8], token_hash=token_hash(token)
    )
    audit_event_record(
        actor=actor,
        action="api_client.create",
        target=client,
        department_code=department.code,
        after={"name": name},
    )
    return client, token


# --- market entities --------------------------------------------------------------------------
def _entity(raw_uscc: str, *, lock: bool = False) -> MarketEntity:
    code = uscc_codes.validate(raw_uscc)
    qs = MarketEntity.objects.select_for_update() if lock else MarketEntity.objects
    try:
        return qs.get(uscc=code)
    except MarketEntity.DoesNotExist:
        raise entity_not_found(code) from None


def _check_region(code: str) -> None:
    region = uscc_codes.region(code[2:8])
    if not region.province:
        raise uscc_codes.InvalidUSCC(
            _(
                "第3-8位行政区划码 %(region)s 不存在。/ Positions 3-8 (%(region)s) are not a known "
                "region code."
            )
            % {"region": code[2:8]},
            code="uscc_region",
        )


def _entity_snapshot(entity: MarketEntity) -> dict[str, Any]:
    return {
        "name": entity.name,
        "status": entity.status,
        "address": entity.address,
        "industry": entity.industry,
        "kind": entity.kind,
        "former_names": list(entity.former_names),
        "deregistered": entity.deregistered.isoformat() if entity.deregistered else None,
    }


@transaction.atomic
def entity_register(
    *,
    actor,
    uscc: str,
    name: str,
    kind: str,
    industry: str = "",
    address: str = "",
    established: datetime.date | None = None,
    state_owned: bool = False,
) -> MarketEntity:
    """Register a market entity under its USCC (35/4); only a registration authority may."""
    viewer = regulator_required(actor)
    if not viewer.department.registers_entities:
        raise PermissionDenied(
            _(
                "本部门不是登记机关，不能登记市场主体。/ Your department is not a registration "
                "authority."
            )
        )
    code = uscc_codes.validate(uscc)
    _check_region(code)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("请填写名称。/ Enter the name."), field="name")
    if kind not in MarketEntity.Kind.values:
        raise DomainError(_("主体类型无效。/ Unknown entity kind."), field="kind")
    if established and established > timezone.localdate():
        raise DomainError(
            _("成立日期不能晚于今天。/ The founding date cannot be in the future."),
            field="established",
        )
    if MarketEntity.objects.filter(uscc=code).exists():
        raise Conflict(
            _("该统一社会信用代码已登记。/ This USCC is registered already."),
            code="entity_exists",
            field="uscc",
        )
    entity = MarketEntity(
        uscc=code,
        name=name,
        kind=kind,
        region=code[2:8],
        industry=industry.strip(),
        address=address.strip(),
        established=established,
        state_owned=state_owned,
        registration_authority=viewer.department,
        search_names=names.search_text(name, []),
    )
    try:
        with transaction.atomic():
            entity.save(force_insert=True)
    except IntegrityError:
        raise Conflict(
            _("该统一社会信用代码已登记。/ This USCC is registered already."),
            code="entity_exists",
            field="uscc",
        ) from None
    assign_perm(ENTITY_PERM, viewer.department.group, entity)
    audit_event_record(
        actor=actor,
        action="entity.register",
        target=entity,
        department_code=viewer.department_code,
        after=_entity_snapshot(entity),
    )
    return entity


UPDATABLE_ENTITY_FIELDS = {"name", "status", "address", "industry", "deregistered"}


@transaction.atomic
def entity_update(*, actor, uscc: str, reason: str = "", **changes: Any) -> MarketEntity:
    """Change registration facts; a new name keeps the old one among the former names."""
    viewer = regulator_required(actor)
    unknown = set(changes) - UPDATABLE_ENTITY_FIELDS
    if unknown:
        raise DomainError(
            _("不能修改这些字段：%(f)s / These fields cannot be changed: %(f)s")
            % {"f": ", ".join(sorted(unknown))}
        )
    entity = _entity(uscc, lock=True)
    _require_owner(viewer, ENTITY_PERM, entity, "市场主体")
    before = _entity_snapshot(entity)
    if "status" in changes and changes["status"] not in MarketEntity.Status.values:
        raise DomainError(_("登记状态无效。/ Unknown status."), field="status")
    new_name = (changes.pop("name", None) or entity.name).strip()
    if new_name != entity.name:
        entity.former_names = [*entity.former_names, entity.name]
        entity.name = new_name
    for field, value in changes.items():
        setattr(entity, field, value.strip() if isinstance(value, str) else value)
    after = _entity_snapshot(entity)
    if after == before:
        return entity
    entity.search_names = names.search_text(entity.name, entity.former_names)
    entity.save()
    audit_event_record(
        actor=actor,
        action="entity.update",
        target=entity,
        department_code=viewer.department_code,
        before=before,
        after=after,
        reason=reason,
    )
    return entity


# --- persons and roles -------------------------------------------------------------------------
@transaction.atomic
def person_register(*, actor, name: str, id_number: str, id_kind: str = "resident") -> Person:
    """Find or create the person with this ID number (looked up by keyed hash)."""
    viewer = regulator_required(actor)
    if id_kind not in Person.IdKind.values:
        raise DomainError(_("证件类型无效。/ Unknown document kind."), field="id_kind")
    number = personal.validate(id_number, id_kind)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("请填写姓名。/ Enter the name."), field="name")
    digest = personal.lookup_hash(number)
    existing = Person.objects.filter(id_number_hash=digest).first()
    if existing is not None:
        return existing
    person = Person.objects.create(
        name=name,
        id_kind=id_kind,
        id_number_encrypted=personal.encrypt(number),
        id_number_hash=digest,
        id_number_masked=personal.mask(number),
    )
    # The audit trail never holds the number itself.
    audit_event_record(
        actor=actor,
        action="person.register",
        target=person,
        department_code=viewer.department_code,
        after={"name": name, "id_number": person.id_number_masked},
    )
    return person


@transaction.atomic
def entity_role_assign(
    *,
    actor,
    uscc: str,
    person: Person,
    kind: str,
    since: datetime.date | None = None,
) -> EntityRole:
    """Record a legal representative, principal or actual controller; a new legal
    representative ends the previous one's term."""
    viewer = regulator_required(actor)
    if kind not in EntityRole.Kind.values:
        raise DomainError(_("角色无效。/ Unknown role."), field="kind")
    entity = _entity(uscc, lock=True)
    _require_owner(viewer, ENTITY_PERM, entity, "市场主体")
    since = since or timezone.localdate()
    current = EntityRole.objects.filter(entity=entity, kind=kind, until__isnull=True)
    if current.filter(person=person).exists():
        return current.get(person=person)
    if kind == EntityRole.Kind.LEGAL_REPRESENTATIVE:
        current.update(until=since)
    role = EntityRole.objects.create(entity=entity, person=person, kind=kind, since=since)
    audit_event_record(
        actor=actor,
        action="entity_role.assign",
        target=role,
        department_code=viewer.department_code,
        after={"uscc": entity.uscc, "person": person.pk, "kind": kind},
    )
    return role


# --- the credit record --------------------------------------------------------------------------
def _check_record_fields(
    item: CatalogueItem,
    severity: str,
    scope: str | None,
    title: str,
    conduct_date: datetime.date | None,
    decision_date: datetime.date | None,
) -> str:
    """Validate a record against its catalogue item; returns the effective scope."""
    allowed = item.severities or [Severity.NONE]
    if severity not in allowed:
        raise DomainError(
            _(
                "目录项 %(code)s 的严重程度只能是：%(allowed)s。"
                "/ Severity for %(code)s must be one of: %(allowed)s."
            )
            % {"code": item.code, "allowed": ", ".join(allowed)},
            code="invalid_severity",
            field="severity",
        )
    if not (title or "").strip():
        raise DomainError(_("请填写标题。/ Enter a title."), field="title")
    today = timezone.localdate()
    for field, value in (("conduct_date", conduct_date), ("decision_date", decision_date)):
        if value and value > today:
            raise DomainError(
                _("日期不能晚于今天。/ The date cannot be in the future."),
                code="date_in_future",
                field=field,
            )
    if conduct_date and decision_date and decision_date < conduct_date:
        raise DomainError(
            _("决定日期不能早于行为日期。/ The decision date cannot precede the conduct date."),
            field="decision_date",
        )
    effective = scope or item.publicity_scope
    if effective not in PublicityScope.values:
        raise DomainError(_("公开范围无效。/ Unknown publicity scope."), field="scope")
    if SCOPE_ORDER.index(effective) < SCOPE_ORDER.index(item.publicity_scope):
        raise DomainError(
            _(
                "公开范围不能宽于目录规定（%(scope)s）。/ The scope cannot be wider than the "
                "catalogue's (%(scope)s)."
            )
            % {"scope": item.publicity_scope},
            code="scope_wider_than_catalogue",
            field="scope",
        )
    # Warnings are not published (SAMR Order 107; ARCHITECTURE 5): shared at most.
    if severity == Severity.WARNING and effective == PublicityScope.PUBLIC:
        effective = PublicityScope.SHARED
    return effective


def _catalogue_item(code: str) -> CatalogueItem:
    try:
        return CatalogueItem.objects.get(code=code, active=True)
    except CatalogueItem.DoesNotExist:
        raise DomainError(
            _(
                "信用信息目录中没有编码为“%(code)s”的有效条目。/ The catalogue has no active item "
                "“%(code)s”."
            )
            % {"code": code},
            code="unknown_catalogue_item",
            field="catalogue_item",
        ) from None


def _record_snapshot(record: CreditRecord) -> dict[str, Any]:
    return {
        "uscc": record.entity_id,
        "catalogue_item": record.catalogue_item.code,
        "action": record.action,
        "scope": record.scope,
        "severity": record.severity,
        "title": record.title,
        "document_number": record.document_number,
        "supersedes": record.supersedes_id,
    }


@transaction.atomic
def credit_record_create(
    *,
    actor,
    uscc: str,
    catalogue_code: str,
    title: str,
    severity: str = Severity.NONE,
    content: str = "",
    document_number: str = "",
    legal_basis: str = "",
    conduct_date: datetime.date | None = None,
    decision_date: datetime.date | None = None,
    scope: str | None = None,
) -> CreditRecord:
    """Add a record to an entity's credit record for the actor's department (35/4)."""
    viewer = regulator_required(actor)
    entity = _entity(uscc)
    item = _catalogue_item(catalogue_code)
    effective_scope = _check_record_fields(
        item, severity, scope, title, conduct_date, decision_date
    )
    record = CreditRecord.objects.create(
        entity=entity,
        catalogue_item=item,
        source_department=viewer.department,
        action=CreditRecord.Action.ORIGINAL,
        scope=effective_scope,
        severity=severity,
        title=title.strip(),
        content=content,
        document_number=document_number.strip(),
        legal_basis=legal_basis,
        conduct_date=conduct_date,
        decision_date=decision_date,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    assign_perm(RECORD_PERM, viewer.department.group, record)
    audit_event_record(
        actor=actor,
        action="record.create",
        target=record,
        department_code=viewer.department_code,
        after=_record_snapshot(record),
    )
    return record


@transaction.atomic
def credit_record_supersede(
    *,
    actor,
    record_id: int,
    action: str,
    reason: str,
    **changes: Any,
) -> CreditRecord:
    """Correct or revoke a record by appending a new one that supersedes it (35/17).

    Only the department that owns the record may; a record is superseded at most once.
    """
    viewer = regulator_required(actor)
    if action not in (CreditRecord.Action.CORRECTION, CreditRecord.Action.REVOCATION):
        raise DomainError(
            _("操作只能是更正或撤销。/ The action must be correction or revocation."),
            field="action",
        )
    if not (reason or "").strip():
        raise DomainError(_("请说明更正或撤销的理由。/ Give the reason."), field="reason")
    try:
        old = (
            CreditRecord.objects.select_for_update()
            .select_related("catalogue_item")
            .get(pk=record_id)
        )
    except (CreditRecord.DoesNotExist, ValueError, TypeError):
        raise NotFound(
            _("信用记录不存在。/ No such credit record."), code="record_not_found"
        ) from None
    _require_owner(viewer, RECORD_PERM, old, "信用记录")
    if old.action == CreditRecord.Action.REVOCATION:
        raise Conflict(_("撤销记录不能再更正或撤销。/ A revocation cannot be superseded."))
    if CreditRecord.objects.filter(supersedes=old).exists():
        raise Conflict(
            _(
                "该记录已被更正或撤销，请处理最新记录。/ This record has been "
                "superseded already; act on the latest one."
            ),
            code="already_superseded",
        )
    allowed = {
        "title",
        "content",
        "severity",
        "document_number",
        "legal_basis",
        "conduct_date",
        "decision_date",
        "scope",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(
            _("不能修改这些字段：%(f)s / These fields cannot be changed: %(f)s")
            % {"f": ", ".join(sorted(unknown))}
        )
    fields = {f: getattr(old, f) for f in allowed}
    fields.update({k: v for k, v in changes.items() if v is not None})
    fields["scope"] = _check_record_fields(
        old.catalogue_item,
        fields["severity"],
        changes.get("scope") or old.scope,
        fields["title"],
        fields["conduct_date"],
        fields["decision_date"],
    )
    try:
        with transaction.atomic():
            new = CreditRecord.objects.create(
                entity_id=old.entity_id,
                catalogue_item=old.catalogue_item,
                source_department=old.source_department,
                action=action,
                supersedes=old,
                reason=reason.strip(),
                recorded_by=actor if getattr(actor, "pk", None) else None,
                **fields,
            )
    except IntegrityError:  # a concurrent supersede won the one-successor constraint
        raise Conflict(
            _("该记录已被更正或撤销。/ This record has been superseded already."),
            code="already_superseded",
        ) from None
    assign_perm(RECORD_PERM, viewer.department.group, new)
    audit_event_record(
        actor=actor,
        action=f"record.{action}",
        target=new,
        department_code=viewer.department_code,
        before=_record_snapshot(old),
        after=_record_snapshot(new),
        reason=reason,
    )
    return new


def platform_admin_group() -> Group:
    group, _created = Group.objects.get_or_create(name=PLATFORM_ADMIN_GROUP)
    return group


# --- decisions and publicity (35/15, 33/17) ----------------------------------------------------
DECISION_CATALOGUE = {
    "licence": "XK",
    "penalty": "CF",
    "compulsion": "QZ",
    "confirmation": "QR",
    "expropriation": "ZS",
    "payment": "JF",
    "ruling": "CJ",
    "compensation": "BC",
    "reward": "JL",
    "inspection": "JC",
}
DECISION_PERM = "manage_decisions"  # held on the deciding Department (see Department)
COMMITMENT_PERM = "manage_commitments"  # held on the accepting Department
# What a department's group holds on its own Department row from its creation.
DEPARTMENT_PERMS = (DECISION_PERM, COMMITMENT_PERM)
FLAG_LOCK = "registry.publicity_flag_overdue"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Same day ``months`` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    import calendar as _calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, _calendar.monthrange(year, month)[1])
    )


def publicity_config() -> PublicityConfig:
    return PublicityConfig.objects.order_by("pk").first() or PublicityConfig()


def publicity_due_for(decision_date: datetime.date) -> tuple[datetime.date, bool]:
    """Decision date + N working days on the official calendar (N = 7 by default)."""
    result = add_working_days(decision_date, publicity_config().publish_within)
    return result.value, result.provisional


def _check_decision(
    *,
    kind: str,
    severity: str,
    decision_date: datetime.date | None,
    document_number: str,
    title: str,
    penalty_type: str,
    penalty_amount,
) -> None:
    if kind not in Decision.Kind.values:
        raise DomainError(
            _("决定类别无效。/ Unknown decision kind."), code="invalid_kind", field="kind"
        )
    if not (document_number or "").strip():
        raise DomainError(
            _("请填写决定文书号。/ Enter the document number."), field="document_number"
        )
    if not (title or "").strip():
        raise DomainError(_("请填写标题。/ Enter a title."), field="title")
    if decision_date is None:
        raise DomainError(_("请填写决定日期。/ Enter the decision date."), field="decision_date")
    if decision_date > timezone.localdate():
        raise DomainError(
            _("决定日期不能晚于今天。/ The decision date cannot be in the future."),
            code="date_in_future",
            field="decision_date",
        )
    item = _catalogue_item(DECISION_CATALOGUE[kind])
    allowed = item.severities or [Severity.NONE]
    if severity not in allowed:
        raise DomainError(
            _("%(kind)s的严重程度只能是：%(allowed)s。/ Severity must be one of: %(allowed)s.")
            % {"kind": item.name, "allowed": ", ".join(allowed)},
            code="invalid_severity",
            field="severity",
        )
    if kind != Decision.Kind.PENALTY and (penalty_type or penalty_amount is not None):
        raise DomainError(
            _("只有行政处罚可填写处罚种类和金额。/ Only penalties have a penalty type and amount."),
            field="penalty_type",
        )
    if kind == Decision.Kind.PENALTY and penalty_type not in Decision.PenaltyType.values:
        raise DomainError(_("请选择处罚种类。/ Choose the penalty type."), field="penalty_type")
    if penalty_amount is not None and penalty_amount < 0:
        raise DomainError(
            _("金额不能为负。/ The amount cannot be negative."), field="penalty_amount"
        )


@transaction.atomic
def decision_record(
    *,
    actor,
    uscc: str,
    kind: str,
    document_number: str,
    decision_date: datetime.date,
    title: str,
    content: str = "",
    legal_basis: str = "",
    severity: str = Severity.NONE,
    penalty_type: str = "",
    penalty_amount=None,
) -> Decision:
    """Record a decision for the actor's department; its publicity clock starts (35/15)."""
    viewer = regulator_required(actor)
    entity = _entity(uscc)
    _check_decision(
        kind=kind,
        severity=severity,
        decision_date=decision_date,
        document_number=document_number,
        title=title,
        penalty_type=penalty_type,
        penalty_amount=penalty_amount,
    )
    document_number = document_number.strip()
    decisions_lock(viewer.department)
    if Decision.objects.filter(
        department=viewer.department, kind=kind, document_number=document_number
    ).exists():
        raise Conflict(
            _(
                "本部门已录入该文书号的决定。/ Your department has recorded this "
                "document number already."
            ),
            code="decision_exists",
            field="document_number",
        )
    due, provisional = publicity_due_for(decision_date)
    decision = Decision.objects.create(
        kind=kind,
        department=viewer.department,
        entity=entity,
        document_number=document_number,
        decision_date=decision_date,
        title=title.strip(),
        content=content,
        legal_basis=legal_basis,
        severity=severity,
        penalty_type=penalty_type or "",
        penalty_amount=penalty_amount,
        publicity_due=due,
        publicity_due_provisional=provisional,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_event_record(
        actor=actor,
        action="decision.record",
        target=decision,
        department_code=viewer.department_code,
        after={
            "uscc": entity.uscc,
            "kind": kind,
            "document_number": document_number,
            "publicity_due": due.isoformat(),
        },
    )
    return decision


def decisions_lock(department: Department) -> None:
    """Hold the department's decision-recording lock until the transaction ends.

    Recording one decision and importing a file take it, so the check "this document number is
    not recorded yet" stays true until the insert: the import can then insert with a plain
    anti-join (INSERT ... ON CONFLICT cost it five times more per row), and two imports of the
    same file by one department wait for each other instead of deadlocking."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
            [f"registry.decisions:{department.pk}"],
        )


def _owned_decision(viewer: Viewer, decision_id) -> Decision:
    try:
        decision = (
            Decision.objects.select_for_update(of=("self",))
            .select_related("department")
            .get(pk=int(decision_id))
        )
    except (Decision.DoesNotExist, ValueError, TypeError):
        raise NotFound(
            _("行政决定不存在。/ No such decision."), code="decision_not_found"
        ) from None
    if not department_manages_decision(viewer.department, decision):
        raise PermissionDenied(
            _(
                "该决定属于其他部门，本部门无权公示或撤下。/ This decision "
                "belongs to another department; yours may not publish or "
                "withdraw it."
            )
        )
    return decision


@transaction.atomic
def decision_publish(*, actor, decision_id: int) -> Decision:
    """Publish a decision: write its credit record and publicity window (35/15).

    A warning is recorded but not shown publicly (ARCHITECTURE 5); the window's minimum opens
    restoration, its maximum stops display."""
    viewer = regulator_required(actor)
    decision = _owned_decision(viewer, decision_id)
    if decision.status == Decision.Status.PUBLISHED:
        return decision
    if decision.status != Decision.Status.RECORDED:
        raise Conflict(
            _("已撤下的决定不能公示。/ A withdrawn decision cannot be published."),
            code="decision_withdrawn",
        )
    now = timezone.now()
    item = _catalogue_item(DECISION_CATALOGUE[decision.kind])
    rule = PublicityRule.objects.filter(severity=decision.severity).first()
    scope = item.publicity_scope
    if rule is not None and not rule.published and scope == PublicityScope.PUBLIC:
        scope = PublicityScope.SHARED
    scope = _check_record_fields(
        item, decision.severity, scope, decision.title, None, decision.decision_date
    )
    record = CreditRecord.objects.create(
        entity_id=decision.entity_id,
        catalogue_item=item,
        source_department=decision.department,
        action=CreditRecord.Action.ORIGINAL,
        scope=scope,
        severity=decision.severity,
        title=decision.title,
        content=decision.content,
        document_number=decision.document_number,
        legal_basis=decision.legal_basis,
        decision_date=decision.decision_date,
        published_at=now,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    assign_perm(RECORD_PERM, decision.department.group, record)
    if scope == PublicityScope.PUBLIC:
        today = timezone.localdate()
        PublicityWindow.objects.create(
            record=record,
            shown_from=now,
            restoration_from=add_months(today, rule.min_months)
            if rule and rule.min_months
            else None,
            shown_until=add_months(today, rule.max_months) if rule and rule.max_months else None,
        )
    decision.status = Decision.Status.PUBLISHED
    decision.published_at = now
    decision.record = record
    decision.save(update_fields=["status", "published_at", "record"])
    DepartmentAlert.objects.filter(decision=decision, resolved_at__isnull=True).update(
        resolved_at=now
    )
    audit_event_record(
        actor=actor,
        action="decision.publish",
        target=decision,
        department_code=viewer.department_code,
        after={
            "record": record.pk,
            "scope": scope,
            "on_time": timezone.localdate() <= decision.publicity_due,
        },
    )
    return decision


@transaction.atomic
def decision_change(
    *,
    actor,
    decision_id: int,
    change: str,
    reason: str,
    change_date: datetime.date | None = None,
) -> Decision:
    """A decision was changed, revoked or annulled on ``change_date`` (default today): withdraw
    it from public display at once and append a revocation to the ledger (35/15). Withdrawal
    is due ``withdraw_within`` working days (3 by default) after the change; recording it
    later still withdraws it, and the lateness stays on the decision and in the audit."""
    viewer = regulator_required(actor)
    today = timezone.localdate()
    change_date = change_date or today
    if change not in Decision.Change.values:
        raise DomainError(
            _(
                "变更情况只能是变更、撤销或确认无效。/ The change must be changed, "
                "revoked or annulled."
            ),
            field="change",
        )
    if not (reason or "").strip():
        raise DomainError(_("请说明理由。/ Give the reason."), field="reason")
    if change_date > today:
        raise DomainError(
            _("变更日期不能晚于今天。/ The date of the change cannot be in the future."),
            code="date_in_future",
            field="change_date",
        )
    decision = _owned_decision(viewer, decision_id)
    if decision.status == Decision.Status.WITHDRAWN:
        return decision
    if change_date < decision.decision_date:
        raise DomainError(
            _(
                "变更日期不能早于决定日期。/ The date of the change cannot be before the "
                "decision date."
            ),
            code="change_before_decision",
            field="change_date",
        )
    now = timezone.now()
    decision.change, decision.change_reason, decision.changed_at = change, reason.strip(), now
    decision.change_date = change_date
    decision.withdrawal_due = add_working_days(
        change_date, publicity_config().withdraw_within
    ).value
    if decision.record_id:
        PublicityWindow.objects.filter(
            record_id=decision.record_id, stopped_at__isnull=True
        ).update(stopped_at=now, stop_reason=PublicityWindow.StopReason.WITHDRAWN)
        if not CreditRecord.objects.filter(supersedes_id=decision.record_id).exists():
            old = decision.record
            revocation = CreditRecord.objects.create(
                entity_id=old.entity_id,
                catalogue_item_id=old.catalogue_item_id,
                source_department_id=old.source_department_id,
                action=CreditRecord.Action.REVOCATION,
                supersedes=old,
                scope=old.scope,
                severity=old.severity,
                title=old.title,
                document_number=old.document_number,
                decision_date=old.decision_date,
                reason=reason.strip(),
                recorded_by=actor if getattr(actor, "pk", None) else None,
            )
            assign_perm(RECORD_PERM, decision.department.group, revocation)
    decision.status = Decision.Status.WITHDRAWN
    decision.withdrawn_at = now
    decision.save(
        update_fields=[
            "change",
            "change_reason",
            "change_date",
            "changed_at",
            "withdrawal_due",
            "status",
            "withdrawn_at",
        ]
    )
    DepartmentAlert.objects.filter(decision=decision, resolved_at__isnull=True).update(
        resolved_at=now
    )
    audit_event_record(
        actor=actor,
        action="decision.withdraw",
        target=decision,
        department_code=viewer.department_code,
        after={
            "change": change,
            "change_date": change_date.isoformat(),
            "withdrawal_due": decision.withdrawal_due.isoformat(),
            "on_time": today <= decision.withdrawal_due,
        },
        reason=reason,
    )
    return decision


def publicity_flag_overdue(*, today: datetime.date | None = None) -> int:
    """Hourly: flag each decision past its due date with one alert in the owning department's
    queue (the alert is the flag: its ``created_at`` is when the job found it overdue).
    Set-based and idempotent (ARCHITECTURE 6: no per-row loops in deadline code).

    It only inserts narrow alert rows: updating a flag column on the wide, indexed decision
    rows took 78 s for a million overdue decisions, this takes about 15 s
    (bench/deadline_job_bench.py). The advisory lock makes a second run (two beats by mistake)
    wait and then find nothing to do, so the anti-join needs no ON CONFLICT."""
    today = today or timezone.localdate()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [FLAG_LOCK])
        # The anti-join reads the table the statement inserts into. Planned while that table
        # is (nearly) empty, a nested loop rescans it for every decision, rows just inserted
        # included: a million took over ten minutes. A hash anti-join reads it once.
        cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute(
            """
            INSERT INTO registry_departmentalert (department_id, kind, decision_id, created_at)
            SELECT d.department_id, 'publicity_overdue', d.id, now()
            FROM registry_decision d
            WHERE d.status = 'recorded' AND d.publicity_due < %s
              AND NOT EXISTS (
                  SELECT 1 FROM registry_departmentalert a
                  WHERE a.kind = 'publicity_overdue' AND a.decision_id = d.id
              )
            """,
            [today],
        )
        count = cursor.rowcount
        cursor.execute("RESET enable_nestloop")
        if count:
            audit_event_record(
                actor=None,
                action="publicity.flag_overdue",
                target_type="registry.decision",
                target_id="*",
                after={"flagged": count, "today": today.isoformat()},
            )
    return count


def publicity_windows_close(*, today: datetime.date | None = None) -> dict[str, int]:
    """Nightly: stop display at the maximum period and open restoration at the minimum.
    Display stops; the record stays in the ledger."""
    today = today or timezone.localdate()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE registry_publicitywindow SET stopped_at = now(), stop_reason = 'expired'
            WHERE stopped_at IS NULL AND shown_until < %s
            """,
            [today],
        )
        expired = cursor.rowcount
        cursor.execute(
            """
            UPDATE registry_publicitywindow SET restoration_open = true
            WHERE NOT restoration_open AND stopped_at IS NULL AND restoration_from <= %s
            """,
            [today],
        )
        opened = cursor.rowcount
        if expired or opened:
            audit_event_record(
                actor=None,
                action="publicity.close_windows",
                target_type="registry.publicitywindow",
                target_id="*",
                after={"expired": expired, "restoration_open": opened, "today": today.isoformat()},
            )
    return {"expired": expired, "restoration_open": opened}


# --- publicity configuration (edited by platform administrators in the admin) ------------------
RULE_FIELDS = ("published", "min_months", "max_months")
CONFIG_FIELDS = ("publish_within", "withdraw_within")


def publicity_rule_check(
    *, published: bool, min_months: int | None, max_months: int | None
) -> None:
    """A rule must make sense: the minimum (restoration) never exceeds the maximum (display)."""
    if max_months is not None and max_months < 1:
        raise DomainError(
            _(
                "最长公示期至少1个月；不限请留空。/ The maximum is at least 1 month; leave it "
                "empty for no limit."
            ),
            field="max_months",
        )
    if published and min_months is not None and max_months is not None and min_months > max_months:
        raise DomainError(
            _("最短公示期不能长于最长公示期。/ The minimum cannot exceed the maximum."),
            code="min_exceeds_max",
            field="min_months",
        )


def publicity_config_check(*, publish_within: int, withdraw_within: int) -> None:
    """Working-day deadlines are at least 1; publication may be stricter than the national
    7 working days (35/15, 33/17), never looser."""
    if not 1 <= publish_within <= 7:
        raise DomainError(
            _(
                "公示时限为1至7个工作日（国办发〔2019〕35号）。/ Publication is due within 1 to 7 "
                "working days (2019 No. 35)."
            ),
            field="publish_within",
        )
    if withdraw_within < 1:
        raise DomainError(
            _("撤下时限至少1个工作日。/ Withdrawal is due within at least 1 working day."),
            field="withdraw_within",
        )


def _configuration_update(
    *, actor, obj, allowed: tuple[str, ...], check, action: str, fields: dict[str, Any]
):
    """Lock the configuration row, refuse unknown fields, return early when nothing changes,
    check the new values as a whole, save them and audit before and after."""
    platform_admin_required(actor)
    unknown = set(fields) - set(allowed)
    if unknown:
        raise DomainError(
            _("不能修改这些字段：%(f)s / These fields cannot be changed: %(f)s")
            % {"f": ", ".join(sorted(unknown))}
        )
    locked = type(obj).objects.select_for_update().get(pk=obj.pk)
    before = {f: getattr(locked, f) for f in allowed}
    after = {**before, **fields}
    if after == before:
        return locked
    check(**after)
    for field, value in fields.items():
        setattr(locked, field, value)
    locked.save(update_fields=list(fields))
    audit_event_record(actor=actor, action=action, target=locked, before=before, after=after)
    return locked


@transaction.atomic
def publicity_rule_update(*, actor, rule: PublicityRule, **fields: Any) -> PublicityRule:
    """Change how long decisions of a severity are shown. Applies to publications from now on;
    windows already opened keep their dates."""
    return _configuration_update(
        actor=actor,
        obj=rule,
        allowed=RULE_FIELDS,
        check=publicity_rule_check,
        action="publicity_rule.update",
        fields=fields,
    )


@transaction.atomic
def publicity_config_update(*, actor, config: PublicityConfig, **fields: Any) -> PublicityConfig:
    """Change the working-day deadlines. Applies to decisions recorded or changed from now on;
    due dates already computed stay as they are."""
    return _configuration_update(
        actor=actor,
        obj=config,
        allowed=CONFIG_FIELDS,
        check=publicity_config_check,
        action="publicity_config.update",
        fields=fields,
    )


# --- the standing summary (kept current by the higher apps) -----------------------------------
STANDING_FIELDS = ("punishment_listed", "attention_listed", "red_listed", "grade")


@transaction.atomic
def standing_update(*, actor, uscc: str, reason: str = "", **fields: Any) -> EntityStanding:
    """Set an entity's standing summary (ARCHITECTURE 3). Called by the services of the apps
    that decide it (discipline lists, ratings grades), which have checked who may act; the
    change is audited here. Unchanged values write nothing."""
    unknown = set(fields) - set(STANDING_FIELDS)
    if unknown:
        raise DomainError(
            _("不能修改这些字段：%(f)s / These fields cannot be changed: %(f)s")
            % {"f": ", ".join(sorted(unknown))}
        )
    if fields.get("grade", "") not in ("", *EntityStanding.Grade.values):
        raise DomainError(
            _("信用等级只能是A、B、C、D或空。/ The grade must be A, B, C, D or empty."),
            code="invalid_grade",
            field="grade",
        )
    entity = _entity(uscc)
    EntityStanding.objects.get_or_create(entity=entity)  # a row to lock (unique: race-safe)
    standing = EntityStanding.objects.select_for_update().get(entity=entity)
    before = {f: getattr(standing, f) for f in STANDING_FIELDS}
    after = {**before, **fields}
    if after == before:
        return standing
    for field, value in fields.items():
        setattr(standing, field, value)
    standing.save(update_fields=[*fields, "updated_at"])
    viewer = viewer_for(actor) if actor is not None else None
    audit_event_record(
        actor=actor,
        action="standing.update",
        target=standing,
        department_code=viewer.department_code if viewer and viewer.is_regulator else "",
        before=before,
        after=after,
        reason=reason,
    )
    return standing


def standing_grades_sql(source_sql: str) -> str:
    """Set-based: the statement giving each entity the grade ``source_sql`` yields (columns
    uscc, grade) where it differs from its current one (ratings' nightly run; ARCHITECTURE 6
    forbids a per-entity loop), returning the entities it changed, so that a caller can run
    it in a WITH clause of its own statement, fed by that statement's RETURNING rows.
    ``updated_at`` is left alone: it tells when the list flags changed, which is what the
    next run of changed entities looks for (a row made here gets ``%(standing_as_at)s``, the
    time the grades' data was read, a parameter the caller passes)."""
    return f"""
        INSERT INTO registry_entitystanding
            (entity_id, punishment_listed, attention_listed, red_listed, grade, updated_at)
        SELECT src.uscc, false, false, false, src.grade, %(standing_as_at)s
        FROM ({source_sql}) AS src (uscc, grade)
        WHERE src.grade IN ('A', 'B', 'C', 'D')
        ON CONFLICT (entity_id) DO UPDATE SET grade = EXCLUDED.grade
        WHERE registry_entitystanding.grade IS DISTINCT FROM EXCLUDED.grade
        RETURNING entity_id"""


def standing_grades_changed(*, changed: int, action: str) -> None:
    """The job-level audit event of a ``standing_grades_sql`` statement, with the count it
    changed (a grade's history is the ratings themselves). In the caller's transaction."""
    if changed:
        audit_event_record(
            actor=None,
            action=action,
            target_type="registry.entitystanding",
            target_id="*",
            after={"grades_changed": changed},
        )


# --- records appended by the jobs of higher apps ---------------------------------------------
@dataclass(frozen=True)
class RecordRow:
    """One record for ``credit_records_append``: the entity, the department the record is
    from (it owns it), and what happened."""

    uscc: str
    department_id: int
    title: str
    content: str = ""
    document_number: str = ""
    conduct_date: datetime.date | None = None
    severity: str = Severity.NONE


@transaction.atomic
def credit_records_append(
    *, catalogue_code: str, rows: Sequence[RecordRow], action: str
) -> list[CreditRecord]:
    """Append original records found by a higher app's job (e.g. commitment breaches by the
    nightly deadline job): one INSERT for the records and one for their ownership, each owned
    by its source department, and one job-level audit event (``action``) with the count. The
    catalogue item's rules apply to every row as in ``credit_record_create``."""
    if not rows:
        return []
    item = _catalogue_item(catalogue_code)
    groups = dict(
        Department.objects.filter(pk__in={r.department_id for r in rows}).values_list(
            "pk", "group_id"
        )
    )
    now = timezone.now()
    records = [
        CreditRecord(
            entity_id=row.uscc,
            catalogue_item=item,
            source_department_id=row.department_id,
            action=CreditRecord.Action.ORIGINAL,
            scope=_check_record_fields(item, row.severity, None, row.title, row.conduct_date, None),
            severity=row.severity,
            title=row.title.strip(),
            content=row.content,
            document_number=row.document_number,
            conduct_date=row.conduct_date,
            published_at=now,
        )
        for row in rows
    ]
    CreditRecord.objects.bulk_create(records)
    permission = Permission.objects.get(codename=RECORD_PERM, content_type__app_label="registry")
    CreditRecordGroupObjectPermission.objects.bulk_create(
        CreditRecordGroupObjectPermission(
            group_id=groups[record.source_department_id],
            permission=permission,
            content_object=record,
        )
        for record in records
    )
    audit_event_record(
        actor=None,
        action=action,
        target_type="registry.creditrecord",
        target_id="*",
        after={"catalogue": catalogue_code, "records": len(records)},
    )
    return records
