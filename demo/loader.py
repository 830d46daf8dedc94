"""The loader: ``demo_seed()`` loads the generator's rows into an empty register.

Departments go through the services, everything else with ``COPY`` in one transaction
(docs/architecture.md §6: COPY ran ~140k rows/s, per-row ORM saves are 25-45x slower), with
foreign keys and plain indexes set aside during the copy and rebuilt/validated once at the end,
guardian ownership rows included, and one job-level audit event instead of one per row. Measured
figures: bench/README.md.
"""

from __future__ import annotations

import datetime as dt
import io
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.utils import timezone

from credit_portal.audit.services import audit_event_record
from credit_portal.calendar.services import calendar_gap_record
from registry import names, personal
from registry.models import CatalogueItem, CreditRecord, Decision, MarketEntity, PublicityRule
from registry.services import ENTITY_PERM, RECORD_PERM, publicity_config

from .departments import departments_ensure
from .generator import generate
from .sign_ins import seed_actor
from .specs import (
    DEMO_AS_OF,
    CatalogueRule,
    PublicityPolicy,
    PublicityTerms,
    WorkingDays,
    decisions_from,
)


@dataclass
class SeedResult:
    created: bool
    message: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _esc(text: str) -> str:
    """COPY text format: backslash, tab and line breaks are escaped."""
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


NULL = "\\N"  # COPY text format


def _opt(value) -> str:
    return NULL if value is None else value.isoformat()


def _array(values: list[str]) -> str:
    inner = ",".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
    return _esc("{" + inner + "}")


def _copy(cursor, table: str, columns: str, lines: list[str]) -> None:
    if not lines:
        return
    buffer = io.StringIO("\n".join(lines) + "\n")
    cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)


def _reserve_ids(cursor, table: str, count: int) -> list[int]:
    """Take ids from the table's identity sequence, so rows can refer to each other in COPY."""
    if not count:
        return []
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        [table, count],
    )
    return [row[0] for row in cursor.fetchall()]


# The tables the loader writes with COPY.
LOADED_TABLES = (
    "registry_person",
    "registry_marketentity",
    "registry_marketentitygroupobjectpermission",
    "registry_entityrole",
    "registry_creditrecord",
    "registry_creditrecordgroupobjectpermission",
    "registry_decision",
    "registry_publicitywindow",
    "registry_departmentalert",
)


def _defer_indexes_and_foreign_keys(cursor, tables: tuple[str, ...]) -> Callable[[], None]:
    """Drop the tables' foreign keys and plain (non-unique) indexes; return their restorer.

    PostgreSQL's advice for populating a database: checking each row against its foreign keys
    and updating ten indexes per row is many times slower than building the indexes once and
    validating each foreign key with one set-based query. Primary keys, unique indexes and
    check constraints stay in force throughout. Everything happens inside the caller's
    transaction, so a failure leaves the schema as it was.
    """
    cursor.execute(
        "SELECT format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s', conrelid::regclass, conname, "
        "              pg_get_constraintdef(oid)), "
        "       format('ALTER TABLE %%s DROP CONSTRAINT %%I', conrelid::regclass, conname) "
        "FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) "
        "ORDER BY conrelid, conname",
        [list(tables)],
    )
    foreign_keys = cursor.fetchall()
    cursor.execute(
        "SELECT pg_get_indexdef(i.indexrelid), format('DROP INDEX %%s', i.indexrelid::regclass) "
        "FROM pg_index i WHERE i.indrelid = ANY(%s::regclass[]) "
        "AND NOT i.indisunique AND NOT i.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
        "ORDER BY i.indrelid, i.indexrelid",
        [list(tables)],
    )
    indexes = cursor.fetchall()
    # Dropping a foreign key alters the referenced table too, which PostgreSQL refuses while
    # this transaction still has deferred checks queued for it (e.g. the departments just
    # created): run those checks now, then go back to deferring.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    for _create, drop in foreign_keys + indexes:
        cursor.execute(drop)

    def restore() -> None:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for create, _drop in indexes + foreign_keys:
            cursor.execute(create)

    return restore


def demo_seed(
    *,
    entities: int,
    seed: int,
    records_per_entity: int = 2,
    decisions_per_entity: float = 1.5,
    as_of: dt.date | None = None,
    chunk_size: int = 5000,
    progress: Callable[[str], None] | None = None,
) -> SeedResult:
    """Load the demo data into an empty register, in one transaction.

    Refuses (and changes nothing) when any market entity exists: the credit record is
    append-only, so demo data cannot be replaced, only loaded once into a fresh database.
    """
    say = progress or (lambda _message: None)
    started = time.monotonic()
    today = timezone.localdate()
    as_of = min(as_of or DEMO_AS_OF, today)
    counts = {
        "departments": 0,
        "entities": 0,
        "persons": 0,
        "roles": 0,
        "records": 0,
        "corrections": 0,
        "revocations": 0,
        "decisions": 0,
        "decisions_on_time": 0,
        "decisions_late": 0,
        "decisions_awaiting": 0,
        "decisions_overdue": 0,
        "decisions_withdrawn": 0,
        "windows": 0,
        "windows_expired": 0,
        "alerts": 0,
        "entity_permissions": 0,
        "record_permissions": 0,
    }
    with transaction.atomic():
        # Two seeders at once must not both find the register empty: the second waits here.
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE registry_marketentity IN SHARE ROW EXCLUSIVE MODE")
        if MarketEntity.objects.exists():
            return SeedResult(
                created=False,
                message=(
                    "市场主体表不为空，未生成演示数据（信用记录只增不改，请使用新数据库）。/ "
                    "The register already holds market entities; no demo data was loaded (the "
                    "credit record is append-only: use a fresh database)."
                ),
            )
        actor = seed_actor()
        departments = departments_ensure(actor)
        counts["departments"] = len(departments)
        items = {item.code: item for item in CatalogueItem.objects.filter(active=True)}
        rules = {
            code: CatalogueRule(item.publicity_scope, tuple(item.severities))
            for code, item in items.items()
        }
        # The publicity rules, deadlines and calendar administrators keep, read once.
        config = publicity_config()
        publicity = PublicityPolicy(
            {
                rule.severity: PublicityTerms(rule.published, rule.min_months, rule.max_months)
                for rule in PublicityRule.objects.all()
            },
            publish_within=config.publish_within,
            withdraw_within=config.withdraw_within,
        )
        calendar_ = WorkingDays.from_database(
            decisions_from(as_of) - dt.timedelta(days=1), as_of + dt.timedelta(days=400)
        )
        perms = {
            codename: Permission.objects.get(codename=codename, content_type__app_label="registry")
            for codename in (ENTITY_PERM, RECORD_PERM)
        }
        entity_perm, record_perm = perms[ENTITY_PERM].pk, perms[RECORD_PERM].pk
        dept_ids = {code: d.pk for code, d in departments.items()}
        group_ids = {code: d.group_id for code, d in departments.items()}
        item_ids = {code: item.pk for code, item in items.items()}
        now = timezone.now().isoformat()
        person_ids: list[int] = []
        record_ids: list[int] = []
        decision_ids: list[int] = []
        record_table = CreditRecord._meta.db_table
        decision_table = Decision._meta.db_table
        with connection.cursor() as cursor:
            restore = _defer_indexes_and_foreign_keys(cursor, LOADED_TABLES)
            for chunk in generate(
                entities=entities,
                seed=seed,
                records_per_entity=records_per_entity,
                decisions_per_entity=decisions_per_entity,
                as_of=as_of,
                catalogue=rules,
                publicity=publicity,
                calendar=calendar_,
                chunk_size=chunk_size,
            ):
                person_ids.extend(_reserve_ids(cursor, "registry_person", len(chunk.persons)))
                _copy(
                    cursor,
                    "registry_person",
                    "id, name, id_kind, id_number_encrypted, id_number_hash, "
                    "id_number_masked, created_at",
                    [
                        f"{person_ids[p.ordinal]}\t{_esc(p.name)}\tresident\t"
                        f"{personal.encrypt(p.id_number)}\t{personal.lookup_hash(p.id_number)}\t"
                        f"{personal.mask(p.id_number)}\t{now}"
                        for p in chunk.persons
                    ],
                )
                _copy(
                    cursor,
                    "registry_marketentity",
                    "uscc, name, former_names, search_names, kind, region, industry, "
                    "state_owned, status, established, deregistered, address, created_at, "
                    "updated_at, registration_authority_id",
                    [
                        f"{e.uscc}\t{_esc(e.name)}\t{_array(e.former_names)}\t"
                        f"{_esc(names.search_text(e.name, e.former_names))}\t{e.kind}\t"
                        f"{e.region}\t{e.industry}\t{'t' if e.state_owned else 'f'}\t{e.status}\t"
                        f"{e.established.isoformat()}\t{_opt(e.deregistered)}\t{_esc(e.address)}"
                        f"\t{now}\t{now}\t{dept_ids[e.department]}"
                        for e in chunk.entities
                    ],
                )
                _copy(
                    cursor,
                    "registry_marketentitygroupobjectpermission",
                    "content_object_id, group_id, permission_id",
                    [f"{e.uscc}\t{group_ids[e.department]}\t{entity_perm}" for e in chunk.entities],
                )
                _copy(
                    cursor,
                    "registry_entityrole",
                    "entity_id, person_id, kind, since, until",
                    [
                        f"{r.uscc}\t{person_ids[r.person]}\t{r.kind}\t{r.since.isoformat()}\t"
                        f"{_opt(r.until)}"
                        for r in chunk.roles
                    ],
                )
                record_ids.extend(_reserve_ids(cursor, record_table, len(chunk.records)))
                _copy(
                    cursor,
                    record_table,
                    "id, entity_id, catalogue_item_id, source_department_id, action, "
                    "supersedes_id, scope, severity, title, content, document_number, "
                    "legal_basis, conduct_date, decision_date, published_at, reason, "
                    "created_at",
                    [
                        f"{record_ids[r.ordinal]}\t{r.uscc}\t{item_ids[r.catalogue]}\t"
                        f"{dept_ids[r.department]}\t{r.action}\t"
                        f"{NULL if r.supersedes is None else record_ids[r.supersedes]}\t"
                        f"{r.scope}\t{r.severity}\t{_esc(r.title)}\t{_esc(r.content)}\t"
                        f"{_esc(r.document_number)}\t{_esc(r.legal_basis)}\t"
                        f"{_opt(r.conduct_date)}\t{r.decision_date.isoformat()}\t"
                        f"{_opt(r.published_at)}\t{_esc(r.reason)}\t{r.recorded_at.isoformat()}"
                        for r in chunk.records
                    ],
                )
                _copy(
                    cursor,
                    "registry_creditrecordgroupobjectpermission",
                    "content_object_id, group_id, permission_id",
                    [
                        f"{record_ids[r.ordinal]}\t{group_ids[r.department]}\t{record_perm}"
                        for r in chunk.records
                    ],
                )
                decision_ids.extend(_reserve_ids(cursor, decision_table, len(chunk.decisions)))
                _copy(
                    cursor,
                    decision_table,
                    "id, kind, department_id, entity_id, document_number, decision_date, title, "
                    "content, legal_basis, severity, penalty_type, penalty_amount, status, "
                    "publicity_due, publicity_due_provisional, published_at, "
                    "record_id, change, change_reason, change_date, changed_at, withdrawal_due, "
                    "withdrawn_at, created_at",
                    [
                        f"{decision_ids[d.ordinal]}\t{d.kind}\t{dept_ids[d.department]}\t"
                        f"{d.uscc}\t{_esc(d.document_number)}\t{d.decision_date.isoformat()}\t"
                        f"{_esc(d.title)}\t{_esc(d.content)}\t{_esc(d.legal_basis)}\t"
                        f"{d.severity}\t{d.penalty_type}\t"
                        f"{NULL if d.penalty_amount is None else d.penalty_amount}\t{d.status}\t"
                        f"{d.publicity_due.isoformat()}\t"
                        f"{'t' if d.publicity_due_provisional else 'f'}\t"
                        f"{_opt(d.published_at)}\t"
                        f"{NULL if d.record is None else record_ids[d.record]}\t{d.change}\t"
                        f"{_esc(d.change_reason)}\t{_opt(d.change_date)}\t{_opt(d.changed_at)}\t"
                        f"{_opt(d.withdrawal_due)}\t{_opt(d.withdrawn_at)}\t"
                        f"{d.recorded_at.isoformat()}"
                        for d in chunk.decisions
                    ],
                )
                _copy(
                    cursor,
                    "registry_publicitywindow",
                    "record_id, shown_from, restoration_from, restoration_open, shown_until, "
                    "stopped_at, stop_reason",
                    [
                        f"{record_ids[w.record]}\t{w.shown_from.isoformat()}\t"
                        f"{_opt(w.restoration_from)}\t{'t' if w.restoration_open else 'f'}\t"
                        f"{_opt(w.shown_until)}\t{_opt(w.stopped_at)}\t{w.stop_reason}"
                        for w in chunk.windows
                    ],
                )
                # The hourly job's alert for each decision it flagged overdue; publication
                # resolved it.
                alerts = [
                    f"{dept_ids[d.department]}\tpublicity_overdue\t{decision_ids[d.ordinal]}\t"
                    f"{d.flagged_at.isoformat()}\t{_opt(d.published_at)}"
                    for d in chunk.decisions
                    if d.flagged_at is not None
                ]
                _copy(
                    cursor,
                    "registry_departmentalert",
                    "department_id, kind, decision_id, created_at, resolved_at",
                    alerts,
                )
                counts["entities"] += len(chunk.entities)
                counts["persons"] += len(chunk.persons)
                counts["roles"] += len(chunk.roles)
                counts["records"] += len(chunk.records)
                counts["corrections"] += sum(r.action == "correction" for r in chunk.records)
                counts["revocations"] += sum(r.action == "revocation" for r in chunk.records)
                counts["decisions"] += len(chunk.decisions)
                for d in chunk.decisions:
                    counts[f"decisions_{d.outcome}"] += 1
                counts["windows"] += len(chunk.windows)
                counts["windows_expired"] += sum(w.stop_reason == "expired" for w in chunk.windows)
                counts["alerts"] += len(alerts)
                counts["entity_permissions"] += len(chunk.entities)
                counts["record_permissions"] += len(chunk.records)
                elapsed = time.monotonic() - started
                say(
                    f"  {counts['entities']:>9,} entities  {counts['persons']:>9,} persons  "
                    f"{counts['records']:>10,} records  {counts['decisions']:>9,} decisions  "
                    f"{elapsed:7.1f} s"
                )
            say("  building indexes and validating foreign keys")
            restore()
        if calendar_.gaps:
            # publicity_due_for warns once per provisional answer; the bulk load, once per year.
            calendar_gap_record(years=tuple(sorted(calendar_.gaps)))
        audit_event_record(
            actor=actor,
            action="demo.seed",
            # The generator's old home, kept: audit rows written before it moved to the demo app
            # say the same, and a query for the seeding event need not know when it moved.
            target_type="registry.demo",
            target_id=str(seed),
            after={
                "seed": seed,
                "entities_requested": entities,
                "records_per_entity": records_per_entity,
                "decisions_per_entity": decisions_per_entity,
                "as_of": as_of.isoformat(),
                **counts,
            },
        )
        say("  committing")
    with connection.cursor() as cursor:  # fresh statistics for the planner after a bulk load
        for table in LOADED_TABLES:
            cursor.execute(f"ANALYZE {table}")
    return SeedResult(created=True, counts=counts, seconds=time.monotonic() - started)
