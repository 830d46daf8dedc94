"""The public forms: file an objection or a tip-off with or without an account, follow it by
tracking number and code; bad input gets a clear translated message and writes nothing."""

from __future__ import annotations

import pytest
from captcha.models import CaptchaStore
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from ..models import Evidence, Objection, TipOff
from .conftest import pdf

pytestmark = pytest.mark.django_db
NEW = reverse("objections:new")
STATUS = reverse("objections:status")


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()  # the rate limit counts per address in the cache
    yield
    cache.clear()


def solved() -> dict[str, str]:
    """A real CAPTCHA challenge and its answer, as the image would show it."""
    key = CaptchaStore.generate_key()
    return {"captcha_0": key, "captcha_1": CaptchaStore.objects.get(hashkey=key).response}


def form(entity, decision, **overrides):
    data = {
        "uscc": entity.uscc,
        "target_kind": "decision",
        "target_id": str(decision.pk),
        "grounds": "处罚已被复议撤销。",
        "filer_name": "李四",
        "filer_contact": "13800000000",
        **solved(),
    }
    data.update(overrides)
    return data


def test_the_entity_page_links_to_the_form_prefilled(client, entity, decision):
    html = client.get(reverse("public:entity", args=[entity.uscc]) + "?tab=penalties").content
    link = f"?uscc={entity.uscc}&amp;target=decision&amp;id={decision.pk}"
    assert link.encode() in html
    page = client.get(f"{NEW}?uscc={entity.uscc}&target=decision&id={decision.pk}")
    text = page.content.decode()
    assert page.status_code == 200 and decision.title in text and entity.name in text
    assert 'name="captcha_1"' in text


def test_anonymous_filing_shows_the_number_and_code_once(client, entity, decision, listing):
    response = client.post(NEW, {**form(entity, decision), "evidence": [pdf()]})
    assert response.status_code == 302
    page = client.get(response["Location"])
    objection = Objection.objects.get()
    text = page.content.decode()
    assert objection.tracking_number in text and "异议已受理" in text
    assert Evidence.objects.filter(objection=objection).count() == 1
    # Shown once: a second visit does not show the code again.
    again = client.get(reverse("objections:filed"))
    assert again.status_code == 302
    # The entity page now marks the decision (the cached page follows the change).
    html = client.get(reverse("public:entity", args=[entity.uscc]) + "?tab=penalties")
    assert "异议处理中" in html.content.decode()


def test_the_status_page_shows_that_case_only(client, entity, decision, samr_staff, samr_head):
    from .. import services

    filed = services.objection_file(
        actor=None,
        uscc=entity.uscc,
        target_kind="decision",
        target_id=decision.pk,
        grounds="理由",
        filer_name="甲",
        filer_contact="1",
    )
    services.objection_file(
        actor=None,
        uscc=entity.uscc,
        target_kind="other",
        grounds="另一件异议的理由XYZ",
        filer_name="乙",
        filer_contact="2",
    )
    wrong = client.post(STATUS, {"tracking_number": filed.tracking_number, "code": "AAAAAAAAAA"})
    assert wrong.status_code == 404 and "受理编号或查询码不正确" in wrong.content.decode()
    services.objection_propose(
        actor=samr_staff, objection_id=filed.case.pk, outcome="rejected", reasons="决定合法。"
    )
    services.objection_approve(actor=samr_head, objection_id=filed.case.pk)
    page = client.post(STATUS, {"tracking_number": filed.tracking_number, "code": filed.code})
    text = page.content.decode()
    assert page.status_code == 200 and "决定合法。" in text and "行政复议" in text
    assert "另一件异议的理由XYZ" not in text and "乙" not in text


@pytest.mark.parametrize(
    ("overrides", "message", "english"),
    [
        ({"uscc": "91110000000000000X"}, "统一社会信用代码", "USCC"),
        ({"target_id": "999999"}, "该主体没有这项信息", "no such item"),
        ({"captcha_1": "WRONG"}, "验证码不正确", "code is wrong"),
        ({"grounds": ""}, "必填", "required"),
    ],
)
def test_bad_input_is_refused_clearly_and_writes_nothing(
    client, entity, decision, overrides, message, english
):
    response = client.post(NEW, form(entity, decision, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    client.cookies["django_language"] = "en"
    response = client.post(NEW, form(entity, decision, **overrides))
    assert english.lower() in response.content.decode().lower()
    assert not Objection.objects.exists()


def test_a_file_of_the_wrong_type_is_refused_and_the_text_kept(client, entity, decision):
    fake = pdf("scan.pdf", b"just some text pretending to be a PDF")
    response = client.post(NEW, {**form(entity, decision), "evidence": [fake]})
    text = response.content.decode()
    assert response.status_code == 400
    assert "scan.pdf" in text and "不是PDF、JPEG或PNG文件" in text
    assert "处罚已被复议撤销。" in text and "请重新选择附件" in text
    assert not Objection.objects.exists() and not Evidence.objects.exists()


def test_an_entity_user_files_without_a_captcha(client, entity, entity_user, decision):
    client.force_login(entity_user)
    page = client.get(NEW)
    assert 'name="captcha_1"' not in page.content.decode()
    assert entity.uscc in page.content.decode()  # its own USCC prefilled
    data = form(entity, decision)
    del data["captcha_0"], data["captcha_1"]
    assert client.post(NEW, data).status_code == 302
    assert Objection.objects.get().filer_user_id == entity_user.pk


def test_the_rate_limit_holds_per_address(entity, decision, settings):
    settings.OBJECTION_RATE = "2/h"
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(2):
        assert client.post(NEW, form(entity, decision)).status_code == 302
    refused = client.post(NEW, form(entity, decision))
    assert refused.status_code == 429 and "提交过于频繁" in refused.content.decode()
    assert Objection.objects.count() == 2
    other = Client(REMOTE_ADDR="203.0.113.10")
    assert other.post(NEW, form(entity, decision)).status_code == 302


def test_a_tipoff_through_the_form(client, entity, tax):
    url = reverse("objections:tipoff-new")
    page = client.get(url).content.decode()
    assert "仅由承办人查看" in page
    data = {
        "uscc": entity.uscc,
        "department": tax.code,
        "conduct": "销售过期食品",
        "reporter_name": "王五",
        "reporter_contact": "139",
        **solved(),
    }
    response = client.post(url, data)
    assert response.status_code == 302
    tipoff = TipOff.objects.get()
    assert tipoff.department_id == tax.pk
    text = client.get(response["Location"]).content.decode()
    assert tipoff.tracking_number in text and "王五" not in text


def test_the_report_error_page_links_both_forms(client, db):
    html = client.get(reverse("public:report-error")).content.decode()
    assert NEW in html and reverse("objections:tipoff-new") in html


def test_the_statistics_page_counts_by_department_and_kind(client, entity, decision, samr):
    from .. import services

    services.objection_file(
        actor=None,
        uscc=entity.uscc,
        target_kind="decision",
        target_id=decision.pk,
        grounds="理由",
        filer_name="甲",
        filer_contact="1",
    )
    html = client.get(reverse("objections:statistics")).content.decode()
    assert samr.name in html and "行政决定" in html and 'class="hbar"' in html
    client.cookies["django_language"] = "en"
    english = client.get(reverse("objections:statistics")).content.decode()
    assert "Objections by holder department" in english and "Administrative decision" in english
