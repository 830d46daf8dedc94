"""The entity page's version from one read (issue 17): PostgreSQL bumps the standing summary's
``page_version`` in the statement that writes anything the page shows (registry.page_versions),
whoever writes it (a service, the admin, a bulk job), so a cached page is exact."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from discipline.tests import factories as discipline_factories
from disclosure import selectors
from objections import services as objection_services
from registry import services
from registry.models import CreditRecord, Decision, EntityStanding, Person, PublicityWindow
from registry.tests import factories

from .util import decide

pytestmark = pytest.mark.django_db


def version(entity) -> str:
    return selectors.entity_page_version(entity.uscc).version


def moves(entity, write) -> bool:
    before = version(entity)
    write()
    return version(entity) != before


def test_the_version_is_one_indexed_read(entity, samr_staff, django_assert_num_queries):
    decide(samr_staff, entity, publish=True)
    with django_assert_num_queries(1):
        selectors.entity_page_version(entity.uscc)


def test_every_writer_of_what_the_page_shows_moves_the_version(samr, samr_staff, entity):
    decision = decide(samr_staff, entity)
    assert moves(
        entity, lambda: services.decision_publish(actor=samr_staff, decision_id=decision.pk)
    )
    window = PublicityWindow.objects.get(record__decision=decision)
    # The nightly close, and anything else that writes the table directly.
    assert moves(
        entity,
        lambda: PublicityWindow.objects.filter(pk=window.pk).update(stopped_at=timezone.now()),
    )
    assert moves(entity, lambda: Decision.objects.filter(pk=decision.pk).update(title="改名"))
    assert moves(entity, lambda: factories.record(by=samr_staff, ent=entity, title="新记录"))
    person = services.person_register(actor=samr_staff, name="张三", id_number="11010519491231002X")
    assert moves(
        entity,
        lambda: services.entity_role_assign(
            actor=samr_staff, uscc=entity.uscc, person=person, kind="legal_representative"
        ),
    )
    assert moves(entity, lambda: Person.objects.filter(pk=person.pk).update(name="张叁"))
    assert moves(
        entity, lambda: services.entity_update(actor=samr_staff, uscc=entity.uscc, name="新名称")
    )
    rule = discipline_factories.rule(samr, code="V-1")
    assert moves(
        entity, lambda: discipline_factories.listed(by=samr_staff, entity=entity, rule=rule)
    )
    assert moves(
        entity,
        lambda: objection_services.objection_file(
            actor=None,
            uscc=entity.uscc,
            target_kind="decision",
            target_id=decision.pk,
            grounds="该处罚决定已被复议机关撤销。",
            filer_name="李四",
            filer_contact="13800000000",
        ),
    )


def test_a_write_elsewhere_leaves_the_version(samr_staff, entity):
    other = factories.entity(by=samr_staff, name="另一家公司")
    assert not moves(entity, lambda: factories.record(by=samr_staff, ent=other))


def test_one_statement_bumps_each_entity_once_and_leaves_the_standing_alone(samr_staff, entity):
    other = factories.entity(by=samr_staff, name="另一家公司")
    services.standing_update(actor=samr_staff, uscc=entity.uscc, grade="B")
    standing = EntityStanding.objects.get(entity=entity)
    template = factories.record(by=samr_staff, ent=entity)
    counters = dict(EntityStanding.objects.values_list("entity_id", "page_version"))
    rows = [
        CreditRecord(
            entity=ent,
            catalogue_item=template.catalogue_item,
            source_department=template.source_department,
            scope=template.scope,
            title=f"批量{n}",
        )
        for n, ent in enumerate([entity, entity, entity, other, other])
    ]
    CreditRecord.objects.bulk_create(rows)  # one INSERT statement
    after = dict(EntityStanding.objects.values_list("entity_id", "page_version"))
    assert after[entity.uscc] == counters[entity.uscc] + 1
    assert after[other.uscc] == counters.get(other.uscc, 0) + 1
    bumped = EntityStanding.objects.get(entity=entity)
    assert (bumped.grade, bumped.updated_at) == ("B", standing.updated_at)
    # A standing row made by a bump says nothing against the entity, like no row at all.
    made = EntityStanding.objects.get(entity=other)
    assert not (made.punishment_listed or made.attention_listed or made.red_listed or made.grade)


@pytest.mark.parametrize(
    ("table", "operations"),
    [
        ("registry_marketentity", {"UPDATE"}),
        ("registry_person", {"UPDATE"}),
        ("registry_entityrole", {"INSERT", "UPDATE", "DELETE"}),
        ("registry_creditrecord", {"INSERT"}),  # append-only
        ("registry_decision", {"INSERT", "UPDATE", "DELETE"}),
        ("registry_publicitywindow", {"INSERT", "UPDATE", "DELETE"}),
        ("commitments_commitment", {"INSERT", "UPDATE", "DELETE"}),
        ("commitments_voluntarydisclosure", {"INSERT", "UPDATE", "DELETE"}),
        ("discipline_listing", {"INSERT", "UPDATE", "DELETE"}),
        ("objections_objectioneffect", {"INSERT", "UPDATE", "DELETE"}),
    ],
)
def test_each_table_the_page_shows_has_its_statement_triggers(table, operations):
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT event_manipulation FROM information_schema.triggers
            WHERE event_object_table = %s AND trigger_name LIKE 'pgtrigger_%%_page_%%'
              AND action_orientation = 'STATEMENT' AND action_timing = 'AFTER'
            """,
            [table],
        )
        assert {row[0] for row in cursor.fetchall()} == operations


def test_publishing_grades_changes_the_version_read_at_once(entity):
    from ratings import services as rating_services

    before = selectors.entity_page_version(entity.uscc)
    rating_services.rating_config_set(
        actor=factories.platform_admin(),
        public_grades=not before.grades_public,
        chunk_size=50_000,
    )
    after = selectors.entity_page_version(entity.uscc)
    assert after.grades_public is not before.grades_public  # no cache between: read with it
