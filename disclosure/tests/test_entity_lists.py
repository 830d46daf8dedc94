"""The entity page's lists tab (名单信息) and its status flags (35/9, 33/22): the public sees the
entity's punishment and red listings shown now, one under objection marked as such; never
key-attention listings, proposals, rejections or exits. "失信惩戒对象" and "守信激励对象" flag a
listing whose measures are in force, on every tab. The cached page follows each listing
decision at once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from discipline import services
from discipline.models import ListKind
from discipline.tests import factories
from registry.tests import factories as registry_factories

pytestmark = pytest.mark.django_db

PUNISHED = '<li class="badge alert">失信惩戒对象</li>'
RED = '<li class="badge good">守信激励对象</li>'
MARKER = '<span class="badge alert">异议核查中</span>'


def html(client, entity, **params) -> str:
    response = client.get(reverse("public:entity", args=[entity.uscc]), params)
    assert response.status_code == 200
    return response.content.decode()


def main(text: str) -> str:
    return text[text.index("<main") : text.index("</main>")]


@pytest.fixture
def rules(samr):
    return {
        kind: factories.rule(samr, kind=kind, name=f"{kind}规则")
        for kind in (ListKind.PUNISHMENT, ListKind.ATTENTION, ListKind.RED)
    }


@pytest.fixture
def tax_rule(samr, tax):
    return factories.rule(tax, code="TAX-SERIOUS", name="税务严重失信规则")


def test_lists_tab_shows_public_listings_and_flags(
    client, samr_staff, tax_staff, entity, rules, tax_rule
):
    listed = factories.listed(by=samr_staff, entity=entity, rule=rules["punishment"])
    suspended = factories.listed(by=tax_staff, entity=entity, rule=tax_rule)
    services.listing_suspend(actor=tax_staff, listing_id=suspended.pk, reason="异议已受理")
    factories.listed(by=samr_staff, entity=entity, rule=rules["attention"], facts="关注事实")
    factories.proposal(by=samr_staff, entity=entity, rule=rules["red"])
    text = html(client, entity, tab="lists")
    assert '<a href="?tab=lists#tabs" aria-current="page">名单信息</a>' in text
    for url in (listed, suspended):
        assert reverse("discipline:listing", args=[url.pk]) in text
    assert "北京市市场监督管理局" in text and "国家税务总局北京市税务局" in text
    assert listed.listed_from.isoformat() in text and listed.listed_until.isoformat() in text
    assert text.count(MARKER) == 1  # the tax listing, under objection
    assert "attention规则" not in text and "red规则" not in text  # attention; a proposal
    assert PUNISHED in text and RED not in text
    for tab in ("basic", "penalties", "commitments"):  # the flags are on every tab
        assert PUNISHED in html(client, entity, tab=tab), tab


def test_exited_and_rejected_listings_leave_the_tab(client, samr_staff, entity, rules):
    exited = factories.listed(by=samr_staff, entity=entity, rule=rules["punishment"])
    services.listing_exit(actor=samr_staff, listing_id=exited.pk, reason="revoked", note="撤销")
    rejected = factories.proposal(by=samr_staff, entity=entity, rule=rules["punishment"])
    services.listing_decide(actor=samr_staff, listing_id=rejected.pk, list_entity=False, note="否")
    text = html(client, entity, tab="lists")
    assert "/lists/listing/" not in text and "暂无信息" in text
    assert PUNISHED not in text and RED not in text


def test_a_red_listing_flags_an_incentive_target(client, samr_staff, entity, rules):
    red = factories.listed(by=samr_staff, entity=entity, rule=rules["red"])
    text = html(client, entity)
    assert RED in text and PUNISHED not in text
    assert reverse("discipline:listing", args=[red.pk]) in html(client, entity, tab="lists")


def test_attention_and_suspended_listings_raise_no_flag(client, samr_staff, entity, rules):
    """Key-attention listings are not public; a listing under objection has its measures
    suspended (33/22): shown in the tab with its marker, but no punishment flag."""
    factories.listed(by=samr_staff, entity=entity, rule=rules["attention"])
    suspended = factories.listed(by=samr_staff, entity=entity, rule=rules["punishment"])
    services.listing_suspend(actor=samr_staff, listing_id=suspended.pk, reason="异议已受理")
    text = html(client, entity, tab="lists")
    assert MARKER in text and PUNISHED not in text and RED not in text


def test_the_cached_page_follows_each_listing_decision(client, samr_staff, entity, rules):
    proposal = factories.proposal(by=samr_staff, entity=entity, rule=rules["punishment"])
    services.listing_statement_record(actor=samr_staff, listing_id=proposal.pk, statement="陈述")
    assert PUNISHED not in html(client, entity)  # now cached
    services.listing_decide(actor=samr_staff, listing_id=proposal.pk, list_entity=True)
    assert PUNISHED in html(client, entity)
    services.listing_suspend(actor=samr_staff, listing_id=proposal.pk, reason="异议已受理")
    text = html(client, entity, tab="lists")
    assert PUNISHED not in text and MARKER in text
    services.listing_resume(actor=samr_staff, listing_id=proposal.pk, note="异议不成立")
    text = html(client, entity, tab="lists")
    assert PUNISHED in text and MARKER not in text
    services.listing_exit(actor=samr_staff, listing_id=proposal.pk, reason="restoration")
    text = html(client, entity, tab="lists")
    assert PUNISHED not in text and "/lists/listing/" not in text


def test_lists_tab_queries_are_bounded_and_a_second_visit_is_cached(
    client, samr_staff, entity, rules
):
    for n in range(3):
        department = registry_factories.department(f"DEPT-{n}", registers=False)
        rule = factories.rule(department, code=f"R-{n}")
        factories.listed(
            by=registry_factories.staff(department), entity=entity, rule=rule, facts=f"事实{n}"
        )
    # the version (with the grades'), the entity, decision counts, objection marks, list kinds
    # in force, listings (with rule and department), list-record polarities.
    with CaptureQueriesContext(connection) as cold:
        first = html(client, entity, tab="lists")
    assert len(cold) <= 7 and first.count("/lists/listing/") == 3
    with CaptureQueriesContext(connection) as warm:
        second = html(client, entity, tab="lists")
    assert len(warm) == 1 and main(second) == main(first)


def test_signed_in_viewers_see_the_same_public_lists_tab(
    client, samr_staff, entity, entity_user, rules
):
    factories.listed(by=samr_staff, entity=entity, rule=rules["attention"], facts="关注")
    factories.proposal(by=samr_staff, entity=entity, rule=rules["punishment"])
    for user in (samr_staff, entity_user):
        client.force_login(user)
        text = html(client, entity, tab="lists")
        assert "/lists/listing/" not in text and "暂无信息" in text and PUNISHED not in text


def test_the_national_report_sections_point_to_the_lists_tab(client, samr_staff, entity, rules):
    """Listings are not credit records: the basic tab's list sections say the entity is on a
    list (with a link to the lists tab) instead of "no information"."""
    on_list = "该主体现列入失信联合惩戒对象名单"
    on_red = "该主体现列入红名单"
    text = main(html(client, entity))
    assert on_list not in text and on_red not in text
    listing = factories.listed(by=samr_staff, entity=entity, rule=rules["punishment"])
    factories.listed(by=samr_staff, entity=entity, rule=rules["red"])
    text = main(html(client, entity))
    assert on_list in text and on_red in text and 'href="?tab=lists#tabs"' in text
    services.listing_suspend(actor=samr_staff, listing_id=listing.pk, reason="异议已受理")
    assert on_list not in main(html(client, entity))  # measures suspended (33/22)
