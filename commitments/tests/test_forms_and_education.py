"""The remaining forms of issue 4: a department records a window commitment (with missing
materials), an entity registers its own credit information, a department holds integrity
education and records attendance, the workbench home tells of breaches and registrations,
and the settings change through an audited service. Bad input is a clear error, nothing
written, nothing typed lost."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from commitments import services
from commitments.models import (
    Commitment,
    CommitmentConfig,
    EducationAttendance,
    EducationSession,
    LicensingItem,
    VoluntaryDisclosure,
)
from credit_portal.audit.models import AuditEvent
from credit_portal.errors import DomainError, PermissionDenied
from registry import services as registry_services
from registry.tests import factories

pytestmark = pytest.mark.django_db
RECORD = reverse("commitments-workbench:record")
EDUCATION = reverse("commitments-workbench:education")
REG_NEW = reverse("commitments:registration-new")
REG_LIST = reverse("commitments:registrations")


def day(n: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


@pytest.fixture
def item(samr) -> LicensingItem:
    return LicensingItem.objects.create(
        code="SP-001",
        name="食品经营许可",
        department=samr,
        commitment_applies=True,
        missing_materials_allowed=True,
    )


def publish(kind: str, item_code: str = ""):
    admin = factories.platform_admin()
    draft = services.template_create(
        actor=admin, kind=kind, title=f"{kind} 承诺书", text="本单位承诺……", item_code=item_code
    )
    return services.template_publish(actor=admin, template_id=draft.pk)


def materials(*rows: tuple[str, str]) -> dict[str, str]:
    data = {
        "materials-TOTAL_FORMS": "3",
        "materials-INITIAL_FORMS": "0",
        "materials-MIN_NUM_FORMS": "0",
        "materials-MAX_NUM_FORMS": "20",
    }
    for i, (name, deadline) in enumerate(rows):
        data[f"materials-{i}-name"] = name
        data[f"materials-{i}-deadline"] = deadline
    return data


# --- a department records a commitment signed at its window -----------------------------------
def test_the_department_records_acceptance_with_missing_materials(client, samr_staff, entity, item):
    template = publish("missing_materials", item.code)
    client.force_login(samr_staff)
    assert "容缺材料" in client.get(RECORD).content.decode()
    response = client.post(
        RECORD,
        {"uscc": entity.uscc, "template": template.pk, **materials(("场所产权证明", day(10)))},
    )
    assert response.status_code == 302
    commitment = Commitment.objects.get()
    assert response["Location"] == reverse("commitments-workbench:detail", args=[commitment.pk])
    assert (commitment.kind, commitment.department, commitment.template_id) == (
        "missing_materials",
        item.department,
        template.pk,
    )
    assert list(commitment.materials.values_list("name", flat=True)) == ["场所产权证明"]
    assert len(commitment.number) == 20
    assert AuditEvent.objects.filter(action="commitment.make", target_id=str(commitment.pk))


@pytest.mark.parametrize(
    "case, words",
    [
        ("unknown_uscc", "统一社会信用代码"),
        ("past_deadline", "补正期限须晚于今天"),
        ("no_deadline", "请填写“场所产权证明”的补正期限"),
        ("bad_date", "日期"),
        ("outdated", "格式文本已更新，请按现行第2版"),
        ("listed", "不予容缺受理"),
        ("no_materials", "容缺受理须列明待补正的材料及期限"),
    ],
)
def test_bad_input_on_the_record_form_is_a_clear_error_and_nothing_written(
    client, samr_staff, entity, item, case, words
):
    template = publish("missing_materials", item.code)
    post = {"uscc": entity.uscc, "template": template.pk, **materials(("场所产权证明", day(10)))}
    if case == "unknown_uscc":
        post["uscc"] = factories.make_uscc("110105")
    elif case == "past_deadline":
        post.update(materials(("场所产权证明", day(-1))))
    elif case == "no_deadline":
        post.update(materials(("场所产权证明", "")))
    elif case == "bad_date":
        post.update(materials(("场所产权证明", "明天")))
    elif case == "outdated":
        publish("missing_materials", item.code)  # version 2: version 1 is no longer current
    elif case == "listed":
        registry_services.standing_update(
            actor=samr_staff, uscc=entity.uscc, reason="列入名单", punishment_listed=True
        )
    elif case == "no_materials":
        post = {"uscc": entity.uscc, "template": template.pk, **materials()}
    client.force_login(samr_staff)
    response = client.post(RECORD, post)
    html = response.content.decode()
    assert response.status_code == 400, html
    assert words in html
    assert 'value="场所产权证明"' in html or case == "no_materials"  # what was typed is kept
    assert not Commitment.objects.exists()


def test_good_standing_is_accepted_and_approval_is_recorded_without_materials(
    client, samr_staff, entity, item
):
    template = publish("approval", item.code)
    client.force_login(samr_staff)
    response = client.post(RECORD, {"uscc": entity.uscc, "template": template.pk, **materials()})
    assert response.status_code == 302
    assert Commitment.objects.get().kind == "approval"


def test_only_department_staff_record(client, entity_user, item):
    client.force_login(entity_user)
    assert client.get(RECORD).status_code == 403
    client.force_login(factories.platform_admin())
    assert client.get(RECORD).status_code == 403


# --- an entity registers its own credit information (35/5) -------------------------------------
def test_an_entity_registers_information_and_sees_its_status(client, entity_user, entity, samr):
    client.force_login(entity_user)
    post = {
        "department": samr.code,
        "kind": "public_interest",
        "title": "2026 年度公益捐赠",
        "content": "向希望小学捐赠图书 500 册。",
        "authenticity_committed": "on",
        "sharing_consented": "on",
    }
    response = client.post(REG_NEW, post)
    assert response.status_code == 302 and response["Location"] == REG_LIST
    disclosure = VoluntaryDisclosure.objects.get()
    assert (disclosure.entity_id, disclosure.status) == (entity.uscc, "pending")
    html = client.get(REG_LIST).content.decode()
    assert "2026 年度公益捐赠" in html and "待核实" in html
    # Not public until verified.
    page = client.get(reverse("public:entity", args=[entity.uscc]), {"tab": "commitments"})
    assert "2026 年度公益捐赠" not in page.content.decode()


@pytest.mark.parametrize(
    "missing, words",
    [
        ("authenticity_committed", "须承诺所注册信息真实"),
        ("sharing_consented", "须同意信息共享"),
        ("department", "核实部门"),
        ("title", "该字段是必填项"),
    ],
)
def test_a_registration_without_its_promises_is_refused_and_the_text_kept(
    client, entity_user, samr, missing, words
):
    client.force_login(entity_user)
    post = {
        "department": samr.code,
        "kind": "contract",
        "title": "重大合同履约",
        "content": "按期交付全部货物。",
        "authenticity_committed": "on",
        "sharing_consented": "on",
    }
    post.pop(missing)
    response = client.post(REG_NEW, post)
    html = response.content.decode()
    assert response.status_code == 400
    assert words in html
    assert "按期交付全部货物。" in html
    assert not VoluntaryDisclosure.objects.exists()


def test_only_entity_accounts_register(client, samr_staff):
    assert client.get(REG_NEW).status_code == 302  # to sign in
    client.force_login(samr_staff)
    assert client.get(REG_NEW).status_code == 403
    assert client.get(REG_LIST).status_code == 403


# --- integrity education: sessions and attendance ----------------------------------------------
def test_a_department_holds_a_session_and_records_attendance(client, samr_staff, entity):
    client.force_login(samr_staff)
    response = client.post(
        EDUCATION,
        {"title": "企业诚信经营培训", "mode": "window", "starts_at": "2026-12-20T09:30"},
    )
    assert response.status_code == 302
    session = EducationSession.objects.get()
    assert session.place == "" and session.mode == "window"
    url = reverse("commitments-workbench:education-session", args=[session.pk])
    assert client.post(url, {"uscc": entity.uscc, "attendee": "张三"}).status_code == 302
    html = client.get(url).content.decode()
    assert entity.name in html and "张三" in html and "免费" in html
    # Bad input: an unknown USCC is a form error; nothing recorded.
    response = client.post(url, {"uscc": factories.make_uscc("110105")})
    assert response.status_code == 400
    assert EducationAttendance.objects.count() == 1
    # The public list shows the session, free; not who attended.
    public = client.get(reverse("commitments:education"), {"all": "1"}).content.decode()
    assert "企业诚信经营培训" in public and "免费" in public and "张三" not in public


def test_a_session_form_with_bad_input_keeps_it(client, samr_staff):
    client.force_login(samr_staff)
    response = client.post(EDUCATION, {"title": "诚信培训", "mode": "window", "starts_at": "x"})
    assert response.status_code == 400
    assert 'value="诚信培训"' in response.content.decode()
    assert not EducationSession.objects.exists()


def test_another_department_cannot_see_the_session(client, samr_staff, tax_staff):
    session = services.education_session_create(
        actor=samr_staff, title="诚信培训", mode="online", starts_at=timezone.now()
    )
    client.force_login(tax_staff)
    url = reverse("commitments-workbench:education-session", args=[session.pk])
    assert client.get(url).status_code == 404


def test_education_api_sessions_are_public_attendance_is_the_holders(samr_staff, tax_staff, entity):
    staff = APIClient()
    staff.force_login(samr_staff)
    response = staff.post(
        "/api/v1/education-sessions/",
        {"title": "线上诚信课", "mode": "online", "starts_at": "2026-12-21T10:00:00+08:00"},
        format="json",
    )
    assert response.status_code == 201, response.content
    session_id = response.json()["id"]
    assert response.json()["fee"] == 0
    attend = f"/api/v1/education-sessions/{session_id}/attendances/"
    assert staff.post(attend, {"uscc": entity.uscc}, format="json").status_code == 201
    anonymous = APIClient()
    listed = anonymous.get("/api/v1/education-sessions/", {"mode": "online"}).json()
    assert [row["id"] for row in listed["results"]] == [session_id]
    assert anonymous.get("/api/v1/education-sessions/", {"mode": "x"}).status_code == 400
    assert anonymous.get(attend).status_code == 403
    assert anonymous.post(attend, {"uscc": entity.uscc}, format="json").status_code in (401, 403)
    other = APIClient()
    other.force_login(tax_staff)
    assert other.get(attend).status_code == 403
    assert other.post(attend, {"uscc": entity.uscc}, format="json").status_code == 403
    rows = staff.get(attend).json()["results"]
    assert [row["uscc"] for row in rows] == [entity.uscc]
    bad = staff.post(attend, {"uscc": "123"}, format="json")
    assert bad.status_code == 400 and bad.json()["field"] == "uscc"
    assert EducationAttendance.objects.count() == 1


def test_an_entity_that_never_attended_is_served_everywhere(client, entity_user, entity, samr):
    """Nothing asks for integrity education (35/2): with no session in the system, the entity
    makes a commitment and registers information through the forms."""
    assert not EducationAttendance.objects.exists()
    template = publish("voluntary")
    client.force_login(entity_user)
    response = client.post(
        reverse("commitments:voluntary-new"),
        {"template_id": template.pk, "department": samr.code, "confirm": "on"},
    )
    assert response.status_code == 302
    response = client.post(
        REG_NEW,
        {
            "department": samr.code,
            "kind": "qualification",
            "title": "ISO 9001 认证",
            "content": "证书编号 ……",
            "authenticity_committed": "on",
            "sharing_consented": "on",
        },
    )
    assert response.status_code == 302


# --- the workbench home tells the department what waits ----------------------------------------
def test_the_home_counts_breaches_and_registrations(client, samr_staff, entity, entity_user, item):
    template = publish("missing_materials", item.code)
    services.commitment_make(
        actor=samr_staff,
        uscc=entity.uscc,
        kind="missing_materials",
        template_id=template.pk,
        item_code=item.code,
        materials=[("场所产权证明", timezone.localdate() + datetime.timedelta(days=3))],
    )
    client.force_login(samr_staff)
    home = reverse("workbench:home")
    assert "近 7 日认定未履行的承诺" not in client.get(home).content.decode()
    services.commitment_deadlines_check(today=timezone.localdate() + datetime.timedelta(days=4))
    services.disclosure_submit(
        actor=entity_user,
        uscc=entity.uscc,
        department_code=item.department.code,
        kind="contract",
        title="合同履约",
        content="……",
        authenticity_committed=True,
        sharing_consented=True,
    )
    html = client.get(home).content.decode()
    assert "近 7 日认定未履行的承诺 1 项" in html
    assert "待核实的自愿注册信息 1 条" in html
    assert "?queue=breached" in html


def test_another_departments_home_shows_none_of_it(client, tax_staff, entity, entity_user, samr):
    services.disclosure_submit(
        actor=entity_user,
        uscc=entity.uscc,
        department_code=samr.code,
        kind="contract",
        title="合同履约",
        content="……",
        authenticity_committed=True,
        sharing_consented=True,
    )
    client.force_login(tax_staff)
    assert "待核实的自愿注册信息" not in client.get(reverse("workbench:home")).content.decode()


# --- settings ---------------------------------------------------------------------------------
def test_settings_change_through_the_service_and_take_effect(samr_staff, entity, item):
    admin = factories.platform_admin()
    assert services.commitment_config().max_material_days == 90
    with pytest.raises(PermissionDenied):
        services.commitment_config_set(
            actor=samr_staff, min_grade_missing_materials="C", max_material_days=30
        )
    for grade, days, code in (("E", 30, "invalid_grade"), ("B", 0, "invalid_days")):
        with pytest.raises(DomainError) as raised:
            services.commitment_config_set(
                actor=admin, min_grade_missing_materials=grade, max_material_days=days
            )
        assert raised.value.code == code
    assert not CommitmentConfig.objects.exists()
    services.commitment_config_set(
        actor=admin, min_grade_missing_materials="c", max_material_days=30
    )
    assert (
        services.commitment_config().min_grade_missing_materials,
        services.commitment_config().max_material_days,
    ) == ("C", 30)
    assert AuditEvent.objects.filter(action="commitment_config.set").count() == 1
    template = publish("missing_materials", item.code)
    with pytest.raises(DomainError) as raised:
        services.commitment_make(
            actor=samr_staff,
            uscc=entity.uscc,
            kind="missing_materials",
            template_id=template.pk,
            item_code=item.code,
            materials=[("证明", timezone.localdate() + datetime.timedelta(days=31))],
        )
    assert raised.value.code == "deadline_too_far" and "30" in str(raised.value.message)


def test_settings_in_the_admin(client):
    admin = factories.platform_admin()
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    url = reverse("admin:commitments_commitmentconfig_add")
    response = client.post(url, {"min_grade_missing_materials": "Z", "max_material_days": "30"})
    assert response.status_code == 200 and "信用等级只能是" in response.content.decode()
    assert not CommitmentConfig.objects.exists()
    response = client.post(url, {"min_grade_missing_materials": "A", "max_material_days": "60"})
    assert response.status_code == 302
    assert services.commitment_config().max_material_days == 60
