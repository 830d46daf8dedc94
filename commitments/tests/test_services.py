"""Commitments (35/1, 33/4): templates by version, numbering, who may commit, acceptance with
missing materials for entities in good standing only, and recording how a commitment is kept.
Every refusal leaves nothing written."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from commitments import services
from commitments.models import Commitment, CommitmentTemplate, LicensingItem, MissingMaterial
from credit_portal.audit.models import AuditEvent
from credit_portal.errors import DomainError, NotFound, PermissionDenied
from registry import services as registry_services
from registry.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(samr):
    return LicensingItem.objects.create(
        code="SP-001",
        name="食品经营许可",
        department=samr,
        commitment_applies=True,
        missing_materials_allowed=True,
    )


def published(kind: str, item=None, *, title="信用承诺书") -> CommitmentTemplate:
    admin = factories.platform_admin()
    template = services.template_create(
        actor=admin,
        kind=kind,
        title=title,
        text="本单位承诺所提交材料真实有效……",
        item_code=item.code if item else "",
    )
    return services.template_publish(actor=admin, template_id=template.pk)


def in_days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def written() -> tuple[int, int, int]:
    return (
        Commitment.objects.count(),
        MissingMaterial.objects.count(),
        AuditEvent.objects.filter(action__startswith="commitment.").count(),
    )


def missing_materials(actor, entity, item, template, **kwargs) -> Commitment:
    return services.commitment_make(
        actor=actor,
        uscc=entity.uscc,
        kind="missing_materials",
        template_id=template.pk,
        item_code=item.code,
        materials=kwargs.pop("materials", [("场所产权证明", in_days(10))]),
        **kwargs,
    )


# --- templates ------------------------------------------------------------------------------------
def test_templates_are_versioned_and_only_the_current_one_is_accepted(samr_staff, entity, item):
    first = published("approval", item)
    draft = services.template_create(
        actor=samr_staff, kind="approval", title="承诺书（修订）", text="……", item_code=item.code
    )
    assert (first.version, draft.version) == (1, 2)
    # An unpublished version changes nothing: commitments are still made on version 1.
    commitment = services.commitment_make(
        actor=samr_staff,
        uscc=entity.uscc,
        kind="approval",
        template_id=first.pk,
        item_code="SP-001",
    )
    assert commitment.template == first
    services.template_publish(actor=samr_staff, template_id=draft.pk)
    before = written()
    with pytest.raises(DomainError) as raised:
        services.commitment_make(
            actor=samr_staff,
            uscc=entity.uscc,
            kind="approval",
            template_id=first.pk,
            item_code="SP-001",
        )
    assert raised.value.code == "template_outdated" and "第2版" in str(raised.value.message)
    assert written() == before


def test_only_the_admin_or_the_items_department_writes_its_templates(tax_staff, item):
    with pytest.raises(PermissionDenied):
        services.template_create(
            actor=tax_staff, kind="approval", title="x", text="y", item_code=item.code
        )
    assert not CommitmentTemplate.objects.exists()


# --- numbers --------------------------------------------------------------------------------------
def test_numbers_are_region_date_serial_and_unique(samr_staff, entity):
    template = published("voluntary")
    numbers = [
        services.commitment_make(
            actor=samr_staff, uscc=entity.uscc, kind="voluntary", template_id=template.pk
        ).number
        for _ in range(3)
    ]
    today = timezone.localdate().strftime("%Y%m%d")
    assert numbers == [f"110105{today}00000{n}" for n in (1, 2, 3)]
    assert all(re.fullmatch(r"\d{20}", n) for n in numbers)


# --- who commits ----------------------------------------------------------------------------------
def test_an_entity_commits_for_itself_and_the_voluntary_one_is_public(entity_user, entity, samr):
    template = published("voluntary")
    commitment = services.commitment_make(
        actor=entity_user,
        uscc=entity.uscc,
        kind="voluntary",
        template_id=template.pk,
        department_code=samr.code,
    )
    assert commitment.public and commitment.department == samr
    assert commitment.made_by == entity_user and commitment.status == "in_force"


def test_an_entity_cannot_commit_for_another(entity_user, samr_staff, samr):
    other = factories.entity(by=samr_staff)
    template = published("voluntary")
    with pytest.raises(PermissionDenied):
        services.commitment_make(
            actor=entity_user,
            uscc=other.uscc,
            kind="voluntary",
            template_id=template.pk,
            department_code=samr.code,
        )
    assert written() == (0, 0, 0)


# --- acceptance with missing materials ------------------------------------------------------------
def test_an_entity_in_good_standing_is_accepted_with_deadlines(samr_staff, entity, item):
    template = published("missing_materials", item)
    commitment = missing_materials(
        samr_staff,
        entity,
        item,
        template,
        materials=[("场所产权证明", in_days(10)), ("健康证明", in_days(30))],
    )
    assert commitment.kind == "missing_materials" and commitment.item == item
    assert [(m.name, m.deadline) for m in commitment.materials.all()] == [
        ("场所产权证明", in_days(10)),
        ("健康证明", in_days(30)),
    ]


@pytest.mark.parametrize(
    ("standing", "words"),
    [
        ({"punishment_listed": True}, "失信联合惩戒对象名单"),
        ({"attention_listed": True}, "重点关注名单"),
        ({"grade": "C"}, "低于B级"),
    ],
)
def test_an_entity_not_in_good_standing_is_refused_with_the_reason(
    samr_staff, entity, item, standing, words
):
    template = published("missing_materials", item)
    registry_services.standing_update(actor=samr_staff, uscc=entity.uscc, **standing)
    before = written()
    with pytest.raises(DomainError) as raised:
        missing_materials(samr_staff, entity, item, template)
    assert raised.value.code == "not_in_good_standing"
    assert "不予容缺受理" in str(raised.value.message) and words in str(raised.value.message)
    assert written() == before
    # Approval on commitment is not restricted to entities in good standing.
    approval = published("approval", item)
    services.commitment_make(
        actor=samr_staff,
        uscc=entity.uscc,
        kind="approval",
        template_id=approval.pk,
        item_code="SP-001",
    )


@pytest.mark.parametrize(
    ("materials", "code"),
    [
        ([], "materials_required"),
        ([("场所产权证明", "today")], "deadline_past"),
        ([("场所产权证明", "yesterday")], "deadline_past"),
        ([("场所产权证明", "far")], "deadline_too_far"),
        ([("  ", "soon")], "invalid"),
    ],
)
def test_bad_materials_are_refused(samr_staff, entity, item, materials, code):
    days = {"today": 0, "yesterday": -1, "far": 91, "soon": 5}
    template = published("missing_materials", item)
    with pytest.raises(DomainError) as raised:
        missing_materials(
            samr_staff,
            entity,
            item,
            template,
            materials=[(name, in_days(days[when])) for name, when in materials],
        )
    assert raised.value.code == code
    assert written() == (0, 0, 0)


@pytest.mark.parametrize(
    ("kwargs", "error", "code"),
    [
        ({"uscc": "91110105XXXXXXXXX0"}, DomainError, "uscc_"),  # wrong check character
        ({"uscc": factories.make_uscc()}, NotFound, "entity_not_found"),
        ({"item_code": "NO-SUCH"}, NotFound, "licensing_item_not_found"),
        ({"item_code": ""}, DomainError, "item_required"),
        ({"template_id": 999999}, NotFound, "template_not_found"),
        ({"kind": "promise"}, DomainError, "invalid_kind"),
    ],
)
def test_bad_input_gets_a_clear_code(samr_staff, entity, item, kwargs, error, code):
    template = published("approval", item)
    args = {
        "actor": samr_staff,
        "uscc": entity.uscc,
        "kind": "approval",
        "template_id": template.pk,
        "item_code": item.code,
        **kwargs,
    }
    with pytest.raises(error) as raised:
        services.commitment_make(**args)
    assert raised.value.code.startswith(code)
    assert written() == (0, 0, 0)


def test_a_template_of_another_kind_is_refused(samr_staff, entity, item):
    voluntary = published("voluntary")
    with pytest.raises(DomainError) as raised:
        services.commitment_make(
            actor=samr_staff,
            uscc=entity.uscc,
            kind="approval",
            template_id=voluntary.pk,
            item_code=item.code,
        )
    assert raised.value.code == "template_mismatch"


@pytest.mark.parametrize(
    ("kind", "materials", "code"),
    [
        ("approval", [], "commitment_not_applicable"),
        ("missing_materials", [("场所产权证明", 10)], "missing_materials_not_applicable"),
    ],
)
def test_items_without_commitment_are_refused(samr_staff, entity, samr, kind, materials, code):
    plain = LicensingItem.objects.create(code="YP-001", name="药品经营许可", department=samr)
    template = published(kind, plain)
    with pytest.raises(DomainError) as raised:
        services.commitment_make(
            actor=samr_staff,
            uscc=entity.uscc,
            kind=kind,
            template_id=template.pk,
            item_code=plain.code,
            materials=[(name, in_days(days)) for name, days in materials],
        )
    assert raised.value.code == code
    assert written() == (0, 0, 0)


# --- fulfilment -----------------------------------------------------------------------------------
def test_fully_kept_needs_every_material_and_is_final(samr_staff, entity, item):
    commitment = missing_materials(samr_staff, entity, item, published("missing_materials", item))
    with pytest.raises(DomainError) as raised:
        services.commitment_fulfilment_record(
            actor=samr_staff, commitment_id=commitment.pk, fulfilment="full"
        )
    assert raised.value.code == "transition_refused" and "未补正" in str(raised.value.message)
    material = commitment.materials.get()
    services.material_supply(actor=samr_staff, material_id=material.pk)
    kept = services.commitment_fulfilment_record(
        actor=samr_staff, commitment_id=commitment.pk, fulfilment="full", note="已补齐"
    )
    assert (kept.status, kept.fulfilment) == ("fulfilled", "full")
    events = AuditEvent.objects.filter(action="commitment.fulfilment")
    assert events.count() == 1
    # Repeating it changes nothing; changing it afterwards is refused.
    services.commitment_fulfilment_record(
        actor=samr_staff, commitment_id=commitment.pk, fulfilment="full"
    )
    assert events.count() == 1
    with pytest.raises(DomainError):
        services.commitment_fulfilment_record(
            actor=samr_staff, commitment_id=commitment.pk, fulfilment="none"
        )
    commitment.refresh_from_db()
    assert commitment.status == "fulfilled"


def test_partly_then_not_kept(samr_staff, entity, item):
    commitment = missing_materials(samr_staff, entity, item, published("missing_materials", item))
    partial = services.commitment_fulfilment_record(
        actor=samr_staff, commitment_id=commitment.pk, fulfilment="partial"
    )
    assert partial.status == "partial"
    breached = services.commitment_fulfilment_record(
        actor=samr_staff, commitment_id=commitment.pk, fulfilment="none"
    )
    assert breached.status == "breached"


def test_another_department_cannot_record_fulfilment(samr_staff, tax_staff, entity, item):
    commitment = missing_materials(samr_staff, entity, item, published("missing_materials", item))
    before = written()
    with pytest.raises(PermissionDenied):
        services.commitment_fulfilment_record(
            actor=tax_staff, commitment_id=commitment.pk, fulfilment="none"
        )
    with pytest.raises(PermissionDenied):
        services.material_supply(actor=tax_staff, material_id=commitment.materials.get().pk)
    assert written() == before
    commitment.refresh_from_db()
    assert commitment.status == "in_force"
    assert commitment.materials.get().supplied_at is None


def test_an_unknown_fulfilment_is_refused(samr_staff, entity, item):
    commitment = missing_materials(samr_staff, entity, item, published("missing_materials", item))
    with pytest.raises(DomainError) as raised:
        services.commitment_fulfilment_record(
            actor=samr_staff, commitment_id=commitment.pk, fulfilment="mostly"
        )
    assert raised.value.code == "invalid_fulfilment"


def test_licensing_items_are_added_by_the_platform_only(samr, samr_staff):
    admin = factories.platform_admin()
    item = services.licensing_item_create(
        actor=admin, code="CY-009", name="餐饮服务许可", department=samr, commitment_applies=True
    )
    assert AuditEvent.objects.filter(action="licensing_item.create").count() == 1
    with pytest.raises(DomainError) as raised:
        services.licensing_item_create(actor=admin, code="CY-009", name="重复", department=samr)
    assert raised.value.code == "item_exists"
    with pytest.raises(PermissionDenied):
        services.licensing_item_create(actor=samr_staff, code="CY-010", name="x", department=samr)
    assert list(LicensingItem.objects.values_list("code", flat=True)) == [item.code]


def test_admin_adds_a_licensing_item_through_the_service(client, samr):
    admin = factories.platform_admin()
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    response = client.post(
        "/admin/commitments/licensingitem/add/",
        {
            "code": "CY-011",
            "name": "餐饮服务许可",
            "department": samr.pk,
            "commitment_applies": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert LicensingItem.objects.get(code="CY-011").commitment_applies
    assert AuditEvent.objects.filter(action="licensing_item.create").exists()
