"""End to end in headless Chromium (Debian's chromium + chromium-driver, installed by .ci/run):
a visitor finds an entity by name, reads its page with masked ID numbers and public records
only, switches to English and turns on the elderly-friendly mode; finds a published penalty;
an entity signs in and makes a voluntary public commitment that the public then sees."""

from __future__ import annotations

import datetime
import shutil

import pytest

from registry import services
from registry.tests import factories

ID_NUMBER = "11010519491231002X"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (shutil.which("chromium") and shutil.which("chromedriver")),
        reason="needs Debian's chromium and chromium-driver (.ci/run installs them)",
    ),
]


@pytest.fixture(autouse=True)
def catalogue(transactional_db):
    """Live-server tests flush the database after each test, data migrations included: put
    the default catalogue back (it inserts only missing items)."""
    from registry.catalogue import load_default_catalogue
    from registry.models import CatalogueItem

    load_default_catalogue(CatalogueItem)


def next_page(browser, act) -> None:
    """Do ``act`` (a click, a key) and wait until the next page has loaded: reading before
    then finds the old one. The old document is marked and the wait lasts until a document
    without the mark is complete; errors from a page being swapped mid-question ("node does
    not belong to the document", not only a stale element) just mean "not yet"."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    browser.execute_script("window.__creditPortalOldPage = true")
    act()
    WebDriverWait(browser, 15, ignored_exceptions=(WebDriverException,)).until(
        lambda driver: driver.execute_script(
            "return !window.__creditPortalOldPage && document.readyState === 'complete'"
        )
    )


def submit(browser, selector: str = "main form.stacked button[type=submit]") -> None:
    """Click a form's submit button and wait for the next page."""
    from selenium.webdriver.common.by import By

    next_page(browser, browser.find_element(By.CSS_SELECTOR, selector).click)


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

    next_page(browser, browser.find_element(By.CSS_SELECTOR, "button[value='en']").click)
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert "Basic information" in browser.find_element(By.TAG_NAME, "body").text

    toggle = browser.find_element(By.ID, "elder-toggle")
    toggle.click()
    assert "elder" in browser.find_element(By.TAG_NAME, "html").get_attribute("class")
    assert toggle.get_attribute("aria-pressed") == "true"


def test_visitor_finds_a_published_penalty_on_the_penalties_tab(live_server, browser):
    """Search by part of the Chinese name, open the entity, switch to the penalties tab (a
    link: no script needed) and see the published penalty, not the unpublished one."""
    from django.core.cache import cache
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    cache.clear()  # the public pages are cached per process
    samr = factories.department("SAMR-110000", registers=True, name="北京市市场监督管理局")
    staff = factories.staff(samr, username="samr-staff")
    entity = factories.entity(by=staff, name="北京恒远建材贸易有限公司")
    common = {"kind": "penalty", "severity": "general", "penalty_type": "fine"}
    published = services.decision_record(
        actor=staff,
        uscc=entity.uscc,
        document_number="京市监罚〔2026〕301号",
        decision_date=datetime.date(2026, 9, 30),
        title="销售不合格建材",
        penalty_amount=20000,
        **common,
    )
    services.decision_publish(actor=staff, decision_id=published.pk)
    services.decision_record(
        actor=staff,
        uscc=entity.uscc,
        document_number="京市监罚〔2026〕302号",
        decision_date=datetime.date(2026, 10, 9),
        title="尚未公示的处罚",
        penalty_amount=3000,
        **common,
    )

    browser.get(live_server.url + "/")
    box = browser.find_element(By.CSS_SELECTOR, "form.big-search input[name=q]")
    box.send_keys("恒远建材")
    box.submit()
    browser.find_element(By.LINK_TEXT, "北京恒远建材贸易有限公司").click()
    assert "基本信息" in browser.find_element(By.CSS_SELECTOR, "nav.tabs").text

    # The tabs are links: reach the penalties tab with the keyboard and follow it.
    tab = browser.find_element(By.PARTIAL_LINK_TEXT, "行政处罚")
    next_page(browser, lambda: tab.send_keys(Keys.ENTER))
    current = browser.find_element(By.CSS_SELECTOR, "nav.tabs [aria-current=page]")
    assert current.text.startswith("行政处罚")
    panel = browser.find_element(By.CSS_SELECTOR, ".tab-panel").text
    assert "销售不合格建材" in panel and "京市监罚〔2026〕301号" in panel
    assert "20,000.00" in panel
    assert "尚未公示的处罚" not in browser.page_source
    assert "京市监罚〔2026〕302号" not in browser.page_source


def test_an_entity_makes_a_voluntary_commitment_and_sees_it_public(live_server, browser):
    """Sign in as the entity's user, make a voluntary public commitment on the current
    template, land on the entity's commitments tab, and find it there as the public does."""
    from django.core.cache import cache
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from commitments import services as commitment_services

    cache.clear()
    samr = factories.department("SAMR-110000", registers=True, name="北京市市场监督管理局")
    staff = factories.staff(samr, username="samr-staff")
    entity = factories.entity(by=staff, name="北京恒远建材贸易有限公司")
    user = factories.entity_user(entity, username="hengyuan")
    user.set_password("demo-pass-123")
    user.save()
    admin = factories.platform_admin()
    draft = commitment_services.template_create(
        actor=admin, kind="voluntary", title="主动公示型信用承诺书", text="本单位承诺守法诚信经营。"
    )
    commitment_services.template_publish(actor=admin, template_id=draft.pk)

    browser.get(live_server.url + "/commitments/new/")  # sends to sign-in, then back
    browser.find_element(By.NAME, "username").send_keys("hengyuan")
    browser.find_element(By.NAME, "password").send_keys("demo-pass-123")
    submit(browser)
    assert "本单位承诺守法诚信经营" in browser.page_source
    Select(browser.find_element(By.NAME, "department")).select_by_value("SAMR-110000")
    browser.find_element(By.NAME, "confirm").click()
    submit(browser)

    panel = browser.find_element(By.CSS_SELECTOR, ".tab-panel").text
    assert "主动公示型信用承诺书" in panel
    number = browser.find_element(By.CSS_SELECTOR, ".commitment .code").text
    assert len(number) == 20 and number.startswith("110105")
    assert number in browser.find_element(By.CSS_SELECTOR, ".messages").text

    # The public (signed out) sees the same commitment on the entity's page.
    browser.delete_all_cookies()
    browser.get(f"{live_server.url}/entity/{entity.uscc}/?tab=commitments")
    assert number in browser.find_element(By.CSS_SELECTOR, ".tab-panel").text


def test_a_department_records_a_window_commitment_with_missing_materials(live_server, browser):
    """Staff record acceptance with missing materials: a past deadline is refused on the page
    with what was typed kept; corrected, the commitment opens with its material due."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from commitments import services as commitment_services
    from commitments.models import LicensingItem

    samr = factories.department("SAMR-110000", registers=True, name="北京市市场监督管理局")
    staff = factories.staff(samr, username="samr-staff")
    staff.set_password("demo-pass-123")
    staff.save()
    entity = factories.entity(by=staff, name="北京恒远建材贸易有限公司")
    LicensingItem.objects.create(
        code="SP-001", name="食品经营许可", department=samr, missing_materials_allowed=True
    )
    admin = factories.platform_admin()
    draft = commitment_services.template_create(
        actor=admin, kind="missing_materials", title="容缺受理承诺书", text="……", item_code="SP-001"
    )
    template = commitment_services.template_publish(actor=admin, template_id=draft.pk)

    browser.get(live_server.url + "/workbench/commitments/new/")
    browser.find_element(By.NAME, "username").send_keys("samr-staff")
    browser.find_element(By.NAME, "password").send_keys("demo-pass-123")
    submit(browser)
    browser.find_element(By.NAME, "uscc").send_keys(entity.uscc)
    Select(browser.find_element(By.NAME, "template")).select_by_value(str(template.pk))
    browser.find_element(By.NAME, "materials-0-name").send_keys("场所产权证明")
    past = datetime.date.today() - datetime.timedelta(days=1)

    def type_date(day: datetime.date) -> None:
        field = browser.find_element(By.NAME, "materials-0-deadline")
        browser.execute_script("arguments[0].value = arguments[1]", field, day.isoformat())

    type_date(past)
    submit(browser)
    assert "补正期限须晚于今天" in browser.find_element(By.CSS_SELECTOR, "main form").text
    name = browser.find_element(By.NAME, "materials-0-name")
    assert name.get_attribute("value") == "场所产权证明"
    assert browser.find_element(By.NAME, "uscc").get_attribute("value") == entity.uscc

    type_date(datetime.date.today() + datetime.timedelta(days=10))
    submit(browser)
    assert browser.current_url.rstrip("/").split("/")[-1].isdigit()  # the commitment's page
    main = browser.find_element(By.CSS_SELECTOR, "main").text
    assert "场所产权证明" in main and "记录已补正" in main


def test_a_listing_walks_from_proposal_to_the_public_list_page(live_server, browser):
    """A department proposes a listing on a penalty decision; the entity, signed in, states
    its case; the department decides; the public finds the entity on the joint-punishment
    list page and reads the listing with its basis document."""
    from django.core.cache import cache
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from discipline.tests import factories as discipline_factories

    cache.clear()
    samr = factories.department("SAMR-110000", registers=True, name="北京市市场监督管理局")
    staff = factories.staff(samr, username="samr-staff")
    staff.set_password("demo-pass-123")
    staff.save()
    entity = factories.entity(by=staff, name="北京恒远建材贸易有限公司")
    user = factories.entity_user(entity, username="hengyuan")
    user.set_password("demo-pass-123")
    user.save()
    rule = discipline_factories.rule(samr, code="SAMR-SERIOUS", name="严重违法失信名单")

    def sign_in(username: str, path: str) -> None:
        browser.delete_all_cookies()
        browser.get(live_server.url + path)  # sends to sign-in, then back
        browser.find_element(By.NAME, "username").send_keys(username)
        browser.find_element(By.NAME, "password").send_keys("demo-pass-123")
        submit(browser)

    # 1. The department proposes, on a penalty decision.
    sign_in("samr-staff", "/workbench/discipline/listings/new/")
    browser.find_element(By.NAME, "uscc").send_keys(entity.uscc)
    Select(browser.find_element(By.NAME, "rule")).select_by_value(rule.code)
    browser.find_element(By.NAME, "facts").send_keys("生产销售不合格建材，货值金额较大")
    submit(browser, "main form.stacked button.primary")  # no basis document: refused
    assert "列入名单须提供认定依据文书" in browser.find_element(By.TAG_NAME, "main").text
    assert browser.find_element(By.NAME, "uscc").get_attribute("value") == entity.uscc
    Select(browser.find_element(By.NAME, "bases-0-kind")).select_by_value("penalty")
    browser.find_element(By.NAME, "bases-0-document_number").send_keys("京市监罚〔2026〕301号")
    browser.find_element(By.NAME, "bases-0-title").send_keys("行政处罚决定书")
    submit(browser, "main form.stacked button.primary")
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "北京恒远建材贸易有限公司" in main and "京市监罚〔2026〕301号" in main
    listing_url = browser.current_url
    # Not public while proposed.
    browser.delete_all_cookies()
    browser.get(live_server.url + "/lists/punishment/")
    assert "北京恒远建材贸易有限公司" not in browser.find_element(By.TAG_NAME, "main").text

    # 2. The entity is told and states its case.
    sign_in("hengyuan", "/lists/mine/")
    assert "京市监罚〔2026〕301号" in browser.find_element(By.TAG_NAME, "main").text
    browser.find_element(By.NAME, "statement").send_keys("产品已全部召回，请求从轻处理。")
    submit(browser, "main form.stacked button.primary")
    assert "产品已全部召回" in browser.find_element(By.TAG_NAME, "main").text

    # 3. The department, having heard it, decides to list.
    sign_in("samr-staff", listing_url.removeprefix(live_server.url))
    assert "产品已全部召回" in browser.find_element(By.TAG_NAME, "main").text
    browser.find_element(By.CSS_SELECTOR, "input[name=decision][value=list]").click()
    decide = "form[action$='/decide/'] button[type=submit]"
    submit(browser, decide)
    assert "已列入" in browser.find_element(By.TAG_NAME, "main").text

    # 4. The public finds it on the joint-punishment list and opens the listing.
    browser.delete_all_cookies()
    browser.get(live_server.url + "/lists/punishment/")
    row = browser.find_element(By.XPATH, "//tr[td/a[text()='北京恒远建材贸易有限公司']]")
    assert entity.uscc in row.text and "北京市市场监督管理局" in row.text
    next_page(browser, row.find_element(By.LINK_TEXT, "查看").click)
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "京市监罚〔2026〕301号" in main and "严重违法失信名单" in main
    assert "产品已全部召回" not in main  # the statement is not public


# The workbench navigation as templates/registry/_nav.html rendered it before the apps
# registered their own links (credit_portal.navigation): text and href, in order.
WORKBENCH_NAV = [
    ("工作台首页", "/workbench/"),
    ("待办", "/workbench/queue/"),
    ("行政决定", "/workbench/decisions/"),
    ("信用承诺", "/workbench/commitments/"),
    ("录入信用承诺", "/workbench/commitments/new/"),
    ("自愿注册核实", "/workbench/commitments/registrations/"),
    ("诚信教育", "/workbench/commitments/education/"),
    ("信用名单", "/workbench/discipline/"),
    ("惩戒措施任务", "/workbench/discipline/tasks/"),
    ("限期整改与约谈", "/workbench/discipline/rectifications/"),
    ("禁入与任职预警", "/workbench/discipline/bans/"),
    ("信用评价", "/workbench/ratings/"),
    ("双随机抽查", "/workbench/ratings/spot-checks/"),
    ("异议核查", "/workbench/objections/"),
    ("投诉举报", "/workbench/objections/tip-offs/"),
    ("超期督办", "/workbench/objections/escalations/"),
    ("信用修复", "/workbench/restoration/"),
    ("修复超期督办", "/workbench/restoration/escalations/"),
    ("批量导入", "/workbench/decisions/import/"),
    ("本部门信用记录", "/workbench/records/"),
    ("录入信用记录", "/workbench/records/new/"),
    ("登记市场主体", "/workbench/entities/new/"),
    ("查询市场主体", "/workbench/entities/"),
]


def test_department_staff_see_the_same_workbench_navigation_on_every_app(live_server, browser):
    """Given department staff signed in, then the workbench home and a page of each app
    (registry, commitments, discipline, ratings) show one navigation with the links that
    registry/_nav.html had, in its order, and following one of them lands on its page."""
    from selenium.webdriver.common.by import By

    samr = factories.department("SAMR-110000", registers=True, name="北京市市场监督管理局")
    staff = factories.staff(samr, username="samr-staff")
    staff.set_password("demo-pass-123")
    staff.save()

    browser.get(live_server.url + "/workbench/login/")
    browser.find_element(By.NAME, "username").send_keys("samr-staff")
    browser.find_element(By.NAME, "password").send_keys("demo-pass-123")
    submit(browser, "main form button[type=submit]")

    for path in (
        "/workbench/",
        "/workbench/decisions/",
        "/workbench/commitments/",
        "/workbench/discipline/",
        "/workbench/ratings/",
        "/workbench/objections/",
        "/workbench/restoration/",
    ):
        browser.get(live_server.url + path)
        navs = browser.find_elements(By.CSS_SELECTOR, "nav.workbench-nav")
        assert len(navs) == 1, path
        assert navs[0].get_attribute("aria-label") == "工作台导航"
        links = [
            (link.text, link.get_dom_attribute("href"))
            for link in navs[0].find_elements(By.TAG_NAME, "a")
        ]
        assert links == WORKBENCH_NAV, path

    nav = browser.find_element(By.CSS_SELECTOR, "nav.workbench-nav")
    next_page(browser, nav.find_element(By.LINK_TEXT, "禁入与任职预警").click)
    assert browser.current_url == live_server.url + "/workbench/discipline/bans/"
    assert browser.find_element(By.TAG_NAME, "h1").text == "禁入与任职预警"
