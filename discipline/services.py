"""Writes of the discipline app (2019 No. 35, arts. 8-12; 2016 No. 33, arts. 3-5, 9-15, 18-22).

Every service runs in one transaction, checks who may act, locks what it changes, re-checks
the state table of ``transitions.py`` inside the transaction, returns early when the change is
already made (so repeating a call is harmless), writes its AuditEvent and keeps the entity's
standing summary (registry) current. A refusal raises a DomainError and writes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credit_portal.audit.services import audit_event_record
from credit_portal.calendar import add_working_days
from credit_portal.errors import Conflict, DomainError, NotFound, PermissionDenied
from registry.models import Decision, Department, EntityRole, MarketEntity
from registry.roles import Role, Viewer, viewer_for
from registry.selectors import entity_get
from registry.services import (
    RecordRow,
    add_months,
    credit_records_append,
    platform_admin_required,
    regulator_required,
    standing_update,
)

from . import transitions
from .models import (
    AccessBan,
    AccessBanPerson,
    AuthorityNotice,
    BanField,
    BasisKind,
    DisciplineConfig,
    Interview,
    Listing,
    ListingBasis,
    ListKind,
    ListRule,
    Measure,
    MeasureTask,
    MeasureTaskItem,
    PersonMark,
    Rectification,
)

L = Listing.Status


def discipline_config() -> DisciplineConfig:
    """The settings in force: the newest row (each change adds one, so the history stays)."""
    return DisciplineConfig.objects.order_by("-pk").first() or DisciplineConfig()


def _days(value, field: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = low - 1
    if not low <= number <= high:
        raise DomainError(
            _("须为 %(low)d 至 %(high)d 之间的整数。/ A whole number from %(low)d to %(high)d.")
            % {"low": low, "high": high},
            code="invalid_number",
            field=field,
        )
    return number


@transaction.atomic
def discipline_config_set(
    *,
    actor,
    feedback_days: int,
    interview_days: int,
    red_clean_years: int,
    audit_office: Department | None = None,
) -> DisciplineConfig:
    """Change the settings (platform administrators)."""
    platform_admin_required(actor)
    before = discipline_config()
    config = DisciplineConfig.objects.create(
        feedback_days=_days(feedback_days, "feedback_days", 1, 60),
        interview_days=_days(interview_days, "interview_days", 1, 60),
        red_clean_years=_days(red_clean_years, "red_clean_years", 1, 10),
        audit_office=audit_office,
    )
    audit_event_record(
        actor=actor,
        action="discipline_config.set",
        target=config,
        before={"feedback_days": before.feedback_days, "interview_days": before.interview_days},
        after={
            "feedback_days": config.feedback_days,
            "interview_days": config.interview_days,
            "red_clean_years": config.red_clean_years,
            "audit_office": audit_office.code if audit_office else "",
        },
    )
    return config


# --- the published rules: list rules and the measures list (versioned) ------------------------
def _required_text(fields: dict[str, Any], names: Iterable[str]) -> None:
    for name in names:
        if not str(fields.get(name) or "").strip():
            raise DomainError(_("此项必填。/ This field is required."), code="required", field=name)


RULE_TEXTS = ("code", "name", "standards", "procedure", "objection_route", "exit_conditions")
RULE_FIELDS = (
    *RULE_TEXTS,
    "kind",
    "name_en",
    "bases",
    "period_months",
    "statement_days",
    "legal_basis",
)


def _check_rule(fields: dict[str, Any]) -> None:
    _required_text(fields, RULE_TEXTS)
    if fields.get("kind") not in ListKind.values:
        raise DomainError(
            _("名单类别无效。/ Unknown list kind."), code="invalid_kind", field="kind"
        )
    bases = list(fields.get("bases") or [])
    if not bases or any(b not in BasisKind.values for b in bases):
        raise DomainError(
            _("请选择认定依据（司法裁判、行政处罚、行政强制或表彰奖励）。/ Choose the bases.") + "",
            code="invalid_bases",
            field="bases",
        )
    if fields["kind"] != ListKind.RED and BasisKind.REWARD in bases:
        raise DomainError(
            _("表彰奖励只能作为红名单的认定依据。/ A reward is a basis of red lists only."),
            code="invalid_bases",
            field="bases",
        )
    if fields["kind"] == ListKind.RED and set(bases) != {BasisKind.REWARD}:
        raise DomainError(
            _("红名单依据表彰奖励认定。/ Red lists are recognised on commendations or rewards."),
            code="invalid_bases",
            field="bases",
        )
    period = fields.get("period_months")
    if period not in (None, ""):
        _days(period, "period_months", 1, 600)
    _days(fields.get("statement_days", 5), "statement_days", 1, 30)


@transaction.atomic
def list_rule_create(*, actor, departments: Sequence[Department], **fields: Any) -> ListRule:
    """A new list rule, or the next draft version of an existing code (platform
    administrators). It is used only once published (35/9: published before use)."""
    platform_admin_required(actor)
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise DomainError(_("未知字段：%(f)s / Unknown fields: %(f)s") % {"f": sorted(unknown)})
    fields.setdefault("statement_days", 5)
    _check_rule(fields)
    if not departments:
        raise DomainError(
            _("请指定有权认定的部门。/ Name the departments that may recognise."),
            code="required",
            field="departments",
        )
    code = fields["code"].strip()
    latest = ListRule.objects.select_for_update().filter(code=code).order_by("-version").first()
    if latest is not None and latest.kind != fields["kind"]:
        raise DomainError(
            _("同一规则编码的名单类别不能改变。/ A rule code keeps its list kind."),
            code="invalid_kind",
            field="kind",
        )
    fields["period_months"] = fields.get("period_months") or None
    rule = ListRule.objects.create(
        **{**fields, "code": code}, version=(latest.version + 1) if latest else 1
    )
    rule.recognising_departments.set(departments)
    audit_event_record(
        actor=actor,
        action="list_rule.create",
        target=rule,
        after={"code": code, "version": rule.version, "kind": rule.kind},
    )
    return rule


def _version_publish(*, actor, model, pk, missing: str, action: str):
    """Publish a draft version: in force from now on; the version it replaces is retired
    (what was made under that one keeps it)."""
    platform_admin_required(actor)
    obj = _get(model.objects.select_for_update(), pk, missing)
    if obj.published_at is not None:
        return obj
    now = timezone.now()
    model.objects.filter(code=obj.code, published_at__isnull=False, retired_at=None).update(
        retired_at=now
    )
    obj.published_at = now
    obj.save(update_fields=["published_at"])
    audit_event_record(
        actor=actor, action=action, target=obj, after={"code": obj.code, "version": obj.version}
    )
    return obj


@transaction.atomic
def list_rule_publish(*, actor, rule_id: int) -> ListRule:
    """Publish a list rule version (35/9: published before use); listings keep theirs."""
    return _version_publish(
        actor=actor,
        model=ListRule,
        pk=rule_id,
        missing=_("规则不存在。/ No such rule."),
        action="list_rule.publish",
    )


def rule_in_force(code: str) -> ListRule:
    rule = (
        ListRule.objects.filter(code=code, published_at__isnull=False, retired_at=None)
        .order_by("-version")
        .first()
    )
    if rule is None:
        raise NotFound(
            _("没有已发布的名单认定规则“%(code)s”。/ No published list rule %(code)s.")
            % {"code": code},
            code="rule_not_found",
        )
    return rule


MEASURE_TEXTS = ("code", "name", "legal_basis")
MEASURE_FIELDS = (
    *MEASURE_TEXTS,
    "name_en",
    "category",
    "effect",
    "mandatory",
    "list_kinds",
    "ban_field",
)


@transaction.atomic
def measure_create(*, actor, department: Department, **fields: Any) -> Measure:
    """A new measure of the measures list, or the next draft version of a code (platform
    administrators; 33/9-15: each with category, mandatory or recommended, legal basis,
    implementing department and list kinds)."""
    platform_admin_required(actor)
    unknown = set(fields) - set(MEASURE_FIELDS)
    if unknown:
        raise DomainError(_("未知字段：%(f)s / Unknown fields: %(f)s") % {"f": sorted(unknown)})
    _required_text(fields, MEASURE_TEXTS)
    if fields.get("category") not in Measure.Category.values:
        raise DomainError(_("措施类别无效。/ Unknown category."), field="category")
    effect = fields.setdefault("effect", Measure.Effect.PUNISHMENT)
    if effect not in Measure.Effect.values:
        raise DomainError(_("措施性质无效。/ Unknown effect."), field="effect")
    kinds = list(fields.get("list_kinds") or [])
    if not kinds or any(k not in ListKind.values for k in kinds):
        raise DomainError(
            _("请选择适用的名单类别。/ Choose the list kinds it applies to."),
            code="invalid_kinds",
            field="list_kinds",
        )
    if (effect == Measure.Effect.INCENTIVE) != (set(kinds) == {ListKind.RED}):
        raise DomainError(
            _(
                "激励措施适用于红名单，惩戒措施适用于惩戒和重点关注名单。/ Incentives apply to red "
                "lists, punishments to the punishment and key-attention lists."
            ),
            code="invalid_kinds",
            field="list_kinds",
        )
    if fields.get("ban_field") and fields["ban_field"] not in BanField.values:
        raise DomainError(_("禁入领域无效。/ Unknown access-ban field."), field="ban_field")
    code = fields["code"].strip()
    latest = Measure.objects.select_for_update().filter(code=code).order_by("-version").first()
    measure = Measure.objects.create(
        **{**fields, "code": code},
        department=department,
        version=(latest.version + 1) if latest else 1,
    )
    audit_event_record(
        actor=actor,
        action="measure.create",
        target=measure,
        after={"code": code, "version": measure.version, "department": department.code},
    )
    return measure


@transaction.atomic
def measure_publish(*, actor, measure_id: int) -> Measure:
    """Publish a measure version; tasks made under the one it replaces keep their measure."""
    return _version_publish(
        actor=actor,
        model=Measure,
        pk=measure_id,
        missing=_("措施不存在。/ No such measure."),
        action="measure.publish",
    )


def measures_in_force(kind: str):
    return Measure.objects.filter(
        published_at__isnull=False, retired_at=None, list_kinds__contains=[kind]
    )


# --- listings -----------------------------------------------------------------------------------
def _get(queryset, pk, message):
    try:
        return queryset.get(pk=int(pk))
    except (queryset.model.DoesNotExist, TypeError, ValueError):
        raise NotFound(message) from None


def _listing_for_update(pk) -> Listing:
    return _get(
        Listing.objects.select_for_update(of=("self",)).select_related("rule", "entity"),
        pk,
        _("名单记录不存在。/ No such listing."),
    )


def _recognising(viewer: Viewer, listing: Listing) -> None:
    """Only the recognising department changes its listings (35/9)."""
    if listing.department_id != viewer.department.pk:
        raise PermissionDenied(
            _(
                "该名单由其他部门认定，本部门无权修改。/ Another department recognised this "
                "listing; yours may not change it."
            ),
            code="not_recognising",
        )


def _refuse(message: str | None) -> None:
    if message:
        raise Conflict(message, code="transition_refused")


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
    """Objections act on a listing through these services (ARCHITECTURE 3): the recognising
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
    _standing_refresh(listing.entity_id, reason=f"listing {listing.pk} suspended")
    audit_event_record(
        actor=actor,
        action="listing.suspend",
        target=listing,
        department_code=viewer.department_code if viewer else "",
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
    _standing_refresh(listing.entity_id, reason=f"listing {listing.pk} resumed")
    audit_event_record(
        actor=actor,
        action="listing.resume",
        target=listing,
        department_code=viewer.department_code if viewer else "",
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
    cancelled = MeasureTask.objects.filter(listing=listing, status=T.OPEN).update(
        status=T.CANCELLED, lifted_at=now
    )
    lifting = MeasureTask.objects.filter(listing=listing, status=T.FED_BACK).update(
        status=T.LIFTING
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


# --- measure tasks ------------------------------------------------------------------------------
def _task_for_update(viewer: Viewer, task_id) -> MeasureTask:
    task = _get(
        MeasureTask.objects.select_for_update(of=("self",)).select_related("listing"),
        task_id,
        _("任务不存在。/ No such task."),
    )
    if task.department_id != viewer.department.pk:
        raise PermissionDenied(
            _("该任务属于其他实施部门。/ This task is another implementing department's."),
            code="not_implementing",
        )
    return task


@transaction.atomic
def task_feedback(*, actor, task_id: int, outcomes: dict[int, tuple[str, str]]) -> MeasureTask:
    """The implementing department feeds back (33/18): every measure applied, or, for a
    recommended one, not applied with the reason. ``outcomes``: measure id -> (outcome,
    reason). All or nothing: an incomplete feedback is refused and nothing is kept."""
    viewer = regulator_required(actor)
    task = _task_for_update(viewer, task_id)
    T = MeasureTask.Status
    if task.status == T.FED_BACK:
        return task
    items = list(task.items.select_related("measure").select_for_update(of=("self",)))
    proposed = []
    for item in items:
        outcome, reason = outcomes.get(item.measure_id, (MeasureTaskItem.Outcome.PENDING, ""))
        if outcome not in MeasureTaskItem.Outcome.values:
            raise DomainError(_("实施情况无效。/ Unknown outcome."), field="outcomes")
        proposed.append((item, outcome, (reason or "").strip()))
    _refuse(
        transitions.task_refusal(
            task.status,
            T.FED_BACK,
            items=[(i.measure.mandatory, o, r) for i, o, r in proposed],
        )
    )
    now = timezone.now()
    for item, outcome, reason in proposed:
        item.outcome, item.reason, item.recorded_at = outcome, reason, now
    MeasureTaskItem.objects.bulk_update(
        [i for i, _o, _r in proposed], ["outcome", "reason", "recorded_at"]
    )
    task.status, task.fed_back_at = T.FED_BACK, now
    task.save(update_fields=["status", "fed_back_at"])
    audit_event_record(
        actor=actor,
        action="measure_task.feedback",
        target=task,
        department_code=viewer.department_code,
        after={str(i.measure.code): o for i, o, _r in proposed},
    )
    return task


@transaction.atomic
def task_lift(*, actor, task_id: int) -> MeasureTask:
    """The implementing department confirms it has lifted the measures of an exited
    listing (35/13: restoration ends joint punishment everywhere)."""
    viewer = regulator_required(actor)
    task = _task_for_update(viewer, task_id)
    T = MeasureTask.Status
    if task.status == T.LIFTED:
        return task
    _refuse(transitions.task_refusal(task.status, T.LIFTED))
    task.status, task.lifted_at = T.LIFTED, timezone.now()
    task.save(update_fields=["status", "lifted_at"])
    audit_event_record(
        actor=actor, action="measure_task.lift", target=task, department_code=viewer.department_code
    )
    return task


# --- rectification and interviews ---------------------------------------------------------------
@transaction.atomic
def rectification_order(
    *,
    actor,
    uscc: str,
    requirement: str,
    deadline: datetime.date,
    listing_id: int | None = None,
) -> Rectification:
    """Order rectification by a deadline (35/11). The ordering department is the recognising
    one: it holds the interviews if the deadline is missed."""
    viewer = regulator_required(actor)
    entity = entity_get(uscc)
    if not (requirement or "").strip():
        raise DomainError(_("请写明整改要求。/ State what must be rectified."), field="requirement")
    if not isinstance(deadline, datetime.date) or deadline <= timezone.localdate():
        raise DomainError(
            _("整改期限须晚于今天。/ The deadline must be after today."),
            code="invalid_deadline",
            field="deadline",
        )
    listing = None
    if listing_id:
        listing = _get(Listing.objects.all(), listing_id, _("名单记录不存在。/ No such listing."))
        _recognising(viewer, listing)
        if listing.entity_id != entity.uscc:
            raise DomainError(_("名单不属于该主体。/ That listing is another entity's."))
    order = Rectification.objects.create(
        entity=entity,
        department=viewer.department,
        listing=listing,
        requirement=requirement.strip(),
        deadline=deadline,
        ordered_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_event_record(
        actor=actor,
        action="rectification.order",
        target=order,
        department_code=viewer.department_code,
        after={"uscc": entity.uscc, "deadline": deadline.isoformat()},
    )
    return order


def _order_for_update(viewer: Viewer, pk) -> Rectification:
    order = _get(
        Rectification.objects.select_for_update(),
        pk,
        _("整改通知不存在。/ No such rectification order."),
    )
    if order.department_id != viewer.department.pk:
        raise PermissionDenied(
            _("该整改由其他部门认定。/ Another department ordered this rectification."),
            code="not_recognising",
        )
    return order


@transaction.atomic
def rectification_complete(*, actor, rectification_id: int, note: str = "") -> Rectification:
    """The department records that the entity has rectified; interviews not yet held are
    cancelled."""
    viewer = regulator_required(actor)
    order = _order_for_update(viewer, rectification_id)
    RS = Rectification.Status
    if order.status == RS.RECTIFIED:
        return order
    _refuse(transitions.rectification_refusal(order.status, RS.RECTIFIED))
    order.status, order.rectified_at, order.note = RS.RECTIFIED, timezone.now(), note.strip()
    order.save(update_fields=["status", "rectified_at", "note"])
    cancelled = order.interviews.filter(status=Interview.Status.DUE).update(
        status=Interview.Status.CANCELLED
    )
    audit_event_record(
        actor=actor,
        action="rectification.complete",
        target=order,
        department_code=viewer.department_code,
        after={"interviews_cancelled": cancelled},
    )
    return order


def rectifications_escalate(*, today: datetime.date | None = None) -> dict[str, int]:
    """Nightly, set-based: an order whose deadline passed becomes overdue and a reminder
    interview is due; a reminded one whose new deadline passed is escalated and a warning
    interview is due (35/11). Running twice changes nothing more."""
    today = today or timezone.localdate()
    hold_by = add_working_days(today, discipline_config().interview_days).value
    RS = Rectification.Status
    counts = {}
    with transaction.atomic(), connection.cursor() as cursor:
        for source, target, kind in (
            (RS.ORDERED, RS.OVERDUE, Interview.Kind.REMINDER),
            (RS.REMINDED, RS.ESCALATED, Interview.Kind.WARNING),
        ):
            cursor.execute(
                """
                WITH moved AS (
                    UPDATE discipline_rectification SET status = %(target)s
                    WHERE status = %(source)s AND deadline < %(today)s
                    RETURNING id, department_id
                )
                INSERT INTO discipline_interview
                    (rectification_id, kind, department_id, status, due_by, created_at,
                     attendees, summary)
                SELECT id, %(kind)s, department_id, 'due', %(hold_by)s, now(), '', ''
                FROM moved
                ON CONFLICT (rectification_id, kind) DO NOTHING
                """,
                {"source": source, "target": target, "today": today, "kind": kind,
                 "hold_by": hold_by},
            )  # fmt: skip
            counts[kind] = cursor.rowcount
        if any(counts.values()):
            audit_event_record(
                actor=None,
                action="rectification.escalate",
                target_type="discipline.rectification",
                target_id="*",
                after=counts,
            )
    return counts


@transaction.atomic
def interview_hold(
    *,
    actor,
    interview_id: int,
    held_on: datetime.date,
    summary: str,
    attendees: str = "",
    new_deadline: datetime.date | None = None,
) -> Interview:
    """The recognising department records the interview it held ("who recognises,
    interviews", 35/11); the record enters the entity's credit record (item YT). A reminder
    interview sets the new rectification deadline."""
    viewer = regulator_required(actor)
    interview = _get(
        Interview.objects.select_for_update(of=("self",)).select_related("rectification"),
        interview_id,
        _("约谈不存在。/ No such interview."),
    )
    if interview.department_id != viewer.department.pk:
        raise PermissionDenied(
            _("约谈由认定部门进行。/ The recognising department holds the interview."),
            code="not_recognising",
        )
    IS = Interview.Status
    if interview.status == IS.HELD:
        return interview
    today = timezone.localdate()
    _refuse(
        transitions.interview_refusal(
            interview.status, IS.HELD, today=today, held_on=held_on, summary=summary
        )
    )
    order = Rectification.objects.select_for_update().get(pk=interview.rectification_id)
    RS = Rectification.Status
    target = RS.REMINDED if interview.kind == Interview.Kind.REMINDER else RS.WARNED
    _refuse(
        transitions.rectification_refusal(
            order.status, target, today=today, new_deadline=new_deadline
        )
    )
    (record,) = credit_records_append(
        catalogue_code="YT",
        rows=[
            RecordRow(
                uscc=order.entity_id,
                department_id=interview.department_id,
                title=str(interview.Kind(interview.kind).label).partition("/")[0].strip()
                + "："
                + order.requirement[:200],
                content=summary.strip(),
                conduct_date=held_on,
            )
        ],
        action="interview.record",
    )
    interview.status, interview.held_on = IS.HELD, held_on
    interview.summary, interview.attendees, interview.record = summary.strip(), attendees, record
    interview.save(update_fields=["status", "held_on", "summary", "attendees", "record"])
    order.status = target
    fields = ["status"]
    if new_deadline is not None and target == RS.REMINDED:
        order.deadline = new_deadline
        fields.append("deadline")
    order.save(update_fields=fields)
    audit_event_record(
        actor=actor,
        action="interview.hold",
        target=interview,
        department_code=viewer.department_code,
        after={"kind": interview.kind, "record": record.pk, "rectification": target},
    )
    return interview


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


@transaction.atomic
def access_ban_lift(*, actor, ban_id: int, reason: str) -> AccessBan:
    viewer = regulator_required(actor)
    ban = _get(AccessBan.objects.select_for_update(), ban_id, _("禁入记录不存在。/ No such ban."))
    if ban.department_id != viewer.department.pk:
        raise PermissionDenied(_("该禁入由其他部门作出。/ Another department's ban."))
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
        department_code=viewer.department_code,
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
    from .models import LiabilityWarning

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
