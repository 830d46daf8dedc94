"""Objections through the services: filing marks the item and suspends what rests on it in one
transaction (33/22); four eyes; upheld ends, rejected restores; bad input writes nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from credit_portal.errors import DomainError, NotFound, PermissionDenied
from credit_portal.outbox.models import Event
from discipline.models import Listing
from registry.models import CreditRecord, Decision
from registry.tests import factories as registry_factories

from .. import selectors, services
from ..models import Evidence, Objection, ObjectionEffect, Target
from ..sealing import unseal
from .conftest import PNG, pdf

pytestmark = pytest.mark.django_db
ANON = AnonymousUser()


def file(entity, kind=Target.DECISION, target_id=None, **kwargs):
    data = {
        "actor": ANON,
        "uscc": entity.uscc,
        "target_kind": kind,
        "target_id": target_id,
        "grounds": "该处罚决定已被行政复议撤销。",
        "filer_name": "李四",
        "filer_contact": "13800000000",
    }
    data.update(kwargs)
    return services.objection_file(**data)


def test_filing_marks_the_decision_and_suspends_the_listing_resting_on_it(
    entity, decision, listing
):
    filed = file(entity, target_id=decision.pk, files=[pdf()])
    objection = filed.case
    assert filed.tracking_number.startswith("YY") and len(filed.code) == 10
    assert objection.status == Objection.Status.REVIEWING
    assert objection.department_id == decision.department_id
    assert objection.marked_at is not None
    listing.refresh_from_db()
    assert listing.status == Listing.Status.SUSPENDED
    kinds = set(objection.effects.values_list("kind", "object_id"))
    assert ("listing", listing.pk) in kinds and ("decision", decision.pk) in kinds
    assert ("record", decision.record_id) in kinds
    marks = selectors.under_objection(entity.uscc)
    assert listing.pk in marks.listings and decision.record_id in marks.records
    # The filer's identity is sealed at rest.
    raw = Objection.objects.values_list("filer_sealed", flat=True).get()
    assert "李四" not in raw and unseal(raw)["name"] == "李四"
    assert Evidence.objects.get().content_type == "application/pdf"


def test_the_status_page_needs_the_right_code(entity, decision):
    filed = file(entity, target_id=decision.pk)
    assert selectors.objection_status(filed.tracking_number, filed.code).pk == filed.case.pk
    assert selectors.objection_status(filed.tracking_number.lower(), filed.code.lower())
    for number, code in [(filed.tracking_number, "WRONGCODE1"), ("YY2026", filed.code), ("", "")]:
        with pytest.raises(NotFound) as refused:
            selectors.objection_status(number, code)
        assert refused.value.code == "case_not_found"


@pytest.mark.parametrize(
    ("kind", "target", "code"),
    [
        (Target.DECISION, 999999, "item_not_found"),
        (Target.DECISION, "abc", "item_not_found"),
        ("nonsense", 1, "invalid"),
    ],
)
def test_bad_items_write_nothing(entity, decision, kind, target, code):
    with pytest.raises(DomainError) as refused:
        file(entity, kind=kind, target_id=target)
    assert refused.value.code == code or refused.value.field == "target_kind"
    assert not Objection.objects.exists()


def test_an_item_of_another_entity_is_refused_as_unknown(samr_staff, entity, decision):
    other = registry_factories.entity(by=samr_staff, name="北京另一家有限公司")
    with pytest.raises(DomainError) as refused:
        file(other, target_id=decision.pk)
    assert refused.value.code == "item_not_found"
    assert not Objection.objects.exists()


def test_unknown_uscc_is_refused(entity):
    with pytest.raises(DomainError):
        file(entity, uscc="91110000000000000X")
    assert not Objection.objects.exists()


def test_a_file_of_the_wrong_type_or_size_writes_nothing(entity, decision):
    fake = pdf("report.pdf", b"MZ\x90\x00 this is a Windows program, not a PDF")
    with pytest.raises(DomainError) as refused:
        file(entity, target_id=decision.pk, files=[fake])
    assert refused.value.code == "file_type" and "report.pdf" in str(refused.value.message)
    big = pdf("big.png", PNG + b"\0" * (5 * 1024 * 1024))
    with pytest.raises(DomainError) as refused:
        file(entity, target_id=decision.pk, files=[big])
    assert refused.value.code == "file_too_large"
    with pytest.raises(DomainError) as refused:
        file(entity, target_id=decision.pk, files=[pdf(f"{n}.pdf") for n in range(6)])
    assert refused.value.code == "too_many_files"
    assert not Objection.objects.exists() and not Evidence.objects.exists()


def test_a_non_public_item_needs_the_entitys_own_account(samr_staff, entity, entity_user):
    shared = registry_factories.record(
        by=samr_staff, ent=entity, catalogue_code="YT", severity="none", title="约谈记录"
    )
    assert shared.scope != "public"
    with pytest.raises(PermissionDenied):
        file(entity, kind=Target.RECORD, target_id=shared.pk)
    filed = file(entity, kind=Target.RECORD, target_id=shared.pk, actor=entity_user)
    assert filed.case.filer_user_id == entity_user.pk


def test_four_eyes_and_rejection_restores_every_effect(
    entity, decision, listing, samr_staff, samr_head
):
    objection = file(entity, target_id=decision.pk).case
    services.objection_propose(
        actor=samr_staff,
        objection_id=objection.pk,
        outcome="rejected",
        reasons="处罚决定合法。",
    )
    with pytest.raises(PermissionDenied) as refused:
        services.objection_approve(actor=samr_staff, objection_id=objection.pk)
    assert refused.value.code == "head_required"
    services.objection_approve(actor=samr_head, objection_id=objection.pk)
    objection.refresh_from_db()
    assert objection.status == Objection.Status.DECIDED and objection.outcome == "rejected"
    listing.refresh_from_db()
    assert listing.status == Listing.Status.LISTED
    assert not selectors.under_objection(entity.uscc)
    event = Event.objects.get(kind="objection.decided")
    assert event.payload["outcome"] == "rejected" and event.subject_uscc == entity.uscc


def test_the_proposer_never_approves(entity, decision, samr, samr_head):
    objection = file(entity, target_id=decision.pk).case
    services.objection_propose(
        actor=samr_head, objection_id=objection.pk, outcome="rejected", reasons="理由"
    )
    with pytest.raises(PermissionDenied) as refused:
        services.objection_approve(actor=samr_head, objection_id=objection.pk)
    assert refused.value.code == "four_eyes"
    other_head = registry_factories.staff(samr, role="head", username="samr-head-2")
    services.objection_approve(actor=other_head, objection_id=objection.pk)


def test_another_department_cannot_handle_it(entity, decision, tax_staff):
    objection = file(entity, target_id=decision.pk).case
    with pytest.raises(PermissionDenied):
        services.objection_propose(
            actor=tax_staff, objection_id=objection.pk, outcome="upheld", reasons="理由"
        )


def test_upheld_revokes_the_decision_and_the_listing_exits(
    entity, decision, listing, samr_staff, samr_head
):
    objection = file(entity, target_id=decision.pk).case
    services.objection_propose(
        actor=samr_staff, objection_id=objection.pk, outcome="upheld", reasons="决定已被撤销。"
    )
    services.objection_approve(actor=samr_head, objection_id=objection.pk)
    decision.refresh_from_db()
    assert decision.status == Decision.Status.WITHDRAWN
    assert CreditRecord.objects.filter(
        supersedes_id=decision.record_id, action=CreditRecord.Action.REVOCATION
    ).exists()
    listing.refresh_from_db()
    assert listing.status == Listing.Status.EXITED
    assert listing.exit_reason == Listing.ExitReason.OBJECTION
    assert ObjectionEffect.objects.filter(ended_at=None).count() == 0


def test_partly_upheld_corrects_the_record_and_resumes(
    entity, decision, listing, samr_staff, samr_head
):
    objection = file(entity, target_id=decision.pk).case
    with pytest.raises(DomainError):
        services.objection_propose(
            actor=samr_staff,
            objection_id=objection.pk,
            outcome="partly",
            reasons="金额有误",
            correction={"action": "revocation"},
        )
    services.objection_propose(
        actor=samr_staff,
        objection_id=objection.pk,
        outcome="partly",
        reasons="处罚金额录入有误，予以更正。",
        correction={"content": "罚款十万元"},
    )
    services.objection_approve(actor=samr_head, objection_id=objection.pk)
    corrected = CreditRecord.objects.get(supersedes_id=decision.record_id)
    assert corrected.action == CreditRecord.Action.CORRECTION
    assert corrected.content == "罚款十万元"
    listing.refresh_from_db()
    assert listing.status == Listing.Status.LISTED


def test_an_effect_held_by_another_open_objection_stays_suspended(
    entity, decision, listing, samr_staff, samr_head
):
    first = file(entity, target_id=decision.pk).case
    second = file(entity, kind=Target.LISTING, target_id=listing.pk).case
    services.objection_propose(
        actor=samr_staff, objection_id=first.pk, outcome="rejected", reasons="理由"
    )
    services.objection_approve(actor=samr_head, objection_id=first.pk)
    listing.refresh_from_db()
    assert listing.status == Listing.Status.SUSPENDED  # the second objection still holds it
    services.objection_propose(
        actor=samr_staff, objection_id=second.pk, outcome="rejected", reasons="理由"
    )
    services.objection_approve(actor=samr_head, objection_id=second.pk)
    listing.refresh_from_db()
    assert listing.status == Listing.Status.LISTED


def test_other_information_is_forwarded_by_the_platform(entity, samr, samr_staff):
    objection = file(entity, kind=Target.OTHER).case
    assert objection.status == Objection.Status.FORWARDING and objection.department is None
    assert objection.forward_due is not None and objection.decide_due is None
    with pytest.raises(PermissionDenied):
        services.objection_forward(
            actor=samr_staff, objection_id=objection.pk, department_code=samr.code
        )
    admin = registry_factories.platform_admin()
    services.objection_forward(actor=admin, objection_id=objection.pk, department_code=samr.code)
    objection.refresh_from_db()
    assert objection.status == Objection.Status.REVIEWING and objection.decide_due is not None


def test_the_filer_is_seen_by_the_holder_only_and_logged(entity, decision, samr_staff, tax_staff):
    from credit_portal.audit.models import AccessLog
    from registry.roles import viewer_for

    objection = file(entity, target_id=decision.pk).case
    party = selectors.objection_filer(viewer_for(samr_staff), objection)
    assert party.name == "李四"
    assert AccessLog.objects.filter(what__contains=objection.tracking_number).exists()
    with pytest.raises(PermissionDenied):
        selectors.objection_filer(viewer_for(tax_staff), objection)


def test_a_second_objection_notes_that_the_listing_was_suspended_already(entity, decision, listing):
    file(entity, target_id=decision.pk)
    second = file(entity, kind=Target.LISTING, target_id=listing.pk).case
    effect = second.effects.get(kind="listing")
    assert effect.applied is False


def test_upheld_revokes_a_record_without_a_decision(entity, samr_staff, samr_head):
    record = registry_factories.record(by=samr_staff, ent=entity, title="错误的处罚记录")
    objection = file(entity, kind=Target.RECORD, target_id=record.pk).case
    services.objection_propose(
        actor=samr_staff,
        objection_id=objection.pk,
        outcome="upheld",
        reasons="录入错误。",
        correction={"action": "revocation"},
    )
    services.objection_approve(actor=samr_head, objection_id=objection.pk)
    revocation = CreditRecord.objects.get(supersedes=record)
    assert revocation.action == CreditRecord.Action.REVOCATION
    assert objection.tracking_number in revocation.reason


def test_a_ban_objected_to_stops_binding_until_rejected(
    entity, ban, tax_measure, tax_staff, samr_staff, samr_head
):
    objection = file(entity, kind=Target.BAN, target_id=ban.pk).case
    ban.refresh_from_db()
    assert ban.suspended_at is not None
    services.objection_propose(
        actor=samr_staff, objection_id=objection.pk, outcome="rejected", reasons="禁入合法。"
    )
    services.objection_approve(actor=samr_head, objection_id=objection.pk)
    ban.refresh_from_db()
    assert ban.suspended_at is None and ban.lifted_at is None


def test_a_task_objected_to_by_the_entity_is_suspended_and_ended_when_upheld(
    entity, entity_user, listing, tax_staff, tax, samr_staff
):
    from discipline.models import MeasureTask

    task = MeasureTask.objects.get(listing=listing)
    with pytest.raises(PermissionDenied):
        file(entity, kind=Target.TASK, target_id=task.pk)  # not public: the entity's own only
    objection = file(entity, kind=Target.TASK, target_id=task.pk, actor=entity_user).case
    assert objection.department_id == tax.pk  # the implementing department holds it
    task.refresh_from_db()
    assert task.status == MeasureTask.Status.SUSPENDED
    tax_head = registry_factories.staff(tax, role="head", username="tax-head")
    services.objection_propose(
        actor=tax_staff, objection_id=objection.pk, outcome="upheld", reasons="措施适用错误。"
    )
    services.objection_approve(actor=tax_head, objection_id=objection.pk)
    task.refresh_from_db()
    assert task.status == MeasureTask.Status.CANCELLED
