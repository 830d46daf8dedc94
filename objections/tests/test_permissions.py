"""33/13: a reporter's identity is seen by the staff member handling the tip-off and by nobody
else: no page, API answer or export shows it to the entity, other staff of the department, its
head, other departments, API clients, platform administrators or the public. And the API
answers in its usual shape for the department's queues."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from credit_portal.errors import PermissionDenied
from registry import services as registry_services
from registry.roles import viewer_for
from registry.tests import factories as registry_factories

from .. import selectors, services
from ..models import Objection, TipOff

pytestmark = pytest.mark.django_db
NAME, CONTACT = "赵保密举报人", "13712345678"
FILER = "钱异议人"


@pytest.fixture
def cases(entity, samr, samr_staff, decision):
    tipoff = services.tipoff_file(
        actor=None,
        uscc=entity.uscc,
        conduct="举报：虚假宣传",
        reporter_name=NAME,
        reporter_contact=CONTACT,
    ).case
    services.tipoff_claim(actor=samr_staff, tipoff_id=tipoff.pk)
    objection = services.objection_file(
        actor=None,
        uscc=entity.uscc,
        target_kind="decision",
        target_id=decision.pk,
        grounds="异议理由",
        filer_name=FILER,
        filer_contact="13600000000",
    ).case
    return tipoff, objection


@pytest.fixture
def everyone(samr, tax, samr_staff, entity, entity_user):
    other_entity = registry_factories.entity(by=samr_staff, name="北京其他公司")
    admin_user = registry_factories.platform_admin()
    api_user = registry_services.api_client_create(
        actor=admin_user, name="银行接口", department=samr
    )
    return {
        "anonymous": None,
        "entity": entity_user,
        "other entity": registry_factories.entity_user(other_entity, username="other-ent"),
        "samr staff (not handler)": registry_factories.staff(samr, username="samr-other"),
        "samr head": registry_factories.staff(samr, role="head", username="samr-head-x"),
        "tax staff": registry_factories.staff(tax, username="tax-x"),
        "platform admin": admin_user,
        "api client": api_user[0].user,
        "handler": samr_staff,
    }


def pages(tipoff: TipOff, objection: Objection, entity) -> list[str]:
    return [
        reverse("objections-workbench:tipoffs"),
        reverse("objections-workbench:tipoff", args=[tipoff.pk]),
        reverse("objections-workbench:objections"),
        reverse("objections-workbench:objection", args=[objection.pk]),
        reverse("objections-workbench:escalations"),
        reverse("objections:statistics"),
        reverse("public:entity", args=[entity.uscc]),
        reverse("public:entity", args=[entity.uscc]) + "?tab=other",
        "/api/v1/tip-offs/",
        f"/api/v1/tip-offs/{tipoff.pk}/",
        "/api/v1/objections/",
        f"/api/v1/objections/{objection.pk}/",
        "/api/v1/objection-statistics/",
        "/api/v1/records/",
        "/workbench/records/",
    ]


def test_only_the_handler_ever_sees_the_reporter(cases, everyone, entity):
    tipoff, objection = cases
    raw = TipOff.objects.filter(pk=tipoff.pk).values_list("reporter_sealed", flat=True).get()
    assert NAME not in raw and CONTACT not in raw  # encrypted at rest
    seen_by = set()
    for who, user in everyone.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        for url in pages(tipoff, objection, entity):
            body = client.get(url).content.decode()
            if NAME in body or CONTACT in body:
                seen_by.add((who, url))
    assert seen_by == {("handler", reverse("objections-workbench:tipoff", args=[tipoff.pk]))}


def test_the_api_never_carries_a_reporter_or_a_filer_even_to_the_handler(cases, samr_staff):
    tipoff, objection = cases
    client = APIClient()
    client.force_authenticate(samr_staff)
    for url in ("/api/v1/tip-offs/", f"/api/v1/tip-offs/{tipoff.pk}/"):
        body = client.get(url).content.decode()
        assert tipoff.tracking_number in body and NAME not in body and CONTACT not in body
    body = client.get(f"/api/v1/objections/{objection.pk}/").content.decode()
    assert objection.tracking_number in body and FILER not in body


def test_the_filer_is_shown_to_the_holder_on_request_and_logged(cases, samr_staff, tax):
    from credit_portal.audit.models import AccessLog

    _tipoff, objection = cases
    client = Client()
    client.force_login(samr_staff)
    page = reverse("objections-workbench:objection", args=[objection.pk])
    assert FILER not in client.get(page).content.decode()
    shown = client.post(reverse("objections-workbench:objection-filer", args=[objection.pk]))
    assert FILER in shown.content.decode()
    assert AccessLog.objects.filter(what__contains="filer").count() == 1
    other = Client()
    other.force_login(registry_factories.staff(tax, username="tax-y"))
    assert other.get(page).status_code == 404


def test_the_workbench_walk_and_the_api_decision(cases, samr_staff, samr, entity):
    _tipoff, objection = cases
    head = registry_factories.staff(samr, role="head", username="samr-head-walk")
    staff = Client()
    staff.force_login(samr_staff)
    queue = staff.get(reverse("objections-workbench:objections")).content.decode()
    assert objection.tracking_number in queue
    bad = staff.post(
        reverse("objections-workbench:objection-propose", args=[objection.pk]),
        {"outcome": "partly", "reasons": "金额有误", "action": "revocation"},
    )
    assert bad.status_code == 400 and "部分成立只能更正信息" in bad.content.decode()
    staff.post(
        reverse("objections-workbench:objection-propose", args=[objection.pk]),
        {"outcome": "rejected", "reasons": "决定合法有效。"},
    )
    objection.refresh_from_db()
    assert objection.status == Objection.Status.PROPOSED
    # The proposer's own approval through the API is refused (four eyes), the head's is not.
    api = APIClient()
    api.force_authenticate(samr_staff)
    refused = api.post(f"/api/v1/objections/{objection.pk}/approve/")
    assert refused.status_code == 403 and refused.json()["code"] == "head_required"
    api.force_authenticate(head)
    done = api.post(f"/api/v1/objections/{objection.pk}/approve/")
    assert done.status_code == 200 and done.json()["outcome"] == "rejected"
    stats = APIClient().get("/api/v1/objection-statistics/").json()
    assert stats["objections_by_department"][0]["decided"] == 1


def test_api_clients_read_the_queue_but_do_not_decide(cases, everyone):
    _tipoff, objection = cases
    api = APIClient()
    api.force_authenticate(everyone["api client"])
    assert api.get("/api/v1/objections/").status_code == 200
    refused = api.post(
        f"/api/v1/objections/{objection.pk}/propose/", {"outcome": "upheld", "reasons": "x"}
    )
    assert refused.status_code == 403 and refused.json()["code"] == "person_required"
    assert APIClient().get("/api/v1/objections/").status_code == 401
    api.force_authenticate(everyone["entity"])
    assert api.get("/api/v1/objections/").status_code == 403


def test_the_platform_forwards_and_the_handler_closes_in_the_workbench(
    entity, samr, samr_staff, tax
):
    from django.urls import reverse

    loose = services.objection_file(
        actor=None,
        uscc=entity.uscc,
        target_kind="other",
        grounds="地址有误",
        filer_name="甲",
        filer_contact="1",
    ).case
    admin = Client()
    admin.force_login(registry_factories.platform_admin())
    page = admin.get(reverse("objections-workbench:objection", args=[loose.pk])).content.decode()
    assert 'name="department"' in page
    bad = admin.post(reverse("objections-workbench:objection-forward", args=[loose.pk]), {})
    assert bad.status_code == 400
    admin.post(
        reverse("objections-workbench:objection-forward", args=[loose.pk]),
        {"department": samr.code},
    )
    loose.refresh_from_db()
    assert loose.department_id == samr.pk and loose.status == Objection.Status.REVIEWING

    tipoff = services.tipoff_file(
        actor=None, uscc=entity.uscc, conduct="举报", reporter_name="举报人甲", reporter_contact="1"
    ).case
    staff = Client()
    staff.force_login(samr_staff)
    staff.post(reverse("objections-workbench:tipoff-claim", args=[tipoff.pk]))
    detail = staff.get(reverse("objections-workbench:tipoff", args=[tipoff.pk])).content.decode()
    assert "举报人甲" in detail
    staff.post(
        reverse("objections-workbench:tipoff-close", args=[tipoff.pk]),
        {"outcome": "unsubstantiated", "reply": "经查不属实。"},
    )
    tipoff.refresh_from_db()
    assert tipoff.status == TipOff.Status.CLOSED and tipoff.reply == "经查不属实。"


# --- found in review: API clients, the filer, ratings of another run --------------------------
def test_an_api_client_never_reads_the_filer_nor_decides(samr, samr_staff, entity, listing):
    client, _token = registry_services.api_client_create(
        actor=registry_factories.platform_admin(), name="接口", department=samr
    )
    objection = services.objection_file(
        actor=None,
        uscc=entity.uscc,
        target_kind="listing",
        target_id=listing.pk,
        grounds="依据已撤销",
        filer_name="甲",
        filer_contact="1",
    ).case
    with pytest.raises(PermissionDenied):
        selectors.objection_filer(viewer_for(client.user), objection)
    with pytest.raises(PermissionDenied) as raised:
        services.objection_propose(
            actor=client.user, objection_id=objection.pk, outcome="rejected", reasons="x"
        )
    assert raised.value.code == "person_required"


def test_a_rating_objection_names_a_run_the_entity_was_rated_in(samr_staff, entity):
    from credit_portal.errors import DomainError
    from ratings import services as rating_services

    registry_factories.record(by=samr_staff, ent=entity, severity="serious")
    run, chunk_ids = rating_services.run_start()
    for chunk_id in chunk_ids:
        rating_services.chunk_rate(chunk_id)
    later = registry_factories.entity(by=samr_staff, name="后来登记的公司")  # in no run
    assert services.item_resolve(entity, "rating", run.pk, own=False).kind == "rating"
    for who, run_id in ((entity, run.pk + 1), (later, run.pk)):
        with pytest.raises(DomainError) as raised:
            services.item_resolve(who, "rating", run_id, own=False)
        assert raised.value.code == "item_not_found"
