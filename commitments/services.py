"""Writes of the commitments app: templates, commitments, missing materials, fulfilment
(2019 No. 35, arts. 1-2; 2016 No. 33, art. 4). Every service runs in one transaction, checks
who may act, and writes its AuditEvent.

Integrity education is free and never a condition of access (35/2): nothing here asks for it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from credit_portal.audit.services import audit_event_record
from credit_portal.errors import DomainError, NotFound, PermissionDenied
from registry import selectors as registry_selectors
from registry.models import Department, EntityStanding, MarketEntity
from registry.roles import Role, Viewer, viewer_for
from registry.services import (
    COMMITMENT_PERM,
    RecordRow,
    credit_records_append,
    department_owns,
    regulator_required,
)

from . import transitions
from .models import (
    ITEM_KINDS,
    Commitment,
    CommitmentConfig,
    CommitmentKind,
    CommitmentTemplate,
    EducationAttendance,
    EducationSession,
    LicensingItem,
    MissingMaterial,
    VoluntaryDisclosure,
)


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


def department_manages_commitment(department: Department, commitment: Commitment) -> bool:
    """May this department record how the commitment is kept? (guardian, on the accepting
    department: its own group from creation, a successor if it is given the permission)."""
    return department_owns(department, COMMITMENT_PERM, commitment.department)


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


# --- templates ------------------------------------------------------------------------------------
def _template_author(viewer: Viewer, item: LicensingItem | None) -> None:
    """The platform administrator writes templates; a department those of its own items."""
    if viewer.role == Role.PLATFORM_ADMIN:
        return
    if item is not None and viewer.is_regulator and viewer.department.pk == item.department_id:
        return
    raise PermissionDenied(
        _(
            "只有平台管理员或该事项的实施部门可以编制承诺书格式文本。/ Only platform "
            "administrators or the item's department may write its commitment templates."
        )
    )


def _item(code: str) -> LicensingItem:
    try:
        return LicensingItem.objects.select_related("department").get(code=(code or "").strip())
    except LicensingItem.DoesNotExist:
        raise NotFound(
            _("没有编码为“%(code)s”的行政许可事项。/ No licensing item “%(code)s”.")
            % {"code": code},
            code="licensing_item_not_found",
            field="item",
        ) from None


def _check_kind(kind: str) -> None:
    if kind not in CommitmentKind.values:
        raise DomainError(
            _("承诺类型无效。/ Unknown commitment kind."), code="invalid_kind", field="kind"
        )


@transaction.atomic
def template_create(
    *, actor, kind: str, title: str, text: str, item_code: str = ""
) -> CommitmentTemplate:
    """Write the next version of the template of a kind (and licensing item); unpublished
    until ``template_publish``."""
    _check_kind(kind)
    item = _item(item_code) if item_code else None
    if kind in ITEM_KINDS and item is None:
        raise DomainError(
            _("该类承诺须指定行政许可事项。/ This kind of commitment names a licensing item."),
            code="item_required",
            field="item",
        )
    _template_author(viewer_for(actor), item)
    if not (title or "").strip() or not (text or "").strip():
        raise DomainError(_("请填写标题和承诺内容。/ Enter the title and the text."), field="text")
    with connection.cursor() as cursor:  # versions of one template are numbered one by one
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
            [f"commitments.template:{kind}:{item.pk if item else ''}"],
        )
    last = CommitmentTemplate.objects.filter(kind=kind, item=item).aggregate(v=Max("version"))
    template = CommitmentTemplate.objects.create(
        kind=kind, item=item, version=(last["v"] or 0) + 1, title=title.strip(), text=text
    )
    audit_event_record(
        actor=actor,
        action="commitment_template.create",
        target=template,
        after={"kind": kind, "item": item.code if item else "", "version": template.version},
    )
    return template


@transaction.atomic
def template_publish(*, actor, template_id: int) -> CommitmentTemplate:
    """Publish a version: from then on it is the one commitments are made on, and it never
    changes (a new text is a new version)."""
    template = _template(template_id, lock=True)
    _template_author(viewer_for(actor), template.item)
    if template.published_at is not None:
        return template
    template.published_at = timezone.now()
    template.save(update_fields=["published_at"])
    audit_event_record(actor=actor, action="commitment_template.publish", target=template)
    return template


def _template(template_id, *, lock: bool = False) -> CommitmentTemplate:
    qs = CommitmentTemplate.objects.select_related("item")
    if lock:
        qs = qs.select_for_update(of=("self",))
    try:
        return qs.get(pk=int(template_id))
    except (CommitmentTemplate.DoesNotExist, TypeError, ValueError):
        raise NotFound(
            _("承诺书格式文本不存在。/ No such commitment template."),
            code="template_not_found",
            field="template",
        ) from None


def current_template(kind: str, item: LicensingItem | None) -> CommitmentTemplate | None:
    """The newest published version for a kind and item."""
    return (
        CommitmentTemplate.objects.filter(kind=kind, item=item, published_at__isnull=False)
        .order_by("-version")
        .first()
    )


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


# --- breaches: the negative credit record, and the nightly deadline job ------------------------
BREACH_ITEM = "WY"  # registry catalogue: breach of a credit commitment (negative)
DEADLINE_LOCK = "commitments.deadlines_check"


def _record_breaches(commitment_ids: list[int], *, action: str) -> int:
    """One negative credit record per newly breached commitment, from the accepting
    department (35/1: how a commitment is kept enters the credit record)."""
    commitments = list(
        Commitment.objects.filter(pk__in=commitment_ids, breach_record__isnull=True)
        .select_related("item")
        .order_by("pk")
    )
    rows = [
        RecordRow(
            uscc=c.entity_id,
            department_id=c.department_id,
            title=_("未履行信用承诺（%(kind)s）/ Credit commitment not kept (%(kind_en)s)")
            % {
                "kind": str(CommitmentKind(c.kind).label).partition(" / ")[0],
                "kind_en": str(CommitmentKind(c.kind).label).partition(" / ")[2],
            },
            content=(c.item.name if c.item else "")
            + (f"：{c.fulfilment_note}" if c.fulfilment_note else ""),
            document_number=c.number,
            conduct_date=timezone.localtime(c.breached_at).date() if c.breached_at else None,
        )
        for c in commitments
    ]
    records = credit_records_append(catalogue_code=BREACH_ITEM, rows=rows, action=action)
    for commitment, record in zip(commitments, records, strict=True):
        commitment.breach_record = record
    Commitment.objects.bulk_update(commitments, ["breach_record"])
    return len(records)


def commitment_deadlines_check(*, today: datetime.date | None = None) -> int:
    """Nightly: a commitment with a missing material still unsupplied after its deadline is
    breached, and gets its negative credit record. Set-based and safe to run twice (the
    advisory lock serialises two beats; a breached commitment is not found again)."""
    today = today or timezone.localdate()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [DEADLINE_LOCK])
        cursor.execute(
            """
            UPDATE commitments_commitment c SET status = 'breached', breached_at = now()
            WHERE c.status IN ('in_force', 'partial') AND EXISTS (
                SELECT 1 FROM commitments_missingmaterial m
                WHERE m.commitment_id = c.id AND m.supplied_at IS NULL AND m.deadline < %s
            )
            RETURNING c.id
            """,
            [today],
        )
        breached = [row[0] for row in cursor.fetchall()]
        if breached:
            _record_breaches(breached, action="commitment.deadline_breaches")
            audit_event_record(
                actor=None,
                action="commitment.deadlines_check",
                target_type="commitments.commitment",
                target_id="*",
                after={"breached": len(breached), "today": today.isoformat()},
            )
    return len(breached)


# --- integrity education (35/2: free, never a condition of anything) ---------------------------
@transaction.atomic
def education_session_create(
    *, actor, title: str, mode: str, starts_at: datetime.datetime, place: str = ""
) -> EducationSession:
    """A free session of integrity education held by the actor's department."""
    viewer = regulator_required(actor)
    if mode not in EducationSession.Mode.values:
        raise DomainError(_("举办方式无效。/ Unknown mode."), field="mode")
    if not (title or "").strip():
        raise DomainError(_("请填写课程名称。/ Enter the course."), field="title")
    session = EducationSession.objects.create(
        title=title.strip(),
        department=viewer.department,
        mode=mode,
        starts_at=starts_at,
        place=place.strip(),
    )
    audit_event_record(
        actor=actor,
        action="education.session_create",
        target=session,
        department_code=viewer.department_code,
        after={"title": session.title, "mode": mode},
    )
    return session


@transaction.atomic
def education_attendance_record(
    *, actor, session_id: int, uscc: str, attendee: str = ""
) -> EducationAttendance:
    """Record that an entity attended (by the holding department; once per entity)."""
    viewer = regulator_required(actor)
    try:
        session = EducationSession.objects.get(pk=int(session_id))
    except (EducationSession.DoesNotExist, TypeError, ValueError):
        raise NotFound(
            _("诚信教育场次不存在。/ No such session."), code="session_not_found"
        ) from None
    if session.department_id != viewer.department.pk:
        raise PermissionDenied(_("该场次由其他部门举办。/ Another department holds this session."))
    entity = registry_selectors.entity_get(uscc)
    attendance, created = EducationAttendance.objects.get_or_create(
        session=session, entity=entity, defaults={"attendee": attendee.strip()}
    )
    if created:
        audit_event_record(
            actor=actor,
            action="education.attendance",
            target=attendance,
            department_code=viewer.department_code,
            after={"session": session.pk, "uscc": entity.uscc},
        )
    return attendance


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
