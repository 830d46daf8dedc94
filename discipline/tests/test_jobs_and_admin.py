"""The discipline jobs (beat schedule -> task -> service, safe to run twice) and the admin,
where the credit centre adds list-rule and measure versions through the services and
publishes them."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from credit_portal.celery import app, installed_beat_schedule
from discipline import tasks
from discipline.models import Interview, Listing, ListRule, Measure, Rectification
from registry.tests import factories as registry_factories

from . import factories

pytestmark = pytest.mark.django_db


def test_every_discipline_job_is_scheduled_and_registered():
    names = {entry["task"] for entry in installed_beat_schedule().values()}
    for task in ("listings_expire", "rectifications_escalate", "liability_warnings_scan"):
        assert f"discipline.tasks.{task}" in names
        assert f"discipline.tasks.{task}" in app.tasks


def test_expiry_job_exits_a_listing_whose_period_ended_once(samr, samr_staff, entity, monkeypatch):
    rule = factories.rule(samr, period_months=12)
    listing = factories.listed(by=samr_staff, entity=entity, rule=rule)
    assert tasks.listings_expire() == 0  # still in force
    later = listing.listed_until
    monkeypatch.setattr(timezone, "localdate", lambda *a: later)
    assert tasks.listings_expire() == 1
    listing.refresh_from_db()
    assert (listing.status, listing.exit_reason) == (Listing.Status.EXITED, "expiry")
    assert tasks.listings_expire() == 0  # twice: nothing more


def test_rectification_job_gives_the_recognising_department_one_interview(
    samr, samr_staff, entity, monkeypatch
):
    from discipline import services

    today = timezone.localdate()
    order = services.rectification_order(
        actor=samr_staff,
        uscc=entity.uscc,
        requirement="整改",
        deadline=today + datetime.timedelta(1),
    )
    assert tasks.rectifications_escalate() == {"reminder": 0, "warning": 0}
    monkeypatch.setattr(timezone, "localdate", lambda *a: today + datetime.timedelta(days=2))
    assert tasks.rectifications_escalate()["reminder"] == 1
    assert tasks.rectifications_escalate()["reminder"] == 0
    order.refresh_from_db()
    assert order.status == Rectification.Status.OVERDUE
    (interview,) = Interview.objects.filter(rectification=order)
    assert (interview.kind, interview.department_id) == ("reminder", samr.pk)


def test_admin_adds_a_rule_version_through_the_service_and_publishes_it(client, samr):
    admin = registry_factories.platform_admin()
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    data = {
        "code": "ADMIN-RULE",
        "kind": "punishment",
        "name": "测试名单",
        "name_en": "",
        "bases": ["penalty"],
        "standards": "标准",
        "procedure": "程序",
        "objection_route": "异议",
        "exit_conditions": "移出",
        "period_months": "24",
        "statement_days": "5",
        "legal_basis": "",
        "recognising_departments": [samr.pk],
    }
    response = client.post("/admin/discipline/listrule/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    rule = ListRule.objects.get(code="ADMIN-RULE")
    assert (rule.version, rule.published_at) == (1, None)
    assert list(rule.recognising_departments.all()) == [samr]
    # A red-list basis on a punishment rule is the service's refusal, shown on the form.
    bad = client.post("/admin/discipline/listrule/add/", {**data, "bases": ["reward"]})
    assert bad.status_code == 200 and "表彰奖励只能作为红名单的认定依据" in bad.content.decode()
    assert ListRule.objects.filter(code="ADMIN-RULE").count() == 1
    client.post(
        "/admin/discipline/listrule/",
        {"action": "publish", "_selected_action": [rule.pk]},
    )
    rule.refresh_from_db()
    assert rule.published_at is not None
    # Published versions are read-only in the admin.
    assert client.post(f"/admin/discipline/listrule/{rule.pk}/change/", data).status_code == 403


def test_admin_adds_and_publishes_a_measure(client, samr):
    admin = registry_factories.platform_admin()
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    response = client.post(
        "/admin/discipline/measure/add/",
        {
            "code": "ADMIN-M",
            "name": "限制参与政府采购",
            "name_en": "",
            "category": "market",
            "effect": "punishment",
            "mandatory": "on",
            "legal_basis": "国发〔2016〕33号",
            "department": samr.pk,
            "list_kinds": ["punishment"],
            "ban_field": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    measure = Measure.objects.get(code="ADMIN-M")
    client.post(
        "/admin/discipline/measure/", {"action": "publish", "_selected_action": [measure.pk]}
    )
    measure.refresh_from_db()
    assert measure.published_at is not None and measure.list_kinds == ["punishment"]
