"""The clocks on the official calendar (docs/architecture.md §5, defaults 1, 2 and 5 working
days; tip-offs 15): filings before the National Day holiday of 2026 and on its make-up
Saturday (2026-10-10), and each clock that runs out escalating exactly once."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from credit_portal.outbox.models import Event
from registry.roles import viewer_for
from registry.tests import factories as registry_factories

from .. import selectors, services
from ..models import Escalation, ObjectionConfig

pytestmark = pytest.mark.django_db
D = datetime.date.fromisoformat


@pytest.fixture
def on_day(monkeypatch):
    def set_day(day: str) -> None:
        monkeypatch.setattr(timezone, "localdate", lambda *a: D(day))

    return set_day


def file(entity, record=None):
    return services.objection_file(
        actor=None,
        uscc=entity.uscc,
        target_kind="record" if record else "other",
        target_id=record.pk if record else None,
        grounds="信息有误",
        filer_name="甲",
        filer_contact="1",
    ).case


@pytest.mark.parametrize(
    ("filed", "mark", "forward", "decide"),
    [
        # Wednesday before the holiday (1-7 October): the next working day is Thursday the 8th.
        ("2026-09-30", "2026-10-08", "2026-10-09", "2026-10-13"),
        # Filed during the holiday: counted from the first working day after it.
        ("2026-10-03", "2026-10-08", "2026-10-09", "2026-10-13"),
        # The make-up Saturday is a working day, and so counts.
        ("2026-10-09", "2026-10-10", "2026-10-12", "2026-10-15"),
        ("2026-10-10", "2026-10-12", "2026-10-13", "2026-10-16"),
    ],
)
def test_due_days_follow_the_official_calendar(
    on_day, samr_staff, entity, filed, mark, forward, decide
):
    on_day(filed)
    record = registry_factories.record(by=samr_staff, ent=entity)
    held = file(entity, record)
    assert (held.mark_due, held.decide_due) == (D(mark), D(decide))
    forwarded = file(entity)
    assert forwarded.forward_due == D(forward) and forwarded.decide_due is None


def test_the_clocks_are_configurable(on_day, samr_staff, entity):
    on_day("2026-09-30")
    ObjectionConfig.objects.create(decide_days=3)
    record = registry_factories.record(by=samr_staff, ent=entity)
    assert file(entity, record).decide_due == D("2026-10-10")


def test_a_clock_that_runs_out_escalates_once_to_the_head_and_the_platform(
    on_day, samr, samr_staff, entity
):
    on_day("2026-09-30")
    record = registry_factories.record(by=samr_staff, ent=entity)
    held = file(entity, record)
    loose = file(entity)
    assert services.objections_clock(today=D("2026-10-09"))["escalated"] == 0
    # The forwarding clock (due the 9th) has run out on the 10th; the decision's is due the 13th.
    assert services.objections_clock(today=D("2026-10-10"))["escalated"] == 1
    assert services.objections_clock(today=D("2026-10-13"))["escalated"] == 0
    assert services.objections_clock(today=D("2026-10-14"))["escalated"] == 1
    for _again in range(2):
        assert services.objections_clock(today=D("2026-10-20"))["escalated"] == 0
    assert Escalation.objects.filter(objection=held, clock="decide").count() == 1
    assert Escalation.objects.filter(objection=loose, clock="forward").count() == 1
    assert Event.objects.filter(kind="objection.escalated").count() == 2
    head = registry_factories.staff(samr, role="head", username="samr-head-clock")
    admin = registry_factories.platform_admin()
    assert set(selectors.escalations_for(viewer_for(head)).values_list("clock", flat=True)) == {
        "decide"
    }
    assert selectors.escalations_for(viewer_for(admin)).count() == 2
    assert selectors.escalations_for(viewer_for(samr_staff)).count() == 0


def test_a_decided_objection_does_not_escalate(on_day, samr, samr_staff, entity):
    on_day("2026-09-30")
    record = registry_factories.record(by=samr_staff, ent=entity)
    held = file(entity, record)
    head = registry_factories.staff(samr, role="head", username="samr-head-2")
    services.objection_propose(
        actor=samr_staff, objection_id=held.pk, outcome="rejected", reasons="无误"
    )
    services.objection_approve(actor=head, objection_id=held.pk)
    assert services.objections_clock(today=D("2026-12-01"))["escalated"] == 0


def test_tipoffs_have_their_own_clock(on_day, entity, samr):
    on_day("2026-09-30")
    tipoff = services.tipoff_file(actor=None, uscc=entity.uscc, conduct="举报", anonymous=True)
    assert tipoff.case.due == D("2026-10-27")  # 15 working days, the holiday skipped
    assert services.objections_clock(today=D("2026-10-27"))["escalated"] == 0
    assert services.objections_clock(today=D("2026-10-28"))["escalated"] == 1
    assert services.objections_clock(today=D("2026-10-29"))["escalated"] == 0


def test_the_settings_change_through_an_audited_service(samr_staff):
    from credit_portal.audit.models import AuditEvent
    from credit_portal.errors import DomainError, PermissionDenied

    admin = registry_factories.platform_admin()
    with pytest.raises(PermissionDenied):
        services.objection_config_set(actor=samr_staff, decide_days=3)
    with pytest.raises(DomainError) as refused:
        services.objection_config_set(actor=admin, decide_days=0)
    assert refused.value.field == "decide_days"
    services.objection_config_set(actor=admin, decide_days=7)
    assert services.objection_config().decide_days == 7
    assert services.objection_config().mark_days == 1  # the others kept
    assert AuditEvent.objects.filter(action="objection_config.set").count() == 1
