"""Private helpers shared by the sections of the registry's services (not for other apps)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from credit_portal.errors import DomainError, PermissionDenied

from .. import uscc as uscc_codes
from ..models import CatalogueItem, MarketEntity, PublicityScope, Severity
from ..roles import Viewer
from ..selectors import entity_not_found
from .access import department_owns

# Most open first: a record may narrow its catalogue item's scope, never widen it.
SCOPE_ORDER = [PublicityScope.PUBLIC, PublicityScope.SHARED, PublicityScope.AUTHORISED]


def _require_owner(viewer: Viewer, perm: str, obj, what: str) -> None:
    if not department_owns(viewer.department, perm, obj):
        raise PermissionDenied(
            _(
                "%(what)s属于其他部门，本部门无权修改。/ This %(what_en)s belongs to another "
                "department; yours may not change it."
            )
            % {"what": what, "what_en": _EN.get(what, what)}
        )


_EN = {"市场主体": "market entity", "信用记录": "credit record"}


def _entity(raw_uscc: str, *, lock: bool = False) -> MarketEntity:
    code = uscc_codes.validate(raw_uscc)
    qs = MarketEntity.objects.select_for_update() if lock else MarketEntity.objects
    try:
        return qs.get(uscc=code)
    except MarketEntity.DoesNotExist:
        raise entity_not_found(code) from None


def _check_record_fields(
    item: CatalogueItem,
    severity: str,
    scope: str | None,
    title: str,
    conduct_date: datetime.date | None,
    decision_date: datetime.date | None,
) -> str:
    """Validate a record against its catalogue item; returns the effective scope."""
    allowed = item.severities or [Severity.NONE]
    if severity not in allowed:
        raise DomainError(
            _(
                "目录项 %(code)s 的严重程度只能是：%(allowed)s。"
                "/ Severity for %(code)s must be one of: %(allowed)s."
            )
            % {"code": item.code, "allowed": ", ".join(allowed)},
            code="invalid_severity",
            field="severity",
        )
    if not (title or "").strip():
        raise DomainError(_("请填写标题。/ Enter a title."), field="title")
    today = timezone.localdate()
    for field, value in (("conduct_date", conduct_date), ("decision_date", decision_date)):
        if value and value > today:
            raise DomainError(
                _("日期不能晚于今天。/ The date cannot be in the future."),
                code="date_in_future",
                field=field,
            )
    if conduct_date and decision_date and decision_date < conduct_date:
        raise DomainError(
            _("决定日期不能早于行为日期。/ The decision date cannot precede the conduct date."),
            field="decision_date",
        )
    effective = scope or item.publicity_scope
    if effective not in PublicityScope.values:
        raise DomainError(_("公开范围无效。/ Unknown publicity scope."), field="scope")
    if SCOPE_ORDER.index(effective) < SCOPE_ORDER.index(item.publicity_scope):
        raise DomainError(
            _(
                "公开范围不能宽于目录规定（%(scope)s）。/ The scope cannot be wider than the "
                "catalogue's (%(scope)s)."
            )
            % {"scope": item.publicity_scope},
            code="scope_wider_than_catalogue",
            field="scope",
        )
    # Warnings are not published (SAMR Order 107; docs/architecture.md §5): shared at most.
    if severity == Severity.WARNING and effective == PublicityScope.PUBLIC:
        effective = PublicityScope.SHARED
    return effective


def _catalogue_item(code: str) -> CatalogueItem:
    try:
        return CatalogueItem.objects.get(code=code, active=True)
    except CatalogueItem.DoesNotExist:
        raise DomainError(
            _(
                "信用信息目录中没有编码为“%(code)s”的有效条目。/ The catalogue has no active item "
                "“%(code)s”."
            )
            % {"code": code},
            code="unknown_catalogue_item",
            field="catalogue_item",
        ) from None
