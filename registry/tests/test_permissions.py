"""The permission matrix: every registry write × every kind of caller, through the HTTP layer
and directly through the services. A refused write changes nothing at all (Saleor's habit)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework.test import APIClient

from credit_portal.audit.models import AuditEvent
from credit_portal.errors import PermissionDenied
from registry import services
from registry.models import (
    CreditRecord,
    CreditRecordGroupObjectPermission,
    MarketEntity,
    MarketEntityGroupObjectPermission,
)
from registry.tests import factories

pytestmark = pytest.mark.django_db

ACTORS = [
    "anonymous",
    "entity_user",
    "owner_staff",
    "owner_head",
    "other_staff",
    "other_authority_staff",  # another registration authority: may register, not update ours
    "owner_api_client",
    "other_api_client",
    "platform_admin",
]
WRITES = ["register_entity", "update_entity", "create_record", "correct_record", "revoke_record"]

# Who may do what. "owner" is the market regulation department (a registration authority) that
# registered the entity and recorded the record; "other" is the tax department.
ALLOWED = {
    "register_entity": {"owner_staff", "owner_head", "owner_api_client", "other_authority_staff"},
    "update_entity": {"owner_staff", "owner_head", "owner_api_client"},
    # Any department may add a record, for itself.
    "create_record": {
        "owner_staff",
        "owner_head",
        "owner_api_client",
        "other_staff",
        "other_api_client",
        "other_authority_staff",
    },
    "correct_record": {"owner_staff", "owner_head", "owner_api_client"},
    "revoke_record": {"owner_staff", "owner_head", "owner_api_client"},
}
CREATED = {
    "register_entity": 201,
    "update_entity": 200,
    "create_record": 201,
    "correct_record": 201,
    "revoke_record": 201,
}


@dataclass
class Actor:
    user: object
    token: str = ""
    department_code: str = ""

    def client(self) -> APIClient:
        client = APIClient()
        if self.token:
            client.credentials(HTTP_AUTHORIZATION=f"Token {self.token}")
        elif self.user is not None:
            client.force_login(self.user)
        return client


@dataclass
class World:
    entity: MarketEntity
    record: CreditRecord
    actors: dict[str, Actor]


@pytest.fixture
def world(samr, tax, samr_staff, entity, entity_user) -> World:
    admin = factories.platform_admin()
    other_authority = factories.department("SAMR-310000", registers=True, name="上海市市场监管局")
    owner_client, owner_token = services.api_client_create(
        actor=admin, name="市场监管系统", department=samr
    )
    other_client, other_token = services.api_client_create(
        actor=admin, name="税务系统", department=tax
    )
    record = factories.record(by=samr_staff, ent=entity, title="原始处罚")
    actors = {
        "anonymous": Actor(user=None),
        "entity_user": Actor(user=entity_user),
        "owner_staff": Actor(user=samr_staff, department_code=samr.code),
        "owner_head": Actor(user=factories.staff(samr, role="head"), department_code=samr.code),
        "other_staff": Actor(user=factories.staff(tax), department_code=tax.code),
        "other_authority_staff": Actor(
            user=factories.staff(other_authority), department_code=other_authority.code
        ),
        "owner_api_client": Actor(
            user=owner_client.user, token=owner_token, department_code=samr.code
        ),
        "other_api_client": Actor(
            user=other_client.user, token=other_token, department_code=tax.code
        ),
        "platform_admin": Actor(user=admin),
    }
    return World(entity=entity, record=record, actors=actors)


def state(world: World) -> dict:
    """Everything a write could touch."""
    return {
        "entities": MarketEntity.objects.count(),
        "records": CreditRecord.objects.count(),
        "audit": AuditEvent.objects.count(),
        "entity": MarketEntity.objects.values().get(uscc=world.entity.uscc),
        "entity_perms": MarketEntityGroupObjectPermission.objects.count(),
        "record_perms": CreditRecordGroupObjectPermission.objects.count(),
        "successors": CreditRecord.objects.filter(supersedes=world.record).count(),
    }


# --- the writes, as HTTP requests and as service calls ------------------------------------------
def http_write(write: str, world: World, client: APIClient):
    uscc, pk = world.entity.uscc, world.record.pk
    if write == "register_entity":
        return client.post(
            "/api/v1/entities/",
            {"uscc": factories.make_uscc(), "name": "矩阵测试有限公司", "kind": "enterprise"},
            format="json",
        )
    if write == "update_entity":
        return client.patch(
            f"/api/v1/entities/{uscc}/",
            {"name": "北京华信新名称有限公司", "reason": "变更"},
            format="json",
        )
    if write == "create_record":
        return client.post(
            "/api/v1/records/",
            {"uscc": uscc, "catalogue_item": "CF", "title": "矩阵测试处罚", "severity": "general"},
            format="json",
        )
    if write == "correct_record":
        return client.post(
            f"/api/v1/records/{pk}/correct/",
            {"reason": "笔误", "title": "更正后的处罚"},
            format="json",
        )
    assert write == "revoke_record"
    return client.post(f"/api/v1/records/{pk}/revoke/", {"reason": "决定被撤销"}, format="json")


def service_write(write: str, world: World, actor):
    uscc, pk = world.entity.uscc, world.record.pk
    if write == "register_entity":
        return services.entity_register(
            actor=actor, uscc=factories.make_uscc(), name="矩阵测试有限公司", kind="enterprise"
        )
    if write == "update_entity":
        return services.entity_update(
            actor=actor, uscc=uscc, name="北京华信新名称有限公司", reason="变更"
        )
    if write == "create_record":
        return services.credit_record_create(
            actor=actor, uscc=uscc, catalogue_code="CF", title="矩阵测试处罚", severity="general"
        )
    action = "correction" if write == "correct_record" else "revocation"
    changes = {"title": "更正后的处罚"} if action == "correction" else {}
    return services.credit_record_supersede(
        actor=actor, record_id=pk, action=action, reason="矩阵测试", **changes
    )


def assert_done(write: str, world: World, actor: Actor, before: dict) -> None:
    after = state(world)
    assert after["audit"] == before["audit"] + 1
    if write == "register_entity":
        assert after["entities"] == before["entities"] + 1
        assert after["entity_perms"] == before["entity_perms"] + 1
        newest = MarketEntity.objects.latest("created_at")
        assert newest.registration_authority.code == actor.department_code
    elif write == "update_entity":
        assert after["entity"]["name"] == "北京华信新名称有限公司"
        assert after["entity"]["former_names"] == ["北京华信科技有限公司"]
        assert after["records"] == before["records"]
    else:
        assert after["records"] == before["records"] + 1
        assert after["record_perms"] == before["record_perms"] + 1
        newest = CreditRecord.objects.latest("id")
        assert newest.source_department.code == actor.department_code
        if write != "create_record":
            assert newest.supersedes_id == world.record.pk
            assert after["successors"] == 1


MATRIX = [(write, who) for write in WRITES for who in ACTORS]


@pytest.mark.parametrize(("write", "who"), MATRIX)
def test_api_permission_matrix(world, write, who):
    actor = world.actors[who]
    before = state(world)
    response = http_write(write, world, actor.client())
    if who in ALLOWED[write]:
        assert response.status_code == CREATED[write], response.content
        assert_done(write, world, actor, before)
        return
    expected = 401 if who == "anonymous" else 403
    assert response.status_code == expected, response.content
    body = response.json()
    assert body["code"] == ("not_authenticated" if who == "anonymous" else "permission_denied")
    assert state(world) == before


@pytest.mark.parametrize(("write", "who"), MATRIX)
def test_service_permission_matrix(world, write, who):
    actor = world.actors[who]
    user = actor.user if actor.user is not None else AnonymousUser()
    before = state(world)
    if who in ALLOWED[write]:
        service_write(write, world, user)
        assert_done(write, world, actor, before)
        return
    with pytest.raises(PermissionDenied):
        service_write(write, world, user)
    assert state(world) == before


def test_matrix_covers_every_write_and_actor():
    assert len(MATRIX) == len(WRITES) * len(ACTORS) == 45
    assert all(ALLOWED[w] <= set(ACTORS) for w in WRITES)


def test_deactivated_api_client_is_refused_and_nothing_changes(world):
    actor = world.actors["owner_api_client"]
    actor.user.api_client.active = False
    actor.user.api_client.save(update_fields=["active"])
    before = state(world)
    response = http_write("create_record", world, actor.client())
    assert response.status_code == 401 and response.json()["code"] == "authentication_failed"
    assert state(world) == before


def test_head_of_another_department_may_not_supersede(world, tax):
    head = factories.staff(tax, role="head")
    before = state(world)
    client = APIClient()
    client.force_login(head)
    response = http_write("revoke_record", world, client)
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert state(world) == before
