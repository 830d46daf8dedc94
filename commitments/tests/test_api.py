"""API v1 commitments: who sees which commitment, making and recording through the API, and
bad input answered with a code and nothing written."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from commitments import services
from commitments.models import Commitment, LicensingItem
from registry import services as registry_services
from registry.tests import factories

pytestmark = pytest.mark.django_db
URL = "/api/v1/commitments/"


def session(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def token_client(department) -> APIClient:
    _client, token = registry_services.api_client_create(
        actor=factories.platform_admin(), name="业务系统", department=department
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def setup(samr, samr_staff, entity, entity_user):
    item = LicensingItem.objects.create(
        code="SP-001", name="食品经营许可", department=samr, missing_materials_allowed=True
    )
    admin = factories.platform_admin()
    templates = {}
    for kind, code in (("voluntary", ""), ("missing_materials", "SP-001")):
        draft = services.template_create(
            actor=admin, kind=kind, title=f"{kind}承诺书", text="……", item_code=code
        )
        templates[kind] = services.template_publish(actor=admin, template_id=draft.pk)
    voluntary = services.commitment_make(
        actor=entity_user,
        uscc=entity.uscc,
        kind="voluntary",
        template_id=templates["voluntary"].pk,
        department_code=samr.code,
    )
    accepted = services.commitment_make(
        actor=samr_staff,
        uscc=entity.uscc,
        kind="missing_materials",
        template_id=templates["missing_materials"].pk,
        item_code=item.code,
        materials=[("场所产权证明", timezone.localdate() + datetime.timedelta(days=5))],
    )
    return {"templates": templates, "voluntary": voluntary, "accepted": accepted, "item": item}


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_who_sees_which(setup, samr_staff, tax_staff, entity_user):
    voluntary, accepted = setup["voluntary"].pk, setup["accepted"].pk
    assert ids(APIClient().get(URL)) == {voluntary}
    assert ids(session(tax_staff).get(URL)) == {voluntary}
    assert ids(session(samr_staff).get(URL)) == {voluntary, accepted}
    assert ids(session(entity_user).get(URL)) == {voluntary, accepted}
    assert APIClient().get(f"{URL}{accepted}/").status_code == 404
    row = session(samr_staff).get(f"{URL}{accepted}/").json()
    assert row["number"] == setup["accepted"].number and len(row["materials"]) == 1


def test_filters_and_bad_filters(setup, samr_staff, entity):
    client = session(samr_staff)
    assert ids(client.get(URL, {"kind": "voluntary"})) == {setup["voluntary"].pk}
    assert ids(client.get(URL, {"uscc": entity.uscc.lower()})) == {
        setup["voluntary"].pk,
        setup["accepted"].pk,
    }
    response = client.get(URL, {"uscc": "123"})
    assert response.status_code == 400 and response.json()["field"] == "uscc"
    assert client.get(URL, {"status": "nope"}).status_code == 400


def test_a_department_records_and_keeps_track_through_the_api(setup, samr, entity):
    client = token_client(samr)
    body = {
        "uscc": entity.uscc,
        "kind": "missing_materials",
        "template": setup["templates"]["missing_materials"].pk,
        "item": "SP-001",
        "materials": [
            {"name": "健康证明", "deadline": str(timezone.localdate() + datetime.timedelta(days=3))}
        ],
    }
    response = client.post(URL, body, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "in_force" and created["template_version"] == 1
    response = client.post(
        f"{URL}{created['id']}/fulfilment/", {"fulfilment": "none"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "breached"


def test_a_supplied_material_is_recorded_through_the_api(setup, samr, tax_staff):
    accepted = setup["accepted"]
    material = accepted.materials.get()
    url = f"{URL}{accepted.pk}/supply/"
    for body, status, code in (
        ({"material": "x"}, 400, "invalid"),
        ({"material": 2**70}, 400, "max_value"),
        ({"material": material.pk + 999}, 404, "material_not_found"),
    ):
        response = token_client(samr).post(url, body, format="json")
        assert (response.status_code, response.json()["code"]) == (status, code), body
    assert session(tax_staff).post(url, {"material": material.pk}).status_code == 404
    material.refresh_from_db()
    assert material.supplied_at is None
    response = token_client(samr).post(url, {"material": material.pk}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["materials"][0]["supplied_at"]


@pytest.mark.parametrize(
    ("patch", "code", "field"),
    [
        ({"uscc": "91110105XXXXXXXXX0"}, "uscc_checksum", "uscc"),
        ({"kind": "promise"}, "invalid_choice", "kind"),
        ({"template": "x"}, "invalid", "template"),
        ({"materials": [{"name": "证明", "deadline": "2020-01-01"}]}, "deadline_past", "materials"),
        ({"item": "NO-SUCH"}, "licensing_item_not_found", "item"),
    ],
)
def test_bad_input_is_a_coded_400_or_404_and_nothing_written(
    setup, samr_staff, entity, patch, code, field
):
    body = {
        "uscc": entity.uscc,
        "kind": "missing_materials",
        "template": setup["templates"]["missing_materials"].pk,
        "item": "SP-001",
        "materials": [
            {"name": "证明", "deadline": str(timezone.localdate() + datetime.timedelta(days=3))}
        ],
        **patch,
    }
    before = Commitment.objects.count()
    response = session(samr_staff).post(URL, body, format="json")
    assert response.status_code in (400, 404), response.content
    assert (response.json()["code"], response.json()["field"]) == (code, field)
    assert Commitment.objects.count() == before


def test_anonymous_cannot_write_and_another_department_cannot_record(setup, tax_staff):
    accepted, voluntary = setup["accepted"], setup["voluntary"]
    assert APIClient().post(URL, {}, format="json").status_code == 401
    # Not visible to another department: 404, which does not reveal it exists.
    response = session(tax_staff).post(
        f"{URL}{accepted.pk}/fulfilment/", {"fulfilment": "none"}, format="json"
    )
    assert response.status_code == 404
    # A public one is visible, and recording its fulfilment is refused.
    response = session(tax_staff).post(
        f"{URL}{voluntary.pk}/fulfilment/", {"fulfilment": "full"}, format="json"
    )
    assert response.status_code == 403
    accepted.refresh_from_db()
    assert accepted.status == "in_force"


def test_templates_are_public(setup):
    response = APIClient().get("/api/v1/commitment-templates/")
    assert response.status_code == 200
    assert {row["kind"] for row in response.json()["results"]} == {"voluntary", "missing_materials"}


REGISTRATIONS = "/api/v1/voluntary-registrations/"


def test_voluntary_registration_through_the_api(setup, entity, entity_user, samr, samr_staff):
    body = {
        "uscc": entity.uscc,
        "department": samr.code,
        "kind": "qualification",
        "title": "高新技术企业证书",
        "content": "GR202511000001",
        "authenticity_committed": True,
        "sharing_consented": False,
    }
    client = session(entity_user)
    response = client.post(REGISTRATIONS, body, format="json")
    assert response.status_code == 400 and response.json()["code"] == "consent_required"
    response = client.post(REGISTRATIONS, {**body, "sharing_consented": True}, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert ids(APIClient().get(REGISTRATIONS)) == set()  # pending: not public
    assert ids(client.get(REGISTRATIONS)) == {pk}
    staff = session(samr_staff)
    response = staff.post(f"{REGISTRATIONS}{pk}/decide/", {"status": "rejected"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "transition_refused"
    response = staff.post(f"{REGISTRATIONS}{pk}/decide/", {"status": "verified"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "verified"
    assert ids(APIClient().get(REGISTRATIONS)) == {pk}
    # Staff cannot register for an entity.
    assert (
        staff.post(REGISTRATIONS, {**body, "sharing_consented": True}, format="json").status_code
        == 403
    )


def test_licensing_items_are_public(setup):
    response = APIClient().get("/api/v1/licensing-items/")
    assert response.status_code == 200
    assert [row["code"] for row in response.json()["results"]] == ["SP-001"]
    assert APIClient().get("/api/v1/licensing-items/SP-001/").json()["missing_materials_allowed"]
    assert APIClient().get("/api/v1/licensing-items/NOPE/").status_code == 404
