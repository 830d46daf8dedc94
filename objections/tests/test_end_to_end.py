"""Issue 15's "done when", end to end through the services and the API: while an objection is
open, "may receive" does not apply the measures or bans resting on the objected decision, the
public pages show "异议处理中" instead of the punishment, the implementing department has a
notice; after rejection all of it is back; after upholding, the record is revoked on every
public surface and the listing has exited."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from credit_portal.outbox.models import Event
from discipline.models import Listing, MeasureTask

from .. import services

pytestmark = pytest.mark.django_db
MARK = '<span class="badge alert">异议核查中</span>'  # a listing's mark (not the page's hint)


@pytest.fixture(autouse=True)
def _no_page_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def food_measure(tax):
    from discipline.tests import factories as discipline_factories

    return discipline_factories.measure(tax, code="FOOD-LICENCE", ban_field="food_drugs")


def may_receive(user, uscc: str, measure: str) -> dict:
    api = APIClient()
    api.force_authenticate(user)
    response = api.post(
        "/api/v1/may-receive/", {"measure": measure, "uscc": uscc, "purpose": "审批"}
    )
    assert response.status_code == 200, response.content
    return response.json()


def public(entity, tab: str = "") -> str:
    url = reverse("public:entity", args=[entity.uscc]) + (f"?tab={tab}" if tab else "")
    return Client().get(url).content.decode()


def file_against(entity, decision):
    return services.objection_file(
        actor=None,
        uscc=entity.uscc,
        target_kind="decision",
        target_id=decision.pk,
        grounds="该处罚决定已被复议机关撤销。",
        filer_name="李四",
        filer_contact="13800000000",
    ).case


def decide(objection, outcome, staff, head, **correction):
    services.objection_propose(
        actor=staff,
        objection_id=objection.pk,
        outcome=outcome,
        reasons="经核查。",
        correction=correction or None,
    )
    api = APIClient()
    api.force_authenticate(head)
    assert api.post(f"/api/v1/objections/{objection.pk}/approve/").status_code == 200


def test_open_then_rejected(
    entity, decision, listing, ban, tax_measure, food_measure, tax_staff, samr_staff, samr_head
):
    assert not may_receive(tax_staff, entity.uscc, "M-TAX-1")["allowed"]
    assert not may_receive(tax_staff, entity.uscc, "FOOD-LICENCE")["allowed"]
    objection = file_against(entity, decision)

    # Open: nothing resting on the decision refuses, and the answer says why.
    answer = may_receive(tax_staff, entity.uscc, "M-TAX-1")
    assert answer["allowed"] and any("异议" in r for r in answer["reasons"])
    food = may_receive(tax_staff, entity.uscc, "FOOD-LICENCE")
    assert food["allowed"] and food["bans_suspended"]
    task = MeasureTask.objects.get(listing=listing)
    assert task.status == MeasureTask.Status.SUSPENDED
    notice = Event.objects.get(kind="measure_task.suspended")
    assert notice.payload["department"] == tax_measure.department.code
    assert notice.payload["task"] == task.pk
    assert "异议处理中" in public(entity, "penalties")
    lists = public(entity, "lists")
    assert MARK in lists
    ban_api = APIClient().get(f"/api/v1/access-bans/{ban.pk}/").json()
    assert ban_api["in_force"] is False and ban_api["under_objection"] is True

    decide(objection, "rejected", samr_staff, samr_head)
    # Rejected: every effect is back.
    assert not may_receive(tax_staff, entity.uscc, "M-TAX-1")["allowed"]
    assert not may_receive(tax_staff, entity.uscc, "FOOD-LICENCE")["allowed"]
    task.refresh_from_db()
    assert task.status == MeasureTask.Status.OPEN
    assert Event.objects.filter(kind="measure_task.resumed").count() == 1
    assert "异议处理中" not in public(entity, "penalties")
    assert APIClient().get(f"/api/v1/access-bans/{ban.pk}/").json()["in_force"] is True
    decided = Event.objects.get(kind="objection.decided")
    assert decided.payload["outcome"] == "rejected"


def test_open_then_upheld(entity, decision, listing, ban, tax_staff, samr_staff, samr_head):
    objection = file_against(entity, decision)
    decide(objection, "upheld", samr_staff, samr_head)
    listing.refresh_from_db()
    assert listing.status == Listing.Status.EXITED
    assert listing.exit_reason == Listing.ExitReason.OBJECTION
    ban.refresh_from_db()
    assert ban.lifted_at is not None
    assert MeasureTask.objects.get(listing=listing).status == MeasureTask.Status.CANCELLED
    # The revoked decision is gone from every public surface: the entity page, the publicity
    # board and the public API of decisions and records.
    assert decision.title not in public(entity, "penalties")
    assert (
        decision.document_number not in Client().get(reverse("public:publicity")).content.decode()
    )
    decisions = APIClient().get("/api/v1/decisions/", {"uscc": entity.uscc}).json()
    assert decision.document_number not in str(decisions)
    records = APIClient().get("/api/v1/records/", {"uscc": entity.uscc}).json()
    assert decision.title not in str(records)
    assert MARK not in public(entity, "lists")
    # The standing summary follows: the entity is no longer punishment-listed.
    entity.standing.refresh_from_db()
    assert entity.standing.punishment_listed is False
    assert Event.objects.get(kind="objection.decided").payload["outcome"] == "upheld"
