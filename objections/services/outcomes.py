"""The outcome of an objection: proposed by the holder department's staff, approved by its
head (four eyes: the proposer never approves), then carried out in one transaction: upheld
corrects or revokes the item and ends what rested on it; rejected restores every effect
(35/17, 33/22; docs/architecture.md §5)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credit_portal.audit.services import audit_event_record
from credit_portal.casework import text_clean
from credit_portal.errors import DomainError, PermissionDenied
from credit_portal.outbox.services import event_publish
from discipline import services as discipline_services
from discipline.models import Listing
from registry.models import CreditRecord, Decision
from registry.roles import Role, Viewer
from registry.services import credit_record_supersede, decision_change, official_required

from .. import transitions
from ..models import Objection, ObjectionEffect, Outcome, Target
from .filing import _objection_for_update

E = ObjectionEffect.Kind
CORRECTABLE = ("title", "content", "severity", "document_number", "legal_basis")


def _holder(viewer: Viewer, objection: Objection) -> None:
    if (
        objection.department_id is None
        or viewer.department is None
        or (viewer.department.pk != objection.department_id)
    ):
        raise PermissionDenied(
            _("该异议由其他部门核查。/ Another department handles this objection."),
            code="not_holder",
        )


def _move(objection: Objection, target: str) -> None:
    refusal = transitions.objection_refusal(objection.status, target)
    if refusal:
        raise DomainError(refusal, code="bad_state")


def _correction(objection: Objection, outcome: str, correction: dict | None) -> dict:
    """What an upheld or partly upheld objection does to a record or decision: revoke it, or
    correct named fields (a partly upheld one can only correct). Checked at proposal, so the
    head approves exactly what is carried out."""
    if outcome == Outcome.REJECTED or objection.target_kind not in (Target.RECORD, Target.DECISION):
        return {}
    correction = dict(correction or {})
    action = correction.pop("action", "") or (
        "revocation" if outcome == Outcome.UPHELD else "correction"
    )
    if action not in ("revocation", "correction"):
        raise DomainError(_("处理方式只能是更正或撤销。/ Correct or revoke."), field="action")
    if outcome == Outcome.PARTLY and action == "revocation":
        raise DomainError(
            _("部分成立只能更正信息。/ A partly upheld objection corrects the item."),
            field="action",
        )
    changes = {
        k: str(v).strip() for k, v in correction.items() if k in CORRECTABLE and str(v).strip()
    }
    if action == "correction" and not changes:
        raise DomainError(_("请填写更正后的内容。/ Give the corrected fields."), field="correction")
    return {"action": action, "changes": changes}


@transaction.atomic
def objection_propose(
    *,
    actor,
    objection_id: int,
    outcome: str,
    reasons: str,
    correction: dict | None = None,
) -> Objection:
    """Staff of the holder department propose the outcome with reasons."""
    viewer = official_required(actor)
    objection = _objection_for_update(objection_id)
    _holder(viewer, objection)
    _move(objection, Objection.Status.PROPOSED)
    if outcome not in Outcome.values:
        raise DomainError(_("请选择处理结果。/ Choose the outcome."), field="outcome")
    objection.reasons = text_clean(reasons, "reasons", _("处理理由"))
    objection.proposal = _correction(objection, outcome, correction)
    objection.proposed_outcome = outcome
    objection.proposed_by = actor
    objection.proposed_at = timezone.now()
    objection.status = Objection.Status.PROPOSED
    objection.save()
    audit_event_record(
        actor=actor,
        action="objection.propose",
        target=objection,
        department_code=viewer.department_code,
        after={"outcome": outcome, **objection.proposal},
        reason=objection.reasons,
    )
    return objection


@transaction.atomic
def objection_return(*, actor, objection_id: int, note: str) -> Objection:
    """The head sends a proposal back for another look."""
    viewer = _head_of_holder(actor, objection_id)
    objection = _objection_for_update(objection_id)
    _move(objection, Objection.Status.REVIEWING)
    note = text_clean(note, "note", _("退回理由"))
    objection.status = Objection.Status.REVIEWING
    objection.proposed_outcome = ""
    objection.proposal = {}
    objection.save()
    audit_event_record(
        actor=actor,
        action="objection.return",
        target=objection,
        department_code=viewer.department_code,
        reason=note,
    )
    return objection


def _head_of_holder(actor, objection_id) -> Viewer:
    viewer = official_required(actor)
    objection = Objection.objects.filter(pk=objection_id).only("department_id").first()
    if objection is not None:
        _holder(viewer, objection)
    if viewer.role != Role.DEPARTMENT_HEAD:
        raise PermissionDenied(
            _("处理结果须由部门负责人审核。/ The department head approves outcomes."),
            code="head_required",
        )
    return viewer


@transaction.atomic
def objection_approve(*, actor, objection_id: int) -> Objection:
    """The head of the holder department approves the proposed outcome; the proposer never
    approves (four eyes). The outcome is carried out here, in this transaction."""
    viewer = _head_of_holder(actor, objection_id)
    objection = _objection_for_update(objection_id)
    _move(objection, Objection.Status.DECIDED)
    if objection.proposed_by_id == getattr(actor, "pk", None):
        raise PermissionDenied(
            _("提出处理意见的人不能审核同一意见。/ The proposer cannot approve the proposal."),
            code="four_eyes",
        )
    now = timezone.now()
    objection.outcome = objection.proposed_outcome
    objection.decided_by = actor
    objection.decided_at = now
    objection.status = Objection.Status.DECIDED
    objection.save()
    done = _carry_out(objection, actor, now)
    event_publish(
        kind="objection.decided",
        subject_uscc=objection.entity_id,
        payload={
            "tracking_number": objection.tracking_number,
            "uscc": objection.entity_id,
            "item": objection.target_kind,
            "item_id": objection.target_id,
            "department": viewer.department_code,
            "outcome": objection.outcome,
            "reasons": objection.reasons,
            "decided_at": now.isoformat(),
            **done,
        },
        idempotency_key=f"objection:{objection.pk}:decided",
    )
    audit_event_record(
        actor=actor,
        action="objection.decide",
        target=objection,
        department_code=viewer.department_code,
        after={"outcome": objection.outcome, **done},
        reason=objection.reasons,
    )
    return objection


def _carry_out(objection: Objection, approver, now: datetime.datetime) -> dict:
    """Upheld: the record or decision is revoked or corrected by a new ledger entry and what
    rested on it ends (listings exit, tasks are lifted, bans lifted). Partly upheld: the
    correction is made and the punishment, resting on the corrected item, resumes. Rejected:
    every effect resumes. An effect still held by another open objection stays suspended."""
    done: dict = {}
    ending = objection.outcome == Outcome.UPHELD
    if objection.proposal:
        done["ledger"] = _correct(objection, approver)
    reason = _("异议%(n)s：%(o)s / objection %(n)s: %(o)s") % {
        "n": objection.tracking_number,
        "o": objection.get_outcome_display(),
    }
    effects = list(objection.effects.filter(ended_at=None).order_by("kind", "object_id"))
    held_elsewhere = set(
        ObjectionEffect.objects.filter(
            ended_at=None,
            objection__status__in=Objection.OPEN,
            kind__in=[e.kind for e in effects],
            object_id__in=[e.object_id for e in effects],
        )
        .exclude(objection=objection)
        .values_list("kind", "object_id")
    )
    counts = {"ended": 0, "resumed": 0, "held": 0}
    for effect in effects:
        if ending:
            _end(effect, reason)
            counts["ended"] += 1
        elif (effect.kind, effect.object_id) in held_elsewhere:
            counts["held"] += 1
        else:
            _resume(effect, reason)
            counts["resumed"] += 1
    objection.effects.filter(ended_at=None).update(
        ended_at=now, end="ended" if ending else "resumed"
    )
    done.update(counts)
    return done


def _end(effect: ObjectionEffect, reason: str) -> None:
    if effect.kind == E.LISTING:
        status = (
            Listing.objects.filter(pk=effect.object_id).values_list("status", flat=True).first()
        )
        if status in (Listing.Status.LISTED, Listing.Status.SUSPENDED):
            discipline_services.listing_exit(
                actor=None,
                listing_id=effect.object_id,
                reason=Listing.ExitReason.OBJECTION,
                note=reason,
            )
    elif effect.kind == E.TASK:
        discipline_services.task_end(actor=None, task_id=effect.object_id, reason=reason)
    elif effect.kind == E.BAN:
        discipline_services.access_ban_lift(actor=None, ban_id=effect.object_id, reason=reason)


def _resume(effect: ObjectionEffect, reason: str) -> None:
    if effect.kind == E.LISTING:
        status = (
            Listing.objects.filter(pk=effect.object_id).values_list("status", flat=True).first()
        )
        if status == Listing.Status.SUSPENDED:
            discipline_services.listing_resume(actor=None, listing_id=effect.object_id, note=reason)
    elif effect.kind == E.TASK:
        discipline_services.task_resume(actor=None, task_id=effect.object_id, note=reason)
    elif effect.kind == E.BAN:
        discipline_services.access_ban_resume(actor=None, ban_id=effect.object_id, note=reason)


def _correct(objection: Objection, approver) -> dict:
    """The new ledger entry: a published decision is revoked or changed through the registry
    (it leaves public display and the ledger gets its revocation); a record without a decision
    is superseded by a correction or revocation."""
    action = objection.proposal["action"]
    changes = objection.proposal.get("changes", {})
    why = _("异议%(n)s成立：%(r)s / objection %(n)s upheld: %(r)s") % {
        "n": objection.tracking_number,
        "r": objection.reasons,
    }
    if objection.target_kind == Target.DECISION:
        decision_id = objection.target_id
        record_id = (
            Decision.objects.filter(pk=decision_id).values_list("record_id", flat=True).first()
        )
    else:
        record_id = objection.target_id
        decision_id = (
            Decision.objects.filter(record_id=record_id).values_list("pk", flat=True).first()
        )
    if decision_id is not None and action == "revocation":
        decision_change(
            actor=approver,
            decision_id=decision_id,
            change=Decision.Change.REVOKED,
            reason=why,
        )
        return {"decision": decision_id, "action": action}
    if record_id is None:
        raise DomainError(
            _(
                "该决定尚未公示，没有可更正的信用记录。/ The decision has no published record "
                "to correct."
            ),
            code="no_record",
        )
    latest = _latest(record_id)
    new = credit_record_supersede(
        actor=approver, record_id=latest, action=action, reason=why, **changes
    )
    return {"record": new.pk, "action": action}


def _latest(record_id: int) -> int:
    """The newest record of a chain of corrections (the one to supersede)."""
    current = record_id
    while True:
        nxt = (
            CreditRecord.objects.filter(supersedes_id=current).values_list("pk", flat=True).first()
        )
        if nxt is None:
            return current
        current = nxt
