"""Commitment templates: versioned, written by the platform or the item's department."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from credit_portal.audit.services import audit_event_record
from credit_portal.errors import DomainError, PermissionDenied
from registry.roles import Role, Viewer, viewer_for

from ..models import ITEM_KINDS, CommitmentTemplate, LicensingItem
from ._common import _check_kind, _item, _template


# --- templates ------------------------------------------------------------------------------------
def _template_author(viewer: Viewer, item: LicensingItem | None) -> None:
    """The platform administrator writes templates; a department those of its own items."""
    if viewer.role == Role.PLATFORM_ADMIN:
        return
    if item is not None and viewer.is_regulator and viewer.department.pk == item.department_id:
        return
    raise PermissionDenied(
        _(
            "只有平台管理员或该事项的实施部门可以编制承诺书格式文本。/ Only platform "
            "administrators or the item's department may write its commitment templates."
        )
    )


@transaction.atomic
def template_create(
    *, actor, kind: str, title: str, text: str, item_code: str = ""
) -> CommitmentTemplate:
    """Write the next version of the template of a kind (and licensing item); unpublished
    until ``template_publish``."""
    _check_kind(kind)
    item = _item(item_code) if item_code else None
    if kind in ITEM_KINDS and item is None:
        raise DomainError(
            _("该类承诺须指定行政许可事项。/ This kind of commitment names a licensing item."),
            code="item_required",
            field="item",
        )
    _template_author(viewer_for(actor), item)
    if not (title or "").strip() or not (text or "").strip():
        raise DomainError(_("请填写标题和承诺内容。/ Enter the title and the text."), field="text")
    with connection.cursor() as cursor:  # versions of one template are numbered one by one
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
            [f"commitments.template:{kind}:{item.pk if item else ''}"],
        )
    last = CommitmentTemplate.objects.filter(kind=kind, item=item).aggregate(v=Max("version"))
    template = CommitmentTemplate.objects.create(
        kind=kind, item=item, version=(last["v"] or 0) + 1, title=title.strip(), text=text
    )
    audit_event_record(
        actor=actor,
        action="commitment_template.create",
        target=template,
        after={"kind": kind, "item": item.code if item else "", "version": template.version},
    )
    return template


@transaction.atomic
def template_publish(*, actor, template_id: int) -> CommitmentTemplate:
    """Publish a version: from then on it is the one commitments are made on, and it never
    changes (a new text is a new version)."""
    template = _template(template_id, lock=True)
    _template_author(viewer_for(actor), template.item)
    if template.published_at is not None:
        return template
    template.published_at = timezone.now()
    template.save(update_fields=["published_at"])
    audit_event_record(actor=actor, action="commitment_template.publish", target=template)
    return template


def current_template(kind: str, item: LicensingItem | None) -> CommitmentTemplate | None:
    """The newest published version for a kind and item."""
    return (
        CommitmentTemplate.objects.filter(kind=kind, item=item, published_at__isnull=False)
        .order_by("-version")
        .first()
    )
