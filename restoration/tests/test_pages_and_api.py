"""The public pages, the workbench and the API of restoration: who may do and see what, bad
input refused with the message and nothing lost, English pages, statistics."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from registry.services import api_client_create
from registry.tests import factories as registry_factories
from restoration import services
from restoration.models import RestorationApplication

from .conftest import apply, approve, days, pdf, restorable_from

pytestmark = pytest.mark.django_db
S = RestorationApplication.Status


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_visitors_read_what_restoration_is_and_are_sent_to_sign_in(client):
    page = client.get(reverse("restoration:index"))
    assert page.status_code == 200
    assert "不收取任何费用" in page.content.decode()
    assert reverse("workbench:login") in page.content.decode()
    apply_page = client.get(reverse("restoration:apply"))
    assert apply_page.status_code == 302 and "login" in apply_page["Location"]


def test_staff_cannot_apply_for_an_entity(samr_staff):
    page = signed_in(samr_staff).get(reverse("restoration:apply"))
    assert page.status_code == 403
    assert "本单位账号" in page.content.decode()


def test_the_entity_sees_what_it_may_restore_now_and_from_when_for_the_rest(
    samr_staff, entity, entity_user, decision, template
):
    from .conftest import penalty

    later = penalty(samr_staff, entity, title="未按期公示年报", decision_date=days(-200))
    restorable_from(later, days(30))
    text = signed_in(entity_user).get(reverse("restoration:index")).content.decode()
    assert "虚假宣传" in text and "未按期公示年报" in text
    assert days(30).isoformat() in text  # the day it may be applied for


def test_a_bad_application_keeps_what_was_typed_and_says_what_is_wrong(
    entity_user, decision, template
):
    client = signed_in(entity_user)
    page = client.post(
        reverse("restoration:apply"),
        {
            "items": [f"record:{decision.record_id}"],
            "correction": "罚款已缴清",
            "template_id": template.pk,
            "supporting_kind": "other",
        },
    )
    assert page.status_code == 400
    text = page.content.decode()
    assert "请阅读并作出信用修复承诺" in text and "罚款已缴清" in text
    page = client.post(
        reverse("restoration:apply"),
        {
            "items": [f"record:{decision.record_id}"],
            "correction": "罚款已缴清",
            "template_id": template.pk,
            "supporting_kind": "other",
            "commitment": "on",
        },
    )
    assert page.status_code == 400 and "请上传纠正失信行为的证明" in page.content.decode()
    assert not RestorationApplication.objects.exists()
    page = client.post(
        reverse("restoration:apply"),
        {
            "items": [f"record:{decision.record_id}"],
            "correction": "罚款已缴清",
            "template_id": template.pk,
            "supporting_kind": "report",
            "commitment": "on",
            "proof": [pdf()],
            "supporting": [pdf("report.pdf")],
        },
    )
    assert page.status_code == 302
    receipt = client.get(page["Location"]).content.decode()
    application = RestorationApplication.objects.get()
    assert application.number in receipt
    assert sorted(application.evidence.values_list("kind", flat=True)) == ["correction", "report"]
    assert client.get(reverse("restoration:applied")).status_code == 302  # shown once


def test_the_status_page_is_the_applicants_own_and_a_refusal_says_how_to_seek_review(
    samr_staff, entity_user, decision, fulfilled, template
):
    [application] = apply(entity_user, f"record:{decision.record_id}", template=template)
    services.restoration_refuse(
        actor=samr_staff, application_id=application.pk, reasons="同一事项已在复议中"
    )
    url = reverse("restoration:application", args=[application.number])
    text = signed_in(entity_user).get(url).content.decode()
    assert "不予受理" in text and "同一事项已在复议中" in text and "行政复议" in text
    other = registry_factories.entity_user(registry_factories.entity(by=samr_staff))
    assert signed_in(other).get(url).status_code == 404


def test_the_workbench_queue_and_steps_are_the_handling_departments(
    samr_staff, samr_head, tax_staff, entity_user, decision, template
):
    [application] = apply(
        entity_user, f"record:{decision.record_id}", template=template, proof=[pdf()]
    )
    staff = signed_in(samr_staff)
    queue = staff.get(reverse("restoration-workbench:applications")).content.decode()
    assert application.number in queue
    page = reverse("restoration-workbench:application", args=[application.pk])
    assert signed_in(tax_staff).get(page).status_code == 404
    evidence = application.evidence.get()
    download = staff.get(reverse("restoration-workbench:evidence", args=[evidence.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert (
        signed_in(tax_staff)
        .get(reverse("restoration-workbench:evidence", args=[evidence.pk]))
        .status_code
        == 404
    )
    staff.post(reverse("restoration-workbench:accept", args=[application.pk]))
    bad = staff.post(
        reverse("restoration-workbench:propose", args=[application.pk]), {"outcome": "approve"}
    )
    assert bad.status_code == 400
    staff.post(
        reverse("restoration-workbench:propose", args=[application.pk]),
        {"outcome": "approve", "reasons": "符合条件"},
    )
    refused = staff.post(reverse("restoration-workbench:approve", args=[application.pk]))
    assert refused.status_code == 403  # staff never approve
    head = signed_in(samr_head)
    done = head.post(reverse("restoration-workbench:approve", args=[application.pk]))
    assert done.status_code == 302
    assert RestorationApplication.objects.get().status == S.APPROVED


def test_the_api_lists_the_departments_own_and_leaves_steps_to_officials(
    samr, samr_staff, tax, entity_user, decision, fulfilled, template
):
    [application] = apply(entity_user, f"record:{decision.record_id}", template=template)
    admin = registry_factories.platform_admin()
    _client, token = api_client_create(actor=admin, name="数据共享", department=samr)
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    listed = api.get("/api/v1/restoration-applications/").json()
    assert [a["number"] for a in listed["results"]] == [application.number]
    answer = api.post(f"/api/v1/restoration-applications/{application.pk}/accept/")
    assert answer.status_code == 403 and answer.json()["code"] == "person_required"
    _other, other_token = api_client_create(actor=admin, name="税务", department=tax)
    other = Client(HTTP_AUTHORIZATION=f"Token {other_token}")
    assert other.get(f"/api/v1/restoration-applications/{application.pk}/").status_code == 404
    staff = signed_in(samr_staff)
    accepted = staff.post(f"/api/v1/restoration-applications/{application.pk}/accept/")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    bad = staff.post(
        f"/api/v1/restoration-applications/{application.pk}/propose/",
        {"outcome": "maybe", "reasons": "x"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert Client().get("/api/v1/restoration-applications/").status_code == 401


def test_statistics_count_applications_approvals_and_handling_time(
    samr_staff, samr_head, entity_user, decision, fulfilled, template, client
):
    [application] = apply(entity_user, f"record:{decision.record_id}", template=template)
    approve(application, samr_staff, samr_head)
    rows = client.get("/api/v1/restoration-statistics/").json()
    assert rows == [
        {
            "department": "北京市市场监督管理局",
            "applications": 1,
            "decided": 1,
            "approved": 1,
            "open": 0,
            "approval_rate": 100.0,
            "median_days": 0.0,
        }
    ]
    page = client.get(reverse("restoration:statistics")).content.decode()
    assert "北京市市场监督管理局" in page and "100.0%" in page


def test_the_pages_read_in_english(entity_user, decision, template):
    client = signed_in(entity_user)
    client.cookies["django_language"] = "en"
    text = client.get(reverse("restoration:apply"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Apply for credit restoration" in text
    assert "申请信用修复" not in text


def test_the_admin_configures_through_the_audited_services(client):
    from credit_portal.audit.models import AuditEvent
    from restoration.models import RestorationBar, RestorationConfig

    admin = registry_factories.platform_admin()
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    bad = client.post("/admin/restoration/restorationbar/add/", {"rule": "不予修复"})
    assert bad.status_code == 200 and not RestorationBar.objects.exists()  # names nothing
    made = client.post(
        "/admin/restoration/restorationbar/add/",
        {"penalty_type": "revocation", "rule": "吊销许可证件的，不予提前修复"},
    )
    assert made.status_code == 302
    bar = RestorationBar.objects.get()
    client.post(
        "/admin/restoration/restorationbar/", {"action": "retire", "_selected_action": [bar.pk]}
    )
    assert not RestorationBar.objects.get().active
    data = {name: getattr(RestorationConfig(), name) for name in services.CONFIG_LIMITS}
    assert (
        client.post(
            "/admin/restoration/restorationconfig/add/", {**data, "accept_days": 3}
        ).status_code
        == 302
    )
    assert services.restoration_config().accept_days == 3
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"restoration_bar.add", "restoration_bar.retire", "restoration_config.set"} <= actions
    for page in ("restorationapplication", "restorationescalation"):
        assert client.get(f"/admin/restoration/{page}/").status_code == 200
