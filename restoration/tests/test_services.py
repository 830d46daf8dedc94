"""Applying, handling and the effects of an approval (35/13, 33/21, docs/architecture.md §5)."""

from __future__ import annotations

import datetime
import time
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from commitments.models import Commitment, CommitmentKind
from commitments.services import commitment_fulfilment_record
from credit_portal.celery import app
from credit_portal.errors import Conflict, DomainError, NotFound, PermissionDenied
from credit_portal.outbox.models import Event
from discipline import services as discipline_services
from discipline.models import AccessBan, Listing, MeasureTask
from registry import selectors as registry_selectors
from registry.models import EntityStanding, PublicityWindow
from registry.roles import viewer_for
from registry.services import add_months, api_client_create
from registry.tests import factories as registry_factories
from restoration import services
from restoration.models import (
    RestorationApplication,
    RestorationEscalation,
    RestorationEvidence,
    RestorationItem,
)

from .conftest import PDF, apply, approve, days, pdf, penalty, restorable_from

pytestmark = pytest.mark.django_db
S = RestorationApplication.Status


def written() -> tuple[int, int, int, int]:
    return (
        RestorationApplication.objects.count(),
        RestorationItem.objects.count(),
        RestorationEvidence.objects.count(),
        Commitment.objects.filter(kind=CommitmentKind.RESTORATION).count(),
    )


def stored_files() -> list[Path]:
    root = Path(settings.EVIDENCE_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_fulfilled_penalty_needs_no_upload(entity_user, decision, fulfilled, template):
    [application] = apply(entity_user, f"record:{decision.record_id}", template=template)
    assert application.number.startswith("XF") and application.status == S.SUBMITTED
    assert application.department == decision.department
    assert application.commitment.kind == CommitmentKind.RESTORATION
    assert application.commitment.template == template
    assert application.items.get().found_proof
    assert Event.objects.filter(kind="restoration.submitted").count() == 1


def test_without_proof_of_correction_nothing_is_written(entity_user, decision, template):
    before = written()
    with pytest.raises(DomainError) as raised:
        apply(entity_user, f"record:{decision.record_id}", template=template)
    assert raised.value.code == "proof_required" and "虚假宣传" in str(raised.value)
    assert written() == before
    [application] = apply(
        entity_user, f"record:{decision.record_id}", template=template, proof=[pdf()]
    )
    assert application.evidence.get().kind == RestorationEvidence.Kind.CORRECTION


def test_an_ineligible_item_is_refused_at_once_with_its_reason_and_date(
    entity_user, decision, fulfilled, template
):
    restorable_from(decision, days(40))
    before = written()
    with pytest.raises(DomainError) as raised:
        apply(entity_user, f"record:{decision.record_id}", template=template)
    assert raised.value.code == "not_eligible"
    assert days(40).isoformat() in str(raised.value)
    assert written() == before


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("fake.pdf", b"MZ\x90\x00 this is a program, not a PDF", "file_type"),
        ("big.pdf", PDF + b"0" * (5 * 1024 * 1024), "file_too_large"),
    ],
    ids=["wrong-type", "too-large"],
)
def test_evidence_of_the_wrong_type_or_size_is_refused_and_nothing_is_stored(
    entity_user, decision, template, name, data, code
):
    before, files = written(), stored_files()
    with pytest.raises(DomainError) as raised:
        apply(
            entity_user,
            f"record:{decision.record_id}",
            template=template,
            proof=[pdf(), pdf(name, data)],
        )
    assert raised.value.code == code and name in str(raised.value)
    assert written() == before and stored_files() == files


def test_the_commitment_must_be_made_on_the_current_version(
    entity_user, decision, fulfilled, template
):
    with pytest.raises(DomainError) as raised:
        apply(
            entity_user,
            f"record:{decision.record_id}",
            template=template,
            commitment_accepted=False,
        )
    assert raised.value.code == "commitment_required"
    with pytest.raises(DomainError) as raised:
        services.restoration_apply(
            actor=entity_user,
            items=[f"record:{decision.record_id}"],
            correction="已纠正",
            commitment_template_id=template.pk + 999,
            commitment_accepted=True,
        )
    assert raised.value.code == "template_outdated"


def test_only_the_entitys_own_account_applies_and_only_for_its_own_items(
    samr_staff, entity_user, decision, fulfilled, template
):
    with pytest.raises(PermissionDenied):
        apply(samr_staff, f"record:{decision.record_id}", template=template)
    other = registry_factories.entity(by=samr_staff, name="别家公司")
    theirs = penalty(samr_staff, other)
    restorable_from(theirs, days(-1))
    for item in (f"record:{theirs.record_id}", "record:abc", "listing:99999999", "x:1"):
        with pytest.raises(NotFound):
            apply(entity_user, item, template=template)


def test_items_of_two_departments_make_two_applications(
    samr_staff, tax_staff, entity, entity_user, decision, fulfilled, template
):
    tax_penalty = penalty(tax_staff, entity, title="未按期申报")
    restorable_from(tax_penalty, days(-1))
    made = apply(
        entity_user,
        f"record:{decision.record_id}",
        f"record:{tax_penalty.record_id}",
        template=template,
        proof=[pdf()],
    )
    assert sorted(a.department.code for a in made) == ["SAMR-110000", "TAX-110000"]
    assert {a.commitment.department.code for a in made} == {"SAMR-110000", "TAX-110000"}


def test_an_item_cannot_be_in_two_open_applications(entity_user, decision, fulfilled, template):
    apply(entity_user, f"record:{decision.record_id}", template=template)
    with pytest.raises(DomainError) as raised:
        apply(entity_user, f"record:{decision.record_id}", template=template)
    assert "Already in restoration application" in str(raised.value)


def test_four_eyes_and_officials_only(
    samr_staff, samr_head, entity_user, decision, fulfilled, template, samr
):
    [application] = apply(entity_user, f"record:{decision.record_id}", template=template)
    tax = registry_factories.department("TAX-9", registers=False)
    with pytest.raises(NotFound):  # another department's application is not found
        services.restoration_accept(
            actor=registry_factories.staff(tax), application_id=application.pk
        )
    client = registry_services_api_client(samr)
    with pytest.raises(PermissionDenied):
        services.restoration_accept(actor=client, application_id=application.pk)
    with pytest.raises(Conflict):  # not accepted yet
        services.restoration_propose(
            actor=samr_staff, application_id=application.pk, outcome="approve", reasons="可"
        )
    services.restoration_accept(actor=samr_head, application_id=application.pk)
    services.restoration_propose(
        actor=samr_head, application_id=application.pk, outcome="approve", reasons="可"
    )
    with pytest.raises(PermissionDenied) as raised:  # the proposer never approves
        services.restoration_approve(actor=samr_head, application_id=application.pk)
    assert raised.value.code == "four_eyes"
    with pytest.raises(PermissionDenied):  # staff never approve
        services.restoration_approve(actor=samr_staff, application_id=application.pk)
    assert RestorationApplication.objects.get().status == S.PROPOSED


def registry_services_api_client(department):
    client, _token = api_client_create(
        actor=registry_factories.platform_admin(), name="接口", department=department
    )
    return client.user


def _public(entity, record_id) -> dict[str, bool]:
    """Where the public could see the penalty: the entity page, the publicity board, the
    anonymous API's records and decisions, and every public read of the ledger."""
    anon = Client()
    page = anon.get(f"/entity/{entity.uscc}/?tab=penalties").content.decode()
    board = anon.get("/publicity/").content.decode()
    records = anon.get(f"/api/v1/records/?uscc={entity.uscc}").json()["results"]
    decisions = anon.get("/api/v1/decisions/").json()["results"]
    return {
        "records": registry_selectors.public_records().filter(pk=record_id).exists(),
        "page": "虚假宣传" in page,
        "board": "虚假宣传" in board,
        "api": record_id in {r["id"] for r in records},
        "api_decisions": "虚假宣传" in str(decisions),
    }


def test_an_approval_stops_display_everywhere_ends_joint_punishment_and_keeps_the_history(
    samr_staff, samr_head, tax_staff, entity, entity_user, decision, fulfilled, listing, template
):
    # The tax department applied its measure; a ban rests on the listing.
    [task] = MeasureTask.objects.filter(listing=listing)
    discipline_services.task_feedback(
        actor=tax_staff, task_id=task.pk, outcomes={m: ("applied", "") for m in
                                                    task.items.values_list("measure", flat=True)}
    )  # fmt: skip
    ban = discipline_services.access_ban_impose(
        actor=samr_staff,
        uscc=entity.uscc,
        field="food_drugs",
        listing_id=listing.pk,
        starts=timezone.localdate(),
        ends=days(365),
        reason="严重违法",
        legal_basis="食品安全法第一百三十五条",
    )
    assert all(_public(entity, decision.record_id).values())
    [application] = apply(
        entity_user, f"record:{decision.record_id}", f"listing:{listing.pk}", template=template
    )
    approved = approve(application, samr_staff, samr_head)
    assert approved.status == S.APPROVED and approved.effect_due > timezone.localdate()
    # Public site, anonymous API, every public read: gone at once. The entity page's and the
    # board's caches are keyed on versions PostgreSQL bumps in the statement that stopped the
    # display (registry.page_versions).
    assert not any(_public(entity, decision.record_id).values())
    # The listing exited for restoration; the applied measure is to be lifted, its
    # department told; the ban ended; the standing summary followed.
    listing.refresh_from_db()
    assert (listing.status, listing.exit_reason) == (Listing.Status.EXITED, "restoration")
    task.refresh_from_db()
    assert task.status == MeasureTask.Status.LIFTING
    assert Event.objects.filter(kind="measure_task.ended").count() == 1
    assert AccessBan.objects.get(pk=ban.pk).lifted_at is not None
    assert not EntityStanding.objects.get(entity=entity).punishment_listed
    # The internal history keeps the record, marked restored.
    internal = registry_selectors.records_visible(viewer_for(samr_staff)).get(pk=decision.record_id)
    assert internal.window.stop_reason == PublicityWindow.StopReason.RESTORED
    assert Event.objects.filter(kind="restoration.approved").count() == 1
    # Twice changes nothing: the approval returns as it is, the after-commit work runs once.
    snapshot = (
        Event.objects.count(),
        PublicityWindow.objects.get(record=decision.record_id).stopped_at,
    )
    services.restoration_approve(actor=samr_head, application_id=application.pk)
    assert services.restoration_effects_apply(application.pk) is True
    assert services.restoration_effects_apply(application.pk) is False
    assert Event.objects.filter(kind="restoration.effective").count() == 1
    assert PublicityWindow.objects.get(record=decision.record_id).stopped_at == snapshot[1]
    assert Event.objects.count() == snapshot[0] + 1


@pytest.fixture
def defaults_again(transactional_db):
    """A transactional test starts from a flushed database: the data migrations' catalogue and
    publicity rules are put back (as the browser tests do)."""
    from registry.catalogue import load_default_catalogue
    from registry.models import CatalogueItem, PublicityRule

    load_default_catalogue(CatalogueItem)
    PublicityRule.objects.get_or_create(
        severity="serious", defaults={"published": True, "min_months": 12, "max_months": 36}
    )


@pytest.mark.broker
@pytest.mark.django_db(transaction=True)
def test_the_after_commit_work_runs_in_a_worker_over_the_real_broker(
    defaults_again, samr_staff, samr_head, entity_user, decision, fulfilled, template
):
    [application] = apply(entity_user, f"record:{decision.record_id}", template=template)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        approve(application, samr_staff, samr_head)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if RestorationApplication.objects.get(pk=application.pk).effective_at:
                break
            time.sleep(0.1)
    assert RestorationApplication.objects.get(pk=application.pk).effective_at is not None
    assert Event.objects.filter(kind="restoration.effective").count() == 1


def test_a_restored_record_leaves_the_rating_counts(
    samr_staff, samr_head, entity, entity_user, decision, fulfilled, template
):
    sql = registry_selectors.record_counts_sql(lambda c: f"{c} = %(uscc)s", [("n", "true")])

    def count() -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql, {"uscc": entity.uscc, "as_at": timezone.now()})
            row = cursor.fetchone()
        return row[1] if row else 0

    assert count() == 1
    [application] = apply(entity_user, f"record:{decision.record_id}", template=template)
    approve(application, samr_staff, samr_head)
    assert count() == 0


def test_a_rejection_and_a_refusal_change_nothing_shown(
    samr_staff, samr_head, entity, entity_user, decision, fulfilled, template
):
    [application] = apply(entity_user, f"record:{decision.record_id}", template=template)
    with pytest.raises(DomainError):
        services.restoration_refuse(actor=samr_staff, application_id=application.pk, reasons=" ")
    refused = services.restoration_refuse(
        actor=samr_staff, application_id=application.pk, reasons="材料不全"
    )
    assert refused.status == S.REFUSED and refused.decided_at
    [again] = apply(entity_user, f"record:{decision.record_id}", template=template)
    services.restoration_accept(actor=samr_staff, application_id=again.pk)
    services.restoration_propose(
        actor=samr_staff, application_id=again.pk, outcome="reject", reasons="未消除不良影响"
    )
    rejected = services.restoration_approve(actor=samr_head, application_id=again.pk)
    assert (rejected.status, rejected.reasons) == (S.REJECTED, "未消除不良影响")
    assert registry_selectors.public_records().filter(pk=decision.record_id).exists()


def test_a_head_returns_a_proposal(
    samr_staff, samr_head, entity_user, decision, fulfilled, template
):
    [application] = apply(entity_user, f"record:{decision.record_id}", template=template)
    services.restoration_accept(actor=samr_staff, application_id=application.pk)
    services.restoration_propose(
        actor=samr_staff, application_id=application.pk, outcome="approve", reasons="可"
    )
    returned = services.restoration_return(
        actor=samr_head, application_id=application.pk, note="请核实缴款凭证"
    )
    assert returned.status == S.ACCEPTED and returned.proposed_by is None


def test_approval_rechecks_eligibility(
    samr_staff, samr_head, entity, entity_user, decision, fulfilled, template
):
    [application] = apply(entity_user, f"record:{decision.record_id}", template=template)
    services.restoration_accept(actor=samr_staff, application_id=application.pk)
    services.restoration_propose(
        actor=samr_staff, application_id=application.pk, outcome="approve", reasons="可"
    )
    penalty(samr_staff, entity, decision_date=days(-1), title="又一次虚假宣传")
    with pytest.raises(DomainError) as raised:
        services.restoration_approve(actor=samr_head, application_id=application.pk)
    assert "又一次虚假宣传" in str(raised.value)
    assert RestorationApplication.objects.get().status == S.PROPOSED


def test_clocks_follow_the_official_calendar_and_escalate_once(
    samr_staff, entity_user, decision, fulfilled, template, monkeypatch
):
    """Filed on Wednesday 30 September 2026, before the National Day holiday (1-7 October):
    accepted within 2 working days means by Friday 9 October, not 2 October."""
    restorable_from(decision, datetime.date(2026, 1, 1))
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 9, 30))
    [application] = apply(entity_user, f"record:{decision.record_id}", template=template)
    monkeypatch.undo()
    assert application.accept_due == datetime.date(2026, 10, 9)
    assert services.restoration_clock(today=datetime.date(2026, 10, 9))["escalated"] == 0
    assert services.restoration_clock(today=datetime.date(2026, 10, 10))["escalated"] == 1
    assert services.restoration_clock(today=datetime.date(2026, 10, 12))["escalated"] == 0
    escalation = RestorationEscalation.objects.get()
    assert (escalation.clock, escalation.due) == ("accept", datetime.date(2026, 10, 9))
    assert Event.objects.filter(kind="restoration.escalated").count() == 1
    # Accepted on Friday 9 October: decided within 5 working days counts the make-up
    # Saturday 10 October and ends on Thursday 15 October.
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 10, 9))
    accepted = services.restoration_accept(actor=samr_staff, application_id=application.pk)
    monkeypatch.undo()
    assert accepted.decide_due == datetime.date(2026, 10, 15)


def test_a_broken_restoration_commitment_republishes_for_the_maximum_period_once(
    samr_staff, samr_head, entity, entity_user, decision, fulfilled, template
):
    [application] = apply(entity_user, f"record:{decision.record_id}", template=template)
    approve(application, samr_staff, samr_head)
    assert not registry_selectors.public_records().filter(pk=decision.record_id).exists()
    page = f"/entity/{entity.uscc}/?tab=penalties"
    assert "虚假宣传" not in Client().get(page).content.decode()  # cached for this version
    assert services.restorations_republish() == 0
    commitment_fulfilment_record(
        actor=samr_staff, commitment_id=application.commitment_id, fulfilment="none", note="再犯"
    )
    assert services.restoration_clock()["republished"] == 1
    window = PublicityWindow.objects.get(record=decision.record_id)
    assert window.republished_at and window.stopped_at is None
    assert window.shown_until == add_months(timezone.localdate(), 36)
    assert window.restoration_from is None  # not restorable early a second time
    assert registry_selectors.public_records().filter(pk=decision.record_id).exists()
    # The entity page's cache version follows the republication (the window's republished_at).
    assert "虚假宣传" in Client().get(page).content.decode()
    assert services.restoration_clock()["republished"] == 0
    assert Event.objects.filter(kind="restoration.republished").count() == 1


def test_settings_are_checked_and_audited(db):
    admin = registry_factories.platform_admin()
    with pytest.raises(DomainError):
        services.restoration_config_set(actor=admin, accept_days=0)
    assert services.restoration_config_set(actor=admin, accept_days=3).accept_days == 3
    assert services.restoration_config().accept_days == 3
