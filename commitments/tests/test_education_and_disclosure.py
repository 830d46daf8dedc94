"""Integrity education is free and never a condition of access (35/2); voluntarily registered
information counts only once a department has verified it (35/5)."""

from __future__ import annotations

import importlib
import inspect
import itertools
import pkgutil

import pytest
from django.utils import timezone

from commitments import selectors, services, transitions
from commitments.models import EducationAttendance, EducationSession, VoluntaryDisclosure
from credit_portal.audit.models import AuditEvent
from credit_portal.errors import DomainError, PermissionDenied
from registry.tests import factories

pytestmark = pytest.mark.django_db
V = VoluntaryDisclosure.Status


# --- integrity education ------------------------------------------------------------------------
def test_attendance_is_recorded_once_and_costs_nothing(samr_staff, entity):
    session = services.education_session_create(
        actor=samr_staff, title="企业诚信经营培训", mode="online", starts_at=timezone.now()
    )
    for _ in range(2):
        services.education_attendance_record(
            actor=samr_staff, session_id=session.pk, uscc=entity.uscc, attendee="张三"
        )
    assert EducationAttendance.objects.count() == 1
    assert AuditEvent.objects.filter(action="education.attendance").count() == 1
    # There is nothing to pay: no fee, price or payment anywhere in the model.
    names = {f.name for m in (EducationSession, EducationAttendance) for f in m._meta.fields}
    assert not {n for n in names if any(w in n for w in ("fee", "price", "pay", "cost"))}


def test_another_department_cannot_record_attendance_at_its_session(samr_staff, tax_staff, entity):
    session = services.education_session_create(
        actor=samr_staff, title="诚信培训", mode="window", starts_at=timezone.now()
    )
    with pytest.raises(PermissionDenied):
        services.education_attendance_record(
            actor=tax_staff, session_id=session.pk, uscc=entity.uscc
        )
    assert not EducationAttendance.objects.exists()


def test_no_workflow_asks_for_integrity_education(samr_staff, entity, samr):
    """No service but the education ones reads attendance (35/2), and an entity that never
    attended makes a commitment."""
    from registry import services as registry_services

    # The services are packages: read every function of every module of both (private ones too).
    modules = [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for package in (services, registry_services)
        for info in pkgutil.iter_modules(package.__path__)
    ]
    checked = 0
    for module in modules:
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or name.startswith("education_"):
                continue
            source = inspect.getsource(function)
            assert "Education" not in source and "attendance" not in source, name
            checked += 1
    assert checked > 30
    assert not EducationAttendance.objects.exists()
    admin = factories.platform_admin()
    template = services.template_create(actor=admin, kind="voluntary", title="承诺书", text="…")
    services.template_publish(actor=admin, template_id=template.pk)
    commitment = services.commitment_make(
        actor=samr_staff, uscc=entity.uscc, kind="voluntary", template_id=template.pk
    )
    assert commitment.status == "in_force"


# --- voluntary registration --------------------------------------------------------------------
def submit(entity_user, entity, samr, **kwargs) -> VoluntaryDisclosure:
    args = {
        "actor": entity_user,
        "uscc": entity.uscc,
        "department_code": samr.code,
        "kind": "qualification",
        "title": "高新技术企业证书",
        "content": "证书编号 GR202511000001",
        "authenticity_committed": True,
        "sharing_consented": True,
        **kwargs,
    }
    return services.disclosure_submit(**args)


ALLOWED = {(V.PENDING, V.VERIFIED), (V.PENDING, V.REJECTED), (V.VERIFIED, V.REVOKED)}


@pytest.mark.parametrize(("current", "target"), list(itertools.product(V.values, V.values)))
def test_every_disclosure_transition(current, target):
    reason = transitions.disclosure_refusal(current, target, reason="理由")
    assert (reason is None) == ((current, target) in ALLOWED)
    if (current, target) in ALLOWED and target != V.VERIFIED:
        assert transitions.disclosure_refusal(current, target, reason=" ") is not None


def test_only_verified_information_counts_and_shows(entity_user, entity, samr, samr_staff):
    disclosure = submit(entity_user, entity, samr)
    assert disclosure.status == "pending"
    assert list(selectors.verified_disclosures(entity)) == []  # unverified: invisible
    services.disclosure_decide(actor=samr_staff, disclosure_id=disclosure.pk, status="verified")
    assert list(selectors.verified_disclosures(entity)) == [disclosure]
    services.disclosure_decide(
        actor=samr_staff, disclosure_id=disclosure.pk, status="revoked", reason="证书已注销"
    )
    assert list(selectors.verified_disclosures(entity)) == []
    with pytest.raises(DomainError):
        services.disclosure_decide(actor=samr_staff, disclosure_id=disclosure.pk, status="verified")


def test_a_rejection_needs_its_reason(entity_user, entity, samr, samr_staff):
    disclosure = submit(entity_user, entity, samr)
    with pytest.raises(DomainError) as raised:
        services.disclosure_decide(actor=samr_staff, disclosure_id=disclosure.pk, status="rejected")
    assert raised.value.code == "transition_refused"
    disclosure.refresh_from_db()
    assert disclosure.status == "pending"
    services.disclosure_decide(
        actor=samr_staff, disclosure_id=disclosure.pk, status="rejected", reason="证书编号不符"
    )
    disclosure.refresh_from_db()
    assert (disclosure.status, disclosure.reason) == ("rejected", "证书编号不符")


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"authenticity_committed": False}, "authenticity_required"),
        ({"sharing_consented": False}, "consent_required"),
        ({"kind": "gossip"}, "invalid_kind"),
        ({"department_code": "NOPE"}, "department_required"),
    ],
)
def test_a_submission_without_its_promises_is_refused(entity_user, entity, samr, kwargs, code):
    with pytest.raises(DomainError) as raised:
        submit(entity_user, entity, samr, **kwargs)
    assert raised.value.code == code
    assert not VoluntaryDisclosure.objects.exists()


def test_only_the_entity_submits_and_only_its_department_decides(
    entity_user, entity, samr, samr_staff, tax_staff
):
    with pytest.raises(PermissionDenied):
        submit(samr_staff, entity, samr)
    disclosure = submit(entity_user, entity, samr)
    with pytest.raises(PermissionDenied):
        services.disclosure_decide(actor=tax_staff, disclosure_id=disclosure.pk, status="verified")
    disclosure.refresh_from_db()
    assert disclosure.status == "pending"
