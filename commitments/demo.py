"""Demo commitments, once: the commitments app's demo step (``credit_portal.demo_steps``,
registered in ``CommitmentsConfig.ready``; ``manage.py demo_steps`` runs it).

Runs after ``seed_demo`` and ``demo_users`` (the run command calls them first): licensing items
of the Beijing market-regulation department, a published template for every kind, commitments
of its entities made through the services (approval on commitment, acceptance with missing
materials, voluntary public ones, ...), some kept, some partly, some not; voluntary registered
information (pending and verified) and integrity education. Deterministic for a seed; if any
licensing item exists it changes nothing.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from commitments import services
from commitments.models import CommitmentKind, LicensingItem
from credit_portal.demo_steps import Context
from registry.models import Department, EntityAccount, MarketEntity
from registry.selectors import standing_problems

ITEMS = [
    ("110000-SP-001", "食品经营许可", "Food business licence", True, True),
    ("110000-GG-002", "公共场所卫生许可", "Public venue hygiene licence", True, True),
    ("110000-GC-003", "建筑工程施工许可", "Construction permit", True, False),
    ("110000-YP-004", "药品零售企业许可", "Drug retail licence", False, True),
]
TEXTS = {
    CommitmentKind.APPROVAL: "本单位已知晓该事项的全部许可条件，承诺符合上述条件，"
    "所提交材料真实有效；如有不实，愿承担相应法律责任，接受撤销许可等处理。",
    CommitmentKind.MISSING_MATERIALS: "本单位承诺在规定期限内补齐所列材料；逾期未补正的，"
    "同意按未履行承诺处理并记入信用记录。",
    CommitmentKind.CERTIFICATION: "本单位承诺所述事实真实，以本承诺替代相关证明材料。",
    CommitmentKind.RESTORATION: "本单位已纠正失信行为、消除不良影响，承诺今后守法诚信经营。",
    CommitmentKind.SELF_DISCIPLINE: "本单位承诺遵守行业自律公约，诚信经营，公平竞争。",
    CommitmentKind.VOLUNTARY: "本单位郑重承诺：守法经营、诚实守信、保证商品和服务质量，"
    "自愿接受社会监督。",
}


ORDER = 30  # after the register and the sign-ins; before discipline (credit_portal.demo_steps)


def demo_commitments(context: Context, *, count: int = 120, seed: int = 1) -> None:
    """The step: ``count`` commitments of Beijing enterprises, the same ones for a seed."""
    if LicensingItem.objects.exists():
        context.write("信用承诺演示数据已存在 / demo commitments exist already")
        return
    department = Department.objects.filter(code="SAMR-110000").first()
    staff = get_user_model().objects.filter(username="samr-staff").first()
    if department is None or staff is None:
        context.write("先运行 seed_demo 和 demo_users / run seed_demo and demo_users first")
        return
    with transaction.atomic():
        made = _seed(context.actor(), department, staff, count, random.Random(seed))
    context.write(f"信用承诺演示数据 / demo commitments: {made}")


def _seed(admin, department, staff, count: int, rng: random.Random) -> int:
    for code, name, name_en, applies, missing in ITEMS:
        services.licensing_item_create(
            actor=admin,
            code=code,
            name=name,
            name_en=name_en,
            department=department,
            commitment_applies=applies,
            missing_materials_allowed=missing,
        )
    templates = {}
    for kind in CommitmentKind.values:
        codes = (
            [c for c, *_rest, applies, missing in ITEMS]
            if kind
            in (
                CommitmentKind.APPROVAL,
                CommitmentKind.MISSING_MATERIALS,
            )
            else [""]
        )
        for code in codes:
            title = f"{str(CommitmentKind(kind).label).partition(' / ')[0]}书"
            draft = services.template_create(
                actor=admin, kind=kind, title=title, text=TEXTS[kind], item_code=code
            )
            templates[kind, code] = services.template_publish(actor=admin, template_id=draft.pk)
    entities = list(
        MarketEntity.objects.filter(
            kind="enterprise", status="active", region__startswith="11"
        ).order_by("uscc")[: count * 3]
    )
    rng.shuffle(entities)
    today = timezone.localdate()
    made = 0
    plan = [
        (CommitmentKind.APPROVAL, 30),
        (CommitmentKind.MISSING_MATERIALS, 30),
        (CommitmentKind.VOLUNTARY, 20),
        (CommitmentKind.SELF_DISCIPLINE, 10),
        (CommitmentKind.CERTIFICATION, 10),
    ]
    kinds = [k for k, w in plan for _ in range(w)]
    for entity in entities[:count]:
        kind = rng.choice(kinds)
        items = {
            CommitmentKind.APPROVAL: [c for c, _n, _e, applies, _m in ITEMS if applies],
            CommitmentKind.MISSING_MATERIALS: [c for c, _n, _e, _a, m in ITEMS if m],
        }.get(kind, [""])
        code = rng.choice(items)
        materials = []
        if kind == CommitmentKind.MISSING_MATERIALS:
            materials = [
                (name, today + datetime.timedelta(days=rng.randint(3, 60)))
                for name in rng.sample(["场所产权证明", "健康证明", "平面布局图"], 2)
            ]
            if standing_problems(entity, min_grade="B"):
                continue
        commitment = services.commitment_make(
            actor=staff,
            uscc=entity.uscc,
            kind=kind,
            template_id=templates[kind, code].pk,
            item_code=code,
            materials=materials,
        )
        made += 1
        roll = rng.random()
        if roll < 0.45:
            for material in commitment.materials.all():
                services.material_supply(actor=staff, material_id=material.pk)
            services.commitment_fulfilment_record(
                actor=staff, commitment_id=commitment.pk, fulfilment="full"
            )
        elif roll < 0.55:
            services.commitment_fulfilment_record(
                actor=staff, commitment_id=commitment.pk, fulfilment="partial"
            )
        elif roll < 0.60:
            services.commitment_fulfilment_record(
                actor=staff,
                commitment_id=commitment.pk,
                fulfilment="none",
                note="未按承诺补齐材料",
            )
    _entity_demo(department, staff, templates)
    session = services.education_session_create(
        actor=staff,
        title="市场主体诚信经营公益课",
        mode="online",
        starts_at=timezone.now() - datetime.timedelta(days=7),
        place="线上直播",
    )
    for entity in entities[:10]:
        services.education_attendance_record(actor=staff, session_id=session.pk, uscc=entity.uscc)
    # One still to come, so the public list of sessions on offer is not empty.
    services.education_session_create(
        actor=staff,
        title="诚信经营与信用修复政策解读",
        mode="window",
        starts_at=timezone.now() + datetime.timedelta(days=14),
        place="政务服务中心二楼信用窗口",
    )
    return made


def _entity_demo(department, staff, templates) -> None:
    """The demo entity user's own: a voluntary commitment and registered information."""
    account = (
        EntityAccount.objects.select_related("user").filter(user__username="entity-demo").first()
    )
    if account is None:
        return
    user, uscc = account.user, account.entity_id
    services.commitment_make(
        actor=user,
        uscc=uscc,
        kind=CommitmentKind.VOLUNTARY,
        template_id=templates[CommitmentKind.VOLUNTARY, ""].pk,
        department_code=department.code,
    )
    for title, content, verify in (
        ("守合同重信用企业证书", "连续三年守合同重信用，证书编号 SHT-2025-0168。", True),
        ("社会公益活动", "2026年参与社区助老志愿服务120小时。", False),
    ):
        disclosure = services.disclosure_submit(
            actor=user,
            uscc=uscc,
            department_code=department.code,
            kind="contract" if verify else "public_interest",
            title=title,
            content=content,
            authenticity_committed=True,
            sharing_consented=True,
        )
        if verify:
            services.disclosure_decide(actor=staff, disclosure_id=disclosure.pk, status="verified")
