"""API v1 discipline: who sees which rule, measure, listing, task, order, interview, ban and
warning; every write through the API as the owner, refused for anonymous callers (401),
callers without the right (403, or 404 where the row is hidden from them) and bad input (a
coded 400 with the translated message), each refusal leaving nothing written; the "may
receive" check; the schema; and query counts on the list pages."""

from __future__ import annotations

import datetime
import json

import pytest
from rest_framework.test import APIClient

from credit_portal.audit.models import AccessLog, AuditEvent
from discipline import services
from discipline.models import (
    AccessBan,
    Interview,
    LiabilityWarning,
    Listing,
    ListKind,
    MeasureTask,
    MeasureTaskItem,
    PersonMark,
    Rectification,
)
from registry import services as registry_services
from registry.models import CreditRecord
from registry.tests import factories as registry_factories

from . import factories
from .conftest import ID_NUMBER

pytestmark = pytest.mark.django_db
API = "/api/v1/"
LISTINGS = f"{API}listings/"
TASKS = f"{API}measure-tasks/"
ORDERS = f"{API}rectifications/"
INTERVIEWS = f"{API}interviews/"
BANS = f"{API}access-bans/"
WARNINGS = f"{API}liability-warnings/"
MAY = f"{API}may-receive/"
TODAY = factories.today
DAY = datetime.timedelta(days=1)


# --- helpers ------------------------------------------------------------------------------------
def session(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def token_client(department) -> APIClient:
    _client, token = registry_services.api_client_create(
        actor=registry_factories.platform_admin(), name="业务系统", department=department
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def snapshot() -> tuple:
    """Everything a discipline write could change."""
    return (
        AuditEvent.objects.count(),
        list(Listing.objects.values_list("pk", "status", "statement", "exit_reason")),
        list(MeasureTask.objects.values_list("pk", "status")),
        list(MeasureTaskItem.objects.values_list("pk", "outcome", "reason")),
        list(PersonMark.objects.values_list("pk", "lifted_at")),
        list(Rectification.objects.values_list("pk", "status", "deadline", "note")),
        list(Interview.objects.values_list("pk", "status")),
        list(AccessBan.objects.values_list("pk", "lifted_at")),
        list(LiabilityWarning.objects.values_list("pk", "resolved_at")),
        CreditRecord.objects.count(),
    )


def refused(client: APIClient, url: str, body=None, *, status: int, code: str = ""):
    """POST that must be refused with ``status`` (and ``code``) and write nothing."""
    before = snapshot()
    response = client.post(url, body or {}, format="json")
    assert response.status_code == status, response.content
    data = response.json()
    if code:
        assert data["code"] == code, data
    assert data["detail"], data  # a message, translated
    assert snapshot() == before, "a refusal must write nothing"
    return data


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def anon() -> APIClient:
    return APIClient()


@pytest.fixture
def measures(samr, tax, court):
    """Tax implements a mandatory and a recommended measure, the court one with a ban field;
    one measure serves the key-attention list."""
    return {
        "tax1": factories.measure(tax, code="TAX-1"),
        "tax2": factories.measure(tax, code="TAX-2", mandatory=False),
        "court": factories.measure(court, code="COURT-1", ban_field="food_drugs"),
        "attn": factories.measure(samr, code="ATTN-1", kinds=[ListKind.ATTENTION]),
    }


def propose_body(entity, list_rule, **patch) -> dict:
    body = {
        "uscc": entity.uscc,
        "rule": list_rule.code,
        "facts": "拒不履行生效判决",
        "bases": [
            {
                "kind": "penalty",
                "document_number": "京市监罚〔2026〕88号",
                "title": "行政处罚决定书",
                "issued_on": "2026-01-05",
            }
        ],
    }
    body.update(patch)
    return body


# --- the published rules and the measures list --------------------------------------------------
def test_list_rules_are_public_current_by_default_and_old_versions_stay_readable(
    anon, samr, punishment_rule
):
    red = factories.rule(samr, kind=ListKind.RED, code="RED")
    revised = factories.rule(samr, code=punishment_rule.code, period_months=24)
    draft = services.list_rule_create(
        actor=registry_factories.platform_admin(),
        departments=[samr],
        code="DRAFT",
        kind=ListKind.PUNISHMENT,
        name="草案",
        bases=["penalty"],
        standards="s",
        procedure="p",
        objection_route="o",
        exit_conditions="e",
    )
    url = f"{API}list-rules/"
    assert sorted(ids(anon.get(url))) == sorted([revised.pk, red.pk])
    assert sorted(ids(anon.get(url, {"current": "false"}))) == sorted(
        [punishment_rule.pk, revised.pk, red.pk]
    )
    assert ids(anon.get(url, {"kind": "red"})) == [red.pk]
    row = anon.get(f"{url}{punishment_rule.pk}/").json()
    assert (row["version"], row["retired_at"] is not None) == (1, True)
    assert row["recognising_departments"] == [samr.code]
    assert anon.get(f"{url}{draft.pk}/").status_code == 404  # a draft is not published
    assert anon.get(f"{url}x/").json()["code"] == "rule_not_found"
    response = anon.get(url, {"kind": "orange"})
    assert (response.status_code, response.json()["field"]) == (400, "kind")


def test_the_measures_list_is_public_and_filtered(anon, measures, tax):
    url = f"{API}measures/"
    assert len(ids(anon.get(url))) == 4
    assert set(ids(anon.get(url, {"list_kind": "attention"}))) == {measures["attn"].pk}
    assert set(ids(anon.get(url, {"department": tax.code}))) == {
        measures["tax1"].pk,
        measures["tax2"].pk,
    }
    assert ids(anon.get(url, {"mandatory": "false"})) == [measures["tax2"].pk]
    row = anon.get(f"{url}{measures['court'].pk}/").json()
    assert (row["ban_field"], row["department"], row["list_kinds"]) == (
        "food_drugs",
        "COURT-110000",
        ["punishment"],
    )
    response = anon.get(url, {"category": "moral"})
    assert (response.status_code, response.json()["field"]) == (400, "category")
    assert anon.get(f"{url}{2**70}/").status_code == 404


# --- listings: who sees what ---------------------------------------------------------------------
def test_who_sees_a_proposal_and_a_listing_in_force(
    anon, samr_staff, tax_staff, entity, entity_user, punishment_rule
):
    listing = factories.proposal(by=samr_staff, entity=entity, rule=punishment_rule)
    other_user = registry_factories.entity_user(registry_factories.entity(by=samr_staff))
    detail = f"{LISTINGS}{listing.pk}/"
    # A proposal: the recognising department and the entity only.
    assert ids(session(samr_staff).get(LISTINGS)) == [listing.pk]
    assert ids(session(entity_user).get(LISTINGS)) == [listing.pk]
    for client in (anon, session(tax_staff), session(other_user)):
        assert ids(client.get(LISTINGS)) == []
        assert client.get(detail).json()["code"] == "listing_not_found"

    services.listing_statement_record(actor=entity_user, listing_id=listing.pk, statement="申辩")
    services.listing_decide(actor=samr_staff, listing_id=listing.pk, list_entity=True)
    # In force: public, without the case file; departments and the entity see the case file.
    public = anon.get(detail).json()
    assert public["status"] == "listed" and public["bases"][0]["kind"] == "judicial"
    assert "statement" not in public and "decision_note" not in public
    assert ids(anon.get(LISTINGS)) == [listing.pk]
    for user in (tax_staff, entity_user):
        assert session(user).get(detail).json()["statement"] == "申辩"
        assert session(user).get(LISTINGS).json()["results"][0]["statement"] == "申辩"
    # Another entity's user reads the public part, like anyone.
    assert set(session(other_user).get(detail).json()) == set(public)
    assert session(other_user).get(LISTINGS).json()["results"] == [public]


def test_key_attention_listings_are_shared_between_departments_only(
    anon, samr, samr_staff, tax_staff, entity
):
    rule = factories.rule(samr, kind=ListKind.ATTENTION, code="ATTN")
    listing = factories.listed(by=samr_staff, entity=entity, rule=rule)
    assert ids(anon.get(LISTINGS)) == []
    assert anon.get(f"{LISTINGS}{listing.pk}/").status_code == 404
    assert ids(session(tax_staff).get(LISTINGS, {"kind": "attention"})) == [listing.pk]


def test_listing_filters_and_bad_filters(anon, samr_staff, entity, punishment_rule):
    listing = factories.listed(by=samr_staff, entity=entity, rule=punishment_rule)
    assert ids(anon.get(LISTINGS, {"uscc": entity.uscc.lower()})) == [listing.pk]
    assert ids(anon.get(LISTINGS, {"q": "华信"})) == [listing.pk]
    assert ids(anon.get(LISTINGS, {"q": "不存在"})) == []
    assert ids(anon.get(LISTINGS, {"rule": punishment_rule.code, "kind": "punishment"})) == [
        listing.pk
    ]
    for params, field in (({"uscc": "123"}, "uscc"), ({"status": "gone"}, "status")):
        response = anon.get(LISTINGS, params)
        assert (response.status_code, response.json()["field"]) == (400, field)


# --- listings: writes ----------------------------------------------------------------------------
def test_a_department_proposes_through_the_api(samr, entity, punishment_rule):
    client = token_client(samr)
    response = client.post(LISTINGS, propose_body(entity, punishment_rule), format="json")
    assert response.status_code == 201, response.content
    row = response.json()
    assert (row["status"], row["uscc"], row["department"]) == ("proposed", entity.uscc, samr.code)
    assert row["statement_due"] > TODAY().isoformat() and row["rule_version"] == 1
    assert Listing.objects.get().bases.get().document_number == "京市监罚〔2026〕88号"
    # The same again: one open listing per entity, list and department.
    refused(client, LISTINGS, propose_body(entity, punishment_rule), status=409)


@pytest.mark.parametrize(
    ("patch", "status", "code", "field"),
    [
        ({"uscc": "91110105XXXXXXXXX0"}, 400, "uscc_checksum", "uscc"),
        ({"bases": []}, 400, "basis_required", "bases"),
        ({"bases": [{"kind": "bribe", "document_number": "1", "title": "t"}]}, 400, "", "kind"),
        ({"bases": [{"kind": "reward", "document_number": "1", "title": "t"}]}, 400, "", "bases"),
        ({"facts": " "}, 400, "blank", "facts"),
        ({"bases": "all of them"}, 400, "", "bases"),
        ({"rule": "NO-SUCH-RULE"}, 404, "rule_not_found", None),
    ],
)
def test_bad_proposals_are_coded_and_write_nothing(
    samr_staff, entity, punishment_rule, patch, status, code, field
):
    body = propose_body(entity, punishment_rule, **patch)
    data = refused(session(samr_staff), LISTINGS, body, status=status, code=code)
    assert data.get("field") == field


def test_who_may_propose(anon, tax_staff, entity_user, entity, punishment_rule):
    body = propose_body(entity, punishment_rule)
    refused(anon, LISTINGS, body, status=401)
    refused(session(entity_user), LISTINGS, body, status=403)
    refused(session(tax_staff), LISTINGS, body, status=403, code="no_authority")
    admin = registry_factories.platform_admin()
    refused(session(admin), LISTINGS, body, status=403)


def test_the_entity_states_its_case_and_the_department_decides_after_it(
    anon, samr_staff, tax_staff, entity, entity_user, punishment_rule, measures, tax, court
):
    listing = factories.proposal(by=samr_staff, entity=entity, rule=punishment_rule)
    url = f"{LISTINGS}{listing.pk}/"
    other_user = registry_factories.entity_user(registry_factories.entity(by=samr_staff))
    # Not before the statement period is over or the entity has stated its case.
    refused(session(samr_staff), f"{url}decide/", {"list_entity": True}, status=409)
    refused(anon, f"{url}statement/", {"statement": "x"}, status=401)
    refused(session(other_user), f"{url}statement/", {"statement": "x"}, status=404)
    refused(session(tax_staff), f"{url}statement/", {"statement": "x"}, status=404)
    refused(session(entity_user), f"{url}statement/", {"statement": " "}, status=400)
    refused(session(entity_user), f"{url}statement/", {"statement": "x" * 5001}, status=400)
    response = session(entity_user).post(f"{url}statement/", {"statement": "已整改完毕"})
    assert response.status_code == 200, response.content
    assert response.json()["statement_at"]

    # The entity cannot decide on itself; rejecting needs a reason; a bad body is a 400.
    refused(session(entity_user), f"{url}decide/", {"list_entity": True}, status=403)
    refused(session(samr_staff), f"{url}decide/", {"list_entity": False}, status=409)
    refused(session(samr_staff), f"{url}decide/", {"list_entity": "maybe"}, status=400)
    response = session(samr_staff).post(f"{url}decide/", {"list_entity": True}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "listed" and response.json()["listed_until"]
    assert {t.department_id for t in MeasureTask.objects.filter(listing=listing)} == {
        tax.pk,
        court.pk,
    }
    # Decided: no more statements; another department sees it and may not change it.
    refused(session(entity_user), f"{url}statement/", {"statement": "补充"}, status=409)
    refused(
        session(tax_staff), f"{url}exit/", {"reason": "revoked"}, status=403, code="not_recognising"
    )


def test_an_objection_suspends_resumes_and_a_revoked_basis_removes(
    anon, samr_staff, entity, punishment_rule, measures
):
    listing = factories.listed(by=samr_staff, entity=entity, rule=punishment_rule)
    url = f"{LISTINGS}{listing.pk}/"
    staff = session(samr_staff)
    refused(staff, f"{url}suspend/", {}, status=400)
    refused(anon, f"{url}suspend/", {"reason": "异议"}, status=401)
    assert staff.post(f"{url}suspend/", {"reason": "异议受理"}).status_code == 200
    assert anon.get(url).json()["under_objection"] is True
    refused(staff, f"{url}exit/", {"reason": "restoration"}, status=409)
    refused(staff, f"{url}exit/", {"reason": "forgiven"}, status=400, code="invalid_choice")
    assert staff.post(f"{url}resume/", {"note": "异议不成立"}).json()["status"] == "listed"
    refused(staff, f"{url}exit/", {"reason": "expiry"}, status=409)  # the period runs on
    response = staff.post(f"{url}exit/", {"reason": "revoked", "note": "处罚决定被撤销"})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["exit_reason"]) == ("exited", "revoked")
    assert not MeasureTask.objects.filter(listing=listing, status="open").exists()
    assert anon.get(url).status_code == 404  # removed: no longer shown
    # Repeating the exit changes nothing.
    before = snapshot()
    assert staff.post(f"{url}exit/", {"reason": "revoked"}).status_code == 200
    assert snapshot() == before


@pytest.mark.parametrize(
    ("act", "body"),
    [
        ("statement", {"statement": "补充陈述"}),
        ("decide", {"list_entity": True}),
        ("suspend", {"reason": "异议受理"}),
        ("resume", {"note": "异议不成立"}),
        ("exit", {"reason": "revoked"}),
    ],
)
def test_only_the_recognising_department_acts_on_its_listings(
    act, body, anon, samr_staff, tax_staff, entity, punishment_rule
):
    listing = factories.listed(by=samr_staff, entity=entity, rule=punishment_rule)
    other = registry_factories.entity(by=samr_staff)
    proposal = factories.proposal(by=samr_staff, entity=other, rule=punishment_rule)
    other_user = registry_factories.entity_user(other)
    url = f"{LISTINGS}{listing.pk}/{act}/"
    refused(anon, url, body, status=401)
    # A listing in force is public: visible, so the refusal is the service's 403.
    refused(session(tax_staff), url, body, status=403, code="not_recognising")
    refused(session(other_user), url, body, status=403)
    # Another department's proposal and an unknown id are hidden alike.
    refused(session(tax_staff), f"{LISTINGS}{proposal.pk}/{act}/", body, status=404)
    refused(session(samr_staff), f"{LISTINGS}{2**70}/{act}/", body, status=404)


# --- measure tasks -------------------------------------------------------------------------------
@pytest.fixture
def listed(samr_staff, entity, punishment_rule, measures):
    return factories.listed(by=samr_staff, entity=entity, rule=punishment_rule)


def test_who_sees_which_task(anon, samr_staff, tax_staff, court_staff, entity_user, tax, listed):
    tax_task = MeasureTask.objects.get(listing=listed, department=tax)
    both = set(MeasureTask.objects.filter(listing=listed).values_list("pk", flat=True))
    assert anon.get(TASKS).status_code == 401
    assert session(entity_user).get(TASKS).status_code == 403
    assert ids(session(tax_staff).get(TASKS)) == [tax_task.pk]
    assert set(ids(session(samr_staff).get(TASKS))) == both  # the initiator follows them all
    assert ids(session(samr_staff).get(TASKS, {"side": "implementing"})) == []
    assert set(ids(session(samr_staff).get(TASKS, {"side": "initiating"}))) == both
    assert session(court_staff).get(f"{TASKS}{tax_task.pk}/").status_code == 404
    row = session(tax_staff).get(f"{TASKS}{tax_task.pk}/").json()
    assert [i["measure_code"] for i in row["items"]] == ["TAX-1", "TAX-2"]
    assert (row["initiating_department"], row["overdue"]) == ("SAMR-110000", False)
    assert session(tax_staff).get(TASKS, {"side": "both"}).status_code == 400


def test_feedback_is_complete_or_refused_and_only_by_the_implementer(
    anon, samr_staff, tax_staff, court_staff, tax, listed, measures
):
    task = MeasureTask.objects.get(listing=listed, department=tax)
    url = f"{TASKS}{task.pk}/feedback/"
    tax1, tax2 = measures["tax1"].pk, measures["tax2"].pk

    def body(*rows):
        return {"outcomes": [{"measure": m, "outcome": o, "reason": r} for m, o, r in rows]}

    good = body((tax1, "applied", ""), (tax2, "not_applied", "本年度无采购项目"))
    refused(anon, url, good, status=401)
    refused(session(court_staff), url, good, status=404)
    refused(session(samr_staff), url, good, status=403, code="not_implementing")
    staff = session(tax_staff)
    refused(staff, url, body((tax1, "not_applied", "理由"), (tax2, "applied", "")), status=409)
    refused(staff, url, body((tax1, "applied", ""), (tax2, "not_applied", "")), status=409)
    refused(staff, url, body((tax1, "applied", "")), status=409)
    refused(staff, url, body((tax1, "applied", ""), (tax1, "applied", "")), status=400)
    refused(staff, url, body((tax1, "done", "")), status=400, code="invalid_choice")
    refused(staff, url, {"outcomes": [{"measure": 2**70, "outcome": "applied"}]}, status=400)
    refused(staff, f"{TASKS}{task.pk}/lift/", status=409)  # nothing to lift yet
    response = staff.post(url, good, format="json")
    assert response.status_code == 200, response.content
    row = response.json()
    assert row["status"] == "fed_back"
    assert [i["outcome"] for i in row["items"]] == ["applied", "not_applied"]

    services.listing_exit(actor=samr_staff, listing_id=listed.pk, reason="restoration")
    refused(session(samr_staff), f"{TASKS}{task.pk}/lift/", status=403)
    response = staff.post(f"{TASKS}{task.pk}/lift/")
    assert response.status_code == 200 and response.json()["status"] == "lifted"


def test_task_statistics_are_public_and_per_initiator_for_departments(
    anon, samr_staff, tax_staff, listed, tax
):
    response = anon.get(f"{API}measure-statistics/")
    assert response.status_code == 200
    rows = {r["department"]: r for r in response.json()["results"]}
    assert rows[tax.name]["total"] == 1 and rows[tax.name]["coverage"] == 0.0
    assert anon.get(f"{API}measure-statistics/", {"initiated": "true"}).status_code == 401
    mine = session(samr_staff).get(f"{API}measure-statistics/", {"initiated": "true"}).json()
    assert len(mine["results"]) == 2
    theirs = session(tax_staff).get(f"{API}measure-statistics/", {"initiated": "true"}).json()
    assert theirs["results"] == []
    response = anon.get(f"{API}measure-statistics/", {"initiated": "sometimes"})
    assert (response.status_code, response.json()["field"]) == (400, "initiated")


# --- rectification and interviews ----------------------------------------------------------------
def order_body(entity, **patch) -> dict:
    return {
        "uscc": entity.uscc,
        "requirement": "补报年度报告",
        "deadline": (TODAY() + DAY).isoformat(),
        **patch,
    }


def test_rectification_orders_are_the_ordering_departments(
    anon, samr, samr_staff, tax, tax_staff, entity, entity_user
):
    refused(anon, ORDERS, order_body(entity), status=401)
    refused(session(entity_user), ORDERS, order_body(entity), status=403)
    assert anon.get(ORDERS).status_code == 401
    # An entity user reads the orders addressed to its entity (none yet), never writes.
    assert ids(session(entity_user).get(ORDERS)) == []
    staff = session(samr_staff)
    refused(staff, ORDERS, order_body(entity, deadline=TODAY().isoformat()), status=400)
    refused(staff, ORDERS, order_body(entity, deadline="tomorrow"), status=400)
    refused(staff, ORDERS, order_body(entity, listing=999999), status=404)
    tax_listing = factories.listed(by=tax_staff, entity=entity, rule=factories.rule(tax))
    refused(staff, ORDERS, order_body(entity, listing=tax_listing.pk), status=403)

    response = token_client(samr).post(ORDERS, order_body(entity), format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["status"] == "ordered"
    assert ids(staff.get(ORDERS)) == [pk]
    assert ids(session(tax_staff).get(ORDERS)) == []
    refused(session(tax_staff), f"{ORDERS}{pk}/complete/", status=404)
    response = staff.post(f"{ORDERS}{pk}/complete/", {"note": "已补报"})
    assert response.status_code == 200 and response.json()["status"] == "rectified"
    assert ids(staff.get(ORDERS, {"status": "ordered"})) == []


def test_a_missed_deadline_gives_an_interview_the_department_holds(
    anon, samr_staff, court_staff, entity, entity_user
):
    order = services.rectification_order(
        actor=samr_staff, uscc=entity.uscc, requirement="整改", deadline=TODAY() + DAY
    )
    services.rectifications_escalate(today=TODAY() + 2 * DAY)
    interview = Interview.objects.get(rectification=order)
    assert anon.get(INTERVIEWS).status_code == 401
    assert session(entity_user).get(INTERVIEWS).status_code == 403
    assert ids(session(court_staff).get(INTERVIEWS)) == []
    staff = session(samr_staff)
    assert ids(staff.get(INTERVIEWS, {"status": "due"})) == [interview.pk]
    row = staff.get(f"{ORDERS}{order.pk}/").json()
    assert row["status"] == "overdue" and row["interviews"][0]["kind"] == "reminder"

    url = f"{INTERVIEWS}{interview.pk}/hold/"
    hold = {"held_on": TODAY().isoformat(), "summary": "已告知整改要求"}
    refused(anon, url, hold, status=401)
    refused(session(court_staff), url, hold, status=404)
    refused(staff, url, hold, status=409)  # a reminder interview sets a new deadline
    refused(staff, url, {**hold, "held_on": (TODAY() + DAY).isoformat()}, status=409)
    refused(staff, url, {"held_on": TODAY().isoformat()}, status=400)
    new_deadline = (TODAY() + 10 * DAY).isoformat()
    response = staff.post(url, {**hold, "new_deadline": new_deadline}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "held" and response.json()["record"]
    order.refresh_from_db()
    assert (order.status, order.deadline.isoformat()) == ("reminded", new_deadline)


# --- access bans and personal liability ----------------------------------------------------------
def ban_body(entity, **patch) -> dict:
    return {
        "uscc": entity.uscc,
        "field": "food_drugs",
        "starts": TODAY().isoformat(),
        "ends": None,
        "reason": "生产销售假药",
        "legal_basis": "药品管理法第一百一十八条",
        **patch,
    }


def test_bans_in_force_are_public_with_persons_masked(
    anon, samr_staff, tax_staff, entity, legal_rep
):
    response = session(samr_staff).post(BANS, ban_body(entity), format="json")
    assert response.status_code == 201, response.content
    ban = response.json()
    assert ban["lifelong"] and ban["in_force"]
    future = session(samr_staff).post(
        BANS, ban_body(entity, field="ecology", starts=(TODAY() + DAY).isoformat()), format="json"
    )
    assert future.status_code == 201 and not future.json()["in_force"]

    public = anon.get(BANS)
    assert ids(public) == [ban["id"]]  # the one not yet begun is the department's only
    assert public.json()["results"][0]["persons"] == [
        {
            "role": "legal_representative",
            "name": "张三",
            "id_number_masked": legal_rep.id_number_masked,
        }
    ]
    for needle in (ID_NUMBER, ID_NUMBER[6:14]):
        assert needle.encode() not in public.content
    assert set(ids(session(samr_staff).get(BANS))) == {ban["id"], future.json()["id"]}
    assert ids(session(tax_staff).get(BANS, {"field": "ecology"})) == []
    assert anon.get(f"{BANS}{future.json()['id']}/").status_code == 404
    assert ids(anon.get(BANS, {"uscc": entity.uscc, "lifelong": "true"})) == [ban["id"]]


def test_imposing_and_lifting_a_ban(anon, samr_staff, tax_staff, entity, entity_user):
    refused(anon, BANS, ban_body(entity), status=401)
    refused(session(entity_user), BANS, ban_body(entity), status=403)
    staff = session(samr_staff)
    refused(staff, BANS, ban_body(entity, field="casino"), status=400, code="invalid_choice")
    refused(
        staff,
        BANS,
        ban_body(entity, ends=(TODAY() - DAY).isoformat()),
        status=400,
    )
    refused(staff, BANS, ban_body(entity, reason=""), status=400)
    pk = staff.post(BANS, ban_body(entity), format="json").json()["id"]
    url = f"{BANS}{pk}/lift/"
    refused(anon, url, {"reason": "期满"}, status=401)
    refused(session(tax_staff), url, {"reason": "期满"}, status=403)  # public, not theirs
    refused(staff, url, {"reason": ""}, status=400)
    response = staff.post(url, {"reason": "行政复议撤销"})
    assert response.status_code == 200 and response.json()["lifted_at"]
    assert ids(anon.get(BANS)) == []
    assert staff.get(f"{BANS}{pk}/").json()["in_force"] is False


def test_appointment_warnings_are_the_registering_departments(
    anon, samr_staff, tax_staff, entity, legal_rep
):
    services.access_ban_impose(
        actor=samr_staff,
        uscc=entity.uscc,
        field="food_drugs",
        starts=TODAY(),
        ends=None,
        reason="违法",
        legal_basis="食品安全法",
    )
    other = registry_factories.entity(by=samr_staff)
    registry_services.entity_role_assign(
        actor=samr_staff, uscc=other.uscc, person=legal_rep, kind="legal_representative"
    )
    services.liability_warnings_scan()
    warning = LiabilityWarning.objects.get()
    assert anon.get(WARNINGS).status_code == 401
    assert ids(session(tax_staff).get(WARNINGS)) == []
    staff = session(samr_staff)
    row = staff.get(f"{WARNINGS}{warning.pk}/").json()
    assert (row["uscc"], row["person_name"], row["role"]) == (
        other.uscc,
        "张三",
        "legal_representative",
    )
    assert ID_NUMBER not in json.dumps(row)
    url = f"{WARNINGS}{warning.pk}/resolve/"
    refused(session(tax_staff), url, {"note": "已处理"}, status=404)
    refused(staff, url, {"note": ""}, status=400)
    assert staff.post(url, {"note": "已责令变更法定代表人"}).json()["resolved_at"]
    assert ids(staff.get(WARNINGS, {"resolved": "false"})) == []
    assert ids(staff.get(WARNINGS, {"resolved": "true"})) == [warning.pk]


def test_authority_notices_are_for_the_notified_department(
    anon, samr_staff, tax_staff, punishment_rule
):
    soe = registry_factories.entity(by=samr_staff, state_owned=True)
    listing = factories.listed(by=samr_staff, entity=soe, rule=punishment_rule)
    url = f"{API}authority-notices/"
    assert anon.get(url).status_code == 401
    assert ids(session(tax_staff).get(url)) == []
    rows = session(samr_staff).get(url).json()["results"]
    assert [(r["listing"], r["recipient"]) for r in rows] == [(listing.pk, "higher_authority")]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "measure-tasks/"),
        ("get", "measure-tasks/1/"),
        ("post", "measure-tasks/1/feedback/"),
        ("post", "measure-tasks/1/lift/"),
        ("post", "rectifications/"),  # reads: also the entity's own (test_entity_orders)
        ("post", "rectifications/1/complete/"),
        ("get", "interviews/"),
        ("post", "interviews/1/hold/"),
        ("get", "liability-warnings/"),
        ("post", "liability-warnings/1/resolve/"),
        ("get", "authority-notices/"),
        ("post", "may-receive/"),
    ],
)
def test_department_endpoints_refuse_everyone_else(method, path, anon, entity_user):
    """Anonymous callers 401; entity users and platform administrators 403: nothing written."""
    admin = registry_factories.platform_admin()
    for client, status in ((anon, 401), (session(entity_user), 403), (session(admin), 403)):
        before = snapshot()
        response = getattr(client, method)(f"{API}{path}", {}, format="json")
        assert response.status_code == status, (path, response.content)
        assert snapshot() == before


# --- "may receive" -------------------------------------------------------------------------------
def test_may_receive_answers_departments_and_logs_the_purpose(
    anon, samr, samr_staff, entity, entity_user, legal_rep, listed, measures
):
    body = {"measure": "TAX-1", "uscc": entity.uscc, "purpose": "政府采购资格审查"}
    logs = AccessLog.objects.count()
    assert anon.post(MAY, body, format="json").status_code == 401
    assert session(entity_user).post(MAY, body, format="json").status_code == 403
    admin = registry_factories.platform_admin()
    assert session(admin).post(MAY, body, format="json").status_code == 403
    assert AccessLog.objects.count() == logs

    response = token_client(samr).post(MAY, body, format="json")
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["allowed"] is False and [row["id"] for row in answer["listings"]] == [listed.pk]
    assert answer["measure"]["code"] == "TAX-1" and "/" in answer["reasons"][0]
    log = AccessLog.objects.order_by("-pk").first()
    assert (log.uscc, log.purpose) == (entity.uscc, "政府采购资格审查")

    # A person, by ID number: refused by the mark; the number is never echoed.
    response = session(samr_staff).post(MAY, {"measure": "TAX-1", "id_number": ID_NUMBER})
    assert response.status_code == 200, response.content
    assert response.json()["allowed"] is False
    assert response.json()["marks"] == [{"listing": listed.pk, "role": "legal_representative"}]
    assert ID_NUMBER.encode() not in response.content

    # Suspended by an objection: the measures do not refuse, and the answer says why.
    services.listing_suspend(actor=samr_staff, listing_id=listed.pk, reason="异议受理")
    answer = session(samr_staff).post(MAY, body, format="json").json()
    assert answer["allowed"] is True and [r["id"] for r in answer["suspended"]] == [listed.pk]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"measure": "NOPE", "uscc": "ENTITY"}, 404, "measure_not_found"),
        ({"measure": "TAX-1"}, 400, "subject_required"),
        ({"measure": "TAX-1", "uscc": "ENTITY", "id_number": ID_NUMBER}, 400, "subject_required"),
        ({"measure": "TAX-1", "id_number": "110105194912310021"}, 400, "invalid_id_number"),
        ({"measure": "TAX-1", "uscc": "123"}, 400, "uscc_length"),
        ({"uscc": "ENTITY"}, 400, "required"),
    ],
)
def test_may_receive_bad_input_is_a_coded_error(samr_staff, entity, measures, body, status, code):
    body = {k: (entity.uscc if v == "ENTITY" else v) for k, v in body.items()}
    logs = AccessLog.objects.count()
    response = session(samr_staff).post(MAY, body, format="json")
    assert (response.status_code, response.json()["code"]) == (status, code), response.content
    if code != "required":  # the services' own messages are bilingual
        assert "/" in response.json()["detail"]
    assert AccessLog.objects.count() == logs


def test_may_receive_an_incentive_needs_a_red_listing(samr, samr_staff, tax, entity):
    factories.measure(tax, code="GREEN", kinds=[ListKind.RED])
    client = session(samr_staff)
    answer = client.post(MAY, {"measure": "GREEN", "uscc": entity.uscc}).json()
    assert answer["allowed"] is False and answer["red_listing"] is None
    red = factories.listed(
        by=samr_staff, entity=entity, rule=factories.rule(samr, kind=ListKind.RED, code="RED")
    )
    answer = client.post(MAY, {"measure": "GREEN", "uscc": entity.uscc}).json()
    assert answer["allowed"] is True and answer["red_listing"]["id"] == red.pk


# --- schema and query counts ---------------------------------------------------------------------
def test_schema_documents_the_discipline_endpoints(anon):
    response = anon.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = json.loads(response.content)["paths"]
    for path in (
        "/api/v1/list-rules/",
        "/api/v1/measures/{id}/",
        "/api/v1/listings/",
        "/api/v1/listings/{id}/decide/",
        "/api/v1/listings/{id}/exit/",
        "/api/v1/measure-tasks/{id}/feedback/",
        "/api/v1/measure-statistics/",
        "/api/v1/rectifications/{id}/complete/",
        "/api/v1/interviews/{id}/hold/",
        "/api/v1/access-bans/{id}/lift/",
        "/api/v1/liability-warnings/{id}/resolve/",
        "/api/v1/authority-notices/",
        "/api/v1/may-receive/",
    ):
        assert path in paths, path
    assert set(paths["/api/v1/listings/"]) >= {"get", "post"}
    assert "post" in paths["/api/v1/may-receive/"] and "get" not in paths["/api/v1/may-receive/"]
    params = {p["name"] for p in paths["/api/v1/listings/"]["get"]["parameters"]}
    assert {"uscc", "kind", "status", "department", "rule", "q", "page"} <= params


@pytest.mark.parametrize("who", ["anonymous", "staff"])
def test_list_query_counts_do_not_grow_with_rows(
    who, anon, samr, samr_staff, tax_staff, punishment_rule, measures, legal_rep,
    django_assert_max_num_queries,
):  # fmt: skip
    for _ in range(22):
        ent = registry_factories.entity(by=samr_staff)
        factories.listed(by=samr_staff, entity=ent, rule=punishment_rule)
        services.access_ban_impose(
            actor=samr_staff,
            uscc=ent.uscc,
            field="food_drugs",
            starts=TODAY(),
            ends=None,
            reason="违法",
            legal_basis="食品安全法",
        )
    client = anon if who == "anonymous" else session(tax_staff)
    for url, most in ((LISTINGS, 7), (BANS, 8), (f"{API}measures/", 5)):
        with django_assert_max_num_queries(most):
            response = client.get(url)
        assert response.status_code == 200 and response.json()["results"], url
    if who == "staff":
        with django_assert_max_num_queries(8):
            assert len(ids(client.get(TASKS))) == 20
