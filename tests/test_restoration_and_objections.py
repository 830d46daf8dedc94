"""Restoration and objections meet only through the kit (``credit_portal.holds``): an item an
open objection holds is not restored meanwhile, the objection may decide it otherwise; once
the objection is decided, restoration is open again."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from commitments import services as commitment_services
from credit_portal.errors import DomainError
from objections import services as objection_services
from registry import services as registry_services
from registry.models import PublicityWindow
from registry.tests import factories
from restoration import eligibility
from restoration import services as restoration_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(samr, samr_staff, entity, entity_user):
    head = factories.staff(samr, role="head", username="samr-head")
    made = registry_services.decision_record(
        actor=samr_staff,
        uscc=entity.uscc,
        kind="penalty",
        document_number="京市监罚〔2025〕5号",
        decision_date=timezone.localdate() - datetime.timedelta(days=400),
        title="虚假宣传",
        severity="serious",
        penalty_type="fine",
        penalty_amount=10000,
    )
    decision = registry_services.decision_publish(actor=samr_staff, decision_id=made.pk)
    PublicityWindow.objects.filter(record_id=decision.record_id).update(
        restoration_from=timezone.localdate()
    )
    registry_services.decision_fulfilment_record(actor=samr_staff, decision_id=decision.pk)
    admin = factories.platform_admin()
    template = commitment_services.template_create(
        actor=admin, kind="restoration", title="信用修复承诺书", text="……"
    )
    commitment_services.template_publish(actor=admin, template_id=template.pk)
    return decision, head, template


def _object(entity, decision):
    return objection_services.objection_file(
        actor=None,
        uscc=entity.uscc,
        target_kind="decision",
        target_id=decision.pk,
        grounds="处罚金额有误",
        filer_name="甲",
        filer_contact="1",
    ).case


def _apply(user, decision, template):
    return restoration_services.restoration_apply(
        actor=user,
        items=[f"record:{decision.record_id}"],
        correction="已缴清",
        commitment_template_id=template.pk,
        commitment_accepted=True,
    )


def test_an_item_under_objection_cannot_be_applied_for_until_it_is_decided(
    samr_staff, entity, entity_user, setting
):
    decision, head, template = setting
    objection = _object(entity, decision)
    [c] = eligibility.candidates(entity)
    assert not c.eligible and "objection" in c.reasons[0]
    with pytest.raises(DomainError) as raised:
        _apply(entity_user, decision, template)
    assert raised.value.code == "not_eligible"
    objection_services.objection_propose(
        actor=samr_staff, objection_id=objection.pk, outcome="rejected", reasons="金额无误"
    )
    objection_services.objection_approve(actor=head, objection_id=objection.pk)
    assert eligibility.candidates(entity)[0].eligible
    assert _apply(entity_user, decision, template)


def test_an_objection_filed_after_the_proposal_stops_the_approval(
    samr_staff, entity, entity_user, setting
):
    decision, head, template = setting
    [application] = _apply(entity_user, decision, template)
    restoration_services.restoration_accept(actor=samr_staff, application_id=application.pk)
    restoration_services.restoration_propose(
        actor=samr_staff, application_id=application.pk, outcome="approve", reasons="符合条件"
    )
    _object(entity, decision)
    with pytest.raises(DomainError) as raised:
        restoration_services.restoration_approve(actor=head, application_id=application.pk)
    assert "objection" in str(raised.value)
