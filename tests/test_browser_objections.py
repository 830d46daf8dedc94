"""In headless Chromium: a visitor objects to a published penalty from the entity's public page
(a file of the wrong type is refused first), keeps the tracking number and code, sees the mark
on the page and follows the case to its outcome; another visitor files a tip-off and follows
it. The CAPTCHA is answered as a person would, from the challenge the page shows (read here
from the database behind the image)."""

from __future__ import annotations

import datetime
import os
import tempfile

import pytest
from django.urls import reverse
from django.utils import timezone

from registry import services as registry_services
from registry.tests import factories
from tests.conftest import CHROMEDRIVER, CHROMIUM
from tests.test_browser import submit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)),
        reason="needs Debian's chromium and chromium-driver (.ci/run installs them)",
    ),
]
SHOTS = os.environ.get("CREDIT_PORTAL_SHOTS", "")  # a directory: save screenshots to look at


def shot(browser, name: str) -> None:
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        browser.save_screenshot(os.path.join(SHOTS, f"{name}.png"))


def answer_captcha(browser) -> None:
    from captcha.models import CaptchaStore
    from selenium.webdriver.common.by import By

    key = browser.find_element(By.NAME, "captcha_0").get_attribute("value")
    field = browser.find_element(By.NAME, "captcha_1")
    field.clear()
    field.send_keys(CaptchaStore.objects.get(hashkey=key).response)


def a_file(name: str, data: bytes) -> str:
    path = os.path.join(tempfile.mkdtemp(prefix="evidence-"), name)
    with open(path, "wb") as handle:
        handle.write(data)
    return path


@pytest.fixture(autouse=True)
def catalogue(transactional_db):
    """The live server's flush empties the catalogue: put it back (as tests/test_browser.py)."""
    from registry.catalogue import load_default_catalogue
    from registry.models import CatalogueItem

    load_default_catalogue(CatalogueItem)


@pytest.fixture
def published(db):
    samr = factories.department("SAMR-110000", registers=True, name="北京市市场监督管理局")
    staff = factories.staff(samr, username="samr-staff")
    head = factories.staff(samr, role="head", username="samr-head")
    entity = factories.entity(by=staff, name="北京华信科技有限公司")
    made = registry_services.decision_record(
        actor=staff,
        uscc=entity.uscc,
        kind="penalty",
        document_number="京市监罚〔2026〕77号",
        decision_date=timezone.localdate() - datetime.timedelta(days=2),
        title="发布虚假广告",
        severity="general",
        penalty_type="fine",
        penalty_amount=30000,
    )
    decision = registry_services.decision_publish(actor=staff, decision_id=made.pk)
    return entity, decision, staff, head


def test_object_from_the_entity_page_and_follow_it_to_the_outcome(live_server, browser, published):
    from selenium.webdriver.common.by import By

    from objections import services
    from objections.models import Objection

    entity, _decision, staff, head = published
    page = reverse("public:entity", args=[entity.uscc]) + "?tab=penalties"
    browser.get(live_server.url + page)
    link = browser.find_element(By.LINK_TEXT, "对此信息提出异议")
    link.click()
    assert browser.find_element(By.NAME, "uscc").get_attribute("value") == entity.uscc
    assert browser.find_element(By.NAME, "target_kind").get_attribute("value") == "decision"
    assert "发布虚假广告" in browser.find_element(By.TAG_NAME, "main").text
    browser.find_element(By.NAME, "grounds").send_keys("该处罚决定已被复议机关撤销。")
    browser.find_element(By.NAME, "filer_name").send_keys("李四")
    browser.find_element(By.NAME, "filer_contact").send_keys("13800000000")
    browser.find_element(By.NAME, "evidence").send_keys(a_file("scan.pdf", b"plain text"))
    answer_captcha(browser)
    submit(browser)
    text = browser.find_element(By.TAG_NAME, "main").text
    assert "不是PDF、JPEG或PNG文件" in text and "请重新选择附件" in text
    assert "复议机关撤销" in browser.find_element(By.NAME, "grounds").get_attribute("value")
    shot(browser, "objection-refused-file")
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    browser.find_element(By.NAME, "evidence").send_keys(a_file("decision.pdf", pdf))
    answer_captcha(browser)
    submit(browser)
    number = browser.find_element(By.ID, "tracking-number").text
    code = browser.find_element(By.ID, "tracking-code").text
    assert number.startswith("YY") and len(code) == 10
    shot(browser, "objection-filed")

    browser.get(live_server.url + page)
    assert "异议处理中" in browser.find_element(By.TAG_NAME, "main").text
    shot(browser, "entity-under-objection")

    objection = Objection.objects.get(tracking_number=number)
    services.objection_propose(
        actor=staff, objection_id=objection.pk, outcome="rejected", reasons="处罚决定合法有效。"
    )
    services.objection_approve(actor=head, objection_id=objection.pk)

    browser.get(live_server.url + reverse("objections:status"))
    browser.find_element(By.NAME, "tracking_number").send_keys(number)
    browser.find_element(By.NAME, "code").send_keys("WRONGCODE0")
    submit(browser)
    assert "受理编号或查询码不正确" in browser.find_element(By.TAG_NAME, "main").text
    browser.find_element(By.NAME, "tracking_number").clear()
    browser.find_element(By.NAME, "tracking_number").send_keys(number)
    browser.find_element(By.NAME, "code").send_keys(code)
    submit(browser)
    text = browser.find_element(By.TAG_NAME, "main").text
    assert browser.find_element(By.ID, "case-outcome").text == "异议不成立"
    assert "处罚决定合法有效。" in text and "行政复议" in text
    shot(browser, "objection-status")


def test_a_tipoff_is_filed_and_followed(live_server, browser, published):
    from selenium.webdriver.common.by import By

    entity, _decision, _staff, _head = published
    browser.get(live_server.url + reverse("public:report-error"))
    browser.find_element(By.LINK_TEXT, "投诉举报失信行为").click()
    assert "仅由承办人查看" in browser.find_element(By.TAG_NAME, "main").text
    browser.find_element(By.NAME, "uscc").send_keys(entity.uscc)
    browser.find_element(By.NAME, "conduct").send_keys("该企业销售过期食品。")
    browser.find_element(By.NAME, "reporter_name").send_keys("王五")
    browser.find_element(By.NAME, "reporter_contact").send_keys("13911112222")
    answer_captcha(browser)
    shot(browser, "tipoff-form")
    submit(browser)
    number = browser.find_element(By.ID, "tracking-number").text
    code = browser.find_element(By.ID, "tracking-code").text
    assert number.startswith("JB")
    browser.find_element(By.LINK_TEXT, "查询办理进度").click()
    assert browser.find_element(By.NAME, "tracking_number").get_attribute("value") == number
    browser.find_element(By.NAME, "code").send_keys(code)
    submit(browser)
    text = browser.find_element(By.TAG_NAME, "main").text
    assert "待处理" in text and "北京市市场监督管理局" in text and "王五" not in text
    shot(browser, "tipoff-status")
