"""The public discipline pages (/lists/): anonymous visitors see published rules, the measures
list, its statistics, and punishment and red listings shown now (one under objection marked
as such); never key-attention listings, proposals, rejections, exits, statements or personal
ID numbers. The signed-in entity sees its own proposals and listings and states its case."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from credit_portal.audit.models import AuditEvent
from discipline import services
from discipline.models import Listing, ListKind
from registry.tests import factories as registry_factories

from . import factories
from .conftest import ID_NUMBER

pytestmark = pytest.mark.django_db
L = Listing.Status

HIDDEN = ("重点关注公司", "拟列入公司", "不予列入公司", "已移出公司")
STATEMENT = "书面陈述已收悉"  # the factory's statement: never public
MARKER = '<span class="badge alert">异议核查中</span>'


def get(client, name: str, *args, **params):
    return client.get(reverse(f"discipline:{name}", args=args), params)


def text(client, name: str, *args, **params) -> str:
    response = get(client, name, *args, **params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def rules(samr):
    return {
        "punishment": factories.rule(samr, code="SAMR-SERIOUS", name="严重违法失信名单规则"),
        "attention": factories.rule(samr, kind=ListKind.ATTENTION, name="重点关注名单规则"),
        "red": factories.rule(samr, kind=ListKind.RED, name="守信激励红名单规则"),
    }


@pytest.fixture
def world(samr_staff, entity, rules, legal_rep):
    """One listing in each state the public must or must not see."""

    def company(name: str):
        return registry_factories.entity(by=samr_staff, name=name)

    punishment, red, attention = rules["punishment"], rules["red"], rules["attention"]
    listed = factories.listed(
        by=samr_staff,
        entity=entity,
        rule=punishment,
        facts="拒不履行生效判决",
        bases=[factories.basis("judicial", "（2026）京01执123号")],
    )
    suspended = factories.listed(by=samr_staff, entity=company("异议中公司"), rule=punishment)
    services.listing_suspend(actor=samr_staff, listing_id=suspended.pk, reason="异议已受理")
    rejected = factories.proposal(by=samr_staff, entity=company("不予列入公司"), rule=punishment)
    services.listing_decide(
        actor=samr_staff, listing_id=rejected.pk, list_entity=False, note="证据不足"
    )
    exited = factories.listed(by=samr_staff, entity=company("已移出公司"), rule=punishment)
    services.listing_exit(actor=samr_staff, listing_id=exited.pk, reason="revoked", note="撤销")
    return {
        "listed": listed,
        "suspended": suspended,
        "red": factories.listed(
            by=samr_staff,
            entity=company("守信红名单公司"),
            rule=red,
            bases=[factories.basis("reward")],
        ),
        "attention": factories.listed(
            by=samr_staff, entity=company("重点关注公司"), rule=attention
        ),
        "proposed": factories.proposal(
            by=samr_staff, entity=company("拟列入公司"), rule=punishment
        ),
        "rejected": rejected,
        "exited": exited,
    }


# --- the lists, the public lists -----------------------------------------------------------------
def test_lists_page_explains_the_kinds_and_links_rules_in_force(client, world, rules):
    admin = registry_factories.platform_admin()
    services.list_rule_create(
        actor=admin,
        departments=list(rules["punishment"].recognising_departments.all()),
        code="DRAFT-1",
        kind="punishment",
        name="未发布的规则草案",
        bases=["penalty"],
        standards="…",
        procedure="…",
        objection_route="…",
        exit_conditions="…",
    )
    html = text(client, "lists")
    for title in ("失信联合惩戒对象名单", "重点关注名单", "红名单", "仅在部门之间共享"):
        assert title in html
    for rule in rules.values():
        assert reverse("discipline:rule", args=[rule.pk]) in html and rule.name in html
    assert "未发布的规则草案" not in html
    assert reverse("discipline:kind", args=["punishment"]) in html
    assert reverse("discipline:kind", args=["red"]) in html
    assert reverse("discipline:kind", args=["attention"]) not in html
    assert "共 2 条" in html  # public punishment listings: the listed and the suspended one
    for name in ("measures", "statistics", "rules"):
        assert reverse(f"discipline:{name}") in html
    nav = text(client, "measures")
    assert f'href="{reverse("discipline:lists")}"' in nav and "信用名单" in nav


def test_punishment_list_shows_listings_shown_now_only(client, world, entity):
    html = text(client, "kind", "punishment")
    assert entity.name in html and entity.uscc in html and "异议中公司" in html
    assert reverse("public:entity", args=[entity.uscc]) in html
    assert reverse("discipline:listing", args=[world["listed"].pk]) in html
    assert "北京市市场监督管理局" in html  # the recognising department
    assert world["listed"].listed_from.isoformat() in html
    assert world["listed"].listed_until.isoformat() in html
    assert html.count(MARKER) == 1 and "共 2 条" in html
    for hidden in (*HIDDEN, "守信红名单公司", STATEMENT, "拒不履行生效判决"):
        assert hidden not in html, hidden


def test_red_list_shows_red_listings_only(client, world, entity):
    html = text(client, "kind", "red")
    assert "守信红名单公司" in html
    for hidden in (*HIDDEN, entity.name, "异议中公司"):
        assert hidden not in html, hidden


def test_the_key_attention_list_is_not_public_and_unknown_kinds_are_404(client, world):
    response = get(client, "kind", "attention")
    assert response.status_code == 404 and "不向社会公开" in response.content.decode()
    assert "重点关注公司" not in response.content.decode()
    for kind in ("no-such-list", "Punishment", "proposed"):
        response = get(client, "kind", kind)
        assert response.status_code == 404 and "没有这类名单" in response.content.decode()


def test_search_by_name_or_uscc(client, world, entity):
    by_name = text(client, "kind", "punishment", q="华信")
    assert entity.name in by_name and "异议中公司" not in by_name and "共 1 条" in by_name
    by_code = text(client, "kind", "punishment", q=f" {entity.uscc.lower()} ")
    assert entity.uscc in by_code and "异议中公司" not in by_code
    nothing = text(client, "kind", "punishment", q="重点关注公司")  # not public: not found
    assert "没有符合条件的名单信息" in nothing
    response = get(client, "kind", "punishment", q="很" * 201)
    assert response.status_code == 400 and "200" in response.content.decode()


def rows(html: str) -> int:
    return html.count('<a href="/lists/listing/')


def test_kind_list_is_paginated_with_a_bounded_number_of_queries(client, samr_staff, rules):
    for n in range(21):
        factories.listed(
            by=samr_staff,
            entity=registry_factories.entity(by=samr_staff, name=f"分页测试{n:02d}有限公司"),
            rule=rules["punishment"],
        )
    with CaptureQueriesContext(connection) as captured:
        first = text(client, "kind", "punishment", q="分页测试")
    assert len(captured) <= 2  # the count and the page's rows with entity and department
    assert "共 21 条" in first and "第 1 / 2 页" in first
    assert "page=2" in first and "q=%E5%88%86" in first  # the page links keep the search
    assert rows(first) == 20
    second = text(client, "kind", "punishment", q="分页测试", page=2)
    assert rows(second) == 1
    assert "分页测试00有限公司" in second  # newest first: the first made is last
    assert rows(text(client, "kind", "punishment", page="garbage")) == 20


# --- one listing ----------------------------------------------------------------------------------
def test_listing_page_shows_the_public_facts(client, world, entity, rules):
    listing = world["listed"]
    html = text(client, "listing", listing.pk)
    rule = rules["punishment"]
    for fact in (entity.name, entity.uscc, "SAMR-SERIOUS", "严重违法失信名单规则", "第 1 版",
                 "北京市市场监督管理局", "拒不履行生效判决", "（2026）京01执123号", "司法裁判",
                 "行政处罚决定书", "2026-01-05", listing.listed_from.isoformat(),
                 listing.listed_until.isoformat(), "异议途径", "移出条件"):  # fmt: skip
        assert fact in html, fact
    assert reverse("discipline:rule", args=[rule.pk]) in html
    assert reverse("public:entity", args=[entity.uscc]) in html
    for hidden in (STATEMENT, ID_NUMBER, "张三"):
        assert hidden not in html
    assert MARKER not in html


def test_a_suspended_listing_is_shown_with_its_marker(client, world):
    html = text(client, "listing", world["suspended"].pk)
    assert "异议中公司" in html and MARKER in html and "暂停实施惩戒措施" in html


def test_listings_not_public_and_unknown_ids_are_404(client, world):
    for key in ("attention", "proposed", "rejected", "exited"):
        response = get(client, "listing", world[key].pk)
        assert response.status_code == 404, key
        assert "未公示" in response.content.decode()
    for pk in (0, 999999, 2**63, 10**30):
        assert get(client, "listing", pk).status_code == 404, pk
    for path in ("listing/abc/", "listing/-1/", "listing/1.5/", "rules/abc/", "mine/x/statement/"):
        assert client.get(f"/lists/{path}").status_code == 404, path


# --- rules ----------------------------------------------------------------------------------------
def test_rules_page_groups_versions_with_the_one_in_force_first(client, samr, rules):
    admin = registry_factories.platform_admin()
    revised = services.list_rule_create(
        actor=admin,
        departments=[samr],
        code="SAMR-SERIOUS",
        kind="punishment",
        name="严重违法失信名单规则（修订）",
        bases=["judicial", "penalty"],
        standards="修订后的认定标准",
        procedure="…",
        objection_route="…",
        exit_conditions="…",
    )
    draft_text = "草案中的认定标准"
    services.list_rule_create(
        actor=admin, departments=[samr], code="SAMR-SERIOUS", kind="punishment", name="草案",
        bases=["penalty"], standards=draft_text, procedure="…", objection_route="…",
        exit_conditions="…",
    )  # fmt: skip
    services.list_rule_publish(actor=admin, rule_id=revised.pk)
    html = text(client, "rules")
    v2 = reverse("discipline:rule", args=[revised.pk])
    v1 = reverse("discipline:rule", args=[rules["punishment"].pk])
    assert html.index(v2) < html.index(v1)  # the version in force first
    assert "现行有效" in html and "已停用" in html and "草案" not in html
    old = text(client, "rule", rules["punishment"].pk)
    assert "已停用" in old and "停用时间" in old  # listings made under it keep it readable


def test_rule_page_shows_the_published_rule_and_drafts_are_404(client, samr, tax, rules):
    admin = registry_factories.platform_admin()
    draft = services.list_rule_create(
        actor=admin, departments=[samr, tax], code="TAX-A", kind="punishment", name="税务规则",
        bases=["penalty"], standards="偷税", procedure="程序", objection_route="复核",
        exit_conditions="补缴", period_months=24, statement_days=7, legal_basis="税收征管法",
    )  # fmt: skip
    assert get(client, "rule", draft.pk).status_code == 404
    services.list_rule_publish(actor=admin, rule_id=draft.pk)
    html = text(client, "rule", draft.pk)
    for fact in ("税务规则", "TAX-A", "偷税", "程序", "复核", "补缴", "24 个月", "7 个工作日",
                 "税收征管法", "北京市市场监督管理局", "国家税务总局北京市税务局", "行政处罚",
                 "现行有效", "发布时间"):  # fmt: skip
        assert fact in html, fact
    assert get(client, "rule", 10**30).status_code == 404


# --- measures and statistics ----------------------------------------------------------------------
@pytest.fixture
def measures(samr, tax):
    admin = registry_factories.platform_admin()
    unpublished = services.measure_create(
        actor=admin, department=tax, code="M-DRAFT", name="未发布的措施", category="market",
        legal_basis="…", list_kinds=["punishment"],
    )  # fmt: skip
    return {
        "tax": factories.measure(tax, code="M-TAX", name="限制发票领用", mandatory=False),
        "market": factories.measure(
            samr, code="M-MARKET", name="限制参与招投标", category="market"
        ),
        "red": factories.measure(samr, kinds=["red"], code="M-GREEN", name="绿色通道"),
        "draft": unpublished,
    }


def test_measures_list_shows_published_measures_and_filters(client, measures):
    html = text(client, "measures")
    for fact in ("限制发票领用", "限制参与招投标", "绿色通道", "推荐性", "强制性",
                 "国发〔2016〕33号", "国家税务总局北京市税务局", "行政性", "市场性", "激励",
                 "惩戒"):  # fmt: skip
        assert fact in html, fact
    assert "未发布的措施" not in html
    red = text(client, "measures", kind="red")
    assert "绿色通道" in red and "限制发票领用" not in red
    market = text(client, "measures", category="market")
    assert "限制参与招投标" in market and "限制发票领用" not in market and "绿色通道" not in market
    both = text(client, "measures", kind="punishment", category="administrative")
    assert "限制发票领用" in both and "限制参与招投标" not in both
    response = get(client, "measures", kind="nonsense")
    assert response.status_code == 400 and "选择一个有效的选项" in response.content.decode()


def test_statistics_show_coverage_and_delays(
    client, samr_staff, tax_staff, entity, rules, measures
):
    listing = factories.listed(by=samr_staff, entity=entity, rule=rules["punishment"])
    assert "暂无信息" not in text(client, "statistics")
    task = listing.tasks.get(department__code="TAX-110000")
    services.task_feedback(
        actor=tax_staff,
        task_id=task.pk,
        outcomes={measures["tax"].pk: ("applied", "")},
    )
    html = text(client, "statistics")
    assert "国家税务总局北京市税务局" in html and "100.0%" in html
    assert "北京市市场监督管理局" in html and "0.0%" in html  # its task is still open


# --- the entity's own page and its statement ------------------------------------------------------
MINE = reverse("discipline:mine")


def statement_url(listing) -> str:
    return reverse("discipline:statement", args=[listing.pk])


def test_mine_needs_an_entity_account(client, world, samr_staff):
    response = client.get(MINE)
    assert response.status_code == 302 and "next=" in response["Location"]
    response = client.post(statement_url(world["proposed"]), {"statement": "申辩"})
    assert response.status_code == 302 and "next=" in response["Location"]
    client.force_login(samr_staff)
    for response in (client.get(MINE), client.post(statement_url(world["proposed"]), {})):
        assert response.status_code == 403 and "只有市场主体账号" in response.content.decode()
    assert Listing.objects.get(pk=world["proposed"].pk).statement == ""


def test_mine_shows_the_entitys_proposals_and_listings(client, samr_staff, entity, entity_user,
                                                        world, rules):  # fmt: skip
    proposal = factories.proposal(
        by=samr_staff,
        entity=entity,
        rule=rules["red"],
        bases=[factories.basis("reward", "表彰1号")],
        facts="拟列入红名单的事实",
    )
    client.force_login(entity_user)
    html = client.get(MINE).content.decode()
    for fact in ("拒不履行生效判决", "（2026）京01执123号", "已列入", "拟列入（陈述申辩期）",
                 "拟列入红名单的事实", "表彰1号", proposal.statement_due.isoformat(),
                 STATEMENT):  # fmt: skip
        assert fact in html, fact
    # One statement form: for the open proposal only; other entities' listings are not here.
    assert html.count('method="post" action="/lists/mine/') == 1
    assert statement_url(proposal) in html
    for other in ("异议中公司", "拟列入公司", "重点关注公司"):
        assert other not in html


def test_the_entity_states_its_case(client, samr_staff, entity, entity_user, rules):
    proposal = factories.proposal(by=samr_staff, entity=entity, rule=rules["punishment"])
    client.force_login(entity_user)
    response = client.post(statement_url(proposal), {"statement": "  已于次日全额履行。  "})
    assert response.status_code == 302 and response["Location"] == MINE
    proposal.refresh_from_db()
    assert proposal.statement == "已于次日全额履行。" and proposal.statement_at is not None
    assert AuditEvent.objects.filter(action="listing.statement", target_id=str(proposal.pk))
    html = client.get(MINE).content.decode()
    assert "陈述申辩已提交" in html and "已于次日全额履行。" in html and "修改陈述申辩" in html


def test_an_empty_statement_is_refused_and_nothing_written(client, samr_staff, entity,
                                                           entity_user, rules):  # fmt: skip
    proposal = factories.proposal(by=samr_staff, entity=entity, rule=rules["punishment"])
    client.force_login(entity_user)
    events = AuditEvent.objects.count()
    for body in ({"statement": "   "}, {}):
        response = client.post(statement_url(proposal), body)
        assert response.status_code == 400 and "该字段是必填项" in response.content.decode()
    long = "长" * 5001  # too long: refused, and the text is kept in the form
    response = client.post(statement_url(proposal), {"statement": long})
    assert response.status_code == 400 and long in response.content.decode()
    proposal.refresh_from_db()
    assert (proposal.statement, proposal.statement_at) == ("", None)
    assert AuditEvent.objects.count() == events


def test_another_entitys_listing_is_refused(client, world, entity_user):
    client.force_login(entity_user)
    other = world["proposed"]
    events = AuditEvent.objects.count()
    response = client.post(statement_url(other), {"statement": "冒名申辩"})
    html = response.content.decode()
    assert response.status_code == 403 and "只能就本主体陈述申辩" in html
    assert "冒名申辩" in html  # the text is kept for the visitor, not saved
    assert Listing.objects.get(pk=other.pk).statement == ""
    assert AuditEvent.objects.count() == events
    assert (
        client.post(reverse("discipline:statement", args=[10**9]), {"statement": "x"}).status_code
        == 404
    )


def test_after_the_decision_a_statement_is_refused(client, world, entity_user):
    client.force_login(entity_user)
    listing = world["listed"]  # decided: listed
    events = AuditEvent.objects.count()
    response = client.post(statement_url(listing), {"statement": "迟到的申辩"})
    html = response.content.decode()
    assert response.status_code == 409 and "已作出决定" in html and "迟到的申辩" in html
    listing.refresh_from_db()
    assert listing.statement == STATEMENT and AuditEvent.objects.count() == events
    assert client.get(statement_url(listing)).status_code == 405  # POST only


def test_every_page_reads_in_english(client, world, rules, measures):
    client.cookies["django_language"] = "en"
    pages = [
        ("lists", ()),
        ("kind", ("punishment",)),
        ("listing", (world["suspended"].pk,)),
        ("rules", ()),
        ("rule", (rules["red"].pk,)),
        ("measures", ()),
        ("statistics", ()),
    ]
    for name, args in pages:
        response = get(client, name, *args)
        assert response.status_code == 200, name
        assert 'lang="en"' in response.content.decode(), name
    assert "Joint-punishment list" in text(client, "lists")
    assert "Administrative" in text(client, "measures")
