"""The department's commitment pages: the queues, recording supply and fulfilment, and
verifying voluntary registrations; another department sees none of it."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from commitments import services
from commitments.models import Commitment, LicensingItem, VoluntaryDisclosure
from registry.tests import factories

pytestmark = pytest.mark.django_db
QUEUE = reverse("commitments-workbench:queue")
REGISTRATIONS = reverse("commitments-workbench:registrations")


@pytest.fixture
def accepted(samr, samr_staff, entity) -> Commitment:
    LicensingItem.objects.create(
        code="SP-001", name="食品经营许可", department=samr, missing_materials_allowed=True
    )
    admin = factories.platform_admin()
    draft = services.template_create(
        actor=admin, kind="missing_materials", title="容缺受理承诺书", text="……", item_code="SP-001"
    )
    services.template_publish(actor=admin, template_id=draft.pk)
    return services.commitment_make(
        actor=samr_staff,
        uscc=entity.uscc,
        kind="missing_materials",
        template_id=draft.pk,
        item_code="SP-001",
        materials=[("场所产权证明", timezone.localdate() + datetime.timedelta(days=7))],
    )


def test_queues_follow_the_commitment(client, samr_staff, accepted):
    client.force_login(samr_staff)
    assert accepted.number in client.get(QUEUE).content.decode()  # materials due
    assert accepted.number not in client.get(QUEUE, {"queue": "record"}).content.decode()
    detail = reverse("commitments-workbench:detail", args=[accepted.pk])
    material = accepted.materials.get()
    supply = reverse("commitments-workbench:supply", args=[accepted.pk, material.pk])
    assert client.post(supply).status_code == 302
    assert accepted.number not in client.get(QUEUE).content.decode()
    assert accepted.number in client.get(QUEUE, {"queue": "record"}).content.decode()
    fulfil = reverse("commitments-workbench:fulfilment", args=[accepted.pk])
    response = client.post(fulfil, {"fulfilment": "bogus"})
    assert response.status_code == 400
    assert client.post(fulfil, {"fulfilment": "full", "note": "已补齐"}).status_code == 302
    accepted.refresh_from_db()
    assert accepted.status == "fulfilled"
    assert "已履行" in client.get(detail).content.decode()


def test_a_breach_found_overnight_shows_in_the_breached_queue(client, samr_staff, accepted):
    services.commitment_deadlines_check(today=timezone.localdate() + datetime.timedelta(days=8))
    client.force_login(samr_staff)
    assert accepted.number in client.get(QUEUE, {"queue": "breached"}).content.decode()


def test_another_department_sees_none_of_it(client, tax_staff, accepted):
    client.force_login(tax_staff)
    assert accepted.number not in client.get(QUEUE).content.decode()
    detail = reverse("commitments-workbench:detail", args=[accepted.pk])
    assert client.get(detail).status_code == 404
    fulfil = reverse("commitments-workbench:fulfilment", args=[accepted.pk])
    assert client.post(fulfil, {"fulfilment": "none"}).status_code == 404
    accepted.refresh_from_db()
    assert accepted.status == "in_force"


def test_registrations_are_verified_or_rejected_with_a_reason(
    client, samr_staff, entity_user, entity, samr
):
    disclosure = services.disclosure_submit(
        actor=entity_user,
        uscc=entity.uscc,
        department_code=samr.code,
        kind="qualification",
        title="高新技术企业证书",
        content="GR202511000001",
        authenticity_committed=True,
        sharing_consented=True,
    )
    client.force_login(samr_staff)
    assert "高新技术企业证书" in client.get(REGISTRATIONS).content.decode()
    decide = reverse("commitments-workbench:decide", args=[disclosure.pk])
    response = client.post(decide, {"status": "rejected", "reason": ""}, follow=True)
    assert "请说明理由" in response.content.decode()
    disclosure.refresh_from_db()
    assert disclosure.status == "pending"
    client.post(decide, {"status": "verified"})
    disclosure.refresh_from_db()
    assert disclosure.status == VoluntaryDisclosure.Status.VERIFIED
    assert "高新技术企业证书" not in client.get(REGISTRATIONS).content.decode()


def test_entity_users_and_anonymous_stay_out(client, entity_user):
    assert client.get(QUEUE).status_code == 302
    client.force_login(entity_user)
    assert client.get(QUEUE).status_code == 403
