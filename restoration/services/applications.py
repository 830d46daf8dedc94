"""Applying for restoration on the public site (35/13: one website, free)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commitments.models import CommitmentKind
from commitments.services import commitment_make, current_template
from credit_portal.audit.services import audit_event_record
from credit_portal.casework import number_save, text_clean
from credit_portal.errors import DomainError, NotFound, PermissionDenied
from credit_portal.outbox.services import event_publish
from credit_portal.uploads import files_check, files_store
from registry import selectors as registry_selectors
from registry.models import MarketEntity
from registry.roles import Role, viewer_for

from .. import eligibility
from ..models import RestorationApplication, RestorationEvidence, RestorationItem
from ._common import _working_day, restoration_config

_Kind = RestorationEvidence.Kind


def restoration_template():
    """The restoration commitment in force: the current published version of the
    commitments app's ``restoration`` template (none for a licensing item)."""
    return current_template(CommitmentKind.RESTORATION, None)


def _chosen(raw: Sequence[str]) -> list[tuple[str, int]]:
    chosen = []
    for value in raw:
        kind, _sep, pk = str(value).partition(":")
        try:
            number = int(pk)
        except ValueError:
            number = 0
        if kind not in RestorationItem.Kind.values or not 0 < number < 2**63:
            raise NotFound(_("所选事项不存在。/ No such item."), code="item_not_found")
        chosen.append((kind, number))
    return list(dict.fromkeys(chosen))


def restoration_apply(
    *,
    actor,
    items: Sequence[str],
    correction: str,
    commitment_template_id,
    commitment_accepted: bool,
    contact: str = "",
    proof: Sequence[UploadedFile] = (),
    supporting: Sequence[UploadedFile] = (),
    supporting_kind: str = _Kind.OTHER,
) -> list[RestorationApplication]:
    """An entity user applies to restore one or several of its items (``"record:<id>"``,
    ``"listing:<id>"``). Everything is checked before anything is written: each item is the
    entity's and eligible today (else every reason with its date), the current restoration
    commitment is made, each item without a correction the portal found itself has proof of
    correction attached, and every file passes the type and size checks. One application is
    made per department that holds the items; no fee is ever asked."""
    viewer = viewer_for(actor)
    if viewer.role != Role.ENTITY_USER:
        raise PermissionDenied(
            _(
                "请以市场主体账号登录后申请信用修复。/ Sign in with the entity's account to "
                "apply for restoration."
            ),
            code="entity_account_required",
        )
    entity = registry_selectors.entity_get(viewer.entity_uscc)
    chosen = _chosen(items)
    if not chosen:
        raise DomainError(
            _("请选择要修复的事项。/ Choose what to restore."), code="items_required", field="items"
        )
    picked = _eligible(entity, chosen)
    correction = text_clean(
        correction, "correction", _("纠正失信行为情况 / how the conduct was corrected")
    )
    contact = text_clean(contact, "contact", _("联系方式 / contact"), limit=100, required=False)
    template = restoration_template()
    if template is None:
        raise DomainError(
            _(
                "信用修复承诺书格式文本尚未发布，请联系信用中心。/ No restoration commitment "
                "template is published yet: contact the credit centre."
            ),
            code="template_missing",
        )
    if str(commitment_template_id) != str(template.pk):
        raise DomainError(
            _(
                "承诺书已更新，请阅读现行第%(version)s版后再提交。/ The commitment has a newer "
                "version: read version %(version)s and submit again."
            )
            % {"version": template.version},
            code="template_outdated",
            field="commitment",
        )
    if not commitment_accepted:
        raise DomainError(
            _("请阅读并作出信用修复承诺。/ Read and make the restoration commitment."),
            code="commitment_required",
            field="commitment",
        )
    if supporting_kind not in _Kind.values or supporting_kind == _Kind.CORRECTION:
        supporting_kind = _Kind.OTHER
    missing = [c for c in picked if not c.found_proof]
    if missing and not proof:
        raise DomainError(
            _(
                "请上传纠正失信行为的证明（如履行决定、缴纳罚款、完成整改的凭证）：%(items)s / "
                "Attach proof that the conduct was corrected (decision fulfilled, fine paid, "
                "rectification completed) for: %(items)s"
            )
            % {"items": "；".join(c.display_label for c in missing)},
            code="proof_required",
            field="proof",
        )
    config = restoration_config()
    checked_proof = files_check(
        list(proof), max_bytes=config.upload_max_bytes, max_files=config.upload_max_files
    )
    checked_support = files_check(
        list(supporting), max_bytes=config.upload_max_bytes, max_files=config.upload_max_files
    )
    return _submit(actor, entity, picked, template, correction, contact, config,
                   checked_proof, checked_support, supporting_kind)  # fmt: skip


def _eligible(entity, chosen: list[tuple[str, int]]) -> list[eligibility.Candidate]:
    """The chosen items as candidates, each the entity's and eligible today; else refused
    (an unknown or another entity's item as not found; an ineligible one with every reason)."""
    found = {c.key: c for c in eligibility.candidates(entity, chosen=chosen)}
    picked = []
    for kind, pk in chosen:
        candidate = found.get(f"{kind}:{pk}")
        if candidate is None:
            raise NotFound(_("所选事项不存在。/ No such item."), code="item_not_found")
        picked.append(candidate)
    refused = [c for c in picked if not c.eligible]
    if refused:
        raise DomainError(
            " ".join(f"{c.display_label}: {' '.join(c.reasons)}" for c in refused),
            code="not_eligible",
            field="items",
        )
    return picked


@transaction.atomic
def _submit(actor, entity, picked, template, correction, contact, config, proof, support, kind):
    # One entity's submissions one at a time: two at once (a double click, two tabs) must not
    # both pass "not already applied for" (checked again here, under the lock).
    MarketEntity.objects.select_for_update().filter(pk=entity.pk).first()
    _eligible(entity, [(c.kind, c.pk) for c in picked])
    today = timezone.localdate()
    by_department: dict[int, list[eligibility.Candidate]] = {}
    for candidate in picked:
        by_department.setdefault(candidate.department.pk, []).append(candidate)
    made = []
    for group in by_department.values():
        department = group[0].department
        commitment = commitment_make(
            actor=actor,
            uscc=entity.uscc,
            kind=CommitmentKind.RESTORATION,
            template_id=template.pk,
            department_code=department.code,
        )
        application = RestorationApplication(
            entity=entity,
            department=department,
            applicant=actor,
            commitment=commitment,
            correction=correction,
            contact=contact,
            accept_due=_working_day(today, config.accept_days),
        )
        number_save(application, "XF", field="number")
        RestorationItem.objects.bulk_create(
            RestorationItem(
                application=application,
                kind=c.kind,
                record_id=c.pk if c.kind == eligibility.RECORD else None,
                listing_id=c.pk if c.kind == eligibility.LISTING else None,
                label=c.label,
                found_proof=str(c.found_proof),
            )
            for c in group
        )
        files_store(RestorationEvidence, proof, application=application, kind=_Kind.CORRECTION)
        files_store(RestorationEvidence, support, application=application, kind=kind)
        event_publish(
            kind="restoration.submitted",
            subject_uscc=entity.uscc,
            payload={
                "number": application.number,
                "department": department.code,
                "items": [c.key for c in group],
                "accept_due": application.accept_due.isoformat(),
            },
            idempotency_key=f"restoration:{application.number}:submitted",
        )
        audit_event_record(
            actor=actor,
            action="restoration.apply",
            target=application,
            after={
                "number": application.number,
                "items": [c.key for c in group],
                "commitment": commitment.number,
                "files": len(proof) + len(support),
            },
        )
        made.append(application)
    return made
