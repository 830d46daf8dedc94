"""End to end in headless Chromium (Debian's chromium + chromium-driver, installed by .ci/run):
a visitor finds an entity by name, reads its page with masked ID numbers and public records
only, switches to English and turns on the elderly-friendly mode."""

from __future__ import annotations

import shutil
import tempfile

import pytest

from registry import services
from registry.tests import factories

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
ID_NUMBER = "11010519491231002X"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (shutil.which("chromium") and shutil.which("chromedriver")),
        reason="needs Debian's chromium and chromium-driver (.ci/run installs them)",
    ),
]


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1200,1000",
        f"--user-data-dir={tempfile.mkdtemp(prefix='chromium-')}",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def test_visitor_finds_an_entity_and_reads_only_public_information(live_server, browser):
    from selenium.webdriver.common.by import By

    samr = factories.department("SAMR-110000", registers=True, name="北京市市场监督管理局")
    staff = factories.staff(samr, username="samr-staff")
    entity = factories.entity(by=staff, name="北京华信科技有限公司")
    person = services.person_register(actor=staff, name="张三", id_number=ID_NUMBER)
    services.entity_role_assign(
        actor=staff, uscc=entity.uscc, person=person, kind="legal_representative"
    )
    factories.record(by=staff, ent=entity, title="未按规定公示年度报告罚款")
    factories.record(
        by=staff, ent=entity, catalogue_code="YT", severity="none", title="部门共享的约谈记录"
    )

    browser.get(live_server.url + "/")
    box = browser.find_element(By.CSS_SELECTOR, "form.big-search input[name=q]")
    box.send_keys("华信科技")
    box.submit()
    browser.find_element(By.LINK_TEXT, "北京华信科技有限公司").click()

    page = browser.find_element(By.TAG_NAME, "body").text
    assert entity.uscc in page and "未按规定公示年度报告罚款" in page
    assert "部门共享的约谈记录" not in page
    assert "110*************2X" in page and ID_NUMBER not in browser.page_source

    browser.find_element(By.CSS_SELECTOR, "button[value='en']").click()
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert "Basic information" in browser.find_element(By.TAG_NAME, "body").text

    toggle = browser.find_element(By.ID, "elder-toggle")
    toggle.click()
    assert "elder" in browser.find_element(By.TAG_NAME, "html").get_attribute("class")
    assert toggle.get_attribute("aria-pressed") == "true"
