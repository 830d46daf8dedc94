"""The workbench navigation that apps register (credit_portal.navigation): every workbench page
shows it once, through templates/workbench/base.html; the links come in the registered order;
a page shown outside the workbench (an entity's own rating) has none; and the registry's
templates name no higher app. The browser test (tests/test_browser.py) checks the links a
signed-in user sees."""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from credit_portal import navigation
from registry.tests import factories

NAV = '<nav class="workbench-nav"'
TEMPLATES = Path(settings.BASE_DIR) / "templates"

# The workbench pages that included registry/_nav.html before the navigation was registered.
WORKBENCH_TEMPLATES = {
    "commitments/workbench_detail.html",
    "commitments/workbench_education.html",
    "commitments/workbench_form.html",
    "commitments/workbench_queue.html",
    "commitments/workbench_registrations.html",
    "commitments/workbench_session.html",
    "discipline/workbench_bans.html",
    "discipline/workbench_check.html",
    "discipline/workbench_listing.html",
    "discipline/workbench_listing_form.html",
    "discipline/workbench_listings.html",
    "discipline/workbench_rectification_form.html",
    "discipline/workbench_rectifications.html",
    "discipline/workbench_task.html",
    "discipline/workbench_tasks.html",
    "objections/workbench/escalations.html",
    "objections/workbench/objection.html",
    "objections/workbench/objections.html",
    "objections/workbench/tipoff.html",
    "objections/workbench/tipoffs.html",
    "restoration/workbench/application.html",
    "restoration/workbench/applications.html",
    "restoration/workbench/escalations.html",
    "ratings/entity.html",
    "ratings/overview.html",
    "ratings/plan.html",
    "ratings/plans.html",
    "registry/alert_list.html",
    "registry/decision_detail.html",
    "registry/decision_form.html",
    "registry/decision_list.html",
    "registry/entity.html",
    "registry/entity_form.html",
    "registry/entity_search.html",
    "registry/home.html",
    "registry/import_form.html",
    "registry/import_result.html",
    "registry/record_detail.html",
    "registry/record_form.html",
    "registry/record_list.html",
}

# Every workbench page that needs no object, by URL name.
PAGES = [
    "workbench:home",
    "workbench:queue",
    "workbench:decisions",
    "workbench:decision-create",
    "workbench:decision-import",
    "workbench:records",
    "workbench:record-create",
    "workbench:entity-register",
    "workbench:entity-search",
    "commitments-workbench:queue",
    "commitments-workbench:record",
    "commitments-workbench:registrations",
    "commitments-workbench:education",
    "discipline-workbench:listings",
    "discipline-workbench:listing-new",
    "discipline-workbench:tasks",
    "discipline-workbench:rectifications",
    "discipline-workbench:rectification-new",
    "discipline-workbench:bans",
    "discipline-workbench:check",
    "ratings-workbench:overview",
    "ratings-workbench:plans",
    "objections-workbench:objections",
    "objections-workbench:tipoffs",
    "objections-workbench:escalations",
    "restoration-workbench:applications",
    "restoration-workbench:escalations",
]


def template_source(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


# --- the templates ----------------------------------------------------------------------------
def test_the_workbench_pages_and_only_they_extend_the_workbench_base():
    extending = {
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if '{% extends "workbench/base.html" %}' in path.read_text(encoding="utf-8")
    }
    assert extending == WORKBENCH_TEMPLATES


@pytest.mark.parametrize("name", sorted(WORKBENCH_TEMPLATES))
def test_a_workbench_page_leaves_the_navigation_to_the_base(name):
    """Given a workbench page, then it fills workbench_content (overriding ``content`` would
    drop the navigation) and renders no navigation of its own (it would show twice)."""
    source = template_source(name)
    assert "{% block workbench_content %}" in source
    assert "{% block content %}" not in source
    assert "workbench-nav" not in source and "_nav.html" not in source


def test_only_the_workbench_base_includes_the_navigation():
    including = {
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if "_nav.html" in path.read_text(encoding="utf-8")
        or "workbench-nav" in path.read_text(encoding="utf-8")
    }
    assert including == {"workbench/base.html", "workbench/_nav.html"}


def test_the_registry_templates_name_no_higher_app():
    # The apps above by name, and the two still empty ones by URL or template path (a
    # decision's publicity window has a ``restoration_from`` date of its own).
    higher = re.compile(r"commitments|discipline|ratings|disclosure|(restoration|objections)[-:/]")
    named = [
        f"{path.name}:{number}"
        for path in sorted((TEMPLATES / "registry").rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if higher.search(line)
    ]
    assert named == []


# --- the pages --------------------------------------------------------------------------------
@pytest.fixture
def one_of_each(samr, samr_staff, entity) -> list[str]:
    """One object of each kind that has a workbench page, made through the services: the
    pages' URLs."""
    from commitments import services as commitment_services
    from commitments.models import LicensingItem
    from discipline.models import MeasureTask
    from discipline.tests import factories as discipline_factories
    from ratings import services as rating_services
    from registry import imports
    from registry import services as registry_services

    today = timezone.localdate()
    record = factories.record(by=samr_staff, ent=entity)
    decision = registry_services.decision_record(
        actor=samr_staff,
        uscc=entity.uscc,
        kind="penalty",
        document_number="京市监罚〔2026〕901号",
        decision_date=today,
        title="未按规定公示年度报告",
        severity="general",
        penalty_type="fine",
        penalty_amount=5000,
    )
    header = ",".join(column.header for column in imports.COLUMNS)
    bad_row = ",".join(["penalty", "not-a-uscc"] + [""] * (len(imports.COLUMNS) - 2))
    batch = imports.decision_import(  # one row, rejected: the result page has a report
        actor=samr_staff,
        file=io.BytesIO(f"{header}\r\n{bad_row}\r\n".encode()),
        filename="decisions.csv",
    )
    discipline_factories.measure(samr, code="SAMR-1", name="限制参加政府采购")
    listing = discipline_factories.listed(  # another entity: a listed one may not commit
        by=samr_staff,
        entity=factories.entity(by=samr_staff, name="北京恒远建材贸易有限公司"),
        rule=discipline_factories.rule(samr),
    )
    task = MeasureTask.objects.get(listing=listing)
    LicensingItem.objects.create(
        code="SP-001", name="食品经营许可", department=samr, missing_materials_allowed=True
    )
    admin = factories.platform_admin()
    draft = commitment_services.template_create(
        actor=admin, kind="missing_materials", title="容缺受理承诺书", text="……", item_code="SP-001"
    )
    commitment_services.template_publish(actor=admin, template_id=draft.pk)
    commitment = commitment_services.commitment_make(
        actor=samr_staff,
        uscc=entity.uscc,
        kind="missing_materials",
        template_id=draft.pk,
        item_code="SP-001",
        materials=[("场所产权证明", today + datetime.timedelta(days=7))],
    )
    session = commitment_services.education_session_create(
        actor=samr_staff,
        title="诚信经营培训",
        mode="online",
        starts_at=timezone.now() + datetime.timedelta(days=3),
        place="https://example.invalid/",
    )
    pool = [factories.staff(samr, username=f"inspector-{n}") for n in range(2)]
    plan = rating_services.plan_create(
        actor=samr_staff,
        title="双随机抽查",
        items="检查事项",
        period_start=today,
        period_end=today + datetime.timedelta(days=30),
        inspector_ids=[user.pk for user in pool],
    )
    from objections import services as objection_services

    objection = objection_services.objection_file(
        actor=None,
        uscc=entity.uscc,
        target_kind="record",
        target_id=record.pk,
        grounds="记录有误",
        filer_name="甲",
        filer_contact="1",
    ).case
    tipoff = objection_services.tipoff_file(
        actor=None, uscc=entity.uscc, conduct="举报事项", anonymous=True
    ).case
    return [
        reverse("restoration-workbench:application", args=[_restoration(samr_staff).pk]),
        reverse("objections-workbench:objection", args=[objection.pk]),
        reverse("objections-workbench:tipoff", args=[tipoff.pk]),
        reverse("workbench:entity-detail", args=[entity.uscc]),
        reverse("workbench:record-detail", args=[record.pk]),
        reverse("workbench:decision-detail", args=[decision.pk]),
        reverse("workbench:decision-import-result", args=[batch.pk]),
        reverse("commitments-workbench:detail", args=[commitment.pk]),
        reverse("commitments-workbench:education-session", args=[session.pk]),
        reverse("discipline-workbench:listing", args=[listing.pk]),
        reverse("discipline-workbench:task", args=[task.pk]),
        reverse("ratings-workbench:entity", args=[entity.uscc]),
        reverse("ratings-workbench:plan", args=[plan.pk]),
    ]


def _restoration(samr_staff):
    """A restoration application to the staff's department (a penalty past its minimum)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from commitments import services as commitment_services
    from registry import services as registry_services
    from registry.models import PublicityWindow
    from restoration import services as restoration_services

    applicant = factories.entity(by=samr_staff, name="北京修复示例有限公司")
    made = registry_services.decision_record(
        actor=samr_staff,
        uscc=applicant.uscc,
        kind="penalty",
        document_number="京市监罚〔2025〕902号",
        decision_date=timezone.localdate() - datetime.timedelta(days=400),
        title="虚假宣传",
        severity="serious",
        penalty_type="fine",
        penalty_amount=5000,
    )
    decision = registry_services.decision_publish(actor=samr_staff, decision_id=made.pk)
    PublicityWindow.objects.filter(record_id=decision.record_id).update(
        restoration_from=timezone.localdate()
    )
    admin = factories.platform_admin()
    template = commitment_services.template_create(
        actor=admin, kind="restoration", title="信用修复承诺书", text="……"
    )
    commitment_services.template_publish(actor=admin, template_id=template.pk)
    [application] = restoration_services.restoration_apply(
        actor=factories.entity_user(applicant),
        items=[f"record:{decision.record_id}"],
        correction="已纠正",
        commitment_template_id=template.pk,
        commitment_accepted=True,
        proof=[SimpleUploadedFile("r.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")],
    )
    return application


@pytest.mark.django_db
def test_every_workbench_template_shows_the_navigation_once(client, samr_staff, one_of_each):
    """Given the pages without an object and one page per kind of object, then each shows the
    navigation once, and together they render every workbench template."""
    client.force_login(samr_staff)
    rendered = set()
    for page in [reverse(name) for name in PAGES] + one_of_each:
        response = client.get(page)
        assert (page, response.status_code) == (page, 200)
        assert (page, response.content.decode().count(NAV)) == (page, 1)
        rendered |= {template.name for template in response.templates}
    assert WORKBENCH_TEMPLATES | {"workbench/base.html", "workbench/_nav.html"} <= rendered


@pytest.mark.django_db
def test_an_entity_reading_its_own_rating_sees_no_workbench_navigation(client, entity_user):
    """The rating page doubles as the entity's own page (ratings:mine): no workbench links."""
    client.force_login(entity_user)
    response = client.get(reverse("ratings:mine"))
    assert response.status_code == 200
    assert NAV not in response.content.decode()


@pytest.mark.django_db
def test_the_public_site_shows_no_workbench_navigation(client):
    response = client.get(reverse("public:home"))
    assert response.status_code == 200
    assert NAV not in response.content.decode()


# --- the registry of links --------------------------------------------------------------------
def test_links_come_in_order_and_a_fallback_stands_in_for_a_missing_url(monkeypatch):
    monkeypatch.setattr(navigation, "_items", [])
    navigation.register(
        navigation.NavItem("乙", "workbench:queue", 20),
        navigation.NavItem("丙", "no-such:page", 30, fallback_url="/somewhere/"),
        navigation.NavItem("甲", "workbench:home", 10),
    )
    navigation.register(navigation.NavItem("甲", "workbench:home", 10))  # twice: once
    request = RequestFactory().get("/workbench/")
    assert [(link.label, link.url) for link in navigation.items_for(request)] == [
        ("甲", "/workbench/"),
        ("乙", "/workbench/queue/"),
        ("丙", "/somewhere/"),
    ]


def test_a_missing_url_without_a_fallback_is_an_error(monkeypatch):
    monkeypatch.setattr(navigation, "_items", [navigation.NavItem("甲", "no-such:page", 10)])
    with pytest.raises(NoReverseMatch):
        navigation.items_for(RequestFactory().get("/"))


def test_every_installed_app_registered_its_links():
    """Given the apps' ready(), then the links are today's twenty-three, in today's order."""
    assert [link.url for link in navigation.items_for()] == [
        "/workbench/",
        "/workbench/queue/",
        "/workbench/decisions/",
        "/workbench/commitments/",
        "/workbench/commitments/new/",
        "/workbench/commitments/registrations/",
        "/workbench/commitments/education/",
        "/workbench/discipline/",
        "/workbench/discipline/tasks/",
        "/workbench/discipline/rectifications/",
        "/workbench/discipline/bans/",
        "/workbench/ratings/",
        "/workbench/ratings/spot-checks/",
        "/workbench/objections/",
        "/workbench/objections/tip-offs/",
        "/workbench/objections/escalations/",
        "/workbench/restoration/",
        "/workbench/restoration/escalations/",
        "/workbench/decisions/import/",
        "/workbench/records/",
        "/workbench/records/new/",
        "/workbench/entities/new/",
        "/workbench/entities/",
    ]


def test_the_home_cards_come_from_the_apps_that_registered_them():
    from commitments.home import home_cards as commitment_cards
    from discipline.home import home_cards as discipline_cards
    from objections.home import home_cards as objection_cards
    from restoration.home import home_cards as restoration_cards

    assert navigation._home_card_providers == [
        commitment_cards,
        discipline_cards,
        restoration_cards,
        objection_cards,
    ]


def test_the_links_speak_the_request_language():
    """The labels are lazy translations, read when the page renders, from the same catalogue
    entries the template's {% translate %} tags used."""
    with translation.override("en"):
        labels = [str(link.label) for link in navigation.items_for()]
    assert labels == [
        "Workbench home",
        "To do",
        "Decisions",
        "Commitments",
        "Record a commitment",
        "Registrations to verify",
        "Integrity education",
        "Credit lists",
        "Measure tasks",
        "Rectification orders and interviews",
        "Access bans and appointment warnings",
        "Credit rating",
        "Spot checks",
        "Objections",
        "Tip-offs",
        "Escalations",
        "Credit restoration",
        "Restoration escalations",
        "Bulk import",
        "My department's records",
        "Record a credit record",
        "Register a market entity",
        "Search market entities",
    ]
