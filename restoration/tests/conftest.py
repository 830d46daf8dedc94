"""Restoration test data: a serious penalty published long enough ago to be restorable, a
listing resting on it with a measure the tax department implements, the published
restoration commitment template and the market regulator's head (four eyes)."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from commitments import services as commitment_services
from discipline.tests import factories as discipline_factories
from registry import services as registry_services
from registry.models import PublicityWindow
from registry.tests import factories as registry_factories
from restoration import services

SERIAL = itertools.count(1)
# The smallest files of each kind that ``filetype`` recognises by their first bytes.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "receipt.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def penalty(by, entity, *, severity: str = "serious", title: str = "虚假宣传", **fields):
    made = registry_services.decision_record(
        actor=by,
        uscc=entity.uscc,
        kind="penalty",
        document_number=f"京市监罚〔2026〕{next(SERIAL)}号",
        decision_date=fields.pop("decision_date", days(-400)),
        title=title,
        severity=severity,
        penalty_type=fields.pop("penalty_type", "fine"),
        penalty_amount=200000,
        **fields,
    )
    return registry_services.decision_publish(actor=by, decision_id=made.pk)


def restorable_from(decision, day: datetime.date) -> None:
    """Move the window's minimum (as if published long ago): windows are not the ledger."""
    PublicityWindow.objects.filter(record_id=decision.record_id).update(restoration_from=day)


@pytest.fixture
def samr_head(samr):
    return registry_factories.staff(samr, role="head", username="samr-head")


@pytest.fixture
def template(db):
    admin = registry_factories.platform_admin()
    made = commitment_services.template_create(
        actor=admin,
        kind="restoration",
        title="信用修复承诺书",
        text="本单位已纠正失信行为、消除不良影响，承诺今后守法诚信经营。",
    )
    return commitment_services.template_publish(actor=admin, template_id=made.pk)


@pytest.fixture
def decision(samr_staff, entity):
    made = penalty(samr_staff, entity)
    restorable_from(made, days(-1))
    return made


@pytest.fixture
def fulfilled(samr_staff, decision):
    return registry_services.decision_fulfilment_record(
        actor=samr_staff, decision_id=decision.pk, note="罚款已缴清"
    )


@pytest.fixture
def tax_measure(tax):
    return discipline_factories.measure(tax, code="M-TAX-1", name="限制发票领用")


@pytest.fixture
def listing(samr, samr_staff, entity, decision, tax_measure):
    rule = discipline_factories.rule(samr, code="SAMR-SERIOUS", restoration_after_months=0)
    basis = {**discipline_factories.basis("penalty"), "decision_id": decision.pk}
    return discipline_factories.listed(by=samr_staff, entity=entity, rule=rule, bases=[basis])


def apply(user, *items: str, template, proof=(), **fields):
    return services.restoration_apply(
        actor=user,
        items=list(items),
        correction=fields.pop("correction", "罚款已缴清，虚假宣传内容已全部撤下。"),
        commitment_template_id=template.pk,
        commitment_accepted=fields.pop("commitment_accepted", True),
        proof=list(proof),
        **fields,
    )


def approve(application, staff, head):
    services.restoration_accept(actor=staff, application_id=application.pk)
    services.restoration_propose(
        actor=staff, application_id=application.pk, outcome="approve", reasons="已纠正，符合条件"
    )
    return services.restoration_approve(actor=head, application_id=application.pk)
