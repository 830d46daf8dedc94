"""Market entities: registration and updates."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from credit_portal.audit.services import audit_event_record
from credit_portal.errors import Conflict, DomainError, PermissionDenied

from .. import names
from .. import uscc as uscc_codes
from ..models import MarketEntity
from ._common import _entity, _require_owner
from .access import ENTITY_PERM, regulator_required


# --- market entities --------------------------------------------------------------------------
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
