"""Eligibility is computed from the record (35/13, 33/21): table-driven, one day either side
of each boundary, and every refusal names its reason and the day from which to apply."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from discipline.tests import factories as discipline_factories
from registry.models import CatalogueItem, PublicityRule
from registry.services import add_months
from registry.tests import factories as registry_factories
from restoration import eligibility, services

from .conftest import days, penalty, restorable_from

pytestmark = pytest.mark.django_db


def one(entity, key: str, today: datetime.date) -> eligibility.Candidate:
    found = {c.key: c for c in eligibility.candidates(entity, today=today)}
    return found[key]


@pytest.mark.parametrize(
    ("offset", "eligible"),
    [(-1, False), (0, True), (1, True)],
    ids=["day-before-minimum", "minimum-day", "day-after-minimum"],
)
def test_a_penalty_is_restorable_from_the_end_of_its_minimum_period(
    samr_staff, entity, offset, eligible
):
    decision = penalty(samr_staff, entity)
    boundary = days(200)
    restorable_from(decision, boundary)
    c = one(entity, f"record:{decision.record_id}", boundary + datetime.timedelta(days=offset))
    assert c.eligible is eligible
    if not eligible:
        assert boundary.isoformat() in c.reasons[0]
        assert "minimum publicity period" in c.reasons[0]
        assert c.available_from == boundary


@pytest.mark.parametrize(("offset", "eligible"), [(-1, False), (0, True)])
def test_a_record_without_a_window_counts_its_minimum_from_when_it_was_shown(
    samr_staff, entity, offset, eligible
):
    """A record entered directly (or a commitment breach) has no window of its own: the
    minimum of its severity's rule (general: 3 months) counts from its recording."""
    record = registry_factories.record(by=samr_staff, ent=entity, severity="general")
    shown = timezone.localtime(record.published_at or record.created_at).date()
    boundary = add_months(shown, 3)
    c = one(entity, f"record:{record.pk}", boundary + datetime.timedelta(days=offset))
    assert c.eligible is eligible
    if not eligible:
        assert c.available_from == boundary


def test_a_severity_whose_rule_sets_no_minimum_has_no_early_restoration(samr_staff, entity):
    PublicityRule.objects.filter(severity="general").update(min_months=None)
    decision = penalty(samr_staff, entity, severity="general")
    c = one(entity, f"record:{decision.record_id}", days(300))
    assert not c.eligible
    assert "allow no early restoration" in c.reasons[0]
    assert c.available_from is None


def test_a_barred_kind_is_refused_with_its_rule(samr_staff, entity):
    decision = penalty(samr_staff, entity, penalty_type="revocation")
    restorable_from(decision, days(-1))
    admin = registry_factories.platform_admin()
    bar = services.restoration_bar_add(
        actor=admin, penalty_type="revocation", rule="吊销许可证件的，不予提前修复"
    )
    c = one(entity, f"record:{decision.record_id}", days(0))
    assert c.reasons == [
        "按规定不予提前修复：吊销许可证件的，不予提前修复 / Not restorable early under the "
        "rule: 吊销许可证件的，不予提前修复"
    ]
    # A bar on another catalogue item does not touch it.
    services.restoration_bar_retire(actor=admin, bar_id=bar.pk)
    services.restoration_bar_add(
        actor=admin, catalogue_item=CatalogueItem.objects.get(code="XK"), rule="许可类不予修复"
    )
    assert one(entity, f"record:{decision.record_id}", days(0)).eligible


def test_a_repeat_of_the_same_conduct_in_the_period_refuses_until_the_repeat_may_be_restored(
    samr_staff, entity
):
    first = penalty(samr_staff, entity, decision_date=days(-400))
    restorable_from(first, days(-1))
    again = penalty(samr_staff, entity, decision_date=days(-10), title="再次虚假宣传")
    restorable_from(again, days(300))
    c = one(entity, f"record:{first.record_id}", days(0))
    assert not c.eligible
    assert days(-10).isoformat() in c.reasons[0] and "再次虚假宣传" in c.reasons[0]
    assert c.available_from == days(300)
    # The later record itself is not a repeat of anything after it.
    assert "recorded again" not in " ".join(
        one(entity, f"record:{again.record_id}", days(0)).reasons
    )


@pytest.mark.parametrize(
    ("offset", "eligible"), [(-1, False), (0, True), (1, True)], ids=["before", "on", "after"]
)
def test_a_listing_is_restorable_once_its_rules_minimum_punishment_period_has_passed(
    samr, samr_staff, entity, decision, offset, eligible
):
    rule = discipline_factories.rule(samr, code="R-12", restoration_after_months=12)
    basis = {**discipline_factories.basis("penalty"), "decision_id": decision.pk}
    listing = discipline_factories.listed(by=samr_staff, entity=entity, rule=rule, bases=[basis])
    boundary = add_months(listing.listed_from, 12)
    c = one(entity, f"listing:{listing.pk}", boundary + datetime.timedelta(days=offset))
    assert c.eligible is eligible
    if not eligible:
        assert "minimum punishment period" in c.reasons[0]
        assert c.available_from == boundary


def test_a_listing_whose_rule_allows_no_early_restoration_is_refused(
    samr, samr_staff, entity, decision
):
    rule = discipline_factories.rule(samr, code="R-NONE", restoration_after_months=None)
    basis = {**discipline_factories.basis("penalty"), "decision_id": decision.pk}
    listing = discipline_factories.listed(by=samr_staff, entity=entity, rule=rule, bases=[basis])
    c = one(entity, f"listing:{listing.pk}", days(5000))
    assert not c.eligible and "list rule allows no early restoration" in c.reasons[0]


def test_every_reason_is_given_at_once(samr_staff, entity):
    first = penalty(samr_staff, entity, penalty_type="revocation", decision_date=days(-400))
    restorable_from(first, days(30))
    penalty(samr_staff, entity, decision_date=days(-5))
    services.restoration_bar_add(
        actor=registry_factories.platform_admin(), penalty_type="revocation", rule="吊销不予修复"
    )
    c = one(entity, f"record:{first.record_id}", days(0))
    assert len(c.reasons) == 3


def test_the_portal_finds_a_fulfilled_decision_itself(samr_staff, entity, decision, fulfilled):
    c = one(entity, f"record:{decision.record_id}", days(0))
    assert c.eligible and "fulfilled" in c.found_proof


def test_positive_and_other_entities_records_are_not_candidates(samr_staff, entity):
    other = registry_factories.entity(by=samr_staff, name="另一家公司")
    theirs = penalty(samr_staff, other)
    reward = registry_factories.record(
        by=samr_staff, ent=entity, catalogue_code="JL", severity="none"
    )
    keys = {c.key for c in eligibility.candidates(entity)}
    assert f"record:{theirs.record_id}" not in keys
    assert f"record:{reward.pk}" not in keys


@pytest.mark.parametrize(("offset", "eligible"), [(-1, False), (0, True)])
def test_a_commitment_breach_record_is_restorable_after_the_unrated_minimum(
    samr_staff, entity, template, offset, eligible
):
    """A breach is written without a severity: the configured minimum for such records
    (3 months by default) counts from its recording."""
    from commitments import services as commitment_services

    commitment = commitment_services.commitment_make(
        actor=samr_staff, uscc=entity.uscc, kind="restoration", template_id=template.pk
    )
    breached = commitment_services.commitment_fulfilment_record(
        actor=samr_staff, commitment_id=commitment.pk, fulfilment="none", note="未履行"
    )
    breached.refresh_from_db()
    record = breached.breach_record
    shown = timezone.localtime(record.published_at or record.created_at).date()
    boundary = add_months(shown, 3)
    c = one(entity, f"record:{record.pk}", boundary + datetime.timedelta(days=offset))
    assert c.eligible is eligible
    if not eligible:
        assert c.available_from == boundary
