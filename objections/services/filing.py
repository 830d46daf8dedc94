"""Filing an objection, marking the item and suspending what rests on it (35/17, 33/22)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credit_portal.api import visible_or_404
from credit_portal.audit.services import audit_event_record
from credit_portal.casework import number_save, text_clean
from credit_portal.errors import DomainError, NotFound, PermissionDenied
from credit_portal.uploads import files_check, files_store
from discipline import services as discipline_services
from discipline.models import AccessBan, Listing, MeasureTask
from ratings.models import Rating
from registry.models import CreditRecord, Decision, Department, MarketEntity, PublicityScope
from registry.roles import Role, viewer_for
from registry.selectors import entity_get

from .. import transitions
from ..models import Evidence, Objection, ObjectionEffect, Target
from ..sealing import seal
from ._common import (
    _new_code,
    _working_day,
    objection_config,
)

E = ObjectionEffect.Kind


@dataclass(frozen=True)
class Filed:
    """What the filer is given once: the case, its tracking number and the secret code."""

    case: object
    tracking_number: str
    code: str


@dataclass(frozen=True)
class Item:
    """The item objected to: the department that holds it (None: the platform must forward)
    and a short label the filer and the handler see."""

    kind: str
    pk: int | None
    department: Department | None
    label: str


def _no_item() -> DomainError:
    return DomainError(
        _("该主体没有这项信息。/ This entity has no such item."),
        code="item_not_found",
        field="target_id",
    )


def _own_only() -> DomainError:
    return PermissionDenied(
        _(
            "只有该主体的账户可以对非公开信息提出异议。/ Only the entity's own account may "
            "object to information that is not public."
        ),
        code="not_public",
    )


def item_resolve(entity: MarketEntity, kind: str, raw_id, *, own: bool) -> Item:
    """The item of ``entity`` named by ``kind`` and ``raw_id``. Anyone may object to what the
    portal shows in public; what it does not (a shared record, a measure applied by a
    department) only the entity's own account may name, and an unknown id and another
    entity's item get the same answer, so that nothing about others is revealed."""
    if kind not in Target.values:
        raise DomainError(_("请选择异议对象。/ Choose what you object to."), field="target_kind")
    if kind == Target.OTHER:
        return Item(kind, None, None, "")
    try:
        pk = int(raw_id)
    except (TypeError, ValueError):
        raise _no_item() from None
    if not 0 < pk < 2**63:
        raise _no_item()
    if kind == Target.RECORD:
        record = (
            CreditRecord.objects.filter(pk=pk, entity=entity)
            .select_related("source_department")
            .first()
        )
        if record is None:
            raise _no_item()
        if record.scope != PublicityScope.PUBLIC and not own:
            raise _own_only()
        return Item(kind, pk, record.source_department, record.title[:300])
    if kind == Target.DECISION:
        decision = (
            Decision.objects.filter(pk=pk, entity=entity).select_related("department").first()
        )
        if decision is None or (decision.status != Decision.Status.PUBLISHED and not own):
            raise _no_item()
        return Item(
            kind, pk, decision.department, f"{decision.document_number} {decision.title}"[:300]
        )
    if kind == Target.LISTING:
        listing = (
            Listing.objects.filter(pk=pk, entity=entity)
            .select_related("department", "rule")
            .first()
        )
        if listing is None or listing.status not in Listing.OPEN:
            raise _no_item()
        return Item(kind, pk, listing.department, str(listing.rule)[:300])
    if kind == Target.TASK:
        if not own:
            raise _own_only()
        task = (
            MeasureTask.objects.filter(pk=pk, listing__entity=entity)
            .select_related("department")
            .first()
        )
        if task is None:
            raise _no_item()
        return Item(
            kind, pk, task.department, _("惩戒措施任务 #%(n)d / measure task #%(n)d") % {"n": pk}
        )
    if kind == Target.BAN:
        ban = AccessBan.objects.filter(pk=pk, entity=entity).select_related("department").first()
        if ban is None or ban.lifted_at is not None:
            raise _no_item()
        return Item(kind, pk, ban.department, f"{ban.get_field_display()}"[:300])
    # A rating is the platform's own work: no department holds it, so the platform forwards
    # it (to the credit centre's department of its choice) within the forwarding clock.
    # The entity must have been rated in that run: another run's id names nothing of it.
    if not Rating.objects.filter(run_id=pk, entity=entity).exists():
        raise _no_item()
    return Item(kind, pk, None, _("信用评价（第%(n)d次评价）/ rating (run %(n)d)") % {"n": pk})


@transaction.atomic
def objection_file(
    *,
    actor,
    uscc: str,
    target_kind: str,
    target_id=None,
    grounds: str,
    filer_name: str,
    filer_contact: str,
    files: Sequence[UploadedFile] = (),
) -> Filed:
    """File an objection (35/17): anyone, signed in or not. The item is marked and what rests
    on it suspended in this transaction (33/22); the holder department's clock starts, or,
    when the portal cannot tell the holder, the platform's forwarding clock. Everything is
    checked before anything is written: a refusal leaves no trace."""
    viewer = viewer_for(actor)
    entity = entity_get(uscc)
    own = viewer.role == Role.ENTITY_USER and viewer.entity_uscc == entity.uscc
    item = item_resolve(entity, target_kind, target_id, own=own)
    grounds = text_clean(grounds, "grounds", _("异议理由"))
    name = text_clean(filer_name, "filer_name", _("姓名或名称"), limit=100)
    contact = text_clean(filer_contact, "filer_contact", _("联系方式"), limit=100)
    config = objection_config()
    checked = files_check(
        files, max_bytes=config.upload_max_bytes, max_files=config.upload_max_files
    )
    today = timezone.localdate()
    code, code_hash = _new_code()
    objection = Objection(
        code_hash=code_hash,
        entity=entity,
        target_kind=item.kind,
        target_id=item.pk,
        target_label=item.label,
        department=item.department,
        grounds=grounds,
        filer_sealed=seal({"name": name, "contact": contact}),
        filer_user=actor if getattr(actor, "pk", None) else None,
        mark_due=_working_day(today, config.mark_days),
    )
    if item.department is None:
        objection.status = Objection.Status.FORWARDING
        objection.forward_due = _working_day(today, config.forward_days)
    else:
        objection.status = Objection.Status.REVIEWING
        objection.decide_due = _working_day(today, config.decide_days)
    number_save(objection, "YY")
    files_store(Evidence, checked, objection=objection)
    marked = objection_mark(objection)
    audit_event_record(
        actor=actor,
        action="objection.file",
        target=objection,
        department_code=item.department.code if item.department else "",
        after={"target": item.kind, "target_id": item.pk, "files": len(checked), **marked},
    )
    return Filed(objection, objection.tracking_number, code)


def objection_mark(objection: Objection) -> dict[str, int]:
    """Mark the item "异议处理中" and suspend every punishment resting on it (33/22): listings
    based on a record or decision, the listing itself, a measure task, an access ban (a
    suspended listing's tasks and bans follow in discipline). Each thing held becomes an
    effect row, also when another open objection holds it already, so that resuming waits for
    the last one. Runs in the caller's transaction; marking twice adds nothing."""
    if objection.marked_at is not None or objection.target_kind == Target.OTHER:
        return {}
    reason = _("异议核查中（%(n)s）/ under objection (%(n)s)") % {"n": objection.tracking_number}
    effects: list[tuple[str, int]] = []
    kind, pk = objection.target_kind, objection.target_id
    listings: list[int] = []
    if kind == Target.RECORD:
        effects.append((E.RECORD, pk))
        decision_id = Decision.objects.filter(record_id=pk).values_list("pk", flat=True).first()
        if decision_id is not None:
            effects.append((E.DECISION, decision_id))
        listings = _listings_resting_on(decision_id)
    elif kind == Target.DECISION:
        effects.append((E.DECISION, pk))
        record_id = Decision.objects.filter(pk=pk).values_list("record_id", flat=True).first()
        if record_id is not None:
            effects.append((E.RECORD, record_id))
        listings = _listings_resting_on(pk)
    elif kind == Target.LISTING:
        listings = [pk]
    elif kind == Target.TASK:
        discipline_services.task_suspend(actor=None, task_id=pk, reason=reason)
        effects.append((E.TASK, pk))
    elif kind == Target.BAN:
        discipline_services.access_ban_suspend(actor=None, ban_id=pk, reason=reason)
        effects.append((E.BAN, pk))
    elif kind == Target.RATING:
        effects.append((E.RATING, pk))
    held_already: set[tuple[str, int]] = set()
    for listing_id in _listing_ids(listings):
        status = Listing.objects.filter(pk=listing_id).values_list("status", flat=True).first()
        if status == Listing.Status.LISTED:
            discipline_services.listing_suspend(actor=None, listing_id=listing_id, reason=reason)
        elif status == Listing.Status.SUSPENDED:
            held_already.add((E.LISTING, listing_id))
        if status in (Listing.Status.LISTED, Listing.Status.SUSPENDED):
            effects.append((E.LISTING, listing_id))
    ObjectionEffect.objects.bulk_create(
        [
            ObjectionEffect(
                objection=objection, kind=k, object_id=i, applied=(k, i) not in held_already
            )
            for k, i in effects
        ],
        ignore_conflicts=True,
    )
    objection.marked_at = timezone.now()
    objection.save(update_fields=["marked_at"])
    return {"listings": sum(1 for k, _i in effects if k == E.LISTING), "effects": len(effects)}


def _listing_ids(listings) -> list[int]:
    return sorted({getattr(x, "pk", x) for x in listings})


def _listings_resting_on(decision_id: int | None) -> list[int]:
    """The open listings whose basis cites the decision (a record reaches them through the
    decision that published it)."""
    if decision_id is None:
        return []
    return list(
        Listing.objects.filter(bases__decision_id=decision_id, status__in=Listing.OPEN)
        .values_list("pk", flat=True)
        .distinct()
    )


@transaction.atomic
def objection_forward(
    *,
    actor,
    objection_id: int,
    department_code: str,
    target_kind: str = "",
    target_id=None,
) -> Objection:
    """The platform administrators forward an objection whose holder the portal could not
    tell (within ``forward_days``), naming the department and, where the filer could not,
    the item; the item is marked now and the department's decision clock starts."""
    from registry.services import platform_admin_required

    platform_admin_required(actor)
    objection = _objection_for_update(objection_id)
    refusal = transitions.objection_refusal(objection.status, Objection.Status.REVIEWING)
    if refusal:
        raise DomainError(refusal, code="bad_state")
    department = Department.objects.filter(code=department_code).first()
    if department is None:
        raise DomainError(
            _("请选择核查部门。/ Choose the department that holds the item."), field="department"
        )
    if target_kind and target_kind != Target.OTHER and objection.target_kind == Target.OTHER:
        item = item_resolve(objection.entity, target_kind, target_id, own=True)
        objection.target_kind, objection.target_id = item.kind, item.pk
        objection.target_label = item.label
    today = timezone.localdate()
    objection.department = department
    objection.status = Objection.Status.REVIEWING
    objection.forwarded_at = timezone.now()
    objection.decide_due = _working_day(today, objection_config().decide_days)
    objection.save()
    marked = objection_mark(objection)
    audit_event_record(
        actor=actor,
        action="objection.forward",
        target=objection,
        department_code=department.code,
        after={"department": department.code, **marked},
    )
    return objection


def _objection_for_update(objection_id) -> Objection:
    return visible_or_404(
        Objection.objects.select_for_update(of=("self",)).select_related("entity", "department"),
        objection_id,
        NotFound(_("异议不存在。/ No such objection."), code="objection_not_found"),
    )
