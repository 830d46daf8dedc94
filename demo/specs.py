"""The generator's rows as plain data (entities, persons, roles, records, decisions, windows),
the catalogue, publicity rules and calendar it is given, and small helpers it draws with."""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import itertools
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from registry.catalogue import DEFAULT_ITEMS
from registry.uscc import ALPHABET

from .departments import DepartmentSpec
from .words import DECISIONS_FROM, DEFAULT_PUBLICITY_RULES

# --- the data's dates ------------------------------------------------------------------------
TZ = ZoneInfo("Asia/Shanghai")
# A fixed "today" for the data keeps it identical run after run; the loader clamps it to the
# real today so no date is ever in the future.
DEMO_AS_OF = dt.date(2026, 10, 31)
RECORDS_FROM = dt.date(2022, 1, 1)
ESTABLISHED_FROM_YEAR = 1995
ESTABLISHED_TO_YEAR = 2025
MODERN_CODES_FROM = dt.date(2015, 10, 1)  # USCCs with "MA" organisation codes (GB 32100)


# --- generated rows --------------------------------------------------------------------------
@dataclass(slots=True)
class EntitySpec:
    uscc: str
    name: str
    former_names: list[str]
    kind: str
    region: str
    industry: str
    state_owned: bool
    status: str
    established: dt.date
    deregistered: dt.date | None
    address: str
    department: str  # code of the registering department


@dataclass(slots=True)
class PersonSpec:
    ordinal: int  # 0-based, over the whole run; roles refer to it
    name: str
    id_number: str


@dataclass(slots=True)
class RoleSpec:
    uscc: str
    person: int  # PersonSpec.ordinal
    kind: str
    since: dt.date
    until: dt.date | None = None


@dataclass(slots=True)
class RecordSpec:
    ordinal: int  # 0-based, over the whole run; corrections refer to it
    uscc: str
    catalogue: str  # CatalogueItem.code
    department: str  # Department.code
    scope: str
    severity: str
    title: str
    content: str
    document_number: str
    legal_basis: str
    conduct_date: dt.date | None
    decision_date: dt.date
    recorded_at: dt.datetime
    published_at: dt.datetime | None
    action: str = "original"
    supersedes: int | None = None
    reason: str = ""


@dataclass(slots=True)
class DecisionSpec:
    """An administrative decision and what became of it by the as-of date; the fields are the
    ones decision_record / decision_publish / decision_change write."""

    ordinal: int  # 0-based, over the whole run
    kind: str  # Decision.Kind
    catalogue: str  # the CatalogueItem.code of its record
    uscc: str
    department: str  # Department.code
    document_number: str
    decision_date: dt.date
    title: str
    content: str
    legal_basis: str
    severity: str
    penalty_type: str
    penalty_amount: int | None
    publicity_due: dt.date
    publicity_due_provisional: bool
    recorded_at: dt.datetime
    outcome: str  # on_time, late, awaiting, overdue, withdrawn (for the counts)
    status: str = "recorded"
    published_at: dt.datetime | None = None
    record: int | None = None  # RecordSpec.ordinal of the record its publication wrote
    # When the hourly deadline job found it unpublished past its due date: the created_at of
    # its department alert (the alert is the flag), resolved when the decision is published.
    flagged_at: dt.datetime | None = None
    change: str = ""
    change_reason: str = ""
    change_date: dt.date | None = None
    changed_at: dt.datetime | None = None
    withdrawal_due: dt.date | None = None
    withdrawn_at: dt.datetime | None = None


@dataclass(slots=True)
class WindowSpec:
    record: int  # RecordSpec.ordinal
    shown_from: dt.datetime
    restoration_from: dt.date | None
    restoration_open: bool
    shown_until: dt.date | None
    stopped_at: dt.datetime | None
    stop_reason: str


@dataclass(slots=True)
class Body:
    """What a record or decision says: the generator's common part of both."""

    department: DepartmentSpec
    severity: str
    title: str
    content: str
    document_number: str
    legal_basis: str
    conduct_date: dt.date | None = None
    penalty_type: str = ""
    penalty_amount: int | None = None


@dataclass(slots=True)
class Chunk:
    entities: list[EntitySpec] = field(default_factory=list)
    persons: list[PersonSpec] = field(default_factory=list)
    roles: list[RoleSpec] = field(default_factory=list)
    records: list[RecordSpec] = field(default_factory=list)
    decisions: list[DecisionSpec] = field(default_factory=list)
    windows: list[WindowSpec] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class CatalogueRule:
    scope: str
    severities: tuple[str, ...]


def default_catalogue() -> dict[str, CatalogueRule]:
    return {
        code: CatalogueRule(scope, tuple(severities))
        for code, _n, _e, _k, _p, severities, scope, _r, _b in DEFAULT_ITEMS
    }


def decisions_from(as_of: dt.date) -> dt.date:
    """Decisions run from 2025-01-01 (issue 3), or over the year before an earlier as-of date."""
    return min(DECISIONS_FROM, as_of - dt.timedelta(days=365))


@dataclass(frozen=True, slots=True)
class PublicityTerms:
    """One severity's PublicityRule: published at all, minimum and maximum months."""

    published: bool
    min_months: int | None
    max_months: int | None


@dataclass(frozen=True, slots=True)
class PublicityPolicy:
    """PublicityRule and PublicityConfig as plain data, so the generator stays pure."""

    rules: Mapping[str, PublicityTerms]
    publish_within: int = 7
    withdraw_within: int = 3


def default_publicity() -> PublicityPolicy:
    return PublicityPolicy(
        {severity: PublicityTerms(*terms) for severity, terms in DEFAULT_PUBLICITY_RULES.items()}
    )


@dataclass(slots=True)
class WorkingDays:
    """The official calendar as plain data, answered in memory: the same dates and provisional
    flags as credit_portal.calendar.add_working_days, without its two queries per call."""

    exceptions: Mapping[dt.date, bool]  # holidays (False) and make-up working days (True)
    published_years: frozenset[int]  # years whose holiday notice is loaded
    last: dt.date = dt.date.max  # the exceptions are known up to here
    gaps: set[int] = field(default_factory=set, compare=False)  # years answered provisionally
    _memo: dict[tuple[dt.date, int], tuple[dt.date, bool]] = field(
        default_factory=dict, compare=False
    )

    def is_working(self, day: dt.date) -> bool:
        working = self.exceptions.get(day)
        return day.weekday() < 5 if working is None else working

    def add(self, start: dt.date, days: int) -> tuple[dt.date, bool]:
        """The ``days``-th working day after ``start`` (``days`` >= 0), and whether a year
        between them has no holiday notice (the answer is then provisional)."""
        key = (start, days)
        cached = self._memo.get(key)
        if cached is not None:
            return cached
        day, remaining = start, days
        while remaining:
            day += dt.timedelta(days=1)
            if day > self.last:
                raise ValueError(f"working days after {start}: calendar loaded up to {self.last}")
            if self.is_working(day):
                remaining -= 1
        unknown = [y for y in range(start.year, day.year + 1) if y not in self.published_years]
        self.gaps.update(unknown)
        self._memo[key] = (day, bool(unknown))
        return day, bool(unknown)

    def on_or_after(self, day: dt.date, last: dt.date) -> dt.date:
        """The first working day from ``day``, unless that is after ``last``."""
        moved = day
        while not self.is_working(moved) and moved < last:
            moved += dt.timedelta(days=1)
        return moved if self.is_working(moved) else day

    @classmethod
    def from_library(cls) -> WorkingDays:
        """From ``chinesecalendar``, as the calendar migration loads it (for the pure generator)."""
        import chinese_calendar

        days = dict.fromkeys(chinese_calendar.holidays, False)
        for day in chinese_calendar.workdays:
            if day.weekday() >= 5:  # a make-up working weekend day
                days[day] = True
        return cls(days, frozenset(day.year for day in days))

    @classmethod
    def from_database(cls, first: dt.date, last: dt.date) -> WorkingDays:
        """The official calendar as administrators keep it, loaded once for the range."""
        from credit_portal.calendar.selectors import WorkingCalendar

        calendar_ = WorkingCalendar(first, last)
        return cls(dict(calendar_.exceptions), frozenset(calendar_.published), last)


# --- small helpers ---------------------------------------------------------------------------
_USCC_VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def with_check(first17: str) -> str:
    """GB 32100 check character, as stdnum computes it (the tests compare with registry.uscc)."""
    total = sum(_USCC_VALUES[ch] * w for ch, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return first17 + ALPHABET[(31 - total) % 31]


def org_check(body8: str) -> str:
    """GB 11714 check character of an organisation code body (USCC positions 9-16)."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(ch, 36) * w for ch, w in zip(body8, weights, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def weighted(items: list[tuple], at: int = -1) -> tuple[list, list[int]]:
    """Split (value..., weight) rows into values and weights for ``Random.choices``."""
    values = []
    for item in items:
        rest = item[:at] + item[at:][1:] if at != -1 else item[:-1]
        values.append(rest if len(rest) > 1 else rest[0])
    return values, [item[at] for item in items]


class Rng(random.Random):
    """``random.Random`` with cheaper integer and choice draws (the generator makes millions).

    Still fully determined by the seed; the stock methods spend most of their time in
    rejection sampling we do not need for demo data.
    """

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        if stop is None:
            start, stop = 0, start
        return start + int(self.random() * (stop - start))

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]


@dataclass(frozen=True, slots=True)
class Table:
    """Values with precomputed cumulative weights, for fast weighted draws."""

    values: list
    cum: list[int]

    @classmethod
    def of(cls, values: list, weights: list[int]) -> Table:
        return cls(list(values), list(itertools.accumulate(weights)))

    def pick(self, rng: random.Random):
        return self.values[bisect.bisect(self.cum, rng.random() * self.cum[-1])]


def days_in(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def at(day: dt.date, minutes: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=TZ)
