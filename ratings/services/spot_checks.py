"""Double-random spot checks (35/7): plans, the recorded and replayable draw, and results that
become decisions published under the 7-working-day rule."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credit_portal.audit.services import audit_event_record
from credit_portal.errors import Conflict, DomainError, NotFound, PermissionDenied
from registry.models import DepartmentMembership
from registry.services import decision_publish, decision_record, regulator_required

from .. import spotcheck
from ..models import SpotCheck, SpotCheckPlan
from .tiers import tier_ratios


@transaction.atomic
def plan_create(
    *,
    actor,
    title: str,
    items: str,
    period_start: datetime.date,
    period_end: datetime.date,
    inspector_ids: Iterable[int],
    region_prefix: str = "",
    industry_prefix: str = "",
    per_check: int = 2,
    conflict_days: int = 365,
) -> SpotCheckPlan:
    """A department's spot-check plan with its pool of inspectors (department staff)."""
    viewer = regulator_required(actor)
    if not (title or "").strip() or not (items or "").strip():
        raise DomainError(
            _("请填写计划名称和检查事项。/ Enter the title and the inspection items."),
            field="title",
        )
    if period_start is None or period_end is None or period_end < period_start:
        raise DomainError(
            _("检查期间无效。/ The period is invalid."), code="invalid_period", field="period_end"
        )
    region_prefix, industry_prefix = (region_prefix or "").strip(), (industry_prefix or "").strip()
    if region_prefix and not (region_prefix.isdigit() and len(region_prefix) <= 6):
        raise DomainError(
            _("区划代码前缀为至多6位数字。/ A region prefix has up to 6 digits."),
            code="invalid_region",
            field="region_prefix",
        )
    if industry_prefix and not (industry_prefix.isascii() and industry_prefix.isalnum()):
        raise DomainError(
            _("行业代码前缀无效。/ The industry prefix is invalid."),
            code="invalid_industry",
            field="industry_prefix",
        )
    if not 1 <= int(per_check) <= 5:
        raise DomainError(
            _("每户检查人员为1至5人。/ One to five inspectors a check."),
            code="invalid_per_check",
            field="per_check",
        )
    ids = sorted({int(i) for i in inspector_ids})
    members = set(
        DepartmentMembership.objects.filter(user_id__in=ids).values_list("user_id", flat=True)
    )
    if not ids or members != set(ids):
        raise DomainError(
            _("检查人员须为部门工作人员。/ Inspectors are department staff."),
            code="invalid_inspectors",
            field="inspectors",
        )
    if len(ids) < int(per_check):
        raise DomainError(
            _("检查人员库人数少于每户检查人员数。/ The pool is smaller than a check's team."),
            code="pool_too_small",
            field="inspectors",
        )
    plan = SpotCheckPlan.objects.create(
        department=viewer.department,
        title=title.strip(),
        items=items.strip(),
        period_start=period_start,
        period_end=period_end,
        region_prefix=region_prefix,
        industry_prefix=industry_prefix,
        per_check=int(per_check),
        conflict_days=int(conflict_days),
    )
    plan.inspectors.set(ids)
    audit_event_record(
        actor=actor,
        action="spot_check_plan.create",
        target=plan,
        department_code=viewer.department_code,
        after={"title": plan.title, "inspectors": len(ids)},
    )
    return plan


def _draw_inputs(plan: SpotCheckPlan, now: datetime.datetime) -> dict:
    """What the draw is computed from, read once and stored with the plan: the population
    by tier (red-listed entities in tier A, ungraded ones in B), the pool with departments,
    recent checks of the pool's inspectors, and the tiers' ratios."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT CASE WHEN st.red_listed THEN 'A'
                        ELSE COALESCE(NULLIF(st.grade, ''), 'B') END AS tier,
                   e.uscc, e.registration_authority_id
            FROM registry_marketentity e
            LEFT JOIN registry_entitystanding st ON st.entity_id = e.uscc
            WHERE e.status = 'active' AND e.region LIKE %(region)s AND e.industry LIKE %(industry)s
            ORDER BY 1, 2
            """,
            {"region": plan.region_prefix + "%", "industry": plan.industry_prefix + "%"},
        )
        population: dict[str, list] = {}
        for tier, uscc, authority in cursor.fetchall():
            population.setdefault(tier, []).append([uscc, authority])
    inspectors = sorted(
        DepartmentMembership.objects.filter(user__in=plan.inspectors.all()).values_list(
            "user_id", "department_id"
        )
    )
    since = now - datetime.timedelta(days=plan.conflict_days)
    recent = sorted(
        SpotCheck.inspectors.through.objects.filter(
            user_id__in=[i for i, _d in inspectors], spotcheck__plan__drawn_at__gte=since
        ).values_list("spotcheck__entity_id", "user_id")
    )
    return {
        "population": population,
        "inspectors": [list(i) for i in inspectors],
        "recent": [list(r) for r in recent],
        "ratios": {g: str(r) for g, r in tier_ratios().items()},
        "per_check": plan.per_check,
    }


@transaction.atomic
def plan_draw(*, actor, plan_id: int) -> SpotCheckPlan:
    """Draw the targets and their inspectors (once): a fresh random seed, stored with the
    inputs, so that anyone can replay the draw (``selectors.draw_replay``)."""
    viewer = regulator_required(actor)
    try:
        plan = SpotCheckPlan.objects.select_for_update().get(pk=int(plan_id))
    except (SpotCheckPlan.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("抽查计划不存在。/ No such plan."), code="plan_not_found") from None
    if plan.department_id != viewer.department.pk:
        raise PermissionDenied(_("该计划属于其他部门。/ Another department's plan."))
    if plan.status != SpotCheckPlan.Status.DRAFT:
        raise Conflict(_("该计划已抽取。/ The plan has been drawn already."), code="plan_drawn")
    now = timezone.now()
    inputs = _draw_inputs(plan, now)
    seed = secrets.token_hex(16)
    drawn = spotcheck.draw_from_inputs(inputs, seed)
    checks = SpotCheck.objects.bulk_create(
        SpotCheck(plan=plan, entity_id=d.uscc, tier=d.tier) for d in drawn
    )
    SpotCheck.inspectors.through.objects.bulk_create(
        SpotCheck.inspectors.through(spotcheck_id=check.pk, user_id=user)
        for check, d in zip(checks, drawn, strict=True)
        for user in d.inspectors
    )
    plan.status, plan.seed, plan.draw_inputs, plan.drawn_at = (
        SpotCheckPlan.Status.DRAWN,
        seed,
        inputs,
        now,
    )
    plan.save(update_fields=["status", "seed", "draw_inputs", "drawn_at"])
    audit_event_record(
        actor=actor,
        action="spot_check_plan.draw",
        target=plan,
        department_code=viewer.department_code,
        after={
            "seed": seed,
            "targets": len(drawn),
            "unassigned": sum(1 for d in drawn if not d.inspectors),
        },
    )
    return plan


RESULT_TITLES = {
    SpotCheck.Result.NO_PROBLEM: "双随机抽查：未发现问题",
    SpotCheck.Result.PROBLEMS: "双随机抽查：发现问题",
    SpotCheck.Result.NOT_LOCATED: "双随机抽查：通过登记的住所无法联系",
}


@transaction.atomic
def check_result_record(*, actor, check_id: int, result: str, note: str = "") -> SpotCheck:
    """An assigned inspector records the result; it becomes an inspection decision of the
    plan's department, published at once (well within the 7 working days, 35/15)."""
    viewer = regulator_required(actor)
    try:
        check = (
            SpotCheck.objects.select_for_update(of=("self",))
            .select_related("plan")
            .get(pk=int(check_id))
        )
    except (SpotCheck.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("抽查任务不存在。/ No such check."), code="check_not_found") from None
    if not check.inspectors.filter(pk=actor.pk).exists():
        raise PermissionDenied(
            _("只有被抽中的检查人员可以录入结果。/ Only the drawn inspectors record the result.")
        )
    if result not in SpotCheck.Result.values:
        raise DomainError(
            _("检查结果无效。/ Unknown result."), code="invalid_result", field="result"
        )
    if check.result:
        raise Conflict(_("检查结果已录入。/ The result is recorded already."), code="result_exists")
    decision = decision_record(
        actor=actor,
        uscc=check.entity_id,
        kind="inspection",
        document_number=f"SC-{check.plan_id}-{check.pk}",
        decision_date=timezone.localdate(),
        title=f"{check.plan.title}：{RESULT_TITLES[result]}",
        content=f"{check.plan.items}\n{note}".strip(),
    )
    decision_publish(actor=actor, decision_id=decision.pk)
    check.result, check.note, check.recorded_at, check.decision = (
        result,
        note.strip(),
        timezone.now(),
        decision,
    )
    check.save(update_fields=["result", "note", "recorded_at", "decision"])
    audit_event_record(
        actor=actor,
        action="spot_check.result",
        target=check,
        department_code=viewer.department_code,
        after={"result": result, "decision": decision.pk},
    )
    return check
