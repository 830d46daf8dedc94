"""The discipline services: who may act, what a listing sets off (exactly once), what exit
lifts, rectification escalating to interviews, access bans and personal liability. Every
refusal leaves no trace but its message."""

from __future__ import annotations

import datetime

import pytest

from credit_portal.audit.models import AuditEvent
from credit_portal.errors import Conflict, DomainError, NotFound, PermissionDenied
from discipline import services
from discipline.models import (
    AccessBan,
    AuthorityNotice,
    Interview,
    LiabilityWarning,
    Listing,
    ListKind,
    MeasureTask,
    MeasureTaskItem,
    PersonMark,
    Rectification,
)
from registry import services as registry_services
from registry.models import CreditRecord, EntityStanding
from registry.tests import factories as registry_factories

from . import factories

L = Listing.Status
T = MeasureTask.Status


def trace() -> tuple:
    """Everything a discipline refusal could have written."""
    return (
        AuditEvent.objects.count(),
        Listing.objects.count(),
        list(Listing.objects.values_list("pk", "status", "statement", "exit_reason")),
        MeasureTask.objects.count(),
        list(MeasureTask.objects.values_list("pk", "status")),
        list(MeasureTaskItem.objects.values_list("pk", "outcome", "reason")),
        PersonMark.objects.filter(lifted_at=None).count(),
        list(Rectification.objects.values_list("pk", "status", "deadline")),
        list(Interview.objects.values_list("pk", "status")),
        CreditRecord.objects.count(),
        AccessBan.objects.count(),
        list(EntityStanding.objects.values_list("entity_id", "punishment_listed", "red_listed")),
    )


def refused(call, exc=DomainError):
    before = trace()
    with pytest.raises(exc) as info:
        call()
    assert trace() == before, "a refusal must write nothing"
    assert "/" in str(info.value.message)
    return info.value


def standing(entity) -> EntityStanding | None:
    return EntityStanding.objects.filter(entity=entity).first()


# --- proposals ----------------------------------------------------------------------------------
def test_a_listing_without_a_basis_document_is_refused(samr_staff, entity, punishment_rule):
    error = refused(
        lambda: factories.proposal(by=samr_staff, entity=entity, rule=punishment_rule, bases=[])
    )
    assert error.code == "basis_required"
    blank = {"kind": "penalty", "document_number": " ", "title": "决定书"}
    refused(
        lambda: factories.proposal(
            by=samr_staff, entity=entity, rule=punishment_rule, bases=[blank]
        )
    )
    wrong_kind = factories.basis("reward")
    assert (
        refused(
            lambda: factories.proposal(
                by=samr_staff, entity=entity, rule=punishment_rule, bases=[wrong_kind]
            )
        ).code
        == "invalid_basis"
    )


def test_a_department_without_authority_under_the_rule_is_refused(
    tax_staff, entity, punishment_rule
):
    error = refused(
        lambda: factories.proposal(by=tax_staff, entity=entity, rule=punishment_rule),
        PermissionDenied,
    )
    assert error.code == "no_authority"


def test_a_rule_is_used_only_once_published(samr, samr_staff, entity):
    admin = registry_factories.platform_admin()
    draft = services.list_rule_create(
        actor=admin,
        departments=[samr],
        code="DRAFT",
        kind=ListKind.PUNISHMENT,
        name="未发布规则",
        bases=["penalty"],
        standards="s",
        procedure="p",
        objection_route="o",
        exit_conditions="e",
    )
    error = refused(lambda: factories.proposal(by=samr_staff, entity=entity, rule=draft), NotFound)
    assert error.code == "rule_not_found"


def test_only_staff_propose_and_the_public_cannot(entity_user, entity, punishment_rule):
    refused(
        lambda: factories.proposal(by=entity_user, entity=entity, rule=punishment_rule),
        PermissionDenied,
    )


def test_revising_a_rule_keeps_the_listings_version(samr, samr_staff, entity, punishment_rule):
    listing = factories.listed(by=samr_staff, entity=entity, rule=punishment_rule)
    revised = factories.rule(samr, code=punishment_rule.code, period_months=24)
    assert revised.version == 2
    listing.refresh_from_db()
    assert listing.rule_id == punishment_rule.pk
    punishment_rule.refresh_from_db()
    assert punishment_rule.retired_at is not None
    assert services.rule_in_force(punishment_rule.code) == revised


def test_the_decision_waits_for_the_statement_period(samr_staff, entity, punishment_rule):
    listing = factories.proposal(by=samr_staff, entity=entity, rule=punishment_rule)
    assert listing.statement_due > factories.today()
    refused(
        lambda: services.listing_decide(actor=samr_staff, listing_id=listing.pk, list_entity=True),
        Conflict,
    )
    Listing.objects.filter(pk=listing.pk).update(
        statement_due=factories.today() - datetime.timedelta(days=1)
    )
    decided = services.listing_decide(actor=samr_staff, listing_id=listing.pk, list_entity=True)
    assert decided.status == L.LISTED
    assert decided.listed_until == registry_services.add_months(factories.today(), 36)


def test_the_entity_states_its_case_on_its_own_proposal_only(
    samr_staff, entity, entity_user, punishment_rule
):
    listing = factories.proposal(by=samr_staff, entity=entity, rule=punishment_rule)
    other = registry_factories.entity(by=samr_staff)
    other_user = registry_factories.entity_user(other)
    refused(
        lambda: services.listing_statement_record(
            actor=other_user, listing_id=listing.pk, statement="不是我的"
        ),
        PermissionDenied,
    )
    services.listing_statement_record(actor=entity_user, listing_id=listing.pk, statement="申辩")
    listing.refresh_from_db()
    assert listing.statement == "申辩" and listing.statement_at is not None


def test_only_the_recognising_department_changes_its_listing(
    samr_staff, court_staff, entity, punishment_rule
):
    listing = factories.proposal(by=samr_staff, entity=entity, rule=punishment_rule)
    services.listing_statement_record(actor=samr_staff, listing_id=listing.pk, statement="陈述")
    for call in (
        lambda: services.listing_decide(actor=court_staff, listing_id=listing.pk, list_entity=True),
        lambda: services.listing_exit(actor=court_staff, listing_id=listing.pk, reason="revoked"),
        lambda: services.listing_suspend(actor=court_staff, listing_id=listing.pk, reason="异议"),
    ):
        assert refused(call, PermissionDenied).code == "not_recognising"


def test_one_open_listing_per_entity_list_and_department(samr_staff, entity, punishment_rule):
    factories.proposal(by=samr_staff, entity=entity, rule=punishment_rule)
    error = refused(
        lambda: factories.proposal(by=samr_staff, entity=entity, rule=punishment_rule), Conflict
    )
    assert error.code == "listing_exists"


# --- what a listing sets off --------------------------------------------------------------------
@pytest.fixture
def measures(samr, tax, court):
    """Two measures implemented by tax, one by the court, and one of another list kind."""
    return [
        factories.measure(tax, code="TAX-1"),
        factories.measure(tax, code="TAX-2", mandatory=False),
        factories.measure(court, code="COURT-1"),
        factories.measure(samr, code="ATTN-1", kinds=[ListKind.ATTENTION]),
    ]


def test_listing_creates_one_task_per_implementing_department_and_marks_the_legal_representative(
    samr_staff, entity, punishment_rule, measures, legal_rep, tax, court
):
    listing = factories.listed(by=samr_staff, entity=entity, rule=punishment_rule)
    tasks = MeasureTask.objects.filter(listing=listing)
    assert sorted(t.department_id for t in tasks) == sorted([tax.pk, court.pk])
    assert sorted(MeasureTaskItem.objects.values_list("measure__code", flat=True)) == [
        "COURT-1",
        "TAX-1",
        "TAX-2",
    ]
    mark = PersonMark.objects.get(listing=listing)
    assert (mark.person, mark.role) == (legal_rep, "legal_representative")
    assert standing(entity).punishment_listed

    # Repeating is harmless: the same decision, or the effects applied again.
    before = trace()
    services.listing_decide(actor=samr_staff, listing_id=listing.pk, list_entity=True)
    services.listing_effects_apply(listing=listing)
    assert trace()[3:] == before[3:]
    assert MeasureTask.objects.filter(listing=listing).count() == 2
    assert PersonMark.objects.filter(listing=listing).count() == 1


def test_exit_lifts_every_measure_and_task_and_repeating_it_changes_nothing(
    samr_staff, tax_staff, entity, punishment_rule, measures, legal_rep, tax, court
):
    listing = factories.listed(by=samr_staff, entity=entity, rule=punishment_rule)
    tax_task = MeasureTask.objects.get(listing=listing, department=tax)
    outcomes = {m.pk: ("applied", "") for m in measures}
    services.task_feedback(actor=tax_staff, task_id=tax_task.pk, outcomes=outcomes)

    services.listing_exit(actor=samr_staff, listing_id=listing.pk, reason="restoration")
    statuses = dict(MeasureTask.objects.filter(listing=listing).values_list("department", "status"))
    assert statuses == {tax.pk: T.LIFTING, court.pk: T.CANCELLED}
    assert not PersonMark.objects.filter(listing=listing, lifted_at=None).exists()
    assert not standing(entity).punishment_listed

    before = trace()
    services.listing_exit(actor=samr_staff, listing_id=listing.pk, reason="restoration")
    assert trace() == before
    services.task_lift(actor=tax_staff, task_id=tax_task.pk)
    assert not MeasureTask.objects.filter(
        listing=listing, status__in=[T.OPEN, T.FED_BACK, T.LIFTING]
    ).exists()


def test_feedback_is_complete_or_refused_and_only_by_the_implementing_department(
    samr_staff, tax_staff, court_staff, entity, punishment_rule, measures, tax
):
    listing = factories.listed(by=samr_staff, entity=entity, rule=punishment_rule)
    task = MeasureTask.objects.get(listing=listing, department=tax)
    tax1, tax2 = measures[0], measures[1]
    # A mandatory measure reported as not applied, a recommended one without its reason,
    # a measure left out: each refused, nothing kept.
    for outcomes in (
        {tax1.pk: ("not_applied", "理由"), tax2.pk: ("applied", "")},
        {tax1.pk: ("applied", ""), tax2.pk: ("not_applied", " ")},
        {tax1.pk: ("applied", "")},
        {tax1.pk: ("bogus", ""), tax2.pk: ("applied", "")},
    ):
        refused(
            lambda o=outcomes: services.task_feedback(actor=tax_staff, task_id=task.pk, outcomes=o)
        )
    refused(
        lambda: services.task_feedback(
            actor=court_staff, task_id=task.pk, outcomes={tax1.pk: ("applied", "")}
        ),
        PermissionDenied,
    )
    done = services.task_feedback(
        actor=tax_staff,
        task_id=task.pk,
        outcomes={tax1.pk: ("applied", ""), tax2.pk: ("not_applied", "本年度无采购项目")},
    )
    assert done.status == T.FED_BACK and done.fed_back_at is not None


def test_an_objection_suspends_the_measures_until_it_is_decided(
    samr_staff, entity, punishment_rule, measures
):
    listing = factories.listed(by=samr_staff, entity=entity, rule=punishment_rule)
    refused(
        lambda: services.listing_exit(actor=samr_staff, listing_id=listing.pk, reason="objection"),
        Conflict,
    )
    services.listing_suspend(actor=None, listing_id=listing.pk, reason="异议受理")
    assert not standing(entity).punishment_listed
    refused(
        lambda: services.listing_exit(
            actor=samr_staff, listing_id=listing.pk, reason="restoration"
        ),
        Conflict,
    )
    services.listing_resume(actor=samr_staff, listing_id=listing.pk, note="异议不成立")
    assert standing(entity).punishment_listed
    services.listing_suspend(actor=samr_staff, listing_id=listing.pk, reason="再次异议")
    exited = services.listing_exit(actor=samr_staff, listing_id=listing.pk, reason="objection")
    assert exited.exit_reason == "objection"
    assert not MeasureTask.objects.filter(listing=listing, status=T.OPEN).exists()


def test_listings_exit_when_their_period_ends(samr_staff, entity, punishment_rule, measures):
    listing = factories.listed(by=samr_staff, entity=entity, rule=punishment_rule)
    refused(
        lambda: services.listing_exit(actor=None, listing_id=listing.pk, reason="expiry"), Conflict
    )
    assert services.listings_expire() == 0
    Listing.objects.filter(pk=listing.pk).update(listed_until=factories.today())
    assert services.listings_expire() == 1
    listing.refresh_from_db()
    assert (listing.status, listing.exit_reason) == (L.EXITED, "expiry")
    assert services.listings_expire() == 0


def test_a_red_listing_sets_the_red_flag_and_incentive_tasks(samr, samr_staff, entity, tax):
    rule = factories.rule(samr, kind=ListKind.RED, code="RED-1")
    factories.measure(tax, code="GREEN", kinds=[ListKind.RED])
    factories.measure(tax, code="PUNISH")
    listing = factories.listed(by=samr_staff, entity=entity, rule=rule)
    assert standing(entity).red_listed and not standing(entity).punishment_listed
    assert list(
        MeasureTaskItem.objects.filter(task__listing=listing).values_list(
            "measure__code", flat=True
        )
    ) == ["GREEN"]
    assert not PersonMark.objects.exists()


def test_state_owned_and_public_sector_listings_notify_the_higher_authority_and_audit(
    samr, samr_staff, punishment_rule
):
    audit = registry_factories.department("AUDIT-110000", registers=False, name="北京市审计局")
    services.discipline_config_set(
        actor=registry_factories.platform_admin(),
        feedback_days=5,
        interview_days=5,
        red_clean_years=3,
        audit_office=audit,
    )
    soe = registry_factories.entity(by=samr_staff, state_owned=True)
    private = registry_factories.entity(by=samr_staff)
    listing = factories.listed(by=samr_staff, entity=soe, rule=punishment_rule)
    factories.listed(by=samr_staff, entity=private, rule=punishment_rule)
    notices = AuthorityNotice.objects.all()
    assert {(n.listing_id, n.recipient, n.department_id) for n in notices} == {
        (listing.pk, "higher_authority", samr.pk),
        (listing.pk, "audit_office", audit.pk),
    }


# --- rectification and interviews ---------------------------------------------------------------
def test_missed_deadlines_escalate_to_interviews_held_by_the_recognising_department(
    samr_staff, court_staff, entity
):
    tomorrow = factories.today() + datetime.timedelta(days=1)
    refused(
        lambda: services.rectification_order(
            actor=samr_staff, uscc=entity.uscc, requirement="整改", deadline=factories.today()
        )
    )
    order = services.rectification_order(
        actor=samr_staff, uscc=entity.uscc, requirement="补报年度报告", deadline=tomorrow
    )
    assert services.rectifications_escalate() == {"reminder": 0, "warning": 0}
    day_after = tomorrow + datetime.timedelta(days=1)
    assert services.rectifications_escalate(today=day_after)["reminder"] == 1
    assert services.rectifications_escalate(today=day_after) == {"reminder": 0, "warning": 0}
    order.refresh_from_db()
    assert order.status == Rectification.Status.OVERDUE
    reminder = Interview.objects.get(rectification=order)
    assert (reminder.kind, reminder.department_id) == ("reminder", order.department_id)

    hold = dict(interview_id=reminder.pk, held_on=factories.today(), summary="已告知整改要求")
    refused(lambda: services.interview_hold(actor=court_staff, **hold), PermissionDenied)
    refused(lambda: services.interview_hold(actor=samr_staff, **hold), Conflict)  # no new deadline
    new_deadline = factories.today() + datetime.timedelta(days=10)
    services.interview_hold(actor=samr_staff, **hold, new_deadline=new_deadline)
    order.refresh_from_db()
    assert (order.status, order.deadline) == (Rectification.Status.REMINDED, new_deadline)
    record = CreditRecord.objects.get(interview__pk=reminder.pk)
    assert record.catalogue_item.code == "YT" and record.entity_id == entity.uscc

    later = new_deadline + datetime.timedelta(days=1)
    assert services.rectifications_escalate(today=later)["warning"] == 1
    warning = Interview.objects.get(rectification=order, kind="warning")
    services.interview_hold(
        actor=samr_staff, interview_id=warning.pk, held_on=factories.today(), summary="警示"
    )
    order.refresh_from_db()
    assert order.status == Rectification.Status.WARNED
    services.rectification_complete(actor=samr_staff, rectification_id=order.pk)
    order.refresh_from_db()
    assert order.status == Rectification.Status.RECTIFIED


def test_rectifying_before_the_interview_cancels_it(samr_staff, entity):
    tomorrow = factories.today() + datetime.timedelta(days=1)
    order = services.rectification_order(
        actor=samr_staff, uscc=entity.uscc, requirement="整改", deadline=tomorrow
    )
    services.rectifications_escalate(today=tomorrow + datetime.timedelta(days=1))
    services.rectification_complete(actor=samr_staff, rectification_id=order.pk, note="已整改")
    assert Interview.objects.get(rectification=order).status == Interview.Status.CANCELLED


# --- access bans and personal liability ---------------------------------------------------------
def test_an_access_ban_binds_the_responsible_persons_and_warns_when_they_serve_elsewhere(
    samr, samr_staff, entity, legal_rep
):
    ban = services.access_ban_impose(
        actor=samr_staff,
        uscc=entity.uscc,
        field="food_drugs",
        starts=factories.today(),
        ends=None,
        reason="生产销售假药",
        legal_basis="药品管理法第一百一十八条",
    )
    assert list(ban.persons.all()) == [legal_rep]
    other = registry_factories.entity(by=samr_staff)
    assert services.liability_warnings_scan() == 0
    registry_services.entity_role_assign(
        actor=samr_staff, uscc=other.uscc, person=legal_rep, kind="legal_representative"
    )
    assert services.liability_warnings_scan() == 1
    assert services.liability_warnings_scan() == 0
    warning = LiabilityWarning.objects.get()
    assert (warning.entity, warning.ban, warning.department) == (other, ban, samr)
    refused(
        lambda: services.liability_warning_resolve(actor=samr_staff, warning_id=warning.pk, note="")
    )
    services.liability_warning_resolve(actor=samr_staff, warning_id=warning.pk, note="已责令变更")


def test_a_punishment_listing_marks_the_person_and_warns_on_appointment_elsewhere(
    samr_staff, entity, punishment_rule, legal_rep
):
    factories.listed(by=samr_staff, entity=entity, rule=punishment_rule)
    other = registry_factories.entity(by=samr_staff)
    registry_services.entity_role_assign(
        actor=samr_staff, uscc=other.uscc, person=legal_rep, kind="principal"
    )
    assert services.liability_warnings_scan() == 1
    assert LiabilityWarning.objects.get().mark.person == legal_rep


def test_access_ban_dates_are_checked(samr_staff, entity):
    refused(
        lambda: services.access_ban_impose(
            actor=samr_staff,
            uscc=entity.uscc,
            field="ecology",
            starts=factories.today(),
            ends=factories.today() - datetime.timedelta(days=1),
            reason="r",
            legal_basis="b",
        )
    )
    refused(
        lambda: services.access_ban_impose(
            actor=samr_staff,
            uscc=entity.uscc,
            field="casino",
            starts=factories.today(),
            ends=None,
            reason="r",
            legal_basis="b",
        )
    )


def test_a_basis_may_name_only_a_decision_of_the_entity(samr_staff, samr, entity, punishment_rule):
    other = registry_factories.entity(by=samr_staff, name="北京另一家科技有限公司")
    decision = registry_services.decision_record(
        actor=samr_staff,
        uscc=other.uscc,
        kind="penalty",
        document_number="京市监罚〔2026〕77号",
        decision_date=factories.today(),
        title="罚款",
        severity="general",
        penalty_type="fine",
        penalty_amount=1000,
    )
    for wrong in (decision.pk, 10**30, "x"):
        basis = {**factories.basis(), "decision_id": wrong}
        error = refused(
            lambda b=basis: factories.proposal(
                by=samr_staff, entity=entity, rule=punishment_rule, bases=[b]
            )
        )
        assert error.code == "invalid_basis"
    basis = {**factories.basis(), "decision_id": decision.pk}
    listing = factories.proposal(by=samr_staff, entity=other, rule=punishment_rule, bases=[basis])
    assert listing.bases.get().decision_id == decision.pk
