"""The regulator workbench: who may enter, the department's records, forms over the services,
and the Django admin for the registry."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from credit_portal.audit.models import AccessLog, AuditEvent
from credit_portal.calendar.models import CalendarGap
from registry import services
from registry.models import ApiClient, CreditRecord, Department, MarketEntity
from registry.tests import factories

pytestmark = pytest.mark.django_db

HOME = reverse("workbench:home")
RECORDS = reverse("workbench:records")
CREATE = reverse("workbench:record-create")
REGISTER = reverse("workbench:entity-register")


def supersede_url(record: CreditRecord) -> str:
    return reverse("workbench:record-supersede", args=[record.pk])


def record_form(uscc: str, **overrides) -> dict:
    data = {
        "uscc": uscc,
        "catalogue_item": "CF",
        "severity": "general",
        "title": "违法广告处罚",
        "content": "发布虚假广告。",
        "document_number": "京市监罚〔2026〕9号",
        "legal_basis": "《广告法》第五十五条",
        "conduct_date": "2026-01-05",
        "decision_date": "2026-02-01",
        "scope": "",
    }
    data.update(overrides)
    return data


# --- who may enter ---------------------------------------------------------------------------
def test_anonymous_is_sent_to_login(client):
    for url in (HOME, RECORDS, CREATE, REGISTER):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("workbench:login"))


def test_login_page_and_sign_in(client, samr_staff):
    response = client.get(reverse("workbench:login"))
    assert response.status_code == 200
    assert 'for="id_username"' in response.content.decode()
    response = client.post(
        reverse("workbench:login"), {"username": "samr-staff", "password": "pw-123456"}
    )
    assert response.status_code == 302 and response["Location"] == HOME
    assert client.get(HOME).status_code == 200


def test_logout_is_a_post(client, samr_staff):
    client.force_login(samr_staff)
    response = client.post(reverse("workbench:logout"))
    assert response.status_code == 302
    assert client.get(HOME).status_code == 302


def test_entity_user_gets_403_that_says_why(client, entity_user):
    client.force_login(entity_user)
    response = client.get(HOME)
    assert response.status_code == 403
    assert "只对部门工作人员开放" in response.content.decode()


def test_user_without_department_gets_403(client, db):
    user = factories.UserFactory(username="nobody")
    client.force_login(user)
    for url in (HOME, RECORDS, CREATE):
        response = client.get(url)
        assert response.status_code == 403
        assert "不属于任何部门" in response.content.decode()


def test_platform_admin_home_warns_about_calendar_gaps(client, db):
    CalendarGap.objects.create(year=2031, occurrences=4)
    admin = factories.platform_admin()
    client.force_login(admin)
    response = client.get(HOME)
    html = response.content.decode()
    assert response.status_code == 200
    assert "工作日历缺失" in html and "2031" in html
    assert reverse("admin:index") in html


def test_staff_home_shows_no_calendar_banner(client, samr_staff):
    CalendarGap.objects.create(year=2031, occurrences=1)
    client.force_login(samr_staff)
    html = client.get(HOME).content.decode()
    assert "工作日历缺失" not in html
    assert "北京市市场监督管理局" in html


# --- my department's records --------------------------------------------------------------
def test_staff_sees_own_departments_records_only(client, samr_staff, tax_staff, entity):
    factories.record(by=samr_staff, ent=entity, title="市场监管局的处罚")
    factories.record(
        by=tax_staff, ent=entity, catalogue_code="QS", severity="general", title="税务局的欠税记录"
    )
    client.force_login(samr_staff)
    html = client.get(RECORDS).content.decode()
    assert "市场监管局的处罚" in html
    assert "税务局的欠税记录" not in html


def test_record_list_filters_and_shows_superseded_state(client, samr_staff, entity):
    old = factories.record(by=samr_staff, ent=entity, title="原始记录甲")
    services.credit_record_supersede(
        actor=samr_staff,
        record_id=old.pk,
        action="correction",
        reason="文书号有误",
        document_number="新文号",
    )
    factories.record(by=samr_staff, ent=entity, title="另一条记录乙")
    client.force_login(samr_staff)
    html = client.get(RECORDS, {"q": "记录甲"}).content.decode()
    assert "原始记录甲" in html and "另一条记录乙" not in html
    assert "已被更正或撤销" in html and "现行有效" in html
    html = client.get(RECORDS, {"q": entity.uscc.lower()}).content.decode()
    assert "另一条记录乙" in html


def test_record_list_pagination_never_500s(
    client, samr_staff, entity, django_assert_max_num_queries
):
    for n in range(25):
        factories.record(by=samr_staff, ent=entity, title=f"分页{n}")
    client.force_login(samr_staff)
    client.get(RECORDS)  # warm the session
    with django_assert_max_num_queries(8):
        response = client.get(RECORDS)
    assert response.status_code == 200
    for page in ("abc", "9999", "2", ""):
        assert client.get(RECORDS, {"page": page}).status_code == 200


# --- create a record -------------------------------------------------------------------------
def test_create_record_form(client, samr_staff, entity):
    client.force_login(samr_staff)
    assert client.get(CREATE).status_code == 200
    response = client.post(CREATE, record_form(entity.uscc.lower()))
    record = CreditRecord.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("workbench:record-detail", args=[record.pk])
    assert record.entity_id == entity.uscc and record.source_department.code == "SAMR-110000"
    assert record.scope == "public"
    assert "信用记录已保存" in client.get(response["Location"]).content.decode()


def test_create_record_with_bad_uscc_shows_message_and_writes_nothing(client, samr_staff, entity):
    client.force_login(samr_staff)
    events = AuditEvent.objects.count()
    bad = entity.uscc[:17] + ("0" if entity.uscc[17] != "0" else "1")
    response = client.post(CREATE, record_form(bad, title="不应保存"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "校验码错误" in html
    assert "不应保存" in html  # the user's input is kept
    assert not CreditRecord.objects.exists()
    assert AuditEvent.objects.count() == events


def test_create_record_unknown_entity_and_wrong_severity(client, samr_staff, entity):
    client.force_login(samr_staff)
    response = client.post(CREATE, record_form(factories.make_uscc()))
    assert response.status_code == 400
    assert "未找到统一社会信用代码" in response.content.decode()
    response = client.post(CREATE, record_form(entity.uscc, catalogue_item="XK"))
    assert response.status_code == 400
    assert "严重程度只能是" in response.content.decode()
    assert not CreditRecord.objects.exists()


def test_create_record_future_date_is_a_field_error(client, samr_staff, entity):
    client.force_login(samr_staff)
    response = client.post(
        CREATE, record_form(entity.uscc, conduct_date="2999-01-01", decision_date="")
    )
    assert response.status_code == 400
    assert "日期不能晚于今天" in response.content.decode()
    assert not CreditRecord.objects.exists()


# --- correct and revoke ------------------------------------------------------------------------
def test_owner_corrects_a_record(client, samr_staff, entity):
    record = factories.record(by=samr_staff, ent=entity, title="原标题")
    client.force_login(samr_staff)
    detail = client.get(reverse("workbench:record-detail", args=[record.pk]))
    assert detail.status_code == 200 and "更正" in detail.content.decode()
    response = client.post(
        supersede_url(record),
        {
            "action": "correction",
            "reason": "标题笔误",
            "title": "新标题",
            "severity": "general",
            "content": "",
            "document_number": "",
            "legal_basis": "",
            "scope": "public",
        },
    )
    new = CreditRecord.objects.get(supersedes=record)
    assert response.status_code == 302
    assert new.action == "correction" and new.title == "新标题" and new.reason == "标题笔误"
    html = client.get(reverse("workbench:record-detail", args=[new.pk])).content.decode()
    assert "原标题" in html and "新标题" in html  # the history shows both


def test_owner_revokes_a_record(client, samr_staff, entity):
    record = factories.record(by=samr_staff, ent=entity)
    client.force_login(samr_staff)
    response = client.post(supersede_url(record), {"action": "revocation", "reason": "决定已撤销"})
    assert response.status_code == 302
    assert CreditRecord.objects.get(supersedes=record).action == "revocation"
    # The old one cannot be superseded again: the form is gone and a post is refused.
    html = client.get(reverse("workbench:record-detail", args=[record.pk])).content.decode()
    assert 'value="revocation"' not in html
    response = client.post(supersede_url(record), {"action": "revocation", "reason": "再撤一次"})
    assert response.status_code == 409
    assert CreditRecord.objects.count() == 2


def test_supersede_without_reason_is_a_form_error(client, samr_staff, entity):
    record = factories.record(by=samr_staff, ent=entity)
    client.force_login(samr_staff)
    response = client.post(supersede_url(record), {"action": "revocation", "reason": ""})
    assert response.status_code == 400
    assert CreditRecord.objects.count() == 1


def test_other_department_cannot_correct_or_revoke(client, samr_staff, tax_staff, entity):
    record = factories.record(by=samr_staff, ent=entity)
    events = AuditEvent.objects.count()
    client.force_login(tax_staff)
    assert client.get(reverse("workbench:record-detail", args=[record.pk])).status_code == 404
    response = client.post(supersede_url(record), {"action": "revocation", "reason": "越权"})
    assert response.status_code == 403
    assert "属于其他部门" in response.content.decode()
    response = client.post(
        supersede_url(record),
        {
            "action": "correction",
            "reason": "越权",
            "title": "改掉",
            "severity": "general",
        },
    )
    assert response.status_code == 403
    assert CreditRecord.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_supersede_unknown_record_is_404(client, samr_staff):
    client.force_login(samr_staff)
    for record_id in (999999, 10**30):
        response = client.post(
            reverse("workbench:record-supersede", args=[record_id]),
            {"action": "revocation", "reason": "x"},
        )
        assert response.status_code == 404
        assert client.get(reverse("workbench:record-detail", args=[record_id])).status_code == 404


# --- register an entity -------------------------------------------------------------------------
def test_register_entity_form(client, samr_staff):
    client.force_login(samr_staff)
    code = factories.make_uscc()
    response = client.post(
        REGISTER,
        {
            "uscc": code,
            "name": "新登记科技有限公司",
            "kind": "enterprise",
            "established": "2020-05-01",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("workbench:entity-detail", args=[code])
    assert MarketEntity.objects.get(uscc=code).name == "新登记科技有限公司"


def test_register_entity_errors_keep_input(client, samr_staff, tax_staff, entity):
    client.force_login(samr_staff)
    response = client.post(
        REGISTER, {"uscc": entity.uscc, "name": "重复登记有限公司", "kind": "enterprise"}
    )
    assert response.status_code == 409
    assert "已登记" in response.content.decode()
    assert "重复登记有限公司" in response.content.decode()
    client.force_login(tax_staff)
    response = client.post(
        REGISTER, {"uscc": factories.make_uscc(), "name": "税务登记", "kind": "enterprise"}
    )
    assert response.status_code == 403
    assert "不是登记机关" in response.content.decode()
    assert MarketEntity.objects.count() == 1


# --- entity pages ----------------------------------------------------------------------------
def test_workbench_entity_page_shows_shared_and_logs_access(client, samr_staff, tax_staff, entity):
    factories.record(by=samr_staff, ent=entity, title="公开处罚")
    factories.record(
        by=tax_staff, ent=entity, catalogue_code="YT", severity="none", title="税务约谈"
    )
    factories.record(
        by=tax_staff, ent=entity, catalogue_code="TS", severity="none", title="税务举报"
    )
    client.force_login(samr_staff)
    html = client.get(reverse("workbench:entity-detail", args=[entity.uscc])).content.decode()
    assert "公开处罚" in html and "税务约谈" in html
    assert "税务举报" not in html  # authorised and recorded by another department
    log = AccessLog.objects.get()
    assert log.uscc == entity.uscc and log.purpose == "workbench view"
    assert log.department_code == "SAMR-110000"


def test_workbench_entity_page_errors(client, samr_staff):
    client.force_login(samr_staff)
    assert client.get(reverse("workbench:entity-detail", args=["bad"])).status_code == 400
    unknown = factories.make_uscc()
    assert client.get(reverse("workbench:entity-detail", args=[unknown])).status_code == 404


def test_workbench_entity_search(client, samr_staff, entity):
    client.force_login(samr_staff)
    html = client.get(reverse("workbench:entity-search"), {"q": "华信"}).content.decode()
    assert reverse("workbench:entity-detail", args=[entity.uscc]) in html
    response = client.get(reverse("workbench:entity-search"), {"q": "9111"})
    assert response.status_code in (200, 400)


# --- Django admin ----------------------------------------------------------------------------
@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.com", "pw-123456")


def test_admin_pages_render_and_hide_encrypted_id(client, superuser, samr_staff, entity):
    person = services.person_register(actor=samr_staff, name="王五", id_number="11010519491231002X")
    services.entity_role_assign(
        actor=samr_staff, uscc=entity.uscc, person=person, kind="legal_representative"
    )
    record = factories.record(by=samr_staff, ent=entity)
    client.force_login(superuser)
    for url in (
        reverse("admin:registry_marketentity_changelist"),
        reverse("admin:registry_marketentity_change", args=[entity.uscc]),
        reverse("admin:registry_marketentity_permissions", args=[entity.uscc]),
        reverse("admin:registry_creditrecord_changelist"),
        reverse("admin:registry_creditrecord_change", args=[record.pk]),
        reverse("admin:registry_person_changelist"),
        reverse("admin:registry_person_change", args=[person.pk]),
        reverse("admin:registry_entityrole_changelist"),
        reverse("admin:registry_department_changelist"),
        reverse("admin:registry_department_add"),
        reverse("admin:registry_department_change", args=[samr_staff.membership.department_id]),
        reverse("admin:registry_departmentmembership_changelist"),
        reverse("admin:registry_entityaccount_changelist"),
        reverse("admin:registry_catalogueitem_changelist"),
        reverse("admin:registry_apiclient_add"),
        reverse("admin:registry_departmentmembership_add"),
        reverse("admin:registry_entityaccount_add"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert person.id_number_encrypted not in html, url
        assert "11010519491231002X" not in html, url
    # Find a person by the full number (keyed hash), shown masked.
    html = client.get(
        reverse("admin:registry_person_changelist"), {"q": "11010519491231002x"}
    ).content.decode()
    assert person.id_number_masked in html


def test_admin_offers_no_change_or_delete_for_credit_records(client, superuser, samr_staff, entity):
    record = factories.record(by=samr_staff, ent=entity)
    client.force_login(superuser)
    assert client.get(reverse("admin:registry_creditrecord_add")).status_code == 403
    assert (
        client.get(reverse("admin:registry_creditrecord_delete", args=[record.pk])).status_code
        == 403
    )
    response = client.post(
        reverse("admin:registry_creditrecord_change", args=[record.pk]), {"title": "改"}
    )
    assert response.status_code == 403
    assert CreditRecord.objects.get().title == record.title


def test_admin_creates_department_through_the_service(client, superuser):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:registry_department_add"),
        {
            "code": "ECO-110000",
            "name": "北京市生态环境局",
            "name_en": "",
            "region": "110000",
            "parent": "",
            "registers_entities": "",
        },
    )
    assert response.status_code == 302
    department = Department.objects.get(code="ECO-110000")
    assert department.group.name == "dept:ECO-110000"
    assert AuditEvent.objects.filter(action="department.create").exists()
    # A duplicate code is the service's Conflict, shown on the form.
    response = client.post(
        reverse("admin:registry_department_add"),
        {
            "code": "ECO-110000",
            "name": "重复",
            "name_en": "",
            "region": "",
            "parent": "",
        },
    )
    assert response.status_code == 200
    assert "部门代码已存在" in response.content.decode()
    assert Department.objects.filter(code="ECO-110000").count() == 1


def test_platform_admin_is_told_department_pages_are_for_staff(client, db):
    client.force_login(factories.platform_admin())
    response = client.get(RECORDS)
    assert response.status_code == 403
    assert "平台管理员不属于任何部门" in response.content.decode()


def test_admin_creates_api_client_and_shows_token_once(client, superuser, tax):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:registry_apiclient_add"),
        {"name": "税务系统", "department": tax.pk},
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "只显示这一次" in html
    client_row = ApiClient.objects.get(name="税务系统")
    assert client_row.user.membership.department == tax
    assert client_row.token_prefix in html
