"""Demo restoration applications, once: the restoration app's step (registered in
``RestorationConfig.ready``; ``manage.py demo_steps`` runs it after the objections step).

Through the services, so eligibility, commitments, effects, outbox events and audit are real:
the market regulator's staff records that a penalty was fulfilled, its entity applies (no
upload needed), staff propose and the head approves, so the penalty leaves the public site;
a second entity applies with a scanned receipt and waits for acceptance. Each applicant signs
in with an entity account of its own (made here, without a password: the demo's
``entity-demo`` stays bound to its entity). If any application exists it changes nothing.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from credit_portal.demo_steps import Context
from registry.models import Decision, MarketEntity
from registry.services import decision_fulfilment_record, entity_account_grant

from . import eligibility, services
from .models import RestorationApplication

ORDER = 61  # after the objections step (docs/adding-an-app.md: objections and restoration 60)
# A minimal PDF, as a scanned receipt would be (its type is read from these bytes).
RECEIPT = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def demo_restoration(context: Context) -> None:
    if RestorationApplication.objects.exists():
        context.write("信用修复演示数据已存在 / demo restoration applications exist already")
        return
    User = get_user_model()
    staff = User.objects.filter(username="samr-staff").first()
    head = User.objects.filter(username="samr-head").first()
    template = services.restoration_template()
    if staff is None or head is None or template is None:
        context.write(
            "先运行 demo_users 和信用承诺演示步骤 / run demo_users and the commitments step"
        )
        return
    found = _restorable(staff, 2)
    if not found:
        context.write("没有可修复的演示记录 / no demo record may be restored yet")
        return
    with transaction.atomic():
        made = _seed(context, staff, head, template, found)
    context.write(f"信用修复演示数据 / demo restoration: {made}")


def _restorable(staff, wanted: int) -> list[tuple[MarketEntity, eligibility.Candidate]]:
    """Entities with a penalty of the staff's department that may be restored today."""
    department = staff.membership.department
    today = timezone.localdate()
    decisions = (
        Decision.objects.filter(
            department=department,
            kind=Decision.Kind.PENALTY,
            status=Decision.Status.PUBLISHED,
            record__window__restoration_from__lte=today,
            record__window__stopped_at=None,
        )
        .filter(
            Q(record__window__shown_until__isnull=True) | Q(record__window__shown_until__gt=today)
        )
        .select_related("entity")
        .order_by("entity_id", "pk")[:200]
    )
    found, seen = [], set()
    for decision in decisions:
        if decision.entity_id in seen:
            continue
        seen.add(decision.entity_id)
        for c in eligibility.record_candidates(decision.entity, only=[decision.record_id]):
            if c.eligible:
                found.append((decision.entity, c))
        if len(found) == wanted:
            break
    return found


def _applicant(context: Context, entity: MarketEntity):
    user, _created = get_user_model().objects.get_or_create(
        username=f"entity-{entity.uscc.lower()}"
    )
    if user.has_usable_password():
        user.set_unusable_password()
        user.save(update_fields=["password"])
    entity_account_grant(actor=context.actor(), user=user, uscc=entity.uscc)
    return user


def _seed(context: Context, staff, head, template, found) -> dict[str, int]:
    (entity, first), *rest = found
    decision_fulfilment_record(
        actor=staff, decision_id=Decision.objects.get(record_id=first.pk).pk, note="罚款已缴清"
    )
    [restored] = services.restoration_apply(
        actor=_applicant(context, entity),
        items=[first.key],
        correction="罚款已全额缴纳，违法宣传内容已全部撤除，并完成内部合规整改。",
        commitment_template_id=template.pk,
        commitment_accepted=True,
    )
    services.restoration_accept(actor=staff, application_id=restored.pk)
    services.restoration_propose(
        actor=staff,
        application_id=restored.pk,
        outcome="approve",
        reasons="已履行处罚决定，最短公示期已满，期间无同类失信行为，准予修复。",
    )
    services.restoration_approve(actor=head, application_id=restored.pk)
    services.restoration_effects_apply(restored.pk)
    made = {"restored": 1, "waiting": 0}
    for entity, candidate in rest:
        services.restoration_apply(
            actor=_applicant(context, entity),
            items=[candidate.key],
            correction="已按处罚决定缴纳罚款并完成整改，附缴款凭证。",
            commitment_template_id=template.pk,
            commitment_accepted=True,
            proof=[SimpleUploadedFile("缴款凭证.pdf", RECEIPT, content_type="application/pdf")],
        )
        made["waiting"] += 1
    return made
