"""Breaches (35/1): a missing material not supplied by its deadline breaches the commitment
once, found by the nightly job as the clock moves; a department recording "not kept" breaches
it too. Each breach writes exactly one negative credit record and an audit event."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from commitments import services, tasks
from commitments.models import Commitment, LicensingItem
from credit_portal.audit.models import AuditEvent
from registry import selectors
from registry.models import CreditRecord
from registry.roles import ANONYMOUS, viewer_for
from registry.tests import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def day(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def accepted(samr, samr_staff, entity) -> Commitment:
    item = LicensingItem.objects.create(
        code="SP-001", name="食品经营许可", department=samr, missing_materials_allowed=True
    )
    admin = factories.platform_admin()
    template = services.template_create(
        actor=admin, kind="missing_materials", title="容缺受理承诺书", text="……", item_code="SP-001"
    )
    services.template_publish(actor=admin, template_id=template.pk)
    return services.commitment_make(
        actor=samr_staff,
        uscc=entity.uscc,
        kind="missing_materials",
        template_id=template.pk,
        item_code=item.code,
        materials=[("场所产权证明", day(10)), ("健康证明", day(20))],
    )


def breach_records(entity) -> list[CreditRecord]:
    return list(CreditRecord.objects.filter(entity=entity, catalogue_item__code="WY"))


def test_a_missed_deadline_breaches_once_as_the_clock_moves(accepted, entity, samr_staff):
    assert services.commitment_deadlines_check(today=day(10)) == 0  # the last day itself
    assert services.commitment_deadlines_check(today=day(11)) == 1
    assert services.commitment_deadlines_check(today=day(12)) == 0  # idempotent
    accepted.refresh_from_db()
    assert accepted.status == "breached" and accepted.breached_at is not None
    [record] = breach_records(entity)
    assert accepted.breach_record == record
    assert record.catalogue_item.polarity == "negative"
    assert record.source_department == accepted.department
    assert record.document_number == accepted.number
    assert "未履行信用承诺" in record.title
    assert AuditEvent.objects.filter(action="commitment.deadlines_check").count() == 1
    # The record is part of the credit record, public as the catalogue says.
    assert record in selectors.entity_records(ANONYMOUS, entity)
    assert record in selectors.entity_records(viewer_for(samr_staff), entity)


def test_supplied_materials_do_not_breach(accepted, samr_staff):
    for material in accepted.materials.all():
        services.material_supply(actor=samr_staff, material_id=material.pk)
    assert services.commitment_deadlines_check(today=day(30)) == 0
    accepted.refresh_from_db()
    assert accepted.status == "in_force"


def test_one_supplied_one_missed_still_breaches(accepted, entity, samr_staff):
    first = accepted.materials.order_by("deadline").first()
    services.material_supply(actor=samr_staff, material_id=first.pk)
    assert services.commitment_deadlines_check(today=day(11)) == 0
    assert services.commitment_deadlines_check(today=day(21)) == 1
    assert len(breach_records(entity)) == 1


def test_kept_commitments_are_never_breached_by_the_job(accepted, samr_staff):
    for material in accepted.materials.all():
        services.material_supply(actor=samr_staff, material_id=material.pk)
    services.commitment_fulfilment_record(
        actor=samr_staff, commitment_id=accepted.pk, fulfilment="full"
    )
    assert services.commitment_deadlines_check(today=day(100)) == 0


def test_recording_not_kept_writes_the_record_once(accepted, entity, samr_staff):
    services.commitment_fulfilment_record(
        actor=samr_staff, commitment_id=accepted.pk, fulfilment="none", note="未按期补正"
    )
    assert len(breach_records(entity)) == 1
    assert services.commitment_deadlines_check(today=day(30)) == 0  # already breached
    assert len(breach_records(entity)) == 1
    accepted.refresh_from_db()
    assert accepted.breach_record.content.endswith("未按期补正")


def test_the_task_calls_the_service(accepted, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: day(11))
    assert tasks.commitment_deadlines_check() == 1
    assert tasks.commitment_deadlines_check() == 0


def test_selectors_for_the_apps_above(accepted, entity, samr_staff, entity_user, samr):
    from commitments import selectors

    assert list(selectors.breaches()) == []
    services.commitment_deadlines_check(today=day(11))
    assert list(selectors.breaches()) == [accepted]
    assert list(selectors.breaches(since=timezone.now() + datetime.timedelta(hours=1))) == []
    assert [c.status for c in selectors.fulfilment_history(entity)] == ["breached"]
    # Only voluntary public commitments are public.
    assert list(selectors.public_commitments(entity)) == []
    admin = factories.platform_admin()
    template = services.template_create(
        actor=admin, kind="voluntary", title="主动公示型承诺书", text="……"
    )
    services.template_publish(actor=admin, template_id=template.pk)
    voluntary = services.commitment_make(
        actor=entity_user,
        uscc=entity.uscc,
        kind="voluntary",
        template_id=template.pk,
        department_code=samr.code,
    )
    assert list(selectors.public_commitments(entity)) == [voluntary]
    assert template in selectors.published_templates()
