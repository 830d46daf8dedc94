"""Decisions and their publicity: the 7-working-day clock, windows by severity, expiry,
restoration eligibility and withdrawal, each moved by the clock (2019 No. 35, art. 15)."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.utils import timezone
from guardian.shortcuts import assign_perm

from credit_portal.audit.models import AuditEvent
from credit_portal.calendar import add_working_days
from credit_portal.errors import Conflict, DomainError, PermissionDenied
from registry import selectors, services
from registry.models import CreditRecord, Decision, DepartmentAlert, PublicityWindow
from registry.roles import ANONYMOUS, viewer_for

pytestmark = pytest.mark.django_db
D = datetime.date.fromisoformat
SERIAL = itertools.count(1)


def record_decision(by, entity, **kwargs) -> Decision:
    defaults = {
        "kind": "penalty",
        "document_number": f"京市监罚〔2026〕{next(SERIAL)}号",
        "decision_date": D("2026-09-30"),
        "title": "未按规定公示年度报告",
        "severity": "general",
        "penalty_type": "fine",
        "penalty_amount": 5000,
    }
    defaults.update(kwargs)
    return services.decision_record(actor=by, uscc=entity.uscc, **defaults)


def test_due_date_is_seven_working_days_on_the_official_calendar(samr_staff, entity):
    decision = record_decision(samr_staff, entity)  # National Day holiday in between
    assert decision.publicity_due == D("2026-10-15")
    assert decision.publicity_due_provisional is False


def test_due_date_in_an_unknown_year_is_provisional_not_an_error(samr_staff, entity, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: D("2026-12-31"))
    decision = record_decision(samr_staff, entity, decision_date=D("2026-12-28"))
    assert decision.publicity_due == D("2027-01-06")
    assert decision.publicity_due_provisional is True


def test_overdue_is_flagged_once_and_resolved_by_publication(samr_staff, entity):
    decision = record_decision(samr_staff, entity)
    assert services.publicity_flag_overdue(today=D("2026-10-15")) == 0  # due day itself: on time
    assert services.publicity_flag_overdue(today=D("2026-10-16")) == 1
    assert services.publicity_flag_overdue(today=D("2026-10-17")) == 0  # idempotent
    alert = DepartmentAlert.objects.get(decision=decision)
    assert alert.department == decision.department and alert.resolved_at is None
    assert list(selectors.department_alerts(viewer_for(samr_staff))) == [alert]
    services.decision_publish(actor=samr_staff, decision_id=decision.pk)
    assert not selectors.department_alerts(viewer_for(samr_staff)).exists()
    assert AuditEvent.objects.filter(action="publicity.flag_overdue").count() == 1


@pytest.mark.parametrize(
    ("severity", "restoration_months", "max_months"),
    [("minor", 3, 3), ("general", 3, 12), ("serious", 12, 36)],
)
def test_publication_writes_record_and_window_by_severity(
    samr_staff, entity, severity, restoration_months, max_months
):
    decision = record_decision(samr_staff, entity, severity=severity)
    services.decision_publish(actor=samr_staff, decision_id=decision.pk)
    decision.refresh_from_db()
    window = decision.record.window
    today = timezone.localdate()
    assert decision.status == "published" and decision.record.published_at is not None
    assert window.restoration_from == services.add_months(today, restoration_months)
    assert window.shown_until == services.add_months(today, max_months)
    assert [r.pk for r in selectors.entity_records(ANONYMOUS, entity)] == [decision.record_id]


def test_a_warning_is_recorded_but_not_published(samr_staff, entity):
    decision = record_decision(
        samr_staff, entity, severity="warning", penalty_type="warning", penalty_amount=None
    )
    services.decision_publish(actor=samr_staff, decision_id=decision.pk)
    decision.refresh_from_db()
    assert decision.record.scope == "shared"
    assert not PublicityWindow.objects.exists()
    assert selectors.entity_records(ANONYMOUS, entity) == []
    assert not selectors.decisions_visible(ANONYMOUS).exists()


def test_window_expiry_and_restoration_eligibility_move_with_the_clock(samr_staff, entity):
    decision = record_decision(samr_staff, entity, severity="general")
    services.decision_publish(actor=samr_staff, decision_id=decision.pk)
    decision.refresh_from_db()
    window = PublicityWindow.objects.get()
    before_min = window.restoration_from - datetime.timedelta(days=1)
    assert services.publicity_windows_close(today=before_min) == {
        "expired": 0,
        "restoration_open": 0,
    }
    assert services.publicity_windows_close(today=window.restoration_from) == {
        "expired": 0,
        "restoration_open": 1,
    }
    assert services.publicity_windows_close(today=window.shown_until) == {
        "expired": 0,
        "restoration_open": 0,
    }  # the last day is still shown
    after_max = window.shown_until + datetime.timedelta(days=1)
    assert services.publicity_windows_close(today=after_max)["expired"] == 1
    window.refresh_from_db()
    assert window.stop_reason == "expired"
    assert selectors.entity_records(ANONYMOUS, entity) == []  # display stopped
    assert [r.pk for r in selectors.entity_records(viewer_for(samr_staff), entity)] == [
        decision.record_id
    ]  # the ledger and internal views keep it


def test_display_stops_at_the_maximum_even_before_the_nightly_job(samr_staff, entity, monkeypatch):
    decision = record_decision(samr_staff, entity, severity="minor")
    services.decision_publish(actor=samr_staff, decision_id=decision.pk)
    shown_until = PublicityWindow.objects.get().shown_until
    monkeypatch.setattr(timezone, "localdate", lambda *a: shown_until + datetime.timedelta(days=1))
    assert selectors.entity_records(ANONYMOUS, entity) == []


def test_changed_decision_is_withdrawn_and_the_ledger_keeps_history(samr_staff, entity):
    decision = record_decision(samr_staff, entity)
    services.decision_publish(actor=samr_staff, decision_id=decision.pk)
    services.decision_change(
        actor=samr_staff, decision_id=decision.pk, change="revoked", reason="行政复议撤销"
    )
    decision.refresh_from_db()
    assert decision.status == "withdrawn" and decision.withdrawn_at is not None
    assert decision.withdrawal_due == add_working_days(timezone.localdate(), 3).value
    assert PublicityWindow.objects.get().stop_reason == "withdrawn"
    assert selectors.entity_records(ANONYMOUS, entity) == []
    assert not selectors.decisions_visible(ANONYMOUS).exists()
    assert CreditRecord.objects.filter(entity=entity).count() == 2  # original + revocation
    with pytest.raises(Conflict):
        services.decision_publish(actor=samr_staff, decision_id=decision.pk)


@pytest.mark.parametrize(
    ("recorded_on", "on_time"),
    [
        ("2026-09-30", True),  # the day of the change
        ("2026-10-10", True),  # the 3rd working day: a make-up working Saturday
        ("2026-10-12", False),  # the 4th: late, but withdrawn all the same
    ],
)
def test_withdrawal_is_due_three_working_days_after_the_change(
    samr_staff, entity, monkeypatch, recorded_on, on_time
):
    decision = record_decision(samr_staff, entity, decision_date=D("2026-09-01"))
    decision = services.decision_publish(actor=samr_staff, decision_id=decision.pk)
    assert [r.pk for r in selectors.entity_records(ANONYMOUS, entity)] == [decision.record_id]
    # The change (a reconsideration ruling) is dated the day before the National Day holiday.
    monkeypatch.setattr(timezone, "localdate", lambda *a: D(recorded_on))
    services.decision_change(
        actor=samr_staff,
        decision_id=decision.pk,
        change="annulled",
        reason="复议机关确认无效",
        change_date=D("2026-09-30"),
    )
    decision.refresh_from_db()
    assert decision.change_date == D("2026-09-30")
    assert decision.withdrawal_due == D("2026-10-10")  # Oct 8, Oct 9, Sat Oct 10
    assert selectors.entity_records(ANONYMOUS, entity) == []  # display stops at once
    event = AuditEvent.objects.get(action="decision.withdraw")
    assert event.after["on_time"] is on_time
    assert event.after["withdrawal_due"] == "2026-10-10"


@pytest.mark.parametrize(
    ("change_date", "code"),
    [("2026-10-16", "date_in_future"), ("2026-08-31", "change_before_decision")],
)
def test_a_change_date_in_the_future_or_before_the_decision_is_refused(
    samr_staff, entity, monkeypatch, change_date, code
):
    decision = record_decision(samr_staff, entity, decision_date=D("2026-09-01"))
    services.decision_publish(actor=samr_staff, decision_id=decision.pk)
    monkeypatch.setattr(timezone, "localdate", lambda *a: D("2026-10-15"))
    before = (CreditRecord.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError) as raised:
        services.decision_change(
            actor=samr_staff,
            decision_id=decision.pk,
            change="revoked",
            reason="撤销",
            change_date=D(change_date),
        )
    assert raised.value.code == code and raised.value.field == "change_date"
    decision.refresh_from_db()
    assert decision.status == "published" and decision.change == ""
    assert (CreditRecord.objects.count(), AuditEvent.objects.count()) == before


def test_another_department_cannot_publish_or_withdraw(samr_staff, tax_staff, entity):
    decision = record_decision(samr_staff, entity)
    counts = (CreditRecord.objects.count(), AuditEvent.objects.count())
    with pytest.raises(PermissionDenied):
        services.decision_publish(actor=tax_staff, decision_id=decision.pk)
    with pytest.raises(PermissionDenied):
        services.decision_change(
            actor=tax_staff, decision_id=decision.pk, change="revoked", reason="x"
        )
    decision.refresh_from_db()
    assert decision.status == "recorded"
    assert (CreditRecord.objects.count(), AuditEvent.objects.count()) == counts


def test_a_successor_department_can_be_given_the_decisions_of_another(
    samr_staff, tax_staff, entity
):
    """Ownership is a guardian permission on the deciding department: one row hands all its
    decisions to a successor (a merger), none is written per decision."""
    decision = record_decision(samr_staff, entity)
    samr, tax = decision.department, viewer_for(tax_staff).department
    assert services.department_manages_decision(samr, decision)
    assert not services.department_manages_decision(tax, decision)
    assign_perm(services.DECISION_PERM, tax.group, samr)
    services.decision_publish(actor=tax_staff, decision_id=decision.pk)
    decision.refresh_from_db()
    assert decision.status == "published" and decision.department == samr


def test_unpublished_decisions_are_invisible_to_the_public(samr_staff, tax_staff, entity):
    decision = record_decision(samr_staff, entity)
    assert not selectors.decisions_visible(ANONYMOUS).exists()
    assert not selectors.decisions_visible(viewer_for(tax_staff)).exists()
    assert list(selectors.decisions_visible(viewer_for(samr_staff))) == [decision]


def test_the_same_document_number_is_a_conflict(samr_staff, entity):
    record_decision(samr_staff, entity, document_number="京市监罚〔2026〕1号")
    with pytest.raises(Conflict):
        record_decision(samr_staff, entity, document_number="京市监罚〔2026〕1号")


# --- fulfilment (restoration counts it without asking the entity for proof) ------------------
def test_the_deciding_department_records_fulfilment_once(samr_staff, tax_staff, entity):
    made = services.decision_record(
        actor=samr_staff,
        uscc=entity.uscc,
        kind="penalty",
        document_number="京市监罚〔2026〕808号",
        decision_date=timezone.localdate() - datetime.timedelta(days=10),
        title="虚假宣传",
        severity="general",
        penalty_type="fine",
        penalty_amount=1000,
    )
    with pytest.raises(Conflict):  # not published yet
        services.decision_fulfilment_record(actor=samr_staff, decision_id=made.pk)
    services.decision_publish(actor=samr_staff, decision_id=made.pk)
    with pytest.raises(PermissionDenied):
        services.decision_fulfilment_record(actor=tax_staff, decision_id=made.pk)
    with pytest.raises(DomainError):
        services.decision_fulfilment_record(
            actor=samr_staff,
            decision_id=made.pk,
            fulfilled_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    done = services.decision_fulfilment_record(
        actor=samr_staff, decision_id=made.pk, note="罚款已缴清"
    )
    assert done.fulfilled_on == timezone.localdate() and done.fulfilment_note == "罚款已缴清"
    again = services.decision_fulfilment_record(actor=samr_staff, decision_id=made.pk, note="再次")
    assert again.fulfilment_note == "罚款已缴清"
