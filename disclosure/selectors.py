"""Reads with rules for the public face (docs/adding-an-app.md §5): the entity page's decision
tabs, the "double publicity" listings (2016 No. 33, art. 17) and the timeliness statistics (2019 No.
35, art. 15). Decisions are read through ``registry.selectors.decisions_visible``, so the public
sees only published decisions of public scope that are on display."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from discipline import selectors as discipline_selectors
from ratings import selectors as rating_selectors
from registry import selectors as registry_selectors
from registry import uscc as uscc_codes
from registry.models import (
    CatalogueItem,
    CreditRecord,
    Decision,
    Department,
    MarketEntity,
)
from registry.roles import ANONYMOUS, Viewer

from .models import TimelinessSnapshot

Kind = Decision.Kind
# Licences and penalties ("double publicity") first, then the eight other kinds (35/15).
KIND_ORDER: list[str] = [Kind.LICENCE, Kind.PENALTY] + [
    k for k in Kind.values if k not in (Kind.LICENCE, Kind.PENALTY)
]
OTHER_KINDS: tuple[str, ...] = tuple(KIND_ORDER[2:])


# --- the entity page ------------------------------------------------------------------------
@dataclass(frozen=True)
class PageVersion:
    code: str  # the normalised USCC
    version: str
    grades_public: bool  # ratings' configuration: the page shows the grade
    grades_run: int | None  # the newest finished rating run


def entity_page_version(raw_uscc: str) -> PageVersion:
    """The entity's code and ``version``: a token that changes whenever something its public
    page shows may have changed, with the published grades' version (``ratings.selectors.
    GRADE_VERSION_SQL``). One indexed read, in SQL (compiling the ORM query cost more than
    running it): the entity's ``updated_at`` and its standing summary's ``page_version``,
    which PostgreSQL bumps in the statement that writes any row the page shows
    (``registry.page_versions``: records, windows, decisions, roles and persons, the entity
    itself, public commitments and verified information, listings, objection marks). Display
    also ends by date (``shown_until``), so callers add today's date to their cache key.

    The entity's own time is in it too: a department renamed is the one change the counter
    misses (bounded by the cache's timeout), and the time keeps versions apart across a
    restore. A malformed code or an unknown entity is a clear 4xx."""
    code = uscc_codes.validate(raw_uscc)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT e.updated_at, coalesce(s.page_version, 0),
                   {rating_selectors.GRADE_VERSION_SQL}
            FROM registry_marketentity e
            LEFT JOIN registry_entitystanding s ON s.entity_id = e.uscc
            WHERE e.uscc = %s
            """,
            [code],
        )
        row = cursor.fetchone()
    if row is None:
        raise registry_selectors.entity_not_found(code)
    updated_at, counter, public, run = row
    return PageVersion(code, f"{counter}.{updated_at.timestamp():.6f}", bool(public), run)


def entity_listed_kinds(entity: MarketEntity) -> set[str]:
    """The public list kinds whose measures are in force now, for the page's status flags."""
    return discipline_selectors.listed_kinds_public(entity.uscc)


def entity_decisions(viewer: Viewer, entity: MarketEntity, kinds) -> QuerySet[Decision]:
    """The entity's decisions of these kinds that the viewer may see, newest first."""
    return (
        registry_selectors.decisions_visible(viewer)
        .filter(entity=entity, kind__in=list(kinds))
        .order_by("-decision_date", "-id")
    )


def entity_decision_counts(viewer: Viewer, entity: MarketEntity) -> dict[str, int]:
    """How many decisions of each kind the viewer may see (one GROUP BY query)."""
    rows = (
        registry_selectors.decisions_visible(viewer)
        .filter(entity=entity)
        .order_by()
        .values("kind")
        .annotate(n=Count("id"))
    )
    return {row["kind"]: row["n"] for row in rows}


def entity_other_records(
    viewer: Viewer, entity: MarketEntity, *, purpose: str = ""
) -> list[CreditRecord]:
    """The entity's credit records that did not come from a decision (those have their own
    tabs), as ``registry.selectors.entity_records``: visibility by viewer, reads of non-public
    records logged."""
    records = list(
        registry_selectors.records_visible(viewer)
        .filter(entity=entity, decision__isnull=True)
        .order_by("-created_at", "-id")
    )
    registry_selectors.log_restricted_read(viewer, entity.uscc, records, purpose=purpose)
    return records


def entity_listing_polarities(viewer: Viewer, entity: MarketEntity) -> set[str]:
    """Polarities of the entity's list records the viewer may see (for the status flags)."""
    return set(
        registry_selectors.records_visible(viewer)
        .filter(entity=entity, catalogue_item__kind=CatalogueItem.Kind.LISTING)
        .order_by()
        .values_list("catalogue_item__polarity", flat=True)
        .distinct()
    )


# --- "double publicity" listings --------------------------------------------------------------
@dataclass(frozen=True)
class PublicityFilter:
    kind: str = ""
    department: Department | None = None
    region: str = ""  # a GB/T 2260 prefix: 2 (province), 4 (city) or 6 digits (county)
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def publicity_decisions(filters: PublicityFilter) -> QuerySet[Decision]:
    """Published decisions for everyone, newest decision first.

    The listing is the public one whoever asks (a department's unpublished decisions belong in
    its workbench, not on the publicity board).
    """
    qs = registry_selectors.decisions_visible(ANONYMOUS)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.department is not None:
        qs = qs.filter(department=filters.department)
    if filters.region:
        # A range rather than LIKE: it uses the region index under any collation.
        pad = 6 - len(filters.region)
        qs = qs.filter(
            entity__region__gte=filters.region + "0" * pad,
            entity__region__lte=filters.region + "9" * pad,
        )
    if filters.date_from:
        qs = qs.filter(decision_date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(decision_date__lte=filters.date_to)
    return qs.order_by("-decision_date", "-id")


_KEY = re.compile(r"^(\d{4}-\d{2}-\d{2})\.(\d{1,18})$")


def publicity_key(raw: str) -> tuple[datetime.date, int] | None:
    """A board position ``<decision date>.<id>`` (the last row a page showed), else None."""
    match = _KEY.match(raw or "")
    if not match:
        return None
    try:
        return datetime.date.fromisoformat(match.group(1)), int(match.group(2))
    except ValueError:
        return None


def publicity_after(decisions: QuerySet[Decision], key: tuple[datetime.date, int]):
    """The decisions after ``key`` in the board's order (newest decision first, then id):
    read from the ``decision_published`` index onwards, however deep."""
    day, pk = key
    # decision_date <= day is what the index starts its scan from; the OR alone would make
    # it read (and skip) every newer row first.
    return decisions.filter(
        Q(decision_date__lt=day) | Q(decision_date=day, pk__lt=pk), decision_date__lte=day
    )


def departments_public() -> QuerySet[Department]:
    """Departments for the public filters (the department list is public reference data)."""
    return Department.objects.filter(active=True).order_by("code")


# --- timeliness statistics --------------------------------------------------------------------
@dataclass
class TimelinessRow:
    """Timeliness of one department and kind; ``kind`` is "" for a department's total and
    ``department_code`` is "" for the grand total."""

    department_code: str
    department_name: str
    department_name_en: str
    kind: str
    due: int
    on_time: int
    late: int
    overdue: int
    median_delay_days: float | None

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.due if self.due else None


@dataclass
class TimelinessReport:
    year: int
    department_code: str
    as_of: datetime.date
    rows: list[TimelinessRow] = field(default_factory=list)  # department x kind
    departments: list[TimelinessRow] = field(default_factory=list)  # per department
    total: TimelinessRow | None = None


_TIMELINESS_SQL = """
WITH outcome AS (
    SELECT d.department_id, d.kind,
        CASE
            WHEN d.published_at IS NOT NULL THEN
                CASE WHEN (d.published_at AT TIME ZONE %(tz)s)::date <= d.publicity_due
                     THEN 'on_time' ELSE 'late' END
            WHEN d.status = 'recorded' AND d.publicity_due < %(today)s THEN 'overdue'
        END AS outcome,
        CASE
            WHEN d.published_at IS NOT NULL
                THEN (d.published_at AT TIME ZONE %(tz)s)::date - d.decision_date
            WHEN d.status = 'recorded' AND d.publicity_due < %(today)s
                THEN %(today)s::date - d.decision_date
        END AS delay
    FROM registry_decision d
    WHERE d.decision_date >= %(start)s AND d.decision_date < %(end)s {department}
), grouped AS (
    SELECT department_id, kind, GROUPING(department_id, kind) AS level,
        count(*) AS due,
        count(*) FILTER (WHERE outcome = 'on_time') AS on_time,
        count(*) FILTER (WHERE outcome = 'late') AS late,
        count(*) FILTER (WHERE outcome = 'overdue') AS overdue,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY delay) AS median_delay
    FROM outcome
    WHERE outcome IS NOT NULL
    GROUP BY GROUPING SETS ((department_id, kind), (department_id), ())
)
SELECT g.level, coalesce(dep.code, ''), coalesce(dep.name, ''), coalesce(dep.name_en, ''),
    coalesce(g.kind, ''), g.due, g.on_time, g.late, g.overdue, g.median_delay
FROM grouped g LEFT JOIN registry_department dep ON dep.id = g.department_id
ORDER BY g.level, dep.code, g.kind
"""


def timeliness(
    *, year: int, department: Department | None = None, today: datetime.date | None = None
) -> TimelinessReport:
    """Publication timeliness of the decisions taken in ``year``, per department and kind, with
    each department's total and the grand total (one set-based query, GROUPING SETS).

    A decision counts once it is due or settled: **on time** when published (the local date
    of ``published_at``) on or before ``publicity_due``; **late** when published after it;
    **overdue** when still unpublished and ``publicity_due`` has passed. Decisions not yet due
    and decisions withdrawn before publication (changed or revoked, nothing left to publish)
    are not counted. A decision published and later withdrawn keeps its publication date.

    **Median delay**: the median over the counted decisions of the calendar days from the
    decision date to publication; for an overdue decision, to ``today`` (a lower bound that
    keeps growing: leaving them out would flatter the departments that publish least).

    Every decision counts, published or not, but only these figures leave this function.
    """
    today = today or timezone.localdate()
    rows = timeliness_rows(year=year, department=department, today=today)
    return _timeliness_report(year, department.code if department else "", today, rows)


def timeliness_rows(
    *, year: int, department: Department | None = None, today: datetime.date
) -> list[list]:
    """The statistics query's rows: [GROUPING level, department code, name, English name,
    kind, due, on time, late, overdue, median delay]."""
    params: dict = {
        "tz": settings.TIME_ZONE,
        "today": today,
        "start": datetime.date(year, 1, 1),
        "end": datetime.date(year + 1, 1, 1),
    }
    department_sql = ""
    if department is not None:
        department_sql = "AND d.department_id = %(department)s"
        params["department"] = department.pk
    with connection.cursor() as cursor:
        cursor.execute(_TIMELINESS_SQL.format(department=department_sql), params)
        return [
            [*row[:9], float(row[9]) if row[9] is not None else None] for row in cursor.fetchall()
        ]


def _timeliness_report(
    year: int, department_code: str, as_of: datetime.date, rows: list[list]
) -> TimelinessReport:
    report = TimelinessReport(year=year, department_code=department_code, as_of=as_of)
    for level, code, name, name_en, kind, due, on_time, late, overdue, median in rows:
        row = TimelinessRow(
            department_code=code,
            department_name=name,
            department_name_en=name_en,
            kind=kind,
            due=due,
            on_time=on_time,
            late=late,
            overdue=overdue,
            median_delay_days=median,
        )
        # GROUPING() is 0 for department x kind, 1 for a department total, 3 for the total.
        if level == 0:
            report.rows.append(row)
        elif level == 1:
            report.departments.append(row)
        else:
            report.total = row
    report.rows.sort(key=lambda r: (r.department_code, KIND_ORDER.index(r.kind)))
    return report


def timeliness_public(*, year: int, department: Department | None = None) -> TimelinessReport:
    """``timeliness`` for the public page, from the year's snapshot (``TimelinessSnapshot``,
    kept by the hourly job), so a visitor never waits for the aggregate; a year without one
    is computed now. A department's figures are its rows of the snapshot: its total is its
    department row (the query gives the same numbers filtered to it)."""
    snapshot = TimelinessSnapshot.objects.filter(year=year).first()
    if snapshot is None:
        return timeliness(year=year, department=department)
    rows = snapshot.rows
    if department is not None:
        own = [r for r in rows if r[0] in (0, 1) and r[1] == department.code]
        mine = next((r for r in own if r[0] == 1), None)
        total = [3, "", "", "", "", *(mine[5:] if mine else [0, 0, 0, 0, None])]
        rows = [*own, total]
    return _timeliness_report(year, department.code if department else "", snapshot.as_of, rows)


def decision_years(today: datetime.date | None = None) -> list[int]:
    """Years offered by the statistics filter, newest first: from 2019 (No. 35) to this year."""
    this_year = (today or timezone.localdate()).year
    return list(range(this_year, 2018, -1))
