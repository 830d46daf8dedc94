"""The "double publicity" listings: published decisions for everyone, filterable by department,
region, kind and decision date, paginated, newest first; a bad filter is a message, not a 500."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from registry import services
from registry.models import PublicityWindow
from registry.tests import factories

from .util import D, decide, withdraw

pytestmark = pytest.mark.django_db


def listing(client, kind: str = "", **params):
    url = reverse("public:publicity-kind", args=[kind]) if kind else reverse("public:publicity")
    return client.get(url, params)


def text_of(client, kind: str = "", **params) -> str:
    response = listing(client, kind, **params)
    assert response.status_code == 200, response.content.decode()[-2000:]
    return response.content.decode()


@pytest.fixture
def hebei_entity(samr_staff):
    return factories.entity(by=samr_staff, name="石家庄长安商贸有限公司", region="130102")


@pytest.fixture
def board(samr_staff, tax_staff, entity, hebei_entity):
    expired = decide(samr_staff, entity, publish=True, severity="minor", title="已期满的处罚")
    window = PublicityWindow.objects.get(record=expired.record)
    services.publicity_windows_close(today=window.shown_until + datetime.timedelta(days=1))
    return {
        "penalty": decide(samr_staff, entity, publish=True, title="北京的处罚",
                          decision_date=D("2026-09-30")),
        "licence": decide(tax_staff, entity, publish=True, kind="licence", title="北京的许可",
                          decision_date=D("2026-08-03")),
        "hebei": decide(samr_staff, hebei_entity, publish=True, title="河北的处罚",
                        decision_date=D("2026-07-01")),
        "inspection": decide(samr_staff, hebei_entity, publish=True, kind="inspection",
                             title="河北的检查", decision_date=D("2026-06-01")),
        "recorded": decide(samr_staff, entity, title="待公示的处罚"),
        "withdrawn": withdraw(samr_staff, decide(samr_staff, entity, publish=True,
                                                 title="已撤下的处罚")),
        "warning": decide(samr_staff, entity, publish=True, title="警告不公示的处罚",
                          severity="warning", penalty_type="warning", penalty_amount=None),
        "expired": expired,
    }  # fmt: skip


PUBLISHED = ("北京的处罚", "北京的许可", "河北的处罚", "河北的检查")
HIDDEN = ("待公示的处罚", "已撤下的处罚", "警告不公示的处罚", "已期满的处罚")


def shown(text: str) -> set[str]:
    return {title for title in PUBLISHED + HIDDEN if title in text}


def test_everyone_sees_published_decisions_only(client, board, entity, samr_staff):
    text = text_of(client)
    assert shown(text) == set(PUBLISHED)
    assert "共 4 条公示信息" in text
    assert reverse("public:entity", args=[entity.uscc]) in text  # each links to its entity
    assert "北京市朝阳区" in text and "河北省长安区" in text
    # A department's own unpublished decisions stay in its workbench, not on the board.
    client.force_login(samr_staff)
    assert shown(text_of(client)) == set(PUBLISHED)


def test_newest_decision_first(client, board):
    text = text_of(client)
    positions = [text.index(title) for title in PUBLISHED]
    assert positions == sorted(positions)


def test_kind_pages(client, board):
    assert shown(text_of(client, "penalty")) == {"北京的处罚", "河北的处罚"}
    assert shown(text_of(client, "licence")) == {"北京的许可"}
    assert shown(text_of(client, "inspection")) == {"河北的检查"}
    assert shown(text_of(client, "reward")) == set()
    response = listing(client, "bogus")
    assert response.status_code == 404
    assert "没有这类行政决定" in response.content.decode()


def test_kind_links_keep_the_filters(client, board, samr):
    text = text_of(client, department=samr.code)
    assert f'href="/publicity/penalty/?department={samr.code}"' in text
    # Licences and penalties first, then the eight other kinds.
    assert text.index("/publicity/licence/") < text.index("/publicity/penalty/")
    assert text.index("/publicity/penalty/") < text.index("/publicity/compulsion/")


def test_filter_by_department(client, board, samr, tax):
    assert shown(text_of(client, department=tax.code)) == {"北京的许可"}
    samr_titles = {"北京的处罚", "河北的处罚", "河北的检查"}
    assert shown(text_of(client, department=samr.code)) == samr_titles


def test_filter_by_province_city_and_county(client, board):
    assert shown(text_of(client, province="11")) == {"北京的处罚", "北京的许可"}
    assert shown(text_of(client, province="13")) == {"河北的处罚", "河北的检查"}
    assert shown(text_of(client, province="13", county="130100")) == {"河北的处罚", "河北的检查"}
    assert shown(text_of(client, province="13", county="130102")) == {"河北的处罚", "河北的检查"}
    assert shown(text_of(client, province="13", county="130104")) == set()
    assert shown(text_of(client, province="44")) == set()
    # The county list is the chosen province's.
    text = text_of(client, province="13")
    assert '<option value="130102">石家庄市长安区</option>' in text
    assert 'value="110105"' not in text


def test_filter_by_decision_dates(client, board):
    both = {"date_from": "2026-07-01", "date_to": "2026-08-31"}
    assert shown(text_of(client, **both)) == {"河北的处罚", "北京的许可"}
    assert shown(text_of(client, date_from="2026-09-01")) == {"北京的处罚"}
    assert shown(text_of(client, date_to="2026-06-01")) == {"河北的检查"}
    assert shown(text_of(client, "penalty", **both)) == {"河北的处罚"}

    # Nothing in range: the page says so (an empty page is not "no results section").
    empty = text_of(client, date_from="2030-01-01")
    assert shown(empty) == set() and "没有符合条件的公示信息" in empty


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"department": "NO-SUCH"}, "没有这个部门"),
        ({"province": "99"}, "没有这个省份"),
        ({"province": "11", "county": "130102"}, "请从所选省份的列表中选择市、区县"),
        ({"county": "abc"}, "请从所选省份的列表中选择市、区县"),
        ({"date_from": "2026-13-01"}, "日期格式应为"),
        ({"date_to": "yesterday"}, "日期格式应为"),
        ({"date_from": "0000-01-01"}, "日期格式应为"),
        ({"date_from": "2026-09-01", "date_to": "2026-08-01"}, "结束日期不能早于开始日期"),
    ],
)
def test_bad_filters_are_a_message_not_a_500(client, board, params, message):
    response = listing(client, "penalty", **params)
    text = response.content.decode()
    assert response.status_code == 400
    assert message in text and 'role="alert"' in text
    assert 'aria-invalid="true"' in text  # the field at fault is marked
    assert shown(text) == set()  # no list that ignores the filter


def test_pagination_twenty_per_page_and_bad_page_numbers(client, samr_staff, entity):
    for n in range(23):
        decide(samr_staff, entity, publish=True, title=f"分页决定{n:02d}",
               decision_date=D("2026-09-01") + datetime.timedelta(days=n))  # fmt: skip
    first = text_of(client)
    assert first.count('<article class="record decision">') == 20
    assert "分页决定22" in first and "分页决定02" not in first
    assert 'href="?page=2"' in first
    second = text_of(client, page="2")
    assert second.count('<article class="record decision">') == 3
    filtered = text_of(client, province="11")
    assert 'href="?province=11&amp;page=2"' in filtered
    for bad in ("abc", "0", "-1", "9999", "1e3", "9" * 40):
        assert listing(client, page=bad).status_code == 200, bad


def test_stray_parameters_never_reach_cached_links(client, samr_staff, entity):
    for n in range(21):
        decide(samr_staff, entity, publish=True, title=f"参数{n}")
    text_of(client, province="11", utm="x<script>")
    assert "utm" not in text_of(client, province="11")


def test_listing_query_count(client, samr_staff, entity, django_assert_max_num_queries):
    for n in range(25):
        decide(samr_staff, entity, publish=True, title=f"计数{n}")
    # the publication version, departments (for the filter), count, one page with entity and
    # department joined.
    with django_assert_max_num_queries(4):
        assert listing(client).status_code == 200
    with django_assert_max_num_queries(1):  # the version; the page from the cache
        assert listing(client).status_code == 200


def test_publication_and_withdrawal_replace_the_cached_board_at_once(client, samr_staff, entity):
    decide(samr_staff, entity, publish=True, title="早先公示")
    assert "早先公示" in text_of(client)  # now cached
    fresh = decide(samr_staff, entity, title="刚刚公示")
    assert "刚刚公示" not in text_of(client)  # recorded, not published: the cache still holds
    services.decision_publish(actor=samr_staff, decision_id=fresh.pk)
    assert "刚刚公示" in text_of(client)
    withdraw(samr_staff, fresh)
    assert "刚刚公示" not in text_of(client)


def test_recording_decisions_leaves_the_publication_version_alone(samr_staff, entity):
    from registry.selectors import publication_version

    decide(samr_staff, entity, publish=True)
    before = publication_version()
    assert before > 0
    decide(samr_staff, entity)  # an import or a form: recorded, not on the board
    assert publication_version() == before


def test_past_the_counted_pages_the_board_continues_from_the_last_row(
    client, samr_staff, entity, monkeypatch
):
    """Counts stop at the cap (1,000 in production; 2 here); from the last numbered page the
    board goes on by key (the last row's date and id), with no OFFSET and no count."""
    from credit_portal.pagination import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "cap", 2)
    titles = [f"公示{n}" for n in range(5)]
    for n, title in enumerate(titles):
        day = datetime.date(2026, 9, n + 1)
        decide(samr_staff, entity, publish=True, title=title, decision_date=day)
    first = text_of(client)
    assert "超过 2 条公示信息" in first
    assert "公示4" in first and "公示3" in first and "公示2" not in first
    page = client.get(reverse("public:publicity")).content.decode()
    link = re.search(r'href="\?after=([0-9.-]+)"', page)
    rest = client.get(reverse("public:publicity"), {"after": link.group(1)}).content.decode()
    assert all(t in rest for t in ("公示2", "公示1", "公示0")) and "公示4" not in rest
    bad = client.get(reverse("public:publicity"), {"after": "not-a-key"})
    assert bad.status_code == 400
