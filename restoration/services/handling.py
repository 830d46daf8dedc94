"""Handling an application (four eyes, on the official calendar) and the effects of an
approval (35/13: display stops everywhere and joint punishment ends)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credit_portal.audit.services import audit_event_record
from credit_portal.casework import text_clean
from credit_portal.errors import Conflict, DomainError, PermissionDenied
from credit_portal.outbox.services import event_publish
from discipline.models import Listing
from discipline.services import listing_exit
from registry.roles import Role
from registry.services import records_display_stop

from .. import eligibility, transitions
from ..models import RestorationApplication, RestorationItem
from ._common import _handled, _working_day, restoration_config

_S = RestorationApplication.Status
_O = RestorationApplication.Outcome
# What a proposal sets and a return clears.
_PROPOSAL = ["status", "proposed_outcome", "proposed_reasons", "proposed_by", "proposed_at"]


def _move(application: RestorationApplication, target: str) -> None:
    reason = transitions.refusal(application.status, target)
    if reason:
        raise Conflict(reason, code="transition_refused")


def _reasons(value: str) -> str:
    return text_clean(value, "reasons", _("理由 / reasons"))


def _tell(application: RestorationApplication, kind: str, **extra) -> None:
    """Subscribers (and the applicant's department contacts) hear of each step."""
    event_publish(
        kind=f"restoration.{kind}",
        subject_uscc=application.entity_id,
        payload={
            "number": application.number,
            "department": application.department.code,
            "status": application.status,
            **extra,
        },
        idempotency_key=f"restoration:{application.number}:{kind}",
    )


@transaction.atomic
def restoration_accept(*, actor, application_id: int) -> RestorationApplication:
    """Accept the application for review: the decision clock starts."""
    viewer, application = _handled(actor, application_id)
    if application.status == _S.ACCEPTED:
        return application
    _move(application, _S.ACCEPTED)
    application.status, application.accepted_at = _S.ACCEPTED, timezone.now()
    application.decide_due = _working_day(timezone.localdate(), restoration_config().decide_days)
    application.save(update_fields=["status", "accepted_at", "decide_due"])
    _tell(application, "accepted", decide_due=application.decide_due.isoformat())
    audit_event_record(
        actor=actor,
        action="restoration.accept",
        target=application,
        department_code=viewer.department_code,
    )
    return application


@transaction.atomic
def restoration_refuse(*, actor, application_id: int, reasons: str) -> RestorationApplication:
    """Refuse the application (not taken up), with the reasons; the applicant is shown how to
    seek review (the settings' ``reconsideration``)."""
    viewer, application = _handled(actor, application_id)
    reasons = _reasons(reasons)
    if application.status == _S.REFUSED:
        return application
    _move(application, _S.REFUSED)
    application.status, application.reasons = _S.REFUSED, reasons
    application.decided_by, application.decided_at = actor, timezone.now()
    application.save(update_fields=["status", "reasons", "decided_by", "decided_at"])
    _tell(application, "refused")
    audit_event_record(
        actor=actor,
        action="restoration.refuse",
        target=application,
        department_code=viewer.department_code,
        reason=reasons,
    )
    return application


def _still_eligible(application: RestorationApplication) -> None:
    """Between filing and approval an objection may have been filed, the same conduct
    recorded again, or the item ended otherwise: approval re-checks every item."""
    items = list(application.items.all())
    chosen = [(i.kind, i.record_id or i.listing_id) for i in items]
    found = {
        c.key: c
        for c in eligibility.candidates(
            application.entity, chosen=chosen, application=application.pk
        )
    }
    problems = []
    for kind, pk in chosen:
        candidate = found.get(f"{kind}:{pk}")
        if candidate is None:
            problems.append(
                _("%(item)s已不再公示或已移出。/ %(item)s is no longer shown or listed.")
                % {"item": f"{kind}:{pk}"}
            )
        elif not candidate.eligible:
            problems.append(f"{candidate.display_label}: {' '.join(candidate.reasons)}")
    if problems:
        raise DomainError(" ".join(problems), code="not_eligible")


@transaction.atomic
def restoration_propose(
    *, actor, application_id: int, outcome: str, reasons: str
) -> RestorationApplication:
    """Department staff propose to restore or not, with reasons; a head approves."""
    viewer, application = _handled(actor, application_id)
    if outcome not in _O.values:
        raise DomainError(
            _("请选择准予或不予修复。/ Choose restore or do not restore."), field="outcome"
        )
    reasons = _reasons(reasons)
    _move(application, _S.PROPOSED)
    if outcome == _O.APPROVE:
        _still_eligible(application)
    application.status = _S.PROPOSED
    application.proposed_outcome, application.proposed_reasons = outcome, reasons
    application.proposed_by, application.proposed_at = actor, timezone.now()
    application.save(update_fields=_PROPOSAL)
    audit_event_record(
        actor=actor,
        action="restoration.propose",
        target=application,
        department_code=viewer.department_code,
        after={"outcome": outcome},
        reason=reasons,
    )
    return application


def _head(viewer, application: RestorationApplication, actor) -> None:
    if viewer.role != Role.DEPARTMENT_HEAD:
        raise PermissionDenied(
            _("须由部门负责人审核。/ A department head approves."), code="head_required"
        )
    if application.proposed_by_id == getattr(actor, "pk", None):
        raise PermissionDenied(
            _("提出审查意见的人不能审核自己的意见。/ The proposer never approves."),
            code="four_eyes",
        )


@transaction.atomic
def restoration_return(*, actor, application_id: int, note: str) -> RestorationApplication:
    """The head sends the proposal back for another look."""
    viewer, application = _handled(actor, application_id)
    _head(viewer, application, actor)
    note = text_clean(note, "note", _("退回理由 / reason for returning"))
    _move(application, _S.ACCEPTED)
    application.status = _S.ACCEPTED
    application.proposed_outcome = application.proposed_reasons = ""
    application.proposed_by, application.proposed_at = None, None
    application.save(update_fields=_PROPOSAL)
    audit_event_record(
        actor=actor,
        action="restoration.return",
        target=application,
        department_code=viewer.department_code,
        reason=note,
    )
    return application


@transaction.atomic
def restoration_approve(*, actor, application_id: int) -> RestorationApplication:
    """A head (never the proposer) decides as proposed. Restored: in this transaction every
    record's display stops (public pages, the API, exports and reports read
    ``shown_now``), every listing exits with reason restoration (its measure tasks are
    cancelled or set to be lifted and their departments told, its access bans end, the
    standing summary follows), and subscribers hear of it; after commit the effect is
    confirmed by ``restoration_effects_apply`` (safe to run twice)."""
    viewer, application = _handled(actor, application_id)
    if application.status in (_S.APPROVED, _S.REJECTED):
        return application
    _head(viewer, application, actor)
    _move(application, _S.APPROVED)
    now = timezone.now()
    application.reasons = application.proposed_reasons
    application.decided_by, application.decided_at = actor, now
    fields = ["status", "reasons", "decided_by", "decided_at"]
    if application.proposed_outcome == _O.REJECT:
        application.status = _S.REJECTED
        application.save(update_fields=fields)
        _tell(application, "rejected")
    else:
        _still_eligible(application)
        application.status = _S.APPROVED
        application.effect_due = _working_day(
            timezone.localdate(), restoration_config().effect_days
        )
        application.save(update_fields=[*fields, "effect_due"])
        _effects(actor, application)
        transaction.on_commit(lambda: _effects_later(application.pk))
    audit_event_record(
        actor=actor,
        action="restoration.decide",
        target=application,
        department_code=viewer.department_code,
        after={"status": application.status},
        reason=application.reasons,
    )
    return application


def _effects(actor, application: RestorationApplication) -> None:
    items = list(application.items.select_for_update())
    now = timezone.now()
    records = [i.record_id for i in items if i.kind == RestorationItem.Kind.RECORD]
    records_display_stop(actor=actor, record_ids=records, reason=application.number)
    for item in items:
        if item.kind == RestorationItem.Kind.LISTING:
            listing_exit(
                actor=actor,
                listing_id=item.listing_id,
                reason=Listing.ExitReason.RESTORATION,
                note=application.number,
            )
    RestorationItem.objects.filter(pk__in=[i.pk for i in items], restored_at=None).update(
        restored_at=now
    )
    _tell(
        application,
        "approved",
        records=records,
        listings=[i.listing_id for i in items if i.listing_id],
        effect_due=application.effect_due.isoformat(),
    )


def _effects_later(application_id: int) -> None:
    from ..tasks import restoration_effects

    restoration_effects.delay(application_id)


@transaction.atomic
def restoration_effects_apply(application_id: int) -> bool:
    """After commit (and from the hourly clock, should the task be lost): confirm that every
    item of an approved application has stopped showing and left its list, and mark the
    application effective, once. False when there was nothing to do."""
    application = (
        RestorationApplication.objects.select_for_update(of=("self",))
        .select_related("department")
        .filter(pk=application_id, status=_S.APPROVED, effective_at=None)
        .first()
    )
    if application is None:
        return False
    items = list(application.items.select_related("listing"))
    L = Listing.Status
    if any(i.listing and i.listing.status != L.EXITED for i in items):
        return False  # an objection suspended a listing meanwhile: the clock escalates it
    # Stopping display again is a no-op for what is stopped; it heals anything undone.
    records_display_stop(
        actor=None,
        record_ids=[i.record_id for i in items if i.record_id],
        reason=application.number,
    )
    application.effective_at = timezone.now()
    application.save(update_fields=["effective_at"])
    _tell(application, "effective")
    audit_event_record(actor=None, action="restoration.effective", target=application)
    return True
