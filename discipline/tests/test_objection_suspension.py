"""While an objection is checked, what rests on the item is suspended (33/22): a suspended
listing's measure tasks are suspended and their departments told, bans resting on it stop
binding and show "under objection"; resuming restores each task's previous status; an exit
ends suspended tasks as it would have ended them; tasks and bans can be suspended on their own
by the objection service (actor None)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse
from rest_framework.test import APIClient

from credit_portal.errors import PermissionDenied
from credit_portal.outbox.models import Event
from discipline import selectors, services
from discipline.models import AccessBan, Listing, MeasureTask
from registry.roles import viewer_for

from . import factories

pytestmark = pytest.mark.django_db
T = MeasureTask.Status


@pytest.fixture
def setup(samr, tax, samr_staff, entity):
    factories.measure(tax, code="PROCUREMENT", ban_field="food_drugs")
    rule = factories.rule(samr, code="P")
    listing = factories.listed(by=samr_staff, entity=entity, rule=rule)
    ban = services.access_ban_impose(
        actor=samr_staff,
        uscc=entity.uscc,
        field="food_drugs",
        listing_id=listing.pk,
        starts=factories.today(),
        ends=None,
        reason="严重违法",
        legal_basis="食品安全法",
    )
    return listing, ban


def ask(staff, entity):
    return selectors.may_receive(viewer_for(staff), measure_code="PROCUREMENT", uscc=entity.uscc)


def test_suspending_a_listing_suspends_its_tasks_and_tells_their_departments(
    setup, samr_staff, tax_staff, entity
):
    listing, ban = setup
    task = MeasureTask.objects.get(listing=listing)
    assert task.status == T.OPEN and not ask(tax_staff, entity).allowed
    services.listing_suspend(actor=None, listing_id=listing.pk, reason="异议YY1核查中")
    task.refresh_from_db()
    assert task.status == T.SUSPENDED and task.suspended_from == T.OPEN
    assert "YY1" in task.suspend_reason
    event = Event.objects.get(kind="measure_task.suspended")
    assert event.payload["department"] == task.department.code
    # The ban resting on the suspended listing no longer binds, and the answer says why.
    answer = ask(tax_staff, entity)
    assert answer.allowed and answer.bans == [] and answer.bans_suspended == [ban]
    assert any("异议" in r for r in answer.reasons)
    services.listing_resume(actor=None, listing_id=listing.pk, note="异议不成立")
    task.refresh_from_db()
    assert task.status == T.OPEN and task.suspended_from == ""
    assert Event.objects.filter(kind="measure_task.resumed").count() == 1
    assert not ask(tax_staff, entity).allowed


def test_a_fed_back_task_returns_to_fed_back_and_an_exit_sets_it_to_be_lifted(
    setup, samr_staff, tax_staff
):
    listing, _ban = setup
    task = MeasureTask.objects.get(listing=listing)
    outcomes = {item.measure_id: ("applied", "") for item in task.items.all()}
    services.task_feedback(actor=tax_staff, task_id=task.pk, outcomes=outcomes)
    services.listing_suspend(actor=None, listing_id=listing.pk, reason="异议")
    task.refresh_from_db()
    assert task.suspended_from == T.FED_BACK
    services.listing_exit(actor=None, listing_id=listing.pk, reason="objection", note="异议成立")
    task.refresh_from_db()
    assert task.status == T.LIFTING and task.suspended_from == ""
    assert AccessBan.objects.get(listing=listing).lifted_at is not None


def test_a_suspended_open_task_is_cancelled_when_the_listing_exits(setup):
    listing, _ban = setup
    services.listing_suspend(actor=None, listing_id=listing.pk, reason="异议")
    services.listing_exit(actor=None, listing_id=listing.pk, reason="objection", note="异议成立")
    assert MeasureTask.objects.get(listing=listing).status == T.CANCELLED


def test_the_public_api_shows_a_ban_of_a_suspended_listing_as_under_objection(setup):
    listing, ban = setup
    url = reverse("discipline-api:access-ban-detail", args=[ban.pk])
    assert APIClient().get(url).json()["in_force"] is True
    services.listing_suspend(actor=None, listing_id=listing.pk, reason="异议")
    body = APIClient().get(url).json()
    assert body["in_force"] is False and body["under_objection"] is True


def test_a_ban_objected_to_on_its_own(setup, samr_staff, tax_staff, tax, entity):
    _listing, ban = setup
    services.access_ban_suspend(actor=None, ban_id=ban.pk, reason="异议YY2")
    ban.refresh_from_db()
    assert ban.suspended_at is not None
    services.access_ban_suspend(actor=None, ban_id=ban.pk, reason="again")  # harmless
    with pytest.raises(PermissionDenied):
        services.access_ban_resume(actor=tax_staff, ban_id=ban.pk, note="不是本部门的禁入")
    services.access_ban_resume(actor=None, ban_id=ban.pk, note="异议不成立")
    ban.refresh_from_db()
    assert ban.suspended_at is None
    services.access_ban_lift(actor=None, ban_id=ban.pk, reason="异议成立")
    ban.refresh_from_db()
    assert ban.lifted_at is not None


def test_a_task_objected_to_on_its_own(setup, samr_staff, tax_staff):
    listing, _ban = setup
    task = MeasureTask.objects.get(listing=listing)
    with pytest.raises(PermissionDenied):
        services.task_suspend(actor=tax_staff, task_id=task.pk, reason="异议")
    services.task_suspend(actor=None, task_id=task.pk, reason="异议YY3")
    task.refresh_from_db()
    assert task.status == T.SUSPENDED
    services.task_resume(actor=samr_staff, task_id=task.pk, note="异议不成立")
    task.refresh_from_db()
    assert task.status == T.OPEN
    services.task_suspend(actor=None, task_id=task.pk, reason="异议YY4")
    services.task_end(actor=None, task_id=task.pk, reason="异议成立")
    task.refresh_from_db()
    assert task.status == T.CANCELLED
    assert Event.objects.filter(kind="measure_task.ended").count() == 1
    # The listing itself is untouched.
    assert Listing.objects.get(pk=listing.pk).status == Listing.Status.LISTED


def test_a_failure_midway_leaves_nothing(setup, monkeypatch):
    listing, _ban = setup
    from discipline.services import listings as listing_services

    def boom(*args, **kwargs):
        raise RuntimeError("standing summary down")

    monkeypatch.setattr(listing_services, "_standing_refresh", boom)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.listing_suspend(actor=None, listing_id=listing.pk, reason="异议")
    assert Listing.objects.get(pk=listing.pk).status == Listing.Status.LISTED
    assert MeasureTask.objects.get(listing=listing).status == T.OPEN
    assert not Event.objects.filter(kind="measure_task.suspended").exists()
