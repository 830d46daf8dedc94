"""Listings: proposal, statement, decision, effects, suspension, resumption, exit and expiry
(35/9-12, 33/9-15)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from credit_portal.audit.services import audit_event_record
from credit_portal.calendar import add_working_days
from credit_portal.errors import Conflict, DomainError, PermissionDenied
from registry.models import Decision, EntityRole, MarketEntity
from registry.roles import Role, Viewer, viewer_for
from registry.selectors import entity_get
from registry.services import add_months, regulator_required, standing_update

from .. import transitions
from ..models import (
    AccessBan,
    AuthorityNotice,
    DisciplineConfig,
    Listing,
    ListingBasis,
    ListKind,
    ListRule,
    Measure,
    MeasureTask,
    MeasureTaskItem,
    PersonMark,
)
from ._common import L, _get, _recognising, _refuse
from .configuration import discipline_config
from .measure_tasks import _tasks_notify_exit, _tasks_resume, _tasks_suspend
from .rules import measures_in_force, rule_in_force


# --- listings -----------------------------------------------------------------------------------
def _listing_for_update(pk) -> Listing:
    return _get(
        Listing.objects.select_for_update(of=("self",)).select_related("rule", "entity"),
        pk,
        _("名单记录不存在。/ No such listing."),
    )


def _basis_decision(raw, entity: MarketEntity) -> int | None:
    """A basis may name the entity's administrative decision it rests on (e.g. the penalty)."""
    if raw in (None, ""):
        return None
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        pk = 0
    found = 0 < pk < 2**63 and Decision.objects.filter(pk=pk, entity=entity).exists()
    if not found:
        raise DomainError(
            _("认定依据所引的行政决定不存在或不属于该主体。/ The basis names no decision of this "
              "entity."),
            code="invalid_basis",
            field="bases",
        )  # fmt: skip
    return pk


def _clean_bases(bases: Sequence[dict], rule: ListRule, entity: MarketEntity) -> list[dict]:
    if not bases:
        raise DomainError(
            _("列入名单须提供认定依据文书。/ A listing needs at least one basis document."),
            code="basis_required",
            field="bases",
        )
    cleaned = []
    for basis in bases:
        kind = basis.get("kind")
        if kind not in rule.bases:
            raise DomainError(
                _("该规则不接受此类认定依据。/ This rule does not accept that kind of basis."),
                code="invalid_basis",
                field="bases",
            )
        number = str(basis.get("document_number") or "").strip()
        title = str(basis.get("title") or "").strip()
        if not number or not title:
            raise DomainError(
                _("认定依据须有文书号和文书名称。/ A basis document needs its number and title."),
                code="basis_required",
                field="bases",
            )
        cleaned.append(
            {
                "kind": kind,
                "document_number": number[:100],
                "title": title[:300],
                "issued_on": basis.get("issued_on"),
                "decision_id": _basis_decision(basis.get("decision_id"), entity),
            }
        )
    return cleaned


@transaction.atomic
def listing_propose(
    *, actor, uscc: str, rule_code: str, facts: str, bases: Sequence[dict]
) -> Listing:
    """A department proposes a listing on its basis documents (35/9). The entity is told
    (it sees the proposal on its account page) and may state its case within the rule's
    statement period (working days); only then may the department decide."""
    viewer = regulator_required(actor)
    entity = entity_get(uscc)
    rule = rule_in_force(rule_code)
    if not rule.recognising_departments.filter(pk=viewer.department.pk).exists():
        raise PermissionDenied(
            _("本部门无权依据该规则认定名单。/ Your department has no authority under this rule."),
            code="no_authority",
        )
    if not (facts or "").strip():
        raise DomainError(_("请写明认定事实。/ State the facts."), code="required", field="facts")
    cleaned = _clean_bases(bases, rule, entity)
    if entity.status != MarketEntity.Status.ACTIVE and rule.kind == ListKind.RED:
        raise DomainError(_("该主体已注销。/ The entity is deregistered."), code="entity_inactive")
    due = add_working_days(timezone.localdate(), rule.statement_days).value
    try:
        with transaction.atomic():
            listing = Listing.objects.create(
                rule=rule,
                kind=rule.kind,
                entity=entity,
                department=viewer.department,
                facts=facts.strip(),
                proposed_by=actor if getattr(actor, "pk", None) else None,
                statement_due=due,
            )
    except IntegrityError:
        raise Conflict(
            _(
                "本部门已将该主体列入或拟列入此类名单。/ Your department has already proposed or "
                "made this listing."
            ),
            code="listing_exists",
        ) from None
    ListingBasis.objects.bulk_create(ListingBasis(listing=listing, **b) for b in cleaned)
    audit_event_record(
        actor=actor,
        action="listing.propose",
        target=listing,
        department_code=viewer.department_code,
        after={
            "uscc": entity.uscc,
            "rule": f"{rule.code} v{rule.version}",
            "bases": [b["document_number"] for b in cleaned],
            "statement_due": due.isoformat(),
        },
    )
    return listing


@transaction.atomic
def listing_statement_record(*, actor, listing_id: int, statement: str) -> Listing:
    """The entity states its case (35/9: notified and heard before listing); its own account
    submits it, or the recognising department records one received in writing."""
    viewer = viewer_for(actor)
    listing = _listing_for_update(listing_id)
    if viewer.role == Role.ENTITY_USER:
        if viewer.entity_uscc != listing.entity_id:
            raise PermissionDenied(_("只能就本主体陈述申辩。/ Only for your own entity."))
    elif viewer.is_regulator:
        _recognising(viewer, listing)
    else:
        raise PermissionDenied(_("无权执行此操作。/ You may not do this."))
    if listing.status != L.PROPOSED:
        raise Conflict(
            _("该名单已作出决定，不能再陈述申辩。/ The listing has been decided."),
            code="transition_refused",
        )
    if not (statement or "").strip():
        raise DomainError(_("请填写陈述申辩内容。/ Write the statement."), field="statement")
    listing.statement = statement.strip()
    listing.statement_at = timezone.now()
    listing.save(update_fields=["statement", "statement_at"])
    audit_event_record(
        actor=actor,
        action="listing.statement",
        target=listing,
        department_code=viewer.department_code,
        after={"length": len(listing.statement)},
    )
    return listing


@transaction.atomic
def listing_decide(*, actor, listing_id: int, list_entity: bool, note: str = "") -> Listing:
    """The recognising department decides after the statement period: listed (published at
    once, with its measure tasks, personal marks and notices) or not listed."""
    viewer = regulator_required(actor)
    listing = _listing_for_update(listing_id)
    _recognising(viewer, listing)
    target = L.LISTED if list_entity else L.REJECTED
    if listing.status == target:
        return listing
    today = timezone.localdate()
    _refuse(
        transitions.listing_refusal(
            listing.status if listing.status != L.SUSPENDED else "decided",
            target,
            today=today,
            statement_due=listing.statement_due,
            stated=listing.statement_at is not None,
            note=note,
        )
    )
    listing.status = target
    listing.decided_at = timezone.now()
    listing.decision_note = (note or "").strip()
    fields = ["status", "decided_at", "decision_note"]
    if target == L.LISTED:
        listing.listed_from = today
        months = listing.rule.period_months
        listing.listed_until = add_months(today, months) if months else None
        fields += ["listed_from", "listed_until"]
    listing.save(update_fields=fields)
    effects = listing_effects_apply(listing=listing) if target == L.LISTED else {}
    audit_event_record(
        actor=actor,
        action="listing.list" if target == L.LISTED else "listing.reject",
        target=listing,
        department_code=viewer.department_code,
        after={"status": target, **effects},
        reason=listing.decision_note,
    )
    return listing


def listing_effects_apply(*, listing: Listing) -> dict[str, int]:
    """What a listing in force sets off, each made at most once however often this runs
    (unique constraints and ON CONFLICT): a task for every implementing department of the
    measures in force for its list kind (33/18), the dishonesty marked on the entity's legal
    representative, principal and actual controller (33/13, punishment lists), notices to
    the higher authority and the audit office for state organs, public institutions and
    state-owned enterprises, and the standing summary."""
    config = discipline_config()
    due = add_working_days(timezone.localdate(), config.feedback_days).value
    measures = list(
        measures_in_force(listing.kind).filter(
            effect=Measure.Effect.INCENTIVE
            if listing.kind == ListKind.RED
            else Measure.Effect.PUNISHMENT
        )
    )
    departments = sorted({m.department_id for m in measures})
    MeasureTask.objects.bulk_create(
        [MeasureTask(listing=listing, department_id=d, feedback_due=due) for d in departments],
        ignore_conflicts=True,
    )
    tasks = {t.department_id: t for t in MeasureTask.objects.filter(listing=listing)}
    MeasureTaskItem.objects.bulk_create(
        [MeasureTaskItem(task=tasks[m.department_id], measure=m) for m in measures],
        ignore_conflicts=True,
    )
    marks = 0
    notices = 0
    if listing.kind == ListKind.PUNISHMENT:
        roles = EntityRole.objects.filter(entity_id=listing.entity_id, until__isnull=True)
        made = PersonMark.objects.bulk_create(
            [PersonMark(listing=listing, person_id=r.person_id, role=r.kind) for r in roles],
            ignore_conflicts=True,
        )
        marks = len(made)
        notices = _authority_notices(listing, config)
    _standing_refresh(listing.entity_id, reason=f"listing {listing.pk}")
    return {"tasks": len(tasks), "marks": marks, "notices": notices}


PUBLIC_SECTOR = (MarketEntity.Kind.STATE_ORGAN, MarketEntity.Kind.PUBLIC_INSTITUTION)


def _authority_notices(listing: Listing, config: DisciplineConfig) -> int:
    entity = listing.entity
    if entity.kind not in PUBLIC_SECTOR and not entity.state_owned:
        return 0
    recipients = []
    authority = entity.registration_authority
    higher = (authority.parent or authority) if authority is not None else None
    if higher is not None:
        recipients.append((AuthorityNotice.Recipient.HIGHER_AUTHORITY, higher))
    if config.audit_office is not None:
        recipients.append((AuthorityNotice.Recipient.AUDIT_OFFICE, config.audit_office))
    made = AuthorityNotice.objects.bulk_create(
        [AuthorityNotice(listing=listing, recipient=r, department=d) for r, d in recipients],
        ignore_conflicts=True,
    )
    return len(made)


def _standing_refresh(uscc: str, *, reason: str) -> None:
    """The standing flags say which lists' measures are in force now: a listing suspended
    by an objection does not count (33/22: measures are suspended while it is checked)."""
    kinds = set(
        Listing.objects.filter(entity_id=uscc, status=L.LISTED).values_list("kind", flat=True)
    )
    standing_update(
        actor=None,
        uscc=uscc,
        reason=reason,
        punishment_listed=ListKind.PUNISHMENT in kinds,
        attention_listed=ListKind.ATTENTION in kinds,
        red_listed=ListKind.RED in kinds,
    )


def _may_handle_objection(actor, listing: Listing) -> Viewer | None:
    """Objections act on a listing through these services (docs/architecture.md §3): the recognising
    department's staff, or the objection clock (actor None) marking it within a working day."""
    if actor is None:
        return None
    viewer = regulator_required(actor)
    _recognising(viewer, listing)
    return viewer


@transaction.atomic
def listing_suspend(*, actor, listing_id: int, reason: str) -> Listing:
    """An objection is being checked: the listing is marked and its measures suspended
    (33/22) until ``listing_resume`` or an upheld objection's ``listing_exit``."""
    listing = _listing_for_update(listing_id)
    viewer = _may_handle_objection(actor, listing)
    if listing.status == L.SUSPENDED:
        return listing
    _refuse(transitions.listing_refusal(listing.status, L.SUSPENDED))
    if not (reason or "").strip():
        raise DomainError(_("请说明理由。/ Give the reason."), field="reason")
    listing.status = L.SUSPENDED
    listing.suspended_at = timezone.now()
    listing.save(update_fields=["status", "suspended_at"])
    # Its measures stop with it: each task is suspended and its department told; the bans
    # resting on it stop binding (selectors.ban_suspended reads the listing's status).
    tasks = _tasks_suspend(listing.pk, reason.strip())
    _standing_refresh(listing.entity_id, reason=f"listing {listing.pk} suspended")
    audit_event_record(
        actor=actor,
        action="listing.suspend",
        target=listing,
        department_code=viewer.department_code if viewer else "",
        after={"tasks_suspended": tasks},
        reason=reason,
    )
    return listing


@transaction.atomic
def listing_resume(*, actor, listing_id: int, note: str) -> Listing:
    """The objection was not upheld: the listing and its measures are in force again."""
    listing = _listing_for_update(listing_id)
    viewer = _may_handle_objection(actor, listing)
    if listing.status == L.LISTED:
        return listing
    # Resuming is the way back from a suspension only (a proposal is decided, not resumed).
    source = listing.status if listing.status == L.SUSPENDED else "not suspended"
    _refuse(transitions.listing_refusal(source, L.LISTED, note=note))
    listing.status = L.LISTED
    listing.suspended_at = None
    listing.save(update_fields=["status", "suspended_at"])
    tasks = _tasks_resume(listing.pk, note)
    _standing_refresh(listing.entity_id, reason=f"listing {listing.pk} resumed")
    audit_event_record(
        actor=actor,
        action="listing.resume",
        target=listing,
        department_code=viewer.department_code if viewer else "",
        after={"tasks_resumed": tasks},
        reason=note,
    )
    return listing


@transaction.atomic
def listing_exit(*, actor, listing_id: int, reason: str, note: str = "") -> Listing:
    """Remove a listing (35/12): on expiry (the nightly job, actor None), restoration, an
    upheld objection or a revoked basis. Every measure task is cancelled or set to be
    lifted, personal marks are lifted, and the standing flags follow."""
    listing = _listing_for_update(listing_id)
    viewer = _may_handle_objection(actor, listing)
    if listing.status == L.EXITED:
        return listing
    _refuse(
        transitions.listing_refusal(
            listing.status,
            L.EXITED,
            reason=reason,
            today=timezone.localdate(),
            listed_until=listing.listed_until,
        )
    )
    now = timezone.now()
    listing.status = L.EXITED
    listing.exit_reason = reason
    listing.exit_note = (note or "").strip()
    listing.exited_at = now
    listing.save(update_fields=["status", "exit_reason", "exit_note", "exited_at"])
    lifted = _effects_lift(listing, now)
    lifted["notified"] = _tasks_notify_exit(listing.pk, reason, now)
    audit_event_record(
        actor=actor,
        action="listing.exit",
        target=listing,
        department_code=viewer.department_code if viewer else "",
        after={"exit_reason": reason, **lifted},
        reason=listing.exit_note,
    )
    return listing


def _effects_lift(listing: Listing, now: datetime.datetime) -> dict[str, int]:
    T = MeasureTask.Status
    # A task suspended with its listing ends as it would have from where it was.
    not_applied = Q(status=T.OPEN) | Q(status=T.SUSPENDED, suspended_from=T.OPEN)
    applied = Q(status=T.FED_BACK) | Q(status=T.SUSPENDED, suspended_from=T.FED_BACK)
    cancelled = MeasureTask.objects.filter(not_applied, listing=listing).update(
        status=T.CANCELLED, lifted_at=now, suspended_from=""
    )
    lifting = MeasureTask.objects.filter(applied, listing=listing).update(
        status=T.LIFTING, suspended_from=""
    )
    marks = PersonMark.objects.filter(listing=listing, lifted_at=None).update(lifted_at=now)
    bans = AccessBan.objects.filter(listing=listing, lifted_at=None).update(
        lifted_at=now, lift_reason=f"listing {listing.pk} exited"
    )
    _standing_refresh(listing.entity_id, reason=f"listing {listing.pk} exited")
    return {"cancelled": cancelled, "lifting": lifting, "marks_lifted": marks, "bans": bans}


def listings_expire(*, today: datetime.date | None = None) -> int:
    """Nightly: listings whose period has ended exit on expiry. The work is the day's
    expiries (proportional to what changed), each through ``listing_exit``."""
    today = today or timezone.localdate()
    due = list(
        Listing.objects.filter(status=L.LISTED, listed_until__lte=today).values_list(
            "pk", flat=True
        )
    )
    for pk in due:
        listing_exit(actor=None, listing_id=pk, reason=Listing.ExitReason.EXPIRY)
    return len(due)
