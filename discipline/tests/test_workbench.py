"""The discipline pages of the regulator workbench: who may enter, a department's listings
from proposal to exit, measure tasks, rectification and interviews, access bans and
warnings, the "may receive" check and the home cards. Every refusal is shown with its message
and writes nothing; another department sees none of a department's proposals."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from credit_portal.audit.models import AccessLog
from discipline import services
from discipline.models import (
    AccessBan,
    Interview,
    LiabilityWarning,
    Listing,
    MeasureTask,
    Rectification,
)
from registry import services as registry_services
from registry.models import CreditRecord
from registry.tests import factories as registry_factories

from . import factories
from .conftest import ID_NUMBER
from .test_services import trace

pytestmark = pytest.mark.django_db
NS = "discipline-workbench"
L = Listing.Status
T = MeasureTask.Status


def url(name: str, *args) -> str:
    return reverse(f"{NS}:{name}", args=args)


def text(response) -> str:
    return response.content.decode()


def basis_rows(*rows: dict) -> dict:
    """The basis formset's POST data: the rows given, the rest left blank."""
    data = {"bases-TOTAL_FORMS": "5", "bases-INITIAL_FORMS": "0", "bases-MAX_NUM_FORMS": "5"}
    for i, row in enumerate(rows):
        data.update({f"bases-{i}-{k}": v for k, v in row.items()})
    return data


def one_day_ago(listing: Listing) -> None:
    Listing.objects.filter(pk=listing.pk).update(
        statement_due=factories.today() - datetime.timedelta(days=1)
    )


@pytest.fixture
def measures(samr, tax, court):
    """Two tax measures (one recommended) and one of the court."""
    return [
        factories.measure(tax, code="TAX-1", name="限制申请出口退税"),
        factories.measure(tax, code="TAX-2", name="提高纳税信用评价门槛", mandatory=False),
        factories.measure(court, code="COURT-1", name="限制高消费"),
    ]


@pytest.fixture
def proposal(samr_staff, entity, punishment_rule):
    return factories.proposal(by=samr_staff, entity=entity, rule=punishment_rule)


@pytest.fixture
def listed(samr_staff, entity, punishment_rule, measures, legal_rep):
    return factories.listed(by=samr_staff, entity=entity, rule=punishment_rule)


# --- who may enter -------------------------------------------------------------------------------
PAGES = ["listings", "listing-new", "tasks", "rectifications", "rectification-new", "bans", "check"]


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, name):
    response = client.get(url(name))
    assert response.status_code == 302
    assert reverse("workbench:login") in response["Location"]


@pytest.mark.parametrize("name", PAGES)
def test_entity_users_are_refused(client, entity_user, name):
    client.force_login(entity_user)
    assert client.get(url(name)).status_code == 403


def test_platform_administrators_belong_to_no_department(client):
    client.force_login(registry_factories.platform_admin())
    assert client.get(url("listings")).status_code == 403


def test_entity_users_cannot_post_a_statement_through_the_workbench(client, entity_user, proposal):
    client.force_login(entity_user)
    before = trace()
    response = client.post(url("listing-statement", proposal.pk), {"statement": "陈述"})
    assert response.status_code == 403
    assert trace() == before


# --- listings ------------------------------------------------------------------------------------
def test_the_listings_queue_shows_proposals_with_their_statement_period(
    client, samr_staff, entity, proposal
):
    client.force_login(samr_staff)
    page = text(client.get(url("listings")))
    assert entity.name in page
    assert proposal.statement_due.isoformat() in page
    assert "未陈述" in page and "陈述申辩期中" in page
    assert entity.name not in text(client.get(url("listings"), {"status": "listed"}))
    services.listing_statement_record(actor=samr_staff, listing_id=proposal.pk, statement="书面")
    assert "可作出决定" in text(client.get(url("listings")))


def test_the_listings_queue_searches_by_uscc_or_name(client, samr_staff, entity, proposal):
    other = registry_factories.entity(by=samr_staff, name="上海另一家贸易有限公司")
    factories.proposal(by=samr_staff, entity=other, rule=proposal.rule)
    client.force_login(samr_staff)
    by_uscc = text(client.get(url("listings"), {"q": entity.uscc.lower()}))
    assert entity.name in by_uscc and other.name not in by_uscc
    by_name = text(client.get(url("listings"), {"q": "另一家"}))
    assert other.name in by_name and entity.name not in by_name


def test_another_department_neither_sees_nor_acts_on_a_proposal(
    client, court_staff, entity, proposal
):
    client.force_login(court_staff)
    assert entity.name not in text(client.get(url("listings")))
    assert client.get(url("listing", proposal.pk)).status_code == 404
    before = trace()
    for action, data in (
        ("listing-statement", {"statement": "代为陈述"}),
        ("listing-decide", {"decision": "reject", "note": "不予列入"}),
        ("listing-exit", {"reason": "revoked"}),
    ):
        assert client.post(url(action, proposal.pk), data).status_code == 404
    assert trace() == before


def test_another_department_reads_a_listing_in_force_but_cannot_change_it(
    client, court_staff, listed
):
    client.force_login(court_staff)
    page = text(client.get(url("listing", listed.pk)))
    assert listed.entity.name in page
    assert url("listing-exit", listed.pk) not in page  # no forms for it
    assert "11010519491231002X" not in page and "张三" not in page  # marks: recognising only
    before = trace()
    response = client.post(url("listing-exit", listed.pk), {"reason": "revoked", "note": "x"})
    assert response.status_code == 403
    assert "其他部门认定" in text(response)
    assert trace() == before


def test_the_propose_form_offers_the_rules_the_department_may_list_under(
    client, samr, tax_staff, samr_staff, punishment_rule
):
    factories.rule(samr, code="SAMR-ATTN", kind="attention", name="市场监管重点关注名单")
    client.force_login(samr_staff)
    page = text(client.get(url("listing-new")))
    assert punishment_rule.code in page and "SAMR-ATTN" in page
    client.force_login(tax_staff)
    page = text(client.get(url("listing-new")))
    assert punishment_rule.code not in page
    assert "没有可依据认定的名单规则" in page


def test_a_proposal_is_made_on_its_basis_documents(client, samr_staff, entity, punishment_rule):
    client.force_login(samr_staff)
    response = client.post(
        url("listing-new"),
        {
            "uscc": entity.uscc,
            "rule": punishment_rule.code,
            "facts": "拒不履行生效判决",
            **basis_rows(
                {
                    "kind": "judicial",
                    "document_number": "（2026）京01执123号",
                    "title": "执行裁定书",
                    "issued_on": "2026-01-05",
                }
            ),
        },
    )
    listing = Listing.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("listing", listing.pk)
    assert (listing.status, listing.department.code) == (L.PROPOSED, "SAMR-110000")
    assert list(listing.bases.values_list("document_number", flat=True)) == ["（2026）京01执123号"]
    page = text(client.get(url("listing", listing.pk)))
    assert "执行裁定书" in page and "拒不履行生效判决" in page


def test_a_proposal_without_a_basis_is_refused_and_the_typed_values_stay(
    client, samr_staff, entity, punishment_rule
):
    client.force_login(samr_staff)
    before = trace()
    response = client.post(
        url("listing-new"),
        {"uscc": entity.uscc, "rule": punishment_rule.code, "facts": "虚假宣传", **basis_rows()},
    )
    assert response.status_code == 400
    page = text(response)
    assert "列入名单须提供认定依据文书" in page
    assert "虚假宣传" in page and entity.uscc in page
    assert trace() == before


def test_a_department_without_authority_under_the_rule_is_refused(
    client, tax_staff, entity, punishment_rule
):
    client.force_login(tax_staff)
    before = trace()
    response = client.post(
        url("listing-new"),
        {
            "uscc": entity.uscc,
            "rule": punishment_rule.code,
            "facts": "欠税",
            **basis_rows(factories.basis("penalty")),
        },
    )
    assert response.status_code == 403
    assert "本部门无权依据该规则认定名单" in text(response)
    assert not Listing.objects.exists()
    assert trace() == before


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"uscc": "91110000XXXXXXXXXX"}, 400, "统一社会信用代码"),
        ({"rule": "NO-SUCH-RULE"}, 400, "没有已发布的名单认定规则"),
        ({"bases-0-kind": ""}, 400, "请选择依据类别"),
    ],
)
def test_bad_proposals_get_a_400_with_the_reason(
    client, samr_staff, entity, punishment_rule, data, status, message
):
    client.force_login(samr_staff)
    post = {
        "uscc": entity.uscc,
        "rule": punishment_rule.code,
        "facts": "事实",
        **basis_rows(factories.basis("penalty")),
        **data,
    }
    response = client.post(url("listing-new"), post)
    assert response.status_code == status
    assert message in text(response)
    assert not Listing.objects.exists()


def test_deciding_before_the_statement_period_is_refused_on_the_page(client, samr_staff, proposal):
    client.force_login(samr_staff)
    before = trace()
    response = client.post(url("listing-decide", proposal.pk), {"decision": "list"})
    assert response.status_code == 409
    assert "陈述申辩期至" in text(response)
    assert trace() == before


def test_not_listing_needs_the_reason(client, samr_staff, proposal):
    one_day_ago(proposal)
    client.force_login(samr_staff)
    response = client.post(url("listing-decide", proposal.pk), {"decision": "reject"})
    assert response.status_code == 409 and "请说明理由" in text(response)
    response = client.post(
        url("listing-decide", proposal.pk), {"decision": "reject", "note": "证据不足"}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == L.REJECTED


def test_propose_hear_decide_then_the_page_shows_tasks_and_marked_persons(
    client, samr_staff, entity, punishment_rule, measures, legal_rep, tax
):
    client.force_login(samr_staff)
    client.post(
        url("listing-new"),
        {
            "uscc": entity.uscc,
            "rule": punishment_rule.code,
            "facts": "严重违法",
            **basis_rows(factories.basis("penalty")),
        },
    )
    listing = Listing.objects.get()
    response = client.post(url("listing-statement", listing.pk), {"statement": "书面申辩意见"})
    assert response.status_code == 302
    page = text(client.get(response["Location"]))
    assert "已记录陈述申辩" in page and "书面申辩意见" in page
    response = client.post(url("listing-decide", listing.pk), {"decision": "list", "note": ""})
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.status == L.LISTED
    page = text(client.get(url("listing", listing.pk)))
    assert tax.name in page and "北京市高级人民法院" in page  # one task per department
    assert url("task", MeasureTask.objects.get(listing=listing, department=tax).pk) in page
    assert "张三" in page and legal_rep.id_number_masked in page
    assert ID_NUMBER not in page


def test_suspend_resume_and_exit_from_the_listing_page(client, samr_staff, listed):
    client.force_login(samr_staff)
    wrong = client.post(url("listing-exit", listed.pk), {"reason": "objection"})
    assert wrong.status_code == 409 and "异议须先受理核查" in text(wrong)
    assert client.post(url("listing-suspend", listed.pk), {"reason": ""}).status_code == 400
    client.post(url("listing-suspend", listed.pk), {"reason": "异议受理"})
    listed.refresh_from_db()
    assert listed.status == L.SUSPENDED
    client.post(url("listing-resume", listed.pk), {"note": "异议不成立"})
    listed.refresh_from_db()
    assert listed.status == L.LISTED
    response = client.post(
        url("listing-exit", listed.pk), {"reason": "restoration", "note": "修复"}
    )
    assert response.status_code == 302
    listed.refresh_from_db()
    assert (listed.status, listed.exit_reason) == (L.EXITED, "restoration")


def test_a_malformed_action_is_a_400_not_a_500(client, samr_staff, court_staff, listed):
    client.force_login(samr_staff)
    assert client.post(url("listing-exit", listed.pk), {"reason": "bogus"}).status_code == 400
    client.force_login(court_staff)
    assert client.post(url("listing-exit", listed.pk), {"reason": "bogus"}).status_code == 400
    assert client.get(url("listing", 2**63 + 5)).status_code == 404


def test_the_listings_queue_does_a_fixed_number_of_queries(
    client, samr_staff, punishment_rule, django_assert_max_num_queries
):
    for _ in range(3):
        factories.proposal(
            by=samr_staff, entity=registry_factories.entity(by=samr_staff), rule=punishment_rule
        )
    client.force_login(samr_staff)
    client.get(url("listings"))  # warm the session and the viewer's lookups
    with django_assert_max_num_queries(8) as few:
        client.get(url("listings"))
    for _ in range(6):
        factories.proposal(
            by=samr_staff, entity=registry_factories.entity(by=samr_staff), rule=punishment_rule
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert text(client.get(url("listings"))).count("陈述申辩期中") == 9


# --- measure tasks -------------------------------------------------------------------------------
def test_the_implementing_department_sees_its_tasks_with_overdue_ones_marked(
    client, tax_staff, listed, tax
):
    client.force_login(tax_staff)
    page = text(client.get(url("tasks")))
    assert listed.entity.name in page and "逾期未反馈" not in page
    MeasureTask.objects.filter(department=tax).update(
        feedback_due=factories.today() - datetime.timedelta(days=1)
    )
    assert "逾期未反馈" in text(client.get(url("tasks")))
    assert listed.entity.name not in text(client.get(url("tasks"), {"status": "fed_back"}))


def test_feedback_is_recorded_for_every_measure(client, tax_staff, listed, measures, tax):
    task = MeasureTask.objects.get(listing=listed, department=tax)
    client.force_login(tax_staff)
    page = text(client.get(url("task", task.pk)))
    assert "限制申请出口退税" in page and "提高纳税信用评价门槛" in page
    tax1, tax2 = measures[0], measures[1]
    response = client.post(
        url("task", task.pk),
        {
            f"outcome_{tax1.pk}": "applied",
            f"outcome_{tax2.pk}": "not_applied",
            f"reason_{tax2.pk}": "本年度无相关申请",
        },
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == T.FED_BACK
    assert listed.entity.name in text(client.get(url("tasks"), {"status": "fed_back"}))


@pytest.mark.parametrize(
    ("outcomes", "message"),
    [
        ({0: ("not_applied", "无"), 1: ("applied", "")}, "强制性措施必须实施"),
        ({0: ("applied", ""), 1: ("not_applied", "")}, "须说明理由"),
        ({0: ("applied", "")}, "每项措施都须反馈实施情况"),
    ],
)
def test_incomplete_feedback_is_refused_and_nothing_is_kept(
    client, tax_staff, listed, measures, tax, outcomes, message
):
    task = MeasureTask.objects.get(listing=listed, department=tax)
    data = {}
    for index, (outcome, reason) in outcomes.items():
        data[f"outcome_{measures[index].pk}"] = outcome
        data[f"reason_{measures[index].pk}"] = reason
    client.force_login(tax_staff)
    before = trace()
    response = client.post(url("task", task.pk), data)
    assert response.status_code == 409
    assert message in text(response)
    assert trace() == before


def test_other_departments_cannot_feed_back_and_the_initiator_follows_coverage(
    client, samr_staff, court_staff, listed, measures, tax
):
    task = MeasureTask.objects.get(listing=listed, department=tax)
    data = {f"outcome_{m.pk}": "applied" for m in measures[:2]}
    before = trace()
    client.force_login(court_staff)
    assert client.get(url("task", task.pk)).status_code == 404
    assert client.post(url("task", task.pk), data).status_code == 404
    client.force_login(samr_staff)  # the initiating department reads it
    page = text(client.get(url("task", task.pk)))
    assert "限制申请出口退税" in page and "提交反馈" not in page
    assert client.post(url("task", task.pk), data).status_code == 403
    assert trace() == before
    page = text(client.get(url("tasks")))
    assert "本部门发起名单的措施落实" in page
    assert tax.name in page and "北京市高级人民法院" in page


def test_measures_are_lifted_after_the_listing_exits(
    client, samr_staff, tax_staff, listed, measures, tax
):
    task = MeasureTask.objects.get(listing=listed, department=tax)
    services.task_feedback(
        actor=tax_staff, task_id=task.pk, outcomes={m.pk: ("applied", "") for m in measures[:2]}
    )
    client.force_login(tax_staff)
    refused = client.post(url("task-lift", task.pk))
    assert refused.status_code == 409 and "不能改为" in text(refused)
    services.listing_exit(actor=samr_staff, listing_id=listed.pk, reason="restoration")
    assert "确认已解除" in text(client.get(url("task", task.pk)))
    assert client.post(url("task-lift", task.pk)).status_code == 302
    task.refresh_from_db()
    assert task.status == T.LIFTED


# --- rectification and interviews ----------------------------------------------------------------
def test_a_rectification_order_is_made_and_a_past_deadline_refused(client, samr_staff, entity):
    client.force_login(samr_staff)
    before = trace()
    today = factories.today().isoformat()
    response = client.post(
        url("rectification-new"),
        {"uscc": entity.uscc, "requirement": "补报年度报告", "deadline": today},
    )
    assert response.status_code == 400 and "整改期限须晚于今天" in text(response)
    assert trace() == before
    deadline = (factories.today() + datetime.timedelta(days=10)).isoformat()
    response = client.post(
        url("rectification-new"),
        {"uscc": entity.uscc, "requirement": "补报年度报告", "deadline": deadline},
    )
    assert response.status_code == 302
    order = Rectification.objects.get()
    assert (order.department.code, order.status) == ("SAMR-110000", "ordered")
    assert "补报年度报告" in text(client.get(url("rectifications")))


def test_a_rectification_order_on_another_departments_listing_is_refused(
    client, court_staff, listed
):
    client.force_login(court_staff)
    deadline = (factories.today() + datetime.timedelta(days=10)).isoformat()
    response = client.post(
        url("rectification-new"),
        {
            "uscc": listed.entity_id,
            "requirement": "整改",
            "deadline": deadline,
            "listing_id": str(listed.pk),
        },
    )
    assert response.status_code == 403
    assert not Rectification.objects.exists()


@pytest.fixture
def overdue_order(samr_staff, entity) -> Rectification:
    tomorrow = factories.today() + datetime.timedelta(days=1)
    order = services.rectification_order(
        actor=samr_staff, uscc=entity.uscc, requirement="清理违规广告", deadline=tomorrow
    )
    services.rectifications_escalate(today=tomorrow + datetime.timedelta(days=1))
    return order


def test_a_reminder_interview_is_held_with_a_new_deadline(client, samr_staff, overdue_order):
    interview = Interview.objects.get(rectification=overdue_order)
    client.force_login(samr_staff)
    page = text(client.get(url("rectifications")))
    assert "清理违规广告" in page and url("interview-hold", interview.pk) in page
    hold = {"held_on": factories.today().isoformat(), "attendees": "法定代表人", "summary": "告知"}
    before = trace()
    response = client.post(url("interview-hold", interview.pk), hold)
    assert response.status_code == 409 and "新的整改期限" in text(response)
    assert trace() == before
    new_deadline = (factories.today() + datetime.timedelta(days=15)).isoformat()
    response = client.post(
        url("interview-hold", interview.pk), {**hold, "new_deadline": new_deadline}
    )
    assert response.status_code == 302
    overdue_order.refresh_from_db()
    assert (overdue_order.status, overdue_order.deadline.isoformat()) == ("reminded", new_deadline)
    assert CreditRecord.objects.filter(interview__pk=interview.pk).exists()
    complete = client.post(url("rectification-complete", overdue_order.pk), {"note": "已整改"})
    assert complete.status_code == 302
    overdue_order.refresh_from_db()
    assert overdue_order.status == "rectified"


def test_another_department_cannot_hold_the_interview_or_complete_the_order(
    client, court_staff, overdue_order
):
    interview = Interview.objects.get(rectification=overdue_order)
    client.force_login(court_staff)
    assert "清理违规广告" not in text(client.get(url("rectifications")))
    before = trace()
    hold = {"held_on": factories.today().isoformat(), "summary": "越权约谈"}
    assert client.post(url("interview-hold", interview.pk), hold).status_code == 403
    assert client.post(url("rectification-complete", overdue_order.pk)).status_code == 403
    assert trace() == before


# --- access bans and warnings --------------------------------------------------------------------
def ban_data(entity, **overrides) -> dict:
    return {
        "uscc": entity.uscc,
        "field": "food_drugs",
        "starts": factories.today().isoformat(),
        "ends": "",
        "reason": "生产销售假药",
        "legal_basis": "药品管理法第一百一十八条",
        **overrides,
    }


def test_a_lifelong_ban_is_imposed_then_lifted_with_a_reason(client, samr_staff, entity, legal_rep):
    client.force_login(samr_staff)
    assert client.post(url("bans"), ban_data(entity)).status_code == 302
    ban = AccessBan.objects.get()
    page = text(client.get(url("bans")))
    assert "终身禁入" in page and "张三" in page and legal_rep.id_number_masked in page
    assert ID_NUMBER not in page
    before = trace()
    response = client.post(url("ban-lift", ban.pk), {"reason": ""})
    assert response.status_code == 400 and "请说明理由" in text(response)
    assert trace() == before
    assert client.post(url("ban-lift", ban.pk), {"reason": "行政复议撤销"}).status_code == 302
    ban.refresh_from_db()
    assert ban.lifted_at is not None
    page = text(client.get(url("bans")))  # the department's own ban stays, lifted
    assert "已解除" in page and "行政复议撤销" in page and url("ban-lift", ban.pk) not in page
    client.force_login(registry_factories.staff(registry_factories.department("MEE-110000")))
    assert entity.name not in text(client.get(url("bans")))  # not in force: not for others


def test_a_ban_not_begun_yet_is_listed_for_its_department_and_can_be_lifted(
    client, samr_staff, tax_staff, entity
):
    ban = services.access_ban_impose(
        actor=samr_staff,
        uscc=entity.uscc,
        field="food_drugs",
        starts=factories.today() + datetime.timedelta(days=30),
        ends=None,
        reason="生产销售假药",
        legal_basis="药品管理法",
    )
    client.force_login(tax_staff)
    assert entity.name not in text(client.get(url("bans")))  # not in force: not public yet
    client.force_login(samr_staff)
    page = text(client.get(url("bans")))
    assert "尚未生效" in page and url("ban-lift", ban.pk) in page
    assert client.post(url("ban-lift", ban.pk), {"reason": "复议撤销"}).status_code == 302
    ban.refresh_from_db()
    assert ban.lifted_at is not None


def test_a_ban_ending_before_it_starts_is_refused(client, samr_staff, entity):
    client.force_login(samr_staff)
    yesterday = (factories.today() - datetime.timedelta(days=1)).isoformat()
    response = client.post(url("bans"), ban_data(entity, ends=yesterday))
    assert response.status_code == 400
    assert "截止日期不能早于起始日期" in text(response)
    assert "生产销售假药" in text(response)  # typed values stay
    assert not AccessBan.objects.exists()


def test_another_department_cannot_lift_a_ban(client, samr_staff, tax_staff, entity):
    ban = services.access_ban_impose(
        actor=samr_staff,
        uscc=entity.uscc,
        field="ecology",
        starts=factories.today(),
        ends=None,
        reason="偷排",
        legal_basis="环境保护法",
    )
    client.force_login(tax_staff)
    page = text(client.get(url("bans")))
    assert "偷排" not in page and entity.name in page  # the public ban, without another's form
    assert url("ban-lift", ban.pk) not in page
    response = client.post(url("ban-lift", ban.pk), {"reason": "越权"})
    assert response.status_code == 403
    ban.refresh_from_db()
    assert ban.lifted_at is None


def test_an_appointment_warning_is_resolved_with_a_note(
    client, samr_staff, tax_staff, entity, legal_rep
):
    services.access_ban_impose(
        actor=samr_staff,
        uscc=entity.uscc,
        field="safety",
        starts=factories.today(),
        ends=None,
        reason="重大安全事故",
        legal_basis="安全生产法",
    )
    other = registry_factories.entity(by=samr_staff, name="北京新任职科技有限公司")
    registry_services.entity_role_assign(
        actor=samr_staff, uscc=other.uscc, person=legal_rep, kind="legal_representative"
    )
    services.liability_warnings_scan()
    warning = LiabilityWarning.objects.get()
    client.force_login(tax_staff)
    assert client.post(url("warning-resolve", warning.pk), {"note": "越权"}).status_code == 403
    client.force_login(samr_staff)
    page = text(client.get(url("bans")))
    assert "北京新任职科技有限公司" in page and ID_NUMBER not in page
    assert client.post(url("warning-resolve", warning.pk), {"note": ""}).status_code == 400
    assert (
        client.post(url("warning-resolve", warning.pk), {"note": "已责令变更"}).status_code == 302
    )
    warning.refresh_from_db()
    assert warning.resolved_at is not None
    assert "北京新任职科技有限公司" not in text(client.get(url("bans")))


def test_the_higher_authority_sees_its_notices(client, samr_staff, punishment_rule):
    soe = registry_factories.entity(by=samr_staff, state_owned=True, name="北京国有建设集团")
    factories.listed(by=samr_staff, entity=soe, rule=punishment_rule)
    client.force_login(samr_staff)  # samr registered it and is its higher authority here
    page = text(client.get(url("bans")))
    assert "北京国有建设集团" in page and "上级主管部门" in page


# --- may receive ---------------------------------------------------------------------------------
def test_the_check_refuses_a_listed_entity_and_says_why(client, tax_staff, listed, measures):
    client.force_login(tax_staff)
    assert "TAX-1" in text(client.get(url("check")))
    response = client.post(
        url("check"), {"measure": "TAX-1", "uscc": listed.entity_id, "purpose": "出口退税审核"}
    )
    assert response.status_code == 200
    page = text(response)
    assert "不予办理" in page and "在惩戒名单中" in page and listed.entity.name in page
    log = AccessLog.objects.get(uscc=listed.entity_id)
    assert log.purpose == "出口退税审核"


def test_the_check_by_id_number_never_shows_the_full_number(
    client, tax_staff, listed, measures, legal_rep
):
    client.force_login(tax_staff)
    response = client.post(
        url("check"), {"measure": "TAX-1", "id_number": ID_NUMBER, "purpose": "任职审查"}
    )
    page = text(response)
    assert response.status_code == 200
    assert "不予办理" in page and "张三" in page and legal_rep.id_number_masked in page
    assert ID_NUMBER not in page


def test_the_check_needs_one_subject(client, tax_staff, measures, entity):
    client.force_login(tax_staff)
    before = AccessLog.objects.count()
    response = client.post(url("check"), {"measure": "TAX-1", "purpose": "审核"})
    assert response.status_code == 400 and "统一社会信用代码或身份证号码之一" in text(response)
    response = client.post(
        url("check"), {"measure": "TAX-1", "id_number": "110105194912310021", "purpose": "审核"}
    )
    assert response.status_code == 400 and "校验码" in text(response)
    allowed = client.post(
        url("check"), {"measure": "TAX-1", "uscc": entity.uscc, "purpose": "审核"}
    )
    assert "可以办理" in text(allowed)
    assert AccessLog.objects.count() == before + 1


# --- home cards ----------------------------------------------------------------------------------
def test_the_home_cards_count_the_departments_own_work(
    client, samr_staff, tax_staff, tax, entity, punishment_rule, measures, overdue_order
):
    other = registry_factories.entity(by=samr_staff)
    ready = factories.proposal(by=samr_staff, entity=entity, rule=punishment_rule)
    one_day_ago(ready)
    factories.listed(by=samr_staff, entity=other, rule=punishment_rule)
    MeasureTask.objects.filter(department=tax).update(
        feedback_due=factories.today() - datetime.timedelta(days=1)
    )
    client.force_login(samr_staff)
    page = text(client.get(reverse("workbench:home")))
    assert "待作出决定的拟列入名单 1 项" in page
    assert "待进行的约谈 1 次" in page
    assert "待实施的惩戒措施任务" not in page  # samr implements no measure here
    client.force_login(tax_staff)
    page = text(client.get(reverse("workbench:home")))
    assert "待实施的惩戒措施任务 1 项，其中逾期 1 项" in page
    assert "待作出决定的拟列入名单" not in page and "待进行的约谈" not in page
