"""The credit record is append-only (2019 No. 35, art. 17): the database refuses UPDATE and
DELETE, so corrections and revocations are new records that supersede old ones."""

from __future__ import annotations

import pytest
from django.db import InternalError, connection, transaction

from credit_portal.audit.models import AuditEvent
from credit_portal.errors import Conflict, PermissionDenied
from registry import selectors, services
from registry.models import CreditRecord
from registry.roles import ANONYMOUS
from registry.tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE registry_creditrecord SET title = 'tampered' WHERE id = %s",
        "DELETE FROM registry_creditrecord WHERE id = %s",
    ],
)
def test_raw_sql_update_or_delete_fails_at_the_database(entity, samr_staff, sql):
    record = factories.record(by=samr_staff, ent=entity)
    with pytest.raises(InternalError, match="Cannot"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql, [record.pk])
    record.refresh_from_db()
    assert not record.title.startswith("tampered")


def test_orm_update_and_delete_fail_too(entity, samr_staff):
    record = factories.record(by=samr_staff, ent=entity)
    with pytest.raises(InternalError), transaction.atomic():
        CreditRecord.objects.filter(pk=record.pk).update(title="x")
    with pytest.raises(InternalError), transaction.atomic():
        # Bypass the ORM's own PROTECT check: the database must refuse by itself.
        CreditRecord.objects.filter(pk=record.pk)._raw_delete(using="default")
    assert CreditRecord.objects.filter(pk=record.pk, title=record.title).exists()


def test_audit_trail_is_append_only_as_well(entity):
    event = AuditEvent.objects.latest("id")
    with pytest.raises(InternalError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="x")


def test_correction_supersedes_and_the_ledger_keeps_history(entity, samr_staff):
    original = factories.record(by=samr_staff, ent=entity, title="罚款五千元")
    corrected = services.credit_record_supersede(
        actor=samr_staff,
        record_id=original.pk,
        action="correction",
        reason="金额笔误",
        title="罚款五百元",
    )
    assert corrected.supersedes_id == original.pk
    assert [r.pk for r in selectors.entity_records(ANONYMOUS, entity)] == [corrected.pk]
    assert [r.pk for r in selectors.record_history(corrected)] == [original.pk, corrected.pk]
    assert AuditEvent.objects.filter(
        action="record.correction", target_id=str(corrected.pk), reason="金额笔误"
    ).exists()


def test_revocation_removes_the_record_from_every_view(entity, samr_staff):
    original = factories.record(by=samr_staff, ent=entity)
    services.credit_record_supersede(
        actor=samr_staff, record_id=original.pk, action="revocation", reason="决定被撤销"
    )
    assert selectors.entity_records(ANONYMOUS, entity) == []
    assert CreditRecord.objects.filter(entity=entity).count() == 2  # history kept


def test_a_record_is_superseded_once(entity, samr_staff):
    original = factories.record(by=samr_staff, ent=entity)
    services.credit_record_supersede(
        actor=samr_staff, record_id=original.pk, action="correction", reason="r", title="t2"
    )
    before = CreditRecord.objects.count()
    with pytest.raises(Conflict):
        services.credit_record_supersede(
            actor=samr_staff, record_id=original.pk, action="revocation", reason="r"
        )
    assert CreditRecord.objects.count() == before


def test_another_department_cannot_supersede(entity, samr_staff, tax_staff):
    original = factories.record(by=samr_staff, ent=entity)
    counts = (CreditRecord.objects.count(), AuditEvent.objects.count())
    with pytest.raises(PermissionDenied):
        services.credit_record_supersede(
            actor=tax_staff, record_id=original.pk, action="revocation", reason="not mine"
        )
    assert (CreditRecord.objects.count(), AuditEvent.objects.count()) == counts
