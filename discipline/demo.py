"""Demo lists and discipline, once: the discipline app's demo step (``credit_portal.demo_steps``,
registered in ``DisciplineConfig.ready``; ``manage.py demo_steps`` runs it).

Runs after ``seed_demo`` and ``demo_users`` (the run command calls them first) and after the
commitments' step. Everything goes through the services, so versions, tasks, marks, audit
events and the standing summary are real: published list rules (joint punishment, key
attention, red) and the measures list; listings of Beijing entities in every state (in force,
under objection, removed, a proposal still in its statement period, one of them against the
demo entity user's own entity so that it can state its case); measure tasks, some fed back;
rectification orders and an interview due; access bans. Deterministic for a seed; if any list
rule exists it changes nothing.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from credit_portal.demo_steps import Context
from discipline import services
from discipline.models import Listing, ListKind, ListRule, MeasureTask, MeasureTaskItem
from registry.models import Department, EntityAccount, EntityRole, MarketEntity
from registry.services import add_months, membership_set

REGION = "110000"

# code, kind, name, English name, bases, period (months), recognising department kinds
RULES = [
    (
        "SAMR-SERIOUS",
        ListKind.PUNISHMENT,
        "市场监督管理严重违法失信名单",
        "Serious illegal and dishonest entities (market regulation)",
        ["penalty", "compulsion"],
        36,
        ["SAMR"],
    ),
    (
        "COURT-DISHONEST",
        ListKind.PUNISHMENT,
        "失信被执行人名单",
        "Dishonest judgment debtors",
        ["judicial"],
        24,
        ["COURT"],
    ),
    (
        "TAX-MAJOR",
        ListKind.PUNISHMENT,
        "重大税收违法失信主体名单",
        "Major tax violations",
        ["penalty"],
        36,
        ["TAX"],
    ),
    (
        "SAMR-ATTENTION",
        ListKind.ATTENTION,
        "市场监督管理重点关注名单",
        "Key attention (market regulation)",
        ["penalty", "compulsion"],
        12,
        ["SAMR"],
    ),
    (
        "TAX-A",
        ListKind.RED,
        "纳税信用A级纳税人名单",
        "Grade-A taxpayers",
        ["reward"],
        12,
        ["TAX"],
    ),
    (
        "SAMR-CONTRACT",
        ListKind.RED,
        "守合同重信用企业名单",
        "Contract-abiding and trustworthy enterprises",
        ["reward"],
        24,
        ["SAMR"],
    ),
]
RULE_TEXT = {
    "standards": "依据生效的法律文书，认定违法行为性质恶劣、情节严重、社会危害较大的市场主体。",
    "procedure": "认定部门告知拟列入事由和依据，当事人可在5个工作日内陈述申辩；"
    "认定部门审查后作出决定并公示。",
    "objection_route": "对列入有异议的，可向认定部门或通过本网站“异议申诉”提出，"
    "核查期间暂停惩戒措施。",
    "exit_conditions": "惩戒期满自动移出；完成信用修复、异议成立或认定依据被撤销的，提前移出。",
    "legal_basis": "国办发〔2019〕35号；国发〔2016〕33号",
}
RED_TEXT = {
    "standards": "经认定部门表彰奖励，或连续三年无失信记录、诚实守信表现突出的市场主体。",
    "procedure": "认定部门依据表彰奖励决定提出名单，公示后列入。",
    "objection_route": "对名单有异议的，可向认定部门提出。",
    "exit_conditions": "期满移出；发生失信行为的，立即移出。",
    "legal_basis": "国发〔2016〕33号",
}
# code, name, English, category, mandatory, department kind, list kinds, access-ban field
MEASURES = [
    ("JC-001", "限制参与政府采购活动", "Barred from government procurement", "market", True,
     "SAMR", ["punishment"], ""),
    ("JC-002", "限制参与工程建设项目招标投标", "Barred from construction tendering", "market",
     True, "HURD", ["punishment"], "engineering"),
    ("JC-003", "限制领用增值税专用发票", "Limited VAT invoices", "administrative", True, "TAX",
     ["punishment"], ""),
    ("JC-004", "限制取得食品药品生产经营许可", "No food and drug licences", "administrative",
     True, "SAMR", ["punishment"], "food_drugs"),
    ("JC-005", "限制申报财政性资金项目", "No public funding", "administrative", False, "MEE",
     ["punishment"], ""),
    ("JC-006", "限制参加评先评优", "No honours or awards", "social", False, "HRSS",
     ["punishment"], ""),
    ("JC-007", "提高抽查比例和频次", "More spot checks", "administrative", True, "SAMR",
     ["punishment", "attention"], ""),
    ("JL-001", "绿色通道（优先办理、容缺受理）", "Green channel (fast track, missing materials)",
     "administrative", False, "SAMR", ["red"], ""),
    ("JL-002", "降低抽查比例和频次", "Fewer spot checks", "administrative", False, "SAMR",
     ["red"], ""),
]  # fmt: skip
NEEDED = 17  # entities the listings below take


ORDER = 40  # after the commitments' step; before the first rating (credit_portal.demo_steps)


def demo_discipline(context: Context, *, seed: int = 1) -> None:
    """The step: list rules, measures and listings in every state, the same ones for a seed."""
    if ListRule.objects.exists():
        context.write("信用名单演示数据已存在 / demo lists exist already")
        return
    departments = {d.code: d for d in Department.objects.filter(code__endswith=REGION)}
    if f"SAMR-{REGION}" not in departments:
        context.write("先运行 seed_demo 和 demo_users / run seed_demo and demo_users first")
        return
    with transaction.atomic():
        made = _seed(context.actor(), departments, random.Random(seed))
    context.write(f"信用名单演示数据 / demo lists: {made}")


def _staff(admin, department: Department):
    """The department's demo staff: its demo sign-in where there is one (samr-staff,
    tax-staff), otherwise a seed account that cannot sign in."""
    User = get_user_model()
    membership = (
        department.members.filter(user__api_client__isnull=True, user__is_active=True)
        .order_by("pk")
        .first()
    )
    if membership is not None:
        return User.objects.get(pk=membership.user_id)
    user, created = User.objects.get_or_create(
        username=f"demo-seed-{department.code.lower()}", defaults={"is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    membership_set(actor=admin, user=user, department=department)
    return User.objects.get(pk=user.pk)


def _seed(admin, departments: dict[str, Department], rng: random.Random) -> dict[str, int]:

    def dept(kind: str) -> Department:
        return departments[f"{kind}-{REGION}"]

    staff = {kind: _staff(admin, dept(kind)) for kind in ("SAMR", "TAX", "COURT")}
    for code, kind, name, name_en, bases, months, kinds in RULES:
        texts = RED_TEXT if kind == ListKind.RED else RULE_TEXT
        rule = services.list_rule_create(
            actor=admin,
            departments=[dept(k) for k in kinds],
            code=code,
            kind=kind,
            name=name,
            name_en=name_en,
            bases=bases,
            period_months=months,
            **texts,
        )
        services.list_rule_publish(actor=admin, rule_id=rule.pk)
    for code, name, name_en, category, mandatory, kind, kinds, ban in MEASURES:
        measure = services.measure_create(
            actor=admin,
            department=dept(kind),
            code=code,
            name=name,
            name_en=name_en,
            category=category,
            effect="incentive" if kinds == ["red"] else "punishment",
            mandatory=mandatory,
            legal_basis="国发〔2016〕33号《关于建立完善守信联合激励和失信联合惩戒制度"
            "加快推进社会诚信建设的指导意见》",
            list_kinds=kinds,
            ban_field=ban,
        )
        services.measure_publish(actor=admin, measure_id=measure.pk)

    own = EntityAccount.objects.filter(user__username="entity-demo").first()
    own_uscc = own.entity_id if own is not None else ""
    with_rep = EntityRole.objects.filter(
        entity=OuterRef("pk"), kind="legal_representative", until__isnull=True
    )
    pool = list(
        MarketEntity.objects.filter(
            uscc__startswith="91" + REGION[:2], status="active", kind="enterprise"
        )
        .exclude(uscc=own_uscc)
        .filter(Exists(with_rep))
        .order_by("uscc")
        .values_list("uscc", flat=True)[:400]
    )
    if len(pool) < NEEDED:
        return {"skipped: too few Beijing enterprises with a legal representative": len(pool)}
    rng.shuffle(pool)
    counts = {"listed": 0, "suspended": 0, "exited": 0, "proposed": 0, "red": 0, "attention": 0}

    def propose(by, uscc: str, rule_code: str, basis_kind: str, number: str, facts: str):
        return services.listing_propose(
            actor=by,
            uscc=uscc,
            rule_code=rule_code,
            facts=facts,
            bases=[
                {
                    "kind": basis_kind,
                    "document_number": number,
                    "title": "行政处罚决定书" if basis_kind == "penalty" else "法律文书",
                    "issued_on": timezone.localdate() - datetime.timedelta(days=30),
                }
            ],
        )

    def decide(by, listing: Listing) -> Listing:
        services.listing_statement_record(
            actor=by, listing_id=listing.pk, statement="当事人书面陈述：对认定事实无异议。"
        )
        return services.listing_decide(
            actor=by, listing_id=listing.pk, list_entity=True, note="经审查，符合认定标准。"
        )

    samr, tax, court = staff["SAMR"], staff["TAX"], staff["COURT"]
    serious = [
        "生产销售不合格产品，货值金额较大，被处以罚没款并责令停产停业",
        "提供虚假材料骗取登记，情节严重",
        "食品中违法添加非食用物质，受到较重行政处罚",
        "拒不执行生效行政处罚决定",
    ]
    listed: list[Listing] = []
    for i in range(6):
        listing = propose(
            samr, pool.pop(), "SAMR-SERIOUS", "penalty", f"京市监罚〔2026〕{101 + i}号",
            serious[i % len(serious)],
        )  # fmt: skip
        listed.append(decide(samr, listing))
        counts["listed"] += 1
    for i in range(3):
        listing = propose(
            court, pool.pop(), "COURT-DISHONEST", "judicial", f"（2026）京01执{800 + i}号",
            "有履行能力而拒不履行生效法律文书确定的义务",
        )  # fmt: skip
        decide(court, listing)
        counts["listed"] += 1
    listing = propose(
        tax, pool.pop(), "TAX-MAJOR", "penalty", "京税稽罚〔2026〕17号",
        "虚开增值税专用发票，偷税数额较大",
    )  # fmt: skip
    decide(tax, listing)
    counts["listed"] += 1
    # Under objection: measures suspended while it is checked (33/22).
    services.listing_suspend(
        actor=samr, listing_id=listed[-1].pk, reason="当事人提出异议，已受理核查。"
    )
    counts["suspended"] += 1
    # Removed: the penalty it rested on was revoked.
    services.listing_exit(
        actor=samr, listing_id=listed[-2].pk, reason="revoked", note="处罚决定经复议撤销。"
    )
    counts["exited"] += 1
    for i in range(2):
        listing = propose(
            samr, pool.pop(), "SAMR-ATTENTION", "penalty", f"京市监罚〔2026〕{201 + i}号",
            "一年内两次因同类违法行为受到行政处罚",
        )  # fmt: skip
        decide(samr, listing)
        counts["attention"] += 1
    for i in range(4):
        listing = services.listing_propose(
            actor=tax,
            uscc=pool.pop(),
            rule_code="TAX-A",
            facts="2025年度纳税信用评价为A级",
            bases=[
                {
                    "kind": "reward",
                    "document_number": f"京税信〔2026〕{i + 1}号",
                    "title": "纳税信用A级纳税人名单公告",
                }
            ],
        )
        decide(tax, listing)
        counts["red"] += 1
    # Still in the statement period: one of a demo entity, one of the entity user's own.
    propose(
        samr, pool.pop(), "SAMR-SERIOUS", "penalty", "京市监罚〔2026〕150号",
        "未按责令改正决定整改，继续违法经营",
    )  # fmt: skip
    counts["proposed"] += 1
    if own_uscc:
        propose(
            samr, own_uscc, "SAMR-ATTENTION", "penalty", "京市监罚〔2026〕151号",
            "一年内两次未按规定公示年度报告，受到行政处罚",
        )  # fmt: skip
        counts["proposed"] += 1

    # Feedback from the implementing departments on most of the first listings' tasks.
    for task in MeasureTask.objects.filter(
        listing__in=listed[:4], status=MeasureTask.Status.OPEN
    ).select_related("department"):
        implementer = _staff(admin, task.department)
        outcomes = {
            item.measure_id: ("applied", "")
            if item.measure.mandatory
            else ("not_applied", "该主体未申报相关项目，暂无实施对象。")
            for item in MeasureTaskItem.objects.filter(task=task).select_related("measure")
        }
        services.task_feedback(actor=implementer, task_id=task.pk, outcomes=outcomes)

    # Rectification: one open, one missed (a reminder interview is due).
    today = timezone.localdate()
    services.rectification_order(
        actor=samr,
        uscc=listed[0].entity_id,
        requirement="停止销售不合格产品，召回已售批次并提交整改报告",
        deadline=today + datetime.timedelta(days=20),
        listing_id=listed[0].pk,
    )
    missed = services.rectification_order(
        actor=samr,
        uscc=listed[1].entity_id,
        requirement="补正登记材料，变更虚假登记事项",
        deadline=today + datetime.timedelta(days=1),
        listing_id=listed[1].pk,
    )
    services.rectifications_escalate(today=missed.deadline + datetime.timedelta(days=1))

    # Access bans in key fields, binding the entity's responsible persons (35/10).
    services.access_ban_impose(
        actor=samr,
        uscc=listed[2].entity_id,
        field="food_drugs",
        starts=today,
        ends=add_months(today, 60),
        reason="食品中违法添加非食用物质，情节严重",
        legal_basis="《中华人民共和国食品安全法》第一百三十五条",
        listing_id=listed[2].pk,
    )
    services.access_ban_impose(
        actor=samr,
        uscc=listed[0].entity_id,
        field="engineering",
        starts=today,
        ends=None,
        reason="生产销售不合格建材，造成重大工程质量事故",
        legal_basis="《建设工程质量管理条例》",
        listing_id=listed[0].pk,
    )
    counts["warnings"] = services.liability_warnings_scan()
    return counts
