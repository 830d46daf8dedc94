"""In headless Chromium: an entity user applies to restore a penalty (a file that is not a
PDF is refused first, with everything typed kept), market-regulation staff accept and propose,
the head approves, and the penalty is gone from the public entity page while the applicant's
status page says it is restored."""

from __future__ import annotations

import datetime
import os
import tempfile

import pytest
from django.urls import reverse
from django.utils import timezone

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
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def shot(browser, name: str) -> None:
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        browser.save_screenshot(os.path.join(SHOTS, f"{name}.png"))


def a_file(name: str, data: bytes) -> str:
    path = os.path.join(tempfile.mkdtemp(prefix="evidence-"), name)
    with open(path, "wb") as handle:
        handle.write(data)
    return path


@pytest.fixture(autouse=True)
def catalogue(transactional_db):
    """The live server's flush empties the data migrations' rows: put back the catalogue and
    the publicity rules (as tests/test_browser.py)."""
    from registry.catalogue import load_default_catalogue
    from registry.models import CatalogueItem, PublicityRule

    load_default_catalogue(CatalogueItem)
    PublicityRule.objects.get_or_create(
        severity="serious", defaults={"published": True, "min_months": 12, "max_months": 36}
    )


@pytest.fixture
def penalised(db):
    from commitments import services as commitment_services
    from registry import services as registry_services
    from registry.models import PublicityWindow
    from registry.tests import factories

    samr = factories.department("SAMR-110000", registers=True, name="北京市市场监督管理局")
    staff = factories.staff(samr, username="samr-staff")
    factories.staff(samr, role="head", username="samr-head")
    entity = factories.entity(by=staff, name="北京华信科技有限公司")
    user = factories.entity_user(entity, username="entity-demo")
    made = registry_services.decision_record(
        actor=staff,
        uscc=entity.uscc,
        kind="penalty",
        document_number="京市监罚〔2025〕18号",
        decision_date=timezone.localdate() - datetime.timedelta(days=400),
        title="发布虚假广告",
        severity="serious",
        penalty_type="fine",
        penalty_amount=30000,
    )
    decision = registry_services.decision_publish(actor=staff, decision_id=made.pk)
    # Published "a year ago": the minimum publicity period has passed.
    PublicityWindow.objects.filter(record_id=decision.record_id).update(
        restoration_from=timezone.localdate() - datetime.timedelta(days=1)
    )
    admin = factories.platform_admin()
    template = commitment_services.template_create(
        actor=admin,
        kind="restoration",
        title="信用修复承诺书",
        text="本单位已纠正失信行为、消除不良影响，承诺今后守法诚信经营。",
    )
    commitment_services.template_publish(actor=admin, template_id=template.pk)
    return entity, decision, user


def test_an_entity_restores_a_penalty_and_the_public_page_no_longer_shows_it(
    live_server, browser, penalised
):
    from selenium.webdriver.common.by import By

    entity, decision, _user = penalised

    def sign_in(username: str, path: str) -> None:
        browser.delete_all_cookies()
        browser.get(live_server.url + path)  # sends to sign-in, then back
        browser.find_element(By.NAME, "username").send_keys(username)
        browser.find_element(By.NAME, "password").send_keys("pw-123456")
        submit(browser)

    public_page = reverse("public:entity", args=[entity.uscc]) + "?tab=penalties"
    browser.get(live_server.url + public_page)
    assert "发布虚假广告" in browser.find_element(By.TAG_NAME, "main").text

    # 1. The entity applies; a text file called .pdf is refused and nothing typed is lost.
    sign_in("entity-demo", reverse("restoration:apply"))
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "发布虚假广告" in main and "本单位已纠正失信行为" in main
    browser.find_element(By.CSS_SELECTOR, f"input[value='record:{decision.record_id}']").click()
    browser.find_element(By.NAME, "correction").send_keys("罚款已缴清，广告已撤下。")
    browser.find_element(By.NAME, "commitment").click()
    browser.find_element(By.NAME, "proof").send_keys(a_file("receipt.pdf", b"just text"))
    shot(browser, "restoration-apply")
    submit(browser)
    text = browser.find_element(By.TAG_NAME, "main").text
    assert "不是PDF、JPEG或PNG文件" in text and "请重新选择附件" in text
    assert browser.find_element(By.NAME, "correction").get_attribute("value") == (
        "罚款已缴清，广告已撤下。"
    )
    shot(browser, "restoration-refused-file")
    box = browser.find_element(By.CSS_SELECTOR, f"input[value='record:{decision.record_id}']")
    assert box.is_selected()
    browser.find_element(By.NAME, "proof").send_keys(a_file("receipt.pdf", PDF))
    if not browser.find_element(By.NAME, "commitment").is_selected():
        browser.find_element(By.NAME, "commitment").click()
    submit(browser)
    number = browser.find_element(By.CSS_SELECTOR, "main a.code").text
    assert number.startswith("XF")
    shot(browser, "restoration-applied")

    # 2. Staff accept and propose; 3. the head approves.
    sign_in("samr-staff", reverse("restoration-workbench:applications"))
    browser.find_element(By.LINK_TEXT, number).click()
    submit(browser, "main form button[type=submit]")  # 受理申请
    assert "已受理" in browser.find_element(By.TAG_NAME, "main").text
    browser.find_element(By.CSS_SELECTOR, "input[name=outcome][value=approve]").click()
    browser.find_element(By.NAME, "reasons").send_keys("罚款已缴清，最短公示期已满。")
    submit(browser)
    shot(browser, "restoration-proposed")
    sign_in("samr-head", reverse("restoration-workbench:applications") + "?status=proposed")
    browser.find_element(By.LINK_TEXT, number).click()
    submit(browser, "main form[action$='/approve/'] button")
    assert "准予修复" in browser.find_element(By.TAG_NAME, "main").text
    shot(browser, "restoration-approved")

    # 4. The public page no longer shows the penalty; the applicant sees it restored.
    browser.delete_all_cookies()
    browser.get(live_server.url + public_page)
    assert "发布虚假广告" not in browser.find_element(By.TAG_NAME, "main").text
    shot(browser, "entity-after-restoration")
    sign_in("entity-demo", reverse("restoration:application", args=[number]))
    text = browser.find_element(By.TAG_NAME, "main").text
    assert "准予修复" in text and "已修复" in text
    shot(browser, "restoration-status")
