"""The public commitment pages: published templates for everyone; a voluntary public
commitment for signed-in entities only, with clear messages and nothing written on bad input."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commitments import services
from commitments.models import Commitment
from registry.tests import factories

pytestmark = pytest.mark.django_db
NEW = reverse("commitments:voluntary-new")


@pytest.fixture
def template():
    admin = factories.platform_admin()
    draft = services.template_create(
        actor=admin, kind="voluntary", title="主动公示型信用承诺书", text="本单位承诺守法诚信经营。"
    )
    return services.template_publish(actor=admin, template_id=draft.pk)


def test_templates_page_lists_published_versions_only(client, template):
    admin = factories.platform_admin()
    services.template_create(actor=admin, kind="voluntary", title="未发布的修订稿", text="……")
    html = client.get(reverse("commitments:templates")).content.decode()
    assert "主动公示型信用承诺书" in html and "本单位承诺守法诚信经营" in html
    assert "未发布的修订稿" not in html


def test_anonymous_is_sent_to_sign_in_and_staff_are_told_why(client, template, samr_staff):
    response = client.get(NEW)
    assert response.status_code == 302 and "next=" in response["Location"]
    client.force_login(samr_staff)
    response = client.get(NEW)
    assert response.status_code == 403 and "只有市场主体账号" in response.content.decode()


def test_an_entity_makes_a_voluntary_commitment(client, template, entity_user, entity, samr):
    client.force_login(entity_user)
    page = client.get(NEW).content.decode()
    assert "本单位承诺守法诚信经营" in page and "第 1 版" in page
    # Without the confirmation nothing is written and the page says why.
    body = {"template_id": template.pk, "department": samr.code}
    response = client.post(NEW, body)
    assert response.status_code == 400 and "该字段是必填项" in response.content.decode()
    assert not Commitment.objects.exists()
    response = client.post(NEW, {**body, "confirm": "on"})
    commitment = Commitment.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/entity/{entity.uscc}/?tab=commitments#tabs")
    assert (commitment.kind, commitment.public, commitment.department) == ("voluntary", True, samr)


def test_a_newer_version_published_meanwhile_is_a_clear_refusal(
    client, template, entity_user, samr
):
    client.force_login(entity_user)
    admin = factories.platform_admin()
    newer = services.template_create(
        actor=admin, kind="voluntary", title="承诺书（修订）", text="修订后的承诺。"
    )
    services.template_publish(actor=admin, template_id=newer.pk)
    body = {"template_id": template.pk, "department": samr.code, "confirm": "on"}
    response = client.post(NEW, body)
    assert response.status_code == 400
    assert "格式文本已更新" in response.content.decode()
    assert not Commitment.objects.exists()


def test_an_unknown_department_is_a_form_error(client, template, entity_user):
    client.force_login(entity_user)
    body = {"template_id": template.pk, "department": "NO-SUCH", "confirm": "on"}
    response = client.post(NEW, body)
    assert response.status_code == 400
    assert not Commitment.objects.exists()
