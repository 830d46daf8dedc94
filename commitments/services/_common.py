"""Private helpers shared by the sections of the commitments services (not for other apps)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from credit_portal.errors import DomainError, NotFound
from registry.services import RecordRow, credit_records_append

from ..models import Commitment, CommitmentKind, CommitmentTemplate, LicensingItem


def _item(code: str) -> LicensingItem:
    try:
        return LicensingItem.objects.select_related("department").get(code=(code or "").strip())
    except LicensingItem.DoesNotExist:
        raise NotFound(
            _("没有编码为“%(code)s”的行政许可事项。/ No licensing item “%(code)s”.")
            % {"code": code},
            code="licensing_item_not_found",
            field="item",
        ) from None


def _check_kind(kind: str) -> None:
    if kind not in CommitmentKind.values:
        raise DomainError(
            _("承诺类型无效。/ Unknown commitment kind."), code="invalid_kind", field="kind"
        )


def _template(template_id, *, lock: bool = False) -> CommitmentTemplate:
    qs = CommitmentTemplate.objects.select_related("item")
    if lock:
        qs = qs.select_for_update(of=("self",))
    try:
        return qs.get(pk=int(template_id))
    except (CommitmentTemplate.DoesNotExist, TypeError, ValueError):
        raise NotFound(
            _("承诺书格式文本不存在。/ No such commitment template."),
            code="template_not_found",
            field="template",
        ) from None


BREACH_ITEM = "WY"  # registry catalogue: breach of a credit commitment (negative)


def _record_breaches(commitment_ids: list[int], *, action: str) -> int:
    """One negative credit record per newly breached commitment, from the accepting
    department (35/1: how a commitment is kept enters the credit record)."""
    commitments = list(
        Commitment.objects.filter(pk__in=commitment_ids, breach_record__isnull=True)
        .select_related("item")
        .order_by("pk")
    )
    rows = [
        RecordRow(
            uscc=c.entity_id,
            department_id=c.department_id,
            title=_("未履行信用承诺（%(kind)s）/ Credit commitment not kept (%(kind_en)s)")
            % {
                "kind": str(CommitmentKind(c.kind).label).partition(" / ")[0],
                "kind_en": str(CommitmentKind(c.kind).label).partition(" / ")[2],
            },
            content=(c.item.name if c.item else "")
            + (f"：{c.fulfilment_note}" if c.fulfilment_note else ""),
            document_number=c.number,
            conduct_date=timezone.localtime(c.breached_at).date() if c.breached_at else None,
        )
        for c in commitments
    ]
    records = credit_records_append(catalogue_code=BREACH_ITEM, rows=rows, action=action)
    for commitment, record in zip(commitments, records, strict=True):
        commitment.breach_record = record
    Commitment.objects.bulk_update(commitments, ["breach_record"])
    return len(records)
