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
from django.utils import timezone
from stdnum.cn import ric

from credit_portal.audit.models import AuditEvent
from registry import demo, names, personal, services
from registry import uscc as uscc_codes
from registry.api.authentication import ApiClientTokenAuthentication
from registry.models import (
    ApiClient,
    CatalogueItem,
    CreditRecord,
    CreditRecordGroupObjectPermission,
    Department,
    EntityAccount,
    EntityRole,
    MarketEntity,
    MarketEntityGroupObjectPermission,
    Person,
)
from registry.roles import Role, viewer_for

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
        assert demo.RECORDS_FROM <= record.decision_date <= today
        assert record.conduct_date is None or record.conduct_date <= record.decision_date
        assert record.created_at <= timezone.now()
        assert record.published_at is None or record.published_at <= timezone.now()
        assert (record.published_at is not None) == (record.scope == "public")
        assert record.source_department.code == demo.department_code(
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
    assert not AuditEvent.objects.filter(action__in=["entity.register", "record.create"]).exists()
    assert "demo data loaded" in seeded


def schema() -> list[tuple[str, str]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = ANY(%s::regclass[]) UNION ALL "
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) ORDER BY 1, 2",
            [list(demo.LOADED_TABLES), list(demo.LOADED_TABLES)],
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
    before = (
        MarketEntity.objects.count(),
        CreditRecord.objects.count(),
        Person.objects.count(),
        AuditEvent.objects.count(),
    )
    output = seed(seed=SEED + 1)
    after = (
        MarketEntity.objects.count(),
        CreditRecord.objects.count(),
        Person.objects.count(),
        AuditEvent.objects.count(),
    )
    assert after == before
    assert "no demo data was loaded" in output


def test_existing_departments_are_reused(samr, tax):
    seed(entities=20)
    assert Department.objects.filter(code="SAMR-110000").count() == 1
    assert Department.objects.get(code="SAMR-110000").pk == samr.pk
    assert Department.objects.filter(
        code__in=[s.code for s in demo.department_specs()]
    ).count() == (len(demo.department_specs()))
    beijing = MarketEntity.objects.filter(region__startswith="11")
    assert all(e.registration_authority_id == samr.pk for e in beijing)


# --- the pure generator ---------------------------------------------------------------------
def flatten(chunks) -> tuple[list, list, list, list]:
    chunks = list(chunks)
    return (
        [e for c in chunks for e in c.entities],
        [p for c in chunks for p in c.persons],
        [r for c in chunks for r in c.roles],
        [r for c in chunks for r in c.records],
    )


def test_generator_is_deterministic_whatever_the_chunk_size():
    first = flatten(demo.generate(entities=150, seed=SEED))
    again = flatten(demo.generate(entities=150, seed=SEED, chunk_size=7))
    assert first == again
    other = flatten(demo.generate(entities=150, seed=SEED + 1))
    assert {e.uscc for e in first[0]}.isdisjoint({e.uscc for e in other[0]})
    assert [e.name for e in first[0]] != [e.name for e in other[0]]


def test_generator_never_dates_beyond_as_of():
    as_of = dt.date(2024, 3, 1)
    entities, _persons, roles, records = flatten(
        demo.generate(entities=150, seed=SEED, as_of=as_of)
    )
    last = dt.datetime.combine(as_of, dt.time(23, 59), tzinfo=demo.TZ)
    assert all(e.established <= as_of for e in entities)
    assert all((e.deregistered or as_of) <= as_of for e in entities)
    assert all(r.since <= as_of and (r.until or as_of) <= as_of for r in roles)
    assert all(r.decision_date <= as_of and r.recorded_at <= last for r in records)
    assert all(r.published_at is None or r.published_at <= last for r in records)


def test_generator_follows_an_edited_catalogue():
    """Scopes and severities come from the catalogue passed in (administrators edit it)."""
    catalogue = demo.default_catalogue()
    catalogue["CF"] = demo.CatalogueRule("authorised", ("general", "serious"))
    del catalogue["JC"]
    *_rest, records = flatten(demo.generate(entities=150, seed=SEED, catalogue=catalogue))
    penalties = [r for r in records if r.catalogue == "CF"]
    assert penalties and all(r.scope == "authorised" for r in penalties)
    assert all(r.severity in ("general", "serious") for r in penalties)
    assert not any(r.catalogue == "JC" for r in records)


def test_every_catalogue_item_the_generator_uses_exists():
    codes = set(CatalogueItem.objects.values_list("code", flat=True))
    assert {code for code, _w, _k in demo.RECORD_KINDS} <= codes


def test_region_table_holds_only_current_county_level_codes():
    for county in demo.counties():
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


def test_demo_users_are_idempotent_and_their_token_authenticates(seeded, var_dir):
    first = demo_users()
    users = set(get_user_model().objects.values_list("username", "password"))
    second = demo_users()
    assert set(get_user_model().objects.values_list("username", "password")) == users
    assert first == second
    assert ApiClient.objects.filter(active=True).count() == 1

    token = (var_dir / demo.DEMO_TOKEN_FILE).read_text().strip()
    assert token in first
    user, client = ApiClientTokenAuthentication().authenticate_credentials(token)
    assert client.active and viewer_for(user).department.code == "SAMR-110000"


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
        assert user.check_password(demo.DEMO_PASSWORD)
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
    (var_dir / demo.DEMO_TOKEN_FILE).unlink()
    demo_users()
    new = ApiClient.objects.get(active=True)
    assert new.pk != old.pk
    old.refresh_from_db()
    assert not old.active
    token = (var_dir / demo.DEMO_TOKEN_FILE).read_text().strip()
    assert ApiClientTokenAuthentication().authenticate_credentials(token)[1] == new


def test_demo_users_work_before_any_demo_data(db, var_dir, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "another-secret-1")
    output = demo_users()
    assert "seed_demo" in output and "another-secret-1" in output
    assert get_user_model().objects.get(username="samr-staff").check_password("another-secret-1")
    assert not EntityAccount.objects.exists()
