"""The public site: search, the entity page, error pages, English, query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse
from stdnum.cn import ric

from credit_portal.audit.models import AccessLog
from registry import services
from registry.tests import factories

pytestmark = pytest.mark.django_db

ID_NUMBER = "11010519491231002X"


def search(client, q, **extra):
    return client.get(reverse("public:search"), {"q": q, **extra})


def spaced_fullwidth_lower(code: str) -> str:
    """'91110105…' -> '９１１１ ０１０５ …' in lower case, as people paste it."""
    fullwidth = "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in code.lower())
    return " ".join(fullwidth[i : i + 4] for i in range(0, len(fullwidth), 4))


# --- layout -----------------------------------------------------------------------------
def test_home_page_has_search_footer_and_accessibility_toggle(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-Hans">' in html
    assert 'name="viewport"' in html
    assert 'action="/search/"' in html
    assert 'action="/i18n/setlang/"' in html
    assert 'id="elder-toggle"' in html
    assert "网站标识码" in html and "纠错" in html
    # No external CDN: scripts and styles come from this site (the site must work offline).
    assert 'src="http' not in html and 'stylesheet" href="http' not in html


def test_report_error_page(client):
    response = client.get(reverse("public:report-error"))
    assert response.status_code == 200
    assert "纠错" in response.content.decode()


def test_static_css_is_local(client):
    html = client.get("/").content.decode()
    assert "/static/css/site.css" in html


# --- search -----------------------------------------------------------------------------
def test_search_by_exact_uscc_accepts_spaces_fullwidth_and_lower_case(client, entity):
    for query in (entity.uscc, f" {entity.uscc.lower()} ", spaced_fullwidth_lower(entity.uscc)):
        response = search(client, query)
        html = response.content.decode()
        assert response.status_code == 200, query
        assert entity.name in html, query
        assert reverse("public:entity", args=[entity.uscc]) in html


def test_search_result_shows_region_status_and_established(client, samr_staff):
    import datetime

    ent = factories.entity(
        by=samr_staff, name="朝阳示范商贸有限公司", established=datetime.date(2015, 3, 2)
    )
    html = search(client, "朝阳示范").content.decode()
    assert ent.uscc in html
    assert "北京市朝阳区" in html
    assert "存续" in html
    assert "2015-03-02" in html


def test_search_by_name_fragment_ranks_exact_first(client, samr_staff):
    factories.entity(by=samr_staff, name="北京华信科技有限公司")
    factories.entity(by=samr_staff, name="北京华信科技发展有限公司")
    factories.entity(by=samr_staff, name="广州某某贸易有限公司")
    html = search(client, "北京华信科技有限公司").content.decode()
    assert html.index("北京华信科技有限公司") < html.index("北京华信科技发展有限公司")
    assert "广州某某贸易有限公司" not in html


def test_search_by_former_name(client, samr_staff, entity):
    services.entity_update(actor=samr_staff, uscc=entity.uscc, name="北京新象数字有限公司")
    html = search(client, "华信科技").content.decode()
    assert "北京新象数字有限公司" in html
    assert "北京华信科技有限公司" in html  # shown as the former name


def test_search_malformed_uscc_is_400_with_message(client, entity):
    bad = entity.uscc[:17] + ("0" if entity.uscc[17] != "0" else "1")
    response = search(client, bad)
    assert response.status_code == 400
    assert "校验码错误" in response.content.decode()


def test_search_too_short_name_is_400_with_message(client, db):
    response = search(client, "华")
    assert response.status_code == 400
    assert "至少输入" in response.content.decode()


def test_search_without_query_is_a_form(client, db):
    response = client.get(reverse("public:search"))
    assert response.status_code == 200


def test_search_pagination_and_bad_page_numbers(client, samr_staff):
    for n in range(23):
        factories.entity(by=samr_staff, name=f"分页测试{n:02d}号有限公司")
    first = search(client, "分页测试")
    assert first.status_code == 200
    assert "找到 23 个市场主体" in first.content.decode()
    assert "page=2" in first.content.decode()
    for page in ("abc", "9999", "0", "-1"):
        response = search(client, "分页测试", page=page)
        assert response.status_code == 200, page
    last = search(client, "分页测试", page="9999").content.decode()
    assert "第 2 / 2 页" in last


def test_search_page_query_count(client, samr_staff, django_assert_max_num_queries):
    for n in range(25):
        factories.entity(by=samr_staff, name=f"计数测试{n:02d}号有限公司")
    # savepoint, SET LOCAL statement_timeout, the search, release: nothing per row.
    with django_assert_max_num_queries(5):
        response = search(client, "计数测试")
    assert response.status_code == 200


def test_search_results_are_cached_per_query_and_page(
    client, samr_staff, django_assert_max_num_queries
):
    for n in range(21):
        factories.entity(by=samr_staff, name=f"缓存测试{n:02d}号有限公司")

    def main(response) -> str:
        text = response.content.decode()
        return text[text.index("<main") : text.index("</main>")]

    first = main(search(client, "缓存测试"))
    with django_assert_max_num_queries(0):
        again = main(search(client, "缓存测试", utm="x"))  # stray parameters share the entry
    assert again == first and "找到 21 个市场主体" in again and "utm" not in again
    assert "第 2 / 2 页" in main(search(client, "缓存测试", page="2"))


def test_home_page_is_cached(client, db, django_assert_max_num_queries):
    client.get("/")
    with django_assert_max_num_queries(0):
        assert client.get("/").status_code == 200


# --- entity page --------------------------------------------------------------------------
@pytest.fixture
def records(entity, samr_staff, tax_staff):
    return {
        "penalty": factories.record(
            by=samr_staff, ent=entity, title="公开的处罚记录", document_number="京市监罚〔2026〕1号"
        ),
        "licence": factories.record(
            by=samr_staff, ent=entity, catalogue_code="XK", severity="none", title="公开的许可记录"
        ),
        "shared": factories.record(
            by=tax_staff, ent=entity, catalogue_code="YT", severity="none", title="共享的约谈记录"
        ),
        "authorised": factories.record(
            by=tax_staff,
            ent=entity,
            catalogue_code="TS",
            severity="none",
            title="授权查询的举报记录",
        ),
        "warning": factories.record(
            by=samr_staff, ent=entity, severity="warning", title="警告不公示"
        ),
        "list": factories.record(
            by=samr_staff,
            ent=entity,
            catalogue_code="MD",
            severity="serious",
            title="列入严重失信名单",
        ),
    }


@pytest.fixture
def legal_representative(entity, samr_staff):
    person = services.person_register(actor=samr_staff, name="张三", id_number=ID_NUMBER)
    services.entity_role_assign(
        actor=samr_staff, uscc=entity.uscc, person=person, kind="legal_representative"
    )
    return person


def test_entity_page_for_anonymous_shows_public_records_only(
    client, entity, records, legal_representative
):
    response = client.get(reverse("public:entity", args=[entity.uscc]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "公开的处罚记录" in html and "公开的许可记录" in html
    assert "京市监罚〔2026〕1号" in html
    for hidden in ("共享的约谈记录", "授权查询的举报记录", "警告不公示"):
        assert hidden not in html
    # Status flags and sections.
    assert "存续" in html and "失信惩戒对象" in html
    assert "行政管理信息" in html and "严重失信主体名单" in html and "列入严重失信名单" in html
    # Roles: name with the masked number only.
    assert "张三" in html
    assert legal_representative.id_number_masked in html
    assert ID_NUMBER not in html and ID_NUMBER.lower() not in html
    assert "19491231" not in html
    # Nothing non-public was read, so nothing to log.
    assert not AccessLog.objects.exists()


def test_entity_page_redirects_to_canonical_uscc(client, entity):
    response = client.get(reverse("public:entity", args=[entity.uscc.lower()]))
    assert response.status_code == 302
    assert response["Location"] == reverse("public:entity", args=[entity.uscc])


def test_entity_page_malformed_uscc_is_400_with_message(client, db):
    response = client.get(reverse("public:entity", args=["12345"]))
    assert response.status_code == 400
    assert "统一社会信用代码应为18位" in response.content.decode()


def test_entity_page_unknown_uscc_is_404_with_message(client, db):
    code = factories.make_uscc()
    response = client.get(reverse("public:entity", args=[code]))
    assert response.status_code == 404
    assert code in response.content.decode()
    assert "未找到" in response.content.decode()


def test_unknown_url_uses_the_404_page(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "信用监管平台" in response.content.decode()


def test_entity_page_section_expands_and_paginates(client, entity, samr_staff):
    for n in range(12):
        factories.record(by=samr_staff, ent=entity, title=f"处罚{n:02d}")
    url = reverse("public:entity", args=[entity.uscc])
    html = client.get(url).content.decode()
    assert "共 12 条" in html
    assert "?section=administrative" in html
    assert html.count('<article class="record') == 10
    for page in ("1", "abc", "9999"):
        response = client.get(url, {"section": "administrative", "page": page})
        assert response.status_code == 200


def test_entity_page_query_count(
    client, entity, samr_staff, legal_representative, django_assert_max_num_queries
):
    for n in range(15):
        factories.record(by=samr_staff, ent=entity, title=f"计数{n}")
    second = "11010519500101003"
    second += ric.calc_check_digit(second + "0")  # stdnum expects a placeholder check digit
    other = services.person_register(actor=samr_staff, name="李四", id_number=second)
    services.entity_role_assign(actor=samr_staff, uscc=entity.uscc, person=other, kind="principal")
    # the version (with the published grades'), the entity, decision counts per kind,
    # objection marks, list kinds in force, records (with catalogue item and department),
    # roles (with person).
    with django_assert_max_num_queries(7):
        response = client.get(reverse("public:entity", args=[entity.uscc]))
    assert response.status_code == 200


def test_entity_user_sees_its_own_full_record_on_the_public_page(
    client, entity, entity_user, records
):
    client.force_login(entity_user)
    html = client.get(reverse("public:entity", args=[entity.uscc])).content.decode()
    assert "共享的约谈记录" in html
    # ... except a complaint record (TS): its reporter stays confidential (33/13).
    assert "授权查询的举报记录" not in html
    assert not AccessLog.objects.exists()  # an entity reading its own record is not logged


# --- English ------------------------------------------------------------------------------
def test_english_by_cookie(client, db):
    client.cookies["django_language"] = "en"
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Search" in html and "Credit Supervision Portal" in html
    assert "搜索" not in html


def test_chinese_first_whatever_the_browser_asks(client, db):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-Hans">' in html and "搜索" in html


def test_english_entity_page(client, entity, records):
    client.cookies["django_language"] = "en"
    html = client.get(reverse("public:entity", args=[entity.uscc])).content.decode()
    assert "Administrative management" in html
    assert "Basic information" in html
    assert "Administrative penalty" in html  # the catalogue item's English name
    assert ">Active<" in html  # the English half of the bilingual status label


def test_language_switch_posts_to_set_language(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/search/"})
    assert response.status_code == 302
    assert response["Location"] == "/search/"
    assert "Search" in client.get("/search/").content.decode()


def test_error_templates_render_without_a_request(db):
    """Django's 400 and 500 handlers render without a request context."""
    from django.template import loader
    from django.utils import translation

    for name in ("400.html", "500.html"):
        with translation.override("zh-hans"):
            html = loader.get_template(name).render()
        assert "信用监管平台" in html
