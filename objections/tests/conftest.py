"""Objection test data: a published serious penalty, a listing resting on it with a measure
the tax department implements, and the market regulator's head (four eyes)."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from discipline import services as discipline_services
from discipline.tests import factories as discipline_factories
from registry import services as registry_services
from registry.tests import factories as registry_factories

SERIAL = itertools.count(1)
# The smallest files of each kind that ``filetype`` recognises by their first bytes.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")


def pdf(name: str = "evidence.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture
def samr_head(samr):
    return registry_factories.staff(samr, role="head", username="samr-head")


@pytest.fixture
def decision(samr_staff, entity):
    made = registry_services.decision_record(
        actor=samr_staff,
        uscc=entity.uscc,
        kind="penalty",
        document_number=f"京市监罚〔2026〕{next(SERIAL)}号",
        decision_date=timezone.localdate() - datetime.timedelta(days=3),
        title="虚假宣传",
        severity="serious",
        penalty_type="fine",
        penalty_amount=200000,
    )
    return registry_services.decision_publish(actor=samr_staff, decision_id=made.pk)


@pytest.fixture
def tax_measure(tax):
    return discipline_factories.measure(tax, code="M-TAX-1", name="限制发票领用")


@pytest.fixture
def listing(samr, samr_staff, entity, decision, tax_measure):
    rule = discipline_factories.rule(samr, code="SAMR-SERIOUS")
    basis = {**discipline_factories.basis("penalty"), "decision_id": decision.pk}
    return discipline_factories.listed(by=samr_staff, entity=entity, rule=rule, bases=[basis])


@pytest.fixture
def ban(samr_staff, entity, listing):
    return discipline_services.access_ban_impose(
        actor=samr_staff,
        uscc=entity.uscc,
        field="food_drugs",
        listing_id=listing.pk,
        starts=timezone.localdate(),
        ends=timezone.localdate() + datetime.timedelta(days=365),
        reason="严重违法",
        legal_basis="食品安全法第一百三十五条",
    )
