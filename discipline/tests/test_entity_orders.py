"""The entity is told what it must rectify and by when (35/11): its own page and the API show
the orders addressed to it and their interviews; never another entity's."""

from __future__ import annotations

import datetime

import pytest
from rest_framework.test import APIClient

from discipline import services
from registry.tests import factories as registry_factories

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(samr_staff, entity):
    made = services.rectification_order(
        actor=samr_staff,
        uscc=entity.uscc,
        requirement="停止销售不合格产品并提交整改报告",
        deadline=factories.today() + datetime.timedelta(days=1),
    )
    services.rectifications_escalate(today=made.deadline + datetime.timedelta(days=1))
    return made


def test_the_entity_sees_its_orders_and_interviews(client, order, entity_user):
    client.force_login(entity_user)
    page = client.get("/lists/mine/").content.decode()
    assert "停止销售不合格产品并提交整改报告" in page
    assert "提示约谈" in page and "逾期未整改" in page


def test_the_api_gives_an_entity_its_own_orders_only(order, entity_user, samr_staff):
    other = registry_factories.entity(by=samr_staff, name="北京另一家科技有限公司")
    other_user = registry_factories.entity_user(other, username="other-entity")
    api = APIClient()
    assert api.get("/api/v1/rectifications/").status_code == 401
    api.force_authenticate(entity_user)
    body = api.get("/api/v1/rectifications/").json()
    assert [row["id"] for row in body["results"]] == [order.pk]
    assert api.get(f"/api/v1/rectifications/{order.pk}/").status_code == 200
    for outsider in (other_user, registry_factories.platform_admin()):
        api.force_authenticate(outsider)
        assert api.get("/api/v1/rectifications/").json()["results"] == []
        assert api.get(f"/api/v1/rectifications/{order.pk}/").status_code == 404
    # Reading is not acting: the entity cannot complete its own order.
    api.force_authenticate(entity_user)
    assert api.post(
        f"/api/v1/rectifications/{order.pk}/complete/", {"note": "已整改"}
    ).status_code in (
        401,
        403,
    )
    order.refresh_from_db()
    assert order.status == "overdue"
