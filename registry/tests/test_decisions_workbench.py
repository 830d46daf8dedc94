"""The workbench for decisions: the department's list with its publicity clock, the form over
services.decision_record, publish and withdraw buttons, the queue of overdue decisions, and the
admin pages for decisions and the publicity configuration."""

from __future__ import annotations

import datetime
import itertools
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from credit_portal.audit.models import AuditEvent
from credit_portal.errors import DomainError, PermissionDenied
from registry import services
from registry.models import (
    CreditRecord,
    Decision,
    DepartmentAlert,
    PublicityConfig,
    PublicityRule,
    PublicityWindow,
)
from registry.tests import factories

pytestmark = pytest.mark.django_db
D = datetime.date.fromisoformat
SERIAL = itertools.count(1)

HOME = reverse("workbench:home")
DECISIONS = reverse("workbench:decisions")
CREATE = reverse("workbench:decision-create")
QUEUE = reverse("workbench:queue")


def detail_url(decision: Decision) -> str:
    return reverse("workbench:decision-detail", args=[decision.pk])


def publish_url(decision: Decision) -> str:
    return reverse("workbench:decision-publish", args=[decision.pk])


def withdraw_url(decision: Decision) -> str:
    return reverse("workbench:decision-withdraw", args=[decision.pk])


def record_decision(by, entity, **kwargs) -> Decision:
    defaults = {
        "kind": "penalty",
        "document_number": f"京市监罚〔2026〕{next(SERIAL)}号",
        "decision_date": D("2026-09-30"),
        "title": "未按规定公示年度报告",
        "severity": "general",
        "penalty_type": "fine",
        "penalty_amount": Decimal("5000"),
    }
    defaults.update(kwargs)
    return services.decision_record(actor=by, uscc=entity.uscc, **defaults)


def decision_form(uscc: str, **overrides) -> dict:
    data = {
        "kind": "penalty",
        "uscc": uscc,
        "document_number": "京市监罚〔2026〕101号",
        "decision_date": "2026-09-30",
        "title": "销售过期食品",
        "content": "在店内销售超过保质期的食品。",
        "legal_basis": "《食品安全法》第一百二十四条",
        "severity": "general",
        "penalty_type": "fine",
        "penalty_amount": "20000",
    }
    data.update(overrides)
    return data


def counts() -> tuple[int, ...]:
    return (
        Decision.objects.count(),
        CreditRecord.objects.count(),
        PublicityWindow.objects.count(),
        AuditEvent.objects.count(),
    )


# --- who may enter ------------------------------------------------------------------------------
def test_anonymous_is_sent_to_login_and_others_are_told_why(client, entity_user):
    for url in (DECISIONS, CREATE, QUEUE):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("workbench:login"))
    client.force_login(entity_user)
    for url in (DECISIONS, CREATE, QUEUE):
        assert client.get(url).status_code == 403
    client.force_login(factories.platform_admin())
    response = client.get(DECISIONS)
    assert response.status_code == 403
    assert "平台管理员不属于任何部门" in response.content.decode()


def test_nav_links_decisions_queue_and_import(client, samr_staff):
    client.force_login(samr_staff)
    html = client.get(HOME).content.decode()
    assert f'href="{DECISIONS}"' in html and f'href="{QUEUE}"' in html
    assert "批量导入" in html and "/workbench/decisions/import/" in html


# --- recording a decision -------------------------------------------------------------------------
def test_record_a_decision_through_the_form(client, samr_staff, samr, entity):
    client.force_login(samr_staff)
    assert client.get(CREATE, {"uscc": entity.uscc}).status_code == 200
    response = client.post(CREATE, decision_form(entity.uscc.lower()))
    decision = Decision.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(decision)
    assert decision.department == samr and decision.entity_id == entity.uscc
    assert decision.penalty_amount == Decimal("20000")
    assert decision.publicity_due == D("2026-10-15")
    assert AuditEvent.objects.filter(action="decision.record", source="web").count() == 1
    html = client.get(response["Location"]).content.decode()
    assert "行政决定已录入" in html and "2026-10-15" in html
    assert "销售过期食品" in html


@pytest.mark.parametrize(
    ("overrides", "status", "message"),
    [
        ({"uscc": "CHECKSUM"}, 400, "校验码错误"),
        ({"uscc": "UNKNOWN"}, 400, "未找到统一社会信用代码"),
        ({"decision_date": "2999-01-01"}, 400, "决定日期不能晚于今天"),
        ({"kind": "licence", "penalty_type": "", "penalty_amount": ""}, 400, "严重程度只能是"),
        ({"kind": "licence", "severity": "none"}, 400, "只有行政处罚可填写处罚种类和金额"),
        ({"penalty_type": ""}, 400, "请选择处罚种类"),
        ({"penalty_amount": "-5"}, 400, "金额不能为负"),
        ({"kind": "pardon"}, 400, "pardon"),  # Django's "not one of the available choices"
        ({"decision_date": ""}, 400, "该字段是必填项"),
    ],
)
def test_form_errors_keep_the_input_and_write_nothing(
    client, samr_staff, entity, overrides, status, message
):
    client.force_login(samr_staff)
    data = {**decision_form(entity.uscc, title="不应保存的决定"), **overrides}
    bad = entity.uscc[:17] + ("0" if entity.uscc[17] != "0" else "1")
    data["uscc"] = {"CHECKSUM": bad, "UNKNOWN": factories.make_uscc()}.get(
        data["uscc"], data["uscc"]
    )
    before = counts()
    response = client.post(CREATE, data)
    html = response.content.decode()
    assert response.status_code == status
    assert message in html
    assert "不应保存的决定" in html  # the user's input is kept
    assert counts() == before


def test_a_duplicate_document_number_is_a_form_error(client, samr_staff, entity):
    client.force_login(samr_staff)
    assert client.post(CREATE, decision_form(entity.uscc)).status_code == 302
    before = counts()
    response = client.post(CREATE, decision_form(entity.uscc))
    assert response.status_code == 409
    assert "本部门已录入该文书号的决定" in response.content.decode()
    assert counts() == before


# --- the department's decisions -------------------------------------------------------------------
def test_list_shows_own_decisions_with_due_dates_and_overdue_highlighting(
    client, samr_staff, tax_staff, entity, monkeypatch
):
    overdue = record_decision(samr_staff, entity, title="逾期未公示的处罚")
    fresh = record_decision(
        samr_staff, entity, title="刚作出的处罚", decision_date=timezone.localdate()
    )
    published = services.decision_publish(
        actor=samr_staff, decision_id=record_decision(samr_staff, entity, title="已公示").pk
    )
    record_decision(tax_staff, entity, title="税务局的处罚", document_number="京税罚〔2026〕1号")
    monkeypatch.setattr(timezone, "localdate", lambda *a: D("2026-12-31"))
    provisional = record_decision(
        samr_staff, entity, title="年底的处罚", decision_date=D("2026-12-28")
    )
    monkeypatch.undo()
    client.force_login(samr_staff)
    html = client.get(DECISIONS).content.decode()
    assert "税务局的处罚" not in html
    for decision in (overdue, fresh, published, provisional):
        assert detail_url(decision) in html
    assert html.count('class="overdue"') == 1  # only the one still unpublished after 10-15
    assert re.search(r"逾期 \d+ 天", html) and "2026-10-15" in html
    assert "临时" in html  # 2027's holidays are not known yet
    assert "2027-01-06" in html


def test_list_filters_by_status_kind_overdue_and_search(client, samr_staff, entity):
    overdue = record_decision(samr_staff, entity, title="甲处罚")
    published = services.decision_publish(
        actor=samr_staff, decision_id=record_decision(samr_staff, entity, title="乙处罚").pk
    )
    licence = record_decision(
        samr_staff,
        entity,
        kind="licence",
        severity="none",
        penalty_type="",
        penalty_amount=None,
        title="丙许可",
        decision_date=timezone.localdate(),
    )
    client.force_login(samr_staff)

    def shown(**params) -> set[int]:
        response = client.get(DECISIONS, params)
        assert response.status_code == 200
        html = response.content.decode()
        return {d.pk for d in (overdue, published, licence) if detail_url(d) in html}

    assert shown(status="published") == {published.pk}
    assert shown(status="recorded") == {overdue.pk, licence.pk}
    assert shown(kind="licence") == {licence.pk}
    assert shown(overdue="on") == {overdue.pk}
    assert shown(q="甲处罚") == {overdue.pk}
    assert shown(q=published.document_number) == {published.pk}
    assert shown(q=entity.uscc.lower()) == {overdue.pk, published.pk, licence.pk}
    assert client.get(DECISIONS, {"status": "lost"}).status_code == 400


def test_list_pagination_and_query_count(client, samr_staff, entity, django_assert_max_num_queries):
    for _ in range(25):
        record_decision(samr_staff, entity)
    client.force_login(samr_staff)
    client.get(DECISIONS)  # warm the session
    with django_assert_max_num_queries(8):
        response = client.get(DECISIONS)
    assert response.status_code == 200
    for page in ("abc", "9999", "2", ""):
        assert client.get(DECISIONS, {"page": page}).status_code == 200


# --- detail, publish, withdraw --------------------------------------------------------------------
def test_another_departments_decision_is_404(client, samr_staff, tax_staff, entity):
    recorded = record_decision(samr_staff, entity)
    published = services.decision_publish(
        actor=samr_staff, decision_id=record_decision(samr_staff, entity).pk
    )
    client.force_login(tax_staff)
    before = counts()
    for decision in (recorded, published):
        assert client.get(detail_url(decision)).status_code == 404
        assert client.post(publish_url(decision)).status_code == 404
        response = client.post(withdraw_url(decision), {"change": "revoked", "reason": "x"})
        assert response.status_code == 404
    assert client.get(reverse("workbench:decision-detail", args=[2**64])).status_code == 404
    assert counts() == before
    recorded.refresh_from_db()
    assert recorded.status == "recorded"


def test_publish_and_withdraw_from_the_detail_page(client, samr_staff, entity):
    decision = record_decision(samr_staff, entity)
    client.force_login(samr_staff)
    html = client.get(detail_url(decision)).content.decode()
    assert publish_url(decision) in html and withdraw_url(decision) in html
    assert client.get(publish_url(decision)).status_code == 405  # a POST only
    response = client.post(publish_url(decision))
    assert response.status_code == 302 and response["Location"] == detail_url(decision)
    decision.refresh_from_db()
    assert decision.status == "published" and decision.record.scope == "public"
    html = client.get(detail_url(decision)).content.decode()
    assert "行政决定已公示" in html
    assert PublicityWindow.objects.get().shown_until.isoformat() in html
    # Withdrawal needs a reason: the form says so and nothing changes.
    response = client.post(withdraw_url(decision), {"change": "revoked", "reason": ""})
    assert response.status_code == 400
    assert "该字段是必填项" in response.content.decode()
    decision.refresh_from_db()
    assert decision.status == "published"
    response = client.post(withdraw_url(decision), {"change": "revoked", "reason": "复议撤销"})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == "withdrawn" and decision.change == "revoked"
    assert PublicityWindow.objects.get().stop_reason == "withdrawn"
    html = client.get(detail_url(decision)).content.decode()
    assert "行政决定已撤下" in html and "复议撤销" in html
    assert publish_url(decision) not in html  # nothing left to do


def test_withdrawal_form_takes_the_date_of_the_change(client, samr_staff, entity):
    decision = services.decision_publish(
        actor=samr_staff, decision_id=record_decision(samr_staff, entity).pk
    )
    client.force_login(samr_staff)
    assert 'name="change_date"' in client.get(detail_url(decision)).content.decode()
    body = {"change": "annulled", "reason": "复议确认无效", "change_date": "2999-01-01"}
    before = counts()
    response = client.post(withdraw_url(decision), body)
    assert response.status_code == 400
    html = response.content.decode()
    assert "变更日期不能晚于今天" in html and "复议确认无效" in html  # the input is kept
    assert counts() == before
    body["change_date"] = decision.decision_date.isoformat()
    assert client.post(withdraw_url(decision), body).status_code == 302
    decision.refresh_from_db()
    assert decision.change_date == decision.decision_date
    html = client.get(detail_url(decision)).content.decode()
    assert decision.withdrawal_due.isoformat() in html
    assert "逾期撤下" in html  # 3 working days after the decision date have long passed


def test_publishing_a_withdrawn_decision_says_why(client, samr_staff, entity):
    decision = record_decision(samr_staff, entity)
    services.decision_change(
        actor=samr_staff, decision_id=decision.pk, change="changed", reason="变更"
    )
    client.force_login(samr_staff)
    before = counts()
    response = client.post(publish_url(decision))
    assert response.status_code == 409
    assert "已撤下的决定不能公示" in response.content.decode()
    assert counts() == before


def test_a_warning_is_published_for_departments_only(client, samr_staff, entity):
    decision = record_decision(
        samr_staff, entity, severity="warning", penalty_type="warning", penalty_amount=None
    )
    client.force_login(samr_staff)
    response = client.post(publish_url(decision), follow=True)
    assert "不向社会公开" in response.content.decode()


# --- the queue ----------------------------------------------------------------------------------
def test_queue_shows_overdue_decisions_and_publishing_resolves_them(
    client, samr_staff, tax_staff, entity
):
    late = record_decision(samr_staff, entity, title="逾期的处罚")
    other = record_decision(
        tax_staff, entity, title="税务局的逾期处罚", document_number="京税罚〔2026〕2号"
    )
    client.force_login(samr_staff)
    assert "逾期的处罚" not in client.get(QUEUE).content.decode()
    assert "没有待办事项" in client.get(HOME).content.decode()
    # The hourly job runs the day after the due date (2026-10-15).
    assert services.publicity_flag_overdue(today=D("2026-10-16")) == 2
    html = client.get(QUEUE).content.decode()
    assert "逾期的处罚" in html and "税务局的逾期处罚" not in html
    assert publish_url(late) in html and publish_url(other) not in html
    html = client.get(HOME).content.decode()
    assert "待办 1 项" in html
    response = client.post(publish_url(late), {"next": QUEUE})
    assert response.status_code == 302 and response["Location"] == QUEUE
    alert = DepartmentAlert.objects.get(decision=late)
    assert alert.resolved_at is not None
    html = client.get(QUEUE).content.decode()
    assert "行政决定已公示" in html and "没有待办事项" in html
    assert "待办 1 项" not in client.get(HOME).content.decode()
    # Another department's alert is untouched.
    assert DepartmentAlert.objects.get(decision=other).resolved_at is None


def test_publish_redirect_never_leaves_the_site(client, samr_staff, entity):
    decision = record_decision(samr_staff, entity)
    client.force_login(samr_staff)
    response = client.post(publish_url(decision), {"next": "https://evil.example/"})
    assert response["Location"] == detail_url(decision)


# --- the admin ----------------------------------------------------------------------------------
@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.com", "pw-123456")


def test_admin_shows_decisions_windows_and_alerts_read_only(client, superuser, samr_staff, entity):
    decision = services.decision_publish(
        actor=samr_staff, decision_id=record_decision(samr_staff, entity).pk
    )
    services.publicity_flag_overdue(today=D("2026-10-16"))  # nothing open: already published
    late = record_decision(samr_staff, entity)
    services.publicity_flag_overdue(today=D("2026-10-16"))
    alert = DepartmentAlert.objects.get(decision=late)
    window = PublicityWindow.objects.get()
    client.force_login(superuser)
    for url in (
        reverse("admin:registry_decision_changelist"),
        reverse("admin:registry_decision_changelist") + "?status__exact=published",
        reverse("admin:registry_decision_change", args=[decision.pk]),
        reverse("admin:registry_publicitywindow_changelist"),
        reverse("admin:registry_publicitywindow_change", args=[window.pk]),
        reverse("admin:registry_departmentalert_changelist"),
        reverse("admin:registry_departmentalert_change", args=[alert.pk]),
        reverse("admin:registry_publicityrule_changelist"),
        reverse("admin:registry_publicityconfig_changelist"),
    ):
        assert client.get(url).status_code == 200, url
    for name in ("decision", "publicitywindow", "departmentalert", "publicityrule"):
        assert client.get(reverse(f"admin:registry_{name}_add")).status_code == 403, name
    response = client.post(
        reverse("admin:registry_decision_change", args=[decision.pk]), {"title": "改"}
    )
    assert response.status_code == 403
    assert Decision.objects.get(pk=decision.pk).title == decision.title
    assert (
        client.get(reverse("admin:registry_decision_delete", args=[decision.pk])).status_code == 403
    )


def rule_form(rule: PublicityRule, **overrides) -> dict:
    data = {
        "published": "on" if rule.published else "",
        "min_months": rule.min_months or "",
        "max_months": rule.max_months or "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


def test_admin_edits_a_publicity_rule_through_the_audited_service(client, superuser):
    rule = PublicityRule.objects.get(severity="general")
    url = reverse("admin:registry_publicityrule_change", args=[rule.pk])
    client.force_login(superuser)
    assert client.get(url).status_code == 200
    response = client.post(url, rule_form(rule, max_months="24"))
    assert response.status_code == 302, response.content.decode()
    rule.refresh_from_db()
    assert (rule.min_months, rule.max_months) == (3, 24)
    event = AuditEvent.objects.get(action="publicity_rule.update")
    assert event.before["max_months"] == 12 and event.after["max_months"] == 24
    assert event.actor == superuser
    # Saving unchanged writes no second audit row.
    assert client.post(url, rule_form(rule)).status_code == 302
    assert AuditEvent.objects.filter(action="publicity_rule.update").count() == 1


def test_admin_refuses_a_minimum_above_the_maximum(client, superuser):
    rule = PublicityRule.objects.get(severity="serious")
    client.force_login(superuser)
    response = client.post(
        reverse("admin:registry_publicityrule_change", args=[rule.pk]),
        rule_form(rule, min_months="48"),
    )
    assert response.status_code == 200
    assert "最短公示期不能长于最长公示期" in response.content.decode()
    rule.refresh_from_db()
    assert rule.min_months == 12
    assert not AuditEvent.objects.filter(action="publicity_rule.update").exists()


def test_admin_edits_the_deadlines_through_the_audited_service(client, superuser):
    config = PublicityConfig.objects.get()
    url = reverse("admin:registry_publicityconfig_change", args=[config.pk])
    client.force_login(superuser)
    assert client.get(reverse("admin:registry_publicityconfig_add")).status_code == 403
    response = client.post(url, {"publish_within": "8", "withdraw_within": "3"})
    assert response.status_code == 200
    assert "1至7个工作日" in response.content.decode()
    response = client.post(url, {"publish_within": "5", "withdraw_within": "2"})
    assert response.status_code == 302
    config.refresh_from_db()
    assert (config.publish_within, config.withdraw_within) == (5, 2)
    event = AuditEvent.objects.get(action="publicity_config.update")
    assert event.before == {"publish_within": 7, "withdraw_within": 3}
    assert event.after == {"publish_within": 5, "withdraw_within": 2}
    assert services.publicity_due_for(D("2026-09-30"))[0] == D("2026-10-13")


def test_only_platform_admins_may_change_publicity_configuration(samr_staff):
    rule = PublicityRule.objects.get(severity="minor")
    with pytest.raises(PermissionDenied):
        services.publicity_rule_update(actor=samr_staff, rule=rule, max_months=6)
    config = PublicityConfig.objects.get()
    with pytest.raises(PermissionDenied):
        services.publicity_config_update(actor=samr_staff, config=config, publish_within=5)
    with pytest.raises(DomainError):
        services.publicity_rule_update(
            actor=factories.platform_admin(), rule=rule, severity="serious"
        )
    rule.refresh_from_db()
    assert (rule.severity, rule.max_months) == ("minor", 3)
    assert not AuditEvent.objects.filter(action__startswith="publicity_").exists()


def test_the_department_records_fulfilment_on_the_decision_page(client, samr_staff, entity):
    decision = record_decision(samr_staff, entity)
    services.decision_publish(actor=samr_staff, decision_id=decision.pk)
    client.force_login(samr_staff)
    url = reverse("workbench:decision-fulfilled", args=[decision.pk])
    assert "登记已履行" in client.get(detail_url(decision)).content.decode()
    bad = client.post(url, {"fulfilled_on": "2020-01-01", "note": "早于决定"})
    assert bad.status_code == 400 and "履行日期应在决定日期与今天之间" in bad.content.decode()
    assert client.post(url, {"note": "罚款已缴清"}).status_code == 302
    decision.refresh_from_db()
    assert decision.fulfilled_on == timezone.localdate()
    page = client.get(detail_url(decision)).content.decode()
    assert "罚款已缴清" in page and "登记已履行" not in page
