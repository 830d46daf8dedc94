"""Demo data (seed_demo) and demo sign-ins (demo_users): valid codes, the ledger's rules,
ownership rows, determinism, and idempotence."""

from __future__ import annotations

import datetime as dt
import io
import random
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import F
from django.test import Client
from django.utils import timezone
from stdnum.cn import ric

from credit_portal.audit.models import AuditEvent
from credit_portal.calendar import add_working_days
from credit_portal.tokens import token_hash
from demo.departments import department_code, department_specs
from demo.generator import generate
from demo.loader import LOADED_TABLES
from demo.regions import counties
from demo.sign_ins import DEMO_PASSWORD, DEMO_TOKEN_FILE
from demo.specs import (
    DEMO_AS_OF,
    RECORDS_FROM,
    TZ,
    CatalogueRule,
    PublicityPolicy,
    PublicityTerms,
    WorkingDays,
    decisions_from,
    default_catalogue,
    default_publicity,
)
from demo.words import DECISION_KINDS, RECORD_KINDS
from registry import names, personal, selectors, services
from registry import uscc as uscc_codes
from registry.models import (
    ApiClient,
    CatalogueItem,
    CreditRecord,
    CreditRecordGroupObjectPermission,
    Decision,
    Department,
    DepartmentAlert,
    EntityAccount,
    EntityRole,
    MarketEntity,
    MarketEntityGroupObjectPermission,
    Person,
    PublicityRule,
    PublicityWindow,
)
from registry.roles import ANONYMOUS, Role, viewer_for

pytestmark = pytest.mark.django_db
N = 200
SEED = 7

# GB 32100 positions 1-2 (registration authority + organisation type), written out again here
# rather than imported, so the test checks the generator instead of repeating it.
KIND_BY_CODE = {
    "91": "enterprise",
    "92": "individual",
    "93": "cooperative",
    "11": "state_organ",
    "12": "public_institution",
    "51": "social_org",
    "52": "social_org",
    "53": "social_org",
    "Y1": "social_org",
}
SCOPE_RANK = {"public": 0, "shared": 1, "authorised": 2}
DECISION_CODES = set(services.DECISION_CATALOGUE.values())


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **{"entities": N, "seed": SEED, **options})
    return out.getvalue()


@pytest.fixture
def seeded(db) -> str:
    return seed()


# --- seed_demo ---------------------------------------------------------------------------------
def test_entities_have_valid_codes_consistent_kinds_and_search_names(seeded):
    entities = list(MarketEntity.objects.all())
    assert len(entities) == N
    for entity in entities:
        assert uscc_codes.validate(entity.uscc) == entity.uscc
        assert entity.kind == KIND_BY_CODE[entity.uscc[:2]], entity.uscc
        assert entity.kind in MarketEntity.Kind.values
        assert entity.region == entity.uscc[2:8]
        assert uscc_codes.region(entity.region).province, entity.region
        assert entity.search_names == names.search_text(entity.name, entity.former_names)
        assert entity.industry[0].isalpha() and entity.industry[1:].isdigit()
        assert entity.registration_authority.registers_entities
    assert len({e.name for e in entities}) == N  # names are unique
    kinds = Counter(e.kind for e in entities)
    assert kinds["enterprise"] > N // 2 and len(kinds) >= 4
    assert any(e.former_names for e in entities)


def test_persons_have_valid_unique_encrypted_id_numbers(seeded):
    persons = list(Person.objects.all())
    assert 1.1 * N <= len(persons) <= 1.6 * N
    numbers = [personal.decrypt(p.id_number_encrypted) for p in persons]
    assert len(set(numbers)) == len(numbers)
    for person, number in zip(persons, numbers, strict=True):
        assert ric.is_valid(number), number
        assert person.id_number_hash == personal.lookup_hash(number)
        assert person.id_number_masked == personal.mask(number)
        assert number not in person.id_number_masked
        assert 2 <= len(person.name) <= 3


def test_every_entity_has_one_current_legal_representative(seeded):
    current = Counter(
        EntityRole.objects.filter(kind="legal_representative", until__isnull=True).values_list(
            "entity_id", flat=True
        )
    )
    assert set(current) == set(MarketEntity.objects.values_list("uscc", flat=True))
    assert set(current.values()) == {1}
    kinds = set(EntityRole.objects.values_list("kind", flat=True))
    assert {"legal_representative", "actual_controller"} <= kinds


def test_records_follow_the_catalogue_and_the_ledger_rules(seeded):
    records = list(CreditRecord.objects.select_related("catalogue_item", "source_department"))
    assert 2 * N <= len(records) <= 10 * N
    assert len({r.catalogue_item.kind for r in records}) >= 8
    today = timezone.localdate()
    for record in records:
        item = record.catalogue_item
        assert SCOPE_RANK[record.scope] >= SCOPE_RANK[item.publicity_scope], record.pk
        assert not (record.severity == "warning" and record.scope == "public")
        assert record.severity in (item.severities or ["none"])
        assert RECORDS_FROM <= record.decision_date <= today
        assert record.conduct_date is None or record.conduct_date <= record.decision_date
        assert record.created_at <= timezone.now()
        assert record.published_at is None or record.published_at <= timezone.now()
        if record.catalogue_item.code in DECISION_CODES:
            # Decisions' records: written at publication (warnings too, shared); revocations
            # are written at withdrawal, unpublished, as decision_change does.
            assert (record.published_at is not None) == (record.action == "original")
        else:
            assert (record.published_at is not None) == (record.scope == "public")
        assert record.source_department.code == department_code(
            record.source_department.code.split("-")[0], record.entity_id[2:8]
        )
    assert Counter(r.severity for r in records).keys() >= {"warning", "minor", "general"}


def test_corrections_and_revocations_supersede_the_same_entitys_records(seeded):
    successors = CreditRecord.objects.exclude(action="original").select_related("supersedes")
    assert successors.exists()
    for new in successors:
        old = new.supersedes
        assert old.action == "original"
        assert (new.entity_id, new.source_department_id) == (
            old.entity_id,
            old.source_department_id,
        )
        assert new.created_at > old.created_at and new.reason
    # The originals stay in the ledger.
    assert CreditRecord.objects.filter(superseded_by__isnull=False, action="original").count() == (
        successors.count()
    )


def test_every_entity_and_record_has_its_owners_guardian_row(seeded):
    assert MarketEntityGroupObjectPermission.objects.count() == N
    assert (
        MarketEntityGroupObjectPermission.objects.filter(
            permission__codename=services.ENTITY_PERM,
            group=F("content_object__registration_authority__group"),
        ).count()
        == N
    )
    records = CreditRecord.objects.count()
    assert CreditRecordGroupObjectPermission.objects.count() == records
    assert (
        CreditRecordGroupObjectPermission.objects.filter(
            permission__codename=services.RECORD_PERM,
            group=F("content_object__source_department__group"),
        ).count()
        == records
    )
    rng = random.Random(1)
    court = Department.objects.get(code="COURT-110000")
    for entity in rng.sample(list(MarketEntity.objects.all()), 10):
        assert services.department_owns(entity.registration_authority, services.ENTITY_PERM, entity)
        assert not services.department_owns(court, services.ENTITY_PERM, entity)
    for record in rng.sample(list(CreditRecord.objects.select_related("source_department")), 10):
        assert services.department_owns(record.source_department, services.RECORD_PERM, record)


def test_seeding_writes_one_job_level_audit_event(seeded):
    event = AuditEvent.objects.get(action="demo.seed")
    assert event.after["entities"] == N
    assert event.after["records"] == CreditRecord.objects.count()
    assert event.after["persons"] == Person.objects.count()
    assert event.after["decisions"] == Decision.objects.count()
    assert not AuditEvent.objects.filter(
        action__in=["entity.register", "record.create", "decision.record", "decision.publish"]
    ).exists()
    assert "demo data loaded" in seeded


def schema() -> list[tuple[str, str]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = ANY(%s::regclass[]) UNION ALL "
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) ORDER BY 1, 2",
            [list(LOADED_TABLES), list(LOADED_TABLES)],
        )
        return cursor.fetchall()


def test_schema_is_restored_after_the_bulk_load(db):
    """The loader drops foreign keys and plain indexes while copying; all must come back."""
    from django.db import transaction
    from django.db.utils import InternalError

    before = schema()
    seed(entities=30)
    assert schema() == before
    assert any(name == "entity_search_trgm" for name, _d in before)
    # The append-only trigger still guards the ledger.
    with pytest.raises(InternalError), transaction.atomic():
        CreditRecord.objects.filter(pk=CreditRecord.objects.first().pk).update(title="x")


def test_a_second_run_changes_nothing(seeded):
    def counts() -> tuple[int, ...]:
        return tuple(
            model.objects.count()
            for model in (
                MarketEntity,
                CreditRecord,
                Person,
                Decision,
                PublicityWindow,
                DepartmentAlert,
                AuditEvent,
            )
        )

    before = counts()
    output = seed(seed=SEED + 1)
    assert counts() == before
    assert "no demo data was loaded" in output


def test_existing_departments_are_reused(samr, tax):
    seed(entities=20)
    assert Department.objects.filter(code="SAMR-110000").count() == 1
    assert Department.objects.get(code="SAMR-110000").pk == samr.pk
    assert Department.objects.filter(code__in=[s.code for s in department_specs()]).count() == (
        len(department_specs())
    )
    beijing = MarketEntity.objects.filter(region__startswith="11")
    assert all(e.registration_authority_id == samr.pk for e in beijing)


# --- decisions (issue 3: published on time, late and not yet) -------------------------------
def as_of() -> dt.date:
    return min(DEMO_AS_OF, timezone.localdate())


def local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def outcome(decision: Decision) -> str:
    if decision.status == "withdrawn":
        return "withdrawn"
    if decision.status == "recorded":
        return "overdue" if decision.publicity_due < as_of() else "awaiting"
    return "on_time" if local_day(decision.published_at) <= decision.publicity_due else "late"


@pytest.fixture
def decisions(seeded) -> list[Decision]:
    return list(
        Decision.objects.select_related("department", "entity", "record__window").order_by("pk")
    )


def test_decisions_of_all_ten_kinds_pass_the_services_checks(decisions):
    assert {d.kind for d in decisions} == set(Decision.Kind.values)
    assert 1.0 * N <= len(decisions) <= 2.0 * N
    kinds = Counter(d.kind for d in decisions)
    assert kinds["licence"] + kinds["penalty"] > len(decisions) / 2  # mostly the two
    specs = {spec.code: spec for spec in department_specs()}
    first = decisions_from(as_of())
    for d in decisions:
        services.decision_check(
            kind=d.kind,
            severity=d.severity,
            decision_date=d.decision_date,
            document_number=d.document_number,
            title=d.title,
            penalty_type=d.penalty_type,
            penalty_amount=d.penalty_amount,
        )
        assert first <= d.decision_date <= as_of()
        # The department of that kind in the entity's province, and its document number style:
        # 京市监罚〔2025〕123号.
        assert d.department.code.endswith("-" + d.entity.region[:2] + "0000")
        spec = specs[d.department.code]
        assert d.document_number.startswith(spec.doc_abbr)
        assert f"〔{d.decision_date.year}〕" in d.document_number
        assert d.document_number.endswith("号")
        if d.kind == "penalty":
            if d.penalty_type == "warning":
                assert d.penalty_amount is None
            elif d.penalty_type != "revocation":  # a revoked business licence may carry no fine
                assert d.penalty_amount > 0
    assert len({(d.department_id, d.kind, d.document_number) for d in decisions}) == len(decisions)
    penalties = [d for d in decisions if d.kind == "penalty"]
    assert {d.severity for d in penalties} == {"warning", "minor", "general", "serious"}
    assert {"warning", "fine", "restriction"} <= {d.penalty_type for d in penalties}


def test_due_dates_equal_publicity_due_for(decisions):
    due_for: dict[dt.date, tuple[dt.date, bool]] = {}
    for d in decisions:
        if d.decision_date not in due_for:
            due_for[d.decision_date] = services.publicity_due_for(d.decision_date)
        assert (d.publicity_due, d.publicity_due_provisional) == due_for[d.decision_date], d.pk


def test_outcomes_and_overdue_flags_as_the_hourly_job_leaves_them(decisions):
    shares = Counter(outcome(d) for d in decisions)
    assert set(shares) == {"on_time", "late", "awaiting", "overdue", "withdrawn"}
    total = len(decisions)
    assert shares["on_time"] > 0.6 * total
    assert 0.04 * total < shares["late"] < 0.2 * total
    assert 0.03 * total < shares["awaiting"] + shares["overdue"] < 0.15 * total
    assert 0.01 * total < shares["withdrawn"] < 0.1 * total
    alerts = {a.decision_id: a for a in DepartmentAlert.objects.all()}
    for d in decisions:
        kind = outcome(d)
        flagged = kind in ("late", "overdue")
        assert (d.pk in alerts) == flagged, d.pk
        if flagged:
            alert = alerts[d.pk]
            assert alert.kind == "publicity_overdue" and alert.department_id == d.department_id
            assert local_day(alert.created_at) > d.publicity_due
            assert alert.resolved_at == d.published_at  # open while unpublished
        if kind in ("awaiting", "overdue"):
            assert d.published_at is None and d.record_id is None
        else:
            assert d.decision_date <= local_day(d.published_at) <= as_of()
            assert d.created_at <= d.published_at
    # Nothing left for the hourly job: every overdue decision is flagged already.
    assert services.publicity_flag_overdue(today=as_of()) == 0
    open_alerts = DepartmentAlert.objects.filter(resolved_at__isnull=True).count()
    assert open_alerts == shares["overdue"]


def test_published_decisions_have_their_record_and_window_by_the_rules(decisions):
    rules = {rule.severity: rule for rule in PublicityRule.objects.all()}
    for d in decisions:
        if d.status == "recorded":
            continue
        record, rule = d.record, rules[d.severity]
        item = CatalogueItem.objects.get(pk=record.catalogue_item_id)
        assert item.code == services.DECISION_CATALOGUE[d.kind]
        assert (record.entity_id, record.source_department_id) == (d.entity_id, d.department_id)
        assert (record.title, record.document_number, record.severity) == (
            d.title,
            d.document_number,
            d.severity,
        )
        assert record.action == "original" and record.published_at == d.published_at
        assert record.decision_date == d.decision_date
        public = item.publicity_scope == "public" and rule.published and d.severity != "warning"
        assert record.scope == ("public" if public else "shared"), d.pk
        window = getattr(record, "window", None)
        assert (window is not None) == public
        if window is None:
            continue
        shown = local_day(d.published_at)
        assert window.shown_from == d.published_at
        assert window.restoration_from == (
            services.add_months(shown, rule.min_months) if rule.min_months else None
        )
        assert window.shown_until == (
            services.add_months(shown, rule.max_months) if rule.max_months else None
        )
        if window.shown_until is not None and window.shown_until < as_of():
            assert window.stopped_at is not None  # expired, unless withdrawn before
        if window.stop_reason == "expired":
            assert local_day(window.stopped_at) == window.shown_until + dt.timedelta(days=1)
        assert window.restoration_open == (
            window.restoration_from is not None
            and window.restoration_from <= as_of()
            and (
                window.stopped_at is None or local_day(window.stopped_at) >= window.restoration_from
            )
        )
    windows = PublicityWindow.objects.all()
    assert {w.stop_reason for w in windows} == {"", "expired", "withdrawn"}
    assert windows.filter(restoration_open=True, stopped_at__isnull=True).exists()
    # Nothing left for the nightly job either.
    assert services.publicity_windows_close(today=as_of()) == {"expired": 0, "restoration_open": 0}


def test_withdrawn_decisions_are_written_as_decision_change_writes_them(decisions):
    withdrawn = [d for d in decisions if d.status == "withdrawn"]
    assert withdrawn
    within = services.publicity_config().withdraw_within
    for d in withdrawn:
        assert d.change in Decision.Change.values and d.change_reason
        assert d.published_at < d.changed_at == d.withdrawn_at
        assert local_day(d.changed_at) <= as_of()
        assert d.withdrawal_due == add_working_days(local_day(d.changed_at), within).value
        revocation = CreditRecord.objects.get(supersedes=d.record)
        assert revocation.action == "revocation" and revocation.reason == d.change_reason
        assert revocation.created_at == d.changed_at and revocation.published_at is None
        window = getattr(d.record, "window", None)
        if window is not None:
            assert window.stopped_at is not None
            assert window.stopped_at == d.changed_at or window.stop_reason == "expired"
    assert {d.change for d in withdrawn} >= {"revoked", "changed"}


def test_the_public_sees_only_published_public_decisions_on_display(decisions):
    today = timezone.localdate()

    def on_display(d: Decision) -> bool:
        if d.status != "published" or d.record.scope != "public":
            return False
        window = getattr(d.record, "window", None)
        return window is None or (
            window.stopped_at is None
            and (window.shown_until is None or window.shown_until >= today)
        )

    visible = set(selectors.decisions_visible(ANONYMOUS).values_list("pk", flat=True))
    assert visible == {d.pk for d in decisions if on_display(d)}
    hidden = [d for d in decisions if d.pk not in visible]
    assert visible and hidden
    assert {outcome(d) for d in hidden} >= {"awaiting", "overdue", "withdrawn"}
    assert any(
        getattr(d.record, "window", None) and d.record.window.stop_reason == "expired"
        for d in hidden
    )
    assert any(d.severity == "warning" and d.status == "published" for d in hidden)
    for d in decisions:
        if d.pk in visible:
            window = getattr(d.record, "window", None)
            assert d.status == "published" and (window is None or window.stopped_at is None)
    # Their records likewise: a withdrawn decision's record and its revocation are not shown.
    shown_records = set(selectors.records_visible(ANONYMOUS).values_list("pk", flat=True))
    for d in hidden:
        assert d.record_id not in shown_records
    assert {d.record_id for d in decisions if d.pk in visible} <= shown_records


def test_every_decision_is_managed_by_its_department_only(decisions):
    court = Department.objects.get(code="COURT-440000")
    for d in random.Random(2).sample(decisions, 10):
        assert services.department_manages_decision(d.department, d)
        assert not services.department_manages_decision(court, d)


def test_the_loaded_decisions_are_the_generators(decisions):
    """Determinism end to end: the database holds exactly what the pure generator yields (the
    shipped catalogue, rules and calendar equal the database's defaults)."""
    *_rest, generated, _windows = flatten(generate(entities=N, seed=SEED, as_of=as_of()))

    def key(d) -> tuple:
        return (
            d.uscc if hasattr(d, "uscc") else d.entity_id,
            d.kind,
            d.document_number,
            d.decision_date,
            d.publicity_due,
            d.status,
            d.published_at,
            d.changed_at,
        )

    assert sorted(map(key, decisions)) == sorted(map(key, generated))


def test_the_loader_reads_the_publicity_rules_from_the_database(db):
    PublicityRule.objects.filter(severity="general").update(min_months=6, max_months=24)
    seed(entities=80)
    windows = PublicityWindow.objects.filter(record__severity="general").select_related("record")
    assert windows
    for window in windows:
        shown = local_day(window.shown_from)
        assert window.restoration_from == services.add_months(shown, 6)
        assert window.shown_until == services.add_months(shown, 24)


# --- the pure generator ---------------------------------------------------------------------
def flatten(chunks) -> tuple[list, list, list, list, list, list]:
    chunks = list(chunks)
    return (
        [e for c in chunks for e in c.entities],
        [p for c in chunks for p in c.persons],
        [r for c in chunks for r in c.roles],
        [r for c in chunks for r in c.records],
        [d for c in chunks for d in c.decisions],
        [w for c in chunks for w in c.windows],
    )


def test_generator_is_deterministic_whatever_the_chunk_size():
    first = flatten(generate(entities=150, seed=SEED))
    again = flatten(generate(entities=150, seed=SEED, chunk_size=7))
    assert first == again
    assert first[4] and first[5]  # decisions and windows take part
    other = flatten(generate(entities=150, seed=SEED + 1))
    assert {e.uscc for e in first[0]}.isdisjoint({e.uscc for e in other[0]})
    assert [e.name for e in first[0]] != [e.name for e in other[0]]


def test_generator_never_dates_beyond_as_of():
    as_of = dt.date(2024, 3, 1)
    entities, _persons, roles, records, decisions, windows = flatten(
        generate(entities=150, seed=SEED, as_of=as_of)
    )
    last = dt.datetime.combine(as_of, dt.time(23, 59), tzinfo=TZ)
    assert all(e.established <= as_of for e in entities)
    assert all((e.deregistered or as_of) <= as_of for e in entities)
    assert all(r.since <= as_of and (r.until or as_of) <= as_of for r in roles)
    assert all(r.decision_date <= as_of and r.recorded_at <= last for r in records)
    assert all(r.published_at is None or r.published_at <= last for r in records)
    # Decisions run over the year before an as-of date earlier than 2026.
    assert decisions and {d.decision_date.year for d in decisions} == {2023, 2024}
    for d in decisions:
        assert d.decision_date <= as_of and d.recorded_at <= last
        for moment in (d.published_at, d.flagged_at, d.changed_at, d.withdrawn_at):
            assert moment is None or moment <= last
    assert all(w.stopped_at is None or w.stopped_at <= last for w in windows)


def test_generator_follows_an_edited_catalogue():
    """Scopes and severities come from the catalogue passed in (administrators edit it)."""
    catalogue = default_catalogue()
    catalogue["CF"] = CatalogueRule("authorised", ("general", "serious"))
    del catalogue["JC"]
    *_rest, records, decisions, windows = flatten(
        generate(entities=150, seed=SEED, catalogue=catalogue)
    )
    penalties = [r for r in records if r.catalogue == "CF"]
    assert penalties and all(r.scope == "authorised" for r in penalties)
    assert all(r.severity in ("general", "serious") for r in penalties)
    assert all(d.severity in ("general", "serious") for d in decisions if d.kind == "penalty")
    # Authorised records are not shown publicly: no publicity window.
    assert not {r.ordinal for r in penalties} & {w.record for w in windows}
    assert not any(r.catalogue == "JC" for r in records)
    assert not any(d.kind == "inspection" for d in decisions)


def test_generator_follows_edited_publicity_rules_and_deadlines():
    rules = dict(default_publicity().rules)
    rules["general"] = PublicityTerms(True, 6, 24)
    rules["minor"] = PublicityTerms(False, None, None)
    policy = PublicityPolicy(rules, publish_within=5, withdraw_within=2)
    calendar = WorkingDays.from_library()
    *_rest, records, decisions, windows = flatten(
        generate(entities=150, seed=SEED, publicity=policy, calendar=calendar)
    )
    by_ordinal = {r.ordinal: r for r in records}
    for d in decisions:
        assert (d.publicity_due, d.publicity_due_provisional) == calendar.add(d.decision_date, 5)
        if d.withdrawal_due is not None:
            assert d.withdrawal_due == calendar.add(d.changed_at.date(), 2)[0]
        if d.record is not None and d.severity == "minor":
            assert by_ordinal[d.record].scope == "shared"  # not published by the edited rule
    general = [w for w in windows if by_ordinal[w.record].severity == "general"]
    assert general
    for window in general:
        shown = window.shown_from.date()
        assert window.restoration_from == services.add_months(shown, 6)
        assert window.shown_until == services.add_months(shown, 24)


def test_due_dates_in_a_year_without_a_holiday_notice_are_provisional():
    library = WorkingDays.from_library()
    calendar = WorkingDays(library.exceptions, library.published_years - {2026})
    *_rest, decisions, _windows = flatten(generate(entities=100, seed=SEED, calendar=calendar))
    assert decisions
    for d in decisions:
        assert d.publicity_due_provisional == (d.publicity_due.year == 2026)
    assert calendar.gaps == {2026}


def test_every_catalogue_item_the_generator_uses_exists():
    codes = set(CatalogueItem.objects.values_list("code", flat=True))
    assert {code for code, _w, _k in RECORD_KINDS} <= codes
    # Every decision kind, and only decision kinds, come from decisions.
    assert {code for code, _w, _k in DECISION_KINDS} == DECISION_CODES
    assert not {code for code, _w, _k in RECORD_KINDS} & DECISION_CODES


def test_the_library_calendar_agrees_with_the_database_one():
    """The pure generator's default calendar is the one the calendar migration loads."""
    first, last = dt.date(2024, 12, 1), dt.date(2026, 12, 31)
    library = WorkingDays.from_library()
    database = WorkingDays.from_database(first, last)
    day = first
    while day <= dt.date(2026, 11, 30):
        assert library.add(day, 7) == database.add(day, 7), day
        day += dt.timedelta(days=1)


def test_region_table_holds_only_current_county_level_codes():
    for county in counties():
        assert len(county.code) == 6 and county.code[4:] != "00"
        assert not county.name.startswith("[") and county.name != "市辖区"
        assert uscc_codes.region(county.code).name == county.name


# --- demo_users --------------------------------------------------------------------------------
@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


def demo_users() -> str:
    out = io.StringIO()
    call_command("demo_users", stdout=out)
    return out.getvalue()


def token_client(token: str) -> ApiClient:
    """The API client the token signs in as: the API accepts it (through the project's token
    authentication, which stamps the client's last use) and its stored hash names the client."""
    response = Client().get("/api/v1/departments/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200, response.content
    client = ApiClient.objects.get(token_hash=token_hash(token))
    assert client.last_used_at is not None
    return client


def test_demo_users_are_idempotent_and_their_token_authenticates(seeded, var_dir):
    first = demo_users()
    users = set(get_user_model().objects.values_list("username", "password"))
    second = demo_users()
    assert set(get_user_model().objects.values_list("username", "password")) == users
    assert first == second
    assert ApiClient.objects.filter(active=True).count() == 1

    token = (var_dir / DEMO_TOKEN_FILE).read_text().strip()
    assert token in first
    client = token_client(token)
    assert client.active and viewer_for(client.user).department.code == "SAMR-110000"


def test_demo_users_have_their_roles(seeded, var_dir):
    output = demo_users()
    User = get_user_model()
    expected = {
        "admin": Role.PLATFORM_ADMIN,
        "samr-staff": Role.DEPARTMENT_STAFF,
        "samr-head": Role.DEPARTMENT_HEAD,
        "tax-staff": Role.DEPARTMENT_STAFF,
        "entity-demo": Role.ENTITY_USER,
    }
    for username, role in expected.items():
        user = User.objects.get(username=username)
        assert viewer_for(user).role == role, username
        assert user.check_password(DEMO_PASSWORD)
        assert username in output
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.groups.filter(name="platform_admin").exists()
    assert viewer_for(User.objects.get(username="tax-staff")).department.code == "TAX-110000"
    account = EntityAccount.objects.get(user__username="entity-demo")
    assert account.entity.records.exists() and account.entity_id in output
    assert "credit-demo-2026" in output


def test_a_lost_token_file_rotates_the_demo_client(seeded, var_dir):
    demo_users()
    old = ApiClient.objects.get(active=True)
    (var_dir / DEMO_TOKEN_FILE).unlink()
    demo_users()
    new = ApiClient.objects.get(active=True)
    assert new.pk != old.pk
    old.refresh_from_db()
    assert not old.active
    token = (var_dir / DEMO_TOKEN_FILE).read_text().strip()
    assert token_client(token) == new


def test_demo_users_work_before_any_demo_data(db, var_dir, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "another-secret-1")
    output = demo_users()
    assert "seed_demo" in output and "another-secret-1" in output
    assert get_user_model().objects.get(username="samr-staff").check_password("another-secret-1")
    assert not EntityAccount.objects.exists()
