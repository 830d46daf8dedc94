"""Commitments: making one, supplying missing materials, recording fulfilment (35/1-2, 33/4)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credit_portal.audit.services import audit_event_record
from credit_portal.errors import DomainError, NotFound, PermissionDenied
from registry import selectors as registry_selectors
from registry.models import Department, MarketEntity
from registry.roles import Role, Viewer, viewer_for
from registry.services import COMMITMENT_PERM, department_owns, regulator_required

from .. import transitions
from ..models import (
    ITEM_KINDS,
    Commitment,
    CommitmentKind,
    CommitmentTemplate,
    LicensingItem,
    MissingMaterial,
)
from ._common import _check_kind, _item, _record_breaches, _template
from .configuration import commitment_config
from .templates import current_template


def department_manages_commitment(department: Department, commitment: Commitment) -> bool:
    """May this department record how the commitment is kept? (guardian, on the accepting
    department: its own group from creation, a successor if it is given the permission)."""
    return department_owns(department, COMMITMENT_PERM, commitment.department)


# --- commitments ----------------------------------------------------------------------------------
def _next_number(region: str, day: datetime.date) -> str:
    """6-digit region + 8-digit date + 6-digit serial, the serial counted per region and day
    in one statement (no two commitments get the same number, whatever runs at once)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO commitments_commitmentserial (region, day, last) VALUES (%s, %s, 1)
            ON CONFLICT (region, day) DO UPDATE
                SET last = commitments_commitmentserial.last + 1
            RETURNING last
            """,
            [region, day],
        )
        serial = cursor.fetchone()[0]
    if serial > 999_999:
        raise DomainError(
            _("今日承诺编号已用完。/ Today's commitment numbers are used up."),
            code="numbers_exhausted",
        )
    return f"{region}{day:%Y%m%d}{serial:06d}"


def _acting_for(viewer: Viewer, entity: MarketEntity) -> None:
    """An entity user commits for its own entity only; staff record for any entity."""
    if viewer.role == Role.ENTITY_USER and viewer.entity_uscc == entity.uscc:
        return
    if viewer.is_regulator:
        return
    raise PermissionDenied(
        _(
            "只有该市场主体的账号或部门工作人员可以作出或录入承诺。/ Only the entity's own "
            "account or department staff may make or record its commitments."
        )
    )


def _receiving_department(viewer: Viewer, item: LicensingItem | None, code: str) -> Department:
    if viewer.is_regulator:
        return viewer.department
    if item is not None:
        return item.department
    try:
        return Department.objects.get(code=(code or "").strip(), active=True)
    except Department.DoesNotExist:
        raise DomainError(
            _("请选择受理部门。/ Choose the department the commitment is made to."),
            code="department_required",
            field="department",
        ) from None


def _check_template(template: CommitmentTemplate, kind: str, item: LicensingItem | None) -> None:
    if template.kind != kind or template.item_id != (item.pk if item else None):
        raise DomainError(
            _(
                "该格式文本不适用于此类承诺或此事项。/ This template is not for this kind of "
                "commitment or this item."
            ),
            code="template_mismatch",
            field="template",
        )
    current = current_template(kind, item)
    if current is None or current.pk != template.pk:
        raise DomainError(
            _(
                "格式文本已更新，请按现行第%(version)s版作出承诺。/ The template has a newer "
                "version: make the commitment on version %(version)s."
            )
            % {"version": current.version if current else "—"},
            code="template_outdated",
            field="template",
        )


def _check_materials(
    materials: list[tuple[str, datetime.date]], today: datetime.date, max_days: int
) -> None:
    if not materials:
        raise DomainError(
            _(
                "容缺受理须列明待补正的材料及期限。/ List the missing materials and their "
                "deadlines."
            ),
            code="materials_required",
            field="materials",
        )
    for name, deadline in materials:
        if not (name or "").strip():
            raise DomainError(_("请填写材料名称。/ Name each material."), field="materials")
        if deadline is None or deadline <= today:
            raise DomainError(
                _(
                    "“%(name)s”的补正期限须晚于今天。/ The deadline for “%(name)s” must be "
                    "after today."
                )
                % {"name": name},
                code="deadline_past",
                field="materials",
            )
        if deadline > today + datetime.timedelta(days=max_days):
            raise DomainError(
                _("补正期限最长为%(days)d天。/ A deadline is at most %(days)d days away.")
                % {"days": max_days},
                code="deadline_too_far",
                field="materials",
            )


@transaction.atomic
def commitment_make(
    *,
    actor,
    uscc: str,
    kind: str,
    template_id: int,
    item_code: str = "",
    department_code: str = "",
    materials: Iterable[tuple[str, datetime.date]] = (),
) -> Commitment:
    """Make (entity user, signed in) or record (department staff) a commitment on the current
    published template (35/1). Acceptance with missing materials is for entities in good
    standing only (not listed; not graded below the configured grade), with a deadline for
    each material. A voluntary public commitment is shown on the entity's public page."""
    viewer = viewer_for(actor)
    _check_kind(kind)
    entity = registry_selectors.entity_get(uscc)
    _acting_for(viewer, entity)
    item = _item(item_code) if item_code else None
    if kind in ITEM_KINDS and item is None:
        raise DomainError(
            _("该类承诺须指定行政许可事项。/ This kind of commitment names a licensing item."),
            code="item_required",
            field="item",
        )
    if item is not None and not item.active:
        raise DomainError(
            _("该行政许可事项已停用。/ This licensing item is no longer in use."),
            code="item_inactive",
            field="item",
        )
    if kind == CommitmentKind.APPROVAL and not item.commitment_applies:
        raise DomainError(
            _("该事项不实行告知承诺制。/ Approval on commitment does not apply to this item."),
            code="commitment_not_applicable",
            field="item",
        )
    template = _template(template_id)
    _check_template(template, kind, item)
    materials = [(name, deadline) for name, deadline in materials]
    today = timezone.localdate()
    config = commitment_config()
    if kind == CommitmentKind.MISSING_MATERIALS:
        if not item.missing_materials_allowed:
            raise DomainError(
                _("该事项不实行容缺受理。/ Acceptance with missing materials does not apply."),
                code="missing_materials_not_applicable",
                field="item",
            )
        problems = registry_selectors.standing_problems(
            entity, min_grade=config.min_grade_missing_materials
        )
        if problems:
            raise DomainError(
                _("不予容缺受理：%(reasons)s / Not accepted with missing materials: %(reasons)s")
                % {"reasons": " ".join(str(p) for p in problems)},
                code="not_in_good_standing",
            )
        _check_materials(materials, today, config.max_material_days)
    elif materials:
        raise DomainError(
            _(
                "只有容缺受理可列待补正材料。/ Only acceptance with missing materials lists "
                "missing materials."
            ),
            field="materials",
        )
    department = _receiving_department(viewer, item, department_code)
    region = department.region or entity.region
    commitment = Commitment.objects.create(
        number=_next_number(region, today),
        kind=kind,
        template=template,
        entity=entity,
        department=department,
        item=item,
        public=kind == CommitmentKind.VOLUNTARY,
        made_by=actor if getattr(actor, "pk", None) else None,
    )
    MissingMaterial.objects.bulk_create(
        MissingMaterial(commitment=commitment, name=name.strip(), deadline=deadline)
        for name, deadline in materials
    )
    audit_event_record(
        actor=actor,
        action="commitment.make",
        target=commitment,
        department_code=viewer.department_code,
        after={
            "number": commitment.number,
            "uscc": entity.uscc,
            "kind": kind,
            "template": template.pk,
            "version": template.version,
            "materials": len(materials),
        },
    )
    return commitment


def _owned_commitment(actor, commitment_id) -> tuple[Viewer, Commitment]:
    """The actor's viewer and the commitment, locked, if the actor's department may record
    how it is kept."""
    viewer = regulator_required(actor)
    try:
        commitment = (
            Commitment.objects.select_for_update(of=("self",))
            .select_related("department")
            .get(pk=int(commitment_id))
        )
    except (Commitment.DoesNotExist, TypeError, ValueError):
        raise NotFound(
            _("承诺不存在。/ No such commitment."), code="commitment_not_found"
        ) from None
    if not department_manages_commitment(viewer.department, commitment):
        raise PermissionDenied(
            _(
                "该承诺由其他部门受理，本部门无权记录其履行。/ Another department accepted "
                "this commitment; yours may not record how it is kept."
            )
        )
    return viewer, commitment


@transaction.atomic
def material_supply(*, actor, material_id: int) -> MissingMaterial:
    """The entity supplied a missing material: recorded by the accepting department."""
    try:
        material = MissingMaterial.objects.select_for_update().get(pk=int(material_id))
    except (MissingMaterial.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("材料不存在。/ No such material."), code="material_not_found") from None
    viewer, commitment = _owned_commitment(actor, material.commitment_id)
    if material.supplied_at is not None:
        return material
    if commitment.status in (Commitment.Status.FULFILLED, Commitment.Status.BREACHED):
        raise DomainError(
            _("承诺已办结，不能再补正材料。/ The commitment is closed."),
            code="commitment_closed",
        )
    material.supplied_at = timezone.now()
    material.save(update_fields=["supplied_at"])
    audit_event_record(
        actor=actor,
        action="commitment.material_supplied",
        target=commitment,
        department_code=viewer.department_code,
        after={"material": material.pk, "name": material.name},
    )
    return material


@transaction.atomic
def commitment_fulfilment_record(
    *, actor, commitment_id: int, fulfilment: str, note: str = ""
) -> Commitment:
    """Record how a commitment was kept (full / partial / none), by the accepting
    department; the state table decides what may follow what."""
    if fulfilment not in Commitment.Fulfilment.values:
        raise DomainError(
            _("履行情况只能是全部履行、部分履行或未履行。/ Fulfilment is full, partial or none."),
            code="invalid_fulfilment",
            field="fulfilment",
        )
    viewer, commitment = _owned_commitment(actor, commitment_id)
    target = transitions.FULFILMENT_STATUS[fulfilment]
    if commitment.status == target and commitment.fulfilment == fulfilment:
        return commitment
    unsupplied = commitment.materials.filter(supplied_at__isnull=True).count()
    reason = transitions.refusal(commitment.status, target, unsupplied=unsupplied)
    if reason:
        raise DomainError(reason, code="transition_refused", field="fulfilment")
    before: dict[str, Any] = {"status": commitment.status, "fulfilment": commitment.fulfilment}
    commitment.status = target
    commitment.fulfilment = fulfilment
    commitment.fulfilment_note = note.strip()
    commitment.fulfilment_recorded_at = timezone.now()
    fields = ["status", "fulfilment", "fulfilment_note", "fulfilment_recorded_at"]
    if target == Commitment.Status.BREACHED:
        commitment.breached_at = commitment.fulfilment_recorded_at
        fields.append("breached_at")
    commitment.save(update_fields=fields)
    if target == Commitment.Status.BREACHED:
        _record_breaches([commitment.pk], action="commitment.breach_records")
    audit_event_record(
        actor=actor,
        action="commitment.fulfilment",
        target=commitment,
        department_code=viewer.department_code,
        before=before,
        after={"status": target, "fulfilment": fulfilment},
        reason=note,
    )
    return commitment
