"""Every read with rules: visibility by viewer, masking, and access logging
(docs/adding-an-app.md §5).

The public site and the API read the registry only through these functions.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from credit_portal.audit.services import access_log_record
from credit_portal.errors import DomainError, NotFound

from . import names
from . import uscc as uscc_codes
from .models import (
    Bigrams,
    CatalogueItem,
    CreditRecord,
    Decision,
    DepartmentAlert,
    EntityRole,
    EntityStanding,
    MarketEntity,
    PublicityRule,
    PublicityScope,
    PublicityWindow,
    Severity,
)
from .roles import Role, Viewer


class QueryTooBroad(DomainError):
    code = "query_too_broad"


def entity_not_found(code: str) -> NotFound:
    return uscc_codes.UnknownEntity(
        _("未找到统一社会信用代码为 %(uscc)s 的市场主体。/ No market entity has the USCC %(uscc)s.")
        % {"uscc": code},
        code="entity_not_found",
    )


def entity_get(raw_uscc: str) -> MarketEntity:
    """The entity with this USCC; a malformed code or an unknown entity is a clear 4xx."""
    code = uscc_codes.validate(raw_uscc)
    try:
        return MarketEntity.objects.select_related("registration_authority").get(uscc=code)
    except MarketEntity.DoesNotExist:
        raise entity_not_found(code) from None


def looks_like_uscc(query: str) -> bool:
    text = uscc_codes.normalise(query)
    return len(text) >= 15 and text.isascii() and text.isalnum()


@dataclass
class SearchResult:
    entities: list[MarketEntity]
    exact: bool


# How many name matches a search ranks: a common piece ("科技", "北京") matches a good part of
# the register; the first CANDIDATES the index finds are ranked, and the person narrows the
# query if the one sought is not among them (as Credit China does).
SEARCH_CANDIDATES = 2000


def entity_search(query: str, *, limit: int = 200) -> QuerySet[MarketEntity]:
    """Entities by exact USCC, or by name (current or former), ranked by similarity.

    Generic suffixes (有限公司 ...) are stripped first: they match half the register. A name
    matches when it contains the query's core: the bigram index (``registry_bigrams``,
    migration 0013) finds the names holding all of the core's two-character pieces and the
    substring is checked on those only; for a core of three characters or more, names similar
    to it (pg_trgm word similarity, a typo) are found through the trigram index too. Both
    are bounded (``SEARCH_CANDIDATES``), so no search reads the register
    (registry/tests/test_search_plans.py). Evaluate the result inside ``public_query``.
    """
    query = (query or "").strip()
    if not query:
        return MarketEntity.objects.none()
    if looks_like_uscc(query):
        code = uscc_codes.validate(query)
        return MarketEntity.objects.filter(uscc=code)
    core = names.strip_generic(query)
    if len(core) < 2 or names.is_generic(query):
        raise QueryTooBroad(
            _("请至少输入名称中的两个字。/ Enter at least two characters of the name."), field="q"
        )
    from django.contrib.postgres.search import TrigramWordSimilarity

    pieces = MarketEntity.objects.alias(bigrams=Bigrams(F("search_names"))).filter(
        bigrams__contains=names.bigrams(core), search_names__contains=core
    )
    candidates = pieces.order_by().values("pk")[:SEARCH_CANDIDATES]
    if len(core) >= 3:
        similar = MarketEntity.objects.filter(search_names__trigram_word_similar=core)
        # A UNION, not an OR of two IN lists: the OR is answered by reading the whole table.
        candidates = candidates.union(similar.order_by().values("pk")[:SEARCH_CANDIDATES])
    return (
        MarketEntity.objects.filter(pk__in=candidates)
        .annotate(
            exact=Case(
                When(name=query, then=Value(2)),
                When(search_names__contains=core, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            similarity=TrigramWordSimilarity(core, "search_names"),
        )
        .order_by("-exact", "-similarity", "name")[:limit]
    )


def public_query(evaluate):
    """Run a public read with a statement timeout, so one broad query cannot hog the server."""
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SET LOCAL statement_timeout = %s", [int(settings.PUBLIC_QUERY_TIMEOUT_MS)]
                )
            return evaluate()
    except OperationalError as exc:
        if "statement timeout" in str(exc) or "canceling statement" in str(exc):
            raise QueryTooBroad(
                _(
                    "查询范围过大，请输入更具体的名称。/ The query is too broad; enter a more "
                    "specific name."
                )
            ) from None
        raise


def _effective() -> QuerySet[CreditRecord]:
    """Records in force: not superseded by a later one, and not revocations themselves.

    NOT EXISTS rather than a left join: PostgreSQL estimates an anti-join from the successors'
    statistics, where it took ``LEFT JOIN ... IS NULL`` for one row in the whole ledger and
    sorted 2.4 million records for the public records list's first page (28 s at 1M entities,
    bench/README.md); with the estimate right it reads newest first and stops at the page."""
    superseded = CreditRecord.objects.filter(supersedes=OuterRef("pk"))
    return CreditRecord.objects.filter(~Exists(superseded)).exclude(
        action=CreditRecord.Action.REVOCATION
    )


def on_display() -> Exists:
    """A record is on display (``shown_now`` for the records themselves): no window of it has
    been stopped or has run out. NOT EXISTS for the reason ``_effective`` gives."""
    today = timezone.localdate()
    ended = PublicityWindow.objects.filter(record=OuterRef("pk")).filter(
        Q(stopped_at__isnull=False) | Q(shown_until__lt=today)
    )
    return ~Exists(ended)


def records_in_force(entity: MarketEntity) -> QuerySet[CreditRecord]:
    """The entity's records in force, shown or not (for rules about its history, such as
    whether the same conduct was recorded again; never for display)."""
    return _effective().filter(entity=entity)


def shown_now(prefix: str = "") -> Q:
    """A public record is on display: no publicity window (not a decision), or a window that
    has not been stopped (withdrawal, restoration) and has not reached its maximum."""
    today = timezone.localdate()
    return Q(**{f"{prefix}window__isnull": True}) | (
        Q(**{f"{prefix}window__stopped_at__isnull": True})
        & (
            Q(**{f"{prefix}window__shown_until__isnull": True})
            | Q(**{f"{prefix}window__shown_until__gte": today})
        )
    )


def records_visible(viewer: Viewer) -> QuerySet[CreditRecord]:
    """Credit records in force that this viewer may see.

    anonymous, public: public scope while on display only; entity user: its own record in full
    except complaint and tip-off records that are not public (their masking rule keeps the
    reporter from the entity reported on, 33/13: the entity learns of a complaint from what a
    department decides on it, not from the complaint), others as the public; department staff
    and API clients: public and shared, plus authorised items their own department recorded,
    history of display included (internal views keep it); platform administrators: everything.
    """
    qs = _effective().select_related("catalogue_item", "source_department")
    if viewer.role == Role.PLATFORM_ADMIN:
        return qs
    if viewer.is_regulator:
        return qs.filter(
            Q(scope__in=[PublicityScope.PUBLIC, PublicityScope.SHARED])
            | Q(source_department=viewer.department)
        )
    public = Q(scope=PublicityScope.PUBLIC) & on_display()
    if viewer.role == Role.ENTITY_USER:
        confidential = Q(catalogue_item__kind=CatalogueItem.Kind.COMPLAINT) & ~Q(
            scope=PublicityScope.PUBLIC
        )
        return qs.filter(public | (Q(entity_id=viewer.entity_uscc) & ~confidential))
    return qs.filter(public)


def public_records() -> QuerySet[CreditRecord]:
    return (
        _effective()
        .filter(Q(scope=PublicityScope.PUBLIC) & on_display())
        .select_related("catalogue_item", "source_department")
    )


def entity_records(
    viewer: Viewer, entity: MarketEntity, *, purpose: str = ""
) -> list[CreditRecord]:
    """The entity's records this viewer may see; a read of non-public ones is logged."""
    records = list(records_visible(viewer).filter(entity=entity).order_by("-created_at", "-id"))
    log_restricted_read(viewer, entity.uscc, records, purpose=purpose)
    return records


def log_restricted_read(viewer: Viewer, uscc: str, records, *, purpose: str = "") -> None:
    """Every read of non-public records is logged, except an entity reading its own."""
    restricted = [r for r in records if r.scope != PublicityScope.PUBLIC]
    if not restricted or (viewer.role == Role.ENTITY_USER and viewer.entity_uscc == uscc):
        return
    access_log_record(
        actor=viewer.user,
        uscc=uscc,
        department_code=viewer.department_code,
        purpose=purpose,
        what=f"credit records ({len(restricted)} non-public): "
        + ",".join(str(r.pk) for r in restricted[:20]),
    )


def record_restoration_from(
    record: CreditRecord, *, unrated_months: int | None = None
) -> datetime.date | None:
    """The day from which restoration of this record's publicity may be applied for: its
    window's minimum (set at publication); otherwise the minimum of its severity's rule,
    counted from when it was shown (a record written without a window: directly, a
    commitment breach). A record without a severity (``none``, as a commitment breach is
    written) whose rule sets no minimum counts ``unrated_months`` (the restoration app's
    setting). None: no early restoration (display ends only at its maximum), as for a
    record shown again after a broken restoration commitment."""
    from .services.decisions import add_months  # services import selectors at load

    window = _window(record)
    if window is not None and (window.restoration_from or window.republished_at):
        return window.restoration_from
    rule = PublicityRule.objects.filter(severity=record.severity).first()
    months = rule.min_months if rule is not None else None
    if not months and record.severity == Severity.NONE:
        months = unrated_months
    if not months:
        return None
    shown = window.shown_from if window is not None else record.published_at or record.created_at
    return add_months(timezone.localtime(shown).date(), months)


def _window(record: CreditRecord) -> PublicityWindow | None:
    try:
        return record.window
    except PublicityWindow.DoesNotExist:
        return None


def record_history(record: CreditRecord) -> list[CreditRecord]:
    """The chain a record belongs to, oldest first (for regulators; the ledger keeps all)."""
    chain = [record]
    while chain[0].supersedes_id:
        chain.insert(0, CreditRecord.objects.get(pk=chain[0].supersedes_id))
    current = record
    while True:
        nxt = CreditRecord.objects.filter(supersedes=current).first()
        if nxt is None:
            break
        chain.append(nxt)
        current = nxt
    return chain


@dataclass(frozen=True)
class PublicRole:
    kind: str
    kind_display: str
    name: str
    id_number_masked: str
    since: object


def entity_roles_public(entity: MarketEntity) -> list[PublicRole]:
    """Current legal representative, principal and controller: names with masked ID numbers."""
    roles = EntityRole.objects.filter(entity=entity, until__isnull=True).select_related("person")
    return [
        PublicRole(
            kind=r.kind,
            kind_display=r.get_kind_display(),
            name=r.person.name,
            id_number_masked=r.person.id_number_masked,
            since=r.since,
        )
        for r in roles
    ]


def department_records(viewer: Viewer) -> QuerySet[CreditRecord]:
    """All records a department wrote, history included (its workbench list)."""
    return CreditRecord.objects.filter(source_department=viewer.department).select_related(
        "catalogue_item", "entity"
    )


_MAX_ID = 2**63 - 1


def record_get(viewer: Viewer, record_id, *, own_history: bool = False) -> CreditRecord:
    """A credit record this viewer may see, else NotFound: never PermissionDenied, so whether
    an invisible record exists does not leak. With ``own_history`` a regulator also finds its
    own department's superseded records (so it is told "superseded", not "missing")."""
    try:
        pk = int(record_id)
    except (TypeError, ValueError):
        pk = 0
    record = None
    if 0 < pk <= _MAX_ID:
        record = records_visible(viewer).select_related("entity").filter(pk=pk).first()
        if record is None and own_history and viewer.is_regulator:
            record = department_records(viewer).filter(pk=pk).first()
    if record is None:
        raise NotFound(_("信用记录不存在。/ No such credit record."), code="record_not_found")
    return record


def log_restricted_reads(viewer: Viewer, records, *, purpose: str = "") -> None:
    """``log_restricted_read`` for a page of records: one AccessLog per entity."""
    by_entity: dict[str, list[CreditRecord]] = {}
    for record in records:
        by_entity.setdefault(record.entity_id, []).append(record)
    for uscc, group in by_entity.items():
        log_restricted_read(viewer, uscc, group, purpose=purpose)


def decisions_visible(viewer: Viewer) -> QuerySet[Decision]:
    """Decisions this viewer may see: the public sees published ones whose record is public and
    on display; a department also sees every decision of its own (recorded, withdrawn)."""
    qs = Decision.objects.select_related("department", "entity", "record")
    if viewer.role == Role.PLATFORM_ADMIN:
        return qs
    published = Q(
        status=Decision.Status.PUBLISHED, record__scope=PublicityScope.PUBLIC
    ) & shown_now("record__")
    if viewer.is_regulator:
        return qs.filter(published | Q(department=viewer.department))
    return qs.filter(published)


def publication_version() -> int:
    """The public board's version: bumped by PostgreSQL in the statement that publishes,
    withdraws or stops showing a decision (``page_versions.publication_triggers``). One read
    of a one-row table; 0 before anything was ever published."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM registry_publicationcounter WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0


def department_alerts(viewer: Viewer) -> QuerySet[DepartmentAlert]:
    """The open items of the viewer's department's workbench queue."""
    if not viewer.is_regulator:
        return DepartmentAlert.objects.none()
    return DepartmentAlert.objects.filter(
        department=viewer.department, resolved_at__isnull=True
    ).select_related("decision", "decision__entity")


# --- the standing summary -----------------------------------------------------------------------
GRADE_ORDER = "ABCD"  # A best


def standing_get(entity: MarketEntity) -> EntityStanding:
    """The entity's standing summary; an unsaved all-clear one when nothing is recorded."""
    try:
        return entity.standing
    except EntityStanding.DoesNotExist:
        return EntityStanding(entity=entity)


def standing_problems(entity: MarketEntity, *, min_grade: str = "") -> list[str]:
    """Why the entity is not in good standing (empty: it is). Good standing, for acceptance
    with missing materials (35/1) and the like: on no joint-punishment or key-attention list,
    and, when ``min_grade`` is set and the entity has been rated, not graded below it."""
    standing = standing_get(entity)
    problems = []
    if standing.punishment_listed:
        problems.append(
            _("该主体已列入失信联合惩戒对象名单。/ The entity is on a joint-punishment list.")
        )
    if standing.attention_listed:
        problems.append(_("该主体已列入重点关注名单。/ The entity is on a key-attention list."))
    if (
        min_grade
        and standing.grade
        and GRADE_ORDER.index(standing.grade) > GRADE_ORDER.index(min_grade)
    ):
        problems.append(
            _(
                "该主体的信用等级为%(grade)s，低于%(min)s级。/ The entity is graded %(grade)s, "
                "below %(min)s."
            )
            % {"grade": standing.grade, "min": min_grade}
        )
    return problems


# --- set-based reads for the nightly jobs of higher apps (ratings) ---------------------------
def record_day_sql(alias: str = "r") -> str:
    """The day a record ages from (its decision, else its conduct, else its recording)."""
    return (
        f"COALESCE({alias}.decision_date, {alias}.conduct_date, "
        f"({alias}.created_at AT TIME ZONE '{settings.TIME_ZONE}')::date)"
    )


def record_counts_sql(
    entity_filter: Callable[[str], str], counts: Sequence[tuple[str, str]]
) -> str:
    """SQL counting, per entity that ``entity_filter`` selects (a condition on the column it
        is given), its records in force at ``%(as_at)s`` (recorded by then, not revocations, not
        superseded by then) that meet each condition of ``counts`` (pairs of a column name and a
        condition on ``x.catalogue_item_id``, ``x.severity`` and ``x.day``, the day the record
        ages from). Columns: entity_id and the names; an entity without records has no row.

        It reads only two indexes on the entity (``record_rating_inputs``, ``record_superseding``),
        so a chunk of entities reads its own slice of them, in entity order, without the heap
        (bench/README.md): the ids of the records its entities' successors superseded by then
        (a few thousand a chunk) are hashed once, and each record is looked up in that hash as
        the index is read. That keeps the scan in entity order for the sorted aggregate, where a
        hash anti-join would not, and it reads no superseded original from the table. A
        successor always has its record's entity (``credit_record_supersede``,
        ``decision_change``), so filtering the successors finds the entity's superseded records.
        ``supersedes_id IS NOT NULL`` is what makes NOT IN exact (a NULL would empty it), and the
        caller's work_mem must hold the hash, or PostgreSQL would rescan the successors for every
        record (the whole table's 150,000 ids are hashed even at the 4 MB default, by EXPLAIN on
        the bench database). Records restored by then (35/13: restoration ends their effect) are
    left out through the partial index ``window_restored``, a few rows hashed once. Parameters
    are the caller's."""

    columns = ", ".join(f"count(*) FILTER (WHERE {c}) AS {n}" for n, c in counts)
    return f"""
        SELECT x.entity_id, {columns} FROM (
            SELECT r.entity_id, r.catalogue_item_id, r.severity, {record_day_sql()} AS day
            FROM registry_creditrecord r
            WHERE ({entity_filter("r.entity_id")}) AND r.action <> 'revocation'
              AND r.created_at <= %(as_at)s
              AND r.id NOT IN (
                  SELECT s.supersedes_id FROM registry_creditrecord s
                  WHERE ({entity_filter("s.entity_id")}) AND s.supersedes_id IS NOT NULL
                    AND s.created_at <= %(as_at)s
              )
              AND r.id NOT IN (
                  SELECT w.record_id FROM registry_publicitywindow w
                  WHERE w.stop_reason = 'restored' AND w.stopped_at <= %(as_at)s
              )
        ) x GROUP BY 1"""


def catalogue_kinds() -> dict[int, tuple[str, str]]:
    """Every catalogue item's id with its kind and polarity, in one read: set-based jobs test
    a record's item id instead of joining the catalogue for every record."""
    return {pk: (kind, polarity) for pk, kind, polarity in
            CatalogueItem.objects.values_list("pk", "kind", "polarity")}  # fmt: skip
