"""Demo objections and tip-offs, once: the objections app's demo step (registered in
``ObjectionsConfig.ready``; ``manage.py demo_steps`` runs it after the discipline step).

Through the services, so marks, suspensions, outbox events and audit are real: an open
objection against a listing in force (it shows "异议核查中" and its measure tasks are
suspended), one rejected by the market regulator's head, one the
platform still has to forward; a tip-off waiting to be taken and one closed. If any objection
exists it changes nothing.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from credit_portal.demo_steps import Context
from discipline.models import Listing
from registry.models import Decision, MarketEntity

from . import services
from .models import Objection

ORDER = 60  # after discipline's step (docs/adding-an-app.md: objections and restoration 60)


def demo_objections(context: Context) -> None:
    if Objection.objects.exists():
        context.write("异议演示数据已存在 / demo objections exist already")
        return
    User = get_user_model()
    staff = User.objects.filter(username="samr-staff").first()
    head = User.objects.filter(username="samr-head").first()
    listing = (
        Listing.objects.filter(status=Listing.Status.LISTED, department__members__user=staff)
        .order_by("pk")
        .first()
    )
    other = (
        Decision.objects.filter(status=Decision.Status.PUBLISHED, department__members__user=staff)
        .order_by("pk")
        .first()
    )
    if staff is None or head is None or other is None:
        context.write("先运行 demo_users 和信用名单演示步骤 / run demo_users and the lists step")
        return
    with transaction.atomic():
        made = _seed(staff, head, listing, other)
    context.write(f"异议与举报演示数据 / demo objections and tip-offs: {made}")


def _file(item, kind: str, entity: MarketEntity, grounds: str, name: str):
    return services.objection_file(
        actor=None,
        uscc=entity.uscc,
        target_kind=kind,
        target_id=item.pk if item else None,
        grounds=grounds,
        filer_name=name,
        filer_contact="010-12345678",
    ).case


def _seed(staff, head, listing: Listing | None, other: Decision) -> dict[str, int]:
    made = 0
    if listing is not None:
        _file(listing, "listing", listing.entity, "列入依据的处罚决定已被行政复议撤销。", "张律师")
        made += 1
    rejected = _file(other, "decision", other.entity, "处罚金额与决定书不一致。", "王会计")
    services.objection_propose(
        actor=staff,
        objection_id=rejected.pk,
        outcome="rejected",
        reasons="经核对决定书原件，公示金额无误。",
    )
    services.objection_approve(actor=head, objection_id=rejected.pk)
    _file(None, "other", other.entity, "网站显示的企业地址有误。", "李经理")
    waiting = services.tipoff_file(
        actor=None,
        uscc=other.entity_id,
        conduct="该企业在电商平台销售无生产日期的食品。",
        reporter_name="匿名群众",
        reporter_contact="13900000000",
    ).case
    closed = services.tipoff_file(
        actor=None, uscc=other.entity_id, conduct="门店虚假标价。", anonymous=True
    ).case
    if waiting.department_id == closed.department_id and closed.department is not None:
        services.tipoff_claim(actor=staff, tipoff_id=closed.pk)
        services.tipoff_close(
            actor=staff,
            tipoff_id=closed.pk,
            outcome="unsubstantiated",
            reply="经现场检查，标价与实际结算一致，举报不属实。",
        )
    return {"objections": made + 2, "tipoffs": 2}
