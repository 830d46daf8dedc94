"""The entity page's commitments tab (35/1, 35/5): voluntary public commitments and verified
voluntarily registered information, for everyone; nothing else of the commitments app. The
cached page follows a new commitment or a verification at once."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from commitments import services
from registry.tests import factories

pytestmark = pytest.mark.django_db


def tab(client, entity) -> str:
    response = client.get(reverse("public:entity", args=[entity.uscc]), {"tab": "commitments"})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def templates():
    cache.clear()
    admin = factories.platform_admin()
    out = {}
    for kind, title in (
        ("voluntary", "主动公示型信用承诺书"),
        ("self_discipline", "行业自律承诺书"),
    ):
        template = services.template_create(actor=admin, kind=kind, title=title, text="守法经营……")
        out[kind] = services.template_publish(actor=admin, template_id=template.pk)
    return out


def test_the_public_sees_voluntary_commitments_and_verified_information_only(
    client, templates, entity, entity_user, samr, samr_staff
):
    assert "暂无信息" in tab(client, entity)
    voluntary = services.commitment_make(
        actor=entity_user,
        uscc=entity.uscc,
        kind="voluntary",
        template_id=templates["voluntary"].pk,
        department_code=samr.code,
    )
    services.commitment_make(
        actor=samr_staff,
        uscc=entity.uscc,
        kind="self_discipline",
        template_id=templates["self_discipline"].pk,
    )
    pending = services.disclosure_submit(
        actor=entity_user,
        uscc=entity.uscc,
        department_code=samr.code,
        kind="contract",
        title="守合同重信用证明",
        content="连续三年无合同纠纷",
        authenticity_committed=True,
        sharing_consented=True,
    )
    page = tab(client, entity)  # the cached page follows the new commitment at once
    assert voluntary.number in page and "主动公示型信用承诺书" in page
    assert "行业自律承诺书" not in page  # not a public commitment
    assert "守合同重信用证明" not in page  # not verified yet
    services.disclosure_decide(actor=samr_staff, disclosure_id=pending.pk, status="verified")
    assert "守合同重信用证明" in tab(client, entity)
    nav = client.get(reverse("public:entity", args=[entity.uscc])).content.decode()
    assert "?tab=commitments" in nav
