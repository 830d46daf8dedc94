"""Double random, one public (35/7): the draw is reproducible from its seed, takes each
tier's ratio of its entities (rounded half up), never assigns a conflicted inspector; a plan
is drawn once, and an assigned inspector's result is published as an inspection decision."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credit_portal.errors import Conflict, DomainError, PermissionDenied
from ratings import selectors, services, spotcheck
from ratings.models import SpotCheck
from registry import services as registry_services
from registry.models import Decision
from registry.tests import factories

TIERS = spotcheck.TIERS


@st.composite
def draw_inputs(draw):
    departments = draw(st.integers(min_value=1, max_value=4))
    inspectors = draw(
        st.lists(
            st.tuples(st.integers(1, 40), st.integers(1, departments)),
            min_size=0,
            max_size=12,
            unique_by=lambda i: i[0],
        )
    )
    population = {}
    serial = 0
    for tier in TIERS:
        size = draw(st.integers(min_value=0, max_value=40))
        members = []
        for _ in range(size):
            serial += 1
            members.append(
                (f"E{serial:05d}", draw(st.one_of(st.none(), st.integers(1, departments))))
            )
        population[tier] = members
    everyone = [u for members in population.values() for u, _a in members]
    recent = draw(
        st.lists(
            st.tuples(
                st.sampled_from(everyone or ["-"]),
                st.sampled_from([i for i, _d in inspectors] or [0]),
            ),
            max_size=20,
        )
    )
    ratios = {t: Decimal(draw(st.integers(min_value=0, max_value=100))) / 100 for t in TIERS}
    per_check = draw(st.integers(min_value=1, max_value=3))
    seed = draw(st.text(alphabet="0123456789abcdef", min_size=1, max_size=32))
    return {
        "seed": seed,
        "population": population,
        "ratios": ratios,
        "inspectors": inspectors,
        "recent": recent,
        "per_check": per_check,
    }


@settings(max_examples=300, deadline=None)
@given(draw_inputs())
def test_the_draw_is_reproducible_respects_ratios_and_never_assigns_a_conflict(inputs):
    first = spotcheck.draw(**inputs)
    assert first == spotcheck.draw(**inputs)  # replayed from the seed
    authority = {u: a for members in inputs["population"].values() for u, a in members}
    department = dict(inputs["inspectors"])
    recent = set(inputs["recent"])
    for tier in TIERS:
        drawn = [d for d in first if d.tier == tier]
        size = len(inputs["population"][tier])
        expected = spotcheck.target_count(size, inputs["ratios"][tier])
        assert len(drawn) == min(size, expected)
        assert abs(len(drawn) - size * inputs["ratios"][tier]) <= Decimal("0.5")
        assert len({d.uscc for d in drawn}) == len(drawn)
        assert {d.uscc for d in drawn} <= {u for u, _a in inputs["population"][tier]}
    for d in first:
        assert len(d.inspectors) in (0, inputs["per_check"])
        assert len(set(d.inspectors)) == len(d.inspectors)
        for user in d.inspectors:
            assert authority[d.uscc] is None or department[user] != authority[d.uscc]
            assert (d.uscc, user) not in recent
        if not d.inspectors:  # left unassigned only when too few are free of conflict
            free = [
                u for u, dep in inputs["inspectors"]
                if (authority[d.uscc] is None or dep != authority[d.uscc])
                and (d.uscc, u) not in recent
            ]  # fmt: skip
            assert len(free) < inputs["per_check"]


def test_another_seed_draws_differently():
    population = {"B": [(f"E{i:04d}", None) for i in range(200)]}
    args = dict(population=population, ratios={"B": Decimal("0.1")}, inspectors=[(1, 1), (2, 1)],
                recent=[], per_check=2)  # fmt: skip
    assert spotcheck.draw(seed="a", **args) != spotcheck.draw(seed="b", **args)


# --- plans, through the services ----------------------------------------------------------------
@pytest.fixture
def pool(db, samr, tax):
    """Two tax inspectors and one market-regulation inspector."""
    return [factories.staff(tax), factories.staff(tax), factories.staff(samr)]


@pytest.mark.django_db
def test_a_plan_is_drawn_once_replayable_and_the_result_is_published(samr_staff, tax_staff, pool):
    entities = [factories.entity(by=samr_staff) for _ in range(40)]
    registry_services.standing_update(
        actor=samr_staff, uscc=entities[0].uscc, reason="评价", grade="D"
    )
    admin = factories.platform_admin()
    services.tier_set(actor=admin, grade="D", ratio="1")
    today = datetime.date.today()
    plan = services.plan_create(
        actor=tax_staff,
        title="2026年度纳税申报双随机抽查",
        items="纳税申报情况",
        period_start=today,
        period_end=today + datetime.timedelta(days=30),
        inspector_ids=[u.pk for u in pool],
        per_check=2,
    )
    plan = services.plan_draw(actor=tax_staff, plan_id=plan.pk)
    checks = list(SpotCheck.objects.filter(plan=plan).prefetch_related("inspectors"))
    by_tier = {}
    for check in checks:
        by_tier.setdefault(check.tier, []).append(check)
    assert [c.entity_id for c in by_tier["D"]] == [entities[0].uscc]  # ratio 1: always drawn
    assert len(by_tier["B"]) == 2  # 39 ungraded entities in tier B at 5 %: 1.95 -> 2
    samr_inspector = pool[2]
    for check in checks:  # SAMR registered them all: its inspector is never drawn
        assert samr_inspector not in check.inspectors.all()
        assert len(check.inspectors.all()) == 2
    replay = selectors.draw_replay(plan)
    assert sorted((d.uscc, d.tier, d.inspectors) for d in replay) == sorted(
        (c.entity_id, c.tier, tuple(sorted(u.pk for u in c.inspectors.all()))) for c in checks
    )
    with pytest.raises(Conflict):
        services.plan_draw(actor=tax_staff, plan_id=plan.pk)

    check = checks[0]
    inspector = check.inspectors.all()[0]
    with pytest.raises(PermissionDenied):
        services.check_result_record(actor=samr_inspector, check_id=check.pk, result="no_problem")
    with pytest.raises(DomainError):
        services.check_result_record(actor=inspector, check_id=check.pk, result="maybe")
    services.check_result_record(
        actor=inspector, check_id=check.pk, result="problems", note="账簿不全"
    )
    check.refresh_from_db()
    decision = Decision.objects.get(pk=check.decision_id)
    assert decision.kind == "inspection" and decision.status == "published"
    assert "发现问题" in decision.title
    with pytest.raises(Conflict):
        services.check_result_record(actor=inspector, check_id=check.pk, result="no_problem")


@pytest.mark.django_db
def test_a_recent_inspector_of_the_entity_is_not_drawn_again(samr_staff, tax_staff, pool):
    entity = factories.entity(by=samr_staff)
    admin = factories.platform_admin()
    for grade in "DCB":  # ratios may not fall as grades fall: raise from D up
        services.tier_set(actor=admin, grade=grade, ratio="1")
    today = datetime.date.today()

    def plan_and_draw(per_check):
        plan = services.plan_create(
            actor=tax_staff, title="抽查", items="事项", period_start=today, period_end=today,
            inspector_ids=[u.pk for u in pool], per_check=per_check,
        )  # fmt: skip
        return services.plan_draw(actor=tax_staff, plan_id=plan.pk)

    first = SpotCheck.objects.get(plan=plan_and_draw(1), entity=entity)
    used = first.inspectors.get()
    second = SpotCheck.objects.get(plan=plan_and_draw(1), entity=entity)
    assert used not in second.inspectors.all() and second.inspectors.count() == 1
    third = SpotCheck.objects.get(plan=plan_and_draw(1), entity=entity)
    assert third.inspectors.count() == 0  # both tax inspectors checked it lately; SAMR conflicts


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"period_end": datetime.date(2000, 1, 1)}, "invalid_period"),
        ({"region_prefix": "11x"}, "invalid_region"),
        ({"per_check": 9}, "invalid_per_check"),
        ({"inspector_ids": []}, "invalid_inspectors"),
    ],
)
def test_a_bad_plan_is_refused(tax_staff, pool, changes, code):
    args = dict(title="抽查", items="事项", period_start=datetime.date.today(),
                period_end=datetime.date.today(), inspector_ids=[u.pk for u in pool])  # fmt: skip
    with pytest.raises(DomainError) as raised:
        services.plan_create(actor=tax_staff, **{**args, **changes})
    assert raised.value.code == code


@pytest.mark.django_db
def test_spot_checks_through_the_api(samr_staff, tax_staff, pool):
    from rest_framework.test import APIClient

    for _ in range(30):
        factories.entity(by=samr_staff)
    staff = APIClient()
    staff.force_login(tax_staff)
    today = datetime.date.today().isoformat()
    body = {"title": "抽查", "items": "事项", "period_start": today, "period_end": today,
            "inspectors": [u.pk for u in pool]}  # fmt: skip
    bad = staff.post(
        "/api/v1/spot-check-plans/", {**body, "period_end": "2000-01-01"}, format="json"
    )
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_period"
    created = staff.post("/api/v1/spot-check-plans/", body, format="json")
    assert created.status_code == 201, created.content
    plan_id = created.json()["id"]
    drawn = staff.post(f"/api/v1/spot-check-plans/{plan_id}/draw/")
    assert drawn.status_code == 200 and drawn.json()["status"] == "drawn"
    assert len(drawn.json()["seed"]) == 32
    assert staff.post(f"/api/v1/spot-check-plans/{plan_id}/draw/").status_code == 409
    checks = staff.get(f"/api/v1/spot-check-plans/{plan_id}/checks/").json()
    assert checks["replay_matches"] is True and len(checks["checks"]) == 2  # 30 x 5 % = 1.5 -> 2
    other = APIClient()
    other.force_login(samr_staff)
    assert other.get(f"/api/v1/spot-check-plans/{plan_id}/").status_code == 404
    first = checks["checks"][0]
    inspector = APIClient()
    inspector.force_login(next(u for u in pool if u.pk == first["inspectors"][0]))
    mine = inspector.get("/api/v1/spot-checks/").json()["results"]
    assert first["id"] in [c["id"] for c in mine]
    url = f"/api/v1/spot-checks/{first['id']}/result/"
    assert inspector.post(url, {"result": "x"}, format="json").status_code == 400
    done = inspector.post(url, {"result": "no_problem"}, format="json")
    assert done.status_code == 200 and done.json()["decision"]
    assert APIClient().get("/api/v1/spot-checks/").status_code in (401, 403)


@pytest.mark.django_db
def test_spot_checks_in_the_workbench(client, samr_staff, tax_staff, pool):
    from django.urls import reverse

    for _ in range(30):
        factories.entity(by=samr_staff)
    client.force_login(tax_staff)
    plans = reverse("ratings-workbench:plans")
    today = datetime.date.today().isoformat()
    post = {"title": "年度抽查", "items": "纳税申报", "period_start": today,
            "period_end": "2000-01-01", "per_check": "2",
            "inspectors": [u.pk for u in pool]}  # fmt: skip
    refused = client.post(plans, post)
    assert refused.status_code == 400 and "检查期间无效" in refused.content.decode()
    assert 'value="年度抽查"' in refused.content.decode()
    response = client.post(plans, {**post, "period_end": today})
    assert response.status_code == 302
    plan_url = response["Location"]
    draw = reverse("ratings-workbench:plan-draw", args=[plan_url.rstrip("/").split("/")[-1]])
    assert client.post(draw).status_code == 302
    html = client.get(plan_url).content.decode()
    assert "结果一致" in html and "抽中 2 户" in html
    check = SpotCheck.objects.first()
    inspector = check.inspectors.first()
    client.force_login(inspector)
    assert check.entity_id in client.get(plans).content.decode()  # waiting for my result
    result = reverse("ratings-workbench:check-result", args=[check.pk])
    assert client.post(result, {"result": "no_problem"}).status_code == 302
    check.refresh_from_db()
    assert check.result == "no_problem" and check.decision_id
