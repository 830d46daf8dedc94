"""Reads of the discipline app, with their visibility rules.

Public: published list rules and measures, and punishment and red listings in force (listed,
or suspended and marked "under objection"); key-attention listings are shared between
departments only (35/9 puts them below the public threshold). Departments: their own queues.
The "may receive" check (33/18) is for departments and API clients, and every answer is
access-logged because it reveals non-public state (suspensions, personal marks).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from credit_portal.audit.services import access_log_record
from credit_portal.errors import DomainError, NotFound, PermissionDenied
from registry import personal
from registry.models import CatalogueItem, CreditRecord, MarketEntity, Person
from registry.roles import Role, Viewer
from registry.services import add_months

from .models import (
    AccessBan,
    AccessBanPerson,
    AuthorityNotice,
    Interview,
    LiabilityWarning,
    Listing,
    ListKind,
    ListRule,
    Measure,
    MeasureTask,
    MeasureTaskItem,
    PersonMark,
    Rectification,
)
from .services import discipline_config

L = Listing.Status
PUBLIC_KINDS = (ListKind.PUNISHMENT, ListKind.RED)
PUBLIC_STATUSES = (L.LISTED, L.SUSPENDED)


def in_force(today: datetime.date | None = None, prefix: str = "") -> Q:
    """A listing whose measures apply today: listed (not suspended), period not ended. The
    period ends on ``listed_until`` even before the nightly expiry job has run."""
    today = today or timezone.localdate()
    return Q(**{f"{prefix}status": L.LISTED}) & (
        Q(**{f"{prefix}listed_until__isnull": True}) | Q(**{f"{prefix}listed_until__gt": today})
    )


def _shown(today: datetime.date | None = None) -> Q:
    today = today or timezone.localdate()
    return Q(status__in=PUBLIC_STATUSES) & (
        Q(listed_until__isnull=True) | Q(listed_until__gt=today)
    )


# --- published rules --------------------------------------------------------------------------
def rules_published(kind: str = "") -> QuerySet[ListRule]:
    """Every published version (old ones stay readable: listings keep their version)."""
    qs = ListRule.objects.filter(published_at__isnull=False).prefetch_related(
        "recognising_departments"
    )
    return qs.filter(kind=kind) if kind else qs


def measures_published(kind: str = "", *, current_only: bool = True) -> QuerySet[Measure]:
    qs = Measure.objects.filter(published_at__isnull=False).select_related("department")
    if current_only:
        qs = qs.filter(retired_at=None)
    if kind:
        qs = qs.filter(list_kinds__contains=[kind])
    return qs.order_by("category", "code", "-version")


def rule_public(pk) -> ListRule:
    """One published version of a list rule (drafts are not public)."""
    try:
        return rules_published().get(pk=int(pk))
    except (ListRule.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("名单认定规则不存在或未发布。/ No such published list rule.")) from None


# --- listings -----------------------------------------------------------------------------------
def _with_parts(qs: QuerySet[Listing]) -> QuerySet[Listing]:
    return qs.select_related("entity", "department", "rule")


def listings_public(kind: str = "", query: str = "") -> QuerySet[Listing]:
    qs = _with_parts(Listing.objects.filter(_shown(), kind__in=PUBLIC_KINDS))
    if kind:
        qs = qs.filter(kind=kind)
    query = (query or "").strip()
    if query:
        qs = qs.filter(Q(entity__uscc=query.upper()) | Q(entity__name__icontains=query))
    return qs.order_by("-listed_from", "-id")


def listing_public(pk) -> Listing:
    try:
        return listings_public().prefetch_related("bases").get(pk=int(pk))
    except (Listing.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("名单记录不存在或未公示。/ No such public listing.")) from None


def entity_listings_public(uscc: str) -> list[Listing]:
    return list(listings_public().filter(entity_id=uscc))


def listed_kinds_public(uscc: str) -> set[str]:
    """The public list kinds of the entity whose measures are in force now, for the status
    flags of its public page (a listing under objection has them suspended)."""
    return set(
        Listing.objects.filter(_shown(), entity_id=uscc, kind__in=PUBLIC_KINDS, status=L.LISTED)
        .values_list("kind", flat=True)
        .distinct()
    )


def listing_visible(viewer: Viewer, pk) -> Listing:
    """A department sees every listing but proposals and rejections of others; an entity
    sees its own; the public sees public ones."""
    try:
        listing = _with_parts(Listing.objects.prefetch_related("bases", "tasks")).get(pk=int(pk))
    except (Listing.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("名单记录不存在。/ No such listing.")) from None
    if viewer.is_regulator and (
        listing.department_id == viewer.department.pk
        or listing.status not in (L.PROPOSED, L.REJECTED)
    ):
        return listing
    if viewer.entity_uscc and viewer.entity_uscc == listing.entity_id:
        return listing
    return listing_public(pk)


def listings_visible(viewer: Viewer) -> QuerySet[Listing]:
    """``listing_visible``'s rule for many rows: an entity user sees its own listings and,
    like anyone, the public ones."""
    if not viewer.is_regulator:
        if viewer.entity_uscc:
            public = _shown() & Q(kind__in=PUBLIC_KINDS)
            return _with_parts(
                Listing.objects.filter(Q(entity_id=viewer.entity_uscc) | public)
            ).order_by("-proposed_at", "-id")
        return listings_public()
    return _with_parts(
        Listing.objects.filter(
            Q(department=viewer.department) | ~Q(status__in=[L.PROPOSED, L.REJECTED])
        )
    )


def department_listings(viewer: Viewer, status: str = "", query: str = "") -> QuerySet[Listing]:
    """The department's own listings in every state; ``query``: a USCC or part of a name."""
    qs = _with_parts(Listing.objects.filter(department=viewer.department))
    if status:
        qs = qs.filter(status=status)
    query = (query or "").strip()
    if query:
        qs = qs.filter(Q(entity__uscc=query.upper()) | Q(entity__name__icontains=query))
    return qs


def ready_to_decide(today: datetime.date | None = None) -> Q:
    """A proposal its department may decide now: the entity has stated its case or the
    statement period is over (the guard of ``transitions._statement_heard``)."""
    today = today or timezone.localdate()
    return Q(status=L.PROPOSED) & (Q(statement_at__isnull=False) | Q(statement_due__lt=today))


def listing_tasks(viewer: Viewer, listing: Listing) -> QuerySet[MeasureTask]:
    """The tasks a listing set: the recognising department follows them all (coverage and
    delays, 33/18); an implementing department sees its own."""
    qs = (
        MeasureTask.objects.filter(listing=listing)
        .select_related("department")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=MeasureTaskItem.objects.select_related("measure"),
                to_attr="item_list",
            )
        )
        .order_by("department__code")
    )
    if not viewer.is_regulator:
        return qs.none()
    if listing.department_id != viewer.department.pk:
        qs = qs.filter(department=viewer.department)
    return qs


def listing_marks(viewer: Viewer, listing: Listing) -> QuerySet[PersonMark]:
    """Persons marked by a listing (33/13), for its recognising department only: elsewhere a
    person's marks are read through ``may_receive``, which logs the access."""
    if not viewer.is_regulator or listing.department_id != viewer.department.pk:
        return PersonMark.objects.none()
    return PersonMark.objects.filter(listing=listing).select_related("person").order_by("id")


def listing_notices(viewer: Viewer, listing: Listing) -> QuerySet[AuthorityNotice]:
    if not viewer.is_regulator or listing.department_id != viewer.department.pk:
        return AuthorityNotice.objects.none()
    return AuthorityNotice.objects.filter(listing=listing).select_related("department")


def entity_proposals(uscc: str) -> QuerySet[Listing]:
    """What the entity is told: proposals it may answer, and its listings."""
    return _with_parts(Listing.objects.filter(entity_id=uscc)).prefetch_related("bases")


# --- queues -------------------------------------------------------------------------------------
def tasks_for(viewer: Viewer, status: str = "") -> QuerySet[MeasureTask]:
    qs = (
        MeasureTask.objects.filter(department=viewer.department)
        .select_related("listing__entity", "listing__department")
        .prefetch_related(Prefetch("items", to_attr="item_list"))
    )
    return qs.filter(status=status) if status else qs


def task_get(viewer: Viewer, pk) -> MeasureTask:
    try:
        task = MeasureTask.objects.select_related("listing__entity", "listing__department").get(
            pk=int(pk)
        )
    except (MeasureTask.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("任务不存在。/ No such task.")) from None
    if not viewer.is_regulator or viewer.department.pk not in (
        task.department_id,
        task.listing.department_id,
    ):
        raise NotFound(_("任务不存在。/ No such task."))
    return task


def initiated_tasks(viewer: Viewer) -> QuerySet[MeasureTask]:
    """The initiating department follows its listings' tasks (coverage and delays)."""
    return MeasureTask.objects.filter(listing__department=viewer.department).select_related(
        "listing__entity", "department"
    )


def rectifications_for(viewer: Viewer, status: str = "") -> QuerySet[Rectification]:
    """A department's own orders; an entity user's orders addressed to its entity (it must
    know what to rectify and by when); nobody else's."""
    if viewer.is_regulator:
        qs = Rectification.objects.filter(department=viewer.department)
    elif viewer.role == Role.ENTITY_USER:
        qs = Rectification.objects.filter(entity_id=viewer.entity_uscc)
    else:
        return Rectification.objects.none()
    qs = qs.select_related("entity", "department")
    return qs.filter(status=status) if status else qs


def interviews_due(viewer: Viewer) -> QuerySet[Interview]:
    return Interview.objects.filter(
        department=viewer.department, status=Interview.Status.DUE
    ).select_related("rectification__entity")


def warnings_for(viewer: Viewer, *, open_only: bool = True) -> QuerySet[LiabilityWarning]:
    qs = LiabilityWarning.objects.filter(department=viewer.department).select_related(
        "person", "entity", "ban__entity", "mark__listing__entity"
    )
    return qs.filter(resolved_at=None) if open_only else qs


def notices_for(viewer: Viewer) -> QuerySet[AuthorityNotice]:
    return AuthorityNotice.objects.filter(department=viewer.department).select_related(
        "listing__entity", "listing__department"
    )


def workbench_counts(viewer: Viewer) -> dict[str, int]:
    """What waits for the department (the workbench home cards): proposals ready to decide,
    open measure tasks and how many are overdue, interviews due, open appointment warnings."""
    today = timezone.localdate()
    T = MeasureTask.Status
    tasks = MeasureTask.objects.filter(department=viewer.department, status=T.OPEN).aggregate(
        open=Count("id"), overdue=Count("id", filter=Q(feedback_due__lt=today))
    )
    return {
        "ready": Listing.objects.filter(
            ready_to_decide(today), department=viewer.department
        ).count(),
        "tasks_open": tasks["open"],
        "tasks_overdue": tasks["overdue"],
        "interviews_due": interviews_due(viewer).count(),
        "warnings_open": warnings_for(viewer).count(),
    }


# --- statistics -----------------------------------------------------------------------------
@dataclass
class TaskStatistics:
    department: str
    total: int
    fed_back: int
    overdue: int
    late: int

    @property
    def coverage(self) -> float:
        return self.fed_back / self.total if self.total else 0.0


def task_statistics(*, initiating=None) -> list[TaskStatistics]:
    """Per implementing department: tasks, fed back (or lifted after feedback), open past
    their due date, and fed back late. Public (35/14: the effect of joint punishment is open),
    or for one initiating department."""
    today = timezone.localdate()
    T = MeasureTask.Status
    qs = MeasureTask.objects.exclude(status=T.CANCELLED)
    if initiating is not None:
        qs = qs.filter(listing__department=initiating)
    rows = (
        qs.values("department__name")
        .annotate(
            total=Count("id"),
            fed_back=Count("id", filter=Q(fed_back_at__isnull=False)),
            overdue=Count("id", filter=Q(status=T.OPEN, feedback_due__lt=today)),
            late=Count("id", filter=Q(fed_back_at__date__gt=F("feedback_due"))),
        )
        .order_by("department__name")
    )
    return [
        TaskStatistics(r["department__name"], r["total"], r["fed_back"], r["overdue"], r["late"])
        for r in rows
    ]


# --- incentives: a clean record -----------------------------------------------------------------
def clean_record(entity: MarketEntity, today: datetime.date | None = None) -> bool:
    """No negative record in the last N consecutive years (33/5, default 3): the entity has
    existed that long and no negative record in force was decided or made since."""
    today = today or timezone.localdate()
    years = discipline_config().red_clean_years
    since = add_months(today, -12 * years)
    if entity.established is None or entity.established > since:
        return False
    negative = CreditRecord.objects.filter(
        entity=entity,
        catalogue_item__polarity=CatalogueItem.Polarity.NEGATIVE,
        superseded_by__isnull=True,
    ).exclude(action=CreditRecord.Action.REVOCATION)
    recent = negative.filter(
        Q(decision_date__gte=since) | Q(decision_date__isnull=True, created_at__date__gte=since)
    )
    if recent.exists():
        return False
    return (
        not Listing.objects.filter(
            entity=entity, kind=ListKind.PUNISHMENT, status__in=[L.LISTED, L.SUSPENDED, L.EXITED]
        )
        .filter(Q(exited_at__isnull=True) | Q(exited_at__date__gte=since))
        .exists()
    )


# --- "may this entity (or person) receive X?" (33/18) -------------------------------------------
@dataclass
class Answer:
    allowed: bool
    measure: Measure
    reasons: list[str] = field(default_factory=list)
    listings: list[Listing] = field(default_factory=list)  # in force and behind the answer
    suspended: list[Listing] = field(default_factory=list)  # under objection: not applied
    bans: list[AccessBan] = field(default_factory=list)
    bans_suspended: list[AccessBan] = field(default_factory=list)  # under objection
    marks: list[PersonMark] = field(default_factory=list)
    red_listing: Listing | None = None
    clean_record: bool = False


def measure_in_force(code: str) -> Measure:
    measure = (
        Measure.objects.filter(code=code, published_at__isnull=False, retired_at=None)
        .select_related("department")
        .order_by("-version")
        .first()
    )
    if measure is None:
        raise NotFound(
            _("没有已发布的措施“%(code)s”。/ No published measure %(code)s.") % {"code": code},
            code="measure_not_found",
        )
    return measure


def _ban_current(today: datetime.date, prefix: str = "") -> Q:
    """Not lifted, begun and not ended: the ban is shown (it may be under objection)."""
    return (
        Q(**{f"{prefix}lifted_at": None})
        & Q(**{f"{prefix}starts__lte": today})
        & (Q(**{f"{prefix}ends__isnull": True}) | Q(**{f"{prefix}ends__gte": today}))
    )


def ban_suspended(prefix: str = "") -> Q:
    """A ban under objection (33/22): suspended itself, or resting on a listing that is."""
    return Q(**{f"{prefix}suspended_at__isnull": False}) | Q(
        **{f"{prefix}listing__status": L.SUSPENDED}
    )


def may_receive(
    viewer: Viewer,
    *,
    measure_code: str,
    uscc: str = "",
    id_number: str = "",
    purpose: str = "",
    today: datetime.date | None = None,
) -> Answer:
    """One answer for the department about to grant something: may this entity (or person)
    receive it, given the measure? A punishment measure refuses an entity with a listing in
    force of a list kind it applies to (a listing under objection is suspended, so it does not
    refuse, 33/22; exited ones are over), and, where the measure has an access-ban field, an
    access ban in force there. A person is refused by the dishonesty marked on them from such
    listings and by bans binding them. An incentive (the green channel) needs a red listing in
    force or a clean record, and no punishment or key-attention listing in force.

    The steps, in this order (the order decides which refusal a bad request gets): who is
    asking, which measure, which subject; what binds the entity or the person; the verdict of
    a punishment or an incentive; the access log."""
    _asker_is_a_department(viewer)
    today = today or timezone.localdate()
    measure = measure_in_force(measure_code)
    _one_subject(uscc, id_number)
    answer = Answer(allowed=True, measure=measure)
    if uscc:
        subject = _what_binds_the_entity(answer, uscc, today)
    else:
        subject = _what_binds_the_person(answer, id_number, today)
    if measure.effect == Measure.Effect.PUNISHMENT:
        _punishment_verdict(answer)
    else:
        _incentive_verdict(answer)
    access_log_record(
        actor=viewer.user,
        uscc=subject,
        department_code=viewer.department_code,
        purpose=(purpose or f"may receive {measure.code}")[:200],
        what=f"may-receive {measure.code}: {'yes' if answer.allowed else 'no'}"
        + ("" if uscc else " (person)"),
    )
    return answer


def _asker_is_a_department(viewer: Viewer) -> None:
    """Who is asking: departments and API clients only (the answer reveals non-public state)."""
    if not viewer.is_regulator:
        raise PermissionDenied(
            _("该查询仅供部门和授权接口使用。/ This check is for departments and API clients.")
        )


def _one_subject(uscc: str, id_number: str) -> None:
    """Exactly one subject: an entity by its USCC or a person by their ID number."""
    if bool(uscc) == bool(id_number):
        raise DomainError(
            _("请提供统一社会信用代码或身份证号码之一。/ Give either a USCC or an ID number."),
            code="subject_required",
        )


def _what_binds_the_entity(answer: Answer, uscc: str, today: datetime.date) -> str:
    """The entity's listings (and bans) that bear on the measure; returns its USCC for the log."""
    from registry.selectors import entity_get

    entity = entity_get(uscc)
    listings = _with_parts(Listing.objects.filter(entity=entity))
    if answer.measure.effect == Measure.Effect.PUNISHMENT:
        _punishing_listings_and_bans(answer, entity, listings, today)
    else:
        _incentive_listings(answer, entity, listings, today)
    return entity.uscc


def _punishing_listings_and_bans(
    answer: Answer, entity: MarketEntity, listings: QuerySet[Listing], today: datetime.date
) -> None:
    """A punishment binds through listings in force of the kinds the measure applies to; those
    under objection are kept apart (suspended, 33/22); and through a ban in the measure's field."""
    measure = answer.measure
    punishing = in_force(today) & Q(kind__in=measure.list_kinds)
    answer.listings = list(listings.filter(punishing))
    answer.suspended = list(listings.filter(status=L.SUSPENDED, kind__in=measure.list_kinds))
    if measure.ban_field:
        bans = AccessBan.objects.filter(_ban_current(today), entity=entity, field=measure.ban_field)
        answer.bans = list(bans.exclude(ban_suspended()))
        answer.bans_suspended = list(bans.filter(ban_suspended()))


def _incentive_listings(
    answer: Answer, entity: MarketEntity, listings: QuerySet[Listing], today: datetime.date
) -> None:
    """An incentive is barred by a punishment or key-attention listing in force, and earned by a
    red listing in force or, without one, a clean record."""
    answer.listings = list(
        listings.filter(in_force(today), kind__in=[ListKind.PUNISHMENT, ListKind.ATTENTION])
    )
    answer.red_listing = listings.filter(in_force(today), kind=ListKind.RED).first()
    answer.clean_record = answer.red_listing is None and clean_record(entity, today)


def _what_binds_the_person(answer: Answer, id_number: str, today: datetime.date) -> str:
    """A person is bound by the dishonesty marked on them from listings in force of the
    measure's kinds and by bans binding them; incentives are for entities only. Returns the
    log's USCC (none: the person is not an entity)."""
    measure = answer.measure
    if measure.effect == Measure.Effect.INCENTIVE:
        raise DomainError(
            _("激励措施只适用于市场主体。/ Incentives apply to market entities."),
            code="entity_only",
        )
    number = personal.validate(id_number)
    person = Person.objects.filter(id_number_hash=personal.lookup_hash(number)).first()
    if person is not None:
        answer.marks = list(
            PersonMark.objects.filter(person=person, lifted_at=None)
            .filter(in_force(today, "listing__"), listing__kind__in=measure.list_kinds)
            .select_related("listing__entity", "listing__department", "listing__rule")
        )
        answer.listings = [m.listing for m in answer.marks]
        if measure.ban_field:
            bans = AccessBan.objects.filter(
                _ban_current(today), bound__person=person, field=measure.ban_field
            )
            answer.bans = list(bans.exclude(ban_suspended()))
            answer.bans_suspended = list(bans.filter(ban_suspended()))
    return ""


def _punishment_verdict(answer: Answer) -> None:
    """Refused by a binding listing or ban; a listing under objection is the exception that
    holds the measure back, and is said so when nothing else refuses."""
    answer.allowed = not (answer.listings or answer.bans)
    if answer.listings:
        answer.reasons.append(_("在惩戒名单中（措施适用）。/ On a list the measure applies to."))
    if answer.bans:
        answer.reasons.append(_("存在有效的禁入决定。/ An access ban is in force."))
    if answer.suspended and answer.allowed:
        answer.reasons.append(
            _("名单异议核查中，惩戒暂停。/ A listing is under objection: measures suspended.")
        )
    if answer.bans_suspended and answer.allowed:
        answer.reasons.append(
            _("禁入决定异议核查中，暂停执行。/ An access ban is under objection: suspended.")
        )


def _incentive_verdict(answer: Answer) -> None:
    """Allowed when red-listed or clean, and not listed for punishment or attention."""
    eligible = answer.red_listing is not None or answer.clean_record
    answer.allowed = eligible and not answer.listings
    if answer.listings:
        answer.reasons.append(
            _(
                "在惩戒或重点关注名单中，不能享受激励。/ Listed for punishment or attention: "
                "no incentives."
            )
        )
    elif not eligible:
        answer.reasons.append(
            _(
                "不在红名单中，也未满足连续无失信记录年限。/ Neither red-listed nor clean for "
                "the required years."
            )
        )


# --- the API's wider views of a department's work ---------------------------------------------
def tasks_visible(viewer: Viewer) -> QuerySet[MeasureTask]:
    """The tasks a department implements and those its listings set (``task_get``'s rule),
    with their items and measures."""
    if not viewer.is_regulator:
        return MeasureTask.objects.none()
    return (
        MeasureTask.objects.filter(
            Q(department=viewer.department) | Q(listing__department=viewer.department)
        )
        .select_related("listing__entity", "listing__department", "department")
        .prefetch_related(
            Prefetch("items", queryset=MeasureTaskItem.objects.select_related("measure"))
        )
    )


def interviews_for(viewer: Viewer, status: str = "") -> QuerySet[Interview]:
    """Every interview the department holds (``interviews_due`` is its queue)."""
    if not viewer.is_regulator:
        return Interview.objects.none()
    qs = Interview.objects.filter(department=viewer.department).select_related(
        "rectification__entity"
    )
    return qs.filter(status=status) if status else qs


def bans_for(viewer: Viewer) -> QuerySet[AccessBan]:
    """Bans in force (public), and for a department also its own, lifted or not yet begun;
    with the persons they bind (shown masked)."""
    shown = _ban_current(timezone.localdate())  # those under objection show as such
    if viewer.is_regulator:
        shown |= Q(department=viewer.department)
    return (
        AccessBan.objects.filter(shown)
        .select_related("entity", "department", "listing")
        .prefetch_related(
            Prefetch("bound", queryset=AccessBanPerson.objects.select_related("person"))
        )
    )


def proposals_awaiting_statement(uscc: str, today: datetime.date | None = None) -> int:
    """Proposals against the entity still in their statement period (what it is told of)."""
    today = today or timezone.localdate()
    return Listing.objects.filter(
        entity_id=uscc, status=L.PROPOSED, statement_due__gte=today
    ).count()


def log_listing_reads(viewer: Viewer, listings, *, purpose: str = "") -> None:
    """Every read of a listing that is not public (a key-attention listing, a proposal, a
    rejected or removed one, and the case file around them) by anyone but its recognising
    department or the entity itself is access-logged: one AccessLog per entity."""
    by_entity: dict[str, list[Listing]] = {}
    for listing in listings:
        public = listing.kind in PUBLIC_KINDS and listing.status in PUBLIC_STATUSES
        own = (viewer.is_regulator and listing.department_id == viewer.department.pk) or (
            viewer.entity_uscc and viewer.entity_uscc == listing.entity_id
        )
        if not public and not own:
            by_entity.setdefault(listing.entity_id, []).append(listing)
    for uscc, group in by_entity.items():
        access_log_record(
            actor=viewer.user,
            uscc=uscc,
            department_code=viewer.department_code,
            purpose=purpose,
            what=f"listings ({len(group)} non-public): " + ",".join(str(x.pk) for x in group[:20]),
        )
