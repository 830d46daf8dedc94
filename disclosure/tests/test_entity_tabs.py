"""The entity page's tabs (basic information, licences, penalties, other decisions) and its
cache: the public sees published, public decisions on display only; the page follows every
change at once and a repeated visit is served from the cache."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disclosure import caching
from registry import services
from registry.models import PublicityWindow

from .util import D, decide, set_clock, withdraw

pytestmark = pytest.mark.django_db


def page(client, entity, **params):
    return client.get(reverse("public:entity", args=[entity.uscc]), params)


def html(client, entity, **params) -> str:
    response = page(client, entity, **params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def decisions(samr_staff, tax_staff, entity):
    """One decision in each state the public must or must not see."""
    expired = decide(samr_staff, entity, publish=True, severity="minor", title="已期满的处罚")
    window = PublicityWindow.objects.get(record=expired.record)
    services.publicity_windows_close(today=window.shown_until + datetime.timedelta(days=1))
    return {
        "published": decide(
            samr_staff,
            entity,
            publish=True,
            title="公示中的处罚",
            document_number="京市监罚〔2026〕88号",
            penalty_amount=12345,
            content="未按规定公示年度报告。",
        ),
        "recorded": decide(samr_staff, entity, title="待公示的处罚"),
        "withdrawn": withdraw(
            samr_staff, decide(samr_staff, entity, publish=True, title="已撤下的处罚")
        ),
        "warning": decide(
            samr_staff,
            entity,
            publish=True,
            title="警告不公示的处罚",
            severity="warning",
            penalty_type="warning",
            penalty_amount=None,
        ),
        "expired": expired,
        "licence": decide(tax_staff, entity, publish=True, kind="licence", title="公示中的许可"),
        "inspection": decide(
            samr_staff, entity, publish=True, kind="inspection", title="公示中的检查"
        ),
    }


HIDDEN = ("待公示的处罚", "已撤下的处罚", "警告不公示的处罚", "已期满的处罚")


def test_penalties_tab_shows_the_published_penalty_only(client, entity, decisions):
    text = html(client, entity, tab="penalties")
    assert "公示中的处罚" in text
    for title in HIDDEN:
        assert title not in text, title
    # Document number, decision date, department, content, severity, type, amount, published.
    facts = ("京市监罚〔2026〕88号", "2026-09-30", "北京市市场监督管理局", "未按规定公示年度报告",
             "一般", "罚款", "12,345.00")  # fmt: skip
    for fact in facts:
        assert fact in text, fact
    assert decisions["published"].published_at.strftime("%Y") in text
    assert "公示中的许可" not in text and "公示中的检查" not in text
    assert '<a href="?tab=penalties#tabs" aria-current="page">' in text
    assert '行政处罚 <span class="count">(1)</span>' in text


def test_licence_and_other_tabs(client, entity, decisions):
    licences = html(client, entity, tab="licences")
    assert "公示中的许可" in licences and "国家税务总局北京市税务局" in licences
    assert "公示中的处罚" not in licences
    other = html(client, entity, tab="other")
    assert "公示中的检查" in other and "行政检查" in other  # the kind is named on this tab
    assert "公示中的处罚" not in other and "公示中的许可" not in other


def test_basic_tab_is_the_default_and_does_not_repeat_decisions(client, entity, decisions):
    for params in ({}, {"tab": "basic"}, {"tab": "no-such-tab"}):
        text = html(client, entity, **params)
        assert "基本信息" in text and "行政管理信息" in text
        assert '<a href="?tab=basic#tabs" aria-current="page">' in text
        for title in ("公示中的处罚", *HIDDEN):
            assert title not in text, (params, title)
    assert "?tab=lists" in text and "?tab=commitments" in text


def test_no_tab_shows_hidden_decisions(client, entity, decisions):
    for tab in ("basic", "licences", "penalties", "other"):
        text = html(client, entity, tab=tab)
        for title in HIDDEN:
            assert title not in text, (tab, title)


def test_the_expired_decision_disappears_on_its_last_day_plus_one(
    client, samr_staff, entity, monkeypatch
):
    decision = decide(samr_staff, entity, publish=True, severity="minor", title="将期满的处罚")
    shown_until = PublicityWindow.objects.get(record=decision.record).shown_until
    assert "将期满的处罚" in html(client, entity, tab="penalties")
    # No nightly job has run: the date alone ends the display, cached page or not.
    set_clock(monkeypatch, f"{shown_until + datetime.timedelta(days=1)} 09:00")
    assert "将期满的处罚" not in html(client, entity, tab="penalties")


def test_department_sees_its_unpublished_decision_but_the_cache_never_shares_it(
    client, samr_staff, entity, decisions
):
    client.force_login(samr_staff)
    text = html(client, entity, tab="penalties")
    assert "待公示的处罚" in text and "待公示" in text  # its own decision, with its status
    client.logout()
    text = html(client, entity, tab="penalties")
    assert "待公示的处罚" not in text


def test_tab_pagination_and_bad_page_numbers(client, samr_staff, entity):
    for n in range(23):
        decide(samr_staff, entity, publish=True, title=f"分页处罚{n:02d}",
               decision_date=D("2026-09-01") + datetime.timedelta(days=n))  # fmt: skip
    first = html(client, entity, tab="penalties")
    assert first.count('<article class="record decision">') == 20
    assert "分页处罚22" in first and "分页处罚02" not in first  # newest first
    assert "tab=penalties&amp;page=2" in first
    last = html(client, entity, tab="penalties", page="2")
    assert last.count('<article class="record decision">') == 3 and "分页处罚00" in last
    for bad in ("abc", "0", "-1", "9999", "1.5", "9" * 30):
        assert page(client, entity, tab="penalties", page=bad).status_code == 200, bad


def test_tab_query_count_does_not_grow_with_decisions(
    client, samr_staff, entity, django_assert_max_num_queries
):
    for n in range(15):
        decide(samr_staff, entity, publish=True, title=f"计数{n}")
    # the version (with the published grades'), the entity, counts per kind, objection marks,
    # list kinds in force, page count, page rows, list flags.
    with django_assert_max_num_queries(8):
        assert page(client, entity, tab="penalties").status_code == 200


# --- the cache ----------------------------------------------------------------------------------
def main(text: str) -> str:
    return text[text.index("<main") : text.index("</main>")]


def queries(client, entity, **params) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        text = html(client, entity, **params)
    return len(captured), text


def test_a_second_visit_is_served_from_the_cache(client, samr_staff, entity, decisions):
    for tab in ("basic", "penalties"):
        cold, first = queries(client, entity, tab=tab)
        warm, second = queries(client, entity, tab=tab)
        assert warm < cold
        assert warm == 1  # the version (one indexed read), nothing else
        assert main(second) == main(first)  # the shell differs: a fresh CSRF token each time


def test_publication_and_withdrawal_show_at_once(client, samr_staff, entity):
    decision = decide(samr_staff, entity, title="新公示的处罚")
    assert "新公示的处罚" not in html(client, entity, tab="penalties")  # now cached
    services.decision_publish(actor=samr_staff, decision_id=decision.pk)
    assert "新公示的处罚" in html(client, entity, tab="penalties")
    withdraw(samr_staff, decision)
    assert "新公示的处罚" not in html(client, entity, tab="penalties")


def test_rename_shows_at_once(client, samr_staff, entity):
    assert "北京新象数字有限公司" not in html(client, entity)
    services.entity_update(actor=samr_staff, uscc=entity.uscc, name="北京新象数字有限公司")
    text = html(client, entity)
    assert "北京新象数字有限公司" in text and "北京华信科技有限公司" in text  # former name


def test_cache_is_per_language(client, entity, decisions):
    assert "基本信息" in html(client, entity)
    client.cookies["django_language"] = "en"
    text = html(client, entity)
    assert "Basic information" in text and "基本信息" not in text


def test_the_shell_is_not_cached(client, samr_staff, entity):
    html(client, entity)  # cached for anonymous visitors
    client.force_login(samr_staff)
    text = html(client, entity)
    assert "samr-staff" in text  # who is signed in comes from this request
    client.logout()
    assert "samr-staff" not in html(client, entity)


# --- the whole page for anonymous visitors -----------------------------------------------------
def test_a_repeat_anonymous_visit_renders_no_template(client, entity, decisions):
    first = page(client, entity, tab="penalties")
    assert first.templates  # rendered once
    again = page(client, entity, tab="penalties")
    assert again.status_code == 200 and again.templates == []
    assert main(again.content.decode()) == main(first.content.decode())
    assert caching.CSRF_PLACEHOLDER not in again.content.decode()


def test_each_visitor_of_a_shared_page_gets_a_token_of_its_own(entity, decisions):
    Client(enforce_csrf_checks=True).get(reverse("public:entity", args=[entity.uscc]))
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.get(reverse("public:entity", args=[entity.uscc]))
    assert response.templates == []  # the shared page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    switched = visitor.post(
        reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": token[1]}
    )
    assert switched.status_code == 302  # the language switch works: the token is the visitor's


@pytest.mark.parametrize(
    "params",
    [{"tab": "nonsense"}, {"page": "abc"}, {"utm_source": "x"}, {"q": "<b>x</b>"}],
)
def test_an_address_with_other_parameters_is_not_shared_whole(client, entity, decisions, params):
    page(client, entity, **params)
    again = page(client, entity, **params)
    assert again.status_code == 200 and again.templates  # the shell is rendered for it
    assert "<b>x</b>" not in again.content.decode()


def test_a_visitor_with_a_message_waiting_gets_its_own_page(client, entity, decisions):
    page(client, entity)
    client.cookies["messages"] = "pending"
    assert page(client, entity).templates
